/**
 * The generic key-space family (valkey src/db.c and src/expire.c): existence, types, TTLs,
 * renames, iteration, copies between databases and OBJECT introspection.
 */
import type { CollectionValue, Database, StoredValue } from '../keyspace/database';
import { kindOf } from '../keyspace/database';
import { globMatch } from '../util/glob';
import { INT64_MAX, INT64_MIN, type Int64, parseInt64, parseUint64 } from '../util/int64';
import { asKey, type CommandContext, type CommandSpec, Errors, keyword, ReplyError } from './command';
import { int64Arg, isWord, longArg, readLookup } from './string-support';

const SAME_OBJECT = 'ERR source and destination objects are the same';

// ---- existence and type ------------------------------------------------------------------------

function delCommand(ctx: CommandContext, args: Buffer[]): void {
  let removed = 0;
  for (let j = 1; j < args.length; j++) {
    if (ctx.db.delete(asKey(args[j]))) removed++;
  }
  ctx.reply.integer(removed);
}

function existsCommand(ctx: CommandContext, args: Buffer[]): void {
  let count = 0;
  for (let j = 1; j < args.length; j++) {
    const found = ctx.db.get(asKey(args[j]), false) !== undefined;
    ctx.server.recordLookup(found);
    if (found) count++;
  }
  ctx.reply.integer(count);
}

function touchCommand(ctx: CommandContext, args: Buffer[]): void {
  let count = 0;
  for (let j = 1; j < args.length; j++) {
    if (readLookup(ctx, asKey(args[j])) !== undefined) count++;
  }
  ctx.reply.integer(count);
}

function typeCommand(ctx: CommandContext, args: Buffer[]): void {
  const value = ctx.db.get(asKey(args[1]), false);
  ctx.server.recordLookup(value !== undefined);
  ctx.reply.simple(value === undefined ? 'none' : kindOf(value));
}

// ---- expiry --------------------------------------------------------------------------------

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/** NX | XX | GT | LT after the time argument (expire.c parseExtendedExpireArgumentsOrReply). */
function parseExpireFlags(args: Buffer[]): number {
  let flags = 0;
  for (let j = 3; j < args.length; j++) {
    const opt = args[j];
    if (isWord(opt, 'nx')) flags |= EXPIRE_NX;
    else if (isWord(opt, 'xx')) flags |= EXPIRE_XX;
    else if (isWord(opt, 'gt')) flags |= EXPIRE_GT;
    else if (isWord(opt, 'lt')) flags |= EXPIRE_LT;
    else throw new ReplyError(`ERR Unsupported option ${asKey(opt)}`);
  }
  if ((flags & EXPIRE_NX) !== 0 && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) !== 0) {
    throw new ReplyError('ERR NX and XX, GT or LT options at the same time are not compatible');
  }
  if ((flags & EXPIRE_GT) !== 0 && (flags & EXPIRE_LT) !== 0) {
    throw new ReplyError('ERR GT and LT options at the same time are not compatible');
  }
  return flags;
}

/**
 * The absolute time (ms) an EXPIRE-family argument names: seconds are scaled by 1000 and
 * relative times added to now, refusing anything that would overflow int64 on the way.
 * Negative results are allowed: they mean "already expired".
 */
function expireWhen(arg: Buffer, seconds: boolean, base: number, command: string): number {
  const when = int64Arg(arg);
  if (typeof when === 'number') {
    const ms = (seconds ? when * 1000 : when) + base;
    if (Number.isSafeInteger(ms)) return ms;
  }
  let ms = BigInt(when);
  if (seconds) {
    if (ms > INT64_MAX / 1000n || ms < INT64_MIN / 1000n) throw new ReplyError(Errors.invalidExpire(command));
    ms *= 1000n;
  }
  if (ms > INT64_MAX - BigInt(base)) throw new ReplyError(Errors.invalidExpire(command));
  return Number(ms + BigInt(base));
}

function expireGeneric(ctx: CommandContext, args: Buffer[], seconds: boolean, relative: boolean, command: string): void {
  const flags = parseExpireFlags(args);
  const when = expireWhen(args[2], seconds, relative ? ctx.now : 0, command);
  const key = asKey(args[1]);
  const db = ctx.db;
  if (db.get(key, false) === undefined) {
    ctx.reply.integer(0);
    return;
  }
  if (flags !== 0) {
    const current = db.getExpire(key);
    if ((flags & EXPIRE_NX) !== 0 && current !== undefined) return ctx.reply.integer(0);
    if ((flags & EXPIRE_XX) !== 0 && current === undefined) return ctx.reply.integer(0);
    // A key without a TTL counts as an infinite one: never less than, always greater than.
    if ((flags & EXPIRE_GT) !== 0 && (current === undefined || when <= current)) return ctx.reply.integer(0);
    if ((flags & EXPIRE_LT) !== 0 && current !== undefined && when >= current) return ctx.reply.integer(0);
  }
  if (when <= ctx.now) db.delete(key);
  else db.setExpire(key, when);
  ctx.reply.integer(1);
}

/** TTL / PTTL / EXPIRETIME / PEXPIRETIME (expire.c ttlGenericCommand). */
function ttlGeneric(ctx: CommandContext, args: Buffer[], ms: boolean, absolute: boolean): void {
  const key = asKey(args[1]);
  const exists = ctx.db.get(key, false) !== undefined;
  ctx.server.recordLookup(exists);
  if (!exists) {
    ctx.reply.integer(-2);
    return;
  }
  const at = ctx.db.getExpire(key);
  if (at === undefined) {
    ctx.reply.integer(-1);
    return;
  }
  let ttl = absolute ? at : at - ctx.now;
  if (ttl < 0) ttl = 0;
  ctx.reply.integer(ms ? ttl : Math.floor((ttl + 500) / 1000));
}

function persistCommand(ctx: CommandContext, args: Buffer[]): void {
  const key = asKey(args[1]);
  if (ctx.db.get(key, false) === undefined) {
    ctx.reply.integer(0);
    return;
  }
  ctx.reply.integer(ctx.db.persist(key) ? 1 : 0);
}

// ---- rename, move, copy -----------------------------------------------------------------------

function renameGeneric(ctx: CommandContext, args: Buffer[], nx: boolean): void {
  const from = asKey(args[1]);
  const to = asKey(args[2]);
  const db = ctx.db;
  const value = db.get(from, false);
  if (value === undefined) throw new ReplyError(Errors.noSuchKey);
  if (from === to) {
    if (nx) ctx.reply.integer(0);
    else ctx.reply.ok();
    return;
  }
  const expire = db.getExpire(from);
  if (db.get(to, false) !== undefined) {
    if (nx) {
      ctx.reply.integer(0);
      return;
    }
    db.delete(to);
  }
  db.set(to, value);
  if (expire !== undefined) db.setExpire(to, expire);
  db.delete(from);
  if (nx) ctx.reply.integer(1);
  else ctx.reply.ok();
}

/** A database index argument (getIntFromObjectOrReply, then selectDb). */
function databaseArg(ctx: CommandContext, arg: Buffer): Database {
  const v = parseInt64(arg);
  if (v === null) throw new ReplyError(Errors.notInteger);
  if (typeof v !== 'number' || v > 2147483647 || v < -2147483648) {
    throw new ReplyError('ERR value is out of range, value must between -2147483648 and 2147483647');
  }
  const db = ctx.server.database(v);
  if (db === undefined) throw new ReplyError(Errors.dbIndexOutOfRange);
  return db;
}

function moveCommand(ctx: CommandContext, args: Buffer[]): void {
  const src = ctx.db;
  const dst = databaseArg(ctx, args[2]);
  if (dst === src) throw new ReplyError(SAME_OBJECT);
  const key = asKey(args[1]);
  const value = src.get(key, false);
  if (value === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const expire = src.getExpire(key);
  if (dst.get(key, false) !== undefined) {
    ctx.reply.integer(0);
    return;
  }
  dst.set(key, value);
  if (expire !== undefined) dst.setExpire(key, expire);
  src.delete(key);
  ctx.reply.integer(1);
}

/** A collection that can deep-copy itself (required of every collection type by COPY). */
interface Cloneable {
  clone?: () => CollectionValue;
}

function duplicate(value: StoredValue): StoredValue | undefined {
  // Strings are immutable JS strings: sharing them is a copy.
  if (typeof value === 'string') return value;
  return (value as CollectionValue & Cloneable).clone?.();
}

function copyCommand(ctx: CommandContext, args: Buffer[]): void {
  const src = ctx.db;
  let dst = src;
  let replace = false;
  for (let j = 3; j < args.length; j++) {
    if (isWord(args[j], 'replace')) {
      replace = true;
    } else if (isWord(args[j], 'db') && j < args.length - 1) {
      dst = databaseArg(ctx, args[++j]);
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  const from = asKey(args[1]);
  const to = asKey(args[2]);
  if (src === dst && from === to) throw new ReplyError(SAME_OBJECT);
  const value = readLookup(ctx, from);
  if (value === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const expire = src.getExpire(from);
  if (dst.get(to, false) !== undefined && !replace) {
    ctx.reply.integer(0);
    return;
  }
  const copy = duplicate(value);
  if (copy === undefined) throw new ReplyError('ERR unknown type object');
  dst.delete(to);
  dst.set(to, copy);
  if (expire !== undefined) dst.setExpire(to, expire);
  ctx.reply.integer(1);
}

// ---- iteration -------------------------------------------------------------------------------

function keysCommand(ctx: CommandContext, args: Buffer[]): void {
  const pattern = asKey(args[1]);
  const all = pattern === '*';
  const matched: string[] = [];
  for (const key of ctx.db.liveKeys()) {
    if (all || globMatch(pattern, key)) matched.push(key);
  }
  ctx.reply.arrayHeader(matched.length);
  for (const key of matched) ctx.reply.bulk(key);
}

const TYPE_NAMES = new Set(['string', 'list', 'set', 'zset', 'hash', 'stream']);

function scanCommand(ctx: CommandContext, args: Buffer[]): void {
  const cursorArg = parseUint64(args[1]);
  if (cursorArg === null) throw new ReplyError('ERR invalid cursor');
  let count = 10;
  let pattern: string | undefined;
  let type: string | undefined;
  for (let i = 2; i < args.length; ) {
    const more = args.length - i >= 2;
    if (isWord(args[i], 'count') && more) {
      count = longArg(args[i + 1]);
      if (count < 1) throw new ReplyError(Errors.syntax);
      i += 2;
    } else if (isWord(args[i], 'match') && more) {
      const p = asKey(args[i + 1]);
      pattern = p === '*' ? undefined : p;
      i += 2;
    } else if (isWord(args[i], 'type') && more) {
      const name = asKey(args[i + 1]);
      type = name.toLowerCase();
      if (!TYPE_NAMES.has(type)) throw new ReplyError(`ERR unknown type name '${name}'`);
      i += 2;
    } else if (isWord(args[i], 'novalues')) {
      throw new ReplyError('ERR NOVALUES option can only be used in HSCAN');
    } else if (isWord(args[i], 'noscores')) {
      throw new ReplyError('ERR NOSCORES option can only be used in ZSCAN');
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  const db = ctx.db;
  const cursor = cursorArg > BigInt(db.slotCount) ? db.slotCount : Number(cursorArg);
  const keys: string[] = [];
  const next = db.scan(cursor, count, (key, value) => {
    if (pattern !== undefined && !globMatch(pattern, key)) return;
    if (type !== undefined && kindOf(value) !== type) return;
    keys.push(key);
  });
  ctx.reply.arrayHeader(2);
  ctx.reply.bulk(String(next));
  ctx.reply.arrayHeader(keys.length);
  for (const key of keys) ctx.reply.bulk(key);
}

function randomkeyCommand(ctx: CommandContext): void {
  const key = ctx.db.randomKey();
  if (key === undefined) ctx.reply.nullBulk();
  else ctx.reply.bulk(key);
}

// ---- OBJECT ----------------------------------------------------------------------------------

const EMBSTR_SIZE_LIMIT = 44;
const SHARED_INTEGERS = 10000;
const SHARED_REFCOUNT = 2147483647;

function isLfuPolicy(ctx: CommandContext): boolean {
  const policy = ctx.server.config('maxmemory-policy') ?? '';
  return policy.endsWith('-lfu');
}

/** What Redis's tryObjectEncoding would make of a string: int, embstr or raw. */
function stringEncoding(value: string): 'int' | 'embstr' | 'raw' {
  if (value.length <= 20 && parseInt64(value) !== null) return 'int';
  return value.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}

/** The value OBJECT inspects, without touching its access time; null reply when missing. */
function objectLookup(ctx: CommandContext, args: Buffer[]): StoredValue | undefined {
  const value = ctx.db.get(asKey(args[2]), false);
  if (value === undefined) ctx.reply.nullBulk();
  return value;
}

function objectEncoding(ctx: CommandContext, args: Buffer[]): void {
  const value = objectLookup(ctx, args);
  if (value === undefined) return;
  ctx.reply.bulk(typeof value === 'string' ? stringEncoding(value) : value.encoding());
}

function objectRefcount(ctx: CommandContext, args: Buffer[]): void {
  const value = objectLookup(ctx, args);
  if (value === undefined) return;
  if (typeof value === 'string' && stringEncoding(value) === 'int') {
    // Small integers are shared objects unless an LRU/LFU policy needs per-key access data.
    const n = parseInt64(value) as Int64;
    const maxmemory = Number(ctx.server.config('maxmemory') ?? '0');
    const policy = ctx.server.config('maxmemory-policy') ?? '';
    const sharing = maxmemory === 0 || !(policy.endsWith('-lru') || policy.endsWith('-lfu'));
    if (sharing && typeof n === 'number' && n >= 0 && n < SHARED_INTEGERS) {
      ctx.reply.integer(SHARED_REFCOUNT);
      return;
    }
  }
  ctx.reply.integer(1);
}

function objectIdletime(ctx: CommandContext, args: Buffer[]): void {
  const value = objectLookup(ctx, args);
  if (value === undefined) return;
  if (isLfuPolicy(ctx)) {
    throw new ReplyError(
      'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
  }
  ctx.reply.integer(ctx.db.idleSeconds(asKey(args[2])) ?? 0);
}

function objectFreq(ctx: CommandContext, args: Buffer[]): void {
  const value = objectLookup(ctx, args);
  if (value === undefined) return;
  if (!isLfuPolicy(ctx)) {
    throw new ReplyError(
      'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
  }
  ctx.reply.integer(ctx.db.accessFrequency(asKey(args[2])) ?? 0);
}

const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Print this help.',
];

function objectHelp(ctx: CommandContext): void {
  ctx.reply.arrayHeader(OBJECT_HELP.length);
  for (const line of OBJECT_HELP) ctx.reply.simple(line);
}

/** Reached only if the dispatcher hands over an unknown subcommand. */
function objectContainer(ctx: CommandContext, args: Buffer[]): void {
  const sub = args.length > 1 ? asKey(args[1]) : '';
  ctx.reply.error(
    `ERR unknown subcommand or wrong number of arguments for '${sub.slice(0, 128)}'. Try ${keyword(args[0])} HELP.`,
  );
}

// ---- the table -------------------------------------------------------------------------------

function keyCommand(
  name: string,
  arity: number,
  flags: CommandSpec['flags'],
  keys: [number, number, number],
  acl: CommandSpec['acl'],
  since: string,
  summary: string,
  complexity: string,
  handler: CommandSpec['handler'],
): CommandSpec {
  return {
    name,
    arity,
    flags,
    firstKey: keys[0],
    lastKey: keys[1],
    keyStep: keys[2],
    acl,
    group: 'generic',
    summary,
    since,
    complexity,
    handler,
  };
}

const ONE_KEY: [number, number, number] = [1, 1, 1];
const ALL_KEYS: [number, number, number] = [1, -1, 1];
const TWO_KEYS: [number, number, number] = [1, 2, 1];
const NO_KEYS: [number, number, number] = [0, 0, 0];
const OBJECT_KEY: [number, number, number] = [2, 2, 1];

export const keyCommands: CommandSpec[] = [
  keyCommand('del', -2, ['write'], ALL_KEYS, ['keyspace', 'write', 'slow'], '1.0.0', 'Deletes one or more keys.',
    'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
    delCommand),
  keyCommand('unlink', -2, ['write', 'fast'], ALL_KEYS, ['keyspace', 'write', 'fast'], '4.0.0',
    'Asynchronously deletes one or more keys.',
    'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
    delCommand),
  keyCommand('exists', -2, ['readonly', 'fast'], ALL_KEYS, ['keyspace', 'read', 'fast'], '1.0.0',
    'Determines whether one or more keys exist.', 'O(N) where N is the number of keys to check.', existsCommand),
  keyCommand('touch', -2, ['readonly', 'fast'], ALL_KEYS, ['keyspace', 'read', 'fast'], '3.2.1',
    'Returns the number of existing keys out of those specified after updating the time they were last accessed.',
    'O(N) where N is the number of keys that will be touched.', touchCommand),
  keyCommand('type', 2, ['readonly', 'fast'], ONE_KEY, ['keyspace', 'read', 'fast'], '1.0.0',
    'Determines the type of value stored at a key.', 'O(1)', typeCommand),
  keyCommand('expire', -3, ['write', 'fast'], ONE_KEY, ['keyspace', 'write', 'fast'], '1.0.0',
    'Sets the expiration time of a key in seconds.', 'O(1)',
    (ctx, args) => expireGeneric(ctx, args, true, true, 'expire')),
  keyCommand('pexpire', -3, ['write', 'fast'], ONE_KEY, ['keyspace', 'write', 'fast'], '2.6.0',
    'Sets the expiration time of a key in milliseconds.', 'O(1)',
    (ctx, args) => expireGeneric(ctx, args, false, true, 'pexpire')),
  keyCommand('expireat', -3, ['write', 'fast'], ONE_KEY, ['keyspace', 'write', 'fast'], '1.2.0',
    'Sets the expiration time of a key to a Unix timestamp.', 'O(1)',
    (ctx, args) => expireGeneric(ctx, args, true, false, 'expireat')),
  keyCommand('pexpireat', -3, ['write', 'fast'], ONE_KEY, ['keyspace', 'write', 'fast'], '2.6.0',
    'Sets the expiration time of a key to a Unix milliseconds timestamp.', 'O(1)',
    (ctx, args) => expireGeneric(ctx, args, false, false, 'pexpireat')),
  keyCommand('ttl', 2, ['readonly', 'fast'], ONE_KEY, ['keyspace', 'read', 'fast'], '1.0.0',
    'Returns the expiration time in seconds of a key.', 'O(1)', (ctx, args) => ttlGeneric(ctx, args, false, false)),
  keyCommand('pttl', 2, ['readonly', 'fast'], ONE_KEY, ['keyspace', 'read', 'fast'], '2.6.0',
    'Returns the expiration time in milliseconds of a key.', 'O(1)', (ctx, args) => ttlGeneric(ctx, args, true, false)),
  keyCommand('expiretime', 2, ['readonly', 'fast'], ONE_KEY, ['keyspace', 'read', 'fast'], '7.0.0',
    'Returns the expiration time of a key as a Unix timestamp.', 'O(1)',
    (ctx, args) => ttlGeneric(ctx, args, false, true)),
  keyCommand('pexpiretime', 2, ['readonly', 'fast'], ONE_KEY, ['keyspace', 'read', 'fast'], '7.0.0',
    'Returns the expiration time of a key as a Unix milliseconds timestamp.', 'O(1)',
    (ctx, args) => ttlGeneric(ctx, args, true, true)),
  keyCommand('persist', 2, ['write', 'fast'], ONE_KEY, ['keyspace', 'write', 'fast'], '2.2.0',
    'Removes the expiration time of a key.', 'O(1)', persistCommand),
  keyCommand('rename', 3, ['write'], TWO_KEYS, ['keyspace', 'write', 'slow'], '1.0.0',
    'Renames a key and overwrites the destination.', 'O(1)', (ctx, args) => renameGeneric(ctx, args, false)),
  keyCommand('renamenx', 3, ['write', 'fast'], TWO_KEYS, ['keyspace', 'write', 'fast'], '1.0.0',
    "Renames a key only when the target key name doesn't exist.", 'O(1)', (ctx, args) => renameGeneric(ctx, args, true)),
  keyCommand('move', 3, ['write', 'fast'], ONE_KEY, ['keyspace', 'write', 'fast'], '1.0.0',
    'Moves a key to another database.', 'O(1)', moveCommand),
  keyCommand('copy', -3, ['write', 'denyoom'], TWO_KEYS, ['keyspace', 'write', 'slow'], '6.2.0',
    'Copies the value of a key to a new key.',
    'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.', copyCommand),
  keyCommand('keys', 2, ['readonly'], NO_KEYS, ['keyspace', 'read', 'slow', 'dangerous'], '1.0.0',
    'Returns all key names that match a pattern.',
    'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
    keysCommand),
  keyCommand('scan', -2, ['readonly'], NO_KEYS, ['keyspace', 'read', 'slow'], '2.8.0',
    'Iterates over the key names in the database.',
    'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    scanCommand),
  keyCommand('randomkey', 1, ['readonly'], NO_KEYS, ['keyspace', 'read', 'slow'], '1.0.0',
    'Returns a random key name from the database.', 'O(1)', randomkeyCommand),
  {
    ...keyCommand('object', -2, [], NO_KEYS, ['slow'], '2.2.3', 'A container for object introspection commands.',
      'Depends on subcommand.', objectContainer),
    subcommands: [
      keyCommand('encoding', 3, ['readonly'], OBJECT_KEY, ['keyspace', 'read', 'slow'], '2.2.3',
        'Returns the internal encoding of an object.', 'O(1)', objectEncoding),
      keyCommand('freq', 3, ['readonly'], OBJECT_KEY, ['keyspace', 'read', 'slow'], '4.0.0',
        'Returns the logarithmic access frequency counter of an object.', 'O(1)', objectFreq),
      keyCommand('idletime', 3, ['readonly'], OBJECT_KEY, ['keyspace', 'read', 'slow'], '2.2.3',
        'Returns the time since the last access to an object.', 'O(1)', objectIdletime),
      keyCommand('refcount', 3, ['readonly'], OBJECT_KEY, ['keyspace', 'read', 'slow'], '2.2.3',
        'Returns the reference count of a value of a key.', 'O(1)', objectRefcount),
      keyCommand('help', 2, ['loading', 'stale'], NO_KEYS, ['keyspace', 'slow'], '6.2.0',
        'Returns helpful text about the different subcommands.', 'O(1)', objectHelp),
    ],
  },
];
