/**
 * Command name → index, looked up straight from a request's bytes, case-insensitively, in one
 * cache line.
 *
 * Every request starts with this lookup, and under a keyspace larger than the caches the lookup's
 * own structures are evicted between requests: the table of JS arrays of {name Buffer, entry}
 * that dispatch used before cost five dependent cache misses per request (perf annotate of the
 * mixed workload: the bucket array, its element, the element's map, the name Buffer, the name's
 * bytes; ~25% of executeScanned's own time). Here each slot is 8 int32 words, 32 bytes, two to a
 * cache line: the name's length, the lowercase name packed four bytes to a word, and its index.
 * A lookup packs the request's name the same way as it hashes it and compares whole words.
 *
 * Names are at most MAX_PACKED bytes (Redis's longest top-level command name is 16); a longer one
 * cannot be added, and a longer request name is no command.
 */

/** Bytes of a name packed into a slot: four words. */
export const MAX_PACKED = 16;
const WORDS = MAX_PACKED / 4;
/** Int32 words per slot: length, WORDS name words, index, and padding to 32 bytes. */
const SLOT_WORDS = 8;
const INDEX_WORD = 1 + WORDS;

/** ASCII lower case of every byte value (A-Z only, as Redis's case-insensitive command lookup). */
const LOWER = new Uint8Array(256);
for (let b = 0; b < 256; b++) LOWER[b] = b >= 65 && b <= 90 ? b + 32 : b;

export class CommandNameIndex {
  private readonly table: Int32Array;
  private readonly mask: number;
  private count = 0;
  /** The name being looked up, packed (scratch for find()). */
  private readonly packed = new Int32Array(WORDS);

  /** Room for `capacity` names, at most half the slots used so that probes stay short. */
  constructor(capacity: number) {
    let slots = 16;
    while (slots < 2 * capacity) slots *= 2;
    this.table = new Int32Array(slots * SLOT_WORDS);
    this.mask = slots - 1;
  }

  public get size(): number {
    return this.count;
  }

  /** Adds `name` (not yet present) with its index. */
  public add(name: string, index: number): void {
    const bytes = Buffer.from(name, 'latin1');
    if (bytes.length === 0 || bytes.length > MAX_PACKED) throw new RangeError(`command name '${name}' must be 1-${MAX_PACKED} bytes`);
    const at = this.slotOf(bytes.length, this.pack(bytes, 0, bytes.length));
    const table = this.table;
    if (table[at] !== 0) throw new RangeError(`command name '${name}' added twice`);
    if (2 * (this.count + 1) > this.mask + 1) throw new RangeError(`more than ${(this.mask + 1) / 2} command names`);
    table[at] = bytes.length;
    for (let w = 0; w < WORDS; w++) table[at + 1 + w] = this.packed[w];
    table[at + INDEX_WORD] = index;
    this.count++;
  }

  /** The index of the name `bytes[start..start+length)` in any case, or -1. */
  public find(bytes: Uint8Array, start: number, length: number): number {
    if (length === 0 || length > MAX_PACKED) return -1;
    const at = this.slotOf(length, this.pack(bytes, start, length));
    return this.table[at] === 0 ? -1 : this.table[at + INDEX_WORD];
  }

  /** Packs the lowercase of `bytes[start..start+length)` into `packed` (zeros after it); returns the words it fills. */
  private pack(bytes: Uint8Array, start: number, length: number): number {
    const packed = this.packed;
    const words = (length + 3) >>> 2;
    for (let w = 0; w < words; w++) {
      const at = start + 4 * w;
      const left = length - 4 * w;
      let word = LOWER[bytes[at]];
      if (left > 1) word |= LOWER[bytes[at + 1]] << 8;
      if (left > 2) word |= LOWER[bytes[at + 2]] << 16;
      if (left > 3) word |= LOWER[bytes[at + 3]] << 24;
      packed[w] = word;
    }
    for (let w = words; w < WORDS; w++) packed[w] = 0;
    return words;
  }

  /**
   * The offset of the slot holding the name just packed (`length` bytes in `words` words), or of
   * the empty slot where its probe ends.
   */
  private slotOf(length: number, words: number): number {
    const table = this.table;
    const packed = this.packed;
    for (let slot = this.home(length); ; slot = (slot + 1) & this.mask) {
      const at = slot * SLOT_WORDS;
      const stored = table[at];
      if (stored === 0) return at;
      if (stored === length) {
        let w = 0;
        while (w < words && table[at + 1 + w] === packed[w]) w++;
        if (w === words) return at;
      }
    }
  }

  /** The home slot of the name packed in `packed`, of `length` bytes. */
  private home(length: number): number {
    const packed = this.packed;
    let h = Math.imul(length, 0x9e3779b1);
    for (let w = 0; w < WORDS; w++) h = Math.imul(h ^ packed[w], 0x85ebca6b);
    return (h ^ (h >>> 15)) & this.mask;
  }
}
