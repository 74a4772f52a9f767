/**
 * The floor: the least a Node server can do per request — count request lines and answer each
 * with a pre-encoded reply in one write per read. It parses nothing and stores nothing; CPU per
 * request here is what Node's socket machinery costs by itself.
 *
 *   node floor-server.js --port PORT [--reply ok|bulk]   (flags as our CLI's, so cpu-per-op.ts can run it)
 */
import * as net from 'node:net';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const port = Number(flag('port', '6399'));
const kind = flag('reply', 'ok');
const REPLY = Buffer.from(kind === 'bulk' ? '$32\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n' : '+OK\r\n');

/** Requests are `*N\r\n` lines at the start of a frame; count the '*' after a '\n' (enough for redis-benchmark). */
function countRequests(chunk: Uint8Array, length: number, state: { lastNl: boolean }): number {
  let n = 0;
  let lastNl = state.lastNl;
  for (let i = 0; i < length; i++) {
    const c = chunk[i];
    if (c === 42 && lastNl) n++;
    lastNl = c === 10;
  }
  state.lastNl = lastNl;
  return n;
}

function answer(socket: net.Socket, n: number): void {
  if (n === 0) return;
  const out = Buffer.allocUnsafe(REPLY.length * n);
  for (let i = 0; i < n; i++) REPLY.copy(out, i * REPLY.length);
  socket.write(out);
}

const server = net.createServer({ noDelay: true }, (socket) => {
  const state = { lastNl: true };
  socket.on('data', (chunk: Buffer) => answer(socket, countRequests(chunk, chunk.length, state)));
  socket.on('error', () => undefined);
});

server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
