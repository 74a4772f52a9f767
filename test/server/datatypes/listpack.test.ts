import {
  EMPTY_LISTPACK,
  lpAppend,
  lpDelete,
  lpEntries,
  lpForEach,
  lpFromEntries,
  lpGet,
  lpIndexOf,
  lpInsert,
  lpReplace,
} from '../../../lib/server/datatypes/listpack';

/** Entries of every prefix size: empty, one byte, the 127/128 boundary, two- and three-byte prefixes, binary. */
const SAMPLES = ['', 'a', 'x'.repeat(127), 'y'.repeat(128), 'z'.repeat(16383), 'w'.repeat(16384), '\u0000\u00ff\r\n', '12345'];

test('round-trips entries of every prefix length, including binary bytes', () => {
  const lp = lpFromEntries(SAMPLES);
  expect(lpEntries(lp)).toEqual(SAMPLES);
  SAMPLES.forEach((s, i) => expect(lpGet(lp, i)).toBe(s));
  expect(lpGet(lp, SAMPLES.length)).toBeUndefined();
});

test('is compact: one prefix byte per entry up to 127 bytes', () => {
  expect(lpFromEntries(['ab', 'cde']).length).toBe(2 + 1 + 3 + 1);
  expect(lpFromEntries(['y'.repeat(128)]).length).toBe(128 + 2);
});

test('finds entries by value with a step and an offset (fields or values of a pair listpack)', () => {
  const lp = lpFromEntries(['f1', 'v1', 'f2', 'f1', 'f3', 'v3']);
  expect(lpIndexOf(lp, 'f1')).toBe(0);
  expect(lpIndexOf(lp, 'f1', 2)).toBe(0);
  expect(lpIndexOf(lp, 'f1', 2, 1)).toBe(3);
  expect(lpIndexOf(lp, 'v3', 2)).toBe(-1);
  expect(lpIndexOf(lp, 'v3', 2, 1)).toBe(5);
  expect(lpIndexOf(lp, 'f')).toBe(-1);
});

test('appends, inserts, replaces and deletes without disturbing neighbours', () => {
  let lp = lpAppend(EMPTY_LISTPACK, 'a', 'c');
  lp = lpInsert(lp, 1, ['b']);
  lp = lpInsert(lp, 0, ['start']);
  lp = lpInsert(lp, 4, ['end']);
  expect(lpEntries(lp)).toEqual(['start', 'a', 'b', 'c', 'end']);
  lp = lpReplace(lp, 2, 'B'.repeat(200));
  expect(lpEntries(lp)).toEqual(['start', 'a', 'B'.repeat(200), 'c', 'end']);
  lp = lpDelete(lp, 1, 2);
  expect(lpEntries(lp)).toEqual(['start', 'c', 'end']);
  lp = lpDelete(lp, 2, 10);
  expect(lpEntries(lp)).toEqual(['start', 'c']);
  expect(() => lpInsert(lp, 5, ['x'])).toThrow(RangeError);
  expect(() => lpReplace(lp, 2, 'x')).toThrow(RangeError);
});

test('forEach stops when the visitor returns false', () => {
  const seen: string[] = [];
  lpForEach(lpFromEntries(['a', 'b', 'c']), (e, i) => {
    seen.push(`${i}:${e}`);
    return i < 1;
  });
  expect(seen).toEqual(['0:a', '1:b']);
});
