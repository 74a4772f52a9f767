import { FakeList, Harness, resp } from './command-harness';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});

const notCompatible = resp.err('ERR NX and XX, GT or LT options at the same time are not compatible');
const gtLt = resp.err('ERR GT and LT options at the same time are not compatible');

describe('DEL UNLINK EXISTS TOUCH TYPE', () => {
  test('DEL and UNLINK count removed keys', () => {
    h.run('MSET', 'a', '1', 'b', '2');
    h.db.set('l', new FakeList());
    expect(h.run('DEL', 'a', 'a', 'nope', 'l')).toBe(resp.int(2));
    expect(h.run('UNLINK', 'b', 'b')).toBe(resp.int(1));
    expect(h.run('DEL', 'a')).toBe(resp.int(0));
  });

  test('an expired key counts as absent', () => {
    h.run('SET', 'a', '1', 'PX', '5');
    h.now += 5;
    expect(h.run('DEL', 'a')).toBe(resp.int(0));
    expect(h.run('EXISTS', 'a')).toBe(resp.int(0));
  });

  test('EXISTS counts repeats; TOUCH counts existing keys', () => {
    h.run('SET', 'a', '1');
    expect(h.run('EXISTS', 'a', 'a', 'b')).toBe(resp.int(2));
    expect(h.run('TOUCH', 'a', 'b', 'a')).toBe(resp.int(2));
  });

  test('TYPE', () => {
    h.run('SET', 's', 'x');
    h.db.set('l', new FakeList());
    expect(h.run('TYPE', 's')).toBe(resp.simple('string'));
    expect(h.run('TYPE', 'l')).toBe(resp.simple('list'));
    expect(h.run('TYPE', 'nope')).toBe(resp.simple('none'));
  });
});

describe('EXPIRE family', () => {
  test('EXPIRE PEXPIRE EXPIREAT PEXPIREAT, TTL PTTL EXPIRETIME PEXPIRETIME', () => {
    h.run('SET', 'k', 'v');
    expect(h.run('TTL', 'k')).toBe(resp.int(-1));
    expect(h.run('PTTL', 'k')).toBe(resp.int(-1));
    expect(h.run('EXPIRETIME', 'k')).toBe(resp.int(-1));
    expect(h.run('TTL', 'nope')).toBe(resp.int(-2));
    expect(h.run('PEXPIRETIME', 'nope')).toBe(resp.int(-2));
    expect(h.run('EXPIRE', 'k', '100')).toBe(resp.int(1));
    expect(h.run('TTL', 'k')).toBe(resp.int(100));
    expect(h.run('PEXPIRETIME', 'k')).toBe(resp.int(h.now + 100000));
    expect(h.run('EXPIRETIME', 'k')).toBe(resp.int(h.now / 1000 + 100));
    expect(h.run('PEXPIRE', 'k', '1499')).toBe(resp.int(1));
    expect(h.run('TTL', 'k')).toBe(resp.int(1));
    expect(h.run('PEXPIRE', 'k', '1500')).toBe(resp.int(1));
    expect(h.run('TTL', 'k')).toBe(resp.int(2));
    expect(h.run('EXPIREAT', 'k', String(h.now / 1000 + 30))).toBe(resp.int(1));
    expect(h.run('PTTL', 'k')).toBe(resp.int(30000));
    expect(h.run('PEXPIREAT', 'k', String(h.now + 42))).toBe(resp.int(1));
    expect(h.run('PTTL', 'k')).toBe(resp.int(42));
    expect(h.run('EXPIRE', 'nope', '10')).toBe(resp.int(0));
  });

  test('a zero or past expiry deletes the key', () => {
    h.run('MSET', 'a', '1', 'b', '2', 'c', '3', 'd', '4');
    expect(h.run('EXPIRE', 'a', '0')).toBe(resp.int(1));
    expect(h.run('PEXPIRE', 'b', '-10')).toBe(resp.int(1));
    expect(h.run('EXPIREAT', 'c', '1')).toBe(resp.int(1));
    expect(h.run('PEXPIREAT', 'd', String(h.now))).toBe(resp.int(1));
    expect(h.run('EXISTS', 'a', 'b', 'c', 'd')).toBe(resp.int(0));
  });

  test('NX XX GT LT', () => {
    h.run('SET', 'k', 'v');
    expect(h.run('EXPIRE', 'k', '100', 'XX')).toBe(resp.int(0));
    expect(h.run('EXPIRE', 'k', '100', 'GT')).toBe(resp.int(0));
    expect(h.run('EXPIRE', 'k', '100', 'LT')).toBe(resp.int(1));
    h.run('PERSIST', 'k');
    expect(h.run('EXPIRE', 'k', '100', 'nx')).toBe(resp.int(1));
    expect(h.run('EXPIRE', 'k', '200', 'NX')).toBe(resp.int(0));
    expect(h.run('EXPIRE', 'k', '200', 'XX')).toBe(resp.int(1));
    expect(h.run('EXPIRE', 'k', '100', 'GT')).toBe(resp.int(0));
    expect(h.run('EXPIRE', 'k', '300', 'gt')).toBe(resp.int(1));
    expect(h.run('EXPIRE', 'k', '400', 'LT')).toBe(resp.int(0));
    expect(h.run('EXPIRE', 'k', '50', 'LT', 'XX')).toBe(resp.int(1));
    expect(h.run('TTL', 'k')).toBe(resp.int(50));
  });

  test.each([
    [['NX', 'XX']],
    [['NX', 'GT']],
    [['LT', 'NX']],
  ])('%j are not compatible', (opts) => {
    h.run('SET', 'k', 'v');
    expect(h.run('EXPIRE', 'k', '10', ...opts)).toBe(notCompatible);
  });

  test('GT and LT together', () => {
    expect(h.run('PEXPIRE', 'k', '10', 'GT', 'LT')).toBe(gtLt);
  });

  test('unknown option, bad numbers and overflow', () => {
    expect(h.run('EXPIRE', 'k', '10', 'FOO')).toBe(resp.err('ERR Unsupported option FOO'));
    expect(h.run('EXPIRE', 'k', 'x')).toBe(resp.notInteger);
    expect(h.run('EXPIRE', 'k', '1.5')).toBe(resp.notInteger);
    h.run('SET', 'k', 'v');
    expect(h.run('EXPIRE', 'k', '9223372036854776')).toBe(resp.err("ERR invalid expire time in 'expire' command"));
    expect(h.run('EXPIRE', 'k', '-9223372036854776')).toBe(resp.err("ERR invalid expire time in 'expire' command"));
    expect(h.run('PEXPIRE', 'k', '9223372036854775807')).toBe(resp.err("ERR invalid expire time in 'pexpire' command"));
    expect(h.run('EXPIREAT', 'k', '9223372036854776')).toBe(resp.err("ERR invalid expire time in 'expireat' command"));
    expect(h.run('PEXPIREAT', 'k', '9223372036854775807')).toBe(resp.int(1));
    expect(h.run('EXPIRE', 'k', '9223372036854775')).toBe(resp.err("ERR invalid expire time in 'expire' command"));
    expect(h.run('EXPIREAT', 'k', '9223372036854775')).toBe(resp.int(1));
    // Flags are parsed before the time argument.
    expect(h.run('EXPIRE', 'k', 'x', 'NX', 'XX')).toBe(notCompatible);
  });

  test('PERSIST', () => {
    expect(h.run('PERSIST', 'k')).toBe(resp.int(0));
    h.run('SET', 'k', 'v');
    expect(h.run('PERSIST', 'k')).toBe(resp.int(0));
    h.run('EXPIRE', 'k', '10');
    expect(h.run('PERSIST', 'k')).toBe(resp.int(1));
    expect(h.run('TTL', 'k')).toBe(resp.int(-1));
  });

  test('TTL rounds to the nearest second', () => {
    h.run('SET', 'k', 'v', 'PX', '2499');
    expect(h.run('TTL', 'k')).toBe(resp.int(2));
    h.run('SET', 'k', 'v', 'PX', '2500');
    expect(h.run('TTL', 'k')).toBe(resp.int(3));
  });
});

describe('RENAME RENAMENX MOVE COPY', () => {
  test('RENAME moves value and TTL, overwriting', () => {
    h.run('SET', 'a', '1', 'EX', '100');
    h.run('SET', 'b', '2');
    expect(h.run('RENAME', 'a', 'b')).toBe(resp.ok);
    expect(h.run('GET', 'b')).toBe(resp.bulk('1'));
    expect(h.run('TTL', 'b')).toBe(resp.int(100));
    expect(h.run('EXISTS', 'a')).toBe(resp.int(0));
    h.run('SET', 'c', '3');
    h.run('EXPIRE', 'b', '50');
    expect(h.run('RENAME', 'c', 'b')).toBe(resp.ok);
    expect(h.run('TTL', 'b')).toBe(resp.int(-1));
  });

  test('RENAME errors and same key', () => {
    expect(h.run('RENAME', 'nope', 'x')).toBe(resp.err('ERR no such key'));
    expect(h.run('RENAME', 'nope', 'nope')).toBe(resp.err('ERR no such key'));
    expect(h.run('RENAMENX', 'nope', 'x')).toBe(resp.err('ERR no such key'));
    h.run('SET', 'a', '1');
    expect(h.run('RENAME', 'a', 'a')).toBe(resp.ok);
    expect(h.run('RENAMENX', 'a', 'a')).toBe(resp.int(0));
  });

  test('RENAMENX', () => {
    h.run('MSET', 'a', '1', 'b', '2');
    expect(h.run('RENAMENX', 'a', 'b')).toBe(resp.int(0));
    expect(h.run('RENAMENX', 'a', 'c')).toBe(resp.int(1));
    expect(h.run('GET', 'c')).toBe(resp.bulk('1'));
  });

  test('RENAME carries collections', () => {
    const list = new FakeList(['x']);
    h.db.set('l', list);
    expect(h.run('RENAME', 'l', 'm')).toBe(resp.ok);
    expect(h.db.get('m')).toBe(list);
  });

  test('MOVE', () => {
    h.run('SET', 'k', 'v', 'EX', '100');
    expect(h.run('MOVE', 'k', '1')).toBe(resp.int(1));
    expect(h.run('EXISTS', 'k')).toBe(resp.int(0));
    expect(h.databases[1].get('k')).toBe('v');
    expect(h.databases[1].getExpire('k')).toBe(h.now + 100000);
    expect(h.run('MOVE', 'k', '1')).toBe(resp.int(0));
    h.run('SET', 'k', 'w');
    expect(h.run('MOVE', 'k', '1')).toBe(resp.int(0));
    expect(h.run('MOVE', 'k', '0')).toBe(resp.err('ERR source and destination objects are the same'));
    expect(h.run('MOVE', 'k', '16')).toBe(resp.err('ERR DB index is out of range'));
    expect(h.run('MOVE', 'k', '-1')).toBe(resp.err('ERR DB index is out of range'));
    expect(h.run('MOVE', 'k', 'x')).toBe(resp.notInteger);
    expect(h.run('MOVE', 'k', '4294967296')).toBe(resp.err('ERR value is out of range, value must between -2147483648 and 2147483647'));
  });

  test('COPY within and across databases', () => {
    h.run('SET', 'a', '1', 'EX', '100');
    expect(h.run('COPY', 'a', 'b')).toBe(resp.int(1));
    expect(h.run('GET', 'b')).toBe(resp.bulk('1'));
    expect(h.run('TTL', 'b')).toBe(resp.int(100));
    h.run('SET', 'a', '2');
    expect(h.run('COPY', 'a', 'b')).toBe(resp.int(0));
    expect(h.run('COPY', 'a', 'b', 'REPLACE')).toBe(resp.int(1));
    expect(h.run('GET', 'b')).toBe(resp.bulk('2'));
    expect(h.run('TTL', 'b')).toBe(resp.int(-1));
    expect(h.run('COPY', 'a', 'a', 'DB', '3')).toBe(resp.int(1));
    expect(h.databases[3].get('a')).toBe('2');
    expect(h.run('COPY', 'nope', 'x')).toBe(resp.int(0));
  });

  test('COPY deep-copies collections', () => {
    const list = new FakeList(['x']);
    h.db.set('l', list);
    expect(h.run('COPY', 'l', 'm')).toBe(resp.int(1));
    const copy = h.db.get('m');
    expect(copy).toBeInstanceOf(FakeList);
    expect(copy).not.toBe(list);
    expect((copy as FakeList).items).toEqual(['x']);
  });

  test('COPY errors', () => {
    h.run('SET', 'a', '1');
    expect(h.run('COPY', 'a', 'a')).toBe(resp.err('ERR source and destination objects are the same'));
    expect(h.run('COPY', 'a', 'a', 'DB', '0')).toBe(resp.err('ERR source and destination objects are the same'));
    expect(h.run('COPY', 'a', 'b', 'DB', '99')).toBe(resp.err('ERR DB index is out of range'));
    expect(h.run('COPY', 'a', 'b', 'DB', 'x')).toBe(resp.notInteger);
    expect(h.run('COPY', 'a', 'b', 'DB')).toBe(resp.syntax);
    expect(h.run('COPY', 'a', 'b', 'FOO')).toBe(resp.syntax);
  });
});

describe('KEYS SCAN RANDOMKEY', () => {
  const sorted = (reply: string): string[] =>
    reply
      .split('\r\n')
      .filter((line, i) => i > 0 && line !== '' && !line.startsWith('$') && !line.startsWith('*'));

  test('KEYS with patterns, skipping expired keys', () => {
    h.run('MSET', 'hello', '1', 'hallo', '2', 'hxllo', '3', 'world', '4');
    h.run('SET', 'hexp', '1', 'PX', '1');
    h.now += 1;
    expect(sorted(h.run('KEYS', 'h?llo')).sort()).toEqual(['hallo', 'hello', 'hxllo']);
    expect(sorted(h.run('KEYS', 'h[ae]llo')).sort()).toEqual(['hallo', 'hello']);
    expect(sorted(h.run('KEYS', '*')).sort()).toEqual(['hallo', 'hello', 'hxllo', 'world']);
    expect(h.run('KEYS', 'nomatch*')).toBe('*0\r\n');
  });

  test('SCAN visits every key once over a full iteration', () => {
    for (let i = 0; i < 100; i++) h.run('SET', `key:${i}`, 'v');
    h.db.set('list', new FakeList());
    const seen: string[] = [];
    let cursor = '0';
    do {
      const reply = h.run('SCAN', cursor, 'COUNT', '7');
      const lines = reply.split('\r\n');
      cursor = lines[2];
      seen.push(...sorted(lines.slice(3).join('\r\n')).filter((x) => x !== cursor));
    } while (cursor !== '0');
    expect(new Set(seen).size).toBe(101);
  });

  test('SCAN MATCH and TYPE filter', () => {
    h.run('MSET', 'a1', '1', 'a2', '2', 'b1', '3');
    h.db.set('al', new FakeList());
    expect(h.run('SCAN', '0', 'MATCH', 'a*', 'TYPE', 'string', 'COUNT', '100')).toBe(
      resp.array(resp.bulk('0'), resp.array(resp.bulk('a1'), resp.bulk('a2'))),
    );
    expect(h.run('SCAN', '0', 'TYPE', 'LIST')).toBe(resp.array(resp.bulk('0'), resp.array(resp.bulk('al'))));
    expect(h.run('SCAN', '0', 'MATCH', '*', 'COUNT', '100')).toBe(
      resp.array(resp.bulk('0'), resp.array(resp.bulk('a1'), resp.bulk('a2'), resp.bulk('b1'), resp.bulk('al'))),
    );
  });

  test('SCAN errors', () => {
    expect(h.run('SCAN', 'x')).toBe(resp.err('ERR invalid cursor'));
    expect(h.run('SCAN', '-1')).toBe(resp.err('ERR invalid cursor'));
    expect(h.run('SCAN', '18446744073709551616')).toBe(resp.err('ERR invalid cursor'));
    expect(h.run('SCAN', '18446744073709551615')).toBe(resp.array(resp.bulk('0'), '*0\r\n'));
    expect(h.run('SCAN', '0', 'COUNT', '0')).toBe(resp.syntax);
    expect(h.run('SCAN', '0', 'COUNT', 'x')).toBe(resp.notInteger);
    expect(h.run('SCAN', '0', 'COUNT')).toBe(resp.syntax);
    expect(h.run('SCAN', '0', 'FOO', 'bar')).toBe(resp.syntax);
    expect(h.run('SCAN', '0', 'TYPE', 'nosuch')).toBe(resp.err("ERR unknown type name 'nosuch'"));
    expect(h.run('SCAN', '0', 'NOVALUES')).toBe(resp.err('ERR NOVALUES option can only be used in HSCAN'));
  });

  test('RANDOMKEY', () => {
    expect(h.run('RANDOMKEY')).toBe(resp.nil);
    h.run('SET', 'only', '1');
    expect(h.run('RANDOMKEY')).toBe(resp.bulk('only'));
  });
});

describe('OBJECT', () => {
  test('ENCODING follows what Redis would pick for the value', () => {
    h.run('MSET', 'i', '12345', 'e', 'hello', 'r', 'x'.repeat(45), 'n', '-9223372036854775808', 'z', '012');
    h.db.set('l', new FakeList());
    expect(h.run('OBJECT', 'ENCODING', 'i')).toBe(resp.bulk('int'));
    expect(h.run('OBJECT', 'ENCODING', 'n')).toBe(resp.bulk('int'));
    expect(h.run('OBJECT', 'ENCODING', 'z')).toBe(resp.bulk('embstr'));
    expect(h.run('OBJECT', 'ENCODING', 'e')).toBe(resp.bulk('embstr'));
    expect(h.run('OBJECT', 'ENCODING', 'r')).toBe(resp.bulk('raw'));
    expect(h.run('OBJECT', 'ENCODING', 'l')).toBe(resp.bulk('listpack'));
    expect(h.run('OBJECT', 'ENCODING', 'nope')).toBe(resp.nil);
  });

  test('REFCOUNT: shared small integers', () => {
    h.run('MSET', 'small', '100', 'big', '10000', 's', 'abc');
    expect(h.run('OBJECT', 'REFCOUNT', 'small')).toBe(resp.int(2147483647));
    expect(h.run('OBJECT', 'REFCOUNT', 'big')).toBe(resp.int(1));
    expect(h.run('OBJECT', 'REFCOUNT', 's')).toBe(resp.int(1));
    expect(h.run('OBJECT', 'REFCOUNT', 'nope')).toBe(resp.nil);
    h.settings.set('maxmemory', '1000000');
    h.settings.set('maxmemory-policy', 'allkeys-lru');
    expect(h.run('OBJECT', 'REFCOUNT', 'small')).toBe(resp.int(1));
  });

  test('IDLETIME and FREQ depend on the maxmemory policy', () => {
    h.run('SET', 'k', 'v');
    h.now += 5000;
    expect(h.run('OBJECT', 'IDLETIME', 'k')).toBe(resp.int(5));
    expect(h.run('OBJECT', 'FREQ', 'k')).toBe(
      resp.err(
        'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      ),
    );
    h.settings.set('maxmemory-policy', 'allkeys-lfu');
    expect(h.run('OBJECT', 'FREQ', 'k')).toMatch(/^:\d+\r\n$/);
    expect(h.run('OBJECT', 'IDLETIME', 'k')).toBe(
      resp.err(
        'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      ),
    );
    expect(h.run('OBJECT', 'FREQ', 'nope')).toBe(resp.nil);
  });

  test('HELP and arity', () => {
    const help = h.run('OBJECT', 'HELP');
    expect(help.startsWith('*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n')).toBe(true);
    expect(help.endsWith('+HELP\r\n+    Print this help.\r\n')).toBe(true);
    expect(h.run('OBJECT', 'ENCODING')).toBe(resp.err("ERR wrong number of arguments for 'object|encoding' command"));
  });
});

describe('WRONGTYPE is not raised by type-agnostic commands', () => {
  test('DEL EXISTS EXPIRE TTL PERSIST on a collection', () => {
    h.db.set('l', new FakeList());
    expect(h.run('EXPIRE', 'l', '10')).toBe(resp.int(1));
    expect(h.run('TTL', 'l')).toBe(resp.int(10));
    expect(h.run('PERSIST', 'l')).toBe(resp.int(1));
    expect(h.run('EXISTS', 'l')).toBe(resp.int(1));
    expect(h.run('DEL', 'l')).toBe(resp.int(1));
  });
});
