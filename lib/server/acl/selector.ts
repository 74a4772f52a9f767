/**
 * One ACL selector: which commands (a bit per command, plus Redis's reserved "future commands"
 * bit that only +@all sets), which keys (patterns with read/write permission) and which channels.
 * A user has a root selector and any number of added ones ("(...)" rules); a command is allowed
 * when one selector allows it.
 */
import { globMatch } from '../util/glob';
import { CATEGORY_ORDER, categoryByName } from './categories';
import type { AclCommand, AclCommandTable } from './command-table';
import { hasSpaces, type RuleError } from './rule-errors';

export const KEY_READ = 1;
export const KEY_WRITE = 2;
export const KEY_ALL = KEY_READ | KEY_WRITE;

export interface KeyPattern {
  readonly pattern: string;
  flags: number;
}

export class Selector {
  /** One byte per command id: 1 when allowed. */
  public allowed: Uint8Array;
  /** Redis's reserved last bit: set by +@all / allcommands only, so ACL LIST can say "+@all -x". */
  public future = false;
  /** Every command allowed, skipping the bitmap test (set by +@all, cleared by removing any command). */
  public allCommands = false;
  public allKeys = false;
  public allChannels = false;
  public keys: KeyPattern[] = [];
  public channels: string[] = [];
  /** "+select|0": first arguments allowed for an otherwise blocked command, by command id. */
  public firstArgs: Map<number, string[]> | undefined;

  constructor(
    public readonly table: AclCommandTable,
    public readonly root: boolean,
  ) {
    this.allowed = new Uint8Array(table.count);
  }

  public clone(): Selector {
    const copy = new Selector(this.table, this.root);
    copy.copyFrom(this);
    return copy;
  }

  public copyFrom(other: Selector): void {
    this.allowed = other.allowed.slice();
    this.future = other.future;
    this.allCommands = other.allCommands;
    this.allKeys = other.allKeys;
    this.allChannels = other.allChannels;
    this.keys = other.keys.map((k) => ({ pattern: k.pattern, flags: k.flags }));
    this.channels = other.channels.slice();
    this.firstArgs = other.firstArgs ? new Map(Array.from(other.firstArgs, ([id, args]) => [id, args.slice()])) : undefined;
  }

  /** Everything allowed, nothing to check (the default user's +@all ~* &*). */
  public get unrestricted(): boolean {
    return this.allCommands && this.allKeys && this.allChannels;
  }

  // ---- rules ---------------------------------------------------------------------------------

  /** Applies one selector rule (Redis's ACLSetSelector); returns why it was refused, if it was. */
  public apply(op: string): RuleError | undefined {
    const lower = op.toLowerCase();
    if (lower === 'allkeys' || op === '~*') {
      this.allKeys = true;
      this.keys = [];
    } else if (lower === 'resetkeys') {
      this.allKeys = false;
      this.keys = [];
    } else if (lower === 'allchannels' || op === '&*') {
      this.allChannels = true;
      this.channels = [];
    } else if (lower === 'resetchannels') {
      this.allChannels = false;
      this.channels = [];
    } else if (lower === 'allcommands' || lower === '+@all') {
      this.allowed.fill(1);
      this.future = true;
      this.allCommands = true;
      this.firstArgs = undefined;
    } else if (lower === 'nocommands' || lower === '-@all') {
      this.allowed.fill(0);
      this.future = false;
      this.allCommands = false;
      this.firstArgs = undefined;
    } else if (op[0] === '~' || op[0] === '%') {
      return this.addKeyPattern(op);
    } else if (op[0] === '&') {
      if (this.allChannels) return 'channel-after-all';
      const pattern = op.slice(1);
      if (hasSpaces(pattern)) return 'syntax';
      if (!this.channels.includes(pattern)) this.channels.push(pattern);
      this.allChannels = false;
    } else if (op[0] === '+' && op[1] !== '@') {
      return this.allowCommand(op.slice(1));
    } else if (op[0] === '-' && op[1] !== '@') {
      const cmd = this.table.lookup(op.slice(1));
      if (cmd === undefined) return 'unknown-name';
      this.changePerm(cmd, false);
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      const category = categoryByName(op.slice(2));
      if (category === undefined) return 'unknown-name';
      const value = op[0] === '+';
      for (const cmd of this.table.all()) if (cmd.categories.has(category)) this.changePerm(cmd, value);
    } else {
      return 'syntax';
    }
    return undefined;
  }

  private addKeyPattern(op: string): RuleError | undefined {
    if (this.allKeys) return 'key-after-all';
    let flags = 0;
    let offset = 1;
    if (op[0] === '%') {
      for (; offset < op.length; offset++) {
        const c = op[offset].toUpperCase();
        if (c === 'R' && !(flags & KEY_READ)) flags |= KEY_READ;
        else if (c === 'W' && !(flags & KEY_WRITE)) flags |= KEY_WRITE;
        else if (op[offset] === '~') {
          offset++;
          break;
        } else return 'syntax';
      }
      // "%~x" names no permission at all: a pattern that could never match anything.
      if (flags === 0) return 'syntax';
    } else {
      flags = KEY_ALL;
    }
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) return 'syntax';
    const existing = this.keys.find((k) => k.pattern === pattern);
    if (existing) existing.flags |= flags;
    else this.keys.push({ pattern, flags });
    this.allKeys = false;
    return undefined;
  }

  /** "+cmd", "+container|sub", or "+cmd|first-arg" for a command without subcommands. */
  private allowCommand(name: string): RuleError | undefined {
    const bar = name.lastIndexOf('|');
    if (bar < 0) {
      const cmd = this.table.lookup(name);
      if (cmd === undefined) return 'unknown-name';
      this.changePerm(cmd, true);
      return undefined;
    }
    const base = this.table.lookup(name.slice(0, bar));
    const sub = name.slice(bar + 1);
    if (base === undefined) return 'unknown-name';
    if (base.parent !== undefined) return 'subcommand-first-arg';
    if (sub.length === 0) return 'syntax';
    if (base.subcommands !== undefined) {
      const cmd = this.table.lookup(name);
      if (cmd === undefined) return 'unknown-name';
      this.changePerm(cmd, true);
      return undefined;
    }
    this.firstArgs ??= new Map();
    const list = this.firstArgs.get(base.id) ?? [];
    if (!list.some((a) => a.toLowerCase() === sub.toLowerCase())) list.push(sub);
    this.firstArgs.set(base.id, list);
    return undefined;
  }

  private setBit(id: number, value: boolean): void {
    this.allowed[id] = value ? 1 : 0;
    if (!value) this.allCommands = false;
  }

  /** ACLChangeSelectorPerm: a container's rule applies to its subcommands too. */
  public changePerm(cmd: AclCommand, value: boolean): void {
    this.setBit(cmd.id, value);
    this.firstArgs?.delete(cmd.id);
    if (cmd.subcommands) for (const sub of cmd.subcommands.values()) this.setBit(sub.id, value);
  }

  // ---- description ---------------------------------------------------------------------------

  /** ACLDescribeSelector: key patterns, channel patterns, command rules. */
  public describe(): string {
    let out = '';
    if (this.allKeys) out += '~* ';
    else for (const k of this.keys) out += `${patternString(k)} `;
    if (this.allChannels) out += '&* ';
    else {
      out += 'resetchannels ';
      for (const c of this.channels) out += `&${c} `;
    }
    return out + this.describeCommands();
  }

  /** The key patterns as ACL GETUSER's "keys" field shows them. */
  public describeKeys(): string {
    return this.allKeys ? '~*' : this.keys.map(patternString).join(' ');
  }

  public describeChannels(): string {
    return this.allChannels ? '&*' : this.channels.map((c) => `&${c}`).join(' ');
  }

  /**
   * The command rules that rebuild this bitmap, as Redis 7.0 words them: +@all or -@all, then
   * categories chosen greedily (each time the one with fewest differences, then most in common),
   * then single commands to fix what remains, then allowed first arguments.
   */
  public describeCommands(): string {
    const additive = !this.future;
    const rules: string[] = [additive ? '-@all' : '+@all'];
    const fake = new Selector(this.table, false);
    fake.apply(additive ? '-@all' : '+@all');
    const temp = new Selector(this.table, false);
    temp.allowed = this.allowed.slice();
    const applied = new Set<string>();
    for (;;) {
      let best: string | undefined;
      let minDiff = Number.MAX_SAFE_INTEGER;
      let maxSame = 0;
      for (const category of CATEGORY_ORDER) {
        if (applied.has(category)) continue;
        let on = 0;
        let off = 0;
        for (const cmd of this.table.all()) {
          if (!cmd.categories.has(category)) continue;
          if (temp.allowed[cmd.id]) on++;
          else off++;
        }
        const diff = additive ? off : on;
        const same = additive ? on : off;
        if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
          best = category;
          minDiff = diff;
          maxSame = same;
        }
      }
      if (best === undefined) break;
      const op = `${additive ? '+' : '-'}@${best}`;
      fake.apply(op);
      temp.apply(`${additive ? '-' : '+'}@${best}`);
      rules.push(op);
      applied.add(best);
    }
    for (const cmd of this.table.all()) {
      const userBit = this.allowed[cmd.id] === 1;
      if (userBit !== (fake.allowed[cmd.id] === 1)) {
        rules.push(`${userBit ? '+' : '-'}${cmd.fullName}`);
        fake.changePerm(cmd, userBit);
      }
      const firstArgs = this.firstArgs?.get(cmd.id);
      if (!userBit && firstArgs) for (const arg of firstArgs) rules.push(`+${cmd.fullName}|${arg}`);
    }
    return rules.join(' ');
  }

  // ---- checks --------------------------------------------------------------------------------

  /** Whether the command bit (or an allowed first argument) lets this selector run the command. */
  public allowsCommand(cmd: AclCommand, args: readonly Buffer[]): boolean {
    if (this.allCommands || cmd.noAuth || this.allowed[cmd.id] === 1) return true;
    const firstArgs = this.firstArgs?.get(cmd.id);
    if (firstArgs === undefined || args.length < 2) return false;
    const arg = args[cmd.parent ? 2 : 1];
    if (arg === undefined) return false;
    const text = arg.toString('latin1').toLowerCase();
    return firstArgs.some((a) => a.toLowerCase() === text);
  }

  /** ACLSelectorCheckKey: some pattern with every needed permission matches the key. */
  public allowsKey(key: string, access: number): boolean {
    if (this.allKeys) return true;
    for (const k of this.keys) {
      if ((k.flags & access) !== access) continue;
      if (globMatch(k.pattern, key)) return true;
    }
    return false;
  }

  /** A channel name matches a pattern; a PSUBSCRIBE pattern must equal one literally. */
  public allowsChannel(channel: string, isPattern: boolean): boolean {
    if (this.allChannels) return true;
    return channelAllowed(this.channels, channel, isPattern);
  }
}

export function channelAllowed(patterns: readonly string[], channel: string, isPattern: boolean): boolean {
  for (const p of patterns) {
    if (isPattern ? p === channel : globMatch(p, channel)) return true;
  }
  return false;
}

function patternString(k: KeyPattern): string {
  if (k.flags === KEY_ALL) return `~${k.pattern}`;
  return `${k.flags === KEY_READ ? '%R' : '%W'}~${k.pattern}`;
}
