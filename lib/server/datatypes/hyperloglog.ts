/**
 * HyperLogLog values in Redis's exact byte format (valkey src/hyperloglog.c), so a key written
 * here reads the same in Redis and back (GET, DUMP/RESTORE, RDB):
 *
 *     "HYLL" | encoding (0 dense, 1 sparse) | 3 unused zero bytes | 8-byte cached cardinality, LE
 *     (the top bit of its last byte set = cache invalid) | registers
 *
 * 16384 registers of 6 bits. Dense: the registers packed little-endian bit by bit (12288 bytes).
 * Sparse: run-length opcodes — ZERO 00xxxxxx (1..64 zero registers), XZERO 01xxxxxx yyyyyyyy
 * (1..16384), VAL 1vvvvvxx (value 1..32 repeated 1..4 times). Elements are hashed with
 * MurmurHash64A (seed 0xadc83b19); the low 14 bits pick the register and the run of zero bits
 * above them (+1) is the value. Counting uses Ertl's improved estimator, as Redis does, so the
 * same inserts give the same bytes and the same PFCOUNT.
 *
 * Every function works on a Buffer holding the whole value; the command layer converts from and
 * to the keyspace's latin1 strings.
 */

export const HLL_HDR_SIZE = 16;
export const HLL_REGISTERS = 16384;
const HLL_P = 14;
const HLL_Q = 64 - HLL_P;
const HLL_BITS = 6;
const HLL_REGISTER_MAX = 63;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + Math.floor((HLL_REGISTERS * HLL_BITS + 7) / 8);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
const ALPHA_INF = 0.72134752044448170368; // 0.5 / ln(2)
const CARD_BYTE7 = 15;

// ---- MurmurHash64A on 32-bit halves ------------------------------------------------------------

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
let rHi = 0;
let rLo = 0;

/** (aHi:aLo × bHi:bLo) mod 2^64 into rHi:rLo. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  const mid = a0 * b1 + a1 * b0; // < 2^33
  let lo = a0 * b0 + (mid % 65536) * 65536; // < 2^33
  const carry = Math.floor(lo / 4294967296);
  lo = lo >>> 0;
  const hi = a1 * b1 + Math.floor(mid / 65536) + carry + Math.imul(aLo, bHi) + Math.imul(aHi, bLo);
  rHi = hi >>> 0;
  rLo = lo;
}

/** MurmurHash64A as Redis has it (endian-neutral), result in rHi:rLo. */
function murmurHash64A(data: Buffer, seed: number): void {
  const len = data.length;
  // h = seed ^ (len * m)
  mul64(0, len >>> 0, M_HI, M_LO);
  let hHi = rHi;
  let hLo = (rLo ^ seed) >>> 0;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    const kLo = (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) >>> 0;
    const kHi = (data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24)) >>> 0;
    mul64(kHi, kLo, M_HI, M_LO); // k *= m
    let xHi = rHi;
    let xLo = (rLo ^ (rHi >>> 15)) >>> 0; // k ^= k >> 47
    mul64(xHi, xLo, M_HI, M_LO); // k *= m
    xHi = rHi;
    xLo = rLo;
    hHi = (hHi ^ xHi) >>> 0; // h ^= k
    hLo = (hLo ^ xLo) >>> 0;
    mul64(hHi, hLo, M_HI, M_LO); // h *= m
    hHi = rHi;
    hLo = rLo;
  }
  const rest = len & 7;
  if (rest !== 0) {
    for (let j = rest - 1; j >= 0; j--) {
      const byte = data[blocks + j];
      if (j >= 4) hHi = (hHi ^ (byte << (8 * (j - 4)))) >>> 0;
      else hLo = (hLo ^ (byte << (8 * j))) >>> 0;
    }
    mul64(hHi, hLo, M_HI, M_LO);
    hHi = rHi;
    hLo = rLo;
  }
  hLo = (hLo ^ (hHi >>> 15)) >>> 0; // h ^= h >> 47
  mul64(hHi, hLo, M_HI, M_LO);
  hHi = rHi;
  hLo = rLo;
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
  rHi = hHi;
  rLo = hLo;
}

/** MurmurHash64A(data, seed) as a bigint (for tests and PFDEBUG-style inspection). */
export function murmurHash64(data: Buffer, seed = 0xadc83b19): bigint {
  murmurHash64A(data, seed);
  return (BigInt(rHi) << 32n) | BigInt(rLo);
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** The register an element lands in (patIndex) and the value it proposes (returned), as hllPatLen. */
export let patIndex = 0;
export function patLen(element: Buffer): number {
  murmurHash64A(element, 0xadc83b19);
  patIndex = rLo & (HLL_REGISTERS - 1);
  // hash >>= P, then set bit Q so the run is at most Q+1.
  const lo = ((rLo >>> HLL_P) | (rHi << (32 - HLL_P))) >>> 0;
  const hi = (rHi >>> HLL_P) | (1 << (HLL_Q - 32));
  return 1 + (lo !== 0 ? ctz32(lo) : 32 + ctz32(hi));
}

// ---- header --------------------------------------------------------------------------------------

/** A new, empty HLL: sparse, one XZERO opcode covering every register (createHLLObject). */
export function createHll(): Buffer {
  const runs = Math.ceil(HLL_REGISTERS / SPARSE_XZERO_MAX_LEN);
  const buf = Buffer.alloc(HLL_HDR_SIZE + runs * 2);
  buf.write('HYLL', 0, 'latin1');
  buf[4] = HLL_SPARSE;
  let p = HLL_HDR_SIZE;
  let left = HLL_REGISTERS;
  while (left > 0) {
    const run = Math.min(left, SPARSE_XZERO_MAX_LEN);
    setXZero(buf, p, run);
    p += 2;
    left -= run;
  }
  return buf;
}

/** isHLLObjectOrReply's test: the magic, a known encoding, and a dense value's exact size. */
export function isValidHll(value: string): boolean {
  if (value.length < HLL_HDR_SIZE) return false;
  if (value.charCodeAt(0) !== 72 || value.charCodeAt(1) !== 89 || value.charCodeAt(2) !== 76 || value.charCodeAt(3) !== 76) return false;
  const encoding = value.charCodeAt(4);
  if (encoding > HLL_MAX_ENCODING) return false;
  if (encoding === HLL_DENSE && value.length !== HLL_DENSE_SIZE) return false;
  return true;
}

export function invalidateCache(hll: Buffer): void {
  hll[CARD_BYTE7] |= 0x80;
}

export function cacheValid(hll: Buffer): boolean {
  return (hll[CARD_BYTE7] & 0x80) === 0;
}

/** The cached cardinality (8 bytes little-endian). */
export function readCache(hll: Buffer): bigint {
  return hll.readBigUInt64LE(8);
}

export function writeCache(hll: Buffer, card: number): void {
  hll.writeBigUInt64LE(BigInt(card), 8);
}

// ---- dense -------------------------------------------------------------------------------------

export function denseGet(hll: Buffer, regnum: number): number {
  const byte = HLL_HDR_SIZE + ((regnum * HLL_BITS) >> 3);
  const fb = (regnum * HLL_BITS) & 7;
  const b0 = hll[byte];
  const b1 = byte + 1 < hll.length ? hll[byte + 1] : 0;
  return ((b0 >> fb) | (b1 << (8 - fb))) & HLL_REGISTER_MAX;
}

function denseWrite(hll: Buffer, regnum: number, value: number): void {
  const byte = HLL_HDR_SIZE + ((regnum * HLL_BITS) >> 3);
  const fb = (regnum * HLL_BITS) & 7;
  const fb8 = 8 - fb;
  hll[byte] = (hll[byte] & ~(HLL_REGISTER_MAX << fb)) | ((value << fb) & 0xff);
  if (byte + 1 < hll.length) hll[byte + 1] = (hll[byte + 1] & ~(HLL_REGISTER_MAX >> fb8)) | (value >> fb8);
}

/** hllDenseSet: raises a register; true when it changed. */
export function denseSet(hll: Buffer, regnum: number, count: number): boolean {
  if (count > denseGet(hll, regnum)) {
    denseWrite(hll, regnum, count);
    return true;
  }
  return false;
}

// ---- sparse ------------------------------------------------------------------------------------

function isZero(op: number): boolean {
  return (op & 0xc0) === 0;
}
function isXZero(op: number): boolean {
  return (op & 0xc0) === 0x40;
}
function isVal(op: number): boolean {
  return (op & 0x80) !== 0;
}
function zeroLen(op: number): number {
  return (op & 0x3f) + 1;
}
function xzeroLen(op: number, next: number | undefined): number {
  return (((op & 0x3f) << 8) | (next ?? 0)) + 1;
}
function valValue(op: number): number {
  return ((op >> 2) & 0x1f) + 1;
}
function valLen(op: number): number {
  return (op & 0x3) + 1;
}
function valOp(value: number, len: number): number {
  return (((value - 1) << 2) | (len - 1)) | 0x80;
}
function setXZero(buf: Buffer | number[], p: number, len: number): void {
  const l = len - 1;
  buf[p] = (l >> 8) | 0x40;
  buf[p + 1] = l & 0xff;
}

/** hllSparseToDense: the dense form (header copied, encoding set), or undefined when corrupt. */
export function sparseToDense(hll: Buffer): Buffer | undefined {
  if (hll[4] === HLL_DENSE) return hll;
  const dense = Buffer.alloc(HLL_DENSE_SIZE);
  hll.copy(dense, 0, 0, HLL_HDR_SIZE);
  dense[4] = HLL_DENSE;
  let idx = 0;
  let p = HLL_HDR_SIZE;
  const end = hll.length;
  while (p < end) {
    const op = hll[p];
    const runlen = isZero(op) ? zeroLen(op) : isXZero(op) ? xzeroLen(op, hll[p + 1]) : valLen(op);
    // An opcode running past the last register is corruption (the CVE-2025-32023 checks).
    if (runlen + idx > HLL_REGISTERS) return undefined;
    if (isVal(op)) {
      const value = valValue(op);
      for (let k = 0; k < runlen; k++) denseWrite(dense, idx++, value);
    } else {
      idx += runlen;
    }
    p += isXZero(op) ? 2 : 1;
  }
  return idx === HLL_REGISTERS ? dense : undefined;
}

/** Outcome of a sparse set: 1 changed, 0 unchanged, -1 corrupt; the value may be a new Buffer. */
export interface SetResult {
  code: -1 | 0 | 1;
  hll: Buffer;
}

/**
 * hllSparseSet: raises register `index` to `count`, splitting the opcode that covers it and
 * merging equal neighbouring VAL opcodes afterwards; promotes to dense when the value exceeds
 * what VAL holds or the value would grow past `maxBytes` (hll-sparse-max-bytes).
 */
export function sparseSet(input: Buffer, index: number, count: number, maxBytes: number): SetResult {
  if (count > SPARSE_VAL_MAX_VALUE) return promote(input, index, count);
  // A working copy with room for the largest growth (one opcode becomes up to five bytes).
  const hll = Buffer.alloc(input.length + 4);
  input.copy(hll);
  let end = input.length;
  let p = HLL_HDR_SIZE;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    const op = hll[p];
    let oplen = 1;
    if (isZero(op)) {
      span = zeroLen(op);
    } else if (isVal(op)) {
      span = valLen(op);
    } else {
      span = xzeroLen(op, hll[p + 1]);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return { code: -1, hll: input };

  const op = hll[p];
  const zero = isZero(op);
  const xzero = isXZero(op);
  const runlen = zero ? zeroLen(op) : xzero ? xzeroLen(op, hll[p + 1]) : valLen(op);
  let updated = false;
  if (!zero && !xzero) {
    if (valValue(op) >= count) return { code: 0, hll: input };
    if (runlen === 1) {
      hll[p] = valOp(count, 1);
      updated = true;
    }
  }
  if (!updated && zero && runlen === 1) {
    hll[p] = valOp(count, 1);
    updated = true;
  }
  if (!updated) {
    // Replace the opcode with up to three: the part before, the new value, the part after.
    const seq: number[] = [];
    const last = first + span - 1;
    if (zero || xzero) {
      if (index !== first) pushZeros(seq, index - first);
      seq.push(valOp(count, 1));
      if (index !== last) pushZeros(seq, last - index);
    } else {
      const current = valValue(op);
      if (index !== first) seq.push(valOp(current, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(current, last - index));
    }
    const oldlen = xzero ? 2 : 1;
    const delta = seq.length - oldlen;
    if (delta > 0 && end + delta > maxBytes) return promote(input, index, count);
    hll.copyWithin(p + seq.length, p + oldlen, end);
    for (let k = 0; k < seq.length; k++) hll[p + k] = seq[k];
    end += delta;
  }
  // Merge adjacent VAL opcodes of equal value, scanning up to five opcodes from the one before.
  p = prev >= 0 ? prev : HLL_HDR_SIZE;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const op1 = hll[p];
    if (isXZero(op1)) {
      p += 2;
      continue;
    }
    if (isZero(op1)) {
      p++;
      continue;
    }
    if (p + 1 < end && isVal(hll[p + 1])) {
      const v1 = valValue(op1);
      const v2 = valValue(hll[p + 1]);
      if (v1 === v2) {
        const len = valLen(op1) + valLen(hll[p + 1]);
        if (len <= SPARSE_VAL_MAX_LEN) {
          hll[p + 1] = valOp(v1, len);
          hll.copyWithin(p, p + 1, end);
          end--;
          continue;
        }
      }
    }
    p++;
  }
  const out = Buffer.from(hll.subarray(0, end));
  invalidateCache(out);
  return { code: 1, hll: out };
}

function pushZeros(seq: number[], len: number): void {
  if (len > SPARSE_ZERO_MAX_LEN) {
    const at = seq.length;
    seq.push(0, 0);
    setXZero(seq, at, len);
  } else {
    seq.push(len - 1);
  }
}

function promote(input: Buffer, index: number, count: number): SetResult {
  const dense = sparseToDense(input);
  if (dense === undefined) return { code: -1, hll: input };
  denseSet(dense, index, count);
  return { code: 1, hll: dense };
}

/** hllAdd: adds one element; the Buffer may be replaced (sparse growth or promotion). */
export function hllAdd(hll: Buffer, element: Buffer, maxBytes: number): SetResult {
  const count = patLen(element);
  const index = patIndex;
  if (hll[4] === HLL_DENSE) return { code: denseSet(hll, index, count) ? 1 : 0, hll };
  if (hll[4] === HLL_SPARSE) return sparseSet(hll, index, count, maxBytes);
  return { code: -1, hll };
}

// ---- counting and merging -------------------------------------------------------------------------

function sigma(input: number): number {
  if (input === 1) return Infinity;
  let x = input;
  let y = 1;
  let z = x;
  let zPrime: number;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(input: number): number {
  if (input === 0 || input === 1) return 0;
  let x = input;
  let y = 1.0;
  let z = 1 - x;
  let zPrime: number;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    z -= Math.pow(1 - x, 2) * y;
  } while (zPrime !== z);
  return z / 3;
}

/** The estimate from a register histogram (hllCount after the histogram). */
function estimate(histogram: Int32Array): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histogram[HLL_Q + 1]) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += histogram[j];
    z *= 0.5;
  }
  z += m * sigma(histogram[0] / m);
  // llroundl: halves round away from zero (the value is positive).
  return Math.floor((ALPHA_INF * m * m) / z + 0.5);
}

/** hllCount of a stored HLL; undefined when a sparse value does not cover exactly every register. */
export function hllCount(hll: Buffer): number | undefined {
  const histogram = new Int32Array(64);
  if (hll[4] === HLL_DENSE) {
    for (let j = 0; j < HLL_REGISTERS; j++) histogram[denseGet(hll, j)]++;
  } else {
    let idx = 0;
    let p = HLL_HDR_SIZE;
    const end = hll.length;
    while (p < end) {
      const op = hll[p];
      if (isZero(op)) {
        const run = zeroLen(op);
        idx += run;
        histogram[0] += run;
        p++;
      } else if (isXZero(op)) {
        const run = xzeroLen(op, hll[p + 1]);
        idx += run;
        histogram[0] += run;
        p += 2;
      } else {
        const run = valLen(op);
        idx += run;
        histogram[valValue(op)] += run;
        p++;
      }
    }
    if (idx !== HLL_REGISTERS) return undefined;
  }
  return estimate(histogram);
}

/** hllCount of raw registers (one byte each), as PFCOUNT of several keys computes. */
export function rawCount(registers: Uint8Array): number {
  const histogram = new Int32Array(64);
  for (let j = 0; j < HLL_REGISTERS; j++) histogram[registers[j]]++;
  return estimate(histogram);
}

/** hllMerge: raises `max` (one byte per register) to this HLL's registers; false when corrupt. */
export function hllMerge(max: Uint8Array, hll: Buffer): boolean {
  if (hll[4] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(hll, i);
      if (v > max[i]) max[i] = v;
    }
    return true;
  }
  let i = 0;
  let p = HLL_HDR_SIZE;
  const end = hll.length;
  while (p < end) {
    const op = hll[p];
    const run = isZero(op) ? zeroLen(op) : isXZero(op) ? xzeroLen(op, hll[p + 1]) : valLen(op);
    if (run + i > HLL_REGISTERS) return false;
    if (isVal(op)) {
      const value = valValue(op);
      for (let k = 0; k < run; k++, i++) if (value > max[i]) max[i] = value;
    } else {
      i += run;
    }
    p += isXZero(op) ? 2 : 1;
  }
  return i === HLL_REGISTERS;
}

/** PFDEBUG DECODE's text for a sparse HLL: "z:len", "Z:len", "v:value,len" separated by spaces. */
export function decodeSparse(hll: Buffer): string {
  const parts: string[] = [];
  let p = HLL_HDR_SIZE;
  while (p < hll.length) {
    const op = hll[p];
    if (isZero(op)) {
      parts.push(`z:${zeroLen(op)}`);
      p++;
    } else if (isXZero(op)) {
      parts.push(`Z:${xzeroLen(op, hll[p + 1])}`);
      p += 2;
    } else {
      parts.push(`v:${valValue(op)},${valLen(op)}`);
      p++;
    }
  }
  return parts.join(' ');
}
