/**
 * AOF rewrites: BGREWRITEAOF while clients keep writing (into big collections the snapshot has not
 * written yet, so copy-on-write is exercised) keeps every write — the new BASE holds the data as
 * of the start and the new INCR everything after; the manifest then lists only those two and the
 * old files are gone. Automatic rewrites (auto-aof-rewrite-*), CONFIG SET appendonly yes at run
 * time (a BASE is written first), and the replies and INFO fields around them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startServer, type CacheServer } from '../../../lib/server';
import { persistenceOf } from '../../../lib/server/persistence/manager';
import { TestClient } from '../support/resp-client';
import { type Cmd, datasetOf, type KeyDump, pipeline, tempDir } from './aof-support';

// A hang bound only: its longest test took ~40 s on a loaded machine.
jest.setTimeout(300_000);

function start(dir: string, extra: Record<string, string> = {}): Promise<CacheServer> {
  return startServer({ port: 0, bind: '127.0.0.1', config: { dir, appendonly: 'yes', save: '', ...extra } });
}

function info(text: unknown, field: string): string {
  return new RegExp(`${field}:(\\S+)`).exec(String(text))?.[1] ?? '';
}

function files(dir: string): string[] {
  return readdirSync(path.join(dir, 'appendonlydir')).sort();
}

test('BGREWRITEAOF under writes keeps every write; the manifest then lists the new BASE and INCR only', async () => {
  const { dir, remove } = tempDir('rewrite');
  try {
    const server = await start(dir);
    let expected: Map<string, KeyDump>;
    try {
      const c = await TestClient.connect(server.port);
      const writer = await TestClient.connect(server.port);
      // Enough data that the rewrite takes many slices.
      const load: Cmd[] = [];
      for (let i = 0; i < 20000; i++) load.push(['SET', `key:${i}`, `value:${i}`]);
      for (let b = 0; b < 20; b++) {
        const list: Cmd = ['RPUSH', `list:${b}`];
        const hash: Cmd = ['HSET', `hash:${b}`];
        for (let i = 0; i < 500; i++) {
          list.push(`e${i}`);
          hash.push(`f${i}`, `v${i}`);
        }
        load.push(list, hash, ['ZADD', `zset:${b}`, '1', 'a', '2', 'b'], ['EXPIRE', `hash:${b}`, '10000']);
      }
      await pipeline(c, load, 2000);
      const forksBefore = Number(info(await c.call('INFO', 'stats'), 'total_forks'));
      expect(await c.call('BGREWRITEAOF')).toBe('Background append only file rewriting started');
      // The rewrite's capture counts as a fork, as redis-server's child does (INFO stats).
      expect(Number(info(await c.call('INFO', 'stats'), 'total_forks'))).toBe(forksBefore + 1);
      expect(await c.call('BGREWRITEAOF')).toEqual(expect.objectContaining({ message: 'ERR Background append only file rewriting already in progress' }));
      expect(await c.call('BGSAVE')).toEqual(
        expect.objectContaining({ message: "ERR An AOF log rewriting in progress: can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible." }),
      );
      // Keep writing — into the collections the snapshot still has to write, and new keys — until it is done.
      let round = 0;
      let sawInProgress = false;
      for (;;) {
        const inProgress = info(await c.call('INFO', 'persistence'), 'aof_rewrite_in_progress') === '1';
        if (inProgress) sawInProgress = true;
        const b = round % 20;
        await pipeline(writer, [
          ['RPUSH', `list:${b}`, `late${round}`],
          ['LPOP', `list:${(b + 7) % 20}`],
          ['HSET', `hash:${b}`, `late${round}`, String(round)],
          ['ZINCRBY', `zset:${b}`, '1', 'a'],
          ['SET', `during:${round}`, String(round)],
          ['DEL', `key:${round}`],
          ['INCR', 'counter'],
        ]);
        round++;
        if (!inProgress) break;
      }
      expect(sawInProgress).toBe(true);
      await pipeline(writer, [['SET', 'after', 'rewrite'], ['INCR', 'counter']]);
      const persistence = info(await c.call('INFO', 'persistence'), 'aof_rewrites');
      expect(persistence).toBe('1');
      expect(files(dir)).toEqual(['appendonly.aof.2.base.rdb', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
      expect(readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1')).toBe(
        'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
      );
      expected = await datasetOf(c, [0]);
      expect(expected.get('0:counter')?.value).toBe(String(round + 1));
      c.close();
      writer.close();
    } finally {
      await server.close();
    }
    const again = await start(dir);
    try {
      const c = await TestClient.connect(again.port);
      expect(await datasetOf(c, [0])).toEqual(expected);
      c.close();
    } finally {
      await again.close();
    }
  } finally {
    remove();
  }
});

test('an automatic rewrite starts when the AOF has grown by auto-aof-rewrite-percentage past the min size', async () => {
  const { dir, remove } = tempDir('auto');
  try {
    const server = await start(dir, { 'auto-aof-rewrite-percentage': '100', 'auto-aof-rewrite-min-size': '1024' });
    try {
      const c = await TestClient.connect(server.port);
      const cmds: Cmd[] = [];
      for (let i = 0; i < 200; i++) cmds.push(['SET', `k${i}`, 'x'.repeat(20)]);
      await pipeline(c, cmds);
      while (info(await c.call('INFO', 'persistence'), 'aof_rewrites') !== '1') await new Promise((r) => setTimeout(r, 20));
      await persistenceOf(server.core).aof.waitForRewrite();
      expect(files(dir)).toEqual(['appendonly.aof.2.base.rdb', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
      const text = String(await c.call('INFO', 'persistence'));
      expect(Number(info(text, 'aof_base_size'))).toBeGreaterThan(200 * 20);
      expect(Number(info(text, 'aof_current_size'))).toBeGreaterThanOrEqual(Number(info(text, 'aof_base_size')));
      c.close();
    } finally {
      await server.close();
    }
  } finally {
    remove();
  }
});

test('CONFIG SET appendonly yes writes a BASE of the data first; a restart with appendonly yes loads it all', async () => {
  const { dir, remove } = tempDir('enable');
  try {
    const server = await startServer({ port: 0, bind: '127.0.0.1', config: { dir, save: '', 'aof-use-rdb-preamble': 'no' } });
    let expected: Map<string, KeyDump>;
    try {
      const c = await TestClient.connect(server.port);
      await pipeline(c, [['SET', 'before', '1'], ['RPUSH', 'l', 'a', 'b'], ['ZADD', 'z', '1.5', 'm', 'inf', 'top'], ['SET', 'ttl', 'v', 'EX', '999']]);
      expect(existsSync(path.join(dir, 'appendonlydir'))).toBe(false);
      expect(info(await c.call('INFO', 'persistence'), 'aof_enabled')).toBe('0');
      expect(await c.call('CONFIG', 'SET', 'appendonly', 'yes')).toBe('OK');
      expect(info(await c.call('INFO', 'persistence'), 'aof_enabled')).toBe('1');
      await pipeline(c, [['SET', 'while', 'enabling'], ['RPUSH', 'l', 'c']]);
      await persistenceOf(server.core).aof.waitForRewrite();
      await pipeline(c, [['SET', 'after', '1'], ['SELECT', '3'], ['SET', 'db3', 'x']]);
      expect(files(dir)).toEqual(['appendonly.aof.1.base.aof', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
      expected = await datasetOf(c, [0, 3]);
      expect(expected.size).toBe(7);
      c.close();
    } finally {
      await server.close();
    }
    const again = await start(dir);
    try {
      const c = await TestClient.connect(again.port);
      expect(await datasetOf(c, [0, 3])).toEqual(expected);
      expect(await c.call('CONFIG', 'SET', 'appendonly', 'no')).toBe('OK');
      expect(info(await c.call('INFO', 'persistence'), 'aof_enabled')).toBe('0');
      c.close();
    } finally {
      await again.close();
    }
  } finally {
    remove();
  }
});

test('BGREWRITEAOF inside MULTI/EXEC: the writes before it are in the BASE and not replayed again', async () => {
  const { dir, remove } = tempDir('multi-rewrite');
  try {
    const server = await start(dir);
    try {
      const c = await TestClient.connect(server.port);
      const replies = await pipeline(c, [['SET', 'c', '10'], ['MULTI'], ['INCR', 'c'], ['BGREWRITEAOF'], ['INCR', 'c'], ['EXEC']]);
      expect(replies[5]).toEqual([11, 'Background append only file rewriting started', 12]);
      await persistenceOf(server.core).aof.waitForRewrite();
      c.close();
    } finally {
      await server.close();
    }
    const again = await start(dir);
    try {
      const c = await TestClient.connect(again.port);
      expect(await c.call('GET', 'c')).toBe('12');
      c.close();
    } finally {
      await again.close();
    }
  } finally {
    remove();
  }
});

test('evicted keys are logged as DEL: a restart brings back what maxmemory evicted no more than the rest', async () => {
  const { dir, remove } = tempDir('evict');
  const config = { maxmemory: '3mb', 'maxmemory-policy': 'allkeys-lru' };
  try {
    const server = await start(dir, config);
    let expected: Map<string, KeyDump>;
    try {
      const c = await TestClient.connect(server.port);
      const cmds: Cmd[] = [];
      for (let i = 0; i < 6000; i++) cmds.push(['SET', `k${i}`, 'x'.repeat(500)]);
      await pipeline(c, cmds, 100);
      expect(Number(info(await c.call('INFO', 'stats'), 'evicted_keys'))).toBeGreaterThan(0);
      expected = await datasetOf(c, [0]);
      c.close();
    } finally {
      await server.close();
    }
    const again = await start(dir, config);
    try {
      const c = await TestClient.connect(again.port);
      expect(await datasetOf(c, [0])).toEqual(expected);
      c.close();
    } finally {
      await again.close();
    }
  } finally {
    remove();
  }
});
