import type { CacheServer } from '../../lib/server';
import { ErrorReply, exchangeRaw, startTestServer, useTestServer } from './support/resp-client';

const { connect, server } = useTestServer();

describe('dispatch', () => {
  test('command names are case-insensitive', async () => {
    const c = await connect();
    expect(await c.call('PiNg')).toBe('PONG');
    expect(await c.call('ECHO', 'x')).toBe('x');
  });

  test('unknown command, in Redis 7 wording', async () => {
    const c = await connect();
    expect(await c.call('foo', 'a', 'b')).toEqual(new ErrorReply("ERR unknown command 'foo', with args beginning with: 'a' 'b' "));
    expect(await c.call('foo')).toEqual(new ErrorReply("ERR unknown command 'foo', with args beginning with: "));
    const long = 'x'.repeat(200);
    const reply = (await c.call('foo', long, 'b')) as ErrorReply;
    expect(reply.message).toBe(`ERR unknown command 'foo', with args beginning with: '${'x'.repeat(128)}' `);
  });

  test('unknown subcommand and container arity', async () => {
    const c = await connect();
    expect(await c.call('client', 'foo')).toEqual(new ErrorReply("ERR unknown subcommand 'foo'. Try CLIENT HELP."));
    expect(await c.call('config', 'Nope')).toEqual(new ErrorReply("ERR unknown subcommand 'Nope'. Try CONFIG HELP."));
    expect(await c.call('client')).toEqual(new ErrorReply("ERR wrong number of arguments for 'client' command"));
  });

  test('arity errors name the command and subcommand', async () => {
    const c = await connect();
    expect(await c.call('get')).toEqual(new ErrorReply("ERR wrong number of arguments for 'get' command"));
    expect(await c.call('GET', 'a', 'b')).toEqual(new ErrorReply("ERR wrong number of arguments for 'get' command"));
    expect(await c.call('client', 'setname')).toEqual(new ErrorReply("ERR wrong number of arguments for 'client|setname' command"));
    expect(await c.call('echo')).toEqual(new ErrorReply("ERR wrong number of arguments for 'echo' command"));
  });

  test('a thousand pipelined commands are answered in order', async () => {
    const c = await connect();
    let batch = '';
    for (let i = 0; i < 1000; i++) batch += `*2\r\n$4\r\nECHO\r\n$${String(i).length}\r\n${i}\r\n`;
    c.sendRaw(batch);
    for (let i = 0; i < 1000; i++) expect(await c.read()).toBe(String(i));
  });

  test('inline commands work, split or whole', async () => {
    const c = await connect();
    c.sendRaw('ECHO "hello world"\r\nPI');
    expect(await c.read()).toBe('hello world');
    c.sendRaw('NG\r\n');
    expect(await c.read()).toBe('PONG');
  });

  test('a protocol error is answered, then the connection closes', async () => {
    const out = await exchangeRaw(server().port, 'PING\r\n*1\r\n$x\r\nPING\r\n');
    expect(out).toEqual({ data: '+PONG\r\n-ERR Protocol error: invalid bulk length\r\n', closed: true });
  });

  test('the query buffer limit closes the connection without a reply', async () => {
    const c = await connect();
    expect(await c.call('config', 'set', 'client-query-buffer-limit', '1mb')).toBe('OK');
    const big = await connect();
    big.sendRaw(`*2\r\n$4\r\nECHO\r\n$${2 * 1024 * 1024}\r\n`);
    big.sendRaw(Buffer.alloc(1024 * 1024 + 100, 'x'));
    await big.waitClosed();
    expect(await c.call('config', 'set', 'client-query-buffer-limit', '1gb')).toBe('OK');
  });

  test('proto-max-bulk-len from CONFIG SET applies to new requests', async () => {
    const c = await connect();
    expect(await c.call('config', 'set', 'proto-max-bulk-len', '1mb')).toBe('OK');
    const out = await exchangeRaw(server().port, `*2\r\n$4\r\nECHO\r\n$${1024 * 1024 + 1}\r\n`);
    expect(out).toEqual({ data: '-ERR Protocol error: invalid bulk length\r\n', closed: true });
    expect(await c.call('config', 'set', 'proto-max-bulk-len', '512mb')).toBe('OK');
  });

  test('MULTI queues, and a rejected command makes EXEC abort', async () => {
    const c = await connect();
    expect(await c.call('multi')).toBe('OK');
    expect(await c.call('set', 'dq', '1')).toBe('QUEUED');
    expect(await c.call('nosuch')).toEqual(new ErrorReply("ERR unknown command 'nosuch', with args beginning with: "));
    expect(await c.call('get')).toEqual(new ErrorReply("ERR wrong number of arguments for 'get' command"));
    expect(await c.call('exec')).toEqual(new ErrorReply('EXECABORT Transaction discarded because of previous errors.'));
    expect(await c.call('get', 'dq')).toBeNull();
  });

  test('RESP2 subscribed mode allows only the pub/sub subset', async () => {
    const c = await connect();
    await c.call('subscribe', 'ch');
    expect(await c.call('get', 'x')).toEqual(
      new ErrorReply("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"),
    );
    expect(await c.call('client', 'id')).toEqual(
      new ErrorReply("ERR Can't execute 'client|id': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"),
    );
    expect(await c.call('ping')).toEqual(['pong', '']);
    expect(await c.call('reset')).toBe('RESET');
    expect(await c.call('ping')).toBe('PONG');
  });

  test('RESP3 clients may run any command while subscribed', async () => {
    const c = await connect();
    await c.call('hello', '3');
    await c.call('subscribe', 'ch3');
    expect(await c.call('echo', 'ok')).toBe('ok');
  });
});

describe('authentication', () => {
  let secured: CacheServer;
  beforeAll(async () => {
    secured = await startTestServer({ requirepass: 's3cret' });
  });
  afterAll(async () => {
    await secured.close();
  });

  test('commands need AUTH first', async () => {
    const c = await connect(secured);
    expect(await c.call('get', 'a')).toEqual(new ErrorReply('NOAUTH Authentication required.'));
    expect(await c.call('auth', 'wrong')).toEqual(new ErrorReply('WRONGPASS invalid username-password pair or user is disabled.'));
    expect(await c.call('auth', 's3cret')).toBe('OK');
    expect(await c.call('ping')).toBe('PONG');
  });

  test('HELLO AUTH authenticates, plain HELLO is refused', async () => {
    const c = await connect(secured);
    const refused = (await c.call('hello', '3')) as ErrorReply;
    expect(refused.message.startsWith('NOAUTH HELLO must be called with the client already authenticated')).toBe(true);
    const map = await c.call('hello', '3', 'auth', 'default', 's3cret');
    expect(map).toHaveProperty('entries');
    expect(await c.call('ping')).toBe('PONG');
  });

  test('unauthenticated clients get the small protocol limits', async () => {
    const out = await exchangeRaw(secured.port, '*20\r\n');
    expect(out).toEqual({ data: '-ERR Protocol error: unauthenticated multibulk length\r\n', closed: true });
  });
});

describe('maxmemory', () => {
  test('noeviction refuses denyoom commands with the OOM error', async () => {
    const s = await startTestServer({ maxmemory: 1 });
    try {
      const c = await connect(s);
      expect(await c.call('set', 'a', 'b')).toEqual(new ErrorReply("OOM command not allowed when used memory > 'maxmemory'."));
      expect(await c.call('get', 'a')).toBeNull();
      expect(await c.call('multi')).toBe('OK');
      expect(await c.call('get', 'a')).toEqual(new ErrorReply("OOM command not allowed when used memory > 'maxmemory'."));
      expect(await c.call('exec')).toEqual(new ErrorReply('EXECABORT Transaction discarded because of previous errors.'));
    } finally {
      await s.close();
    }
  });

  test('allkeys-lru evicts to stay under the limit', async () => {
    const s = await startTestServer({ maxmemory: '2mb', config: { 'maxmemory-policy': 'allkeys-lru' } });
    try {
      const c = await connect(s);
      const value = 'v'.repeat(1000);
      for (let i = 0; i < 3000; i++) c.send('set', `key:${i}`, value);
      for (let i = 0; i < 3000; i++) expect(await c.read()).toBe('OK');
      const size = (await c.call('dbsize')) as number;
      expect(size).toBeLessThan(3000);
      expect(size).toBeGreaterThan(500);
      const info = (await c.call('info', 'stats')) as string;
      expect(Number(/evicted_keys:(\d+)/.exec(info)?.[1])).toBe(3000 - size);
      const memory = (await c.call('info', 'memory')) as string;
      expect(Number(/used_memory:(\d+)/.exec(memory)?.[1])).toBeLessThanOrEqual(2 * 1024 * 1024);
    } finally {
      await s.close();
    }
  });

  test('volatile-ttl evicts only keys with a TTL', async () => {
    const s = await startTestServer({ config: { 'maxmemory-policy': 'volatile-ttl' } });
    try {
      const c = await connect(s);
      await c.call('set', 'keep', 'x'.repeat(1000));
      for (let i = 0; i < 100; i++) await c.call('set', `t${i}`, 'x'.repeat(1000), 'px', String(100000 + i));
      const used = Number(/used_memory:(\d+)/.exec((await c.call('info', 'memory')) as string)?.[1]);
      expect(await c.call('config', 'set', 'maxmemory', String(used - 20000))).toBe('OK');
      expect(await c.call('set', 'another', 'y')).toBe('OK');
      expect(await c.call('exists', 'keep')).toBe(1);
      expect(await c.call('exists', 't0')).toBe(0);
      expect(await c.call('exists', 't99')).toBe(1);
    } finally {
      await s.close();
    }
  });
});
