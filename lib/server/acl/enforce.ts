/**
 * The permission check dispatch runs for a client whose user is restricted (the default user's
 * +@all ~* &* skips it): refuses with Redis's NOPERM words and records the denial in ACL LOG.
 */
import type { Client } from '../client';
import { clientInfoLine } from '../commands/connection';
import type { AclStore } from './store';

/** The error a command gets from the ACL, or undefined when the user may run it. */
export function aclRefusal(store: AclStore, client: Client, fullName: string, args: readonly Buffer[], logMaxLen: number): string | undefined {
  const cmd = store.table.byName(fullName);
  if (cmd === undefined) return undefined;
  const denied = store.check(client.user, cmd, args);
  if (denied === undefined) return undefined;
  store.log.add(
    {
      reason: denied.denied,
      context: client.inMulti ? 'multi' : 'toplevel',
      object: denied.denied === 'command' ? fullName : args[denied.pos].toString('latin1'),
      username: client.user.name,
      createdAt: Date.now(),
      clientInfo: clientInfoLine(client, Date.now()),
    },
    logMaxLen,
  );
  if (denied.denied === 'command') return `NOPERM this user has no permissions to run the '${fullName}' command`;
  if (denied.denied === 'key') return 'NOPERM this user has no permissions to access one of the keys used as arguments';
  return 'NOPERM this user has no permissions to access one of the channels used as arguments';
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
