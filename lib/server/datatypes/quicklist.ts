/**
 * A quicklist (valkey src/quicklist.c): a list stored as a deque of packed nodes, so pushing and
 * popping at either end touches one small node and never copies the whole list, while memory
 * stays close to the raw bytes — no object per element.
 *
 * A node is one latin1 string holding its entries back to back, as a listpack does, each entry
 * written as `length, bytes, length reversed` (the length a base-128 varint as in listpack.ts).
 * The trailing copy of the length is Redis's listpack "backlen": it lets a node be read from its
 * end, so RPOP is as cheap as LPOP. Nodes live in a ring buffer; lookups by index skip whole
 * nodes by their counts and walk only inside one node, from its nearer end.
 *
 * Node sizes follow Redis's rules (list-max-listpack-size: negative = a byte limit per node of
 * 4/8/16/32/64 KB, positive = an entry limit), counted in the bytes Redis's own listpack would
 * use, so nodes fill up — and OBJECT ENCODING changes — where Redis's do. An element larger than
 * the node byte limit gets a node of its own (Redis's "plain" node).
 */

import { latin1 } from '../util/latin1';

/** Bytes of a listpack's header and end marker. */
export const LP_OVERHEAD = 7;
const SIZE_SAFETY_LIMIT = 8192;
const SIZE_ESTIMATE_OVERHEAD = 8;
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];

/** Redis's quicklistNodeLimit: [byte limit, entry limit] for a fill value (Infinity = none). */
export function nodeLimits(fill: number): [number, number] {
  return [nodeByteLimit(fill), nodeEntryLimit(fill)];
}

/** The byte limit of quicklistNodeLimit (Infinity for a positive fill); no array per push. */
function nodeByteLimit(fill: number): number {
  if (fill >= 0) return Infinity;
  return OPTIMIZATION_LEVEL[Math.min(-fill - 1, OPTIMIZATION_LEVEL.length - 1)];
}

/** The entry limit of quicklistNodeLimit (Infinity for a negative fill). */
function nodeEntryLimit(fill: number): number {
  if (fill >= 0) return fill === 0 ? 1 : fill;
  return Infinity;
}

/** Redis's quicklistNodeExceedsLimit. */
export function exceedsLimit(fill: number, bytes: number, count: number): boolean {
  if (fill < 0) return bytes > nodeByteLimit(fill);
  if (bytes > SIZE_SAFETY_LIMIT) return true;
  return count > nodeEntryLimit(fill);
}

/** Redis's isLargeElement: such an element is stored alone in a plain node. */
export function isLargeElement(length: number, fill: number): boolean {
  if (fill >= 0) return length > SIZE_SAFETY_LIMIT;
  return length > nodeByteLimit(fill);
}

/** Values shorter than this have a one-byte length prefix and suffix in a node. */
export const SMALL_ENTRY = 0x80;

function backlenSize(length: number): number {
  if (length <= 127) return 1;
  if (length < 16383) return 2;
  if (length < 2097151) return 3;
  if (length < 268435455) return 4;
  return 5;
}

/**
 * The integer a listpack would store the `n` chars of `text` from `from` as (lpStringToInt64), or
 * undefined. Taking a stretch of a string lets a push check the value inside its encoded entry.
 */
function asListpackInteger(text: string, from: number, n: number): number | undefined {
  if (n === 0 || n > 20) return undefined;
  const c0 = text.charCodeAt(from);
  if (c0 !== 45 && (c0 < 48 || c0 > 57)) return undefined;
  let i = c0 === 45 ? 1 : 0;
  if (i === n) return undefined;
  if (text.charCodeAt(from + i) === 48 && n > i + 1) return undefined; // no leading zeros
  if (c0 === 45 && n === 2 && text.charCodeAt(from + 1) === 48) return undefined; // "-0"
  for (; i < n; i++) {
    const c = text.charCodeAt(from + i);
    if (c < 48 || c > 57) return undefined;
  }
  const value = from === 0 && n === text.length ? text : text.slice(from, from + n);
  const v = Number(value);
  // Beyond 2^53 the exact range check needs BigInt; such numbers take 9 bytes either way.
  if (Math.abs(v) > Number.MAX_SAFE_INTEGER) {
    const b = BigInt(value);
    return b >= -(2n ** 63n) && b < 2n ** 63n ? v : undefined;
  }
  return v;
}

/** Bytes one entry takes in Redis's listpack (encoding, data and backlen). */
export function redisEntrySize(value: string): number {
  return redisEntrySizeIn(value, 0, value.length);
}

/** redisEntrySize of the `n` chars of `text` from `from`. */
function redisEntrySizeIn(text: string, from: number, n: number): number {
  const int = asListpackInteger(text, from, n);
  let encoded: number;
  if (int !== undefined) {
    if (int >= 0 && int <= 127) encoded = 1;
    else if (int >= -4096 && int <= 4095) encoded = 2;
    else if (int >= -32768 && int <= 32767) encoded = 3;
    else if (int >= -8388608 && int <= 8388607) encoded = 4;
    else if (int >= -2147483648 && int <= 2147483647) encoded = 5;
    else encoded = 9;
  } else {
    encoded = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  }
  return encoded + backlenSize(encoded);
}

// ---- the node codec ----------------------------------------------------------------------------

function lengthPrefix(length: number): string {
  if (length < 0x80) return String.fromCharCode(length);
  let out = '';
  let n = length;
  while (n >= 0x80) {
    out += String.fromCharCode((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  return out + String.fromCharCode(n);
}

function lengthSuffix(length: number): string {
  if (length < 0x80) return String.fromCharCode(length);
  const p = lengthPrefix(length);
  let out = '';
  for (let i = p.length - 1; i >= 0; i--) out += p[i];
  return out;
}

/** One entry as stored in a node. */
export function encodeEntry(value: string): string {
  const n = value.length;
  if (n < 0x80) {
    const c = String.fromCharCode(n);
    return c + value + c;
  }
  return lengthPrefix(n) + value + lengthSuffix(n);
}

/** Where entryFromBytes assembles an entry before making it one string. */
const entryScratch = Buffer.allocUnsafe(SMALL_ENTRY + 2);

/**
 * encodeEntry() of the bytes `bytes[start..start+n)` (n < SMALL_ENTRY) without a string for the
 * value: the entry is assembled in a scratch buffer and becomes one string, where encodeEntry
 * would make three (the value, then two concatenations).
 */
function entryFromBytes(bytes: Uint8Array, start: number, n: number): string {
  const out = entryScratch;
  out[0] = n;
  for (let i = 0; i < n; i++) out[1 + i] = bytes[start + i];
  out[n + 1] = n;
  return latin1(out, 0, n + 2);
}

/** Shared scratch for the readers below: where an entry's bytes are and where it ends. */
const span = { start: 0, length: 0, next: 0 };

/** Reads the entry whose first byte is at `pos`: fills `span` (next = offset after the entry). */
function readForward(node: string, pos: number): void {
  let c = node.charCodeAt(pos);
  if (c < 0x80) {
    span.start = pos + 1;
    span.length = c;
    span.next = pos + 2 + c;
    return;
  }
  let length = c & 0x7f;
  let shift = 128;
  let p = pos + 1;
  let width = 1;
  for (;;) {
    c = node.charCodeAt(p++);
    width++;
    length += (c & 0x7f) * shift;
    if (c < 0x80) break;
    shift *= 128;
  }
  span.start = p;
  span.length = length;
  span.next = p + length + width;
}

/** Reads the entry that ends just before `end`: fills `span` (next = offset where it begins). */
function readBackward(node: string, end: number): void {
  let c = node.charCodeAt(end - 1);
  if (c < 0x80) {
    span.length = c;
    span.start = end - 1 - c;
    span.next = span.start - 1;
    return;
  }
  let length = c & 0x7f;
  let shift = 128;
  let p = end - 2;
  let width = 1;
  for (;;) {
    c = node.charCodeAt(p--);
    width++;
    length += (c & 0x7f) * shift;
    if (c < 0x80) break;
    shift *= 128;
  }
  span.length = length;
  span.start = p + 1 - length;
  span.next = span.start - width;
}

/** Every entry of a node, in order. */
export function decodeNode(node: string): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < node.length) {
    readForward(node, pos);
    out.push(node.slice(span.start, span.start + span.length));
    pos = span.next;
  }
  return out;
}

/** A node holding `entries`. */
export function encodeNode(entries: readonly string[]): string {
  let out = '';
  for (const e of entries) out += encodeEntry(e);
  return out;
}

// ---- the deque ---------------------------------------------------------------------------------

/** One node: its packed entries, how many, and its size in Redis listpack bytes. */
export interface QuickNode {
  data: string;
  count: number;
  /** Redis listpack bytes (header included), for the node limits. */
  size: number;
  /** A plain node holds one large element (never grows). */
  plain: boolean;
  /** Pushes since the node's string was last flattened (V8 builds a rope on concatenation). */
  unflattened: number;
}

function newNode(): QuickNode {
  return { data: '', count: 0, size: LP_OVERHEAD, plain: false, unflattened: 0 };
}

/** Makes V8 copy a rope (built by repeated concatenation) into one flat string. */
function flatten(s: string): string {
  // Reading a character flattens a cons string in place; the result is then a flat string.
  if (s.length > 0) s.charCodeAt(0);
  return s;
}

/** Called with each element; returning false stops the walk. */
export type Visit = (value: string, index: number) => boolean | void;

export class QuickList {
  /** Ring buffer of nodes; `first` is the head's slot, `nodes` how many are in use. */
  private ring: Array<QuickNode | undefined> = new Array<QuickNode | undefined>(4);
  private first = 0;
  private nodes = 0;
  /** Total elements. */
  public length = 0;
  /** Total characters held by node strings (memory accounting). */
  public bytes = 0;

  constructor(public fill: number) {}

  public get nodeCount(): number {
    return this.nodes;
  }

  /** The node at position i (0 = head). */
  public node(i: number): QuickNode {
    return this.ring[(this.first + i) & (this.ring.length - 1)] as QuickNode;
  }

  private grow(): void {
    const old = this.ring;
    const ring = new Array<QuickNode | undefined>(old.length * 2);
    for (let i = 0; i < this.nodes; i++) ring[i] = old[(this.first + i) & (old.length - 1)];
    this.ring = ring;
    this.first = 0;
  }

  private addHeadNode(node: QuickNode): void {
    if (this.nodes === this.ring.length) this.grow();
    this.first = (this.first - 1) & (this.ring.length - 1);
    this.ring[this.first] = node;
    this.nodes++;
  }

  private addTailNode(node: QuickNode): void {
    if (this.nodes === this.ring.length) this.grow();
    this.ring[(this.first + this.nodes) & (this.ring.length - 1)] = node;
    this.nodes++;
  }

  private removeHeadNode(): void {
    this.ring[this.first] = undefined;
    this.first = (this.first + 1) & (this.ring.length - 1);
    this.nodes--;
  }

  private removeTailNode(): void {
    this.ring[(this.first + this.nodes - 1) & (this.ring.length - 1)] = undefined;
    this.nodes--;
  }

  /** Replaces the node list wholesale (used by operations that rebuild a stretch of nodes). */
  private setNodes(nodes: QuickNode[]): void {
    let cap = 4;
    while (cap < nodes.length) cap *= 2;
    this.ring = new Array<QuickNode | undefined>(cap);
    for (let i = 0; i < nodes.length; i++) this.ring[i] = nodes[i];
    this.first = 0;
    this.nodes = nodes.length;
  }

  /** All nodes, head first. */
  public nodeList(): QuickNode[] {
    const out: QuickNode[] = [];
    for (let i = 0; i < this.nodes; i++) out.push(this.node(i));
    return out;
  }

  /**
   * Whether `value` may join `node`: `packedOnly` is the single-listpack encoding, which grows
   * without node limits (its own conversion rule decides); otherwise _quicklistNodeAllowInsert.
   */
  private allowInsert(node: QuickNode | undefined, length: number, packedOnly: boolean): boolean {
    if (node === undefined) return false;
    if (packedOnly) return true;
    if (node.plain || isLargeElement(length, this.fill)) return false;
    return !exceedsLimit(this.fill, node.size + length + SIZE_ESTIMATE_OVERHEAD, node.count + 1);
  }

  private newNodeFor(length: number, packedOnly: boolean): QuickNode {
    const node = newNode();
    node.plain = !packedOnly && isLargeElement(length, this.fill);
    return node;
  }

  private touchFlatten(node: QuickNode): void {
    // Keep ropes short: flatten after a number of pushes proportional to the node's count, so the
    // copying costs O(1) per push amortized and at most ~1/8 of a node's entries are rope pieces.
    if (++node.unflattened >= 16 && node.unflattened * 8 >= node.count) {
      node.data = flatten(node.data);
      node.unflattened = 0;
    }
  }

  public pushHead(value: string, packedOnly = false): void {
    let node = this.nodes === 0 ? undefined : this.node(0);
    if (!this.allowInsert(node, value.length, packedOnly)) {
      if (node !== undefined) node.data = flatten(node.data);
      node = this.newNodeFor(value.length, packedOnly);
      this.addHeadNode(node);
    }
    const entry = encodeEntry(value);
    (node as QuickNode).data = entry + (node as QuickNode).data;
    this.account(node as QuickNode, value, entry.length, 1);
    this.touchFlatten(node as QuickNode);
  }

  public pushTail(value: string, packedOnly = false): void {
    let node = this.nodes === 0 ? undefined : this.node(this.nodes - 1);
    if (!this.allowInsert(node, value.length, packedOnly)) {
      if (node !== undefined) node.data = flatten(node.data);
      node = this.newNodeFor(value.length, packedOnly);
      this.addTailNode(node);
    }
    const entry = encodeEntry(value);
    (node as QuickNode).data += entry;
    this.account(node as QuickNode, value, entry.length, 1);
    this.touchFlatten(node as QuickNode);
  }

  /**
   * pushHead (or pushTail) of the value `bytes[start..start+n)`, n < SMALL_ENTRY: the same node
   * choice and accounting, with the entry made straight from the bytes (see entryFromBytes).
   */
  public pushSmallBytes(head: boolean, bytes: Uint8Array, start: number, n: number, packedOnly: boolean): void {
    let node = this.nodes === 0 ? undefined : this.node(head ? 0 : this.nodes - 1);
    if (!this.allowInsert(node, n, packedOnly)) {
      if (node !== undefined) node.data = flatten(node.data);
      node = this.newNodeFor(n, packedOnly);
      if (head) this.addHeadNode(node);
      else this.addTailNode(node);
    }
    const entry = entryFromBytes(bytes, start, n);
    const target = node as QuickNode;
    target.data = head ? entry + target.data : target.data + entry;
    target.count++;
    target.size += redisEntrySizeIn(entry, 1, n);
    this.length++;
    this.bytes += n + 2;
    this.touchFlatten(target);
  }

  private account(node: QuickNode, value: string, chars: number, sign: 1 | -1): void {
    node.count += sign;
    node.size += sign * redisEntrySize(value);
    this.length += sign;
    this.bytes += sign * chars;
  }

  public popHead(): string | undefined {
    if (this.nodes === 0) return undefined;
    const node = this.node(0);
    const data = node.data;
    readForward(data, 0);
    const value = data.slice(span.start, span.start + span.length);
    const next = span.next;
    if (node.count === 1) {
      this.removeHeadNode();
    } else {
      node.data = data.slice(next);
    }
    this.account(node, value, next, -1);
    return value;
  }

  public popTail(): string | undefined {
    if (this.nodes === 0) return undefined;
    const node = this.node(this.nodes - 1);
    const data = node.data;
    readBackward(data, data.length);
    const value = data.slice(span.start, span.start + span.length);
    const begin = span.next;
    if (node.count === 1) {
      this.removeTailNode();
    } else {
      node.data = data.slice(0, begin);
    }
    this.account(node, value, data.length - begin, -1);
    return value;
  }

  /** Finds the node holding element `index` (0 <= index < length): [node position, index inside]. */
  private locate(index: number): [number, number] {
    if (index < this.length / 2) {
      let i = 0;
      let left = index;
      for (;;) {
        const c = this.node(i).count;
        if (left < c) return [i, left];
        left -= c;
        i++;
      }
    }
    let i = this.nodes - 1;
    let right = this.length - 1 - index; // position counted from the tail
    for (;;) {
      const c = this.node(i).count;
      if (right < c) return [i, c - 1 - right];
      right -= c;
      i--;
    }
  }

  /** Offset where entry `k` of `node` begins, walking from the node's nearer end. */
  private static offsetIn(node: QuickNode, k: number): number {
    const data = node.data;
    if (k <= node.count / 2) {
      let pos = 0;
      for (let j = 0; j < k; j++) {
        readForward(data, pos);
        pos = span.next;
      }
      return pos;
    }
    let end = data.length;
    for (let j = node.count - 1; j >= k; j--) {
      readBackward(data, end);
      end = span.next;
    }
    return end;
  }

  /** Element at `index` (negative counts from the tail), or undefined when out of range. */
  public get(index: number): string | undefined {
    const i = index < 0 ? this.length + index : index;
    if (i < 0 || i >= this.length) return undefined;
    const [n, k] = this.locate(i);
    const node = this.node(n);
    const pos = QuickList.offsetIn(node, k);
    readForward(node.data, pos);
    return node.data.slice(span.start, span.start + span.length);
  }

  /**
   * Visits `count` elements starting at `from` (0 <= from < length), towards the tail, or
   * towards the head when `reverse`. Stops early when `visit` returns false.
   */
  public walk(from: number, count: number, reverse: boolean, visit: Visit): void {
    if (count <= 0 || from < 0 || from >= this.length) return;
    let [n, k] = this.locate(from);
    let index = from;
    let left = count;
    while (left > 0 && n >= 0 && n < this.nodes) {
      const node = this.node(n);
      const data = node.data;
      if (!reverse) {
        let pos = QuickList.offsetIn(node, k);
        for (let j = k; j < node.count && left > 0; j++) {
          readForward(data, pos);
          const next = span.next;
          if (visit(data.slice(span.start, span.start + span.length), index) === false) return;
          pos = next;
          index++;
          left--;
        }
        n++;
        k = 0;
      } else {
        let end = k === node.count - 1 ? data.length : QuickList.offsetIn(node, k + 1);
        for (let j = k; j >= 0 && left > 0; j--) {
          readBackward(data, end);
          const begin = span.next;
          if (visit(data.slice(span.start, span.start + span.length), index) === false) return;
          end = begin;
          index--;
          left--;
        }
        n--;
        if (n >= 0) k = this.node(n).count - 1;
      }
    }
  }

  /** Every element, head first. */
  public toArray(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.nodes; i++) {
      const entries = decodeNode(this.node(i).data);
      for (const e of entries) out.push(e);
    }
    return out;
  }

  /**
   * Rebuilds the list from `values` with nodes filled as Redis would fill them by pushing
   * (one node when `packedOnly`).
   */
  public rebuild(values: readonly string[], packedOnly: boolean): void {
    this.setNodes([]);
    this.length = 0;
    this.bytes = 0;
    for (const v of values) this.pushTail(v, packedOnly);
    for (let i = 0; i < this.nodes; i++) {
      const node = this.node(i);
      node.data = flatten(node.data);
      node.unflattened = 0;
    }
  }

  /**
   * Applies `edit` to the entries of the nodes overlapping [from, from+count) and re-packs just
   * those nodes: the general path for LSET, LINSERT, LREM and range deletes, O(nodes touched).
   * `edit` receives the entries of the touched nodes and the index of `from` inside them, and
   * returns the new entries.
   */
  public editRange(from: number, count: number, edit: (entries: string[], offset: number) => string[]): void {
    if (this.length === 0) return;
    const start = Math.max(0, Math.min(from, this.length - 1));
    const last = Math.max(start, Math.min(this.length - 1, from + Math.max(count, 1) - 1));
    const [n0, k0] = this.locate(start);
    const [n1] = this.locate(last);
    const touched: string[] = [];
    for (let i = n0; i <= n1; i++) for (const e of decodeNode(this.node(i).data)) touched.push(e);
    const replaced = edit(touched, k0);
    const before: QuickNode[] = [];
    const after: QuickNode[] = [];
    for (let i = 0; i < n0; i++) before.push(this.node(i));
    for (let i = n1 + 1; i < this.nodes; i++) after.push(this.node(i));
    let removedChars = 0;
    let removedCount = 0;
    for (let i = n0; i <= n1; i++) {
      removedChars += this.node(i).data.length;
      removedCount += this.node(i).count;
    }
    const middle = new QuickList(this.fill);
    const packedOnly = this.nodes === 1 && this.packedHint;
    for (const v of replaced) middle.pushTail(v, packedOnly);
    const rebuilt: QuickNode[] = [];
    for (let i = 0; i < middle.nodes; i++) {
      const node = middle.node(i);
      node.data = flatten(node.data);
      node.unflattened = 0;
      rebuilt.push(node);
    }
    this.setNodes([...before, ...rebuilt, ...after]);
    this.length += middle.length - removedCount;
    this.bytes += middle.bytes - removedChars;
  }

  /** Set by the owner while the list is one listpack (editRange then keeps a single node). */
  public packedHint = false;

  /** Removes elements [start, start+count) (0 <= start, count >= 0), whole nodes at a time where possible. */
  public deleteRange(start: number, count: number): void {
    if (count <= 0 || start >= this.length) return;
    const end = Math.min(this.length, start + count);
    // Fast paths for trimming at the ends: drop whole nodes, then pop the rest.
    if (start === 0) {
      let left = end;
      while (left > 0 && this.nodes > 0 && this.node(0).count <= left) {
        const node = this.node(0);
        left -= node.count;
        this.length -= node.count;
        this.bytes -= node.data.length;
        this.removeHeadNode();
      }
      if (left > 0) this.editRange(0, left, (entries) => entries.slice(left));
      return;
    }
    if (end === this.length) {
      let left = end - start;
      while (left > 0 && this.nodes > 0 && this.node(this.nodes - 1).count <= left) {
        const node = this.node(this.nodes - 1);
        left -= node.count;
        this.length -= node.count;
        this.bytes -= node.data.length;
        this.removeTailNode();
      }
      if (left > 0) {
        const from = this.length - left;
        this.editRange(from, left, (entries, offset) => entries.slice(0, offset));
      }
      return;
    }
    this.editRange(start, end - start, (entries, offset) => {
      entries.splice(offset, end - start);
      return entries;
    });
  }

  /** A deep copy (nodes are immutable strings, so copying them is sharing them). */
  public clone(): QuickList {
    const copy = new QuickList(this.fill);
    const nodes: QuickNode[] = [];
    for (let i = 0; i < this.nodes; i++) nodes.push({ ...this.node(i) });
    copy.setNodes(nodes);
    copy.length = this.length;
    copy.bytes = this.bytes;
    copy.packedHint = this.packedHint;
    return copy;
  }
}
