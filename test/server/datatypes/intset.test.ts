import {
  EMPTY_INTSET,
  intsetAdd,
  intsetGet,
  intsetHas,
  intsetLength,
  intsetMaxDigits,
  intsetRemove,
  intsetSearch,
  intsetWidth,
  type Intset,
} from '../../../lib/server/datatypes/intset';
import type { Int64 } from '../../../lib/server/util/int64';

function build(values: Int64[]): Intset {
  let set = EMPTY_INTSET;
  for (const v of values) set = intsetAdd(set, v) ?? set;
  return set;
}

const all = (set: Intset): string[] => Array.from({ length: intsetLength(set) }, (_, i) => intsetGet(set, i));

test('keeps members sorted and distinct, two bytes each while they fit int16', () => {
  const set = build([5, -3, 100, 5, 0, -32768, 32767]);
  expect(all(set)).toEqual(['-32768', '-3', '0', '5', '100', '32767']);
  expect(intsetWidth(set)).toBe(2);
  expect(set.length).toBe(1 + 6 * 2);
  expect(intsetAdd(set, 5)).toBeUndefined();
});

test('upgrades to 4 and 8 bytes (never back) and keeps order across the upgrade', () => {
  let set = build([1, -1]);
  set = intsetAdd(set, 40000) as Intset;
  expect(intsetWidth(set)).toBe(4);
  set = intsetAdd(set, -2147483649) as Intset;
  expect(intsetWidth(set)).toBe(8);
  expect(all(set)).toEqual(['-2147483649', '-1', '1', '40000']);
  set = intsetRemove(set, -2147483649) as Intset;
  expect(intsetWidth(set)).toBe(8);
  expect(all(set)).toEqual(['-1', '1', '40000']);
});

test('the int64 edges, as bigint beyond 2^53', () => {
  const edges: Int64[] = [-9223372036854775808n, 9223372036854775807n, 9007199254740993n, -9007199254740993n, 2 ** 53 - 1];
  const set = build(edges);
  expect(all(set)).toEqual([
    '-9223372036854775808',
    '-9007199254740993',
    '9007199254740991',
    '9007199254740993',
    '9223372036854775807',
  ]);
  for (const e of edges) expect(intsetHas(set, e)).toBe(true);
  expect(intsetHas(set, 9007199254740992n)).toBe(false);
  expect(intsetMaxDigits(set)).toBe(20);
});

test('search reports the insertion point; values wider than the set are never members', () => {
  const set = build([10, 20, 30]);
  expect(intsetSearch(set, 20)).toBe(1);
  expect(intsetSearch(set, 25)).toBe(-3);
  expect(intsetSearch(set, 5)).toBe(-1);
  expect(intsetSearch(set, 100000)).toBe(-4);
  expect(intsetSearch(set, -100000)).toBe(-1);
  expect(intsetRemove(set, 25)).toBeUndefined();
});

test('random adds and removes agree with a sorted model', () => {
  let set = EMPTY_INTSET;
  const model = new Set<number>();
  let seed = 7;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  for (let i = 0; i < 3000; i++) {
    const scale = [100, 70000, 5e12][next() % 3];
    const v = (next() % (2 * scale)) - scale;
    if (next() % 3 === 0) {
      const removed = intsetRemove(set, v);
      expect(removed !== undefined).toBe(model.delete(v));
      if (removed !== undefined) set = removed;
    } else {
      const added = intsetAdd(set, v);
      expect(added !== undefined).toBe(!model.has(v));
      model.add(v);
      if (added !== undefined) set = added;
    }
  }
  expect(all(set)).toEqual([...model].sort((a, b) => a - b).map(String));
});
