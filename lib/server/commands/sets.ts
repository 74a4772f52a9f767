/**
 * The set family (valkey src/t_set.c) over SetValue: intset, listpack or table, with Redis 7.2's
 * conversion rules. Replies follow the set's own order, which for an intset is ascending — the
 * order redis-server gives too.
 *
 * SADD and SPOP are benchmarked hot paths: one lookup and no temporaries for a single member.
 */
import { chooseDistinct, chooseInOrder, randomPosition } from '../datatypes/set-sampling';
import { type SetEncoding, type SetLimits, SetValue } from '../datatypes/set';
import { globMatch } from '../util/glob';
import { parseInt64 } from '../util/int64';
import { asKey, type CommandContext, type CommandSpec, Errors, type RawRequest, ReplyError } from './command';
import { parseScanOptions, replyEmptyScan, scanCursorArg } from './collection-scan';
import { ConfigDerived, ConfigNumber, signedCountArg } from './hashes';
import { collectionOrMissing, isWord, readCollection, writeCollection, requestKeySlot } from './string-support';

// ---- lookups -------------------------------------------------------------------------------------

const INTSET_ENTRIES = new ConfigNumber('set-max-intset-entries', 512);
const LISTPACK_ENTRIES = new ConfigNumber('set-max-listpack-entries', 128);
const LISTPACK_VALUE = new ConfigNumber('set-max-listpack-value', 64);
const LIMITS = new ConfigDerived<SetLimits>((ctx) => ({
  maxIntsetEntries: INTSET_ENTRIES.read(ctx),
  maxListpackEntries: LISTPACK_ENTRIES.read(ctx),
  maxListpackValue: LISTPACK_VALUE.read(ctx),
}));

function setLimits(ctx: CommandContext): SetLimits {
  return LIMITS.read(ctx);
}

/** A read lookup (counted in keyspace hits/misses): the set, undefined when missing, WRONGTYPE otherwise. */
function readSet(ctx: CommandContext, key: string): SetValue | undefined {
  return readCollection(ctx, key, SetValue);
}

function writeSet(ctx: CommandContext, key: string): SetValue | undefined {
  return writeCollection(ctx, key, SetValue);
}

/** After removing members: delete the key if the set is now empty, else tell WATCHers it changed. */
function afterRemoval(ctx: CommandContext, key: string, set: SetValue): void {
  if (!ctx.db.deleteIfEmpty(key, set)) ctx.db.markModified(key);
}

/** Stores a computed set at `dst` (…STORE commands): replaces whatever was there, TTL included. */
function storeResult(ctx: CommandContext, dst: string, result: SetValue): void {
  const size = result.size();
  if (size > 0) {
    ctx.db.set(dst, result);
  } else {
    ctx.db.delete(dst);
  }
  ctx.reply.integer(size);
}

// ---- add, remove, membership ---------------------------------------------------------------------

function saddCommand(ctx: CommandContext, args: Buffer[]): void {
  const key = asKey(args[1]);
  const existing = writeSet(ctx, key);
  const limits = setLimits(ctx);
  const n = args.length;
  let set: SetValue;
  if (existing === undefined) {
    set = SetValue.create(asKey(args[2]), n - 2, limits);
  } else {
    set = existing;
    set.maybeConvert(n - 2, limits);
  }
  let added = 0;
  for (let i = 2; i < n; i++) if (set.add(asKey(args[i]), limits)) added++;
  if (existing === undefined) ctx.db.set(key, set);
  else if (added > 0) ctx.db.markModified(key);
  ctx.reply.integer(added);
}

/**
 * SADD from the read buffer (CommandSpec.fast): an existing set is found from the key's bytes (and
 * marked modified through its slot), and a table finds each member from its bytes too, so only new members become strings. Creating the
 * set goes to the general handler.
 */
function saddFast(ctx: CommandContext, req: RawRequest, argc: number): void {
  const buf = req.scannedBuffer;
  const db = ctx.db;
  const slot = requestKeySlot(ctx, req);
  if (slot < 0) {
    saddCommand(ctx, req.views(argc));
    return;
  }
  const found = db.valueInSlot(slot);
  if (!(found instanceof SetValue)) throw new ReplyError(Errors.wrongType);
  const limits = setLimits(ctx);
  found.maybeConvert(argc - 2, limits);
  let added = 0;
  for (let i = 2; i < argc; i++) {
    const start = req.argOffset(i);
    if (found.addBytes(buf, start, start + req.argLength(i), limits)) added++;
  }
  // Adding members changes no other key, so the slot still holds this set.
  if (added > 0) db.markModifiedInSlot(slot);
  ctx.reply.integer(added);
}

function sremCommand(ctx: CommandContext, args: Buffer[]): void {
  const key = asKey(args[1]);
  const set = writeSet(ctx, key);
  if (set === undefined) {
    ctx.reply.integer(0);
    return;
  }
  let removed = 0;
  for (let i = 2; i < args.length; i++) {
    if (set.remove(asKey(args[i]))) {
      removed++;
      if (set.size() === 0) break;
    }
  }
  if (removed > 0) afterRemoval(ctx, key, set);
  ctx.reply.integer(removed);
}

function smoveCommand(ctx: CommandContext, args: Buffer[]): void {
  const srcKey = asKey(args[1]);
  const dstKey = asKey(args[2]);
  const rawSrc = ctx.db.get(srcKey);
  const rawDst = ctx.db.get(dstKey);
  if (rawSrc === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const src = collectionOrMissing(rawSrc, SetValue) as SetValue;
  const dst = collectionOrMissing(rawDst, SetValue);
  const member = asKey(args[3]);
  if (src === dst) {
    ctx.reply.integer(src.has(member) ? 1 : 0);
    return;
  }
  if (!src.remove(member)) {
    ctx.reply.integer(0);
    return;
  }
  afterRemoval(ctx, srcKey, src);
  const limits = setLimits(ctx);
  if (dst === undefined) {
    const created = SetValue.create(member, 1, limits);
    created.add(member, limits);
    ctx.db.set(dstKey, created);
  } else if (dst.add(member, limits)) {
    ctx.db.markModified(dstKey);
  }
  ctx.reply.integer(1);
}

function sismemberCommand(ctx: CommandContext, args: Buffer[]): void {
  const set = readSet(ctx, asKey(args[1]));
  ctx.reply.integer(set !== undefined && set.has(asKey(args[2])) ? 1 : 0);
}

/** SISMEMBER from the read buffer: neither the key nor (for a table) the member becomes a string. */
function sismemberFast(ctx: CommandContext, req: RawRequest): void {
  const buf = req.scannedBuffer;
  const keyStart = req.argOffset(1);
  const found = ctx.db.getBytes(buf, keyStart, keyStart + req.argLength(1));
  ctx.server.recordLookup(found !== undefined);
  if (found === undefined) {
    ctx.reply.integer(0);
    return;
  }
  if (!(found instanceof SetValue)) throw new ReplyError(Errors.wrongType);
  const start = req.argOffset(2);
  ctx.reply.integer(found.hasBytes(buf, start, start + req.argLength(2)) ? 1 : 0);
}

function smismemberCommand(ctx: CommandContext, args: Buffer[]): void {
  const set = readSet(ctx, asKey(args[1]));
  ctx.reply.arrayHeader(args.length - 2);
  for (let i = 2; i < args.length; i++) ctx.reply.integer(set !== undefined && set.has(asKey(args[i])) ? 1 : 0);
}

function scardCommand(ctx: CommandContext, args: Buffer[]): void {
  const set = readSet(ctx, asKey(args[1]));
  ctx.reply.integer(set === undefined ? 0 : set.size());
}

/** Writes a set reply (`~` in RESP3) of the given members. */
function replySet(ctx: CommandContext, members: readonly string[]): void {
  ctx.reply.setHeader(members.length);
  for (const m of members) ctx.reply.bulk(m);
}

// ---- SPOP / SRANDMEMBER --------------------------------------------------------------------------

/** SPOP_MOVE_STRATEGY_MUL: past this ratio, choose what stays rather than what goes. */
const MOVE_STRATEGY_MUL = 5;

function spopCommand(ctx: CommandContext, args: Buffer[]): void {
  if (args.length === 3) {
    spopWithCount(ctx, args);
    return;
  }
  if (args.length > 3) throw new ReplyError(Errors.syntax);
  const key = asKey(args[1]);
  const set = writeSet(ctx, key);
  if (set === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  ctx.reply.bulk(set.popRandom());
  afterRemoval(ctx, key, set);
}

/** SPOP without a count from the read buffer: the key is looked up from its bytes and marked modified through its slot. */
function spopFast(ctx: CommandContext, req: RawRequest, argc: number): void {
  if (argc !== 2) {
    spopCommand(ctx, req.views(argc));
    return;
  }
  const db = ctx.db;
  const slot = requestKeySlot(ctx, req);
  if (slot < 0) {
    ctx.reply.nullBulk();
    return;
  }
  const found = db.valueInSlot(slot);
  if (!(found instanceof SetValue)) throw new ReplyError(Errors.wrongType);
  ctx.reply.bulk(found.popRandom());
  if (found.size() === 0) db.delete(req.latin1(1));
  else db.markModifiedInSlot(slot);
}

const MUST_BE_POSITIVE = 'ERR value is out of range, must be positive';

/** getPositiveLongFromObjectOrReply without a message: every failure says "must be positive". */
function positiveCountArg(arg: Buffer, message: string): number {
  const v = parseInt64(arg);
  if (v === null || v < 0) throw new ReplyError(message);
  return typeof v === 'number' ? v : Number.MAX_SAFE_INTEGER;
}

function spopWithCount(ctx: CommandContext, args: Buffer[]): void {
  const count = positiveCountArg(args[2], MUST_BE_POSITIVE);
  const key = asKey(args[1]);
  const set = writeSet(ctx, key);
  if (set === undefined || count === 0) {
    ctx.reply.setHeader(0);
    return;
  }
  const size = set.size();
  // CASE 1: everything goes; the reply is the set, the key is deleted.
  if (count >= size) {
    replySet(ctx, set.members());
    ctx.db.delete(key);
    return;
  }
  const reply = ctx.reply;
  reply.setHeader(count);
  const remaining = size - count;
  const encoding = set.encoding();
  if (remaining * MOVE_STRATEGY_MUL > count) {
    // CASE 2: few go. A listpack is sampled in one pass (popped in listpack order); otherwise one
    // random member at a time.
    if (encoding === 'listpack') {
      const chosen = chooseInOrder(size, count);
      const popped: string[] = [];
      let i = 0;
      set.forEach((m) => {
        if (chosen[i++] === 1) popped.push(m);
      });
      for (const m of popped) {
        set.remove(m);
        reply.bulk(m);
      }
    } else {
      for (let i = 0; i < count; i++) reply.bulk(set.popRandom());
    }
    ctx.db.markModified(key);
    return;
  }
  // CASE 3: most go. Choose the few that stay into a new set; the rest is the reply.
  const limits = setLimits(ctx);
  const kept = new Uint8Array(size);
  const keptSet = SetValue.empty(encoding === 'intset' ? 'intset' : 'listpack');
  if (encoding === 'listpack') {
    const chosen = chooseInOrder(size, remaining);
    let i = 0;
    set.forEach((m) => {
      if (chosen[i] === 1) {
        kept[i] = 1;
        keptSet.add(m, limits);
      }
      i++;
    });
  } else {
    for (const p of chooseDistinct(size, remaining)) {
      kept[p] = 1;
      keptSet.add(set.at(p), limits);
    }
  }
  let i = 0;
  set.forEach((m) => {
    if (kept[i++] === 0) reply.bulk(m);
  });
  ctx.db.set(key, keptSet, true);
}

/** SRANDMEMBER_SUB_STRATEGY_MUL is not needed: chooseDistinct picks its own strategy. */
function srandmemberCommand(ctx: CommandContext, args: Buffer[]): void {
  if (args.length === 3) {
    srandmemberWithCount(ctx, args);
    return;
  }
  if (args.length > 3) throw new ReplyError(Errors.syntax);
  const set = readSet(ctx, asKey(args[1]));
  if (set === undefined) ctx.reply.nullBulk();
  else ctx.reply.bulk(set.randomMember());
}

function srandmemberWithCount(ctx: CommandContext, args: Buffer[]): void {
  const requested = signedCountArg(args[2]);
  const set = readSet(ctx, asKey(args[1]));
  const reply = ctx.reply;
  if (set === undefined || requested === 0) {
    reply.arrayHeader(0);
    return;
  }
  const unique = requested > 0;
  const count = unique ? requested : -requested;
  const size = set.size();
  // CASE 1: repeats allowed (or a single pick): independent draws.
  if (!unique || count === 1) {
    reply.arrayHeader(count);
    if (set.encoding() === 'listpack' && count > 1) {
      const members = set.members();
      for (let i = 0; i < count; i++) reply.bulk(members[randomPosition(size)]);
    } else {
      for (let i = 0; i < count; i++) reply.bulk(set.randomMember());
    }
    return;
  }
  // CASE 2: at least the whole set: all of it, in its order.
  if (count >= size) {
    reply.arrayHeader(size);
    set.forEach((m) => {
      reply.bulk(m);
    });
    return;
  }
  reply.arrayHeader(count);
  // CASE 2.5: a listpack is sampled in one pass, the chosen in listpack order.
  if (set.encoding() === 'listpack') {
    const chosen = chooseInOrder(size, count);
    let i = 0;
    set.forEach((m) => {
      if (chosen[i++] === 1) reply.bulk(m);
    });
    return;
  }
  // CASE 3 / 4: distinct random positions.
  for (const p of chooseDistinct(size, count)) reply.bulk(set.at(p));
}

// ---- intersection --------------------------------------------------------------------------------

/**
 * SINTER / SMEMBERS / SINTERSTORE / SINTERCARD (sinterGenericCommand): walks the smallest set and
 * keeps the members every other set has. `limit` (SINTERCARD) stops counting early; 0 = no limit.
 */
function sinterGeneric(
  ctx: CommandContext,
  keyArgs: readonly Buffer[],
  dst: string | undefined,
  cardinalityOnly: boolean,
  limit: number,
): void {
  const sets: SetValue[] = [];
  let missing = false;
  for (const arg of keyArgs) {
    const set = readSet(ctx, asKey(arg));
    if (set === undefined) missing = true;
    else sets.push(set);
  }
  if (missing) {
    if (dst !== undefined) {
      ctx.db.delete(dst);
      ctx.reply.integer(0);
    } else if (cardinalityOnly) {
      ctx.reply.integer(0);
    } else {
      ctx.reply.setHeader(0);
    }
    return;
  }
  sets.sort((a, b) => a.size() - b.size());
  const first = sets[0];
  const result: string[] = [];
  let cardinality = 0;
  first.forEach((m) => {
    for (let j = 1; j < sets.length; j++) {
      if (sets[j] !== first && !sets[j].has(m)) return true;
    }
    cardinality++;
    if (!cardinalityOnly) result.push(m);
    return !(cardinalityOnly && limit > 0 && cardinality >= limit);
  });
  if (cardinalityOnly) {
    ctx.reply.integer(cardinality);
  } else if (dst === undefined) {
    replySet(ctx, result);
  } else {
    const limits = setLimits(ctx);
    const out = SetValue.empty(first.encoding() === 'intset' ? 'intset' : 'listpack');
    let onlyIntegers = true;
    for (const m of result) {
      out.add(m, limits);
      if (onlyIntegers && parseInt64(m) === null) onlyIntegers = false;
    }
    if (onlyIntegers && result.length > 0) out.toIntsetIfSmall(limits);
    storeResult(ctx, dst, out);
  }
}

function sintercardCommand(ctx: CommandContext, args: Buffer[]): void {
  const numkeys = parseInt64(args[1]);
  if (numkeys === null || numkeys < 1) throw new ReplyError('ERR numkeys should be greater than 0');
  if (numkeys > args.length - 2) throw new ReplyError("ERR Number of keys can't be greater than number of args");
  const n = Number(numkeys);
  let limit = 0;
  for (let j = 2 + n; j < args.length; j++) {
    if (isWord(args[j], 'limit') && j < args.length - 1) {
      limit = positiveCountArg(args[++j], "ERR LIMIT can't be negative");
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  sinterGeneric(ctx, args.slice(2, 2 + n), undefined, true, limit);
}

// ---- union and difference ------------------------------------------------------------------------

/**
 * SUNION / SDIFF and their STORE forms (sunionDiffGenericCommand). The result is built as Redis
 * builds it — starting as an intset and converting as members arrive — so a stored result has
 * Redis's encoding, and an all-intset result replies in ascending order as Redis's does.
 */
function sunionDiffGeneric(ctx: CommandContext, keyArgs: readonly Buffer[], dst: string | undefined, diff: boolean): void {
  const sets: Array<SetValue | undefined> = [];
  let startAs: SetEncoding = 'intset';
  let sameSet = false;
  for (const arg of keyArgs) {
    const set = readSet(ctx, asKey(arg));
    if (dst === undefined && set !== undefined && set.encoding() !== 'intset') startAs = 'hashtable';
    if (set !== undefined && sets.length > 0 && set === sets[0]) sameSet = true;
    sets.push(set);
  }
  const limits = setLimits(ctx);
  const out = SetValue.empty(startAs);
  const first = sets[0];
  if (!diff) {
    for (const set of sets) {
      set?.forEach((m) => {
        out.add(m, limits);
      });
    }
  } else if (first !== undefined && !sameSet) {
    // Algorithm 1 (walk the first set, probe the others) unless summing every set is cheaper.
    let workOne = 0;
    let workTwo = 0;
    for (const set of sets) {
      if (set === undefined) continue;
      workOne += first.size();
      workTwo += set.size();
    }
    const others = sets.slice(1).filter((s): s is SetValue => s !== undefined);
    if (Math.floor(workOne / 2) <= workTwo) {
      others.sort((a, b) => b.size() - a.size());
      first.forEach((m) => {
        for (const other of others) if (other.has(m)) return;
        out.add(m, limits);
      });
    } else {
      first.forEach((m) => {
        out.add(m, limits);
      });
      for (const other of others) {
        other.forEach((m) => {
          out.remove(m);
        });
        if (out.size() === 0) break;
      }
    }
  }
  if (dst === undefined) replySet(ctx, out.members());
  else storeResult(ctx, dst, out);
}

// ---- SSCAN ---------------------------------------------------------------------------------------

function sscanCommand(ctx: CommandContext, args: Buffer[]): void {
  const cursor = scanCursorArg(args[2]);
  const set = readSet(ctx, asKey(args[1]));
  if (set === undefined) {
    replyEmptyScan(ctx);
    return;
  }
  const { count, pattern } = parseScanOptions(args, 'set');
  const out: string[] = [];
  const next = set.scan(cursor, count, (m) => {
    if (pattern === undefined || globMatch(pattern, m)) out.push(m);
  });
  ctx.reply.arrayHeader(2);
  ctx.reply.bulk(String(next));
  ctx.reply.arrayHeader(out.length);
  for (const m of out) ctx.reply.bulk(m);
}

// ---- the table -----------------------------------------------------------------------------------

function setCommand(
  name: string,
  arity: number,
  flags: CommandSpec['flags'],
  keys: readonly [number, number, number],
  since: string,
  summary: string,
  complexity: string,
  handler: CommandSpec['handler'],
  fast?: CommandSpec['fast'],
): CommandSpec {
  return {
    name,
    arity,
    flags,
    firstKey: keys[0],
    lastKey: keys[1],
    keyStep: keys[2],
    acl: [flags.includes('write') ? 'write' : 'read', 'set', flags.includes('fast') ? 'fast' : 'slow'],
    group: 'set',
    summary,
    since,
    complexity,
    handler,
    fast,
  };
}

const ONE_KEY = [1, 1, 1] as const;
const ALL_KEYS = [1, -1, 1] as const;
/** SINTERCARD's keys follow numkeys: no fixed range (COMMAND shows 0 0 0 and movablekeys). */
const NUMKEYS = [0, 0, 0] as const;
const INTER_COMPLEXITY = 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.';
const TOTAL_COMPLEXITY = 'O(N) where N is the total number of elements in all given sets.';

export const setCommands: CommandSpec[] = [
  setCommand('sadd', -3, ['write', 'denyoom', 'fast'], ONE_KEY, '1.0.0',
    "Adds one or more members to a set. Creates the key if it doesn't exist.",
    'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    saddCommand, saddFast),
  setCommand('srem', -3, ['write', 'fast'], ONE_KEY, '1.0.0',
    'Removes one or more members from a set. Deletes the set if the last member was removed.',
    'O(N) where N is the number of members to be removed.', sremCommand),
  setCommand('smove', 4, ['write', 'fast'], [1, 2, 1], '1.0.0', 'Moves a member from one set to another.', 'O(1)',
    smoveCommand),
  setCommand('sismember', 3, ['readonly', 'fast'], ONE_KEY, '1.0.0', 'Determines whether a member belongs to a set.',
    'O(1)', sismemberCommand, sismemberFast),
  setCommand('smismember', -3, ['readonly', 'fast'], ONE_KEY, '6.2.0',
    'Determines whether multiple members belong to a set.',
    'O(N) where N is the number of elements being checked for membership', smismemberCommand),
  setCommand('scard', 2, ['readonly', 'fast'], ONE_KEY, '1.0.0', 'Returns the number of members in a set.', 'O(1)',
    scardCommand),
  setCommand('smembers', 2, ['readonly'], ONE_KEY, '1.0.0', 'Returns all members of a set.',
    'O(N) where N is the set cardinality.', (ctx, args) => sinterGeneric(ctx, args.slice(1, 2), undefined, false, 0)),
  setCommand('spop', -2, ['write', 'fast'], ONE_KEY, '1.0.0',
    'Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.',
    'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.', spopCommand, spopFast),
  setCommand('srandmember', -2, ['readonly'], ONE_KEY, '1.0.0', 'Get one or multiple random members from a set',
    'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
    srandmemberCommand),
  setCommand('sinter', -2, ['readonly'], ALL_KEYS, '1.0.0', 'Returns the intersect of multiple sets.', INTER_COMPLEXITY,
    (ctx, args) => sinterGeneric(ctx, args.slice(1), undefined, false, 0)),
  setCommand('sintercard', -3, ['readonly', 'movablekeys'], NUMKEYS, '7.0.0',
    'Returns the number of members of the intersect of multiple sets.', INTER_COMPLEXITY, sintercardCommand),
  setCommand('sinterstore', -3, ['write', 'denyoom'], ALL_KEYS, '1.0.0', 'Stores the intersect of multiple sets in a key.',
    INTER_COMPLEXITY, (ctx, args) => sinterGeneric(ctx, args.slice(2), asKey(args[1]), false, 0)),
  setCommand('sunion', -2, ['readonly'], ALL_KEYS, '1.0.0', 'Returns the union of multiple sets.', TOTAL_COMPLEXITY,
    (ctx, args) => sunionDiffGeneric(ctx, args.slice(1), undefined, false)),
  setCommand('sunionstore', -3, ['write', 'denyoom'], ALL_KEYS, '1.0.0', 'Stores the union of multiple sets in a key.',
    TOTAL_COMPLEXITY, (ctx, args) => sunionDiffGeneric(ctx, args.slice(2), asKey(args[1]), false)),
  setCommand('sdiff', -2, ['readonly'], ALL_KEYS, '1.0.0', 'Returns the difference of multiple sets.', TOTAL_COMPLEXITY,
    (ctx, args) => sunionDiffGeneric(ctx, args.slice(1), undefined, true)),
  setCommand('sdiffstore', -3, ['write', 'denyoom'], ALL_KEYS, '1.0.0', 'Stores the difference of multiple sets in a key.',
    TOTAL_COMPLEXITY, (ctx, args) => sunionDiffGeneric(ctx, args.slice(2), asKey(args[1]), true)),
  setCommand('sscan', -3, ['readonly'], ONE_KEY, '2.8.0', 'Iterates over members of a set.',
    'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    sscanCommand),
];
