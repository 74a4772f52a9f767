/**
 * Resident memory per item: each dataset is loaded into a freshly started process of each server
 * (a heap grown by earlier work would absorb the items unseen) and measured as RSS from
 * /proc/PID/status after the load minus before it, divided by the number of items.
 */
import { LOOPBACK, RawClient, residentBytes, startOurServer, startRedisServer, type ServerHandle } from '../test/support';
import { loadCommands, resp } from './pipelined-load';

export interface MemoryScenario {
  readonly name: string;
  /** What one item is, for the report. */
  readonly item: string;
  readonly count: number;
  readonly command: (i: number) => string;
}

const id = (i: number): string => String(i + 1).padStart(10, '0');

/**
 * The datasets of issues 3 and 5. `scale` (0 < scale <= 1) shrinks every count for a smoke run.
 */
export function memoryScenarios(scale: number): MemoryScenario[] {
  const n = (full: number): number => Math.max(1, Math.round(full * scale));
  const value32 = 'v'.repeat(32);
  const hashArgs: string[] = [];
  for (let f = 0; f < 10; f++) hashArgs.push(`field:${f}`, `value:${f}`);
  const zsetArgs: string[] = [];
  for (let m = 0; m < 100; m++) zsetArgs.push(String(m), `member:${String(m).padStart(3, '0')}`);
  return [
    {
      name: 'strings',
      item: 'a key `key:NNNNNNNNNN` with a 32-byte value (SET)',
      count: n(1_000_000),
      command: (i) => resp('SET', `key:${id(i)}`, value32),
    },
    {
      name: 'hashes',
      item: 'a hash `hash:NNNNNNNNNN` of 10 fields `field:0`…`field:9` → `value:0`…`value:9` (one HSET; listpack)',
      count: n(1_000_000),
      command: (i) => resp('HSET', `hash:${id(i)}`, ...hashArgs),
    },
    {
      name: 'sorted sets',
      item: 'a sorted set `zset:NNNNNNNNNN` of 100 members `member:000`…`member:099` with scores 0…99 (one ZADD; listpack)',
      count: n(100_000),
      command: (i) => resp('ZADD', `zset:${id(i)}`, ...zsetArgs),
    },
    {
      name: 'small sets',
      item: 'a set `set:NNNNNNNNNN` of 5 integers i mod 10000 + 0, 100, 200, 300, 400 (one SADD; intset of 16-bit members)',
      count: n(1_000_000),
      command: (i) => {
        const base = i % 10_000;
        return resp('SADD', `set:${id(i)}`, String(base), String(base + 100), String(base + 200), String(base + 300), String(base + 400));
      },
    },
  ];
}

export interface MemoryResult {
  readonly before: number;
  readonly after: number;
  readonly perItem: number;
  readonly dbsize: number;
}

async function dbsize(port: number): Promise<number> {
  const client = await RawClient.connect(port, LOOPBACK);
  try {
    return Number((await client.callText('DBSIZE')).replace(/^:/, '').trim());
  } finally {
    await client.close();
  }
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Loads the scenario into `server` (fresh, empty) and measures RSS per item. */
export async function measureOn(server: ServerHandle, scenario: MemoryScenario): Promise<MemoryResult> {
  await settle(500);
  const before = residentBytes(server.pid!);
  await loadCommands(server.port, scenario.count, scenario.command);
  const size = await dbsize(server.port);
  if (size !== scenario.count) throw new Error(`${scenario.name}: DBSIZE ${size} after loading ${scenario.count} items`);
  // Let a garbage-collected server finish its collections before reading RSS.
  await settle(1000);
  const after = residentBytes(server.pid!);
  return { before, after, perItem: (after - before) / scenario.count, dbsize: size };
}

export type ServerStarter = () => Promise<ServerHandle>;

/** Runs one scenario on a fresh process of each server, stopping each before the next starts. */
export async function measureScenario(
  scenario: MemoryScenario,
  track: (server: ServerHandle) => void,
  starters: { readonly ours: ServerStarter; readonly redis: ServerStarter } = {
    ours: () => startOurServer({ mode: 'child' }),
    redis: () => startRedisServer(),
  },
): Promise<{ ours: MemoryResult; redis: MemoryResult }> {
  const results: Partial<Record<'ours' | 'redis', MemoryResult>> = {};
  for (const kind of ['ours', 'redis'] as const) {
    const server = await starters[kind]();
    track(server);
    try {
      results[kind] = await measureOn(server, scenario);
    } finally {
      await server.stop();
    }
  }
  return { ours: results.ours!, redis: results.redis! };
}
