/**
 * Generic key commands, replayed on redis-server 7.0 and ours. Expiry is exercised without
 * depending on the clock: long TTLs (classed as >= 0), absolute times in the past (deleted at
 * once) or far in the future (EXPIRETIME exact), and PERSIST.
 */
import { parseReply, RawClient, renderReply, replyText } from '../support';
import { differentialSuite, useServerPair, flushBoth, type ServerPair } from './differential-harness';

/** A far-future absolute time (2100-01-01) whose EXPIRETIME reply is exact on both servers. */
const Y2100 = '4102444800';
const Y2100_MS = '4102444800000';

differentialSuite('keys: DEL UNLINK EXISTS TYPE TOUCH', {
  'DEL and UNLINK count removed keys': [
    ['MSET', 'a', '1', 'b', '2', 'c', '3'],
    ['DEL', 'a'],
    ['DEL', 'a'],
    ['DEL', 'b', 'c', 'b', 'nokey'],
    ['SET', 'u', '1'],
    ['UNLINK', 'u', 'u', 'nokey'],
    ['EXISTS', 'u'],
    ['DEL'],
    ['UNLINK'],
  ],
  'EXISTS counts repeats': [
    ['SET', 'a', '1'],
    ['EXISTS', 'a'],
    ['EXISTS', 'a', 'a', 'a', 'b'],
    ['EXISTS', 'nokey'],
    ['EXISTS'],
  ],
  'TYPE of strings and missing keys': [['SET', 's', 'v'], ['TYPE', 's'], ['TYPE', 'missing'], ['SETBIT', 'bits', '3', '1'], ['TYPE', 'bits'], ['TYPE'], ['TYPE', 'a', 'b']],
  'TOUCH counts existing keys': [['MSET', 'a', '1', 'b', '2'], ['TOUCH', 'a', 'b', 'c', 'a'], ['TOUCH'], ['TOUCH', 'zz']],
  'binary and empty keys': [
    ['SET', '', 'empty-key'],
    ['GET', ''],
    ['SET', Buffer.from([0, 255, 13, 10, 0]), 'binary'],
    ['GET', Buffer.from([0, 255, 13, 10, 0])],
    ['EXISTS', '', Buffer.from([0, 255, 13, 10, 0])],
    ['DEL', ''],
    ['DBSIZE'],
  ],
});

differentialSuite('keys: expiry', {
  'EXPIRE/PEXPIRE set a TTL; TTL/PTTL report -2/-1/>=0': [
    ['SET', 'k', 'v'],
    ['TTL', 'k'],
    ['PTTL', 'k'],
    ['TTL', 'missing'],
    ['PTTL', 'missing'],
    ['EXPIRE', 'k', '1000'],
    ['TTL', 'k'],
    ['PTTL', 'k'],
    ['PEXPIRE', 'k', '1000000'],
    ['TTL', 'k'],
    ['EXPIRE', 'missing', '100'],
    ['PEXPIRE', 'missing', '100'],
    ['PERSIST', 'k'],
    ['TTL', 'k'],
    ['PERSIST', 'k'],
    ['PERSIST', 'missing'],
  ],
  'EXPIRE with zero or negative time deletes the key': [
    ['SET', 'a', '1'],
    ['EXPIRE', 'a', '0'],
    ['EXISTS', 'a'],
    ['SET', 'b', '1'],
    ['PEXPIRE', 'b', '-5'],
    ['GET', 'b'],
    ['SET', 'c', '1'],
    ['EXPIREAT', 'c', '1'],
    ['GET', 'c'],
    ['SET', 'd', '1'],
    ['PEXPIREAT', 'd', '1000'],
    ['GET', 'd'],
    ['DBSIZE'],
  ],
  'EXPIRE errors: not an integer, overflow, arity': [
    ['SET', 'k', 'v'],
    ['EXPIRE', 'k', 'abc'],
    ['EXPIRE', 'k', '1.5'],
    ['EXPIRE', 'k', ''],
    ['EXPIRE', 'k', '9223372036854775807'],
    ['EXPIRE', 'k', '9223372036854775808'],
    ['PEXPIRE', 'k', '9223372036854775807'],
    ['EXPIRE', 'k', '-9223372036854775808'],
    ['EXPIREAT', 'k', '9223372036854775807'],
    ['PEXPIREAT', 'k', '9223372036854775807'],
    ['EXPIRE', 'k'],
    ['TTL', 'k'],
    ['EXPIRE', 'k', '100', 'XX', 'NX'],
    ['EXPIRE', 'k', '100', 'GT', 'LT'],
    ['EXPIRE', 'k', '100', 'NX', 'GT'],
    ['EXPIRE', 'k', '100', 'BOGUS'],
  ],
  'EXPIRE NX / XX / GT / LT': [
    ['SET', 'k', 'v'],
    ['EXPIRE', 'k', '100', 'XX'],
    ['TTL', 'k'],
    ['EXPIRE', 'k', '100', 'GT'],
    ['EXPIRE', 'k', '100', 'LT'],
    ['TTL', 'k'],
    ['EXPIRE', 'k', '200', 'NX'],
    ['EXPIRE', 'k', '300', 'NX'],
    ['EXPIRE', 'k', '300', 'XX'],
    ['EXPIRE', 'k', '100', 'GT'],
    ['EXPIRE', 'k', '400', 'GT'],
    ['EXPIRE', 'k', '500', 'LT'],
    ['EXPIRE', 'k', '50', 'LT'],
    ['PEXPIRE', 'k', '10000', 'lt'],
    ['PEXPIRE', 'k', '100000000', 'gt'],
    ['EXPIREAT', 'k', Y2100, 'GT'],
    ['EXPIRETIME', 'k'],
    ['PEXPIREAT', 'k', Y2100_MS, 'NX'],
    ['EXPIRE', 'k', '0', 'GT'],
    ['EXISTS', 'k'],
    ['EXPIRE', 'missing', '10', 'XX'],
  ],
  'EXPIRETIME and PEXPIRETIME': [
    ['SET', 'k', 'v'],
    ['EXPIRETIME', 'k'],
    ['PEXPIRETIME', 'k'],
    ['EXPIRETIME', 'missing'],
    ['PEXPIRETIME', 'missing'],
    ['EXPIREAT', 'k', Y2100],
    ['EXPIRETIME', 'k'],
    ['PEXPIRETIME', 'k'],
    ['PEXPIREAT', 'k', '4102444800123'],
    ['EXPIRETIME', 'k'],
    ['PEXPIRETIME', 'k'],
    ['EXPIRE', 'k', '100'],
    ['EXPIRETIME', 'k'],
    ['EXPIRETIME'],
  ],
  'SET EX/PX/EXAT/PXAT/KEEPTTL and expiry through overwrites': [
    ['SET', 'k', 'v', 'EX', '100'],
    ['TTL', 'k'],
    ['SET', 'k', 'v2'],
    ['TTL', 'k'],
    ['SET', 'k', 'v', 'PX', '100000'],
    ['SET', 'k', 'v3', 'KEEPTTL'],
    ['PTTL', 'k'],
    ['SET', 'k', 'v', 'EXAT', Y2100],
    ['EXPIRETIME', 'k'],
    ['SET', 'k', 'v', 'PXAT', '4102444800999'],
    ['PEXPIRETIME', 'k'],
    ['SET', 'k', 'v', 'EXAT', '1'],
    ['GET', 'k'],
    ['SET', 'k', 'v', 'PXAT', '1'],
    ['EXISTS', 'k'],
    ['APPEND', 'ttl', 'x'],
    ['EXPIRE', 'ttl', '100'],
    ['APPEND', 'ttl', 'y'],
    ['TTL', 'ttl'],
    ['INCR', 'n'],
    ['EXPIRE', 'n', '100'],
    ['INCR', 'n'],
    ['TTL', 'n'],
    ['SETRANGE', 'n', '0', '5'],
    ['TTL', 'n'],
  ],
  'PERSIST after GETEX and expiry-preserving commands': [
    ['SET', 'k', 'v'],
    ['GETEX', 'k', 'EX', '100'],
    ['TTL', 'k'],
    ['GETEX', 'k', 'PERSIST'],
    ['TTL', 'k'],
    ['GETEX', 'k', 'PXAT', Y2100_MS],
    ['PEXPIRETIME', 'k'],
    ['PERSIST', 'k'],
    ['PEXPIRETIME', 'k'],
  ],
});

differentialSuite('keys: RENAME RENAMENX COPY MOVE', {
  'RENAME moves value and TTL, overwrites the target': [
    ['SET', 'src', 'v'],
    ['EXPIREAT', 'src', Y2100],
    ['SET', 'dst', 'old'],
    ['RENAME', 'src', 'dst'],
    ['GET', 'src'],
    ['GET', 'dst'],
    ['EXPIRETIME', 'dst'],
    ['RENAME', 'dst', 'dst'],
    ['GET', 'dst'],
    ['RENAME', 'missing', 'x'],
    ['RENAME', 'missing', 'missing'],
    ['RENAME', 'dst'],
  ],
  'RENAMENX only when the target is absent': [
    ['MSET', 'a', '1', 'b', '2'],
    ['RENAMENX', 'a', 'b'],
    ['RENAMENX', 'a', 'c'],
    ['MGET', 'a', 'b', 'c'],
    ['RENAMENX', 'c', 'c'],
    ['RENAMENX', 'missing', 'd'],
  ],
  'COPY within and across databases': [
    ['SET', 'src', 'v'],
    ['EXPIREAT', 'src', Y2100],
    ['COPY', 'src', 'dst'],
    ['GET', 'dst'],
    ['EXPIRETIME', 'dst'],
    ['COPY', 'src', 'dst'],
    ['SET', 'src', 'v2'],
    ['COPY', 'src', 'dst', 'REPLACE'],
    ['GET', 'dst'],
    ['COPY', 'src', 'dst', 'DB', '1'],
    ['SELECT', '1'],
    ['GET', 'dst'],
    ['SELECT', '0'],
    ['COPY', 'src', 'src'],
    ['COPY', 'missing', 'x'],
    ['COPY', 'src', 'x', 'DB', '16'],
    ['COPY', 'src', 'x', 'DB', 'abc'],
    ['COPY', 'src', 'x', 'BOGUS'],
    ['COPY', 'src'],
    ['COPY', 'src', 'src', 'DB', '1'],
  ],
  'MOVE to another database': [
    ['SET', 'k', 'v'],
    ['MOVE', 'k', '1'],
    ['EXISTS', 'k'],
    ['SELECT', '1'],
    ['GET', 'k'],
    ['SET', 'other', 'x'],
    ['SELECT', '0'],
    ['SET', 'other', 'y'],
    ['MOVE', 'other', '1'],
    ['MOVE', 'missing', '1'],
    ['MOVE', 'other', '0'],
    ['MOVE', 'other', '16'],
    ['MOVE', 'other', 'x'],
    ['MOVE', 'other', '-1'],
    ['MOVE', 'other'],
  ],
});

differentialSuite('keys: KEYS SCAN RANDOMKEY OBJECT', {
  'KEYS with glob patterns': [
    ['MSET', 'hello', '1', 'hallo', '2', 'hxllo', '3', 'hllo', '4', 'heeeello', '5', 'h[e]llo', '6', 'a*b', '7', 'A', '8'],
    ['KEYS', '*'],
    ['KEYS', 'h?llo'],
    ['KEYS', 'h*llo'],
    ['KEYS', 'h[ae]llo'],
    ['KEYS', 'h[^e]llo'],
    ['KEYS', 'h[a-b]llo'],
    ['KEYS', 'h\\[e\\]llo'],
    ['KEYS', 'a\\*b'],
    ['KEYS', 'a'],
    ['KEYS', 'nomatch*'],
    ['KEYS', '[a-z'],
    ['KEYS', '*\\'],
    ['KEYS'],
  ],
  'SCAN with MATCH, COUNT and TYPE (one full pass)': [
    ['MSET', 'k1', '1', 'k2', '2', 'k3', '3', 'other', '4'],
    ['SCAN', '0', 'COUNT', '1000'],
    ['SCAN', '0', 'MATCH', 'k*', 'COUNT', '1000'],
    ['SCAN', '0', 'TYPE', 'string', 'COUNT', '1000'],
    ['SCAN', '0', 'TYPE', 'list', 'COUNT', '1000'],
    ['SCAN', '0', 'COUNT', '0'],
    ['SCAN', '0', 'COUNT', '-1'],
    ['SCAN', '0', 'COUNT', 'x'],
    ['SCAN', 'notacursor'],
    ['SCAN', '0', 'MATCH'],
    ['SCAN', '0', 'BOGUS', 'x'],
    ['SCAN'],
  ],
  'RANDOMKEY': [['RANDOMKEY'], ['SET', 'only', '1'], ['RANDOMKEY'], ['RANDOMKEY', 'x']],
  'OBJECT subcommands': [
    ['SET', 'int', '12345'],
    ['SET', 'str', 'short'],
    ['SET', 'long', 'x'.repeat(100)],
    ['OBJECT', 'ENCODING', 'int'],
    ['OBJECT', 'ENCODING', 'str'],
    ['OBJECT', 'ENCODING', 'long'],
    ['OBJECT', 'ENCODING', 'missing'],
    ['OBJECT', 'REFCOUNT', 'str'],
    ['OBJECT', 'REFCOUNT', 'missing'],
    ['OBJECT', 'IDLETIME', 'str'],
    ['OBJECT', 'IDLETIME', 'missing'],
    ['OBJECT', 'FREQ', 'str'],
    ['OBJECT', 'NOSUCH', 'str'],
    ['OBJECT', 'ENCODING'],
    ['OBJECT'],
  ],
});

describe('keys: SCAN iterates every key exactly once over many calls', () => {
  const servers = useServerPair();

  async function scanAll(port: number, count: number): Promise<string[]> {
    const client = await RawClient.connect(port);
    try {
      const setArgs: string[] = [];
      for (let i = 0; i < 500; i++) setArgs.push(`key:${i}`, String(i));
      await client.call('MSET', ...setArgs);
      const seen: string[] = [];
      let cursor = '0';
      let calls = 0;
      do {
        const reply = parseReply(await client.call('SCAN', cursor, 'COUNT', count));
        if (reply.kind !== '*' || reply.items === null) throw new Error(`SCAN reply ${renderReply(reply)}`);
        cursor = replyText(reply.items[0]) ?? '0';
        const keys = reply.items[1];
        if (keys.kind !== '*' || keys.items === null) throw new Error(`SCAN reply ${renderReply(reply)}`);
        for (const key of keys.items) seen.push(replyText(key) ?? '');
        calls++;
      } while (cursor !== '0' && calls < 10000);
      // SCAN may return a key twice (while rehashing) but never skips one present throughout.
      return [...new Set(seen)].sort();
    } finally {
      await client.close();
    }
  }

  test.each([1, 7, 100])('COUNT %i', async (count) => {
    const pair: ServerPair = servers();
    await flushBoth(pair);
    const [redisKeys, ourKeys] = await Promise.all([scanAll(pair.redis.port, count), scanAll(pair.ours.port, count)]);
    expect(redisKeys.length).toBe(500);
    expect(ourKeys).toEqual(redisKeys);
  });
});

describe('keys: TTL values are within bounds on both servers', () => {
  const servers = useServerPair();

  test.each(['redis', 'ours'] as const)('%s', async (which) => {
    const client = await RawClient.connect(servers()[which].port);
    try {
      // Bounds from what the test saw, not from how fast it ran: the SET ran after `before` and
      // before `set`; each read ran before its reply came, `elapsed` ms after `before` at most.
      // TTL rounds to the nearest second, as Redis's (ms + 500) / 1000. A quiet run pins TTL at
      // exactly 100; a stalled one only widens the window by what it measured. SLACK covers
      // clocks read in whole ms on both sides (and ours deriving its ms from the monotonic clock).
      const SLACK = 5;
      const before = Date.now();
      await client.call('SET', 'k', 'v', 'EX', '100');
      const set = Date.now();
      const ttl = Number((await client.callText('TTL', 'k')).slice(1));
      const ttlElapsed = Date.now() - before + SLACK;
      const pttl = Number((await client.callText('PTTL', 'k')).slice(1));
      const pttlElapsed = Date.now() - before + SLACK;
      expect(ttl).toBeGreaterThanOrEqual(Math.floor((100000 - ttlElapsed + 500) / 1000));
      expect(ttl).toBeLessThanOrEqual(100);
      expect(pttl).toBeGreaterThanOrEqual(100000 - pttlElapsed);
      expect(pttl).toBeLessThanOrEqual(100000);
      // EXPIRETIME rounds too: (expire ms + 500) / 1000, the expiry being the SET's time + 100 s.
      const at = Number((await client.callText('EXPIRETIME', 'k')).slice(1));
      expect(at).toBeGreaterThanOrEqual(Math.floor((before - SLACK + 500) / 1000) + 100);
      expect(at).toBeLessThanOrEqual(Math.floor((set + SLACK + 500) / 1000) + 100);
    } finally {
      await client.close();
    }
  });
});

describe('keys: a short PX expiry removes the key (time-independent check)', () => {
  const servers = useServerPair();

  test.each(['redis', 'ours'] as const)('%s', async (which) => {
    const client = await RawClient.connect(servers()[which].port);
    try {
      expect(await client.callText('SET', 'short', 'v', 'PX', '1')).toBe('+OK\r\n');
      // Poll instead of sleeping a fixed time: the key must be gone soon, however slow the machine.
      let reply = '';
      for (let i = 0; i < 200; i++) {
        reply = await client.callText('GET', 'short');
        if (reply === '$-1\r\n') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(reply).toBe('$-1\r\n');
      expect(await client.callText('EXISTS', 'short')).toBe(':0\r\n');
      expect(await client.callText('TTL', 'short')).toBe(':-2\r\n');
    } finally {
      await client.close();
    }
  });
});
