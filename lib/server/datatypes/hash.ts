/**
 * The hash value (valkey src/t_hash.c): a listpack of field, value, field, value… while small,
 * a HashTable once it outgrows hash-max-listpack-entries or a field or value is longer than
 * hash-max-listpack-value. It never converts back, as in Redis.
 *
 * One object per key with two fields — the listpack string (or the table) and the pair count —
 * and nothing per field: that is what keeps a million small hashes within reach of Redis's memory.
 */
import type { CollectionValue } from '../keyspace/database';
import { latin1 } from '../util/latin1';
import type { FieldIndex } from './field-index';
import { HashTable } from './hash-table';
import {
  EMPTY_LISTPACK,
  lpAppend,
  lpDeleteAt,
  lpFindOffset,
  lpFindOffsetBytes,
  lpFlatten,
  lpLengthAt,
  lpNextOffset,
  lpReplaceAt,
  lpStringAt,
  type Listpack,
} from './listpack';

/** The thresholds of the compact encoding, from CONFIG (hash-max-listpack-*). */
export interface HashLimits {
  readonly maxListpackEntries: number;
  readonly maxListpackValue: number;
}

/** V8 one-byte string header, rounded: what each stored string costs beyond its bytes. */
const STRING_HEADER = 16;
/** The HashValue object itself (header, two fields). */
const OBJECT_BYTES = 40;
/** Per field of a table: its FieldIndex entry (8 bytes at a load of 0.35-0.7, ~16), two array slots and its value's length. */
const TABLE_ENTRY_BYTES = 36;

/** The value after the field entry at `fieldAt` of a field/value listpack, or undefined when the field was not found (-1). */
function valueOfField(data: Listpack, fieldAt: number): string | undefined {
  return fieldAt < 0 ? undefined : lpStringAt(data, lpNextOffset(data, fieldAt));
}

export class HashValue implements CollectionValue {
  /** The listpack while compact, the table after conversion. */
  private data: Listpack | HashTable;
  /** Number of field/value pairs while a listpack (the table keeps its own size). */
  private pairs: number;

  constructor(data: Listpack | HashTable = EMPTY_LISTPACK, pairs = 0) {
    this.data = data;
    this.pairs = pairs;
  }

  public get kind(): 'hash' {
    return 'hash';
  }

  public encoding(): string {
    return typeof this.data === 'string' ? 'listpack' : 'hashtable';
  }

  /** The field index of a table (NamedCollection), for prefetching; undefined while a listpack. */
  public nameIndex(): FieldIndex | undefined {
    const data = this.data;
    return typeof data === 'string' ? undefined : data.index;
  }

  public size(): number {
    const data = this.data;
    return typeof data === 'string' ? this.pairs : data.size;
  }

  public memoryUsage(): number {
    const data = this.data;
    if (typeof data === 'string') return OBJECT_BYTES + STRING_HEADER + data.length;
    return OBJECT_BYTES + 64 + data.size * (TABLE_ENTRY_BYTES + 2 * STRING_HEADER) + data.payloadBytes;
  }

  public clone(): HashValue {
    const data = this.data;
    // A listpack is an immutable string: sharing it is a copy.
    return typeof data === 'string' ? new HashValue(data, this.pairs) : new HashValue(data.clone(), 0);
  }

  public get isListpack(): boolean {
    return typeof this.data === 'string';
  }

  // ---- reads -----------------------------------------------------------------------------------

  public get(field: string): string | undefined {
    const data = this.data;
    if (typeof data !== 'string') return data.get(field);
    return valueOfField(data, lpFindOffset(data, field, 2));
  }

  /** get() of the field whose bytes are `bytes[start..end)`: found without making a string of it. */
  public getBytes(bytes: Buffer, start: number, end: number): string | undefined {
    const data = this.data;
    if (typeof data !== 'string') return data.getBytes(bytes, start, end);
    return valueOfField(data, lpFindOffsetBytes(data, bytes, start, end, 2));
  }

  public has(field: string): boolean {
    const data = this.data;
    return typeof data === 'string' ? lpFindOffset(data, field, 2) >= 0 : data.has(field);
  }

  /** HSTRLEN: the value's length, 0 when the field is missing. */
  public valueLength(field: string): number {
    const data = this.data;
    if (typeof data !== 'string') return data.get(field)?.length ?? 0;
    const at = lpFindOffset(data, field, 2);
    return at < 0 ? 0 : lpLengthAt(data, lpNextOffset(data, at));
  }

  /** Calls visit for every pair, in the hash's order (insertion order while a listpack). */
  public forEach(visit: (field: string, value: string) => void): void {
    const data = this.data;
    if (typeof data !== 'string') {
      data.forEach(visit);
      return;
    }
    let pos = 0;
    while (pos < data.length) {
      const field = lpStringAt(data, pos);
      pos = lpNextOffset(data, pos);
      const value = lpStringAt(data, pos);
      pos = lpNextOffset(data, pos);
      visit(field, value);
    }
  }

  /** The pair at a position (0 … size-1): listpack order, or the table's slot. */
  public fieldAt(position: number): string {
    const data = this.data;
    if (typeof data !== 'string') return data.fieldAt(position);
    return lpStringAt(data, this.pairOffset(position));
  }

  public valueAt(position: number): string {
    const data = this.data;
    if (typeof data !== 'string') return data.valueAt(position);
    return lpStringAt(data, lpNextOffset(data, this.pairOffset(position)));
  }

  /** Every pair as [field, value, field, value, …] in the hash's order. */
  public flatten(): string[] {
    const out: string[] = [];
    this.forEach((f, v) => {
      out.push(f, v);
    });
    return out;
  }

  /**
   * One HSCAN step. A listpack is returned whole with cursor 0, as Redis does for compact
   * encodings; a table is walked from `cursor`.
   */
  public scan(cursor: number, count: number, visit: (field: string, value: string) => void): number {
    const data = this.data;
    if (typeof data !== 'string') return data.scan(cursor, count, visit);
    this.forEach(visit);
    return 0;
  }

  // ---- writes ----------------------------------------------------------------------------------

  /**
   * hashTypeTryConversion: before HSET/HSETNX add `pairs` field/value pairs whose longest field or
   * value is `longest` bytes, convert when there are more pairs than a listpack may hold or an
   * argument is too long for one.
   */
  public prepareFor(pairs: number, longest: number, limits: HashLimits): void {
    if (typeof this.data !== 'string') return;
    if (pairs > limits.maxListpackEntries || longest > limits.maxListpackValue) this.convert();
  }

  /** Sets a field; true when the field is new (hashTypeSet). */
  public set(field: string, value: string, limits: HashLimits): boolean {
    let data = this.data;
    if (typeof data === 'string') {
      const max = limits.maxListpackValue;
      if (field.length > max || value.length > max) {
        data = this.convert();
      } else {
        const at = lpFindOffset(data, field, 2);
        return at >= 0 ? this.replaceValue(data, at, value) : this.appendPair(data, field, value, limits);
      }
    }
    return data.set(field, value);
  }

  /**
   * set() of the field whose bytes are `bytes[start..end)`: the field becomes a string only when it
   * is new.
   */
  public setBytes(bytes: Buffer, start: number, end: number, value: string, limits: HashLimits): boolean {
    const data = this.data;
    if (typeof data !== 'string') return data.setBytes(bytes, start, end, value);
    const max = limits.maxListpackValue;
    if (end - start > max || value.length > max) return this.set(latin1(bytes, start, end), value, limits);
    const at = lpFindOffsetBytes(data, bytes, start, end, 2);
    return at >= 0 ? this.replaceValue(data, at, value) : this.appendPair(data, latin1(bytes, start, end), value, limits);
  }

  /** Replaces the value of the field whose entry is at `fieldAt` in the listpack `data`; false (the field was there). */
  private replaceValue(data: Listpack, fieldAt: number, value: string): boolean {
    this.data = lpFlatten(lpReplaceAt(data, lpNextOffset(data, fieldAt), value));
    return false;
  }

  /** Appends a new pair to the listpack `data`, converting when that makes too many; true (the field is new). */
  private appendPair(data: Listpack, field: string, value: string, limits: HashLimits): boolean {
    this.data = lpFlatten(lpAppend(data, field, value));
    this.pairs++;
    if (this.pairs > limits.maxListpackEntries) this.convert();
    return true;
  }

  /** Deletes a field; true when it existed. */
  public delete(field: string): boolean {
    const data = this.data;
    if (typeof data !== 'string') return data.delete(field);
    const at = lpFindOffset(data, field, 2);
    if (at < 0) return false;
    this.data = lpFlatten(lpDeleteAt(data, at, 2));
    this.pairs--;
    return true;
  }

  /** Converts a listpack to a table (hashTypeConvert); returns the table. */
  private convert(): HashTable {
    const data = this.data;
    if (typeof data !== 'string') return data;
    const table = new HashTable(this.pairs);
    this.forEach((f, v) => table.set(f, v));
    this.data = table;
    this.pairs = 0;
    return table;
  }

  private pairOffset(position: number): number {
    const data = this.data as string;
    let pos = 0;
    for (let i = 0; i < position; i++) pos = lpNextOffset(data, lpNextOffset(data, pos));
    return pos;
  }

  /** Builds a listpack hash directly from pairs (tests and loaders); converts when limits say so. */
  public static fromPairs(pairs: readonly string[], limits: HashLimits): HashValue {
    const hash = new HashValue();
    for (let i = 0; i + 1 < pairs.length; i += 2) hash.set(pairs[i], pairs[i + 1], limits);
    return hash;
  }
}

