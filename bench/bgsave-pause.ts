/**
 * The longest event-loop pause during BGSAVE, seen from a client: a dataset of about `megabytes`
 * MiB (1 KiB values) is loaded, a concurrent GET load runs (redis-benchmark, 10 connections,
 * -P 1, over the loaded keys) and one more connection sends PING, waits for PONG, sleeps 1 ms
 * and repeats. Its latencies for a few seconds before BGSAVE are the baseline; those from the
 * BGSAVE until INFO persistence says it finished are the figure. redis-server forks, so its
 * pause is the fork (also reported server-side as INFO latest_fork_usec); ours captures
 * references synchronously, which it reports as latest_fork_usec, and then serializes in slices
 * between client events.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { LOOPBACK, RawClient, startOurServer, startRedisServer, type ServerHandle, type ServerKind } from '../test/support';
import { loadCommands, resp } from './pipelined-load';
import { trackServer, trackTool } from './processes';

export interface PingStats {
  readonly pings: number;
  readonly p99: number;
  readonly max: number;
}

export interface BgsavePause {
  readonly keys: number;
  readonly datasetBytes: number;
  readonly bgsaveSeconds: number;
  readonly before: PingStats;
  readonly during: PingStats;
  /** INFO stats latest_fork_usec when the server reports a non-zero one. */
  readonly forkMicros: number | undefined;
}

const VALUE_BYTES = 1024;
const BASELINE_MS = 3000;

/** Distinct, barely compressible values, so RDB compression does not make the save trivial. */
function valueSource(): (i: number) => string {
  let seed = 12345;
  let pool = '';
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  for (let i = 0; i < 1 << 17; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    pool += alphabet[(seed >>> 16) % alphabet.length];
  }
  return (i) => {
    const at = (i * 7919) % (pool.length - VALUE_BYTES);
    return pool.slice(at, at + VALUE_BYTES);
  };
}

/** redis-benchmark's __rand_int__ is 12 digits, zero-padded: the loaded keys use the same form. */
const keyName = (i: number): string => `key:${String(i).padStart(12, '0')}`;

class PingStream {
  private readonly latencies: number[] = [];
  private stopped = false;
  private finished: Promise<void> | undefined;

  constructor(private readonly socket: net.Socket) {}

  static async open(port: number): Promise<PingStream> {
    const socket = net.createConnection({ port, host: LOOPBACK });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new PingStream(socket);
  }

  start(): void {
    this.finished = new Promise<void>((resolve, reject) => {
      let sentAt = 0;
      let buffered = '';
      const ping = (): void => {
        if (this.stopped) {
          resolve();
          return;
        }
        sentAt = performance.now();
        this.socket.write('*1\r\n$4\r\nPING\r\n');
      };
      this.socket.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('latin1');
        if (buffered.length < 7) return;
        if (buffered !== '+PONG\r\n') {
          reject(new Error(`PING replied ${JSON.stringify(buffered)}`));
          return;
        }
        buffered = '';
        this.latencies.push(performance.now() - sentAt);
        setTimeout(ping, 1);
      });
      this.socket.on('close', () => reject(new Error('the PING connection closed')));
      ping();
    });
  }

  /** Latencies recorded since the last take. */
  take(): number[] {
    return this.latencies.splice(0, this.latencies.length);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.finished;
    this.socket.destroy();
  }
}

function stats(latencies: number[]): PingStats {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    pings: sorted.length,
    p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

function start(kind: ServerKind, dir: string): Promise<ServerHandle> {
  if (kind === 'redis') return startRedisServer({ config: { dir, dbfilename: 'bench.rdb' } });
  return startOurServer({ mode: 'child', args: ['--dir', dir, '--dbfilename', 'bench.rdb'] });
}

async function info(client: RawClient, section: string): Promise<string> {
  return client.callText('INFO', section);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function measureBgsavePause(kind: ServerKind, megabytes: number): Promise<BgsavePause> {
  const keys = Math.max(1, Math.round((megabytes * 2 ** 20) / VALUE_BYTES));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-bgsave-${kind}-`));
  const server = trackServer(await start(kind, dir));
  try {
    const value = valueSource();
    await loadCommands(server.port, keys, (i) => resp('SET', keyName(i), value(i)));
    const load = trackTool(
      spawn(
        'redis-benchmark',
        ['-h', LOOPBACK, '-p', String(server.port), '-c', '10', '-P', '1', '-n', '1000000000', '-r', String(keys), '-q', 'GET', 'key:__rand_int__'],
        { stdio: 'ignore' },
      ),
    );
    const control = await RawClient.connect(server.port, LOOPBACK);
    const pings = await PingStream.open(server.port);
    try {
      await sleep(500);
      pings.start();
      await sleep(BASELINE_MS);
      const before = stats(pings.take());
      const t0 = performance.now();
      const reply = await control.callText('BGSAVE');
      if (!reply.startsWith('+Background saving started')) throw new Error(`${kind}: BGSAVE replied ${reply.trim()}`);
      for (;;) {
        await sleep(100);
        const persistence = await info(control, 'persistence');
        if (/rdb_bgsave_in_progress:0/.test(persistence)) {
          if (!/rdb_last_bgsave_status:ok/.test(persistence)) throw new Error(`${kind}: BGSAVE failed:\n${persistence}`);
          break;
        }
      }
      const bgsaveSeconds = (performance.now() - t0) / 1000;
      const during = stats(pings.take());
      const fork = /latest_fork_usec:(\d+)/.exec(await info(control, 'stats'));
      const forkMicros = fork === null || fork[1] === '0' ? undefined : Number(fork[1]);
      return { keys, datasetBytes: keys * VALUE_BYTES, bgsaveSeconds, before, during, forkMicros };
    } finally {
      load.kill('SIGKILL');
      await pings.stop().catch(() => undefined);
      await control.close();
    }
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
