import { ProtocolError, RespParser, parseLongLong, splitInlineArgs } from '../../lib/server/protocol/resp-parser';

interface Outcome {
  commands: string[][];
  error?: string;
  /** False when the error closes the connection without a reply (query buffer limit). */
  errorReplies?: boolean;
}

const LIMITS = { maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1024 * 1024 * 1024 };

/**
 * Feeds `input` in chunks of `chunkSize`. With `scan`, each request is first offered to scan() as
 * the server does (read back through latin1() and views()), falling back to next().
 */
function run(input: Buffer, chunkSize: number, limits = LIMITS, authRequired = false, scan = false): Outcome {
  const parser = new RespParser(limits, () => authRequired);
  const out: Outcome = { commands: [] };
  try {
    for (let at = 0; at < input.length; at += chunkSize) {
      parser.append(input.subarray(at, Math.min(input.length, at + chunkSize)));
      for (;;) {
        const argc = scan ? parser.scan() : -1;
        if (argc > 0) {
          const viaStrings = Array.from({ length: argc }, (_, i) => parser.latin1(i));
          const viaViews = parser.views(argc).map((a) => a.toString('latin1'));
          expect(viaViews).toEqual(viaStrings);
          expect(viaStrings.map((a, i) => a.length === parser.argLength(i))).not.toContain(false);
          out.commands.push(viaStrings);
          continue;
        }
        const cmd = parser.next();
        if (cmd === undefined) break;
        out.commands.push(cmd.map((a) => a.toString('latin1')));
      }
    }
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    out.error = err.message;
    out.errorReplies = err.reply;
  }
  return out;
}

/** Runs a case whole and split at every byte; both must agree. */
function both(text: string | Buffer, limits = LIMITS, authRequired = false): Outcome {
  const input = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const whole = run(input, input.length || 1, limits, authRequired);
  const split = run(input, 1, limits, authRequired);
  expect(split).toEqual(whole);
  // The scan() fast path must not change anything, whole or byte by byte.
  expect(run(input, input.length || 1, limits, authRequired, true)).toEqual(whole);
  expect(run(input, 1, limits, authRequired, true)).toEqual(whole);
  return whole;
}

describe('RespParser: well-formed requests', () => {
  test.each<[string, string, string[][]]>([
    ['one multibulk', '*1\r\n$4\r\nPING\r\n', [['PING']]],
    ['pipelined', '*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n', [['PING'], ['ECHO', 'hi']]],
    ['empty bulk', '*2\r\n$4\r\nECHO\r\n$0\r\n\r\n', [['ECHO', '']]],
    ['binary with CRLF inside', '*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\n', [['ECHO', 'a\r\nb']]],
    ['NUL inside a bulk', '*2\r\n$4\r\nECHO\r\n$3\r\na\x00b\r\n', [['ECHO', 'a\x00b']]],
    ['*0 and *-1 are skipped', '*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n', [['PING']]],
    ['inline', 'PING\r\n', [['PING']]],
    ['inline with LF only', 'ECHO hi\n', [['ECHO', 'hi']]],
    ['inline blank lines skipped', '\r\n\r\n  \r\nPING\r\n', [['PING']]],
    ['inline double quotes and escapes', 'ECHO "a b\\x41\\n\\t\\"" x\r\n', [['ECHO', 'a bA\n\t"', 'x']]],
    ['inline single quotes', "ECHO 'it\\'s' \"\"\r\n", [['ECHO', "it's", '']]],
    ['inline then multibulk', 'PING\r\n*1\r\n$4\r\nPING\r\n', [['PING'], ['PING']]],
    ['trailing bytes after bulk are not checked', '*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n', [['PING'], ['PING']]],
    ['two-digit count', `*12\r\n${'$1\r\na\r\n'.repeat(12)}`, [Array<string>(12).fill('a')]],
    ['more arguments than scan() takes', `*70\r\n${'$1\r\nb\r\n'.repeat(70)}*1\r\n$4\r\nPING\r\n`, [Array<string>(70).fill('b'), ['PING']]],
    ['an argument longer than scan() takes', `*2\r\n$4\r\nECHO\r\n$20000\r\n${'z'.repeat(20000)}\r\n`, [['ECHO', 'z'.repeat(20000)]]],
    ['scanned and general requests mixed', '*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n*0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n', [['GET', 'k'], ['PING'], ['SET', 'k', '']]],
  ])('%s', (_name, input, expected) => {
    expect(both(input)).toEqual({ commands: expected });
  });

  test('a large argument split across chunks is assembled once', () => {
    const value = Buffer.alloc(100_000, 'v');
    const input = Buffer.concat([Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${value.length}\r\n`), value, Buffer.from('\r\n*1\r\n$4\r\nPING\r\n')]);
    for (const size of [1, 7, 1000, 65536, input.length]) {
      const out = run(input, size);
      expect(out.error).toBeUndefined();
      expect(out.commands.length).toBe(2);
      expect(out.commands[0][2]).toBe(value.toString('latin1'));
      expect(out.commands[1]).toEqual(['PING']);
    }
  });

  test('arguments from an earlier chunk survive the chunk being reused', () => {
    const parser = new RespParser(LIMITS);
    const first = Buffer.from('*2\r\n$4\r\nECHO\r\n$5\r\nhel', 'latin1');
    parser.append(first);
    expect(parser.next()).toBeUndefined();
    first.fill(0x7a); // the caller may recycle its buffer
    parser.append(Buffer.from('lo\r\n'));
    expect(parser.next()?.map((a) => a.toString())).toEqual(['ECHO', 'hello']);
  });

  test('arguments are real Buffers', () => {
    const parser = new RespParser(LIMITS);
    parser.append(Buffer.from('*1\r\n$4\r\nPING\r\n'));
    const [arg] = parser.next() as Buffer[];
    expect(Buffer.isBuffer(arg)).toBe(true);
    expect(arg.equals(Buffer.from('PING'))).toBe(true);
    expect(arg.toString('latin1')).toBe('PING');
  });
});

describe('RespParser: protocol errors (Redis 7.0 wording)', () => {
  test.each<[string, string, string]>([
    ['invalid multibulk length', '*x\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['multibulk with plus sign', '*+1\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['multibulk with leading zero', '*01\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['multibulk over INT_MAX', '*3000000000\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['multibulk LF without CR', '*1\n\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['invalid bulk length', '*1\r\n$x\r\n', 'ERR Protocol error: invalid bulk length'],
    ['negative bulk length', '*1\r\n$-1\r\n', 'ERR Protocol error: invalid bulk length'],
    ['bulk length with leading zero', '*1\r\n$04\r\nPING\r\n', 'ERR Protocol error: invalid bulk length'],
    ['bulk over proto-max-bulk-len', '*1\r\n$536870913\r\n', 'ERR Protocol error: invalid bulk length'],
    ['expected $', '*1\r\nfoo\r\n', "ERR Protocol error: expected '$', got 'f'"],
    ['unbalanced double quotes', 'set a "b\r\n', 'ERR Protocol error: unbalanced quotes in request'],
    ['closing quote not followed by space', 'ECHO "a"b\r\n', 'ERR Protocol error: unbalanced quotes in request'],
    ['unbalanced single quotes', "ECHO 'a\r\n", 'ERR Protocol error: unbalanced quotes in request'],
  ])('%s', (_name, input, error) => {
    const out = both(input);
    expect(out.error).toBe(error);
    expect(out.errorReplies).toBe(true);
  });

  test('commands before the error are still returned', () => {
    expect(both('PING\r\n*1\r\n$x\r\n')).toEqual({ commands: [['PING']], error: 'ERR Protocol error: invalid bulk length', errorReplies: true });
  });

  test('too big inline request', () => {
    const out = both(Buffer.alloc(64 * 1024 + 1, 'a'));
    expect(out.error).toBe('ERR Protocol error: too big inline request');
  });

  test('too big mbulk count string', () => {
    expect(run(Buffer.from(`*${'1'.repeat(64 * 1024 + 1)}`), 4096).error).toBe('ERR Protocol error: too big mbulk count string');
  });

  test('too big bulk count string', () => {
    expect(run(Buffer.from(`*1\r\n$${'1'.repeat(64 * 1024 + 1)}`), 4096).error).toBe('ERR Protocol error: too big bulk count string');
  });

  test('a configured proto-max-bulk-len is enforced', () => {
    const limits = { ...LIMITS, maxBulkLen: 10 };
    expect(both('*2\r\n$4\r\nECHO\r\n$10\r\n0123456789\r\n', limits).commands).toEqual([['ECHO', '0123456789']]);
    expect(both('*2\r\n$4\r\nECHO\r\n$11\r\n', limits).error).toBe('ERR Protocol error: invalid bulk length');
  });

  test('unauthenticated clients get small limits', () => {
    expect(both('*11\r\n', LIMITS, true).error).toBe('ERR Protocol error: unauthenticated multibulk length');
    expect(both('*1\r\n$16385\r\n', LIMITS, true).error).toBe('ERR Protocol error: unauthenticated bulk length');
    expect(both('*1\r\n$16384\r\n', LIMITS, true).error).toBeUndefined();
  });

  test('the query buffer limit closes without a reply', () => {
    const out = run(Buffer.from(`*2\r\n$4\r\nECHO\r\n$1000\r\n${'x'.repeat(900)}`), 100, { maxBulkLen: 1e9, queryBufferLimit: 500 });
    expect(out.error).toBe('query buffer limit reached');
    expect(out.errorReplies).toBe(false);
  });

  test('a NUL byte before a header line ends keeps waiting, as strchr does', () => {
    expect(both('*1\x00\r\n$4\r\nPING\r\n')).toEqual({ commands: [] });
    expect(both('PI\x00NG\r\n')).toEqual({ commands: [] });
  });
});

describe('parseLongLong (string2ll)', () => {
  test.each<[string, number]>([
    ['0', 0],
    ['-1', -1],
    ['123', 123],
    ['9223372036854775807', 9223372036854775807],
  ])('%s', (text, value) => {
    const b = Buffer.from(text);
    expect(parseLongLong(b, 0, b.length)).toBe(value);
  });
  test.each(['', '-', '+1', '01', '-0', ' 1', '1 ', '1.5', '99999999999999999999', '123456789012345678901'])('rejects %j', (text) => {
    const b = Buffer.from(text);
    expect(parseLongLong(b, 0, b.length)).toBeNaN();
  });
});

describe('splitInlineArgs (sdssplitargs)', () => {
  test.each<[string, string[] | undefined]>([
    ['a b  c', ['a', 'b', 'c']],
    ['"\\x4"', ['x4']],
    ['"a\\zb"', ['azb']],
    ['"abc', undefined],
    ["'abc", undefined],
    ["'a'b", undefined],
    ['', []],
    ['\t a \t', ['a']],
  ])('%j', (line, expected) => {
    const out = splitInlineArgs(Buffer.from(line, 'latin1'));
    expect(out === undefined ? undefined : out.map((b) => b.toString('latin1'))).toEqual(expected);
  });
});

describe('peekRequests (where the batch prefetch finds keys)', () => {
  const enc = (...parts: string[]): string => `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p, 'latin1')}\r\n${p}\r\n`).join('')}`;
  const spansOf = (input: string, max = 32): { found: number; args: Array<[string, string | undefined]>; parser: RespParser } => {
    const parser = new RespParser(LIMITS);
    const buf = Buffer.from(input, 'latin1');
    parser.append(buf);
    const spans = new Int32Array(4 * max);
    const found = parser.peekRequests(spans, max);
    const args: Array<[string, string | undefined]> = [];
    for (let k = 0; k < found; k++) {
      const key = buf.toString('latin1', spans[4 * k], spans[4 * k + 1]);
      args.push([key, spans[4 * k + 2] < 0 ? undefined : buf.toString('latin1', spans[4 * k + 2], spans[4 * k + 3])]);
    }
    return { found, args, parser };
  };

  test('arguments 1 and 2 of each whole request, requests of one argument skipped, nothing consumed', () => {
    const input = enc('GET', 'k1') + enc('PING') + enc('HSET', 'h', 'f', 'v') + enc('SET', 'k\r\n2', 'v');
    const { found, args, parser } = spansOf(input);
    expect(found).toBe(3);
    expect(args).toEqual([
      ['k1', undefined],
      ['h', 'f'],
      ['k\r\n2', 'v'],
    ]);
    // The requests are all still there for scan().
    const seen: string[] = [];
    for (let argc = parser.scan(); argc > 0; argc = parser.scan()) seen.push(parser.latin1(0));
    expect(seen).toEqual(['GET', 'PING', 'HSET', 'SET']);
  });

  test('stops at a partial, inline or malformed request, and at max', () => {
    expect(spansOf(enc('GET', 'a') + enc('GET', 'b').slice(0, -3)).found).toBe(1);
    expect(spansOf(enc('GET', 'a') + 'GET b\r\n' + enc('GET', 'c')).found).toBe(1);
    expect(spansOf(enc('GET', 'a') + '*2\r\n$3\r\nGET\r\n:1\r\n' + enc('GET', 'c')).found).toBe(1);
    expect(spansOf('*2\r\n$03\r\nGET\r\n$1\r\na\r\n').found).toBe(0);
    expect(spansOf(enc('GET', 'a') + enc('GET', 'b') + enc('GET', 'c'), 2).found).toBe(2);
    expect(spansOf('').found).toBe(0);
    expect(spansOf('*').found).toBe(0);
  });

  test('every prefix of a batch, byte by byte: never more than the whole requests in it, never out of bounds', () => {
    const input = enc('GET', 'alpha') + enc('HGET', 'h', 'field') + enc('MSET', 'a', '1', 'b', '2');
    const wholeAt = [enc('GET', 'alpha').length, enc('GET', 'alpha').length + enc('HGET', 'h', 'field').length, input.length];
    for (let n = 0; n <= input.length; n++) {
      const { found, args } = spansOf(input.slice(0, n));
      expect(found).toBe(wholeAt.filter((end) => end <= n).length);
      expect(args).toEqual(
        [
          ['alpha', undefined],
          ['h', 'field'],
          ['a', '1'],
        ].slice(0, found),
      );
    }
  });

  test('the scanned request and those behind it, from a given index on: what the prefetch of a batch reads', () => {
    const input = enc('HSET', 'h', 'f', 'v') + enc('GET', 'k1') + enc('PING') + enc('LPOP', 'l');
    const buf = Buffer.from(input, 'latin1');
    const parser = new RespParser(LIMITS);
    parser.append(buf);
    const argc = parser.scan();
    expect(argc).toBe(4);
    const spans = new Int32Array(4 * 4).fill(-7);
    parser.scannedSpans(spans, 0, argc);
    expect(parser.peekRequests(spans, 3, 1)).toBe(2);
    const text = (at: number): string | undefined => (spans[at] < 0 ? undefined : buf.toString('latin1', spans[at], spans[at + 1]));
    expect([0, 1, 2].map((k) => [text(4 * k), text(4 * k + 2)])).toEqual([
      ['h', 'f'],
      ['k1', undefined],
      ['l', undefined],
    ]);
    // Past what was found, nothing was written.
    expect(Array.from(spans.subarray(12))).toEqual([-7, -7, -7, -7]);
    // A scanned request of two arguments has no argument 2.
    const single = new RespParser(LIMITS);
    single.append(Buffer.from(enc('GET', 'only'), 'latin1'));
    const argc2 = single.scan();
    single.scannedSpans(spans, 3, argc2);
    expect([spans[14], spans[15]]).toEqual([-1, -1]);
    expect(single.scannedBuffer.toString('latin1', spans[12], spans[13])).toBe('only');
  });
});
