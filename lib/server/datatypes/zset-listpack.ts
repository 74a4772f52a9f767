/**
 * A small sorted set as ONE listpack string (./listpack.ts): member, score, member, score, …
 * sorted by score then member, the score written as formatScore text (as Redis writes scores
 * into its listpack with d2string). No object per member: the whole set is a single string.
 *
 * These functions walk the listpack by character offset ("pair offset" = the member entry's
 * header) reading the length prefix in place, so a lookup or an insert point costs no
 * allocation except the score texts it has to read.
 */
import { lpEncode } from './listpack';
import { formatScore, readStoredScoreIn } from './zset-score';

let entryStart = 0;
let entryLength = 0;

/** Reads the listpack entry header at `pos` into entryStart / entryLength (base-128 varint prefix). */
function readEntry(lp: string, pos: number): void {
  let c = lp.charCodeAt(pos);
  if (c < 0x80) {
    entryStart = pos + 1;
    entryLength = c;
    return;
  }
  let length = c & 0x7f;
  let shift = 128;
  let p = pos + 1;
  for (;;) {
    c = lp.charCodeAt(p++);
    length += (c & 0x7f) * shift;
    if (c < 0x80) break;
    shift *= 128;
  }
  entryStart = p;
  entryLength = length;
}

/**
 * Encodes one pair. A score that is an integer goes in as one, as Redis's zzlInsertAt stores it
 * with lpInsertInteger — which is why -0 reads back as 0 from a listpack (not from a skiplist).
 */
export function zlEncodePair(member: string, score: number): string {
  return lpEncode(member) + lpEncode(score === 0 ? '0' : formatScore(score));
}

/** Offset of the pair after the one at `off`. */
export function zlNext(lp: string, off: number): number {
  readEntry(lp, off);
  readEntry(lp, entryStart + entryLength);
  return entryStart + entryLength;
}

/** The member of the pair at `off`. */
export function zlMemberAt(lp: string, off: number): string {
  readEntry(lp, off);
  return lp.slice(entryStart, entryStart + entryLength);
}

/** The score of the pair at `off`. */
export function zlScoreAt(lp: string, off: number): number {
  readEntry(lp, off);
  readEntry(lp, entryStart + entryLength);
  return readStoredScoreIn(lp, entryStart, entryStart + entryLength);
}

function memberEquals(lp: string, start: number, length: number, member: string): boolean {
  if (length !== member.length) return false;
  // From the end: members of one set tend to share a prefix (user:1042, user:1043, …), so the last
  // bytes tell most of them apart at the first comparison.
  for (let i = length - 1; i >= 0; i--) if (lp.charCodeAt(start + i) !== member.charCodeAt(i)) return false;
  return true;
}

/** Compares the member stored at [start, start+length) with `member`, as memcmp then length. */
function compareMember(lp: string, start: number, length: number, member: string): number {
  const n = Math.min(length, member.length);
  for (let i = 0; i < n; i++) {
    const d = lp.charCodeAt(start + i) - member.charCodeAt(i);
    if (d !== 0) return d;
  }
  return length - member.length;
}

/** Score of the last zlFind hit (a shared slot, so a lookup allocates nothing). */
export const found = { score: 0 };

/** Offset of the pair holding `member`, or -1; sets found.score. */
export function zlFind(lp: string, member: string): number {
  let pos = 0;
  const n = lp.length;
  while (pos < n) {
    readEntry(lp, pos);
    const mStart = entryStart;
    const mLength = entryLength;
    readEntry(lp, mStart + mLength);
    if (memberEquals(lp, mStart, mLength, member)) {
      found.score = readStoredScoreIn(lp, entryStart, entryStart + entryLength);
      return pos;
    }
    pos = entryStart + entryLength;
  }
  return -1;
}

/**
 * Offset where (member, score) belongs in sorted order, searching from `pos` and stepping over the
 * pair at [skipFrom, skipTo) (the member's own, when it moves; -1 for none).
 */
function sortedPlace(lp: string, pos: number, member: string, score: number, skipFrom: number, skipTo: number): number {
  const n = lp.length;
  while (pos < n) {
    if (pos === skipFrom) {
      pos = skipTo;
      continue;
    }
    readEntry(lp, pos);
    const mStart = entryStart;
    const mLength = entryLength;
    readEntry(lp, mStart + mLength);
    const s = readStoredScoreIn(lp, entryStart, entryStart + entryLength);
    if (s > score || (s === score && compareMember(lp, mStart, mLength, member) > 0)) break;
    pos = entryStart + entryLength;
  }
  return pos;
}

/** The listpack with (member, score) inserted at its sorted place (the member must be absent). */
export function zlInsert(lp: string, member: string, score: number): string {
  const pos = sortedPlace(lp, 0, member, score, -1, -1);
  const pair = zlEncodePair(member, score);
  if (pos === 0) return pair + lp;
  if (pos >= lp.length) return lp + pair;
  return lp.slice(0, pos) + pair + lp.slice(pos);
}

/**
 * The listpack with the pair at offsets [from, to) — `member`'s — moved to its sorted place under
 * a new `score` (its old one `oldScore`): zlCut then zlInsert in one pass over the original
 * string, so the result is assembled (and later flattened) once instead of after each step. A
 * higher score can only move the pair towards the end, so the search for its place starts after it.
 */
export function zlMove(lp: string, from: number, to: number, member: string, score: number, oldScore: number): string {
  const pos = sortedPlace(lp, score > oldScore ? to : 0, member, score, from, to);
  // pos is where the pair goes, never inside [from, to).
  const pair = zlEncodePair(member, score);
  if (pos <= from) return lp.slice(0, pos) + pair + lp.slice(pos, from) + lp.slice(to);
  return lp.slice(0, from) + lp.slice(to, pos) + pair + lp.slice(pos);
}

/** The listpack without the pairs from offset `from` (inclusive) to offset `to` (exclusive). */
export function zlCut(lp: string, from: number, to: number): string {
  if (from === 0) return lp.slice(to);
  if (to >= lp.length) return lp.slice(0, from);
  return lp.slice(0, from) + lp.slice(to);
}

/**
 * Emits up to `count` pairs starting at offset `pos`, reading each header once; returns the
 * offset after the last pair emitted.
 */
export function zlWalk(lp: string, pos: number, count: number, emit: (member: string, score: number) => void): number {
  let at = pos;
  const n = lp.length;
  for (let i = 0; i < count && at < n; i++) {
    readEntry(lp, at);
    const member = lp.slice(entryStart, entryStart + entryLength);
    readEntry(lp, entryStart + entryLength);
    const score = readStoredScoreIn(lp, entryStart, entryStart + entryLength);
    at = entryStart + entryLength;
    emit(member, score);
  }
  return at;
}

/** Offset of the pair at 0-based index `index` (lp.length when index == count). */
export function zlSeek(lp: string, index: number): number {
  let pos = 0;
  for (let i = 0; i < index && pos < lp.length; i++) pos = zlNext(lp, pos);
  return pos;
}

/** Offsets of every pair, in order (for reverse walks and random picks). */
export function zlOffsets(lp: string): number[] {
  const out: number[] = [];
  let pos = 0;
  while (pos < lp.length) {
    out.push(pos);
    pos = zlNext(lp, pos);
  }
  return out;
}

/** Visits every pair in order until `visit` returns false. */
export function zlForEach(lp: string, visit: (member: string, score: number) => boolean | void): void {
  let pos = 0;
  const n = lp.length;
  while (pos < n) {
    readEntry(lp, pos);
    const member = lp.slice(entryStart, entryStart + entryLength);
    readEntry(lp, entryStart + entryLength);
    const score = readStoredScoreIn(lp, entryStart, entryStart + entryLength);
    pos = entryStart + entryLength;
    if (visit(member, score) === false) return;
  }
}
