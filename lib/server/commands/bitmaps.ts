/**
 * The bitmap family (valkey src/bitops.c) over string values: bit 0 is the most significant bit
 * of the first byte, and strings grow with zero bytes when a write reaches past their end.
 */
import { parseInt64 } from '../util/int64';
import { asKey, type CommandContext, type CommandSpec, Errors, ReplyError } from './command';
import { buildString, isWord, longArg, protoMaxBulkLen, readLookup, stringOrMissing } from './string-support';

const BIT_OFFSET_ERROR = 'ERR bit offset is not an integer or out of range';
const BIT_VALUE_ERROR = 'ERR bit is not an integer or out of range';
const BITFIELD_TYPE_ERROR =
  'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];

/**
 * A bit offset argument (getBitOffsetFromArgument): a non-negative integer whose byte lies
 * below proto-max-bulk-len; with `bits`, the `#n` form means n × bits.
 */
function bitOffsetArg(ctx: CommandContext, arg: Buffer, bits = 0): number {
  const hash = bits > 0 && arg.length > 0 && arg[0] === 35; /* # */
  const parsed = parseInt64(hash ? arg.subarray(1) : arg);
  if (parsed === null) throw new ReplyError(BIT_OFFSET_ERROR);
  let offset = BigInt(parsed);
  if (hash) offset = BigInt.asIntN(64, offset * BigInt(bits));
  if (offset < 0n || offset >> 3n >= BigInt(protoMaxBulkLen(ctx))) throw new ReplyError(BIT_OFFSET_ERROR);
  return Number(offset);
}

/** The string at `key` grown with zero bytes so that `byteCount` bytes exist (lookupStringForBitCommand). */
function growTo(current: string | undefined, byteCount: number): string {
  if (current === undefined) return buildString(() => '\0'.repeat(byteCount));
  if (current.length >= byteCount) return current;
  return buildString(() => current + '\0'.repeat(byteCount - current.length));
}

// ---- SETBIT / GETBIT ---------------------------------------------------------------------------

function setbitCommand(ctx: CommandContext, args: Buffer[]): void {
  const offset = bitOffsetArg(ctx, args[2]);
  const on = parseInt64(args[3]);
  if (on === null) throw new ReplyError(BIT_VALUE_ERROR);
  if (on !== 0 && on !== 1) throw new ReplyError(BIT_VALUE_ERROR);
  const key = asKey(args[1]);
  const current = stringOrMissing(ctx.db.get(key));
  const byte = offset >>> 3;
  const grown = growTo(current, byte + 1);
  const old = grown.charCodeAt(byte);
  const mask = 1 << (7 - (offset & 7));
  const wasSet = (old & mask) !== 0;
  if (grown !== current || wasSet !== (on === 1)) {
    const updated = on === 1 ? old | mask : old & ~mask;
    const next =
      updated === old ? grown : grown.slice(0, byte) + String.fromCharCode(updated) + grown.slice(byte + 1);
    ctx.db.set(key, next, true);
  }
  ctx.reply.integer(wasSet ? 1 : 0);
}

function getbitCommand(ctx: CommandContext, args: Buffer[]): void {
  const offset = bitOffsetArg(ctx, args[2]);
  const value = stringOrMissing(readLookup(ctx, asKey(args[1])));
  const byte = offset >>> 3;
  if (value === undefined || byte >= value.length) {
    ctx.reply.integer(0);
    return;
  }
  ctx.reply.integer((value.charCodeAt(byte) >> (7 - (offset & 7))) & 1);
}

// ---- ranges shared by BITCOUNT and BITPOS --------------------------------------------------------

/** A resolved [start, end] range in bits (inclusive), or empty. */
interface BitRange {
  startBit: number;
  endBit: number;
}

/**
 * Resolves start/end (bytes or bits, negative from the end) against a string of `length` bytes,
 * exactly as bitcountCommand/bitposCommand clamp them. Undefined when the range is empty.
 */
function resolveRange(length: number, start: number, end: number, isBit: boolean): BitRange | undefined {
  const total = isBit ? length * 8 : length;
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  if (start > end) return undefined;
  return isBit ? { startBit: start, endBit: end } : { startBit: start * 8, endBit: end * 8 + 7 };
}

function unitArg(arg: Buffer): boolean {
  if (isWord(arg, 'bit')) return true;
  if (isWord(arg, 'byte')) return false;
  throw new ReplyError(Errors.syntax);
}

function countBits(value: string, startBit: number, endBit: number): number {
  const firstByte = startBit >>> 3;
  const lastByte = endBit >>> 3;
  let count = 0;
  for (let i = firstByte; i <= lastByte; i++) count += POPCOUNT[value.charCodeAt(i)];
  // Take away the bits of the edge bytes that fall outside the range.
  const headMask = (0xff << (8 - (startBit & 7))) & 0xff;
  const tailMask = (1 << (7 - (endBit & 7))) - 1;
  count -= POPCOUNT[value.charCodeAt(firstByte) & headMask];
  count -= POPCOUNT[value.charCodeAt(lastByte) & tailMask];
  return count;
}

function bitcountCommand(ctx: CommandContext, args: Buffer[]): void {
  const argc = args.length;
  if (argc > 5) throw new ReplyError(Errors.syntax);
  let start = 0;
  let end = -1;
  let isBit = false;
  if (argc >= 3) {
    start = longArg(args[2]);
    if (argc === 5) isBit = unitArg(args[4]);
    if (argc >= 4) end = longArg(args[3]);
  }
  const value = stringOrMissing(readLookup(ctx, asKey(args[1])));
  if (value === undefined) {
    ctx.reply.integer(0);
    return;
  }
  if (argc >= 4 && start < 0 && end < 0 && start > end) {
    ctx.reply.integer(0);
    return;
  }
  if (argc < 4) end = (isBit ? value.length * 8 : value.length) - 1;
  const range = resolveRange(value.length, start, end, isBit);
  ctx.reply.integer(range === undefined ? 0 : countBits(value, range.startBit, range.endBit));
}

function bitposCommand(ctx: CommandContext, args: Buffer[]): void {
  const argc = args.length;
  const bit = longArg(args[2]);
  if (bit !== 0 && bit !== 1) throw new ReplyError('ERR The bit argument must be 1 or 0.');
  if (argc > 6) throw new ReplyError(Errors.syntax);
  let start = 0;
  let end = -1;
  let isBit = false;
  const endGiven = argc >= 5;
  if (argc >= 4) {
    start = longArg(args[3]);
    if (argc === 6) isBit = unitArg(args[5]);
    if (endGiven) end = longArg(args[4]);
  }
  const value = stringOrMissing(readLookup(ctx, asKey(args[1])));
  if (value === undefined) {
    ctx.reply.integer(bit === 1 ? -1 : 0);
    return;
  }
  const range = resolveRange(value.length, start, end, isBit);
  if (range === undefined) {
    ctx.reply.integer(-1);
    return;
  }
  const { startBit, endBit } = range;
  const wanted = bit === 1;
  let pos = startBit;
  while (pos <= endBit) {
    const byteIndex = pos >>> 3;
    const byte = value.charCodeAt(byteIndex);
    // Skip whole bytes that cannot contain the bit we look for.
    if ((pos & 7) === 0 && pos + 7 <= endBit && byte === (wanted ? 0 : 0xff)) {
      pos += 8;
      continue;
    }
    if (((byte >> (7 - (pos & 7))) & 1) === bit) {
      ctx.reply.integer(pos);
      return;
    }
    pos++;
  }
  // Looking for a clear bit without an explicit end: the string is zero padded on the right.
  ctx.reply.integer(!wanted && !endGiven ? endBit + 1 : -1);
}

// ---- BITOP ---------------------------------------------------------------------------------

function bitopCommand(ctx: CommandContext, args: Buffer[]): void {
  const opArg = args[1];
  let op: 'and' | 'or' | 'xor' | 'not';
  if (isWord(opArg, 'and')) op = 'and';
  else if (isWord(opArg, 'or')) op = 'or';
  else if (isWord(opArg, 'xor')) op = 'xor';
  else if (isWord(opArg, 'not')) op = 'not';
  else throw new ReplyError(Errors.syntax);
  if (op === 'not' && args.length !== 4) throw new ReplyError('ERR BITOP NOT must be called with a single source key.');
  const sources: string[] = [];
  let maxLen = 0;
  for (let j = 3; j < args.length; j++) {
    const value = stringOrMissing(readLookup(ctx, asKey(args[j]))) ?? '';
    sources.push(value);
    if (value.length > maxLen) maxLen = value.length;
  }
  const dest = asKey(args[2]);
  if (maxLen === 0) {
    ctx.db.delete(dest);
    ctx.reply.integer(0);
    return;
  }
  const out = Buffer.alloc(maxLen);
  const first = sources[0];
  for (let i = 0; i < maxLen; i++) {
    let acc = i < first.length ? first.charCodeAt(i) : 0;
    if (op === 'not') {
      acc = ~acc & 0xff;
    } else {
      for (let k = 1; k < sources.length; k++) {
        const s = sources[k];
        const b = i < s.length ? s.charCodeAt(i) : 0;
        if (op === 'and') acc &= b;
        else if (op === 'or') acc |= b;
        else acc ^= b;
      }
    }
    out[i] = acc;
  }
  ctx.db.set(dest, out.toString('latin1'));
  ctx.reply.integer(maxLen);
}

// ---- BITFIELD ------------------------------------------------------------------------------

const enum Overflow {
  Wrap,
  Sat,
  Fail,
}

interface BitfieldOp {
  kind: 'get' | 'set' | 'incrby';
  signed: boolean;
  bits: number;
  offset: number;
  value: bigint;
  overflow: Overflow;
}

function bitfieldTypeArg(arg: Buffer): { signed: boolean; bits: number } {
  const head = arg.length > 0 ? arg[0] : 0;
  if (head !== 105 /* i */ && head !== 117 /* u */) throw new ReplyError(BITFIELD_TYPE_ERROR);
  const signed = head === 105;
  const bits = parseInt64(arg.subarray(1));
  if (typeof bits !== 'number' || bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) {
    throw new ReplyError(BITFIELD_TYPE_ERROR);
  }
  return { signed, bits };
}

function readBits(bytes: Buffer, offset: number, bits: number): bigint {
  let v = 0n;
  for (let i = 0; i < bits; i++) {
    const pos = offset + i;
    const byte = pos >>> 3;
    const bit = byte < bytes.length ? (bytes[byte] >> (7 - (pos & 7))) & 1 : 0;
    v = (v << 1n) | BigInt(bit);
  }
  return v;
}

function writeBits(bytes: Buffer, offset: number, bits: number, value: bigint): void {
  let v = BigInt.asUintN(bits, value);
  for (let i = bits - 1; i >= 0; i--) {
    const pos = offset + i;
    const byte = pos >>> 3;
    const mask = 1 << (7 - (pos & 7));
    if ((v & 1n) === 1n) bytes[byte] |= mask;
    else bytes[byte] &= ~mask;
    v >>= 1n;
  }
}

/** bitops.c checkSignedBitfieldOverflow / checkUnsignedBitfieldOverflow with int64 wrap-around. */
function applyOverflow(
  signed: boolean,
  bits: number,
  value: bigint,
  incr: bigint,
  mode: Overflow,
): { overflow: boolean; result: bigint } {
  const b = BigInt(bits);
  if (signed) {
    const max = (1n << (b - 1n)) - 1n;
    const min = -max - 1n;
    const maxincr = BigInt.asIntN(64, max - value);
    const minincr = BigInt.asIntN(64, min - value);
    const wrap = (): bigint => BigInt.asIntN(bits, BigInt.asUintN(64, value + incr));
    if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
      return { overflow: true, result: mode === Overflow.Wrap ? wrap() : max };
    }
    if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
      return { overflow: true, result: mode === Overflow.Wrap ? wrap() : min };
    }
    return { overflow: false, result: value + incr };
  }
  const max = (1n << b) - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, -value);
  const wrap = (): bigint => BigInt.asUintN(bits, BigInt.asUintN(64, value + incr));
  if (value > max || (incr > 0n && incr > maxincr)) {
    return { overflow: true, result: mode === Overflow.Wrap ? wrap() : max };
  }
  if (incr < 0n && incr < minincr) {
    return { overflow: true, result: mode === Overflow.Wrap ? wrap() : 0n };
  }
  return { overflow: false, result: value + incr };
}

function integerReply(ctx: CommandContext, v: bigint): void {
  ctx.reply.integer(v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v);
}

function bitfieldGeneric(ctx: CommandContext, args: Buffer[], readOnly: boolean): void {
  const ops: BitfieldOp[] = [];
  let overflow = Overflow.Wrap;
  let writes = false;
  let highestBit = 0;
  for (let j = 2; j < args.length; j++) {
    const remaining = args.length - j - 1;
    const sub = args[j];
    let kind: BitfieldOp['kind'];
    if (isWord(sub, 'get') && remaining >= 2) kind = 'get';
    else if (isWord(sub, 'set') && remaining >= 3) kind = 'set';
    else if (isWord(sub, 'incrby') && remaining >= 3) kind = 'incrby';
    else if (isWord(sub, 'overflow') && remaining >= 1) {
      const mode = args[++j];
      if (isWord(mode, 'wrap')) overflow = Overflow.Wrap;
      else if (isWord(mode, 'sat')) overflow = Overflow.Sat;
      else if (isWord(mode, 'fail')) overflow = Overflow.Fail;
      else throw new ReplyError('ERR Invalid OVERFLOW type specified');
      continue;
    } else {
      throw new ReplyError(Errors.syntax);
    }
    const { signed, bits } = bitfieldTypeArg(args[j + 1]);
    const offset = bitOffsetArg(ctx, args[j + 2], bits);
    let value = 0n;
    if (kind !== 'get') {
      writes = true;
      if (offset + bits - 1 > highestBit) highestBit = offset + bits - 1;
      const parsed = parseInt64(args[j + 3]);
      if (parsed === null) throw new ReplyError(Errors.notInteger);
      value = BigInt(parsed);
    }
    ops.push({ kind, signed, bits, offset, value, overflow });
    j += kind === 'get' ? 2 : 3;
  }

  const key = asKey(args[1]);
  let bytes: Buffer | undefined;
  let created = false;
  let grown = false;
  if (!writes) {
    const value = stringOrMissing(readLookup(ctx, key));
    if (value !== undefined) bytes = Buffer.from(value, 'latin1');
  } else {
    if (readOnly) throw new ReplyError('ERR BITFIELD_RO only supports the GET subcommand');
    const current = stringOrMissing(ctx.db.get(key));
    const grownValue = growTo(current, (highestBit >>> 3) + 1);
    created = current === undefined;
    grown = grownValue !== current;
    bytes = Buffer.from(grownValue, 'latin1');
  }

  let changes = 0;
  ctx.reply.arrayHeader(ops.length);
  for (const op of ops) {
    if (op.kind === 'get') {
      const raw = bytes === undefined ? 0n : readBits(bytes, op.offset, op.bits);
      integerReply(ctx, op.signed ? BigInt.asIntN(op.bits, raw) : raw);
      continue;
    }
    const target = bytes as Buffer;
    const raw = readBits(target, op.offset, op.bits);
    const old = op.signed ? BigInt.asIntN(op.bits, raw) : raw;
    // SET checks the new value alone; an unsigned SET sees a negative value as its uint64 bits.
    const base = op.kind === 'incrby' ? old : op.signed ? op.value : BigInt.asUintN(64, op.value);
    const incr = op.kind === 'incrby' ? op.value : 0n;
    const { overflow: overflowed, result } = applyOverflow(op.signed, op.bits, base, incr, op.overflow);
    if (overflowed && op.overflow === Overflow.Fail) {
      ctx.reply.nullBulk();
      continue;
    }
    integerReply(ctx, op.kind === 'incrby' ? result : old);
    writeBits(target, op.offset, op.bits, result);
    if (result !== old) changes++;
  }
  if (writes && (created || grown || changes > 0)) {
    ctx.db.set(key, (bytes as Buffer).toString('latin1'), true);
  }
}

// ---- the table -------------------------------------------------------------------------------

export const bitmapCommands: CommandSpec[] = [
  {
    name: 'setbit',
    arity: 4,
    flags: ['write', 'denyoom'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'bitmap', 'slow'],
    group: 'bitmap',
    summary: "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.",
    since: '2.2.0',
    complexity: 'O(1)',
    handler: setbitCommand,
  },
  {
    name: 'getbit',
    arity: 3,
    flags: ['readonly', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['read', 'bitmap', 'fast'],
    group: 'bitmap',
    summary: 'Returns a bit value by offset.',
    since: '2.2.0',
    complexity: 'O(1)',
    handler: getbitCommand,
  },
  {
    name: 'bitcount',
    arity: -2,
    flags: ['readonly'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['read', 'bitmap', 'slow'],
    group: 'bitmap',
    summary: 'Counts the number of set bits (population counting) in a string.',
    since: '2.6.0',
    complexity: 'O(N)',
    handler: bitcountCommand,
  },
  {
    name: 'bitpos',
    arity: -3,
    flags: ['readonly'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['read', 'bitmap', 'slow'],
    group: 'bitmap',
    summary: 'Finds the first set (1) or clear (0) bit in a string.',
    since: '2.8.7',
    complexity: 'O(N)',
    handler: bitposCommand,
  },
  {
    name: 'bitop',
    arity: -4,
    flags: ['write', 'denyoom'],
    firstKey: 2,
    lastKey: -1,
    keyStep: 1,
    acl: ['write', 'bitmap', 'slow'],
    group: 'bitmap',
    summary: 'Performs bitwise operations on multiple strings, and stores the result.',
    since: '2.6.0',
    complexity: 'O(N)',
    handler: bitopCommand,
  },
  {
    name: 'bitfield',
    arity: -2,
    flags: ['write', 'denyoom'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['write', 'bitmap', 'slow'],
    group: 'bitmap',
    summary: 'Performs arbitrary bitfield integer operations on strings.',
    since: '3.2.0',
    complexity: 'O(1) for each subcommand specified',
    handler: (ctx, args) => bitfieldGeneric(ctx, args, false),
  },
  {
    name: 'bitfield_ro',
    arity: -2,
    flags: ['readonly', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    acl: ['read', 'bitmap', 'fast'],
    group: 'bitmap',
    summary: 'Performs arbitrary read-only bitfield integer operations on strings.',
    since: '6.0.0',
    complexity: 'O(1) for each subcommand specified',
    handler: (ctx, args) => bitfieldGeneric(ctx, args, true),
  },
];
