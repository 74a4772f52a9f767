/**
 * The open-addressing table shared by the keyspace's KeyIndex and the large hashes', sets' and
 * sorted sets' FieldIndex: one Int32Array of [hash, position + 1] pairs (0 marks an empty entry),
 * probed linearly, with the hash computed over a name's bytes so that a request's argument can be
 * looked up straight from the read buffer. Names are latin1 strings (one char per byte), so
 * hashing a stored string's char codes gives the same value as hashing the request's bytes.
 *
 * Deletion shifts the following entries of the probe run back (no tombstones), so the table
 * never needs cleaning and lookups of absent names stay short. The owners keep the names and the
 * sizing policy; these functions only move entries.
 */

/** FNV-1a's offset basis and prime (32-bit). */
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** Grow past this share of entries used: linear probing stays short below about 3/4. */
export const MAX_LOAD = 0.7;

/** Final avalanche (murmur3's fmix32), so that the low bits used for the bucket depend on every byte. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Hash of a latin1 string; equals `hashBytes` over the same bytes. */
export function hashString(name: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ (name.charCodeAt(i) & 0xff), FNV_PRIME);
  return mix(h);
}

/** Hash of `bytes[start..end)`. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], FNV_PRIME);
  return mix(h);
}

/** True when the latin1 string `name` holds exactly the bytes `bytes[start..end)`. */
export function sameBytes(name: string, bytes: Uint8Array, start: number, end: number): boolean {
  if (name.length !== end - start) return false;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) !== bytes[start + i]) return false;
  return true;
}

/** Stores [hash, position + 1] in the first empty entry of hash's probe run. */
export function placeEntry(table: Int32Array, mask: number, hash: number, position: number): void {
  let i = hash & mask;
  while (table[2 * i + 1] !== 0) i = (i + 1) & mask;
  table[2 * i] = hash;
  table[2 * i + 1] = position + 1;
}

/**
 * Empties entry `at` by backward-shift deletion: later entries of the run move into the hole when
 * their home position allows it, so no lookup ever stops early at the hole.
 */
export function removeEntry(table: Int32Array, mask: number, at: number): void {
  let hole = at;
  for (let j = (at + 1) & mask; table[2 * j + 1] !== 0; j = (j + 1) & mask) {
    const home = table[2 * j] & mask;
    // The entry at j may move to the hole unless its home lies cyclically in (hole, j].
    if (((j - home) & mask) >= ((j - hole) & mask)) {
      table[2 * hole] = table[2 * j];
      table[2 * hole + 1] = table[2 * j + 1];
      hole = j;
    }
  }
  table[2 * hole] = 0;
  table[2 * hole + 1] = 0;
}

/** A table of `capacity` entries (a power of two) holding every entry of `old`. */
export function rehashed(old: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const table = new Int32Array(capacity * 2);
  const mask = capacity - 1;
  for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) placeEntry(table, mask, old[i], old[i + 1] - 1);
  return table;
}

/**
 * The first stages of a batch prefetch (KeyIndex.prefetch, FieldIndex.prefetch): for each of the
 * `count` names `bytes[spans[4k + at]..spans[4k + at + 1])` its hash, then the position + 1 of the
 * entry holding that hash into `scratch[k]` (0 when the probe meets an empty entry first, or for a
 * span whose start is negative). The probe follows the name past its home entry: at the table's
 * load a third of the names sit further along, and warming what the home entry holds instead
 * warmed another name's slot and key (perf annotate of GET under the mixed workload: the lookup
 * still missing on the slot and the key string after the prefetch). The next entries are mostly
 * in the home entry's cache line. Each stage is a loop whose iterations do not depend on one
 * another, so the processor keeps many cache misses in flight; the hashing, which has none, comes
 * first on its own.
 */
export function prefetchHomes(table: Int32Array, mask: number, bytes: Uint8Array, spans: Int32Array, at: number, count: number, scratch: Int32Array): void {
  for (let k = 0; k < count; k++) {
    const start = spans[4 * k + at];
    scratch[k] = start < 0 ? 0 : hashBytes(bytes, start, spans[4 * k + at + 1]);
  }
  for (let k = 0; k < count; k++) {
    if (spans[4 * k + at] < 0) continue;
    const hash = scratch[k];
    let i = hash & mask;
    let stored = table[2 * i + 1];
    while (stored !== 0 && table[2 * i] !== hash) {
      i = (i + 1) & mask;
      stored = table[2 * i + 1];
    }
    scratch[k] = stored;
  }
}
