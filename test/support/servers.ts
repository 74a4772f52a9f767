/**
 * Starting and stopping the servers tests talk to: redis-server (the oracle) and ours, as a child
 * process (the built CLI) or in-process (startServer from lib/server). Each starter waits until the
 * server has logged that it listens and answers PING, and returns a handle whose stop() always
 * ends what it started; a process-exit hook kills any child a crashed test run left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NURSERY_FLAG } from '../../lib/server/heap-tuning';
import { freePort, LOOPBACK } from './ports';
import { RawClient } from './raw-client';

export type ServerKind = 'redis' | 'ours';

export interface ServerHandle {
  readonly kind: ServerKind;
  readonly port: number;
  readonly host: string;
  /** The child's pid; undefined when running in-process. */
  readonly pid: number | undefined;
  /** Recent stdout/stderr of a child (for failure messages). */
  output(): string;
  /** Stops the server; safe to call more than once. */
  stop(): Promise<void>;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const OUR_CLI = path.join(REPO_ROOT, 'dist', 'bin', 'cdk-valkey-server.js');
// Both bounds only catch a hang: a loaded machine (CI, other jobs) can take many seconds to start a
// process, and a server stopped by SIGTERM may be writing its final RDB or AOF — a SIGKILL before
// it finishes would lose what a test then looks for.
const READY_TIMEOUT_MS = 30000;
const STOP_TIMEOUT_MS = 30000;
/** What both redis-server and ours log once they listen (after a successful bind). */
const READY_LINE = /Ready to accept connections/;
const OUTPUT_KEEP = 64 * 1024;

const liveChildren = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

function onlySpawn(command: string, args: string[], env?: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, {
    cwd: os.tmpdir(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  let log = '';
  const keep = (chunk: Buffer): void => {
    log += chunk.toString('utf8');
    if (log.length > OUTPUT_KEEP) log = log.slice(log.length - OUTPUT_KEEP);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => log };
}

/** True once something on the port answers PING with +PONG (or NOAUTH, which proves it is up). */
async function answersPing(port: number): Promise<boolean> {
  let client: RawClient | undefined;
  try {
    client = await RawClient.connect(port, LOOPBACK, 1000);
    await client.send('PING');
    const result = await client.read(1000);
    return result.kind === 'reply' && /^(\+PONG|-NOAUTH)/.test(result.bytes.toString('latin1'));
  } catch {
    return false;
  } finally {
    await client?.close();
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (exited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startChild(
  kind: ServerKind,
  command: string,
  argsFor: (port: number) => string[],
  env?: NodeJS.ProcessEnv,
): Promise<ServerHandle> {
  let lastOutput = '';
  // A port from freePort() can be taken by someone else before the child binds it: retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const { child, output } = onlySpawn(command, argsFor(port), env);
    let spawnError: Error | undefined;
    child.once('error', (err) => {
      spawnError = err;
    });
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let ready = false;
    while (Date.now() < deadline && !exited(child) && spawnError === undefined) {
      // The log line proves it is our child that listens: until it bound the port, another
      // process that took the port meanwhile could be the one answering PING.
      if (READY_LINE.test(output()) && (await answersPing(port))) {
        ready = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (ready) {
      let stopped: Promise<void> | undefined;
      return {
        kind,
        port,
        host: LOOPBACK,
        pid: child.pid,
        output,
        stop: () => (stopped ??= stopChild(child)),
      };
    }
    await stopChild(child);
    if (spawnError !== undefined) throw new Error(`${kind}: could not spawn ${command}: ${spawnError.message}`);
    lastOutput = output();
    if (!/address already in use|EADDRINUSE/i.test(lastOutput)) break;
  }
  throw new Error(`${kind} server did not answer PING within ${READY_TIMEOUT_MS} ms. Output:\n${lastOutput}`);
}

export interface RedisServerOptions {
  /** Extra `--name value` config, e.g. { databases: '4' }. */
  readonly config?: Readonly<Record<string, string>>;
  /** Binary to run; defaults to redis-server on PATH. */
  readonly binary?: string;
}

/** Starts redis-server on a free loopback port with persistence off. */
export function startRedisServer(options: RedisServerOptions = {}): Promise<ServerHandle> {
  const extra = Object.entries(options.config ?? {}).flatMap(([name, value]) => [`--${name}`, value]);
  return startChild('redis', options.binary ?? 'redis-server', (port) => [
    '--port', String(port),
    '--bind', LOOPBACK,
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    ...extra,
  ]);
}

export interface OurServerOptions {
  /** 'child' runs the built CLI (dist/); 'in-process' calls startServer from lib/server. Default: child. */
  readonly mode?: 'child' | 'in-process';
  /** Extra CLI arguments for child mode, e.g. ['--requirepass', 'x']. */
  readonly args?: readonly string[];
  /** In-process options passed to startServer (port and bind are filled in). */
  readonly inProcess?: Readonly<Record<string, unknown>>;
  /** Extra environment for the child. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The part of lib/server's CacheServer the harness relies on. */
interface InProcessServer {
  readonly port: number;
  close(): Promise<void>;
}

type StartServer = (options?: Record<string, unknown>) => Promise<InProcessServer>;

async function loadStartServer(): Promise<StartServer> {
  // Resolved at run time so that this helper compiles before lib/server exports startServer.
  const modulePath = path.join(REPO_ROOT, 'lib', 'server', 'index');
  const mod = (await import(modulePath)) as { startServer?: unknown };
  if (typeof mod.startServer !== 'function') {
    throw new Error(`${modulePath} does not export startServer()`);
  }
  return mod.startServer as StartServer;
}

/**
 * Starts our server, by default as a child process running dist/bin/cdk-valkey-server.js.
 *
 * Like startRedisServer, persistence is off (`save ''`), and the server's `dir` is a fresh temp
 * folder removed at stop: a test server never writes into, or loads a dump.rdb from, the checkout
 * or another test's folder.
 */
export async function startOurServer(options: OurServerOptions = {}): Promise<ServerHandle> {
  const mode = options.mode ?? (process.env.OUR_SERVER_MODE === 'in-process' ? 'in-process' : 'child');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-valkey-test-server-'));
  const removeDir = (): void => fs.rmSync(dir, { recursive: true, force: true });
  if (mode === 'in-process') {
    const startServer = await loadStartServer();
    const inProcess = options.inProcess ?? {};
    const config = { save: '', dir, ...((inProcess.config as Record<string, string> | undefined) ?? {}) };
    const server = await startServer({ ...inProcess, config, port: 0, bind: LOOPBACK, logger: () => undefined });
    let stopped: Promise<void> | undefined;
    return {
      kind: 'ours',
      port: server.port,
      host: LOOPBACK,
      pid: undefined,
      output: () => '',
      stop: () => (stopped ??= server.close().finally(removeDir)),
    };
  }
  if (!fs.existsSync(OUR_CLI)) {
    throw new Error(`${OUR_CLI} is missing: run \`npm run build\` first (npm test does).`);
  }
  const handle = await startChild(
    'ours',
    process.execPath,
    (port) => [NURSERY_FLAG, OUR_CLI, '--port', String(port), '--bind', LOOPBACK, '--save', '', '--dir', dir, ...(options.args ?? [])],
    options.env,
  );
  const stopChildServer = handle.stop;
  let stopped: Promise<void> | undefined;
  return { ...handle, stop: () => (stopped ??= stopChildServer().finally(removeDir)) };
}

/** Starts a server of the given kind with defaults. */
export function startServerOfKind(kind: ServerKind): Promise<ServerHandle> {
  return kind === 'redis' ? startRedisServer() : startOurServer();
}

/** Resident set size of a process in bytes, from /proc/PID/status (Linux). */
export function residentBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (match === null) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Stops every handle given, even if some fail; rethrows the first failure afterwards. */
export async function stopAll(handles: readonly (ServerHandle | undefined)[]): Promise<void> {
  const results = await Promise.allSettled(handles.map((h) => h?.stop()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
