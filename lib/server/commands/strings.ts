/**
 * The string family (valkey src/t_string.c): values are latin1 JS strings, one char per byte.
 *
 * GET and SET are the benchmarked hot path: a plain `SET key value` and `GET key` do one
 * dictionary operation and write the reply, with no option parsing, closures or temporaries.
 */
import { addInt64, INT64_MIN, type Int64, parseInt64 } from '../util/int64';
import { addLongDouble, formatLongDouble, type LongDouble, parseLongDouble } from '../util/long-double';
import { asKey, type CommandContext, type CommandSpec, Errors, type RawRequest, ReplyError } from './command';
import type { Database } from '../keyspace/database';
import {
  buildString,
  checkStringLength,
  expireArgToAbsoluteMs,
  int64Arg,
  isWord,
  longArg,
  protoMaxBulkLen,
  readLookup,
  stringOrMissing,
} from './string-support';

// ---- GET / SET ---------------------------------------------------------------------------------

function getCommand(ctx: CommandContext, args: Buffer[]): void {
  getKey(ctx, args[1].toString('latin1'));
}

function getKey(ctx: CommandContext, key: string): void {
  const value = ctx.db.get(key);
  ctx.server.recordLookup(value !== undefined);
  if (value === undefined) ctx.reply.nullBulk();
  else if (typeof value === 'string') ctx.reply.bulk(value);
  else ctx.reply.error(Errors.wrongType);
}

// The dispatcher's fast path (CommandSpec.fast): the same commands straight from the read buffer.

// GET and a plain SET find the key from its bytes (Database.getBytes/setBytes): no key string is
// made unless a new key is stored.

function getFast(ctx: CommandContext, req: RawRequest): void {
  const start = req.argOffset(1);
  const value = ctx.db.getBytes(req.scannedBuffer, start, start + req.argLength(1));
  ctx.server.recordLookup(value !== undefined);
  if (value === undefined) ctx.reply.nullBulk();
  else if (typeof value === 'string') ctx.reply.bulk(value);
  else ctx.reply.error(Errors.wrongType);
}

function setFast(ctx: CommandContext, req: RawRequest, argc: number): void {
  if (argc !== 3) {
    setCommand(ctx, req.views(argc));
    return;
  }
  const start = req.argOffset(1);
  ctx.db.setBytes(req.scannedBuffer, start, start + req.argLength(1), req.latin1(2));
  ctx.reply.ok();
}

function msetFast(ctx: CommandContext, req: RawRequest, argc: number): void {
  if (argc % 2 === 0) throw new ReplyError(Errors.wrongArity('mset'));
  const db = ctx.db;
  const bytes = req.scannedBuffer;
  for (let j = 1; j < argc; j += 2) {
    const start = req.argOffset(j);
    db.setBytes(bytes, start, start + req.argLength(j), req.latin1(j + 1));
  }
  ctx.reply.ok();
}

const SET_NX = 1;
const SET_XX = 2;
const SET_GET = 4;
const SET_KEEPTTL = 8;
const SET_EX = 16;
const SET_PX = 32;
const SET_EXAT = 64;
const SET_PXAT = 128;
const SET_IFEQ = 256;
const GETEX_PERSIST = 512;
const ANY_EXPIRE = SET_EX | SET_PX | SET_EXAT | SET_PXAT;

/** Parsed SET / GETEX options (t_string.c parseExtendedStringArgumentsOrReply). */
interface StringOptions {
  flags: number;
  expire: Buffer | undefined;
  comparison: Buffer | undefined;
}

/**
 * Options from `first` on. Each option is accepted only when it does not conflict with one seen
 * before; anything else (including a conflict or a missing value) is a syntax error.
 */
function parseStringOptions(args: Buffer[], first: number, forSet: boolean): StringOptions {
  let flags = 0;
  let expire: Buffer | undefined;
  let comparison: Buffer | undefined;
  for (let j = first; j < args.length; j++) {
    const opt = args[j];
    const hasNext = j < args.length - 1;
    if (forSet && isWord(opt, 'nx') && (flags & (SET_XX | SET_IFEQ)) === 0) {
      flags |= SET_NX;
    } else if (forSet && isWord(opt, 'xx') && (flags & (SET_NX | SET_IFEQ)) === 0) {
      flags |= SET_XX;
    } else if (forSet && isWord(opt, 'ifeq') && hasNext && (flags & (SET_NX | SET_XX)) === 0) {
      flags |= SET_IFEQ;
      comparison = args[++j];
    } else if (forSet && isWord(opt, 'get')) {
      flags |= SET_GET;
    } else if (forSet && isWord(opt, 'keepttl') && (flags & ANY_EXPIRE) === 0) {
      flags |= SET_KEEPTTL;
    } else if (!forSet && isWord(opt, 'persist') && (flags & ANY_EXPIRE) === 0) {
      flags |= GETEX_PERSIST;
    } else if (isWord(opt, 'ex') && hasNext && (flags & (SET_KEEPTTL | GETEX_PERSIST | SET_PX | SET_EXAT | SET_PXAT)) === 0) {
      flags |= SET_EX;
      expire = args[++j];
    } else if (isWord(opt, 'px') && hasNext && (flags & (SET_KEEPTTL | GETEX_PERSIST | SET_EX | SET_EXAT | SET_PXAT)) === 0) {
      flags |= SET_PX;
      expire = args[++j];
    } else if (isWord(opt, 'exat') && hasNext && (flags & (SET_KEEPTTL | GETEX_PERSIST | SET_EX | SET_PX | SET_PXAT)) === 0) {
      flags |= SET_EXAT;
      expire = args[++j];
    } else if (isWord(opt, 'pxat') && hasNext && (flags & (SET_KEEPTTL | GETEX_PERSIST | SET_EX | SET_PX | SET_EXAT)) === 0) {
      flags |= SET_PXAT;
      expire = args[++j];
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  return { flags, expire, comparison };
}

/** The absolute expiry an EX/PX/EXAT/PXAT option asks for. */
function optionExpireMs(ctx: CommandContext, options: StringOptions, command: string): number {
  const f = options.flags;
  return expireArgToAbsoluteMs(
    ctx,
    options.expire as Buffer,
    (f & (SET_EX | SET_EXAT)) !== 0,
    (f & (SET_EX | SET_PX)) !== 0,
    command,
  );
}

function setCommand(ctx: CommandContext, args: Buffer[]): void {
  const key = args[1].toString('latin1');
  if (args.length === 3) {
    ctx.db.set(key, args[2].toString('latin1'));
    ctx.reply.ok();
    return;
  }
  const options = parseStringOptions(args, 3, true);
  const flags = options.flags;
  const hasExpire = options.expire !== undefined;
  const at = hasExpire ? optionExpireMs(ctx, options, 'set') : 0;
  const db = ctx.db;
  let existing;
  if ((flags & SET_GET) !== 0) {
    existing = readLookup(ctx, key);
    if (existing !== undefined && typeof existing !== 'string') throw new ReplyError(Errors.wrongType);
    if (existing === undefined) ctx.reply.nullBulk();
    else ctx.reply.bulk(existing);
  } else {
    existing = db.get(key);
  }
  const replyAbort = (flags & SET_GET) === 0;
  const found = existing !== undefined;
  if ((flags & SET_IFEQ) !== 0) {
    if (!found) {
      if (replyAbort) ctx.reply.nullBulk();
      return;
    }
    if (typeof existing !== 'string') throw new ReplyError(Errors.wrongType);
    if (existing !== (options.comparison as Buffer).toString('latin1')) {
      if (replyAbort) ctx.reply.nullBulk();
      return;
    }
  }
  if (((flags & SET_NX) !== 0 && found) || ((flags & SET_XX) !== 0 && !found)) {
    if (replyAbort) ctx.reply.nullBulk();
    return;
  }
  if (hasExpire && at <= ctx.now) {
    // Already expired: nothing is stored, and an existing key is removed.
    if (found) db.delete(key);
    if (replyAbort) ctx.reply.ok();
    return;
  }
  db.set(key, args[2].toString('latin1'), hasExpire || (flags & SET_KEEPTTL) !== 0);
  if (hasExpire) db.setExpire(key, at);
  if (replyAbort) ctx.reply.ok();
}

function setnxCommand(ctx: CommandContext, args: Buffer[]): void {
  const key = asKey(args[1]);
  if (ctx.db.get(key) !== undefined) {
    ctx.reply.integer(0);
    return;
  }
  ctx.db.set(key, asKey(args[2]));
  ctx.reply.integer(1);
}

/** SETEX / PSETEX: SET key value EX|PX n, with the command's own name in the error. */
function setWithExpire(ctx: CommandContext, args: Buffer[], seconds: boolean, command: string): void {
  const at = expireArgToAbsoluteMs(ctx, args[2], seconds, true, command);
  const key = asKey(args[1]);
  if (at <= ctx.now) {
    ctx.db.delete(key);
    ctx.reply.ok();
    return;
  }
  ctx.db.set(key, asKey(args[3]), true);
  ctx.db.setExpire(key, at);
  ctx.reply.ok();
}

function getexCommand(ctx: CommandContext, args: Buffer[]): void {
  const options = parseStringOptions(args, 2, false);
  const key = asKey(args[1]);
  const value = stringOrMissing(readLookup(ctx, key));
  if (value === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  const flags = options.flags;
  const at = options.expire !== undefined ? optionExpireMs(ctx, options, 'getex') : 0;
  ctx.reply.bulk(value);
  if ((flags & (SET_EXAT | SET_PXAT)) !== 0 && at <= ctx.now) {
    ctx.db.delete(key);
  } else if (options.expire !== undefined) {
    ctx.db.setExpire(key, at);
  } else if ((flags & GETEX_PERSIST) !== 0) {
    ctx.db.persist(key);
  }
}

function getdelCommand(ctx: CommandContext, args: Buffer[]): void {
  const key = asKey(args[1]);
  const value = stringOrMissing(readLookup(ctx, key));
  if (value === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  ctx.reply.bulk(value);
  ctx.db.delete(key);
}

function getsetCommand(ctx: CommandContext, args: Buffer[]): void {
  const key = asKey(args[1]);
  const value = stringOrMissing(readLookup(ctx, key));
  if (value === undefined) ctx.reply.nullBulk();
  else ctx.reply.bulk(value);
  ctx.db.set(key, asKey(args[2]));
}

// ---- multi-key -------------------------------------------------------------------------------

function mgetCommand(ctx: CommandContext, args: Buffer[]): void {
  const n = args.length;
  ctx.reply.arrayHeader(n - 1);
  for (let j = 1; j < n; j++) {
    const value = readLookup(ctx, asKey(args[j]));
    if (typeof value === 'string') ctx.reply.bulk(value);
    else ctx.reply.nullBulk();
  }
}

function msetGeneric(ctx: CommandContext, args: Buffer[], nx: boolean, name: string): void {
  if (args.length % 2 === 0) throw new ReplyError(Errors.wrongArity(name));
  if (nx) {
    for (let j = 1; j < args.length; j += 2) {
      if (ctx.db.get(asKey(args[j])) !== undefined) {
        ctx.reply.integer(0);
        return;
      }
    }
  }
  for (let j = 1; j < args.length; j += 2) ctx.db.set(asKey(args[j]), asKey(args[j + 1]));
  if (nx) ctx.reply.integer(1);
  else ctx.reply.ok();
}

// ---- counters --------------------------------------------------------------------------------

// INCR and friends look the key up once (Redis's lookupKeyWrite, one touch) and replace the value
// in the slot found; only a new key takes a second lookup, to be added.

function incrDecr(ctx: CommandContext, key: string, increment: Int64): void {
  const db = ctx.db;
  const slot = db.liveSlot(key);
  const next = incremented(db, slot, increment);
  if (slot >= 0) db.replaceInSlot(slot, String(next));
  else db.set(key, String(next));
  ctx.reply.integer(next);
}

/** INCR (and DECR: `increment` -1) straight from the request's bytes: no key string unless the key is new. */
function incrDecrFast(ctx: CommandContext, req: RawRequest, increment: Int64): void {
  const db = ctx.db;
  const bytes = req.scannedBuffer;
  const start = req.argOffset(1);
  const end = start + req.argLength(1);
  const slot = db.liveSlotBytes(bytes, start, end);
  const next = incremented(db, slot, increment);
  if (slot >= 0) db.replaceInSlot(slot, String(next));
  else db.setBytes(bytes, start, end, String(next));
  ctx.reply.integer(next);
}

/** The value in `slot` (-1: a missing key, 0) plus `increment`, or the error INCR replies. */
function incremented(db: Database, slot: number, increment: Int64): Int64 {
  let value: Int64 = 0;
  if (slot >= 0) {
    const current = db.valueInSlot(slot);
    if (typeof current !== 'string') throw new ReplyError(Errors.wrongType);
    const parsed = parseInt64(current);
    if (parsed === null) throw new ReplyError(Errors.notInteger);
    value = parsed;
  }
  const next = addInt64(value, increment);
  if (next === undefined) throw new ReplyError(Errors.overflow);
  return next;
}

function decrbyCommand(ctx: CommandContext, args: Buffer[]): void {
  const by = int64Arg(args[2]);
  if (by === INT64_MIN) throw new ReplyError('ERR decrement would overflow');
  incrDecr(ctx, asKey(args[1]), typeof by === 'number' ? -by : -by);
}

/** The increment of INCRBY/DECRBY from the raw request, checked as int64Arg does. */
function incrementArg(req: RawRequest): Int64 {
  const by = parseInt64(req.latin1(2));
  if (by === null) throw new ReplyError(Errors.notInteger);
  return by;
}

function decrbyFast(ctx: CommandContext, req: RawRequest): void {
  const by = incrementArg(req);
  if (by === INT64_MIN) throw new ReplyError('ERR decrement would overflow');
  incrDecrFast(ctx, req, typeof by === 'number' ? -by : -by);
}

function incrbyfloatCommand(ctx: CommandContext, args: Buffer[]): void {
  const key = asKey(args[1]);
  const current = stringOrMissing(ctx.db.get(key));
  let value: LongDouble = { negative: false, m: 0n, e: 0, infinite: false };
  if (current !== undefined) {
    const parsed = parseLongDouble(current);
    if (parsed === undefined) throw new ReplyError(Errors.notFloat);
    value = parsed;
  }
  const increment = parseLongDouble(asKey(args[2]));
  if (increment === undefined) throw new ReplyError(Errors.notFloat);
  const sum = addLongDouble(value, increment);
  if (sum.infinite) throw new ReplyError('ERR increment would produce NaN or Infinity');
  const text = formatLongDouble(sum);
  ctx.db.set(key, text, true);
  ctx.reply.bulk(text);
}

// ---- ranges and lengths ------------------------------------------------------------------------

function appendCommand(ctx: CommandContext, args: Buffer[]): void {
  const key = asKey(args[1]);
  const current = stringOrMissing(ctx.db.get(key));
  const suffix = asKey(args[2]);
  if (current === undefined) {
    ctx.db.set(key, suffix);
    ctx.reply.integer(suffix.length);
    return;
  }
  checkStringLength(ctx, current.length, suffix.length);
  const next = buildString(() => current + suffix);
  ctx.db.set(key, next, true);
  ctx.reply.integer(next.length);
}

function strlenCommand(ctx: CommandContext, args: Buffer[]): void {
  const value = stringOrMissing(readLookup(ctx, asKey(args[1])));
  ctx.reply.integer(value === undefined ? 0 : value.length);
}

function getrangeCommand(ctx: CommandContext, args: Buffer[]): void {
  let start = longArg(args[2]);
  let end = longArg(args[3]);
  const value = stringOrMissing(readLookup(ctx, asKey(args[1])));
  if (value === undefined) {
    ctx.reply.bulk('');
    return;
  }
  const len = value.length;
  if (start < 0 && end < 0 && start > end) {
    ctx.reply.bulk('');
    return;
  }
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) ctx.reply.bulk('');
  else ctx.reply.bulk(value.substring(start, end + 1));
}

function setrangeCommand(ctx: CommandContext, args: Buffer[]): void {
  const offset = longArg(args[2]);
  if (offset < 0) throw new ReplyError('ERR offset is out of range');
  const key = asKey(args[1]);
  const patch = asKey(args[3]);
  const current = stringOrMissing(ctx.db.get(key));
  if (current === undefined) {
    if (patch.length === 0) {
      ctx.reply.integer(0);
      return;
    }
    checkStringLength(ctx, offset, patch.length);
    const next = buildString(() => '\0'.repeat(offset) + patch);
    ctx.db.set(key, next);
    ctx.reply.integer(next.length);
    return;
  }
  if (patch.length === 0) {
    ctx.reply.integer(current.length);
    return;
  }
  checkStringLength(ctx, offset, patch.length);
  const next = buildString(() => {
    const head = offset <= current.length ? current.slice(0, offset) : current + '\0'.repeat(offset - current.length);
    return head + patch + current.slice(offset + patch.length);
  });
  ctx.db.set(key, next, true);
  ctx.reply.integer(next.length);
}

// ---- LCS -------------------------------------------------------------------------------------

function lcsCommand(ctx: CommandContext, args: Buffer[]): void {
  const rawA = readLookup(ctx, asKey(args[1]));
  const rawB = readLookup(ctx, asKey(args[2]));
  if ((rawA !== undefined && typeof rawA !== 'string') || (rawB !== undefined && typeof rawB !== 'string')) {
    throw new ReplyError('ERR The specified keys must contain string values');
  }
  const a = rawA ?? '';
  const b = rawB ?? '';
  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < args.length; j++) {
    const opt = args[j];
    if (isWord(opt, 'idx')) getIdx = true;
    else if (isWord(opt, 'len')) getLen = true;
    else if (isWord(opt, 'withmatchlen')) withMatchLen = true;
    else if (isWord(opt, 'minmatchlen') && j < args.length - 1) {
      minMatchLen = longArg(args[++j]);
      if (minMatchLen < 0) minMatchLen = 0;
    } else throw new ReplyError(Errors.syntax);
  }
  if (getLen && getIdx) throw new ReplyError('ERR If you want both the length and indexes, please just use IDX.');
  const alen = a.length;
  const blen = b.length;
  const cells = (alen + 1) * (blen + 1);
  if (cells * 4 > protoMaxBulkLen(ctx)) {
    throw new ReplyError('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  }
  // table[i * (blen + 1) + j] = LCS length of a[0..i) and b[0..j)
  const width = blen + 1;
  const table = new Uint32Array(cells);
  for (let i = 1; i <= alen; i++) {
    const ai = a.charCodeAt(i - 1);
    const row = i * width;
    const prev = row - width;
    for (let j = 1; j <= blen; j++) {
      if (ai === b.charCodeAt(j - 1)) table[row + j] = table[prev + j - 1] + 1;
      else {
        const up = table[prev + j];
        const left = table[row + j - 1];
        table[row + j] = up > left ? up : left;
      }
    }
  }
  const total = table[alen * width + blen];
  if (getLen) {
    ctx.reply.integer(total);
    return;
  }
  // Walk back from the end, collecting the common subsequence and its matching ranges.
  const chars: number[] = new Array(total);
  const ranges: number[][] = [];
  let idx = total;
  let i = alen;
  let j = blen;
  let aStart = -1;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars[idx - 1] = a.charCodeAt(i - 1);
      if (aStart === -1) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (table[(i - 1) * width + j] > table[i * width + j - 1]) i--;
      else j--;
      if (aStart !== -1) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (minMatchLen === 0 || matchLen >= minMatchLen) ranges.push([aStart, aEnd, bStart, bEnd, matchLen]);
      aStart = -1;
    }
  }
  if (!getIdx) {
    ctx.reply.bulk(Buffer.from(chars));
    return;
  }
  ctx.reply.mapHeader(2);
  ctx.reply.bulk('matches');
  ctx.reply.arrayHeader(ranges.length);
  for (const [as, ae, bs, be, len] of ranges) {
    ctx.reply.arrayHeader(withMatchLen ? 3 : 2);
    ctx.reply.arrayHeader(2);
    ctx.reply.integer(as);
    ctx.reply.integer(ae);
    ctx.reply.arrayHeader(2);
    ctx.reply.integer(bs);
    ctx.reply.integer(be);
    if (withMatchLen) ctx.reply.integer(len);
  }
  ctx.reply.bulk('len');
  ctx.reply.integer(total);
}

// ---- the table -------------------------------------------------------------------------------

const RANGE_COMPLEXITY =
  'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.';

export const stringCommands: CommandSpec[] = [
  {
    name: 'get',
    arity: 2,
    flags: ['readonly', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['read', 'string', 'fast'],
    group: 'string',
    summary: 'Returns the string value of a key.',
    since: '1.0.0',
    complexity: 'O(1)',
    handler: getCommand,
    fast: getFast,
  },
  {
    name: 'set',
    arity: -3,
    flags: ['write', 'denyoom'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'string', 'slow'],
    group: 'string',
    summary: "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
    since: '1.0.0',
    complexity: 'O(1)',
    handler: setCommand,
    fast: setFast,
  },
  {
    name: 'setnx',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'string', 'fast'],
    group: 'string',
    summary: "Set the string value of a key only when the key doesn't exist.",
    since: '1.0.0',
    complexity: 'O(1)',
    handler: setnxCommand,
  },
  {
    name: 'setex',
    arity: 4,
    flags: ['write', 'denyoom'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'string', 'slow'],
    group: 'string',
    summary: "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.",
    since: '2.0.0',
    complexity: 'O(1)',
    handler: (ctx, args) => setWithExpire(ctx, args, true, 'setex'),
  },
  {
    name: 'psetex',
    arity: 4,
    flags: ['write', 'denyoom'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'string', 'slow'],
    group: 'string',
    summary:
      "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.",
    since: '2.6.0',
    complexity: 'O(1)',
    handler: (ctx, args) => setWithExpire(ctx, args, false, 'psetex'),
  },
  {
    name: 'getex',
    arity: -2,
    flags: ['write', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'string', 'fast'],
    group: 'string',
    summary: 'Returns the string value of a key after setting its expiration time.',
    since: '6.2.0',
    complexity: 'O(1)',
    handler: getexCommand,
  },
  {
    name: 'getdel',
    arity: 2,
    flags: ['write', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'string', 'fast'],
    group: 'string',
    summary: 'Returns the string value of a key after deleting the key.',
    since: '6.2.0',
    complexity: 'O(1)',
    handler: getdelCommand,
  },
  {
    name: 'getset',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'string', 'fast'],
    group: 'string',
    summary: 'Returns the previous string value of a key after setting it to a new value.',
    since: '1.0.0',
    complexity: 'O(1)',
    handler: getsetCommand,
  },
  {
    name: 'mget',
    arity: -2,
    flags: ['readonly', 'fast'],
    firstKey: 1,
    lastKey: -1,
    keyStep: 1,
    acl: ['read', 'string', 'fast'],
    group: 'string',
    summary: 'Atomically returns the string values of one or more keys.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of keys to retrieve.',
    handler: mgetCommand,
  },
  {
    name: 'mset',
    arity: -3,
    flags: ['write', 'denyoom'],
    firstKey: 1,
    lastKey: -1,
    keyStep: 2,
    acl: ['write', 'string', 'slow'],
    group: 'string',
    summary: 'Atomically creates or modifies the string values of one or more keys.',
    since: '1.0.1',
    complexity: 'O(N) where N is the number of keys to set.',
    handler: (ctx, args) => msetGeneric(ctx, args, false, 'mset'),
    fast: msetFast,
  },
  {
    name: 'msetnx',
    arity: -3,
    flags: ['write', 'denyoom'],
    firstKey: 1,
    lastKey: -1,
    keyStep: 2,
    acl: ['write', 'string', 'slow'],
    group: 'string',
    summary: "Atomically modifies the string values of one or more keys only when all keys don't exist.",
    since: '1.0.1',
    complexity: 'O(N) where N is the number of keys to set.',
    handler: (ctx, args) => msetGeneric(ctx, args, true, 'msetnx'),
  },
  {
    name: 'incr',
    arity: 2,
    flags: ['write', 'denyoom', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'string', 'fast'],
    group: 'string',
    summary: "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
    since: '1.0.0',
    complexity: 'O(1)',
    handler: (ctx, args) => incrDecr(ctx, asKey(args[1]), 1),
    fast: (ctx, req) => incrDecrFast(ctx, req, 1),
  },
  {
    name: 'decr',
    arity: 2,
    flags: ['write', 'denyoom', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'string', 'fast'],
    group: 'string',
    summary: "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
    since: '1.0.0',
    complexity: 'O(1)',
    handler: (ctx, args) => incrDecr(ctx, asKey(args[1]), -1),
    fast: (ctx, req) => incrDecrFast(ctx, req, -1),
  },
  {
    name: 'incrby',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'string', 'fast'],
    group: 'string',
    summary:
      "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
    since: '1.0.0',
    complexity: 'O(1)',
    handler: (ctx, args) => incrDecr(ctx, asKey(args[1]), int64Arg(args[2])),
    fast: (ctx, req) => incrDecrFast(ctx, req, incrementArg(req)),
  },
  {
    name: 'decrby',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'string', 'fast'],
    group: 'string',
    summary:
      "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.",
    since: '1.0.0',
    complexity: 'O(1)',
    handler: decrbyCommand,
    fast: decrbyFast,
  },
  {
    name: 'incrbyfloat',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'string', 'fast'],
    group: 'string',
    summary:
      "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
    since: '2.6.0',
    complexity: 'O(1)',
    handler: incrbyfloatCommand,
  },
  {
    name: 'append',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'string', 'fast'],
    group: 'string',
    summary: "Appends a string to the value of a key. Creates the key if it doesn't exist.",
    since: '2.0.0',
    complexity:
      'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by the server will double the free space available on every reallocation.',
    handler: appendCommand,
  },
  {
    name: 'strlen',
    arity: 2,
    flags: ['readonly', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['read', 'string', 'fast'],
    group: 'string',
    summary: 'Returns the length of a string value.',
    since: '2.2.0',
    complexity: 'O(1)',
    handler: strlenCommand,
  },
  {
    name: 'getrange',
    arity: 4,
    flags: ['readonly'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['read', 'string', 'slow'],
    group: 'string',
    summary: 'Returns a substring of the string stored at a key.',
    since: '2.4.0',
    complexity: RANGE_COMPLEXITY,
    handler: getrangeCommand,
  },
  {
    name: 'substr',
    arity: 4,
    flags: ['readonly'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['read', 'string', 'slow'],
    group: 'string',
    summary: 'Returns a substring from a string value.',
    since: '1.0.0',
    complexity: RANGE_COMPLEXITY,
    handler: getrangeCommand,
  },
  {
    name: 'setrange',
    arity: 4,
    flags: ['write', 'denyoom'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'string', 'slow'],
    group: 'string',
    summary:
      "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.",
    since: '2.2.0',
    complexity:
      'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
    handler: setrangeCommand,
  },
  {
    name: 'lcs',
    arity: -3,
    flags: ['readonly'],
    firstKey: 1,
    lastKey: 2,
    keyStep: 1,
    acl: ['read', 'string', 'slow'],
    group: 'string',
    summary: 'Finds the longest common substring.',
    since: '7.0.0',
    complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
    handler: lcsCommand,
  },
];
