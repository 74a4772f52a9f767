/** Running redis-benchmark 7.0 against one server and reading its --csv output. */
import { spawn } from 'node:child_process';
import { LOOPBACK } from '../test/support';
import { trackTool } from './processes';

export interface Row {
  readonly test: string;
  readonly rps: number;
  readonly avg: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
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

export interface BenchmarkRun {
  readonly clients: number;
  readonly requests: number;
  readonly pipeline: number;
  /** A built-in test name (-t), or undefined when `command` is given. */
  readonly test?: string;
  /** An arbitrary command to run instead of a built-in test (redis-benchmark's trailing arguments). */
  readonly command?: readonly string[];
  /** -r: the keyspace range for __rand_int__. */
  readonly randomKeys?: number;
}

/** Runs redis-benchmark once; resolves with its rows, rejects when it produced none. */
export async function redisBenchmark(port: number, run: BenchmarkRun): Promise<Row[]> {
  return (await runBenchmark(port, run, false)).rows;
}

/**
 * Runs redis-benchmark under bash and reads its CPU time (user + sys, µs) from bash's `times`
 * builtin (the children's line): what the client itself cost, to compare load generators.
 */
export function redisBenchmarkWithCpu(port: number, run: BenchmarkRun): Promise<{ rows: Row[]; cpuMicros: number }> {
  return runBenchmark(port, run, true);
}

function childCpuMicros(timesOutput: string): number {
  // `times` prints the shell's user/sys line, then its children's: "0m0.240s 0m1.670s".
  const lines = [...timesOutput.matchAll(/^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/gm)];
  const children = lines[lines.length - 1];
  if (children === undefined) return NaN;
  const [, um, us, sm, ss] = children.map(Number);
  return (um * 60 + us + sm * 60 + ss) * 1e6;
}

function runBenchmark(port: number, run: BenchmarkRun, withCpu: boolean): Promise<{ rows: Row[]; cpuMicros: number }> {
  const args = ['-h', LOOPBACK, '-p', String(port), '-c', String(run.clients), '-n', String(run.requests), '-P', String(run.pipeline)];
  if (run.randomKeys !== undefined) args.push('-r', String(run.randomKeys));
  if (run.test !== undefined) args.push('-t', run.test);
  args.push('--csv');
  if (run.command !== undefined) args.push(...run.command);
  return new Promise((resolve, reject) => {
    const child = trackTool(
      withCpu
        ? spawn('bash', ['-c', 'redis-benchmark "$@"; status=$?; times; exit $status', 'bench', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    let stdout = '';
    let stderr = '';
    // A server that stops answering must not hang the bench.
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const rows = parseCsv(stdout);
      if (rows.length === 0) reject(new Error(`redis-benchmark ${args.join(' ')} exited ${code} with no results: ${stderr}${stdout}`));
      else resolve({ rows, cpuMicros: withCpu ? childCpuMicros(stdout) : NaN });
    });
  });
}
