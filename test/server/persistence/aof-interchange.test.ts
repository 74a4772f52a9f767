/**
 * AOF interchange with the real redis-server 7.0, both ways: one side writes a multi-part AOF
 * directory (writes of every type and expiry, a BGREWRITEAOF half-way so the BASE holds data and
 * an INCR holds the rest), stops, and the other side starts from that directory with appendonly
 * yes; every key, value and absolute expiry (PEXPIRETIME) must match. With aof-use-rdb-preamble
 * yes the BASE is an RDB, with no it is commands.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { startServer } from '../../../lib/server';
import { startRedisServer } from '../../support';
import { TestClient } from '../support/resp-client';
import { datasetOf, EVERY_WRITE_DBS, everyWrite, type KeyDump, pipeline, tempDir } from './aof-support';

jest.setTimeout(120000);

async function waitForRewrite(c: TestClient, rewrites: number): Promise<void> {
  for (;;) {
    const info = String(await c.call('INFO', 'persistence'));
    if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info) && Number(/aof_rewrites:(\d+)/.exec(info)?.[1]) >= rewrites) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Writes half, rewrites, writes the rest; returns the dataset as the writer sees it. */
async function writeEverything(c: TestClient): Promise<Map<string, KeyDump>> {
  const cmds = everyWrite();
  const half = cmds.findIndex((cmd) => cmd[0] === 'MULTI');
  await pipeline(c, cmds.slice(0, half));
  expect(String(await c.call('BGREWRITEAOF'))).toMatch(/^Background append only file rewriting (started|scheduled)$/);
  await waitForRewrite(c, 1);
  await pipeline(c, cmds.slice(half));
  const data = await datasetOf(c, EVERY_WRITE_DBS);
  expect(data.size).toBeGreaterThan(30);
  return data;
}

function aofFiles(dir: string): string[] {
  return readdirSync(path.join(dir, 'appendonlydir')).sort();
}

describe.each([
  ['RDB preamble', 'yes', 'appendonly.aof.2.base.rdb'],
  ['command BASE', 'no', 'appendonly.aof.2.base.aof'],
])('AOF interchange (%s)', (_name, preamble, baseFile) => {
  test('redis-server 7.0 writes the AOF, ours loads the same dataset', async () => {
    const { dir, remove } = tempDir('from-redis');
    try {
      const redis = await startRedisServer({ config: { dir, appendonly: 'yes', 'aof-use-rdb-preamble': preamble } });
      let expected: Map<string, KeyDump>;
      try {
        const c = await TestClient.connect(redis.port);
        expected = await writeEverything(c);
        c.close();
      } finally {
        await redis.stop();
      }
      expect(aofFiles(dir)).toEqual([baseFile, 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
      const ours = await startServer({ port: 0, bind: '127.0.0.1', config: { dir, appendonly: 'yes', 'aof-use-rdb-preamble': preamble, save: '' } });
      try {
        const c = await TestClient.connect(ours.port);
        expect(await datasetOf(c, EVERY_WRITE_DBS)).toEqual(expected);
        c.close();
      } finally {
        await ours.close();
      }
    } finally {
      remove();
    }
  });

  test('ours writes the AOF, redis-server 7.0 loads the same dataset', async () => {
    const { dir, remove } = tempDir('from-ours');
    try {
      const ours = await startServer({ port: 0, bind: '127.0.0.1', config: { dir, appendonly: 'yes', 'aof-use-rdb-preamble': preamble, save: '' } });
      let expected: Map<string, KeyDump>;
      try {
        const c = await TestClient.connect(ours.port);
        expected = await writeEverything(c);
        c.close();
      } finally {
        await ours.close();
      }
      expect(aofFiles(dir)).toEqual([baseFile, 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
      expect(existsSync(path.join(dir, 'appendonlydir', 'appendonly.aof.1.base.rdb'))).toBe(false);
      const redis = await startRedisServer({ config: { dir, appendonly: 'yes', 'aof-use-rdb-preamble': preamble } });
      try {
        const c = await TestClient.connect(redis.port);
        expect(await datasetOf(c, EVERY_WRITE_DBS)).toEqual(expected);
        c.close();
      } finally {
        await redis.stop();
      }
    } finally {
      remove();
    }
  });
});
