import { latin1 } from '../../../lib/server/util/latin1';

/** Buffer's own decoder is the reference: one char per byte, every byte value. */
function reference(buf: Buffer, start: number, end: number): string {
  return buf.toString('latin1', start, end);
}

describe('latin1', () => {
  // Every byte value, so bytes above 0x7f (where utf8 would differ) and NUL are covered.
  const bytes = Buffer.alloc(600);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 0xff;

  test('every length from 0 to 40, at every offset of a window, equals Buffer.toString latin1', () => {
    for (let length = 0; length <= 40; length++) {
      for (let start = 0; start < 300; start += 7) {
        const got = latin1(bytes, start, start + length);
        expect(got.length).toBe(length);
        expect(got).toBe(reference(bytes, start, start + length));
      }
    }
  });

  test('all 256 byte values round-trip through the short (char by char) and long (native) forms', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    for (let start = 0; start < 256; start += 16) {
      const short = latin1(all, start, start + 16);
      expect(Buffer.from(short, 'latin1')).toEqual(all.subarray(start, start + 16));
    }
    expect(Buffer.from(latin1(all, 0, 256), 'latin1')).toEqual(all);
  });

  test('a long value is whole and exact', () => {
    expect(latin1(bytes, 0, 600)).toBe(reference(bytes, 0, 600));
  });
});
