/**
 * Writes RESP2 or RESP3 replies into one growing per-connection buffer.
 *
 * Every reply of one socket read lands in the same buffer and goes out in one write
 * (`takeOutput()`), which is what makes pipelining cheap. Constants that appear on every
 * other reply (`+OK`, nulls, small integers) are pre-encoded once.
 *
 * Aggregate types that RESP2 lacks degrade exactly as Redis degrades them: a map becomes a flat
 * array of 2n elements, a set an array, a double a bulk string, a boolean an integer, a push an
 * array, a null a null bulk (`$-1`) or null array (`*-1`) depending on context.
 */

export type RespVersion = 2 | 3;

const CRLF = '\r\n';
const OK = Buffer.from('+OK\r\n');
const QUEUED = Buffer.from('+QUEUED\r\n');
const PONG = Buffer.from('+PONG\r\n');
const NULL_BULK = Buffer.from('$-1\r\n');
const NULL_ARRAY = Buffer.from('*-1\r\n');
const NULL_RESP3 = Buffer.from('_\r\n');
const EMPTY_ARRAY = Buffer.from('*0\r\n');
const EMPTY_BULK = Buffer.from('$0\r\n\r\n');

const SMALL_INT_LIMIT = 10000;
const SMALL_INTS: Buffer[] = [];
for (let i = 0; i < SMALL_INT_LIMIT; i++) SMALL_INTS.push(Buffer.from(`:${i}\r\n`));
const BULK_HEADERS: Buffer[] = [];
for (let i = 0; i < 1024; i++) BULK_HEADERS.push(Buffer.from(`$${i}\r\n`));
const ARRAY_HEADERS: Buffer[] = [];
for (let i = 0; i < 1024; i++) ARRAY_HEADERS.push(Buffer.from(`*${i}\r\n`));

const INITIAL_SIZE = 16 * 1024;

/**
 * Buffer's own latin1 encoder, the native function `buf.write(text, at, n, 'latin1')` ends in:
 * calling it directly skips write()'s argument checks and encoding lookup, which showed as a few
 * % of every reply built from a string (keys, values, error texts).
 */
interface Latin1Encoder {
  latin1Write(text: string, offset: number, length: number): number;
}
const HAS_LATIN1_WRITE = typeof (Buffer.prototype as unknown as Partial<Latin1Encoder>).latin1Write === 'function';

/** Strings up to this long are copied char by char: cheaper than a call into the native encoder. */
const SHORT_LATIN1 = 16;

/** Writes `text` (one byte per char) into `buf` at `at`; the caller has made room for text.length bytes. */
function writeLatin1(buf: Buffer, text: string, at: number): number {
  const n = text.length;
  if (n <= SHORT_LATIN1) {
    for (let i = 0; i < n; i++) buf[at + i] = text.charCodeAt(i);
    return n;
  }
  return HAS_LATIN1_WRITE ? (buf as unknown as Latin1Encoder).latin1Write(text, at, text.length) : buf.write(text, at, text.length, 'latin1');
}

/** Formats a double the way Redis does for RESP3 doubles and INCRBYFLOAT-style bulk replies. */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e17) return value.toFixed(0);
  // %.17g semantics: 17 significant digits, trailing zeros removed.
  let text = value.toPrecision(17);
  if (text.includes('e')) {
    const [mantissa, exponent] = text.split('e');
    let m = mantissa;
    if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
    const exp = Number(exponent);
    const sign = exp < 0 ? '-' : '+';
    const digits = Math.abs(exp).toString().padStart(2, '0');
    return `${m}e${sign}${digits}`;
  }
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text;
}

/** How many of takeOutputView()'s views a writer keeps (a power of two). */
const VIEW_CACHE_SIZE = 4;

export class ReplyWriter {
  /** The protocol this connection negotiated with HELLO; 2 until then. */
  public resp: RespVersion = 2;
  private buf: Buffer = Buffer.allocUnsafe(INITIAL_SIZE);
  private len = 0;
  /**
   * Views takeOutputView() made of `buf`, one per length modulo VIEW_CACHE_SIZE: a later batch of a
   * length seen before (at -P 1, one GET's reply after another, hit or miss) reuses its view
   * instead of making a Buffer, which costs an allocation and Node's `.buffer` lookup.
   */
  private readonly views: Array<Buffer | undefined> = new Array<Buffer | undefined>(VIEW_CACHE_SIZE).fill(undefined);
  /** The buffer `views` are views of (the writer moves to a new one when the socket keeps the old). */
  private viewsOf: Buffer | undefined;

  /** Bytes written since the last `takeOutput()`. */
  public get pending(): number {
    return this.len;
  }

  /** Hands the accumulated replies to the caller and starts a fresh batch. */
  public takeOutput(): Buffer | undefined {
    if (this.len === 0) return undefined;
    // One allocation (pooled when small) and one copy; the writer keeps its buffer for the next batch.
    const out = Buffer.allocUnsafe(this.len);
    this.buf.copy(out, 0, 0, this.len);
    this.len = 0;
    if (this.buf.length > 1024 * 1024) this.buf = Buffer.allocUnsafe(INITIAL_SIZE);
    return out;
  }

  /**
   * The accumulated replies as a view of the writer's own buffer, for one socket write without a
   * copy. The caller must call `outputWritten()` right after handing the view to the socket.
   */
  public takeOutputView(): Buffer | undefined {
    const n = this.len;
    if (n === 0) return undefined;
    this.len = 0;
    const views = this.views;
    if (this.viewsOf !== this.buf) {
      views.fill(undefined);
      this.viewsOf = this.buf;
    }
    const k = n & (VIEW_CACHE_SIZE - 1);
    const cached = views[k];
    if (cached !== undefined && cached.length === n) return cached;
    const view = this.buf.subarray(0, n);
    views[k] = view;
    return view;
  }

  /**
   * After writing `takeOutputView()`'s view: when the socket took every byte at once (`flushed`,
   * the usual case: nothing left in its write queue) the buffer is free again and is reused;
   * otherwise the socket still holds the view, so the writer moves on to a fresh buffer.
   */
  public outputWritten(flushed: boolean): void {
    if (!flushed || this.buf.length > 1024 * 1024) this.buf = Buffer.allocUnsafe(INITIAL_SIZE);
  }

  /** The byte at `offset` of the pending output (e.g. to see whether a reply was an error). */
  public peekByte(offset: number): number {
    return offset < this.len ? this.buf[offset] : -1;
  }

  /** The pending output from `offset` up to the next space or CR (an error reply's code). */
  public peekWord(offset: number): string {
    let end = offset;
    while (end < this.len && end - offset < 64 && this.buf[end] !== 32 && this.buf[end] !== 13) end++;
    return this.buf.toString('latin1', offset, end);
  }

  /** A copy of the pending output from `offset` on (what one command replied, for the AOF). */
  public peekBytes(offset: number): Buffer {
    return Buffer.from(this.buf.subarray(Math.min(offset, this.len), this.len));
  }

  /** Removes everything written after `mark`; used to drop replies a client asked to skip. */
  public truncate(mark: number): void {
    if (mark < this.len) this.len = mark;
  }

  public raw(bytes: Buffer): void {
    const n = bytes.length;
    this.ensure(n);
    if (n <= 16) {
      // Byte loop: cheaper than Buffer#copy's native call for the small pre-encoded constants.
      const buf = this.buf;
      let at = this.len;
      for (let i = 0; i < n; i++) buf[at++] = bytes[i];
      this.len = at;
      return;
    }
    bytes.copy(this.buf, this.len);
    this.len += n;
  }

  public rawString(text: string): void {
    // latin1 is one byte per char, so the byte length is the string's length.
    this.ensure(text.length);
    this.len += writeLatin1(this.buf, text, this.len);
  }

  public ok(): void {
    this.raw(OK);
  }

  public queued(): void {
    this.raw(QUEUED);
  }

  public pong(): void {
    this.raw(PONG);
  }

  /** `+text` — text must not contain CR or LF. */
  public simple(text: string): void {
    this.rawString(`+${text}${CRLF}`);
  }

  /** `-ERR ...`; the caller passes the whole message including its code (ERR, WRONGTYPE...). */
  public error(message: string): void {
    this.rawString(`-${message.replace(/[\r\n]+/g, ' ')}${CRLF}`);
  }

  public integer(value: number | bigint): void {
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      if (value >= 0 && value < SMALL_INT_LIMIT) this.raw(SMALL_INTS[value]);
      else this.safeInteger(value);
      return;
    }
    this.rawString(`:${value}${CRLF}`);
  }

  /**
   * `:<value>\r\n` with the digits written straight into the buffer: list lengths and counters
   * past the pre-encoded range would otherwise build a string per reply (LPUSH's reply is one).
   */
  private safeInteger(value: number): void {
    this.ensure(20);
    const buf = this.buf;
    let at = this.len;
    buf[at++] = 58; // ':'
    let rest = value;
    if (rest < 0) {
      buf[at++] = 45; // '-'
      rest = -rest;
    }
    let digits = 1;
    for (let p = 10; p <= rest; p *= 10) digits++;
    at += digits;
    for (let i = 1; i <= digits; i++) {
      buf[at - i] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    buf[at++] = 13;
    buf[at++] = 10;
    this.len = at;
  }

  /** Bulk string from bytes, or from a latin1 (one char per byte) string as the keyspace keeps them. */
  public bulk(value: Buffer | string): void {
    if (typeof value === 'string') {
      const n = value.length;
      if (n === 0) {
        this.raw(EMPTY_BULK);
        return;
      }
      this.bulkHeader(n);
      this.ensure(n + 2);
      this.len += writeLatin1(this.buf, value, this.len);
    } else {
      const n = value.length;
      if (n === 0) {
        this.raw(EMPTY_BULK);
        return;
      }
      this.bulkHeader(n);
      this.ensure(n + 2);
      value.copy(this.buf, this.len);
      this.len += n;
    }
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  /** Bulk string from human text (UTF-8), for replies such as INFO or CLIENT LIST. */
  public bulkText(text: string): void {
    this.bulk(Buffer.from(text, 'utf8'));
  }

  /** RESP3 verbatim string (`=`), degrading to a bulk string under RESP2. */
  public verbatim(text: string, format = 'txt'): void {
    if (this.resp === 2) {
      this.bulkText(text);
      return;
    }
    const body = Buffer.from(`${format}:${text}`, 'utf8');
    this.rawString(`=${body.length}${CRLF}`);
    this.raw(body);
    this.rawString(CRLF);
  }

  /** Null as a missing bulk string: `$-1` under RESP2, `_` under RESP3. */
  public nullBulk(): void {
    this.raw(this.resp === 3 ? NULL_RESP3 : NULL_BULK);
  }

  /** Null as a missing array: `*-1` under RESP2, `_` under RESP3. */
  public nullArray(): void {
    this.raw(this.resp === 3 ? NULL_RESP3 : NULL_ARRAY);
  }

  public arrayHeader(count: number): void {
    if (count === 0) {
      this.raw(EMPTY_ARRAY);
      return;
    }
    if (count < ARRAY_HEADERS.length) this.raw(ARRAY_HEADERS[count]);
    else this.rawString(`*${count}${CRLF}`);
  }

  /** A map of `count` pairs (`%` in RESP3, a flat array of 2×count in RESP2). */
  public mapHeader(count: number): void {
    if (this.resp === 3) this.rawString(`%${count}${CRLF}`);
    else this.arrayHeader(count * 2);
  }

  /** A set (`~` in RESP3, an array in RESP2). */
  public setHeader(count: number): void {
    if (this.resp === 3) this.rawString(`~${count}${CRLF}`);
    else this.arrayHeader(count);
  }

  /** An out-of-band push (`>` in RESP3, an array in RESP2 as pub/sub messages always were). */
  public pushHeader(count: number): void {
    if (this.resp === 3) this.rawString(`>${count}${CRLF}`);
    else this.arrayHeader(count);
  }

  /** A double (`,` in RESP3, a bulk string in RESP2). */
  public double(value: number): void {
    const text = formatDouble(value);
    if (this.resp === 3) this.rawString(`,${text}${CRLF}`);
    else this.bulk(text);
  }

  /** A boolean (`#t`/`#f` in RESP3, `:1`/`:0` in RESP2). */
  public boolean(value: boolean): void {
    if (this.resp === 3) this.rawString(value ? `#t${CRLF}` : `#f${CRLF}`);
    else this.integer(value ? 1 : 0);
  }

  /** Convenience: an array of bulk strings (null entries become null bulks). */
  public bulkArray(values: ReadonlyArray<Buffer | string | null>): void {
    this.arrayHeader(values.length);
    for (const v of values) {
      if (v === null) this.nullBulk();
      else this.bulk(v);
    }
  }

  private bulkHeader(n: number): void {
    if (n < BULK_HEADERS.length) this.raw(BULK_HEADERS[n]);
    else this.rawString(`$${n}${CRLF}`);
  }

  private ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
}
