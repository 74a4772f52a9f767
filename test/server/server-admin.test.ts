import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CacheServer } from '../../lib/server';
import { Config } from '../../lib/server/config';
import { ErrorReply, MapReply, startTestServer, TestClient, useTestServer } from './support/resp-client';

const { connect, server } = useTestServer();

function field(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)\\r$`, 'm').exec(info)?.[1];
}

describe('INFO', () => {
  test('default sections carry the fields clients parse', async () => {
    const c = await connect();
    await c.call('set', 'info-key', 'v');
    const info = (await c.call('info')) as string;
    for (const title of ['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Keyspace']) {
      expect(info).toContain(`# ${title}\r\n`);
    }
    expect(info).not.toContain('# Commandstats');
    expect(field(info, 'redis_mode')).toBe('standalone');
    expect(field(info, 'role')).toBe('master');
    expect(Number(field(info, 'tcp_port'))).toBe(server().port);
    expect(Number(field(info, 'connected_clients'))).toBeGreaterThanOrEqual(1);
    expect(Number(field(info, 'used_memory'))).toBeGreaterThan(0);
    expect(field(info, 'maxmemory_policy')).toBe('noeviction');
    expect(field(info, 'db0')).toMatch(/^keys=\d+,expires=\d+,avg_ttl=\d+$/);
  });

  test('sections by name, and everything', async () => {
    const c = await connect();
    const stats = (await c.call('info', 'stats')) as string;
    expect(stats.startsWith('# Stats\r\n')).toBe(true);
    expect(stats).not.toContain('# Server');
    const two = (await c.call('info', 'server', 'CLIENTS')) as string;
    expect(two).toContain('# Server');
    expect(two).toContain('# Clients');
    const all = (await c.call('info', 'everything')) as string;
    expect(all).toContain('# Commandstats');
    expect(all).toMatch(/cmdstat_info:calls=\d+,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=0/);
    expect(await c.call('info', 'nosuchsection')).toBe('');
  });

  test('keyspace hits and misses, error stats', async () => {
    const c = await connect();
    await c.call('config', 'resetstat');
    await c.call('set', 'hit', '1');
    await c.call('get', 'hit');
    await c.call('get', 'miss');
    await c.call('nosuchcommand');
    const info = (await c.call('info', 'stats', 'errorstats')) as string;
    expect(field(info, 'keyspace_hits')).toBe('1');
    expect(field(info, 'keyspace_misses')).toBe('1');
    expect(field(info, 'total_error_replies')).toBe('1');
    expect(field(info, 'errorstat_ERR')).toBe('count=1');
  });
});

describe('CONFIG', () => {
  test('GET with globs, SET with validation and Redis error wording', async () => {
    const c = await connect();
    expect(await c.call('config', 'get', 'maxmemory')).toEqual(['maxmemory', '0']);
    const many = (await c.call('config', 'get', 'maxmemory*')) as string[];
    expect(many).toContain('maxmemory-policy');
    expect(await c.call('config', 'set', 'maxmemory', '10mb')).toBe('OK');
    expect(await c.call('config', 'get', 'maxmemory')).toEqual(['maxmemory', '10485760']);
    expect(await c.call('config', 'set', 'maxmemory', '0')).toBe('OK');
    expect(await c.call('config', 'set', 'maxmemory', 'abc')).toEqual(
      new ErrorReply("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"),
    );
    expect(await c.call('config', 'set', 'foo', '1')).toEqual(new ErrorReply("ERR Unknown option or number of arguments for CONFIG SET - 'foo'"));
    expect(await c.call('config', 'set', 'databases', '3')).toEqual(
      new ErrorReply("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"),
    );
    expect(await c.call('config', 'set', 'hz', '1', 'hz', '2')).toEqual(
      new ErrorReply("ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter"),
    );
    expect(await c.call('config', 'set', 'maxmemory-policy', 'foo')).toEqual(
      new ErrorReply(
        "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction",
      ),
    );
    expect(await c.call('config', 'set', 'a', 'b', 'c')).toEqual(new ErrorReply('ERR syntax error'));
    expect(await c.call('config', 'set', 'hz')).toEqual(new ErrorReply("ERR wrong number of arguments for 'config|set' command"));
  });

  test('SET of several parameters is all or nothing', async () => {
    const c = await connect();
    expect(await c.call('config', 'set', 'slowlog-max-len', '64', 'maxmemory', 'bad')).toBeInstanceOf(ErrorReply);
    expect(await c.call('config', 'get', 'slowlog-max-len')).toEqual(['slowlog-max-len', '128']);
    expect(await c.call('config', 'set', 'slowlog-max-len', '64', 'hz', '20')).toBe('OK');
    expect(await c.call('config', 'get', 'slowlog-max-len')).toEqual(['slowlog-max-len', '64']);
    await c.call('config', 'set', 'slowlog-max-len', '128', 'hz', '10');
  });

  test('GET replies with a map under RESP3', async () => {
    const c = await connect();
    await c.call('hello', '3');
    expect(await c.call('config', 'get', 'hz')).toEqual(new MapReply([['hz', '10']]));
  });

  test('REWRITE without a config file fails clearly; with one it persists changes', async () => {
    const c = await connect();
    expect(await c.call('config', 'rewrite')).toEqual(new ErrorReply('ERR The server is running without a config file'));
    const dir = mkdtempSync(path.join(tmpdir(), 'cdk-valkey-conf-'));
    const file = path.join(dir, 'redis.conf');
    writeFileSync(file, '# my config\nport 0\nbind 127.0.0.1\nhz 10\n');
    const config = new Config();
    config.configFile = file;
    const s = new CacheServer({ port: 0, bind: '127.0.0.1' }, config);
    await s.listen();
    try {
      const d = await connect(s);
      expect(await d.call('config', 'set', 'hz', '15', 'maxmemory-policy', 'allkeys-lru')).toBe('OK');
      expect(await d.call('config', 'rewrite')).toBe('OK');
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('# my config');
      expect(text).toContain('hz 15');
      expect(text).toContain('maxmemory-policy allkeys-lru');
    } finally {
      await s.close();
    }
  });
});

test('DBSIZE, FLUSHDB, FLUSHALL', async () => {
  const c = await connect();
  await c.call('select', '5');
  await c.call('set', 'a', '1');
  await c.call('set', 'b', '1');
  expect(await c.call('dbsize')).toBe(2);
  expect(await c.call('flushdb', 'async')).toBe('OK');
  expect(await c.call('dbsize')).toBe(0);
  await c.call('set', 'a', '1');
  expect(await c.call('flushall', 'foo')).toEqual(new ErrorReply('ERR syntax error'));
  expect(await c.call('flushall', 'sync')).toBe('OK');
  expect(await c.call('dbsize')).toBe(0);
});

test('SWAPDB exchanges databases and validates indexes', async () => {
  const c = await connect();
  await c.call('select', '6');
  await c.call('set', 'swapped', 'six');
  expect(await c.call('swapdb', '6', '7')).toBe('OK');
  expect(await c.call('get', 'swapped')).toBeNull();
  await c.call('select', '7');
  expect(await c.call('get', 'swapped')).toBe('six');
  expect(await c.call('swapdb', 'x', '1')).toEqual(new ErrorReply('ERR invalid first DB index'));
  expect(await c.call('swapdb', '1', 'x')).toEqual(new ErrorReply('ERR invalid second DB index'));
  expect(await c.call('swapdb', '1', '100')).toEqual(new ErrorReply('ERR DB index is out of range'));
});

test('TIME', async () => {
  const c = await connect();
  // The server read its clock after `before` and before `after`, however long that took.
  const before = Date.now();
  const [sec, usec] = (await c.call('time')) as string[];
  const after = Date.now();
  const millis = Number(sec) * 1000 + Math.floor(Number(usec) / 1000);
  expect(millis).toBeGreaterThanOrEqual(before);
  expect(millis).toBeLessThanOrEqual(after);
  expect(Number(usec)).toBeGreaterThanOrEqual(0);
  expect(Number(usec)).toBeLessThan(1_000_000);
});

test('SLOWLOG records commands over the threshold', async () => {
  const c = await connect();
  await c.call('slowlog', 'reset');
  await c.call('config', 'set', 'slowlog-log-slower-than', '0');
  await c.call('client', 'setname', 'slowpoke');
  await c.call('echo', 'x'.repeat(200));
  await c.call('config', 'set', 'slowlog-log-slower-than', '10000');
  const entries = (await c.call('slowlog', 'get', '-1')) as unknown[][];
  const echo = entries.find((e) => (e[3] as string[])[0] === 'echo') as unknown[];
  expect(echo).toBeDefined();
  expect(typeof echo[0]).toBe('number');
  expect((echo[3] as string[])[1]).toBe(`${'x'.repeat(128)}... (72 more bytes)`);
  expect(echo[4]).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(echo[5]).toBe('slowpoke');
  expect(await c.call('slowlog', 'len')).toBeGreaterThanOrEqual(2);
  expect(await c.call('slowlog', 'get', '-2')).toEqual(new ErrorReply('ERR count should be greater than or equal to -1'));
  // Logging off first: with the 10 ms threshold, a RESET that a loaded machine stalls for 10 ms
  // would log itself (as in Redis) and LEN would say 1.
  await c.call('config', 'set', 'slowlog-log-slower-than', '-1');
  expect(await c.call('slowlog', 'reset')).toBe('OK');
  expect(await c.call('slowlog', 'len')).toBe(0);
  await c.call('config', 'set', 'slowlog-log-slower-than', '10000');
});

test('MEMORY USAGE / DOCTOR / STATS', async () => {
  const c = await connect();
  await c.call('set', 'mem', 'x'.repeat(1000));
  const usage = (await c.call('memory', 'usage', 'mem')) as number;
  expect(usage).toBeGreaterThan(1000);
  expect(usage).toBeLessThan(2000);
  expect(await c.call('memory', 'usage', 'nokey')).toBeNull();
  expect(typeof (await c.call('memory', 'doctor'))).toBe('string');
  const stats = (await c.call('memory', 'stats')) as unknown[];
  expect(stats).toContain('keys.count');
});

test('MONITOR streams commands in Redis line format', async () => {
  const m = await connect();
  const c = await connect();
  expect(await m.call('monitor')).toBe('OK');
  await c.call('select', '2');
  await c.call('set', 'mon', 'a "quoted"\nvalue');
  const first = (await m.read()) as string;
  // Redis feeds MONITOR after the command ran, so SELECT already shows its new database.
  expect(first).toMatch(/^\d+\.\d{6} \[2 127\.0\.0\.1:\d+\] "select" "2"$/);
  const second = (await m.read()) as string;
  expect(second).toMatch(/^\d+\.\d{6} \[2 127\.0\.0\.1:\d+\] "set" "mon" "a \\"quoted\\"\\nvalue"$/);
  await c.call('config', 'get', 'hz'); // admin commands are not shown
  await c.call('ping');
  expect(await m.read()).toMatch(/"ping"$/);
});

test('SHUTDOWN ABORT and bad options', async () => {
  const c = await connect();
  expect(await c.call('shutdown', 'abort')).toEqual(new ErrorReply('ERR No shutdown in progress.'));
  expect(await c.call('shutdown', 'foo')).toEqual(new ErrorReply('ERR syntax error'));
});

test('SHUTDOWN closes the server', async () => {
  const s = await startTestServer();
  const c = await connect(s);
  c.send('shutdown', 'nosave');
  await c.waitClosed();
  await expect(TestClient.connect(s.port)).rejects.toThrow();
});

test('DEBUG is refused unless enable-debug-command allows it', async () => {
  const c = await connect();
  expect(((await c.call('debug', 'sleep', '0')) as ErrorReply).message).toMatch(/^ERR DEBUG command not allowed/);
  const s = await startTestServer({ config: { 'enable-debug-command': 'yes' } });
  try {
    const d = await connect(s);
    expect(await d.call('debug', 'sleep', '0')).toBe('OK');
    await d.call('set', 'dbg', '12345');
    expect(await d.call('debug', 'object', 'dbg')).toMatch(/encoding:int /);
  } finally {
    await s.close();
  }
});
