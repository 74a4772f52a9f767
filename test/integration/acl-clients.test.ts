/**
 * Real clients log in as ACL users: ioredis and node-redis with username and password (AUTH
 * user pass / HELLO 3 AUTH), redis-cli --user --pass, and each sees exactly what its user may do.
 * ACL_CLIENTS_TARGET=redis points the same tests at redis-server (a check of the tests themselves).
 */
import { execFile } from 'node:child_process';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { RawClient, startOurServer, startRedisServer, type ServerHandle } from '../support';

let server: ServerHandle | undefined;

beforeAll(async () => {
  server = process.env.ACL_CLIENTS_TARGET === 'redis' ? await startRedisServer() : await startOurServer();
  const admin = await RawClient.connect(server.port);
  try {
    expect(await admin.callText('ACL', 'SETUSER', 'app', 'on', '>app-secret', '~app:*', '&app.*', '-@all', '+@read', '+@write', '+@connection', '+subscribe', '+publish', '+acl|whoami')).toBe('+OK\r\n');
    expect(await admin.callText('ACL', 'SETUSER', 'reader', 'on', '>read-secret', '~*', '-@all', '+@read', '+ping', '+hello', '+client|setname')).toBe('+OK\r\n');
  } finally {
    await admin.close();
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

function port(): number {
  if (server === undefined) throw new Error('server did not start');
  return server.port;
}

describe('ioredis with username and password', () => {
  test('runs as the user: allowed commands work, others get NOPERM', async () => {
    const redis = new Redis({ port: port(), host: '127.0.0.1', username: 'app', password: 'app-secret', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await redis.connect();
      expect(await redis.call('ACL', 'WHOAMI')).toBe('app');
      expect(await redis.set('app:1', 'v')).toBe('OK');
      expect(await redis.get('app:1')).toBe('v');
      await expect(redis.get('other')).rejects.toThrow('NOPERM this user has no permissions to access one of the keys used as arguments');
      await expect(redis.call('CONFIG', 'GET', 'port')).rejects.toThrow("NOPERM this user has no permissions to run the 'config|get' command");
      await expect(redis.publish('news', 'x')).rejects.toThrow('NOPERM this user has no permissions to access one of the channels used as arguments');
      expect(await redis.publish('app.events', 'x')).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  test('a wrong password fails the connection with WRONGPASS', async () => {
    const redis = new Redis({ port: port(), host: '127.0.0.1', username: 'app', password: 'nope', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const errors: string[] = [];
    redis.on('error', (err: Error) => errors.push(err.message));
    try {
      await expect(redis.connect()).rejects.toThrow();
      expect(errors).toContain('WRONGPASS invalid username-password pair or user is disabled.');
    } finally {
      redis.disconnect();
    }
  });
});

describe('node-redis with username and password (RESP3: HELLO 3 AUTH)', () => {
  test('authenticates through HELLO and is held to the user\'s rules', async () => {
    const client = createClient({ socket: { port: port(), host: '127.0.0.1', reconnectStrategy: false }, username: 'reader', password: 'read-secret', RESP: 3 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      expect(await client.sendCommand(['ACL', 'WHOAMI']).catch((e: Error) => e.message)).toBe("NOPERM this user has no permissions to run the 'acl|whoami' command");
      expect(await client.get('anything')).toBeNull();
      await expect(client.set('k', 'v')).rejects.toThrow("NOPERM this user has no permissions to run the 'set' command");
    } finally {
      await client.disconnect().catch(() => undefined);
    }
  });
});

function redisCli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port()), ...args], { timeout: 10000 }, (err, stdout, stderr) => {
      if (err && err.killed) reject(err);
      else resolve({ stdout, stderr });
    });
  });
}

describe('redis-cli --user --pass', () => {
  test('runs commands as the user', async () => {
    expect((await redisCli(['--user', 'app', '--pass', 'app-secret', '--no-auth-warning', 'ACL', 'WHOAMI'])).stdout).toBe('app\n');
    expect((await redisCli(['--user', 'app', '--pass', 'app-secret', '--no-auth-warning', 'SET', 'app:cli', 'x'])).stdout).toBe('OK\n');
    expect((await redisCli(['--user', 'app', '--pass', 'app-secret', '--no-auth-warning', 'GET', 'other'])).stdout).toBe(
      'NOPERM this user has no permissions to access one of the keys used as arguments\n\n',
    );
  });

  test('a wrong password is reported and the command refused', async () => {
    const { stdout, stderr } = await redisCli(['--user', 'app', '--pass', 'wrong', '--no-auth-warning', 'GET', 'app:cli']);
    expect(`${stdout}${stderr}`).toContain('WRONGPASS invalid username-password pair or user is disabled.');
    expect(`${stdout}${stderr}`).not.toContain('\nx\n');
  });
});
