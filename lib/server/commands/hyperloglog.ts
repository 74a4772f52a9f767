/**
 * The HyperLogLog family (valkey src/hyperloglog.c): PFADD, PFCOUNT, PFMERGE and PFDEBUG.
 * Values are plain strings in Redis's HLL byte format (../datatypes/hyperloglog.ts), so TYPE
 * says string, GET returns the raw bytes, and a value can travel to and from Redis unchanged.
 */
import {
  cacheValid,
  createHll,
  decodeSparse,
  denseGet,
  denseSet,
  HLL_DENSE,
  HLL_REGISTERS,
  hllAdd,
  hllCount,
  hllMerge,
  invalidateCache,
  isValidHll,
  rawCount,
  readCache,
  sparseSet,
  sparseToDense,
  writeCache,
} from '../datatypes/hyperloglog';
import type { StoredValue } from '../keyspace/database';
import {
  asKey,
  type CommandContext,
  type CommandFlag,
  type CommandHandler,
  type CommandSpec,
  Errors,
  ReplyError,
  type AclCategory,
} from './command';
import { isWord, readLookup } from './string-support';

const NOT_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';
const INVALID_HLL = 'INVALIDOBJ Corrupted HLL object detected';
const DEFAULT_SPARSE_MAX_BYTES = 3000;

/** isHLLObjectOrReply: the value as a Buffer, or the exact error Redis replies. */
function hllOf(value: StoredValue): Buffer {
  if (typeof value !== 'string') throw new ReplyError(Errors.wrongType);
  if (!isValidHll(value)) throw new ReplyError(NOT_HLL);
  return Buffer.from(value, 'latin1');
}

function sparseMaxBytes(ctx: CommandContext): number {
  const text = ctx.server.config('hll-sparse-max-bytes');
  const n = text === undefined ? NaN : Number(text);
  return Number.isFinite(n) ? n : DEFAULT_SPARSE_MAX_BYTES;
}

/** Writes a changed HLL back; the key keeps its TTL, as Redis edits the string in place. */
function store(ctx: CommandContext, key: string, hll: Buffer): void {
  ctx.db.set(key, hll.toString('latin1'), true);
}

function pfaddCommand(ctx: CommandContext, args: Buffer[]): void {
  const key = asKey(args[1]);
  const existing = ctx.db.get(key);
  let hll: Buffer;
  let updated = 0;
  if (existing === undefined) {
    hll = createHll();
    updated++;
  } else {
    hll = hllOf(existing);
  }
  const maxBytes = sparseMaxBytes(ctx);
  for (let j = 2; j < args.length; j++) {
    const result = hllAdd(hll, args[j], maxBytes);
    hll = result.hll;
    if (result.code === -1) {
      // What was added before the corrupt part stays, as Redis edits the value in place.
      if (updated !== 0) store(ctx, key, hll);
      throw new ReplyError(INVALID_HLL);
    }
    if (result.code === 1) updated++;
  }
  if (updated !== 0) {
    invalidateCache(hll);
    store(ctx, key, hll);
  }
  ctx.reply.integer(updated !== 0 ? 1 : 0);
}

function pfcountCommand(ctx: CommandContext, args: Buffer[]): void {
  if (args.length > 2) {
    // Several keys: the union's estimate from merged registers; no cache is read or written.
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < args.length; j++) {
      const value = readLookup(ctx, asKey(args[j]));
      if (value === undefined) continue;
      if (!hllMerge(max, hllOf(value))) throw new ReplyError(INVALID_HLL);
    }
    ctx.reply.integer(rawCount(max));
    return;
  }
  const key = asKey(args[1]);
  const value = readLookup(ctx, key);
  if (value === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const hll = hllOf(value);
  if (cacheValid(hll)) {
    const card = readCache(hll);
    ctx.reply.integer(card <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(card) : card);
    return;
  }
  const card = hllCount(hll);
  if (card === undefined) throw new ReplyError(INVALID_HLL);
  writeCache(hll, card);
  store(ctx, key, hll);
  ctx.reply.integer(card);
}

function pfmergeCommand(ctx: CommandContext, args: Buffer[]): void {
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (let j = 1; j < args.length; j++) {
    const value = readLookup(ctx, asKey(args[j]));
    if (value === undefined) continue;
    const source = hllOf(value);
    if (source[4] === HLL_DENSE) useDense = true;
    if (!hllMerge(max, source)) throw new ReplyError(INVALID_HLL);
  }
  const key = asKey(args[1]);
  const existing = ctx.db.get(key);
  let hll = existing === undefined ? createHll() : Buffer.from(existing as string, 'latin1');
  if (useDense) {
    const dense = sparseToDense(hll);
    if (dense === undefined) throw new ReplyError(INVALID_HLL);
    hll = dense;
  }
  const maxBytes = sparseMaxBytes(ctx);
  for (let j = 0; j < HLL_REGISTERS; j++) {
    if (max[j] === 0) continue;
    if (hll[4] === HLL_DENSE) denseSet(hll, j, max[j]);
    else hll = sparseSet(hll, j, max[j], maxBytes).hll;
  }
  invalidateCache(hll);
  store(ctx, key, hll);
  ctx.reply.ok();
}

function pfdebugCommand(ctx: CommandContext, args: Buffer[]): void {
  const sub = asKey(args[1]);
  const key = asKey(args[2]);
  const value = ctx.db.get(key);
  if (value === undefined) throw new ReplyError('ERR The specified key does not exist');
  let hll = hllOf(value);
  if (isWord(args[1], 'getreg')) {
    if (hll[4] !== HLL_DENSE) {
      const dense = sparseToDense(hll);
      if (dense === undefined) throw new ReplyError(INVALID_HLL);
      hll = dense;
      store(ctx, key, hll);
    }
    ctx.reply.arrayHeader(HLL_REGISTERS);
    for (let j = 0; j < HLL_REGISTERS; j++) ctx.reply.integer(denseGet(hll, j));
  } else if (isWord(args[1], 'decode')) {
    if (hll[4] !== 1) throw new ReplyError('ERR HLL encoding is not sparse');
    ctx.reply.bulk(decodeSparse(hll));
  } else if (isWord(args[1], 'encoding')) {
    ctx.reply.simple(hll[4] === HLL_DENSE ? 'dense' : 'sparse');
  } else if (isWord(args[1], 'todense')) {
    let converted = false;
    if (hll[4] !== HLL_DENSE) {
      const dense = sparseToDense(hll);
      if (dense === undefined) throw new ReplyError(INVALID_HLL);
      store(ctx, key, dense);
      converted = true;
    }
    ctx.reply.integer(converted ? 1 : 0);
  } else {
    throw new ReplyError(`ERR Unknown PFDEBUG subcommand '${sub}'`);
  }
}

function hllCommand(
  name: string,
  arity: number,
  flags: CommandFlag[],
  acl: AclCategory[],
  keys: readonly [number, number, number],
  summary: string,
  complexity: string,
  handler: CommandHandler,
): CommandSpec {
  return {
    name,
    arity,
    flags,
    firstKey: keys[0],
    lastKey: keys[1],
    keyStep: keys[2],
    acl,
    group: 'hyperloglog',
    summary,
    since: '2.8.9',
    complexity,
    handler,
  };
}

export const hyperLogLogCommands: CommandSpec[] = [
  hllCommand('pfadd', -2, ['write', 'denyoom', 'fast'], ['write', 'hyperloglog', 'fast'], [1, 1, 1],
    "Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.", 'O(1) to add every element.', pfaddCommand),
  hllCommand('pfcount', -2, ['readonly', 'may_replicate'], ['read', 'hyperloglog', 'slow'], [1, -1, 1],
    'Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).',
    'O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.',
    pfcountCommand),
  hllCommand('pfmerge', -2, ['write', 'denyoom'], ['write', 'hyperloglog', 'slow'], [1, -1, 1],
    'Merges one or more HyperLogLog values into a single key.', 'O(N) to merge N HyperLogLogs, but with high constant times.',
    pfmergeCommand),
  hllCommand('pfdebug', 3, ['write', 'denyoom', 'admin'], ['write', 'hyperloglog', 'admin', 'slow', 'dangerous'], [2, 2, 1],
    'Internal commands for debugging HyperLogLog values.', 'N/A', pfdebugCommand),
];
