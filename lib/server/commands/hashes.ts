/**
 * The hash family (valkey src/t_hash.c): HSET … HSCAN over HashValue (listpack while small,
 * a dense table beyond hash-max-listpack-entries / hash-max-listpack-value).
 *
 * HSET is a benchmarked hot path: one lookup, one pass over the arguments, no temporaries beyond
 * the latin1 strings that are stored.
 */
import { type HashLimits, HashValue } from '../datatypes/hash';
import { chooseDistinct, chooseInOrder, randomPosition } from '../datatypes/set-sampling';
import { globMatch } from '../util/glob';
import { addInt64, type Int64, INT64_MIN, parseInt64 } from '../util/int64';
import { addLongDouble, formatLongDouble, parseLongDouble } from '../util/long-double';
import { asKey, type CommandContext, type CommandSpec, Errors, type RawRequest, ReplyError, type ServerServices } from './command';
import { parseScanOptions, replyEmptyScan, scanCursorArg } from './collection-scan';
import { int64Arg, isWord, readCollection, writeCollection, requestKeySlot } from './string-support';

// ---- shared with the set family ------------------------------------------------------------------

/** A config parameter as a number, re-parsed only when its text changes. */
export class ConfigNumber {
  private text: string | undefined;
  private value: number;

  constructor(
    private readonly name: string,
    private readonly fallback: number,
  ) {
    this.value = fallback;
  }

  public read(ctx: CommandContext): number {
    const text = ctx.server.config(this.name);
    if (text !== this.text) {
      this.text = text;
      const n = text === undefined ? NaN : Number(text);
      this.value = Number.isFinite(n) ? n : this.fallback;
    }
    return this.value;
  }
}

/**
 * Limits derived from config parameters (ConfigNumber reads), recomputed only when the server's
 * configVersion says a parameter changed — a config() call looks the name up in two maps, which
 * showed at a few % of SADD/HSET — or on every read where there is no version (test harnesses).
 */
export class ConfigDerived<T> {
  private server: ServerServices | undefined;
  private version = -1;
  private value: T;

  constructor(private readonly compute: (ctx: CommandContext) => T) {
    this.value = undefined as T;
  }

  public read(ctx: CommandContext): T {
    const server = ctx.server;
    const version = server.configVersion;
    if (version === undefined || version !== this.version || server !== this.server) {
      this.value = this.compute(ctx);
      this.server = server;
      this.version = version ?? -1;
    }
    return this.value;
  }
}

/**
 * A count argument in [-LONG_MAX, LONG_MAX] (getRangeLongFromObjectOrReply), as a number; beyond
 * 2^53 it is clamped, which only matters for counts no collection can reach.
 */
export function signedCountArg(arg: Buffer): number {
  const v = int64Arg(arg);
  if (v === INT64_MIN) {
    throw new ReplyError('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  }
  if (typeof v === 'number') return v;
  return v > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
}

// ---- lookups -------------------------------------------------------------------------------------

const ENTRIES = new ConfigNumber('hash-max-listpack-entries', 128);
const VALUE = new ConfigNumber('hash-max-listpack-value', 64);
const LIMITS = new ConfigDerived<HashLimits>((ctx) => ({ maxListpackEntries: ENTRIES.read(ctx), maxListpackValue: VALUE.read(ctx) }));

function hashLimits(ctx: CommandContext): HashLimits {
  return LIMITS.read(ctx);
}

/** A read lookup (counted in keyspace hits/misses): the hash, undefined when missing, WRONGTYPE otherwise. */
function readHash(ctx: CommandContext, key: string): HashValue | undefined {
  return readCollection(ctx, key, HashValue);
}

/** A write lookup: the existing hash or undefined (WRONGTYPE for another type). */
function writeHash(ctx: CommandContext, key: string): HashValue | undefined {
  return writeCollection(ctx, key, HashValue);
}

/** Stores a hash that was created by this command, or tells WATCHers an existing one changed. */
function stored(ctx: CommandContext, key: string, hash: HashValue, created: boolean): void {
  if (created) ctx.db.set(key, hash);
  else ctx.db.markModified(key);
}

// ---- HSET / HMSET / HSETNX -----------------------------------------------------------------------

function hsetGeneric(ctx: CommandContext, args: Buffer[], name: 'hset' | 'hmset'): void {
  const n = args.length;
  if ((n & 1) === 1) throw new ReplyError(Errors.wrongArity(name));
  const key = asKey(args[1]);
  const existing = writeHash(ctx, key);
  const hash = existing ?? new HashValue();
  const limits = hashLimits(ctx);
  let longest = 0;
  for (let i = 2; i < n; i++) if (args[i].length > longest) longest = args[i].length;
  hash.prepareFor((n - 2) >>> 1, longest, limits);
  let created = 0;
  for (let i = 2; i < n; i += 2) {
    if (hash.set(asKey(args[i]), asKey(args[i + 1]), limits)) created++;
  }
  stored(ctx, key, hash, existing === undefined);
  if (name === 'hset') ctx.reply.integer(created);
  else ctx.reply.ok();
}

/**
 * HSET from the read buffer (CommandSpec.fast): an existing hash is found from the key's bytes
 * and marked modified through its slot, and a table finds each field from its bytes too, so only
 * new fields and the values become strings. Creating the hash, and a wrong arity, go to the general handler.
 */
function hsetFast(ctx: CommandContext, req: RawRequest, argc: number): void {
  const buf = req.scannedBuffer;
  const db = ctx.db;
  const slot = (argc & 1) === 0 ? requestKeySlot(ctx, req) : -1;
  if (slot < 0) {
    hsetGeneric(ctx, req.views(argc), 'hset');
    return;
  }
  const found = db.valueInSlot(slot);
  if (!(found instanceof HashValue)) throw new ReplyError(Errors.wrongType);
  const limits = hashLimits(ctx);
  if (found.isListpack) {
    let longest = 0;
    for (let i = 2; i < argc; i++) if (req.argLength(i) > longest) longest = req.argLength(i);
    found.prepareFor((argc - 2) >>> 1, longest, limits);
  }
  let created = 0;
  for (let i = 2; i < argc; i += 2) {
    const start = req.argOffset(i);
    if (found.setBytes(buf, start, start + req.argLength(i), req.latin1(i + 1), limits)) created++;
  }
  // Setting fields changes no other key, so the slot still holds this hash.
  db.markModifiedInSlot(slot);
  ctx.reply.integer(created);
}

function hsetnxCommand(ctx: CommandContext, args: Buffer[]): void {
  const key = asKey(args[1]);
  const existing = writeHash(ctx, key);
  const field = asKey(args[2]);
  if (existing !== undefined && existing.has(field)) {
    ctx.reply.integer(0);
    return;
  }
  const hash = existing ?? new HashValue();
  const limits = hashLimits(ctx);
  hash.prepareFor(1, Math.max(args[2].length, args[3].length), limits);
  hash.set(field, asKey(args[3]), limits);
  stored(ctx, key, hash, existing === undefined);
  ctx.reply.integer(1);
}

// ---- reads ---------------------------------------------------------------------------------------

function hgetCommand(ctx: CommandContext, args: Buffer[]): void {
  const hash = readHash(ctx, asKey(args[1]));
  const value = hash?.get(asKey(args[2]));
  if (value === undefined) ctx.reply.nullBulk();
  else ctx.reply.bulk(value);
}

/** HGET from the read buffer: neither the key nor (for a table) the field becomes a string. */
function hgetFast(ctx: CommandContext, req: RawRequest): void {
  const buf = req.scannedBuffer;
  const keyStart = req.argOffset(1);
  const found = ctx.db.getBytes(buf, keyStart, keyStart + req.argLength(1));
  ctx.server.recordLookup(found !== undefined);
  if (found === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  if (!(found instanceof HashValue)) throw new ReplyError(Errors.wrongType);
  const fieldStart = req.argOffset(2);
  const value = found.getBytes(buf, fieldStart, fieldStart + req.argLength(2));
  if (value === undefined) ctx.reply.nullBulk();
  else ctx.reply.bulk(value);
}

function hmgetCommand(ctx: CommandContext, args: Buffer[]): void {
  const hash = readHash(ctx, asKey(args[1]));
  ctx.reply.arrayHeader(args.length - 2);
  for (let i = 2; i < args.length; i++) {
    const value = hash?.get(asKey(args[i]));
    if (value === undefined) ctx.reply.nullBulk();
    else ctx.reply.bulk(value);
  }
}

function hexistsCommand(ctx: CommandContext, args: Buffer[]): void {
  const hash = readHash(ctx, asKey(args[1]));
  ctx.reply.integer(hash !== undefined && hash.has(asKey(args[2])) ? 1 : 0);
}

function hlenCommand(ctx: CommandContext, args: Buffer[]): void {
  const hash = readHash(ctx, asKey(args[1]));
  ctx.reply.integer(hash === undefined ? 0 : hash.size());
}

function hstrlenCommand(ctx: CommandContext, args: Buffer[]): void {
  const hash = readHash(ctx, asKey(args[1]));
  ctx.reply.integer(hash === undefined ? 0 : hash.valueLength(asKey(args[2])));
}

const WITH_FIELDS = 1;
const WITH_VALUES = 2;

/** HKEYS / HVALS / HGETALL (genericHgetallCommand): a map for pairs, an array otherwise. */
function hgetallGeneric(ctx: CommandContext, args: Buffer[], what: number): void {
  const hash = readHash(ctx, asKey(args[1]));
  const reply = ctx.reply;
  const both = what === (WITH_FIELDS | WITH_VALUES);
  const size = hash === undefined ? 0 : hash.size();
  if (both) reply.mapHeader(size);
  else reply.arrayHeader(size);
  if (hash === undefined) return;
  hash.forEach((field, value) => {
    if ((what & WITH_FIELDS) !== 0) reply.bulk(field);
    if ((what & WITH_VALUES) !== 0) reply.bulk(value);
  });
}

// ---- counters ------------------------------------------------------------------------------------

function hincrbyCommand(ctx: CommandContext, args: Buffer[]): void {
  const increment = int64Arg(args[3]);
  const key = asKey(args[1]);
  const existing = writeHash(ctx, key);
  const field = asKey(args[2]);
  let value: Int64 = 0;
  const current = existing?.get(field);
  if (current !== undefined) {
    const parsed = parseInt64(current);
    if (parsed === null) throw new ReplyError('ERR hash value is not an integer');
    value = parsed;
  }
  const next = addInt64(value, increment);
  if (next === undefined) throw new ReplyError(Errors.overflow);
  const hash = existing ?? new HashValue();
  hash.set(field, String(next), hashLimits(ctx));
  stored(ctx, key, hash, existing === undefined);
  ctx.reply.integer(next);
}

function hincrbyfloatCommand(ctx: CommandContext, args: Buffer[]): void {
  const increment = parseLongDouble(asKey(args[3]));
  if (increment === undefined) throw new ReplyError(Errors.notFloat);
  if (increment.infinite) throw new ReplyError('ERR value is NaN or Infinity');
  const key = asKey(args[1]);
  const existing = writeHash(ctx, key);
  const field = asKey(args[2]);
  let sum = increment;
  const current = existing?.get(field);
  if (current !== undefined) {
    const parsed = parseLongDouble(current);
    if (parsed === undefined) throw new ReplyError('ERR hash value is not a float');
    sum = addLongDouble(parsed, increment);
  }
  if (sum.infinite) throw new ReplyError('ERR increment would produce NaN or Infinity');
  const text = formatLongDouble(sum);
  const hash = existing ?? new HashValue();
  hash.set(field, text, hashLimits(ctx));
  stored(ctx, key, hash, existing === undefined);
  ctx.reply.bulk(text);
}

// ---- HDEL ----------------------------------------------------------------------------------------

function hdelCommand(ctx: CommandContext, args: Buffer[]): void {
  const key = asKey(args[1]);
  const hash = writeHash(ctx, key);
  if (hash === undefined) {
    ctx.reply.integer(0);
    return;
  }
  let deleted = 0;
  for (let i = 2; i < args.length; i++) {
    if (hash.delete(asKey(args[i]))) {
      deleted++;
      if (hash.size() === 0) break;
    }
  }
  if (deleted > 0 && !ctx.db.deleteIfEmpty(key, hash)) ctx.db.markModified(key);
  ctx.reply.integer(deleted);
}

// ---- HRANDFIELD ----------------------------------------------------------------------------------

/** LONG_MAX / 2: WITHVALUES doubles the reply, so the count must leave room for that. */
const HALF_LONG_MAX = 4611686018427387903n;

function hrandfieldCommand(ctx: CommandContext, args: Buffer[]): void {
  if (args.length >= 3) {
    const count = signedCountArg(args[2]);
    if (args.length > 4 || (args.length === 4 && !isWord(args[3], 'withvalues'))) throw new ReplyError(Errors.syntax);
    const withValues = args.length === 4;
    if (withValues) {
      const exact = parseInt64(args[2]) as Int64;
      if (exact > HALF_LONG_MAX || exact < -HALF_LONG_MAX) throw new ReplyError('ERR value is out of range');
    }
    hrandfieldWithCount(ctx, asKey(args[1]), count, withValues);
    return;
  }
  const hash = readHash(ctx, asKey(args[1]));
  if (hash === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  ctx.reply.bulk(hash.fieldAt(randomPosition(hash.size())));
}

function hrandfieldWithCount(ctx: CommandContext, key: string, requested: number, withValues: boolean): void {
  const hash = readHash(ctx, key);
  const reply = ctx.reply;
  if (hash === undefined || requested === 0) {
    reply.arrayHeader(0);
    return;
  }
  const unique = requested > 0;
  const count = unique ? requested : -requested;
  const size = hash.size();
  const resp3 = reply.resp === 3;
  const emit = (field: string, value: string): void => {
    if (withValues && resp3) reply.arrayHeader(2);
    reply.bulk(field);
    if (withValues) reply.bulk(value);
  };
  const header = (n: number): void => reply.arrayHeader(withValues && !resp3 ? n * 2 : n);

  // CASE 1: repeats allowed (or a single pick): independent draws, in random order.
  if (!unique || count === 1) {
    header(count);
    const pairs = hash.isListpack ? hash.flatten() : undefined;
    for (let i = 0; i < count; i++) {
      const p = randomPosition(size);
      if (pairs !== undefined) emit(pairs[2 * p], pairs[2 * p + 1]);
      else emit(hash.fieldAt(p), hash.valueAt(p));
    }
    return;
  }
  // CASE 2: at least the whole hash: all of it, in its order.
  if (count >= size) {
    header(size);
    hash.forEach(emit);
    return;
  }
  header(count);
  // CASE 2.5: a listpack is sampled in one pass, the chosen in listpack order.
  if (hash.isListpack) {
    const chosen = chooseInOrder(size, count);
    let i = 0;
    hash.forEach((field, value) => {
      if (chosen[i++] === 1) emit(field, value);
    });
    return;
  }
  // CASE 3 / 4: distinct random positions of the table.
  for (const p of chooseDistinct(size, count)) emit(hash.fieldAt(p), hash.valueAt(p));
}

// ---- HSCAN ---------------------------------------------------------------------------------------

function hscanCommand(ctx: CommandContext, args: Buffer[]): void {
  const cursor = scanCursorArg(args[2]);
  const hash = readHash(ctx, asKey(args[1]));
  if (hash === undefined) {
    replyEmptyScan(ctx);
    return;
  }
  const { count, pattern, noValues } = parseScanOptions(args, 'hash');
  const out: string[] = [];
  const next = hash.scan(cursor, count, (field, value) => {
    if (pattern !== undefined && !globMatch(pattern, field)) return;
    out.push(field);
    if (!noValues) out.push(value);
  });
  ctx.reply.arrayHeader(2);
  ctx.reply.bulk(String(next));
  ctx.reply.arrayHeader(out.length);
  for (const item of out) ctx.reply.bulk(item);
}

// ---- the table -----------------------------------------------------------------------------------

function hashCommand(
  name: string,
  arity: number,
  flags: CommandSpec['flags'],
  since: string,
  summary: string,
  complexity: string,
  handler: CommandSpec['handler'],
  fast?: CommandSpec['fast'],
): CommandSpec {
  const write = flags.includes('write');
  return {
    name,
    arity,
    flags,
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: [write ? 'write' : 'read', 'hash', flags.includes('fast') ? 'fast' : 'slow'],
    group: 'hash',
    summary,
    since,
    complexity,
    handler,
    fast,
  };
}

const SCAN_COMPLEXITY =
  'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.';

export const hashCommands: CommandSpec[] = [
  hashCommand('hset', -4, ['write', 'denyoom', 'fast'], '2.0.0', 'Creates or modifies the value of a field in a hash.',
    'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
    (ctx, args) => hsetGeneric(ctx, args, 'hset'), hsetFast),
  hashCommand('hsetnx', 4, ['write', 'denyoom', 'fast'], '2.0.0',
    "Sets the value of a field in a hash only when the field doesn't exist.", 'O(1)', hsetnxCommand),
  hashCommand('hmset', -4, ['write', 'denyoom', 'fast'], '2.0.0', 'Sets the values of multiple fields.',
    'O(N) where N is the number of fields being set.', (ctx, args) => hsetGeneric(ctx, args, 'hmset')),
  hashCommand('hget', 3, ['readonly', 'fast'], '2.0.0', 'Returns the value of a field in a hash.', 'O(1)', hgetCommand,
    hgetFast),
  hashCommand('hmget', -3, ['readonly', 'fast'], '2.0.0', 'Returns the values of all fields in a hash.',
    'O(N) where N is the number of fields being requested.', hmgetCommand),
  hashCommand('hdel', -3, ['write', 'fast'], '2.0.0',
    'Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.',
    'O(N) where N is the number of fields to be removed.', hdelCommand),
  hashCommand('hexists', 3, ['readonly', 'fast'], '2.0.0', 'Determines whether a field exists in a hash.', 'O(1)',
    hexistsCommand),
  hashCommand('hlen', 2, ['readonly', 'fast'], '2.0.0', 'Returns the number of fields in a hash.', 'O(1)', hlenCommand),
  hashCommand('hstrlen', 3, ['readonly', 'fast'], '3.2.0', 'Returns the length of the value of a field.', 'O(1)',
    hstrlenCommand),
  hashCommand('hkeys', 2, ['readonly'], '2.0.0', 'Returns all fields in a hash.', 'O(N) where N is the size of the hash.',
    (ctx, args) => hgetallGeneric(ctx, args, WITH_FIELDS)),
  hashCommand('hvals', 2, ['readonly'], '2.0.0', 'Returns all values in a hash.', 'O(N) where N is the size of the hash.',
    (ctx, args) => hgetallGeneric(ctx, args, WITH_VALUES)),
  hashCommand('hgetall', 2, ['readonly'], '2.0.0', 'Returns all fields and values in a hash.',
    'O(N) where N is the size of the hash.', (ctx, args) => hgetallGeneric(ctx, args, WITH_FIELDS | WITH_VALUES)),
  hashCommand('hincrby', 4, ['write', 'denyoom', 'fast'], '2.0.0',
    "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.",
    'O(1)', hincrbyCommand),
  hashCommand('hincrbyfloat', 4, ['write', 'denyoom', 'fast'], '2.6.0',
    "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.",
    'O(1)', hincrbyfloatCommand),
  hashCommand('hrandfield', -2, ['readonly'], '6.2.0', 'Returns one or more random fields from a hash.',
    'O(N) where N is the number of fields returned', hrandfieldCommand),
  hashCommand('hscan', -3, ['readonly'], '2.8.0', 'Iterates over fields and values of a hash.', SCAN_COMPLEXITY,
    hscanCommand),
];
