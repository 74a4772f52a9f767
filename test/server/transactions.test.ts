import { ErrorReply, useTestServer } from './support/resp-client';

const { connect, server } = useTestServer();

test('MULTI / EXEC runs the queue and replies with every result', async () => {
  const c = await connect();
  expect(await c.call('multi')).toBe('OK');
  expect(await c.call('set', 'tx', '1')).toBe('QUEUED');
  expect(await c.call('incr', 'tx')).toBe('QUEUED');
  expect(await c.call('get', 'tx')).toBe('QUEUED');
  expect(await c.call('exec')).toEqual(['OK', 2, '2']);
});

test('runtime errors inside EXEC do not stop the rest', async () => {
  const c = await connect();
  await c.call('set', 'notnum', 'abc');
  await c.call('multi');
  await c.call('incr', 'notnum');
  await c.call('echo', 'after');
  expect(await c.call('exec')).toEqual([new ErrorReply('ERR value is not an integer or out of range'), 'after']);
});

test('errors for misuse, in Redis wording', async () => {
  const c = await connect();
  expect(await c.call('exec')).toEqual(new ErrorReply('ERR EXEC without MULTI'));
  expect(await c.call('discard')).toEqual(new ErrorReply('ERR DISCARD without MULTI'));
  await c.call('multi');
  expect(await c.call('multi')).toEqual(new ErrorReply('ERR MULTI calls can not be nested'));
  expect(await c.call('watch', 'k')).toEqual(new ErrorReply('ERR WATCH inside MULTI is not allowed'));
  // Neither error aborts the transaction.
  expect(await c.call('ping')).toBe('QUEUED');
  expect(await c.call('exec')).toEqual(['PONG']);
});

test('DISCARD drops the queue', async () => {
  const c = await connect();
  await c.call('multi');
  await c.call('set', 'discarded', '1');
  expect(await c.call('discard')).toBe('OK');
  expect(await c.call('get', 'discarded')).toBeNull();
});

test('SHUTDOWN is not allowed inside MULTI', async () => {
  const c = await connect();
  await c.call('multi');
  expect(await c.call('shutdown')).toEqual(new ErrorReply('ERR Command not allowed inside a transaction'));
  expect(await c.call('exec')).toEqual(new ErrorReply('EXECABORT Transaction discarded because of previous errors.'));
});

describe('WATCH', () => {
  test('a change by another client makes EXEC return null', async () => {
    const a = await connect();
    const b = await connect();
    await a.call('set', 'w1', '1');
    expect(await a.call('watch', 'w1')).toBe('OK');
    await b.call('set', 'w1', '2');
    await a.call('multi');
    await a.call('set', 'w1', '3');
    expect(await a.call('exec')).toBeNull();
    expect(await a.call('get', 'w1')).toBe('2');
  });

  test('an untouched key lets EXEC run, and EXEC clears the watch', async () => {
    const a = await connect();
    const b = await connect();
    await a.call('watch', 'w2');
    await a.call('multi');
    await a.call('set', 'w2', 'mine');
    expect(await a.call('exec')).toEqual(['OK']);
    await b.call('set', 'w2', 'theirs');
    await a.call('multi');
    await a.call('get', 'w2');
    expect(await a.call('exec')).toEqual(['theirs']);
  });

  test('UNWATCH forgets the keys', async () => {
    const a = await connect();
    const b = await connect();
    await a.call('watch', 'w3');
    expect(await a.call('unwatch')).toBe('OK');
    await b.call('set', 'w3', 'x');
    await a.call('multi');
    await a.call('ping');
    expect(await a.call('exec')).toEqual(['PONG']);
  });

  test('WATCH is per database', async () => {
    const a = await connect();
    const b = await connect();
    await a.call('watch', 'w4');
    await b.call('select', '1');
    await b.call('set', 'w4', 'other-db');
    await a.call('multi');
    await a.call('ping');
    expect(await a.call('exec')).toEqual(['PONG']);
  });

  test('FLUSHALL touches watched keys that existed', async () => {
    const a = await connect();
    await a.call('set', 'w5', 'x');
    await a.call('watch', 'w5');
    const b = await connect();
    await b.call('flushall');
    await a.call('multi');
    await a.call('ping');
    expect(await a.call('exec')).toBeNull();
  });

  test('SWAPDB touches watched keys on either side', async () => {
    const a = await connect();
    const b = await connect();
    await b.call('select', '3');
    await b.call('set', 'w6', 'in-db3');
    await a.call('watch', 'w6');
    await b.call('swapdb', '0', '3');
    await a.call('multi');
    await a.call('ping');
    expect(await a.call('exec')).toBeNull();
    await b.call('swapdb', '0', '3');
  });

  test('a watched key that expires before EXEC aborts it', async () => {
    const a = await connect();
    // SET and WATCH pipelined together, so the key is alive when watched unless the server stalls
    // a whole second between two commands of one read; afterwards waiting longer only leaves it
    // more expired.
    await Promise.all([a.call('set', 'w7', 'x', 'px', '1000'), a.call('watch', 'w7')]);
    await new Promise((r) => setTimeout(r, 1100));
    await a.call('multi');
    await a.call('ping');
    expect(await a.call('exec')).toBeNull();
  });

  test('a key already expired when WATCHed does not abort when it is reclaimed', async () => {
    const a = await connect();
    server().core.activeExpireEnabled = false;
    try {
      await a.call('set', 'w8', 'x', 'px', '1');
      await new Promise((r) => setTimeout(r, 20));
      await a.call('watch', 'w8');
      expect(await a.call('get', 'w8')).toBeNull(); // lazy expiry deletes it
      await a.call('multi');
      await a.call('ping');
      expect(await a.call('exec')).toEqual(['PONG']);
    } finally {
      server().core.activeExpireEnabled = true;
    }
  });
});
