/**
 * `npm run bench`: our server (built dist/, child process) against redis-server on this machine.
 *
 * 1. Throughput and latency: redis-benchmark (-c 50, -P 1 and -P 16, --csv) against each server in
 *    alternation, per command: SET GET INCR MSET PING_MBULK and every collection test
 *    redis-benchmark knows that our server answers (probed by sending the command).
 * 2. Memory: 1,000,000 keys (key:0000000001 …) with 32-byte values loaded through a pipelined raw
 *    client; resident memory per key from /proc/PID/status VmRSS (after minus before, / keys).
 *
 * Prints the tables and writes bench/results.md with the machine's description. Both servers (and
 * a running redis-benchmark) are stopped on exit, on error and on Ctrl-C.
 *
 * Environment: BENCH_REQUESTS (default 100000, per run at -P 1; x5 at -P 16), BENCH_KEYS (1000000).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOOPBACK, RawClient, residentBytes, startOurServer, startRedisServer, type ServerHandle } from '../test/support';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100_000);
const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const CLIENTS = 50;
const PIPELINES = [1, 16] as const;
const VALUE_BYTES = 32;
const RESULTS_FILE = path.join(__dirname, 'results.md');

/** Always benchmarked. */
const CORE_TESTS = ['ping_mbulk', 'set', 'get', 'incr', 'mset'];

/** Collection tests redis-benchmark knows, with the commands each needs from the server. */
const COLLECTION_TESTS: readonly { readonly test: string; readonly probes: readonly string[][] }[] = [
  { test: 'lpush', probes: [['LPUSH', '__bench_probe_list', 'x']] },
  { test: 'rpush', probes: [['RPUSH', '__bench_probe_list', 'x']] },
  { test: 'lpop', probes: [['LPOP', '__bench_probe_list']] },
  { test: 'rpop', probes: [['RPOP', '__bench_probe_list']] },
  { test: 'sadd', probes: [['SADD', '__bench_probe_set', 'x']] },
  { test: 'hset', probes: [['HSET', '__bench_probe_hash', 'f', 'v']] },
  { test: 'spop', probes: [['SPOP', '__bench_probe_set']] },
  { test: 'zadd', probes: [['ZADD', '__bench_probe_zset', '1', 'x']] },
  { test: 'zpopmin', probes: [['ZPOPMIN', '__bench_probe_zset']] },
  { test: 'lrange_100', probes: [['LPUSH', '__bench_probe_list', 'x'], ['LRANGE', '__bench_probe_list', '0', '99']] },
  { test: 'xadd', probes: [['XADD', '__bench_probe_stream', '*', 'f', 'v']] },
];

interface Row {
  readonly test: string;
  readonly rps: number;
  readonly avg: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

let running: ChildProcess | undefined;
const servers: ServerHandle[] = [];

async function stopEverything(): Promise<void> {
  running?.kill('SIGKILL');
  await Promise.allSettled(servers.map((s) => s.stop()));
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping servers`);
    void stopEverything().finally(() => process.exit(130));
  });
}

/** Parses redis-benchmark 7.0 --csv output: "test","rps","avg_latency_ms","min…","p50…","p95…","p99…","max…". */
export function parseCsv(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n')) {
    const cells = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    if (cells.length !== 8 || cells[0] === 'test') continue;
    const [test, ...numbers] = cells;
    const [rps, avg, min, p50, p95, p99, max] = numbers.map(Number);
    rows.push({ test, rps, avg, min, p50, p95, p99, max });
  }
  return rows;
}

function redisBenchmark(port: number, test: string, pipeline: number): Promise<Row[]> {
  const requests = pipeline > 1 ? REQUESTS * 5 : REQUESTS;
  const args = ['-h', LOOPBACK, '-p', String(port), '-c', String(CLIENTS), '-n', String(requests), '-P', String(pipeline), '-r', '100000', '-t', test, '--csv'];
  return new Promise((resolve, reject) => {
    const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running = child;
    let stdout = '';
    let stderr = '';
    // A server that stops answering must not hang the bench.
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      running = undefined;
      const rows = parseCsv(stdout);
      if (rows.length === 0) reject(new Error(`redis-benchmark ${args.join(' ')} exited ${code} with no results: ${stderr}${stdout}`));
      else resolve(rows);
    });
  });
}

async function supportedCollectionTests(port: number): Promise<string[]> {
  const client = await RawClient.connect(port);
  const supported: string[] = [];
  try {
    for (const { test, probes } of COLLECTION_TESTS) {
      let ok = true;
      for (const probe of probes) {
        const reply = await client.callText(...probe);
        if (reply.startsWith('-ERR unknown command')) ok = false;
      }
      if (ok) supported.push(test);
    }
    await client.call('FLUSHALL');
  } finally {
    await client.close();
  }
  return supported;
}

/** Loads `count` SETs key:NNNNNNNNNN -> 32 bytes over one connection, 10,000 commands a batch. */
async function loadKeys(port: number, count: number): Promise<void> {
  const socket = net.createConnection({ port, host: LOOPBACK });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let replies = 0;
  let errors = '';
  let waiter: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) replies++;
    if (chunk[0] === 0x2d && errors === '') errors = chunk.toString('latin1', 0, 200);
    waiter?.();
  });
  const value = 'v'.repeat(VALUE_BYTES);
  const batch = 10_000;
  try {
    for (let start = 1; start <= count; start += batch) {
      const end = Math.min(count, start + batch - 1);
      const parts: string[] = [];
      for (let i = start; i <= end; i++) {
        const key = `key:${String(i).padStart(10, '0')}`;
        parts.push(`*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${VALUE_BYTES}\r\n${value}\r\n`);
      }
      socket.write(parts.join(''));
      while (replies < end) {
        await new Promise<void>((resolve) => {
          waiter = resolve;
        });
      }
      if (errors !== '') throw new Error(`loading keys: ${errors}`);
    }
  } finally {
    socket.destroy();
  }
}

async function call(port: number, ...args: string[]): Promise<string> {
  const client = await RawClient.connect(port);
  try {
    return await client.callText(...args);
  } finally {
    await client.close();
  }
}

interface MemoryResult {
  readonly before: number;
  readonly after: number;
  readonly perKey: number;
  readonly dbsize: string;
}

async function measureMemory(server: ServerHandle): Promise<MemoryResult> {
  await call(server.port, 'FLUSHALL');
  await new Promise((r) => setTimeout(r, 500));
  const before = residentBytes(server.pid!);
  await loadKeys(server.port, KEYS);
  const dbsize = (await call(server.port, 'DBSIZE')).trim();
  // Let a garbage-collected server settle before reading RSS.
  await new Promise((r) => setTimeout(r, 1000));
  const after = residentBytes(server.pid!);
  await call(server.port, 'FLUSHALL');
  return { before, after, perKey: (after - before) / KEYS, dbsize };
}

function machine(): string[] {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const redisVersion = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim();
  return [
    `- CPU: ${model}, ${os.cpus().length} cores; redis-benchmark, the server under test and anything else running share them (load average at start: ${os.loadavg()[0].toFixed(2)})`,
    `- Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node: ${process.version}`,
    `- ${redisVersion}`,
    `- Date: ${new Date().toISOString()}`,
    `- redis-benchmark: -c ${CLIENTS}, -n ${REQUESTS} at -P 1 and ${REQUESTS * 5} at -P 16, -r 100000, default 3-byte values`,
  ];
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main(): Promise<void> {
  console.log('starting servers…');
  const ours = await startOurServer({ mode: 'child' });
  servers.push(ours);
  const redis = await startRedisServer();
  servers.push(redis);

  const collections = await supportedCollectionTests(ours.port);
  const tests = [...CORE_TESTS, ...collections];
  console.log(`tests: ${tests.join(', ')}`);

  const lines: string[] = [];
  const table: string[] = [
    '| command | pipeline | ours rps | redis rps | ours/redis | ours p50 ms | redis p50 ms | ours p99 ms | redis p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  let turn = 0;
  for (const pipeline of PIPELINES) {
    for (const test of tests) {
      // Alternate who goes first, so neither always runs on a warmer (or busier) machine.
      const order: ServerHandle[] = turn++ % 2 === 0 ? [ours, redis] : [redis, ours];
      const results = new Map<ServerHandle, Row[]>();
      for (const server of order) results.set(server, await redisBenchmark(server.port, test, pipeline));
      const mine = results.get(ours)!;
      const theirs = results.get(redis)!;
      for (const row of mine) {
        const other = theirs.find((r) => r.test === row.test);
        if (other === undefined) continue;
        const line = `| ${row.test} | ${pipeline} | ${fmt(row.rps)} | ${fmt(other.rps)} | ${fmt(row.rps / other.rps, 2)} | ${fmt(row.p50, 3)} | ${fmt(other.p50, 3)} | ${fmt(row.p99, 3)} | ${fmt(other.p99, 3)} |`;
        table.push(line);
        console.log(line);
      }
    }
  }

  // Memory on fresh processes: a heap grown by the throughput runs would absorb the keys unseen.
  await Promise.all([ours.stop(), redis.stop()]);
  console.log(`memory: loading ${fmt(KEYS)} keys into a fresh process of each…`);
  const freshOurs = await startOurServer({ mode: 'child' });
  servers.push(freshOurs);
  const memOurs = await measureMemory(freshOurs);
  await freshOurs.stop();
  const freshRedis = await startRedisServer();
  servers.push(freshRedis);
  const memRedis = await measureMemory(freshRedis);
  await freshRedis.stop();
  const mib = (n: number): string => fmt(n / 2 ** 20, 1);
  const memory = [
    '| server | keys (DBSIZE) | RSS before MiB | RSS after MiB | bytes per key |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| ours | ${memOurs.dbsize.replace(':', '')} | ${mib(memOurs.before)} | ${mib(memOurs.after)} | ${fmt(memOurs.perKey, 1)} |`,
    `| redis-server | ${memRedis.dbsize.replace(':', '')} | ${mib(memRedis.before)} | ${mib(memRedis.after)} | ${fmt(memRedis.perKey, 1)} |`,
    '',
    `Resident memory per key, ours / redis: **${fmt(memOurs.perKey / memRedis.perKey, 2)}**`,
  ];
  memory.forEach((l) => console.log(l));

  lines.push(
    '# Benchmark: our server vs redis-server',
    '',
    'Written by `npm run bench` (bench/run.ts). Each row ran redis-benchmark against each server in turn, in the same run.',
    'Where our time goes (CPU per request, profiles) and what was tried: bench/perf/README.md.',
    '',
    '## Machine',
    '',
    ...machine(),
    '',
    '## Throughput and latency',
    '',
    ...table,
    '',
    `## Memory: ${fmt(KEYS)} keys with ${VALUE_BYTES}-byte values`,
    '',
    'Keys `key:0000000001` … loaded with pipelined SETs into a freshly started process of each; RSS from /proc/PID/status VmRSS before and after the load.',
    '',
    ...memory,
    '',
  );
  fs.writeFileSync(RESULTS_FILE, lines.join('\n'));
  console.log(`\nwritten to ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => stopEverything());
