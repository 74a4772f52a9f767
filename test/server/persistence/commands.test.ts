/**
 * The persistence commands against our server over real sockets: BGSAVE's point-in-time image
 * under concurrent writes, SAVE/LASTSAVE/INFO, save points, SHUTDOWN's save, and start-up with a
 * bad file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startServer, type CacheServer } from '../../../lib/server';
import { Keyspace } from '../../../lib/server/keyspace/keyspace';
import { loadRdbFile } from '../../../lib/server/persistence/load';
import { persistenceOf } from '../../../lib/server/persistence/manager';
import { toPlain } from '../../../lib/server/persistence/value-bridge';
import { ErrorReply, type Reply, TestClient } from '../support/resp-client';
import { waitUntil } from '../../support/wait';

// A hang bound only: its longest test took ~40 s on a loaded machine.
jest.setTimeout(300_000);

let dir: string;
const open: Array<{ server: CacheServer; client: TestClient }> = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rdb-commands-'));
});

afterEach(async () => {
  for (const { server, client } of open.splice(0)) {
    client.close();
    await server.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

async function start(config: Record<string, string> = {}): Promise<{ server: CacheServer; client: TestClient }> {
  const server = await startServer({ port: 0, bind: '127.0.0.1', config: { dir, save: '', ...config } });
  const client = await TestClient.connect(server.port);
  const pair = { server, client };
  open.push(pair);
  return pair;
}

async function pipeline(c: TestClient, cmds: string[][]): Promise<Reply[]> {
  const out: Reply[] = [];
  for (let i = 0; i < cmds.length; i += 5000) {
    const part = cmds.slice(i, i + 5000);
    for (const cmd of part) c.send(...cmd);
    for (let j = 0; j < part.length; j++) out.push(await c.read(20000));
  }
  return out;
}

function info(text: Reply, field: string): string | undefined {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(String(text));
  return m ? m[1].trim() : undefined;
}

function loadFile(file: string): Keyspace {
  const ks = new Keyspace(16);
  loadRdbFile(file, ks, () => undefined);
  return ks;
}

test('BGSAVE writes the image of the moment it started while clients keep writing', async () => {
  const { server, client } = await start();
  const setup: string[][] = [];
  for (let i = 0; i < 150000; i++) setup.push(['set', `k:${i}`, `v:${i}`]);
  for (let i = 0; i < 300; i++) {
    setup.push(['hset', `h:${i}`, 'a', '1', 'b', '2']);
    setup.push(['sadd', `s:${i}`, 'x', 'y']);
    setup.push(['zadd', `z:${i}`, '1', 'one', '2', 'two']);
    setup.push(['rpush', `l:${i}`, 'p', 'q']);
    // Small integer sets rest in their slot as an intset string (RestingForm), captured as that string.
    setup.push(['sadd', `i:${i}`, '1', '2', '3']);
  }
  setup.push(['select', '2'], ['set', 'db2', 'here'], ['select', '0']);
  expect((await pipeline(client, setup)).filter((r) => r instanceof ErrorReply)).toEqual([]);

  expect(info(String(await client.call('info', 'stats')), 'total_forks')).toBe('0');
  expect(info(String(await client.call('info', 'stats')), 'latest_fork_usec')).toBe('0');
  expect(await client.call('bgsave')).toBe('Background saving started');
  // The capture is our fork: it held the event loop for a measurable time over 150,000 keys.
  const stats0 = String(await client.call('info', 'stats'));
  expect(info(stats0, 'total_forks')).toBe('1');
  expect(Number(info(stats0, 'latest_fork_usec'))).toBeGreaterThan(0);
  const snapshot = persistenceOf(server.core).currentSnapshot;
  expect(snapshot).toBeDefined();
  expect(await client.call('bgsave')).toEqual(new ErrorReply('ERR Background save already in progress'));
  expect(await client.call('save')).toEqual(new ErrorReply('ERR Background save already in progress'));
  const writes: string[][] = [];
  for (let i = 0; i < 300; i += 3) {
    writes.push(['set', `k:${i}`, 'changed'], ['del', `k:${i + 1}`], ['set', `new:${i}`, 'new']);
    writes.push(['hset', `h:${i}`, 'c', '3'], ['sadd', `s:${i}`, 'w'], ['zadd', `z:${i}`, '3', 'three'], ['rpush', `l:${i}`, 'r']);
    writes.push(['hdel', `h:${i + 1}`, 'a'], ['spop', `s:${i + 1}`], ['lpop', `l:${i + 1}`]);
    writes.push(['sadd', `i:${i}`, '4'], ['srem', `i:${i + 1}`, '1'], ['del', `i:${i + 2}`]);
  }
  // Renamed, moved and then changed: the same object under another name must still be saved as it was.
  writes.push(['rename', 'h:299', 'h:renamed'], ['hset', 'h:renamed', 'late', 'x']);
  writes.push(['move', 'l:298', '5'], ['select', '5'], ['rpush', 'l:298', 'moved'], ['select', '0']);
  // Movable keys: the command table cannot name them, so every pending collection is copied first.
  writes.push(['lmpop', '1', 'l:297', 'left'], ['zunionstore', 'z:296', '1', 'z:295']);
  writes.push(['flushdb']);
  const replies = await pipeline(client, writes);
  expect(replies.filter((r) => r instanceof ErrorReply)).toEqual([]);
  await persistenceOf(server.core).waitForBgsave();
  const stats = snapshot as NonNullable<typeof snapshot>;
  expect(stats.copiesTaken).toBeGreaterThan(0);
  expect(stats.keysWritten).toBe(150000 + 1500 + 1);

  const saved = loadFile(path.join(dir, 'dump.rdb'));
  const db0 = saved.databases[0];
  expect(db0.size).toBe(150000 + 1500);
  for (let i = 0; i < 150000; i += 997) expect(db0.get(`k:${i}`)).toBe(`v:${i}`);
  for (let i = 0; i < 300; i++) {
    expect(db0.get(`k:${i}`)).toBe(`v:${i}`);
    expect(db0.has(`new:${i}`)).toBe(false);
    expect(toPlain(db0.get(`h:${i}`) as NonNullable<ReturnType<typeof db0.get>>)).toEqual({ kind: 'hash', pairs: ['a', '1', 'b', '2'] });
    const set = toPlain(db0.get(`s:${i}`) as NonNullable<ReturnType<typeof db0.get>>);
    expect(set.kind === 'set' ? [...set.members].sort() : set).toEqual(['x', 'y']);
    expect(toPlain(db0.get(`z:${i}`) as NonNullable<ReturnType<typeof db0.get>>)).toEqual({ kind: 'zset', members: ['one', 'two'], scores: [1, 2] });
    expect(toPlain(db0.get(`l:${i}`) as NonNullable<ReturnType<typeof db0.get>>)).toEqual({ kind: 'list', items: ['p', 'q'] });
    const ints = toPlain(db0.get(`i:${i}`) as NonNullable<ReturnType<typeof db0.get>>);
    expect(ints.kind === 'set' ? [...ints.members].sort() : ints).toEqual(['1', '2', '3']);
  }
  expect(db0.has('h:renamed')).toBe(false);
  expect(saved.databases[5].size).toBe(0);
  expect(saved.databases[2].get('db2')).toBe('here');
  // The live server has every write.
  expect(await client.call('dbsize')).toBe(0);
  expect(await client.call('info', 'persistence')).toMatch(/rdb_last_bgsave_status:ok/);
});

test('SAVE, LASTSAVE and INFO persistence', async () => {
  const { client } = await start();
  const before = String(await client.call('info', 'persistence'));
  expect(info(before, 'rdb_changes_since_last_save')).toBe('0');
  expect(info(before, 'rdb_bgsave_in_progress')).toBe('0');
  await client.call('set', 'a', '1');
  await client.call('mset', 'b', '2', 'c', '3');
  expect(info(await client.call('info', 'persistence'), 'rdb_changes_since_last_save')).toBe('3');
  await new Promise((r) => setTimeout(r, 1100));
  const lastBefore = (await client.call('lastsave')) as number;
  expect(await client.call('save')).toBe('OK');
  const after = String(await client.call('info', 'persistence'));
  expect(info(after, 'rdb_changes_since_last_save')).toBe('0');
  expect(info(after, 'rdb_saves')).toBe('1');
  expect((await client.call('lastsave')) as number).toBeGreaterThan(lastBefore);
  expect(Number(info(after, 'rdb_last_save_time'))).toBe(await client.call('lastsave'));
  expect(readFileSync(path.join(dir, 'dump.rdb')).subarray(0, 9).toString()).toBe('REDIS0010');
  expect(await client.call('bgsave', 'bogus')).toEqual(new ErrorReply('ERR syntax error'));
  expect(await client.call('bgsave', 'schedule')).toBe('Background saving started');
  expect(await client.call('save', 'extra')).toEqual(new ErrorReply("ERR wrong number of arguments for 'save' command"));
});

test('MULTI/EXEC schedules BGSAVE for the cron, as Redis', async () => {
  const { server, client } = await start();
  await client.call('set', 'a', '1');
  await client.call('multi');
  await client.call('bgsave');
  expect(await client.call('exec')).toEqual(['Background saving scheduled']);
  // The cron starts it on its next tick, whenever a loaded machine gets there.
  expect(await waitUntil(() => existsSync(path.join(dir, 'dump.rdb')))).toBe(true);
  await persistenceOf(server.core).waitForBgsave();
  expect(loadFile(path.join(dir, 'dump.rdb')).databases[0].get('a')).toBe('1');
});

test('save points trigger a BGSAVE from the cron', async () => {
  const { client } = await start({ save: '1 2' });
  await client.call('set', 'a', '1');
  await client.call('set', 'b', '2');
  expect(await waitUntil(() => existsSync(path.join(dir, 'dump.rdb')))).toBe(true);
  expect(await client.call('config', 'get', 'save')).toEqual(['save', '1 2']);
});

test('SHUTDOWN saves with SAVE or save points, not with NOSAVE; the saved file loads at the next start', async () => {
  const a = await start();
  await a.client.call('set', 'kept', 'yes');
  a.client.send('shutdown', 'nosave');
  await a.client.waitClosed(30000);
  expect(existsSync(path.join(dir, 'dump.rdb'))).toBe(false);

  const b = await start({ save: '3600 1' });
  await b.client.call('set', 'kept', 'yes');
  await b.client.call('pexpire', 'kept', '600000');
  b.client.send('shutdown');
  await b.client.waitClosed(30000);
  expect(existsSync(path.join(dir, 'dump.rdb'))).toBe(true);

  const c = await start();
  expect(await c.client.call('get', 'kept')).toBe('yes');
  expect((await c.client.call('pttl', 'kept')) as number).toBeGreaterThan(590000);
  expect(await c.client.call('shutdown', 'save', 'nosave')).toEqual(new ErrorReply('ERR syntax error'));
});

test('a SAVE that cannot write replies ERR and leaves the server running', async () => {
  const { client } = await start({ dir: path.join(dir, 'missing') });
  await client.call('set', 'a', '1');
  expect(await client.call('save')).toEqual(new ErrorReply('ERR'));
  expect(await client.call('shutdown', 'save')).toEqual(new ErrorReply('ERR Errors trying to SHUTDOWN. Check logs.'));
  expect(await client.call('get', 'a')).toBe('1');
});

test.each([
  ['truncated', (good: Buffer) => good.subarray(0, good.length - 20), /corrupt or truncated\): unexpected end of data .*at byte offset \d+/],
  ['checksum', (good: Buffer) => {
    const bad = Buffer.from(good);
    bad[bad.length - 1] ^= 0xff;
    return bad;
  }, /wrong RDB checksum/],
  ['not an RDB file', () => Buffer.from('hello world, not redis'), /wrong signature/],
  ['a future version', (good: Buffer) => Buffer.concat([Buffer.from('REDIS0012'), good.subarray(9)]), /can't handle RDB format version 12/],
])('start-up refuses a bad file (%s), says what and where, and leaves it untouched', async (_name, spoil, message) => {
  const first = await start();
  await first.client.call('set', 'a', 'x'.repeat(100));
  await first.client.call('save');
  const file = path.join(dir, 'dump.rdb');
  const bad = spoil(readFileSync(file));
  writeFileSync(file, bad);
  const lines: string[] = [];
  await expect(startServer({ port: 0, bind: '127.0.0.1', config: { dir, save: '' }, logger: (l) => lines.push(l) })).rejects.toThrow(message);
  expect(lines.join('\n')).toContain(file);
  expect(readFileSync(file).equals(bad)).toBe(true);
});
