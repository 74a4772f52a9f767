/**
 * Real clients drive our server: ioredis, node-redis (RESP2 and RESP3) and redis-cli (command
 * mode, RESP3 mode and --pipe). Basic commands, pipelines, MULTI/EXEC and pub/sub with a message
 * actually received. CLIENTS_TARGET=redis points the same tests at redis-server (a check of the
 * tests themselves).
 */
import { spawn } from 'node:child_process';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { CONDITION_TIMEOUT_MS, encodeCommands, startOurServer, startRedisServer, type ServerHandle } from '../support';

let server: ServerHandle | undefined;

beforeAll(async () => {
  server = process.env.CLIENTS_TARGET === 'redis' ? await startRedisServer() : await startOurServer();
});

afterAll(async () => {
  await server?.stop();
});

function port(): number {
  if (server === undefined) throw new Error('server did not start');
  return server.port;
}

/** Resolves with the first value a callback is called with, or rejects after a timeout. */
function firstCall<T>(timeoutMs: number, register: (resolve: (value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing received within ${timeoutMs} ms`)), timeoutMs);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

describe('ioredis', () => {
  let redis: Redis;
  let sub: Redis | undefined;

  beforeEach(async () => {
    redis = new Redis({ port: port(), host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await redis.connect();
    await redis.flushall();
  });

  afterEach(async () => {
    redis.disconnect();
    sub?.disconnect();
    sub = undefined;
  });

  test('basic commands', async () => {
    expect(await redis.ping()).toBe('PONG');
    expect(await redis.set('k', 'v')).toBe('OK');
    expect(await redis.get('k')).toBe('v');
    expect(await redis.set('k', 'w', 'EX', 100, 'GET')).toBe('v');
    expect(await redis.ttl('k')).toBeGreaterThan(0);
    expect(await redis.incrby('n', 5)).toBe(5);
    expect(await redis.incrbyfloat('n', '0.5')).toBe('5.5');
    expect(await redis.mget('k', 'n', 'missing')).toEqual(['w', '5.5', null]);
    expect(await redis.exists('k', 'missing')).toBe(1);
    expect(await redis.del('k')).toBe(1);
    expect(await redis.setbit('b', 7, 1)).toBe(0);
    expect(await redis.bitcount('b')).toBe(1);
    expect(await redis.getBuffer('b')).toEqual(Buffer.from([1]));
    expect(await redis.dbsize()).toBe(2);
    await expect(redis.incr('n')).rejects.toThrow('ERR value is not an integer or out of range');
  });

  test('binary values round-trip', async () => {
    const value = Buffer.from([0, 1, 2, 13, 10, 255, 254]);
    await redis.set(Buffer.from([0xff, 0x00]), value);
    expect(await redis.getBuffer(Buffer.from([0xff, 0x00]))).toEqual(value);
  });

  test('pipeline', async () => {
    const pipeline = redis.pipeline();
    for (let i = 0; i < 100; i++) pipeline.set(`key:${i}`, String(i));
    pipeline.get('key:42').incr('key:99').keys('key:1?');
    const results = await pipeline.exec();
    expect(results).not.toBeNull();
    expect(results!.slice(0, 100).every(([err, reply]) => err === null && reply === 'OK')).toBe(true);
    expect(results![100]).toEqual([null, '42']);
    expect(results![101]).toEqual([null, 100]);
    expect((results![102][1] as string[]).sort()).toEqual(['key:10', 'key:11', 'key:12', 'key:13', 'key:14', 'key:15', 'key:16', 'key:17', 'key:18', 'key:19']);
  });

  test('MULTI/EXEC transaction, and WATCH aborting one', async () => {
    expect(await redis.multi().set('t', '1').incr('t').get('t').exec()).toEqual([
      [null, 'OK'],
      [null, 2],
      [null, '2'],
    ]);
    await redis.watch('t');
    const other = new Redis({ port: port(), host: '127.0.0.1' });
    try {
      await other.set('t', 'changed');
    } finally {
      other.disconnect();
    }
    expect(await redis.multi().set('t', 'mine').exec()).toBeNull();
    expect(await redis.get('t')).toBe('changed');
  });

  test('pub/sub: subscribe, publish, message received', async () => {
    sub = new Redis({ port: port(), host: '127.0.0.1' });
    const received = firstCall<[string, string]>(CONDITION_TIMEOUT_MS, (resolve) => {
      sub!.on('message', (channel: string, message: string) => resolve([channel, message]));
    });
    expect(await sub.subscribe('news')).toBe(1);
    expect(await redis.publish('news', 'hello')).toBe(1);
    expect(await received).toEqual(['news', 'hello']);
    const pattern = firstCall<[string, string, string]>(CONDITION_TIMEOUT_MS, (resolve) => {
      sub!.on('pmessage', (p: string, channel: string, message: string) => resolve([p, channel, message]));
    });
    expect(await sub.psubscribe('sp*')).toBe(2);
    expect(await redis.publish('sport', 'goal')).toBe(1);
    expect(await pattern).toEqual(['sp*', 'sport', 'goal']);
  });
});

describe.each([2, 3] as const)('node-redis, RESP%i', (resp) => {
  type Client = ReturnType<typeof createClient>;
  let client: Client;
  const extra: Client[] = [];

  beforeEach(async () => {
    client = createClient({ socket: { host: '127.0.0.1', port: port(), reconnectStrategy: false }, RESP: resp });
    client.on('error', () => undefined);
    await client.connect();
    await client.flushAll();
  });

  afterEach(async () => {
    for (const c of [client, ...extra.splice(0)]) {
      if (c.isOpen) c.destroy();
    }
  });

  test('basic commands', async () => {
    expect(await client.ping()).toBe('PONG');
    expect(await client.set('k', 'v', { expiration: { type: 'EX', value: 100 } })).toBe('OK');
    expect(await client.get('k')).toBe('v');
    expect(await client.ttl('k')).toBeGreaterThan(0);
    expect(await client.incr('n')).toBe(1);
    expect(await client.incrByFloat('f', 1.5)).toBe('1.5');
    expect(await client.mGet(['k', 'n', 'missing'])).toEqual(['v', '1', null]);
    expect(await client.append('k', 'w')).toBe(2);
    expect(await client.getRange('k', 0, 0)).toBe('v');
    expect(await client.exists(['k', 'n'])).toBe(2);
    expect(await client.type('k')).toBe('string');
    expect(await client.dbSize()).toBe(3);
    await expect(client.incr('k')).rejects.toThrow('ERR value is not an integer or out of range');
  });

  test('RESP-specific reply shapes', async () => {
    await client.set('k', '1');
    // INCRBYFLOAT is a bulk string in both protocols; HELLO's proto says which one is in use.
    expect(await client.incrByFloat('k', 0.5)).toBe('1.5');
    const hello = (await client.sendCommand(['HELLO'])) as unknown;
    const proto = hello instanceof Map ? hello.get('proto') : Array.isArray(hello) ? hello[hello.indexOf('proto') + 1] : (hello as Record<string, unknown>).proto;
    expect(proto).toBe(resp);
    const missing = await client.sendCommand(['GET', 'missing']);
    expect(missing).toBeNull();
  });

  test('pipelined (auto-pipelining of concurrent commands, and execAsPipeline)', async () => {
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => client.set(`key:${i}`, String(i))));
    expect(replies.every((r) => r === 'OK')).toBe(true);
    expect(await client.multi().get('key:7').incr('key:8').execAsPipeline()).toEqual(['7', 9]);
  });

  test('MULTI/EXEC transaction', async () => {
    expect(await client.multi().set('t', '1').incrBy('t', 10).get('t').exec()).toEqual(['OK', 11, '11']);
    await expect(client.multi().set('t', '2').incr('t').incr('missing-is-ok').exec()).resolves.toBeDefined();
  });

  test('pub/sub: subscribe, publish, message received', async () => {
    const subscriber = client.duplicate();
    subscriber.on('error', () => undefined);
    extra.push(subscriber);
    await subscriber.connect();
    let deliver: (message: [string, string]) => void = () => undefined;
    const received = firstCall<[string, string]>(CONDITION_TIMEOUT_MS, (resolve) => (deliver = resolve));
    // subscribe() resolves on the server's confirmation: the subscription is in place from then on.
    await subscriber.subscribe('news', (message, channel) => deliver([String(message), String(channel)]));
    expect((await client.pubSubNumSub('news'))['news']).toBe(1);
    expect(await client.publish('news', 'hello')).toBe(1);
    expect(await received).toEqual(['hello', 'news']);
  });
});

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function redisCli(args: readonly string[], input?: Buffer | string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', ['-h', '127.0.0.1', '-p', String(port()), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-cli ${args.join(' ')} timed out; stdout so far: ${stdout}`));
    }, 30000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe('redis-cli', () => {
  beforeEach(async () => {
    await redisCli(['FLUSHALL']);
  });

  test('command mode: replies printed as redis-cli prints them', async () => {
    expect((await redisCli(['SET', 'k', 'hello world'])).stdout).toBe('OK\n');
    expect((await redisCli(['GET', 'k'])).stdout).toBe('hello world\n');
    expect((await redisCli(['INCR', 'n'])).stdout).toBe('1\n');
    expect((await redisCli(['GET', 'missing'])).stdout).toBe('\n');
    expect((await redisCli(['MGET', 'k', 'missing'])).stdout).toBe('hello world\n\n');
    // redis-cli prints an error with an extra blank line in raw (non-tty) mode.
    expect((await redisCli(['INCR', 'k'])).stdout).toBe('ERR value is not an integer or out of range\n\n');
    expect((await redisCli(['--no-raw', 'MGET', 'k', 'missing'])).stdout).toBe('1) "hello world"\n2) (nil)\n');
    expect((await redisCli(['--no-raw', 'DBSIZE'])).stdout).toBe('(integer) 2\n');
  });

  test('RESP3 mode (-3)', async () => {
    await redisCli(['SET', 'k', '1']);
    expect((await redisCli(['-3', '--no-raw', 'GET', 'missing'])).stdout).toBe('(nil)\n');
    expect((await redisCli(['-3', '--no-raw', 'INCRBYFLOAT', 'k', '0.5'])).stdout).toBe('"1.5"\n');
    expect((await redisCli(['-3', '--no-raw', 'HELLO'])).stdout).toMatch(/"proto" => \(integer\) 3/);
  });

  test('commands from stdin, one per line', async () => {
    const result = await redisCli([], 'SET a 1\nINCR a\nGET a\n');
    expect(result.stdout).toBe('OK\n2\n2\n');
  });

  test('--pipe mass insertion', async () => {
    const commands = Array.from({ length: 5000 }, (_, i) => ['SET', `key:${String(i).padStart(10, '0')}`, `value-${i}`]);
    const result = await redisCli(['--pipe'], encodeCommands(commands));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/errors: 0, replies: 5000/);
    expect((await redisCli(['DBSIZE'])).stdout).toBe('5000\n');
    expect((await redisCli(['GET', 'key:0000004999'])).stdout).toBe('value-4999\n');
  });

  test('MULTI/EXEC from stdin', async () => {
    const result = await redisCli(['--no-raw'], 'MULTI\nSET t 1\nINCR t\nEXEC\n');
    expect(result.stdout).toBe('OK\nQUEUED\nQUEUED\n1) OK\n2) (integer) 2\n');
  });
});
