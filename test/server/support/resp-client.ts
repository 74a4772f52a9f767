/**
 * A small RESP2/RESP3 client for black-box tests of the server: send commands, read decoded
 * replies in order (pushes included), or exchange raw bytes.
 */
import { testServerConfig } from './scratch-dir';
import * as net from 'node:net';
import { startServer, type CacheServer, type ServerOptions } from '../../../lib/server';

export class ErrorReply {
  constructor(public readonly message: string) {}
}
export class MapReply {
  constructor(public readonly entries: Array<[Reply, Reply]>) {}
}
export class PushReply {
  constructor(public readonly items: Reply[]) {}
}
export type Reply = string | number | bigint | boolean | null | ErrorReply | MapReply | PushReply | Reply[];

/** Decodes one reply from `buf` at `pos`; undefined when incomplete. */
export function decode(buf: Buffer, pos: number): { value: Reply; next: number } | undefined {
  const lineEnd = buf.indexOf('\r\n', pos, 'latin1');
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buf[pos]);
  const line = buf.toString('latin1', pos + 1, lineEnd);
  const after = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, next: after };
    case '-':
      return { value: new ErrorReply(line), next: after };
    case ':':
      return { value: Number(line), next: after };
    case '_':
      return { value: null, next: after };
    case ',':
      return { value: Number(line.replace('inf', 'Infinity')), next: after };
    case '#':
      return { value: line === 't', next: after };
    case '(':
      return { value: BigInt(line), next: after };
    case '$':
    case '=': {
      const n = Number(line);
      if (n < 0) return { value: null, next: after };
      if (buf.length < after + n + 2) return undefined;
      let text = buf.toString('latin1', after, after + n);
      if (type === '=') text = text.slice(4);
      return { value: text, next: after + n + 2 };
    }
    case '*':
    case '~':
    case '>':
    case '%': {
      const n = Number(line);
      if (n < 0) return { value: null, next: after };
      const count = type === '%' ? n * 2 : n;
      const items: Reply[] = [];
      let at = after;
      for (let i = 0; i < count; i++) {
        const r = decode(buf, at);
        if (!r) return undefined;
        items.push(r.value);
        at = r.next;
      }
      if (type === '>') return { value: new PushReply(items), next: at };
      if (type === '%') {
        const entries: Array<[Reply, Reply]> = [];
        for (let i = 0; i < items.length; i += 2) entries.push([items[i], items[i + 1]]);
        return { value: new MapReply(entries), next: at };
      }
      return { value: items, next: at };
    }
    default:
      throw new Error(`unexpected reply type '${type}'`);
  }
}

export function encodeCommand(args: ReadonlyArray<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * How long a read or a wait for a close may take before it counts as missing. Only a hang bound:
 * a loaded machine (CI, other jobs on the same cores) can stall a reply for seconds.
 */
export const REPLY_TIMEOUT_MS = 10_000;

export class TestClient {
  private buf = Buffer.alloc(0);
  private readonly replies: Reply[] = [];
  private waiters: Array<() => void> = [];
  public closed = false;

  private constructor(public readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      for (;;) {
        const r = decode(this.buf, 0);
        if (!r) break;
        this.replies.push(r.value);
        this.buf = this.buf.subarray(r.next);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  public static connect(port: number): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1' }, () => resolve(new TestClient(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Sends a command without waiting. */
  public send(...args: Array<string | Buffer>): void {
    this.socket.write(encodeCommand(args));
  }

  public sendRaw(bytes: string | Buffer): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** The next reply (or push), waiting up to `timeoutMs`. */
  public async read(timeoutMs = REPLY_TIMEOUT_MS): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a reply');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.replies.shift() as Reply;
  }

  /** True when no reply arrives within `ms`. */
  public async silentFor(ms: number): Promise<boolean> {
    await new Promise((r) => setTimeout(r, ms));
    return this.replies.length === 0;
  }

  public async call(...args: Array<string | Buffer>): Promise<Reply> {
    this.send(...args);
    return this.read();
  }

  /** Resolves when the server closes the connection. */
  public async waitClosed(timeoutMs = REPLY_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection still open');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  public close(): void {
    this.socket.destroy();
  }
}

/**
 * Sends raw bytes on a fresh connection and returns everything received until the server closes
 * it; `closed` is false when it did not close within `timeoutMs`. (Waiting for the close, not for a
 * quiet moment: on a loaded machine a reply can come after any quiet period.)
 */
export function exchangeRaw(port: number, bytes: string | Buffer, timeoutMs = REPLY_TIMEOUT_MS): Promise<{ data: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let data = '';
    let finished = false;
    const timer = setTimeout(() => done(false), timeoutMs);
    function done(closed: boolean): void {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ data, closed });
    }
    socket.on('connect', () => {
      socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    });
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
    });
    socket.on('close', () => done(true));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/**
 * One server for a test file, started before its tests and closed after them, and a connect()
 * (to it, or to another server given) whose clients are closed after each test.
 */
export function useTestServer(options: ServerOptions = {}): {
  server: () => CacheServer;
  connect: (target?: CacheServer) => Promise<TestClient>;
} {
  let started: CacheServer | undefined;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    started = await startTestServer(options);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await started?.close();
  });
  const server = (): CacheServer => {
    if (started === undefined) throw new Error('the test server is not started yet (use it inside a test)');
    return started;
  };
  const connect = async (target: CacheServer = server()): Promise<TestClient> => {
    const c = await TestClient.connect(target.port);
    clients.push(c);
    return c;
  };
  return { server, connect };
}

/** Starts a server on a free port with test-friendly defaults. */
export function startTestServer(options: ServerOptions = {}): Promise<CacheServer> {
  return startServer({ bind: '127.0.0.1', port: 0, ...options, config: testServerConfig(options.config) });
}
