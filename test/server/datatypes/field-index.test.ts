import { FieldIndex } from '../../../lib/server/datatypes/field-index';
import { mulberry32 } from '../../support/seeded-random';

const bytesOf = (name: string): Buffer => Buffer.from(name, 'latin1');

/** A dense array kept as HashTable/SetTable keep theirs: removal moves the last name into the hole. */
class DenseOwner {
  public readonly names: string[] = [];
  public readonly index = new FieldIndex(this.names);

  public add(name: string): void {
    this.index.insert(name, this.names.length);
    this.names.push(name);
  }

  public removeAt(position: number): void {
    const names = this.names;
    this.index.remove(names[position], position);
    const last = names.length - 1;
    if (position < last) {
      names[position] = names[last];
      this.index.move(names[position], last, position);
    }
    names.pop();
  }
}

test('finds names by string and by bytes; absent names and prefixes are not found', () => {
  const owner = new DenseOwner();
  for (const name of ['alpha', '', 'al\u0000pha', '\u00ff\r\n']) owner.add(name);
  const { index } = owner;
  expect(index.size).toBe(4);
  expect(index.capacity).toBe(8);
  expect(index.find('alpha')).toBe(0);
  expect(index.find('')).toBe(1);
  expect(index.find('al\u0000pha')).toBe(2);
  expect(index.find('\u00ff\r\n')).toBe(3);
  expect(index.find('alph')).toBe(-1);
  const request = Buffer.from('HGET alpha al\u0000pha', 'latin1');
  expect(index.findBytes(request, 5, 10)).toBe(0);
  expect(index.findBytes(request, 11, 17)).toBe(2);
  expect(index.findBytes(request, 5, 9)).toBe(-1);
  expect(index.findBytes(request, 5, 5)).toBe(1);
  // Removing position 0 moves the last name ('\u00ff\r\n') down to 0.
  owner.removeAt(0);
  expect(index.find('alpha')).toBe(-1);
  expect(index.find('\u00ff\r\n')).toBe(0);
  expect(index.findBytes(bytesOf('\u00ff\r\n'), 0, 3)).toBe(0);
  expect(index.size).toBe(3);
});

test('a table sized for a conversion holds that many names without growing', () => {
  const names = Array.from({ length: 129 }, (_, i) => `f${i}`);
  const index = new FieldIndex(names, names.length);
  const capacity = index.capacity;
  expect(capacity).toBe(256);
  names.forEach((name, i) => index.insert(name, i));
  expect(index.capacity).toBe(capacity);
  names.forEach((name, i) => expect(index.find(name)).toBe(i));
});

test('agrees with a Map over 100,000 random adds and swap-with-last removals (growth, shrinking, moves)', () => {
  const random = mulberry32(11);
  const owner = new DenseOwner();
  const nameFor = (n: number): string => `m${n}`;
  const mismatches: string[] = [];
  let peakCapacity = 0;
  const check = (name: string): void => {
    const want = owner.names.indexOf(name);
    const bytes = bytesOf(name);
    const byString = owner.index.find(name);
    const byBytes = owner.index.findBytes(bytes, 0, bytes.length);
    if (byString !== want || byBytes !== want) mismatches.push(`${name}: want ${want}, find ${byString}, findBytes ${byBytes}`);
  };
  const present = new Set<string>();
  for (let step = 0; step < 100_000; step++) {
    // Grow to about 15,000 names (several doublings), then shrink to a few (several halvings).
    const growing = step < 50_000;
    const add = growing ? random() < 0.75 : random() < 0.05;
    if (add) {
      const name = nameFor(Math.floor(random() * 30_000));
      if (!present.has(name)) {
        owner.add(name);
        present.add(name);
      }
    } else if (owner.names.length > 0) {
      const position = Math.floor(random() * owner.names.length);
      present.delete(owner.names[position]);
      owner.removeAt(position);
    }
    if (step % 997 === 0) {
      if (owner.index.size !== present.size) mismatches.push(`size ${owner.index.size} vs ${present.size} at step ${step}`);
      for (let probe = 0; probe < 10; probe++) check(nameFor(Math.floor(random() * 30_000)));
    }
    if (step === 50_000) peakCapacity = owner.index.capacity;
  }
  expect(peakCapacity).toBeGreaterThanOrEqual(16_384);
  expect(owner.index.capacity).toBeLessThan(peakCapacity / 8);
  owner.names.forEach((name, i) => {
    if (owner.index.find(name) !== i) mismatches.push(`${name} not at ${i}`);
  });
  for (let n = 0; n < 30_000; n += 7) check(nameFor(n));
  expect(mismatches).toEqual([]);
});
