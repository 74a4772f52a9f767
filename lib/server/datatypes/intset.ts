/**
 * An intset: a set of distinct signed 64-bit integers kept sorted in ONE latin1 string, the compact
 * encoding Redis uses for small all-integer sets (valkey src/intset.c).
 *
 * Layout: the first char is the width of every member in bytes (2, 4 or 8); then the members in
 * ascending order, each as little-endian two's complement of that width. The width grows when a
 * member that needs more bytes arrives (never shrinks, as in Redis), so a set of small numbers
 * costs two bytes per member. Lookups are binary searches; an insert or removal copies the
 * string, O(n) as Redis's memmove, which is why sets convert past set-max-intset-entries.
 *
 * Members go in and out as Int64 (number when exact, bigint beyond 2^53) and out as decimal text.
 * Every function is pure: a changed intset is a new string.
 */
import type { Int64 } from '../util/int64';

export type Intset = string;

/** An intset with no members (width 2). */
export const EMPTY_INTSET: Intset = '\u0002';

const TWO_32 = 4294967296;
const INT16_MIN = -32768;
const INT16_MAX = 32767;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Bytes per member. */
export function intsetWidth(set: Intset): number {
  return set.charCodeAt(0);
}

export function intsetLength(set: Intset): number {
  return (set.length - 1) / set.charCodeAt(0);
}

/** The width a value needs (intset.c _intsetValueEncoding). */
function widthOf(value: Int64): number {
  if (typeof value === 'bigint') return 8;
  if (value >= INT16_MIN && value <= INT16_MAX) return 2;
  if (value >= INT32_MIN && value <= INT32_MAX) return 4;
  return 8;
}

// A 64-bit value is handled as a signed high word and an unsigned low word, so comparisons and
// encoding never need BigInt for values within 2^53. These two hold the last split.
let splitHigh = 0;
let splitLow = 0;

function split(value: Int64): void {
  if (typeof value === 'number') {
    splitHigh = Math.floor(value / TWO_32);
    splitLow = value - splitHigh * TWO_32;
  } else {
    splitHigh = Number(BigInt.asIntN(32, value >> 32n));
    splitLow = Number(value & 0xffffffffn);
  }
}

function byte(set: Intset, pos: number): number {
  return set.charCodeAt(pos);
}

/** Member `index` of a width-2 or width-4 intset as a number. */
function smallAt(set: Intset, width: number, index: number): number {
  const p = 1 + index * width;
  if (width === 2) {
    const v = byte(set, p) | (byte(set, p + 1) << 8);
    return v >= 0x8000 ? v - 0x10000 : v;
  }
  return byte(set, p) | (byte(set, p + 1) << 8) | (byte(set, p + 2) << 16) | (byte(set, p + 3) << 24);
}

function lowAt(set: Intset, p: number): number {
  return (byte(set, p) | (byte(set, p + 1) << 8) | (byte(set, p + 2) << 16) | (byte(set, p + 3) << 24)) >>> 0;
}

function highAt(set: Intset, p: number): number {
  return byte(set, p + 4) | (byte(set, p + 5) << 8) | (byte(set, p + 6) << 16) | (byte(set, p + 7) << 24);
}

/** Member `index` as an Int64 (number when exact). */
export function intsetValueAt(set: Intset, index: number): Int64 {
  const width = intsetWidth(set);
  if (width !== 8) return smallAt(set, width, index);
  const p = 1 + index * 8;
  const high = highAt(set, p);
  const low = lowAt(set, p);
  // |value| < 2^53 exactly when the high word is within ±2^21.
  if (high >= -2097152 && high < 2097152) return high * TWO_32 + low;
  return (BigInt(high) << 32n) + BigInt(low);
}

/** Member `index` as decimal text, as Redis prints it. */
export function intsetGet(set: Intset, index: number): string {
  return String(intsetValueAt(set, index));
}

/** Compares member `index` of a width-8 intset with the last split value: <0, 0, >0. */
function compareWide(set: Intset, index: number): number {
  const p = 1 + index * 8;
  const high = highAt(set, p);
  if (high !== splitHigh) return high < splitHigh ? -1 : 1;
  const low = lowAt(set, p);
  return low === splitLow ? 0 : low < splitLow ? -1 : 1;
}

/**
 * Binary search: the index of `value` when present, otherwise -(insertion point) - 1.
 * A value wider than the set's width is never present: it belongs before or after everything.
 */
export function intsetSearch(set: Intset, value: Int64): number {
  const width = intsetWidth(set);
  const n = (set.length - 1) / width;
  if (widthOf(value) > width) return value < 0 ? -1 : -n - 1;
  let lo = 0;
  let hi = n - 1;
  if (width === 8) {
    split(value);
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareWide(set, mid);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }
  const v = value as number;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const m = smallAt(set, width, mid);
    if (m === v) return mid;
    if (m < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

export function intsetHas(set: Intset, value: Int64): boolean {
  return intsetSearch(set, value) >= 0;
}

/** One member's bytes at `width`. */
function encode(value: Int64, width: number): string {
  if (width === 2) {
    const v = (value as number) & 0xffff;
    return String.fromCharCode(v & 0xff, v >>> 8);
  }
  if (width === 4) {
    const v = (value as number) >>> 0;
    return String.fromCharCode(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
  }
  split(value);
  const lo = splitLow;
  const hi = splitHigh >>> 0;
  return String.fromCharCode(
    lo & 0xff,
    (lo >>> 8) & 0xff,
    (lo >>> 16) & 0xff,
    lo >>> 24,
    hi & 0xff,
    (hi >>> 8) & 0xff,
    (hi >>> 16) & 0xff,
    hi >>> 24,
  );
}

/** The same members re-encoded at a larger width (intset.c intsetUpgradeAndAdd's first half). */
function upgrade(set: Intset, width: number): Intset {
  const n = intsetLength(set);
  let out = String.fromCharCode(width);
  for (let i = 0; i < n; i++) out += encode(intsetValueAt(set, i), width);
  return out;
}

/** Adds `value`; returns the new intset, or undefined when it was already a member. */
export function intsetAdd(set: Intset, value: Int64): Intset | undefined {
  let current = set;
  const needed = widthOf(value);
  if (needed > intsetWidth(current)) current = upgrade(current, needed);
  const found = intsetSearch(current, value);
  if (found >= 0) return undefined;
  const width = intsetWidth(current);
  const at = 1 + (-found - 1) * width;
  return current.slice(0, at) + encode(value, width) + current.slice(at);
}

/** Removes `value`; returns the new intset, or undefined when it was not a member. */
export function intsetRemove(set: Intset, value: Int64): Intset | undefined {
  const found = intsetSearch(set, value);
  if (found < 0) return undefined;
  return intsetRemoveAt(set, found);
}

/** Removes the member at `index`. */
export function intsetRemoveAt(set: Intset, index: number): Intset {
  const width = intsetWidth(set);
  const at = 1 + index * width;
  return set.slice(0, at) + set.slice(at + width);
}

/** Builds an intset from members already known to be distinct and ascending. */
export function intsetFromSorted(values: readonly Int64[]): Intset {
  let width = 2;
  for (const v of values) width = Math.max(width, widthOf(v));
  let out = String.fromCharCode(width);
  for (const v of values) out += encode(v, width);
  return out;
}

/** The longest decimal form among the members (its smallest and largest), sign included. */
export function intsetMaxDigits(set: Intset): number {
  const n = intsetLength(set);
  if (n === 0) return 0;
  return Math.max(intsetGet(set, 0).length, intsetGet(set, n - 1).length);
}

/** Bytes the intset occupies (for MEMORY USAGE estimates). */
export function intsetBytes(set: Intset): number {
  return set.length;
}
