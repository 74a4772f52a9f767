/**
 * The name → position index of a large hash or set (HashTable, SetTable): open addressing over
 * one Int32Array, as the keyspace's KeyIndex, instead of a `Map`.
 *
 * Why: a `Map` lookup walks a bucket chain whose entries hold no hash, so each candidate costs a
 * visit to its string, and the name must first be a JS string. Here each entry is the pair
 * [hash, position + 1] side by side, probed linearly, so a lookup reads one or two cache lines
 * and then the one name whose hash matched; and the hash comes from bytes, so HSET/SADD/HGET/
 * SISMEMBER find a field straight from the request (`findBytes`) and make a string only for a new
 * one. It is also smaller than a `Map`: 8 bytes per entry at a load of at most 0.7.
 *
 * Unlike KeyIndex it keeps no names of its own: it indexes the owner's array (`names[p]` is the
 * name at position p; a hash's array interleaves values, so its positions are the even ones),
 * which the owner keeps dense by moving its last element into a hole; `move` re-points that
 * element's entry. The table itself (hashing, probing, backward-shift deletion) is
 * keyspace/probe-table.ts, shared with KeyIndex.
 */
import { hashBytes, hashString, MAX_LOAD, placeEntry, prefetchHomes, rehashed, removeEntry, sameBytes } from '../keyspace/probe-table';

/** Small: a table that shrank to a few entries (hashes and sets never convert back) stays small. */
const MIN_CAPACITY = 8;

/** The smallest power-of-two capacity that holds `count` entries within MAX_LOAD. */
function capacityFor(count: number): number {
  let capacity = MIN_CAPACITY;
  while (count > capacity * MAX_LOAD) capacity *= 2;
  return capacity;
}

export class FieldIndex {
  /** Entry i is table[2i] (hash) and table[2i + 1] (position + 1; 0 marks an empty entry). */
  private table: Int32Array;
  private mask: number;
  private count = 0;

  /**
   * @param names the owner's dense array of names, read (never written) to compare candidates
   * @param expected how many names are about to be added, so a conversion sizes the table once
   */
  constructor(
    private readonly names: readonly string[],
    expected = 0,
  ) {
    const capacity = capacityFor(expected);
    this.table = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  /** Number of names indexed. */
  public get size(): number {
    return this.count;
  }

  /** Entries the table has room for (a power of two, at least 8). */
  public get capacity(): number {
    return this.mask + 1;
  }

  /** The position of `name`, or -1. */
  public find(name: string): number {
    const table = this.table;
    const mask = this.mask;
    const hash = hashString(name);
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const stored = table[2 * i + 1];
      if (stored === 0) return -1;
      if (table[2 * i] === hash && this.names[stored - 1] === name) return stored - 1;
    }
  }

  /** The position of the name whose bytes are `bytes[start..end)`, or -1: no string is made. */
  public findBytes(bytes: Uint8Array, start: number, end: number): number {
    const table = this.table;
    const mask = this.mask;
    const hash = hashBytes(bytes, start, end);
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const stored = table[2 * i + 1];
      if (stored === 0) return -1;
      if (table[2 * i] === hash && sameBytes(this.names[stored - 1], bytes, start, end)) return stored - 1;
    }
  }

  /**
   * Brings into cache what finding the `count` names `bytes[spans[4k + 2]..spans[4k + 3])` will
   * read (the table entry, then the name at the position it holds), stage by stage so that the
   * misses of different names overlap (as KeyIndex.prefetch). Spans with a negative start are
   * skipped. Changes nothing; returns a value computed from what it read. `scratch` holds `count`.
   */
  public prefetch(bytes: Uint8Array, spans: Int32Array, count: number, scratch: Int32Array): number {
    const names = this.names;
    let sink = 0;
    prefetchHomes(this.table, this.mask, bytes, spans, 2, count, scratch);
    for (let k = 0; k < count; k++) {
      const stored = scratch[k];
      if (stored !== 0 && names[stored - 1] !== undefined) sink++;
    }
    for (let k = 0; k < count; k++) {
      const stored = scratch[k];
      if (stored !== 0) sink += names[stored - 1].length;
    }
    return sink;
  }

  /** Adds `name` (which must be absent) at `position`. */
  public insert(name: string, position: number): void {
    if (this.count + 1 > (this.mask + 1) * MAX_LOAD) this.resize((this.mask + 1) * 2);
    placeEntry(this.table, this.mask, hashString(name), position);
    this.count++;
  }

  /** Removes the entry of `name`, which must be present at `position`. */
  public remove(name: string, position: number): void {
    const at = this.entryOf(name, position);
    removeEntry(this.table, this.mask, at);
    this.count--;
    if (this.mask + 1 > MIN_CAPACITY && this.count < (this.mask + 1) * MAX_LOAD * 0.125) this.resize((this.mask + 1) / 2);
  }

  /** Re-points the entry of `name` from position `from` to position `to` (the owner moved it). */
  public move(name: string, from: number, to: number): void {
    this.table[2 * this.entryOf(name, from) + 1] = to + 1;
  }

  /** The table entry holding `position` (whose name is `name`): found by hash, no string compare. */
  private entryOf(name: string, position: number): number {
    const table = this.table;
    const mask = this.mask;
    const hash = hashString(name);
    const stored = position + 1;
    let i = hash & mask;
    while (table[2 * i + 1] !== stored) {
      if (table[2 * i + 1] === 0) throw new Error(`FieldIndex: position ${position} is not indexed`);
      i = (i + 1) & mask;
    }
    return i;
  }

  private resize(capacity: number): void {
    this.table = rehashed(this.table, capacity);
    this.mask = capacity - 1;
  }
}
