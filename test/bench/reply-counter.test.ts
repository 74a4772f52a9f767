import { ReplyCounter } from '../../bench/reply-counter';

const replies = [
  '+OK\r\n',
  ':42\r\n',
  '$-1\r\n',
  '$3\r\nabc\r\n',
  '$0\r\n\r\n',
  '*-1\r\n',
  '*0\r\n',
  '*3\r\n$1\r\na\r\n:1\r\n*2\r\n$2\r\n\r\n\r\n$-1\r\n',
  '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n',
  '$5\r\n\r\n\r\n\r\r\n',
];
const stream = Buffer.from(replies.join(''), 'latin1');

describe('ReplyCounter', () => {
  test('counts every reply of a stream given whole', () => {
    const counter = new ReplyCounter();
    expect(counter.feed(stream)).toBe(replies.length);
    expect(counter.errors).toBe(1);
    expect(counter.firstError).toBe('-WRONGTYPE Operation against a key holding the wrong kind of value');
  });

  test('counts the same when the stream is cut at every possible point', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const counter = new ReplyCounter();
      const first = counter.feed(stream.subarray(0, cut));
      const second = counter.feed(stream.subarray(cut));
      expect([cut, first + second, counter.replies, counter.errors]).toEqual([cut, replies.length, replies.length, 1]);
    }
  });

  test('counts the same byte by byte, and a reply only once its last byte arrived', () => {
    const counter = new ReplyCounter();
    const seenAt: number[] = [];
    for (let i = 0; i < stream.length; i++) {
      if (counter.feed(stream.subarray(i, i + 1)) > 0) seenAt.push(i + 1);
    }
    let end = 0;
    expect(seenAt).toEqual(replies.map((r) => (end += Buffer.byteLength(r, 'latin1'))));
  });

  test('a reply that is not RESP2 is an error, not a miscount', () => {
    expect(() => new ReplyCounter().feed(Buffer.from('%1\r\n'))).toThrow(/unexpected reply type "%"/);
    expect(() => new ReplyCounter().feed(Buffer.from('$3\nabc\r\n'))).toThrow(/malformed reply/);
  });
});
