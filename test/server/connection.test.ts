import { ErrorReply, MapReply, useTestServer } from './support/resp-client';

const { connect, server } = useTestServer();

test('PING and ECHO', async () => {
  const c = await connect();
  expect(await c.call('ping')).toBe('PONG');
  expect(await c.call('ping', 'hi')).toBe('hi');
  expect(await c.call('ping', 'a', 'b')).toEqual(new ErrorReply("ERR wrong number of arguments for 'ping' command"));
  expect(await c.call('echo', Buffer.from([0, 255, 13, 10]))).toBe('\x00\xff\r\n');
});

test('SELECT switches databases and validates the index', async () => {
  const c = await connect();
  await c.call('set', 'sel', 'zero');
  expect(await c.call('select', '1')).toBe('OK');
  expect(await c.call('get', 'sel')).toBeNull();
  expect(await c.call('select', '16')).toEqual(new ErrorReply('ERR DB index is out of range'));
  expect(await c.call('select', 'x')).toEqual(new ErrorReply('ERR value is not an integer or out of range'));
  expect(await c.call('select', '0')).toBe('OK');
  expect(await c.call('get', 'sel')).toBe('zero');
});

test('QUIT replies OK and closes', async () => {
  const c = await connect();
  expect(await c.call('quit')).toBe('OK');
  await c.waitClosed();
});

test('HELLO 3 switches protocol and replies with the server map', async () => {
  const c = await connect();
  const reply = (await c.call('hello', '3', 'setname', 'conn1')) as MapReply;
  const map = new Map(reply.entries);
  expect(map.get('server')).toBe('redis');
  expect(map.get('proto')).toBe(3);
  expect(map.get('mode')).toBe('standalone');
  expect(map.get('role')).toBe('master');
  expect(map.get('modules')).toEqual([]);
  expect(typeof map.get('id')).toBe('number');
  expect(await c.call('client', 'getname')).toBe('conn1');
  expect(await c.call('get', 'missing-in-resp3')).toBeNull();
  expect(await c.call('hello', '4')).toEqual(new ErrorReply('NOPROTO unsupported protocol version'));
  expect(await c.call('hello', 'x')).toEqual(new ErrorReply('ERR Protocol version is not an integer or out of range'));
  expect(await c.call('hello', '3', 'foo')).toEqual(new ErrorReply("ERR Syntax error in HELLO option 'foo'"));
});

test('HELLO 2 replies with a flat array', async () => {
  const c = await connect();
  const reply = (await c.call('hello', '2')) as unknown[];
  expect(reply.length).toBe(14);
  expect(reply[0]).toBe('server');
});

test('AUTH without a configured password', async () => {
  const c = await connect();
  expect(await c.call('auth', 'x')).toEqual(
    new ErrorReply('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?'),
  );
  expect(await c.call('auth', 'default', 'anything')).toBe('OK');
  expect(await c.call('auth', 'someone', 'x')).toEqual(new ErrorReply('WRONGPASS invalid username-password pair or user is disabled.'));
  expect(await c.call('auth', 'a', 'b', 'c')).toEqual(new ErrorReply('ERR syntax error'));
});

describe('CLIENT', () => {
  test('ID, SETNAME, GETNAME', async () => {
    const c = await connect();
    const id = await c.call('client', 'id');
    expect(typeof id).toBe('number');
    expect(await c.call('client', 'getname')).toBeNull();
    expect(await c.call('client', 'setname', 'worker-1')).toBe('OK');
    expect(await c.call('client', 'getname')).toBe('worker-1');
    expect(await c.call('client', 'setname', 'a b')).toEqual(new ErrorReply('ERR Client names cannot contain spaces, newlines or special characters.'));
  });

  test('LIST and INFO describe connections', async () => {
    const a = await connect();
    const b = await connect();
    await b.call('client', 'setname', 'bee');
    await b.call('client', 'setinfo', 'lib-name', 'mylib');
    const id = (await b.call('client', 'id')) as number;
    const list = (await a.call('client', 'list')) as string;
    const line = list.split('\n').find((l) => l.startsWith(`id=${id} `)) as string;
    expect(line).toMatch(/ name=bee /);
    expect(line).toMatch(/ addr=127\.0\.0\.1:\d+ /);
    expect(line).toMatch(/ cmd=client\|id /);
    expect(line).toMatch(/ lib-name=mylib /);
    expect(list.endsWith('\n')).toBe(true);
    const info = (await b.call('client', 'info')) as string;
    expect(info).toMatch(new RegExp(`^id=${id} .* cmd=client\\|info .*\\n$`));
    const byId = (await a.call('client', 'list', 'id', String(id))) as string;
    expect(byId.trim().split('\n').length).toBe(1);
    expect(await a.call('client', 'list', 'type', 'foo')).toEqual(new ErrorReply("ERR Unknown client type 'foo'"));
    expect(await a.call('client', 'list', 'id', 'x')).toEqual(new ErrorReply('ERR Invalid client ID'));
  });

  test('KILL by ID, by address, and the old form', async () => {
    const a = await connect();
    const b = await connect();
    const bid = (await b.call('client', 'id')) as number;
    expect(await a.call('client', 'kill', 'id', String(bid))).toBe(1);
    await b.waitClosed();
    const c = await connect();
    const line = (await c.call('client', 'info')) as string;
    const addr = /addr=(\S+)/.exec(line)?.[1] as string;
    expect(await a.call('client', 'kill', addr)).toBe('OK');
    await c.waitClosed();
    expect(await a.call('client', 'kill', '1.2.3.4:5')).toEqual(new ErrorReply('ERR No such client'));
    expect(await a.call('client', 'kill', 'id', '0')).toEqual(new ErrorReply('ERR client-id should be greater than 0'));
    expect(await a.call('client', 'kill', 'foo', 'bar')).toEqual(new ErrorReply('ERR syntax error'));
    const aid = (await a.call('client', 'id')) as number;
    expect(await a.call('client', 'kill', 'id', String(aid))).toBe(0); // SKIPME yes by default
    expect(await a.call('client', 'kill', 'id', String(aid), 'skipme', 'no')).toBe(1);
    await a.waitClosed();
  });

  test('REPLY OFF / ON / SKIP', async () => {
    const c = await connect();
    c.send('client', 'reply', 'off');
    c.send('ping');
    c.send('client', 'reply', 'on');
    expect(await c.read()).toBe('OK');
    c.send('client', 'reply', 'skip');
    c.send('echo', 'skipped');
    c.send('echo', 'shown');
    expect(await c.read()).toBe('shown');
    expect(await c.call('client', 'reply', 'foo')).toEqual(new ErrorReply('ERR syntax error'));
  });

  test('PAUSE WRITE holds writes but not reads; UNPAUSE releases them', async () => {
    const admin = await connect();
    const c = await connect();
    expect(await admin.call('client', 'pause', '5000', 'write')).toBe('OK');
    expect(await c.call('get', 'paused-key')).toBeNull();
    c.send('set', 'paused-key', 'v');
    expect(await c.silentFor(100)).toBe(true);
    expect(await admin.call('client', 'unpause')).toBe('OK');
    expect(await c.read()).toBe('OK');
    expect(await c.call('get', 'paused-key')).toBe('v');
    expect(await admin.call('client', 'pause', 'abc')).toEqual(new ErrorReply('ERR timeout is not an integer or out of range'));
    expect(await admin.call('client', 'pause', '-1')).toEqual(new ErrorReply('ERR timeout is negative'));
  });

  test('PAUSE ALL ends by itself after the timeout', async () => {
    const admin = await connect();
    const c = await connect();
    // Taken before PAUSE is sent, so the pause cannot have started earlier: however slow the
    // machine, the PONG (released when the pause ends, with no UNPAUSE) comes 150 ms later or more.
    const started = Date.now();
    expect(await admin.call('client', 'pause', '150')).toBe('OK');
    expect(await c.call('ping')).toBe('PONG');
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  test('NO-EVICT and NO-TOUCH', async () => {
    const c = await connect();
    expect(await c.call('client', 'no-evict', 'on')).toBe('OK');
    expect(await c.call('client', 'no-evict', 'x')).toEqual(new ErrorReply('ERR syntax error'));
    expect(await c.call('client', 'no-touch', 'on')).toBe('OK');
    expect((await c.call('client', 'info')) as string).toMatch(/flags=eT /);
    expect(await c.call('client', 'no-touch', 'off')).toBe('OK');
  });

  test('NO-TOUCH reads leave the access time alone', async () => {
    const c = await connect();
    await c.call('set', 'touchy', 'v');
    const db = server().core.keyspace.databases[0];
    const before = db.idleSeconds('touchy');
    // Idle time counts whole seconds of the server's clock: after 2.1 s it has grown by 2 or more
    // (an untouched key), and a read that touches it brings it back to 0 — or 1, when a second's
    // boundary falls between that read and this check, which a loaded machine can make take long.
    await new Promise((r) => setTimeout(r, 2100));
    await c.call('client', 'no-touch', 'on');
    await c.call('get', 'touchy');
    expect(db.idleSeconds('touchy')).toBeGreaterThanOrEqual((before ?? 0) + 2);
    await c.call('client', 'no-touch', 'off');
    await c.call('get', 'touchy');
    expect(db.idleSeconds('touchy')).toBeLessThanOrEqual(1);
  });

  test('SETINFO validates its attribute', async () => {
    const c = await connect();
    expect(await c.call('client', 'setinfo', 'lib-ver', '1.2.3')).toBe('OK');
    expect(await c.call('client', 'setinfo', 'foo', 'x')).toEqual(new ErrorReply("ERR Unrecognized option 'foo'"));
    expect(await c.call('client', 'setinfo', 'lib-name', 'a b')).toEqual(new ErrorReply('ERR lib-name cannot contain spaces, newlines or special characters.'));
  });

  test('HELP lists the subcommands', async () => {
    const c = await connect();
    const help = (await c.call('client', 'help')) as string[];
    expect(help[0]).toBe('CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    expect(help).toContain('NO-TOUCH (ON|OFF)');
  });
});

test('RESET clears the connection state', async () => {
  const c = await connect();
  await c.call('hello', '3');
  await c.call('select', '2');
  await c.call('client', 'setname', 'temp');
  await c.call('multi');
  expect(await c.call('reset')).toBe('RESET');
  expect(await c.call('client', 'getname')).toBeNull();
  const info = (await c.call('client', 'info')) as string;
  expect(info).toMatch(/ db=0 /);
  expect(info).toMatch(/ resp=2 /);
  expect(info).toMatch(/ multi=-1 /);
});
