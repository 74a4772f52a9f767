/**
 * The large encoding of a hash ("hashtable"): fields and values in two dense arrays, with a Map
 * from field to position — the same layout as SetTable and for the same reasons: HRANDFIELD picks
 * a uniformly random field in O(1), and HSCAN's top-down cursor returns every field present for
 * the whole scan even when fields are deleted meanwhile (a deletion moves the last field down
 * into the hole, never up past the cursor).
 */
export class HashTable {
  private readonly index = new Map<string, number>();
  private readonly fields: string[] = [];
  private readonly values: string[] = [];
  /** Sum of field and value lengths, for MEMORY USAGE without a walk. */
  private bytes = 0;

  public get size(): number {
    return this.fields.length;
  }

  public get payloadBytes(): number {
    return this.bytes;
  }

  public get(field: string): string | undefined {
    const at = this.index.get(field);
    return at === undefined ? undefined : this.values[at];
  }

  public has(field: string): boolean {
    return this.index.has(field);
  }

  /** Sets a field; true when it is new. */
  public set(field: string, value: string): boolean {
    const at = this.index.get(field);
    if (at !== undefined) {
      this.bytes += value.length - this.values[at].length;
      this.values[at] = value;
      return false;
    }
    this.index.set(field, this.fields.length);
    this.fields.push(field);
    this.values.push(value);
    this.bytes += field.length + value.length;
    return true;
  }

  /** Deletes a field; false when it was not there. */
  public delete(field: string): boolean {
    const at = this.index.get(field);
    if (at === undefined) return false;
    const fields = this.fields;
    const values = this.values;
    this.bytes -= field.length + values[at].length;
    const lastField = fields.pop() as string;
    const lastValue = values.pop() as string;
    this.index.delete(field);
    if (at < fields.length) {
      fields[at] = lastField;
      values[at] = lastValue;
      this.index.set(lastField, at);
    }
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
    const copy = new HashTable();
    for (let i = 0; i < this.fields.length; i++) copy.set(this.fields[i], this.values[i]);
    return copy;
  }
}
