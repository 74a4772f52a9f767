/**
 * LFU settings against redis-server 7.0, byte for byte where time plays no part: CONFIG GET/SET
 * of lfu-log-factor and lfu-decay-time (values and refusals), and OBJECT FREQ after each of N
 * accesses with lfu-log-factor 0, where every access counts (probability 1 / (0 + 1)) up to
 * 255, so both servers must give the same sequence. lfu-decay-time is 0 while counting so that no
 * minute boundary crossed during the test takes one off on one server and not the other.
 */
import { RawClient, startOurServer, startRedisServer, type ServerHandle } from '../support';

let ours: ServerHandle;
let redis: ServerHandle;
let a: RawClient;
let b: RawClient;

beforeAll(async () => {
  [ours, redis] = await Promise.all([startOurServer(), startRedisServer()]);
  [a, b] = await Promise.all([RawClient.connect(ours.port), RawClient.connect(redis.port)]);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await ours?.stop();
  await redis?.stop();
});

/** Sends one command to both servers; expects the same bytes back and returns them. */
async function both(...args: string[]): Promise<string> {
  const [fromOurs, fromRedis] = await Promise.all([a.callText(...args), b.callText(...args)]);
  expect({ command: args.join(' '), reply: fromOurs }).toEqual({ command: args.join(' '), reply: fromRedis });
  return fromOurs;
}

/** CONFIG GET's reply as sorted "name=value" strings. */
function configPairs(reply: string): string[] {
  const bulks = [...reply.matchAll(/\$\d+\r\n([^\r]*)\r\n/g)].map((m) => m[1]);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < bulks.length; i += 2) pairs.push(`${bulks[i]}=${bulks[i + 1]}`);
  return pairs.sort();
}

test('CONFIG GET/SET lfu-log-factor and lfu-decay-time: defaults, new values, refusals', async () => {
  expect(await both('CONFIG', 'GET', 'lfu-log-factor')).toBe('*2\r\n$14\r\nlfu-log-factor\r\n$2\r\n10\r\n');
  expect(await both('CONFIG', 'GET', 'lfu-decay-time')).toBe('*2\r\n$14\r\nlfu-decay-time\r\n$1\r\n1\r\n');
  for (const [name, value] of [
    ['lfu-log-factor', '0'],
    ['lfu-log-factor', '100'],
    ['lfu-log-factor', '2147483647'],
    ['lfu-decay-time', '0'],
    ['lfu-decay-time', '45'],
  ]) {
    expect(await both('CONFIG', 'SET', name, value)).toBe('+OK\r\n');
    await both('CONFIG', 'GET', name);
  }
  for (const name of ['lfu-log-factor', 'lfu-decay-time']) {
    for (const bad of ['-1', 'abc', '1.5', '2147483648', '']) {
      expect(await both('CONFIG', 'SET', name, bad)).toMatch(/^-ERR /);
    }
    await both('CONFIG', 'GET', name);
  }
  // A pattern's matches come in redis-server's dict order, which its random hash seed changes
  // from process to process: compare them as name/value pairs.
  const [fromOurs, fromRedis] = await Promise.all([a.callText('CONFIG', 'GET', 'lfu-*'), b.callText('CONFIG', 'GET', 'lfu-*')]);
  expect(configPairs(fromOurs)).toEqual(configPairs(fromRedis));
  expect(configPairs(fromOurs)).toHaveLength(2);
  expect(await both('CONFIG', 'SET', 'lfu-log-factor', '10', 'lfu-decay-time', '1')).toBe('+OK\r\n');
});

test('lfu-log-factor 0: OBJECT FREQ after each of 300 reads is the same on both (5, 6, … 255)', async () => {
  expect(await both('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu', 'lfu-log-factor', '0', 'lfu-decay-time', '0')).toBe('+OK\r\n');
  expect(await both('SET', 'k', 'v')).toBe('+OK\r\n');
  expect(await both('OBJECT', 'FREQ', 'k')).toBe(':5\r\n');
  for (let i = 1; i <= 300; i++) {
    await both(i % 3 === 0 ? 'TOUCH' : 'GET', 'k');
    expect(await both('OBJECT', 'FREQ', 'k')).toBe(`:${Math.min(255, 5 + i)}\r\n`);
  }
});

test('CONFIG SET lfu-log-factor takes effect: from 0 to 10 a counter at 5 still counts its first read; a saturated one stays at 255', async () => {
  expect(await both('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu', 'lfu-log-factor', '0', 'lfu-decay-time', '0')).toBe('+OK\r\n');
  expect(await both('SET', 'hot', 'v')).toBe('+OK\r\n');
  for (let i = 0; i < 260; i++) await both('GET', 'hot');
  expect(await both('OBJECT', 'FREQ', 'hot')).toBe(':255\r\n');
  expect(await both('CONFIG', 'SET', 'lfu-log-factor', '10')).toBe('+OK\r\n');
  expect(await both('SET', 'cold', 'v')).toBe('+OK\r\n');
  await both('GET', 'cold');
  await both('GET', 'hot');
  expect(await both('OBJECT', 'FREQ', 'cold')).toBe(':6\r\n');
  expect(await both('OBJECT', 'FREQ', 'hot')).toBe(':255\r\n');
  // With factor 0 again, every read counts once more: the setting is read at each access.
  expect(await both('CONFIG', 'SET', 'lfu-log-factor', '0')).toBe('+OK\r\n');
  for (let i = 0; i < 4; i++) await both('GET', 'cold');
  expect(await both('OBJECT', 'FREQ', 'cold')).toBe(':10\r\n');
});
