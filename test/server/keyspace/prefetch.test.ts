/**
 * Database.prefetch (the batch prefetch of keys and of a large hash's or set's names): a hint that
 * must change nothing observable, whatever the spans hold, on every path it takes.
 */
import { HashValue } from '../../../lib/server/datatypes/hash';
import { SetValue } from '../../../lib/server/datatypes/set';
import { Database, PREFETCH_MIN_NAMES } from '../../../lib/server/keyspace/database';
import { hashString, MAX_LOAD, placeEntry, prefetchHomes } from '../../../lib/server/keyspace/probe-table';
import { RespParser } from '../../../lib/server/protocol/resp-parser';
import { encodeCommands } from '../../support';

const HASH_LIMITS = { maxListpackEntries: 128, maxListpackValue: 64 };
const SET_LIMITS = { maxIntsetEntries: 512, maxListpackEntries: 128, maxListpackValue: 64 };

/** Per key: type, contents summary, idle time and LFU counter: what a stray write or touch would change. */
function observe(db: Database): string {
  const out: string[] = [];
  for (const [key, value] of db.entries()) {
    const body = typeof value === 'string' ? value : `${value.kind}/${value.encoding()}/${value.size()}`;
    out.push(`${key}=${body} idle=${db.idleSeconds(key)} freq=${db.accessFrequency(key)}`);
  }
  return out.join('\n');
}

function batch(commands: string[][]): { bytes: Buffer; spans: Int32Array; count: number } {
  const parser = new RespParser({ maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1 << 30 });
  parser.append(encodeCommands(commands.map((c) => c.map((p) => Buffer.from(p, 'latin1')))));
  const spans = new Int32Array(4 * 64);
  const count = parser.peekRequests(spans, 64);
  return { bytes: parser.bufferedInput, spans, count };
}

describe('Database.prefetch', () => {
  let now = 1_700_000_000_000;
  const db = new Database(0, () => now);
  const keys = PREFETCH_MIN_NAMES + 1000;
  for (let i = 0; i < keys; i++) db.set(`key:${i}`, i % 7 === 0 ? '' : `value:${i}`);
  const bigHash = new HashValue();
  for (let i = 0; i < PREFETCH_MIN_NAMES + 10; i++) bigHash.set(`field:${i}`, `v${i}`, HASH_LIMITS);
  db.set('bighash', bigHash);
  const bigSet = SetValue.empty('hashtable');
  for (let i = 0; i < PREFETCH_MIN_NAMES + 10; i++) bigSet.add(`member:${i}`, SET_LIMITS);
  db.set('bigset', bigSet);
  const small = new HashValue();
  small.set('f', 'v', HASH_LIMITS);
  db.set('smallhash', small);
  now += 60_000;

  test('the large structures are the ones prefetch is for', () => {
    expect(bigHash.nameIndex()?.size).toBe(PREFETCH_MIN_NAMES + 10);
    expect(bigSet.nameIndex()?.size).toBe(PREFETCH_MIN_NAMES + 10);
    expect(small.nameIndex()).toBeUndefined();
    expect(db.size).toBeGreaterThanOrEqual(PREFETCH_MIN_NAMES);
  });

  test.each([
    ['keys, present and absent, empty and binary', [['GET', 'key:1'], ['GET', 'nope'], ['SET', '', 'x'], ['GET', '\u0000\u00ff'], ['GET', 'key:7']]],
    ['a large hash first: its fields, and other keys with arguments that are no fields', [['HGET', 'bighash', 'field:3'], ['HSET', 'bighash', 'nofield', 'x'], ['GET', 'key:2'], ['SET', 'key:3', 'field:4'], ['HGET', 'bighash', '']]],
    ['a large set first', [['SISMEMBER', 'bigset', 'member:9'], ['SADD', 'bigset', 'absent'], ['SISMEMBER', 'smallhash', 'f']]],
    ['a small collection or a string first: no name index', [['HGET', 'smallhash', 'f'], ['HGET', 'bighash', 'field:1'], ['GET', 'key:8', 'extra']]],
    ['a missing key first', [['HGET', 'missing', 'f'], ['HGET', 'bighash', 'field:1']]],
  ])('%s: nothing observable changes', (_name, commands) => {
    const before = observe(db);
    const { bytes, spans, count } = batch(commands);
    expect(count).toBe(commands.length);
    expect(db.prefetchPays(bytes, spans[0], spans[1])).toBe(true);
    expect(typeof db.prefetch(bytes, spans, count, new Int32Array(64))).toBe('number');
    expect(observe(db)).toBe(before);
  });

  test('a small database pays only for a large collection at the first key', () => {
    const little = new Database(0, () => now);
    little.set('s', 'v');
    little.set('bighash', bigHash);
    const strings = batch([['GET', 's'], ['GET', 's']]);
    expect(little.prefetchPays(strings.bytes, strings.spans[0], strings.spans[1])).toBe(false);
    const hashes = batch([['HGET', 'bighash', 'field:1'], ['HGET', 'bighash', 'field:2']]);
    expect(little.prefetchPays(hashes.bytes, hashes.spans[0], hashes.spans[1])).toBe(true);
    expect(typeof little.prefetch(hashes.bytes, hashes.spans, hashes.count, new Int32Array(64))).toBe('number');
  });
});

describe('prefetchHomes (the first stages of every batch prefetch)', () => {
  test("leaves each name's own position + 1, also for names displaced past their home entry", () => {
    // A small table at the index's highest load, so that many names sit past their home entry.
    const capacity = 64;
    const mask = capacity - 1;
    const table = new Int32Array(2 * capacity);
    const names: string[] = [];
    for (let i = 0; i < Math.floor(capacity * MAX_LOAD); i++) names.push(`name:${i}`);
    names.forEach((name, position) => placeEntry(table, mask, hashString(name), position));
    const displaced = names.filter((name) => table[2 * (hashString(name) & mask) + 1] - 1 !== names.indexOf(name));
    expect(displaced.length).toBeGreaterThan(5);

    const asked = [...names, 'absent:1', 'absent:2', 'skipped'];
    const bytes = Buffer.from(asked.join(''), 'latin1');
    const spans = new Int32Array(4 * asked.length);
    let at = 0;
    asked.forEach((name, k) => {
      // The name as argument 2 (where FieldIndex reads it); the last span is negative: skipped.
      spans[4 * k + 2] = name === 'skipped' ? -1 : at;
      spans[4 * k + 3] = name === 'skipped' ? -1 : at + name.length;
      at += name.length;
    });
    const scratch = new Int32Array(asked.length);
    prefetchHomes(table, mask, bytes, spans, 2, asked.length, scratch);
    asked.forEach((name, k) => expect([name, scratch[k]]).toEqual([name, names.indexOf(name) + 1]));
  });
});
