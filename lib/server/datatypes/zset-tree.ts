/**
 * The ordered half of a large sorted set: (score, member) pairs sorted by score, then by member
 * bytes, with O(log n) insert, delete, rank and seek-by-rank — what Redis's skiplist with span
 * counts provides (valkey src/t_zset.c zsl*).
 *
 * Why an order-statistic B+tree and not a skiplist: in JavaScript a skiplist node is an object
 * plus its forward and span arrays (three heap objects and ~120 bytes per member, reached by
 * pointer chasing on every level), while a B+tree keeps up to 64 members and 64 scores in two
 * flat arrays per leaf (the scores unboxed, as V8 stores an all-double array), so a member costs
 * two array slots and a search touches three or four nodes for 100,000 members. Ranks come from
 * per-child subtree sizes in the inner nodes, as a skiplist's spans give them.
 *
 * Leaves are linked both ways so range replies walk forward or backward without re-descending.
 * Inner nodes route with a separator per child (a lower bound of that child's pairs; child 0's
 * is never read). Separators are not refreshed when a child's first pair is deleted: a stale
 * one is still a lower bound of its child and above everything in the previous child, which is
 * all routing needs.
 */

const LEAF_MAX = 64;
const INNER_MAX = 64;
/** A node this small is merged into a neighbour when both fit in one. */
const LEAF_MIN = LEAF_MAX / 4;
const INNER_MIN = INNER_MAX / 4;

/** Orders two pairs as Redis does: by score, then by member bytes (memcmp, shorter first on a tie). */
export function comparePairs(s1: number, m1: string, s2: number, m2: string): number {
  if (s1 < s2) return -1;
  if (s1 > s2) return 1;
  // latin1 strings: UTF-16 code unit order is byte order, and a prefix sorts first, as memcmp + length.
  return m1 < m2 ? -1 : m1 > m2 ? 1 : 0;
}

class Leaf {
  public scores: number[] = [];
  public members: string[] = [];
  public prev: Leaf | undefined;
  public next: Leaf | undefined;
  public get size(): number {
    return this.members.length;
  }
}

class Inner {
  public children: Array<Leaf | Inner> = [];
  /** Pairs under each child. */
  public sizes: number[] = [];
  /** A lower bound of each child's pairs (entry 0 unused). */
  public sepScores: number[] = [];
  public sepMembers: string[] = [];
  public size = 0;
}

type Node = Leaf | Inner;

/** A position in the tree: a leaf and an index in it. */
export interface TreeCursor {
  leaf: Leaf | undefined;
  index: number;
}

/** Returns true while `pair` lies before the position sought (must be monotone over the order). */
export type Before = (score: number, member: string) => boolean;

export class ScoreTree {
  private root: Node = new Leaf();
  private first: Leaf;
  private last: Leaf;

  constructor() {
    this.first = this.root as Leaf;
    this.last = this.first;
  }

  public get size(): number {
    return this.root instanceof Leaf ? this.root.size : this.root.size;
  }

  /** Levels from the root to the leaves (1 for a lone leaf): what keeps rank and seek O(log n). */
  public get height(): number {
    let levels = 1;
    for (let node = this.root; !(node instanceof Leaf); node = node.children[0]) levels++;
    return levels;
  }

  /** Inserts a pair that is not in the tree. */
  public insert(score: number, member: string): void {
    const split = this.insertInto(this.root, score, member);
    if (split !== undefined) {
      const root = new Inner();
      const old = this.root;
      root.children.push(old, split);
      root.sizes.push(nodeSize(old), nodeSize(split));
      const [s, m] = firstKey(split);
      root.sepScores.push(0, s);
      root.sepMembers.push('', m);
      root.size = root.sizes[0] + root.sizes[1];
      this.root = root;
    }
  }

  /**
   * Changes a pair's score. When the pair keeps its place between its two neighbours in the
   * same leaf (a small ZINCRBY, the common leaderboard case) the score is rewritten in place;
   * otherwise it is a delete and an insert.
   */
  public update(oldScore: number, newScore: number, member: string): void {
    // The descent is recorded so that, when the pair must move, its removal unwinds the same path
    // as delete() would without descending a second time.
    let node = this.root;
    let depth = 0;
    while (node instanceof Inner) {
      const i = routeChild(node, oldScore, member);
      pathNodes[depth] = node;
      pathChildren[depth] = i;
      depth++;
      node = node.children[i];
    }
    const { scores, members } = node;
    let lo = 0;
    let hi = members.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comparePairs(scores[mid], members[mid], oldScore, member) < 0) lo = mid + 1;
      else hi = mid;
    }
    const n = members.length;
    if (lo >= n || scores[lo] !== oldScore || members[lo] !== member) {
      clearPath(depth);
      return;
    }
    if (
      lo > 0 &&
      lo < n - 1 &&
      comparePairs(scores[lo - 1], members[lo - 1], newScore, member) < 0 &&
      comparePairs(newScore, member, scores[lo + 1], members[lo + 1]) < 0
    ) {
      clearPath(depth);
      scores[lo] = newScore;
      return;
    }
    // deleteFrom's work, bottom-up along the recorded path.
    for (let i = lo + 1; i < n; i++) {
      scores[i - 1] = scores[i];
      members[i - 1] = members[i];
    }
    scores.pop();
    members.pop();
    for (let d = depth - 1; d >= 0; d--) {
      const inner = pathNodes[d] as Inner;
      const i = pathChildren[d];
      inner.size--;
      inner.sizes[i]--;
      this.rebalance(inner, i);
    }
    clearPath(depth);
    if (this.root instanceof Inner && this.root.children.length === 1) this.root = this.root.children[0];
    this.insert(newScore, member);
  }

  /** Removes a pair; returns false when it was not there. */
  public delete(score: number, member: string): boolean {
    const removed = this.deleteFrom(this.root, score, member);
    if (removed && this.root instanceof Inner && this.root.children.length === 1) {
      this.root = this.root.children[0];
    }
    return removed;
  }

  /** Number of pairs before the first one for which `before` is false (a lower bound's rank). */
  public countBefore(before: Before): number {
    let node = this.root;
    let rank = 0;
    while (node instanceof Inner) {
      // The last child whose separator is still before the position (child 0 when none is).
      let lo = 1;
      let hi = node.children.length - 1;
      let pick = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (before(node.sepScores[mid], node.sepMembers[mid])) {
          pick = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      for (let i = 0; i < pick; i++) rank += node.sizes[i];
      node = node.children[pick];
    }
    let lo = 0;
    let hi = node.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(node.scores[mid], node.members[mid])) lo = mid + 1;
      else hi = mid;
    }
    return rank + lo;
  }

  /** 0-based rank of a pair known to be in the tree. */
  public rank(score: number, member: string): number {
    return this.countBefore((s, m) => comparePairs(s, m, score, member) < 0);
  }

  /** A cursor at rank `index` (0-based); its leaf is undefined when index is out of range. */
  public seek(index: number): TreeCursor {
    if (index < 0 || index >= this.size) return { leaf: undefined, index: 0 };
    let node = this.root;
    let rest = index;
    while (node instanceof Inner) {
      let i = 0;
      while (rest >= node.sizes[i]) rest -= node.sizes[i++];
      node = node.children[i];
    }
    return { leaf: node, index: rest };
  }

  /** Score and member under a cursor (the cursor must be valid). */
  public scoreAt(cursor: TreeCursor): number {
    return (cursor.leaf as Leaf).scores[cursor.index];
  }

  public memberAt(cursor: TreeCursor): string {
    return (cursor.leaf as Leaf).members[cursor.index];
  }

  /** Moves a cursor one pair forward; the leaf becomes undefined past the end. */
  public static next(cursor: TreeCursor): void {
    const leaf = cursor.leaf as Leaf;
    if (cursor.index + 1 < leaf.size) {
      cursor.index++;
      return;
    }
    let n = leaf.next;
    while (n !== undefined && n.size === 0) n = n.next;
    cursor.leaf = n;
    cursor.index = 0;
  }

  /** Moves a cursor one pair backward; the leaf becomes undefined before the start. */
  public static prev(cursor: TreeCursor): void {
    if (cursor.index > 0) {
      cursor.index--;
      return;
    }
    let p = (cursor.leaf as Leaf).prev;
    while (p !== undefined && p.size === 0) p = p.prev;
    cursor.leaf = p;
    cursor.index = p === undefined ? 0 : p.size - 1;
  }

  /** Visits every pair in order until `visit` returns false. */
  public forEach(visit: (score: number, member: string) => boolean | void): void {
    for (let leaf: Leaf | undefined = this.first; leaf !== undefined; leaf = leaf.next) {
      const { scores, members } = leaf;
      for (let i = 0; i < members.length; i++) if (visit(scores[i], members[i]) === false) return;
    }
  }

  /** Smallest and largest pairs' leaves, for the ends (undefined leaf when empty). */
  public firstCursor(): TreeCursor {
    return this.seek(0);
  }

  public lastCursor(): TreeCursor {
    return this.seek(this.size - 1);
  }

  /** Checks every invariant (sizes, order, separators, links); for tests. Throws on a violation. */
  public check(): void {
    const leaves: Leaf[] = [];
    const walk = (node: Node, lowS: number | undefined, lowM: string | undefined): number => {
      if (node instanceof Leaf) {
        leaves.push(node);
        for (let i = 0; i < node.size; i++) {
          if (i > 0 && comparePairs(node.scores[i - 1], node.members[i - 1], node.scores[i], node.members[i]) >= 0) {
            throw new Error('leaf out of order');
          }
          if (lowS !== undefined && comparePairs(node.scores[i], node.members[i], lowS, lowM as string) < 0) {
            throw new Error('pair below its separator');
          }
        }
        return node.size;
      }
      let total = 0;
      for (let i = 0; i < node.children.length; i++) {
        const n = walk(node.children[i], i === 0 ? lowS : node.sepScores[i], i === 0 ? lowM : node.sepMembers[i]);
        if (n !== node.sizes[i]) throw new Error('wrong subtree size');
        total += n;
      }
      if (total !== node.size) throw new Error('wrong inner size');
      return total;
    };
    walk(this.root, undefined, undefined);
    if (leaves[0] !== this.first || leaves[leaves.length - 1] !== this.last) throw new Error('wrong ends');
    for (let i = 0; i < leaves.length; i++) {
      if (leaves[i].prev !== leaves[i - 1] || leaves[i].next !== leaves[i + 1]) throw new Error('broken leaf links');
    }
    let prevS: number | undefined;
    let prevM = '';
    this.forEach((s, m) => {
      if (prevS !== undefined && comparePairs(prevS, prevM, s, m) >= 0) throw new Error('tree out of order');
      prevS = s;
      prevM = m;
    });
  }

  // ---- internals -------------------------------------------------------------------------------

  /** Inserts under `node`; returns a new right sibling when the node split. */
  private insertInto(node: Node, score: number, member: string): Node | undefined {
    if (node instanceof Leaf) {
      const { scores, members } = node;
      let lo = 0;
      let hi = members.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (comparePairs(scores[mid], members[mid], score, member) < 0) lo = mid + 1;
        else hi = mid;
      }
      // Shift by hand: splice allocates an array of removed items on every call.
      let i = members.length;
      scores.push(score);
      members.push(member);
      for (; i > lo; i--) {
        scores[i] = scores[i - 1];
        members[i] = members[i - 1];
      }
      scores[lo] = score;
      members[lo] = member;
      return members.length > LEAF_MAX ? this.splitLeaf(node) : undefined;
    }
    const i = routeChild(node, score, member);
    const split = this.insertInto(node.children[i], score, member);
    node.size++;
    if (split === undefined) {
      node.sizes[i]++;
      return undefined;
    }
    node.sizes[i] = nodeSize(node.children[i]);
    const [s, m] = firstKey(split);
    node.children.splice(i + 1, 0, split);
    node.sizes.splice(i + 1, 0, nodeSize(split));
    node.sepScores.splice(i + 1, 0, s);
    node.sepMembers.splice(i + 1, 0, m);
    return node.children.length > INNER_MAX ? splitInner(node) : undefined;
  }

  private splitLeaf(leaf: Leaf): Leaf {
    const half = leaf.size >> 1;
    const right = new Leaf();
    right.scores = leaf.scores.splice(half);
    right.members = leaf.members.splice(half);
    right.next = leaf.next;
    right.prev = leaf;
    if (leaf.next !== undefined) leaf.next.prev = right;
    else this.last = right;
    leaf.next = right;
    return right;
  }

  private deleteFrom(node: Node, score: number, member: string): boolean {
    if (node instanceof Leaf) {
      const { scores, members } = node;
      let lo = 0;
      let hi = members.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (comparePairs(scores[mid], members[mid], score, member) < 0) lo = mid + 1;
        else hi = mid;
      }
      const n = members.length;
      if (lo >= n || scores[lo] !== score || members[lo] !== member) return false;
      for (let i = lo + 1; i < n; i++) {
        scores[i - 1] = scores[i];
        members[i - 1] = members[i];
      }
      scores.pop();
      members.pop();
      return true;
    }
    const i = routeChild(node, score, member);
    const child = node.children[i];
    if (!this.deleteFrom(child, score, member)) return false;
    node.size--;
    node.sizes[i]--;
    this.rebalance(node, i);
    return true;
  }

  /** After a delete under child i: drops it when empty, or merges it with a neighbour when both are small. */
  private rebalance(node: Inner, i: number): void {
    const child = node.children[i];
    const size = node.sizes[i];
    if (size === 0 && node.children.length > 1) {
      this.removeChild(node, i);
      return;
    }
    const small = child instanceof Leaf ? size < LEAF_MIN : child.children.length < INNER_MIN;
    if (!small || node.children.length < 2) return;
    // Merge with the right neighbour, or the left one for the last child.
    const left = i + 1 < node.children.length ? i : i - 1;
    const a = node.children[left];
    const b = node.children[left + 1];
    if (a instanceof Leaf && b instanceof Leaf) {
      if (a.size + b.size > LEAF_MAX) return;
      for (let k = 0; k < b.size; k++) {
        a.scores.push(b.scores[k]);
        a.members.push(b.members[k]);
      }
      b.scores = [];
      b.members = [];
    } else if (a instanceof Inner && b instanceof Inner) {
      if (a.children.length + b.children.length > INNER_MAX) return;
      for (let k = 0; k < b.children.length; k++) {
        a.children.push(b.children[k]);
        a.sizes.push(b.sizes[k]);
        // b's child 0 had no separator of its own: b's separator in this node bounds it.
        a.sepScores.push(k === 0 ? node.sepScores[left + 1] : b.sepScores[k]);
        a.sepMembers.push(k === 0 ? node.sepMembers[left + 1] : b.sepMembers[k]);
      }
      a.size += b.size;
      b.children = [];
    } else {
      return;
    }
    node.sizes[left] += node.sizes[left + 1];
    node.sizes[left + 1] = 0;
    this.removeChild(node, left + 1);
  }

  /** Removes child i (empty, or already merged into its left neighbour) and unlinks its leaves. */
  private removeChild(node: Inner, i: number): void {
    this.unlinkLeaves(node.children[i]);
    node.children.splice(i, 1);
    node.sizes.splice(i, 1);
    node.sepScores.splice(i, 1);
    node.sepMembers.splice(i, 1);
  }

  private unlinkLeaves(node: Node): void {
    if (node instanceof Leaf) this.unlinkLeaf(node);
    else for (const child of node.children) this.unlinkLeaves(child);
  }

  private unlinkLeaf(leaf: Leaf): void {
    if (leaf.prev !== undefined) leaf.prev.next = leaf.next;
    else this.first = leaf.next as Leaf;
    if (leaf.next !== undefined) leaf.next.prev = leaf.prev;
    else this.last = leaf.prev as Leaf;
    leaf.prev = undefined;
    leaf.next = undefined;
  }
}

/** update()'s record of its descent: the inner node and the child taken at each level. */
const pathNodes: Array<Inner | undefined> = [];
const pathChildren: number[] = [];

/** Drops update()'s references to nodes, so a tree no longer used is not kept alive by them. */
function clearPath(depth: number): void {
  for (let d = 0; d < depth; d++) pathNodes[d] = undefined;
}

function nodeSize(node: Node): number {
  return node instanceof Leaf ? node.size : node.size;
}

/** The first pair under a node (used as the separator of a freshly split right half). */
function firstKey(node: Node): [number, string] {
  if (node instanceof Leaf) return [node.scores[0], node.members[0]];
  // A right half made by splitInner: its first child's separator is its lower bound.
  return [node.sepScores[0], node.sepMembers[0]];
}

/** The child of `node` whose range holds (score, member): the last with separator <= pair. */
function routeChild(node: Inner, score: number, member: string): number {
  let lo = 1;
  let hi = node.children.length - 1;
  let pick = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (comparePairs(node.sepScores[mid], node.sepMembers[mid], score, member) <= 0) {
      pick = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return pick;
}

function splitInner(node: Inner): Inner {
  const half = node.children.length >> 1;
  const right = new Inner();
  right.children = node.children.splice(half);
  right.sizes = node.sizes.splice(half);
  right.sepScores = node.sepScores.splice(half);
  right.sepMembers = node.sepMembers.splice(half);
  // right.sepScores[0] keeps the moved child's separator: firstKey reads it for the parent.
  let moved = 0;
  for (const s of right.sizes) moved += s;
  right.size = moved;
  node.size -= moved;
  return right;
}
