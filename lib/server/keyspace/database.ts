/**
 * One logical database (SELECT n): the key → value dictionary and its expiry dictionary.
 *
 * Keys and string values are kept as latin1 JS strings — one char per byte — so binary data
 * round-trips exactly while V8 stores them as compact one-byte strings (about half the memory
 * of a Buffer per value). Collection values are objects that say what they are (`kind`).
 *
 * Layout, chosen for SCAN: every key owns a slot, in the key index and in the metadata array (`meta`);
 * `index` (key-index.ts) maps key → slot and holds each slot's key and value. Iteration
 * (KEYS, persistence, flush) walks the slots. A slot never moves while its key lives, so a cursor
 * that is a slot number guarantees what SCAN promises: every key present for the whole scan is
 * returned. Freed slots are reused, which only means a key added mid-scan may or may not appear
 * — also allowed. Expiry lives in its own map, as in Redis (db->expires), holding only keys
 * with a TTL; its live iterator drives active expiry sampling.
 */

import { latin1 } from '../util/latin1';
import { KeyIndex } from './key-index';
import { LFU_INIT_VAL, lfuDecayed, lfuIncremented } from './lfu';

export type ValueKind = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

/** A non-string value. Each data type module defines its own class implementing this. */
export interface CollectionValue {
  readonly kind: Exclude<ValueKind, 'string'>;
  /** OBJECT ENCODING's answer for this value's current shape (listpack, hashtable, …). */
  encoding(): string;
  /** Approximate bytes used, for MEMORY USAGE and maxmemory accounting. */
  memoryUsage(): number;
  /** Number of elements (used to decide when an emptied collection key must be deleted). */
  size(): number;
  /** A deep copy with the same encoding (COPY), sharing nothing mutable with this value. */
  clone(): CollectionValue;
  /** Set by a type that has a resting form (registerRestingForm's tag), on its prototype. */
  readonly restingTag?: number;
  /**
   * A large hash's or set's index of field or member names (FieldIndex), whose lookups of the
   * requests' argument 2 Database.prefetch can warm; undefined (or absent) for other encodings.
   */
  nameIndex?(): NameIndex | undefined;
}

/** What Database.prefetch needs of a collection's name index (datatypes/field-index.ts). */
export interface NameIndex {
  readonly size: number;
  prefetch(bytes: Uint8Array, spans: Int32Array, count: number, scratch: Int32Array): number;
}

/**
 * Prefetching pays once the structures a lookup reads outgrow the processor's caches: from this
 * many keys in a database, or names in one collection (an index of 2 × 8 bytes per name, then the
 * name strings: about 1.5 MB at this size, beyond a core's L2).
 */
export const PREFETCH_MIN_NAMES = 32 * 1024;

/**
 * Packing at the end of a read's commands instead of at process.nextTick (RestingForm). A
 * process.nextTick costs each read callback that touched a resting value a trip through Node's
 * tick queue when the callback returns (processTicksAndRejections): in the bench's mixed
 * workload, where half the reads touch a small set, that was ~4% of the server's CPU, and ~6% of
 * it over the mix's collection commands alone (bench/perf/README.md). While the server holds packing
 * around a read's commands, a database with values to pack waits here, and release() packs them
 * before the read's callback returns; outside a hold (a timer, a blocked client served later)
 * packing goes back to process.nextTick.
 */
export class PackingHold {
  private held = false;
  private readonly waiting: Database[] = [];

  public hold(): void {
    this.held = true;
  }

  /** Ends the hold and packs what waited for it. */
  public release(): void {
    this.held = false;
    const waiting = this.waiting;
    for (let i = 0; i < waiting.length; i++) waiting[i].packPending();
    waiting.length = 0;
  }

  /** Takes `db`'s packing until release(): true while held, false when the caller must schedule it. */
  public defer(db: Database): boolean {
    if (!this.held) return false;
    const waiting = this.waiting;
    // A read's commands mostly touch one database: the last one listed is the usual match.
    for (let i = waiting.length - 1; i >= 0; i--) if (waiting[i] === db) return true;
    waiting.push(db);
    return true;
  }
}

/**
 * A compact form in which a collection may rest in its slot between commands: one immutable
 * string instead of an object holding it. For a million small sets the object alone is ~40 of
 * ~200 bytes per key. Commands never see the resting form: a lookup turns it back into a live
 * value, which stays in the slot until the work of the current callback is done (a read's worth
 * of commands, or one EXEC) and is then packed again if it still can be. Commands run
 * synchronously, so no command ever holds a live value that is packed under it; a holder across
 * callbacks (a BGSAVE snapshot) only reads, and keeps a value that no later command changes.
 * Packing right after the read (PackingHold), or at process.nextTick outside one, rather than at
 * setImmediate matters: a read's live values then die young instead of being promoted to the old
 * generation as garbage.
 */
export interface RestingForm {
  /** The string `value` can rest as now, or undefined when it cannot (e.g. it outgrew the form). */
  toResting(value: CollectionValue): string | undefined;
  fromResting(resting: string): CollectionValue;
}

const restingForms: RestingForm[] = [];

/** Registers a resting form; returns the tag (1 …) its values must carry as `restingTag`. */
export function registerRestingForm(form: RestingForm): number {
  restingForms.push(form);
  return restingForms.length;
}

/** The live value of a resting form with `tag` (see Database.capture): a new object, not the keyspace's. */
export function liveFromResting(tag: number, resting: string): CollectionValue {
  return restingForms[tag - 1].fromResting(resting);
}

/** A stored value: a string is a latin1 string, anything else is a collection. */
export type StoredValue = string | CollectionValue;

/** One database's keys as a snapshot captures them (Database.capture), position by position. */
export interface CapturedSlots {
  readonly keys: string[];
  /** Values as stored: a resting form is still its immutable string, with its tag in `resting`. */
  readonly values: StoredValue[];
  /** Per position, the resting tag of its value (0: live); undefined when no value rests. */
  readonly resting: Uint8Array | undefined;
  /** Per position, the absolute expiry in ms (NaN for none); undefined when no key has one. */
  readonly expires: Float64Array | undefined;
  readonly expiresCount: number;
  /** Per position, the idle seconds or the LFU counter, as asked; undefined when not asked. */
  readonly access: Uint32Array | undefined;
}

export function kindOf(value: StoredValue): ValueKind {
  return typeof value === 'string' ? 'string' : value.kind;
}

/** Called whenever a key's value or existence changes: WATCH and client-side caching hang off it. */
export type KeyModifiedListener = (db: Database, key: string) => void;

const INITIAL_SLOTS = 1024;

/**
 * The per-slot metadata, interleaved in one Uint32Array (`meta`) so that a lookup finds all of a
 * key's in one cache line: a GET reads the resting tag and writes the access time, a SET writes
 * those and the size too. As separate arrays each was a cache miss of its own on every request
 * over a keyspace larger than the caches (perf annotate: the resting tag's load alone was a fifth
 * of GET's lookup in the mixed workload).
 */
const META_WORDS = 3;
/** Word 0: seconds (server clock) of the last access, for OBJECT IDLETIME, LRU eviction and LFU decay. */
const META_ACCESS = 0;
/** Word 1: estimated bytes, summed in `bytes`: maxmemory accounting that costs O(1) per write. */
const META_SIZE = 1;
/**
 * Word 2: the LFU counter (logarithmic like Redis's) in the low byte, for OBJECT FREQ and LFU
 * eviction; above it 0, or the RestingForm tag of the string resting as the slot's value.
 */
const META_FLAGS = 2;
const FREQUENCY_MASK = 0xff;
const RESTING_SHIFT = 8;

/**
 * What one key costs this process beyond its key and value strings, measured with V8's heap
 * statistics after a full GC (200,000 string keys, values of 10 to 1000 bytes: 86 bytes each,
 * within 2): its entry in the key index with the table's free share, its slots in the
 * per-slot arrays (the index's entries, `meta`) with their growth slack.
 * Re-measure when the keyspace layout changes.
 */
const PER_KEY_OVERHEAD = 86;

/** What a TTL adds: an entry in the `expires` Map and the heap number holding the time (measured as above: 52). */
const EXPIRE_ENTRY_BYTES = 52;

/** A V8 one-byte string: a 16-byte header (map, hash, length) and the characters, rounded up to 8. */
function stringBytes(length: number): number {
  return 16 + ((length + 7) & ~7);
}

function estimateBytes(key: string, value: StoredValue): number {
  const body = typeof value === 'string' ? stringBytes(value.length) : value.memoryUsage();
  return PER_KEY_OVERHEAD + stringBytes(key.length) + body;
}

/** What eviction needs to know about one sampled key. */
export interface EvictionSample {
  readonly key: string;
  readonly idleSeconds: number;
  readonly frequency: number;
  /** Absolute expiry in Unix ms, or undefined. */
  readonly expireAt: number | undefined;
}

export class Database {
  /** Keys with a TTL → absolute expiry time in Unix milliseconds. */
  public readonly expires = new Map<string, number>();
  /** Key → slot, and each slot's key and value (the value beside its key: see KeyIndex). */
  private index = new KeyIndex<StoredValue>();
  /** Per slot, META_WORDS words: last access, estimated bytes, LFU counter and resting tag (see META_WORDS). */
  private meta = new Uint32Array(INITIAL_SLOTS * META_WORDS);
  /** Slots whose live collection may be packed to its resting form once the current callback is done. */
  private toPack: number[] = [];
  /** The other of the two lists packPending() alternates between, so that packing allocates nothing. */
  private packing: number[] = [];
  private packScheduled = false;
  /** packPending as one function made once: scheduling it then allocates no closure per callback. */
  private readonly packLater = (): void => this.packPending();
  private bytes = 0;
  private evictionCursor: IterableIterator<[string, number]> | undefined;
  private freeSlots: number[] = [];
  private highWater = 0;
  private expiryCursor: IterableIterator<[string, number]> | undefined;

  /** Counters for INFO keyspace/stats. */
  public expiredKeys = 0;
  /** While true, reads do not update access time or LFU counter (CLIENT NO-TOUCH). */
  public suppressTouch = false;
  /**
   * Whether an access counts in the LFU counter: only under an LFU maxmemory-policy, the only
   * time anything reads it (OBJECT FREQ, eviction), as Redis keeps one field for LRU time or LFU
   * data. Counting is a random draw and a read of a byte that is a cache miss of its own on
   * every GET. After a switch to LFU the counters start from where they were, which Redis's
   * "LRU and LFU data will take some time to adjust" allows (its own start from LRU bits).
   */
  public countsFrequency = false;
  /** lfu-log-factor: how many accesses it takes to grow the counter (see lfuIncremented). */
  public lfuLogFactor = 10;
  /** lfu-decay-time: minutes per one off the counter while a key is not accessed; 0 = never. */
  public lfuDecayTime = 1;
  /** The LFU counter's random draw; replaceable so tests can make counting deterministic. */
  public random: () => number = Math.random;

  constructor(
    public readonly id: number,
    private readonly clock: () => number = Date.now,
    private readonly onModified?: KeyModifiedListener,
    /** Told of a key deleted because its TTL passed (after onModified). */
    private readonly onExpired?: KeyModifiedListener,
    /** The server's hold on packing during a read's commands; without one, packing waits for process.nextTick. */
    private readonly packingHold?: PackingHold,
  ) {}

  /** Number of keys, including ones whose TTL passed but which were not reclaimed yet (as DBSIZE). */
  public get size(): number {
    return this.index.size;
  }

  /** Estimated memory held by keys, values and TTLs (INFO used_memory, maxmemory). */
  public get usedBytes(): number {
    return this.bytes + this.expires.size * EXPIRE_ENTRY_BYTES;
  }

  /** Estimated bytes one key and its value hold, or undefined when absent. */
  public keyBytes(key: string): number | undefined {
    const slot = this.index.find(key);
    return slot < 0 ? undefined : this.meta[META_WORDS * slot + META_SIZE];
  }

  /** True when the key sits in the dictionary, even if its TTL has passed (no lazy expiry). */
  public hasSlot(key: string): boolean {
    return this.index.find(key) >= 0;
  }

  /** Size of the slot space: SCAN's cursor runs from 0 to this. */
  public get slotCount(): number {
    return this.highWater;
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** Looks a key up for reading: expires it first if its time has come (lazy expiry). */
  public get(key: string, touch = true): StoredValue | undefined {
    const slot = this.index.find(key);
    if (slot < 0) return undefined;
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return undefined;
    if (touch && !this.suppressTouch) this.touchSlot(slot);
    return this.valueAt(slot);
  }

  /**
   * get() for the key whose bytes are `bytes[start..end)` (a request still in the read buffer):
   * the same lookup, lazy expiry and touch, without making a string of the key.
   */
  public getBytes(bytes: Buffer, start: number, end: number): StoredValue | undefined {
    const slot = this.liveSlotBytes(bytes, start, end);
    return slot < 0 ? undefined : this.valueAt(slot);
  }

  /**
   * The slot of a live key, looked up (lazy expiry) and touched as get() does, or -1: for a
   * command that reads a value and then replaces it (INCR), so the replacement needs no second
   * lookup (see valueInSlot/replaceInSlot). The slot is valid until the next change to the keyspace.
   */
  public liveSlot(key: string): number {
    const slot = this.index.find(key);
    if (slot < 0) return -1;
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return -1;
    if (!this.suppressTouch) this.touchSlot(slot);
    return slot;
  }

  /** liveSlot() for the key whose bytes are `bytes[start..end)`, without making a string of it. */
  public liveSlotBytes(bytes: Buffer, start: number, end: number): number {
    const slot = this.index.findBytes(bytes, start, end);
    if (slot < 0) return -1;
    if (this.expires.size !== 0 && this.expireIfNeeded(this.index.keyAt(slot) as string)) return -1;
    if (!this.suppressTouch) this.touchSlot(slot);
    return slot;
  }

  /** The value of the key in `slot` (from liveSlot/liveSlotBytes). */
  public valueInSlot(slot: number): StoredValue {
    return this.valueAt(slot);
  }

  /**
   * Replaces the value of the key in `slot` (from liveSlot/liveSlotBytes), keeping its TTL, as
   * set(key, value, true) would without finding the key again (Redis's dbOverwrite: no touch).
   */
  public replaceInSlot(slot: number, value: StoredValue): void {
    this.storeAt(slot, this.index.keyAt(slot) as string, value, true);
  }

  /**
   * Brings into cache what the `count` pipelined requests about to run will read, so that their
   * cache misses overlap instead of each lookup paying its own one after another (Valkey 8's
   * memory_prefetch.c does the same for its batches). `spans` holds four offsets per request
   * (RespParser.peekRequests): argument 1, the key, and argument 2, a field or member (negative
   * when absent). Warms the key index when this database is large (KeyIndex.prefetch), and the
   * name index of a large hash or set at the first request's key for every request naming that
   * key. Changes nothing; returns a value computed from what it read.
   */
  public prefetch(bytes: Uint8Array, spans: Int32Array, count: number, scratch: Int32Array): number {
    let sink = 0;
    if (this.index.size >= PREFETCH_MIN_NAMES) {
      sink = this.index.prefetch(bytes, spans, count, scratch);
      // Each slot's metadata, which the lookup reads (resting tag) and writes (access time).
      const meta = this.meta;
      for (let k = 0; k < count; k++) {
        const stored = scratch[k];
        if (stored > 0) sink += meta[META_WORDS * (stored - 1) + META_FLAGS];
      }
    }
    const names = this.largeNameIndexAt(bytes, spans[0], spans[1]);
    if (names === undefined) return sink;
    // Only requests on that same key: the others' argument 2 is no name of this collection.
    const keyStart = spans[0];
    const keyLength = spans[1] - keyStart;
    for (let k = 1; k < count; k++) {
      const start = spans[4 * k];
      let same = spans[4 * k + 1] - start === keyLength;
      for (let i = 0; same && i < keyLength; i++) same = bytes[start + i] === bytes[keyStart + i];
      if (!same) spans[4 * k + 2] = -1;
    }
    return sink + names.prefetch(bytes, spans, count, scratch);
  }

  /**
   * Whether prefetch() has anything to warm for a batch whose first key is `bytes[start..end)`:
   * checked on the first request alone, before the rest of the batch is looked at.
   */
  public prefetchPays(bytes: Uint8Array, start: number, end: number): boolean {
    return this.index.size >= PREFETCH_MIN_NAMES || this.largeNameIndexAt(bytes, start, end) !== undefined;
  }

  /** The name index of the large hash or set at the key `bytes[start..end)`, if that is what is there. */
  private largeNameIndexAt(bytes: Uint8Array, start: number, end: number): NameIndex | undefined {
    const slot = this.index.findBytes(bytes, start, end);
    if (slot < 0) return undefined;
    // A resting value is a small collection: never one with a large index.
    const value = this.index.valueAt(slot);
    if (typeof value !== 'object' || value.nameIndex === undefined) return undefined;
    const names = value.nameIndex();
    return names !== undefined && names.size >= PREFETCH_MIN_NAMES ? names : undefined;
  }

  /** True when the key exists (after lazy expiry). */
  public has(key: string): boolean {
    return this.get(key, false) !== undefined;
  }

  /** Absolute expiry in Unix ms, or undefined for no TTL (does not check existence). */
  public getExpire(key: string): number | undefined {
    return this.expires.get(key);
  }

  /** Seconds since last access, for OBJECT IDLETIME. */
  public idleSeconds(key: string): number | undefined {
    const slot = this.index.find(key);
    return slot < 0 ? undefined : this.idleSecondsAt(slot);
  }

  /** Seconds since last access of the key in `slot` (OBJECT IDLETIME, eviction, a snapshot's IDLE data). */
  private idleSecondsAt(slot: number, nowSeconds = this.nowSeconds()): number {
    return Math.max(0, nowSeconds - this.meta[META_WORDS * slot + META_ACCESS]);
  }

  /** The LFU counter decayed to now, for OBJECT FREQ (which, as Redis's, does not store it). */
  public accessFrequency(key: string): number | undefined {
    const slot = this.index.find(key);
    return slot < 0 ? undefined : this.decayedFrequency(slot, this.nowSeconds());
  }

  /**
   * The access data a RESTORE (IDLETIME / FREQ) or an RDB record (its IDLE / FREQ opcode) carried
   * for a key just stored, applied as Redis's objectSetLRUOrLFU does: under an LFU policy the LFU
   * counter, whose decay then counts from now; under any other policy the idle time. The other one
   * is ignored, as Redis keeps only one of them per key.
   */
  public restoreAccess(key: string, frequency: number | undefined, idleSeconds: number | undefined): void {
    const slot = this.index.find(key);
    if (slot < 0) return;
    const now = this.nowSeconds();
    if (this.countsFrequency) {
      if (frequency === undefined) return;
      this.setFrequency(slot, Math.min(255, Math.max(0, frequency)));
      this.setAccess(slot, now);
    } else if (idleSeconds !== undefined) {
      this.setAccess(slot, Math.max(0, now - idleSeconds));
    }
  }

  // ---- writes --------------------------------------------------------------------------------

  /**
   * Stores a value. Unless `keepTtl`, any TTL the key had is cleared (as SET does).
   * Signals the modification for WATCH.
   */
  public set(key: string, value: StoredValue, keepTtl = false): void {
    let slot = this.index.find(key);
    if (slot < 0) {
      slot = this.allocateSlot();
      this.index.insert(key, slot);
      // A new key starts at LFU_INIT_VAL and is not counted as accessed, as Redis's createObject.
      this.initMeta(slot);
    } else {
      // Overwriting looks the old value up first, which counts as an access (Redis's lookupKeyWrite).
      this.touchSlot(slot);
    }
    this.storeAt(slot, key, value, keepTtl);
  }

  /**
   * set() for the key whose bytes are `bytes[start..end)`: an existing key is found without
   * making a string of it (its stored string serves from then on); only a new key becomes one.
   */
  public setBytes(bytes: Buffer, start: number, end: number, value: StoredValue): void {
    const slot = this.index.findBytes(bytes, start, end);
    if (slot < 0) {
      const key = latin1(bytes, start, end);
      const fresh = this.allocateSlot();
      this.index.insert(key, fresh);
      this.initMeta(fresh); // not counted as an access (see set())
      this.storeAt(fresh, key, value, false);
      return;
    }
    this.touchSlot(slot);
    this.storeAt(slot, this.index.keyAt(slot) as string, value, false);
  }

  /** The rest of set(), once the key has its slot. */
  private storeAt(slot: number, key: string, value: StoredValue, keepTtl: boolean): void {
    this.index.setValueAt(slot, value);
    this.setResting(slot, 0);
    if (typeof value === 'object' && value.restingTag !== undefined) this.schedulePack(slot);
    this.setSize(slot, estimateBytes(key, value));
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
    this.signal(key);
  }

  /** Sets the absolute expiry (Unix ms) of an existing key. */
  public setExpire(key: string, atMs: number): void {
    if (this.index.find(key) < 0) return;
    this.expires.set(key, atMs);
    this.signal(key);
  }

  /** Removes the TTL; returns true when there was one. */
  public persist(key: string): boolean {
    const had = this.expires.delete(key);
    if (had) this.signal(key);
    return had;
  }

  /** Deletes a key; returns true when it existed (an already-expired key counts as absent). */
  public delete(key: string): boolean {
    if (this.index.find(key) < 0) return false;
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return false;
    this.removeKey(key);
    this.signal(key);
    return true;
  }

  /** Tells WATCHers a collection value was changed in place. */
  public markModified(key: string): void {
    this.remeasure(key);
    this.signal(key);
  }

  /**
   * markModified() for the key in `slot` (from liveSlot/liveSlotBytes) whose collection a command
   * changed in place: re-measured and signalled without finding the key again.
   */
  public markModifiedInSlot(slot: number): void {
    const key = this.index.keyAt(slot) as string;
    const value = this.index.valueAt(slot);
    // A resting value has not changed since it was last measured (as remeasure).
    if (this.restingTag(slot) === 0 && value !== undefined) this.setSize(slot, estimateBytes(key, value));
    this.signal(key);
  }

  /**
   * Re-estimates a value's bytes after a change that is not a modification (an encoding
   * conversion, as SORT does to a sorted set), so WATCHers are not told.
   */
  public remeasure(key: string): void {
    const slot = this.index.find(key);
    // A resting value has not changed since it was last measured.
    if (slot < 0 || this.restingTag(slot) !== 0) return;
    const value = this.index.valueAt(slot);
    if (value === undefined) return;
    this.setSize(slot, estimateBytes(key, value));
  }

  /** Deletes a collection key that a command just emptied, as Redis never keeps empty collections. */
  public deleteIfEmpty(key: string, value: CollectionValue): boolean {
    if (value.size() !== 0) return false;
    return this.delete(key);
  }

  /** Empties the database; WATCHers of every key are told. */
  public flush(): number {
    const removed = this.index.size;
    if (this.onModified) {
      for (let slot = 0; slot < this.highWater; slot++) {
        const key = this.index.keyAt(slot);
        if (key !== undefined) this.onModified(this, key);
      }
    }
    this.index = new KeyIndex();
    this.expires.clear();
    this.meta = new Uint32Array(INITIAL_SLOTS * META_WORDS);
    this.bytes = 0;
    this.freeSlots = [];
    this.highWater = 0;
    this.expiryCursor = undefined;
    this.evictionCursor = undefined;
    return removed;
  }

  /** Exchanges the whole contents with another database (SWAPDB). */
  public swapWith(other: Database): void {
    // Pending packs name slots of one database's arrays: settle them before the arrays move.
    this.packPending();
    other.packPending();
    [this.index, other.index] = [other.index, this.index];
    [this.meta, other.meta] = [other.meta, this.meta];
    [this.bytes, other.bytes] = [other.bytes, this.bytes];
    [this.freeSlots, other.freeSlots] = [other.freeSlots, this.freeSlots];
    [this.highWater, other.highWater] = [other.highWater, this.highWater];
    const myExpires = new Map(this.expires);
    this.expires.clear();
    for (const [k, v] of other.expires) this.expires.set(k, v);
    other.expires.clear();
    for (const [k, v] of myExpires) other.expires.set(k, v);
    this.expiryCursor = undefined;
    other.expiryCursor = undefined;
    this.evictionCursor = undefined;
    other.evictionCursor = undefined;
  }

  // ---- iteration -----------------------------------------------------------------------------

  /**
   * One SCAN step: visits slots from `cursor` until `count` slots holding keys were seen (or the
   * end), and returns the next cursor (0 when done). Expired keys are reclaimed, not returned.
   */
  public scan(cursor: number, count: number, visit: (key: string, value: StoredValue) => void): number {
    let slot = cursor;
    let seen = 0;
    const now = this.clock();
    while (slot < this.highWater && seen < count) {
      const key = this.index.keyAt(slot);
      if (key !== undefined) {
        seen++;
        const at = this.expires.size !== 0 ? this.expires.get(key) : undefined;
        if (at !== undefined && at <= now) {
          this.expireKey(key);
        } else {
          visit(key, this.valueAt(slot));
        }
      }
      slot++;
    }
    return slot >= this.highWater ? 0 : slot;
  }

  /**
   * Every live key with its value, expiry and (when asked) access data, in slot order: a
   * snapshot's capture, BGSAVE's "fork" (persistence/snapshot.ts), in one pass over the slots into
   * arrays sized up front, which holds the event loop a fraction of what scan() with a callback
   * did. A value resting as a string is captured as that string: it is immutable, so it needs no
   * copy-on-write and is made live only when written (liveFromResting), not here. Keys whose time
   * has passed are left out and reclaimed after the pass, as scan() does.
   */
  public capture(access: 'idle' | 'freq' | undefined): CapturedSlots {
    const count = this.index.size;
    const keys: string[] = new Array<string>(count);
    const values: StoredValue[] = new Array<StoredValue>(count);
    const hasExpires = this.expires.size !== 0;
    const expires = hasExpires ? new Float64Array(count).fill(NaN) : undefined;
    const accessOut = access === undefined ? undefined : new Uint32Array(count);
    let resting: Uint8Array | undefined;
    let expired: string[] | undefined;
    const now = this.clock();
    const nowSeconds = this.nowSeconds();
    const index = this.index;
    let n = 0;
    let expiresCount = 0;
    for (let slot = 0; slot < this.highWater; slot++) {
      const key = index.keyAt(slot);
      if (key === undefined) continue;
      if (hasExpires) {
        const at = this.expires.get(key);
        if (at !== undefined) {
          if (at <= now) {
            (expired ??= []).push(key);
            continue;
          }
          (expires as Float64Array)[n] = at;
          expiresCount++;
        }
      }
      keys[n] = key;
      values[n] = index.valueAt(slot) as StoredValue;
      const tag = this.restingTag(slot);
      if (tag !== 0) (resting ??= new Uint8Array(count))[n] = tag;
      if (accessOut !== undefined) accessOut[n] = access === 'idle' ? this.idleSecondsAt(slot, nowSeconds) : this.decayedFrequency(slot, nowSeconds);
      n++;
    }
    if (expired !== undefined) for (const key of expired) this.expireKey(key);
    if (n === count) return { keys, values, resting, expires, expiresCount, access: accessOut };
    keys.length = n;
    values.length = n;
    return { keys, values, resting: resting?.subarray(0, n), expires: expires?.subarray(0, n), expiresCount, access: accessOut?.subarray(0, n) };
  }

  /** Every live key (KEYS); expired ones are skipped and reclaimed. */
  public *liveKeys(): IterableIterator<string> {
    const now = this.clock();
    const keys: string[] = [];
    for (let slot = 0; slot < this.highWater; slot++) {
      const key = this.index.keyAt(slot);
      if (key !== undefined) keys.push(key);
    }
    for (const key of keys) {
      const at = this.expires.get(key);
      if (at !== undefined && at <= now) {
        this.expireKey(key);
        continue;
      }
      yield key;
    }
  }

  /** Every live entry with its expiry, for persistence and DEBUG-style dumps. */
  public *entries(): IterableIterator<[string, StoredValue, number | undefined]> {
    // Slot by slot; a key stored while the caller iterates may or may not be visited.
    for (let slot = 0; slot < this.highWater; slot++) {
      const key = this.index.keyAt(slot);
      if (key !== undefined) yield [key, this.valueAt(slot), this.expires.get(key)];
    }
  }

  /** A random live key, or undefined when empty (RANDOMKEY). */
  public randomKey(random: () => number = Math.random): string | undefined {
    for (let attempt = 0; attempt < 100 && this.index.size > 0; attempt++) {
      const key = this.randomKeyRaw(random);
      if (key === undefined) return undefined;
      if (!this.expireIfNeeded(key)) return key;
    }
    // Everything sampled was expired: fall back to a linear pass, which also reclaims.
    for (const key of this.liveKeys()) return key;
    return undefined;
  }

  /**
   * Up to `count` eviction candidates: random keys, or with `volatileOnly` keys that have a TTL
   * (taken from a rotating walk of the expires dictionary, as Redis samples db->expires).
   */
  public sampleForEviction(count: number, volatileOnly: boolean, random: () => number = Math.random): EvictionSample[] {
    const out: EvictionSample[] = [];
    const now = this.nowSeconds();
    const describe = (key: string, slot: number): EvictionSample => ({
      key,
      idleSeconds: this.idleSecondsAt(slot, now),
      frequency: this.decayedFrequency(slot, now),
      expireAt: this.expires.get(key),
    });
    if (volatileOnly) {
      let wrapped = false;
      while (out.length < count && this.expires.size > 0) {
        if (!this.evictionCursor) this.evictionCursor = this.expires.entries();
        const next = this.evictionCursor.next();
        if (next.done) {
          this.evictionCursor = undefined;
          if (wrapped) break;
          wrapped = true;
          continue;
        }
        const slot = this.index.find(next.value[0]);
        if (slot >= 0) out.push(describe(next.value[0], slot));
      }
      return out;
    }
    for (let i = 0; i < count && this.index.size > 0; i++) {
      const key = this.randomKeyRaw(random);
      if (key === undefined) break;
      out.push(describe(key, this.index.find(key)));
    }
    return out;
  }

  // ---- expiry --------------------------------------------------------------------------------

  /** Expires `key` if its time has passed; returns true when it was removed. */
  public expireIfNeeded(key: string): boolean {
    const at = this.expires.get(key);
    if (at === undefined || at > this.clock()) return false;
    this.expireKey(key);
    return true;
  }

  /**
   * One active-expiry cycle over this database, Redis's algorithm in miniature: sample up to
   * `sample` keys with a TTL, reclaim the expired ones, and repeat while more than a quarter
   * of the sample was expired and the time budget lasts. Returns keys reclaimed.
   */
  public activeExpireCycle(sample = 20, budgetMs = 1): number {
    if (this.expires.size === 0) return 0;
    const started = this.clock();
    let reclaimed = 0;
    for (;;) {
      let expiredInSample = 0;
      let checked = 0;
      const now = this.clock();
      while (checked < sample && this.expires.size > 0) {
        if (!this.expiryCursor) this.expiryCursor = this.expires.entries();
        const next = this.expiryCursor.next();
        if (next.done) {
          this.expiryCursor = undefined;
          if (checked === 0) break;
          continue;
        }
        checked++;
        const [key, at] = next.value;
        if (at <= now) {
          this.expireKey(key);
          expiredInSample++;
        }
      }
      reclaimed += expiredInSample;
      if (checked === 0 || expiredInSample * 4 <= checked) break;
      if (this.clock() - started >= budgetMs) break;
    }
    return reclaimed;
  }

  // ---- internals -----------------------------------------------------------------------------

  private expireKey(key: string): void {
    if (this.index.find(key) < 0) {
      this.expires.delete(key);
      return;
    }
    this.removeKey(key);
    this.expiredKeys++;
    this.signal(key);
    if (this.onExpired !== undefined) this.onExpired(this, key);
  }

  /** Drops a key known to be present, with its value, TTL and slot. */
  private removeKey(key: string): void {
    const slot = this.index.remove(key);
    if (this.expires.size !== 0) this.expires.delete(key);
    this.setResting(slot, 0);
    this.setSize(slot, 0);
    if (slot === this.highWater - 1) {
      this.highWater--;
      // Trailing free slots are dropped from the free list lazily in allocateSlot.
    } else {
      this.freeSlots.push(slot);
    }
  }

  private allocateSlot(): number {
    while (this.freeSlots.length > 0) {
      const slot = this.freeSlots.pop() as number;
      if (slot < this.highWater && this.index.keyAt(slot) === undefined) return slot;
    }
    const slot = this.highWater++;
    if (META_WORDS * slot >= this.meta.length) this.grow();
    return slot;
  }

  private grow(): void {
    const meta = new Uint32Array(this.meta.length * 2);
    meta.set(this.meta);
    this.meta = meta;
  }

  /**
   * A new key's metadata: LFU_INIT_VAL, not resting, and the access time now, not counted as an
   * access (Redis's createObject). Its size is set when its value is stored.
   */
  private initMeta(slot: number): void {
    this.setAccess(slot, this.nowSeconds());
    this.meta[META_WORDS * slot + META_FLAGS] = LFU_INIT_VAL;
  }

  private setAccess(slot: number, seconds: number): void {
    this.meta[META_WORDS * slot + META_ACCESS] = seconds;
  }

  private restingTag(slot: number): number {
    return this.meta[META_WORDS * slot + META_FLAGS] >>> RESTING_SHIFT;
  }

  private setResting(slot: number, tag: number): void {
    const at = META_WORDS * slot + META_FLAGS;
    this.meta[at] = (this.meta[at] & FREQUENCY_MASK) | (tag << RESTING_SHIFT);
  }

  private setFrequency(slot: number, counter: number): void {
    const at = META_WORDS * slot + META_FLAGS;
    this.meta[at] = (this.meta[at] & ~FREQUENCY_MASK) | counter;
  }

  /** Records a slot's new estimated bytes in the database's total. */
  private setSize(slot: number, size: number): void {
    const at = META_WORDS * slot + META_SIZE;
    this.bytes += size - this.meta[at];
    this.meta[at] = size;
  }

  /** The live value in a slot, turning a resting form back into one (kept until packPending). */
  private valueAt(slot: number): StoredValue {
    const value = this.index.valueAt(slot) as StoredValue;
    const tag = this.restingTag(slot);
    if (tag === 0) return value;
    const live = restingForms[tag - 1].fromResting(value as string);
    this.index.setValueAt(slot, live);
    this.setResting(slot, 0);
    this.schedulePack(slot);
    return live;
  }

  private schedulePack(slot: number): void {
    this.toPack.push(slot);
    if (this.packingHold !== undefined && this.packingHold.defer(this)) return;
    if (this.packScheduled) return;
    this.packScheduled = true;
    process.nextTick(this.packLater);
  }

  /**
   * After the current callback: every live collection that was looked up or stored rests again if it can. Each
   * slot is checked for what it holds now (the key may be gone, or the slot reused): packing any
   * packable value found there is right whatever happened in between.
   */
  public packPending(): void {
    this.packScheduled = false;
    const slots = this.toPack;
    this.toPack = this.packing;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      const value = this.index.valueAt(slot);
      if (typeof value !== 'object' || value.restingTag === undefined) continue;
      const resting = restingForms[value.restingTag - 1].toResting(value);
      if (resting === undefined) continue;
      this.index.setValueAt(slot, resting);
      this.setResting(slot, value.restingTag);
    }
    slots.length = 0;
    this.packing = slots;
  }

  private randomKeyRaw(random: () => number): string | undefined {
    if (this.index.size === 0) return undefined;
    for (;;) {
      const slot = Math.floor(random() * this.highWater);
      const key = this.index.keyAt(slot);
      if (key !== undefined) return key;
    }
  }

  private touchSlot(slot: number): void {
    const now = this.nowSeconds();
    if (this.countsFrequency) {
      // Redis's updateLFU: decay by the minutes since the last access, then count this one. The
      // decay reads the previous access time, so it must come before that time is moved to now.
      const counter = this.decayedFrequency(slot, now);
      this.setFrequency(slot, lfuIncremented(counter, this.lfuLogFactor, this.random));
    }
    this.setAccess(slot, now);
  }

  private decayedFrequency(slot: number, nowSeconds: number): number {
    const at = META_WORDS * slot;
    return lfuDecayed(this.meta[at + META_FLAGS] & FREQUENCY_MASK, this.meta[at + META_ACCESS], nowSeconds, this.lfuDecayTime);
  }

  private nowSeconds(): number {
    return Math.floor(this.clock() / 1000) >>> 0;
  }

  private signal(key: string): void {
    if (this.onModified) this.onModified(this, key);
  }
}
