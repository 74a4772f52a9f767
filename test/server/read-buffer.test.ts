/**
 * Every connection reads into the server's one reusable read buffer (lib/server/reusable-read.ts):
 * whatever a client's parser keeps past a read — a partial request, input held while blocked or
 * paused, a paused command — must have been copied out before another read overwrites it.
 */
import { type CacheServer, startServer } from '../../lib/server';
import { testServerConfig } from './support/scratch-dir';
import { encodeCommand, LOOPBACK, RawClient } from '../support';

let server: CacheServer;
const clients: RawClient[] = [];

async function connect(): Promise<RawClient> {
  const c = await RawClient.connect(server.port, LOOPBACK);
  clients.push(c);
  return c;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  server = await startServer({ port: 0, bind: LOOPBACK, logger: () => undefined, config: testServerConfig() });
});

afterAll(async () => {
  for (const c of clients) await c.close();
  await server.close();
});

test('a request split across reads survives other connections reading in between', async () => {
  const a = await connect();
  const b = await connect();
  const request = encodeCommand(['SET', 'rb:split', 'A'.repeat(300)]);
  for (const cut of [3, 9, 20, request.length - 2]) {
    await a.write(request.subarray(0, cut));
    await pause(20);
    // B's read overwrites the shared buffer with other bytes of the same shape.
    expect((await b.callText('SET', 'rb:other', 'B'.repeat(300))).trim()).toBe('+OK');
    await a.write(request.subarray(cut));
    expect((await a.readBytes()).toString()).toBe('+OK\r\n');
    expect((await a.callText('GET', 'rb:split')).trim()).toBe(`$300\r\n${'A'.repeat(300)}`);
  }
});

test('input held while a client is blocked is intact when it is unblocked', async () => {
  const blocked = await connect();
  const other = await connect();
  // BLPOP blocks; the GET pipelined behind it stays unparsed in the client's buffer.
  await blocked.write(Buffer.concat([encodeCommand(['BLPOP', 'rb:list', '0']), encodeCommand(['GET', 'rb:held'])]));
  await pause(50);
  expect((await other.callText('SET', 'rb:held', 'kept')).trim()).toBe('+OK');
  expect((await other.callText('GET', 'rb:overwrite-the-buffer-with-something-longer')).trim()).toBe('$-1');
  expect((await other.callText('RPUSH', 'rb:list', 'x')).trim()).toBe(':1');
  let got = '';
  for (let i = 0; i < 20 && !got.includes('kept'); i++) got += (await blocked.readBytes()).toString();
  expect(got).toBe('*2\r\n$7\r\nrb:list\r\n$1\r\nx\r\n$4\r\nkept\r\n');
});

test('a command held by CLIENT PAUSE runs with its own arguments after other reads', async () => {
  const admin = await connect();
  const writer = await connect();
  expect((await admin.callText('CLIENT', 'PAUSE', '200', 'WRITE')).trim()).toBe('+OK');
  await writer.write(encodeCommand(['SET', 'rb:paused', 'original-value']));
  await pause(30);
  // Other reads reuse the buffer while the SET waits.
  for (let i = 0; i < 5; i++) expect((await admin.callText('ECHO', 'x'.repeat(40))).trim()).toBe(`$40\r\n${'x'.repeat(40)}`);
  expect((await writer.readBytes()).toString()).toBe('+OK\r\n');
  expect((await admin.callText('GET', 'rb:paused')).trim()).toBe('$14\r\noriginal-value');
});
