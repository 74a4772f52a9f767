/**
 * Bytes as latin1 (one char per byte) strings: how keys and values are kept.
 *
 * Buffer's own latin1 decoder, the native function `buf.toString('latin1', s, e)` ends in, is
 * called directly when this Node has it: that skips toString's argument checks and encoding
 * lookup (a few % of a GET).
 */
interface Latin1Decoder {
  latin1Slice(start: number, end: number): string;
}
const HAS_LATIN1_SLICE = typeof (Buffer.prototype as unknown as Partial<Latin1Decoder>).latin1Slice === 'function';

/** Bytes [start, end) of `buf` as a latin1 (one char per byte) string. */
export function latin1(buf: Buffer, start: number, end: number): string {
  return HAS_LATIN1_SLICE ? (buf as unknown as Latin1Decoder).latin1Slice(start, end) : buf.toString('latin1', start, end);
}
