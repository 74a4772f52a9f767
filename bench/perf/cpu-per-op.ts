/**
 * CPU time per request: our server and redis-server side by side, robust on a shared machine.
 *
 *   npx ts-node --transpile-only bench/perf/cpu-per-op.ts
 *
 * Each server runs as a child process; redis-benchmark drives it (-c 50, -P 1 and -P 16, GET and
 * SET) while we read the server's user+system CPU ticks from /proc/PID/stat before and after and
 * divide by the requests. Runs rotate between the servers and repeat; per server the median and
 * the minimum CPU µs/op are printed (contention from other work only ever adds CPU time, so the
 * minimum is the steadier figure on a busy machine), with the median throughput and its ratio to
 * the last server's (redis-server by default) over the same rounds.
 *
 * Environment:
 *   PERF_SERVERS   comma-separated `name=path/to/cli.js` builds of ours, and/or `redis`
 *                  (default "ours=dist/bin/cdk-valkey-server.js,redis"); A/B two builds with
 *                  "new=/tmp/a/bin/cdk-valkey-server.js,old=/tmp/b/bin/cdk-valkey-server.js"; node flags
 *                  for one build follow its path: "small=dist/bin/cdk-valkey-server.js --min-semi-space-size=1"
 *   PERF_NODE_ARGS extra node flags for our server, space separated, after the launchers' NURSERY_FLAG
 *                  (lib/server/heap-tuning.ts), which a later flag overrides (e.g. "--min-semi-space-size=1")
 *   PERF_REQUESTS  requests per run (default 500000)
 *   PERF_ROUNDS    rounds (default 3)
 *   PERF_TESTS     redis-benchmark tests (default "get,set"); `mixed` runs bench/mixed-workload.ts's
 *                  realistic mix (its generator, in this process) instead, after preloading its keys;
 *                  `mix:HGET` (any command of the mix; `mix:GET+SET` several) runs that part of the mix alone, after one run of
 *                  the whole mix has filled the collections it reads;
 *                  `zrange` runs ZRANGE bench:zrange 0 9 WITHSCORES over a 1,000-member set, as bench/run.ts
 *   PERF_PIPELINES (default "1,16")
 *   PERF_PROCESSES processes started per server (default 1), each measured every round: V8's JIT
 *                  makes one process of a build differ from another by up to ~10%, so an A/B of one
 *                  process per build can show a difference the builds do not have; the table then
 *                  adds each process's median
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NURSERY_FLAG } from '../../lib/server/heap-tuning';
import { freePort, LOOPBACK } from '../../test/support';
import { MIX_STRING_KEYS, type MixEntry, preloadMixKey, REALISTIC_MIX, realisticMixPart, runLoad } from '../mixed-workload';
import { loadCommands, resp } from '../pipelined-load';

const DEFAULT_CLI = path.join(__dirname, '..', '..', 'dist', 'bin', 'cdk-valkey-server.js');
const SERVERS = (process.env.PERF_SERVERS ?? `ours=${DEFAULT_CLI},redis`).split(',').map((spec) => {
  const eq = spec.indexOf('=');
  if (eq < 0) return { name: spec, cli: undefined, flags: [] };
  const [cli, ...flags] = spec.slice(eq + 1).split(' ').filter((w) => w.length > 0);
  return { name: spec.slice(0, eq), cli, flags };
});
const NODE_ARGS = (process.env.PERF_NODE_ARGS ?? '').split(' ').filter((a) => a.length > 0);
const REQUESTS = Number(process.env.PERF_REQUESTS ?? 500_000);
const ROUNDS = Number(process.env.PERF_ROUNDS ?? 3);
const TESTS = (process.env.PERF_TESTS ?? 'get,set').split(',');
const PIPELINES = (process.env.PERF_PIPELINES ?? '1,16').split(',').map(Number);
const PROCESSES = Number(process.env.PERF_PROCESSES ?? 1);
/** Both servers without snapshots (ours has Redis's default save points), in an empty directory: nothing loaded at start. */
const NO_PERSISTENCE = ['--save', '', '--appendonly', 'no'];
const WORK_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cpu-per-op-'));
/** USER_HZ: /proc/PID/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

interface Server {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
}

const children = new Set<ChildProcess>();
function stopAll(): void {
  for (const child of children) child.kill('SIGKILL');
}
process.on('exit', () => {
  stopAll();
  fs.rmSync(WORK_DIR, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopAll();
    process.exit(130);
  });
}

/** User and system CPU seconds of a process so far. */
export function cpuSeconds(pid: number): { user: number; sys: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / TICKS_PER_SECOND, sys: Number(fields[12]) / TICKS_PER_SECOND };
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', () => {
      children.delete(child);
      resolve(out);
    });
  });
}

/** Waits until the server answers PING. */
async function waitForPing(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const out = await run('redis-cli', ['-h', LOOPBACK, '-p', String(port), 'PING']).catch(() => '');
    // Any answer will do: floor-style servers answer every request with the same reply.
    if (out.trim().length > 0 && !/could not connect|refused/i.test(out)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server on ${port} did not answer PING`);
}

/** Starts redis-server when `cli` is undefined, else node on that built CLI of ours. */
async function start(name: string, cli: string | undefined, flags: string[]): Promise<Server> {
  const port = await freePort();
  const child =
    cli !== undefined
      ? spawn(process.execPath, [NURSERY_FLAG, ...NODE_ARGS, ...flags, cli, '--port', String(port), '--bind', LOOPBACK, ...NO_PERSISTENCE], { stdio: 'ignore', cwd: WORK_DIR })
      : spawn('redis-server', ['--port', String(port), '--bind', LOOPBACK, ...NO_PERSISTENCE], { stdio: 'ignore', cwd: WORK_DIR });
  children.add(child);
  await waitForPing(port);
  return { name, port, child };
}

interface Sample {
  readonly usPerOp: number;
  readonly userPerOp: number;
  readonly sysPerOp: number;
  readonly rps: number;
}

/** The mixed workload's generator against one server: its CPU over the run ÷ requests. */
async function measureMixed(server: Server, pipeline: number, mix: readonly MixEntry[]): Promise<Sample> {
  const pid = server.child.pid as number;
  const before = cpuSeconds(pid);
  const result = await runLoad(server.port, { clients: 50, pipeline, requests: REQUESTS, mix });
  const after = cpuSeconds(pid);
  const user = after.user - before.user;
  const sys = after.sys - before.sys;
  const n = result.requests;
  return { usPerOp: ((user + sys) * 1e6) / n, userPerOp: (user * 1e6) / n, sysPerOp: (sys * 1e6) / n, rps: result.rps };
}

/** ZRANGE has no redis-benchmark test: the command over a prepared key, as bench/run.ts runs it. */
const ZRANGE_COMMAND = ['ZRANGE', 'bench:zrange', '0', '9', 'WITHSCORES'];

async function measure(server: Server, test: string, pipeline: number): Promise<Sample> {
  if (test === 'mixed') return measureMixed(server, pipeline, REALISTIC_MIX);
  if (test.startsWith('mix:')) return measureMixed(server, pipeline, realisticMixPart(test.slice(4)));
  const pid = server.child.pid as number;
  const before = cpuSeconds(pid);
  const out = await run('redis-benchmark', [
    '-h', LOOPBACK, '-p', String(server.port), '-c', '50', '-n', String(REQUESTS),
    '-P', String(pipeline), '-r', '100000', '--csv', ...(test === 'zrange' ? ZRANGE_COMMAND : ['-t', test]),
  ]);
  const after = cpuSeconds(pid);
  const user = after.user - before.user;
  const sys = after.sys - before.sys;
  // Rows are named after the test, some with a note: "MSET (10 keys)".
  const row = out.split('\n').find((l) => l.startsWith(`"${test.toUpperCase()}"`) || l.startsWith(`"${test.toUpperCase()} (`) || l.startsWith(`"${test.toUpperCase()} `));
  const rps = row === undefined ? NaN : Number(row.split(',')[1].replace(/"/g, ''));
  return { usPerOp: ((user + sys) * 1e6) / REQUESTS, userPerOp: (user * 1e6) / REQUESTS, sysPerOp: (sys * 1e6) / REQUESTS, rps };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

async function main(): Promise<void> {
  const servers: Server[] = [];
  for (let k = 0; k < PROCESSES; k++) for (const { name, cli, flags } of SERVERS) servers.push(await start(name, cli, flags));
  const names = SERVERS.map((spec) => spec.name);
  // Warm up the JIT and fill the keyspace so that GETs hit.
  for (const s of servers) await measure(s, 'set', 16);
  if (TESTS.includes('zrange')) {
    for (const s of servers) await loadCommands(s.port, 1000, (i) => resp('ZADD', 'bench:zrange', String(i), `member:${i}`));
  }
  if (TESTS.some((t) => t === 'mixed' || t.startsWith('mix:'))) {
    for (const s of servers) await loadCommands(s.port, MIX_STRING_KEYS, preloadMixKey);
    // The collections a part of the mix reads exist only once the whole mix has written them.
    if (TESTS.some((t) => t.startsWith('mix:'))) for (const s of servers) await measureMixed(s, 16, REALISTIC_MIX);
  }
  console.log(`requests/run ${REQUESTS}, rounds ${ROUNDS}, node args [${NODE_ARGS.join(' ')}]`);
  for (const { name, cli, flags } of SERVERS) console.log(`  ${name}: ${cli ?? 'redis-server'} ${flags.join(' ')}`);
  const last = names[names.length - 1];
  console.log(`| test | -P | server | CPU µs/op median (user+sys) | min | rps median | rps / ${last} | each process's median µs/op |`);
  console.log('|---|---|---|---|---|---|---|---|');
  const f = (n: number, d = 2): string => (Number.isFinite(n) ? n.toFixed(d) : '-');
  for (const pipeline of PIPELINES) {
    for (const test of TESTS) {
      const samples = new Map<string, Sample[]>(names.map((name) => [name, []]));
      const ratios = new Map<string, number[]>(names.map((name) => [name, []]));
      const perProcess = new Map<Server, number[]>(servers.map((s) => [s, []]));
      for (let round = 0; round < ROUNDS; round++) {
        // Rotate the order so that no server always runs first (or right after the same one).
        const order = servers.map((_, k) => servers[(k + round) % servers.length]);
        const got = new Map<Server, Sample>();
        for (const s of order) got.set(s, await measure(s, test, pipeline));
        // A round's rate for a server is the mean over its processes.
        const roundRps = new Map<string, number>(names.map((name) => [name, mean(servers.filter((s) => s.name === name).map((s) => (got.get(s) as Sample).rps))]));
        for (const s of servers) {
          const sample = got.get(s) as Sample;
          samples.get(s.name)?.push(sample);
          perProcess.get(s)?.push(sample.usPerOp);
        }
        for (const name of names) ratios.get(name)?.push((roundRps.get(name) as number) / (roundRps.get(last) as number));
      }
      for (const name of names) {
        const xs = samples.get(name) as Sample[];
        const cpu = `${f(median(xs.map((x) => x.usPerOp)))} (${f(median(xs.map((x) => x.userPerOp)))}+${f(median(xs.map((x) => x.sysPerOp)))})`;
        const min = f(Math.min(...xs.map((x) => x.usPerOp)));
        const each = servers.filter((s) => s.name === name).map((s) => f(median(perProcess.get(s) as number[]))).join(' / ');
        console.log(
          `| ${test} | ${pipeline} | ${name} | ${cpu} | ${min} | ${f(median(xs.map((x) => x.rps)), 0)} | ${f(median(ratios.get(name) as number[]))} | ${each} |`,
        );
      }
    }
  }
  for (const s of servers) s.child.kill('SIGTERM');
}

main().catch((err: unknown) => {
  console.error(err);
  stopAll();
  process.exit(1);
});
