/**
 * The arguments every SCAN over one key's elements shares (HSCAN, SSCAN, ZSCAN), as valkey's
 * db.c scanGenericCommand parses them for a key's value.
 */
import { parseUint64 } from '../util/int64';
import { asKey, type CommandContext, Errors, ReplyError } from './command';
import { isWord, longArg } from './string-support';

/** HSCAN / SSCAN / ZSCAN options after the cursor (db.c scanGenericCommand, for a key's value). */
export interface ScanOptions {
  readonly count: number;
  /** undefined when every element matches ("*" or no MATCH). */
  readonly pattern: string | undefined;
  /** NOVALUES (HSCAN) or NOSCORES (ZSCAN): reply with the fields or members alone. */
  readonly noValues: boolean;
}

/** The cursor argument of HSCAN / SSCAN / ZSCAN, clamped to what a table can hold. */
export function scanCursorArg(arg: Buffer): number {
  const cursor = parseUint64(arg);
  if (cursor === null) throw new ReplyError('ERR invalid cursor');
  return cursor > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(cursor);
}

/** Parses COUNT / MATCH / NOVALUES from args[3…]; `type` says which of NOVALUES / NOSCORES is allowed. */
export function parseScanOptions(args: Buffer[], type: 'hash' | 'set' | 'zset'): ScanOptions {
  let count = 10;
  let pattern: string | undefined;
  let noValues = false;
  for (let i = 3; i < args.length; ) {
    const more = args.length - i >= 2;
    if (isWord(args[i], 'count') && more) {
      count = longArg(args[i + 1]);
      if (count < 1) throw new ReplyError(Errors.syntax);
      i += 2;
    } else if (isWord(args[i], 'match') && more) {
      const p = asKey(args[i + 1]);
      pattern = p === '*' ? undefined : p;
      i += 2;
    } else if (isWord(args[i], 'novalues')) {
      if (type !== 'hash') throw new ReplyError('ERR NOVALUES option can only be used in HSCAN');
      noValues = true;
      i++;
    } else if (isWord(args[i], 'noscores')) {
      if (type !== 'zset') throw new ReplyError('ERR NOSCORES option can only be used in ZSCAN');
      noValues = true;
      i++;
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  return { count, pattern, noValues };
}

/** The reply to HSCAN / SSCAN / ZSCAN on a missing key. */
export function replyEmptyScan(ctx: CommandContext): void {
  ctx.reply.arrayHeader(2);
  ctx.reply.bulk('0');
  ctx.reply.arrayHeader(0);
}
