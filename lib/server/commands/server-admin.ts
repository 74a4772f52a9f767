/**
 * Server administration (valkey src/commands/{info,config-*,dbsize,flush*,swapdb,time,slowlog-*,
 * memory-*,monitor,shutdown,debug}.json).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderInfo } from '../info';
import { persistenceOf } from '../persistence/manager';
import { serverOf, clientOf } from '../services';
import { repr } from '../util/repr';
import { integerArg, replyHelp } from './connection';
import { Errors, ReplyError, asKey, keyword, type AclCategory, type CommandContext, type CommandFlag, type CommandSpec } from './command';

// ---- INFO ----------------------------------------------------------------------------------

function info(ctx: CommandContext, args: Buffer[]): void {
  const sections = args.slice(1).map((a) => a.toString('latin1'));
  ctx.reply.verbatim(renderInfo(serverOf(ctx), sections));
}

// ---- CONFIG --------------------------------------------------------------------------------

function configGet(ctx: CommandContext, args: Buffer[]): void {
  const pairs = serverOf(ctx).conf.match(args.slice(2).map((a) => a.toString('latin1')));
  ctx.reply.mapHeader(pairs.length);
  for (const [name, value] of pairs) {
    ctx.reply.bulk(name);
    ctx.reply.bulk(value);
  }
}

function configSet(ctx: CommandContext, args: Buffer[]): void {
  if ((args.length - 2) % 2 !== 0) throw new ReplyError(Errors.syntax);
  const pairs: Array<[string, string]> = [];
  for (let i = 2; i < args.length; i += 2) pairs.push([args[i].toString('latin1'), args[i + 1].toString('latin1')]);
  const error = serverOf(ctx).conf.setMany(pairs);
  if (error !== undefined) throw new ReplyError(error);
  ctx.reply.ok();
}

function configRewrite(ctx: CommandContext): void {
  const server = serverOf(ctx);
  const file = server.conf.configFile;
  if (!file) throw new ReplyError('ERR The server is running without a config file');
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch (err) {
    throw new ReplyError(`ERR Rewriting config file: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Keep comments and layout; replace each known directive's line with its current value and
  // append the ones that are not in the file yet but differ from their defaults.
  const current = new Map(server.conf.entries());
  const defaults = new Map(server.conf.defaults());
  const written = new Set<string>();
  const out: string[] = [];
  for (const line of lines) {
    const m = /^\s*([A-Za-z0-9-]+)\s/.exec(`${line} `);
    const name = m && !line.trim().startsWith('#') ? m[1].toLowerCase() : undefined;
    if (name !== undefined && current.has(name)) {
      if (written.has(name)) continue;
      written.add(name);
      out.push(directiveLine(name, current.get(name) as string));
    } else {
      out.push(line);
    }
  }
  for (const [name, value] of current) {
    if (written.has(name) || defaults.get(name) === value || name === 'dir') continue;
    out.push(directiveLine(name, value));
  }
  try {
    writeFileSync(file, out.join('\n'));
  } catch (err) {
    throw new ReplyError(`ERR Rewriting config file: ${err instanceof Error ? err.message : String(err)}`);
  }
  ctx.reply.ok();
}

function directiveLine(name: string, value: string): string {
  if (name === 'save' && value === '') return 'save ""';
  if (name === 'save' || name === 'client-output-buffer-limit') return `${name} ${value}`;
  return `${name} ${value === '' || /[\s"']/.test(value) ? repr(value) : value}`;
}

const CONFIG_HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Prints this help.',
];

// ---- keyspace-wide -------------------------------------------------------------------------

function flushOption(args: Buffer[], from: number): void {
  if (args.length > from + 1) throw new ReplyError(Errors.syntax);
  if (args.length === from + 1) {
    const opt = keyword(args[from]);
    if (opt !== 'ASYNC' && opt !== 'SYNC') throw new ReplyError(Errors.syntax);
  }
}

function flushdb(ctx: CommandContext, args: Buffer[]): void {
  flushOption(args, 1);
  ctx.db.flush();
  ctx.reply.ok();
}

function flushall(ctx: CommandContext, args: Buffer[]): void {
  flushOption(args, 1);
  for (const db of serverOf(ctx).keyspace.databases) db.flush();
  ctx.reply.ok();
}

function swapdb(ctx: CommandContext, args: Buffer[]): void {
  const server = serverOf(ctx);
  const a = integerArg(args[1], 'ERR invalid first DB index');
  const b = integerArg(args[2], 'ERR invalid second DB index');
  const count = server.keyspace.count;
  if (a < 0 || a >= count || b < 0 || b >= count) throw new ReplyError(Errors.dbIndexOutOfRange);
  if (a !== b) {
    const dbA = server.keyspace.databases[a];
    const dbB = server.keyspace.databases[b];
    server.keyspace.touchAllWatchedKeysInDb(dbA, dbB);
    server.keyspace.touchAllWatchedKeysInDb(dbB, dbA);
    dbA.swapWith(dbB);
    server.blocking.databasesSwapped(dbA, dbB);
  }
  ctx.reply.ok();
}

function time(ctx: CommandContext): void {
  const micros = BigInt(Date.now()) * 1000n + BigInt(Math.floor((performance.now() * 1000) % 1000));
  ctx.reply.arrayHeader(2);
  ctx.reply.bulk((micros / 1000000n).toString());
  ctx.reply.bulk((micros % 1000000n).toString());
}

// ---- SLOWLOG -------------------------------------------------------------------------------

function slowlogGet(ctx: CommandContext, args: Buffer[]): void {
  let count = 10;
  if (args.length === 3) {
    const text = args[2].toString('latin1');
    count = /^-?\d+$/.test(text) ? Number(text) : NaN;
    if (!(count >= -1)) throw new ReplyError('ERR count should be greater than or equal to -1');
  }
  const entries = serverOf(ctx).slowlog.get(count);
  const r = ctx.reply;
  r.arrayHeader(entries.length);
  for (const e of entries) {
    r.arrayHeader(6);
    r.integer(e.id);
    r.integer(e.time);
    r.integer(e.durationMicros);
    r.arrayHeader(e.args.length);
    for (const a of e.args) r.bulk(a);
    r.bulk(e.peer);
    r.bulk(e.clientName);
  }
}

const SLOWLOG_HELP = [
  'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
  'HELP',
  '    Prints this help.',
];

// ---- MEMORY --------------------------------------------------------------------------------

function memoryUsage(ctx: CommandContext, args: Buffer[]): void {
  if (args.length === 5) {
    if (keyword(args[3]) !== 'SAMPLES') throw new ReplyError(Errors.syntax);
    integerArg(args[4]);
  } else if (args.length !== 3) {
    throw new ReplyError(Errors.syntax);
  }
  const key = asKey(args[2]);
  if (ctx.db.get(key, false) === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  ctx.reply.integer(ctx.db.keyBytes(key) ?? 0);
}

function memoryStats(ctx: CommandContext): void {
  const server = serverOf(ctx);
  const used = server.usedMemory();
  const dataset = server.datasetMemory();
  const r = ctx.reply;
  const fields: Array<[string, number]> = [
    ['peak.allocated', Math.max(server.peakMemory, used)],
    ['total.allocated', used],
    ['startup.allocated', used - dataset],
    ['replication.backlog', 0],
    ['clients.slaves', 0],
    ['clients.normal', 0],
    ['cluster.links', 0],
    ['aof.buffer', 0],
    ['lua.caches', 0],
    ['functions.caches', 0],
    ['overhead.total', used - dataset],
    ['keys.count', server.keyspace.databases.reduce((n, db) => n + db.size, 0)],
    ['dataset.bytes', dataset],
  ];
  r.mapHeader(fields.length);
  for (const [k, v] of fields) {
    r.bulk(k);
    r.integer(v);
  }
}

const MEMORY_HELP = [
  'MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
  'HELP',
  '    Prints this help.',
];

// ---- MONITOR / SHUTDOWN / DEBUG ------------------------------------------------------------

function monitor(ctx: CommandContext): void {
  const client = clientOf(ctx);
  if (client.monitor) return;
  client.monitor = true;
  serverOf(ctx).monitors.add(client);
  ctx.reply.ok();
}

function shutdown(ctx: CommandContext, args: Buffer[]): void {
  let abort = false;
  let save = false;
  let nosave = false;
  let force = false;
  for (let i = 1; i < args.length; i++) {
    const opt = keyword(args[i]);
    if (opt === 'ABORT') abort = true;
    else if (opt === 'SAVE') save = true;
    else if (opt === 'NOSAVE') nosave = true;
    else if (opt === 'FORCE') force = true;
    else if (opt !== 'NOW') throw new ReplyError(Errors.syntax);
  }
  if (abort) {
    if (args.length !== 2) throw new ReplyError(Errors.syntax);
    throw new ReplyError('ERR No shutdown in progress.');
  }
  if (save && nosave) throw new ReplyError(Errors.syntax);
  // SAVE saves, NOSAVE does not, neither saves when `save` points are configured; a failed save
  // keeps the server up unless FORCE. Like Redis, no reply on success.
  const server = serverOf(ctx);
  if (!persistenceOf(server).saveForShutdown(save ? 'save' : nosave ? 'nosave' : 'default') && !force) {
    throw new ReplyError('ERR Errors trying to SHUTDOWN. Check logs.');
  }
  server.shutdown();
}

function debugAllowed(ctx: CommandContext): void {
  const setting = serverOf(ctx).conf.get('enable-debug-command');
  const client = clientOf(ctx);
  const local = client.addr.startsWith('127.') || client.addr.startsWith('::1') || client.addr.startsWith('[::1]');
  if (setting === 'yes' || (setting === 'local' && local)) return;
  throw new ReplyError(
    'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
  );
}

function debug(ctx: CommandContext, args: Buffer[]): void {
  debugAllowed(ctx);
  const sub = keyword(args[1]);
  if (sub === 'SLEEP' && args.length === 3) {
    const seconds = Number(args[2].toString('latin1'));
    if (Number.isFinite(seconds) && seconds > 0) {
      // DEBUG SLEEP blocks the whole server, as in Redis.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
    }
    ctx.reply.ok();
  } else if (sub === 'OBJECT' && args.length === 3) {
    const key = asKey(args[2]);
    const value = ctx.db.get(key, false);
    if (value === undefined) throw new ReplyError(Errors.noSuchKey);
    const encoding = typeof value === 'string' ? (/^-?\d{1,19}$/.test(value) ? 'int' : value.length <= 44 ? 'embstr' : 'raw') : value.encoding();
    const idle = ctx.db.idleSeconds(key) ?? 0;
    const size = ctx.db.keyBytes(key) ?? 0;
    ctx.reply.simple(`Value at:0x0 refcount:1 encoding:${encoding} serializedlength:${size} lru:0 lru_seconds_idle:${idle}`);
  } else if (sub === 'SET-ACTIVE-EXPIRE' && args.length === 3) {
    serverOf(ctx).activeExpireEnabled = args[2].toString('latin1') !== '0';
    ctx.reply.ok();
  } else if (sub === 'HELP') {
    replyHelp(ctx, [
      'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
      'OBJECT <key>',
      '    Show low level info about the key and associated value.',
      'SET-ACTIVE-EXPIRE <0|1>',
      '    Setting it to 0 disables expiring keys in background when they are not accessed.',
      'SLEEP <seconds>',
      '    Stop the server for <seconds>. Decimals allowed.',
    ]);
  } else {
    throw new ReplyError(`ERR unknown subcommand '${args[1].toString('latin1')}'. Try DEBUG HELP.`);
  }
}

// ---- table ---------------------------------------------------------------------------------

interface Options {
  flags?: CommandFlag[];
  acl?: AclCategory[];
  complexity?: string;
  since?: string;
  firstKey?: number;
  lastKey?: number;
  keyStep?: number;
  subcommands?: CommandSpec[];
}

function spec(name: string, arity: number, summary: string, handler: CommandSpec['handler'], o: Options = {}): CommandSpec {
  return {
    name,
    arity,
    flags: o.flags ?? [],
    firstKey: o.firstKey ?? 0,
    lastKey: o.lastKey ?? 0,
    keyStep: o.keyStep ?? 0,
    acl: o.acl ?? ['slow'],
    group: 'server',
    summary,
    since: o.since ?? '1.0.0',
    complexity: o.complexity ?? 'O(1)',
    subcommands: o.subcommands,
    handler,
  };
}

const ADMIN_FLAGS: CommandFlag[] = ['admin', 'noscript', 'loading', 'stale'];
const ADMIN_ACL: AclCategory[] = ['admin', 'slow', 'dangerous'];
const container = (): void => undefined;

export const serverCommands: CommandSpec[] = [
  spec('info', -1, 'Returns information and statistics about the server.', info, {
    flags: ['loading', 'stale'],
    acl: ['slow', 'dangerous'],
    complexity: 'O(1)',
  }),
  spec('config', -2, 'A container for server configuration commands.', container, {
    since: '2.0.0',
    complexity: 'Depends on subcommand.',
    subcommands: [
      spec('get', -3, 'Returns the effective values of configuration parameters.', configGet, {
        flags: ['admin', 'noscript', 'loading', 'stale'],
        acl: ADMIN_ACL,
        since: '2.0.0',
        complexity: 'O(N) when N is the number of configuration parameters provided',
      }),
      spec('set', -4, 'Sets configuration parameters in-flight.', configSet, {
        flags: ['admin', 'noscript', 'loading', 'stale'],
        acl: ADMIN_ACL,
        since: '2.0.0',
        complexity: 'O(N) when N is the number of configuration parameters provided',
      }),
      spec(
        'resetstat',
        2,
        'Resets the server\'s statistics.',
        (ctx) => {
          const server = serverOf(ctx);
          server.resetStats();
          server.slowlog.reset();
          ctx.reply.ok();
        },
        { flags: ['admin', 'noscript', 'loading', 'stale'], acl: ADMIN_ACL, since: '2.0.0' },
      ),
      spec('rewrite', 2, 'Persists the effective configuration to file.', configRewrite, {
        flags: ['admin', 'noscript', 'loading', 'stale'],
        acl: ADMIN_ACL,
        since: '2.8.0',
      }),
      spec('help', 2, 'Returns helpful text about the different subcommands.', (ctx) => replyHelp(ctx, CONFIG_HELP), {
        flags: ['loading', 'stale'],
        since: '5.0.0',
      }),
    ],
  }),
  spec('dbsize', 1, 'Returns the number of keys in the database.', (ctx) => ctx.reply.integer(ctx.db.size), {
    flags: ['readonly', 'fast'],
    acl: ['keyspace', 'read', 'fast'],
  }),
  spec('flushdb', -1, 'Remove all keys from the current database.', flushdb, {
    flags: ['write'],
    acl: ['keyspace', 'write', 'slow', 'dangerous'],
    complexity: 'O(N) where N is the number of keys in the selected database',
  }),
  spec('flushall', -1, 'Removes all keys from all databases.', flushall, {
    flags: ['write'],
    acl: ['keyspace', 'write', 'slow', 'dangerous'],
    complexity: 'O(N) where N is the total number of keys in all databases',
  }),
  spec('swapdb', 3, 'Swaps two Redis databases.', swapdb, {
    flags: ['write', 'fast'],
    acl: ['keyspace', 'write', 'fast', 'dangerous'],
    since: '4.0.0',
    complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
  }),
  spec('time', 1, 'Returns the server time.', time, { flags: ['loading', 'stale', 'fast'], acl: ['fast'], since: '2.6.0' }),
  spec(
    'role',
    1,
    'Returns the replication role.',
    (ctx) => {
      ctx.reply.arrayHeader(3);
      ctx.reply.bulk('master');
      ctx.reply.integer(0);
      ctx.reply.arrayHeader(0);
    },
    { flags: ['noscript', 'loading', 'stale', 'fast'], acl: ['admin', 'fast', 'dangerous'], since: '2.8.12' },
  ),
  spec('slowlog', -2, 'A container for slow log commands.', container, {
    since: '2.2.12',
    complexity: 'Depends on subcommand.',
    subcommands: [
      spec('get', -2, "Returns the slow log's entries.", slowlogGet, {
        flags: ADMIN_FLAGS,
        acl: ADMIN_ACL,
        since: '2.2.12',
        complexity: 'O(N) where N is the number of entries returned',
      }),
      spec('len', 2, 'Returns the number of entries in the slow log.', (ctx) => ctx.reply.integer(serverOf(ctx).slowlog.length), {
        flags: ADMIN_FLAGS,
        acl: ADMIN_ACL,
        since: '2.2.12',
      }),
      spec(
        'reset',
        2,
        'Clears all entries from the slow log.',
        (ctx) => {
          serverOf(ctx).slowlog.reset();
          ctx.reply.ok();
        },
        { flags: ADMIN_FLAGS, acl: ADMIN_ACL, since: '2.2.12', complexity: 'O(N) where N is the number of entries in the slowlog' },
      ),
      spec('help', 2, 'Show helpful text about the different subcommands', (ctx) => replyHelp(ctx, SLOWLOG_HELP), {
        flags: ['loading', 'stale'],
        since: '6.2.0',
      }),
    ],
  }),
  spec('memory', -2, 'A container for memory diagnostics commands.', container, {
    since: '4.0.0',
    complexity: 'Depends on subcommand.',
    subcommands: [
      spec('usage', -3, 'Estimates the memory usage of a key.', memoryUsage, {
        flags: ['readonly'],
        acl: ['read', 'slow'],
        firstKey: 2,
        lastKey: 2,
        keyStep: 1,
        since: '4.0.0',
        complexity: 'O(N) where N is the number of samples.',
      }),
      spec(
        'doctor',
        2,
        'Outputs a memory problems report.',
        (ctx) => {
          const used = serverOf(ctx).usedMemory();
          ctx.reply.verbatim(
            used < 5 * 1024 * 1024
              ? "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting."
              : "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.",
          );
        },
        { since: '4.0.0' },
      ),
      spec('stats', 2, 'Returns details about memory usage.', memoryStats, { since: '4.0.0' }),
      spec('malloc-stats', 2, 'Returns the allocator statistics.', (ctx) => ctx.reply.verbatim('Stats not supported for the current allocator'), {
        since: '4.0.0',
      }),
      spec('purge', 2, 'Asks the allocator to release memory.', (ctx) => ctx.reply.ok(), { since: '4.0.0' }),
      spec('help', 2, 'Returns helpful text about the different subcommands.', (ctx) => replyHelp(ctx, MEMORY_HELP), {
        flags: ['loading', 'stale'],
        since: '4.0.0',
      }),
    ],
  }),
  spec('monitor', 1, 'Listens for all requests received by the server in real-time.', monitor, {
    flags: ['admin', 'noscript', 'loading', 'stale'],
    acl: ADMIN_ACL,
  }),
  spec('shutdown', -1, 'Synchronously saves the database(s) to disk and shuts down the Redis server.', shutdown, {
    flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'],
    acl: ADMIN_ACL,
    complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
  }),
  spec('debug', -2, 'A container for debugging commands.', debug, {
    flags: ['admin', 'noscript', 'loading', 'stale'],
    acl: ADMIN_ACL,
    complexity: 'Depends on subcommand.',
  }),
];
