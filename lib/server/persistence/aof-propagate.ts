/**
 * What a write command puts in the AOF, as Redis propagates it (valkey's rewriteClientCommandVector
 * calls in t_string.c, expire.c, t_set.c, t_list.c, t_zset.c, cluster.c): replaying the file must
 * rebuild the same data at any later time, so
 *   - relative expiries become absolute: EXPIRE/PEXPIRE/EXPIREAT → PEXPIREAT, SET EX/PX/EXAT and
 *     SETEX/PSETEX → SET key value PXAT ms, GETEX EX… → PEXPIREAT, RESTORE ttl → RESTORE … ABSTTL;
 *     an expiry already in the past, which deleted the key, becomes DEL;
 *   - random or blocking effects become the effect: SPOP → SREM per member (DEL when it emptied the
 *     set), BLPOP → LPOP, BLMOVE → LMOVE, LMPOP → LPOP key count, BZPOPMIN → ZPOPMIN, ZMPOP →
 *     ZPOPMIN key count, INCRBYFLOAT → SET key value KEEPTTL, HINCRBYFLOAT → HSET, GETDEL → DEL.
 * Everything else is written as the client sent it. The result depends only on the command, the
 * database after it ran and the command's reply (the popped members, the new float value).
 */
import type { Database } from '../keyspace/database';

export type Argv = Buffer[];

export interface CompletedCall {
  /** The command's lowercase name (a subcommand as 'parent|sub'). */
  readonly name: string;
  readonly args: readonly Buffer[];
  /** The database it ran in, as it is now. */
  readonly db: Database;
  /** The bytes of its reply. */
  readonly reply: Buffer;
}

const word = (s: string): Buffer => Buffer.from(s, 'latin1');
const text = (b: Buffer): string => b.toString('latin1');
const upper = (b: Buffer): string => b.toString('latin1').toUpperCase();

/** The commands to log for one completed write call (none, one, or several). */
export function propagatedForms(call: CompletedCall): Argv[] {
  const { name, args, db } = call;
  const asIs = (): Argv[] => [args.slice()];
  const key = args.length > 1 ? args[1] : undefined;
  const del = (k: Buffer): Argv[] => [[word('DEL'), k]];
  const exists = (k: Buffer): boolean => db.hasSlot(text(k));
  const expireOf = (k: Buffer): number | undefined => db.getExpire(text(k));
  switch (name) {
    case 'expire':
    case 'pexpire':
    case 'expireat':
    case 'pexpireat': {
      if (key === undefined) return asIs();
      if (!exists(key)) return del(key);
      const at = expireOf(key);
      if (at === undefined) return asIs();
      if (name === 'pexpireat') return asIs();
      // The NX/XX/GT/LT flags that follow stay as they were.
      return [[word('PEXPIREAT'), key, word(String(at)), ...args.slice(3)]];
    }
    case 'set': {
      if (key === undefined) return asIs();
      if (!exists(key)) return del(key);
      const relative = args.slice(3).some((a) => ['EX', 'PX', 'EXAT'].includes(upper(a)));
      const at = expireOf(key);
      if (!relative || at === undefined) return asIs();
      return [[word('SET'), key, args[2], word('PXAT'), word(String(at))]];
    }
    case 'setex':
    case 'psetex': {
      if (key === undefined) return asIs();
      const at = expireOf(key);
      if (!exists(key) || at === undefined) return del(key);
      return [[word('SET'), key, args[3], word('PXAT'), word(String(at))]];
    }
    case 'getex': {
      if (key === undefined) return asIs();
      if (args.slice(2).some((a) => upper(a) === 'PERSIST')) return [[word('PERSIST'), key]];
      if (!exists(key)) return del(key);
      const at = expireOf(key);
      return at === undefined ? [] : [[word('PEXPIREAT'), key, word(String(at))]];
    }
    case 'getdel':
      return key === undefined ? asIs() : del(key);
    case 'incrbyfloat': {
      const value = firstBulk(call.reply);
      return key === undefined || value === undefined ? asIs() : [[word('SET'), key, value, word('KEEPTTL')]];
    }
    case 'hincrbyfloat': {
      const value = firstBulk(call.reply);
      return key === undefined || value === undefined ? asIs() : [[word('HSET'), key, args[2], value]];
    }
    case 'spop':
      return spop(call);
    case 'blpop':
    case 'brpop': {
      const served = decodeReply(call.reply);
      const k = Array.isArray(served) ? served[0] : undefined;
      return Buffer.isBuffer(k) ? [[word(name === 'blpop' ? 'LPOP' : 'RPOP'), k]] : [];
    }
    case 'brpoplpush':
      return [[word('RPOPLPUSH'), args[1], args[2]]];
    case 'blmove':
      return [[word('LMOVE'), args[1], args[2], args[3], args[4]]];
    case 'lmpop':
    case 'blmpop':
      return multiPop(call, name === 'lmpop' ? 1 : 2, (side) => (side === 'LEFT' ? 'LPOP' : 'RPOP'));
    case 'zmpop':
    case 'bzmpop':
      return multiPop(call, name === 'zmpop' ? 1 : 2, (side) => (side === 'MIN' ? 'ZPOPMIN' : 'ZPOPMAX'));
    case 'bzpopmin':
    case 'bzpopmax': {
      const served = decodeReply(call.reply);
      const k = Array.isArray(served) ? served[0] : undefined;
      return Buffer.isBuffer(k) ? [[word(name === 'bzpopmin' ? 'ZPOPMIN' : 'ZPOPMAX'), k]] : [];
    }
    case 'restore': {
      if (key === undefined || args.length < 4) return asIs();
      if (!exists(key)) return del(key);
      const absttl = args.slice(4).some((a) => upper(a) === 'ABSTTL');
      const at = expireOf(key);
      if (absttl || at === undefined) return asIs();
      return [[args[0], key, word(String(at)), ...args.slice(3), word('ABSTTL')]];
    }
    default:
      return asIs();
  }
}

function spop(call: CompletedCall): Argv[] {
  const key = call.args[1];
  const popped = decodeReply(call.reply);
  if (call.args.length === 2) return Buffer.isBuffer(popped) ? [[word('SREM'), key, popped]] : [];
  if (!Array.isArray(popped) || popped.length === 0) return [];
  // The whole set went: Redis logs one DEL rather than every member.
  if (!call.db.hasSlot(text(key))) return [[word('DEL'), key]];
  const out: Argv[] = [];
  for (const m of popped) if (Buffer.isBuffer(m)) out.push([word('SREM'), key, m]);
  return out;
}

/** LMPOP/BLMPOP/ZMPOP/BZMPOP: [key, [popped…]] → POP key count. `numkeysAt` is numkeys' index. */
function multiPop(call: CompletedCall, numkeysAt: number, command: (side: string) => string): Argv[] {
  const served = decodeReply(call.reply);
  if (!Array.isArray(served) || served.length !== 2) return [];
  const [k, items] = served;
  if (!Buffer.isBuffer(k) || !Array.isArray(items)) return [];
  const numkeys = Number(text(call.args[numkeysAt]));
  const side = upper(call.args[numkeysAt + 1 + numkeys]);
  return [[word(command(side)), k, word(String(items.length))]];
}

/** A decoded reply: bulk and simple strings as Buffers, aggregates as arrays, the rest null. */
export type DecodedReply = Buffer | null | DecodedReply[];

function firstBulk(reply: Buffer): Buffer | undefined {
  const v = decodeReply(reply);
  return Buffer.isBuffer(v) ? v : undefined;
}

/** Decodes the first reply in `buf` (RESP2 or RESP3); undefined when it is not well formed. */
export function decodeReply(buf: Buffer): DecodedReply | undefined {
  return decodeAt(buf, 0)?.value;
}

function decodeAt(buf: Buffer, pos: number): { value: DecodedReply; next: number } | undefined {
  const lineEnd = buf.indexOf('\r\n', pos, 'latin1');
  if (lineEnd < 0 || pos >= buf.length) return undefined;
  const type = buf[pos];
  const after = lineEnd + 2;
  const line = buf.toString('latin1', pos + 1, lineEnd);
  switch (type) {
    case 0x24: // $
    case 0x3d: {
      // =
      const n = Number(line);
      if (n < 0) return { value: null, next: after };
      if (buf.length < after + n + 2) return undefined;
      return { value: buf.subarray(after, after + n), next: after + n + 2 };
    }
    case 0x2a: // *
    case 0x7e: // ~
    case 0x3e: // >
    case 0x25: {
      // %
      const n = Number(line);
      if (n < 0) return { value: null, next: after };
      const count = type === 0x25 ? n * 2 : n;
      const items: DecodedReply[] = [];
      let at = after;
      for (let i = 0; i < count; i++) {
        const r = decodeAt(buf, at);
        if (r === undefined) return undefined;
        items.push(r.value);
        at = r.next;
      }
      return { value: items, next: at };
    }
    case 0x2b: // +
    case 0x2c: // , (a RESP3 double: its text)
      return { value: buf.subarray(pos + 1, lineEnd), next: after };
    default:
      return { value: null, next: after };
  }
}

/** Appends one command as a RESP array of bulk strings. */
export function encodeCommand(argv: readonly Buffer[]): Buffer {
  let size = 0;
  const heads: string[] = [];
  const top = `*${argv.length}\r\n`;
  size += top.length;
  for (const a of argv) {
    const h = `$${a.length}\r\n`;
    heads.push(h);
    size += h.length + a.length + 2;
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.write(top, 0, 'latin1');
  for (let i = 0; i < argv.length; i++) {
    at += out.write(heads[i], at, 'latin1');
    at += argv[i].copy(out, at);
    out[at++] = 13;
    out[at++] = 10;
  }
  return out;
}
