/**
 * Processes the self-hosted tests start: the bundled server run with `node` alone, and redis-cli
 * against it. Every process started here is stopped by the caller through `stop()`.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import * as net from 'node:net';

export interface RunningProcess {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Spawns a long-running process; `output()` is its stdout and stderr so far, for failure messages. */
export function spawnProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; stdinFd?: number } = {},
): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: [options.stdinFd ?? 'ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        // Generous: a server stopped by SIGTERM may be saving; SIGKILL only ends a hang.
        const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
        await exited(child);
        clearTimeout(timer);
      }
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Waits until the server process has logged that it listens and `port` accepts TCP connections, or
 * the process exits (then throws with its output). The log line proves the listener is this
 * process: the port was free when picked, but something else could have taken it since.
 */
export async function waitForPort(proc: RunningProcess, port: number, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`process exited (${proc.child.exitCode ?? proc.child.signalCode}) before listening on ${port}:\n${proc.output()}`);
    }
    if (/Ready to accept connections/.test(proc.output()) && (await accepts(port))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listened on ${port} within ${timeoutMs} ms:\n${proc.output()}`);
}

/** Runs redis-cli against 127.0.0.1:`port` and returns its stdout (redis-cli exits 0 on error replies too). */
export function redisCli(port: number, args: string[], password?: string): Promise<string> {
  const auth = password === undefined ? [] : ['--no-auth-warning', '-a', password];
  return new Promise((resolve, reject) => {
    execFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...auth, ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`redis-cli ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout.trimEnd());
    });
  });
}

/** Runs a command to completion; rejects with its output when it exits non-zero. */
export function runToCompletion(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: options.cwd, env: options.env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} exited ${(err as { code?: number }).code}:\n${stdout}${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}
