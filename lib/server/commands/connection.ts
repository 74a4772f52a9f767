/**
 * Connection commands (valkey src/commands/{ping,echo,select,quit,reset,hello,auth,client-*}.json):
 * PING, ECHO, SELECT, QUIT, RESET, HELLO, AUTH and the CLIENT container.
 */
import { logAuthFailure } from '../acl/enforce';
import type { Client } from '../client';
import { SERVER_VERSION } from '../version';
import { clientOf, serverOf } from '../services';
import { Errors, ReplyError, keyword, type AclCategory, type CommandContext, type CommandFlag, type CommandSpec } from './command';

const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';

// ---- PING / ECHO / SELECT / QUIT / RESET ---------------------------------------------------

function ping(ctx: CommandContext, args: Buffer[]): void {
  if (args.length > 2) throw new ReplyError(Errors.wrongArity('ping'));
  const r = ctx.reply;
  if (ctx.client.subscriptionCount > 0 && ctx.client.resp === 2) {
    // In RESP2 subscribed mode PING answers in the message shape, as Redis does.
    r.arrayHeader(2);
    r.bulk('pong');
    r.bulk(args.length === 2 ? args[1] : '');
    return;
  }
  if (args.length === 2) r.bulk(args[1]);
  else r.pong();
}

/** Parses an integer argument as Redis's string2ll, or throws the given error. */
export function integerArg(arg: Buffer, error: string = Errors.notInteger): number {
  const text = arg.toString('latin1');
  if (!/^-?(0|[1-9]\d{0,18})$/.test(text)) throw new ReplyError(error);
  const n = Number(text);
  if (n > 9223372036854775807 || n < -9223372036854775808) throw new ReplyError(error);
  return n;
}

function select(ctx: CommandContext, args: Buffer[]): void {
  const index = integerArg(args[1]);
  if (index < 0 || index >= ctx.server.databaseCount) throw new ReplyError(Errors.dbIndexOutOfRange);
  ctx.client.dbIndex = index;
  ctx.reply.ok();
}

function quit(ctx: CommandContext): void {
  ctx.reply.ok();
  clientOf(ctx).closeAfterReply = true;
}

/** Puts a connection back in its just-connected state (RESET, as resetCommand/clearClientConnectionState). */
export function resetClient(ctx: CommandContext): void {
  const client = clientOf(ctx);
  const server = serverOf(ctx);
  client.multiQueue = undefined;
  client.multiError = false;
  server.keyspace.unwatchAll(client);
  server.pubsub.removeClient(client);
  if (client.monitor) {
    client.monitor = false;
    server.monitors.delete(client);
  }
  client.dbIndex = 0;
  client.reply.resp = 2;
  client.name = '';
  client.replyMode = 'on';
  client.skipNextReply = false;
  client.noEvict = false;
  client.noTouch = false;
  // clientSetDefaultAuth: back to the default user, authenticated only if it needs no password.
  client.user = server.acl.defaultUser;
  client.authenticated = !server.requiresPassword();
  ctx.reply.simple('RESET');
}

// ---- AUTH / HELLO --------------------------------------------------------------------------

/** ACLAuthenticateUser: on success the connection runs as that user; a failure goes to ACL LOG. */
function authenticate(ctx: CommandContext, commandName: Buffer, username: string, password: string): boolean {
  const server = serverOf(ctx);
  const client = clientOf(ctx);
  const user = server.acl.authenticate(username, password);
  if (user === undefined) {
    logAuthFailure(server.acl, client, commandName.toString('latin1'), username, server.acllogMaxLen);
    return false;
  }
  client.user = user;
  client.authenticated = true;
  return true;
}

function auth(ctx: CommandContext, args: Buffer[]): void {
  if (args.length > 3) throw new ReplyError(Errors.syntax);
  let username = 'default';
  let password: string;
  if (args.length === 2) {
    if (serverOf(ctx).acl.defaultUser.nopass) {
      throw new ReplyError(
        'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
      );
    }
    password = args[1].toString('latin1');
  } else {
    username = args[1].toString('latin1');
    password = args[2].toString('latin1');
  }
  if (!authenticate(ctx, args[0], username, password)) throw new ReplyError(WRONGPASS);
  ctx.reply.ok();
}

/** Redis's validateClientName: printable ASCII without spaces. */
function validName(name: Buffer): boolean {
  for (const c of name) if (c < 33 || c > 126) return false;
  return true;
}

function hello(ctx: CommandContext, args: Buffer[]): void {
  const client = clientOf(ctx);
  let version: number = client.resp;
  if (args.length >= 2) {
    version = integerArg(args[1], 'ERR Protocol version is not an integer or out of range');
    if (version < 2 || version > 3) throw new ReplyError('NOPROTO unsupported protocol version');
  }
  let user: string | undefined;
  let pass: string | undefined;
  let name: Buffer | undefined;
  for (let j = 2; j < args.length; j++) {
    const more = args.length - j - 1;
    const opt = keyword(args[j]);
    if (opt === 'AUTH' && more >= 2) {
      user = args[j + 1].toString('latin1');
      pass = args[j + 2].toString('latin1');
      j += 2;
    } else if (opt === 'SETNAME' && more >= 1) {
      name = args[j + 1];
      if (!validName(name)) throw new ReplyError('ERR Client names cannot contain spaces, newlines or special characters.');
      j++;
    } else {
      throw new ReplyError(`ERR Syntax error in HELLO option '${args[j].toString('latin1')}'`);
    }
  }
  if (user !== undefined && pass !== undefined) {
    if (!authenticate(ctx, args[0], user, pass)) throw new ReplyError(WRONGPASS);
  }
  if (user === undefined && !client.authenticated) {
    throw new ReplyError(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
  }
  if (name !== undefined) client.name = name.toString('latin1');
  client.reply.resp = version as 2 | 3;
  const r = ctx.reply;
  r.mapHeader(7);
  r.bulk('server');
  r.bulk('redis');
  r.bulk('version');
  r.bulk(SERVER_VERSION);
  r.bulk('proto');
  r.integer(version);
  r.bulk('id');
  r.integer(client.id);
  r.bulk('mode');
  r.bulk('standalone');
  r.bulk('role');
  r.bulk('master');
  r.bulk('modules');
  r.arrayHeader(0);
}

// ---- CLIENT --------------------------------------------------------------------------------

/** One CLIENT LIST line, as getClientInfoString (Redis 7.2 fields). */
export function clientInfoLine(client: Client, now: number): string {
  const qbuf = client.parser.pendingBytes;
  const omem = client.unsentOutput();
  const multi = client.multiQueue ? client.multiQueue.length : -1;
  return (
    `id=${client.id} addr=${client.addr} laddr=${client.laddr} fd=${client.id + 7} name=${client.name} ` +
    `age=${Math.floor((now - client.createdAt) / 1000)} idle=${Math.floor((now - client.lastInteraction) / 1000)} ` +
    `flags=${client.flagString()} db=${client.dbIndex} sub=${client.channels.size} psub=${client.patterns.size} ` +
    `ssub=${client.shardChannels.size} multi=${multi} qbuf=${qbuf} qbuf-free=0 argv-mem=0 multi-mem=0 ` +
    `rbs=16384 rbp=0 obl=${client.reply.pending} oll=0 omem=${omem} tot-mem=${16384 + qbuf + omem} ` +
    `events=r cmd=${client.lastCommand} user=${client.user.name} redir=-1 resp=${client.resp} lib-name=${client.libName} lib-ver=${client.libVer}`
  );
}

function clientType(client: Client): 'normal' | 'pubsub' {
  return client.subscriptionCount > 0 ? 'pubsub' : 'normal';
}

function parseClientType(arg: Buffer): string {
  const t = arg.toString('latin1').toLowerCase();
  if (t === 'normal' || t === 'pubsub' || t === 'master' || t === 'replica' || t === 'slave') return t === 'slave' ? 'replica' : t;
  throw new ReplyError(`ERR Unknown client type '${arg.toString('latin1')}'`);
}

function clientList(ctx: CommandContext, args: Buffer[]): void {
  const server = serverOf(ctx);
  let clients = Array.from(server.clients.values());
  if (args.length === 4 && keyword(args[2]) === 'TYPE') {
    const type = parseClientType(args[3]);
    clients = clients.filter((c) => clientType(c) === type);
  } else if (args.length > 3 && keyword(args[2]) === 'ID') {
    const ids = new Set<number>();
    for (let i = 3; i < args.length; i++) {
      const text = args[i].toString('latin1');
      if (!/^[1-9]\d*$/.test(text)) throw new ReplyError('ERR Invalid client ID');
      ids.add(Number(text));
    }
    clients = clients.filter((c) => ids.has(c.id));
  } else if (args.length !== 2) {
    throw new ReplyError(Errors.syntax);
  }
  const now = Date.now();
  let text = '';
  for (const c of clients) text += `${clientInfoLine(c, now)}\n`;
  ctx.reply.verbatim(text);
}

function clientKill(ctx: CommandContext, args: Buffer[]): void {
  const server = serverOf(ctx);
  const me = clientOf(ctx);
  if (args.length === 3) {
    // Old form: CLIENT KILL addr:port.
    const addr = args[2].toString('latin1');
    for (const c of server.clients.values()) {
      if (c.addr === addr) {
        ctx.reply.ok();
        killLater(ctx, c, me);
        return;
      }
    }
    throw new ReplyError('ERR No such client');
  }
  let id: number | undefined;
  let type: string | undefined;
  let addr: string | undefined;
  let laddr: string | undefined;
  let user: string | undefined;
  let maxAge: number | undefined;
  let skipMe = true;
  for (let i = 2; i < args.length; i += 2) {
    if (i + 1 >= args.length) throw new ReplyError(Errors.syntax);
    const opt = keyword(args[i]);
    const value = args[i + 1];
    if (opt === 'ID') {
      const text = value.toString('latin1');
      if (!/^[1-9]\d*$/.test(text)) throw new ReplyError('ERR client-id should be greater than 0');
      id = Number(text);
    } else if (opt === 'TYPE') {
      type = parseClientType(value);
    } else if (opt === 'ADDR') {
      addr = value.toString('latin1');
    } else if (opt === 'LADDR') {
      laddr = value.toString('latin1');
    } else if (opt === 'USER') {
      user = value.toString('latin1');
    } else if (opt === 'MAXAGE') {
      maxAge = integerArg(value);
    } else if (opt === 'SKIPME') {
      const v = keyword(value);
      if (v === 'YES') skipMe = true;
      else if (v === 'NO') skipMe = false;
      else throw new ReplyError(Errors.syntax);
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  const userFilter = user === undefined ? undefined : server.acl.users.get(user);
  if (user !== undefined && userFilter === undefined) throw new ReplyError(`ERR No such user '${user}'`);
  const now = Date.now();
  let killed = 0;
  for (const c of Array.from(server.clients.values())) {
    if (id !== undefined && c.id !== id) continue;
    if (type !== undefined && clientType(c) !== type) continue;
    if (addr !== undefined && c.addr !== addr) continue;
    if (laddr !== undefined && c.laddr !== laddr) continue;
    if (userFilter !== undefined && c.user !== userFilter) continue;
    if (maxAge !== undefined && (now - c.createdAt) / 1000 < maxAge) continue;
    if (c === me && skipMe) continue;
    killed++;
    killLater(ctx, c, me);
  }
  ctx.reply.integer(killed);
}

/** Kills a client; killing oneself waits until this reply is written, as CLIENT_CLOSE_AFTER_REPLY. */
function killLater(ctx: CommandContext, victim: Client, me: Client): void {
  if (victim === me) me.closeAfterReply = true;
  else serverOf(ctx).killClient(victim);
}

function onOff(arg: Buffer): boolean {
  const v = keyword(arg);
  if (v === 'ON') return true;
  if (v === 'OFF') return false;
  throw new ReplyError(Errors.syntax);
}

function clientReply(ctx: CommandContext, args: Buffer[]): void {
  const client = clientOf(ctx);
  const mode = keyword(args[2]);
  if (mode === 'ON') {
    client.replyMode = 'on';
    ctx.reply.ok();
  } else if (mode === 'OFF') {
    client.replyMode = 'off';
  } else if (mode === 'SKIP') {
    if (client.replyMode === 'on') client.skipNextReply = true;
  } else {
    throw new ReplyError(Errors.syntax);
  }
}

function clientPause(ctx: CommandContext, args: Buffer[]): void {
  const text = args[2].toString('latin1');
  if (!/^-?\d+$/.test(text)) throw new ReplyError('ERR timeout is not an integer or out of range');
  const ms = Number(text);
  if (ms < 0) throw new ReplyError('ERR timeout is negative');
  let mode: 'all' | 'write' = 'all';
  if (args.length === 4) {
    const m = keyword(args[3]);
    if (m === 'WRITE') mode = 'write';
    else if (m !== 'ALL') throw new ReplyError(Errors.syntax);
  } else if (args.length > 4) {
    throw new ReplyError(Errors.syntax);
  }
  serverOf(ctx).pause(ms, mode);
  ctx.reply.ok();
}

function clientSetinfo(ctx: CommandContext, args: Buffer[]): void {
  const client = clientOf(ctx);
  const attr = args[2].toString('latin1').toLowerCase();
  const value = args[3];
  if (attr !== 'lib-name' && attr !== 'lib-ver') throw new ReplyError(`ERR Unrecognized option '${args[2].toString('latin1')}'`);
  if (!validName(value)) throw new ReplyError(`ERR ${attr} cannot contain spaces, newlines or special characters.`);
  if (attr === 'lib-name') client.libName = value.toString('latin1');
  else client.libVer = value.toString('latin1');
  ctx.reply.ok();
}

const CLIENT_HELP = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  '    * ID <client-id>',
  '      Kill connections by client id.',
  '    * MAXAGE <maxage>',
  '      Kill connections older than the specified age.',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'SETINFO <option> <value>',
  '    Set client meta attr. Options are:',
  '    * LIB-NAME: the client lib name.',
  '    * LIB-VER: the client lib version.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'NO-TOUCH (ON|OFF)',
  '    Will not touch LRU/LFU stats when this mode is on.',
  'HELP',
  '    Prints this help.',
];

/** Replies with a help text as Redis's addReplyHelp: an array of status lines. */
export function replyHelp(ctx: CommandContext, lines: readonly string[]): void {
  ctx.reply.arrayHeader(lines.length);
  for (const line of lines) ctx.reply.simple(line);
}

interface SubOptions {
  flags?: CommandFlag[];
  acl?: AclCategory[];
  complexity?: string;
  since?: string;
}

function sub(name: string, arity: number, summary: string, handler: CommandSpec['handler'], options: SubOptions = {}): CommandSpec {
  return {
    name,
    arity,
    flags: options.flags ?? ['noscript', 'loading', 'stale'],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    acl: options.acl ?? ['slow', 'connection'],
    group: 'connection',
    summary,
    since: options.since ?? '2.4.0',
    complexity: options.complexity ?? 'O(1)',
    handler,
  };
}

const ADMIN: SubOptions = { flags: ['admin', 'noscript', 'loading', 'stale'], acl: ['admin', 'slow', 'dangerous', 'connection'] };

const clientSubcommands: CommandSpec[] = [
  sub('id', 2, 'Returns the unique client ID of the connection.', (ctx) => ctx.reply.integer(ctx.client.id), { since: '5.0.0' }),
  sub(
    'setname',
    3,
    'Sets the connection name.',
    (ctx, args) => {
      if (!validName(args[2])) throw new ReplyError('ERR Client names cannot contain spaces, newlines or special characters.');
      ctx.client.name = args[2].toString('latin1');
      ctx.reply.ok();
    },
    { since: '2.6.9' },
  ),
  sub(
    'getname',
    2,
    'Returns the name of the connection.',
    (ctx) => {
      if (ctx.client.name === '') ctx.reply.nullBulk();
      else ctx.reply.bulk(ctx.client.name);
    },
    { since: '2.6.9' },
  ),
  sub('list', -2, 'Lists open connections.', clientList, { ...ADMIN, complexity: 'O(N) where N is the number of client connections' }),
  sub('info', 2, 'Returns information about the connection.', (ctx) => ctx.reply.verbatim(`${clientInfoLine(clientOf(ctx), Date.now())}\n`), {
    since: '6.2.0',
  }),
  sub('kill', -3, 'Terminates open connections.', clientKill, { ...ADMIN, complexity: 'O(N) where N is the number of client connections' }),
  sub('setinfo', 4, 'Sets information specific to the client or connection.', clientSetinfo, { since: '7.2.0' }),
  sub(
    'no-evict',
    3,
    'Sets the client eviction mode of the connection.',
    (ctx, args) => {
      clientOf(ctx).noEvict = onOff(args[2]);
      ctx.reply.ok();
    },
    { ...ADMIN, since: '7.0.0' },
  ),
  sub(
    'no-touch',
    3,
    'Controls whether commands sent by the client affect the LRU/LFU of accessed keys.',
    (ctx, args) => {
      clientOf(ctx).noTouch = onOff(args[2]);
      ctx.reply.ok();
    },
    { since: '7.2.0' },
  ),
  sub('reply', 3, 'Instructs the server whether to reply to commands.', clientReply, { since: '3.2.0' }),
  sub('pause', -3, 'Suspends commands processing.', clientPause, { ...ADMIN, since: '3.0.0' }),
  sub(
    'unpause',
    2,
    'Resumes processing commands from paused clients.',
    (ctx) => {
      serverOf(ctx).unpause();
      ctx.reply.ok();
    },
    { ...ADMIN, since: '6.2.0', complexity: 'O(N) Where N is the number of paused clients' },
  ),
  sub('getredir', 2, 'Returns the client ID to which the connection\'s tracking notifications are redirected.', (ctx) => ctx.reply.integer(-1), {
    since: '6.0.0',
  }),
  sub(
    'unblock',
    -3,
    'Unblocks a client blocked by a blocking command from a different connection.',
    (ctx, args) => {
      const id = integerArg(args[2]);
      let withError = false;
      if (args.length === 4) {
        const how = keyword(args[3]);
        if (how !== 'TIMEOUT' && how !== 'ERROR') throw new ReplyError('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
        withError = how === 'ERROR';
      } else if (args.length > 4) {
        throw new ReplyError(Errors.syntax);
      }
      const server = serverOf(ctx);
      const target = server.clients.get(id);
      ctx.reply.integer(target !== undefined && server.blocking.unblockByRequest(target, withError) ? 1 : 0);
    },
    { ...ADMIN, since: '5.0.0', complexity: 'O(log N) where N is the number of client connections' },
  ),
  sub('help', 2, 'Returns helpful text about the different subcommands.', (ctx) => replyHelp(ctx, CLIENT_HELP), { since: '5.0.0' }),
];

const base = { firstKey: 0, lastKey: 0, keyStep: 0, group: 'connection' as const };

export const connectionCommands: CommandSpec[] = [
  {
    ...base,
    name: 'ping',
    arity: -1,
    flags: ['fast'],
    acl: ['fast', 'connection'],
    summary: "Returns the server's liveliness response.",
    since: '1.0.0',
    complexity: 'O(1)',
    handler: ping,
  },
  {
    ...base,
    name: 'echo',
    arity: 2,
    flags: ['fast'],
    acl: ['fast', 'connection'],
    summary: 'Returns the given string.',
    since: '1.0.0',
    complexity: 'O(1)',
    handler: (ctx, args) => ctx.reply.bulk(args[1]),
  },
  {
    ...base,
    name: 'select',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    acl: ['fast', 'connection'],
    summary: 'Changes the selected database.',
    since: '1.0.0',
    complexity: 'O(1)',
    handler: select,
  },
  {
    ...base,
    name: 'quit',
    arity: -1,
    flags: ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'],
    acl: ['fast', 'connection'],
    summary: 'Closes the connection.',
    since: '1.0.0',
    complexity: 'O(1)',
    handler: quit,
  },
  {
    ...base,
    name: 'reset',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    acl: ['fast', 'connection'],
    summary: 'Resets the connection.',
    since: '6.2.0',
    complexity: 'O(1)',
    handler: resetClient,
  },
  {
    ...base,
    name: 'auth',
    arity: -2,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    acl: ['fast', 'connection'],
    summary: 'Authenticates the connection.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of passwords defined for the user',
    handler: auth,
  },
  {
    ...base,
    name: 'hello',
    arity: -1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    acl: ['fast', 'connection'],
    summary: 'Handshakes with the Redis server.',
    since: '6.0.0',
    complexity: 'O(1)',
    handler: hello,
  },
  {
    ...base,
    name: 'client',
    arity: -2,
    flags: [],
    acl: ['slow'],
    summary: 'A container for client connection commands.',
    since: '2.4.0',
    complexity: 'Depends on subcommand.',
    subcommands: clientSubcommands,
    handler: () => undefined,
  },
];
