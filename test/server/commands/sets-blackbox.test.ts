import { parseReply, type RespValue } from '../../support';
import type { CommandArg } from '../../support/resp';
import { expectSameReplies, oursOnly, type Pair, useServerPair } from './blackbox';

const servers = useServerPair();

function strings(value: RespValue): string[] {
  if (value.kind === '$') return [value.data === null ? '<nil>' : value.data.toString('latin1')];
  if (value.kind === '*' || value.kind === '~' || value.kind === '%') return (value.items ?? []).flatMap(strings);
  return [`${value.kind}${'text' in value ? value.text : ''}`];
}

async function call(pair: Pair, side: 'redis' | 'ours', ...args: CommandArg[]): Promise<RespValue> {
  return parseReply(await pair[side].call(...args));
}

/**
 * Both servers reply with the same kind and the same elements, order aside: sets that are not
 * intsets come back in hash-table order on redis-server (and redis-server 7.0 has no listpack sets).
 */
async function expectSameElements(pair: Pair, ...args: CommandArg[]): Promise<void> {
  const theirs = await call(pair, 'redis', ...args);
  const mine = await call(pair, 'ours', ...args);
  expect(mine.kind).toBe(theirs.kind);
  expect([...strings(mine)].sort()).toEqual([...strings(theirs)].sort());
}

const range = (n: number, make: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => make(i));

describe('sets against redis-server', () => {
  afterEach(async () => {
    await expectSameReplies(servers(), [['CONFIG', 'SET', 'set-max-intset-entries', '512']]);
  });

  test('intsets: SADD SREM SISMEMBER SMISMEMBER SCARD SMEMBERS in ascending order', async () => {
    await expectSameReplies(servers(), [
      ['SADD', 's:i', '5', '-3', '100000', '5', '0'],
      ['SADD', 's:i', '-9223372036854775808', '9223372036854775807', '70000', '-40000'],
      ['SMEMBERS', 's:i'],
      ['OBJECT', 'ENCODING', 's:i'],
      ['SCARD', 's:i'],
      ['SISMEMBER', 's:i', '100000'],
      ['SISMEMBER', 's:i', '05'],
      ['SISMEMBER', 's:i', 'x'],
      ['SMISMEMBER', 's:i', '5', '6', '-3', '+5'],
      ['SMISMEMBER', 's:nope', 'a', 'b'],
      ['SREM', 's:i', '5', '5', '6', 'x'],
      ['SREM', 's:i', '9223372036854775807'],
      ['SMEMBERS', 's:i'],
      ['SREM', 's:i', '-3', '0', '100000', '-9223372036854775808', '70000', '-40000'],
      ['EXISTS', 's:i'],
      ['SREM', 's:i', 'a'],
      ['SCARD', 's:nope'],
      ['SMEMBERS', 's:nope'],
      ['SISMEMBER', 's:nope', 'a'],
      ['SADD', 's:i'],
      ['SREM', 's:i'],
      ['TYPE', 's:x'],
    ]);
  });

  test('string sets: same members, counts and errors', async () => {
    const pair = servers();
    await expectSameReplies(pair, [
      ['SADD', 's:s', 'b', 'a', 'c', 'a', Buffer.from([0, 255, 13, 10])],
      ['SADD', 's:s', 'c', 'd'],
      ['SCARD', 's:s'],
      ['SISMEMBER', 's:s', 'a'],
      ['SISMEMBER', 's:s', 'z'],
      ['SMISMEMBER', 's:s', 'a', 'z', 'd'],
      ['SREM', 's:s', 'a', 'z'],
      ['TYPE', 's:s'],
    ]);
    await expectSameElements(pair, 'SMEMBERS', 's:s');
  });

  test('WRONGTYPE everywhere, and other types’ commands on a set', async () => {
    await expectSameReplies(servers(), [
      ['SET', 's:str', 'v'],
      ['SADD', 's:str', 'a'],
      ['SREM', 's:str', 'a'],
      ['SISMEMBER', 's:str', 'a'],
      ['SMISMEMBER', 's:str', 'a'],
      ['SCARD', 's:str'],
      ['SMEMBERS', 's:str'],
      ['SPOP', 's:str'],
      ['SPOP', 's:str', '2'],
      ['SRANDMEMBER', 's:str'],
      ['SRANDMEMBER', 's:str', '2'],
      ['SINTER', 's:nope', 's:str'],
      ['SINTERCARD', '2', 's:nope', 's:str'],
      ['SINTERSTORE', 's:d', 's:str'],
      ['SUNION', 's:str'],
      ['SUNIONSTORE', 's:d', 's:str'],
      ['SDIFF', 's:nope', 's:str'],
      ['SDIFFSTORE', 's:d', 's:str'],
      ['SSCAN', 's:str', '0'],
      ['SADD', 's:set', '1'],
      ['SMOVE', 's:str', 's:set', '1'],
      ['SMOVE', 's:set', 's:str', '1'],
      ['SMOVE', 's:nope', 's:str', '1'],
      ['SINTERSTORE', 's:str', 's:set'],
      ['TYPE', 's:str'],
      ['GET', 's:set'],
      ['INCR', 's:set'],
      ['APPEND', 's:set', 'x'],
      ['HSET', 's:set', 'f', 'v'],
      ['SETBIT', 's:set', '0', '1'],
    ]);
  });

  test('SMOVE', async () => {
    await expectSameReplies(servers(), [
      ['SADD', 's:m1', '1', '2', 'a'],
      ['SMOVE', 's:m1', 's:m2', '1'],
      ['SMOVE', 's:m1', 's:m2', '1'],
      ['SMEMBERS', 's:m2'],
      ['OBJECT', 'ENCODING', 's:m2'],
      ['SMOVE', 's:m1', 's:m1', '2'],
      ['SMOVE', 's:m1', 's:m1', 'zz'],
      ['SMOVE', 's:nope', 's:m2', '1'],
      ['SMOVE', 's:m1', 's:m2', '2'],
      ['SMOVE', 's:m1', 's:m2', 'a'],
      ['EXISTS', 's:m1'],
      ['SCARD', 's:m2'],
      ['SISMEMBER', 's:m2', 'a'],
    ]);
  });

  test('SPOP and SRANDMEMBER: deterministic cases and errors', async () => {
    await expectSameReplies(servers(), [
      ['SADD', 's:p', '3', '1', '2'],
      ['SRANDMEMBER', 's:p', '3'],
      ['SRANDMEMBER', 's:p', '10'],
      ['SRANDMEMBER', 's:p', '9223372036854775807'],
      ['SRANDMEMBER', 's:p', '0'],
      ['SRANDMEMBER', 's:nope'],
      ['SRANDMEMBER', 's:nope', '3'],
      ['SRANDMEMBER', 's:nope', '-3'],
      ['SRANDMEMBER', 's:p', 'x'],
      ['SRANDMEMBER', 's:p', '-9223372036854775808'],
      ['SRANDMEMBER', 's:p', '1', '2'],
      ['SPOP', 's:p', '0'],
      ['SPOP', 's:p', '-1'],
      ['SPOP', 's:p', 'x'],
      ['SPOP', 's:nope', 'x'],
      ['SPOP', 's:p', '1', '2'],
      ['SPOP', 's:nope'],
      ['SPOP', 's:nope', '3'],
      ['SPOP', 's:p', '3'],
      ['EXISTS', 's:p'],
      ['SADD', 's:p', '7', '5'],
      ['SPOP', 's:p', '100'],
      ['EXISTS', 's:p'],
      ['SADD', 's:p', '9'],
      ['SPOP', 's:p'],
      ['EXISTS', 's:p'],
    ]);
  });

  test('SPOP and SRANDMEMBER: random choices keep their invariants on both servers', async () => {
    const pair = servers();
    const kinds: Array<[string, string[]]> = [
      ['intset', range(40, (i) => `${i * 7}`)],
      ['small strings', range(40, (i) => `m${i}`)],
      ['hashtable', range(300, (i) => `member:${i}`)],
    ];
    for (const [, members] of kinds) {
      for (const side of ['redis', 'ours'] as const) {
        const all = new Set(members);
        const n = members.length;
        for (const count of [1, Math.floor(n / 10), Math.floor(n / 2), n - 1]) {
          const distinct = strings(await call(pair, side, 'SRANDMEMBER', 's:r', count));
          expect(distinct).toEqual([]); // the key does not exist yet
          await pair[side].call('SADD', 's:r', ...members);
          const picked = strings(await call(pair, side, 'SRANDMEMBER', 's:r', count));
          expect(picked).toHaveLength(count);
          expect(new Set(picked).size).toBe(count);
          for (const m of picked) expect(all.has(m)).toBe(true);
          const repeated = strings(await call(pair, side, 'SRANDMEMBER', 's:r', -3 * n));
          expect(repeated).toHaveLength(3 * n);
          for (const m of repeated) expect(all.has(m)).toBe(true);

          const popped = strings(await call(pair, side, 'SPOP', 's:r', count));
          expect(popped).toHaveLength(count);
          expect(new Set(popped).size).toBe(count);
          const left = strings(await call(pair, side, 'SMEMBERS', 's:r'));
          expect(left).toHaveLength(n - count);
          expect([...left, ...popped].sort()).toEqual([...members].sort());
          const one = strings(await call(pair, side, 'SPOP', 's:r'))[0];
          expect(left).toContain(one);
          expect(strings(await call(pair, side, 'SISMEMBER', 's:r', one))).toEqual([':0']);
          await pair[side].call('DEL', 's:r');
        }
      }
    }
  });

  test('SINTER SINTERCARD SINTERSTORE', async () => {
    const pair = servers();
    await expectSameReplies(pair, [
      ['SADD', 's:a', '1', '2', '3', '4', '5'],
      ['SADD', 's:b', '5', '4', '3', '9'],
      ['SADD', 's:c', '3', '4', '5', 'x'],
      ['SINTER', 's:a', 's:b'],
      ['SINTER', 's:b', 's:a'],
      ['SINTER', 's:a', 's:a'],
      ['SINTER', 's:a', 's:nope'],
      ['SINTER', 's:nope'],
      ['SINTERCARD', '2', 's:a', 's:b'],
      ['SINTERCARD', '3', 's:a', 's:b', 's:c'],
      ['SINTERCARD', '2', 's:a', 's:b', 'LIMIT', '1'],
      ['SINTERCARD', '2', 's:a', 's:b', 'limit', '0'],
      ['SINTERCARD', '2', 's:a', 's:nope'],
      ['SINTERCARD', '0', 's:a'],
      ['SINTERCARD', '-1', 's:a'],
      ['SINTERCARD', 'x', 's:a'],
      ['SINTERCARD', '3', 's:a', 's:b'],
      ['SINTERCARD', '1', 's:a', 'LIMIT'],
      ['SINTERCARD', '1', 's:a', 'LIMIT', '-1'],
      ['SINTERCARD', '1', 's:a', 'LIMIT', 'x'],
      ['SINTERCARD', '1', 's:a', 'FOO', '1'],
      ['SET', 's:d', 'old'],
      ['EXPIRE', 's:d', '1000'],
      ['SINTERSTORE', 's:d', 's:a', 's:b'],
      ['TTL', 's:d'],
      ['SMEMBERS', 's:d'],
      ['OBJECT', 'ENCODING', 's:d'],
      ['SINTERSTORE', 's:d', 's:a', 's:nope'],
      ['EXISTS', 's:d'],
      ['SINTERSTORE', 's:d', 's:c', 's:a'],
      ['SMEMBERS', 's:d'],
      ['OBJECT', 'ENCODING', 's:d'],
      ['SINTERSTORE', 's:a', 's:a', 's:b'],
      ['SMEMBERS', 's:a'],
    ]);
    await expectSameElements(pair, 'SINTER', 's:c', 's:c');
  });

  test('SUNION SDIFF and their STORE forms', async () => {
    const pair = servers();
    await expectSameReplies(pair, [
      ['SADD', 's:u1', '3', '1', '2'],
      ['SADD', 's:u2', '2', '5'],
      ['SADD', 's:u3', 'x', '1'],
      ['SUNION', 's:u1', 's:u2', 's:nope'],
      ['SUNION', 's:nope'],
      ['SDIFF', 's:u1', 's:u2'],
      ['SDIFF', 's:u1', 's:u2', 's:u3'],
      ['SDIFF', 's:u1', 's:nope'],
      ['SDIFF', 's:nope', 's:u1'],
      ['SDIFF', 's:u1', 's:u1'],
      ['SDIFF', 's:u3', 's:u1'],
      ['SUNIONSTORE', 's:ud', 's:u1', 's:u2'],
      ['SMEMBERS', 's:ud'],
      ['OBJECT', 'ENCODING', 's:ud'],
      ['SDIFFSTORE', 's:ud', 's:u1', 's:u2'],
      ['SMEMBERS', 's:ud'],
      ['SDIFFSTORE', 's:ud', 's:u1', 's:u1'],
      ['EXISTS', 's:ud'],
      ['SUNIONSTORE', 's:ud', 's:nope'],
      ['SUNIONSTORE', 's:u1', 's:u1', 's:u2'],
      ['SMEMBERS', 's:u1'],
      ['SADD', 's:big', ...range(100, (i) => `${i}`)],
      ['SDIFF', 's:u2', 's:big', 's:u3'],
      ['SADD', 's:few', '1', '500', '1000'],
      ['SDIFF', 's:few', 's:big'],
      ['SDIFFSTORE', 's:ud', 's:big', 's:few', 's:u1'],
      ['SCARD', 's:ud'],
      ['OBJECT', 'ENCODING', 's:ud'],
    ]);
    await expectSameElements(pair, 'SUNION', 's:u1', 's:u3');
    await expectSameElements(pair, 'SDIFF', 's:u3', 's:nope');
  });

  test('SSCAN: intsets whole and in order, options, errors', async () => {
    await expectSameReplies(servers(), [
      ['SADD', 's:sc', '12', '3', '21', '-4'],
      ['SSCAN', 's:sc', '0'],
      ['SSCAN', 's:sc', '7', 'MATCH', '*1*', 'COUNT', '1'],
      ['SSCAN', 's:sc', '0', 'MATCH', 'nomatch'],
      ['SSCAN', 's:sc', 'abc'],
      ['SSCAN', 's:sc', '0', 'COUNT', '0'],
      ['SSCAN', 's:sc', '0', 'COUNT', 'x'],
      ['SSCAN', 's:sc', '0', 'TYPE', 'set'],
      ['SSCAN', 's:sc', '0', 'MATCH'],
      ['SSCAN', 's:nope', '0'],
      ['SSCAN', 's:nope', '0', 'COUNT', '0'],
    ]);
  });

  test('SSCAN over a hashtable: a full iteration returns every member on both servers', async () => {
    const pair = servers();
    const members = range(500, (i) => `m${i}`);
    await expectSameReplies(pair, [['SADD', 's:bigscan', ...members], ['OBJECT', 'ENCODING', 's:bigscan']]);
    for (const side of ['redis', 'ours'] as const) {
      const seen = new Set<string>();
      let cursor = '0';
      let calls = 0;
      do {
        const reply = await call(pair, side, 'SSCAN', 's:bigscan', cursor, 'COUNT', 30, 'MATCH', 'm*');
        if (reply.kind !== '*' || reply.items === null) throw new Error('not an array');
        cursor = strings(reply.items[0])[0];
        strings(reply.items[1]).forEach((m) => seen.add(m));
        calls++;
      } while (cursor !== '0' && calls < 1000);
      expect(seen).toEqual(new Set(members));
    }
  });

  test('encodings with CONFIG SET thresholds (intset and hashtable agree with redis-server 7.0)', async () => {
    await expectSameReplies(servers(), [
      ['CONFIG', 'SET', 'set-max-intset-entries', '3'],
      ['CONFIG', 'GET', 'set-max-intset-entries'],
      ['SADD', 's:e1', '1', '2', '3'],
      ['OBJECT', 'ENCODING', 's:e1'],
      ['SADD', 's:e1', '4'],
      ['OBJECT', 'ENCODING', 's:e1'],
      ['SREM', 's:e1', '1', '2', '3'],
      ['OBJECT', 'ENCODING', 's:e1'],
      ['SADD', 's:e4', ...range(200, (i) => `x${i}`)],
      ['OBJECT', 'ENCODING', 's:e4'],
    ]);
  });

  test('listpack sets (Valkey 8 / Redis 7.2; redis-server 7.0 says hashtable): ours only', async () => {
    const replies = await oursOnly(servers(), [
      ['CONFIG', 'SET', 'set-max-listpack-entries', '3'],
      ['CONFIG', 'SET', 'set-max-listpack-value', '5'],
      ['SADD', 's:l1', 'a', 'b', 'c'],
      ['OBJECT', 'ENCODING', 's:l1'],
      ['SADD', 's:l1', 'd'],
      ['OBJECT', 'ENCODING', 's:l1'],
      ['SADD', 's:l2', '1', '2'],
      ['SADD', 's:l2', 'x'],
      ['OBJECT', 'ENCODING', 's:l2'],
      ['SMEMBERS', 's:l2'],
      ['SADD', 's:l3', 'abcdef'],
      ['OBJECT', 'ENCODING', 's:l3'],
      ['CONFIG', 'SET', 'set-max-listpack-entries', '128'],
      ['CONFIG', 'SET', 'set-max-listpack-value', '64'],
      ['CONFIG', 'SET', 'set-max-intset-entries', '3'],
      ['SADD', 's:l4', '1', '2', '3', '4'],
      ['OBJECT', 'ENCODING', 's:l4'],
      ['SADD', 's:l5', '9223372036854775808'],
      ['OBJECT', 'ENCODING', 's:l5'],
    ]);
    expect(replies).toEqual([
      '+OK\r\n',
      '+OK\r\n',
      ':3\r\n',
      '$8\r\nlistpack\r\n',
      ':1\r\n',
      '$9\r\nhashtable\r\n',
      ':2\r\n',
      ':1\r\n',
      '$8\r\nlistpack\r\n',
      '*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\nx\r\n',
      ':1\r\n',
      '$9\r\nhashtable\r\n',
      '+OK\r\n',
      '+OK\r\n',
      '+OK\r\n',
      ':4\r\n',
      '$8\r\nlistpack\r\n',
      ':1\r\n',
      '$8\r\nlistpack\r\n',
    ]);
  });

  test('RESP3: set replies are sets, SRANDMEMBER is an array, nulls', async () => {
    const pair = servers();
    await pair.redis.call('HELLO', '3');
    await pair.ours.call('HELLO', '3');
    try {
      await expectSameReplies(pair, [
        ['SADD', 's:3', '2', '1'],
        ['SMEMBERS', 's:3'],
        ['SMEMBERS', 's:nope'],
        ['SINTER', 's:3', 's:nope'],
        ['SUNION', 's:3'],
        ['SDIFF', 's:3', 's:nope'],
        ['SPOP', 's:nope'],
        ['SPOP', 's:nope', '2'],
        ['SPOP', 's:3', '0'],
        ['SRANDMEMBER', 's:nope'],
        ['SRANDMEMBER', 's:nope', '2'],
        ['SMISMEMBER', 's:3', '1', '3'],
        ['SPOP', 's:3', '5'],
      ]);
    } finally {
      await pair.redis.call('HELLO', '2');
      await pair.ours.call('HELLO', '2');
    }
  });

  test('COPY keeps an independent set; WATCH sees SADD and SPOP', async () => {
    await expectSameReplies(servers(), [
      ['SADD', 's:cp', '1', '2'],
      ['COPY', 's:cp', 's:cp2'],
      ['SADD', 's:cp2', '3'],
      ['SMEMBERS', 's:cp'],
      ['SMEMBERS', 's:cp2'],
      ['OBJECT', 'ENCODING', 's:cp2'],
      ['WATCH', 's:cp'],
      ['SADD', 's:cp', '9'],
      ['MULTI'],
      ['SCARD', 's:cp'],
      ['EXEC'],
      ['WATCH', 's:cp'],
      ['SADD', 's:cp', '9'],
      ['MULTI'],
      ['SCARD', 's:cp'],
      ['EXEC'],
    ]);
  });

  test('COMMAND INFO: name, arity, flags, key positions and ACL categories match', async () => {
    const pair = servers();
    const names = ['sadd', 'srem', 'smove', 'sismember', 'smismember', 'scard', 'smembers', 'spop', 'srandmember'];
    names.push('sinter', 'sintercard', 'sinterstore', 'sunion', 'sunionstore', 'sdiff', 'sdiffstore', 'sscan');
    for (const name of names) {
      const head = async (side: 'redis' | 'ours'): Promise<string[]> => {
        const v = await call(pair, side, 'COMMAND', 'INFO', name);
        if (v.kind !== '*' || v.items === null) throw new Error('not an array');
        const info = v.items[0];
        if (info.kind !== '*' || info.items === null) throw new Error(`${name}: no info`);
        return info.items.slice(0, 7).map((item) => JSON.stringify(strings(item)));
      };
      expect(await head('ours')).toEqual(await head('redis'));
    }
  });
});
