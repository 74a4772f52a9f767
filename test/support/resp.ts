/**
 * A test-side RESP2/RESP3 codec, independent of the server's own: it frames replies (so a raw
 * client knows when one is complete), decodes them into a tree that re-encodes to the same bytes,
 * and renders them readably for failure messages.
 */

export type CommandArg = string | Buffer | number;

/** Encodes one command as a RESP array of bulk strings, the way every client library sends it. */
export function encodeCommand(args: readonly CommandArg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const arg of args) {
    const bytes = Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg), 'utf8');
    parts.push(Buffer.from(`$${bytes.length}\r\n`, 'latin1'), bytes, Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

export function encodeCommands(commands: readonly (readonly CommandArg[])[]): Buffer {
  return Buffer.concat(commands.map((c) => encodeCommand(c)));
}

/** Line-typed replies keep their text verbatim so that re-encoding is byte-exact. */
export type LineKind = '+' | '-' | ':' | ',' | '(' | '#' | '_';
/** Length-prefixed blobs. */
export type BlobKind = '$' | '!' | '=';
/** Aggregates; a map (%) and an attribute (|) hold their pairs flattened. */
export type AggregateKind = '*' | '~' | '>' | '%' | '|';

export type RespValue =
  | { readonly kind: LineKind; readonly text: string }
  | { readonly kind: BlobKind; readonly data: Buffer | null }
  | { readonly kind: AggregateKind; readonly items: RespValue[] | null; readonly attribute?: undefined }
  | { readonly kind: 'attributed'; readonly attribute: RespValue; readonly value: RespValue };

export class RespProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RespProtocolError';
  }
}

const CR = 13;
const LF = 10;

/** Result of decoding at an offset: the value and where the next frame starts, or null when incomplete. */
export interface Decoded {
  readonly value: RespValue;
  readonly end: number;
}

function readLine(buf: Buffer, start: number): { text: string; next: number } | null {
  for (let i = start; i < buf.length - 1; i++) {
    if (buf[i] === CR && buf[i + 1] === LF) {
      return { text: buf.toString('latin1', start, i), next: i + 2 };
    }
  }
  return null;
}

function parseLength(text: string, kind: string): number {
  if (!/^-?\d+$/.test(text)) {
    throw new RespProtocolError(`bad length ${JSON.stringify(text)} after '${kind}'`);
  }
  return Number(text);
}

/**
 * Decodes one complete reply starting at `offset`. Returns null when the buffer ends before the
 * reply does; throws RespProtocolError when the bytes are not RESP.
 */
export function decodeReply(buf: Buffer, offset = 0): Decoded | null {
  if (offset >= buf.length) return null;
  const kind = String.fromCharCode(buf[offset]);
  const line = readLine(buf, offset + 1);
  if (line === null) return null;
  switch (kind) {
    case '+':
    case '-':
    case ':':
    case ',':
    case '(':
    case '#':
    case '_':
      return { value: { kind, text: line.text }, end: line.next };
    case '$':
    case '!':
    case '=': {
      const length = parseLength(line.text, kind);
      if (length < 0) {
        if (length !== -1) throw new RespProtocolError(`negative blob length ${length}`);
        return { value: { kind, data: null }, end: line.next };
      }
      const end = line.next + length + 2;
      if (buf.length < end) return null;
      if (buf[end - 2] !== CR || buf[end - 1] !== LF) {
        throw new RespProtocolError(`blob of length ${length} not followed by CRLF`);
      }
      return { value: { kind, data: Buffer.from(buf.subarray(line.next, line.next + length)) }, end };
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      const count = parseLength(line.text, kind);
      if (count < 0) {
        if (count !== -1) throw new RespProtocolError(`negative aggregate length ${count}`);
        return { value: { kind, items: null }, end: line.next };
      }
      const elements = kind === '%' || kind === '|' ? count * 2 : count;
      const items: RespValue[] = [];
      let at = line.next;
      for (let i = 0; i < elements; i++) {
        const item = decodeReply(buf, at);
        if (item === null) return null;
        items.push(item.value);
        at = item.end;
      }
      if (kind === '|') {
        // An attribute is metadata for the reply that follows it: both form one frame.
        const attributed = decodeReply(buf, at);
        if (attributed === null) return null;
        return {
          value: { kind: 'attributed', attribute: { kind, items }, value: attributed.value },
          end: attributed.end,
        };
      }
      return { value: { kind, items }, end: at };
    }
    default:
      throw new RespProtocolError(`unknown reply type byte 0x${buf[offset].toString(16)}`);
  }
}

/** Splits a buffer of complete replies into frames; throws if it ends mid-reply. */
export function splitReplies(buf: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    const decoded = decodeReply(buf, at);
    if (decoded === null) throw new RespProtocolError(`incomplete reply at byte ${at}`);
    frames.push(buf.subarray(at, decoded.end));
    at = decoded.end;
  }
  return frames;
}

/** Decodes exactly one complete reply. */
export function parseReply(frame: Buffer): RespValue {
  const decoded = decodeReply(frame, 0);
  if (decoded === null || decoded.end !== frame.length) {
    throw new RespProtocolError(`not exactly one reply: ${renderBytes(frame)}`);
  }
  return decoded.value;
}

/** Re-encodes a decoded reply; `encodeReply(parseReply(b))` equals `b`. */
export function encodeReply(value: RespValue): Buffer {
  const parts: Buffer[] = [];
  const walk = (v: RespValue): void => {
    if (v.kind === 'attributed') {
      walk(v.attribute);
      // The attribute's own encoding already went out; the attributed value follows.
      walk(v.value);
      return;
    }
    if ('text' in v) {
      parts.push(Buffer.from(`${v.kind}${v.text}\r\n`, 'latin1'));
    } else if ('data' in v) {
      if (v.data === null) {
        parts.push(Buffer.from(`${v.kind}-1\r\n`, 'latin1'));
      } else {
        parts.push(Buffer.from(`${v.kind}${v.data.length}\r\n`, 'latin1'), v.data, Buffer.from('\r\n'));
      }
    } else if (v.items === null) {
      parts.push(Buffer.from(`${v.kind}-1\r\n`, 'latin1'));
    } else {
      const count = v.kind === '%' || v.kind === '|' ? v.items.length / 2 : v.items.length;
      parts.push(Buffer.from(`${v.kind}${count}\r\n`, 'latin1'));
      v.items.forEach(walk);
    }
  };
  walk(value);
  return Buffer.concat(parts);
}

/** Printable form of raw bytes: CR/LF and non-printables escaped, long input elided. */
export function renderBytes(buf: Buffer, max = 300): string {
  let out = '';
  for (let i = 0; i < buf.length && i < max; i++) {
    const b = buf[i];
    if (b === CR) out += '\\r';
    else if (b === LF) out += '\\n';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  if (buf.length > max) out += `…(${buf.length} bytes)`;
  return out;
}

/** A one-line readable rendering, in the spirit of redis-cli. */
export function renderReply(value: RespValue): string {
  switch (value.kind) {
    case 'attributed':
      return `|${renderReply(value.attribute)}| ${renderReply(value.value)}`;
    case '+':
      return value.text;
    case '-':
      return `(error) ${value.text}`;
    case ':':
      return `(integer) ${value.text}`;
    case ',':
      return `(double) ${value.text}`;
    case '(':
      return `(big number) ${value.text}`;
    case '#':
      return `(boolean) ${value.text}`;
    case '_':
      return '(null)';
    case '$':
    case '!':
    case '=':
      if (value.data === null) return '(nil)';
      return `${value.kind === '!' ? '(blob error) ' : ''}"${renderBytes(value.data, 200)}"`;
    default: {
      if (value.items === null) return '(nil array)';
      const open = { '*': '[', '~': '~{', '>': '>[', '%': '%{', '|': '|{' }[value.kind];
      const close = { '*': ']', '~': '}', '>': ']', '%': '}', '|': '}' }[value.kind];
      return `${open}${value.items.map(renderReply).join(', ')}${close}`;
    }
  }
}

/** A bulk/simple string reply's text, or undefined for any other kind. */
export function replyText(value: RespValue): string | undefined {
  if ('text' in value && (value.kind === '+' || value.kind === '-')) return value.text;
  if ('data' in value && value.data !== null) return value.data.toString('latin1');
  return undefined;
}
