/**
 * ACL (valkey src/commands/acl-*.json): SETUSER, GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT,
 * LOG, GENPASS, DRYRUN, SAVE, LOAD, HELP. The users and rules live in lib/server/acl; this file
 * turns them into replies and applies what a change means for live connections.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { CATEGORY_ORDER, categoryByName } from '../acl/categories';
import { channelAllowed } from '../acl/selector';
import { installUsers, readAclFile, writeAclFile } from '../acl/file';
import { hasSpaces, mergeSelectorArguments, ruleErrorMessage } from '../acl/rule-errors';
import type { AclUser } from '../acl/user';
import type { Selector } from '../acl/selector';
import type { ServerCore } from '../server';
import { clientOf, serverOf } from '../services';
import { Errors, ReplyError, type CommandContext, type CommandSpec } from './command';
import { integerArg, replyHelp } from './connection';

const NO_ACL_FILE =
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';

/** Closes every connection authenticated as one of `users` (ACLFreeUserAndKillClients); one's own after this reply. */
export function killClientsOf(server: ServerCore, users: readonly AclUser[], me: unknown): void {
  const doomed = new Set(users);
  for (const client of Array.from(server.clients.values())) {
    if (!doomed.has(client.user)) continue;
    client.user = server.acl.defaultUser;
    client.authenticated = false;
    if (client === me) client.closeAfterReply = true;
    else server.killClient(client);
  }
}

/**
 * ACLKillPubsubClientsIfNeeded: when a user's new channel rules no longer cover a subscription
 * one of its connections holds, that connection is closed.
 */
function killRevokedSubscribers(server: ServerCore, updated: AclUser, original: AclUser, me: unknown): void {
  if (updated.selectors.some((s) => s.allChannels)) return;
  const upcoming = updated.selectors.flatMap((s) => s.channels);
  const before = original.selectors.flatMap((s) => s.channels);
  if (!original.selectors.some((s) => s.allChannels) && before.every((c) => upcoming.includes(c))) return;
  for (const client of Array.from(server.clients.values())) {
    if (client.user !== original || client.subscriptionCount === 0) continue;
    let kill = false;
    for (const p of client.patterns) if (!channelAllowed(upcoming, p, true)) kill = true;
    for (const c of client.channels) if (!channelAllowed(upcoming, c, false)) kill = true;
    for (const c of client.shardChannels) if (!channelAllowed(upcoming, c, false)) kill = true;
    if (!kill) continue;
    if (client === me) client.closeAfterReply = true;
    else server.killClient(client);
  }
}

function setuser(ctx: CommandContext, args: Buffer[]): void {
  const server = serverOf(ctx);
  const store = server.acl;
  const name = args[2].toString('latin1');
  if (hasSpaces(name)) throw new ReplyError("ERR Usernames can't contain spaces or null characters");
  const rules = args.slice(3).map((a) => a.toString('latin1'));
  const merged = mergeSelectorArguments(rules);
  if ('unmatchedAt' in merged) {
    throw new ReplyError(`ERR Unmatched parenthesis in acl selector starting at '${rules[merged.unmatchedAt]}'.`);
  }
  const existing = store.users.get(name);
  const temp = existing ? existing.clone() : store.newUser(name);
  for (const rule of merged.merged) {
    const error = temp.apply(rule);
    if (error !== undefined) throw new ReplyError(`ERR Error in ACL SETUSER modifier '${rule}': ${ruleErrorMessage(error)}`);
  }
  if (existing) {
    killRevokedSubscribers(server, temp, existing, clientOf(ctx));
    existing.copyFrom(temp);
  } else {
    store.users.set(name, temp);
  }
  ctx.reply.ok();
}

function deluser(ctx: CommandContext, args: Buffer[]): void {
  const server = serverOf(ctx);
  const names = args.slice(2).map((a) => a.toString('latin1'));
  if (names.includes('default')) throw new ReplyError("ERR The 'default' user cannot be removed");
  const removed: AclUser[] = [];
  for (const name of names) {
    const user = server.acl.users.get(name);
    if (user === undefined) continue;
    server.acl.users.delete(name);
    removed.push(user);
  }
  killClientsOf(server, removed, clientOf(ctx));
  ctx.reply.integer(removed.length);
}

function replySelector(ctx: CommandContext, s: Selector): void {
  const r = ctx.reply;
  r.bulk('commands');
  r.bulk(s.describeCommands());
  r.bulk('keys');
  r.bulk(s.describeKeys());
  r.bulk('channels');
  r.bulk(s.describeChannels());
}

function getuser(ctx: CommandContext, args: Buffer[]): void {
  const user = serverOf(ctx).acl.users.get(args[2].toString('latin1'));
  const r = ctx.reply;
  if (user === undefined) {
    r.nullBulk();
    return;
  }
  r.mapHeader(6);
  r.bulk('flags');
  const flags = user.flagNames();
  r.setHeader(flags.length);
  for (const f of flags) r.bulk(f);
  r.bulk('passwords');
  r.bulkArray(user.passwords);
  replySelector(ctx, user.root);
  r.bulk('selectors');
  r.arrayHeader(user.selectors.length - 1);
  for (const s of user.selectors.slice(1)) {
    r.mapHeader(3);
    replySelector(ctx, s);
  }
}

function list(ctx: CommandContext, names: boolean): void {
  const users = serverOf(ctx).acl.sortedUsers();
  ctx.reply.bulkArray(users.map((u) => (names ? u.name : `user ${u.name} ${u.describe()}`)));
}

function cat(ctx: CommandContext, args: Buffer[]): void {
  if (args.length === 2) {
    ctx.reply.bulkArray(CATEGORY_ORDER);
    return;
  }
  if (args.length > 3) throw new ReplyError(unknownSubcommand(args));
  const category = categoryByName(args[2].toString('latin1'));
  if (category === undefined) throw new ReplyError(`ERR Unknown category '${args[2].toString('latin1').slice(0, 128)}'`);
  const names: string[] = [];
  for (const cmd of serverOf(ctx).acl.table.all()) if (cmd.categories.has(category)) names.push(cmd.fullName);
  ctx.reply.bulkArray(names);
}

function genpass(ctx: CommandContext, args: Buffer[]): void {
  if (args.length > 3) throw new ReplyError(unknownSubcommand(args));
  const bits = args.length === 3 ? integerArg(args[2]) : 256;
  if (bits <= 0 || bits > 4096) {
    throw new ReplyError('ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096');
  }
  const chars = Math.floor((bits + 3) / 4);
  ctx.reply.bulk(randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
}

function log(ctx: CommandContext, args: Buffer[]): void {
  if (args.length > 3) throw new ReplyError(unknownSubcommand(args));
  const aclLog = serverOf(ctx).acl.log;
  let count = 10;
  if (args.length === 3) {
    if (args[2].toString('latin1').toLowerCase() === 'reset') {
      aclLog.reset();
      ctx.reply.ok();
      return;
    }
    count = Math.max(0, integerArg(args[2]));
  }
  const entries = aclLog.entries.slice(0, count);
  const now = Date.now();
  const r = ctx.reply;
  r.arrayHeader(entries.length);
  for (const e of entries) {
    r.mapHeader(7);
    r.bulk('count');
    r.integer(e.count);
    r.bulk('reason');
    r.bulk(e.reason);
    r.bulk('context');
    r.bulk(e.context);
    r.bulk('object');
    r.bulk(e.object);
    r.bulk('username');
    r.bulk(e.username);
    r.bulk('age-seconds');
    r.double((now - e.createdAt) / 1000);
    r.bulk('client-info');
    r.bulk(e.clientInfo);
  }
}

function dryrun(ctx: CommandContext, args: Buffer[]): void {
  const server = serverOf(ctx);
  const user = server.acl.users.get(args[2].toString('latin1'));
  if (user === undefined) throw new ReplyError(`ERR User '${args[2].toString('latin1')}' not found`);
  const line = args.slice(3);
  const entry = server.dispatcher.resolve(line);
  const cmd = entry ? server.acl.table.byName(entry.fullName) : undefined;
  if (entry === undefined || cmd === undefined) throw new ReplyError(`ERR Command '${args[3].toString('latin1')}' not found`);
  const arity = cmd.arity;
  if ((arity > 0 && arity !== line.length) || line.length < -arity) throw new ReplyError(Errors.wrongArity(cmd.fullName));
  const denied = server.acl.check(user, cmd, line);
  if (denied === undefined) ctx.reply.ok();
  else if (denied.denied === 'command') ctx.reply.bulk(`This user has no permissions to run the '${cmd.fullName}' command`);
  else ctx.reply.bulk(`This user has no permissions to access the '${line[denied.pos].toString('latin1')}' ${denied.denied}`);
}

/** The aclfile path, resolved against `dir` as redis-server (which chdirs there) does. */
export function aclFilePath(server: ServerCore): string {
  return path.resolve(server.conf.get('dir') as string, server.conf.get('aclfile') as string);
}

function load(ctx: CommandContext): void {
  const server = serverOf(ctx);
  const name = server.conf.get('aclfile') as string;
  if (name === '') throw new ReplyError(NO_ACL_FILE);
  const read = readAclFile(server.acl, aclFilePath(server), name);
  if ('errors' in read) throw new ReplyError(`ERR ${read.errors}`);
  killClientsOf(server, installUsers(server.acl, read.users), clientOf(ctx));
  ctx.reply.ok();
}

function save(ctx: CommandContext): void {
  const server = serverOf(ctx);
  if ((server.conf.get('aclfile') as string) === '') throw new ReplyError(NO_ACL_FILE);
  try {
    writeAclFile(server.acl, aclFilePath(server));
  } catch (err) {
    server.log('warning', `Writing ACL file for ACL SAVE: ${err instanceof Error ? err.message : String(err)}`);
    throw new ReplyError('ERR There was an error trying to save the ACLs. Please check the server logs for more information');
  }
  ctx.reply.ok();
}

function unknownSubcommand(args: Buffer[]): string {
  return `ERR unknown subcommand or wrong number of arguments for '${args[1].toString('latin1')}'. Try ACL HELP.`;
}

const ACL_HELP = [
  'ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
  'HELP',
  '    Prints this help.',
];

const ADMIN_FLAGS: CommandSpec['flags'] = ['admin', 'noscript', 'loading', 'stale'];
const ADMIN_ACL: CommandSpec['acl'] = ['admin', 'slow', 'dangerous'];

function sub(name: string, arity: number, admin: boolean, summary: string, complexity: string, handler: CommandSpec['handler'], since = '6.0.0'): CommandSpec {
  return {
    name,
    arity,
    flags: admin ? ADMIN_FLAGS : name === 'help' ? ['loading', 'stale'] : ['noscript', 'loading', 'stale'],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    acl: admin ? ADMIN_ACL : ['slow'],
    group: 'server',
    summary,
    since,
    complexity,
    handler,
  };
}

const USERS_N = 'O(N). Where N is the number of configured users.';

export const aclCommands: CommandSpec[] = [
  {
    name: 'acl',
    arity: -2,
    flags: [],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    acl: ['slow'],
    group: 'server',
    summary: 'A container for Access List Control commands.',
    since: '6.0.0',
    complexity: 'Depends on subcommand.',
    handler: () => undefined,
    subcommands: [
      sub('help', 2, false, 'Returns helpful text about the different subcommands.', 'O(1)', (ctx) => replyHelp(ctx, ACL_HELP)),
      sub('load', 2, true, 'Reloads the rules from the configured ACL file.', USERS_N, load),
      sub('save', 2, true, 'Saves the effective ACL rules in the configured ACL file.', USERS_N, save),
      sub('getuser', 3, true, 'Lists the ACL rules of a user.', 'O(N). Where N is the number of password, command and pattern rules that the user has.', getuser),
      sub('dryrun', -4, true, 'Simulates the execution of a command by a user, without executing the command.', 'O(1).', dryrun, '7.0.0'),
      sub('log', -2, true, 'Lists recent security events generated due to ACL rules.', 'O(N) with N being the number of entries shown.', log),
      sub('deluser', -3, true, 'Deletes ACL users, and terminates their connections.', 'O(1) amortized time considering the typical user.', deluser),
      sub('cat', -2, false, 'Lists the ACL categories, or the commands inside a category.', 'O(1) since the categories and commands are a fixed set.', cat),
      sub('setuser', -3, true, 'Creates and modifies an ACL user and its rules.', 'O(N). Where N is the number of rules provided.', setuser),
      sub('list', 2, true, 'Dumps the effective rules in ACL file format.', USERS_N, (ctx) => list(ctx, false)),
      sub('users', 2, true, 'Lists all ACL users.', USERS_N, (ctx) => list(ctx, true)),
      sub('whoami', 2, false, 'Returns the authenticated username of the current connection.', 'O(1)', (ctx) => ctx.reply.bulk(clientOf(ctx).user.name)),
      sub('genpass', -2, false, 'Generates a pseudorandom, secure password that can be used to identify ACL users.', 'O(1)', genpass),
    ],
  },
];
