import { KeyIndex, SLOT_CHUNK_SIZE } from '../../../lib/server/keyspace/key-index';
import { hashBytes, hashString } from '../../../lib/server/keyspace/probe-table';
import { mulberry32 } from '../../support/seeded-random';


const bytesOf = (key: string): Buffer => Buffer.from(key, 'latin1');

test('a latin1 string and its bytes hash alike, binary bytes included', () => {
  for (const key of ['', 'a', 'key:000000012345', '\u0000\u00ff\r\n', 'é', String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i))]) {
    const bytes = bytesOf(key);
    expect(hashString(key)).toBe(hashBytes(bytes, 0, bytes.length));
  }
  const framed = Buffer.concat([Buffer.from('xx'), bytesOf('abc'), Buffer.from('yy')]);
  expect(hashBytes(framed, 2, 5)).toBe(hashString('abc'));
});

test('finds keys by string and by bytes; absent keys and prefixes are not found', () => {
  const index = new KeyIndex();
  index.insert('alpha', 0);
  index.insert('', 1);
  index.insert('al\u0000pha', 2);
  expect(index.size).toBe(3);
  expect(index.find('alpha')).toBe(0);
  expect(index.find('')).toBe(1);
  expect(index.find('al\u0000pha')).toBe(2);
  expect(index.find('alph')).toBe(-1);
  const request = Buffer.from('GET alpha al\u0000pha', 'latin1');
  expect(index.findBytes(request, 4, 9)).toBe(0);
  expect(index.findBytes(request, 10, 16)).toBe(2);
  expect(index.findBytes(request, 4, 8)).toBe(-1);
  expect(index.findBytes(request, 4, 4)).toBe(1);
  expect(index.keyAt(2)).toBe('al\u0000pha');
  expect(index.remove('alpha')).toBe(0);
  expect(index.remove('alpha')).toBe(-1);
  expect(index.keyAt(0)).toBeUndefined();
  expect(index.findBytes(request, 4, 9)).toBe(-1);
  expect(index.size).toBe(2);
});

test('agrees with a Map over 100,000 random inserts and removals (growth, shrinking, backward-shift deletion)', () => {
  const random = mulberry32(7);
  const index = new KeyIndex();
  const model = new Map<string, number>();
  const free: number[] = [];
  let nextSlot = 0;
  // A small key space makes inserts and removals of the same keys collide on purpose.
  const keyFor = (n: number): string => `k${n}`;
  const mismatches: string[] = [];
  let peakCapacity = 0;
  const check = (k: string): void => {
    const bytes = bytesOf(k);
    const want = model.get(k) ?? -1;
    const byString = index.find(k);
    const byBytes = index.findBytes(bytes, 0, bytes.length);
    if (byString !== want || byBytes !== want) mismatches.push(`${k}: want ${want}, find ${byString}, findBytes ${byBytes}`);
  };
  for (let step = 0; step < 100_000; step++) {
    // Grow to about 18,000 keys (several doublings), then shrink towards empty (several halvings).
    const growing = step < 50_000;
    const insert = growing ? random() < 0.75 : random() < 0.1;
    // While shrinking, removals take the oldest key, so the index really empties.
    const key = !growing && !insert && model.size > 0 ? (model.keys().next().value as string) : keyFor(Math.floor(random() * 30_000));
    if (insert && !model.has(key)) {
      const slot = free.length > 0 ? (free.pop() as number) : nextSlot++;
      index.insert(key, slot);
      model.set(key, slot);
    } else if (!insert) {
      const slot = index.remove(key);
      if (slot !== (model.get(key) ?? -1)) mismatches.push(`remove ${key}: got ${slot}`);
      if (slot >= 0) free.push(slot);
      model.delete(key);
    }
    if (step % 499 === 0) {
      if (index.size !== model.size) mismatches.push(`size ${index.size} vs ${model.size} at step ${step}`);
      for (let probe = 0; probe < 20; probe++) check(keyFor(Math.floor(random() * 30_000)));
    }
    if (step === 50_000) {
      expect(model.size).toBeGreaterThan(15_000);
      peakCapacity = index.capacity;
    }
  }
  expect(model.size).toBeLessThan(2_000);
  expect(peakCapacity).toBeGreaterThanOrEqual(16_384);
  expect(index.capacity).toBeLessThan(peakCapacity);
  for (let n = 0; n < 30_000; n++) check(keyFor(n));
  for (const [k, slot] of model) if (index.keyAt(slot) !== k) mismatches.push(`keyAt ${slot}`);
  expect(mismatches).toEqual([]);
  expect(index.size).toBe(model.size);
});

test('keeps a value beside each key: set, read, dropped with its key, absent for a reused slot', () => {
  const index = new KeyIndex<string>();
  index.insert('a', 0);
  index.insert('b', 1);
  index.setValueAt(0, 'va');
  index.setValueAt(1, 'vb');
  expect([index.valueAt(0), index.valueAt(1)]).toEqual(['va', 'vb']);
  index.remove('a');
  expect(index.valueAt(0)).toBeUndefined();
  expect(index.valueAt(1)).toBe('vb');
  index.insert('c', 0);
  expect(index.valueAt(0)).toBeUndefined();
  expect(index.keyAt(0)).toBe('c');
  // A slot past the end (slots freed at the top are not reused in order) still lands at its place.
  index.insert('far', 5);
  index.setValueAt(5, 'vf');
  expect([index.keyAt(5), index.valueAt(5), index.keyAt(4)]).toEqual(['far', 'vf', undefined]);
});

test('slots in different chunks of the per-slot storage keep their own keys and values', () => {
  const index = new KeyIndex<string>();
  // Slots on both sides of chunk boundaries, and one several chunks past the rest (its chunk and
  // the ones before it come into being at once).
  const slots = [0, SLOT_CHUNK_SIZE - 1, SLOT_CHUNK_SIZE, 2 * SLOT_CHUNK_SIZE + 1, 7 * SLOT_CHUNK_SIZE + 3];
  for (const slot of slots) {
    index.insert(`key${slot}`, slot);
    index.setValueAt(slot, `value${slot}`);
  }
  for (const slot of slots) {
    const bytes = bytesOf(`key${slot}`);
    expect([index.find(`key${slot}`), index.findBytes(bytes, 0, bytes.length)]).toEqual([slot, slot]);
    expect([index.keyAt(slot), index.valueAt(slot)]).toEqual([`key${slot}`, `value${slot}`]);
  }
  // Neighbours of used slots, in existing chunks or past the last one, hold nothing.
  for (const slot of [1, SLOT_CHUNK_SIZE - 2, SLOT_CHUNK_SIZE + 1, 5 * SLOT_CHUNK_SIZE, 8 * SLOT_CHUNK_SIZE, 100 * SLOT_CHUNK_SIZE]) {
    expect([index.keyAt(slot), index.valueAt(slot)]).toEqual([undefined, undefined]);
  }
  expect(index.remove(`key${SLOT_CHUNK_SIZE}`)).toBe(SLOT_CHUNK_SIZE);
  expect([index.keyAt(SLOT_CHUNK_SIZE), index.valueAt(SLOT_CHUNK_SIZE)]).toEqual([undefined, undefined]);
  expect([index.keyAt(SLOT_CHUNK_SIZE - 1), index.valueAt(2 * SLOT_CHUNK_SIZE + 1)]).toEqual([`key${SLOT_CHUNK_SIZE - 1}`, `value${2 * SLOT_CHUNK_SIZE + 1}`]);
});
