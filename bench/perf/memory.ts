/**
 * Resident memory per key: 1,000,000 keys (key:0000000001 …) with 32-byte values, loaded by a
 * pipelined raw client into a fresh redis-server and a fresh server of ours; RSS delta / keys.
 *
 *   npx ts-node --transpile-only bench/perf/memory.ts
 *
 * Environment: PERF_CLI (our built CLI), PERF_NODE_ARGS (node flags for ours), PERF_KEYS,
 * PERF_ONLY=ours to skip redis-server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { NURSERY_FLAG } from '../../lib/server/heap-tuning';
import { freePort, LOOPBACK } from '../../test/support';

const CLI = process.env.PERF_CLI ?? path.join(__dirname, '..', '..', 'dist', 'bin', 'cdk-valkey-server.js');
const NODE_ARGS = (process.env.PERF_NODE_ARGS ?? '').split(' ').filter((a) => a.length > 0);
const KEYS = Number(process.env.PERF_KEYS ?? 1_000_000);
const VALUE_BYTES = 32;
/** Both servers without snapshots (ours has Redis's default save points, which would BGSAVE mid-load), in an empty directory. */
const NO_PERSISTENCE = ['--save', '', '--appendonly', 'no'];
const WORK_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'memory-per-key-'));

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(WORK_DIR, { recursive: true, force: true });
});

function rss(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match === null ? NaN : Number(match[1]) * 1024;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ port, host: LOOPBACK });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function connectWithRetry(port: number): Promise<net.Socket> {
  for (let i = 0; i < 200; i++) {
    try {
      return await connect(port);
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`nothing listens on ${port}`);
}

/** SETs key:NNNNNNNNNN → 32 bytes over one connection, 10,000 commands per batch. */
async function load(socket: net.Socket, count: number): Promise<void> {
  let lines = 0;
  let wake: (() => void) | undefined;
  const onData = (chunk: Buffer): void => {
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
    wake?.();
  };
  socket.on('data', onData);
  const value = 'v'.repeat(VALUE_BYTES);
  for (let start = 1; start <= count; start += 10_000) {
    const end = Math.min(count, start + 9_999);
    let text = '';
    for (let i = start; i <= end; i++) {
      const key = `key:${String(i).padStart(10, '0')}`;
      text += `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${VALUE_BYTES}\r\n${value}\r\n`;
    }
    socket.write(text);
    while (lines < end) await new Promise<void>((r) => (wake = r));
  }
  socket.off('data', onData);
}

async function measure(name: string, command: string, args: string[]): Promise<number> {
  const port = await freePort();
  const child = spawn(command, [...args, '--port', String(port), '--bind', LOOPBACK, ...NO_PERSISTENCE], { stdio: 'ignore', cwd: WORK_DIR });
  children.add(child);
  const socket = await connectWithRetry(port);
  await new Promise((r) => setTimeout(r, 500));
  const pid = child.pid as number;
  const before = rss(pid);
  await load(socket, KEYS);
  await new Promise((r) => setTimeout(r, 1000));
  const after = rss(pid);
  socket.destroy();
  child.kill('SIGKILL');
  children.delete(child);
  const perKey = (after - before) / KEYS;
  const mib = (b: number): string => (b / 1048576).toFixed(1);
  console.log(`${name.padEnd(6)} RSS ${mib(before)} → ${mib(after)} MiB, ${perKey.toFixed(1)} bytes/key`);
  return perKey;
}

async function main(): Promise<void> {
  console.log(`${KEYS} keys, ${VALUE_BYTES}-byte values; node args [${NODE_ARGS.join(' ')}]`);
  const ours = await measure('ours', process.execPath, [NURSERY_FLAG, ...NODE_ARGS, CLI]);
  if (process.env.PERF_ONLY === 'ours') return;
  const redis = await measure('redis', 'redis-server', []);
  console.log(`ours / redis: ${(ours / redis).toFixed(2)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
