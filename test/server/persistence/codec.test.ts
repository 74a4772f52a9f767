import { canonicalInteger, decodeIntset, decodeListpack, decodeZiplist, decodeZipmap, encodeListpack } from '../../../lib/server/persistence/blobs';
import { crc64, Crc64 } from '../../../lib/server/persistence/crc64';
import * as F from '../../../lib/server/persistence/format';
import { RdbInput } from '../../../lib/server/persistence/input';
import { lzfCompress, lzfDecompress } from '../../../lib/server/persistence/lzf';
import { RdbReader } from '../../../lib/server/persistence/reader';
import { MemorySink } from '../../../lib/server/persistence/sink';
import type { PlainValue } from '../../../lib/server/persistence/values';
import { RdbWriter } from '../../../lib/server/persistence/writer';

function written(fn: (w: RdbWriter) => void, compress = true): Buffer {
  const sink = new MemorySink();
  const w = new RdbWriter(sink, compress);
  fn(w);
  w.flush();
  return sink.contents();
}

function reader(data: Buffer): RdbReader {
  return new RdbReader(RdbInput.fromBuffer(data));
}

describe('CRC64 (Jones, as Redis)', () => {
  test('check value of "123456789"', () => {
    expect(crc64(Buffer.from('123456789')).toString(16)).toBe('e9c6d914c4b8d9ca');
  });
  test('incremental equals one pass', () => {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog, again and again');
    const c = new Crc64().update(data, 0, 10).update(data, 10, 33).update(data, 33);
    expect(c.value()).toBe(crc64(data));
    expect(crc64(Buffer.alloc(0))).toBe(0n);
  });
});

describe('LZF', () => {
  test.each([
    ['repetitive', Buffer.from('abcabcabcabcabcabcabcabcabcabcabcabcabcabcabc'.repeat(50))],
    ['zeros', Buffer.alloc(10000)],
    ['text', Buffer.from('Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor '.repeat(30))],
    ['long run past the 264-byte reference limit', Buffer.from('x'.repeat(5000) + 'y'.repeat(300) + 'x'.repeat(3000))],
  ])('%s round-trips and shrinks', (_name, input) => {
    const packed = lzfCompress(input);
    expect(packed).toBeDefined();
    expect((packed as Buffer).length).toBeLessThan(input.length);
    expect(lzfDecompress(packed as Buffer, input.length).equals(input)).toBe(true);
  });

  test('random data round-trips when it compresses and is refused when it does not', () => {
    let seed = 42;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    for (let n = 0; n < 200; n++) {
      const len = 5 + (n * 37) % 3000;
      const alphabet = 1 + (n % 6);
      const input = Buffer.alloc(len);
      for (let i = 0; i < len; i++) input[i] = n % 3 === 0 ? rnd() : 97 + (rnd() % alphabet);
      const packed = lzfCompress(input);
      if (packed !== undefined) {
        expect(packed.length).toBeLessThanOrEqual(len - 4);
        expect(lzfDecompress(packed, len).equals(input)).toBe(true);
      }
    }
  });

  test('malformed input is an error, never an out-of-bounds read', () => {
    expect(() => lzfDecompress(Buffer.from([0x20, 0x05]), 10)).toThrow('Invalid LZF');
    expect(() => lzfDecompress(Buffer.from([0x05, 0x61]), 6)).toThrow('Invalid LZF');
    expect(() => lzfDecompress(Buffer.from([0x00, 0x61]), 2)).toThrow('Invalid LZF');
  });
});

describe('lengths and strings', () => {
  test.each([
    [0, [0x00]],
    [63, [0x3f]],
    [64, [0x40, 0x40]],
    [16383, [0x7f, 0xff]],
    [16384, [0x80, 0x00, 0x00, 0x40, 0x00]],
    [0xffffffff, [0x80, 0xff, 0xff, 0xff, 0xff]],
    [2 ** 32, [0x81, 0, 0, 0, 1, 0, 0, 0, 0]],
  ])('length %d', (n, bytes) => {
    const data = written((w) => w.length(n));
    expect([...data]).toEqual(bytes);
    expect(reader(data).length()).toBe(n);
  });

  test.each([
    ['0', [0xc0, 0x00]],
    ['-1', [0xc0, 0xff]],
    ['127', [0xc0, 0x7f]],
    ['128', [0xc1, 0x80, 0x00]],
    ['-32768', [0xc1, 0x00, 0x80]],
    ['2147483647', [0xc2, 0xff, 0xff, 0xff, 0x7f]],
    ['2147483648', [0x0a, ...Buffer.from('2147483648')]],
    ['007', [0x03, ...Buffer.from('007')]],
    ['-0', [0x02, ...Buffer.from('-0')]],
    ['', [0x00]],
  ])('string %j uses the integer encoding only when it round-trips', (s, bytes) => {
    const data = written((w) => w.string(s));
    expect([...data]).toEqual(bytes);
    expect(reader(data).string()).toBe(s);
  });

  test('long compressible strings are LZF-encoded; binary bytes survive', () => {
    const s = 'hello world '.repeat(100);
    const data = written((w) => w.string(s));
    expect(data[0]).toBe(0xc3);
    expect(data.length).toBeLessThan(s.length);
    expect(reader(data).string()).toBe(s);
    const plain = written((w) => w.string(s), false);
    expect(plain.length).toBe(s.length + 2);
    const binary = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    expect(reader(written((w) => w.string(binary))).string()).toBe(binary);
  });

  test('old string doubles and binary doubles', () => {
    const data = Buffer.concat([Buffer.from([253, 254, 255, 3]), Buffer.from('1.5'), Buffer.from([4]), Buffer.from('-inf')]);
    const r = reader(data);
    expect(r.stringDouble()).toBeNaN();
    expect(r.stringDouble()).toBe(Infinity);
    expect(r.stringDouble()).toBe(-Infinity);
    expect(r.stringDouble()).toBe(1.5);
    expect(r.stringDouble()).toBe(-Infinity);
    const bin = written((w) => w.binaryDouble(3.25));
    expect(reader(bin).binaryDouble()).toBe(3.25);
  });
});

describe('packed blobs', () => {
  const entries = ['', 'a', '0', '127', '128', '-1', '-4096', '4095', '4096', '-32768', '32767', '32768', '8388607', '-8388608', '8388608',
    '2147483647', '2147483648', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '01', '+1', '-0', 'x'.repeat(63),
    'y'.repeat(64), 'z'.repeat(4095), 'w'.repeat(4096), 'v'.repeat(70000)];

  test('listpack round-trips every entry encoding', () => {
    const lp = encodeListpack(entries);
    expect(lp.readUInt32LE(0)).toBe(lp.length);
    expect(lp.readUInt16LE(4)).toBe(entries.length);
    expect(lp[lp.length - 1]).toBe(0xff);
    expect(decodeListpack(lp)).toEqual(entries);
    expect(decodeListpack(encodeListpack([]))).toEqual([]);
  });

  test('listpack integers use Redis’s integer encodings', () => {
    // 7-bit uint, 13-bit int, 16-bit int, string
    expect([...encodeListpack(['5'])]).toEqual([9, 0, 0, 0, 1, 0, 5, 1, 0xff]);
    expect([...encodeListpack(['-1'])]).toEqual([10, 0, 0, 0, 1, 0, 0xdf, 0xff, 2, 0xff]);
    expect([...encodeListpack(['ab'])]).toEqual([11, 0, 0, 0, 1, 0, 0x82, 0x61, 0x62, 3, 0xff]);
    expect(canonicalInteger('-0')).toBeUndefined();
    expect(canonicalInteger('12')).toBe(12n);
  });

  test('corrupt listpacks are refused', () => {
    const lp = encodeListpack(['hello', 'world']);
    expect(() => decodeListpack(lp.subarray(0, lp.length - 1))).toThrow();
    const bad = Buffer.from(lp);
    bad[6] = 0x8f; // string of 15 bytes where 5 are
    expect(() => decodeListpack(bad)).toThrow();
    const count = Buffer.from(lp);
    count.writeUInt16LE(3, 4);
    expect(() => decodeListpack(count)).toThrow('3 entries');
  });

  test('ziplist: strings of each length class and every integer encoding', () => {
    const parts: number[] = [];
    const entry = (enc: number[], prev = 0): void => {
      parts.push(prev, ...enc);
    };
    entry([0x02, 0x61, 0x62]); // "ab"
    entry([0x40 | 0x00, 0x41, ...Buffer.from('q'.repeat(65))]); // 14-bit length 65
    entry([0xc0, 0x34, 0x12]); // int16 0x1234
    entry([0xd0, 0xff, 0xff, 0xff, 0xff]); // int32 -1
    entry([0xe0, 1, 0, 0, 0, 0, 0, 0, 0]); // int64 1
    entry([0xf0, 0xff, 0xff, 0x7f]); // int24 8388607
    entry([0xfe, 0x80]); // int8 -128
    entry([0xf1]); // immediate 0
    entry([0xfd]); // immediate 12
    const body = Buffer.from(parts);
    const header = Buffer.alloc(10);
    const blob = Buffer.concat([header, body, Buffer.from([0xff])]);
    blob.writeUInt32LE(blob.length, 0);
    blob.writeUInt16LE(9, 8);
    expect(decodeZiplist(blob)).toEqual(['ab', 'q'.repeat(65), '4660', '-1', '1', '8388607', '-128', '0', '12']);
    blob.writeUInt32LE(blob.length + 1, 0);
    expect(() => decodeZiplist(blob)).toThrow();
  });

  test('intset of each width', () => {
    const i16 = Buffer.from([2, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 5, 0]);
    expect(decodeIntset(i16)).toEqual(['-1', '5']);
    const i64 = Buffer.alloc(16);
    i64.writeUInt32LE(8, 0);
    i64.writeUInt32LE(1, 4);
    i64.writeBigInt64LE(-9223372036854775808n, 8);
    expect(decodeIntset(i64)).toEqual(['-9223372036854775808']);
    expect(() => decodeIntset(Buffer.from([3, 0, 0, 0, 0, 0, 0, 0]))).toThrow('width');
  });

  test('zipmap (pre-2.6 hashes) with free bytes', () => {
    const blob = Buffer.from([2, 3, ...Buffer.from('foo'), 3, 1, ...Buffer.from('bar'), 0, 1, ...Buffer.from('k'), 1, 0, ...Buffer.from('v'), 0xff]);
    expect(decodeZipmap(blob)).toEqual(['foo', 'bar', 'k', 'v']);
  });
});

describe('values round-trip through writer and reader', () => {
  const values: Array<[number, PlainValue]> = [
    [F.RDB_TYPE_STRING, { kind: 'string', value: 'v'.repeat(100) }],
    [F.RDB_TYPE_LIST_QUICKLIST_2, { kind: 'list', items: Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? String(i) : `item-${i}`)) }],
    [F.RDB_TYPE_SET, { kind: 'set', members: ['a', '1', 'bb'] }],
    [F.RDB_TYPE_HASH, { kind: 'hash', pairs: ['f1', 'v1', 'f2', '22'] }],
    [F.RDB_TYPE_ZSET_2, { kind: 'zset', members: ['m1', 'm2', 'm3'], scores: [1.5, -Infinity, 1e300] }],
  ];
  test.each(values)('type %d', (type, value) => {
    const data = written((w) => {
      w.byte(type);
      w.value(value);
    });
    const r = reader(data);
    expect(r.value(r.byte())).toEqual(value);
  });

  test('a whole file: header, aux, dbs, expiry, EOF and checksum; a flipped byte is caught', () => {
    const data = written((w) => {
      w.header();
      w.aux('redis-ver', '7.0.0');
      w.selectDb(0);
      w.resizeDb(2, 1);
      w.keyValue('a', { kind: 'string', value: '1' }, 1893456000000);
      w.keyValue('b', { kind: 'list', items: ['x'] }, undefined);
      w.selectDb(5);
      w.keyValue('c', { kind: 'string', value: 'z' }, undefined);
      w.eof();
    });
    const seen: Array<[number, string, number | undefined]> = [];
    const aux: string[] = [];
    const r = reader(data);
    expect(r.header()).toBe(10);
    r.body({ aux: (k, v) => aux.push(`${k}=${v}`), key: (rec) => seen.push([rec.db, rec.key, rec.expireAt]) });
    expect(aux).toEqual(['redis-ver=7.0.0']);
    expect(seen).toEqual([[0, 'a', 1893456000000], [0, 'b', undefined], [5, 'c', undefined]]);
    const bad = Buffer.from(data);
    bad[30] ^= 1;
    expect(() => {
      const r2 = reader(bad);
      r2.header();
      r2.body({ key: () => undefined });
    }).toThrow();
  });
});
