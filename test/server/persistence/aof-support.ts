/**
 * Helpers for the AOF tests: a whole dataset read back through a client (every key's type, value
 * and absolute expiry, so two servers can be compared exactly), AOF files parsed into commands,
 * and the data set written by every type of write.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseCommand } from '../../../lib/server/persistence/aof-loader';
import type { Reply, TestClient } from '../support/resp-client';

export type Cmd = string[];

export interface KeyDump {
  readonly type: string;
  readonly value: unknown;
  /** PEXPIRETIME: absolute ms, or -1. */
  readonly expireAt: number;
}

/** The command that reads a whole value of a type. */
function readCommand(type: string, key: string): Cmd {
  switch (type) {
    case 'string':
      return ['GET', key];
    case 'list':
      return ['LRANGE', key, '0', '-1'];
    case 'set':
      return ['SMEMBERS', key];
    case 'zset':
      return ['ZRANGE', key, '0', '-1', 'WITHSCORES'];
    case 'hash':
      return ['HGETALL', key];
    default:
      return ['TYPE', key];
  }
}

/** A value in a form both servers agree on: sets and hashes sorted, scores as numbers. */
function normalize(type: string, reply: Reply): unknown {
  switch (type) {
    case 'set':
      return (reply as string[]).slice().sort();
    case 'zset':
      // Redis 7.0 prints %.17g, ours the shortest text of the same double.
      return (reply as string[]).map((v, i) => (i % 2 === 1 ? Number(v.replace('inf', 'Infinity')) : v));
    case 'hash': {
      const flat = reply as string[];
      const pairs: string[] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i]}=${flat[i + 1]}`);
      return pairs.sort();
    }
    default:
      return reply;
  }
}

/** Every key of `dbs`, by 'db:key' (pipelined: TYPE of every key, then each value and PEXPIRETIME). */
export async function datasetOf(c: TestClient, dbs: readonly number[]): Promise<Map<string, KeyDump>> {
  const out = new Map<string, KeyDump>();
  for (const db of dbs) {
    await c.call('SELECT', String(db));
    const keys = ((await c.call('KEYS', '*')) as string[]).sort();
    const types = (await pipeline(c, keys.map((k) => ['TYPE', k]))) as string[];
    const reads: Cmd[] = [];
    keys.forEach((k, i) => reads.push(readCommand(types[i], k), ['PEXPIRETIME', k]));
    const replies = await pipeline(c, reads);
    keys.forEach((k, i) => {
      out.set(`${db}:${k}`, { type: types[i], value: normalize(types[i], replies[2 * i]), expireAt: replies[2 * i + 1] as number });
    });
  }
  await c.call('SELECT', '0');
  return out;
}

/** Sends commands in pipelined batches; returns the replies. */
export async function pipeline(c: TestClient, cmds: readonly Cmd[], batch = 500): Promise<Reply[]> {
  const out: Reply[] = [];
  for (let i = 0; i < cmds.length; i += batch) {
    const part = cmds.slice(i, i + batch);
    for (const cmd of part) c.send(...cmd);
    for (let j = 0; j < part.length; j++) out.push(await c.read(20000));
  }
  return out;
}

/** The commands in an AOF file (after an RDB preamble, if any: pass `start`). */
export function aofCommands(file: string, start = 0): string[][] {
  const data = readFileSync(file);
  const out: string[][] = [];
  let pos = start;
  while (pos < data.length) {
    const parsed = parseCommand(data, pos);
    if (parsed.kind !== 'ok') throw new Error(`${file}: ${parsed.kind} at ${pos}`);
    out.push(parsed.args.map((a) => a.toString('latin1')));
    pos = parsed.next;
  }
  return out;
}

export function tempDir(tag: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `cdk-valkey-aof-${tag}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const FUTURE_S = Math.floor(Date.now() / 1000) + 86400;

/**
 * Writes of every type, through commands whose logged form differs from what was sent (relative
 * expiries, float increments, blocking and multi-key pops, MULTI/EXEC, SELECT), in DBs 0, 2 and 5.
 */
export function everyWrite(): Cmd[] {
  const cmds: Cmd[] = [
    ['SELECT', '0'],
    ['SET', 'str', 'hello'],
    ['SET', 'str:ex', 'v', 'EX', '1000'],
    ['SET', 'str:px', 'v', 'PX', '900000'],
    ['SET', 'str:exat', 'v', 'EXAT', String(FUTURE_S)],
    ['SETEX', 'str:setex', '500', 'v'],
    ['PSETEX', 'str:psetex', '500000', 'v'],
    ['SET', 'str:keepttl', 'a', 'EX', '700'],
    ['SET', 'str:keepttl', 'b', 'KEEPTTL'],
    ['APPEND', 'str', ' world'],
    ['INCR', 'counter'],
    ['INCRBY', 'counter', '41'],
    ['INCRBYFLOAT', 'float', '1.25'],
    ['INCRBYFLOAT', 'float', '3.0e2'],
    ['SETRANGE', 'range', '5', 'xyz'],
    ['MSET', 'm1', '1', 'm2', '2'],
    ['GETEX', 'm1', 'EX', '3000'],
    ['GETDEL', 'm2'],
    ['SET', 'gone', 'x'],
    ['EXPIRE', 'gone', '-5'],
    ['SET', 'persisted', 'x', 'EX', '100'],
    ['PERSIST', 'persisted'],
    ['SET', 'exp', 'x'],
    ['EXPIRE', 'exp', '4000'],
    ['SET', 'pexp', 'x'],
    ['PEXPIRE', 'pexp', '4000000'],
    ['SET', 'expat', 'x'],
    ['EXPIREAT', 'expat', String(FUTURE_S + 10)],
    ['RPUSH', 'list', 'a', 'b', 'c', 'd', 'e', 'f'],
    ['LPUSH', 'list', 'z'],
    ['LSET', 'list', '1', 'A'],
    ['BLPOP', 'list', '0'],
    ['BRPOP', 'nolist', 'list', '0'],
    ['LMPOP', '1', 'list', 'LEFT', 'COUNT', '2'],
    ['RPUSH', 'src', '1', '2', '3'],
    ['BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0'],
    ['BRPOPLPUSH', 'src', 'dst', '0'],
    ['SADD', 'set', 'a', 'b', 'c', '1', '2'],
    ['SREM', 'set', 'b'],
    ['SADD', 'ints', '1', '2', '3'],
    ['SMOVE', 'set', 'ints', 'a'],
    ['ZADD', 'zset', '1', 'one', '2.5', 'two', '-3', 'three', '10', 'ten'],
    ['ZINCRBY', 'zset', '0.5', 'one'],
    ['BZPOPMIN', 'zset', '0'],
    ['ZMPOP', '1', 'zset', 'MAX', 'COUNT', '1'],
    ['HSET', 'hash', 'f1', 'v1', 'f2', '2'],
    ['HINCRBY', 'hash', 'f2', '5'],
    ['HINCRBYFLOAT', 'hash', 'f3', '2.5'],
    ['HDEL', 'hash', 'f1'],
    ['PFADD', 'hll', 'a', 'b', 'c'],
    ['SETBIT', 'bits', '100', '1'],
    ['MULTI'],
    ['SET', 'tx1', '1'],
    ['INCR', 'tx1'],
    ['RPUSH', 'txlist', 'x', 'y'],
    ['EXEC'],
    ['SELECT', '2'],
    ['SET', 'db2', 'v', 'PX', '800000'],
    ['HSET', 'db2:hash', 'a', '1'],
    ['RENAME', 'db2:hash', 'db2:renamed'],
    ['COPY', 'db2', 'db2:copy'],
    ['MOVE', 'db2:copy', '5'],
    ['SELECT', '5'],
    ['ZADD', 'db5:z', '1', 'a'],
    ['SORT', 'db5:list-src', 'STORE', 'db5:sorted'],
    ['RPUSH', 'db5:list-src', '3', '1', '2'],
    ['SORT', 'db5:list-src', 'STORE', 'db5:sorted'],
    ['SELECT', '0'],
  ];
  // Enough elements to leave the compact encodings.
  const bigList: Cmd = ['RPUSH', 'biglist'];
  const bigSet: Cmd = ['SADD', 'bigset'];
  const bigZset: Cmd = ['ZADD', 'bigzset'];
  const bigHash: Cmd = ['HSET', 'bighash'];
  for (let i = 0; i < 300; i++) {
    bigList.push(`item-${i}`);
    bigSet.push(`member-${i}`);
    bigZset.push(String(i / 3), `m${i}`);
    bigHash.push(`f${i}`, `value-${i}`);
  }
  cmds.push(bigList, bigSet, bigZset, bigHash, ['EXPIRE', 'bighash', '6000']);
  return cmds;
}

export const EVERY_WRITE_DBS = [0, 2, 5];
