/**
 * The key → slot index of one database: open addressing over one Int32Array instead of a `Map`.
 *
 * Why not `Map`: a lookup in V8's ordered hash table walks a bucket chain whose entries do not
 * hold the hash, so every candidate costs a visit to its key string, and the key must first be a
 * JS string. Here each table entry is the pair [hash, slot + 1] side by side, probed linearly, so
 * a lookup reads one or two cache lines of the table and then the one key string whose hash
 * matched. The hash is computed over the key's bytes, which lets a request's key be looked up
 * straight from the read buffer (`findBytes`) without making a string at all; the string is made
 * only when a new key is stored. The table itself (hashing, probing, backward-shift deletion) is
 * probe-table.ts, shared with the large collections' FieldIndex.
 */
import { hashBytes, hashString, MAX_LOAD, placeEntry, prefetchHomes, rehashed, removeEntry, sameBytes } from './probe-table';

const MIN_CAPACITY = 1024;

/**
 * The entries (a key and its value per slot) are kept in chunks of 2^SLOT_CHUNK_BITS slots:
 * growing adds a chunk and copies nothing. One contiguous array grew by half each time it was
 * full and left its old copy behind, garbage in V8's large-object space until the next full GC,
 * which during a bulk load does not come for a while; with the slack of its last growth that was
 * ~30 bytes per key of resident memory at 1,000,000 string keys (bench/perf/memory.ts: 175-190
 * bytes per key before, 154-155 after). A lookup pays one more load, from a chunk list that stays
 * in cache: CPU per request within noise to +4% (bench/perf/README.md, seventh round).
 */
export const SLOT_CHUNK_BITS = 10;
export const SLOT_CHUNK_SIZE = 1 << SLOT_CHUNK_BITS;
export const SLOT_CHUNK_MASK = SLOT_CHUNK_SIZE - 1;

type EntryChunk<V> = Array<string | V | undefined>;

/** One chunk of entries: key and value per slot, every element present (V8 keeps it a packed array). */
function entryChunk<V>(): EntryChunk<V> {
  const chunk: EntryChunk<V> = [];
  for (let i = 0; i < 2 * SLOT_CHUNK_SIZE; i++) chunk.push(undefined);
  return chunk;
}

export class KeyIndex<V = unknown> {
  /** Entry i is table[2i] (hash) and table[2i + 1] (slot + 1; 0 marks an empty entry). */
  private table = new Int32Array(MIN_CAPACITY * 2);
  private mask = MIN_CAPACITY - 1;
  private count = 0;
  /**
   * Per slot, its key (for comparing candidates and for callers iterating slots) and beside it the
   * value the caller keeps there: a lookup that found the key finds its value in the same cache
   * line, instead of one more miss in an array of its own. Slot s is at 2 × (s & SLOT_CHUNK_MASK)
   * and the element after it, in chunk s >>> SLOT_CHUNK_BITS; chunks up to the highest slot
   * inserted exist.
   */
  private readonly chunks: Array<EntryChunk<V>> = [];

  /** Number of keys. */
  public get size(): number {
    return this.count;
  }

  /** Entries the table has room for (a power of two, at least 1024). */
  public get capacity(): number {
    return this.mask + 1;
  }

  /** The key in `slot`, or undefined when the slot is free. */
  public keyAt(slot: number): string | undefined {
    const chunk = this.chunks[slot >>> SLOT_CHUNK_BITS];
    return chunk === undefined ? undefined : (chunk[2 * (slot & SLOT_CHUNK_MASK)] as string | undefined);
  }

  /** The value kept in `slot` (setValueAt), or undefined. */
  public valueAt(slot: number): V | undefined {
    const chunk = this.chunks[slot >>> SLOT_CHUNK_BITS];
    return chunk === undefined ? undefined : (chunk[2 * (slot & SLOT_CHUNK_MASK) + 1] as V | undefined);
  }

  /** Keeps `value` in `slot`, which holds a key; remove() drops it with the key. */
  public setValueAt(slot: number, value: V | undefined): void {
    this.chunks[slot >>> SLOT_CHUNK_BITS][2 * (slot & SLOT_CHUNK_MASK) + 1] = value;
  }

  /** The key of the slot that the table stores as `stored` (slot + 1): the slot is in use, so its chunk exists. */
  private storedKey(stored: number): string | V | undefined {
    const slot = stored - 1;
    return this.chunks[slot >>> SLOT_CHUNK_BITS][2 * (slot & SLOT_CHUNK_MASK)];
  }

  /** The slot of `key`, or -1. */
  public find(key: string): number {
    const table = this.table;
    const mask = this.mask;
    const hash = hashString(key);
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const stored = table[2 * i + 1];
      if (stored === 0) return -1;
      if (table[2 * i] === hash && this.storedKey(stored) === key) return stored - 1;
    }
  }

  /** The slot of the key whose bytes are `bytes[start..end)`, or -1: no string is made. */
  public findBytes(bytes: Uint8Array, start: number, end: number): number {
    const table = this.table;
    const mask = this.mask;
    const hash = hashBytes(bytes, start, end);
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const stored = table[2 * i + 1];
      if (stored === 0) return -1;
      if (table[2 * i] === hash && sameBytes(this.storedKey(stored) as string, bytes, start, end)) return stored - 1;
    }
  }

  /**
   * Brings into cache what looking up the `count` keys `bytes[spans[4k]..spans[4k + 1])` will read,
   * for a batch of pipelined requests about to run (see Database.prefetch). Each stage's loads are
   * independent of one another, so the processor overlaps their cache misses instead of paying
   * them one after another as the lookups themselves must (table entry, then the slot's key and
   * value, then the key string). Changes nothing; returns a value computed from what it read, so
   * the loads are not optimised away. `scratch` holds `count` numbers; each is left holding its
   * key's slot + 1 as the table's probe found it (0 for none), for the caller to warm what it keeps per slot.
   */
  public prefetch(bytes: Uint8Array, spans: Int32Array, count: number, scratch: Int32Array): number {
    const chunks = this.chunks;
    let sink = 0;
    // The table entry of each key: its home entry and, for a key further along, the entries up to its own.
    prefetchHomes(this.table, this.mask, bytes, spans, 0, count, scratch);
    // The slot's key and value pointers.
    for (let k = 0; k < count; k++) {
      const slot = scratch[k] - 1;
      if (slot >= 0 && chunks[slot >>> SLOT_CHUNK_BITS][2 * (slot & SLOT_CHUNK_MASK)] !== undefined) sink++;
    }
    // The key and value strings themselves (their lengths are what a lookup and a GET read first).
    for (let k = 0; k < count; k++) {
      const stored = scratch[k];
      if (stored === 0) continue;
      const slot = stored - 1;
      const chunk = chunks[slot >>> SLOT_CHUNK_BITS];
      const at = 2 * (slot & SLOT_CHUNK_MASK);
      const key = chunk[at];
      const value = chunk[at + 1];
      if (typeof key === 'string') sink += key.length;
      if (typeof value === 'string') sink += value.length;
    }
    return sink;
  }

  /** Adds `key` (which must be absent) at `slot` (which must be free). */
  public insert(key: string, slot: number): void {
    if (this.count + 1 > (this.mask + 1) * MAX_LOAD) this.resize((this.mask + 1) * 2);
    placeEntry(this.table, this.mask, hashString(key), slot);
    const chunks = this.chunks;
    // Slots are handed out in order (or reused), so this adds at most the next chunk.
    while (chunks.length <= slot >>> SLOT_CHUNK_BITS) chunks.push(entryChunk<V>());
    const chunk = chunks[slot >>> SLOT_CHUNK_BITS];
    const at = 2 * (slot & SLOT_CHUNK_MASK);
    chunk[at] = key;
    chunk[at + 1] = undefined;
    this.count++;
  }

  /** Removes `key`; returns its slot, or -1 when absent. */
  public remove(key: string): number {
    const table = this.table;
    const mask = this.mask;
    const hash = hashString(key);
    let i = hash & mask;
    for (; ; i = (i + 1) & mask) {
      const stored = table[2 * i + 1];
      if (stored === 0) return -1;
      if (table[2 * i] === hash && this.storedKey(stored) === key) break;
    }
    const slot = table[2 * i + 1] - 1;
    removeEntry(table, mask, i);
    const chunk = this.chunks[slot >>> SLOT_CHUNK_BITS];
    const at = 2 * (slot & SLOT_CHUNK_MASK);
    chunk[at] = undefined;
    chunk[at + 1] = undefined;
    this.count--;
    if (this.mask + 1 > MIN_CAPACITY && this.count < (this.mask + 1) * MAX_LOAD * 0.125) this.resize((this.mask + 1) / 2);
    return slot;
  }

  private resize(capacity: number): void {
    this.table = rehashed(this.table, capacity);
    this.mask = capacity - 1;
  }
}
