/**
 * SortedSet in both encodings against a naive model: seeded random adds (with ZADD flags),
 * removals, pops, rank/score/lex ranges with offsets and limits, range removals and conversion.
 */
import { SortedSet, ZADD_ADDED, ZADD_GT, ZADD_INCR, ZADD_NOP, ZADD_NX, ZADD_UPDATED, ZADD_XX, type ZsetLimits } from '../../../lib/server/datatypes/zset';
import { zlCut, zlInsert, zlMemberAt, zlMove, zlNext, zlScoreAt } from '../../../lib/server/datatypes/zset-listpack';
import { parseLexRange, type ScoreRange } from '../../../lib/server/datatypes/zset-score';
import { comparePairs } from '../../../lib/server/datatypes/zset-tree';
import { mulberry32 } from '../../support/seeded-random';


type Pair = [string, number];

function sortedModel(model: Map<string, number>): Pair[] {
  return [...model].sort((a, b) => comparePairs(a[1], a[0], b[1], b[0]));
}

function collect(run: (emit: (m: string, s: number) => void) => void): Pair[] {
  const out: Pair[] = [];
  run((m, s) => out.push([m, s]));
  return out;
}

describe('SortedSet', () => {
  test('ZADD flags outcome bits', () => {
    const limits: ZsetLimits = { maxEntries: 128, maxValue: 64 };
    const z = SortedSet.create(0, 0, limits);
    expect(z.add(1, 'a', 0, limits)).toBe(ZADD_ADDED);
    expect(z.add(1, 'a', 0, limits)).toBe(0);
    expect(z.add(2, 'a', ZADD_NX, limits)).toBe(ZADD_NOP);
    expect(z.add(2, 'b', ZADD_XX, limits)).toBe(ZADD_NOP);
    expect(z.add(0, 'a', ZADD_GT, limits)).toBe(ZADD_NOP);
    expect(z.add(5, 'a', ZADD_GT, limits)).toBe(ZADD_UPDATED);
    expect(z.add(2, 'a', ZADD_INCR, limits)).toBe(ZADD_UPDATED);
    expect(z.lastScore).toBe(7);
    expect(z.add(NaN, 'a', 0, limits)).toBe(8);
  });

  for (const [label, limits] of [
    ['listpack, converting at 40', { maxEntries: 40, maxValue: 8 }],
    ['skiplist from the start', { maxEntries: 0, maxValue: 64 }],
    ['listpack only', { maxEntries: 100000, maxValue: 100000 }],
  ] as const) {
    test(`random operations match a model (${label})`, () => {
      const random = mulberry32(label.length);
      const z = SortedSet.create(0, 0, limits);
      const model = new Map<string, number>();
      for (let step = 0; step < 3000; step++) {
        const op = random();
        // Members up to 10 bytes; a few longer than maxValue 8 force a conversion.
        const m = `m${Math.floor(random() * 120)}${random() < 0.02 ? 'long-member' : ''}`;
        const s = Math.floor(random() * 20) - 10;
        if (op < 0.45) {
          const flags = random() < 0.2 ? ZADD_INCR : 0;
          const before = model.get(m);
          const outcome = z.add(s, m, flags, limits);
          const next = flags === ZADD_INCR ? (before ?? 0) + s : s;
          model.set(m, next);
          expect(outcome).toBe(before === undefined ? ZADD_ADDED : before === next ? 0 : ZADD_UPDATED);
        } else if (op < 0.6) {
          expect(z.remove(m)).toBe(model.delete(m));
        } else if (op < 0.65 && model.size > 0) {
          const max = random() < 0.5;
          const expected = sortedModel(model)[max ? model.size - 1 : 0];
          expect(z.pop(max)).toEqual(expected);
          model.delete(expected[0]);
        } else if (op < 0.75) {
          const sorted = sortedModel(model);
          const start = Math.floor(random() * (sorted.length + 1));
          const end = Math.min(sorted.length - 1, start + Math.floor(random() * 10));
          if (start <= end) {
            expect(collect((e) => z.rangeByRank(start, end, false, e))).toEqual(sorted.slice(start, end + 1));
            expect(collect((e) => z.rangeByRank(start, end, true, e))).toEqual([...sorted].reverse().slice(start, end + 1));
          }
          const r = z.rank(m, false);
          expect(r).toBe(sorted.findIndex(([pm]) => pm === m));
          if (r >= 0) expect(z.rank(m, true)).toBe(sorted.length - 1 - r);
        } else if (op < 0.88) {
          const a = Math.floor(random() * 24) - 12;
          const range: ScoreRange = { min: a, max: a + Math.floor(random() * 8), minex: random() < 0.3, maxex: random() < 0.3 };
          const inRange = sortedModel(model).filter(([, ps]) => (range.minex ? ps > range.min : ps >= range.min) && (range.maxex ? ps < range.max : ps <= range.max));
          const offset = Math.floor(random() * 3);
          const limit = random() < 0.5 ? -1 : Math.floor(random() * 5);
          const expected = inRange.slice(offset, limit < 0 ? undefined : offset + limit);
          expect(collect((e) => z.rangeByScore(range, false, offset, limit, e))).toEqual(expected);
          expect(collect((e) => z.rangeByScore(range, true, offset, limit, e))).toEqual(
            [...inRange].reverse().slice(offset, limit < 0 ? undefined : offset + limit),
          );
          expect(z.countInScoreRange(range)).toBe(inRange.length);
          if (random() < 0.1) {
            expect(z.removeRangeByScore(range)).toBe(inRange.length);
            for (const [pm] of inRange) model.delete(pm);
          }
        } else if (op < 0.93) {
          const sorted = sortedModel(model);
          const start = Math.floor(random() * (sorted.length + 1));
          const end = Math.min(sorted.length - 1, start + Math.floor(random() * 3));
          if (start <= end) {
            expect(z.removeRangeByRank(start, end)).toBe(end - start + 1);
            for (const [pm] of sorted.slice(start, end + 1)) model.delete(pm);
          }
        }
        expect(z.size()).toBe(model.size);
        if (step % 300 === 0) expect(collect((e) => z.forEach(e))).toEqual(sortedModel(model));
      }
      expect(collect((e) => z.forEach(e))).toEqual(sortedModel(model));
      if (limits.maxEntries === 40) expect(z.encoding()).toBe('skiplist');
      if (limits.maxEntries === 100000) expect(z.encoding()).toBe('listpack');
      const copy = z.clone();
      z.add(1000, 'only-in-original', 0, limits);
      expect(copy.size()).toBe(model.size);
      expect(copy.encoding()).toBe(z.encoding());
    });
  }

  test('lexicographic ranges over equal scores, both encodings', () => {
    for (const maxEntries of [128, 0]) {
      const limits = { maxEntries, maxValue: 64 };
      const z = SortedSet.create(0, 0, limits);
      const words = ['', 'a', 'ab', 'abc', 'b', 'ba', 'c', '\u00ff'];
      for (const w of words) z.add(0, w, 0, limits);
      const range = parseLexRange('(a', '[ba');
      if (range === undefined) throw new Error('range');
      expect(collect((e) => z.rangeByLex(range, false, 0, -1, e)).map(([m]) => m)).toEqual(['ab', 'abc', 'b', 'ba']);
      expect(collect((e) => z.rangeByLex(range, true, 1, 2, e)).map(([m]) => m)).toEqual(['b', 'abc']);
      expect(z.countInLexRange(range)).toBe(4);
      const all = parseLexRange('-', '+');
      if (all === undefined) throw new Error('range');
      expect(z.countInLexRange(all)).toBe(words.length);
      expect(z.removeRangeByLex(range)).toBe(4);
      expect(collect((e) => z.forEach(e)).map(([m]) => m)).toEqual(['', 'a', 'c', '\u00ff']);
    }
  });
});

describe('listpack score moves', () => {
  test('zlMove gives the string zlCut then zlInsert give, for every pair and many new scores', () => {
    const random = mulberry32(7);
    for (let round = 0; round < 30; round++) {
      const pairs: Pair[] = [];
      const size = 1 + Math.floor(random() * 12);
      for (let i = 0; i < size; i++) pairs.push([`user:${Math.floor(random() * 50)}`, Math.floor(random() * 6) - 2 + (random() < 0.2 ? 0.5 : 0)]);
      let lp = '';
      const seen = new Set<string>();
      for (const [m, s] of pairs) {
        if (seen.has(m)) continue;
        seen.add(m);
        lp = zlInsert(lp, m, s);
      }
      for (let at = 0; at < lp.length; at = zlNext(lp, at)) {
        const member = zlMemberAt(lp, at);
        for (const score of [-3, -2, -1, 0, 0.5, 1, 2, 3, 4, Infinity, -Infinity, zlScoreAt(lp, at)]) {
          const next = zlNext(lp, at);
          expect(zlMove(lp, at, next, member, score, zlScoreAt(lp, at))).toBe(zlInsert(zlCut(lp, at, next), member, score));
        }
      }
    }
  });
});
