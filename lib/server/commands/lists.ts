/**
 * The list family (valkey src/t_list.c): pushes and pops at both ends, access by index and
 * range, LINSERT/LREM/LPOS, moves between lists, and the blocking pops, which wait through
 * blocking.ts when every key they name is empty.
 */
import { blockForKeys, blockingTimeoutArg } from '../blocking';
import { DEFAULT_LIST_FILL, ListValue } from '../datatypes/list';
import type { StoredValue } from '../keyspace/database';
import {
  type AclCategory,
  asKey,
  type CommandContext,
  type CommandFlag,
  type CommandHandler,
  type CommandSpec,
  Errors,
  type FastHandler,
  type RawRequest,
  ReplyError,
} from './command';
import { ConfigDerived } from './hashes';
import { collectionOrMissing, int64Arg, isWord, longArg, readCollection, writeCollection, requestKeySlot } from './string-support';

const LONG_MAX = 9223372036854775807;
const LONG_MAX_BIG = 9223372036854775807n;

// ---- shared helpers ----------------------------------------------------------------------------

/** list-max-listpack-size as configured (derived once per config change; a non-integer reads as the default). */
const FILL = new ConfigDerived<number>((ctx) => {
  const text = ctx.server.config('list-max-listpack-size');
  const n = text === undefined ? NaN : Number(text);
  return Number.isInteger(n) ? n : DEFAULT_LIST_FILL;
});

/** list-max-listpack-size as configured. */
export function listFill(ctx: CommandContext): number {
  return FILL.read(ctx);
}

/** The list stored at a key, undefined when missing; WRONGTYPE for any other type. */
export function asList(value: StoredValue | undefined): ListValue | undefined {
  return collectionOrMissing(value, ListValue);
}

/** A list for writing (no hit/miss statistics, as lookupKeyWrite). */
function writeList(ctx: CommandContext, key: string): ListValue | undefined {
  return writeCollection(ctx, key, ListValue);
}

/** A list for reading (counted in keyspace_hits/misses, as lookupKeyRead). */
function readList(ctx: CommandContext, key: string): ListValue | undefined {
  return readCollection(ctx, key, ListValue);
}

/** getLongFromObjectOrReply with an optional custom message for a non-integer. */
function longOrReply(arg: Buffer, message?: string): number {
  return longArg(arg, message === undefined ? Errors.notInteger : `ERR ${message}`);
}

/** getRangeLongFromObjectOrReply (min and max are 0, 1 or ±LONG_MAX). */
function rangeLong(arg: Buffer, min: number, max: number, message?: string): number {
  const raw = int64Arg(arg, message === undefined ? Errors.notInteger : `ERR ${message}`);
  // Beyond 2^53 only the sign matters to callers; -2^63 is below -LONG_MAX.
  const outside = typeof raw === 'bigint' ? raw < -LONG_MAX_BIG || (min >= 0 && raw < 0n) : raw < min || raw > max;
  if (outside) {
    throw new ReplyError(message !== undefined ? `ERR ${message}` : `ERR value is out of range, value must between ${rangeText(min)} and ${rangeText(max)}`);
  }
  if (typeof raw === 'bigint') return raw > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
  return raw;
}

function rangeText(n: number): string {
  if (n === LONG_MAX) return '9223372036854775807';
  if (n === -LONG_MAX) return '-9223372036854775807';
  return String(n);
}

/** getPositiveLongFromObjectOrReply. */
function positiveLong(arg: Buffer, message = 'value is out of range, must be positive'): number {
  return rangeLong(arg, 0, LONG_MAX, message);
}

/** LEFT | RIGHT → true for the head. */
function positionArg(arg: Buffer): boolean {
  if (isWord(arg, 'left')) return true;
  if (isWord(arg, 'right')) return false;
  throw new ReplyError(Errors.syntax);
}

/** After elements were removed: delete the emptied key, or maybe convert back to a listpack. */
function elementsRemoved(ctx: CommandContext, key: string, list: ListValue): void {
  if (list.length === 0) {
    ctx.db.delete(key);
  } else {
    list.shrinking(listFill(ctx));
    ctx.db.markModified(key);
  }
}

/** Replies with elements [start, end] (already clamped and non-empty), reversed when asked. */
function replyRange(ctx: CommandContext, list: ListValue, start: number, end: number, reverse: boolean): void {
  const reply = ctx.reply;
  reply.arrayHeader(end - start + 1);
  list.walk(reverse ? end : start, end - start + 1, reverse, (v) => {
    reply.bulk(v);
  });
}

/** addListRangeReply: LRANGE's index arithmetic. */
function replyListRange(ctx: CommandContext, list: ListValue, from: number, to: number, reverse: boolean): void {
  const llen = list.length;
  let start = from < 0 ? llen + from : from;
  let end = to < 0 ? llen + to : to;
  if (start < 0) start = 0;
  if (start > end || start >= llen) {
    ctx.reply.arrayHeader(0);
    return;
  }
  if (end >= llen) end = llen - 1;
  replyRange(ctx, list, start, end, reverse);
}

/** Pops up to `count` elements from one end, replying with them as an array. */
function popRange(ctx: CommandContext, key: string, list: ListValue, head: boolean, count: number): void {
  const n = Math.min(count, list.length);
  const reply = ctx.reply;
  reply.arrayHeader(n);
  for (let i = 0; i < n; i++) reply.bulk((head ? list.popHead() : list.popTail()) as string);
  elementsRemoved(ctx, key, list);
}

/** listPopRangeAndReplyWithKey: [key, [elements…]]. */
function popRangeWithKey(ctx: CommandContext, key: string, list: ListValue, head: boolean, count: number): void {
  ctx.reply.arrayHeader(2);
  ctx.reply.bulk(key);
  popRange(ctx, key, list, head, count);
}

// ---- push --------------------------------------------------------------------------------------

function pushGeneric(ctx: CommandContext, args: Buffer[], head: boolean, onlyIfExists: boolean): void {
  const key = asKey(args[1]);
  const db = ctx.db;
  let list = writeList(ctx, key);
  let created = false;
  if (list === undefined) {
    if (onlyIfExists) {
      ctx.reply.integer(0);
      return;
    }
    list = ListValue.create(listFill(ctx));
    created = true;
  }
  let bytes = 0;
  for (let j = 2; j < args.length; j++) bytes += args[j].length;
  list.growing(bytes, args.length - 2, listFill(ctx));
  for (let j = 2; j < args.length; j++) {
    const value = asKey(args[j]);
    if (head) list.pushHead(value);
    else list.pushTail(value);
  }
  if (created) db.set(key, list);
  else db.markModified(key);
  ctx.reply.integer(list.length);
}

/** Pushes one value onto a (maybe new) destination list: lmoveHandlePush. */
function pushTo(ctx: CommandContext, key: string, list: ListValue | undefined, value: string, head: boolean): void {
  let target = list;
  const created = target === undefined;
  if (target === undefined) target = ListValue.create(listFill(ctx));
  target.growing(value.length, 1, listFill(ctx));
  if (head) target.pushHead(value);
  else target.pushTail(value);
  if (created) ctx.db.set(key, target);
  else ctx.db.markModified(key);
}

// ---- pop ---------------------------------------------------------------------------------------

function popGeneric(ctx: CommandContext, args: Buffer[], head: boolean, name: string): void {
  if (args.length > 3) throw new ReplyError(Errors.wrongArity(name));
  const hasCount = args.length === 3;
  const count = hasCount ? positiveLong(args[2]) : 0;
  const key = asKey(args[1]);
  const list = writeList(ctx, key);
  if (list === undefined) {
    if (hasCount) ctx.reply.nullArray();
    else ctx.reply.nullBulk();
    return;
  }
  if (hasCount && count === 0) {
    ctx.reply.arrayHeader(0);
    return;
  }
  if (!hasCount) {
    ctx.reply.bulk((head ? list.popHead() : list.popTail()) as string);
    elementsRemoved(ctx, key, list);
    return;
  }
  popRange(ctx, key, list, head, count);
}

// ---- the fast path -----------------------------------------------------------------------------
// LPUSH/RPUSH/LPOP/RPOP straight from the read buffer (CommandSpec.fast): the list is found from
// the key's bytes and marked modified through its slot (Database.liveSlotBytes/markModifiedInSlot),
// so an existing list costs no key string and no Buffer per argument. A missing key (LPUSH creates
// it) and LPOP's COUNT form take the general handlers; everything they do is the same.

function pushFast(ctx: CommandContext, req: RawRequest, argc: number, head: boolean): void {
  const db = ctx.db;
  const slot = requestKeySlot(ctx, req);
  const list = slot < 0 ? undefined : asList(db.valueInSlot(slot));
  if (list === undefined) {
    pushGeneric(ctx, req.views(argc), head, false);
    return;
  }
  if (list.isPacked) {
    let bytes = 0;
    for (let j = 2; j < argc; j++) bytes += req.argLength(j);
    list.growing(bytes, argc - 2, listFill(ctx));
  }
  for (let j = 2; j < argc; j++) {
    const start = req.argOffset(j);
    list.pushBytes(head, req.scannedBuffer, start, start + req.argLength(j));
  }
  db.markModifiedInSlot(slot);
  ctx.reply.integer(list.length);
}

function popFast(ctx: CommandContext, req: RawRequest, argc: number, head: boolean, name: string): void {
  if (argc !== 2) {
    popGeneric(ctx, req.views(argc), head, name);
    return;
  }
  const db = ctx.db;
  const slot = requestKeySlot(ctx, req);
  const list = slot < 0 ? undefined : asList(db.valueInSlot(slot));
  if (list === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  ctx.reply.bulk((head ? list.popHead() : list.popTail()) as string);
  if (list.length === 0) {
    db.delete(req.latin1(1));
  } else {
    if (list.mayShrink) list.shrinking(listFill(ctx));
    db.markModifiedInSlot(slot);
  }
}

/** A spec with its fast handler. */
function withFast(spec: CommandSpec, fast: FastHandler): CommandSpec {
  return { ...spec, fast };
}

// ---- by index and range ------------------------------------------------------------------------

function llen(ctx: CommandContext, args: Buffer[]): void {
  const list = readList(ctx, asKey(args[1]));
  ctx.reply.integer(list === undefined ? 0 : list.length);
}

function lindex(ctx: CommandContext, args: Buffer[]): void {
  const list = readList(ctx, asKey(args[1]));
  if (list === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  const value = list.get(longOrReply(args[2]));
  if (value === undefined) ctx.reply.nullBulk();
  else ctx.reply.bulk(value);
}

function lset(ctx: CommandContext, args: Buffer[]): void {
  const key = asKey(args[1]);
  const list = writeList(ctx, key);
  if (list === undefined) throw new ReplyError(Errors.noSuchKey);
  const index = longOrReply(args[2]);
  const value = args[3].toString('latin1');
  list.growing(value.length, 1, listFill(ctx));
  if (!list.set(index, value)) throw new ReplyError(Errors.outOfRangeIndex);
  list.shrinking(listFill(ctx));
  ctx.db.markModified(key);
  ctx.reply.ok();
}

function lrange(ctx: CommandContext, args: Buffer[]): void {
  const start = longOrReply(args[2]);
  const end = longOrReply(args[3]);
  const list = readList(ctx, asKey(args[1]));
  if (list === undefined) {
    ctx.reply.arrayHeader(0);
    return;
  }
  replyListRange(ctx, list, start, end, false);
}

function ltrim(ctx: CommandContext, args: Buffer[]): void {
  let start = longOrReply(args[2]);
  let end = longOrReply(args[3]);
  const key = asKey(args[1]);
  const list = writeList(ctx, key);
  if (list === undefined) {
    ctx.reply.ok();
    return;
  }
  const llen = list.length;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  let left: number;
  let right: number;
  if (start > end || start >= llen) {
    left = llen;
    right = 0;
  } else {
    if (end >= llen) end = llen - 1;
    left = start;
    right = llen - end - 1;
  }
  list.deleteRange(0, left);
  list.deleteRange(list.length - right, right);
  if (list.length === 0) {
    ctx.db.delete(key);
  } else {
    list.shrinking(listFill(ctx));
    ctx.db.markModified(key);
  }
  ctx.reply.ok();
}

function lrem(ctx: CommandContext, args: Buffer[]): void {
  const toRemove = rangeLong(args[2], -LONG_MAX, LONG_MAX);
  const key = asKey(args[1]);
  const list = writeList(ctx, key);
  if (list === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const removed = list.remove(args[3].toString('latin1'), Math.abs(toRemove), toRemove < 0);
  if (removed > 0) elementsRemoved(ctx, key, list);
  ctx.reply.integer(removed);
}

function linsert(ctx: CommandContext, args: Buffer[]): void {
  let after: boolean;
  if (isWord(args[2], 'after')) after = true;
  else if (isWord(args[2], 'before')) after = false;
  else throw new ReplyError(Errors.syntax);
  const key = asKey(args[1]);
  const list = writeList(ctx, key);
  if (list === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const value = args[4].toString('latin1');
  list.growing(value.length, 1, listFill(ctx));
  if (!list.insert(args[3].toString('latin1'), value, after)) {
    ctx.reply.integer(-1);
    return;
  }
  ctx.db.markModified(key);
  ctx.reply.integer(list.length);
}

const RANK_ZERO =
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";

function lpos(ctx: CommandContext, args: Buffer[]): void {
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < args.length; j++) {
    const more = args.length - 1 - j;
    if (isWord(args[j], 'rank') && more > 0) {
      rank = rangeLong(args[++j], -LONG_MAX, LONG_MAX);
      if (rank === 0) throw new ReplyError(RANK_ZERO);
    } else if (isWord(args[j], 'count') && more > 0) {
      count = positiveLong(args[++j], "COUNT can't be negative");
    } else if (isWord(args[j], 'maxlen') && more > 0) {
      maxlen = positiveLong(args[++j], "MAXLEN can't be negative");
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  const fromTail = rank < 0;
  if (fromTail) rank = -rank;
  const list = readList(ctx, asKey(args[1]));
  if (list === undefined) {
    if (count !== -1) ctx.reply.arrayHeader(0);
    else ctx.reply.nullBulk();
    return;
  }
  const element = args[2].toString('latin1');
  const llen = list.length;
  const found: number[] = [];
  let matches = 0;
  let scanned = 0;
  list.walk(fromTail ? llen - 1 : 0, llen, fromTail, (v, index) => {
    if (maxlen !== 0 && scanned >= maxlen) return false;
    scanned++;
    if (v === element) {
      matches++;
      if (matches >= rank) {
        found.push(index);
        if (count === -1) return false;
        if (count !== 0 && matches - rank + 1 >= count) return false;
      }
    }
    return true;
  });
  if (count !== -1) {
    ctx.reply.arrayHeader(found.length);
    for (const i of found) ctx.reply.integer(i);
  } else if (found.length > 0) {
    ctx.reply.integer(found[0]);
  } else {
    ctx.reply.nullBulk();
  }
}

// ---- moves -------------------------------------------------------------------------------------

/** lmoveGenericCommand: pop from the source end, push onto the destination end, reply with it. */
function moveGeneric(ctx: CommandContext, args: Buffer[], fromHead: boolean, toHead: boolean): void {
  const source = asKey(args[1]);
  const destination = asKey(args[2]);
  const list = writeList(ctx, source);
  if (list === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  const target = writeList(ctx, destination);
  const value = (fromHead ? list.popHead() : list.popTail()) as string;
  pushTo(ctx, destination, target, value, toHead);
  ctx.reply.bulk(value);
  elementsRemoved(ctx, source, list);
}

function lmove(ctx: CommandContext, args: Buffer[]): void {
  const fromHead = positionArg(args[3]);
  const toHead = positionArg(args[4]);
  moveGeneric(ctx, args, fromHead, toHead);
}

function rpoplpush(ctx: CommandContext, args: Buffer[]): void {
  moveGeneric(ctx, args, false, true);
}

function blmoveGeneric(ctx: CommandContext, args: Buffer[], fromHead: boolean, toHead: boolean, deadline: number): void {
  const source = asKey(args[1]);
  if (writeList(ctx, source) !== undefined) {
    moveGeneric(ctx, args, fromHead, toHead);
    return;
  }
  if (blockForKeys(ctx, [source], deadline, 'list')) return;
  ctx.reply.nullBulk();
}

function blmove(ctx: CommandContext, args: Buffer[]): void {
  const fromHead = positionArg(args[3]);
  const toHead = positionArg(args[4]);
  const deadline = blockingTimeoutArg(ctx, args[5]);
  blmoveGeneric(ctx, args, fromHead, toHead, deadline);
}

function brpoplpush(ctx: CommandContext, args: Buffer[]): void {
  const deadline = blockingTimeoutArg(ctx, args[3]);
  blmoveGeneric(ctx, args, false, true, deadline);
}

// ---- multi-key pops ----------------------------------------------------------------------------

/**
 * blockingPopGenericCommand: pops from the first non-empty key; `count` -1 replies [key, value],
 * otherwise [key, [values…]]. Blocks when every key is empty.
 */
function blockingPop(ctx: CommandContext, keys: string[], head: boolean, timeoutArg: Buffer, count: number): void {
  const deadline = blockingTimeoutArg(ctx, timeoutArg);
  for (const key of keys) {
    const list = writeList(ctx, key);
    if (list === undefined || list.length === 0) continue;
    if (count !== -1) {
      popRangeWithKey(ctx, key, list, head, count);
      return;
    }
    const value = (head ? list.popHead() : list.popTail()) as string;
    ctx.reply.arrayHeader(2);
    ctx.reply.bulk(key);
    ctx.reply.bulk(value);
    elementsRemoved(ctx, key, list);
    return;
  }
  if (blockForKeys(ctx, keys, deadline, 'list')) return;
  ctx.reply.nullArray();
}

function bpop(ctx: CommandContext, args: Buffer[], head: boolean): void {
  const keys: string[] = [];
  for (let j = 1; j < args.length - 1; j++) keys.push(asKey(args[j]));
  blockingPop(ctx, keys, head, args[args.length - 1], -1);
}

/** LMPOP / BLMPOP: numkeys key… LEFT|RIGHT [COUNT n]. */
function mpopGeneric(ctx: CommandContext, args: Buffer[], numkeysIndex: number, blocking: boolean): void {
  const numkeys = rangeLong(args[numkeysIndex], 1, LONG_MAX, 'numkeys should be greater than 0');
  const whereIndex = numkeysIndex + numkeys + 1;
  if (whereIndex >= args.length) throw new ReplyError(Errors.syntax);
  const head = positionArg(args[whereIndex]);
  let count = -1;
  for (let j = whereIndex + 1; j < args.length; j++) {
    const more = args.length - 1 - j;
    if (count === -1 && isWord(args[j], 'count') && more > 0) {
      count = rangeLong(args[++j], 1, LONG_MAX, 'count should be greater than 0');
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  if (count === -1) count = 1;
  const keys: string[] = [];
  for (let j = numkeysIndex + 1; j < whereIndex; j++) keys.push(asKey(args[j]));
  if (blocking) {
    blockingPop(ctx, keys, head, args[1], count);
    return;
  }
  for (const key of keys) {
    const list = writeList(ctx, key);
    if (list === undefined || list.length === 0) continue;
    popRangeWithKey(ctx, key, list, head, count);
    return;
  }
  ctx.reply.nullArray();
}

// ---- the table ---------------------------------------------------------------------------------

function listCommand(
  name: string,
  arity: number,
  flags: CommandFlag[],
  keys: [number, number, number],
  acl: AclCategory[],
  since: string,
  summary: string,
  complexity: string,
  handler: CommandHandler,
): CommandSpec {
  return { name, arity, flags, firstKey: keys[0], lastKey: keys[1], keyStep: keys[2], acl, group: 'list', since, summary, complexity, handler };
}

const ONE: [number, number, number] = [1, 1, 1];
const TWO: [number, number, number] = [1, 2, 1];
const NONE: [number, number, number] = [0, 0, 0];
const PUSH_COMPLEXITY = 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.';
const POP_COMPLEXITY = 'O(N) where N is the number of elements returned';

export const listCommands: CommandSpec[] = [
  withFast(
    listCommand('lpush', -3, ['write', 'denyoom', 'fast'], ONE, ['write', 'list', 'fast'], '1.0.0',
      "Prepends one or more elements to a list. Creates the key if it doesn't exist.", PUSH_COMPLEXITY,
      (ctx, args) => pushGeneric(ctx, args, true, false)),
    (ctx, req, argc) => pushFast(ctx, req, argc, true),
  ),
  withFast(
    listCommand('rpush', -3, ['write', 'denyoom', 'fast'], ONE, ['write', 'list', 'fast'], '1.0.0',
      "Appends one or more elements to a list. Creates the key if it doesn't exist.", PUSH_COMPLEXITY,
      (ctx, args) => pushGeneric(ctx, args, false, false)),
    (ctx, req, argc) => pushFast(ctx, req, argc, false),
  ),
  listCommand('lpushx', -3, ['write', 'denyoom', 'fast'], ONE, ['write', 'list', 'fast'], '2.2.0',
    'Prepends one or more elements to a list only when the list exists.', PUSH_COMPLEXITY,
    (ctx, args) => pushGeneric(ctx, args, true, true)),
  listCommand('rpushx', -3, ['write', 'denyoom', 'fast'], ONE, ['write', 'list', 'fast'], '2.2.0',
    'Appends an element to a list only when the list exists.', PUSH_COMPLEXITY,
    (ctx, args) => pushGeneric(ctx, args, false, true)),
  withFast(
    listCommand('lpop', -2, ['write', 'fast'], ONE, ['write', 'list', 'fast'], '1.0.0',
      'Returns the first elements in a list after removing it. Deletes the list if the last element was popped.', POP_COMPLEXITY,
      (ctx, args) => popGeneric(ctx, args, true, 'lpop')),
    (ctx, req, argc) => popFast(ctx, req, argc, true, 'lpop'),
  ),
  withFast(
    listCommand('rpop', -2, ['write', 'fast'], ONE, ['write', 'list', 'fast'], '1.0.0',
      'Returns and removes the last elements of a list. Deletes the list if the last element was popped.', POP_COMPLEXITY,
      (ctx, args) => popGeneric(ctx, args, false, 'rpop')),
    (ctx, req, argc) => popFast(ctx, req, argc, false, 'rpop'),
  ),
  listCommand('llen', 2, ['readonly', 'fast'], ONE, ['read', 'list', 'fast'], '1.0.0', 'Returns the length of a list.', 'O(1)', llen),
  listCommand('lindex', 3, ['readonly'], ONE, ['read', 'list', 'slow'], '1.0.0', 'Returns an element from a list by its index.',
    'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).', lindex),
  listCommand('lset', 4, ['write', 'denyoom'], ONE, ['write', 'list', 'slow'], '1.0.0', 'Sets the value of an element in a list by its index.',
    'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).', lset),
  listCommand('lrange', 4, ['readonly'], ONE, ['read', 'list', 'slow'], '1.0.0', 'Returns a range of elements from a list.',
    'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.', lrange),
  listCommand('ltrim', 4, ['write'], ONE, ['write', 'list', 'slow'], '1.0.0', 'Removes elements from both ends a list. Deletes the list if all elements were trimmed.',
    'O(N) where N is the number of elements to be removed by the operation.', ltrim),
  listCommand('lrem', 4, ['write'], ONE, ['write', 'list', 'slow'], '1.0.0', 'Removes elements from a list. Deletes the list if the last element was removed.',
    'O(N+M) where N is the length of the list and M is the number of elements removed.', lrem),
  listCommand('linsert', 5, ['write', 'denyoom'], ONE, ['write', 'list', 'slow'], '2.2.0', 'Inserts an element before or after another element in a list.',
    'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).', linsert),
  listCommand('lpos', -3, ['readonly'], ONE, ['read', 'list', 'slow'], '6.0.6', 'Returns the index of matching elements in a list.',
    'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.', lpos),
  listCommand('lmove', 5, ['write', 'denyoom'], TWO, ['write', 'list', 'slow'], '6.2.0',
    'Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.', 'O(1)', lmove),
  listCommand('rpoplpush', 3, ['write', 'denyoom'], TWO, ['write', 'list', 'slow'], '1.2.0',
    'Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.', 'O(1)', rpoplpush),
  listCommand('lmpop', -4, ['write', 'movablekeys'], NONE, ['write', 'list', 'slow'], '7.0.0',
    'Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.',
    'O(N+M) where N is the number of provided keys and M is the number of elements returned.', (ctx, args) => mpopGeneric(ctx, args, 1, false)),
  listCommand('blpop', -3, ['write', 'blocking'], [1, -2, 1], ['write', 'list', 'slow', 'blocking'], '2.0.0',
    'Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.',
    'O(N) where N is the number of provided keys.', (ctx, args) => bpop(ctx, args, true)),
  listCommand('brpop', -3, ['write', 'blocking'], [1, -2, 1], ['write', 'list', 'slow', 'blocking'], '2.0.0',
    'Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.',
    'O(N) where N is the number of provided keys.', (ctx, args) => bpop(ctx, args, false)),
  listCommand('blmove', 6, ['write', 'denyoom', 'blocking'], TWO, ['write', 'list', 'slow', 'blocking'], '6.2.0',
    'Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.',
    'O(1)', blmove),
  listCommand('brpoplpush', 4, ['write', 'denyoom', 'blocking'], TWO, ['write', 'list', 'slow', 'blocking'], '2.2.0',
    'Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.',
    'O(1)', brpoplpush),
  listCommand('blmpop', -5, ['write', 'blocking', 'movablekeys'], NONE, ['write', 'list', 'slow', 'blocking'], '7.0.0',
    'Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.',
    'O(N+M) where N is the number of provided keys and M is the number of elements returned.', (ctx, args) => mpopGeneric(ctx, args, 2, true)),
];
