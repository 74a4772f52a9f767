/**
 * The command-name index dispatch looks every request's command up in (command-names.ts): names
 * found from bytes anywhere in a buffer, in any ASCII case, and nothing else.
 */
import { CommandNameIndex, MAX_PACKED } from '../../lib/server/command-names';
import { allCommands } from '../../lib/server/commands';
import { mulberry32 } from '../support/seeded-random';

const names = allCommands().map((spec) => spec.name);

function indexOfAll(): CommandNameIndex {
  const index = new CommandNameIndex(names.length);
  names.forEach((name, i) => index.add(name, i));
  return index;
}

/** `name` inside a buffer at an odd offset, as a request's first argument sits in the read buffer. */
function inBuffer(name: string): [Buffer, number, number] {
  const buf = Buffer.from(`*1\r\n$${name.length}\r\n${name}\r\n`, 'latin1');
  const start = buf.length - 2 - name.length;
  return [buf, start, name.length];
}

const find = (index: CommandNameIndex, name: string): number => index.find(...inBuffer(name));

test('finds every command of the table, in lower, upper and mixed case', () => {
  const index = indexOfAll();
  expect(index.size).toBe(names.length);
  const random = mulberry32(7);
  names.forEach((name, i) => {
    expect(find(index, name)).toBe(i);
    expect(find(index, name.toUpperCase())).toBe(i);
    const mixed = [...name].map((c) => (random() < 0.5 ? c.toUpperCase() : c)).join('');
    expect(find(index, mixed)).toBe(i);
  });
});

test('finds nothing that is not a name: prefixes, extensions, one byte changed, empty, too long', () => {
  const index = indexOfAll();
  const known = new Set(names);
  for (const name of names) {
    for (const other of [name.slice(0, -1), `${name}x`, `x${name}`, `${name.slice(0, -1)}\u0000`]) {
      if (!known.has(other)) expect(find(index, other)).toBe(-1);
    }
  }
  expect(find(index, '')).toBe(-1);
  expect(find(index, 'zremrangebyscorex')).toBe(-1);
  expect(find(index, 'a'.repeat(MAX_PACKED + 1))).toBe(-1);
});

test('folds A-Z only, as Redis compares command names', () => {
  const index = new CommandNameIndex(4);
  index.add('get', 0);
  index.add('georadius_ro', 1);
  expect(find(index, 'GeT')).toBe(0);
  expect(find(index, 'GEORADIUS_RO')).toBe(1);
  // '_' | 0x20 is DEL and 'E' + 0x80 is no letter: neither may match.
  expect(find(index, 'georadius\u007fro')).toBe(-1);
  expect(find(index, 'g\u00c5t')).toBe(-1);
  expect(find(index, 'g\u00e5t')).toBe(-1);
});

test('refuses a name twice, a name it cannot pack, and more names than it has room for', () => {
  const index = new CommandNameIndex(2);
  index.add('get', 0);
  expect(() => index.add('GET', 1)).toThrow(/added twice/);
  expect(() => index.add('', 1)).toThrow(/1-16 bytes/);
  expect(() => index.add('x'.repeat(MAX_PACKED + 1), 1)).toThrow(/1-16 bytes/);
  const small = new CommandNameIndex(1);
  for (let i = 0; i < 8; i++) small.add(`c${i}`, i);
  expect(() => small.add('c8', 8)).toThrow(/more than 8 command names/);
  for (let i = 0; i < 8; i++) expect(find(small, `C${i}`)).toBe(i);
});
