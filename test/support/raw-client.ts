/**
 * A RESP client that works at the byte level: it sends exactly the bytes it is given and hands
 * back exactly the bytes of each reply, framed by the test-side codec. Every wait has a timeout,
 * and a timeout or a close is reported as a value rather than thrown, so a misbehaving server
 * produces a readable diff instead of a hung test.
 */
import * as net from 'node:net';
import { LOOPBACK } from './ports';
import { type CommandArg, decodeReply, encodeCommand, encodeCommands, RespProtocolError } from './resp';

/** Only a hang bound: a loaded machine (CI, other jobs on the same cores) can stall a reply for seconds. */
export const DEFAULT_REPLY_TIMEOUT_MS = 15000;

/** What reading a reply produced: the reply's bytes, or why there is none. */
export type ReadResult =
  | { readonly kind: 'reply'; readonly bytes: Buffer }
  | { readonly kind: 'timeout'; readonly pending: Buffer }
  | { readonly kind: 'closed'; readonly pending: Buffer }
  | { readonly kind: 'garbage'; readonly pending: Buffer; readonly error: string };

export class RawClient {
  private buffer: Buffer = Buffer.alloc(0);
  private closedFlag = false;
  private waiter: (() => void) | undefined;
  private socketError: Error | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('error', (err) => {
      // ECONNRESET / EPIPE after the server closed on a protocol error are expected: record them.
      this.socketError = err;
    });
    socket.on('close', () => {
      this.closedFlag = true;
      this.wake();
    });
  }

  static connect(port: number, host = LOOPBACK, timeoutMs = DEFAULT_REPLY_TIMEOUT_MS): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ port, host });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new RawClient(socket));
      });
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  get lastError(): Error | undefined {
    return this.socketError;
  }

  /** Bytes received and not yet consumed. */
  get pending(): Buffer {
    return this.buffer;
  }

  /** Writes raw bytes; resolves when they are handed to the kernel (or the socket is gone). */
  write(bytes: Buffer | string): Promise<void> {
    if (this.closedFlag || this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.write(bytes, () => resolve());
    });
  }

  send(...args: CommandArg[]): Promise<void> {
    return this.write(encodeCommand(args));
  }

  sendMany(commands: readonly (readonly CommandArg[])[]): Promise<void> {
    return this.write(encodeCommands(commands));
  }

  /** Reads the next complete reply frame (an attribute and its value count as one). */
  async read(timeoutMs = DEFAULT_REPLY_TIMEOUT_MS): Promise<ReadResult> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let decoded;
      try {
        decoded = decodeReply(this.buffer, 0);
      } catch (err) {
        if (!(err instanceof RespProtocolError)) throw err;
        return { kind: 'garbage', pending: this.buffer, error: err.message };
      }
      if (decoded !== null) {
        const bytes = Buffer.from(this.buffer.subarray(0, decoded.end));
        this.buffer = this.buffer.subarray(decoded.end);
        return { kind: 'reply', bytes };
      }
      if (this.closedFlag) return { kind: 'closed', pending: this.buffer };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'timeout', pending: this.buffer };
      await this.waitForData(left);
    }
  }

  /** Reads one reply and returns its bytes, throwing on timeout/close (for helpers that need a value). */
  async readBytes(timeoutMs = DEFAULT_REPLY_TIMEOUT_MS): Promise<Buffer> {
    const result = await this.read(timeoutMs);
    if (result.kind !== 'reply') {
      throw new Error(`expected a reply, got ${result.kind} (pending ${JSON.stringify(result.pending.toString('latin1'))})`);
    }
    return result.bytes;
  }

  /** Sends one command and returns its reply's bytes. */
  async call(...args: CommandArg[]): Promise<Buffer> {
    await this.send(...args);
    return this.readBytes();
  }

  /** Sends one command and returns the reply as text (for simple/bulk/integer/error replies). */
  async callText(...args: CommandArg[]): Promise<string> {
    const bytes = await this.call(...args);
    return bytes.toString('latin1');
  }

  /** Waits until the server closes the connection; resolves to everything received meanwhile. */
  async readUntilClosed(timeoutMs = DEFAULT_REPLY_TIMEOUT_MS): Promise<{ closed: boolean; bytes: Buffer }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closedFlag) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await this.waitForData(left);
    }
    const bytes = this.buffer;
    this.buffer = Buffer.alloc(0);
    return { closed: this.closedFlag, bytes };
  }

  /** Collects whatever arrives within `quietMs` of silence (for pushes whose count is unknown). */
  async drain(quietMs: number): Promise<Buffer> {
    let seen = this.buffer.length;
    for (;;) {
      await this.waitForData(quietMs);
      if (this.buffer.length === seen || this.closedFlag) break;
      seen = this.buffer.length;
    }
    const bytes = this.buffer;
    this.buffer = Buffer.alloc(0);
    return bytes;
  }

  /** Half-closes our side (like a client that sent everything). */
  end(): void {
    if (!this.socket.destroyed) this.socket.end();
  }

  /** Closes the connection at once and waits for the close event. */
  close(): Promise<void> {
    if (this.closedFlag) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }

  private waitForData(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve();
      }, timeoutMs);
      this.waiter = () => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve();
      };
    });
  }

  private wake(): void {
    this.waiter?.();
  }
}
