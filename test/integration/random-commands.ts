/**
 * A seeded generator of command sequences over every command of issue 3's families and the
 * part-2 collection families (hashes, sets, sorted sets, lists without blocking, HyperLogLog, SORT). Keys come
 * from a small pool so commands collide on purpose; values mix integers (including the int64
 * edges), floats, binary bytes and text; expiry is in play in forms whose replies do not depend on
 * the clock (long relative TTLs compared as classes, absolute times far in the past or future,
 * PERSIST). Every generated command produces exactly one reply, so batches can be pipelined.
 */
import type { CommandArg } from '../support';
import { mulberry32 } from '../support/seeded-random';


export class Rng {
  private readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(0, 255);
    return out;
  }
}

/** Far-future absolute expiry times (year 2100+): EXPIRETIME replies stay exact. */
const FUTURE_S = ['4102444800', '4102444801', '4200000000'];
const FUTURE_MS = ['4102444800000', '4102444800123', '4200000000999'];
const PAST_S = ['1', '1000', '1600000000'];
const PAST_MS = ['1', '1000', '1600000000000'];

const KEYS: readonly CommandArg[] = ['k1', 'k2', 'k3', 'k4', 'n1', 'n2', 'f1', 'b1', 'b2', Buffer.from([0xff, 0x00, 0x0d, 0x0a]), '', 'h1', 's1', 'z1', 'l1', 'p1'];
/** Per-family key pools: mostly the family's own keys, else any key of the shared pool (WRONGTYPE on purpose). */
const FAMILY_KEYS = {
  hash: ['h1', 'h2', 'h3'],
  set: ['s1', 's2', 's3', 'i1', 'i2'],
  zset: ['z1', 'z2', 'z3'],
  list: ['l1', 'l2', 'l3'],
  hll: ['p1', 'p2', 'p3'],
} as const;
type Family = keyof typeof FAMILY_KEYS;
/**
 * Lex-range commands are defined only on sorted sets whose members share one score; they run on
 * these keys (only ever written with score 0) or on keys of other types (WRONGTYPE).
 */
const LEX_KEYS = ['x1', 'x2', 'x2', 'x1', 'k1', 'h1', 'l1'];
const MEMBERS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'hello', '1', '2', '3', '10', '-5', '007', '1.5', ''];
const CHANNELS = ['ch1', 'ch2', 'news.x'];
const PATTERNS = ['*', 'k*', '?1', 'n[12]', 'b*', '[a-f]*', 'nomatch', '*\\*'];

export class CommandGenerator {
  private inMulti = false;
  private queued = 0;
  private queueTarget = 0;

  constructor(private readonly rng: Rng) {}

  private key(): CommandArg {
    return this.rng.pick(KEYS);
  }

  /** A key of the family's own pool (80%) or of the shared pool. */
  private fkey(family: Family): CommandArg {
    return this.rng.chance(0.8) ? this.rng.pick(FAMILY_KEYS[family]) : this.key();
  }

  private lexKey(): CommandArg {
    return this.rng.pick(LEX_KEYS);
  }

  private fkeys(family: Family, min: number, max: number): CommandArg[] {
    const out: CommandArg[] = [];
    const n = this.rng.int(min, max);
    for (let i = 0; i < n; i++) out.push(this.fkey(family));
    return out;
  }

  /** A member / field: small pool; integers in intset range now and then; rarely long (past 64 bytes). */
  private member(): CommandArg {
    const r = this.rng;
    const roll = r.float();
    if (roll < 0.25) return String(r.int(-50, 700));
    if (roll < 0.27) return 'y'.repeat(r.int(60, 70));
    if (roll < 0.29) return r.bytes(r.int(0, 4));
    return r.pick(MEMBERS);
  }

  private members(min: number, max: number): CommandArg[] {
    const out: CommandArg[] = [];
    const n = this.rng.int(min, max);
    for (let i = 0; i < n; i++) out.push(this.member());
    return out;
  }

  /** Scores: mostly integers and halves (byte-comparable replies); now and then inexact, infinite or invalid. */
  private score(): string {
    const r = this.rng;
    const roll = r.float();
    if (roll < 0.55) return String(r.int(-20, 20));
    if (roll < 0.85) return `${r.int(-20, 20)}.5`;
    if (roll < 0.92) return r.pick(['0.1', '-0.3', '1e3', '2.25', '3.0']);
    return r.pick(['inf', '-inf', '+inf', 'nan', 'abc', '', '1e400']);
  }

  private scoreBound(): string {
    const r = this.rng;
    const roll = r.float();
    if (roll < 0.15) return r.pick(['-inf', '+inf', 'inf']);
    if (roll < 0.25) return `(${r.int(-20, 20)}`;
    if (roll < 0.28) return r.pick(['x', '((1', 'nan']);
    return String(r.int(-20, 20));
  }

  private lexBound(): string {
    const r = this.rng;
    if (r.chance(0.15)) return r.pick(['-', '+']);
    if (r.chance(0.05)) return r.pick(['a', 'x', '']);
    return `${r.pick(['[', '('])}${r.pick(['a', 'b', 'c', 'e', 'hello', '1', 'z'])}`;
  }

  private smallCount(): string {
    const r = this.rng;
    if (r.chance(0.05)) return r.pick(['0', '-1', 'x', '9223372036854775807']);
    return String(r.int(1, 6));
  }

  private integer(): string {
    const r = this.rng;
    switch (r.int(0, 7)) {
      case 0:
        return r.pick(['9223372036854775807', '-9223372036854775808', '9223372036854775806', '-9223372036854775807']);
      case 1:
        return r.pick(['9223372036854775808', '99999999999999999999', '1.5', 'abc', '', ' 1', '01', '+1', '-0']);
      case 2:
        return String(r.int(-1000000, 1000000));
      default:
        return String(r.int(-20, 100));
    }
  }

  private floatText(): string {
    const r = this.rng;
    switch (r.int(0, 6)) {
      case 0:
        return r.pick(['inf', '-inf', 'nan', '1e308', '-1e308', '1e-320', '0.1', '1.5e3', 'abc', '', '3.0', '.5', '5.']);
      case 1:
        return String(r.int(-100, 100));
      default:
        return (r.float() * 2000 - 1000).toFixed(r.int(0, 6));
    }
  }

  private value(): CommandArg {
    const r = this.rng;
    switch (r.int(0, 9)) {
      case 0:
      case 1:
        return this.integer();
      case 2:
        return this.floatText();
      case 3:
        return r.bytes(r.int(0, 12));
      case 4:
        return '';
      case 5:
        return 'x'.repeat(r.int(20, 80));
      default:
        return r.pick(['v', 'hello', 'world', 'ohmytext', 'mynewtext', 'foobar', 'abc', '10', '3.14']);
    }
  }

  private index(): string {
    const r = this.rng;
    return r.chance(0.1) ? r.pick(['abc', '9223372036854775807', '-9223372036854775808', '']) : String(r.int(-30, 30));
  }

  private bitOffset(): string {
    const r = this.rng;
    return r.chance(0.05) ? r.pick(['-1', 'x', '4294967296']) : String(r.int(0, 200));
  }

  private longTtl(unit: 's' | 'ms'): string {
    const r = this.rng;
    if (r.chance(0.08)) return r.pick(['0', '-1', 'abc', '9223372036854775807']);
    return unit === 's' ? String(r.int(1000, 100000)) : String(r.int(1000000, 100000000));
  }

  private setOptions(): CommandArg[] {
    const r = this.rng;
    const opts: CommandArg[] = [];
    const n = r.int(0, 3);
    for (let i = 0; i < n; i++) {
      switch (r.int(0, 9)) {
        case 0:
          opts.push('NX');
          break;
        case 1:
          opts.push('XX');
          break;
        case 2:
          opts.push('GET');
          break;
        case 3:
          opts.push('EX', this.longTtl('s'));
          break;
        case 4:
          opts.push('PX', this.longTtl('ms'));
          break;
        case 5:
          opts.push('EXAT', r.pick([...FUTURE_S, ...PAST_S]));
          break;
        case 6:
          opts.push('PXAT', r.pick([...FUTURE_MS, ...PAST_MS]));
          break;
        case 7:
          opts.push('KEEPTTL');
          break;
        case 8:
          opts.push(r.pick(['nx', 'get', 'keepttl', 'BOGUS', 'EX']));
          break;
        default:
          break;
      }
    }
    return opts;
  }

  private getexOptions(): CommandArg[] {
    const r = this.rng;
    switch (r.int(0, 7)) {
      case 0:
        return ['EX', this.longTtl('s')];
      case 1:
        return ['PX', this.longTtl('ms')];
      case 2:
        return ['EXAT', r.pick([...FUTURE_S, ...PAST_S])];
      case 3:
        return ['PXAT', r.pick([...FUTURE_MS, ...PAST_MS])];
      case 4:
        return ['PERSIST'];
      case 5:
        return [r.pick(['KEEPTTL', 'BOGUS', 'EX', 'PERSIST']), ...(r.chance(0.5) ? ['EX', '100'] : [])];
      default:
        return [];
    }
  }

  private expireFlag(): CommandArg[] {
    const r = this.rng;
    if (!r.chance(0.3)) return [];
    return [r.pick(['NX', 'XX', 'GT', 'LT', 'nx', 'BOGUS'])];
  }

  private bitfieldOps(readOnly: boolean): CommandArg[] {
    const r = this.rng;
    const ops: CommandArg[] = [];
    const n = r.int(1, 4);
    const type = (): string => (r.chance(0.05) ? r.pick(['u64', 'i65', 'x8', 'u0']) : `${r.pick(['u', 'i'])}${r.int(1, r.chance(0.5) ? 8 : 63)}`);
    const offset = (): string => (r.chance(0.2) ? `#${r.int(0, 10)}` : this.bitOffset());
    for (let i = 0; i < n; i++) {
      const op = readOnly ? (r.chance(0.9) ? 'GET' : r.pick(['SET', 'INCRBY'])) : r.pick(['GET', 'SET', 'INCRBY', 'OVERFLOW']);
      if (op === 'GET') ops.push('GET', type(), offset());
      else if (op === 'OVERFLOW') ops.push('OVERFLOW', r.pick(['WRAP', 'SAT', 'FAIL', 'BAD']));
      else ops.push(op, type(), offset(), this.integer());
    }
    return ops;
  }

  private fieldValues(min: number, max: number): CommandArg[] {
    const out: CommandArg[] = [];
    const n = this.rng.int(min, max);
    for (let i = 0; i < n; i++) out.push(this.member(), this.rng.chance(0.3) ? this.integer() : this.value());
    return out;
  }

  private scoreMembers(min: number, max: number): CommandArg[] {
    const out: CommandArg[] = [];
    const n = this.rng.int(min, max);
    for (let i = 0; i < n; i++) out.push(this.score(), this.member());
    return out;
  }

  private zaddFlags(): CommandArg[] {
    const r = this.rng;
    if (!r.chance(0.3)) return [];
    const flags: CommandArg[] = [];
    for (const flag of ['NX', 'XX', 'GT', 'LT', 'CH', 'INCR']) if (r.chance(0.2)) flags.push(flag);
    return flags;
  }

  private zsetOpOptions(): CommandArg[] {
    const r = this.rng;
    const out: CommandArg[] = [];
    if (r.chance(0.3)) out.push('WEIGHTS', String(r.int(-2, 3)), r.pick(['1', '0.5', '2']));
    if (r.chance(0.3)) out.push('AGGREGATE', r.pick(['SUM', 'MIN', 'MAX', 'AVG']));
    return out;
  }

  private keysArgs(min: number, max: number): CommandArg[] {
    const out: CommandArg[] = [];
    const n = this.rng.int(min, max);
    for (let i = 0; i < n; i++) out.push(this.key());
    return out;
  }

  private pairs(min: number, max: number): CommandArg[] {
    const out: CommandArg[] = [];
    const n = this.rng.int(min, max);
    for (let i = 0; i < n; i++) out.push(this.key(), this.value());
    return out;
  }

  /** One command whose reply is a single frame. */
  private plain(): CommandArg[] {
    const r = this.rng;
    const k = (): CommandArg => this.key();
    const generators: readonly (() => CommandArg[])[] = [
      // strings
      () => ['GET', k()],
      () => ['SET', k(), this.value(), ...this.setOptions()],
      () => ['SET', k(), this.value()],
      () => ['GETEX', k(), ...this.getexOptions()],
      () => ['GETDEL', k()],
      () => ['GETSET', k(), this.value()],
      () => ['MGET', ...this.keysArgs(1, 5)],
      () => ['MSET', ...this.pairs(1, 3)],
      () => ['MSETNX', ...this.pairs(1, 3)],
      () => ['SETNX', k(), this.value()],
      () => ['SETEX', k(), this.longTtl('s'), this.value()],
      () => ['PSETEX', k(), this.longTtl('ms'), this.value()],
      () => ['INCR', k()],
      () => ['DECR', k()],
      () => ['INCRBY', k(), this.integer()],
      () => ['DECRBY', k(), this.integer()],
      () => ['INCRBYFLOAT', k(), this.floatText()],
      () => ['APPEND', k(), this.value()],
      () => ['STRLEN', k()],
      () => ['GETRANGE', k(), this.index(), this.index()],
      () => ['SETRANGE', k(), r.chance(0.05) ? r.pick(['-1', 'x']) : String(r.int(0, 100)), this.value()],
      () => ['LCS', k(), k(), ...(r.chance(0.5) ? [r.pick(['LEN', 'IDX'])] : []), ...(r.chance(0.3) ? ['MINMATCHLEN', String(r.int(0, 4))] : []), ...(r.chance(0.3) ? ['WITHMATCHLEN'] : [])],
      // bitmaps
      () => ['SETBIT', k(), this.bitOffset(), r.chance(0.95) ? r.pick(['0', '1']) : '2'],
      () => ['GETBIT', k(), this.bitOffset()],
      () => ['BITCOUNT', k(), ...(r.chance(0.6) ? [this.index(), this.index(), ...(r.chance(0.5) ? [r.pick(['BIT', 'BYTE', 'bit', 'NOPE'])] : [])] : [])],
      () => ['BITPOS', k(), r.chance(0.95) ? r.pick(['0', '1']) : '2', ...(r.chance(0.5) ? [this.index()] : []), ...(r.chance(0.4) ? [this.index()] : []), ...(r.chance(0.3) ? [r.pick(['BIT', 'BYTE'])] : [])],
      () => ['BITOP', r.pick(['AND', 'OR', 'XOR', 'NOT', 'and', 'NAND']), k(), ...this.keysArgs(1, 3)],
      () => ['BITFIELD', k(), ...this.bitfieldOps(false)],
      () => ['BITFIELD_RO', k(), ...this.bitfieldOps(true)],
      // keys
      () => ['DEL', ...this.keysArgs(1, 3)],
      () => ['UNLINK', ...this.keysArgs(1, 3)],
      () => ['EXISTS', ...this.keysArgs(1, 4)],
      () => ['TYPE', k()],
      () => ['EXPIRE', k(), this.longTtl('s'), ...this.expireFlag()],
      () => ['PEXPIRE', k(), this.longTtl('ms'), ...this.expireFlag()],
      () => ['EXPIREAT', k(), r.pick([...FUTURE_S, ...PAST_S]), ...this.expireFlag()],
      () => ['PEXPIREAT', k(), r.pick([...FUTURE_MS, ...PAST_MS]), ...this.expireFlag()],
      () => ['EXPIRE', k(), r.pick(['0', '-5'])],
      () => ['TTL', k()],
      () => ['PTTL', k()],
      () => ['EXPIRETIME', k()],
      () => ['PEXPIRETIME', k()],
      () => ['PERSIST', k()],
      () => ['RENAME', k(), k()],
      () => ['RENAMENX', k(), k()],
      () => ['KEYS', r.pick(PATTERNS)],
      () => ['SCAN', '0', 'COUNT', '1000', ...(r.chance(0.5) ? ['MATCH', r.pick(PATTERNS)] : []), ...(r.chance(0.2) ? ['TYPE', r.pick(['string', 'list', 'hash', 'set', 'zset'])] : [])],
      () => ['RANDOMKEY'],
      () => ['COPY', k(), k(), ...(r.chance(0.3) ? ['DB', String(r.int(0, 2))] : []), ...(r.chance(0.4) ? ['REPLACE'] : [])],
      () => ['MOVE', k(), String(r.int(0, 2))],
      () => ['TOUCH', ...this.keysArgs(1, 3)],
      () => ['OBJECT', r.pick(['ENCODING', 'REFCOUNT', 'IDLETIME', 'NOSUCH']), k()],

      // hashes
      () => ['HSET', this.fkey('hash'), ...this.fieldValues(1, 4)],
      () => ['HSETNX', this.fkey('hash'), this.member(), this.value()],
      () => ['HMSET', this.fkey('hash'), ...this.fieldValues(1, 3)],
      () => ['HGET', this.fkey('hash'), this.member()],
      () => ['HMGET', this.fkey('hash'), ...this.members(1, 4)],
      () => ['HDEL', this.fkey('hash'), ...this.members(1, 3)],
      () => ['HLEN', this.fkey('hash')],
      () => ['HSTRLEN', this.fkey('hash'), this.member()],
      () => ['HEXISTS', this.fkey('hash'), this.member()],
      () => ['HINCRBY', this.fkey('hash'), this.member(), this.integer()],
      () => ['HINCRBYFLOAT', this.fkey('hash'), this.member(), r.chance(0.7) ? String(r.int(-10, 10)) : this.floatText()],
      () => ['HGETALL', this.fkey('hash')],
      () => ['HKEYS', this.fkey('hash')],
      () => ['HVALS', this.fkey('hash')],
      () => ['HSCAN', this.fkey('hash'), '0', 'COUNT', '1000', ...(r.chance(0.3) ? ['MATCH', r.pick(['*', '1*', '[a-c]', 'h*'])] : [])],
      () => ['HRANDFIELD', this.fkey('hash'), ...(r.chance(0.7) ? [String(r.int(-8, 8)), ...(r.chance(0.4) ? ['WITHVALUES'] : [])] : [])],
      // sets
      () => ['SADD', this.fkey('set'), ...this.members(1, 5)],
      () => ['SADD', this.fkey('set'), ...Array.from({ length: r.int(1, 40) }, () => String(r.int(-100, 1000)))],
      () => ['SREM', this.fkey('set'), ...this.members(1, 4)],
      () => ['SCARD', this.fkey('set')],
      () => ['SISMEMBER', this.fkey('set'), this.member()],
      () => ['SMISMEMBER', this.fkey('set'), ...this.members(1, 4)],
      () => ['SMEMBERS', this.fkey('set')],
      () => ['SMOVE', this.fkey('set'), this.fkey('set'), this.member()],
      () => [r.pick(['SUNION', 'SINTER', 'SDIFF']), ...this.fkeys('set', 1, 3)],
      () => [r.pick(['SUNIONSTORE', 'SINTERSTORE', 'SDIFFSTORE']), this.fkey('set'), ...this.fkeys('set', 1, 3)],
      () => {
        const keys = this.fkeys('set', 1, 3);
        return ['SINTERCARD', r.chance(0.9) ? String(keys.length) : String(r.int(0, 4)), ...keys, ...(r.chance(0.4) ? ['LIMIT', String(r.int(0, 5))] : [])];
      },
      () => ['SRANDMEMBER', this.fkey('set'), ...(r.chance(0.7) ? [String(r.int(-8, 8))] : [])],
      // SPOP only where the outcome is determined: a count that takes every member (or none).
      () => ['SPOP', this.fkey('set'), r.pick(['0', '100000'])],
      () => ['SSCAN', this.fkey('set'), '0', 'COUNT', '1000', ...(r.chance(0.3) ? ['MATCH', r.pick(['*', '1*', '[a-c]'])] : [])],
      // sorted sets
      () => ['ZADD', this.fkey('zset'), ...this.zaddFlags(), ...this.scoreMembers(1, 4)],
      () => ['ZINCRBY', this.fkey('zset'), this.score(), this.member()],
      () => ['ZREM', this.fkey('zset'), ...this.members(1, 3)],
      () => ['ZCARD', this.fkey('zset')],
      () => ['ZSCORE', this.fkey('zset'), this.member()],
      () => ['ZMSCORE', this.fkey('zset'), ...this.members(1, 3)],
      () => [r.pick(['ZRANK', 'ZREVRANK']), this.fkey('zset'), this.member()],
      () => ['ZCOUNT', this.fkey('zset'), this.scoreBound(), this.scoreBound()],
      () => ['ZLEXCOUNT', this.lexKey(), this.lexBound(), this.lexBound()],
      () => ['ZRANGE', this.fkey('zset'), this.index(), this.index(), ...(r.chance(0.3) ? ['REV'] : []), ...(r.chance(0.4) ? ['WITHSCORES'] : [])],
      () => ['ZRANGE', this.fkey('zset'), this.scoreBound(), this.scoreBound(), 'BYSCORE', ...(r.chance(0.3) ? ['REV'] : []), ...(r.chance(0.3) ? ['LIMIT', String(r.int(0, 3)), String(r.int(-1, 4))] : []), ...(r.chance(0.4) ? ['WITHSCORES'] : [])],
      () => ['ZADD', this.lexKey(), ...this.members(1, 4).flatMap((m) => ['0', m])],
      () => ['ZRANGE', this.lexKey(), this.lexBound(), this.lexBound(), 'BYLEX', ...(r.chance(0.3) ? ['REV'] : []), ...(r.chance(0.3) ? ['LIMIT', String(r.int(0, 3)), String(r.int(-1, 4))] : [])],
      () => [r.pick(['ZRANGEBYSCORE', 'ZREVRANGEBYSCORE']), this.fkey('zset'), this.scoreBound(), this.scoreBound(), ...(r.chance(0.4) ? ['WITHSCORES'] : [])],
      () => [r.pick(['ZRANGEBYLEX', 'ZREVRANGEBYLEX']), this.lexKey(), this.lexBound(), this.lexBound()],
      () => ['ZREVRANGE', this.fkey('zset'), this.index(), this.index(), ...(r.chance(0.4) ? ['WITHSCORES'] : [])],
      () => ['ZRANGESTORE', this.fkey('zset'), this.fkey('zset'), this.index(), this.index()],
      () => ['ZREMRANGEBYRANK', this.fkey('zset'), this.index(), this.index()],
      () => ['ZREMRANGEBYSCORE', this.fkey('zset'), this.scoreBound(), this.scoreBound()],
      () => ['ZREMRANGEBYLEX', this.lexKey(), this.lexBound(), this.lexBound()],
      () => [r.pick(['ZPOPMIN', 'ZPOPMAX']), this.fkey('zset'), ...(r.chance(0.5) ? [this.smallCount()] : [])],
      () => ['ZMPOP', '2', this.fkey('zset'), this.fkey('zset'), r.pick(['MIN', 'MAX']), ...(r.chance(0.5) ? ['COUNT', this.smallCount()] : [])],
      () => [r.pick(['ZUNIONSTORE', 'ZINTERSTORE']), this.fkey('zset'), '2', this.fkey('zset'), r.chance(0.8) ? this.fkey('zset') : this.fkey('set'), ...this.zsetOpOptions()],
      () => ['ZDIFFSTORE', this.fkey('zset'), '2', this.fkey('zset'), this.fkey('zset')],
      () => [r.pick(['ZUNION', 'ZINTER']), '2', this.fkey('zset'), r.chance(0.8) ? this.fkey('zset') : this.fkey('set'), ...this.zsetOpOptions(), ...(r.chance(0.4) ? ['WITHSCORES'] : [])],
      () => ['ZDIFF', '2', this.fkey('zset'), this.fkey('zset'), ...(r.chance(0.4) ? ['WITHSCORES'] : [])],
      () => ['ZINTERCARD', '2', this.fkey('zset'), this.fkey('zset'), ...(r.chance(0.3) ? ['LIMIT', String(r.int(0, 3))] : [])],
      () => ['ZRANDMEMBER', this.fkey('zset'), ...(r.chance(0.7) ? [String(r.int(-8, 8)), ...(r.chance(0.4) ? ['WITHSCORES'] : [])] : [])],
      () => ['ZSCAN', this.fkey('zset'), '0', 'COUNT', '1000'],
      // lists (no blocking commands: they have their own tests)
      () => [r.pick(['LPUSH', 'RPUSH']), this.fkey('list'), ...this.members(1, 5)],
      () => [r.pick(['LPUSHX', 'RPUSHX']), this.fkey('list'), ...this.members(1, 2)],
      () => [r.pick(['LPOP', 'RPOP']), this.fkey('list'), ...(r.chance(0.4) ? [this.smallCount()] : [])],
      () => ['LLEN', this.fkey('list')],
      () => ['LRANGE', this.fkey('list'), this.index(), this.index()],
      () => ['LINDEX', this.fkey('list'), this.index()],
      () => ['LSET', this.fkey('list'), r.chance(0.8) ? String(r.int(-3, 3)) : this.index(), this.member()],
      () => ['LINSERT', this.fkey('list'), r.pick(['BEFORE', 'AFTER', 'after', 'MIDDLE']), this.member(), this.member()],
      () => ['LREM', this.fkey('list'), String(r.int(-3, 3)), this.member()],
      () => ['LTRIM', this.fkey('list'), this.index(), this.index()],
      () => ['LPOS', this.fkey('list'), this.member(), ...(r.chance(0.4) ? ['RANK', String(r.chance(0.9) ? r.int(-3, 3) : 0)] : []), ...(r.chance(0.4) ? ['COUNT', String(r.int(0, 4))] : []), ...(r.chance(0.2) ? ['MAXLEN', String(r.int(0, 10))] : [])],
      () => ['LMOVE', this.fkey('list'), this.fkey('list'), r.pick(['LEFT', 'RIGHT']), r.pick(['LEFT', 'RIGHT'])],
      () => ['RPOPLPUSH', this.fkey('list'), this.fkey('list')],
      () => ['LMPOP', '2', this.fkey('list'), this.fkey('list'), r.pick(['LEFT', 'RIGHT']), ...(r.chance(0.5) ? ['COUNT', this.smallCount()] : [])],
      // SORT (lists mostly; with and without ALPHA; LIMIT; STORE)
      () => ['SORT', this.fkey('list'), ...(r.chance(0.5) ? ['ALPHA'] : []), ...(r.chance(0.3) ? ['DESC'] : []), ...(r.chance(0.3) ? ['LIMIT', String(r.int(-1, 3)), String(r.int(-1, 5))] : [])],
      () => ['SORT', this.fkey('list'), 'ALPHA', ...(r.chance(0.3) ? ['DESC'] : []), 'STORE', this.fkey('list')],
      () => ['SORT_RO', this.fkey('list'), ...(r.chance(0.6) ? ['ALPHA'] : [])],
      // HyperLogLog
      () => ['PFADD', this.fkey('hll'), ...this.members(0, 6)],
      () => ['PFADD', this.fkey('hll'), ...Array.from({ length: r.int(1, 60) }, () => `e${r.int(0, 5000)}`)],
      () => ['PFCOUNT', ...this.fkeys('hll', 1, 3)],
      () => ['PFMERGE', this.fkey('hll'), ...this.fkeys('hll', 0, 3)],
      // cross-family keyspace commands on collection keys
      () => ['TYPE', this.fkey(r.pick(['hash', 'set', 'zset', 'list', 'hll'] as const))],
      () => ['OBJECT', 'ENCODING', this.fkey(r.pick(['hash', 'set', 'zset', 'list'] as const))],
      () => ['EXPIRE', this.fkey(r.pick(['hash', 'set', 'zset', 'list', 'hll'] as const)), r.pick(['0', '-1', ...[this.longTtl('s')]])],
      () => ['RENAME', this.fkey(r.pick(['hash', 'set', 'zset', 'list'] as const)), this.fkey(r.pick(['hash', 'set', 'zset', 'list'] as const))],
      () => ['COPY', this.fkey(r.pick(['hash', 'set', 'zset', 'list', 'hll'] as const)), this.fkey(r.pick(['hash', 'set', 'zset', 'list'] as const)), ...(r.chance(0.5) ? ['REPLACE'] : [])],
      // server and connection
      () => ['DBSIZE'],
      () => ['SELECT', r.chance(0.95) ? String(r.int(0, 2)) : r.pick(['16', '-1', 'x'])],
      () => ['PING', ...(r.chance(0.3) ? [this.value()] : [])],
      () => ['ECHO', this.value()],
      () => ['PUBLISH', r.pick(CHANNELS), this.value()],
      () => ['SPUBLISH', r.pick(CHANNELS), this.value()],
      () => ['PUBSUB', r.pick(['NUMPAT', 'CHANNELS', 'NUMSUB', 'SHARDCHANNELS', 'SHARDNUMSUB'])],
      // wrong arity and unknown commands
      () => [r.pick(['GET', 'SET', 'INCR', 'APPEND', 'GETRANGE', 'SETBIT', 'EXPIRE', 'RENAME', 'TTL', 'LCS', 'BITOP'])],
      () => [r.pick(['GET', 'INCR', 'STRLEN', 'TTL', 'TYPE', 'PERSIST']), k(), k()],
      () => ['NOSUCHCMD', k()],
    ];
    const rare: readonly (() => CommandArg[])[] = [
      () => ['SWAPDB', String(r.int(0, 2)), String(r.int(0, 2))],
      () => ['FLUSHDB'],
      () => ['HELLO', r.pick(['2', '3'])],
      () => ['WATCH', ...this.keysArgs(1, 2)],
      () => ['UNWATCH'],
    ];
    if (r.chance(0.02)) return r.pick(rare)();
    return r.pick(generators)();
  }

  /** The next command; MULTI blocks of 1–5 queued commands are opened and closed by the generator. */
  next(): CommandArg[] {
    const r = this.rng;
    if (this.inMulti) {
      if (this.queued >= this.queueTarget) {
        this.inMulti = false;
        return [r.chance(0.85) ? 'EXEC' : 'DISCARD'];
      }
      this.queued++;
      let cmd = this.plain();
      // WATCH inside MULTI is an error Redis replies to at once; keep it rare but present.
      while (String(cmd[0]) === 'WATCH' && !r.chance(0.2)) cmd = this.plain();
      return cmd;
    }
    if (r.chance(0.02)) {
      this.inMulti = true;
      this.queued = 0;
      this.queueTarget = r.int(0, 5);
      return ['MULTI'];
    }
    return this.plain();
  }

  /** The generator's count of commands that close an open MULTI, so a run ends outside one. */
  finish(): CommandArg[][] {
    return this.inMulti ? [['DISCARD']] : [];
  }
}
