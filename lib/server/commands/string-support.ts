/**
 * What the key, string and bitmap families share: typed lookups, the proto-max-bulk-len limit,
 * and the expire-time arithmetic of SET/GETEX (t_string.c getExpireMillisecondsOrReply).
 */
import type { StoredValue } from '../keyspace/database';
import { INT64_MAX, type Int64, parseInt64 } from '../util/int64';
import { type CommandContext, Errors, type RawRequest, ReplyError } from './command';

export const DEFAULT_PROTO_MAX_BULK_LEN = 512 * 1024 * 1024;

/** The value at `key` if it is a string, undefined when missing; throws WRONGTYPE otherwise. */
export function stringOrMissing(value: StoredValue | undefined): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new ReplyError(Errors.wrongType);
}

/** A collection's value class (HashValue, ListValue, SetValue, SortedSet), for typed lookups. */
export interface CollectionClass<T> {
  readonly prototype: T;
  [Symbol.hasInstance](value: unknown): boolean;
}

/** The value if it is an instance of `type`, undefined when missing; throws WRONGTYPE otherwise. */
export function collectionOrMissing<T>(value: StoredValue | undefined, type: CollectionClass<T>): T | undefined {
  if (value === undefined) return undefined;
  if (value instanceof type) return value as T;
  throw new ReplyError(Errors.wrongType);
}

/** lookupKeyRead (counted in keyspace hits/misses) of a collection of one type. */
export function readCollection<T>(ctx: CommandContext, key: string, type: CollectionClass<T>): T | undefined {
  return collectionOrMissing(readLookup(ctx, key), type);
}

/** lookupKeyWrite (no hit/miss statistics) of a collection of one type. */
export function writeCollection<T>(ctx: CommandContext, key: string, type: CollectionClass<T>): T | undefined {
  return collectionOrMissing(ctx.db.get(key), type);
}

/** An argument parsed with string2ll, or `ERR value is not an integer or out of range`. */
export function int64Arg(arg: Buffer, message: string = Errors.notInteger): Int64 {
  const v = parseInt64(arg);
  if (v === null) throw new ReplyError(message);
  return v;
}

/**
 * An argument that must fit a C long (64-bit here) but that callers only use as an offset or
 * count, so anything beyond 2^53 is clamped to ±2^53 (no string can be that long anyway).
 */
export function longArg(arg: Buffer, message: string = Errors.notInteger): number {
  const v = int64Arg(arg, message);
  if (typeof v === 'number') return v;
  return v > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
}

/** proto-max-bulk-len as configured (the biggest string a key may hold). */
export function protoMaxBulkLen(ctx: CommandContext): number {
  const text = ctx.server.config('proto-max-bulk-len');
  if (text === undefined) return DEFAULT_PROTO_MAX_BULK_LEN;
  const n = Number(text);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_PROTO_MAX_BULK_LEN;
}

/** checkStringLength: the resulting size must not exceed proto-max-bulk-len. */
export function checkStringLength(ctx: CommandContext, size: number, append: number): void {
  if (size + append > protoMaxBulkLen(ctx)) {
    throw new ReplyError('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
  }
}

/**
 * Builds a string value, turning V8's own string length limit (slightly under 512MB) into the
 * reply Redis would give for a string that is too large rather than an exception.
 */
export function buildString(make: () => string): string {
  try {
    return make();
  } catch (err) {
    if (err instanceof RangeError) {
      throw new ReplyError('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
    }
    throw err;
  }
}

/**
 * SET/GETEX's expire argument as an absolute Unix ms time: must be a positive integer, seconds
 * must not overflow when multiplied by 1000, and relative times (EX/PX) are added to now.
 * Replies `ERR invalid expire time in '<command>' command` otherwise.
 */
export function expireArgToAbsoluteMs(
  ctx: CommandContext,
  arg: Buffer,
  seconds: boolean,
  relative: boolean,
  command: string,
): number {
  const v = int64Arg(arg);
  if (typeof v === 'number') {
    if (v <= 0) throw new ReplyError(Errors.invalidExpire(command));
    let ms = seconds ? v * 1000 : v;
    if (relative) ms += ctx.now;
    if (Number.isSafeInteger(ms)) return ms;
  }
  let ms = BigInt(v);
  if (ms <= 0n || (seconds && ms > INT64_MAX / 1000n)) {
    throw new ReplyError(Errors.invalidExpire(command));
  }
  if (seconds) ms *= 1000n;
  if (relative) ms += BigInt(ctx.now);
  // C's signed overflow wraps to a negative number, which Redis reports as invalid.
  if (ms > INT64_MAX) throw new ReplyError(Errors.invalidExpire(command));
  return Number(ms);
}

/** Case-insensitive match of an argument against a lowercase ASCII word, without allocating. */
export function isWord(arg: Buffer, lower: string): boolean {
  const n = arg.length;
  if (n !== lower.length) return false;
  for (let i = 0; i < n; i++) {
    if ((arg[i] | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** A read lookup, counted in keyspace_hits / keyspace_misses as Redis's lookupKeyRead does. */
export function readLookup(ctx: CommandContext, key: string): StoredValue | undefined {
  const value = ctx.db.get(key);
  ctx.server.recordLookup(value !== undefined);
  return value;
}

/**
 * The slot of a fast handler's key (argument 1), found from its bytes in the read buffer with
 * lazy expiry and one access touch (Database.liveSlotBytes), or -1 when the key does not exist.
 */
export function requestKeySlot(ctx: CommandContext, req: RawRequest): number {
  const start = req.argOffset(1);
  return ctx.db.liveSlotBytes(req.scannedBuffer, start, start + req.argLength(1));
}
