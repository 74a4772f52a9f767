/**
 * CRC-64/Jones as Redis computes it (valkey src/crc64.c): reflected polynomial
 * 0x95ac9329ac4bc9b5, initial value 0, no final xor. The check value of "123456789" is
 * 0xe9c6d914c4b8d9ca. RDB files end with it (little-endian) and DUMP payloads carry it.
 *
 * JS has no fast 64-bit integer, so the register is two uint32 halves and the table is split
 * the same way; a byte step is a table lookup, two shifts and two xors.
 */

const TABLE_LO = new Uint32Array(256);
const TABLE_HI = new Uint32Array(256);

(function buildTables(): void {
  const polyLo = 0xac4bc9b5;
  const polyHi = 0x95ac9329;
  for (let n = 0; n < 256; n++) {
    let lo = n;
    let hi = 0;
    for (let k = 0; k < 8; k++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi >>>= 1;
      if (carry) {
        lo = (lo ^ polyLo) >>> 0;
        hi = (hi ^ polyHi) >>> 0;
      }
    }
    TABLE_LO[n] = lo;
    TABLE_HI[n] = hi;
  }
})();

/** A running CRC64, fed in pieces. */
export class Crc64 {
  private lo = 0;
  private hi = 0;

  public update(data: Uint8Array, start = 0, end = data.length): this {
    let lo = this.lo;
    let hi = this.hi;
    for (let i = start; i < end; i++) {
      const idx = (lo ^ data[i]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx];
      hi = (hi >>> 8) ^ TABLE_HI[idx];
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** The CRC as the 8 little-endian bytes Redis stores. */
  public bytes(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32LE(this.lo, 0);
    out.writeUInt32LE(this.hi, 4);
    return out;
  }

  public value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }
}

export function crc64(data: Uint8Array): bigint {
  return new Crc64().update(data).value();
}
