/**
 * Bytes as latin1 (one char per byte) strings: how keys and values are kept.
 *
 * Up to 16 bytes, String.fromCharCode with one argument per byte makes the string: V8 builds it
 * in JS-land as one flat one-byte string, 20-40 ns against ~75-80 ns for a call into Buffer's
 * native decoder (measured on this machine for 3, 13 and 16 bytes). Most keys, fields and values
 * of a cache are that short. Longer ones go to Buffer's own latin1 decoder, the native function
 * `buf.toString('latin1', s, e)` ends in, called directly when this Node has it: that skips
 * toString's argument checks and encoding lookup (a few % of a GET).
 */
interface Latin1Decoder {
  latin1Slice(start: number, end: number): string;
}
const HAS_LATIN1_SLICE = typeof (Buffer.prototype as unknown as Partial<Latin1Decoder>).latin1Slice === 'function';

const fcc = String.fromCharCode;

/** Bytes [start, end) of `buf` as a latin1 (one char per byte) string. */
export function latin1(buf: Buffer, start: number, end: number): string {
  const b = buf;
  const s = start;
  switch (end - s) {
    case 0:
      return '';
    case 1:
      return fcc(b[s]);
    case 2:
      return fcc(b[s], b[s + 1]);
    case 3:
      return fcc(b[s], b[s + 1], b[s + 2]);
    case 4:
      return fcc(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5:
      return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6:
      return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7:
      return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    case 8:
      return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
    case 9:
      return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8]);
    case 10:
      return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9]);
    case 11:
      return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10]);
    case 12:
      return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11]);
    case 13:
      return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12]);
    case 14:
      return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13]);
    case 15:
      return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14]);
    case 16:
      return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15]);
    default:
      return HAS_LATIN1_SLICE ? (buf as unknown as Latin1Decoder).latin1Slice(start, end) : buf.toString('latin1', start, end);
  }
}
