/**
 * The order-statistic B+tree against a naive sorted array, under thousands of seeded random
 * inserts, deletes, score updates, rank and range queries, with every structural invariant
 * checked along the way.
 */
import { comparePairs, ScoreTree } from '../../../lib/server/datatypes/zset-tree';
import { mulberry32 } from '../../support/seeded-random';


type Pair = [number, string];

class NaiveModel {
  public pairs: Pair[] = [];
  public insert(score: number, member: string): void {
    this.pairs.push([score, member]);
    this.pairs.sort((a, b) => comparePairs(a[0], a[1], b[0], b[1]));
  }
  public delete(score: number, member: string): boolean {
    const i = this.pairs.findIndex(([s, m]) => s === score && m === member);
    if (i < 0) return false;
    this.pairs.splice(i, 1);
    return true;
  }
  public rank(score: number, member: string): number {
    return this.pairs.findIndex(([s, m]) => s === score && m === member);
  }
}

function treePairs(tree: ScoreTree): Pair[] {
  const out: Pair[] = [];
  tree.forEach((s, m) => {
    out.push([s, m]);
  });
  return out;
}

describe('ScoreTree', () => {
  test('orders by score, then member bytes (a prefix first)', () => {
    expect(comparePairs(1, 'b', 2, 'a')).toBeLessThan(0);
    expect(comparePairs(1, 'ab', 1, 'b')).toBeLessThan(0);
    expect(comparePairs(1, 'a', 1, 'ab')).toBeLessThan(0);
    expect(comparePairs(1, '\u00ff', 1, 'z')).toBeGreaterThan(0);
    expect(comparePairs(-Infinity, 'z', -1e308, 'a')).toBeLessThan(0);
    expect(comparePairs(1, 'a', 1, 'a')).toBe(0);
  });

  test('an empty tree', () => {
    const tree = new ScoreTree();
    expect(tree.size).toBe(0);
    expect(tree.seek(0).leaf).toBeUndefined();
    expect(tree.countBefore(() => true)).toBe(0);
    expect(tree.delete(1, 'a')).toBe(false);
    tree.check();
  });

  for (const seed of [1, 2, 3, 42]) {
    test(`random operations match a sorted array (seed ${seed})`, () => {
      const random = mulberry32(seed);
      const tree = new ScoreTree();
      const model = new NaiveModel();
      const scores = new Map<string, number>();
      const member = (): string => `m${Math.floor(random() * 3000)}`;
      // Few distinct scores, so ties ordered by member matter.
      const score = (): number => Math.floor(random() * 40) - 20 + (random() < 0.1 ? 0.5 : 0);
      for (let step = 0; step < 6000; step++) {
        const op = random();
        const m = member();
        const current = scores.get(m);
        if (op < 0.5) {
          const s = score();
          if (current === undefined) {
            tree.insert(s, m);
            model.insert(s, m);
          } else {
            tree.update(current, s, m);
            model.delete(current, m);
            model.insert(s, m);
          }
          scores.set(m, s);
        } else if (op < 0.75) {
          const removed = current !== undefined && tree.delete(current, m);
          expect(removed).toBe(current !== undefined && model.delete(current, m));
          if (current !== undefined) scores.delete(m);
          expect(tree.delete(1000, m)).toBe(false);
        } else if (op < 0.85 && current !== undefined) {
          expect(tree.rank(current, m)).toBe(model.rank(current, m));
        } else if (op < 0.95 && model.pairs.length > 0) {
          // Seek by rank and walk a few steps either way.
          const r = Math.floor(random() * model.pairs.length);
          const cursor = tree.seek(r);
          for (let k = 0; k < 5 && r + k < model.pairs.length; k++) {
            expect([tree.scoreAt(cursor), tree.memberAt(cursor)]).toEqual(model.pairs[r + k]);
            ScoreTree.next(cursor);
          }
          const back = tree.seek(r);
          for (let k = 0; k < 5 && r - k >= 0; k++) {
            expect([tree.scoreAt(back), tree.memberAt(back)]).toEqual(model.pairs[r - k]);
            ScoreTree.prev(back);
          }
        } else {
          // Lower bounds by score (inclusive and exclusive) and by member.
          const s = score();
          expect(tree.countBefore((ps) => ps < s)).toBe(model.pairs.filter(([ps]) => ps < s).length);
          expect(tree.countBefore((ps) => ps <= s)).toBe(model.pairs.filter(([ps]) => ps <= s).length);
        }
        expect(tree.size).toBe(model.pairs.length);
        if (step % 500 === 0) {
          tree.check();
          expect(treePairs(tree)).toEqual(model.pairs);
        }
      }
      tree.check();
      expect(treePairs(tree)).toEqual(model.pairs);
      // Drain completely: merges and root collapse down to an empty leaf.
      for (const [s, m] of [...model.pairs]) {
        expect(tree.delete(s, m)).toBe(true);
      }
      expect(tree.size).toBe(0);
      tree.check();
    });
  }

  test('a cursor walks off both ends', () => {
    const tree = new ScoreTree();
    for (let i = 0; i < 500; i++) tree.insert(i, `m${i}`);
    const last = tree.seek(499);
    ScoreTree.next(last);
    expect(last.leaf).toBeUndefined();
    const first = tree.seek(0);
    ScoreTree.prev(first);
    expect(first.leaf).toBeUndefined();
    expect(tree.seek(500).leaf).toBeUndefined();
    expect(tree.seek(-1).leaf).toBeUndefined();
  });

  test('rank and seek stay O(log n): 100,000 members in a tree of logarithmic height', () => {
    const tree = new ScoreTree();
    const n = 100000;
    for (let i = 0; i < n; i++) tree.insert((i * 7919) % n, `m${i}`);
    for (let i = 0; i < n; i += 7) expect(tree.memberAt(tree.seek(tree.rank((i * 7919) % n, `m${i}`)))).toBe(`m${i}`);
    tree.check();
    // Nodes never hold fewer than 16 entries (a quarter of 64) once split, so the height is bounded
    // by 1 + log16(n / 16) = 5 levels here; a tree that degenerated into a list would be far taller.
    expect(tree.height).toBeGreaterThan(1);
    expect(tree.height).toBeLessThanOrEqual(1 + Math.ceil(Math.log(n / 16) / Math.log(16)));
    // Deleting most members keeps it balanced too.
    for (let i = 0; i < n; i++) if (i % 10 !== 0) tree.delete((i * 7919) % n, `m${i}`);
    tree.check();
    expect(tree.size).toBe(n / 10);
    expect(tree.height).toBeLessThanOrEqual(1 + Math.ceil(Math.log(n / 16) / Math.log(16)));
  });
});
