import { HashTable } from '../../../lib/server/datatypes/hash-table';
import { SetTable } from '../../../lib/server/datatypes/set-table';
import { mulberry32 } from '../../support/seeded-random';

const bytesOf = (s: string): Buffer => Buffer.from(s, 'latin1');

test('HashTable agrees with a Map over 50,000 random sets, byte sets and deletes, then shrinking and growing (contents, positions, payload bytes)', () => {
  const random = mulberry32(3);
  const table = new HashTable();
  const model = new Map<string, string>();
  const mismatches: string[] = [];
  for (let step = 0; step < 50_000; step++) {
    const field = `f${Math.floor(random() * 5_000)}`;
    const value = 'v'.repeat(Math.floor(random() * 20));
    const r = random();
    if (r < 0.3) {
      if (table.set(field, value) !== !model.has(field)) mismatches.push(`set ${field} at ${step}`);
      model.set(field, value);
    } else if (r < 0.6) {
      const framed = bytesOf(`HSET ${field} `);
      if (table.setBytes(framed, 5, 5 + field.length, value) !== !model.has(field)) mismatches.push(`setBytes ${field} at ${step}`);
      model.set(field, value);
    } else if (r < 0.8 || step > 40_000) {
      if (table.delete(field) !== model.delete(field)) mismatches.push(`delete ${field} at ${step}`);
    } else {
      const bytes = bytesOf(field);
      if (table.get(field) !== model.get(field) || table.getBytes(bytes, 0, bytes.length) !== model.get(field)) {
        mismatches.push(`get ${field} at ${step}`);
      }
    }
  }
  expect(table.size).toBe(model.size);
  let payload = 0;
  for (const [f, v] of model) payload += f.length + v.length;
  expect(table.payloadBytes).toBe(payload);
  const seen = new Map<string, string>();
  for (let p = 0; p < table.size; p++) seen.set(table.fieldAt(p), table.valueAt(p));
  expect(seen).toEqual(model);
  const visited: string[] = [];
  table.forEach((f, v) => visited.push(`${f}=${v}`));
  expect(visited.sort()).toEqual(Array.from(model, ([f, v]) => `${f}=${v}`).sort());
  expect(table.clone().payloadBytes).toBe(payload);
  // Shrink to a few fields (the per-position bookkeeping gives room back), then grow again.
  for (const field of Array.from(model.keys()).slice(10)) {
    table.delete(field);
    model.delete(field);
  }
  for (let i = 0; i < 100; i++) {
    table.set(`g${i}`, `${i}`);
    model.set(`g${i}`, `${i}`);
  }
  payload = 0;
  for (const [f, v] of model) {
    payload += f.length + v.length;
    if (table.get(f) !== v) mismatches.push(`after shrinking: ${f}`);
  }
  expect(table.payloadBytes).toBe(payload);
  expect(table.size).toBe(110);
  expect(mismatches).toEqual([]);
});

test('HSCAN over a HashTable returns every field present for the whole scan while others are deleted and added', () => {
  const table = new HashTable();
  for (let i = 0; i < 1_000; i++) table.set(`f${i}`, `${i}`);
  const returned = new Set<string>();
  let cursor = 0;
  let round = 0;
  do {
    cursor = table.scan(cursor, 10, (field) => returned.add(field));
    // Fields f0-f499 stay; every round deletes two of the others and adds a new one.
    table.delete(`f${500 + 2 * round}`);
    table.delete(`f${501 + 2 * round}`);
    table.set(`new${round}`, 'x');
    round++;
  } while (cursor !== 0);
  for (let i = 0; i < 500; i++) expect(returned.has(`f${i}`)).toBe(true);
});

test('SetTable agrees with a Set over 50,000 random adds, byte adds, removals and pops by position', () => {
  const random = mulberry32(5);
  const table = new SetTable();
  const model = new Set<string>();
  const mismatches: string[] = [];
  for (let step = 0; step < 50_000; step++) {
    const member = `m${Math.floor(random() * 5_000)}`;
    const bytes = bytesOf(member);
    const r = random();
    if (r < 0.3) {
      if (table.add(member) !== !model.has(member)) mismatches.push(`add ${member}`);
      model.add(member);
    } else if (r < 0.6) {
      if (table.addBytes(bytes, 0, bytes.length) !== !model.has(member)) mismatches.push(`addBytes ${member}`);
      model.add(member);
    } else if (r < 0.75) {
      if (table.remove(member) !== model.delete(member)) mismatches.push(`remove ${member}`);
    } else if (r < 0.85 && table.size > 0) {
      const popped = table.removeAt(Math.floor(random() * table.size));
      if (!model.delete(popped)) mismatches.push(`removeAt gave ${popped}`);
    } else if (table.has(member) !== model.has(member) || table.hasBytes(bytes, 0, bytes.length) !== model.has(member)) {
      mismatches.push(`has ${member}`);
    }
  }
  expect(table.size).toBe(model.size);
  let payload = 0;
  for (const m of model) payload += m.length;
  expect(table.payloadBytes).toBe(payload);
  const members: string[] = [];
  table.forEach((m) => {
    members.push(m);
  });
  expect(members.sort()).toEqual(Array.from(model).sort());
  expect(mismatches).toEqual([]);
});
