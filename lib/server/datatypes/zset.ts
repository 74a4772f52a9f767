/**
 * The sorted set value (valkey src/t_zset.c's zset* and zzl* layers), in one of two encodings:
 *
 * - listpack: every (member, score) pair in ONE latin1 string, sorted (./zset-listpack.ts). Linear
 *   operations, as Redis's; used while the set has at most zset-max-listpack-entries members, none
 *   longer than zset-max-listpack-value bytes.
 * - skiplist: a member → slot index (./field-index.ts: open addressing that also finds a member
 *   from request bytes), the members and scores by slot, and an order-statistic B+tree of
 *   (score, member) (./zset-tree.ts, which says why a tree rather than a skiplist) for O(log n)
 *   rank and range operations. OBJECT ENCODING still says "skiplist", as clients expect.
 *
 * A set converts listpack → skiplist when it outgrows the limits and never back (except when a
 * result is built anew, as ZUNIONSTORE does). Slots never move while their member lives, so a
 * ZSCAN cursor that is a slot number returns every member present for the whole scan, like SCAN.
 */
import type { CollectionValue } from '../keyspace/database';
import { latin1 } from '../util/latin1';
import { FieldIndex } from './field-index';
import { lpFlatten } from './listpack';
import {
  found,
  zlCut,
  zlEncodePair,
  zlFind,
  zlForEach,
  zlInsert,
  zlMemberAt,
  zlMove,
  zlNext,
  zlOffsets,
  zlScoreAt,
  zlSeek,
  zlWalk,
} from './zset-listpack';
import {
  type LexRange,
  lexGteMin,
  lexLteMax,
  type ScoreRange,
  scoreGteMin,
  scoreLteMax,
} from './zset-score';
import { comparePairs, ScoreTree, type TreeCursor } from './zset-tree';

/** ZADD input flags. */
export const ZADD_NX = 1;
export const ZADD_XX = 2;
export const ZADD_GT = 4;
export const ZADD_LT = 8;
export const ZADD_INCR = 16;

/** zsetAdd's outcome. */
export const ZADD_ADDED = 1;
export const ZADD_UPDATED = 2;
export const ZADD_NOP = 4;
export const ZADD_NAN = 8;

/** The two conversion thresholds (zset-max-listpack-entries / -value). */
export interface ZsetLimits {
  readonly maxEntries: number;
  readonly maxValue: number;
}

export type PairVisitor = (member: string, score: number) => void;

/** Bytes of bookkeeping per member in the skiplist encoding (Map entry, slots, tree slots), roughly. */
const SKIPLIST_MEMBER_OVERHEAD = 72;
const OBJECT_OVERHEAD = 48;

/** The large encoding's parts. */
interface Skiplist {
  /** member → slot, over `members`. */
  index: FieldIndex;
  members: Array<string | undefined>;
  scores: number[];
  free: number[];
  tree: ScoreTree;
}

/** An empty large encoding whose index is sized for `expected` members. */
function newSkiplist(expected: number): Skiplist {
  const members: Array<string | undefined> = [];
  // The index reads members[slot] only for slots it holds, which are never free: the holes of
  // freed slots are never read through it.
  return { index: new FieldIndex(members as readonly string[], expected), members, scores: [], free: [], tree: new ScoreTree() };
}

export class SortedSet implements CollectionValue {
  public readonly kind = 'zset' as const;
  /** The listpack while small; undefined once converted. */
  private lp: string | undefined = '';
  private pairs = 0;
  private sl: Skiplist | undefined;
  /** Bytes of member text in the skiplist encoding, for memoryUsage(). */
  private memberBytes = 0;

  /** The score zsetAdd settled on, or the score of the last rank() hit. */
  public lastScore = 0;

  /** zsetTypeCreate: a listpack unless the expected size or member length exceeds the limits. */
  public static create(sizeHint: number, valueLengthHint: number, limits: ZsetLimits): SortedSet {
    const z = new SortedSet();
    if (sizeHint > limits.maxEntries || valueLengthHint > limits.maxValue) z.convertToSkiplist();
    return z;
  }

  public encoding(): string {
    return this.lp !== undefined ? 'listpack' : 'skiplist';
  }

  public get isListpack(): boolean {
    return this.lp !== undefined;
  }

  public size(): number {
    return this.sl === undefined ? this.pairs : this.sl.index.size;
  }

  public memoryUsage(): number {
    if (this.lp !== undefined) return OBJECT_OVERHEAD + this.lp.length;
    return OBJECT_OVERHEAD + this.memberBytes + this.size() * SKIPLIST_MEMBER_OVERHEAD;
  }

  /** A deep copy in the same encoding (COPY). */
  public clone(): SortedSet {
    const copy = new SortedSet();
    if (this.lp !== undefined) {
      copy.lp = this.lp;
      copy.pairs = this.pairs;
      return copy;
    }
    copy.convertToSkiplist();
    this.forEach((member, score) => copy.skiplistInsert(member, score));
    return copy;
  }

  /** zsetTypeMaybeConvert: converts ahead of a write that would outgrow the listpack. */
  public maybeConvert(sizeHint: number, valueLengthHint: number, limits: ZsetLimits): void {
    if (this.lp !== undefined && (sizeHint > limits.maxEntries || valueLengthHint > limits.maxValue)) {
      this.convertToSkiplist();
    }
  }

  public convertToSkiplist(): void {
    if (this.lp === undefined) return;
    const lp = this.lp;
    const expected = this.pairs;
    this.lp = undefined;
    this.pairs = 0;
    this.sl = newSkiplist(expected);
    this.memberBytes = 0;
    zlForEach(lp, (member, score) => this.skiplistInsert(member, score));
  }

  /** zsetConvertToListpackIfNeeded, for a freshly built result (ZUNIONSTORE & co). */
  public convertToListpackIfFits(maxMemberLength: number, limits: ZsetLimits): void {
    if (this.sl === undefined) return;
    if (this.size() > limits.maxEntries || maxMemberLength > limits.maxValue) return;
    let lp = '';
    this.forEach((member, score) => {
      lp += zlEncodePair(member, score);
    });
    this.pairs = this.size();
    this.sl = undefined;
    this.memberBytes = 0;
    this.lp = lpFlatten(lp);
  }

  // ---- lookups -----------------------------------------------------------------------------

  /** A member's score, or undefined. */
  public score(member: string): number | undefined {
    if (this.lp !== undefined) return zlFind(this.lp, member) < 0 ? undefined : found.score;
    const sl = this.sl as Skiplist;
    const slot = sl.index.find(member);
    return slot < 0 ? undefined : sl.scores[slot];
  }

  /** 0-based rank (from the top when `reverse`), or -1; the score goes to lastScore. */
  public rank(member: string, reverse: boolean): number {
    if (this.lp !== undefined) {
      let pos = 0;
      let rank = 0;
      const lp = this.lp;
      const wanted = zlFind(lp, member);
      if (wanted < 0) return -1;
      this.lastScore = found.score;
      while (pos < wanted) {
        pos = zlNext(lp, pos);
        rank++;
      }
      return reverse ? this.pairs - 1 - rank : rank;
    }
    const sl = this.sl as Skiplist;
    const slot = sl.index.find(member);
    if (slot < 0) return -1;
    const score = sl.scores[slot];
    this.lastScore = score;
    const rank = sl.tree.rank(score, member);
    return reverse ? sl.index.size - 1 - rank : rank;
  }

  // ---- writes ------------------------------------------------------------------------------

  /**
   * zsetAdd: adds or updates one member under ZADD's flags; returns ZADD_* outcome bits
   * (ZADD_NAN alone when the score is or becomes NaN) and leaves the final score in lastScore.
   */
  public add(score: number, member: string, flags: number, limits: ZsetLimits): number {
    if (Number.isNaN(score)) return ZADD_NAN;
    const incr = (flags & ZADD_INCR) !== 0;
    const nx = (flags & ZADD_NX) !== 0;
    const xx = (flags & ZADD_XX) !== 0;
    const gt = (flags & ZADD_GT) !== 0;
    const lt = (flags & ZADD_LT) !== 0;
    let current: number | undefined;
    if (this.lp !== undefined) {
      const at = zlFind(this.lp, member);
      if (at < 0) {
        if (xx) return ZADD_NOP;
        if (this.pairs + 1 > limits.maxEntries || member.length > limits.maxValue) {
          this.convertToSkiplist();
        } else {
          this.lp = lpFlatten(zlInsert(this.lp, member, score));
          this.pairs++;
          this.lastScore = score;
          return ZADD_ADDED;
        }
      } else {
        current = found.score;
        if (nx) return ZADD_NOP;
        let next = score;
        if (incr) {
          next += current;
          if (Number.isNaN(next)) return ZADD_NAN;
        }
        if ((lt && next >= current) || (gt && next <= current)) return ZADD_NOP;
        this.lastScore = next;
        // -0 == 0 here as in C: re-adding a score that compares equal changes nothing.
        if (next === current) return 0;
        this.lp = lpFlatten(zlMove(this.lp, at, zlNext(this.lp, at), member, next, current));
        return ZADD_UPDATED;
      }
    }
    const sl = this.sl as Skiplist;
    const slot = sl.index.find(member);
    if (slot < 0) {
      if (xx) return ZADD_NOP;
      this.skiplistInsert(member, score);
      this.lastScore = score;
      return ZADD_ADDED;
    }
    if (nx) return ZADD_NOP;
    current = sl.scores[slot];
    let next = score;
    if (incr) {
      next += current;
      if (Number.isNaN(next)) return ZADD_NAN;
    }
    if ((lt && next >= current) || (gt && next <= current)) return ZADD_NOP;
    this.lastScore = next;
    if (next === current) return 0;
    sl.tree.update(current, next, member);
    sl.scores[slot] = next;
    return ZADD_UPDATED;
  }

  /**
   * add(score, member, 0, limits) — ZADD without options — for the member whose bytes are
   * `bytes[start..end)`: in the large encoding an existing member is found from the bytes and its
   * stored string serves, so only a new member becomes a string.
   */
  public addBytes(score: number, bytes: Buffer, start: number, end: number, limits: ZsetLimits): number {
    const sl = this.sl;
    if (sl === undefined || Number.isNaN(score)) return this.add(score, latin1(bytes, start, end), 0, limits);
    const slot = sl.index.findBytes(bytes, start, end);
    if (slot < 0) {
      this.skiplistInsert(latin1(bytes, start, end), score);
      this.lastScore = score;
      return ZADD_ADDED;
    }
    const current = sl.scores[slot];
    this.lastScore = score;
    if (score === current) return 0;
    sl.tree.update(current, score, sl.members[slot] as string);
    sl.scores[slot] = score;
    return ZADD_UPDATED;
  }

  /** Removes a member; true when it was there. */
  public remove(member: string): boolean {
    if (this.lp !== undefined) {
      const at = zlFind(this.lp, member);
      if (at < 0) return false;
      this.lp = lpFlatten(zlCut(this.lp, at, zlNext(this.lp, at)));
      this.pairs--;
      return true;
    }
    const sl = this.sl as Skiplist;
    const slot = sl.index.find(member);
    if (slot < 0) return false;
    sl.tree.delete(sl.scores[slot], member);
    this.releaseSlot(member, slot);
    return true;
  }

  /** Removes and returns the lowest (or highest) pair, or undefined when empty. */
  public pop(max: boolean): [string, number] | undefined {
    if (this.size() === 0) return undefined;
    if (this.lp !== undefined) {
      const lp = this.lp;
      const at = max ? zlSeek(lp, this.pairs - 1) : 0;
      const member = zlMemberAt(lp, at);
      const score = zlScoreAt(lp, at);
      this.lp = lpFlatten(zlCut(lp, at, zlNext(lp, at)));
      this.pairs--;
      return [member, score];
    }
    const sl = this.sl as Skiplist;
    const cursor = max ? sl.tree.lastCursor() : sl.tree.firstCursor();
    const member = sl.tree.memberAt(cursor);
    const score = sl.tree.scoreAt(cursor);
    this.remove(member);
    return [member, score];
  }

  // ---- ranges ------------------------------------------------------------------------------

  /** Emits the pairs of ranks start..end (inclusive, already within 0..size-1), from the top when `reverse`. */
  public rangeByRank(start: number, end: number, reverse: boolean, emit: PairVisitor): void {
    let count = end - start + 1;
    if (this.lp !== undefined) {
      const lp = this.lp;
      if (!reverse) {
        zlWalk(lp, zlSeek(lp, start), count, emit);
      } else {
        const offsets = zlOffsets(lp);
        for (let i = offsets.length - 1 - start; count-- > 0; i--) emit(zlMemberAt(lp, offsets[i]), zlScoreAt(lp, offsets[i]));
      }
      return;
    }
    const tree = (this.sl as Skiplist).tree;
    const cursor = tree.seek(reverse ? tree.size - 1 - start : start);
    while (count-- > 0 && cursor.leaf !== undefined) {
      emit(tree.memberAt(cursor), tree.scoreAt(cursor));
      if (reverse) ScoreTree.prev(cursor);
      else ScoreTree.next(cursor);
    }
  }

  /**
   * Emits pairs in a score range, skipping `offset` and stopping after `limit` (negative: no
   * limit), as genericZrangebyscoreCommand. Returns the number emitted.
   */
  public rangeByScore(range: ScoreRange, reverse: boolean, offset: number, limit: number, emit: PairVisitor): number {
    if (offset < 0 || (offset > 0 && offset >= this.size())) return 0;
    const inStart = (s: number): boolean => (reverse ? scoreLteMax(s, range) : scoreGteMin(s, range));
    const inEnd = (s: number): boolean => (reverse ? scoreGteMin(s, range) : scoreLteMax(s, range));
    return this.walkRange(
      reverse,
      offset,
      limit,
      (s) => inStart(s),
      (s) => inEnd(s),
      emit,
    );
  }

  /** Emits pairs in a lexicographic range, as genericZrangebylexCommand. Returns the number emitted. */
  public rangeByLex(range: LexRange, reverse: boolean, offset: number, limit: number, emit: PairVisitor): number {
    if (offset < 0) return 0;
    return this.walkRange(
      reverse,
      offset,
      limit,
      (_s, m) => (reverse ? lexLteMax(m, range) : lexGteMin(m, range)),
      (_s, m) => (reverse ? lexGteMin(m, range) : lexLteMax(m, range)),
      emit,
    );
  }

  /** Members with a score in range (ZCOUNT). */
  public countInScoreRange(range: ScoreRange): number {
    return this.countInRange(
      (s) => scoreGteMin(s, range),
      (s) => scoreLteMax(s, range),
    );
  }

  /** Members in a lexicographic range (ZLEXCOUNT). */
  public countInLexRange(range: LexRange): number {
    return this.countInRange(
      (_s, m) => lexGteMin(m, range),
      (_s, m) => lexLteMax(m, range),
    );
  }

  /** Removes ranks start..end (inclusive, within range); returns how many. */
  public removeRangeByRank(start: number, end: number): number {
    const victims: string[] = [];
    this.rangeByRank(start, end, false, (m) => victims.push(m));
    return this.removeMembers(victims);
  }

  public removeRangeByScore(range: ScoreRange): number {
    const victims: string[] = [];
    this.rangeByScore(range, false, 0, -1, (m) => victims.push(m));
    return this.removeMembers(victims);
  }

  public removeRangeByLex(range: LexRange): number {
    const victims: string[] = [];
    this.rangeByLex(range, false, 0, -1, (m) => victims.push(m));
    return this.removeMembers(victims);
  }

  // ---- iteration ---------------------------------------------------------------------------

  /** Every pair in order. */
  public forEach(visit: PairVisitor): void {
    if (this.lp !== undefined) {
      zlWalk(this.lp, 0, this.pairs, visit);
      return;
    }
    (this.sl as Skiplist).tree.forEach((s, m) => visit(m, s));
  }

  /** A uniformly random pair (the set must not be empty). */
  public randomPair(random: () => number = Math.random): [string, number] {
    const n = this.size();
    const i = Math.floor(random() * n);
    if (this.lp !== undefined) {
      const at = zlSeek(this.lp, i);
      return [zlMemberAt(this.lp, at), zlScoreAt(this.lp, at)];
    }
    const tree = (this.sl as Skiplist).tree;
    const cursor = tree.seek(i);
    return [tree.memberAt(cursor), tree.scoreAt(cursor)];
  }

  /**
   * One ZSCAN step. A listpack returns everything at once (cursor 0), as Redis does; the skiplist
   * encoding visits slots from `cursor` until `count` members were seen and returns the next
   * cursor (0 at the end).
   */
  public scan(cursor: number, count: number, visit: PairVisitor): number {
    if (this.lp !== undefined) {
      this.forEach(visit);
      return 0;
    }
    const sl = this.sl as Skiplist;
    let slot = cursor;
    let seen = 0;
    const end = sl.members.length;
    while (slot < end && seen < count) {
      const member = sl.members[slot];
      if (member !== undefined) {
        seen++;
        visit(member, sl.scores[slot]);
      }
      slot++;
    }
    return slot >= end ? 0 : slot;
  }

  // ---- internals ---------------------------------------------------------------------------

  private skiplistInsert(member: string, score: number): void {
    const sl = this.sl as Skiplist;
    let slot: number;
    if (sl.free.length > 0) {
      slot = sl.free.pop() as number;
      sl.members[slot] = member;
      sl.scores[slot] = score;
    } else {
      slot = sl.members.length;
      sl.members.push(member);
      sl.scores.push(score);
    }
    sl.index.insert(member, slot);
    sl.tree.insert(score, member);
    this.memberBytes += member.length;
  }

  private releaseSlot(member: string, slot: number): void {
    const sl = this.sl as Skiplist;
    sl.index.remove(member, slot);
    sl.members[slot] = undefined;
    this.memberBytes -= member.length;
    if (slot === sl.members.length - 1) {
      sl.members.pop();
      sl.scores.pop();
      // Trailing free slots are trimmed so a cursor past the end means "done".
      while (sl.members.length > 0 && sl.members[sl.members.length - 1] === undefined) {
        sl.members.pop();
        sl.scores.pop();
      }
      if (sl.free.length > 0) sl.free = sl.free.filter((s) => s < sl.members.length);
    } else {
      sl.free.push(slot);
    }
    if (sl.index.size === 0) {
      // Emptied in place: the index keeps reading this members array.
      sl.members.length = 0;
      sl.scores = [];
      sl.free = [];
    }
  }

  private removeMembers(members: readonly string[]): number {
    let removed = 0;
    if (this.lp !== undefined && members.length > 1) {
      // One pass over the listpack instead of one rebuild per member.
      const drop = new Set(members);
      let lp = '';
      let kept = 0;
      zlForEach(this.lp, (m, s) => {
        if (drop.has(m)) {
          removed++;
        } else {
          lp += zlEncodePair(m, s);
          kept++;
        }
      });
      this.lp = lpFlatten(lp);
      this.pairs = kept;
      return removed;
    }
    for (const m of members) if (this.remove(m)) removed++;
    return removed;
  }

  /**
   * Walks from the first pair (last when reverse) for which `inStart` holds — which must also
   * satisfy `inEnd` — skips `offset`, then emits while `inEnd` holds and the limit lasts.
   */
  private walkRange(
    reverse: boolean,
    offset: number,
    limit: number,
    inStart: (score: number, member: string) => boolean,
    inEnd: (score: number, member: string) => boolean,
    emit: PairVisitor,
  ): number {
    let emitted = 0;
    let remaining = limit;
    if (!(reverse ? this.rangeOverlaps(inEnd, inStart) : this.rangeOverlaps(inStart, inEnd))) return 0;
    if (this.lp !== undefined) {
      const lp = this.lp;
      const offsets = zlOffsets(lp);
      const n = offsets.length;
      // Linear search for the start, as zzlFirstInRange / zzlLastInRange.
      let i = -1;
      if (!reverse) {
        for (let k = 0; k < n; k++) {
          if (inStart(zlScoreAt(lp, offsets[k]), zlMemberAt(lp, offsets[k]))) {
            i = k;
            break;
          }
        }
      } else {
        for (let k = n - 1; k >= 0; k--) {
          if (inStart(zlScoreAt(lp, offsets[k]), zlMemberAt(lp, offsets[k]))) {
            i = k;
            break;
          }
        }
      }
      if (i < 0 || !inEnd(zlScoreAt(lp, offsets[i]), zlMemberAt(lp, offsets[i]))) return 0;
      i += reverse ? -offset : offset;
      while (i >= 0 && i < n && remaining-- !== 0) {
        const member = zlMemberAt(lp, offsets[i]);
        const score = zlScoreAt(lp, offsets[i]);
        if (!inEnd(score, member)) break;
        emit(member, score);
        emitted++;
        i += reverse ? -1 : 1;
      }
      return emitted;
    }
    const tree = (this.sl as Skiplist).tree;
    let rank = reverse ? tree.countBefore((s, m) => inStart(s, m)) - 1 : tree.countBefore((s, m) => !inStart(s, m));
    if (rank < 0 || rank >= tree.size) return 0;
    const first = tree.seek(rank);
    if (!inEnd(tree.scoreAt(first), tree.memberAt(first))) return 0;
    rank += reverse ? -offset : offset;
    const cursor: TreeCursor = tree.seek(rank);
    while (cursor.leaf !== undefined && remaining-- !== 0) {
      const member = tree.memberAt(cursor);
      const score = tree.scoreAt(cursor);
      if (!inEnd(score, member)) break;
      emit(member, score);
      emitted++;
      if (reverse) ScoreTree.prev(cursor);
      else ScoreTree.next(cursor);
    }
    return emitted;
  }

  /**
   * Redis's zzlIsInRange / zslIsInLexRange: a range can only match when the last element is at or
   * above its minimum and the first at or below its maximum. Checked before any search, it is what
   * makes a lex range over members with different scores answer as Redis does (nothing, when the
   * ends are out of range), rather than whatever a linear or binary search would find.
   */
  private rangeOverlaps(gteMin: (s: number, m: string) => boolean, lteMax: (s: number, m: string) => boolean): boolean {
    const n = this.size();
    if (n === 0) return false;
    const [firstMember, firstScore] = this.pairAtRank(0);
    const [lastMember, lastScore] = this.pairAtRank(n - 1);
    return gteMin(lastScore, lastMember) && lteMax(firstScore, firstMember);
  }

  private pairAtRank(rank: number): [string, number] {
    let pair: [string, number] = ['', 0];
    this.rangeByRank(rank, rank, false, (m, s) => {
      pair = [m, s];
    });
    return pair;
  }

  private countInRange(gteMin: (s: number, m: string) => boolean, lteMax: (s: number, m: string) => boolean): number {
    if (!this.rangeOverlaps(gteMin, lteMax)) return 0;
    if (this.lp !== undefined) {
      let count = 0;
      let started = false;
      zlForEach(this.lp, (m, s) => {
        if (!started) {
          if (!gteMin(s, m)) return true;
          started = true;
        }
        if (!lteMax(s, m)) return false;
        count++;
        return true;
      });
      return count;
    }
    const tree = (this.sl as Skiplist).tree;
    const first = tree.countBefore((s, m) => !gteMin(s, m));
    const end = tree.countBefore((s, m) => lteMax(s, m));
    return Math.max(0, end - first);
  }
}

/** Orders pairs as the sorted set does (for sorting results built outside a set). */
export function comparePairsByScore(a: readonly [string, number], b: readonly [string, number]): number {
  return comparePairs(a[1], a[0], b[1], b[0]);
}
