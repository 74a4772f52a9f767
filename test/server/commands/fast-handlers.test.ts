/**
 * Every command with a `fast` handler (the dispatcher's raw-bytes path) must answer and change the
 * keyspace exactly as its general `handler` does. Each case runs on two harnesses, one through
 * each handler; the raw request comes from the real parser's scan().
 */
import { allCommands } from '../../../lib/server/commands';
import { type CommandContext, type CommandSpec, ReplyError } from '../../../lib/server/commands/command';
import { Database } from '../../../lib/server/keyspace/database';
import { RespParser } from '../../../lib/server/protocol/resp-parser';
import { encodeCommand } from '../../support';
import { FakeList, Harness } from './command-harness';

const specs = new Map<string, CommandSpec>(allCommands().map((s) => [s.name, s]));

/** Runs `parts` through the spec's fast handler on `h`, as the dispatcher's fast path would. */
function runFast(h: Harness, parts: string[]): string {
  const spec = specs.get(parts[0].toLowerCase()) as CommandSpec;
  const fast = spec.fast;
  if (fast === undefined) throw new Error(`${parts[0]} has no fast handler`);
  const parser = new RespParser({ maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1 << 30 });
  parser.append(encodeCommand(parts.map((p) => Buffer.from(p, 'latin1'))));
  const argc = parser.scan();
  expect(argc).toBe(parts.length);
  const ctx: CommandContext = { client: h.client, db: h.db, reply: h.reply, now: h.now, server: h };
  try {
    fast(ctx, parser, argc);
  } catch (err) {
    if (!(err instanceof ReplyError)) throw err;
    h.reply.error(err.reply);
  }
  return (h.reply.takeOutput() ?? Buffer.alloc(0)).toString('latin1');
}

/** Dumps a database (key → value or collection kind, and TTL) to compare the two harnesses. */
function dump(h: Harness): Array<[string, string, number | undefined]> {
  return Array.from(h.db.entries(), ([k, v, at]) => [k, typeof v === 'string' ? v : v.kind, at] as [string, string, number | undefined]).sort();
}

const fastNames = allCommands()
  .filter((s) => s.fast !== undefined)
  .map((s) => s.name);

test('the hot commands have fast handlers', () => {
  expect(fastNames.sort()).toEqual(['decr', 'decrby', 'get', 'hget', 'hset', 'incr', 'incrby', 'lpop', 'lpush', 'mset', 'rpop', 'rpush', 'sadd', 'set', 'sismember', 'spop', 'zadd', 'zpopmax', 'zpopmin', 'zrange']);
});

test.each<[string, string[][]]>([
  ['GET', [['GET', 'k'], ['SET', 'k', 'v'], ['GET', 'k'], ['GET', 'list'], ['GET', 'bin\u00ff']]],
  ['SET', [['SET', 'k', 'v'], ['SET', 'k', ''], ['SET', 'list', 'x'], ['SET', 'k', 'v2', 'NX'], ['SET', 'k', 'v3', 'XX', 'GET'], ['SET', 'k', 'v', 'EX', '0'], ['SET', 'k', 'v', 'BOGUS'], ['SET', '\u00ff\u0000', '\r\n']]],
  ['INCR', [['INCR', 'n'], ['INCR', 'n'], ['SET', 'n', '9223372036854775807'], ['INCR', 'n'], ['SET', 'n', 'x'], ['INCR', 'n'], ['INCR', 'list']]],
  ['INCR keeps the TTL', [['SET', 't', '41', 'EX', '100'], ['INCR', 't'], ['SET', 'e', '7', 'PX', '1'], ['ADVANCE', '2'], ['INCR', 'e']]],
  ['INCRBY', [['INCRBY', 'n', '5'], ['INCRBY', 'n', '-12'], ['INCRBY', 'n', 'x'], ['INCRBY', 'n', '9223372036854775807'], ['INCRBY', 'n', '01'], ['INCRBY', 'big', '9007199254740993'], ['INCRBY', 'big', '1'], ['INCRBY', 'list', '1']]],
  ['DECRBY', [['DECRBY', 'n', '5'], ['DECRBY', 'n', '-9223372036854775808'], ['DECRBY', 'n', '9223372036854775807'], ['DECRBY', 'n', '9223372036854775807'], ['DECRBY', 'n', ''], ['DECRBY', 'list', '1']]],
  ['DECR', [['DECR', 'n'], ['DECR', 'n'], ['SET', 'n', '-9223372036854775808'], ['DECR', 'n'], ['SET', 'n', '010'], ['DECR', 'n'], ['DECR', 'list'], ['SET', 'n', '10'], ['DECR', 'n']]],
  ['MSET', [['MSET', 'a', '1'], ['MSET', 'a', '2', 'b', '3', 'list', '4'], ['MSET', 'a', '1', 'b']]],
])('%s: fast handler = general handler', (_name, commands) => {
  const general = new Harness();
  const fast = new Harness();
  for (const h of [general, fast]) h.db.set('list', new FakeList());
  for (const parts of commands) {
    if (parts[0] === 'ADVANCE') {
      // The clock moves on (milliseconds) for both, e.g. past a TTL.
      for (const h of [general, fast]) h.now += Number(parts[1]);
      continue;
    }
    const expected = general.run(...parts);
    const got = specs.get(parts[0].toLowerCase())?.fast !== undefined ? runFast(fast, parts) : fast.run(...parts);
    expect([parts, got]).toEqual([parts, expected]);
    expect(dump(fast)).toEqual(dump(general));
    expect([fast.hits, fast.misses]).toEqual([general.hits, general.misses]);
  }
});

/** A harness whose database 0 counts the modification signals (WATCH, blocked clients, dirty) per key. */
function signalled(): { h: Harness; signals: string[] } {
  const h = new Harness();
  const signals: string[] = [];
  h.databases[0] = new Database(0, () => h.now, (_db, key) => signals.push(key));
  return { h, signals };
}

const long = 'v'.repeat(200);
const listSteps: string[][] = [
  ['LPUSH', 'l', 'a'],
  ['LPUSH', 'l', 'b', 'c'],
  ['RPUSH', 'l', '1', '-12', '300000', '007', long],
  ['LPOP', 'l'],
  ['RPOP', 'l'],
  ['LPOP', 'l', '2'],
  ['RPOP', 'l', '0'],
  ['LPUSH', 'list', 'x'],
  ['RPOP', 'list'],
  ['SET', 's', 'x'],
  ['RPUSH', 's', 'x'],
  ['LPOP', 's'],
  ['LPOP', 'missing'],
  ['RPOP', 'missing'],
  ['LPUSH', 'l', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'],
  ['RPUSH', 'l', '\u00ff\u0000', '\r\n', ''],
  ['RPOP', 'l'],
  ['LPOP', 'l'],
  ['RPOP', 'l'],
  ['LPOP', 'l'],
  ['LPOP', 'l'],
  ['LPOP', 'l'],
  ['LPOP', 'l'],
  ['LPOP', 'l'],
  ['LPOP', 'l'],
  ['LPOP', 'l'],
  ['LPOP', 'l'],
  ['RPOP', 'l'],
  ['RPOP', 'l'],
  ['RPOP', 'l'],
  ['RPOP', 'l'],
  ['RPOP', 'l'],
  ['LPOP', 'l'],
  ['RPUSH', 'r', 'z'],
  ['RPOP', 'r'],
];

test.each<[string, string | undefined]>([
  ['default list-max-listpack-size', undefined],
  ['list-max-listpack-size 4 (quicklist nodes of 4)', '4'],
  ['list-max-listpack-size 1', '1'],
])('LPUSH/RPUSH/LPOP/RPOP, %s: fast handler = general handler (reply, contents, encoding, signals)', (_name, fill) => {
  const general = signalled();
  const fast = signalled();
  for (const { h } of [general, fast]) {
    h.db.set('list', new FakeList());
    if (fill !== undefined) h.settings.set('list-max-listpack-size', fill);
  }
  general.signals.length = 0;
  fast.signals.length = 0;
  for (const parts of listSteps) {
    const expected = general.h.run(...parts);
    const got = runFast(fast.h, parts);
    expect([parts, got]).toEqual([parts, expected]);
    expect(dump(fast.h)).toEqual(dump(general.h));
    expect(fast.signals).toEqual(general.signals);
    expect(fast.h.db.usedBytes).toBe(general.h.db.usedBytes);
    for (const key of ['l', 'r']) {
      const view = (h: Harness): string[] => [h.run('LRANGE', key, '0', '-1'), h.run('OBJECT', 'ENCODING', key)];
      expect([parts, view(fast.h)]).toEqual([parts, view(general.h)]);
    }
  }
});

const zsetSteps: string[][] = [
  ['ZADD', 'z', '1', 'a'],
  ['ZADD', 'z', '000000096418', 'b'],
  ['ZADD', 'z', '-3', 'c'],
  ['ZADD', 'z', '-0', 'zero'],
  ['ZADD', 'z', '1.5', 'd'],
  ['ZADD', 'z', '1e3', 'e'],
  ['ZADD', 'z', 'inf', 'f'],
  ['ZADD', 'z', '1', 'a'],
  ['ZADD', 'z', '2', 'a'],
  ['ZADD', 'z', 'x', 'a'],
  ['ZADD', 'z', 'nan', 'a'],
  ['ZADD', 'z', 'NX', '5', 'a'],
  ['ZADD', 'z', '1', 'a', '2'],
  ['ZADD', 'z', '1', 'a', '7', 'g'],
  ['ZADD', 'z', '123456789012345678', 'h'],
  ['ZADD', 'z', '3', 'x'.repeat(100)],
  ['ZADD', 'z', '4', 'a'],
  ['ZADD', 'z', '4', 'a'],
  ['ZADD', 'z', '-1', 'a'],
  ['ZADD', 'z', '2.25', 'new member'],
  ['ZADD', 'z', '3', 'x'.repeat(100)],
  ['ZADD', 'z', '5', 'x'.repeat(100)],
  ['ZADD', 'z', 'nan', 'b'],
  ['ZADD', 'list', '1', 'a'],
  ['ZADD', 'new', '1', 'a'],
  ['ZRANGE', 'z', '0', '9', 'WITHSCORES'],
  ['ZRANGE', 'z', '0', '-1'],
  ['ZRANGE', 'z', '-3', '100', 'withscores'],
  ['ZRANGE', 'z', '5', '2'],
  ['ZRANGE', 'z', '00', '1'],
  ['ZRANGE', 'z', '-0', '1'],
  ['ZRANGE', 'z', 'a', '1'],
  ['ZRANGE', 'z', '0', '1', 'REV'],
  ['ZRANGE', 'z', '0', '1', 'BOGUS'],
  ['ZRANGE', 'z', '(1', '5', 'BYSCORE'],
  ['ZRANGE', 'missing', '0', '1'],
  ['ZRANGE', 'list', '0', '1'],
  ['ZPOPMIN', 'z'],
  ['ZPOPMAX', 'z'],
  ['ZPOPMIN', 'z', '2'],
  ['ZPOPMAX', 'z', 'x'],
  ['ZPOPMIN', 'missing'],
  ['ZPOPMAX', 'list'],
  ['ZPOPMIN', 'new'],
  ['ZPOPMIN', 'z'],
  ['ZPOPMAX', 'z'],
  ['ZPOPMIN', 'z'],
  ['ZPOPMAX', 'z'],
  ['ZPOPMIN', 'z'],
  ['ZPOPMAX', 'z'],
  ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
];

test.each<[string, string | undefined, 2 | 3]>([
  ['default limits, RESP2', undefined, 2],
  ['zset-max-listpack-entries 4, RESP2', '4', 2],
  ['zset-max-listpack-entries 4, RESP3', '4', 3],
  ['default limits, RESP3', undefined, 3],
])('ZADD/ZRANGE/ZPOPMIN/ZPOPMAX, %s: fast handler = general handler (reply, contents, encoding, signals)', (_name, entries, resp) => {
  const general = signalled();
  const fast = signalled();
  for (const { h } of [general, fast]) {
    h.db.set('list', new FakeList());
    if (entries !== undefined) h.settings.set('zset-max-listpack-entries', entries);
    h.reply.resp = resp;
    (h.client as { resp: 2 | 3 }).resp = resp;
  }
  general.signals.length = 0;
  fast.signals.length = 0;
  for (const parts of zsetSteps) {
    const expected = general.h.run(...parts);
    const got = runFast(fast.h, parts);
    expect([parts, got]).toEqual([parts, expected]);
    expect(dump(fast.h)).toEqual(dump(general.h));
    expect(fast.signals).toEqual(general.signals);
    expect(fast.h.db.usedBytes).toBe(general.h.db.usedBytes);
    expect([fast.h.hits, fast.h.misses]).toEqual([general.h.hits, general.h.misses]);
    const hits = [general.h.hits, general.h.misses, fast.h.hits, fast.h.misses];
    for (const key of ['z', 'new']) {
      const view = (h: Harness): string[] => [h.run('ZRANGE', key, '0', '-1', 'WITHSCORES'), h.run('OBJECT', 'ENCODING', key)];
      expect([parts, view(fast.h)]).toEqual([parts, view(general.h)]);
    }
    [general.h.hits, general.h.misses, fast.h.hits, fast.h.misses] = hits;
  }
});
