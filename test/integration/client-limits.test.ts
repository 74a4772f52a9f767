/**
 * The server's limits on clients, run against redis-server 7.0 and ours (real processes, the same
 * assertions): maxclients refuses with Redis's exact bytes and counts rejected_connections;
 * `timeout` closes idle clients but not subscribers or blocked clients; client-output-buffer-limit
 * closes a real slow reader (a socket that stops reading) of the normal and pubsub classes at the
 * hard limit, and at the soft limit only after soft-seconds, with Redis's log line.
 */
import * as net from 'node:net';
import { LOOPBACK, RawClient, startOurServer, startRedisServer, type ServerHandle, type ServerKind, waitUntil } from '../support';
import { encodeCommand } from '../support/resp';

const KINDS: ServerKind[] = ['ours', 'redis'];

function start(kind: ServerKind): Promise<ServerHandle> {
  return kind === 'redis' ? startRedisServer({ config: { loglevel: 'verbose' } }) : startOurServer({ args: ['--loglevel', 'verbose'] });
}

/** A socket that sends commands and then never reads again: the kernel buffers fill, then the server's. */
class SlowReader {
  private constructor(private readonly socket: net.Socket) {}

  static connect(port: number): Promise<SlowReader> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ port, host: LOOPBACK });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        socket.on('error', () => undefined);
        // Shrink our receive window so the server's side fills sooner; then stop reading for good.
        socket.pause();
        resolve(new SlowReader(socket));
      });
    });
  }

  send(...commands: string[][]): void {
    this.socket.write(Buffer.concat(commands.map((c) => encodeCommand(c))));
  }

  close(): void {
    this.socket.destroy();
  }
}

function field(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)\\r?$`, 'm').exec(info)?.[1];
}

async function clientNames(admin: RawClient): Promise<string[]> {
  const list = (await admin.callText('CLIENT', 'LIST')).split('\r\n').slice(1).join('\n');
  return Array.from(list.matchAll(/ name=(\S*) /g), (m) => m[1]).filter((n) => n.length > 0);
}

async function omemOf(admin: RawClient, name: string): Promise<number | undefined> {
  const list = await admin.callText('CLIENT', 'LIST');
  const line = list.split('\n').find((l) => l.includes(` name=${name} `));
  return line === undefined ? undefined : Number(/ omem=(\d+)/.exec(line)?.[1]);
}

/**
 * Repeats `step` until `done` says so; `limit` steps at most (then the test fails on its assertion).
 * For loops bounded by work (publish until the buffers fill); waits for time to pass use waitUntil.
 */
async function repeatUntil(limit: number, step: () => Promise<void>, done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < limit && !(await done()); i++) await step();
}

describe.each(KINDS)('client limits against %s', (kind) => {
  let server: ServerHandle;
  let admin: RawClient;
  const opened: Array<{ close(): unknown }> = [];

  beforeAll(async () => {
    server = await start(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    admin = await RawClient.connect(server.port);
    await admin.callText('CLIENT', 'SETNAME', 'admin');
  });
  afterEach(async () => {
    for (const c of opened.splice(0)) await c.close();
    await admin.callText('CONFIG', 'SET', 'maxclients', '10000', 'timeout', '0', 'client-output-buffer-limit', 'normal 0 0 0 pubsub 32mb 8mb 60');
    await admin.close();
  });

  async function connect(name?: string): Promise<RawClient> {
    const c = await RawClient.connect(server.port);
    opened.push(c);
    if (name !== undefined) expect(await c.callText('CLIENT', 'SETNAME', name)).toBe('+OK\r\n');
    return c;
  }

  test('maxclients: the connection over the limit gets "-ERR max number of clients reached" and is closed; rejected_connections counts it', async () => {
    const before = Number(field(await admin.callText('INFO', 'stats'), 'rejected_connections'));
    expect(await admin.callText('CONFIG', 'SET', 'maxclients', '2')).toBe('+OK\r\n');
    const second = await connect();
    expect(await second.callText('PING')).toBe('+PONG\r\n');
    const third = await connect();
    const refused = await third.readUntilClosed(10000);
    expect(refused).toEqual({ closed: true, bytes: Buffer.from('-ERR max number of clients reached\r\n') });
    expect(Number(field(await admin.callText('INFO', 'stats'), 'rejected_connections'))).toBe(before + 1);
    // A place frees up when a client leaves.
    await second.close();
    await waitUntil(async () => (await clientNames(admin)).length === 1 && field(await admin.callText('INFO', 'clients'), 'connected_clients') === '1');
    const fourth = await connect();
    expect(await fourth.callText('PING')).toBe('+PONG\r\n');
  });

  test('timeout closes an idle client but not a subscriber or a client blocked in BLPOP', async () => {
    const subscriber = await connect('subscriber');
    expect(await subscriber.callText('SUBSCRIBE', 'news')).toBe('*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n');
    const blocked = await connect('blocked');
    await blocked.send('BLPOP', 'nothing-yet', '0');
    const idle = await connect('idle');
    expect(await admin.callText('CONFIG', 'SET', 'timeout', '1')).toBe('+OK\r\n');
    // The admin connection stays busy so that it is never idle itself.
    let closed = false;
    await waitUntil(
      async () => {
        await admin.callText('PING');
        closed = (await idle.readUntilClosed(1)).closed;
        return closed;
      },
      { intervalMs: 50 },
    );
    expect(closed).toBe(true);
    // The subscriber and the blocked client were idle longer than the one just closed: they would have gone with it.
    expect(await clientNames(admin)).toEqual(expect.arrayContaining(['subscriber', 'blocked']));
    expect(await clientNames(admin)).not.toContain('idle');
    expect(await subscriber.callText('PING')).toBe('*2\r\n$4\r\npong\r\n$0\r\n\r\n');
    expect(await admin.callText('RPUSH', 'nothing-yet', 'v')).toBe(':1\r\n');
    expect((await blocked.readBytes()).toString()).toBe('*2\r\n$11\r\nnothing-yet\r\n$1\r\nv\r\n');
  });

  test('normal class: a pipelining client that stops reading is closed at the hard limit, with Redis\'s log line', async () => {
    expect(await admin.callText('SET', 'big', 'x'.repeat(100 * 1024))).toBe('+OK\r\n');
    expect(await admin.callText('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 0 0')).toBe('+OK\r\n');
    const reader = await SlowReader.connect(server.port);
    opened.push(reader);
    reader.send(['CLIENT', 'SETNAME', 'slow'], ...Array.from({ length: 400 }, () => ['GET', 'big']));
    // 40 MB of replies against a 1 MB limit: the client goes as soon as the server holds 1 MB for it.
    await waitUntil(() => /name=slow .*scheduled to be closed ASAP/.test(server.output()));
    expect(await clientNames(admin)).toEqual(['admin']);
    expect(server.output()).toMatch(/# Client id=\d+ addr=\S+ .*name=slow .* scheduled to be closed ASAP for overcoming of output buffer limits\./);
    // The server is fine and still serves others.
    expect(await admin.callText('PING')).toBe('+PONG\r\n');
  });

  test('pubsub class: a subscriber that stops reading is closed at the hard limit; the publisher sees it gone', async () => {
    expect(await admin.callText('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 256kb 0 0')).toBe('+OK\r\n');
    const reader = await SlowReader.connect(server.port);
    opened.push(reader);
    reader.send(['CLIENT', 'SETNAME', 'stalled'], ['SUBSCRIBE', 'firehose']);
    await waitUntil(async () => (await admin.callText('PUBSUB', 'NUMSUB', 'firehose')).endsWith(':1\r\n'));
    const message = 'm'.repeat(64 * 1024);
    let receivers = ':1\r\n';
    // Loopback's kernel buffers take a few MB before the server has to hold any: publish until it gives up.
    await repeatUntil(
      2000,
      async () => {
        receivers = await admin.callText('PUBLISH', 'firehose', message);
      },
      async () => receivers === ':0\r\n',
    );
    expect(receivers).toBe(':0\r\n');
    expect(await clientNames(admin)).toEqual(['admin']);
    expect(server.output()).toMatch(/name=stalled .*flags=P.* scheduled to be closed ASAP for overcoming of output buffer limits\./);
  });

  test('pubsub soft limit: far over it but for less than soft-seconds, the subscriber stays; with 1 second it is closed', async () => {
    expect(await admin.callText('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 0 128kb 3600')).toBe('+OK\r\n');
    const patient = await SlowReader.connect(server.port);
    opened.push(patient);
    patient.send(['CLIENT', 'SETNAME', 'patient'], ['SUBSCRIBE', 'soft']);
    await waitUntil(async () => (await admin.callText('PUBSUB', 'NUMSUB', 'soft')).endsWith(':1\r\n'));
    const message = 's'.repeat(64 * 1024);
    // Until the server holds well over the soft limit for it (8 times), which cannot take an hour.
    await repeatUntil(
      2000,
      async () => {
        await admin.callText('PUBLISH', 'soft', message);
      },
      async () => ((await omemOf(admin, 'patient')) ?? 0) > 1024 * 1024,
    );
    expect(await omemOf(admin, 'patient')).toBeGreaterThan(1024 * 1024);
    expect(await clientNames(admin)).toContain('patient');

    // Now soft-seconds 1: the next output after more than a second over the limit closes it.
    expect(await admin.callText('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 0 128kb 1')).toBe('+OK\r\n');
    let receivers = ':1\r\n';
    await waitUntil(
      async () => {
        receivers = await admin.callText('PUBLISH', 'soft', 'tick');
        return receivers === ':0\r\n';
      },
      { intervalMs: 50 },
    );
    expect(receivers).toBe(':0\r\n');
    expect(await clientNames(admin)).toEqual(['admin']);
  });
});
