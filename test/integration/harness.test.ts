/**
 * The test harness itself, checked against redis-server: the RESP codec frames and re-encodes
 * every reply type byte for byte, the raw client reports timeouts and closes as values, and the
 * process starter stops what it starts.
 */
import {
  decodeReply,
  encodeReply,
  parseReply,
  RawClient,
  renderReply,
  splitReplies,
  startRedisServer,
  type ServerHandle,
} from '../support';

describe('RESP codec (test side)', () => {
  const frames = [
    '+OK\r\n',
    '-ERR boom\r\n',
    ':-42\r\n',
    '$5\r\nhel\r\n\r\n',
    '$0\r\n\r\n',
    '$-1\r\n',
    '*-1\r\n',
    '*0\r\n',
    '*2\r\n$1\r\na\r\n*1\r\n:1\r\n',
    '_\r\n',
    '#t\r\n',
    ',3.14\r\n',
    '(12345678901234567890\r\n',
    '!3\r\nERR\r\n',
    '=8\r\ntxt:abcd\r\n',
    '%1\r\n+k\r\n:1\r\n',
    '~2\r\n:1\r\n:2\r\n',
    '>3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n',
    '|1\r\n+key\r\n+val\r\n:7\r\n',
  ];

  test.each(frames)('%j decodes whole and re-encodes to the same bytes', (frame) => {
    const bytes = Buffer.from(frame, 'latin1');
    expect(encodeReply(parseReply(bytes)).equals(bytes)).toBe(true);
  });

  test.each(frames)('%j is incomplete at every shorter prefix', (frame) => {
    const bytes = Buffer.from(frame, 'latin1');
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(decodeReply(bytes.subarray(0, cut))).toBeNull();
    }
  });

  test('splits pipelined replies into frames', () => {
    const joined = Buffer.from(frames.join(''), 'latin1');
    expect(splitReplies(joined).map((f) => f.toString('latin1'))).toEqual(frames);
  });

  test('rejects bytes that are not RESP', () => {
    expect(() => decodeReply(Buffer.from('?what\r\n'))).toThrow(/unknown reply type/);
    expect(() => decodeReply(Buffer.from('$3\r\nabcde\r\n'))).toThrow(/CRLF/);
  });

  test('renders readably', () => {
    expect(renderReply(parseReply(Buffer.from('*2\r\n$1\r\na\r\n:1\r\n')))).toBe('["a", (integer) 1]');
  });
});

describe('raw client and process starter against redis-server', () => {
  let redis: ServerHandle | undefined;

  beforeAll(async () => {
    redis = await startRedisServer();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  test('exact reply bytes, pipelined', async () => {
    const client = await RawClient.connect(redis!.port);
    try {
      await client.sendMany([['SET', 'k', 'v'], ['GET', 'k'], ['GET', 'missing'], ['DEL', 'k']]);
      const replies = [];
      for (let i = 0; i < 4; i++) replies.push((await client.readBytes()).toString('latin1'));
      expect(replies).toEqual(['+OK\r\n', '$1\r\nv\r\n', '$-1\r\n', ':1\r\n']);
    } finally {
      await client.close();
    }
  });

  test('a missing reply is a timeout, not a hang', async () => {
    const client = await RawClient.connect(redis!.port);
    try {
      const result = await client.read(100);
      expect(result.kind).toBe('timeout');
    } finally {
      await client.close();
    }
  });

  test('QUIT shows as a reply then a close', async () => {
    const client = await RawClient.connect(redis!.port);
    await client.send('QUIT');
    expect((await client.readBytes()).toString()).toBe('+OK\r\n');
    expect((await client.read()).kind).toBe('closed');
  });

  test('stop() ends the process and is idempotent', async () => {
    const extra = await startRedisServer();
    const pid = extra.pid!;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await extra.stop();
    await extra.stop();
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
