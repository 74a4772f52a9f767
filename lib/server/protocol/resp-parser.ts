/**
 * A resumable RESP request parser over socket chunks, after Redis's networking.c
 * (processMultibulkBuffer / processInlineBuffer) and garnet's in-place RESP reader.
 *
 * The parser keeps its position between reads: when a frame is split, the arguments already
 * read stay read, a half-received bulk string is copied straight into its final buffer, and
 * only the unread tail of a header line (a few bytes) is carried over to the next chunk.
 * Arguments are views (`subarray`) of the chunk; they are copied only when a command straddles
 * two reads, because the caller may not keep the earlier chunk alive.
 *
 * Errors use Redis 7.0's exact wording; after one, the connection must reply and close.
 */

import { latin1 } from '../util/latin1';

export { latin1 };

/** Redis's PROTO_INLINE_MAX_SIZE: the longest inline command or header line accepted. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** Bulk strings at least this long are assembled in their own buffer instead of re-concatenating chunks. */
const BIG_ARG = 32 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * Argument views are made the way Node makes its own Buffers (an internal `FastBuffer extends
 * Uint8Array` whose prototype is Buffer.prototype): constructing a typed array directly is about
 * twice as fast as `buf.subarray()`, and arguments are the parser's only per-request allocation.
 * Instances are real Buffers to every consumer: `instanceof Buffer`, Buffer.isBuffer and every
 * Buffer method behave as usual.
 */
class ArgView extends Uint8Array {}
Object.setPrototypeOf(ArgView.prototype, Buffer.prototype);

function view(buf: Buffer, start: number, length: number): Buffer {
  return new ArgView(buf.buffer as ArrayBuffer, buf.byteOffset + start, length) as unknown as Buffer;
}

/** Most arguments a request may have to be scanned as offsets (longer ones take the general path). */
const MAX_SCANNED_ARGS = 64;
/** Longest argument the scanner accepts (what needs no unauthenticated-length check). */
const MAX_SCANNED_ARG = 16384;

export interface ParserLimits {
  /** proto-max-bulk-len: the longest bulk string accepted. */
  maxBulkLen: number;
  /** client-query-buffer-limit: the most unprocessed input held for one client. */
  queryBufferLimit: number;
}

const enum ReqType {
  None = 0,
  Multibulk = 1,
  Inline = 2,
}

/** Thrown for malformed input; `message` is the reply text (without the leading '-'). */
export class ProtocolError extends Error {
  constructor(
    message: string,
    /** False when Redis closes without replying (query buffer limit). */
    public readonly reply = true,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

function protocolError(detail: string): ProtocolError {
  return new ProtocolError(`ERR Protocol error: ${detail}`);
}

/**
 * Parses a signed decimal the way Redis's string2ll does: no sign other than a leading '-',
 * no leading zeros, no spaces, at most 20 characters, and it must fit in a 64-bit integer.
 * Returns NaN when the text is not such an integer.
 */
const INT64_MAX_DIGITS = Buffer.from('9223372036854775807');
const INT64_MIN_DIGITS = Buffer.from('9223372036854775808');

export function parseLongLong(buf: Buffer, start: number, end: number): number {
  const len = end - start;
  if (len <= 0 || len > 20) return NaN;
  let i = start;
  let negative = false;
  if (len === 1 && buf[i] === 48) return 0;
  if (buf[i] === 45) {
    negative = true;
    i++;
    if (i === end) return NaN;
  }
  const first = buf[i];
  if (first < 49 || first > 57) return NaN;
  let value = 0;
  for (; i < end; i++) {
    const c = buf[i];
    if (c < 48 || c > 57) return NaN;
    value = value * 10 + (c - 48);
  }
  const digits = end - start - (negative ? 1 : 0);
  if (digits > 19) return NaN;
  if (digits === 19) {
    // Compare with the int64 limit byte by byte: doubles cannot tell 2^63-1 from 2^63.
    const limit = negative ? INT64_MIN_DIGITS : INT64_MAX_DIGITS;
    for (let k = 0; k < 19; k++) {
      const d = buf[end - 19 + k];
      if (d !== limit[k]) {
        if (d > limit[k]) return NaN;
        break;
      }
    }
  }
  // Past 2^53 the running total has rounded; let the number parser round once, correctly.
  if (digits > 15) return Number(buf.toString('latin1', start, end));
  return negative ? -value : value;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Splits an inline command line as Redis's sdssplitargs: spaces separate, "double quotes" with
 * \n \r \t \b \a \xHH escapes, 'single quotes' with only \' escaped; a closing quote must be
 * followed by a space or the end. Returns undefined for unbalanced quotes.
 */
export function splitInlineArgs(line: Buffer): Buffer[] | undefined {
  const args: Buffer[] = [];
  let i = 0;
  // The C original stops at a NUL byte, as the line is a C string there.
  const nul = line.indexOf(0);
  const n = nul < 0 ? line.length : nul;
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return args;
    const bytes: number[] = [];
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      if (inDouble) {
        if (i >= n) return undefined;
        const c = line[i];
        if (c === 92 && i + 3 < n && line[i + 1] === 120 && hexValue(line[i + 2]) >= 0 && hexValue(line[i + 3]) >= 0) {
          bytes.push(hexValue(line[i + 2]) * 16 + hexValue(line[i + 3]));
          i += 3;
        } else if (c === 92 && i + 1 < n) {
          i++;
          const e = line[i];
          bytes.push(e === 110 ? 10 : e === 114 ? 13 : e === 116 ? 9 : e === 98 ? 8 : e === 97 ? 7 : e);
        } else if (c === 34) {
          if (i + 1 < n && !isSpace(line[i + 1])) return undefined;
          done = true;
        } else {
          bytes.push(c);
        }
      } else if (inSingle) {
        if (i >= n) return undefined;
        const c = line[i];
        if (c === 92 && i + 1 < n && line[i + 1] === 39) {
          i++;
          bytes.push(39);
        } else if (c === 39) {
          if (i + 1 < n && !isSpace(line[i + 1])) return undefined;
          done = true;
        } else {
          bytes.push(c);
        }
      } else if (i >= n) {
        done = true;
      } else {
        const c = line[i];
        if (c === 32 || c === 10 || c === 13 || c === 9) done = true;
        else if (c === 34) inDouble = true;
        else if (c === 39) inSingle = true;
        else bytes.push(c);
      }
      if (i < n) i++;
    }
    args.push(Buffer.from(bytes));
  }
}

export class RespParser {
  /** Unread input: `buf[pos..]`. */
  private buf: Buffer = EMPTY;
  private pos = 0;
  private reqType = ReqType.None;
  /** Bulk strings still expected in the current multibulk request. */
  private multibulkLen = 0;
  /** Length of the bulk string being read, or -1 while its `$` header is awaited. */
  private bulkLen = -1;
  private args: Buffer[] = [];
  /** True when `args` hold views into `buf`, which must be copied before `buf` is dropped. */
  private argsAreViews = false;
  /** True while `buf` is the caller's chunk itself (not a copy), which detachInput() must copy out of. */
  private borrowed = false;
  /** A large bulk string being assembled across reads. */
  private bigArg: Buffer | undefined;
  private bigFilled = 0;
  /**
   * The request found by the last successful `scan()`: argument i is `buf[argStart[i]..argEnd[i])`.
   * Read it through `arg()`/`argLength()`/`latin1()`, or as Buffers with `views()`.
   */
  private readonly argStart = new Int32Array(MAX_SCANNED_ARGS);
  private readonly argEnd = new Int32Array(MAX_SCANNED_ARGS);
  private scanned: Buffer = EMPTY;
  /** Where the request frameAt() last parsed ends. */
  private frameEnd = 0;
  /** frameAt()'s offsets for peekRequests, which must leave the scanned request's alone. */
  private readonly peekStart = new Int32Array(MAX_SCANNED_ARGS);
  private readonly peekEnd = new Int32Array(MAX_SCANNED_ARGS);

  constructor(
    private readonly limits: ParserLimits,
    /** True while the connection has not authenticated though a password is required. */
    private readonly authRequired: () => boolean = () => false,
  ) {}

  /** Bytes received but not yet turned into commands (the client's query buffer). */
  public get pendingBytes(): number {
    return this.buf.length - this.pos + this.bigFilled;
  }

  /** Adds a chunk read from the socket. Throws ProtocolError when the query buffer limit is passed. */
  public append(chunk: Buffer): void {
    if (this.bigArg !== undefined) {
      // Stream straight into the large argument's buffer.
      const want = this.bulkLen + 2 - this.bigFilled;
      if (chunk.length < want) {
        this.fillBig(chunk);
        this.checkQueryLimit();
        return;
      }
      this.fillBig(chunk.subarray(0, want));
      // Redis checks the query buffer after every read, before running anything: a large argument
      // that ends above client-query-buffer-limit closes the connection even once it is complete.
      this.checkQueryLimit();
      chunk = chunk.subarray(want);
      this.finishBig();
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
      this.borrowed = true;
      this.pos = 0;
    } else {
      this.retainArgs();
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.borrowed = false;
      this.pos = 0;
    }
    this.checkQueryLimit();
  }

  /**
   * The fast path of `next()`: when the next request is a well-formed multibulk lying whole in the
   * buffered chunk, with at most 64 arguments of at most 16 KiB, records each argument's offsets
   * (no allocation at all) and returns the argument count. Returns -1 for anything else — a
   * partial, inline, empty, malformed or large request, or no input — which `next()` then handles
   * with Redis's exact rules and errors. Offsets stay valid until the next scan()/next()/append().
   */
  public scan(): number {
    if (this.reqType !== ReqType.None) return -1;
    const buf = this.buf;
    const count = this.frameAt(buf, this.pos, this.argStart, this.argEnd);
    if (count < 0 || (count > 10 && this.authRequired())) return -1;
    this.pos = this.frameEnd;
    this.scanned = buf;
    return count;
  }

  /**
   * Where the keys of the requests waiting in the buffer are, without consuming anything: for up
   * to `max` well-formed multibulk requests of two or more arguments lying whole in the buffer,
   * from the next one on, four offsets each go to `spans` from request `first` on: argument 1
   * (the key of nearly every command) as [start, end), then argument 2 likewise, or -1, -1 when
   * there is none. Stops at the first request that scan() would not take. Returns the number of
   * requests found. Only a hint for prefetching (Database.prefetch): an argument that is no key or
   * field costs a wasted load.
   */
  public peekRequests(spans: Int32Array, max: number, first = 0): number {
    if (this.reqType !== ReqType.None) return 0;
    const buf = this.buf;
    const starts = this.peekStart;
    const ends = this.peekEnd;
    let at = this.pos;
    let found = 0;
    while (found < max) {
      const count = this.frameAt(buf, at, starts, ends);
      if (count < 0) break;
      at = this.frameEnd;
      if (count < 2) continue;
      const k = 4 * (first + found);
      spans[k] = starts[1];
      spans[k + 1] = ends[1];
      spans[k + 2] = count > 2 ? starts[2] : -1;
      spans[k + 3] = count > 2 ? ends[2] : -1;
      found++;
    }
    return found;
  }

  /**
   * The scanned request's argument 1 and, when it has one, argument 2, as peekRequests() gives a
   * request's, at request `index` of `spans`.
   */
  public scannedSpans(spans: Int32Array, index: number, argc: number): void {
    const k = 4 * index;
    spans[k] = this.argStart[1];
    spans[k + 1] = this.argEnd[1];
    spans[k + 2] = argc > 2 ? this.argStart[2] : -1;
    spans[k + 3] = argc > 2 ? this.argEnd[2] : -1;
  }

  /**
   * The well-formed multibulk request at `buf[i..]` when it lies whole in the buffer, with at
   * most 64 arguments of at most 16 KiB: each argument's offsets go to starts/ends, the offset
   * just past the request to `frameEnd`, and the argument count is returned; -1 for anything
   * else (scan()'s rules).
   */
  private frameAt(buf: Buffer, i: number, starts: Int32Array, ends: Int32Array): number {
    const end = buf.length;
    // "*<count>\r\n" with 1-2 digits and no leading zero: at least 4 bytes.
    if (i + 3 >= end || buf[i] !== 42 /* * */) return -1;
    let c = buf[++i];
    if (c < 49 || c > 57) return -1;
    let count = c - 48;
    c = buf[++i];
    if (c >= 48 && c <= 57) {
      count = count * 10 + (c - 48);
      if (++i >= end) return -1;
      c = buf[i];
    }
    if (c !== 13 || i + 1 >= end || count > MAX_SCANNED_ARGS) return -1;
    i += 2;
    const maxBulk = this.limits.maxBulkLen;
    for (let k = 0; k < count; k++) {
      // "$<len>\r\n<bytes>\r\n"; the trailing CRLF is not checked, as Redis does not.
      if (i >= end || buf[i] !== 36 /* $ */) return -1;
      const first = ++i;
      let len = 0;
      while (i < end && (c = buf[i]) >= 48 && c <= 57) {
        len = len * 10 + (c - 48);
        i++;
      }
      const digits = i - first;
      if (c !== 13 || digits === 0 || digits > 5 || (digits > 1 && buf[first] === 48)) return -1;
      if (len > MAX_SCANNED_ARG || len > maxBulk) return -1;
      const at = i + 2;
      i = at + len + 2;
      if (i > end) return -1;
      starts[k] = at;
      ends[k] = at + len;
    }
    this.frameEnd = i;
    return count;
  }

  /** The buffered input peekRequests()' offsets point into. */
  public get bufferedInput(): Buffer {
    return this.buf;
  }

  /** The buffer the scanned request's offsets point into. */
  public get scannedBuffer(): Buffer {
    return this.scanned;
  }

  /** Offset in `scannedBuffer` of argument `i` of the scanned request. */
  public argOffset(i: number): number {
    return this.argStart[i];
  }

  /** Length of argument `i` of the scanned request. */
  public argLength(i: number): number {
    return this.argEnd[i] - this.argStart[i];
  }

  /** Byte `j` of argument `i` of the scanned request. */
  public argByte(i: number, j: number): number {
    return this.scanned[this.argStart[i] + j];
  }

  /** Argument `i` of the scanned request as a latin1 string: how keys and values are stored. */
  public latin1(i: number): string {
    return latin1(this.scanned, this.argStart[i], this.argEnd[i]);
  }

  /** The scanned request's arguments as Buffers (views of the chunk, as `next()` returns them). */
  public views(count: number): Buffer[] {
    const args = new Array<Buffer>(count);
    const buf = this.scanned;
    // The chunk's ArrayBuffer and offset once per request, not per argument (the .buffer getter is a call into V8).
    const memory = buf.buffer as ArrayBuffer;
    const base = buf.byteOffset;
    const starts = this.argStart;
    const ends = this.argEnd;
    for (let k = 0; k < count; k++) args[k] = new ArgView(memory, base + starts[k], ends[k] - starts[k]) as unknown as Buffer;
    return args;
  }

  /**
   * The next complete command, or undefined when more input is needed. An empty array is never
   * returned: empty requests (`*0`, blank inline lines) are skipped as Redis skips them.
   * Throws ProtocolError on malformed input.
   */
  public next(): Buffer[] | undefined {
    for (;;) {
      if (this.reqType === ReqType.None) {
        if (this.pos >= this.buf.length) {
          this.release();
          return undefined;
        }
        this.reqType = this.buf[this.pos] === 42 ? ReqType.Multibulk : ReqType.Inline;
      }
      const args = this.reqType === ReqType.Multibulk ? this.parseMultibulk() : this.parseInline();
      if (args === undefined) {
        if ((this.reqType as ReqType) === ReqType.None) continue; // an empty request was skipped
        this.detach();
        return undefined;
      }
      return args;
    }
  }

  /**
   * A request is split across reads: keep nothing that points into the caller's chunk, which
   * may be reused once the read is handled. Only the partial request is copied.
   */
  private detach(): void {
    this.retainArgs();
    if (this.pos < this.buf.length) {
      this.buf = Buffer.from(this.buf.subarray(this.pos));
      this.pos = 0;
    } else {
      this.buf = EMPTY;
      this.pos = 0;
    }
    this.borrowed = false;
  }

  /**
   * The caller is about to reuse the chunk it appended last (a shared read buffer): copy what is
   * still needed out of it — input not yet turned into commands (a client that stopped reading,
   * e.g. blocked or paused) and the arguments of a partial request. Cheap when nothing remains.
   */
  public detachInput(): void {
    if (this.borrowed) this.detach();
  }

  /** Drops all buffered input (after a protocol error or on close). */
  public reset(): void {
    this.buf = EMPTY;
    this.borrowed = false;
    this.pos = 0;
    this.resetRequest();
  }

  private resetRequest(): void {
    this.reqType = ReqType.None;
    this.multibulkLen = 0;
    this.bulkLen = -1;
    this.args = [];
    this.argsAreViews = false;
    this.bigArg = undefined;
    this.bigFilled = 0;
  }

  private release(): void {
    if (this.reqType === ReqType.None && this.buf !== EMPTY) {
      this.buf = EMPTY;
      this.borrowed = false;
      this.pos = 0;
    }
  }

  private checkQueryLimit(): void {
    if (this.pendingBytes > this.limits.queryBufferLimit) {
      this.reset();
      throw new ProtocolError('query buffer limit reached', false);
    }
  }

  private retainArgs(): void {
    if (!this.argsAreViews) return;
    const args = this.args;
    for (let i = 0; i < args.length; i++) args[i] = Buffer.from(args[i]);
    this.argsAreViews = false;
  }

  private fillBig(part: Buffer): void {
    const big = this.bigArg as Buffer;
    // The trailing CRLF is not stored; Redis does not check it either.
    const room = this.bulkLen - this.bigFilled;
    if (room > 0) part.copy(big, this.bigFilled, 0, Math.min(room, part.length));
    this.bigFilled += part.length;
  }

  private finishBig(): void {
    this.args.push(this.bigArg as Buffer);
    this.bigArg = undefined;
    this.bigFilled = 0;
    this.bulkLen = -1;
    this.multibulkLen--;
  }

  /**
   * Index of the first `byte` at or after `from`, or -1. Like the C strchr() Redis uses, the
   * search stops at a NUL byte: a header or inline line with a NUL before its end never completes.
   */
  private find(byte: number, from: number): number {
    const buf = this.buf;
    const at = buf.indexOf(byte, from);
    if (at < 0) return -1;
    for (let i = from; i < at; i++) if (buf[i] === 0) return -1;
    return at;
  }

  private parseInline(): Buffer[] | undefined {
    const buf = this.buf;
    const start = this.pos;
    const nl = this.find(10, start);
    if (nl < 0) {
      if (buf.length - start > PROTO_INLINE_MAX_SIZE) {
        this.reset();
        throw protocolError('too big inline request');
      }
      return undefined;
    }
    const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
    const args = splitInlineArgs(buf.subarray(start, end));
    if (args === undefined) {
      this.reset();
      throw protocolError('unbalanced quotes in request');
    }
    this.pos = nl + 1;
    this.resetRequest();
    return args.length === 0 ? undefined : args;
  }

  private parseMultibulk(): Buffer[] | undefined {
    const buf = this.buf;
    if (this.multibulkLen === 0 && this.args.length === 0) {
      const start = this.pos;
      const cr = this.find(13, start);
      if (cr < 0) {
        if (buf.length - start > PROTO_INLINE_MAX_SIZE) {
          this.reset();
          throw protocolError('too big mbulk count string');
        }
        return undefined;
      }
      if (cr + 1 >= buf.length) return undefined; // the '\n' has not arrived
      const count = parseLongLong(buf, start + 1, cr);
      if (Number.isNaN(count) || count > 2147483647) {
        this.reset();
        throw protocolError('invalid multibulk length');
      }
      if (count > 10 && this.authRequired()) {
        this.reset();
        throw protocolError('unauthenticated multibulk length');
      }
      this.pos = cr + 2;
      if (count <= 0) {
        this.resetRequest();
        return undefined;
      }
      this.multibulkLen = count;
      this.args = new Array<Buffer>();
      this.argsAreViews = false;
    }

    const end = buf.length;
    while (this.multibulkLen > 0) {
      if (this.bulkLen === -1) {
        const start = this.pos;
        // Fast path for the well-formed header "$<digits>\r\n", read byte by byte in one pass;
        // anything unusual falls through to the general path, which has Redis's exact rules.
        if (buf[start] === 36 /* $ */) {
          let i = start + 1;
          let len = 0;
          let c = 0;
          while (i < end && (c = buf[i]) >= 48 && c <= 57) {
            len = len * 10 + (c - 48);
            i++;
          }
          const digits = i - start - 1;
          if (
            c === 13 &&
            i + 1 < end &&
            digits > 0 &&
            digits <= 10 &&
            (digits === 1 || buf[start + 1] !== 48) &&
            len <= this.limits.maxBulkLen &&
            len <= 16384
          ) {
            this.pos = i + 2;
            this.bulkLen = len;
          }
        }
      }
      if (this.bulkLen === -1) {
        const start = this.pos;
        const cr = this.find(13, start);
        if (cr < 0) {
          if (buf.length - start > PROTO_INLINE_MAX_SIZE) {
            this.reset();
            throw protocolError('too big bulk count string');
          }
          return undefined;
        }
        if (cr + 1 >= buf.length) return undefined;
        if (buf[start] !== 36 /* $ */) {
          const got = String.fromCharCode(buf[start]);
          this.reset();
          throw protocolError(`expected '$', got '${got}'`);
        }
        const len = parseLongLong(buf, start + 1, cr);
        if (Number.isNaN(len) || len < 0 || len > this.limits.maxBulkLen) {
          this.reset();
          throw protocolError('invalid bulk length');
        }
        if (len > 16384 && this.authRequired()) {
          this.reset();
          throw protocolError('unauthenticated bulk length');
        }
        this.pos = cr + 2;
        this.bulkLen = len;
      }
      const available = buf.length - this.pos;
      if (this.bigArg !== undefined) return undefined; // still streaming into it (see append)
      if (available < this.bulkLen + 2) {
        if (this.bulkLen >= BIG_ARG) {
          // Assemble the big argument in place; later chunks go straight into it.
          this.retainArgs();
          this.bigArg = Buffer.allocUnsafe(this.bulkLen);
          this.bigFilled = 0;
          this.fillBig(buf.subarray(this.pos));
          this.pos = buf.length;
        }
        return undefined;
      }
      this.args.push(view(buf, this.pos, this.bulkLen));
      this.argsAreViews = true;
      this.pos += this.bulkLen + 2;
      this.bulkLen = -1;
      this.multibulkLen--;
    }
    const args = this.args;
    this.resetRequest();
    return args;
  }
}
