import { ErrorReply, PushReply, useTestServer } from './support/resp-client';
import { waitUntil } from '../support/wait';

const { connect } = useTestServer();

test('SUBSCRIBE confirms each channel with the running count, PUBLISH delivers', async () => {
  const sub = await connect();
  const pub = await connect();
  sub.send('subscribe', 'news', 'sport');
  expect(await sub.read()).toEqual(['subscribe', 'news', 1]);
  expect(await sub.read()).toEqual(['subscribe', 'sport', 2]);
  expect(await pub.call('publish', 'news', 'hello')).toBe(1);
  expect(await sub.read()).toEqual(['message', 'news', 'hello']);
  expect(await pub.call('publish', 'nobody', 'x')).toBe(0);
});

test('PSUBSCRIBE matches with globs and counts with channels', async () => {
  const sub = await connect();
  const pub = await connect();
  sub.send('subscribe', 'a.b');
  expect(await sub.read()).toEqual(['subscribe', 'a.b', 1]);
  sub.send('psubscribe', 'a.*');
  expect(await sub.read()).toEqual(['psubscribe', 'a.*', 2]);
  expect(await pub.call('publish', 'a.b', 'both')).toBe(2);
  const got = [await sub.read(), await sub.read()];
  expect(got).toContainEqual(['message', 'a.b', 'both']);
  expect(got).toContainEqual(['pmessage', 'a.*', 'a.b', 'both']);
  sub.send('punsubscribe');
  expect(await sub.read()).toEqual(['punsubscribe', 'a.*', 1]);
  sub.send('unsubscribe');
  expect(await sub.read()).toEqual(['unsubscribe', 'a.b', 0]);
  expect(await sub.call('ping')).toBe('PONG');
});

test('UNSUBSCRIBE with nothing subscribed answers with a null channel', async () => {
  const c = await connect();
  expect(await c.call('unsubscribe')).toEqual(['unsubscribe', null, 0]);
  expect(await c.call('punsubscribe')).toEqual(['punsubscribe', null, 0]);
  expect(await c.call('sunsubscribe')).toEqual(['sunsubscribe', null, 0]);
});

test('RESP3 subscribers get pushes and can keep issuing commands', async () => {
  const sub = await connect();
  const pub = await connect();
  await sub.call('hello', '3');
  expect(await sub.call('subscribe', 'r3')).toEqual(new PushReply(['subscribe', 'r3', 1]));
  expect(await pub.call('publish', 'r3', 'm')).toBe(1);
  expect(await sub.read()).toEqual(new PushReply(['message', 'r3', 'm']));
  expect(await sub.call('echo', 'still here')).toBe('still here');
});

test('shard channels: SSUBSCRIBE / SPUBLISH / SUNSUBSCRIBE', async () => {
  const sub = await connect();
  const pub = await connect();
  expect(await sub.call('ssubscribe', 'orders')).toEqual(['ssubscribe', 'orders', 1]);
  expect(await pub.call('spublish', 'orders', 'o1')).toBe(1);
  expect(await sub.read()).toEqual(['smessage', 'orders', 'o1']);
  expect(await pub.call('publish', 'orders', 'not-shard')).toBe(0);
  expect(await pub.call('pubsub', 'shardchannels')).toEqual(['orders']);
  expect(await pub.call('pubsub', 'shardnumsub', 'orders', 'none')).toEqual(['orders', 1, 'none', 0]);
  expect(await sub.call('sunsubscribe', 'orders')).toEqual(['sunsubscribe', 'orders', 0]);
});

test('PUBSUB CHANNELS / NUMSUB / NUMPAT', async () => {
  const s1 = await connect();
  const s2 = await connect();
  const q = await connect();
  await s1.call('subscribe', 'chan:1');
  await s2.call('subscribe', 'chan:1');
  await s2.call('subscribe', 'other');
  await s2.call('psubscribe', 'p*');
  expect(((await q.call('pubsub', 'channels')) as string[]).sort()).toEqual(['chan:1', 'other']);
  expect(await q.call('pubsub', 'channels', 'chan:*')).toEqual(['chan:1']);
  expect(await q.call('pubsub', 'numsub', 'chan:1', 'other', 'none')).toEqual(['chan:1', 2, 'other', 1, 'none', 0]);
  expect(await q.call('pubsub', 'numpat')).toBe(1);
  await q.call('hello', '3');
  // A flat array under RESP3 too, as Redis 7 replies.
  expect(await q.call('pubsub', 'numsub', 'other')).toEqual(['other', 1]);
  expect(await q.call('pubsub', 'nope')).toEqual(new ErrorReply("ERR unknown subcommand 'nope'. Try PUBSUB HELP."));
});

test('a closed subscriber is forgotten', async () => {
  const sub = await connect();
  const pub = await connect();
  await sub.call('subscribe', 'gone');
  sub.close();
  await sub.waitClosed();
  // The server sees the close when its event loop gets to it, not at a fixed time after.
  await waitUntil(async () => ((await pub.call('pubsub', 'numsub', 'gone')) as [string, number])[1] === 0);
  expect(await pub.call('publish', 'gone', 'x')).toBe(0);
});
