/**
 * Reading accepted connections into one reusable buffer.
 *
 * A net.Socket in its usual mode allocates a Buffer (a fresh 64 KiB allocation, shrunk, wrapped
 * in an ArrayBuffer the GC must later sweep) for every read and pushes it through the Readable
 * stream machinery: about 2 µs per read, which at one request per read (redis-benchmark -P 1) is
 * a good part of a GET. Node's `onread` option (net.Socket, Node ≥ 12) reads into a buffer we
 * own instead and calls us directly, but net.Server offers no such option for the sockets it
 * accepts. So the server listens with `pauseOnConnect` (the accepted socket never reads), moves
 * the connection's native handle to a new Socket built with `onread`, and lets the first one go.
 * That relies on the socket's `_handle` field, internal to Node; when it is missing, callers get
 * undefined and keep the ordinary 'data' events.
 *
 * The buffer is reused for the next read of any connection: the callback must copy what it
 * keeps (RespParser.detachInput()).
 */
import * as net from 'node:net';

/** Called with each read's bytes: `buf[0..length)`, valid only until the callback returns. */
export type ReadCallback = (buf: Buffer, length: number) => void;

/** Node's socket options, with the two it accepts beyond its public typings. */
interface AdoptOptions extends net.SocketConstructorOpts {
  handle: object;
  onread: net.OnReadOpts;
}

/** The internal field holding a socket's native TCP handle. */
interface HandleHolder {
  _handle: object | null | undefined;
}

/**
 * Moves an accepted (paused, never read) socket's connection to a new Socket that reads into
 * `buffer`. Returns the new socket, or undefined (with `socket` untouched) when this Node does
 * not expose the handle.
 */
export function adoptWithReadBuffer(socket: net.Socket, buffer: Buffer, onRead: ReadCallback): net.Socket | undefined {
  const holder = socket as unknown as HandleHolder;
  const handle = holder._handle;
  if (handle === null || handle === undefined || typeof handle !== 'object') return undefined;
  holder._handle = null;
  const options: AdoptOptions = {
    handle,
    readable: true,
    writable: true,
    onread: {
      buffer,
      callback: (length: number): boolean => {
        onRead(buffer, length);
        return true;
      },
    },
  };
  const adopted = new net.Socket(options);
  // Without its handle the original closes quietly; that also settles net.Server's connection count.
  socket.destroy();
  return adopted;
}
