/** HyperLogLog internals: the hash, the header, sparse edits and promotion, counting, merging. */
import {
  createHll,
  denseGet,
  hllAdd,
  hllCount,
  hllMerge,
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  isValidHll,
  murmurHash64,
  patIndex,
  patLen,
  rawCount,
  sparseSet,
  sparseToDense,
} from '../../../lib/server/datatypes/hyperloglog';

/** MurmurHash64A written plainly with BigInt: the reference the 32-bit version must match. */
function referenceMurmur(data: Buffer, seed: number): bigint {
  const mask = (1n << 64n) - 1n;
  const m = 0xc6a4a7935bd1e995n;
  const len = data.length;
  let h = (BigInt(seed) ^ (BigInt(len) * m)) & mask;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    let k = data.readBigUInt64LE(i);
    k = (k * m) & mask;
    k ^= k >> 47n;
    k = (k * m) & mask;
    h ^= k;
    h = (h * m) & mask;
  }
  const rest = len & 7;
  if (rest > 0) {
    for (let j = rest - 1; j >= 0; j--) h ^= BigInt(data[blocks + j]) << BigInt(8 * j);
    h = (h * m) & mask;
  }
  h ^= h >> 47n;
  h = (h * m) & mask;
  h ^= h >> 47n;
  return h;
}

describe('MurmurHash64A', () => {
  test('matches a BigInt reference for every length 0..64 and random bytes', () => {
    for (let len = 0; len <= 64; len++) {
      const data = Buffer.alloc(len);
      for (let i = 0; i < len; i++) data[i] = (i * 167 + len * 13) & 0xff;
      expect(murmurHash64(data)).toBe(referenceMurmur(data, 0xadc83b19));
      expect(murmurHash64(data, 0)).toBe(referenceMurmur(data, 0));
    }
  });

  test('register and run length come from the hash as Redis splits it', () => {
    const element = Buffer.from('hello');
    const hash = referenceMurmur(element, 0xadc83b19);
    const count = patLen(element);
    expect(patIndex).toBe(Number(hash & 16383n));
    let rest = (hash >> 14n) | (1n << 50n);
    let expected = 1;
    while ((rest & 1n) === 0n) {
      expected++;
      rest >>= 1n;
    }
    expect(count).toBe(expected);
  });
});

describe('HLL values', () => {
  test('a new HLL: "HYLL", sparse, no cached count, one XZERO covering 16384 registers', () => {
    const hll = createHll();
    expect(hll.toString('hex')).toBe(`${Buffer.from('HYLL').toString('hex')}01000000${'00'.repeat(8)}7fff`);
    expect(hllCount(hll)).toBe(0);
    expect(isValidHll(hll.toString('latin1'))).toBe(true);
  });

  test('validity: magic, encoding, dense size', () => {
    const dense = Buffer.alloc(HLL_DENSE_SIZE);
    dense.write('HYLL');
    expect(isValidHll(dense.toString('latin1'))).toBe(true);
    expect(isValidHll(dense.subarray(0, HLL_DENSE_SIZE - 1).toString('latin1'))).toBe(false);
    expect(isValidHll('HYLL')).toBe(false);
    expect(isValidHll(`HYLx${'\u0001'}${'\u0000'.repeat(11)}`)).toBe(false);
    expect(isValidHll(`HYLL${'\u0002'}${'\u0000'.repeat(11)}`)).toBe(false);
    expect(HLL_DENSE_SIZE).toBe(12304);
  });

  test('sparse set: splitting an XZERO, then merging equal neighbours into one VAL run', () => {
    let hll = createHll();
    hll = sparseSet(hll, 100, 3, 3000).hll;
    // XZERO(100) VAL(3,1) XZERO(16283): the cache is invalidated.
    expect(hll.subarray(16).toString('hex')).toBe('4063' + '88' + '7f9a');
    expect(hll[15] & 0x80).toBe(0x80);
    hll = sparseSet(hll, 101, 3, 3000).hll;
    // VAL(3,1) VAL(3,1) merged into VAL(3,2); ZERO runs below 65 use one byte.
    expect(hll.subarray(16).toString('hex')).toBe('4063' + '89' + '7f99');
    const same = sparseSet(hll, 101, 2, 3000);
    expect(same.code).toBe(0);
    // Register 0 splits XZERO(100) into VAL(1,1) and XZERO(99).
    expect(sparseSet(hll, 0, 1, 3000).hll.subarray(16, 20).toString('hex')).toBe('80' + '4062' + '89');
  });

  test('a value above 32 or growth past hll-sparse-max-bytes promotes to dense', () => {
    const high = sparseSet(createHll(), 7, 40, 3000);
    expect(high.code).toBe(1);
    expect(high.hll[4]).toBe(HLL_DENSE);
    expect(high.hll.length).toBe(HLL_DENSE_SIZE);
    expect(denseGet(high.hll, 7)).toBe(40);
    const tight = sparseSet(createHll(), 5000, 2, 18);
    expect(tight.hll[4]).toBe(HLL_DENSE);
    expect(denseGet(tight.hll, 5000)).toBe(2);
  });

  test('adding elements: estimates within the error bound, sparse then dense, merge equals adding', () => {
    let a = createHll();
    let b = createHll();
    for (let i = 0; i < 20000; i++) {
      const element = Buffer.from(`item:${i}`);
      a = hllAdd(a, element, 3000).hll;
      if (i % 2 === 0) b = hllAdd(b, element, 3000).hll;
    }
    expect(a[4]).toBe(HLL_DENSE);
    const estimate = hllCount(a) as number;
    expect(Math.abs(estimate - 20000) / 20000).toBeLessThan(0.0325);
    const max = new Uint8Array(HLL_REGISTERS);
    expect(hllMerge(max, b)).toBe(true);
    expect(hllMerge(max, a)).toBe(true);
    expect(rawCount(max)).toBe(estimate);
    const small = hllAdd(createHll(), Buffer.from('x'), 3000).hll;
    expect(small[4]).toBe(HLL_SPARSE);
    expect(hllCount(small)).toBe(1);
    const dense = sparseToDense(small) as Buffer;
    expect(hllCount(dense)).toBe(1);
    expect(dense.subarray(0, 16).equals(small.subarray(0, 16).map((byte, i) => (i === 4 ? HLL_DENSE : byte)))).toBe(true);
  });

  test('corrupt sparse data is detected by count, merge and conversion', () => {
    const header = createHll().subarray(0, 16);
    const short = Buffer.concat([header, Buffer.from([0x7f, 0xfe])]);
    const overrun = Buffer.concat([header, Buffer.from([0x7f, 0xff, 0x80])]);
    for (const bad of [short, overrun]) {
      expect(hllCount(bad)).toBeUndefined();
      expect(hllMerge(new Uint8Array(HLL_REGISTERS), bad)).toBe(false);
      expect(sparseToDense(bad)).toBeUndefined();
    }
    expect(sparseSet(Buffer.concat([header, Buffer.from([0x00])]), 100, 1, 3000).code).toBe(-1);
  });
});
