import {
  lpDeleteAt,
  lpEntries,
  lpEqualsAt,
  lpFindOffset,
  lpFindOffsetBytes,
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

test('finds an entry from its bytes as from its string, at every step', () => {
  // The bytes sit inside a larger buffer, as a request's argument does in the read buffer.
  const inBuffer = (value: string): [Buffer, number, number] => {
    const before = '*3\r\n$4\r\nHGET\r\n$2\r\n';
    return [Buffer.from(`${before}${value}\r\nf1v1`, 'latin1'), before.length, before.length + value.length];
  };
  for (const value of ['f1', 'v1', 'x', LONG, '', 'last', 'nope', 'f', 'f12', 'y'.repeat(199)]) {
    const [buf, start, end] = inBuffer(value);
    for (const step of [1, 2]) expect(lpFindOffsetBytes(lp, buf, start, end, step)).toBe(lpFindOffset(lp, value, step));
  }
  expect(lpFindOffsetBytes('', Buffer.from('a'), 0, 1)).toBe(-1);
});

test('a listpack hash gets and sets fields from their bytes', () => {
  const limits = { maxListpackEntries: 3, maxListpackValue: 8 };
  const hash = HashValue.fromPairs(['a', '1', 'bb', '2'], limits);
  const buf = Buffer.from('..bb..a..cc..zz..longfield', 'latin1');
  expect(hash.getBytes(buf, 2, 4)).toBe('2');
  expect(hash.getBytes(buf, 6, 7)).toBe('1');
  expect(hash.getBytes(buf, 9, 11)).toBeUndefined();
  // An existing field's value is replaced in place; a new one is appended.
  expect(hash.setBytes(buf, 2, 4, 'two', limits)).toBe(false);
  expect(hash.setBytes(buf, 9, 11, '3', limits)).toBe(true);
  expect(hash.flatten()).toEqual(['a', '1', 'bb', 'two', 'cc', '3']);
  expect(hash.encoding()).toBe('listpack');
  // A fourth pair is one more than the listpack may hold; a field longer than its values may be converts too.
  expect(hash.setBytes(buf, 13, 15, '4', limits)).toBe(true);
  expect(hash.encoding()).toBe('hashtable');
  expect(hash.getBytes(buf, 13, 15)).toBe('4');
  const long = HashValue.fromPairs(['a', '1'], limits);
  expect(long.setBytes(buf, 17, 26, 'v', limits)).toBe(true);
  expect(long.encoding()).toBe('hashtable');
  expect(long.flatten().sort()).toEqual(['1', 'a', 'longfield', 'v']);
});
