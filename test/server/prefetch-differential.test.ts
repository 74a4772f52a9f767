/**
 * The batch prefetch (Database.prefetch) runs for pipelined batches over a database of more than
 * PREFETCH_MIN_NAMES keys, and over a hash or set of more than that many names. It may only warm
 * caches: seeded pipelined batches over such data, keys and names colliding on purpose, get
 * byte-identical replies from redis-server 7.0 and from ours.
 */
import { PREFETCH_MIN_NAMES } from '../../lib/server/keyspace/database';
import { decodeReply, encodeCommands, RawClient, type ServerHandle, startOurServer, startRedisServer } from '../support';
import { mulberry32 } from '../support/seeded-random';

const KEYS = PREFETCH_MIN_NAMES + 2000;
// Loaded 100 at a time.
const NAMES = Math.ceil((PREFETCH_MIN_NAMES + 2000) / 100) * 100;
const BATCHES = 150;
const PER_BATCH = 32;

let servers: ServerHandle[] = [];
let clients: RawClient[] = [];

/** Sends `commands` in one write and reads exactly their replies. */
async function pipeline(client: RawClient, commands: string[][]): Promise<Buffer[]> {
  await client.write(encodeCommands(commands));
  const replies: Buffer[] = [];
  let bytes = Buffer.alloc(0);
  let at = 0;
  while (replies.length < commands.length) {
    const decoded = decodeReply(bytes, at);
    if (decoded === null) {
      bytes = Buffer.concat([bytes.subarray(at), await client.readBytes()]);
      at = 0;
      continue;
    }
    replies.push(bytes.subarray(at, decoded.end));
    at = decoded.end;
  }
  return replies;
}

/** Loads the data in pipelined chunks (as a client would), checking every reply is not an error. */
async function load(client: RawClient, commands: string[][]): Promise<void> {
  for (let i = 0; i < commands.length; i += 2000) {
    for (const reply of await pipeline(client, commands.slice(i, i + 2000))) expect(reply[0]).not.toBe(0x2d /* - */);
  }
}

beforeAll(async () => {
  servers = await Promise.all([startRedisServer(), startOurServer()]);
  clients = await Promise.all(servers.map((s) => RawClient.connect(s.port)));
  const data: string[][] = [];
  for (let i = 0; i < KEYS; i++) data.push(['SET', `key:${i}`, `value:${i}`]);
  for (let i = 0; i < NAMES; i += 100) data.push(['HSET', 'bighash', ...Array.from({ length: 100 }, (_, j) => [`field:${i + j}`, `v${i + j}`]).flat()]);
  for (let i = 0; i < NAMES; i += 100) data.push(['SADD', 'bigset', ...Array.from({ length: 100 }, (_, j) => `member:${i + j}`)]);
  await Promise.all(clients.map((c) => load(c, data)));
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(servers.map((s) => s.stop()));
});

test('the data is as large as prefetching needs', async () => {
  for (const c of clients) {
    expect((await c.callText('DBSIZE')).trim()).toBe(`:${KEYS + 2}`);
    expect((await c.callText('OBJECT', 'ENCODING', 'bighash')).trim()).toBe('$9\r\nhashtable');
    expect((await c.callText('SCARD', 'bigset')).trim()).toBe(`:${NAMES}`);
  }
});

test(`${BATCHES} seeded batches of ${PER_BATCH} pipelined commands: identical replies`, async () => {
  const random = mulberry32(20261126);
  const pick = (n: number): number => Math.floor(random() * n);
  // Some names absent, some present, all colliding across commands and batches.
  const key = (): string => (random() < 0.1 ? `absent:${pick(50)}` : `key:${pick(KEYS + 200)}`);
  const name = (prefix: string): string => `${prefix}:${pick(NAMES + 200)}`;
  const makers: Array<() => string[]> = [
    () => ['GET', key()],
    () => ['SET', key(), `new:${pick(1000)}`],
    () => ['DEL', key()],
    () => ['EXISTS', key(), key()],
    () => ['INCR', `counter:${pick(20)}`],
    () => ['HGET', 'bighash', name('field')],
    () => ['HSET', 'bighash', name('field'), `w${pick(1000)}`],
    () => ['HDEL', 'bighash', name('field')],
    () => ['HEXISTS', 'bighash', name('field')],
    () => ['SISMEMBER', 'bigset', name('member')],
    () => ['SADD', 'bigset', name('member')],
    () => ['SREM', 'bigset', name('member')],
    () => ['HGET', key(), 'field:1'],
    () => ['PING'],
  ];
  const mismatches: string[] = [];
  for (let b = 0; b < BATCHES && mismatches.length < 5; b++) {
    // Batches led by a big collection (its names prefetched) and by plain keys alternate.
    const first = b % 3 === 0 ? ['HGET', 'bighash', name('field')] : b % 3 === 1 ? ['SISMEMBER', 'bigset', name('member')] : ['GET', key()];
    const commands = [first, ...Array.from({ length: PER_BATCH - 1 }, () => makers[pick(makers.length)]())];
    const [theirs, ours] = await Promise.all(clients.map((c) => pipeline(c, commands)));
    for (let i = 0; i < commands.length; i++) {
      if (!theirs[i].equals(ours[i])) mismatches.push(`batch ${b} ${commands[i].join(' ')}: redis ${JSON.stringify(theirs[i].toString())} ours ${JSON.stringify(ours[i].toString())}`);
    }
  }
  expect(mismatches).toEqual([]);
  for (const c of clients) expect((await c.callText('DBSIZE')).trim()).toMatch(/^:\d+$/);
  const sizes = await Promise.all(clients.map(async (c) => [(await c.callText('DBSIZE')).trim(), (await c.callText('HLEN', 'bighash')).trim(), (await c.callText('SCARD', 'bigset')).trim()]));
  expect(sizes[1]).toEqual(sizes[0]);
}, 120_000);
