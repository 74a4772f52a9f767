/**
 * The sorted set family (valkey src/t_zset.c): ZADD and friends, the range commands with their
 * BYSCORE/BYLEX/REV/LIMIT forms, the set operations (sets count as sorted sets with score 1), the
 * pops including the blocking BZPOPMIN/BZPOPMAX/BZMPOP, ZRANDMEMBER and ZSCAN.
 *
 * Scores are printed as Valkey 8 prints them (shortest round trip, zset-score.ts formatScore);
 * redis-server 7.0 printed "%.17g", so a non-dyadic score such as 0.1 reads differently there.
 */
import { parseScanOptions, replyEmptyScan, scanCursorArg } from './collection-scan';
import { blockForKeys, blockingTimeoutArg } from '../blocking';
import type { CollectionValue, StoredValue } from '../keyspace/database';
import type { ReplyWriter } from '../protocol/reply-writer';
import { globMatch } from '../util/glob';
import { parseInt64 } from '../util/int64';
import {
  SortedSet,
  ZADD_ADDED,
  ZADD_GT,
  ZADD_INCR,
  ZADD_LT,
  ZADD_NAN,
  ZADD_NOP,
  ZADD_NX,
  ZADD_UPDATED,
  ZADD_XX,
  type ZsetLimits,
} from '../datatypes/zset';
import {
  formatScore,
  type LexRange,
  parseLexRange,
  parseScore,
  parseScoreBytes,
  parseScoreRange,
  type ScoreRange,
} from '../datatypes/zset-score';
import { comparePairs } from '../datatypes/zset-tree';
import {
  type AclCategory,
  asKey,
  type CommandContext,
  type CommandFlag,
  type CommandHandler,
  type CommandSpec,
  Errors,
  type FastHandler,
  type RawRequest,
  ReplyError,
} from './command';
import { ConfigDerived } from './hashes';
import { collectionOrMissing, isWord, readCollection, readLookup, writeCollection, requestKeySlot } from './string-support';

const NAN_ERROR = 'ERR resulting score is not a number (NaN)';
const NOT_FLOAT_RANGE = 'ERR min or max is not a float';
const NOT_LEX_RANGE = 'ERR min or max not valid string range item';
const MUST_BE_POSITIVE = 'ERR value is out of range, must be positive';
const LONG_MAX = 9223372036854775807n;

// ---- shared helpers ------------------------------------------------------------------------------

/** zset-max-listpack-entries / -value, derived once per config change (ZADD asks on every call). */
const LIMITS = new ConfigDerived<ZsetLimits>((ctx) => ({
  maxEntries: configNumber(ctx.server.config('zset-max-listpack-entries'), 128),
  maxValue: configNumber(ctx.server.config('zset-max-listpack-value'), 64),
}));

/** zset-max-listpack-entries / -value as configured now. */
export function zsetLimits(ctx: CommandContext): ZsetLimits {
  return LIMITS.read(ctx);
}

function configNumber(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  return Number.isFinite(n) ? n : fallback;
}

/** lookupKeyRead (counted in keyspace hits/misses) of a sorted set. */
function readZset(ctx: CommandContext, key: string): SortedSet | undefined {
  return readCollection(ctx, key, SortedSet);
}

/** lookupKeyWrite of a sorted set. */
function writeZset(ctx: CommandContext, key: string): SortedSet | undefined {
  return writeCollection(ctx, key, SortedSet);
}

/** A score reply: a RESP3 double, or a bulk string under RESP2 (addReplyDouble). */
export function replyScore(reply: ReplyWriter, score: number): void {
  const text = formatScore(score);
  if (reply.resp === 3) reply.rawString(`,${text}\r\n`);
  else reply.bulk(text);
}

/** getLongFromObjectOrReply (a C long: int64). Values past 2^53 are clamped, which no size can reach. */
function longArg(arg: Buffer, message: string = Errors.notInteger): number {
  const v = parseInt64(arg);
  if (v === null) throw new ReplyError(message);
  if (typeof v === 'number') return v;
  return v > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
}

/** getRangeLongFromObjectOrReply with a custom message used for every failure. */
function rangeLongArg(arg: Buffer, min: number, message: string): number {
  const v = longArg(arg, message);
  if (v < min) throw new ReplyError(message);
  return v;
}

/** getPositiveLongFromObjectOrReply: one message for a non-integer and a negative value alike. */
function positiveLongArg(arg: Buffer, message: string = MUST_BE_POSITIVE): number {
  return rangeLongArg(arg, 0, message);
}

/** Deletes an emptied sorted set and tells WATCHers the key changed. */
function afterWrite(ctx: CommandContext, key: string, zset: SortedSet): void {
  if (zset.size() === 0) ctx.db.delete(key);
  else ctx.db.markModified(key);
}

// ---- ZADD / ZINCRBY ------------------------------------------------------------------------------

function zaddGeneric(ctx: CommandContext, args: Buffer[], baseFlags: number): void {
  let flags = baseFlags;
  let ch = false;
  let scoreIdx = 2;
  while (scoreIdx < args.length) {
    const opt = args[scoreIdx];
    if (isWord(opt, 'nx')) flags |= ZADD_NX;
    else if (isWord(opt, 'xx')) flags |= ZADD_XX;
    else if (isWord(opt, 'ch')) ch = true;
    else if (isWord(opt, 'incr')) flags |= ZADD_INCR;
    else if (isWord(opt, 'gt')) flags |= ZADD_GT;
    else if (isWord(opt, 'lt')) flags |= ZADD_LT;
    else break;
    scoreIdx++;
  }
  const incr = (flags & ZADD_INCR) !== 0;
  const nx = (flags & ZADD_NX) !== 0;
  const xx = (flags & ZADD_XX) !== 0;
  const gt = (flags & ZADD_GT) !== 0;
  const lt = (flags & ZADD_LT) !== 0;
  const remaining = args.length - scoreIdx;
  if (remaining % 2 !== 0 || remaining === 0) throw new ReplyError(Errors.syntax);
  const elements = remaining / 2;
  if (nx && xx) throw new ReplyError('ERR XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    throw new ReplyError('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  if (incr && elements > 1) throw new ReplyError('ERR INCR option supports a single increment-element pair');

  // Every score is parsed before anything changes: the command runs fully or not at all.
  const scores: number[] = new Array<number>(elements);
  let maxLength = 0;
  for (let j = 0; j < elements; j++) {
    const score = parseScore(asKey(args[scoreIdx + j * 2]));
    if (score === undefined) throw new ReplyError(Errors.notFloat);
    scores[j] = score;
    const len = args[scoreIdx + 1 + j * 2].length;
    if (len > maxLength) maxLength = len;
  }

  const key = asKey(args[1]);
  const db = ctx.db;
  const limits = zsetLimits(ctx);
  let zset = writeZset(ctx, key);
  let created = false;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (zset === undefined) {
    if (xx) {
      if (incr) ctx.reply.nullBulk();
      else ctx.reply.integer(0);
      return;
    }
    zset = SortedSet.create(elements, maxLength, limits);
    created = true;
  } else {
    zset.maybeConvert(elements, maxLength, limits);
  }
  let failed = false;
  for (let j = 0; j < elements; j++) {
    const outcome = zset.add(scores[j], asKey(args[scoreIdx + 1 + j * 2]), flags, limits);
    if (outcome === ZADD_NAN) {
      failed = true;
      break;
    }
    if ((outcome & ZADD_ADDED) !== 0) added++;
    if ((outcome & ZADD_UPDATED) !== 0) updated++;
    if ((outcome & ZADD_NOP) === 0) processed++;
    score = zset.lastScore;
  }
  if (created) {
    if (zset.size() > 0) db.set(key, zset);
  } else if (added !== 0 || updated !== 0) {
    db.markModified(key);
  }
  if (failed) {
    ctx.reply.error(NAN_ERROR);
    return;
  }
  if (incr) {
    if (processed !== 0) replyScore(ctx.reply, score);
    else ctx.reply.nullBulk();
  } else {
    ctx.reply.integer(ch ? added + updated : added);
  }
}

function zremCommand(ctx: CommandContext, args: Buffer[]): void {
  const key = asKey(args[1]);
  const zset = writeZset(ctx, key);
  if (zset === undefined) {
    ctx.reply.integer(0);
    return;
  }
  let deleted = 0;
  for (let j = 2; j < args.length; j++) {
    if (zset.remove(asKey(args[j]))) deleted++;
    if (zset.size() === 0) break;
  }
  if (deleted !== 0) afterWrite(ctx, key, zset);
  ctx.reply.integer(deleted);
}

// ---- single-member reads ---------------------------------------------------------------------------

function zcardCommand(ctx: CommandContext, args: Buffer[]): void {
  const zset = readZset(ctx, asKey(args[1]));
  ctx.reply.integer(zset === undefined ? 0 : zset.size());
}

function zscoreCommand(ctx: CommandContext, args: Buffer[]): void {
  const zset = readZset(ctx, asKey(args[1]));
  const score = zset?.score(asKey(args[2]));
  if (score === undefined) ctx.reply.nullBulk();
  else replyScore(ctx.reply, score);
}

function zmscoreCommand(ctx: CommandContext, args: Buffer[]): void {
  const zset = readZset(ctx, asKey(args[1]));
  ctx.reply.arrayHeader(args.length - 2);
  for (let j = 2; j < args.length; j++) {
    const score = zset?.score(asKey(args[j]));
    if (score === undefined) ctx.reply.nullBulk();
    else replyScore(ctx.reply, score);
  }
}

function zrankGeneric(ctx: CommandContext, args: Buffer[], reverse: boolean, name: string): void {
  if (args.length > 4) throw new ReplyError(Errors.wrongArity(name));
  let withScore = false;
  if (args.length === 4) {
    if (!isWord(args[3], 'withscore')) throw new ReplyError(Errors.syntax);
    withScore = true;
  }
  const zset = readZset(ctx, asKey(args[1]));
  const rank = zset === undefined ? -1 : zset.rank(asKey(args[2]), reverse);
  if (rank < 0) {
    if (withScore) ctx.reply.nullArray();
    else ctx.reply.nullBulk();
    return;
  }
  if (withScore) ctx.reply.arrayHeader(2);
  ctx.reply.integer(rank);
  if (withScore) replyScore(ctx.reply, (zset as SortedSet).lastScore);
}

// ---- counts ------------------------------------------------------------------------------------

function zcountCommand(ctx: CommandContext, args: Buffer[]): void {
  const range = parseScoreRange(asKey(args[2]), asKey(args[3]));
  if (range === undefined) throw new ReplyError(NOT_FLOAT_RANGE);
  const zset = readZset(ctx, asKey(args[1]));
  ctx.reply.integer(zset === undefined ? 0 : zset.countInScoreRange(range));
}

function zlexcountCommand(ctx: CommandContext, args: Buffer[]): void {
  const range = parseLexRange(asKey(args[2]), asKey(args[3]));
  if (range === undefined) throw new ReplyError(NOT_LEX_RANGE);
  const zset = readZset(ctx, asKey(args[1]));
  ctx.reply.integer(zset === undefined ? 0 : zset.countInLexRange(range));
}

// ---- ranges ------------------------------------------------------------------------------------

type RangeType = 'auto' | 'rank' | 'score' | 'lex';
type Direction = 'auto' | 'forward' | 'reverse';

/** Where a range's pairs go: the client (ZRANGE…) or a new sorted set (ZRANGESTORE). */
interface RangeSink {
  readonly members: string[];
  readonly scores: number[];
}

/** zrangeGenericCommand: ZRANGE, ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYLEX, … */
function zrangeGeneric(
  ctx: CommandContext,
  args: Buffer[],
  argStart: number,
  store: boolean,
  initialType: RangeType,
  initialDirection: Direction,
): void {
  let rangeType = initialType;
  let direction = initialDirection;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = argStart + 3; j < args.length; j++) {
    const left = args.length - j - 1;
    if (!store && isWord(args[j], 'withscores')) {
      withScores = true;
    } else if (isWord(args[j], 'limit') && left >= 2) {
      offset = longArg(args[j + 1]);
      limit = longArg(args[j + 2]);
      j += 2;
    } else if (direction === 'auto' && isWord(args[j], 'rev')) {
      direction = 'reverse';
    } else if (rangeType === 'auto' && isWord(args[j], 'bylex')) {
      rangeType = 'lex';
    } else if (rangeType === 'auto' && isWord(args[j], 'byscore')) {
      rangeType = 'score';
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  if (direction === 'auto') direction = 'forward';
  if (rangeType === 'auto') rangeType = 'rank';
  if (limit !== -1 && rangeType === 'rank') {
    throw new ReplyError('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (withScores && rangeType === 'lex') {
    throw new ReplyError('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  }
  const reverse = direction === 'reverse';
  let minIdx = argStart + 1;
  let maxIdx = argStart + 2;
  if (reverse && rangeType !== 'rank') [minIdx, maxIdx] = [maxIdx, minIdx];

  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | undefined;
  let lexRange: LexRange | undefined;
  if (rangeType === 'rank') {
    start = longArg(args[minIdx]);
    end = longArg(args[maxIdx]);
  } else if (rangeType === 'score') {
    scoreRange = parseScoreRange(asKey(args[minIdx]), asKey(args[maxIdx]));
    if (scoreRange === undefined) throw new ReplyError(NOT_FLOAT_RANGE);
  } else {
    lexRange = parseLexRange(asKey(args[minIdx]), asKey(args[maxIdx]));
    if (lexRange === undefined) throw new ReplyError(NOT_LEX_RANGE);
  }

  const zset = readZset(ctx, asKey(args[argStart]));
  if (zset === undefined) {
    if (store) finishStore(ctx, asKey(args[1]), { members: [], scores: [] }, 0);
    else ctx.reply.arrayHeader(0);
    return;
  }
  const sink: RangeSink = { members: [], scores: [] };
  const emit = (member: string, score: number): void => {
    sink.members.push(member);
    sink.scores.push(score);
  };
  let sizeHint = 0;
  if (rangeType === 'rank') {
    const length = zset.size();
    if (start < 0) start += length;
    if (end < 0) end += length;
    if (start < 0) start = 0;
    if (!(start > end || start >= length)) {
      if (end >= length) end = length - 1;
      sizeHint = end - start + 1;
      zset.rangeByRank(start, end, reverse, emit);
    }
  } else if (rangeType === 'score') {
    zset.rangeByScore(scoreRange as ScoreRange, reverse, offset, limit, emit);
  } else {
    zset.rangeByLex(lexRange as LexRange, reverse, offset, limit, emit);
  }
  if (store) finishStore(ctx, asKey(args[1]), sink, sizeHint);
  else replyPairs(ctx.reply, sink.members, withScores ? sink.scores : undefined);
}

/** An array of members, with their scores when given (flat in RESP2, [member, score] pairs in RESP3). */
function replyPairs(reply: ReplyWriter, members: readonly string[], scores: readonly number[] | undefined): void {
  const n = members.length;
  if (scores === undefined) {
    reply.arrayHeader(n);
    for (let i = 0; i < n; i++) reply.bulk(members[i]);
    return;
  }
  const nested = reply.resp === 3;
  reply.arrayHeader(nested ? n : n * 2);
  for (let i = 0; i < n; i++) {
    if (nested) reply.arrayHeader(2);
    reply.bulk(members[i]);
    replyScore(reply, scores[i]);
  }
}

/** zrangeResultFinalizeStore: stores the pairs at `dst` (or deletes it when there are none). */
function finishStore(ctx: CommandContext, dst: string, sink: RangeSink, sizeHint: number): void {
  const n = sink.members.length;
  if (n === 0) {
    ctx.reply.integer(0);
    ctx.db.delete(dst);
    return;
  }
  const limits = zsetLimits(ctx);
  const zset = SortedSet.create(sizeHint, 0, limits);
  for (let i = 0; i < n; i++) zset.add(sink.scores[i], sink.members[i], 0, limits);
  ctx.db.set(dst, zset);
  ctx.reply.integer(n);
}

function zremrangeGeneric(ctx: CommandContext, args: Buffer[], type: 'rank' | 'score' | 'lex'): void {
  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | undefined;
  let lexRange: LexRange | undefined;
  if (type === 'rank') {
    start = longArg(args[2]);
    end = longArg(args[3]);
  } else if (type === 'score') {
    scoreRange = parseScoreRange(asKey(args[2]), asKey(args[3]));
    if (scoreRange === undefined) throw new ReplyError(NOT_FLOAT_RANGE);
  } else {
    lexRange = parseLexRange(asKey(args[2]), asKey(args[3]));
    if (lexRange === undefined) throw new ReplyError(NOT_LEX_RANGE);
  }
  const key = asKey(args[1]);
  const zset = writeZset(ctx, key);
  if (zset === undefined) {
    ctx.reply.integer(0);
    return;
  }
  let deleted: number;
  if (type === 'rank') {
    const length = zset.size();
    if (start < 0) start += length;
    if (end < 0) end += length;
    if (start < 0) start = 0;
    if (start > end || start >= length) {
      ctx.reply.integer(0);
      return;
    }
    if (end >= length) end = length - 1;
    deleted = zset.removeRangeByRank(start, end);
  } else if (type === 'score') {
    deleted = zset.removeRangeByScore(scoreRange as ScoreRange);
  } else {
    deleted = zset.removeRangeByLex(lexRange as LexRange);
  }
  if (deleted !== 0) afterWrite(ctx, key, zset);
  ctx.reply.integer(deleted);
}

// ---- pops --------------------------------------------------------------------------------------

/**
 * genericZpopCommand: pops from the first existing key of `keys` (a non-zset there is WRONGTYPE).
 * `count` -1 is the plain single pop. Reply shapes: flat [m, s, …] (ZPOPMIN), nested [[m, s], …]
 * (ZPOPMIN with COUNT under RESP3), [key, m, s] (BZPOPMIN), [key, [[m, s], …]] (ZMPOP/BZMPOP).
 * The blocking commands call this once they know a key has data.
 */
export function zpopFromKeys(
  ctx: CommandContext,
  keys: readonly string[],
  max: boolean,
  emitKey: boolean,
  requested: number,
  nested: boolean,
  nullWhenEmpty: boolean,
): void {
  let key = '';
  let zset: SortedSet | undefined;
  for (const k of keys) {
    zset = writeZset(ctx, k);
    if (zset !== undefined) {
      key = k;
      break;
    }
  }
  if (zset === undefined) {
    if (nullWhenEmpty) ctx.reply.nullArray();
    else ctx.reply.arrayHeader(0);
    return;
  }
  if (requested === 0) {
    ctx.reply.arrayHeader(0);
    return;
  }
  const count = requested === -1 ? 1 : requested;
  const length = zset.size();
  const n = count > length ? length : count;
  const reply = ctx.reply;
  if (!nested && !emitKey) {
    reply.arrayHeader(n * 2);
  } else if (nested && !emitKey) {
    reply.arrayHeader(n);
  } else if (!nested && emitKey) {
    reply.arrayHeader(n * 2 + 1);
    reply.bulk(key);
  } else {
    reply.arrayHeader(2);
    reply.bulk(key);
    reply.arrayHeader(n);
  }
  for (let i = 0; i < n; i++) {
    const [member, score] = zset.pop(max) as [string, number];
    if (nested) reply.arrayHeader(2);
    reply.bulk(member);
    replyScore(reply, score);
  }
  afterWrite(ctx, key, zset);
}

function zpopMinMax(ctx: CommandContext, args: Buffer[], max: boolean): void {
  if (args.length > 3) throw new ReplyError(Errors.syntax);
  let count = -1;
  if (args.length === 3) count = positiveLongArg(args[2]);
  zpopFromKeys(ctx, [asKey(args[1])], max, false, count, ctx.reply.resp === 3 && count !== -1, false);
}

/** blockingGenericZpopCommand: serve the first non-empty key now, else block (or time out). */
function blockingZpop(
  ctx: CommandContext,
  keys: readonly string[],
  max: boolean,
  timeoutArg: Buffer,
  count: number,
  nested: boolean,
  nullWhenEmpty: boolean,
): void {
  const deadline = blockingTimeoutArg(ctx, timeoutArg);
  for (const key of keys) {
    const zset = writeZset(ctx, key);
    if (zset === undefined || zset.size() === 0) continue;
    zpopFromKeys(ctx, [key], max, true, count, nested, nullWhenEmpty);
    return;
  }
  if (blockForKeys(ctx, keys, deadline, 'zset')) return;
  ctx.reply.nullArray();
}

function bzpopMinMax(ctx: CommandContext, args: Buffer[], max: boolean): void {
  const keys = args.slice(1, -1).map(asKey);
  blockingZpop(ctx, keys, max, args[args.length - 1], -1, false, false);
}

/** ZMPOP / BZMPOP: numkeys, keys, MIN|MAX, [COUNT n]. */
function zmpopGeneric(ctx: CommandContext, args: Buffer[], numkeysIdx: number, block: boolean): void {
  const numkeys = rangeLongArg(args[numkeysIdx], 1, 'ERR numkeys should be greater than 0');
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= args.length) throw new ReplyError(Errors.syntax);
  let max: boolean;
  if (isWord(args[whereIdx], 'min')) max = false;
  else if (isWord(args[whereIdx], 'max')) max = true;
  else throw new ReplyError(Errors.syntax);
  let count = -1;
  for (let j = whereIdx + 1; j < args.length; j++) {
    const more = args.length - 1 - j;
    if (count === -1 && isWord(args[j], 'count') && more > 0) {
      j++;
      count = rangeLongArg(args[j], 1, 'ERR count should be greater than 0');
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  if (count === -1) count = 1;
  const keys = args.slice(numkeysIdx + 1, numkeysIdx + 1 + numkeys).map(asKey);
  if (block) blockingZpop(ctx, keys, max, args[1], count, true, true);
  else zpopFromKeys(ctx, keys, max, true, count, true, true);
}

// ---- the fast path ------------------------------------------------------------------------------
// ZADD key score member, ZRANGE key start stop [WITHSCORES] and ZPOPMIN/ZPOPMAX key straight from the
// read buffer (CommandSpec.fast): the set is found from the key's bytes and marked modified through
// its slot (Database.liveSlotBytes/markModifiedInSlot), with no Buffer per argument and no key
// string. Options, other arities, a score or index that is not a plain number and (for ZADD) a
// missing key take the general handlers, which do everything the same way.

/**
 * A plain decimal integer argument ("0", or an optional '-' and up to 15 digits without a leading
 * zero), or undefined for anything else, which the general handler then parses (and may reject).
 */
function plainIndexArg(req: RawRequest, i: number): number | undefined {
  const bytes = req.scannedBuffer;
  const start = req.argOffset(i);
  const n = req.argLength(i);
  const negative = n > 0 && bytes[start] === 45;
  const first = negative ? 1 : 0;
  if (n - first < 1 || n - first > 15) return undefined;
  if (bytes[start + first] === 48 && n - first > 1) return undefined;
  let v = 0;
  for (let k = first; k < n; k++) {
    const c = bytes[start + k];
    if (c < 48 || c > 57) return undefined;
    v = v * 10 + (c - 48);
  }
  if (negative && v === 0) return undefined;
  return negative ? -v : v;
}

/** True when argument `i` is `word` (lowercase ASCII) in any case. */
function argIsWord(req: RawRequest, i: number, word: string): boolean {
  const n = req.argLength(i);
  if (n !== word.length) return false;
  const bytes = req.scannedBuffer;
  const start = req.argOffset(i);
  for (let k = 0; k < n; k++) if ((bytes[start + k] | 0x20) !== word.charCodeAt(k)) return false;
  return true;
}

function zaddFast(ctx: CommandContext, req: RawRequest, argc: number): void {
  const buf = req.scannedBuffer;
  const score = argc === 4 ? parseScoreBytes(buf, req.argOffset(2), req.argLength(2)) : undefined;
  if (score === undefined) {
    zaddGeneric(ctx, req.views(argc), 0);
    return;
  }
  const db = ctx.db;
  const slot = requestKeySlot(ctx, req);
  const zset = slot < 0 ? undefined : collectionOrMissing(db.valueInSlot(slot), SortedSet);
  if (zset === undefined) {
    zaddGeneric(ctx, req.views(argc), 0);
    return;
  }
  const limits = zsetLimits(ctx);
  zset.maybeConvert(1, req.argLength(3), limits);
  const memberStart = req.argOffset(3);
  const outcome = zset.addBytes(score, buf, memberStart, memberStart + req.argLength(3), limits);
  if ((outcome & (ZADD_ADDED | ZADD_UPDATED)) !== 0) db.markModifiedInSlot(slot);
  ctx.reply.integer((outcome & ZADD_ADDED) !== 0 ? 1 : 0);
}

function zrangeFast(ctx: CommandContext, req: RawRequest, argc: number): void {
  const withScores = argc === 5 && argIsWord(req, 4, 'withscores');
  let start = argc === 4 || withScores ? plainIndexArg(req, 2) : undefined;
  let end = start === undefined ? undefined : plainIndexArg(req, 3);
  if (start === undefined || end === undefined) {
    zrangeGeneric(ctx, req.views(argc), 1, false, 'auto', 'auto');
    return;
  }
  const db = ctx.db;
  const slot = requestKeySlot(ctx, req);
  ctx.server.recordLookup(slot >= 0);
  const zset = slot < 0 ? undefined : collectionOrMissing(db.valueInSlot(slot), SortedSet);
  const reply = ctx.reply;
  if (zset === undefined) {
    reply.arrayHeader(0);
    return;
  }
  const length = zset.size();
  if (start < 0) start += length;
  if (end < 0) end += length;
  if (start < 0) start = 0;
  if (start > end || start >= length) {
    reply.arrayHeader(0);
    return;
  }
  if (end >= length) end = length - 1;
  const n = end - start + 1;
  if (!withScores) {
    reply.arrayHeader(n);
    zset.rangeByRank(start, end, false, (member) => reply.bulk(member));
    return;
  }
  const nested = reply.resp === 3;
  reply.arrayHeader(nested ? n : n * 2);
  zset.rangeByRank(start, end, false, (member, score) => {
    if (nested) reply.arrayHeader(2);
    reply.bulk(member);
    replyScore(reply, score);
  });
}

function zpopFast(ctx: CommandContext, req: RawRequest, argc: number, max: boolean): void {
  if (argc !== 2) {
    zpopMinMax(ctx, req.views(argc), max);
    return;
  }
  const db = ctx.db;
  const slot = requestKeySlot(ctx, req);
  const zset = slot < 0 ? undefined : collectionOrMissing(db.valueInSlot(slot), SortedSet);
  const reply = ctx.reply;
  if (zset === undefined) {
    reply.arrayHeader(0);
    return;
  }
  const [member, score] = zset.pop(max) as [string, number];
  reply.arrayHeader(2);
  reply.bulk(member);
  replyScore(reply, score);
  if (zset.size() === 0) db.delete(req.latin1(1));
  else db.markModifiedInSlot(slot);
}

/** A spec with its fast handler. */
function withFast(spec: CommandSpec, fast: FastHandler): CommandSpec {
  return { ...spec, fast };
}

// ---- ZUNION / ZINTER / ZDIFF and their STORE forms, ZINTERCARD ------------------------------------

/** A set value as sorted-set operations read it (members with score 1); the sets family's value has this shape. */
interface SetLike extends CollectionValue {
  has(member: string): boolean;
  forEach(visit: (member: string) => void): void;
}

/** One input of a set operation. */
interface OpSource {
  readonly zset: SortedSet | undefined;
  readonly set: SetLike | undefined;
  /** The stored value, to recognise the same key given twice. */
  readonly subject: StoredValue | undefined;
  weight: number;
  readonly length: number;
}

function opSource(value: StoredValue | undefined): OpSource {
  if (value === undefined) return { zset: undefined, set: undefined, subject: undefined, weight: 1, length: 0 };
  if (value instanceof SortedSet) return { zset: value, set: undefined, subject: value, weight: 1, length: value.size() };
  if (typeof value !== 'string' && value.kind === 'set') {
    const set = value as SetLike;
    return { zset: undefined, set, subject: value, weight: 1, length: set.size() };
  }
  throw new ReplyError(Errors.wrongType);
}

/** zuiFind: the member's score in a source (1 for a set member), or undefined. */
function sourceScore(src: OpSource, member: string): number | undefined {
  if (src.zset !== undefined) return src.zset.score(member);
  if (src.set !== undefined) return src.set.has(member) ? 1 : undefined;
  return undefined;
}

/** Visits a source's members with their scores (sets: score 1). */
function forEachInSource(src: OpSource, visit: (member: string, score: number) => boolean | void): void {
  if (src.zset !== undefined) {
    let stop = false;
    src.zset.forEach((m, s) => {
      if (!stop && visit(m, s) === false) stop = true;
    });
  } else if (src.set !== undefined) {
    let stop = false;
    src.set.forEach((m) => {
      if (!stop && visit(m, 1) === false) stop = true;
    });
  }
}

type Aggregate = 'sum' | 'min' | 'max';

function aggregate(target: number, value: number, how: Aggregate): number {
  if (how === 'sum') {
    const sum = target + value;
    // inf + -inf is NaN; Redis keeps 0 by convention.
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === 'min') return value < target ? value : target;
  return value > target ? value : target;
}

type SetOp = 'union' | 'inter' | 'diff';

function zsetOperation(ctx: CommandContext, args: Buffer[], dstKey: string | undefined, numkeysIdx: number, op: SetOp, cardinalityOnly: boolean, name: string): void {
  const setnum = longArg(args[numkeysIdx]);
  if (setnum < 1) throw new ReplyError(`ERR at least 1 input key is needed for '${name}' command`);
  if (setnum > args.length - (numkeysIdx + 1)) throw new ReplyError(Errors.syntax);
  const sources: OpSource[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) sources.push(opSource(readLookup(ctx, asKey(args[j]))));

  let how: Aggregate = 'sum';
  let withScores = false;
  let limit = 0;
  let remaining = args.length - j;
  while (remaining > 0) {
    if (op !== 'diff' && !cardinalityOnly && remaining >= setnum + 1 && isWord(args[j], 'weights')) {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const w = parseScore(asKey(args[j]));
        if (w === undefined) throw new ReplyError('ERR weight value is not a float');
        sources[i].weight = w;
      }
    } else if (op !== 'diff' && !cardinalityOnly && remaining >= 2 && isWord(args[j], 'aggregate')) {
      j++;
      if (isWord(args[j], 'sum')) how = 'sum';
      else if (isWord(args[j], 'min')) how = 'min';
      else if (isWord(args[j], 'max')) how = 'max';
      else throw new ReplyError(Errors.syntax);
      j++;
      remaining -= 2;
    } else if (remaining >= 1 && dstKey === undefined && !cardinalityOnly && isWord(args[j], 'withscores')) {
      j++;
      remaining--;
      withScores = true;
    } else if (cardinalityOnly && remaining >= 2 && isWord(args[j], 'limit')) {
      limit = positiveLongArg(args[j + 1], "ERR LIMIT can't be negative");
      j += 2;
      remaining -= 2;
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  // Smallest first (a stable sort: Redis's qsort may order equal sizes either way).
  if (op !== 'diff') sources.sort((a, b) => a.length - b.length);

  const result = new Map<string, number>();
  let cardinality = 0;
  if (op === 'inter') {
    const first = sources[0];
    if (first.length > 0) {
      forEachInSource(first, (member, memberScore) => {
        let score = first.weight * memberScore;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < sources.length; k++) {
          const other = sources[k];
          if (other.subject === first.subject) {
            score = aggregate(score, memberScore * other.weight, how);
            continue;
          }
          const found = sourceScore(other, member);
          if (found === undefined) break;
          score = aggregate(score, found * other.weight, how);
        }
        if (k < sources.length) return true;
        if (cardinalityOnly) {
          cardinality++;
          return !(limit !== 0 && cardinality >= limit);
        }
        result.set(member, score);
        return true;
      });
    }
  } else if (op === 'union') {
    for (const src of sources) {
      if (src.length === 0) continue;
      forEachInSource(src, (member, memberScore) => {
        let score = src.weight * memberScore;
        if (Number.isNaN(score)) score = 0;
        const existing = result.get(member);
        result.set(member, existing === undefined ? score : aggregate(existing, score, how));
      });
    }
  } else {
    const first = sources[0];
    const sameAsFirst = sources.some((s, i) => i > 0 && s.subject !== undefined && s.subject === first.subject);
    if (first.length > 0 && !sameAsFirst) {
      forEachInSource(first, (member, score) => {
        for (let k = 1; k < sources.length; k++) if (sourceScore(sources[k], member) !== undefined) return;
        result.set(member, score);
      });
    }
  }

  if (cardinalityOnly) {
    ctx.reply.integer(cardinality);
    return;
  }
  const members = Array.from(result.keys());
  const scores = members.map((m) => result.get(m) as number);
  const order = members.map((_, i) => i).sort((a, b) => comparePairs(scores[a], members[a], scores[b], members[b]));
  const sortedMembers = order.map((i) => members[i]);
  const sortedScores = order.map((i) => scores[i]);
  if (dstKey === undefined) {
    replyPairs(ctx.reply, sortedMembers, withScores ? sortedScores : undefined);
    return;
  }
  if (sortedMembers.length === 0) {
    ctx.reply.integer(0);
    ctx.db.delete(dstKey);
    return;
  }
  const limits = zsetLimits(ctx);
  let maxLength = 0;
  for (const m of sortedMembers) if (m.length > maxLength) maxLength = m.length;
  // Built as a skiplist, then packed when it fits (zsetConvertToListpackIfNeeded).
  const zset = SortedSet.create(Number.MAX_SAFE_INTEGER, 0, limits);
  for (let i = 0; i < sortedMembers.length; i++) zset.add(sortedScores[i], sortedMembers[i], 0, limits);
  zset.convertToListpackIfFits(maxLength, limits);
  ctx.db.set(dstKey, zset);
  ctx.reply.integer(zset.size());
}

// ---- ZRANDMEMBER -------------------------------------------------------------------------------

function zrandmemberCommand(ctx: CommandContext, args: Buffer[]): void {
  if (args.length >= 3) {
    const parsed = parseInt64(args[2]);
    if (parsed === null) throw new ReplyError(Errors.notInteger);
    const big = BigInt(parsed);
    if (big < -LONG_MAX) {
      throw new ReplyError('ERR value is out of range, must be between -9223372036854775807 and 9223372036854775807');
    }
    if (args.length > 4 || (args.length === 4 && !isWord(args[3], 'withscores'))) throw new ReplyError(Errors.syntax);
    const withScores = args.length === 4;
    if (withScores && (big < -LONG_MAX / 2n || big > LONG_MAX / 2n)) throw new ReplyError('ERR value is out of range');
    zrandmemberWithCount(ctx, args, big, withScores);
    return;
  }
  const zset = readZset(ctx, asKey(args[1]));
  if (zset === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  ctx.reply.bulk(zset.randomPair()[0]);
}

function zrandmemberWithCount(ctx: CommandContext, args: Buffer[], requested: bigint, withScores: boolean): void {
  const zset = readZset(ctx, asKey(args[1]));
  if (zset === undefined) {
    ctx.reply.arrayHeader(0);
    return;
  }
  const reply = ctx.reply;
  const nested = withScores && reply.resp === 3;
  const size = zset.size();
  const unique = requested >= 0n;
  const count = Number(unique ? requested : -requested);
  if (count === 0) {
    reply.arrayHeader(0);
    return;
  }
  const emit = (member: string, score: number): void => {
    if (nested) reply.arrayHeader(2);
    reply.bulk(member);
    if (withScores) replyScore(reply, score);
  };
  // Case 1: repetitions allowed (or a single member): independent picks.
  if (!unique || count === 1) {
    reply.arrayHeader(withScores && reply.resp === 2 ? count * 2 : count);
    for (let i = 0; i < count; i++) {
      const [member, score] = zset.randomPair();
      emit(member, score);
    }
    return;
  }
  const replySize = count < size ? count : size;
  reply.arrayHeader(withScores && reply.resp === 2 ? replySize * 2 : replySize);
  // Case 2: the whole set, highest score first (Valkey iterates sorted sets from the tail).
  if (count >= size) {
    const members: string[] = [];
    const scores: number[] = [];
    zset.forEach((m, s) => {
      members.push(m);
      scores.push(s);
    });
    for (let i = members.length - 1; i >= 0; i--) emit(members[i], scores[i]);
    return;
  }
  // Cases 2.5–4: distinct members; a listpack answers in its own order, as Redis does.
  if (zset.isListpack) {
    const picked = sampleIndexes(size, count);
    let index = 0;
    let next = 0;
    zset.forEach((m, s) => {
      if (next < picked.length && picked[next] === index) {
        emit(m, s);
        next++;
      }
      index++;
    });
    return;
  }
  const chosen = new Set<string>();
  while (chosen.size < count) {
    const [member, score] = zset.randomPair();
    if (chosen.has(member)) continue;
    chosen.add(member);
    emit(member, score);
  }
}

/** `count` distinct indexes out of 0..size-1, ascending (a partial Fisher–Yates shuffle). */
function sampleIndexes(size: number, count: number): number[] {
  const pool = Array.from({ length: size }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (size - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count).sort((a, b) => a - b);
}

// ---- ZSCAN ---------------------------------------------------------------------------------------

function zscanCommand(ctx: CommandContext, args: Buffer[]): void {
  const cursor = scanCursorArg(args[2]);
  const zset = readZset(ctx, asKey(args[1]));
  if (zset === undefined) {
    replyEmptyScan(ctx);
    return;
  }
  const { count, pattern, noValues: noScores } = parseScanOptions(args, 'zset');
  const items: string[] = [];
  const next = zset.scan(cursor, count, (member, score) => {
    if (pattern !== undefined && !globMatch(pattern, member)) return;
    items.push(member);
    if (!noScores) items.push(formatScore(score));
  });
  ctx.reply.arrayHeader(2);
  ctx.reply.bulk(String(next));
  ctx.reply.arrayHeader(items.length);
  for (const item of items) ctx.reply.bulk(item);
}

// ---- the table -----------------------------------------------------------------------------------

/** ACL categories as Redis derives them: @sortedset plus @read/@write, @fast/@slow, @blocking. */
function categories(flags: readonly CommandFlag[]): AclCategory[] {
  const out: AclCategory[] = [];
  if (flags.includes('write')) out.push('write');
  if (flags.includes('readonly')) out.push('read');
  out.push('sortedset');
  out.push(flags.includes('fast') ? 'fast' : 'slow');
  if (flags.includes('blocking')) out.push('blocking');
  return out;
}

function zcommand(
  name: string,
  arity: number,
  flags: CommandFlag[],
  keys: readonly [number, number, number],
  since: string,
  summary: string,
  complexity: string,
  handler: CommandHandler,
): CommandSpec {
  return {
    name,
    arity,
    flags,
    firstKey: keys[0],
    lastKey: keys[1],
    keyStep: keys[2],
    acl: categories(flags),
    group: 'sorted-set',
    summary,
    since,
    complexity,
    handler,
  };
}

const ONE: [number, number, number] = [1, 1, 1];
const TWO: [number, number, number] = [1, 2, 1];
/** Keys given by a numkeys argument: no fixed range (COMMAND reports movablekeys). */
const MOVABLE: [number, number, number] = [0, 0, 0];
const RANGE_COMPLEXITY =
  'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).';
const REMOVE_COMPLEXITY =
  'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.';
const INTER_COMPLEXITY =
  'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.';
const DIFF_COMPLEXITY =
  'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.';
const MPOP_COMPLEXITY =
  'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.';

export const sortedSetCommands: CommandSpec[] = [
  withFast(
    zcommand('zadd', -4, ['write', 'denyoom', 'fast'], ONE, '1.2.0',
      "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.",
      'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
      (ctx, args) => zaddGeneric(ctx, args, 0)),
    zaddFast,
  ),
  zcommand('zincrby', 4, ['write', 'denyoom', 'fast'], ONE, '1.2.0', 'Increments the score of a member in a sorted set.',
    'O(log(N)) where N is the number of elements in the sorted set.', (ctx, args) => zaddGeneric(ctx, args, ZADD_INCR)),
  zcommand('zrem', -3, ['write', 'fast'], ONE, '1.2.0',
    'Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.',
    'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
    zremCommand),
  zcommand('zcard', 2, ['readonly', 'fast'], ONE, '1.2.0', 'Returns the number of members in a sorted set.', 'O(1)', zcardCommand),
  zcommand('zcount', 4, ['readonly', 'fast'], ONE, '2.0.0',
    'Returns the count of members in a sorted set that have scores within a range.',
    'O(log(N)) with N being the number of elements in the sorted set.', zcountCommand),
  zcommand('zlexcount', 4, ['readonly', 'fast'], ONE, '2.8.9',
    'Returns the number of members in a sorted set within a lexicographical range.',
    'O(log(N)) with N being the number of elements in the sorted set.', zlexcountCommand),
  zcommand('zscore', 3, ['readonly', 'fast'], ONE, '1.2.0', 'Returns the score of a member in a sorted set.', 'O(1)', zscoreCommand),
  zcommand('zmscore', -3, ['readonly', 'fast'], ONE, '6.2.0', 'Returns the score of one or more members in a sorted set.',
    'O(N) where N is the number of members being requested.', zmscoreCommand),
  zcommand('zrank', -3, ['readonly', 'fast'], ONE, '2.0.0',
    'Returns the index of a member in a sorted set ordered by ascending scores.', 'O(log(N))',
    (ctx, args) => zrankGeneric(ctx, args, false, 'zrank')),
  zcommand('zrevrank', -3, ['readonly', 'fast'], ONE, '2.0.0',
    'Returns the index of a member in a sorted set ordered by descending scores.', 'O(log(N))',
    (ctx, args) => zrankGeneric(ctx, args, true, 'zrevrank')),
  withFast(
    zcommand('zrange', -4, ['readonly'], ONE, '1.2.0', 'Returns members in a sorted set within a range of indexes.',
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
      (ctx, args) => zrangeGeneric(ctx, args, 1, false, 'auto', 'auto')),
    zrangeFast,
  ),
  zcommand('zrangestore', -5, ['write', 'denyoom'], TWO, '6.2.0', 'Stores a range of members from sorted set in a key.',
    'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
    (ctx, args) => zrangeGeneric(ctx, args, 2, true, 'auto', 'auto')),
  zcommand('zrevrange', -4, ['readonly'], ONE, '1.2.0',
    'Returns members in a sorted set within a range of indexes in reverse order.',
    'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    (ctx, args) => zrangeGeneric(ctx, args, 1, false, 'rank', 'reverse')),
  zcommand('zrangebyscore', -4, ['readonly'], ONE, '1.0.5', 'Returns members in a sorted set within a range of scores.',
    RANGE_COMPLEXITY, (ctx, args) => zrangeGeneric(ctx, args, 1, false, 'score', 'forward')),
  zcommand('zrevrangebyscore', -4, ['readonly'], ONE, '2.2.0',
    'Returns members in a sorted set within a range of scores in reverse order.', RANGE_COMPLEXITY,
    (ctx, args) => zrangeGeneric(ctx, args, 1, false, 'score', 'reverse')),
  zcommand('zrangebylex', -4, ['readonly'], ONE, '2.8.9',
    'Returns members in a sorted set within a lexicographical range.', RANGE_COMPLEXITY,
    (ctx, args) => zrangeGeneric(ctx, args, 1, false, 'lex', 'forward')),
  zcommand('zrevrangebylex', -4, ['readonly'], ONE, '2.8.9',
    'Returns members in a sorted set within a lexicographical range in reverse order.', RANGE_COMPLEXITY,
    (ctx, args) => zrangeGeneric(ctx, args, 1, false, 'lex', 'reverse')),
  zcommand('zremrangebyrank', 4, ['write'], ONE, '2.0.0',
    'Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.',
    REMOVE_COMPLEXITY, (ctx, args) => zremrangeGeneric(ctx, args, 'rank')),
  zcommand('zremrangebyscore', 4, ['write'], ONE, '1.2.0',
    'Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.',
    REMOVE_COMPLEXITY, (ctx, args) => zremrangeGeneric(ctx, args, 'score')),
  zcommand('zremrangebylex', 4, ['write'], ONE, '2.8.9',
    'Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.',
    REMOVE_COMPLEXITY, (ctx, args) => zremrangeGeneric(ctx, args, 'lex')),
  withFast(
    zcommand('zpopmin', -2, ['write', 'fast'], ONE, '5.0.0',
      'Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.',
      'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
      (ctx, args) => zpopMinMax(ctx, args, false)),
    (ctx, req, argc) => zpopFast(ctx, req, argc, false),
  ),
  withFast(
    zcommand('zpopmax', -2, ['write', 'fast'], ONE, '5.0.0',
      'Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.',
      'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
      (ctx, args) => zpopMinMax(ctx, args, true)),
    (ctx, req, argc) => zpopFast(ctx, req, argc, true),
  ),
  zcommand('bzpopmin', -3, ['write', 'fast', 'blocking'], [1, -2, 1], '5.0.0',
    'Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.',
    'O(log(N)) with N being the number of elements in the sorted set.', (ctx, args) => bzpopMinMax(ctx, args, false)),
  zcommand('bzpopmax', -3, ['write', 'fast', 'blocking'], [1, -2, 1], '5.0.0',
    'Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.',
    'O(log(N)) with N being the number of elements in the sorted set.', (ctx, args) => bzpopMinMax(ctx, args, true)),
  zcommand('zmpop', -4, ['write', 'movablekeys'], MOVABLE, '7.0.0',
    'Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.',
    MPOP_COMPLEXITY, (ctx, args) => zmpopGeneric(ctx, args, 1, false)),
  zcommand('bzmpop', -5, ['write', 'blocking', 'movablekeys'], MOVABLE, '7.0.0',
    'Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.',
    MPOP_COMPLEXITY, (ctx, args) => zmpopGeneric(ctx, args, 2, true)),
  zcommand('zunion', -3, ['readonly', 'movablekeys'], MOVABLE, '6.2.0', 'Returns the union of multiple sorted sets.',
    'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    (ctx, args) => zsetOperation(ctx, args, undefined, 1, 'union', false, 'zunion')),
  zcommand('zinter', -3, ['readonly', 'movablekeys'], MOVABLE, '6.2.0', 'Returns the intersect of multiple sorted sets.',
    INTER_COMPLEXITY, (ctx, args) => zsetOperation(ctx, args, undefined, 1, 'inter', false, 'zinter')),
  zcommand('zdiff', -3, ['readonly', 'movablekeys'], MOVABLE, '6.2.0', 'Returns the difference between multiple sorted sets.',
    DIFF_COMPLEXITY, (ctx, args) => zsetOperation(ctx, args, undefined, 1, 'diff', false, 'zdiff')),
  zcommand('zunionstore', -4, ['write', 'denyoom', 'movablekeys'], ONE, '2.0.0', 'Stores the union of multiple sorted sets in a key.',
    'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    (ctx, args) => zsetOperation(ctx, args, asKey(args[1]), 2, 'union', false, 'zunionstore')),
  zcommand('zinterstore', -4, ['write', 'denyoom', 'movablekeys'], ONE, '2.0.0', 'Stores the intersect of multiple sorted sets in a key.',
    INTER_COMPLEXITY, (ctx, args) => zsetOperation(ctx, args, asKey(args[1]), 2, 'inter', false, 'zinterstore')),
  zcommand('zdiffstore', -4, ['write', 'denyoom', 'movablekeys'], ONE, '6.2.0', 'Stores the difference of multiple sorted sets in a key.',
    DIFF_COMPLEXITY, (ctx, args) => zsetOperation(ctx, args, asKey(args[1]), 2, 'diff', false, 'zdiffstore')),
  zcommand('zintercard', -3, ['readonly', 'movablekeys'], MOVABLE, '7.0.0',
    'Returns the number of members of the intersect of multiple sorted sets.',
    'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
    (ctx, args) => zsetOperation(ctx, args, undefined, 1, 'inter', true, 'zintercard')),
  zcommand('zrandmember', -2, ['readonly'], ONE, '6.2.0', 'Returns one or more random members from a sorted set.',
    'O(N) where N is the number of members returned', zrandmemberCommand),
  zcommand('zscan', -3, ['readonly'], ONE, '2.8.0', 'Iterates over members and scores of a sorted set.',
    'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    zscanCommand),
];
