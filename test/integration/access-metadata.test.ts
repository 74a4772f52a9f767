/**
 * A key's access data carried by RESTORE (IDLETIME / FREQ) and by an RDB record (the IDLE and FREQ
 * opcodes redis-server writes under an LRU or LFU policy), differential against redis-server 7.0:
 * as Redis's objectSetLRUOrLFU, the LFU counter is taken under an LFU policy and the idle time under
 * any other, the other one ignored; files cross both ways, ours writing the opcodes under the same
 * policies as redis-server. lfu-decay-time 0 keeps minute boundaries out of the counts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RawClient, startOurServer, startRedisServer, type ServerHandle, type ServerKind } from '../support';

const IDLE = /^:(\d+)\r\n$/;

function start(kind: ServerKind, config: Record<string, string>): Promise<ServerHandle> {
  if (kind === 'redis') return startRedisServer({ config });
  return startOurServer({ args: Object.entries(config).flatMap(([name, value]) => [`--${name}`, value]) });
}

/** The payload DUMP gives for a string value (the same bytes from both servers). */
async function dumpOf(c: RawClient, value: string): Promise<Buffer> {
  expect(await c.callText('SET', 'src', value)).toBe('+OK\r\n');
  const reply = await c.call('DUMP', 'src');
  const header = reply.indexOf('\r\n');
  return reply.subarray(header + 2, reply.length - 2);
}

describe.each<ServerKind>(['ours', 'redis'])('RESTORE IDLETIME / FREQ against %s', (kind) => {
  let server: ServerHandle;
  let c: RawClient;
  beforeAll(async () => {
    server = await start(kind, { 'lfu-decay-time': '0' });
    c = await RawClient.connect(server.port);
  });
  afterAll(async () => {
    await c?.close();
    await server?.stop();
  });

  test('without an LFU policy: IDLETIME sets the idle time, FREQ is ignored', async () => {
    const payload = await dumpOf(c, 'v');
    expect(await c.callText('RESTORE', 'idle', '0', payload, 'IDLETIME', '5000')).toBe('+OK\r\n');
    expect(Number(IDLE.exec(await c.callText('OBJECT', 'IDLETIME', 'idle'))?.[1])).toBeGreaterThanOrEqual(5000);
    expect(Number(IDLE.exec(await c.callText('OBJECT', 'IDLETIME', 'idle'))?.[1])).toBeLessThanOrEqual(5002);
    expect(await c.callText('RESTORE', 'freq', '0', payload, 'FREQ', '100')).toBe('+OK\r\n');
    expect(Number(IDLE.exec(await c.callText('OBJECT', 'IDLETIME', 'freq'))?.[1])).toBeLessThanOrEqual(2);
    expect(await c.callText('RESTORE', 'idle', '0', payload, 'REPLACE', 'IDLETIME', '7')).toBe('+OK\r\n');
    expect(Number(IDLE.exec(await c.callText('OBJECT', 'IDLETIME', 'idle'))?.[1])).toBeGreaterThanOrEqual(7);
    expect(Number(IDLE.exec(await c.callText('OBJECT', 'IDLETIME', 'idle'))?.[1])).toBeLessThanOrEqual(9);
  });

  test('under an LFU policy: FREQ sets the counter, IDLETIME is ignored', async () => {
    const payload = await dumpOf(c, 'w');
    expect(await c.callText('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu')).toBe('+OK\r\n');
    expect(await c.callText('RESTORE', 'lfu:freq', '0', payload, 'FREQ', '100')).toBe('+OK\r\n');
    expect(await c.callText('OBJECT', 'FREQ', 'lfu:freq')).toBe(':100\r\n');
    expect(await c.callText('RESTORE', 'lfu:max', '0', payload, 'FREQ', '255')).toBe('+OK\r\n');
    expect(await c.callText('OBJECT', 'FREQ', 'lfu:max')).toBe(':255\r\n');
    expect(await c.callText('RESTORE', 'lfu:idle', '0', payload, 'IDLETIME', '5000')).toBe('+OK\r\n');
    expect(await c.callText('OBJECT', 'FREQ', 'lfu:idle')).toBe(':5\r\n');
    expect(await c.callText('CONFIG', 'SET', 'maxmemory-policy', 'noeviction')).toBe('+OK\r\n');
  });
});

describe("an RDB's IDLE and FREQ opcodes, written by redis-server and loaded by ours", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'access-metadata-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['allkeys-lru', 'IDLE', ['IDLETIME', '4000'], 'IDLETIME'],
    ['allkeys-lfu', 'FREQ', ['FREQ', '77'], 'FREQ'],
  ])('under %s redis-server saves %s; ours loads it under the same policy', async (policy, _opcode, restoreOption, objectSub) => {
    const file = `${policy}.rdb`;
    const config = { 'maxmemory-policy': policy, 'lfu-decay-time': '0', dir, dbfilename: file };
    const redis = await startRedisServer({ config });
    const r = await RawClient.connect(redis.port);
    let expected: string;
    try {
      const payload = await dumpOf(r, 'value');
      expect(await r.callText('RESTORE', 'carried', '0', payload, ...restoreOption)).toBe('+OK\r\n');
      expected = await r.callText('OBJECT', objectSub, 'carried');
      expect(await r.callText('SAVE')).toBe('+OK\r\n');
    } finally {
      await r.close();
      await redis.stop();
    }
    const ours = await startOurServer({ args: ['--maxmemory-policy', policy, '--lfu-decay-time', '0', '--dir', dir, '--dbfilename', file] });
    const o = await RawClient.connect(ours.port);
    try {
      // OBJECT does not touch the key (in either server); the GET after it only checks the value.
      const got = await o.callText('OBJECT', objectSub, 'carried');
      if (objectSub === 'FREQ') {
        expect(expected).toBe(':77\r\n');
        expect(got).toBe(expected);
      } else {
        expect(Number(IDLE.exec(expected)?.[1])).toBeGreaterThanOrEqual(4000);
        const idle = Number(IDLE.exec(got)?.[1]);
        expect(idle).toBeGreaterThanOrEqual(4000);
        expect(idle).toBeLessThanOrEqual(4010);
      }
      expect(await o.callText('GET', 'carried')).toBe('$5\r\nvalue\r\n');
    } finally {
      await o.close();
      await ours.stop();
    }
  });
});

describe('an RDB written by ours carries IDLE or FREQ as redis-server writes them; redis-server loads it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'access-metadata-ours-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['allkeys-lru', ['IDLETIME', '4000'], 'IDLETIME', (reply: string) => Number(IDLE.exec(reply)?.[1]) >= 4000 && Number(IDLE.exec(reply)?.[1]) <= 4010],
    ['volatile-lfu', ['FREQ', '77'], 'FREQ', (reply: string) => reply === ':77\r\n'],
    // No LRU/LFU policy: neither is written, so the key loads as just used.
    ['noeviction', ['IDLETIME', '4000'], 'IDLETIME', (reply: string) => Number(IDLE.exec(reply)?.[1]) <= 2],
  ])('under %s', async (policy, restoreOption, objectSub, holds) => {
    const file = `ours-${policy}.rdb`;
    const ours = await startOurServer({ args: ['--maxmemory-policy', policy, '--lfu-decay-time', '0', '--dir', dir, '--dbfilename', file] });
    const o = await RawClient.connect(ours.port);
    try {
      const payload = await dumpOf(o, 'value');
      expect(await o.callText('RESTORE', 'carried', '0', payload, ...restoreOption)).toBe('+OK\r\n');
      expect(await o.callText('SAVE')).toBe('+OK\r\n');
    } finally {
      await o.close();
      await ours.stop();
    }
    const redis = await startRedisServer({ config: { 'maxmemory-policy': policy, 'lfu-decay-time': '0', dir, dbfilename: file } });
    const r = await RawClient.connect(redis.port);
    try {
      const got = await r.callText('OBJECT', objectSub, 'carried');
      expect({ got, holds: holds(got) }).toEqual({ got, holds: true });
      expect(await r.callText('GET', 'carried')).toBe('$5\r\nvalue\r\n');
    } finally {
      await r.close();
      await redis.stop();
    }
  });
});
