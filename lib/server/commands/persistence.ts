/**
 * Persistence commands (valkey src/rdb.c saveCommand/bgsaveCommand, src/cluster.c dump/restore):
 * SAVE, BGSAVE [SCHEDULE], LASTSAVE, DUMP and RESTORE. The work lives in lib/server/persistence.
 */
import { kindOf, type StoredValue } from '../keyspace/database';
import { decodeDumpPayload, DumpPayloadError } from '../persistence/load';
import { encodeDumpPayload } from '../persistence/dump';
import { persistenceOf } from '../persistence/manager';
import { UnsupportedValueError } from '../persistence/value-bridge';
import { serverOf } from '../services';
import { asKey, type AclCategory, type CommandContext, type CommandFlag, type CommandSpec, Errors, ReplyError } from './command';
import { int64Arg, isWord, readLookup } from './string-support';

const IN_PROGRESS = 'ERR Background save already in progress';
const BUSYKEY = 'BUSYKEY Target key name already exists.';

function save(ctx: CommandContext): void {
  const p = persistenceOf(serverOf(ctx));
  if (p.bgsaveInProgress) throw new ReplyError(IN_PROGRESS);
  try {
    p.saveNow();
  } catch {
    throw new ReplyError('ERR');
  }
  ctx.reply.ok();
}

function bgsave(ctx: CommandContext, args: Buffer[]): void {
  // SCHEDULE only matters while another child (an AOF rewrite) runs; we have none, so it starts now.
  if (args.length > 2 || (args.length === 2 && !isWord(args[1], 'schedule'))) throw new ReplyError(Errors.syntax);
  const server = serverOf(ctx);
  const p = persistenceOf(server);
  if (p.bgsaveInProgress) throw new ReplyError(IN_PROGRESS);
  if (p.aof.rewriteInProgress) {
    if (args.length === 2) {
      p.schedule();
      ctx.reply.simple('Background saving scheduled');
      return;
    }
    throw new ReplyError("ERR An AOF log rewriting in progress: can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
  }
  // Inside EXEC Redis cannot fork: the save is scheduled for the cron, whatever was asked.
  if (server.dispatcher.depth > 1) {
    p.schedule();
    ctx.reply.simple('Background saving scheduled');
    return;
  }
  try {
    p.startBgsave();
  } catch {
    throw new ReplyError('ERR');
  }
  ctx.reply.simple('Background saving started');
}

/** BGREWRITEAOF (bgrewriteaofCommand): started now, or after a running BGSAVE. */
function bgrewriteaof(ctx: CommandContext): void {
  const p = persistenceOf(serverOf(ctx));
  let outcome: 'started' | 'scheduled' | 'in-progress';
  try {
    outcome = p.aof.requestRewrite();
  } catch {
    throw new ReplyError("ERR Can't execute an AOF background rewriting. Please check the server logs for more information.");
  }
  if (outcome === 'in-progress') throw new ReplyError('ERR Background append only file rewriting already in progress');
  ctx.reply.simple(outcome === 'scheduled' ? 'Background append only file rewriting scheduled' : 'Background append only file rewriting started');
}

function lastsave(ctx: CommandContext): void {
  ctx.reply.integer(persistenceOf(serverOf(ctx)).lastSave);
}

function configReader(ctx: CommandContext): (name: string) => string | undefined {
  return (name) => ctx.server.config(name);
}

function dump(ctx: CommandContext, args: Buffer[]): void {
  const value = readLookup(ctx, asKey(args[1]));
  if (value === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  let payload: Buffer;
  try {
    payload = encodeDumpPayload(value, ctx.server.config('rdbcompression') !== 'no');
  } catch (err) {
    if (err instanceof UnsupportedValueError) throw new ReplyError(`ERR DUMP of a ${kindOf(value)} is not supported yet`);
    throw err;
  }
  ctx.reply.bulk(payload);
}

function restore(ctx: CommandContext, args: Buffer[]): void {
  let replace = false;
  let absttl = false;
  let idle = -1;
  let freq = -1;
  for (let j = 4; j < args.length; j++) {
    const additional = args.length - j - 1;
    if (isWord(args[j], 'replace')) {
      replace = true;
    } else if (isWord(args[j], 'absttl')) {
      absttl = true;
    } else if (isWord(args[j], 'idletime') && additional >= 1 && freq === -1) {
      const v = int64Arg(args[j + 1]);
      if (v < 0) throw new ReplyError('ERR Invalid IDLETIME value, must be >= 0');
      idle = Number(v);
      j++;
    } else if (isWord(args[j], 'freq') && additional >= 1 && idle === -1) {
      const v = int64Arg(args[j + 1]);
      if (v < 0 || v > 255) throw new ReplyError('ERR Invalid FREQ value, must be >= 0 and <= 255');
      freq = Number(v);
      j++;
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  const key = asKey(args[1]);
  const db = ctx.db;
  if (!replace && db.get(key, false) !== undefined) throw new ReplyError(BUSYKEY);
  const ttlArg = int64Arg(args[2]);
  if (ttlArg < 0) throw new ReplyError('ERR Invalid TTL value, must be >= 0');
  let value: StoredValue;
  try {
    value = decodeDumpPayload(args[3], configReader(ctx));
  } catch (err) {
    if (err instanceof DumpPayloadError) throw new ReplyError(err.message);
    throw new ReplyError('ERR Bad data format');
  }
  if (replace) db.delete(key);
  let ttl = Number(ttlArg);
  if (ttl !== 0 && !absttl) ttl += ctx.now;
  if (ttl !== 0 && ttl <= ctx.now) {
    // Already expired: the key ends up absent (deleted if it was replaced).
    ctx.reply.ok();
    return;
  }
  db.set(key, value);
  if (ttl !== 0) db.setExpire(key, ttl);
  db.restoreAccess(key, freq >= 0 ? freq : undefined, idle >= 0 ? idle : undefined);
  ctx.reply.ok();
}

interface Options {
  flags: CommandFlag[];
  acl: AclCategory[];
  keys?: boolean;
  since: string;
  complexity: string;
  group?: CommandSpec['group'];
}

function spec(name: string, arity: number, summary: string, handler: CommandSpec['handler'], o: Options): CommandSpec {
  return {
    name,
    arity,
    flags: o.flags,
    firstKey: o.keys ? 1 : 0,
    lastKey: o.keys ? 1 : 0,
    keyStep: o.keys ? 1 : 0,
    acl: o.acl,
    group: o.group ?? 'server',
    summary,
    since: o.since,
    complexity: o.complexity,
    handler,
  };
}

export const persistenceCommands: CommandSpec[] = [
  spec('save', 1, 'Synchronously saves the database(s) to disk.', save, {
    flags: ['admin', 'noscript', 'no_multi'],
    acl: ['admin', 'slow', 'dangerous'],
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of keys in all databases',
  }),
  spec('bgsave', -1, 'Asynchronously saves the database(s) to disk.', bgsave, {
    flags: ['admin', 'noscript'],
    acl: ['admin', 'slow', 'dangerous'],
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  spec('bgrewriteaof', 1, 'Asynchronously rewrites the append-only file to disk.', bgrewriteaof, {
    flags: ['admin', 'noscript'],
    acl: ['admin', 'slow', 'dangerous'],
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  spec('lastsave', 1, 'Returns the Unix timestamp of the last successful save to disk.', lastsave, {
    flags: ['loading', 'stale', 'fast'],
    acl: ['admin', 'fast', 'dangerous'],
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  spec('dump', 2, 'Returns a serialized representation of the value stored at a key.', dump, {
    flags: ['readonly'],
    acl: ['keyspace', 'read', 'slow'],
    keys: true,
    since: '2.6.0',
    complexity:
      'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).',
    group: 'generic',
  }),
  spec('restore', -4, 'Creates a key from the serialized representation of a value.', restore, {
    flags: ['write', 'denyoom'],
    acl: ['keyspace', 'write', 'slow', 'dangerous'],
    keys: true,
    since: '2.6.0',
    complexity:
      'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
    group: 'generic',
  }),
];
