/**
 * The server's users (Redis's Users rax plus DefaultUser), the permission check every command of
 * a restricted user goes through, and the ACL log. The default user object is never replaced, so
 * the connections that point at it see every change.
 */
import type { AclCommand, AclCommandTable } from './command-table';
import { AclLog } from './acl-log';
import { commandChannels, commandKeys } from './keys';
import { AclUser } from './user';

export type Denial = 'command' | 'key' | 'channel';

/** Why a command was refused and which argument (key or channel) was the reason. */
export interface CheckResult {
  readonly denied: Denial;
  readonly pos: number;
}

const RANK: Record<Denial, number> = { command: 0, key: 1, channel: 2 };

export class AclStore {
  public readonly users = new Map<string, AclUser>();
  public readonly defaultUser: AclUser;
  public readonly log = new AclLog();
  /** acl-pubsub-default: whether new (and reset) users start with allchannels. */
  public pubsubDefaultAll = false;

  constructor(public readonly table: AclCommandTable) {
    this.defaultUser = this.createDefault();
    this.users.set('default', this.defaultUser);
  }

  /** ACLCreateDefaultUser: +@all ~* &* on nopass. */
  public createDefault(): AclUser {
    const user = new AclUser('default', this.table);
    for (const rule of ['+@all', '~*', '&*', 'on', 'nopass']) user.apply(rule);
    return user;
  }

  /** A user not (yet) in the set, as ACLCreateUnlinkedUser / ACLCreateUser make it. */
  public newUser(name: string): AclUser {
    const user = new AclUser(name, this.table);
    if (this.pubsubDefaultAll) user.apply('allchannels');
    return user;
  }

  /** Names in byte order, as Redis walks its rax. */
  public sortedUsers(): AclUser[] {
    return Array.from(this.users.values()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The user whose credentials these are, or undefined (unknown, disabled or wrong password). */
  public authenticate(username: string, password: string): AclUser | undefined {
    const user = this.users.get(username);
    return user !== undefined && user.checkPassword(password) ? user : undefined;
  }

  /** Whether new connections must authenticate: the default user has a password, or is off. */
  public get defaultRequiresAuth(): boolean {
    return !this.defaultUser.nopass || this.defaultUser.off;
  }

  /**
   * ACLCheckAllUserCommandPerm: allowed when one selector allows the command and all its keys and
   * channels. Otherwise the reported denial is the "furthest" one over all selectors (command <
   * key < channel, then the later argument), as Redis picks it.
   */
  public check(user: AclUser, cmd: AclCommand, args: readonly Buffer[]): CheckResult | undefined {
    let worst: CheckResult = { denied: 'command', pos: 0 };
    let keys: ReturnType<typeof commandKeys> | undefined;
    for (const selector of user.selectors) {
      let result: CheckResult | undefined;
      if (!selector.allowsCommand(cmd, args)) {
        result = { denied: 'command', pos: 0 };
      } else {
        if (!selector.allKeys) {
          keys ??= commandKeys(cmd.fullName, args);
          for (const k of keys) {
            if (!selector.allowsKey(args[k.pos].toString('latin1'), k.access)) {
              result = { denied: 'key', pos: k.pos };
              break;
            }
          }
        }
        if (result === undefined && !selector.allChannels) {
          for (const c of commandChannels(cmd.fullName, args)) {
            if (!selector.allowsChannel(args[c.pos].toString('latin1'), c.access === 1)) {
              result = { denied: 'channel', pos: c.pos };
              break;
            }
          }
        }
      }
      if (result === undefined) return undefined;
      if (RANK[result.denied] > RANK[worst.denied] || (result.denied === worst.denied && result.pos > worst.pos)) worst = result;
    }
    return worst;
  }
}
