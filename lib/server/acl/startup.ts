/**
 * Users at start-up (ACLLoadUsersAtStartup): the config file's `user` lines or the aclfile, never
 * both. Any error stops start-up with Redis's message, before a client can connect.
 */
import type { Config } from '../config';
import { installUsers, readAclFile } from './file';
import { hasSpaces, mergeSelectorArguments, ruleErrorMessage } from './rule-errors';
import type { AclStore } from './store';

/** Why start-up stops: the log lines redis-server writes before it exits. */
export class AclStartupError extends Error {
  constructor(public readonly lines: readonly string[]) {
    super(lines.join(' '));
  }
}

/** Applies `user` directives and then the aclfile (at `aclPath`, named `aclName` in messages). */
export function loadUsersAtStartup(store: AclStore, conf: Config, aclName: string, aclPath: string): void {
  if (aclName !== '' && conf.users.length > 0) {
    throw new AclStartupError(['Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.']);
  }
  const seen = new Set<string>();
  for (const directive of conf.users) {
    const [name, ...rules] = directive;
    if (name === undefined) throw new AclStartupError(["Error in user declaration 'user': Syntax error"]);
    if (hasSpaces(name)) throw new AclStartupError(['Spaces not allowed in ACL usernames']);
    if (seen.has(name)) throw new AclStartupError([`Error in user declaration '${name}': ${ruleErrorMessage('duplicate-user')}`]);
    seen.add(name);
    const merged = mergeSelectorArguments(rules);
    if ('unmatchedAt' in merged) throw new AclStartupError([`Unmatched parenthesis in acl selector starting at '${rules[merged.unmatchedAt]}'.`]);
    let user = store.users.get(name);
    if (user === undefined) {
      user = store.newUser(name);
      store.users.set(name, user);
    } else {
      user.apply('reset');
    }
    for (const rule of merged.merged) {
      const error = user.apply(rule);
      if (error !== undefined) {
        throw new AclStartupError([`Error loading ACL rule '${rule}' for the user named '${name}': ${ruleErrorMessage(error)}`, 'Critical error while loading ACLs. Exiting.']);
      }
    }
  }
  if (aclName !== '') {
    const read = readAclFile(store, aclPath, aclName);
    if ('errors' in read) throw new AclStartupError([`Aborting Redis startup because of ACL errors: ${read.errors}`]);
    installUsers(store, read.users);
  }
}
