import { expectSameReplies, oursOnly, transcripts, useServerPair } from './blackbox';

const servers = useServerPair();
const farFuture = Math.floor(Date.now() / 1000) + 100000;

describe('keys against redis-server', () => {
  test('DEL UNLINK EXISTS TOUCH TYPE', async () => {
    await expectSameReplies(servers(), [
      ['MSET', 'k:a', '1', 'k:b', '2', 'k:c', '3'],
      ['EXISTS', 'k:a', 'k:a', 'k:nope'],
      ['TOUCH', 'k:a', 'k:nope', 'k:b'],
      ['TYPE', 'k:a'],
      ['TYPE', 'k:nope'],
      ['DEL', 'k:a', 'k:a', 'k:nope'],
      ['UNLINK', 'k:b', 'k:c'],
      ['DEL', 'k:b'],
      ['DEL'],
      ['EXISTS'],
    ]);
  });

  test('EXPIRE family, TTL family, PERSIST', async () => {
    await expectSameReplies(servers(), [
      ['SET', 'k:e', 'v'],
      ['TTL', 'k:e'],
      ['PTTL', 'k:e'],
      ['EXPIRETIME', 'k:e'],
      ['PEXPIRETIME', 'k:e'],
      ['TTL', 'k:nope'],
      ['PTTL', 'k:nope'],
      ['EXPIRETIME', 'k:nope'],
      ['PEXPIRETIME', 'k:nope'],
      ['EXPIRE', 'k:e', '100'],
      ['TTL', 'k:e'],
      ['EXPIREAT', 'k:e', String(farFuture)],
      ['EXPIRETIME', 'k:e'],
      ['PEXPIREAT', 'k:e', `${farFuture}123`],
      ['PEXPIRETIME', 'k:e'],
      ['EXPIRETIME', 'k:e'],
      ['PERSIST', 'k:e'],
      ['PERSIST', 'k:e'],
      ['PERSIST', 'k:nope'],
      ['EXPIRE', 'k:nope', '10'],
      ['EXPIRE', 'k:e', '100', 'XX'],
      ['EXPIRE', 'k:e', '100', 'GT'],
      ['EXPIRE', 'k:e', '100', 'LT'],
      ['TTL', 'k:e'],
      ['EXPIRE', 'k:e', '200', 'NX'],
      ['EXPIRE', 'k:e', '200', 'xx'],
      ['EXPIRE', 'k:e', '100', 'gt'],
      ['EXPIRE', 'k:e', '300', 'GT'],
      ['EXPIRE', 'k:e', '400', 'LT'],
      ['EXPIRE', 'k:e', '50', 'LT', 'XX'],
      ['TTL', 'k:e'],
      ['PERSIST', 'k:e'],
      ['EXPIRE', 'k:e', '10', 'NX', 'XX'],
      ['EXPIRE', 'k:e', '10', 'NX', 'GT'],
      ['EXPIRE', 'k:e', '10', 'LT', 'NX'],
      ['EXPIRE', 'k:e', '10', 'GT', 'LT'],
      ['EXPIRE', 'k:e', '10', 'FOO'],
      ['EXPIRE', 'k:e', '10', 'nx', 'bar'],
      ['EXPIRE', 'k:e', 'x'],
      ['EXPIRE', 'k:e', 'x', 'NX', 'XX'],
      ['EXPIRE', 'k:e', '1.5'],
      ['EXPIRE', 'k:e', '9223372036854776'],
      ['EXPIRE', 'k:e', '-9223372036854776'],
      ['EXPIRE', 'k:e', '9223372036854775'],
      ['PEXPIRE', 'k:e', '9223372036854775807'],
      ['EXPIREAT', 'k:e', '9223372036854776'],
      ['EXPIREAT', 'k:e', '9223372036854775'],
      ['EXISTS', 'k:e'],
      ['PERSIST', 'k:e'],
      ['PEXPIREAT', 'k:e', '9223372036854775807'],
      ['EXISTS', 'k:e'],
      ['EXPIRE', 'k:e', '0'],
      ['EXISTS', 'k:e'],
      ['SET', 'k:e', 'v'],
      ['PEXPIRE', 'k:e', '-1'],
      ['EXISTS', 'k:e'],
      ['SET', 'k:e', 'v'],
      ['EXPIREAT', 'k:e', '1'],
      ['EXISTS', 'k:e'],
      ['SET', 'k:e', 'v'],
      ['EXPIRE', 'k:e', '-100', 'LT'],
      ['EXISTS', 'k:e'],
      ['EXPIRE', 'k:e'],
      ['TTL'],
    ]);
  });

  test('RENAME RENAMENX', async () => {
    await expectSameReplies(servers(), [
      ['SET', 'k:r1', '1', 'EX', '100'],
      ['SET', 'k:r2', '2'],
      ['RENAME', 'k:r1', 'k:r2'],
      ['GET', 'k:r2'],
      ['TTL', 'k:r2'],
      ['EXISTS', 'k:r1'],
      ['RENAME', 'k:nope', 'k:x'],
      ['RENAME', 'k:nope', 'k:nope'],
      ['RENAMENX', 'k:nope', 'k:x'],
      ['RENAME', 'k:r2', 'k:r2'],
      ['RENAMENX', 'k:r2', 'k:r2'],
      ['SET', 'k:r3', '3'],
      ['RENAMENX', 'k:r2', 'k:r3'],
      ['RENAMENX', 'k:r2', 'k:r4'],
      ['GET', 'k:r4'],
      ['TTL', 'k:r4'],
    ]);
  });

  test('MOVE and COPY', async () => {
    await expectSameReplies(servers(), [
      ['SET', 'k:m', 'v', 'EX', '100'],
      ['MOVE', 'k:m', '1'],
      ['EXISTS', 'k:m'],
      ['MOVE', 'k:m', '1'],
      ['SELECT', '1'],
      ['GET', 'k:m'],
      ['TTL', 'k:m'],
      ['MOVE', 'k:m', '0'],
      ['SELECT', '0'],
      ['SET', 'k:m', 'w'],
      ['MOVE', 'k:m', '0'],
      ['MOVE', 'k:m', '16'],
      ['MOVE', 'k:m', '-1'],
      ['MOVE', 'k:m', 'x'],
      ['MOVE', 'k:m', '4294967296'],
      ['MOVE', 'k:nope', '2'],
      ['SET', 'k:c1', '1', 'EX', '100'],
      ['COPY', 'k:c1', 'k:c2'],
      ['GET', 'k:c2'],
      ['TTL', 'k:c2'],
      ['SET', 'k:c1', '2'],
      ['COPY', 'k:c1', 'k:c2'],
      ['COPY', 'k:c1', 'k:c2', 'REPLACE'],
      ['GET', 'k:c2'],
      ['TTL', 'k:c2'],
      ['COPY', 'k:c1', 'k:c1', 'DB', '3'],
      ['COPY', 'k:c1', 'k:c1', 'DB', '3'],
      ['COPY', 'k:c1', 'k:c1', 'db', '3', 'replace'],
      ['SELECT', '3'],
      ['GET', 'k:c1'],
      ['SELECT', '0'],
      ['COPY', 'k:nope', 'k:x'],
      ['COPY', 'k:c1', 'k:c1'],
      ['COPY', 'k:c1', 'k:c1', 'DB', '0'],
      ['COPY', 'k:c1', 'k:x', 'DB', '99'],
      ['COPY', 'k:c1', 'k:x', 'DB', 'x'],
      ['COPY', 'k:c1', 'k:x', 'DB'],
      ['COPY', 'k:c1', 'k:x', 'FOO'],
    ]);
  });

  test('KEYS and RANDOMKEY', async () => {
    // Keys come back in hash order on redis-server, so compare sorted lists.
    const pair = servers();
    const setup = [['SELECT', '5'], ['MSET', 'hello', '1', 'hallo', '2', 'hxllo', '3', 'world', '4', 'h*llo', '5']];
    const queries = ['h?llo', 'h[ae]llo', 'h[^e]llo', 'h\\*llo', '*', 'nomatch*', '*o', 'H*'];
    const [theirs, mine] = await transcripts(pair, [...setup, ...queries.map((q) => ['KEYS', q])]);
    const normalise = (lines: string[]): string[] =>
      lines.map((line) => {
        const [label, reply] = line.split(' -> ');
        const parts = (JSON.parse(reply) as string).split('\r\n');
        return `${label} -> ${parts[0]} ${parts.filter((_p, i) => i > 0 && i % 2 === 0).sort().join(',')}`;
      });
    expect(normalise(mine)).toEqual(normalise(theirs));
    await expectSameReplies(pair, [['SELECT', '6'], ['RANDOMKEY'], ['SET', 'only', '1'], ['RANDOMKEY'], ['SELECT', '0']]);
  });

  test('SCAN: errors and a full iteration', async () => {
    const pair = servers();
    await expectSameReplies(pair, [
      ['SCAN', 'x'],
      ['SCAN', '18446744073709551616'],
      ['SCAN', '0', 'COUNT', '0'],
      ['SCAN', '0', 'COUNT', 'x'],
      ['SCAN', '0', 'COUNT'],
      ['SCAN', '0', 'MATCH'],
      ['SCAN', '0', 'FOO', 'bar'],
      ['SCAN'],
    ]);
    const collect = async (client: typeof pair.ours): Promise<string[]> => {
      await client.call('SELECT', '7');
      const keys = Array.from({ length: 50 }, (_, i) => [`scan:${i}`, 'v']).flat();
      await client.call('MSET', 'other', 'v', ...keys);
      const seen = new Set<string>();
      let cursor = '0';
      do {
        const reply = (await client.call('SCAN', cursor, 'MATCH', 'scan:*', 'COUNT', '7', 'TYPE', 'string')).toString();
        const lines = reply.split('\r\n');
        cursor = lines[2];
        for (let i = 5; i < lines.length; i += 2) if (lines[i] !== '') seen.add(lines[i]);
      } while (cursor !== '0');
      await client.call('SELECT', '0');
      return [...seen].sort();
    };
    const theirs = await collect(pair.redis);
    expect(theirs).toHaveLength(50);
    expect(await collect(pair.ours)).toEqual(theirs);
  });

  test('OBJECT', async () => {
    await expectSameReplies(servers(), [
      ['MSET', 'k:oi', '12345', 'k:oe', 'hello', 'k:or', 'x'.repeat(45), 'k:on', '-9223372036854775808', 'k:oz', '012'],
      ['SET', 'k:os', '100'],
      ['SET', 'k:ob', '10000'],
      ['OBJECT', 'ENCODING', 'k:oi'],
      ['OBJECT', 'ENCODING', 'k:oe'],
      ['OBJECT', 'ENCODING', 'k:or'],
      ['OBJECT', 'ENCODING', 'k:on'],
      ['OBJECT', 'ENCODING', 'k:oz'],
      ['OBJECT', 'ENCODING', 'k:nope'],
      ['OBJECT', 'REFCOUNT', 'k:os'],
      ['OBJECT', 'REFCOUNT', 'k:ob'],
      ['OBJECT', 'REFCOUNT', 'k:oe'],
      ['OBJECT', 'REFCOUNT', 'k:nope'],
      ['OBJECT', 'IDLETIME', 'k:nope'],
      ['OBJECT', 'FREQ', 'k:oe'],
      ['OBJECT', 'FREQ', 'k:nope'],
      ['OBJECT', 'ENCODING'],
    ]);
  });

  test('OBJECT IDLETIME: both count whole seconds since the last access', async () => {
    // Seconds of a wall clock: a write and the read after it may fall either side of a second's
    // boundary on either server, so a fresh key reads 0 or 1 (never a byte-for-byte comparison).
    const pair = servers();
    const [theirs, mine] = await transcripts(pair, [
      ['SET', 'k:idle', 'v'],
      ['OBJECT', 'IDLETIME', 'k:idle'],
    ]);
    for (const transcript of [theirs, mine]) {
      expect(transcript[0]).toBe('SET k:idle v -> "+OK\\r\\n"');
      expect(transcript[1]).toMatch(/^OBJECT IDLETIME k:idle -> ":[01]\\r\\n"$/);
    }
  });
});

describe('Valkey 8 behaviour that redis-server 7.0 lacks: hand-written expectations', () => {
  test('SCAN TYPE with an unknown type name is an error', async () => {
    expect(await oursOnly(servers(), [['SCAN', '0', 'TYPE', 'nosuch']])).toEqual(["-ERR unknown type name 'nosuch'\r\n"]);
  });

  test('SCAN refuses a negative cursor (string2ull; redis 7.0 wrapped it)', async () => {
    expect(await oursOnly(servers(), [['SCAN', '-1']])).toEqual(['-ERR invalid cursor\r\n']);
  });

  test("OBJECT HELP ends with Valkey's 'Print this help.'", async () => {
    const [help] = await oursOnly(servers(), [['OBJECT', 'HELP']]);
    expect(help.startsWith('*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+ENCODING <key>\r\n')).toBe(true);
    expect(help.endsWith('+REFCOUNT <key>\r\n+    Return the number of references of the value associated with the specified\r\n+    <key>.\r\n+HELP\r\n+    Print this help.\r\n')).toBe(true);
  });
});
