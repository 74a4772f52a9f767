/**
 * Redis's packed binary containers, as they appear inside RDB string blobs: listpack
 * (valkey src/listpack.c), ziplist (src/ziplist.c, RDB ≤ 9), intset (src/intset.c) and zipmap
 * (hashes of RDB 1–3). Decoders return every element as a latin1 string (integers in decimal,
 * as Redis's lpGet/ziplistGet render them) and check every length against the blob, so a
 * corrupt blob is an error, never an out-of-bounds read. The listpack encoder is what we write
 * quicklist nodes with.
 */

import { latin1 } from '../util/latin1';

/** A malformed blob; the caller adds where in the file it was. */
export class BlobError extends Error {}

function fail(what: string): never {
  throw new BlobError(what);
}

function text(blob: Buffer, start: number, end: number): string {
  return latin1(blob, start, end);
}

// ---- listpack ----------------------------------------------------------------------------------

const LP_HEADER = 6;
const LP_EOF = 0xff;

/** Bytes the backlen of an entry of `len` bytes takes (listpack.c lpEncodeBacklen). */
function backlenSize(len: number): number {
  if (len <= 127) return 1;
  if (len < 16383) return 2;
  if (len < 2097151) return 3;
  if (len < 268435455) return 4;
  return 5;
}

/** Every entry of a binary listpack. */
export function decodeListpack(blob: Buffer): string[] {
  if (blob.length < LP_HEADER + 1) fail('listpack shorter than its header');
  const total = blob.readUInt32LE(0);
  if (total !== blob.length) fail(`listpack header says ${total} bytes, blob has ${blob.length}`);
  const declared = blob.readUInt16LE(4);
  const out: string[] = [];
  let p = LP_HEADER;
  const end = blob.length - 1;
  while (p < end) {
    const b = blob[p];
    let encLen: number;
    let value: string;
    if (b < 0x80) {
      value = String(b);
      encLen = 1;
    } else if ((b & 0xc0) === 0x80) {
      const len = b & 0x3f;
      encLen = 1 + len;
      if (p + encLen > end) fail('listpack string runs past the end');
      value = text(blob, p + 1, p + encLen);
    } else if ((b & 0xe0) === 0xc0) {
      if (p + 2 > end) fail('listpack integer runs past the end');
      let v = ((b & 0x1f) << 8) | blob[p + 1];
      if (v >= 1 << 12) v -= 1 << 13;
      value = String(v);
      encLen = 2;
    } else if ((b & 0xf0) === 0xe0) {
      if (p + 2 > end) fail('listpack string runs past the end');
      const len = ((b & 0x0f) << 8) | blob[p + 1];
      encLen = 2 + len;
      if (p + encLen > end) fail('listpack string runs past the end');
      value = text(blob, p + 2, p + encLen);
    } else if (b === 0xf0) {
      if (p + 5 > end) fail('listpack string runs past the end');
      const len = blob.readUInt32LE(p + 1);
      encLen = 5 + len;
      if (p + encLen > end) fail('listpack string runs past the end');
      value = text(blob, p + 5, p + encLen);
    } else if (b === 0xf1) {
      if (p + 3 > end) fail('listpack integer runs past the end');
      value = String(blob.readInt16LE(p + 1));
      encLen = 3;
    } else if (b === 0xf2) {
      if (p + 4 > end) fail('listpack integer runs past the end');
      value = String(blob.readIntLE(p + 1, 3));
      encLen = 4;
    } else if (b === 0xf3) {
      if (p + 5 > end) fail('listpack integer runs past the end');
      value = String(blob.readInt32LE(p + 1));
      encLen = 5;
    } else if (b === 0xf4) {
      if (p + 9 > end) fail('listpack integer runs past the end');
      value = blob.readBigInt64LE(p + 1).toString();
      encLen = 9;
    } else {
      fail(`listpack entry with unknown encoding byte 0x${b.toString(16)}`);
    }
    out.push(value);
    p += encLen + backlenSize(encLen);
  }
  if (p !== end || blob[end] !== LP_EOF) fail('listpack does not end with its terminator');
  if (declared !== 0xffff && declared !== out.length) fail(`listpack header says ${declared} entries, found ${out.length}`);
  return out;
}

/** The int64 a string denotes when it is one in canonical form (Redis's string2ll), else undefined. */
export function canonicalInteger(s: string): bigint | undefined {
  const n = s.length;
  if (n === 0 || n > 20) return undefined;
  let i = 0;
  if (s.charCodeAt(0) === 45 /* - */) {
    if (n === 1) return undefined;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48 /* 0 */) return n === 1 ? 0n : undefined;
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return undefined;
  }
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return undefined;
  return v;
}

/** Appends one entry (encoding, data, backlen) to `parts`; returns its byte size. */
function encodeListpackEntry(entry: string, parts: Buffer[]): number {
  const asInt = entry.length <= 20 ? canonicalInteger(entry) : undefined;
  let head: Buffer;
  if (asInt !== undefined) {
    const v = asInt;
    if (v >= 0n && v <= 127n) {
      head = Buffer.from([Number(v)]);
    } else if (v >= -4096n && v <= 4095n) {
      const u = Number(v) & 0x1fff;
      head = Buffer.from([0xc0 | (u >> 8), u & 0xff]);
    } else if (v >= -32768n && v <= 32767n) {
      head = Buffer.allocUnsafe(3);
      head[0] = 0xf1;
      head.writeInt16LE(Number(v), 1);
    } else if (v >= -8388608n && v <= 8388607n) {
      head = Buffer.allocUnsafe(4);
      head[0] = 0xf2;
      head.writeIntLE(Number(v), 1, 3);
    } else if (v >= -2147483648n && v <= 2147483647n) {
      head = Buffer.allocUnsafe(5);
      head[0] = 0xf3;
      head.writeInt32LE(Number(v), 1);
    } else {
      head = Buffer.allocUnsafe(9);
      head[0] = 0xf4;
      head.writeBigInt64LE(v, 1);
    }
  } else {
    const len = entry.length;
    if (len < 64) {
      head = Buffer.allocUnsafe(1 + len);
      head[0] = 0x80 | len;
      head.write(entry, 1, 'latin1');
    } else if (len < 4096) {
      head = Buffer.allocUnsafe(2 + len);
      head[0] = 0xe0 | (len >> 8);
      head[1] = len & 0xff;
      head.write(entry, 2, 'latin1');
    } else {
      head = Buffer.allocUnsafe(5 + len);
      head[0] = 0xf0;
      head.writeUInt32LE(len, 1);
      head.write(entry, 5, 'latin1');
    }
  }
  const l = head.length;
  let back: Buffer;
  if (l <= 127) back = Buffer.from([l]);
  else if (l < 16383) back = Buffer.from([l >>> 7, (l & 127) | 128]);
  else if (l < 2097151) back = Buffer.from([l >>> 14, ((l >>> 7) & 127) | 128, (l & 127) | 128]);
  else if (l < 268435455) back = Buffer.from([l >>> 21, ((l >>> 14) & 127) | 128, ((l >>> 7) & 127) | 128, (l & 127) | 128]);
  else back = Buffer.from([Math.floor(l / 2 ** 28), ((l >>> 21) & 127) | 128, ((l >>> 14) & 127) | 128, ((l >>> 7) & 127) | 128, (l & 127) | 128]);
  parts.push(head, back);
  return l + back.length;
}

/** Encodes entries as a binary listpack, integers in their integer encodings as Redis does. */
export function encodeListpack(entries: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.alloc(LP_HEADER)];
  let total = LP_HEADER + 1;
  for (const e of entries) total += encodeListpackEntry(e, parts);
  parts.push(Buffer.from([LP_EOF]));
  const out = Buffer.concat(parts, total);
  out.writeUInt32LE(total, 0);
  out.writeUInt16LE(entries.length < 0xffff ? entries.length : 0xffff, 4);
  return out;
}

// ---- ziplist -----------------------------------------------------------------------------------

const ZL_HEADER = 10;
const ZL_END = 0xff;

/** Every entry of a ziplist (RDB ≤ 9 lists, hashes and sorted sets, and quicklist v1 nodes). */
export function decodeZiplist(blob: Buffer): string[] {
  if (blob.length < ZL_HEADER + 1) fail('ziplist shorter than its header');
  const total = blob.readUInt32LE(0);
  if (total !== blob.length) fail(`ziplist header says ${total} bytes, blob has ${blob.length}`);
  const declared = blob.readUInt16LE(8);
  const out: string[] = [];
  let p = ZL_HEADER;
  const end = blob.length - 1;
  while (p < end) {
    // prevlen: one byte, or 0xfe and a 4-byte length.
    p += blob[p] < 0xfe ? 1 : 5;
    if (p >= end) fail('ziplist entry runs past the end');
    const b = blob[p];
    const kind = b >> 6;
    if (kind === 0) {
      const len = b & 0x3f;
      if (p + 1 + len > end) fail('ziplist string runs past the end');
      out.push(text(blob, p + 1, p + 1 + len));
      p += 1 + len;
    } else if (kind === 1) {
      if (p + 2 > end) fail('ziplist entry runs past the end');
      const len = ((b & 0x3f) << 8) | blob[p + 1];
      if (p + 2 + len > end) fail('ziplist string runs past the end');
      out.push(text(blob, p + 2, p + 2 + len));
      p += 2 + len;
    } else if (kind === 2) {
      if (p + 5 > end) fail('ziplist entry runs past the end');
      const len = blob.readUInt32BE(p + 1);
      if (p + 5 + len > end) fail('ziplist string runs past the end');
      out.push(text(blob, p + 5, p + 5 + len));
      p += 5 + len;
    } else {
      let size: number;
      let value: string;
      switch (b) {
        case 0xc0:
          size = 2;
          if (p + 1 + size > end) fail('ziplist integer runs past the end');
          value = String(blob.readInt16LE(p + 1));
          break;
        case 0xd0:
          size = 4;
          if (p + 1 + size > end) fail('ziplist integer runs past the end');
          value = String(blob.readInt32LE(p + 1));
          break;
        case 0xe0:
          size = 8;
          if (p + 1 + size > end) fail('ziplist integer runs past the end');
          value = blob.readBigInt64LE(p + 1).toString();
          break;
        case 0xf0:
          size = 3;
          if (p + 1 + size > end) fail('ziplist integer runs past the end');
          value = String(blob.readIntLE(p + 1, 3));
          break;
        case 0xfe:
          size = 1;
          if (p + 1 + size > end) fail('ziplist integer runs past the end');
          value = String(blob.readInt8(p + 1));
          break;
        default:
          if (b >= 0xf1 && b <= 0xfd) {
            size = 0;
            value = String((b & 0x0f) - 1);
          } else {
            fail(`ziplist entry with unknown encoding byte 0x${b.toString(16)}`);
          }
      }
      out.push(value);
      p += 1 + size;
    }
  }
  if (p !== end || blob[end] !== ZL_END) fail('ziplist does not end with its terminator');
  if (declared !== 0xffff && declared !== out.length) fail(`ziplist header says ${declared} entries, found ${out.length}`);
  return out;
}

// ---- intset ------------------------------------------------------------------------------------

/** The members of an intset: little-endian integers of 2, 4 or 8 bytes, sorted. */
export function decodeIntset(blob: Buffer): string[] {
  if (blob.length < 8) fail('intset shorter than its header');
  const width = blob.readUInt32LE(0);
  if (width !== 2 && width !== 4 && width !== 8) fail(`intset with element width ${width}`);
  const count = blob.readUInt32LE(4);
  if (8 + count * width !== blob.length) fail(`intset header says ${count} elements of ${width} bytes, blob has ${blob.length} bytes`);
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const at = 8 + i * width;
    out[i] = width === 2 ? String(blob.readInt16LE(at)) : width === 4 ? String(blob.readInt32LE(at)) : blob.readBigInt64LE(at).toString();
  }
  return out;
}

// ---- zipmap ------------------------------------------------------------------------------------

/** Field, value, field, value… of a zipmap (hashes saved by Redis before 2.6). */
export function decodeZipmap(blob: Buffer): string[] {
  if (blob.length < 2) fail('zipmap shorter than its header');
  const out: string[] = [];
  let p = 1; // zmlen: a count that is only a hint past 253
  const end = blob.length;
  const readLen = (): number => {
    if (p >= end) fail('zipmap runs past the end');
    const b = blob[p];
    if (b < 254) {
      p += 1;
      return b;
    }
    if (b === 254) {
      if (p + 5 > end) fail('zipmap length runs past the end');
      const len = blob.readUInt32LE(p + 1);
      p += 5;
      return len;
    }
    return -1; // 255: end
  };
  for (;;) {
    const klen = readLen();
    if (klen < 0) break;
    if (p + klen > end) fail('zipmap key runs past the end');
    out.push(text(blob, p, p + klen));
    p += klen;
    const vlen = readLen();
    if (vlen < 0) fail('zipmap ends between a key and its value');
    if (p >= end) fail('zipmap runs past the end');
    const free = blob[p++];
    if (p + vlen + free > end) fail('zipmap value runs past the end');
    out.push(text(blob, p, p + vlen));
    p += vlen + free;
  }
  if (p !== end - 1) fail('zipmap has bytes after its terminator');
  return out;
}
