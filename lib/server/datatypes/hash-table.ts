/**
 * The large encoding of a hash ("hashtable"): fields and values in two dense arrays, with a
 * FieldIndex from field to position — the same layout as SetTable and for the same reasons:
 * HRANDFIELD picks a uniformly random field in O(1), and HSCAN's top-down cursor returns every
 * field present for the whole scan even when fields are deleted meanwhile (a deletion moves the
 * last field down into the hole, never up past the cursor).
 *
 * The `…Bytes` methods take a field still in the request's read buffer: an existing field is
 * found without making a string of it.
 */
import { latin1 } from '../util/latin1';
import { FieldIndex } from './field-index';

export class HashTable {
  private readonly fields: string[] = [];
  private readonly values: string[] = [];
  private readonly index: FieldIndex;
  /** Sum of field and value lengths, for MEMORY USAGE without a walk. */
  private bytes = 0;

  /** @param expected how many fields are about to be added (a conversion), to size the index once */
  constructor(expected = 0) {
    this.index = new FieldIndex(this.fields, expected);
  }

  public get size(): number {
    return this.fields.length;
  }

  public get payloadBytes(): number {
    return this.bytes;
  }

  public get(field: string): string | undefined {
    const at = this.index.find(field);
    return at < 0 ? undefined : this.values[at];
  }

  /** get() of the field whose bytes are `bytes[start..end)`. */
  public getBytes(bytes: Buffer, start: number, end: number): string | undefined {
    const at = this.index.findBytes(bytes, start, end);
    return at < 0 ? undefined : this.values[at];
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
    const fields = this.fields;
    const values = this.values;
    this.bytes -= field.length + values[at].length;
    this.index.remove(field, at);
    const last = fields.length - 1;
    if (at < last) {
      // Keep the arrays dense: the last pair moves down into the hole.
      const lastField = fields[last];
      fields[at] = lastField;
      values[at] = values[last];
      this.index.move(lastField, last, at);
    }
    fields.pop();
    values.pop();
    return true;
  }

  public fieldAt(position: number): string {
    return this.fields[position];
  }

  public valueAt(position: number): string {
    return this.values[position];
  }

  public forEach(visit: (field: string, value: string) => void): void {
    const fields = this.fields;
    const values = this.values;
    for (let i = 0; i < fields.length; i++) visit(fields[i], values[i]);
  }

  /**
   * One HSCAN step. Cursor 0 starts at the top; the returned cursor is how many positions are
   * still to visit (0 when done). Visits up to `count` fields.
   */
  public scan(cursor: number, count: number, visit: (field: string, value: string) => void): number {
    let next = cursor === 0 || cursor > this.fields.length ? this.fields.length : cursor;
    for (let seen = 0; next > 0 && seen < count; seen++) {
      next--;
      visit(this.fields[next], this.values[next]);
    }
    return next;
  }

  public clone(): HashTable {
    const copy = new HashTable(this.fields.length);
    for (let i = 0; i < this.fields.length; i++) copy.append(this.fields[i], this.values[i]);
    return copy;
  }

  private replaceAt(at: number, value: string): void {
    this.bytes += value.length - this.values[at].length;
    this.values[at] = value;
  }

  /** Adds a field known to be absent. */
  private append(field: string, value: string): void {
    this.index.insert(field, this.fields.length);
    this.fields.push(field);
    this.values.push(value);
    this.bytes += field.length + value.length;
  }
}
