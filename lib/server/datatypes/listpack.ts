/**
 * A listpack: a sequence of byte strings packed into ONE latin1 JS string, the compact encoding
 * Redis uses for small hashes, sets, sorted sets and list nodes (valkey src/listpack.c).
 *
 * Why a string: one V8 one-byte string costs a 16-byte header plus its bytes, while an array of
 * N strings costs a header and a pointer per element plus N string headers — for a 10-field hash
 * that is roughly 200 bytes against 700. Small collections are most of a cache's keys, so this is
 * where memory per key is won.
 *
 * Layout: entries back to back, each a length prefix then the bytes. The prefix is a base-128
 * varint (low 7 bits first, high bit = more follows): one byte for entries up to 127 bytes, two
 * up to 16383. Entries are addressed by index; operations walk from the start, O(n) as in Redis,
 * which is why collections convert to a hash table or skiplist past the configured thresholds.
 *
 * Every function is pure: a changed listpack is a new string. The owner keeps the entry count.
 */

export type Listpack = string;

export const EMPTY_LISTPACK: Listpack = '';

function prefix(length: number): string {
  if (length < 0x80) return String.fromCharCode(length);
  let out = '';
  let n = length;
  while (n >= 0x80) {
    out += String.fromCharCode((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  return out + String.fromCharCode(n);
}

/** Encodes one entry (prefix + bytes). */
export function lpEncode(entry: string): string {
  return prefix(entry.length) + entry;
}

/** Builds a listpack from entries. */
export function lpFromEntries(entries: readonly string[]): Listpack {
  let out = '';
  for (const e of entries) out += prefix(e.length) + e;
  return out;
}

/**
 * Reads the entry header at `pos`: returns the entry's start and length packed as
 * `start` (via the out array) to avoid allocating per step.
 */
const header = { start: 0, length: 0 };
function readHeader(lp: Listpack, pos: number): void {
  let c = lp.charCodeAt(pos);
  if (c < 0x80) {
    header.start = pos + 1;
    header.length = c;
    return;
  }
  let length = c & 0x7f;
  let shift = 128;
  let p = pos + 1;
  for (;;) {
    c = lp.charCodeAt(p++);
    length += (c & 0x7f) * shift;
    if (c < 0x80) break;
    shift *= 128;
  }
  header.start = p;
  header.length = length;
}

/** All entries, decoded. */
export function lpEntries(lp: Listpack): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < lp.length) {
    readHeader(lp, pos);
    const end = header.start + header.length;
    out.push(lp.slice(header.start, end));
    pos = end;
  }
  return out;
}

/** Calls `visit(entry, index)` for each entry until it returns false. */
export function lpForEach(lp: Listpack, visit: (entry: string, index: number) => boolean | void): void {
  let pos = 0;
  let index = 0;
  while (pos < lp.length) {
    readHeader(lp, pos);
    const end = header.start + header.length;
    if (visit(lp.slice(header.start, end), index++) === false) return;
    pos = end;
  }
}

/** Character offset of entry `index`'s header, or lp.length when index == count; -1 past that. */
function offsetOf(lp: Listpack, index: number): number {
  let pos = 0;
  for (let i = 0; i < index; i++) {
    if (pos >= lp.length) return -1;
    readHeader(lp, pos);
    pos = header.start + header.length;
  }
  return pos <= lp.length ? pos : -1;
}

/** The entry at `index` (0-based), or undefined. */
export function lpGet(lp: Listpack, index: number): string | undefined {
  const pos = offsetOf(lp, index);
  if (pos < 0 || pos >= lp.length) return undefined;
  readHeader(lp, pos);
  return lp.slice(header.start, header.start + header.length);
}

/** True when the entry at [start, start+length) equals `value`, without allocating. */
function entryEquals(lp: Listpack, start: number, length: number, value: string): boolean {
  if (length !== value.length) return false;
  for (let i = 0; i < length; i++) if (lp.charCodeAt(start + i) !== value.charCodeAt(i)) return false;
  return true;
}

/**
 * Index of the first entry equal to `value` among entries `from`, `from+step`, … (step 2 searches
 * the fields of a field/value listpack), or -1.
 */
export function lpIndexOf(lp: Listpack, value: string, step = 1, from = 0): number {
  let pos = 0;
  let index = 0;
  while (pos < lp.length) {
    readHeader(lp, pos);
    const { start, length } = header;
    if (index >= from && (index - from) % step === 0 && entryEquals(lp, start, length, value)) return index;
    pos = start + length;
    index++;
  }
  return -1;
}

/** Appends entries at the end. */
export function lpAppend(lp: Listpack, ...entries: string[]): Listpack {
  let out = lp;
  for (const e of entries) out += prefix(e.length) + e;
  return out;
}

/** Inserts entries before entry `index` (index == count appends). */
export function lpInsert(lp: Listpack, index: number, entries: readonly string[]): Listpack {
  const pos = offsetOf(lp, index);
  if (pos < 0) throw new RangeError(`listpack index ${index} out of range`);
  return lp.slice(0, pos) + lpFromEntries(entries) + lp.slice(pos);
}

/** Removes `count` entries starting at `index`. */
export function lpDelete(lp: Listpack, index: number, count = 1): Listpack {
  const start = offsetOf(lp, index);
  if (start < 0 || start >= lp.length) return lp;
  return lp.slice(0, start) + lp.slice(skipEntries(lp, start, count));
}

/** Replaces the entry at `index` with `value`. */
export function lpReplace(lp: Listpack, index: number, value: string): Listpack {
  const start = offsetOf(lp, index);
  if (start < 0 || start >= lp.length) throw new RangeError(`listpack index ${index} out of range`);
  readHeader(lp, start);
  return lp.slice(0, start) + prefix(value.length) + value + lp.slice(header.start + header.length);
}

/** Bytes the listpack's payload occupies (for MEMORY USAGE estimates). */
export function lpBytes(lp: Listpack): number {
  return lp.length;
}

// ---- offset cursor -----------------------------------------------------------------------------
// The functions below address an entry by the character offset of its header instead of its index,
// so a caller that walks a listpack (a hash looking up a field, then its value) reads it once,
// as Redis's lpFirst/lpNext/lpFind do, instead of rescanning from the start for every step.

/** Offset of the entry after the one whose header is at `offset` (lp.length after the last). */
export function lpNextOffset(lp: Listpack, offset: number): number {
  readHeader(lp, offset);
  return header.start + header.length;
}

/** The entry whose header is at `offset`, copied out as a string. */
export function lpStringAt(lp: Listpack, offset: number): string {
  readHeader(lp, offset);
  return lp.slice(header.start, header.start + header.length);
}

/** Length in bytes of the entry whose header is at `offset`, without copying it. */
export function lpLengthAt(lp: Listpack, offset: number): number {
  readHeader(lp, offset);
  return header.length;
}

/** True when the entry whose header is at `offset` equals `value`, without copying it. */
export function lpEqualsAt(lp: Listpack, offset: number, value: string): boolean {
  readHeader(lp, offset);
  return entryEquals(lp, header.start, header.length, value);
}

/**
 * Header offset of the first entry equal to `value` among entries 0, step, 2×step, … (step 2
 * searches the fields of a field/value listpack), or -1.
 */
export function lpFindOffset(lp: Listpack, value: string, step = 1): number {
  let pos = 0;
  const n = lp.length;
  const vlen = value.length;
  while (pos < n) {
    readHeader(lp, pos);
    const start = header.start;
    const length = header.length;
    if (length === vlen && entryEquals(lp, start, length, value)) return pos;
    pos = skipEntries(lp, start + length, step - 1);
  }
  return -1;
}

/** lpFindOffset() of the value whose bytes are `bytes[start..end)`, without making a string of it. */
export function lpFindOffsetBytes(lp: Listpack, bytes: Uint8Array, start: number, end: number, step = 1): number {
  let pos = 0;
  const n = lp.length;
  const vlen = end - start;
  while (pos < n) {
    readHeader(lp, pos);
    const at = header.start;
    const length = header.length;
    if (length === vlen) {
      let i = 0;
      while (i < length && lp.charCodeAt(at + i) === bytes[start + i]) i++;
      if (i === length) return pos;
    }
    pos = skipEntries(lp, at + length, step - 1);
  }
  return -1;
}

/** The offset just past the `count` entries that start at `pos` (or the end, if the listpack ends first). */
function skipEntries(lp: Listpack, pos: number, count: number): number {
  let at = pos;
  for (let i = 0; i < count && at < lp.length; i++) {
    readHeader(lp, at);
    at = header.start + header.length;
  }
  return at;
}

/** Replaces the entry whose header is at `offset` with `value`. */
export function lpReplaceAt(lp: Listpack, offset: number, value: string): Listpack {
  readHeader(lp, offset);
  return lp.slice(0, offset) + prefix(value.length) + value + lp.slice(header.start + header.length);
}

/** Removes `count` entries starting with the one whose header is at `offset`. */
export function lpDeleteAt(lp: Listpack, offset: number, count = 1): Listpack {
  const end = skipEntries(lp, offset, count);
  if (offset === 0) return lp.slice(end);
  if (end >= lp.length) return lp.slice(0, offset);
  return lp.slice(0, offset) + lp.slice(end);
}

let flattenSink = 0;

/**
 * Makes V8 store the listpack as one flat string now. Concatenation builds a rope (ConsString)
 * that costs an extra object per edit until something reads it; reading one character flattens
 * it, and the garbage collector then drops the rope node. Call after an edit that is kept.
 */
export function lpFlatten(lp: Listpack): Listpack {
  if (lp.length !== 0) flattenSink ^= lp.charCodeAt(0);
  return lp;
}

/** Exposed for tests only: keeps `lpFlatten`'s read observable so it is never optimised away. */
export function lpFlattenSink(): number {
  return flattenSink;
}
