/**
 * SORT and SORT_RO (valkey src/sort.c): sort the elements of a list, set or sorted set
 * numerically or lexicographically (ALPHA), optionally by weights read from other keys or hash
 * fields (BY pattern, `*->field`), take a LIMIT window, project each element through GET
 * patterns (`#` is the element itself), and reply — or, for SORT, STORE the result as a list.
 */
import { HashValue } from '../datatypes/hash';
import { ListValue } from '../datatypes/list';
import { SetValue } from '../datatypes/set';
import { SortedSet } from '../datatypes/zset';
import type { Database, StoredValue } from '../keyspace/database';
import { asKey, type CommandContext, type CommandSpec, Errors, ReplyError } from './command';
import { listFill } from './lists';
import { isWord, longArg } from './string-support';

const SCORE_ERROR = "ERR One or more scores can't be converted into double";

/** One element being sorted, with its weight (numeric) or comparison string (ALPHA BY). */
interface SortItem {
  readonly value: string;
  score: number;
  cmp: string | undefined;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const SPECIAL = /^[+-]?(inf|infinity|nan(\([0-9A-Za-z_]*\))?)$/i;
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * C's strtod as SORT uses it: leading whitespace allowed, the rest must be consumed whole, and an
 * overflow, underflow (ERANGE) or NaN is an error. Returns undefined on error; "" is 0.
 */
export function sortScore(text: string): number | undefined {
  if (text.length === 0) return 0;
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const body = text.slice(i);
  if (body.length === 0) return undefined;
  if (DECIMAL.test(body)) {
    const v = Number(body);
    if (!Number.isFinite(v)) return undefined;
    if (v !== 0 && Math.abs(v) < MIN_NORMAL) return undefined;
    if (v === 0 && /[1-9]/.test(body.replace(/[eE].*$/, ''))) return undefined;
    return v;
  }
  const hex = HEX.exec(body);
  if (hex !== null) {
    const whole = hex[2];
    const frac = hex[3] ?? '';
    if (whole.length === 0 && frac.length === 0) return undefined;
    let v = whole.length > 0 ? parseInt(whole, 16) : 0;
    for (let k = 0; k < frac.length; k++) v += parseInt(frac[k], 16) / 16 ** (k + 1);
    if (hex[4] !== undefined) v *= 2 ** Number(hex[4]);
    if (!Number.isFinite(v) || (v !== 0 && Math.abs(v) < MIN_NORMAL)) return undefined;
    return hex[1] === '-' ? -v : v;
  }
  const special = SPECIAL.exec(body);
  if (special !== null) {
    if (special[1].toLowerCase().startsWith('nan')) return undefined;
    return body.startsWith('-') ? -Infinity : Infinity;
  }
  return undefined;
}

/** Byte-wise comparison (compareStringObjects / memcmp then length). */
function compareBinary(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** strcoll in the C locale: strcmp, which stops at the first NUL byte. */
function compareCollate(a: string, b: string): number {
  const za = a.indexOf('\0');
  const zb = b.indexOf('\0');
  return compareBinary(za < 0 ? a : a.slice(0, za), zb < 0 ? b : b.slice(0, zb));
}

/**
 * lookupKeyByPattern: `#` is the element itself; otherwise the first `*` is replaced by it and
 * the key read as a string, or with `->field` as a field of a hash. Undefined when missing.
 */
function lookupByPattern(ctx: CommandContext, db: Database, pattern: string, element: string): string | undefined {
  if (pattern === '#') return element;
  const star = pattern.indexOf('*');
  if (star < 0) return undefined;
  const arrow = pattern.indexOf('->', star + 1);
  const hasField = arrow >= 0 && arrow + 2 < pattern.length;
  const keyEnd = hasField ? arrow : pattern.length;
  const key = pattern.slice(0, star) + element + pattern.slice(star + 1, keyEnd);
  const value = db.get(key);
  ctx.server.recordLookup(value !== undefined);
  if (value === undefined) return undefined;
  if (hasField) return value instanceof HashValue ? value.get(pattern.slice(arrow + 2)) : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The elements of the value to sort, in its natural order. */
function elementsOf(value: StoredValue): string[] {
  const out: string[] = [];
  if (value instanceof ListValue) return value.toArray();
  if (value instanceof SetValue) {
    value.forEach((m) => {
      out.push(m);
    });
    return out;
  }
  if (value instanceof SortedSet) {
    value.forEach((m) => out.push(m));
    return out;
  }
  throw new ReplyError(Errors.wrongType);
}

function sortGeneric(ctx: CommandContext, args: Buffer[], readonly: boolean): void {
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontSort = false;
  let sortBy: string | undefined;
  let storeKey: string | undefined;
  const gets: string[] = [];
  for (let j = 2; j < args.length; j++) {
    const left = args.length - j - 1;
    const opt = args[j];
    if (isWord(opt, 'asc')) desc = false;
    else if (isWord(opt, 'desc')) desc = true;
    else if (isWord(opt, 'alpha')) alpha = true;
    else if (isWord(opt, 'limit') && left >= 2) {
      limitStart = longArg(args[j + 1]);
      limitCount = longArg(args[j + 2]);
      j += 2;
    } else if (!readonly && isWord(opt, 'store') && left >= 1) {
      storeKey = asKey(args[++j]);
    } else if (isWord(opt, 'by') && left >= 1) {
      sortBy = asKey(args[++j]);
      if (!sortBy.includes('*')) dontSort = true;
    } else if (isWord(opt, 'get') && left >= 1) {
      gets.push(asKey(args[++j]));
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }

  const db = ctx.db;
  const key = asKey(args[1]);
  const sortval = db.get(key);
  ctx.server.recordLookup(sortval !== undefined);
  if (sortval !== undefined && !(sortval instanceof ListValue || sortval instanceof SetValue || sortval instanceof SortedSet)) {
    throw new ReplyError(Errors.wrongType);
  }
  const isSet = sortval instanceof SetValue;
  if (dontSort && isSet && storeKey !== undefined) {
    // A set has no order of its own: what is stored must not depend on its layout.
    dontSort = false;
    alpha = true;
    sortBy = undefined;
  }
  if (sortval instanceof SortedSet && sortval.isListpack) {
    // As sort.c: SORT converts a listpack sorted set to a skiplist for good (zsetConvert).
    sortval.convertToSkiplist();
    db.remeasure(key);
  }
  const ordered = sortval instanceof ListValue || sortval instanceof SortedSet;
  const all = sortval === undefined ? [] : elementsOf(sortval);
  const vectorLen = all.length;

  let start = Math.min(Math.max(limitStart, 0), vectorLen);
  const count = Math.min(Math.max(limitCount, -1), vectorLen);
  let end = count < 0 ? vectorLen - 1 : start + count - 1;
  if (start >= vectorLen) {
    start = vectorLen - 1;
    end = vectorLen - 2;
  }
  if (end >= vectorLen) end = vectorLen - 1;

  let items: SortItem[];
  if (ordered && dontSort) {
    // The natural order, reversed by DESC, windowed by LIMIT.
    const natural = desc ? all.reverse() : all;
    items = end >= start ? natural.slice(start, end + 1).map((value) => ({ value, score: 0, cmp: undefined })) : [];
    end -= start;
    start = 0;
  } else {
    items = all.map((value) => ({ value, score: 0, cmp: undefined }));
  }

  let conversionError = false;
  if (!dontSort) {
    for (const item of items) {
      let by: string | undefined;
      if (sortBy !== undefined) {
        by = lookupByPattern(ctx, db, sortBy, item.value);
        if (by === undefined) continue;
      } else {
        by = item.value;
      }
      if (alpha) {
        if (sortBy !== undefined) item.cmp = by;
      } else {
        const score = sortScore(by);
        if (score === undefined) conversionError = true;
        else item.score = score;
      }
    }
    const byPattern = sortBy !== undefined;
    const store = storeKey !== undefined;
    const compare = (a: SortItem, b: SortItem): number => {
      let cmp: number;
      if (!alpha) {
        cmp = a.score > b.score ? 1 : a.score < b.score ? -1 : compareBinary(a.value, b.value);
      } else if (byPattern) {
        if (a.cmp === undefined || b.cmp === undefined) cmp = a.cmp === b.cmp ? 0 : a.cmp === undefined ? -1 : 1;
        else cmp = store ? compareBinary(a.cmp, b.cmp) : compareCollate(a.cmp, b.cmp);
      } else {
        cmp = store ? compareBinary(a.value, b.value) : compareCollate(a.value, b.value);
      }
      return desc ? -cmp : cmp;
    };
    items.sort(compare);
  }

  const outputLen = gets.length > 0 ? gets.length * (end - start + 1) : end - start + 1;
  if (conversionError) throw new ReplyError(SCORE_ERROR);
  if (storeKey === undefined) {
    const reply = ctx.reply;
    reply.arrayHeader(outputLen);
    for (let j = start; j <= end; j++) {
      const element = items[j].value;
      if (gets.length === 0) reply.bulk(element);
      for (const pattern of gets) {
        const v = lookupByPattern(ctx, db, pattern, element);
        if (v === undefined) reply.nullBulk();
        else reply.bulk(v);
      }
    }
    return;
  }
  const values: string[] = [];
  for (let j = start; j <= end; j++) {
    const element = items[j].value;
    if (gets.length === 0) values.push(element);
    for (const pattern of gets) values.push(lookupByPattern(ctx, db, pattern, element) ?? '');
  }
  if (outputLen > 0) {
    db.set(storeKey, ListValue.from(values, listFill(ctx)));
  } else {
    db.delete(storeKey);
  }
  ctx.reply.integer(outputLen);
}

export const sortCommands: CommandSpec[] = [
  {
    name: 'sort',
    arity: -2,
    flags: ['write', 'denyoom', 'movablekeys'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'set', 'sortedset', 'list', 'slow', 'dangerous'],
    group: 'generic',
    since: '1.0.0',
    summary: 'Sorts the elements in a list, a set, or a sorted set, optionally storing the result.',
    complexity:
      'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).',
    handler: (ctx, args) => sortGeneric(ctx, args, false),
  },
  {
    name: 'sort_ro',
    arity: -2,
    flags: ['readonly', 'movablekeys'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['read', 'set', 'sortedset', 'list', 'slow', 'dangerous'],
    group: 'generic',
    since: '7.0.0',
    summary: 'Returns the sorted elements of a list, a set, or a sorted set.',
    complexity:
      'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).',
    handler: (ctx, args) => sortGeneric(ctx, args, true),
  },
];
