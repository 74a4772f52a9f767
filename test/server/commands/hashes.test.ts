import { HashValue } from '../../../lib/server/datatypes/hash';
import { FakeList, Harness, resp } from './command-harness';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});

const { int, bulk, array, nil, err, ok, wrongType, notInteger, syntax } = resp;
const map = (...items: string[]): string => `%${items.length / 2}\r\n${items.join('')}`;
const bulks = (...items: string[]): string => array(...items.map(bulk));
const arity = (name: string): string => err(`ERR wrong number of arguments for '${name}' command`);

function encodingOf(key: string): string {
  return h.run('OBJECT', 'ENCODING', key);
}

/** The hash at key, sorted field → value, read back with HGETALL. */
function contents(key: string): Record<string, string> {
  const value = h.db.get(key);
  if (!(value instanceof HashValue)) throw new Error(`${key} is not a hash`);
  const out: Record<string, string> = {};
  value.forEach((f, v) => {
    out[f] = v;
  });
  return out;
}

describe('HSET HMSET HSETNX HGET HMGET', () => {
  test('HSET counts new fields only and keeps insertion order', () => {
    expect(h.run('HSET', 'h', 'a', '1', 'b', '2')).toBe(int(2));
    expect(h.run('HSET', 'h', 'a', '10', 'c', '3')).toBe(int(1));
    expect(h.run('HGETALL', 'h')).toBe(bulks('a', '10', 'b', '2', 'c', '3'));
    expect(h.run('HSET', 'h', 'a', '1', 'a', '2')).toBe(int(0));
    expect(h.run('HGET', 'h', 'a')).toBe(bulk('2'));
  });

  test('HSET with an odd number of arguments is an arity error naming the command', () => {
    expect(h.run('HSET', 'h', 'a', '1', 'b')).toBe(arity('hset'));
    expect(h.run('HMSET', 'h', 'a', '1', 'b')).toBe(arity('hmset'));
    expect(h.run('HSET', 'h', 'a')).toBe(arity('hset'));
    expect(h.db.has('h')).toBe(false);
  });

  test('HMSET replies OK', () => {
    expect(h.run('HMSET', 'h', 'a', '1', 'b', '2')).toBe(ok);
    expect(h.run('HMGET', 'h', 'b', 'x', 'a')).toBe(array(bulk('2'), nil, bulk('1')));
  });

  test('HSETNX sets only missing fields', () => {
    expect(h.run('HSETNX', 'h', 'a', '1')).toBe(int(1));
    expect(h.run('HSETNX', 'h', 'a', '2')).toBe(int(0));
    expect(h.run('HGET', 'h', 'a')).toBe(bulk('1'));
    expect(h.run('HSETNX', 'h', 'b', '')).toBe(int(1));
    expect(h.run('HGET', 'h', 'b')).toBe(bulk(''));
  });

  test('missing keys and fields', () => {
    expect(h.run('HGET', 'nope', 'a')).toBe(nil);
    expect(h.run('HMGET', 'nope', 'a', 'b')).toBe(array(nil, nil));
    h.run('HSET', 'h', 'a', '1');
    expect(h.run('HGET', 'h', 'zz')).toBe(nil);
  });

  test('binary fields and values round-trip', () => {
    const field = Buffer.from([0, 255, 13, 10]);
    const value = Buffer.from([1, 2, 128, 0]);
    expect(h.run('HSET', 'h', field, value)).toBe(int(1));
    expect(h.run('HGET', 'h', field)).toBe(bulk(value.toString('latin1')));
    expect(h.run('HKEYS', 'h')).toBe(array(bulk(field.toString('latin1'))));
  });

  test('RESP3 nulls', () => {
    h.reply.resp = 3;
    expect(h.run('HGET', 'nope', 'a')).toBe('_\r\n');
    expect(h.run('HMGET', 'nope', 'a')).toBe('*1\r\n_\r\n');
  });
});

describe('HDEL HEXISTS HLEN HSTRLEN', () => {
  test('HDEL removes fields, counts them, and deletes the emptied key', () => {
    h.run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    expect(h.run('HDEL', 'h', 'a', 'a', 'x')).toBe(int(1));
    expect(h.run('HKEYS', 'h')).toBe(bulks('b', 'c'));
    expect(h.run('HDEL', 'h', 'b', 'c', 'b')).toBe(int(2));
    expect(h.run('EXISTS', 'h')).toBe(int(0));
    expect(h.run('HDEL', 'h', 'a')).toBe(int(0));
  });

  test('HEXISTS HLEN HSTRLEN', () => {
    h.run('HSET', 'h', 'a', 'hello', 'n', '-123');
    expect(h.run('HEXISTS', 'h', 'a')).toBe(int(1));
    expect(h.run('HEXISTS', 'h', 'b')).toBe(int(0));
    expect(h.run('HEXISTS', 'nope', 'a')).toBe(int(0));
    expect(h.run('HLEN', 'h')).toBe(int(2));
    expect(h.run('HLEN', 'nope')).toBe(int(0));
    expect(h.run('HSTRLEN', 'h', 'a')).toBe(int(5));
    expect(h.run('HSTRLEN', 'h', 'n')).toBe(int(4));
    expect(h.run('HSTRLEN', 'h', 'x')).toBe(int(0));
    expect(h.run('HSTRLEN', 'nope', 'x')).toBe(int(0));
  });
});

describe('HKEYS HVALS HGETALL', () => {
  test('orders and shapes', () => {
    h.run('HSET', 'h', 'f1', 'v1', 'f2', 'v2');
    expect(h.run('HKEYS', 'h')).toBe(bulks('f1', 'f2'));
    expect(h.run('HVALS', 'h')).toBe(bulks('v1', 'v2'));
    expect(h.run('HGETALL', 'h')).toBe(bulks('f1', 'v1', 'f2', 'v2'));
    h.reply.resp = 3;
    expect(h.run('HGETALL', 'h')).toBe(map(bulk('f1'), bulk('v1'), bulk('f2'), bulk('v2')));
    expect(h.run('HKEYS', 'h')).toBe(bulks('f1', 'f2'));
  });

  test('missing key: empty map for HGETALL, empty array otherwise', () => {
    expect(h.run('HGETALL', 'nope')).toBe('*0\r\n');
    expect(h.run('HKEYS', 'nope')).toBe('*0\r\n');
    h.reply.resp = 3;
    expect(h.run('HGETALL', 'nope')).toBe('%0\r\n');
    expect(h.run('HVALS', 'nope')).toBe('*0\r\n');
  });
});

describe('HINCRBY HINCRBYFLOAT', () => {
  test('HINCRBY creates, adds, and checks int64 bounds', () => {
    expect(h.run('HINCRBY', 'h', 'n', '5')).toBe(int(5));
    expect(h.run('HINCRBY', 'h', 'n', '-7')).toBe(int(-2));
    expect(h.run('HGET', 'h', 'n')).toBe(bulk('-2'));
    h.run('HSET', 'h', 'big', '9223372036854775806');
    expect(h.run('HINCRBY', 'h', 'big', '1')).toBe(int('9223372036854775807'));
    expect(h.run('HINCRBY', 'h', 'big', '1')).toBe(err('ERR increment or decrement would overflow'));
    h.run('HSET', 'h', 'small', '-9223372036854775807');
    expect(h.run('HINCRBY', 'h', 'small', '-1')).toBe(int('-9223372036854775808'));
    expect(h.run('HINCRBY', 'h', 'small', '-1')).toBe(err('ERR increment or decrement would overflow'));
  });

  test('HINCRBY errors', () => {
    h.run('HSET', 'h', 's', 'abc', 'sp', ' 1', 'z', '01');
    expect(h.run('HINCRBY', 'h', 's', '1')).toBe(err('ERR hash value is not an integer'));
    expect(h.run('HINCRBY', 'h', 'sp', '1')).toBe(err('ERR hash value is not an integer'));
    expect(h.run('HINCRBY', 'h', 'z', '1')).toBe(err('ERR hash value is not an integer'));
    expect(h.run('HINCRBY', 'h', 'n', 'x')).toBe(notInteger);
    expect(h.run('HINCRBY', 'h', 'n', '1.5')).toBe(notInteger);
    expect(h.run('HINCRBY', 'h', 'n', '9223372036854775808')).toBe(notInteger);
    expect(h.run('HINCRBY', 'nope', 'n', 'x')).toBe(notInteger);
    expect(h.db.has('nope')).toBe(false);
  });

  test('HINCRBYFLOAT uses long double arithmetic and Redis formatting', () => {
    expect(h.run('HINCRBYFLOAT', 'h', 'f', '10.5')).toBe(bulk('10.5'));
    expect(h.run('HINCRBYFLOAT', 'h', 'f', '0.1')).toBe(bulk('10.6'));
    expect(h.run('HINCRBYFLOAT', 'h', 'f', '-5.6')).toBe(bulk('5'));
    expect(h.run('HINCRBYFLOAT', 'h', 'g', '5.0e3')).toBe(bulk('5000'));
    expect(h.run('HINCRBYFLOAT', 'h', 'g', '-0')).toBe(bulk('5000'));
    expect(h.run('HINCRBYFLOAT', 'h', 'z', '-0')).toBe(bulk('0'));
    h.run('HSET', 'h', 'i', '3');
    expect(h.run('HINCRBYFLOAT', 'h', 'i', '0.25')).toBe(bulk('3.25'));
    expect(h.run('HGET', 'h', 'f')).toBe(bulk('5'));
  });

  test('HINCRBYFLOAT errors', () => {
    h.run('HSET', 'h', 's', 'abc', 'big', '1e4932');
    expect(h.run('HINCRBYFLOAT', 'h', 's', '1')).toBe(err('ERR hash value is not a float'));
    expect(h.run('HINCRBYFLOAT', 'h', 'n', 'x')).toBe(err('ERR value is not a valid float'));
    expect(h.run('HINCRBYFLOAT', 'h', 'n', 'nan')).toBe(err('ERR value is not a valid float'));
    expect(h.run('HINCRBYFLOAT', 'h', 'n', 'inf')).toBe(err('ERR value is NaN or Infinity'));
    expect(h.run('HINCRBYFLOAT', 'h', 'n', '-infinity')).toBe(err('ERR value is NaN or Infinity'));
    expect(h.run('HINCRBYFLOAT', 'h', 'big', '1e4932')).toBe(err('ERR increment would produce NaN or Infinity'));
    expect(h.run('HEXISTS', 'h', 'n')).toBe(int(0));
  });
});

describe('WRONGTYPE', () => {
  test.each([
    ['HSET', 'k', 'f', 'v'],
    ['HMSET', 'k', 'f', 'v'],
    ['HSETNX', 'k', 'f', 'v'],
    ['HGET', 'k', 'f'],
    ['HMGET', 'k', 'f'],
    ['HDEL', 'k', 'f'],
    ['HEXISTS', 'k', 'f'],
    ['HLEN', 'k'],
    ['HSTRLEN', 'k', 'f'],
    ['HKEYS', 'k'],
    ['HVALS', 'k'],
    ['HGETALL', 'k'],
    ['HINCRBY', 'k', 'f', '1'],
    ['HINCRBYFLOAT', 'k', 'f', '1'],
    ['HRANDFIELD', 'k'],
    ['HRANDFIELD', 'k', '2'],
    ['HRANDFIELD', 'k', '0'],
    ['HSCAN', 'k', '0'],
  ])('%s on a string and on a list', (...command) => {
    h.run('SET', 'k', 'v');
    expect(h.run(...command)).toBe(wrongType);
    h.db.set('k', new FakeList());
    expect(h.run(...command)).toBe(wrongType);
  });

  test('string commands on a hash', () => {
    h.run('HSET', 'h', 'a', '1');
    for (const command of [['GET', 'h'], ['APPEND', 'h', 'x'], ['INCR', 'h'], ['STRLEN', 'h'], ['SETRANGE', 'h', '0', 'x'], ['GETBIT', 'h', '0']]) {
      expect(h.run(...command)).toBe(wrongType);
    }
    expect(h.run('TYPE', 'h')).toBe(resp.simple('hash'));
  });
});

describe('HRANDFIELD', () => {
  beforeEach(() => {
    h.run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
  });

  test('without count: one field, null when missing', () => {
    expect([bulk('a'), bulk('b'), bulk('c')]).toContain(h.run('HRANDFIELD', 'h'));
    expect(h.run('HRANDFIELD', 'nope')).toBe(nil);
  });

  test('count 0 and missing keys give an empty array', () => {
    expect(h.run('HRANDFIELD', 'h', '0')).toBe('*0\r\n');
    expect(h.run('HRANDFIELD', 'nope', '5')).toBe('*0\r\n');
    expect(h.run('HRANDFIELD', 'nope', '-5', 'WITHVALUES')).toBe('*0\r\n');
    h.reply.resp = 3;
    expect(h.run('HRANDFIELD', 'nope', '5')).toBe('*0\r\n');
  });

  test('a count at least the size returns the whole hash in order', () => {
    expect(h.run('HRANDFIELD', 'h', '3')).toBe(bulks('a', 'b', 'c'));
    expect(h.run('HRANDFIELD', 'h', '100', 'WITHVALUES')).toBe(bulks('a', '1', 'b', '2', 'c', '3'));
    h.reply.resp = 3;
    expect(h.run('HRANDFIELD', 'h', '100', 'withvalues')).toBe(
      array(bulks('a', '1'), bulks('b', '2'), bulks('c', '3')),
    );
  });

  test('positive counts give distinct fields with their values', () => {
    for (let i = 0; i < 30; i++) {
      const reply = h.run('HRANDFIELD', 'h', '2', 'WITHVALUES');
      const m = /^\*4\r\n\$1\r\n(\w)\r\n\$1\r\n(\d)\r\n\$1\r\n(\w)\r\n\$1\r\n(\d)\r\n$/.exec(reply);
      expect(m).not.toBeNull();
      const [, f1, v1, f2, v2] = m as RegExpExecArray;
      expect(f1).not.toBe(f2);
      expect({ a: '1', b: '2', c: '3' }[f1 as 'a']).toBe(v1);
      expect({ a: '1', b: '2', c: '3' }[f2 as 'a']).toBe(v2);
    }
  });

  test('negative counts repeat fields and return exactly that many', () => {
    const reply = h.run('HRANDFIELD', 'h', '-20');
    expect(reply.startsWith('*20\r\n')).toBe(true);
    const fields = reply.split('\r\n').filter((_, i) => i > 0 && i % 2 === 0);
    expect(fields).toHaveLength(20);
    for (const f of fields) expect(['a', 'b', 'c']).toContain(f);
    h.reply.resp = 3;
    const pairs = h.run('HRANDFIELD', 'h', '-4', 'WITHVALUES');
    expect(pairs.startsWith('*4\r\n*2\r\n$1\r\n')).toBe(true);
    expect(pairs.split('*2\r\n')).toHaveLength(5);
  });

  test('count 1 with values in RESP3 is one nested pair', () => {
    h.reply.resp = 3;
    expect(h.run('HRANDFIELD', 'h', '1', 'WITHVALUES')).toMatch(/^\*1\r\n\*2\r\n\$1\r\n[abc]\r\n\$1\r\n[123]\r\n$/);
  });

  test('argument errors', () => {
    expect(h.run('HRANDFIELD', 'h', 'x')).toBe(notInteger);
    expect(h.run('HRANDFIELD', 'h', '1', 'WITHSCORES')).toBe(syntax);
    expect(h.run('HRANDFIELD', 'h', '1', 'WITHVALUES', 'x')).toBe(syntax);
    expect(h.run('HRANDFIELD', 'h', 'x', 'foo')).toBe(notInteger);
    expect(h.run('HRANDFIELD', 'h', '-9223372036854775808')).toBe(
      err('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807'),
    );
    expect(h.run('HRANDFIELD', 'h', '4611686018427387904', 'WITHVALUES')).toBe(err('ERR value is out of range'));
    expect(h.run('HRANDFIELD', 'h', '-4611686018427387904', 'WITHVALUES')).toBe(err('ERR value is out of range'));
    expect(h.run('HRANDFIELD', 'h', '4611686018427387903', 'WITHVALUES')).toBe(bulks('a', '1', 'b', '2', 'c', '3'));
    expect(h.run('HRANDFIELD', 'h', '9223372036854775807')).toBe(bulks('a', 'b', 'c'));
    expect(h.run('HRANDFIELD', 'nope', 'x')).toBe(notInteger);
  });

  test('on a hashtable: distinct for positive counts, every field reachable', () => {
    h.settings.set('hash-max-listpack-entries', '2');
    for (let i = 0; i < 50; i++) h.run('HSET', 'big', `f${i}`, `v${i}`);
    expect(encodingOf('big')).toBe(bulk('hashtable'));
    const seen = new Set<string>();
    for (const count of ['5', '40', '49']) {
      const reply = h.run('HRANDFIELD', 'big', count, 'WITHVALUES');
      const parts = reply.split('\r\n').filter((_, i) => i > 0 && i % 2 === 0);
      expect(parts).toHaveLength(Number(count) * 2);
      const fields = parts.filter((_, i) => i % 2 === 0);
      expect(new Set(fields).size).toBe(Number(count));
      for (let i = 0; i < parts.length; i += 2) expect(parts[i + 1]).toBe(parts[i].replace('f', 'v'));
      fields.forEach((f) => seen.add(f));
    }
    for (let i = 0; i < 200; i++) seen.add(h.run('HRANDFIELD', 'big').split('\r\n')[1]);
    expect(seen.size).toBe(50);
  });
});

describe('HSCAN', () => {
  test('a listpack is returned whole with cursor 0, MATCH and NOVALUES filter it', () => {
    h.run('HSET', 'h', 'a1', 'x', 'b1', 'y', 'a2', 'z');
    const scan = (items: string[]): string => array(bulk('0'), bulks(...items));
    expect(h.run('HSCAN', 'h', '0')).toBe(scan(['a1', 'x', 'b1', 'y', 'a2', 'z']));
    expect(h.run('HSCAN', 'h', '123', 'COUNT', '1')).toBe(scan(['a1', 'x', 'b1', 'y', 'a2', 'z']));
    expect(h.run('HSCAN', 'h', '0', 'MATCH', 'a*')).toBe(scan(['a1', 'x', 'a2', 'z']));
    expect(h.run('HSCAN', 'h', '0', 'MATCH', 'a*', 'NOVALUES')).toBe(scan(['a1', 'a2']));
    expect(h.run('HSCAN', 'h', '0', 'novalues')).toBe(scan(['a1', 'b1', 'a2']));
    expect(h.run('HSCAN', 'h', '0', 'MATCH', 'x')).toBe(scan([]));
  });

  test('missing key: empty scan, even with bad options', () => {
    const empty = array(bulk('0'), '*0\r\n');
    expect(h.run('HSCAN', 'nope', '0')).toBe(empty);
    expect(h.run('HSCAN', 'nope', '0', 'COUNT', '0')).toBe(empty);
  });

  test('errors', () => {
    h.run('HSET', 'h', 'a', '1');
    expect(h.run('HSCAN', 'h', 'x')).toBe(err('ERR invalid cursor'));
    expect(h.run('HSCAN', 'nope', '-1')).toBe(err('ERR invalid cursor'));
    expect(h.run('HSCAN', 'h', '0', 'COUNT', '0')).toBe(syntax);
    expect(h.run('HSCAN', 'h', '0', 'COUNT', 'x')).toBe(notInteger);
    expect(h.run('HSCAN', 'h', '0', 'COUNT')).toBe(syntax);
    expect(h.run('HSCAN', 'h', '0', 'TYPE', 'hash')).toBe(syntax);
    expect(h.run('HSCAN', 'h', '0', 'NOSCORES')).toBe(err('ERR NOSCORES option can only be used in ZSCAN'));
    expect(h.run('HSCAN', 'h', '0', 'FOO')).toBe(syntax);
  });

  test('a hashtable is walked with a cursor; every field comes back once even with deletions meanwhile', () => {
    h.settings.set('hash-max-listpack-entries', '4');
    for (let i = 0; i < 100; i++) h.run('HSET', 'big', `f${i}`, `${i}`);
    const seen = new Map<string, number>();
    let cursor = '0';
    let calls = 0;
    do {
      const reply = h.run('HSCAN', 'big', cursor, 'COUNT', '7', 'NOVALUES');
      const lines = reply.split('\r\n');
      cursor = lines[2];
      const n = Number(lines[3].slice(1));
      expect(n).toBeLessThanOrEqual(7);
      for (let i = 0; i < n; i++) {
        const f = lines[5 + 2 * i];
        seen.set(f, (seen.get(f) ?? 0) + 1);
      }
      // Delete a field already returned and one not yet returned (f0 … f9 go first).
      if (calls < 10) h.run('HDEL', 'big', `f${calls}`, [...seen.keys()][0]);
      calls++;
    } while (cursor !== '0' && calls < 100);
    expect(cursor).toBe('0');
    for (let i = 10; i < 100; i++) if (!seen.has(`f${i}`)) throw new Error(`f${i} never returned`);
  });
});

describe('encodings', () => {
  test('listpack until more than hash-max-listpack-entries fields', () => {
    h.settings.set('hash-max-listpack-entries', '3');
    h.run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    expect(encodingOf('h')).toBe(bulk('listpack'));
    h.run('HSET', 'h', 'c', '33');
    expect(encodingOf('h')).toBe(bulk('listpack'));
    h.run('HSET', 'h', 'd', '4');
    expect(encodingOf('h')).toBe(bulk('hashtable'));
    // Never back, even when it shrinks.
    h.run('HDEL', 'h', 'a', 'b', 'c');
    expect(encodingOf('h')).toBe(bulk('hashtable'));
    expect(contents('h')).toEqual({ d: '4' });
  });

  test('HSET with more pairs than the limit converts first, even when they repeat', () => {
    h.settings.set('hash-max-listpack-entries', '2');
    h.run('HSET', 'h', 'a', '1', 'a', '2', 'a', '3');
    expect(encodingOf('h')).toBe(bulk('hashtable'));
    expect(h.run('HLEN', 'h')).toBe(int(1));
  });

  test('a field or value longer than hash-max-listpack-value converts', () => {
    h.settings.set('hash-max-listpack-value', '4');
    h.run('HSET', 'h1', 'abcd', 'wxyz');
    expect(encodingOf('h1')).toBe(bulk('listpack'));
    h.run('HSET', 'h1', 'abcde', '1');
    expect(encodingOf('h1')).toBe(bulk('hashtable'));
    h.run('HSET', 'h2', 'a', '12345');
    expect(encodingOf('h2')).toBe(bulk('hashtable'));
    // An existing field set to a long value converts too (hashTypeTryConversion looks at every argument).
    h.run('HSET', 'h3', 'a', '1');
    h.run('HSET', 'h3', 'a', 'looong');
    expect(encodingOf('h3')).toBe(bulk('hashtable'));
    expect(contents('h3')).toEqual({ a: 'looong' });
  });

  test('HSETNX, HINCRBY and HINCRBYFLOAT convert on long fields or values', () => {
    h.settings.set('hash-max-listpack-value', '4');
    h.run('HSETNX', 'a', 'fieldname', '1');
    expect(encodingOf('a')).toBe(bulk('hashtable'));
    h.run('HINCRBY', 'b', 'f', '123456');
    expect(encodingOf('b')).toBe(bulk('hashtable'));
    h.run('HINCRBYFLOAT', 'c', 'f', '1.5');
    expect(encodingOf('c')).toBe(bulk('listpack'));
    h.run('HINCRBYFLOAT', 'c', 'f', '0.0001');
    expect(encodingOf('c')).toBe(bulk('hashtable'));
    expect(h.run('HGET', 'c', 'f')).toBe(bulk('1.5001'));
  });

  test('hash-max-listpack-entries 0: every hash is a hashtable', () => {
    h.settings.set('hash-max-listpack-entries', '0');
    h.run('HSET', 'h', 'a', '1');
    expect(encodingOf('h')).toBe(bulk('hashtable'));
  });

  test('every command behaves the same on both encodings', () => {
    const script: string[][] = [
      ['HSET', 'K', 'a', '1', 'b', '2', 'c', 'x'],
      ['HSETNX', 'K', 'a', '9'],
      ['HSETNX', 'K', 'd', '4'],
      ['HINCRBY', 'K', 'a', '10'],
      ['HINCRBYFLOAT', 'K', 'b', '0.5'],
      ['HINCRBY', 'K', 'c', '1'],
      ['HDEL', 'K', 'd', 'zz'],
      ['HGET', 'K', 'a'],
      ['HMGET', 'K', 'a', 'b', 'c', 'd'],
      ['HEXISTS', 'K', 'c'],
      ['HSTRLEN', 'K', 'b'],
      ['HLEN', 'K'],
    ];
    const compact = script.map((c) => h.run(...c.map((a) => (a === 'K' ? 'small' : a))));
    h.settings.set('hash-max-listpack-entries', '0');
    const table = script.map((c) => h.run(...c.map((a) => (a === 'K' ? 'large' : a))));
    expect(encodingOf('small')).toBe(bulk('listpack'));
    expect(encodingOf('large')).toBe(bulk('hashtable'));
    expect(table).toEqual(compact);
    expect(contents('large')).toEqual(contents('small'));
  });
});

describe('keyspace integration', () => {
  test('COPY deep-copies both encodings', () => {
    h.run('HSET', 'small', 'a', '1');
    h.settings.set('hash-max-listpack-entries', '0');
    h.run('HSET', 'large', 'a', '1');
    for (const key of ['small', 'large']) {
      expect(h.run('COPY', key, `${key}2`)).toBe(int(1));
      expect(encodingOf(`${key}2`)).toBe(encodingOf(key));
      h.run('HSET', `${key}2`, 'a', '2', 'b', '3');
      expect(contents(key)).toEqual({ a: '1' });
      expect(contents(`${key}2`)).toEqual({ a: '2', b: '3' });
    }
  });

  test('MEMORY-style estimates grow with the contents', () => {
    h.run('HSET', 'h', 'a', '1');
    const small = h.db.keyBytes('h') as number;
    h.run('HSET', 'h', 'b', 'x'.repeat(50));
    const larger = h.db.keyBytes('h') as number;
    expect(larger).toBeGreaterThanOrEqual(small + 50);
    h.settings.set('hash-max-listpack-entries', '0');
    h.run('HSET', 't', 'a', '1');
    const t1 = h.db.keyBytes('t') as number;
    h.run('HSET', 't', 'b', 'x'.repeat(50));
    expect(h.db.keyBytes('t') as number).toBeGreaterThanOrEqual(t1 + 50);
    h.run('HDEL', 't', 'b');
    expect(h.db.keyBytes('t')).toBe(t1);
  });

  test('writes signal WATCH, no-op writes on a missing key do not create it', () => {
    const touched: string[] = [];
    const { Database } = jest.requireActual<typeof import('../../../lib/server/keyspace/database')>(
      '../../../lib/server/keyspace/database',
    );
    h.databases[0] = new Database(0, () => h.now, (_db, key) => touched.push(key));
    h.run('HSET', 'h', 'a', '1');
    h.run('HSET', 'h', 'a', '2');
    h.run('HINCRBY', 'h', 'n', '1');
    h.run('HDEL', 'h', 'nope');
    h.run('HDEL', 'h', 'a', 'n');
    expect(touched).toEqual(['h', 'h', 'h', 'h']);
    h.run('HDEL', 'missing', 'a');
    h.run('HGETALL', 'missing');
    expect(h.db.has('missing')).toBe(false);
  });

  test('HSET keeps the TTL of an existing hash', () => {
    h.run('HSET', 'h', 'a', '1');
    h.run('EXPIRE', 'h', '100');
    h.run('HSET', 'h', 'b', '2');
    h.run('HINCRBY', 'h', 'c', '2');
    expect(h.run('TTL', 'h')).toBe(int(100));
  });
});
