/**
 * The permission check dispatch runs for a client whose user is restricted (the default user's
 * +@all ~* &* skips it): refuses with Redis's NOPERM words and records the denial in ACL LOG.
 */
import type { Client } from '../client';
import { clientInfoLine } from '../commands/connection';
import type { DenialContext } from './acl-log';
import type { AclStore, CheckResult } from './store';

/** Checks the command and, when it is refused, records the denial in ACL LOG. */
function denial(store: AclStore, client: Client, fullName: string, args: readonly Buffer[], logMaxLen: number, context: DenialContext): CheckResult | undefined {
  const cmd = store.table.byName(fullName);
  if (cmd === undefined) return undefined;
  const denied = store.check(client.user, cmd, args);
  if (denied === undefined) return undefined;
  store.log.add(
    {
      reason: denied.denied,
      context,
      object: denied.denied === 'command' ? fullName : args[denied.pos].toString('latin1'),
      username: client.user.name,
      createdAt: Date.now(),
      clientInfo: clientInfoLine(client, Date.now()),
    },
    logMaxLen,
  );
  return denied;
}

/** The error a command gets from the ACL, or undefined when the user may run it. */
export function aclRefusal(store: AclStore, client: Client, fullName: string, args: readonly Buffer[], logMaxLen: number): string | undefined {
  const denied = denial(store, client, fullName, args, logMaxLen, client.inMulti ? 'multi' : 'toplevel');
  if (denied === undefined) return undefined;
  if (denied.denied === 'command') return `NOPERM this user has no permissions to run the '${fullName}' command`;
  if (denied.denied === 'key') return 'NOPERM this user has no permissions to access one of the keys used as arguments';
  return 'NOPERM this user has no permissions to access one of the channels used as arguments';
}

const EXEC_REASONS: Record<CheckResult['denied'], string> = {
  command: 'no permission to execute the command or subcommand',
  key: 'no permission to touch the specified keys',
  channel: 'no permission to access one of the channels used as arguments',
};

/**
 * EXEC checks each queued command again (execCommand), in case the rules changed after it was
 * queued: the error a refused one gets in EXEC's reply, or undefined.
 */
export function aclExecRefusal(store: AclStore, client: Client, fullName: string, args: readonly Buffer[], logMaxLen: number): string | undefined {
  const denied = denial(store, client, fullName, args, logMaxLen, 'multi');
  if (denied === undefined) return undefined;
  return `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${EXEC_REASONS[denied.denied]}`;
}

/** Records a failed AUTH / HELLO AUTH (the object is the command name as typed). */
export function logAuthFailure(store: AclStore, client: Client, commandName: string, username: string, logMaxLen: number): void {
  store.log.add(
    {
      reason: 'auth',
      context: client.inMulti ? 'multi' : 'toplevel',
      object: commandName,
      username,
      createdAt: Date.now(),
      clientInfo: clientInfoLine(client, Date.now()),
    },
    logMaxLen,
  );
}
