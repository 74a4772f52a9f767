/**
 * A load generator for workloads redis-benchmark cannot express: it runs one command per run,
 * while an application mixes reads and writes over several types at once.
 *
 * To stay cheaper than the server it measures, every request is encoded before the clock
 * starts: a pool of pipelined batches (each `pipeline` requests long, drawn from the mix with a
 * seeded generator) is built once, and each connection writes whole batches from the pool and
 * counts replies without decoding them (ReplyCounter). Like redis-benchmark, each of `clients`
 * connections keeps one batch in flight; a batch's latency (write to last reply) is counted for
 * every request in it.
 */
import * as net from 'node:net';
import { performance } from 'node:perf_hooks';
import { LOOPBACK } from '../test/support';
import { resp } from './pipelined-load';
import { ReplyCounter } from './reply-counter';
import { mulberry32 } from '../test/support/seeded-random';

export interface MixEntry {
  /** Share of requests, relative to the mix's total weight. */
  readonly weight: number;
  /** The request for a random number r (0 … 2^31). */
  readonly request: (r: number) => string;
}

/** String keys GET and SET share; the bench preloads them (see preloadMixKeys). */
export const MIX_STRING_KEYS = 100_000;
const VALUE = 'xxx';

/**
 * The realistic mix: 50% GET, 20% SET over 100,000 string keys; 10% HSET/HGET over 10,000
 * hashes of up to 20 fields; 10% LPUSH/LPOP over 1,000 lists; 5% ZADD/ZRANGE 0 9 over 1,000
 * sorted sets of up to 100 members; 5% SADD/SISMEMBER over 10,000 sets of up to 100 integers.
 * Every reader and writer of a type share its key range, so reads mostly hit.
 */
export const REALISTIC_MIX: readonly MixEntry[] = [
  { weight: 50, request: (r) => resp('GET', `mix:str:${r % MIX_STRING_KEYS}`) },
  { weight: 20, request: (r) => resp('SET', `mix:str:${r % MIX_STRING_KEYS}`, VALUE) },
  { weight: 5, request: (r) => resp('HSET', `mix:hash:${r % 10_000}`, `f${(r >>> 14) % 20}`, VALUE) },
  { weight: 5, request: (r) => resp('HGET', `mix:hash:${r % 10_000}`, `f${(r >>> 14) % 20}`) },
  { weight: 5, request: (r) => resp('LPUSH', `mix:list:${r % 1_000}`, VALUE) },
  { weight: 5, request: (r) => resp('LPOP', `mix:list:${r % 1_000}`) },
  { weight: 2.5, request: (r) => resp('ZADD', `mix:zset:${r % 1_000}`, String((r >>> 10) % 1_000), `m${(r >>> 10) % 100}`) },
  { weight: 2.5, request: (r) => resp('ZRANGE', `mix:zset:${r % 1_000}`, '0', '9') },
  { weight: 2.5, request: (r) => resp('SADD', `mix:set:${r % 10_000}`, String((r >>> 14) % 100)) },
  { weight: 2.5, request: (r) => resp('SISMEMBER', `mix:set:${r % 10_000}`, String((r >>> 14) % 100)) },
];

/**
 * Some commands of the realistic mix at their weights, `+`-separated (`HGET`, `GET+SET`): the
 * perf tools run a part of the mix alone to see which part costs what.
 */
export function realisticMixPart(commands: string): readonly MixEntry[] {
  return commands.split('+').map((command) => {
    const entry = REALISTIC_MIX.find((e) => e.request(0).includes(`\r\n${command.toUpperCase()}\r\n`));
    if (entry === undefined) throw new Error(`no ${command} in the realistic mix`);
    return entry;
  });
}

/** GET alone over the same keys: to compare the generator with redis-benchmark's GET. */
export const GET_ONLY_MIX: readonly MixEntry[] = [REALISTIC_MIX[0]];

/** The preload: SET of every string key the mix reads, so GET hits as in a warm cache. */
export function preloadMixKey(i: number): string {
  return resp('SET', `mix:str:${i}`, VALUE);
}


/** `count` batches of `pipeline` requests each, drawn from the mix. */
export function buildBatches(mix: readonly MixEntry[], pipeline: number, count: number, seed = 1): Buffer[] {
  const random = mulberry32(seed);
  const total = mix.reduce((sum, e) => sum + e.weight, 0);
  const batches: Buffer[] = [];
  for (let b = 0; b < count; b++) {
    let text = '';
    for (let i = 0; i < pipeline; i++) {
      let pick = random() * total;
      let entry = mix[mix.length - 1];
      for (const e of mix) {
        if (pick < e.weight) {
          entry = e;
          break;
        }
        pick -= e.weight;
      }
      text += entry.request(Math.floor(random() * 2 ** 31));
    }
    batches.push(Buffer.from(text, 'latin1'));
  }
  return batches;
}

export interface LoadOptions {
  readonly clients: number;
  readonly pipeline: number;
  /** Requests in all (rounded up to whole batches per client). */
  readonly requests: number;
  readonly mix: readonly MixEntry[];
}

export interface LoadResult {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** The generator's own CPU time (user + sys) per request, µs: what it costs beside the server. */
  readonly clientCpuMicros: number;
}

const POOL_BATCHES = 4096;

/** Reads go into one reusable buffer per connection (no Buffer allocated per read). */
function connect(port: number, onData: (chunk: Buffer) => void): Promise<net.Socket> {
  const buffer = Buffer.allocUnsafe(256 * 1024);
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({
      port,
      host: LOOPBACK,
      onread: {
        buffer,
        callback: (bytes: number): boolean => {
          onData(buffer.subarray(0, bytes));
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Runs the load against `port`; rejects on any error reply or a closed connection. */
export async function runLoad(port: number, options: LoadOptions): Promise<LoadResult> {
  const { clients, pipeline, mix } = options;
  const pool = buildBatches(mix, pipeline, POOL_BATCHES);
  const batchesPerClient = Math.ceil(options.requests / (clients * pipeline));
  // One latency (ms) per batch; each stands for `pipeline` requests, so percentiles are the same.
  const latencies = new Float64Array(batchesPerClient * clients);
  let recorded = 0;
  let seconds = 0;
  let cpuMicros = 0;
  const sockets: net.Socket[] = [];
  const runs: Promise<void>[] = [];
  const starts: Array<() => void> = [];
  try {
    for (let c = 0; c < clients; c++) {
      const counter = new ReplyCounter();
      let sent = 0;
      let expected = 0;
      let batchStart = 0;
      let settle: { resolve: () => void; reject: (err: Error) => void } | undefined;
      runs.push(new Promise<void>((resolve, reject) => (settle = { resolve, reject })));
      const next = (): void => {
        if (sent === batchesPerClient) {
          settle!.resolve();
          return;
        }
        batchStart = performance.now();
        expected += pipeline;
        socket.write(pool[(c * 977 + sent++) % POOL_BATCHES]);
      };
      const onData = (chunk: Buffer): void => {
        try {
          counter.feed(chunk);
        } catch (err) {
          settle!.reject(err as Error);
          return;
        }
        if (counter.errors > 0) settle!.reject(new Error(`error reply under load: ${counter.firstError}`));
        else if (counter.replies === expected) {
          latencies[recorded++] = performance.now() - batchStart;
          next();
        }
      };
      const socket = await connect(port, onData);
      socket.on('close', () => settle!.reject(new Error(`connection closed after ${counter.replies} replies`)));
      socket.on('error', (err) => settle!.reject(err));
      sockets.push(socket);
      starts.push(next);
    }
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    for (const start of starts) start();
    await Promise.all(runs);
    seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    cpuMicros = cpu.user + cpu.system;
  } finally {
    for (const s of sockets) s.destroy();
  }
  const sorted = latencies.subarray(0, recorded).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const requests = recorded * pipeline;
  return { requests, rps: requests / seconds, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1], clientCpuMicros: cpuMicros / requests };
}
