/**
 * OBJECT IDLETIME / OBJECT FREQ and maxmemory-policy, differential against redis-server 7.0:
 * FREQ is refused unless an LFU policy is set and IDLETIME under one, with Redis's exact bytes;
 * a new key starts at LFU_INIT_VAL (5) and its first read takes it to 6, deterministically (with
 * lfu-decay-time 0, so no minute boundary the test happens to cross takes one off).
 * CLIENT NO-TOUCH (Redis 7.2, so ours only) keeps reads from counting.
 */
import { RawClient, startOurServer, startRedisServer, type ServerHandle, type ServerKind } from '../support';

const FREQ_REFUSED =
  '-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n';
const IDLE_REFUSED =
  '-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n';

describe.each<ServerKind>(['ours', 'redis'])('OBJECT FREQ / IDLETIME against %s', (kind) => {
  let server: ServerHandle;
  let c: RawClient;
  beforeAll(async () => {
    // lfu-decay-time 0: Redis takes one off the counter for every minute boundary passed since the
    // key's last access, so a read that happens to straddle one would see 4 (or 5 after a read);
    // with no decay the counts depend on the accesses alone.
    server =
      kind === 'redis' ? await startRedisServer({ config: { 'lfu-decay-time': '0' } }) : await startOurServer({ args: ['--lfu-decay-time', '0'] });
    c = await RawClient.connect(server.port);
  });
  afterAll(async () => {
    await c?.close();
    await server?.stop();
  });

  test('without an LFU policy: FREQ is refused, IDLETIME answers', async () => {
    expect(await c.callText('SET', 'k', 'v')).toBe('+OK\r\n');
    for (const policy of ['noeviction', 'allkeys-lru', 'volatile-lru', 'allkeys-random', 'volatile-random', 'volatile-ttl']) {
      expect(await c.callText('CONFIG', 'SET', 'maxmemory-policy', policy)).toBe('+OK\r\n');
      expect(await c.callText('OBJECT', 'FREQ', 'k')).toBe(FREQ_REFUSED);
      expect(await c.callText('OBJECT', 'IDLETIME', 'k')).toMatch(/^:\d+\r\n$/);
      expect(await c.callText('OBJECT', 'FREQ', 'missing')).toBe('$-1\r\n');
    }
  });

  test.each(['allkeys-lfu', 'volatile-lfu'])('under %s: IDLETIME is refused; a new key counts 5, its first read 6', async (policy) => {
    expect(await c.callText('CONFIG', 'SET', 'maxmemory-policy', policy)).toBe('+OK\r\n');
    expect(await c.callText('DEL', 'fresh')).toMatch(/^:[01]\r\n$/);
    expect(await c.callText('SET', 'fresh', 'v')).toBe('+OK\r\n');
    expect(await c.callText('OBJECT', 'IDLETIME', 'fresh')).toBe(IDLE_REFUSED);
    expect(await c.callText('OBJECT', 'FREQ', 'fresh')).toBe(':5\r\n');
    expect(await c.callText('GET', 'fresh')).toBe('$1\r\nv\r\n');
    expect(await c.callText('OBJECT', 'FREQ', 'fresh')).toBe(':6\r\n');
    expect(await c.callText('OBJECT', 'IDLETIME', 'missing')).toBe('$-1\r\n');
  });
});

test('CLIENT NO-TOUCH: reads by that client leave the LFU counter alone; TOUCH still counts', async () => {
  const server = await startOurServer({ args: ['--maxmemory-policy', 'allkeys-lfu'] });
  const c = await RawClient.connect(server.port);
  try {
    expect(await c.callText('SET', 'k', 'v')).toBe('+OK\r\n');
    expect(await c.callText('CLIENT', 'NO-TOUCH', 'on')).toBe('+OK\r\n');
    for (let i = 0; i < 50; i++) expect(await c.callText('GET', 'k')).toBe('$1\r\nv\r\n');
    expect(await c.callText('OBJECT', 'FREQ', 'k')).toBe(':5\r\n');
    expect(await c.callText('TOUCH', 'k')).toBe(':1\r\n');
    expect(await c.callText('OBJECT', 'FREQ', 'k')).toBe(':6\r\n');
    expect(await c.callText('CLIENT', 'NO-TOUCH', 'off')).toBe('+OK\r\n');
    expect(await c.callText('GET', 'k')).toBe('$1\r\nv\r\n');
    expect(Number(/^:(\d+)/.exec(await c.callText('OBJECT', 'FREQ', 'k'))?.[1])).toBeGreaterThanOrEqual(6);
  } finally {
    await c.close();
    await server.stop();
  }
});
