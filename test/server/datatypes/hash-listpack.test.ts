import {
  lpDeleteAt,
  lpEntries,
  lpEqualsAt,
  lpFindOffset,
  lpFlatten,
  lpFromEntries,
  lpLengthAt,
  lpNextOffset,
  lpReplaceAt,
  lpStringAt,
} from '../../../lib/server/datatypes/listpack';
import { HashValue } from '../../../lib/server/datatypes/hash';

// The listpack offset cursor that hashes (and sets) use: walk, find, replace and delete by offset.
const LONG = 'y'.repeat(200);
const lp = lpFromEntries(['f1', 'v1', 'v1', 'f1', LONG, '', 'last', 'x']);

test('walks entries by offset, including two-byte prefixes', () => {
  const seen: string[] = [];
  for (let pos = 0; pos < lp.length; pos = lpNextOffset(lp, pos)) seen.push(lpStringAt(lp, pos));
  expect(seen).toEqual(lpEntries(lp));
  const longAt = lpFindOffset(lp, LONG);
  expect(lpLengthAt(lp, longAt)).toBe(200);
  expect(lpEqualsAt(lp, longAt, LONG)).toBe(true);
  expect(lpEqualsAt(lp, longAt, 'y')).toBe(false);
});

test('finds among every step-th entry only (fields of a pair listpack)', () => {
  expect(lpFindOffset(lp, 'f1', 2)).toBe(0);
  expect(lpFindOffset(lp, 'v1', 2)).toBe(lpNextOffset(lp, lpNextOffset(lp, 0)));
  expect(lpFindOffset(lp, 'x', 2)).toBe(-1);
  expect(lpFindOffset(lp, 'x')).toBeGreaterThan(0);
  expect(lpFindOffset(lp, 'nope')).toBe(-1);
  expect(lpFindOffset('', 'a')).toBe(-1);
});

test('replaces and deletes by offset', () => {
  const at = lpFindOffset(lp, LONG);
  expect(lpEntries(lpReplaceAt(lp, at, 'short'))).toEqual(['f1', 'v1', 'v1', 'f1', 'short', '', 'last', 'x']);
  expect(lpEntries(lpDeleteAt(lp, at, 2))).toEqual(['f1', 'v1', 'v1', 'f1', 'last', 'x']);
  expect(lpEntries(lpDeleteAt(lp, 0, 2))).toEqual(['v1', 'f1', LONG, '', 'last', 'x']);
  expect(lpEntries(lpDeleteAt(lp, lpFindOffset(lp, 'last'), 2))).toEqual(['f1', 'v1', 'v1', 'f1', LONG, '']);
  expect(lpFlatten(lp)).toBe(lp);
});

test('a listpack hash finds fields, not values that look like fields', () => {
  const limits = { maxListpackEntries: 128, maxListpackValue: 64 };
  const hash = HashValue.fromPairs(['a', 'b', 'b', 'c'], limits);
  expect(hash.get('b')).toBe('c');
  expect(hash.get('c')).toBeUndefined();
  expect(hash.set('c', 'd', limits)).toBe(true);
  expect(hash.flatten()).toEqual(['a', 'b', 'b', 'c', 'c', 'd']);
  expect(hash.delete('b')).toBe(true);
  expect(hash.flatten()).toEqual(['a', 'b', 'c', 'd']);
  expect(hash.valueLength('a')).toBe(1);
  expect(hash.encoding()).toBe('listpack');
});
