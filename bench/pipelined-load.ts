/**
 * Loading a dataset fast: RESP commands written in batches over one connection, the next batch
 * only once every reply of the last one arrived (so neither side buffers without bound).
 *
 * Every command the bench loads with answers in one line (+OK, :n), so replies are counted by
 * newlines instead of parsed; the first error reply stops the load with its text.
 */
import * as net from 'node:net';
import { LOOPBACK } from '../test/support';

/** One command as RESP bytes (latin1 text). */
export function resp(...args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${a.length}\r\n${a}\r\n`;
  return out;
}

/** About this many bytes per batch: large enough to keep the server busy, small enough to hold. */
const BATCH_BYTES = 1 << 20;

/** Sends command(0) … command(count-1) over a fresh connection to `port`, waiting for every reply. */
export async function loadCommands(port: number, count: number, command: (i: number) => string): Promise<void> {
  const socket = net.createConnection({ port, host: LOOPBACK });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let replies = 0;
  let error = '';
  let closed = false;
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) replies++;
    if (error === '' && chunk.includes('\r\n-')) error = chunk.toString('latin1', chunk.indexOf('\r\n-') + 2, chunk.indexOf('\r\n-') + 200);
    if (error === '' && chunk[0] === 0x2d) error = chunk.toString('latin1', 0, 200);
    wake?.();
  });
  socket.on('error', (err) => (error ||= err.message));
  socket.on('close', () => {
    closed = true;
    wake?.();
  });
  try {
    let sent = 0;
    while (sent < count) {
      const parts: string[] = [];
      let bytes = 0;
      while (sent < count && bytes < BATCH_BYTES) {
        const c = command(sent++);
        parts.push(c);
        bytes += c.length;
      }
      socket.write(parts.join(''), 'latin1');
      while (replies < sent && error === '' && !closed) {
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (error !== '') throw new Error(`loading: ${error.split('\r\n')[0]}`);
      if (closed) throw new Error(`loading: the server closed the connection after ${replies} replies`);
    }
  } finally {
    socket.destroy();
  }
}
