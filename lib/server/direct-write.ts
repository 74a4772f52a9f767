/**
 * Writing a batch of replies straight to a TCP socket's native handle, past the Writable stream.
 *
 * `socket.write(buf)` runs Writable's bookkeeping (state, buffering, callbacks) and, even when
 * the kernel took every byte at once, defers its completion to a process.nextTick: per batch of
 * replies that is a good part of what Node's JS costs us at -P16 (see bench/perf/README.md). The
 * native handle's `writeBuffer(req, buf)`, which the stream ends in, tries the write at once and
 * reports whether it completed; only a write the kernel could not take whole stays queued in
 * libuv (in order with any later write on the same handle) and completes through
 * `req.oncomplete`.
 *
 * Ordering with the stream: a direct write is attempted only while the stream has nothing
 * buffered (`writableLength === 0`) and no direct write is still queued, so bytes never overtake
 * each other; otherwise the caller uses `socket.write`, whose write lands behind ours in libuv's
 * queue. `socket.end()` shuts the connection down only after libuv's queued writes, ours included.
 *
 * This relies on Node internals (the socket's `_handle`, `process.binding('stream_wrap')`'s
 * WriteWrap and stream state); when they are missing, `DirectWriter.open` returns undefined and
 * the caller keeps `socket.write`.
 */
import type * as net from 'node:net';

/** What Node's WriteWrap request object carries (see lib/internal/stream_base_commons.js). */
interface WriteRequest {
  handle: NativeStream;
  oncomplete: (this: WriteRequest, status: number) => void;
  async: boolean;
  bytes: number;
  /** Keeps the bytes alive while libuv holds the write. */
  buffer: Uint8Array | null;
  /** Ours: who to tell when a queued write completes. */
  writer?: DirectWriter;
}

interface NativeStream {
  writeBuffer(req: WriteRequest, data: Uint8Array): number;
}

interface StreamWrapBinding {
  WriteWrap: new () => WriteRequest;
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
}

interface HandleHolder {
  _handle: unknown;
}

function loadBinding(): StreamWrapBinding | undefined {
  try {
    const legacy = process as unknown as { binding?: (name: string) => unknown };
    const binding = legacy.binding?.('stream_wrap') as Partial<StreamWrapBinding> | undefined;
    if (binding === undefined || typeof binding.WriteWrap !== 'function' || !(binding.streamBaseState instanceof Int32Array)) return undefined;
    if (typeof binding.kLastWriteWasAsync !== 'number') return undefined;
    return binding as StreamWrapBinding;
  } catch {
    return undefined;
  }
}

const binding = loadBinding();

function onComplete(this: WriteRequest, status: number): void {
  this.buffer = null;
  const writer = this.writer;
  this.writer = undefined;
  if (writer !== undefined) writer.completed(status);
}

/** Outcomes of `DirectWriter.write`. */
export const WriteOutcome = {
  /** The kernel took every byte; the caller's buffer is free again. */
  Done: 0,
  /** Queued in libuv; the bytes are held until the write completes. */
  Queued: 1,
  /** Not attempted (the stream has bytes buffered, or a direct write is still queued): use socket.write. */
  Declined: 2,
  /** The write failed (the peer is gone); the socket has been destroyed. */
  Failed: 3,
} as const;
export type WriteOutcome = (typeof WriteOutcome)[keyof typeof WriteOutcome];

export class DirectWriter {
  /** A direct write is queued in libuv and has not completed yet. */
  public queued = false;
  /** Bytes of the queued direct write (output not yet taken by the kernel). */
  public queuedBytes = 0;
  /** A request object reused while writes complete at once (libuv keeps only queued ones). */
  private spare: WriteRequest;
  /**
   * Whether writeViaStream() was ever used: only then can the stream hold bytes a direct write
   * must not overtake, so only then is its state read (Writable's getters cost more than the
   * rest of a direct write's checks together).
   */
  private streamUsed = false;

  private constructor(
    private readonly socket: net.Socket,
    private readonly handle: NativeStream,
    private readonly state: StreamWrapBinding,
  ) {
    this.spare = this.request();
  }

  /** A writer for a plain TCP socket, or undefined when this Node does not expose what it needs. */
  public static open(socket: net.Socket): DirectWriter | undefined {
    if (binding === undefined || (socket as { encrypted?: boolean }).encrypted === true) return undefined;
    const handle = (socket as unknown as HandleHolder)._handle as Partial<NativeStream> | null | undefined;
    if (handle === null || handle === undefined || typeof handle.writeBuffer !== 'function') return undefined;
    return new DirectWriter(socket, handle as NativeStream, binding);
  }

  /** Writes `data` to the handle when nothing is ahead of it; see WriteOutcome. */
  public write(data: Uint8Array): WriteOutcome {
    const socket = this.socket;
    // A destroyed socket has dropped its handle (net.Socket's _destroy), so the handle check covers it.
    if (this.queued || (socket as unknown as HandleHolder)._handle !== this.handle || (this.streamUsed && socket.writableLength !== 0)) {
      return WriteOutcome.Declined;
    }
    const req = this.spare;
    const err = this.handle.writeBuffer(req, data);
    if (err !== 0) {
      // As the stream does with a failed write: the connection is unusable.
      socket.destroy();
      return WriteOutcome.Failed;
    }
    if (this.state.streamBaseState[this.state.kLastWriteWasAsync] === 0) return WriteOutcome.Done;
    // libuv holds this request until the rest is written: keep the bytes alive, use a new spare.
    req.async = true;
    req.buffer = data;
    req.writer = this;
    this.queued = true;
    this.queuedBytes = data.length;
    this.spare = this.request();
    return WriteOutcome.Queued;
  }

  /** `socket.write(data)`, for a write() that was declined: later direct writes wait behind it. */
  public writeViaStream(data: Uint8Array): boolean {
    this.streamUsed = true;
    return this.socket.write(data);
  }

  /**
   * A queued write finished (status < 0: it failed, e.g. the connection was reset). Writes made
   * meanwhile went through the stream, whose own 'drain' ends any pause of reading.
   */
  public completed(status: number): void {
    this.queued = false;
    this.queuedBytes = 0;
    if (status < 0 && !this.socket.destroyed) this.socket.destroy();
  }

  private request(): WriteRequest {
    const req = new this.state.WriteWrap();
    req.handle = this.handle;
    req.oncomplete = onComplete;
    req.async = false;
    req.bytes = 0;
    req.buffer = null;
    return req;
  }
}
