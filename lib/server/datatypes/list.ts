/**
 * The list value (valkey src/t_list.c's listType* API): a QuickList that reports Redis 7.2's
 * encodings. A small list is one listpack (OBJECT ENCODING `listpack`); once it would exceed
 * list-max-listpack-size it becomes a quicklist of listpack nodes, and it turns back into a
 * listpack when it shrinks to a single node under half the limit (listTypeTryConversion).
 */
import type { CollectionValue } from '../keyspace/database';
import { latin1 } from '../util/latin1';
import { exceedsLimit, LP_OVERHEAD, nodeLimits, QuickList, SMALL_ENTRY, type Visit } from './quicklist';

export const DEFAULT_LIST_FILL = -2;

export class ListValue implements CollectionValue {
  public readonly kind = 'list' as const;
  private packed = true;

  constructor(
    private readonly items: QuickList = new QuickList(DEFAULT_LIST_FILL),
    packed = true,
  ) {
    this.packed = packed;
    this.items.packedHint = packed;
  }

  /** A new empty list whose nodes follow `fill` (list-max-listpack-size). */
  public static create(fill: number = DEFAULT_LIST_FILL): ListValue {
    return new ListValue(new QuickList(fill), true);
  }

  /** A list holding `values`, encoded as Redis would encode a list built from them. */
  public static from(values: readonly string[], fill: number = DEFAULT_LIST_FILL): ListValue {
    const list = ListValue.create(fill);
    let bytes = 0;
    for (const v of values) bytes += v.length;
    list.growing(bytes, values.length);
    for (const v of values) list.pushTail(v);
    return list;
  }

  /** True while the list is one listpack: only then can a push convert it (growing reads the fill). */
  public get isPacked(): boolean {
    return this.packed;
  }

  /** True when a removal may turn the list back into a listpack (shrinking reads the fill). */
  public get mayShrink(): boolean {
    return !this.packed && this.items.nodeCount === 1;
  }

  public encoding(): string {
    return this.packed ? 'listpack' : 'quicklist';
  }

  public size(): number {
    return this.items.length;
  }

  public get length(): number {
    return this.items.length;
  }

  public memoryUsage(): number {
    return 48 + this.items.bytes + this.items.nodeCount * 48;
  }

  public clone(): ListValue {
    return new ListValue(this.items.clone(), this.packed);
  }

  /** The fill (list-max-listpack-size) the list's nodes follow. */
  public get fill(): number {
    return this.items.fill;
  }

  // ---- encoding conversion --------------------------------------------------------------------

  /**
   * Before adding `count` elements of `bytes` total: a listpack that would then exceed the node
   * limit becomes a quicklist (listTypeTryConvertListpack). `fill` is the current config.
   */
  public growing(bytes: number, count: number, fill: number = this.items.fill): void {
    if (!this.packed) return;
    this.items.fill = fill;
    const size = this.items.nodeCount === 0 ? LP_OVERHEAD : this.items.node(0).size;
    if (exceedsLimit(fill, size + bytes, this.items.length + count)) {
      this.packed = false;
      this.items.packedHint = false;
    }
  }

  /**
   * After removing elements: a quicklist down to one packed node under half the limits becomes a
   * listpack again (listTypeTryConvertQuicklist with shrinking).
   */
  public shrinking(fill: number = this.items.fill): void {
    if (this.packed || this.items.nodeCount !== 1) return;
    const node = this.items.node(0);
    if (node.plain) return;
    const [size, count] = nodeLimits(fill);
    if (node.size > size / 2 || this.items.length > Math.floor(count / 2)) return;
    this.packed = true;
    this.items.packedHint = true;
  }

  // ---- ends ------------------------------------------------------------------------------------

  public pushHead(value: string): void {
    this.items.pushHead(value, this.packed);
  }

  public pushTail(value: string): void {
    this.items.pushTail(value, this.packed);
  }

  /** pushHead (or pushTail) of the value `bytes[start..end)`, with no string made for a small one. */
  public pushBytes(head: boolean, bytes: Buffer, start: number, end: number): void {
    const n = end - start;
    if (n < SMALL_ENTRY) this.items.pushSmallBytes(head, bytes, start, n, this.packed);
    else if (head) this.items.pushHead(latin1(bytes, start, end), this.packed);
    else this.items.pushTail(latin1(bytes, start, end), this.packed);
  }

  public popHead(): string | undefined {
    return this.items.popHead();
  }

  public popTail(): string | undefined {
    return this.items.popTail();
  }

  // ---- by index --------------------------------------------------------------------------------

  /** Element at `index` (negative from the tail), or undefined. */
  public get(index: number): string | undefined {
    return this.items.get(index);
  }

  /** Replaces the element at `index` (negative from the tail); false when out of range. */
  public set(index: number, value: string): boolean {
    const i = index < 0 ? this.items.length + index : index;
    if (i < 0 || i >= this.items.length) return false;
    this.items.editRange(i, 1, (entries, offset) => {
      entries[offset] = value;
      return entries;
    });
    return true;
  }

  /** Visits `count` elements from `from` (a valid index) towards the tail, or the head when `reverse`. */
  public walk(from: number, count: number, reverse: boolean, visit: Visit): void {
    this.items.walk(from, count, reverse, visit);
  }

  /** Every element, head first. */
  public toArray(): string[] {
    return this.items.toArray();
  }

  /** Removes `count` elements from index `start` (0 <= start). */
  public deleteRange(start: number, count: number): void {
    this.items.deleteRange(start, count);
  }

  /** Inserts `value` before (or after) the first element equal to `pivot`; false when there is none. */
  public insert(pivot: string, value: string, after: boolean): boolean {
    let found = -1;
    this.items.walk(0, this.items.length, false, (v, i) => {
      if (v === pivot) {
        found = i;
        return false;
      }
      return true;
    });
    if (found < 0) return false;
    const at = after ? found + 1 : found;
    this.items.editRange(found, 1, (entries, offset) => {
      entries.splice(after ? offset + 1 : offset, 0, value);
      return entries;
    });
    return at >= 0;
  }

  /**
   * Removes up to `limit` elements equal to `value` (0 = all), from the head, or from the tail
   * when `fromTail`; returns how many.
   */
  public remove(value: string, limit: number, fromTail: boolean): number {
    const positions: number[] = [];
    const length = this.items.length;
    this.items.walk(fromTail ? length - 1 : 0, length, fromTail, (v, i) => {
      if (v === value) {
        positions.push(i);
        if (limit !== 0 && positions.length >= limit) return false;
      }
      return true;
    });
    if (positions.length === 0) return 0;
    positions.sort((a, b) => a - b);
    const low = positions[0];
    const high = positions[positions.length - 1];
    this.items.editRange(low, high - low + 1, (entries, offset) => {
      const drop = new Set(positions.map((p) => p - low + offset));
      return entries.filter((_, j) => !drop.has(j));
    });
    return positions.length;
  }
}
