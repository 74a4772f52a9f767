/**
 * What each write puts in the INCR file, differentially: the same commands go to redis-server 7.0
 * (appendonly yes) and to ours, and both INCR files must hold the same commands — relative
 * expiries as PEXPIREAT / SET … PXAT, blocking and multi-key pops as their plain pops, float
 * increments as SET … KEEPTTL / HSET, GETDEL and past expiries as DEL, SELECT on a database change,
 * MULTI/EXEC around what one command or transaction logs as several, nothing for a no-op.
 * Absolute times differ by when each server ran the command, so they are compared to the clock.
 * SPOP's members are random: ours is checked against its own replies.
 */
import * as path from 'node:path';
import { startServer, type CacheServer } from '../../../lib/server';
import { startRedisServer, type ServerHandle } from '../../support';
import { TestClient } from '../support/resp-client';
import { aofCommands, type Cmd, pipeline, tempDir } from './aof-support';

jest.setTimeout(60000);

const INCR = path.join('appendonlydir', 'appendonly.aof.1.incr.aof');

/** Sequences whose logged form is deterministic. */
const SEQUENCES: Array<[string, Cmd[]]> = [
  ['relative expiries become absolute', [
    ['SET', 'a', '1'], ['SET', 'b', '2', 'EX', '100'], ['SET', 'c', '3', 'px', '100000', 'GET'], ['SETEX', 'd', '100', 'v'], ['PSETEX', 'e', '100000', 'v'],
    ['EXPIRE', 'a', '100'], ['PEXPIRE', 'a', '200000', 'GT'], ['EXPIREAT', 'a', '4102444800'], ['PEXPIREAT', 'a', '4102444800000'],
    ['SET', 'f', 'v', 'EXAT', '4102444800'], ['SET', 'g', 'v', 'PXAT', '4102444800000'], ['GETEX', 'g', 'EX', '50'], ['GETEX', 'g', 'PERSIST'], ['GETEX', 'g'],
    ['PERSIST', 'b'], ['EXPIRE', 'missing', '100'],
  ]],
  ['expiries in the past become DEL', [
    ['SET', 'a', '1'], ['EXPIRE', 'a', '-1'], ['SET', 'b', '1'], ['EXPIREAT', 'b', '1'], ['SET', 'c', '1'], ['PEXPIRE', 'c', '0'], ['SET', 'd', '1'], ['GETEX', 'd', 'PXAT', '1'],
  ]],
  ['float increments, GETDEL and no-ops', [
    ['INCRBYFLOAT', 'f', '1.5'], ['SET', 'f', '10', 'EX', '100'], ['INCRBYFLOAT', 'f', '0.25'], ['HINCRBYFLOAT', 'h', 'x', '2.5e1'], ['GETDEL', 'f'], ['GETDEL', 'f'],
    ['DEL', 'nothing'], ['SET', 'n', '1', 'NX'], ['SET', 'n', '2', 'NX'], ['SADD', 's', 'a'], ['SADD', 's', 'a'], ['HSET', 'h', 'x', '25'],
  ]],
  ['pops', [
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'], ['BLPOP', 'l', '0'], ['BRPOP', 'none', 'l', '0'], ['LMPOP', '2', 'none', 'l', 'RIGHT', 'COUNT', '2'], ['BLMPOP', '0', '1', 'l', 'LEFT'],
    ['RPUSH', 'l2', 'x', 'y', 'z'], ['BRPOPLPUSH', 'l2', 'l3', '0'], ['BLMOVE', 'l2', 'l3', 'left', 'RIGHT', '0'], ['LMOVE', 'l2', 'l3', 'LEFT', 'LEFT'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'], ['BZPOPMIN', 'z', '0'], ['BZPOPMAX', 'z', '0'], ['ZMPOP', '1', 'z', 'MIN'], ['BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '5'],
  ]],
  ['transactions and databases', [
    ['MULTI'], ['SET', 'm1', '1'], ['INCR', 'm1'], ['EXEC'], ['MULTI'], ['SET', 'm2', '1'], ['EXEC'], ['MULTI'], ['GET', 'm2'], ['EXEC'],
    ['SELECT', '3'], ['SET', 'k', 'v'], ['MOVE', 'k', '4'], ['SELECT', '0'], ['SET', 'back', '0'], ['SWAPDB', '0', '1'], ['FLUSHDB'], ['FLUSHALL'],
  ]],
];

const FIXED = '4102444800000';

/** Each absolute time computed from the clock (13 digits, not one the test gave) becomes 'T'. */
function normalizeTimes(cmds: string[][]): string[][] {
  return cmds.map((cmd) => cmd.map((arg, i) => (i >= 2 && /^\d{13}$/.test(arg) && arg !== FIXED ? 'T' : arg)));
}

describe.each(SEQUENCES)('the INCR file matches redis-server 7.0: %s', (_name, cmds) => {
  let redis: ServerHandle;
  let ours: CacheServer;
  const redisDir = tempDir('prop-redis');
  const ourDir = tempDir('prop-ours');

  beforeAll(async () => {
    redis = await startRedisServer({ config: { dir: redisDir.dir, appendonly: 'yes', appendfsync: 'always' } });
    ours = await startServer({ port: 0, bind: '127.0.0.1', config: { dir: ourDir.dir, appendonly: 'yes', appendfsync: 'always', save: '' } });
  });
  afterAll(async () => {
    await redis.stop();
    await ours.close();
    redisDir.remove();
    ourDir.remove();
  });

  test('same commands, times as absolute ms near the clock', async () => {
    const before = Date.now();
    for (const port of [redis.port, ours.port]) {
      const c = await TestClient.connect(port);
      await pipeline(c, cmds, 1);
      c.close();
    }
    const after = Date.now();
    const theirs = aofCommands(path.join(redisDir.dir, INCR));
    const mine = aofCommands(path.join(ourDir.dir, INCR));
    expect(theirs.length).toBeGreaterThan(cmds.length / 3);
    // Every computed time is a real one: within the run, plus at most the longest expiry asked for.
    for (const cmd of mine) {
      for (let i = 2; i < cmd.length; i++) {
        if (!/^\d{13}$/.test(cmd[i]) || cmd[i] === FIXED) continue;
        const t = Number(cmd[i]);
        expect(t >= before && t <= after + 200000).toBe(true);
      }
    }
    expect(normalizeTimes(mine)).toEqual(normalizeTimes(theirs));
  });
});

describe('served later and expired keys', () => {
  let redis: ServerHandle;
  let ours: CacheServer;
  const redisDir = tempDir('later-redis');
  const ourDir = tempDir('later-ours');

  beforeAll(async () => {
    redis = await startRedisServer({ config: { dir: redisDir.dir, appendonly: 'yes' } });
    ours = await startServer({ port: 0, bind: '127.0.0.1', config: { dir: ourDir.dir, appendonly: 'yes', save: '' } });
  });
  afterAll(async () => {
    await redis.stop();
    await ours.close();
    redisDir.remove();
    ourDir.remove();
  });

  test('a BLPOP served by a later push logs LPOP; a key that expires logs DEL', async () => {
    for (const port of [redis.port, ours.port]) {
      const blocked = await TestClient.connect(port);
      const other = await TestClient.connect(port);
      blocked.send('BLPOP', 'q', '0');
      // Wait until the server counts the client as blocked, then serve it.
      while (!/blocked_clients:1/.test(String(await other.call('INFO', 'clients')))) await new Promise((r) => setTimeout(r, 5));
      expect(await other.call('RPUSH', 'q', 'x', 'y')).toBe(2);
      expect(await blocked.read()).toEqual(['q', 'x']);
      expect(await other.call('SET', 'short', 'v', 'PX', '20')).toBe('OK');
      while ((await other.call('EXISTS', 'short')) !== 0) await new Promise((r) => setTimeout(r, 5));
      blocked.close();
      other.close();
    }
    const theirs = normalizeTimes(aofCommands(path.join(redisDir.dir, INCR)));
    const mine = normalizeTimes(aofCommands(path.join(ourDir.dir, INCR)));
    expect(mine).toEqual(theirs);
    expect(mine).toEqual([['SELECT', '0'], ['RPUSH', 'q', 'x', 'y'], ['LPOP', 'q'], ['SET', 'short', 'v', 'PXAT', 'T'], ['DEL', 'short']]);
  });
});

describe('SPOP logs the members it popped', () => {
  let ours: CacheServer;
  const ourDir = tempDir('spop');
  beforeAll(async () => {
    ours = await startServer({ port: 0, bind: '127.0.0.1', config: { dir: ourDir.dir, appendonly: 'yes', save: '' } });
  });
  afterAll(async () => {
    await ours.close();
    ourDir.remove();
  });

  test('one member → SREM; several → SREM each in MULTI/EXEC; all of them → DEL', async () => {
    const c = await TestClient.connect(ours.port);
    await c.call('SADD', 's', 'a', 'b', 'c', 'd', 'e', 'f');
    const one = (await c.call('SPOP', 's')) as string;
    const two = (await c.call('SPOP', 's', '2')) as string[];
    await c.call('SPOP', 's', '10');
    expect(await c.call('SPOP', 's', '1')).toEqual([]);
    c.close();
    const logged = aofCommands(path.join(ourDir.dir, INCR));
    expect(logged).toEqual([
      ['SELECT', '0'],
      ['SADD', 's', 'a', 'b', 'c', 'd', 'e', 'f'],
      ['SREM', 's', one],
      ['MULTI'],
      ['SREM', 's', two[0]],
      ['SREM', 's', two[1]],
      ['EXEC'],
      ['DEL', 's'],
    ]);
  });
});
