/**
 * What the server process leaves on disk when it stops, as redis-server does: SIGTERM saves a
 * final RDB when save points are set (and not when none are), SHUTDOWN SAVE / NOSAVE override
 * that, the AOF is written and fsynced on the way out (so appendfsync no loses nothing on a clean
 * stop); and a corrupt AOF makes the process exit non-zero with the file, the problem and the
 * offset in its log.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { freePort, OUR_CLI, startOurServer } from '../support';
import { TestClient } from '../server/support/resp-client';
import { tempDir } from '../server/persistence/aof-support';

jest.setTimeout(60000);

async function writeKeys(port: number, n: number): Promise<void> {
  const c = await TestClient.connect(port);
  for (let i = 0; i < n; i++) c.send('SET', `key:${i}`, `value:${i}`);
  for (let i = 0; i < n; i++) await c.read();
  c.close();
}

async function keysAfterRestart(dir: string, args: string[] = []): Promise<number> {
  const server = await startOurServer({ mode: 'child', args: ['--dir', dir, ...args] });
  try {
    const c = await TestClient.connect(server.port);
    const n = (await c.call('DBSIZE')) as number;
    if (n > 0) expect(await c.call('GET', 'key:0')).toBe('value:0');
    c.close();
    return n;
  } finally {
    await server.stop();
  }
}

test('SIGTERM with save points set: a final RDB save, loaded at the next start', async () => {
  const { dir, remove } = tempDir('sigterm-save');
  try {
    const server = await startOurServer({ mode: 'child', args: ['--dir', dir, '--save', '3600 1'] });
    await writeKeys(server.port, 500);
    await server.stop(); // SIGTERM
    expect(server.output()).toContain('Saving the final RDB snapshot before exiting.');
    expect(existsSync(path.join(dir, 'dump.rdb'))).toBe(true);
    expect(await keysAfterRestart(dir)).toBe(500);
  } finally {
    remove();
  }
});

test('SIGTERM with no save points writes no RDB', async () => {
  const { dir, remove } = tempDir('sigterm-nosave');
  try {
    const server = await startOurServer({ mode: 'child', args: ['--dir', dir] });
    await writeKeys(server.port, 10);
    await server.stop();
    expect(existsSync(path.join(dir, 'dump.rdb'))).toBe(false);
  } finally {
    remove();
  }
});

test.each([
  ['SHUTDOWN NOSAVE with save points set', ['--save', '3600 1'], ['SHUTDOWN', 'NOSAVE'], false],
  ['SHUTDOWN SAVE without save points', [], ['SHUTDOWN', 'SAVE'], true],
  ['SHUTDOWN with save points set', ['--save', '3600 1'], ['SHUTDOWN'], true],
])('%s', async (_name, args, shutdown, saved) => {
  const { dir, remove } = tempDir('shutdown');
  try {
    const server = await startOurServer({ mode: 'child', args: ['--dir', dir, ...args] });
    try {
      await writeKeys(server.port, 10);
      const c = await TestClient.connect(server.port);
      c.send(...shutdown);
      await c.waitClosed(20000);
    } finally {
      await server.stop();
    }
    expect(existsSync(path.join(dir, 'dump.rdb'))).toBe(saved);
  } finally {
    remove();
  }
});

test('SIGTERM with appendonly yes and appendfsync no: the AOF is flushed and fsynced, nothing is lost', async () => {
  const { dir, remove } = tempDir('sigterm-aof');
  try {
    const args = ['--appendonly', 'yes', '--appendfsync', 'no'];
    const server = await startOurServer({ mode: 'child', args: ['--dir', dir, ...args] });
    await writeKeys(server.port, 300);
    await server.stop();
    expect(server.output()).toContain('Calling fsync() on the AOF file.');
    expect(await keysAfterRestart(dir, args)).toBe(300);
  } finally {
    remove();
  }
});

test('a corrupt AOF: the process exits non-zero, naming the file, the problem and the offset', async () => {
  const { dir, remove } = tempDir('exit-code');
  try {
    const server = await startOurServer({ mode: 'child', args: ['--dir', dir, '--appendonly', 'yes'] });
    await writeKeys(server.port, 5);
    await server.stop();
    writeFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), '*1\r\n$4\r\nPING\r\ngarbage');
    const port = await freePort();
    const run = spawnSync(process.execPath, [OUR_CLI, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes'], { encoding: 'utf8', timeout: 30000 });
    expect(run.status).not.toBe(0);
    expect(run.status).not.toBeNull();
    expect(run.stdout + run.stderr).toMatch(/Fatal error loading the DB: Bad file format reading the append only file appendonly\.aof\.1\.incr\.aof at offset 14: expected '\*'/);
  } finally {
    remove();
  }
});
