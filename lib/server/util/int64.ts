/**
 * Signed 64-bit integers as Redis parses and prints them (util.c string2ll / string2ull).
 *
 * Values come back as a `number` when they fit in a double exactly (|v| <= 2^53 - 1) and as a
 * `bigint` only beyond that, so the common path (counters, offsets, TTLs) never touches BigInt.
 */

export type Int64 = number | bigint;

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;
const UINT64_MAX = 18446744073709551615n;

/** Narrows a bigint in int64 range to a number when that is exact. */
function narrow(value: bigint): Int64 {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
}

/** The byte at `i` of a Buffer or a latin1 string. */
type ByteSource = Buffer | string;

function byteAt(src: ByteSource, i: number): number {
  return typeof src === 'string' ? src.charCodeAt(i) : src[i];
}

/**
 * Redis's string2ll: optional '-', then "0" alone or a digit 1-9 followed by digits; no '+',
 * no spaces, no leading zeros, int64 range. Returns null when the text is not such a number.
 */
export function parseInt64(src: ByteSource): Int64 | null {
  const len = src.length;
  if (len === 0 || len > 20) return null;
  let i = 0;
  let negative = false;
  if (byteAt(src, 0) === 45 /* - */) {
    if (len === 1) return null;
    negative = true;
    i = 1;
  }
  const first = byteAt(src, i);
  if (first === 48 /* 0 */) return len === 1 ? 0 : null;
  if (first < 49 || first > 57) return null;
  if (len - i <= 15) {
    let value = 0;
    for (; i < len; i++) {
      const c = byteAt(src, i);
      if (c < 48 || c > 57) return null;
      value = value * 10 + (c - 48);
    }
    return negative ? -value : value;
  }
  for (let j = i; j < len; j++) {
    const c = byteAt(src, j);
    if (c < 48 || c > 57) return null;
  }
  const text = typeof src === 'string' ? src : src.toString('latin1');
  const big = BigInt(text);
  if (big > INT64_MAX || big < INT64_MIN) return null;
  return narrow(big);
}

/** string2ll on an argument, as a plain number when it is safe; null when invalid or unsafe. */
export function parseSafeInt(src: ByteSource): number | null {
  const v = parseInt64(src);
  return typeof v === 'number' ? v : null;
}

/**
 * Redis's string2ull, used for SCAN cursors: string2ll first (negative rejected), then strtoull
 * rules — leading whitespace, an optional sign ('-' negates modulo 2^64), decimal digits, at most
 * 2^64 - 1. Returns null when invalid.
 */
export function parseUint64(src: ByteSource): bigint | null {
  const ll = parseInt64(src);
  if (ll !== null) return ll < 0 ? null : BigInt(ll);
  const len = src.length;
  let i = 0;
  while (i < len) {
    const c = byteAt(src, i);
    if (c === 32 || (c >= 9 && c <= 13)) i++;
    else break;
  }
  let negative = false;
  if (i < len && (byteAt(src, i) === 43 || byteAt(src, i) === 45)) {
    negative = byteAt(src, i) === 45;
    i++;
  }
  if (i >= len) return null;
  let value = 0n;
  for (; i < len; i++) {
    const c = byteAt(src, i);
    if (c < 48 || c > 57) return null;
    value = value * 10n + BigInt(c - 48);
    if (value > UINT64_MAX) return null; // ERANGE
  }
  return negative ? BigInt.asUintN(64, -value) : value;
}

/** a + b with int64 overflow detection: undefined when the sum leaves the int64 range. */
export function addInt64(a: Int64, b: Int64): Int64 | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  const sum = BigInt(a) + BigInt(b);
  if (sum > INT64_MAX || sum < INT64_MIN) return undefined;
  return narrow(sum);
}

/** A bigint known to be in int64 range, narrowed to a number when exact. */
export function toInt64(value: bigint): Int64 {
  return narrow(value);
}
