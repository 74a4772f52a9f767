/**
 * The hash and set fast handlers (HSET, HGET, SADD, SISMEMBER, SPOP) against their general
 * handlers, on every encoding and across conversions: the same replies, the same contents in the
 * same order and encoding, the same modification signals (WATCH), hits/misses, TTLs and LRU/LFU
 * touches. Math.random is replaced by one seeded sequence per command, restarted for each harness,
 * so SPOP picks the same member on both sides only if both drew the same numbers (LFU touches
 * draw too).
 */
import { allCommands } from '../../../lib/server/commands';
import { type CommandContext, type CommandSpec, ReplyError } from '../../../lib/server/commands/command';
import { HashValue } from '../../../lib/server/datatypes/hash';
import { SetValue } from '../../../lib/server/datatypes/set';
import { Database } from '../../../lib/server/keyspace/database';
import { RespParser } from '../../../lib/server/protocol/resp-parser';
import { encodeCommand } from '../../support';
import { mulberry32 } from '../../support/seeded-random';
import { FakeList, Harness } from './command-harness';

const specs = new Map<string, CommandSpec>(allCommands().map((s) => [s.name, s]));

/** A harness whose database 0 records every modification signal. */
function harness(settings: Record<string, string>): { h: Harness; signals: string[] } {
  const h = new Harness();
  const signals: string[] = [];
  h.databases[0] = new Database(0, () => h.now, (_db, key) => signals.push(key));
  for (const [name, value] of Object.entries(settings)) h.settings.set(name, value);
  h.db.set('list', new FakeList());
  signals.length = 0;
  return { h, signals };
}

/** Runs `parts` through the spec's fast handler, from a request scanned by the real parser. */
function runFast(h: Harness, parts: string[]): string {
  const fast = specs.get(parts[0].toLowerCase())?.fast;
  if (fast === undefined) return h.run(...parts);
  const parser = new RespParser({ maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1 << 30 });
  parser.append(encodeCommand(parts.map((p) => Buffer.from(p, 'latin1'))));
  const argc = parser.scan();
  const ctx: CommandContext = { client: h.client, db: h.db, reply: h.reply, now: h.now, server: h };
  try {
    fast(ctx, parser, argc);
  } catch (err) {
    if (!(err instanceof ReplyError)) throw err;
    h.reply.error(err.reply);
  }
  return (h.reply.takeOutput() ?? Buffer.alloc(0)).toString('latin1');
}

/** Everything observable about a database: per key its type, encoding, contents in order, TTL, idle time and LFU counter. */
function dump(db: Database): string {
  const out: string[] = [];
  for (const [key, value, ttl] of db.entries()) {
    let contents: string;
    if (value instanceof HashValue) contents = `${value.encoding()} ${JSON.stringify(value.flatten())}`;
    else if (value instanceof SetValue) contents = `${value.encoding()} ${JSON.stringify(value.members())}`;
    else contents = typeof value === 'string' ? value : value.kind;
    out.push(`${key} ${contents} ttl=${ttl} idle=${db.idleSeconds(key)} freq=${db.accessFrequency(key)}`);
  }
  return out.sort().join('\n');
}

/**
 * Runs `commands` on a general and a fast harness and expects them to agree after every step
 * (the whole databases every `dumpEvery` steps and at the end).
 */
function expectSameEffects(commands: string[][], settings: Record<string, string> = {}, dumpEvery = 1): Database {
  const general = harness(settings);
  const fast = harness(settings);
  const realRandom = Math.random;
  try {
    commands.forEach((parts, step) => {
      if (parts[0] === 'ADVANCE') {
        // Time passes (TTLs run out, LRU idle times grow) on both sides.
        general.h.now += Number(parts[1]);
        fast.h.now += Number(parts[1]);
        return;
      }
      Math.random = mulberry32(step + 1);
      const expected = general.h.run(...parts);
      Math.random = mulberry32(step + 1);
      const got = runFast(fast.h, parts);
      Math.random = realRandom;
      expect([parts, got]).toEqual([parts, expected]);
      if (step % dumpEvery === 0 || step === commands.length - 1) {
        expect([parts, dump(fast.h.db)]).toEqual([parts, dump(general.h.db)]);
      }
      expect([parts, fast.signals]).toEqual([parts, general.signals]);
      fast.signals.length = 0;
      general.signals.length = 0;
      expect([parts, fast.h.hits, fast.h.misses]).toEqual([parts, general.h.hits, general.h.misses]);
    });
  } finally {
    Math.random = realRandom;
  }
  return general.h.db;
}

test('these hash and set commands have fast handlers', () => {
  for (const name of ['hset', 'hget', 'sadd', 'sismember', 'spop']) expect(specs.get(name)?.fast).toBeDefined();
});

const SMALL_HASH = { 'hash-max-listpack-entries': '4', 'hash-max-listpack-value': '8' };
const SMALL_SET = { 'set-max-intset-entries': '4', 'set-max-listpack-entries': '4', 'set-max-listpack-value': '8' };

test('HSET/HGET: listpack, conversion by count and by length, table, several pairs, errors', () => {
  expectSameEffects(
    [
      ['HGET', 'h', 'f'],
      ['HSET', 'h', 'f1', 'v1'],
      ['HGET', 'h', 'f1'],
      ['HGET', 'h', 'nope'],
      ['HSET', 'h', 'f1', 'v1b', 'f2', 'v2'],
      ['HSET', 'h', 'f3', 'v3', 'f4', 'v4'],
      // A fifth field: past hash-max-listpack-entries, the hash becomes a table.
      ['HSET', 'h', 'f5', 'v5'],
      ['HGET', 'h', 'f5'],
      ['HSET', 'h', 'f5', 'v5b', 'f6', 'v6', 'f2', ''],
      ['HGET', 'h', 'f2'],
      ['HGET', 'h', 'missing'],
      ['HDEL', 'h', 'f1', 'f3'],
      ['HSET', 'h', 'f1', 'again'],
      ['HGET', 'h', 'f6'],
      // Too long a value converts a listpack at once.
      ['HSET', 'long', 'a', '1'],
      ['HSET', 'long', 'b', '123456789'],
      ['HGET', 'long', 'b'],
      // Too many pairs in one command convert before any is added.
      ['HSET', 'many', 'a', '1'],
      ['HSET', 'many', 'b', '1', 'c', '2', 'd', '3', 'e', '4', 'f', '5'],
      // Binary fields and values, the empty field.
      ['HSET', 'h', '\u00ff\u0000\r\n', '\u0001', '', 'empty'],
      ['HGET', 'h', '\u00ff\u0000\r\n'],
      ['HGET', 'h', ''],
      ['HSET', 'small', '\u00ff', '\u0000'],
      ['HGET', 'small', '\u00ff'],
      // Errors: wrong arity (odd pairs) on a new and an existing hash, wrong type.
      ['HSET', 'h', 'a', 'b', 'c'],
      ['HSET', 'new', 'a', 'b', 'c'],
      ['HSET', 'list', 'a', 'b'],
      ['HGET', 'list', 'a'],
      // An expired hash is gone for HSET (recreated) and HGET (a miss).
      ['PEXPIRE', 'h', '10'],
      ['PEXPIRE', 'small', '10'],
      ['ADVANCE', '2000'],
      ['HGET', 'small', '\u00ff'],
      ['HSET', 'h', 'x', 'y'],
      ['HGET', 'h', 'x'],
      // Overwriting a value only does not create a field but still signals.
      ['HSET', 'h', 'x', 'z'],
    ],
    SMALL_HASH,
  );
});

test('SADD/SISMEMBER: intset, listpack and table, every conversion, several members, errors', () => {
  expectSameEffects(
    [
      ['SISMEMBER', 's', '1'],
      ['SADD', 's', '1'],
      ['SADD', 's', '2', '3', '2'],
      ['SISMEMBER', 's', '2'],
      ['SISMEMBER', 's', '02'],
      ['SISMEMBER', 's', 'x'],
      ['SADD', 's', '3'],
      // A non-integer member: intset → listpack.
      ['SADD', 's', 'abc'],
      ['SISMEMBER', 's', 'abc'],
      ['SISMEMBER', 's', '1'],
      // Past set-max-listpack-entries: listpack → table.
      ['SADD', 's', 'd', 'e'],
      ['SISMEMBER', 's', 'e'],
      ['SISMEMBER', 's', 'zz'],
      ['SADD', 's', 'e', 'f', '\u00ff\u0000'],
      ['SISMEMBER', 's', '\u00ff\u0000'],
      ['SREM', 's', '1', 'abc'],
      ['SADD', 's', '1'],
      // Past set-max-intset-entries: intset → table; a long member: listpack → table.
      ['SADD', 'ints', '1', '2', '3'],
      ['SADD', 'ints', '4', '5'],
      ['SISMEMBER', 'ints', '5'],
      ['SADD', 'lp', 'a'],
      ['SADD', 'lp', 'longer-than-8'],
      // Too many members in one command convert first.
      ['SADD', 'lp2', 'a'],
      ['SADD', 'lp2', 'b', 'c', 'd', 'e', 'f'],
      ['SADD', 'int2', '7'],
      ['SADD', 'int2', '8', '9', '10', '11', '12'],
      // Nothing new: no signal.
      ['SADD', 'lp2', 'a', 'b'],
      ['SADD', 'int2', '7'],
      ['SADD', 'list', 'a'],
      ['SISMEMBER', 'list', 'a'],
      ['PEXPIRE', 'ints', '10'],
      ['ADVANCE', '2000'],
      ['SISMEMBER', 'ints', '1'],
      ['SADD', 'ints', '1'],
    ],
    SMALL_SET,
  );
});

test('SPOP: every encoding, the last member deletes the key, with a count, errors', () => {
  expectSameEffects(
    [
      ['SPOP', 'nokey'],
      ['SADD', 'i', '1', '2', '3'],
      ['SPOP', 'i'],
      ['SPOP', 'i'],
      ['SPOP', 'i'],
      ['SPOP', 'i'],
      ['SADD', 'l', 'a', 'b', 'c'],
      ['SPOP', 'l'],
      ['SADD', 't', 'a', 'b', 'c', 'd', 'e', 'f', 'g'],
      ['SPOP', 't'],
      ['SPOP', 't'],
      ['SPOP', 't', '2'],
      ['SPOP', 't', '-1'],
      ['SPOP', 't', '1', '2'],
      ['SISMEMBER', 't', 'a'],
      ['SPOP', 't', '10'],
      ['SPOP', 'list'],
      ['SPOP', 'list', '1'],
    ],
    SMALL_SET,
  );
});

test('seeded random mix over a few keys on the default limits and on tiny ones: fast = general', () => {
  for (const [seed, settings] of [[1, {}], [2, { ...SMALL_HASH, ...SMALL_SET }]] as const) {
    const random = mulberry32(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const member = (): string => (random() < 0.5 ? String(Math.floor(random() * 300)) : `m${Math.floor(random() * 300)}`);
    const commands: string[][] = [];
    for (let i = 0; i < 3000; i++) {
      const key = pick(['a', 'b', 'c', 'list']);
      const r = random();
      if (r < 0.3) commands.push(['HSET', `h${key}`, member(), member(), ...(random() < 0.2 ? [member(), member()] : [])]);
      else if (r < 0.4) commands.push(['HGET', `h${key}`, member()]);
      else if (r < 0.45) commands.push(['HDEL', `h${key}`, member(), member()]);
      else if (r < 0.7) commands.push(['SADD', `s${key}`, member(), ...(random() < 0.2 ? [member(), member()] : [])]);
      else if (r < 0.8) commands.push(['SISMEMBER', `s${key}`, member()]);
      else if (r < 0.9) commands.push(['SPOP', `s${key}`]);
      else if (r < 0.95) commands.push(['SREM', `s${key}`, member()]);
      else commands.push(['HSET', key === 'list' ? 'list' : `s${key}`, 'f', 'v']);
    }
    const db = expectSameEffects(commands, settings, 50);
    // The mix reached the tables (the index under test), not only the compact encodings.
    const encodings = new Set(Array.from(db.entries(), ([, v]) => (typeof v === 'string' ? 'string' : `${v.kind} ${v.encoding()}`)));
    expect(encodings).toContain('hash hashtable');
    expect(encodings).toContain('set hashtable');
  }
});
