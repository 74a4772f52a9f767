/**
 * Protected mode, differentially against redis-server 7.0 without leaving loopback: Redis counts
 * only 127.0.0.1 and ::1 as loopback, so a client whose socket is bound to 127.0.0.2 is an
 * "outside" client to a server on 127.0.0.1. Each case starts both servers with the same config
 * and compares every byte the outside client receives until the server closes or goes quiet.
 */
import * as net from 'node:net';
import { LOOPBACK, startOurServer, startRedisServer, stopAll, type ServerHandle } from '../support';

const OUTSIDE = '127.0.0.2';

/**
 * Connects from `localAddress`, sends PING, and collects what arrives until the server closes, or
 * for 1 s of silence after a reply (every case gets one: PONG, NOAUTH or DENIED). The silence is
 * only counted once bytes came, so a reply a loaded machine delays is still waited for (30 s at most).
 */
function pingFrom(port: number, localAddress: string): Promise<{ bytes: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: LOOPBACK, localAddress });
    let bytes = '';
    let finished = false;
    let quiet: NodeJS.Timeout | undefined;
    const finish = (closed: boolean): void => {
      if (finished) return;
      finished = true;
      clearTimeout(bound);
      if (quiet) clearTimeout(quiet);
      socket.destroy();
      resolve({ bytes, closed });
    };
    const bound = setTimeout(() => finish(false), 30_000);
    const rearm = (): void => {
      if (quiet) clearTimeout(quiet);
      quiet = setTimeout(() => finish(false), 1000);
    };
    socket.on('connect', () => {
      socket.write('*1\r\n$4\r\nPING\r\n');
    });
    socket.on('data', (chunk) => {
      bytes += chunk.toString('latin1');
      rearm();
    });
    // Redis writes the refusal and closes; a reset after it is still a close.
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
    socket.on('close', () => finish(true));
  });
}

async function both(config: Record<string, string>, localAddress: string): Promise<{ redis: { bytes: string; closed: boolean }; ours: { bytes: string; closed: boolean } }> {
  let redis: ServerHandle | undefined;
  let ours: ServerHandle | undefined;
  try {
    [redis, ours] = await Promise.all([
      startRedisServer({ config }),
      startOurServer({ args: Object.entries(config).flatMap(([k, v]) => [`--${k}`, v]) }),
    ]);
    const [r, o] = await Promise.all([pingFrom(redis.port, localAddress), pingFrom(ours.port, localAddress)]);
    return { redis: r, ours: o };
  } finally {
    await stopAll([redis, ours]);
  }
}

describe('protected mode, against redis-server 7.0', () => {
  test('a non-loopback client is refused with -DENIED and closed while the default user has no password', async () => {
    const { redis, ours } = await both({}, OUTSIDE);
    expect(redis.bytes.startsWith('-DENIED Redis is running in protected mode')).toBe(true);
    expect(redis.closed).toBe(true);
    expect(ours).toEqual(redis);
  }, 60000);

  test('a loopback client (127.0.0.1) is served', async () => {
    const { redis, ours } = await both({}, LOOPBACK);
    expect(redis).toEqual({ bytes: '+PONG\r\n', closed: false });
    expect(ours).toEqual(redis);
  }, 60000);

  test('a password on the default user lifts protected mode (the client then needs AUTH)', async () => {
    const { redis, ours } = await both({ requirepass: 'sekret' }, OUTSIDE);
    expect(redis).toEqual({ bytes: '-NOAUTH Authentication required.\r\n', closed: false });
    expect(ours).toEqual(redis);
  }, 60000);

  test('protected-mode no serves everyone', async () => {
    const { redis, ours } = await both({ 'protected-mode': 'no' }, OUTSIDE);
    expect(redis).toEqual({ bytes: '+PONG\r\n', closed: false });
    expect(ours).toEqual(redis);
  }, 60000);

  test('an explicit bind address does not turn protected mode off in 7.0', async () => {
    // Both servers already run with --bind 127.0.0.1 (the harness binds loopback only).
    const { redis, ours } = await both({ 'protected-mode': 'yes' }, OUTSIDE);
    expect(redis.bytes.startsWith('-DENIED')).toBe(true);
    expect(ours).toEqual(redis);
  }, 60000);
});
