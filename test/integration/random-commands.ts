/**
 * A seeded generator of command sequences over every command of issue 3's families. Keys come
 * from a small pool so commands collide on purpose; values mix integers (including the int64
 * edges), floats, binary bytes and text; expiry is in play in forms whose replies do not depend on
 * the clock (long relative TTLs compared as classes, absolute times far in the past or future,
 * PERSIST). Every generated command produces exactly one reply, so batches can be pipelined.
 */
import type { CommandArg } from '../support';

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; same seed, same sequence. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

const KEYS: readonly CommandArg[] = ['k1', 'k2', 'k3', 'k4', 'n1', 'n2', 'f1', 'b1', 'b2', Buffer.from([0xff, 0x00, 0x0d, 0x0a]), ''];
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
      () => ['SCAN', '0', 'COUNT', '1000', ...(r.chance(0.5) ? ['MATCH', r.pick(PATTERNS)] : []), ...(r.chance(0.2) ? ['TYPE', r.pick(['string', 'list'])] : [])],
      () => ['RANDOMKEY'],
      () => ['COPY', k(), k(), ...(r.chance(0.3) ? ['DB', String(r.int(0, 2))] : []), ...(r.chance(0.4) ? ['REPLACE'] : [])],
      () => ['MOVE', k(), String(r.int(0, 2))],
      () => ['TOUCH', ...this.keysArgs(1, 3)],
      () => ['OBJECT', r.pick(['ENCODING', 'REFCOUNT', 'IDLETIME', 'NOSUCH']), k()],
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
