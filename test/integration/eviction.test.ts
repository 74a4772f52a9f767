/**
 * maxmemory with every policy, on a real server process: a load of about twice maxmemory (values
 * of 100, 1000 and 10000 bytes, written in batches) must keep
 *   (a) the process's resident memory (VmRSS, against a baseline taken before the load) within
 *       maxmemory plus RSS_MARGIN, and
 *   (b) INFO's used_memory within maxmemory plus one write after every batch (eviction runs
 *       before each write, as in Redis, so the last write of a batch may sit on top),
 * and show each policy's own behaviour (c): noeviction refuses writes with redis-server's exact
 * OOM bytes while reads still work; allkeys-lru keeps a hot set that is kept touched;
 * allkeys-lfu keeps frequently read keys; volatile-* never evicts a key without a TTL and
 * answers OOM once only such keys remain; volatile-ttl evicts the soonest-expiring first.
 */
import * as net from 'node:net';
import { LOOPBACK, RawClient, residentBytes, startOurServer, startRedisServer, type ServerHandle } from '../support';
import { decodeReply, encodeCommand } from '../support/resp';

// Each test writes twice maxmemory through a real process: ~30 s apiece was seen on a loaded
// machine, half of jest's default limit. The limit only bounds a hang.
jest.setTimeout(180_000);

const MAXMEMORY = 64 * 1024 * 1024;
/**
 * Resident memory allowed above maxmemory. Beyond the live data (which used_memory tracks to
 * within a few bytes per string key), a V8 process holds: garbage from evicted values until the
 * next full GC (capped at 20% of the live heap by heap-tuning.ts), partly filled heap pages
 * after sweeping, the young generation, and socket and parser buffers. Measured on these
 * machines: 40–50 MB at maxmemory 64mb. The margin is 64 MB (100% of maxmemory), to stay a
 * bound rather than a measurement under six engineers' load; redis-server with jemalloc needs
 * about 10–30% here.
 */
const RSS_MARGIN = 64 * 1024 * 1024;
/** The largest single write of the load (a 10000-byte value, its key and per-key overhead). */
const LARGEST_WRITE = 16 * 1024;
const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
const BATCHES = 8;
/** Estimated bytes written per batch: 8 batches come to twice maxmemory. */
const BATCH_BYTES = (2 * MAXMEMORY) / BATCHES;

interface Written {
  /** Replies that were errors, by text. */
  readonly errors: string[];
  /** Which commands (by index) got an error. */
  readonly failed: Set<number>;
}

/** Sends all commands on one connection, pipelined, and waits for every reply. */
function pipeline(port: number, commands: string[][]): Promise<Written> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ port, host: LOOPBACK });
    let replies = 0;
    let pending: Buffer = Buffer.alloc(0);
    const errors: string[] = [];
    const failed = new Set<number>();
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let offset = 0;
      for (let d = decodeReply(pending, offset); d !== null; d = decodeReply(pending, offset)) {
        if (pending[offset] === 0x2d) {
          errors.push(pending.subarray(offset, d.end).toString('latin1'));
          failed.add(replies);
        }
        offset = d.end;
        replies++;
      }
      pending = pending.subarray(offset);
      if (replies >= commands.length) {
        socket.destroy();
        resolve({ errors, failed });
      }
    });
    socket.on('close', () => {
      if (replies < commands.length) reject(new Error(`connection closed after ${replies} of ${commands.length} replies`));
    });
    for (let i = 0; i < commands.length; i += 1000) {
      socket.write(Buffer.concat(commands.slice(i, i + 1000).map((c) => encodeCommand(c))));
    }
  });
}

/** One batch of SETs worth about BATCH_BYTES: equal bytes in 100-, 1000- and 10000-byte values. */
function batch(prefix: string, ttl: (i: number) => number | undefined): string[][] {
  const commands: string[][] = [];
  let i = 0;
  for (const size of [100, 1000, 10000]) {
    const cost = size + 200;
    for (let n = 0; n < Math.floor(BATCH_BYTES / 3 / cost); n++, i++) {
      const key = `${prefix}:${size}:${n}`;
      const value = `${key}:`.padEnd(size, 'x');
      const seconds = ttl(i);
      commands.push(seconds === undefined ? ['SET', key, value] : ['SET', key, value, 'EX', String(seconds)]);
    }
  }
  return commands;
}

function field(info: string, name: string): number {
  const m = new RegExp(`^${name}:(\\d+)`, 'm').exec(info);
  if (m === null) throw new Error(`no ${name} in INFO`);
  return Number(m[1]);
}

/** Keys and keys-with-TTL in db0 (INFO keyspace). */
async function keyspace(admin: RawClient): Promise<{ keys: number; expires: number }> {
  const m = /db0:keys=(\d+),expires=(\d+)/.exec(await admin.callText('INFO', 'keyspace'));
  return m === null ? { keys: 0, expires: 0 } : { keys: Number(m[1]), expires: Number(m[2]) };
}

async function existing(admin: RawClient, keys: string[]): Promise<number> {
  const reply = await admin.callText('EXISTS', ...keys);
  return Number(/^:(\d+)/.exec(reply)?.[1]);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('maxmemory 64mb under a load of twice that', () => {
  let server: ServerHandle | undefined;
  let admin: RawClient | undefined;
  afterEach(async () => {
    await admin?.close();
    await server?.stop();
    admin = undefined;
    server = undefined;
  });

  async function start(policy: string): Promise<{ s: ServerHandle; a: RawClient; baseline: number }> {
    server = await startOurServer({ args: ['--maxmemory', String(MAXMEMORY), '--maxmemory-policy', policy] });
    admin = await RawClient.connect(server.port);
    expect(await admin.callText('PING')).toBe('+PONG\r\n');
    return { s: server, a: admin, baseline: residentBytes(server.pid as number) };
  }

  /** (a) and (b), checked after every batch. */
  async function checkBounds(s: ServerHandle, a: RawClient, baseline: number): Promise<void> {
    const used = field(await a.callText('INFO', 'memory'), 'used_memory');
    expect(used).toBeLessThanOrEqual(MAXMEMORY + LARGEST_WRITE);
    expect(residentBytes(s.pid as number) - baseline).toBeLessThanOrEqual(MAXMEMORY + RSS_MARGIN);
  }

  test('noeviction: writes get redis-server\'s exact OOM reply once full, reads and deletes still work, nothing is evicted', async () => {
    // The oracle's bytes, from a small redis-server filled the same way.
    const redis = await startRedisServer({ config: { maxmemory: '2mb', 'maxmemory-policy': 'noeviction' } });
    let redisErrors: string[];
    try {
      redisErrors = (await pipeline(redis.port, batch('r', () => undefined))).errors;
    } finally {
      await redis.stop();
    }
    expect(redisErrors[0]).toBe(OOM);

    const { s, a, baseline } = await start('noeviction');
    const errors: string[] = [];
    for (let b = 0; b < BATCHES; b++) {
      errors.push(...(await pipeline(s.port, batch(`b${b}`, () => undefined))).errors);
      await checkBounds(s, a, baseline);
    }
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors)).toEqual(new Set([OOM]));
    expect(await a.callText('SET', 'one-more', 'v')).toBe(OOM);
    expect(await a.callText('GET', 'b0:100:0')).toBe(`$100\r\n${'b0:100:0:'.padEnd(100, 'x')}\r\n`);
    expect(await a.callText('DEL', 'b0:100:0')).toBe(':1\r\n');
    expect(field(await a.callText('INFO', 'stats'), 'evicted_keys')).toBe(0);
  });

  test('allkeys-lru: a hot set that is kept touched survives; an untouched set written with it does not', async () => {
    const { s, a, baseline } = await start('allkeys-lru');
    const hot = Array.from({ length: 200 }, (_, i) => `hot:${i}`);
    const cold = Array.from({ length: 200 }, (_, i) => `cold:${i}`);
    await pipeline(s.port, [...hot, ...cold].map((k) => ['SET', k, k.padEnd(1000, 'h')]));
    for (let b = 0; b < BATCHES; b++) {
      // LRU's clock counts seconds, as Redis's: let a second pass so the load is older than the next touch.
      await sleep(1100);
      await pipeline(s.port, hot.map((k) => ['GET', k]));
      await pipeline(s.port, batch(`b${b}`, () => undefined));
      await checkBounds(s, a, baseline);
    }
    expect(field(await a.callText('INFO', 'stats'), 'evicted_keys')).toBeGreaterThan(0);
    const hotLeft = await existing(a, hot);
    const coldLeft = await existing(a, cold);
    expect(hotLeft).toBeGreaterThanOrEqual(hot.length * 0.9);
    expect(coldLeft).toBeLessThan(cold.length * 0.5);
  });

  test('allkeys-lfu: frequently read keys survive; keys written with them and never read do not', async () => {
    const { s, a, baseline } = await start('allkeys-lfu');
    const hot = Array.from({ length: 200 }, (_, i) => `hot:${i}`);
    const cold = Array.from({ length: 200 }, (_, i) => `cold:${i}`);
    await pipeline(s.port, [...hot, ...cold].map((k) => ['SET', k, k.padEnd(1000, 'h')]));
    const reads: string[][] = [];
    for (let r = 0; r < 100; r++) for (const k of hot) reads.push(['GET', k]);
    for (let b = 0; b < BATCHES; b++) {
      if (b === 0) await pipeline(s.port, reads);
      await pipeline(s.port, batch(`b${b}`, () => undefined));
      await checkBounds(s, a, baseline);
    }
    const freq = await a.callText('OBJECT', 'FREQ', 'hot:0');
    expect(Number(/^:(\d+)/.exec(freq)?.[1])).toBeGreaterThan(5);
    expect(await existing(a, hot)).toBeGreaterThanOrEqual(hot.length * 0.9);
    // Cold keys tie with the load's keys (both at LFU_INIT_VAL, never read), so which of those go
    // is random: about e^-1 of them outlive a load of twice maxmemory (73-83 of 200 measured), and
    // once in a full parallel run 101 did. Far under the 200 that would mean LFU kept them.
    expect(await existing(a, cold)).toBeLessThan(cold.length * 0.6);
  });

  test('allkeys-random: stays within bounds and evicts from the whole keyspace', async () => {
    const { s, a, baseline } = await start('allkeys-random');
    for (let b = 0; b < BATCHES; b++) {
      expect((await pipeline(s.port, batch(`b${b}`, () => undefined))).errors).toEqual([]);
      await checkBounds(s, a, baseline);
    }
    expect(field(await a.callText('INFO', 'stats'), 'evicted_keys')).toBeGreaterThan(0);
    // Random eviction leaves some of the first batch and not all of the last.
    expect(await existing(a, Array.from({ length: 500 }, (_, i) => `b0:100:${i}`))).toBeGreaterThan(0);
    expect(await existing(a, Array.from({ length: 500 }, (_, i) => `b${BATCHES - 1}:100:${i}`))).toBeLessThan(500);
  });

  test.each(['volatile-lru', 'volatile-lfu', 'volatile-random'])(
    '%s: never evicts a key without a TTL, and answers OOM once only such keys remain',
    async (policy) => {
      const { s, a, baseline } = await start(policy);
      let persistent = 0;
      const errors: string[] = [];
      for (let b = 0; b < BATCHES; b++) {
        // One key in three has a TTL: two thirds of the load, more than maxmemory, is not evictable.
        const commands = batch(`b${b}`, (i) => (i % 3 === 0 ? 3600 : undefined));
        const written = await pipeline(s.port, commands);
        errors.push(...written.errors);
        persistent += commands.filter((c, i) => c.length === 3 && !written.failed.has(i)).length;
        await checkBounds(s, a, baseline);
        // Every key without a TTL that was accepted is still there.
        const { keys, expires } = await keyspace(a);
        expect(keys - expires).toBe(persistent);
      }
      expect(errors.length).toBeGreaterThan(0);
      expect(new Set(errors)).toEqual(new Set([OOM]));
      expect((await keyspace(a)).expires).toBe(0);
      expect(await a.callText('SET', 'no-ttl', 'v')).toBe(OOM);
      expect(await a.callText('SET', 'with-ttl', 'v', 'EX', '100')).toBe(OOM);
      expect(field(await a.callText('INFO', 'stats'), 'evicted_keys')).toBeGreaterThan(0);
    },
  );

  test('volatile-ttl: the soonest-expiring keys go first', async () => {
    const { s, a, baseline } = await start('volatile-ttl');
    for (let b = 0; b < BATCHES; b++) {
      // Interleaved: even keys expire in an hour, odd ones in a day.
      await pipeline(s.port, batch(`b${b}`, (i) => (i % 2 === 0 ? 3600 : 86400)));
      await checkBounds(s, a, baseline);
    }
    const ttls = await pipelineTtls(a, BATCHES);
    expect(ttls.long).toBeGreaterThan(0);
    // Of the keys left, far more are the long-lived ones: about every eviction took a short one.
    expect(ttls.short).toBeLessThan(ttls.long * 0.25);
  });
});

/** Counts surviving keys of the load by TTL (short: ≤ 3600 s, long: more), over the 100-byte keys of every batch. */
async function pipelineTtls(a: RawClient, batches: number): Promise<{ short: number; long: number }> {
  let short = 0;
  let long = 0;
  for (let b = 0; b < batches; b++) {
    for (let n = 0; n < 400; n++) {
      const reply = await a.callText('TTL', `b${b}:100:${n}`);
      const ttl = Number(/^:(-?\d+)/.exec(reply)?.[1]);
      if (ttl > 3600) long++;
      else if (ttl > 0) short++;
    }
  }
  return { short, long };
}
