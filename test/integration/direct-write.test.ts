/**
 * Replies go straight to the socket's native handle when nothing is ahead of them
 * (lib/server/direct-write.ts) and through the stream otherwise: whatever mix a slow reader
 * causes, the bytes must arrive complete and in order, and a reader that vanishes mid-write must
 * cost nothing but its own connection.
 */
import * as net from 'node:net';
import { encodeCommand, LOOPBACK, RawClient, waitUntil } from '../support';
import { type ServerHandle, startOurServer } from '../support/servers';

// A real process from dist/: the direct write path needs Node's own `process`, which jest's
// sandbox does not give an in-process server.
let server: ServerHandle;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  server = await startOurServer();
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await server.stop();
});

function connectPaused(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ port: server.port, host: LOOPBACK });
    sockets.push(socket);
    socket.once('error', reject);
    socket.once('connect', () => {
      // Not reading: the server's writes fill the kernel buffers and then queue.
      socket.pause();
      resolve(socket);
    });
  });
}

/** Resumes reading and collects bytes until `length` arrived (or 30 s passed, or the socket closed). */
function readExactly(socket: net.Socket, length: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const done = (): void => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      resolve(Buffer.concat(chunks));
    };
    const timer = setTimeout(done, 30_000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= length) done();
    });
    socket.once('close', done);
    socket.resume();
  });
}

/**
 * Waits until the server holds output for the client named `name` (CLIENT LIST omem), so that the
 * reads below start with replies queued; gives up quietly after the bound (the checks after it
 * hold either way, they would only exercise less of the queued path).
 */
async function waitForHeldOutput(admin: RawClient, name: string): Promise<void> {
  await waitUntil(
    async () => {
      const line = (await admin.callText('CLIENT', 'LIST')).split('\n').find((l) => l.includes(`name=${name} `)) ?? '';
      const omem = /omem=(\d+)/.exec(line);
      return omem !== null && Number(omem[1]) > 0;
    },
    { intervalMs: 25, timeoutMs: 10_000 },
  );
}

test('replies a slow reader has not read yet arrive complete and in order', async () => {
  const admin = await RawClient.connect(server.port, LOOPBACK);
  const value = 'v'.repeat(4096);
  expect(await admin.callText('SET', 'dw:value', value)).toBe('+OK\r\n');
  const reader = await connectPaused();
  // 2,400 rounds of a 4 KiB GET and an INCR whose number says where in the sequence it ran: ~10 MiB,
  // far more than the socket buffers hold, sent in 120 small writes so that the server answers
  // in many small batches (each reusing the reply buffer unless the socket still holds it).
  const rounds = 2400;
  const writes = 120;
  await new Promise<void>((r) => reader.write(encodeCommand(['CLIENT', 'SETNAME', 'dw-slow']), () => r()));
  for (let w = 0; w < writes; w++) {
    const batch: Buffer[] = [];
    for (let i = 0; i < rounds / writes; i++) batch.push(encodeCommand(['GET', 'dw:value']), encodeCommand(['INCR', 'dw:seq']));
    await new Promise<void>((r) => reader.write(Buffer.concat(batch), () => r()));
    await new Promise((r) => setTimeout(r, 2));
  }
  await waitForHeldOutput(admin, 'dw-slow');
  let expected = '+OK\r\n';
  for (let i = 1; i <= rounds; i++) expected += `$${value.length}\r\n${value}\r\n:${i}\r\n`;
  const got = await readExactly(reader, expected.length);
  expect(got.length).toBe(expected.length);
  // Compared as one string: any lost, repeated, reordered or overwritten chunk shows as a mismatch.
  const text = got.toString('latin1');
  const firstDifference = Array.from(text).findIndex((c, i) => c !== expected[i]);
  expect(firstDifference).toBe(-1);
  await admin.close();
});

test('a reader that disconnects while its replies are queued costs only its own connection', async () => {
  const admin = await RawClient.connect(server.port, LOOPBACK);
  expect(await admin.callText('SET', 'dw:big2', 'w'.repeat(128 * 1024))).toBe('+OK\r\n');
  const reader = await connectPaused();
  reader.write(encodeCommand(['CLIENT', 'SETNAME', 'dw-gone']));
  reader.write(Buffer.concat(Array.from({ length: 200 }, () => encodeCommand(['GET', 'dw:big2']))));
  await waitForHeldOutput(admin, 'dw-gone');
  reader.destroy();
  // The server drops that client and serves everyone else as before.
  await waitUntil(async () => !(await admin.callText('CLIENT', 'LIST')).includes('name=dw-gone '), { intervalMs: 25 });
  expect(await admin.callText('CLIENT', 'LIST')).not.toContain('name=dw-gone ');
  expect(await admin.callText('PING')).toBe('+PONG\r\n');
  expect(await admin.callText('STRLEN', 'dw:big2')).toBe(':131072\r\n');
  await admin.close();
});
