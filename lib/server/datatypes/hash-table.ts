/**
 * The large encoding of a hash ("hashtable"): fields and values side by side in one dense array
 * (field i at 2i, its value at 2i + 1), with a FieldIndex from field to its place in that array.
 * The layout is SetTable's, for the same reasons: HRANDFIELD picks a uniformly random field in
 * O(1), and HSCAN's top-down cursor returns every field present for the whole scan even when
 * fields are deleted meanwhile (a deletion moves the last pair down into the hole, never up past
 * the cursor). Side by side rather than in two arrays: the value a lookup wants sits in the same
 * cache line as the field it compared.
 *
 * The `…Bytes` methods take a field still in the request's read buffer: an existing field is
 * found without making a string of it.
 */
import { latin1 } from '../util/latin1';
import { FieldIndex } from './field-index';

export class HashTable {
  /** field, value, field, value, … */
  private readonly entries: string[] = [];
  /** Field → its index in `entries` (always even). */
  /** Name → position; public for prefetching (Database.prefetch), which only reads it. */
  public readonly index: FieldIndex;
  /** Sum of field and value lengths, for MEMORY USAGE without a walk. */
  private bytes = 0;
  /**
   * Each value's length by position: replacing a value adjusts `bytes` without reading the old
   * string, which (in a big hash) is a cache miss of its own — 4 bytes per field in a dense array.
   */
  private valueLengths = new Uint32Array(8);

  /** @param expected how many fields are about to be added (a conversion), to size the index once */
  constructor(expected = 0) {
    this.index = new FieldIndex(this.entries, expected);
  }

  public get size(): number {
    return this.entries.length >>> 1;
  }

  public get payloadBytes(): number {
    return this.bytes;
  }

  public get(field: string): string | undefined {
    const at = this.index.find(field);
    return at < 0 ? undefined : this.entries[at + 1];
  }

  /** get() of the field whose bytes are `bytes[start..end)`. */
  public getBytes(bytes: Buffer, start: number, end: number): string | undefined {
    const at = this.index.findBytes(bytes, start, end);
    return at < 0 ? undefined : this.entries[at + 1];
  }

  public has(field: string): boolean {
    return this.index.find(field) >= 0;
  }

  /** Sets a field; true when it is new. */
  public set(field: string, value: string): boolean {
    const at = this.index.find(field);
    if (at >= 0) {
      this.replaceAt(at, value);
      return false;
    }
    this.append(field, value);
    return true;
  }

  /** set() of the field whose bytes are `bytes[start..end)`; the field becomes a string only when new. */
  public setBytes(bytes: Buffer, start: number, end: number, value: string): boolean {
    const at = this.index.findBytes(bytes, start, end);
    if (at >= 0) {
      this.replaceAt(at, value);
      return false;
    }
    this.append(latin1(bytes, start, end), value);
    return true;
  }

  /** Deletes a field; false when it was not there. */
  public delete(field: string): boolean {
    const at = this.index.find(field);
    if (at < 0) return false;
    const entries = this.entries;
    const lengths = this.valueLengths;
    this.bytes -= field.length + lengths[at >>> 1];
    this.index.remove(field, at);
    const last = entries.length - 2;
    if (at < last) {
      // Keep the array dense: the last pair moves down into the hole.
      const lastField = entries[last];
      entries[at] = lastField;
      entries[at + 1] = entries[last + 1];
      lengths[at >>> 1] = lengths[last >>> 1];
      this.index.move(lastField, last, at);
    }
    entries.pop();
    entries.pop();
    // Give back the lengths' room when the hash has shrunk to a quarter (the arrays shrink too).
    if (lengths.length > 8 && last * 2 <= lengths.length) this.valueLengths = lengths.slice(0, lengths.length >>> 1);
    return true;
  }

  public fieldAt(position: number): string {
    return this.entries[2 * position];
  }

  public valueAt(position: number): string {
    return this.entries[2 * position + 1];
  }

  public forEach(visit: (field: string, value: string) => void): void {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i += 2) visit(entries[i], entries[i + 1]);
  }

  /**
   * One HSCAN step. Cursor 0 starts at the top; the returned cursor is how many positions are
   * still to visit (0 when done). Visits up to `count` fields.
   */
  public scan(cursor: number, count: number, visit: (field: string, value: string) => void): number {
    const size = this.size;
    let next = cursor === 0 || cursor > size ? size : cursor;
    for (let seen = 0; next > 0 && seen < count; seen++) {
      next--;
      visit(this.entries[2 * next], this.entries[2 * next + 1]);
    }
    return next;
  }

  public clone(): HashTable {
    const copy = new HashTable(this.size);
    const entries = this.entries;
    for (let i = 0; i < entries.length; i += 2) copy.append(entries[i], entries[i + 1]);
    return copy;
  }

  private replaceAt(at: number, value: string): void {
    const lengths = this.valueLengths;
    const position = at >>> 1;
    this.bytes += value.length - lengths[position];
    lengths[position] = value.length;
    this.entries[at + 1] = value;
  }

  /** Adds a field known to be absent. */
  private append(field: string, value: string): void {
    const position = this.entries.length >>> 1;
    if (position === this.valueLengths.length) {
      const grown = new Uint32Array(position * 2);
      grown.set(this.valueLengths);
      this.valueLengths = grown;
    }
    this.valueLengths[position] = value.length;
    this.index.insert(field, this.entries.length);
    this.entries.push(field, value);
    this.bytes += field.length + value.length;
  }
}
