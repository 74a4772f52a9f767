/**
 * Bad input at the protocol level, compared with redis-server 7.0 byte for byte: malformed RESP
 * gets `-ERR Protocol error: …` and a close; lengths above proto-max-bulk-len and query buffers
 * above client-query-buffer-limit end the connection the way Redis ends it; and the command-level
 * errors every client meets (unknown command, arity, not an integer, overflow) use Redis's words.
 * Each input is also fed one byte at a time: a resumable parser must reach the same outcome.
 */
import { RawClient, renderBytes, stopAll, type ServerHandle } from '../support';
import { startServerPair } from './differential-harness';

async function callOn(server: ServerHandle, ...args: string[]): Promise<string> {
  const client = await RawClient.connect(server.port);
  try {
    return await client.callText(...args);
  } finally {
    await client.close();
  }
}

interface Outcome {
  readonly bytes: string;
  readonly closed: boolean;
}

/**
 * What an input is known to do on redis-server, which decides how its outcome is observed (never
 * by a quiet period alone, which a loaded machine can outlast with a reply still to come):
 *  - closes:  an error (or nothing) and a close: read until the close.
 *  - answers: complete commands, connection stays open: a probe command follows the input, and
 *             everything before the probe's reply is the input's outcome.
 *  - waits:   an incomplete request, nothing to answer yet: whatever arrives in a quiet period
 *             (nothing, on a correct server) and the connection still open.
 */
type Shape = 'closes' | 'answers' | 'waits';

/** How long a waiting connection is watched for output it should not send. */
const QUIET_MS = 250;
/** Hang bounds only: a loaded machine can take seconds to answer or close. */
const CLOSE_WAIT_MS = 30000;
const PROBE: readonly string[] = ['ECHO', 'end-of-input-probe'];
const PROBE_REPLY = '$18\r\nend-of-input-probe\r\n';

async function writeInput(client: RawClient, input: Buffer, byteByByte: boolean): Promise<void> {
  if (!byteByByte) {
    await client.write(input);
    return;
  }
  for (let i = 0; i < input.length && !client.closed; i++) {
    await client.write(input.subarray(i, i + 1));
    // A pause per byte makes each byte its own read on the server; and once the server has
    // answered with a protocol error, writing on would make its close a reset that eats the reply.
    await new Promise((r) => setTimeout(r, 1));
    if (client.pending.includes('Protocol error')) break;
  }
}

/** Sends the input and collects what comes back, as its shape says. */
async function observe(port: number, input: Buffer, byteByByte: boolean, shape: Shape): Promise<Outcome> {
  const client = await RawClient.connect(port);
  try {
    await writeInput(client, input, byteByByte);
    if (shape === 'closes') {
      const { closed, bytes } = await client.readUntilClosed(CLOSE_WAIT_MS);
      return { bytes: renderBytes(bytes, 2000), closed };
    }
    if (shape === 'waits') {
      const bytes = await client.drain(QUIET_MS);
      return { bytes: renderBytes(bytes, 2000), closed: client.closed };
    }
    await client.send(...PROBE);
    const frames: Buffer[] = [];
    for (;;) {
      const result = await client.read(CLOSE_WAIT_MS);
      if (result.kind !== 'reply') {
        frames.push(result.pending);
        break;
      }
      if (result.bytes.toString('latin1') === PROBE_REPLY) break;
      frames.push(result.bytes);
    }
    return { bytes: renderBytes(Buffer.concat(frames), 2000), closed: client.closed };
  } finally {
    await client.close();
  }
}

const MALFORMED: Readonly<Record<string, string>> = {
  'non-numeric multibulk length': '*abc\r\n',
  'multibulk length with a plus sign': '*+1\r\n$4\r\nPING\r\n',
  'multibulk length with a leading zero': '*01\r\n$4\r\nPING\r\n',
  'multibulk length too large': '*99999999999\r\n',
  'element that is not a bulk string': '*1\r\nx\r\n',
  'nested array as an argument': '*1\r\n*1\r\n',
  'integer as an argument': '*2\r\n$4\r\nECHO\r\n:1\r\n',
  'non-numeric bulk length': '*1\r\n$abc\r\n',
  'bulk length -1': '*1\r\n$-1\r\n',
  'negative bulk length': '*1\r\n$-5\r\n',
  'bulk length with a space': '*1\r\n$ 4\r\nPING\r\n',
  'bulk length with a plus sign': '*1\r\n$+4\r\nPING\r\n',
  'bulk length above 512MB': '*1\r\n$600000000\r\n',
  'bulk length beyond int64': '*1\r\n$99999999999999999999\r\n',
  'valid command then a bad frame': '*1\r\n$4\r\nPING\r\n*x\r\n',
  'unbalanced double quote (inline)': 'SET "a b\r\n',
  'unbalanced single quote (inline)': "SET 'a\r\n",
  'closing quote followed by a character (inline)': 'SET "a"b\r\n',
  'a bad frame stops the pipeline: later commands are not run': '*x\r\n*1\r\n$4\r\nPING\r\n',
};

/** Complete requests (shape 'answers'). */
const ODD_BUT_VALID: Readonly<Record<string, string>> = {
  'negative multibulk count is ignored': '*-1\r\nPING\r\n',
  'zero multibulk count is ignored': '*0\r\nPING\r\n',
  'bulk followed by extra bytes before CRLF': '*1\r\n$4\r\nPINGxx\r\n',
  'bulk terminated by CR CR': '*1\r\n$4\r\nPING\r\r',
  'empty command name': '*1\r\n$0\r\n\r\n',
  'RESP-looking inline line ($4)': '$4\r\nPING\r\n',
  'RESP-looking inline line (:1)': ':1\r\n',
  'inline with LF only': 'PING\nPING\n',
  'inline CR inside the line': 'PING\rx\r\n',
  'unknown command then a valid one': '*1\r\n$3\r\nBAD\r\n*1\r\n$4\r\nPING\r\n',
};

/**
 * Requests Redis keeps waiting on (shape 'waits'): incomplete ones, and an inline line that starts
 * with a NUL byte, whose newline Redis's strchr() never finds (so nothing after it is read either).
 */
const INCOMPLETE: Readonly<Record<string, string>> = {
  'inline control bytes': '\x00\x01\x02\r\n',
  'incomplete frame waits': '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n',
  'incomplete bulk waits': '*1\r\n$4\r\nPI',
  'bulk without its final CRLF waits': '*1\r\n$4\r\nPING',
  'huge multibulk count waits for its elements': '*2000000\r\n$4\r\nPING\r\n',
};

describe('protocol errors and odd input, compared with redis-server', () => {
  let redis: ServerHandle | undefined;
  let ours: ServerHandle | undefined;

  beforeAll(async () => {
    ({ redis, ours } = await startServerPair());
  });

  afterAll(async () => {
    await stopAll([redis, ours]);
  });

  async function compare(input: Buffer, byteByByte: boolean, shape: Shape): Promise<Outcome> {
    const oracle = await observe(redis!.port, input, byteByByte, shape);
    const mine = await observe(ours!.port, input, byteByByte, shape);
    expect(mine).toEqual(oracle);
    return oracle;
  }

  describe('malformed RESP: error reply, then the connection closes', () => {
    test.each(Object.entries(MALFORMED))('%s', async (_name, input) => {
      const oracle = await compare(Buffer.from(input, 'latin1'), false, 'closes');
      // The table is of inputs Redis rejects: if this fails, the case belongs in ODD_BUT_VALID.
      expect(oracle.closed).toBe(true);
      expect(oracle.bytes).toMatch(/-ERR Protocol error: /);
    });

    test.each(Object.entries(MALFORMED))('%s (fed one byte at a time)', async (_name, input) => {
      await compare(Buffer.from(input, 'latin1'), true, 'closes');
    });
  });

  describe('odd but valid input: same replies, connection stays open', () => {
    test.each(Object.entries(ODD_BUT_VALID))('%s', async (_name, input) => {
      const oracle = await compare(Buffer.from(input, 'latin1'), false, 'answers');
      expect(oracle.closed).toBe(false);
    });

    test.each(Object.entries(ODD_BUT_VALID))('%s (fed one byte at a time)', async (_name, input) => {
      await compare(Buffer.from(input, 'latin1'), true, 'answers');
    });

    test.each(Object.entries(INCOMPLETE))('%s', async (_name, input) => {
      const oracle = await compare(Buffer.from(input, 'latin1'), false, 'waits');
      expect(oracle).toEqual({ bytes: '', closed: false });
    });

    test.each(Object.entries(INCOMPLETE))('%s (fed one byte at a time)', async (_name, input) => {
      await compare(Buffer.from(input, 'latin1'), true, 'waits');
    });
  });

  describe('limits set low with CONFIG SET on both servers', () => {
    const MB = 1024 * 1024;

    beforeAll(async () => {
      for (const server of [redis!, ours!]) {
        const admin = await RawClient.connect(server.port);
        try {
          // 1mb is the smallest value Redis accepts for either limit.
          expect(await admin.callText('CONFIG', 'SET', 'proto-max-bulk-len', '1mb')).toBe('+OK\r\n');
          expect(await admin.callText('CONFIG', 'SET', 'client-query-buffer-limit', '1mb')).toBe('+OK\r\n');
        } finally {
          await admin.close();
        }
      }
    });

    test('both servers report the limits', async () => {
      for (const server of [redis!, ours!]) {
        const admin = await RawClient.connect(server.port);
        try {
          expect(await admin.callText('CONFIG', 'GET', 'proto-max-bulk-len')).toBe('*2\r\n$18\r\nproto-max-bulk-len\r\n$7\r\n1048576\r\n');
        } finally {
          await admin.close();
        }
      }
    });

    test('a bulk length above proto-max-bulk-len: error and close, before any payload', async () => {
      const oracle = await compare(Buffer.from(`*2\r\n$4\r\nECHO\r\n$${MB + 1}\r\n`), false, 'closes');
      expect(oracle).toEqual({ bytes: '-ERR Protocol error: invalid bulk length\\r\\n', closed: true });
    });

    test('a bulk length at proto-max-bulk-len is accepted (header only, connection waits)', async () => {
      const oracle = await compare(Buffer.from(`*2\r\n$4\r\nECHO\r\n$${MB}\r\n`), false, 'waits');
      expect(oracle.closed).toBe(false);
    });

    test('a multibulk count above 1024*1024 with the limits lowered still waits (as Redis)', async () => {
      const oracle = await compare(Buffer.from(`*${MB + 1}\r\n`), false, 'waits');
      expect(oracle.closed).toBe(false);
    });

    test('an inline request above 64KB: error and close', async () => {
      const oracle = await compare(Buffer.alloc(70000, 'a'), false, 'closes');
      expect(oracle).toEqual({ bytes: '-ERR Protocol error: too big inline request\\r\\n', closed: true });
    });

    test('a query buffer above client-query-buffer-limit: the connection is closed', async () => {
      // A value exactly at proto-max-bulk-len (so the length itself is fine) makes the unparsed
      // query more than client-query-buffer-limit: Redis closes without a reply.
      const input = Buffer.concat([Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${MB}\r\n`), Buffer.alloc(MB, 'v'), Buffer.from('\r\n')]);
      const oracle = await compare(input, false, 'closes');
      expect(oracle.closed).toBe(true);
    });

    test('a value well above client-query-buffer-limit (proto-max-bulk-len raised): the connection is closed', async () => {
      for (const server of [redis!, ours!]) expect(await callOn(server, 'CONFIG', 'SET', 'proto-max-bulk-len', '8mb')).toBe('+OK\r\n');
      try {
        const input = Buffer.concat([Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${3 * MB}\r\n`), Buffer.alloc(2 * MB, 'v')]);
        const oracle = await compare(input, false, 'closes');
        expect(oracle.closed).toBe(true);
      } finally {
        for (const server of [redis!, ours!]) await callOn(server, 'CONFIG', 'SET', 'proto-max-bulk-len', '1mb');
      }
    });

    test('after all of that, a fresh connection still answers and the oversized value was not stored', async () => {
      for (const server of [redis!, ours!]) {
        const client = await RawClient.connect(server.port);
        try {
          expect(await client.callText('PING')).toBe('+PONG\r\n');
          expect(await client.callText('EXISTS', 'k')).toBe(':0\r\n');
        } finally {
          await client.close();
        }
      }
    });
  });

  describe("command errors use Redis's exact words", () => {
    const cases: readonly [string, readonly string[], string][] = [
      ['unknown command', ['FOO', 'a', 'b'], "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n"],
      ['unknown command, no args', ['foo'], "-ERR unknown command 'foo', with args beginning with: \r\n"],
      ['wrong arity (too few)', ['GET'], "-ERR wrong number of arguments for 'get' command\r\n"],
      ['wrong arity (too many)', ['GET', 'a', 'b'], "-ERR wrong number of arguments for 'get' command\r\n"],
      ['wrong arity of a subcommand', ['CLIENT', 'GETNAME', 'x'], "-ERR wrong number of arguments for 'client|getname' command\r\n"],
      ['unknown subcommand', ['CLIENT', 'FOO'], "-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n"],
      ['not an integer', ['INCRBY', 'n', 'x'], '-ERR value is not an integer or out of range\r\n'],
      ['not a float', ['INCRBYFLOAT', 'n', 'x'], '-ERR value is not a valid float\r\n'],
      ['syntax error', ['SET', 'k', 'v', 'BOGUS'], '-ERR syntax error\r\n'],
      ['invalid expire time', ['SET', 'k', 'v', 'EX', '0'], "-ERR invalid expire time in 'set' command\r\n"],
      ['DB index out of range', ['SELECT', '99'], '-ERR DB index is out of range\r\n'],
      ['no such key', ['RENAME', 'nokey', 'x'], '-ERR no such key\r\n'],
    ];

    test.each(cases)('%s', async (_name, args, reply) => {
      for (const server of [redis!, ours!]) {
        const client = await RawClient.connect(server.port);
        try {
          expect([server.kind, await client.callText(...args)]).toEqual([server.kind, reply]);
        } finally {
          await client.close();
        }
      }
    });

    test('increment or decrement would overflow', async () => {
      for (const server of [redis!, ours!]) {
        const client = await RawClient.connect(server.port);
        try {
          await client.call('SET', 'big', '9223372036854775807');
          expect([server.kind, await client.callText('INCR', 'big')]).toEqual([server.kind, '-ERR increment or decrement would overflow\r\n']);
          await client.call('SET', 'small', '-9223372036854775808');
          expect([server.kind, await client.callText('DECRBY', 'small', '1')]).toEqual([server.kind, '-ERR increment or decrement would overflow\r\n']);
          await client.call('SET', 'f', '1e308');
          expect([server.kind, await client.callText('INCRBYFLOAT', 'f', 'inf')]).toEqual([server.kind, '-ERR increment would produce NaN or Infinity\r\n']);
        } finally {
          await client.close();
        }
      }
    });
  });

  describe('WRONGTYPE (a string command on a list)', () => {
    test('GET on a list', async () => {
      for (const server of [redis!, ours!]) {
        const client = await RawClient.connect(server.port);
        try {
          await client.call('LPUSH', 'list', 'x');
          expect(await client.callText('GET', 'list')).toBe('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
        } finally {
          await client.close();
        }
      }
    });
  });
});
