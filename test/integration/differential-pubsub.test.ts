/**
 * Pub/sub, replayed on redis-server 7.0 and ours: subscription confirmations, message delivery
 * across connections (RESP2 arrays and RESP3 pushes), the commands allowed while subscribed,
 * and PUBSUB introspection.
 */
import { RawClient, waitUntil } from '../support';
import { differentialSuite, useServerPair } from './differential-harness';

/** When nothing should arrive, wait this long on both servers (the final PING proves there was nothing). */
const NOTHING_MS = 100;

differentialSuite('pub/sub', {
  'SUBSCRIBE, PUBLISH, message, UNSUBSCRIBE': [
    { cmd: ['SUBSCRIBE', 'news', 'sport'], replies: 2 },
    { on: 'b', cmd: ['PUBLISH', 'news', 'hello'] },
    { read: 1 },
    { on: 'b', cmd: ['PUBLISH', 'nobody', 'x'] },
    { on: 'b', cmd: ['PUBLISH', 'sport', Buffer.from([0, 13, 10, 255])] },
    { read: 1 },
    { cmd: ['UNSUBSCRIBE', 'news'] },
    { on: 'b', cmd: ['PUBLISH', 'news', 'not-delivered'] },
    { cmd: ['UNSUBSCRIBE'] },
    { cmd: ['UNSUBSCRIBE'] },
  ],
  'SUBSCRIBE the same channel twice, and to many': [
    { cmd: ['SUBSCRIBE', 'a', 'a', 'b'], replies: 3 },
    { on: 'b', cmd: ['PUBLISH', 'a', 'once'] },
    { read: 1 },
    { cmd: ['UNSUBSCRIBE', 'a', 'b', 'c'], replies: 3 },
  ],
  'PSUBSCRIBE patterns and pmessage': [
    { cmd: ['PSUBSCRIBE', 'news.*', 'h?llo'], replies: 2 },
    { on: 'b', cmd: ['PUBLISH', 'news.tech', 'm1'] },
    { read: 1 },
    { on: 'b', cmd: ['PUBLISH', 'hello', 'm2'] },
    { read: 1 },
    { on: 'b', cmd: ['PUBLISH', 'other', 'm3'] },
    { cmd: ['PUNSUBSCRIBE', 'news.*'] },
    { on: 'b', cmd: ['PUBLISH', 'news.tech', 'not-delivered'] },
    { cmd: ['PUNSUBSCRIBE'] },
    { cmd: ['PUNSUBSCRIBE'] },
  ],
  'a channel and a matching pattern both deliver': [
    { cmd: ['SUBSCRIBE', 'ch'] },
    { cmd: ['PSUBSCRIBE', 'c*'] },
    { on: 'b', cmd: ['PUBLISH', 'ch', 'twice'] },
    { read: 2 },
  ],
  'commands allowed and refused in RESP2 subscribed mode': [
    { cmd: ['SUBSCRIBE', 'ch'] },
    ['PING'],
    ['PING', 'msg'],
    ['GET', 'k'],
    ['SET', 'k', 'v'],
    ['ECHO', 'x'],
    { cmd: ['PSUBSCRIBE', 'p*'] },
    ['QUIT'],
    { read: 1 },
  ],
  'RESET leaves subscribed mode': [
    { cmd: ['SUBSCRIBE', 'ch'] },
    ['RESET'],
    ['GET', 'k'],
    { on: 'b', cmd: ['PUBLISH', 'ch', 'x'] },
  ],
  'RESP3: pushes, and normal commands while subscribed': [
    ['HELLO', '3'],
    { cmd: ['SUBSCRIBE', 'ch'] },
    ['SET', 'k', 'v'],
    ['GET', 'k'],
    ['PING'],
    { on: 'b', cmd: ['PUBLISH', 'ch', 'pushed'] },
    { read: 1 },
    { cmd: ['PSUBSCRIBE', 'c*'] },
    { on: 'b', cmd: ['PUBLISH', 'ch', 'two'] },
    { read: 2 },
    { cmd: ['UNSUBSCRIBE'] },
    { cmd: ['PUNSUBSCRIBE'] },
  ],
  'SSUBSCRIBE, SPUBLISH, SUNSUBSCRIBE': [
    { cmd: ['SSUBSCRIBE', 'shard1', 'shard2'], replies: 2 },
    { on: 'b', cmd: ['SPUBLISH', 'shard1', 'hi'] },
    { read: 1 },
    { on: 'b', cmd: ['PUBLISH', 'shard1', 'not-sharded'] },
    { cmd: ['SUNSUBSCRIBE', 'shard1'] },
    { on: 'b', cmd: ['SPUBLISH', 'shard1', 'gone'] },
    { cmd: ['SUNSUBSCRIBE'] },
    { cmd: ['SUNSUBSCRIBE'] },
  ],
  'PUBSUB CHANNELS NUMSUB NUMPAT SHARDCHANNELS SHARDNUMSUB': [
    { on: 'b', cmd: ['SUBSCRIBE', 'news.a', 'news.b', 'other'], replies: 3 },
    { on: 'c', cmd: ['SUBSCRIBE', 'news.a'] },
    { on: 'c', cmd: ['PSUBSCRIBE', 'x*', 'y*'], replies: 2 },
    { on: 'd', cmd: ['SSUBSCRIBE', 's1', 's2'], replies: 2 },
    ['PUBSUB', 'CHANNELS'],
    ['PUBSUB', 'CHANNELS', 'news.*'],
    ['PUBSUB', 'CHANNELS', 'nomatch*'],
    ['PUBSUB', 'NUMSUB', 'news.a', 'news.b', 'none'],
    ['PUBSUB', 'NUMSUB'],
    ['PUBSUB', 'NUMPAT'],
    ['PUBSUB', 'SHARDCHANNELS'],
    ['PUBSUB', 'SHARDCHANNELS', 's1'],
    ['PUBSUB', 'SHARDNUMSUB', 's1', 's3'],
    ['PUBLISH', 'news.a', 'count-me'],
    { on: 'b', read: 1 },
    { on: 'c', read: 1 },
    ['PUBSUB', 'NOSUCH'],
    ['PUBSUB'],
    ['PUBSUB', 'NUMPAT', 'x'],
    ['PUBSUB', 'CHANNELS', 'a', 'b'],
  ],
  'pub/sub arity, and RESET dropping a subscriber': [
    ['SUBSCRIBE'],
    ['PSUBSCRIBE'],
    ['SSUBSCRIBE'],
    ['PUBLISH', 'ch'],
    ['SPUBLISH', 'ch'],
    { on: 'b', cmd: ['SUBSCRIBE', 'ch'] },
    ['PUBLISH', 'ch', 'm'],
    { on: 'b', read: 1 },
    { on: 'b', cmd: ['RESET'] },
    ['PUBSUB', 'NUMSUB', 'ch'],
    ['PUBLISH', 'ch', 'nobody-left'],
  ],
  'nothing arrives for a channel never subscribed': [
    { cmd: ['SUBSCRIBE', 'mine'] },
    { on: 'b', cmd: ['PUBLISH', 'notmine', 'x'] },
    { read: 1, timeoutMs: NOTHING_MS },
  ],
});

describe('pub/sub: a subscriber that disconnects stops counting', () => {
  const servers = useServerPair();

  test.each(['redis', 'ours'] as const)('%s', async (which) => {
    const { port } = servers()[which];
    const subscriber = await RawClient.connect(port);
    const publisher = await RawClient.connect(port);
    try {
      expect(await subscriber.callText('SUBSCRIBE', 'gone')).toBe('*3\r\n$9\r\nsubscribe\r\n$4\r\ngone\r\n:1\r\n');
      expect(await publisher.callText('PUBLISH', 'gone', 'x')).toBe(':1\r\n');
      await subscriber.close();
      // The close reaches the server asynchronously: poll until it is processed.
      let count = '';
      await waitUntil(async () => (count = await publisher.callText('PUBLISH', 'gone', 'y')) === ':0\r\n');
      expect(count).toBe(':0\r\n');
      expect(await publisher.callText('PUBSUB', 'NUMSUB', 'gone')).toBe('*2\r\n$4\r\ngone\r\n:0\r\n');
    } finally {
      await Promise.all([subscriber.close(), publisher.close()]);
    }
  });
});
