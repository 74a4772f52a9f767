import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TestClient } from './support/resp-client';

const BIN = path.join(__dirname, '../../bin/cdk-valkey-server.ts');

function launch(args: string[]): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', BIN, ...args], { cwd: path.join(__dirname, '../..') });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

/**
 * ts-node compiles the whole server before it starts: seconds on a quiet machine, and over 30 s
 * was seen on a loaded one. The bounds below only catch a hang.
 */
const START_BOUND_MS = 120_000;
jest.setTimeout(START_BOUND_MS + 60_000);

async function waitFor(check: () => boolean, timeoutMs = START_BOUND_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

test('starts with redis-server options, logs in its format, serves, and exits 0 on SIGTERM', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cdk-valkey-cli-'));
  const conf = path.join(dir, 'redis.conf');
  writeFileSync(conf, '# test\nhz 20\nmaxmemory-policy allkeys-lru\n');
  const { child, output } = launch([conf, '--port', '0', '--bind', '127.0.0.1', '--save', '', '--maxmemory', '100mb']);
  try {
    await waitFor(() => output().includes('Ready to accept connections tcp'));
    expect(output()).toMatch(/^\d+:M \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}\.\d{3} \* Ready to accept connections tcp$/m);
    const port = Number(/port=(\d+)\./.exec(output())?.[1]);
    const c = await TestClient.connect(port);
    expect(await c.call('ping')).toBe('PONG');
    expect(await c.call('config', 'get', 'maxmemory')).toEqual(['maxmemory', String(100 * 1024 * 1024)]);
    expect(await c.call('config', 'get', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
    expect(await c.call('config', 'get', 'save')).toEqual(['save', '']);
    const info = (await c.call('info', 'server')) as string;
    expect(info).toContain(`config_file:${conf}`);
    c.send('echo', 'last words');
    child.kill('SIGTERM');
    expect(await c.read()).toBe('last words');
    expect(await exitCode(child)).toBe(0);
    expect(output()).toContain('# Received SIGTERM scheduling shutdown...');
  } finally {
    child.kill('SIGKILL');
  }
});

test('a bad config file line is fatal, as in redis-server', async () => {
  const { child, output } = launch(['--port', '0', '--nosuch-option', '1']);
  expect(await exitCode(child)).toBe(1);
  expect(output()).toContain('*** FATAL CONFIG FILE ERROR');
  expect(output()).toContain(">>> 'nosuch-option 1'");
});
