/**
 * The aclfile: `user <name> <rules…>` lines (ACL SAVE writes them, ACL LOAD and start-up read
 * them) and `user` directives from the config file. Loading is all or nothing: every line is
 * tried on a fresh set of users, and any error leaves the current users untouched.
 */
import * as fs from 'node:fs';
import type { AclStore } from './store';
import type { AclUser } from './user';
import { hasSpaces, mergeSelectorArguments, ruleErrorMessage } from './rule-errors';

/** The users a file describes, or the errors (in Redis's words, one string) that stop it loading. */
export function parseAclFile(store: AclStore, text: string, filename: string): { users: Map<string, AclUser> } | { errors: string } {
  const users = new Map<string, AclUser>();
  let errors = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    const lineNo = i + 1;
    if (line.length === 0) continue;
    // Split on single spaces as Redis's sdssplitlen: doubled spaces give empty rules, which do nothing.
    const argv = line.split(' ');
    if (argv[0] !== 'user' || argv.length < 2) {
      errors += `${filename}:${lineNo} should start with user keyword followed by the username. `;
      continue;
    }
    const name = argv[1];
    if (hasSpaces(name)) {
      errors += `'${filename}:${lineNo}: username '${name}' contains invalid characters. `;
      continue;
    }
    if (users.has(name)) {
      errors += `WARNING: Duplicate user '${name}' found on line ${lineNo}. `;
      continue;
    }
    const user = store.newUser(name);
    users.set(name, user);
    const merged = mergeSelectorArguments(argv.slice(2));
    if ('unmatchedAt' in merged) {
      errors += `${filename}:${lineNo}: Unmatched parenthesis in selector definition.`;
      continue;
    }
    for (const rule of merged.merged) {
      const error = user.apply(rule.replace(/^[\t\r\n]+|[\t\r\n]+$/g, ''));
      if (error === undefined) continue;
      // An unknown command is named (it cannot be a secret); other errors are not, as a password might be.
      if (error === 'unknown-name') errors += `${filename}:${lineNo}: Error in applying operation '${rule}': ${ruleErrorMessage(error)}. `;
      else errors += `${filename}:${lineNo}: ${ruleErrorMessage(error)}. `;
    }
  }
  if (errors.length > 0) return { errors: `${errors}WARNING: ACL errors detected, no change to the previously active ACL rules was performed` };
  return { users };
}

/** Reads and parses the file; an unreadable file is an error in Redis's words. */
export function readAclFile(store: AclStore, filename: string, shownName: string): { users: Map<string, AclUser> } | { errors: string } {
  let text: string;
  try {
    text = fs.readFileSync(filename, 'latin1');
  } catch (err) {
    return { errors: `Error loading ACLs, opening file '${shownName}': ${describeIoError(err)}` };
  }
  return parseAclFile(store, text, shownName);
}

/**
 * Makes `users` the store's users. The default user keeps its identity (connections point at it)
 * and takes the file's rules, or the built-in defaults when the file has no default user.
 * Returns the users that were replaced, whose connections must be closed.
 */
export function installUsers(store: AclStore, users: Map<string, AclUser>): AclUser[] {
  const replaced = Array.from(store.users.values()).filter((u) => u !== store.defaultUser);
  store.defaultUser.copyFrom(users.get('default') ?? store.createDefault());
  store.users.clear();
  store.users.set('default', store.defaultUser);
  for (const [name, user] of users) if (name !== 'default') store.users.set(name, user);
  return replaced;
}

/** The file's text: one `user` line per user, in name order (ACLSaveToFile). */
export function aclFileText(store: AclStore): string {
  let text = '';
  for (const user of store.sortedUsers()) text += `user ${user.name} ${user.describe()}\n`;
  return text;
}

/** Writes the file through a temp file and a rename, so a crash leaves the old or the new file whole. */
export function writeAclFile(store: AclStore, filename: string): void {
  const temp = `${filename}.tmp-${process.pid}-${Date.now()}`;
  try {
    const fd = fs.openSync(temp, 'w', 0o644);
    try {
      fs.writeSync(fd, Buffer.from(aclFileText(store), 'latin1'));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, filename);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

/** strerror()'s words for the common cases, so messages read as Redis's. */
export function describeIoError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  return err instanceof Error ? err.message : String(err);
}
