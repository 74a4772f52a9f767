import { SetValue } from '../../../lib/server/datatypes/set';
import { FakeList, Harness, resp } from './command-harness';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});

const { int, bulk, array, nil, err, wrongType, notInteger, syntax } = resp;
const bulks = (...items: string[]): string => array(...items.map(bulk));
const set3 = (...items: string[]): string => `~${items.length}\r\n${items.map(bulk).join('')}`;
const MUST_BE_POSITIVE = err('ERR value is out of range, must be positive');

function encodingOf(key: string): string {
  return h.run('OBJECT', 'ENCODING', key);
}

function members(key: string): string[] {
  const value = h.db.get(key);
  if (!(value instanceof SetValue)) throw new Error(`${key} is not a set`);
  return value.members();
}

/** The bulk strings of an aggregate reply, in order (no nesting). */
function items(reply: string): string[] {
  const lines = reply.split('\r\n');
  const out: string[] = [];
  for (let i = 1; i < lines.length - 1; i++) if (lines[i].startsWith('$')) out.push(lines[++i]);
  return out;
}

const sorted = (xs: string[]): string[] => [...xs].sort();

describe('SADD SREM SISMEMBER SMISMEMBER SCARD SMEMBERS', () => {
  test('SADD counts new members; SMEMBERS of an intset is ascending', () => {
    expect(h.run('SADD', 's', '3', '1', '2', '1')).toBe(int(3));
    expect(h.run('SADD', 's', '2', '-5')).toBe(int(1));
    expect(h.run('SMEMBERS', 's')).toBe(bulks('-5', '1', '2', '3'));
    expect(h.run('SCARD', 's')).toBe(int(4));
  });

  test('a listpack keeps insertion order', () => {
    h.run('SADD', 's', 'b', 'a', 'c', 'a');
    expect(h.run('SMEMBERS', 's')).toBe(bulks('b', 'a', 'c'));
    h.reply.resp = 3;
    expect(h.run('SMEMBERS', 's')).toBe(set3('b', 'a', 'c'));
  });

  test('SREM removes, counts, and deletes the emptied key', () => {
    h.run('SADD', 's', 'a', 'b', '1');
    expect(h.run('SREM', 's', 'a', 'x', 'a')).toBe(int(1));
    expect(h.run('SREM', 's', 'b', '1')).toBe(int(2));
    expect(h.run('EXISTS', 's')).toBe(int(0));
    expect(h.run('SREM', 's', 'a')).toBe(int(0));
    h.run('SADD', 'i', '1', '2');
    expect(h.run('SREM', 'i', 'x', '01', '2')).toBe(int(1));
    expect(h.run('SMEMBERS', 'i')).toBe(bulks('1'));
  });

  test('membership', () => {
    h.run('SADD', 's', 'a', '1');
    h.run('SADD', 'i', '10', '-20');
    expect(h.run('SISMEMBER', 's', 'a')).toBe(int(1));
    expect(h.run('SISMEMBER', 's', 'b')).toBe(int(0));
    expect(h.run('SISMEMBER', 'i', '-20')).toBe(int(1));
    expect(h.run('SISMEMBER', 'i', '010')).toBe(int(0));
    expect(h.run('SISMEMBER', 'i', 'x')).toBe(int(0));
    expect(h.run('SISMEMBER', 'nope', 'a')).toBe(int(0));
    expect(h.run('SMISMEMBER', 's', 'a', 'b', '1')).toBe(array(int(1), int(0), int(1)));
    expect(h.run('SMISMEMBER', 'nope', 'a', 'b')).toBe(array(int(0), int(0)));
    expect(h.run('SCARD', 'nope')).toBe(int(0));
  });

  test('missing key: empty set reply', () => {
    expect(h.run('SMEMBERS', 'nope')).toBe('*0\r\n');
    h.reply.resp = 3;
    expect(h.run('SMEMBERS', 'nope')).toBe('~0\r\n');
  });
});

describe('SMOVE', () => {
  test('moves a member, creating and deleting keys as needed', () => {
    h.run('SADD', 'src', 'a', 'b');
    expect(h.run('SMOVE', 'src', 'dst', 'a')).toBe(int(1));
    expect(h.run('SMEMBERS', 'dst')).toBe(bulks('a'));
    expect(h.run('SMOVE', 'src', 'dst', 'x')).toBe(int(0));
    expect(h.run('SMOVE', 'src', 'dst', 'b')).toBe(int(1));
    expect(h.run('EXISTS', 'src')).toBe(int(0));
    expect(h.run('SMEMBERS', 'dst')).toBe(bulks('a', 'b'));
    h.run('SADD', 'src', 'a');
    expect(h.run('SMOVE', 'src', 'dst', 'a')).toBe(int(1));
    expect(h.run('SCARD', 'dst')).toBe(int(2));
    expect(h.run('SMOVE', 'nope', 'dst', 'a')).toBe(int(0));
  });

  test('same key is a membership test; an integer creates an intset destination', () => {
    h.run('SADD', 's', 'a');
    expect(h.run('SMOVE', 's', 's', 'a')).toBe(int(1));
    expect(h.run('SMOVE', 's', 's', 'b')).toBe(int(0));
    h.run('SADD', 'n', '5', 'x');
    expect(h.run('SMOVE', 'n', 'ints', '5')).toBe(int(1));
    expect(encodingOf('ints')).toBe(bulk('intset'));
  });

  test('types: missing source wins, then source, then destination', () => {
    h.run('SET', 'str', 'v');
    h.run('SADD', 's', 'a');
    expect(h.run('SMOVE', 'nope', 'str', 'a')).toBe(int(0));
    expect(h.run('SMOVE', 'str', 's', 'a')).toBe(wrongType);
    expect(h.run('SMOVE', 's', 'str', 'a')).toBe(wrongType);
    expect(h.run('SISMEMBER', 's', 'a')).toBe(int(1));
  });
});

describe('SPOP', () => {
  test('pops one random member and deletes the emptied key', () => {
    h.run('SADD', 's', 'a', 'b', 'c');
    const popped = h.run('SPOP', 's');
    const m = items(`*1\r\n${popped}`)[0];
    expect(['a', 'b', 'c']).toContain(m);
    expect(h.run('SISMEMBER', 's', m)).toBe(int(0));
    expect(h.run('SCARD', 's')).toBe(int(2));
    h.run('SPOP', 's');
    h.run('SPOP', 's');
    expect(h.run('EXISTS', 's')).toBe(int(0));
    expect(h.run('SPOP', 's')).toBe(nil);
  });

  test('with a count: replies a set of distinct members and removes exactly those', () => {
    for (const [encoding, make] of [
      ['intset', (i: number) => `${i}`],
      ['listpack', (i: number) => `m${i}`],
      ['hashtable', (i: number) => `member-${i}-${'x'.repeat(70)}`],
    ] as const) {
      for (const count of [1, 3, 15, 19]) {
        h.run('DEL', 's');
        const all = Array.from({ length: 20 }, (_, i) => make(i));
        h.run('SADD', 's', ...all);
        expect(encodingOf('s')).toBe(bulk(encoding));
        const reply = h.run('SPOP', 's', String(count));
        expect(reply.startsWith(`*${count}\r\n`)).toBe(true);
        const popped = items(reply);
        expect(new Set(popped).size).toBe(count);
        for (const p of popped) expect(all).toContain(p);
        const left = members('s');
        expect(sorted([...left, ...popped])).toEqual(sorted(all));
        expect(h.run('SCARD', 's')).toBe(int(20 - count));
      }
    }
  });

  test('CASE 3 keeps the remaining members in a compact set', () => {
    h.run('SADD', 'big', ...Array.from({ length: 200 }, (_, i) => `m${i}`));
    expect(encodingOf('big')).toBe(bulk('hashtable'));
    h.run('SPOP', 'big', '195');
    expect(h.run('SCARD', 'big')).toBe(int(5));
    expect(encodingOf('big')).toBe(bulk('listpack'));
  });

  test('a count at least the size returns everything (ascending for an intset) and deletes the key', () => {
    h.run('SADD', 's', '3', '1', '2');
    expect(h.run('SPOP', 's', '3')).toBe(bulks('1', '2', '3'));
    expect(h.run('EXISTS', 's')).toBe(int(0));
    h.run('SADD', 's', '3', '1');
    h.reply.resp = 3;
    expect(h.run('SPOP', 's', '10')).toBe(set3('1', '3'));
    expect(h.run('SPOP', 's', '10')).toBe('~0\r\n');
  });

  test('count 0, missing keys, errors', () => {
    h.run('SADD', 's', 'a');
    expect(h.run('SPOP', 's', '0')).toBe('*0\r\n');
    expect(h.run('SPOP', 'nope', '5')).toBe('*0\r\n');
    expect(h.run('SPOP', 's', '-1')).toBe(MUST_BE_POSITIVE);
    expect(h.run('SPOP', 's', 'x')).toBe(MUST_BE_POSITIVE);
    expect(h.run('SPOP', 'nope', 'x')).toBe(MUST_BE_POSITIVE);
    expect(h.run('SPOP', 's', '1', '2')).toBe(syntax);
    expect(h.run('SCARD', 's')).toBe(int(1));
    h.reply.resp = 3;
    expect(h.run('SPOP', 's', '0')).toBe('~0\r\n');
    expect(h.run('SPOP', 'nope')).toBe('_\r\n');
  });

  test('keeps the TTL when it does not empty the set', () => {
    h.run('SADD', 's', ...Array.from({ length: 50 }, (_, i) => `${i}`));
    h.run('EXPIRE', 's', '100');
    h.run('SPOP', 's');
    h.run('SPOP', 's', '2');
    h.run('SPOP', 's', '45');
    expect(h.run('SCARD', 's')).toBe(int(2));
    expect(h.run('TTL', 's')).toBe(int(100));
  });
});

describe('SRANDMEMBER', () => {
  beforeEach(() => {
    h.run('SADD', 'i', '5', '1', '3');
    h.run('SADD', 'l', 'c', 'a', 'b');
  });

  test('without count', () => {
    expect([bulk('1'), bulk('3'), bulk('5')]).toContain(h.run('SRANDMEMBER', 'i'));
    expect(h.run('SRANDMEMBER', 'nope')).toBe(nil);
    expect(h.run('SCARD', 'i')).toBe(int(3));
  });

  test('a count at least the size: the whole set in its order, as an array even in RESP3', () => {
    expect(h.run('SRANDMEMBER', 'i', '3')).toBe(bulks('1', '3', '5'));
    expect(h.run('SRANDMEMBER', 'l', '30')).toBe(bulks('c', 'a', 'b'));
    h.reply.resp = 3;
    expect(h.run('SRANDMEMBER', 'i', '9223372036854775807')).toBe(bulks('1', '3', '5'));
  });

  test('positive counts are distinct, negative counts repeat and have exactly that length', () => {
    for (const key of ['i', 'l']) {
      for (let n = 0; n < 20; n++) {
        const distinct = items(h.run('SRANDMEMBER', key, '2'));
        expect(distinct).toHaveLength(2);
        expect(distinct[0]).not.toBe(distinct[1]);
      }
      const many = items(h.run('SRANDMEMBER', key, '-50'));
      expect(many).toHaveLength(50);
      expect(new Set(many).size).toBe(3);
    }
  });

  test('on a hashtable', () => {
    const all = Array.from({ length: 300 }, (_, i) => `m${i}`);
    h.run('SADD', 'big', ...all);
    for (const count of ['10', '150', '299']) {
      const got = items(h.run('SRANDMEMBER', 'big', count));
      expect(got).toHaveLength(Number(count));
      expect(new Set(got).size).toBe(Number(count));
      for (const m of got) expect(all).toContain(m);
    }
  });

  test('count 0, missing keys, errors', () => {
    expect(h.run('SRANDMEMBER', 'i', '0')).toBe('*0\r\n');
    expect(h.run('SRANDMEMBER', 'nope', '-3')).toBe('*0\r\n');
    expect(h.run('SRANDMEMBER', 'i', 'x')).toBe(notInteger);
    expect(h.run('SRANDMEMBER', 'i', '-9223372036854775808')).toBe(
      err('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807'),
    );
    expect(h.run('SRANDMEMBER', 'i', '1', '2')).toBe(syntax);
  });
});

describe('SINTER SINTERCARD SINTERSTORE', () => {
  beforeEach(() => {
    h.run('SADD', 'a', '1', '2', '3', '4');
    h.run('SADD', 'b', '4', '3', '5');
    h.run('SADD', 'c', 'x', '3', '4', 'y');
  });

  test('SINTER walks the smallest set', () => {
    expect(h.run('SINTER', 'a', 'b')).toBe(bulks('3', '4'));
    expect(h.run('SINTER', 'c', 'a')).toBe(bulks('3', '4'));
    expect(h.run('SINTER', 'a', 'a')).toBe(bulks('1', '2', '3', '4'));
    expect(h.run('SINTER', 'a', 'nope')).toBe('*0\r\n');
    h.reply.resp = 3;
    expect(h.run('SINTER', 'a', 'b')).toBe(set3('3', '4'));
    expect(h.run('SINTER', 'nope', 'a')).toBe('~0\r\n');
  });

  test('SINTERCARD and LIMIT', () => {
    expect(h.run('SINTERCARD', '2', 'a', 'b')).toBe(int(2));
    expect(h.run('SINTERCARD', '2', 'a', 'b', 'LIMIT', '1')).toBe(int(1));
    expect(h.run('SINTERCARD', '2', 'a', 'b', 'limit', '0')).toBe(int(2));
    expect(h.run('SINTERCARD', '1', 'a')).toBe(int(4));
    expect(h.run('SINTERCARD', '2', 'a', 'nope')).toBe(int(0));
  });

  test('SINTERCARD errors', () => {
    const greater = err('ERR numkeys should be greater than 0');
    expect(h.run('SINTERCARD', '0', 'a')).toBe(greater);
    expect(h.run('SINTERCARD', '-1', 'a')).toBe(greater);
    expect(h.run('SINTERCARD', 'x', 'a')).toBe(greater);
    expect(h.run('SINTERCARD', '3', 'a', 'b')).toBe(err("ERR Number of keys can't be greater than number of args"));
    expect(h.run('SINTERCARD', '1', 'a', 'LIMIT')).toBe(syntax);
    expect(h.run('SINTERCARD', '1', 'a', 'LIMIT', '-1')).toBe(err("ERR LIMIT can't be negative"));
    expect(h.run('SINTERCARD', '1', 'a', 'LIMIT', 'x')).toBe(err("ERR LIMIT can't be negative"));
    expect(h.run('SINTERCARD', '1', 'a', 'FOO', '1')).toBe(syntax);
  });

  test('SINTERSTORE stores, replaces (TTL too) and deletes on an empty result', () => {
    h.run('SET', 'd', 'old');
    h.run('EXPIRE', 'd', '100');
    expect(h.run('SINTERSTORE', 'd', 'a', 'b')).toBe(int(2));
    expect(h.run('SMEMBERS', 'd')).toBe(bulks('3', '4'));
    expect(encodingOf('d')).toBe(bulk('intset'));
    expect(h.run('TTL', 'd')).toBe(int(-1));
    expect(h.run('SINTERSTORE', 'd', 'a', 'nope')).toBe(int(0));
    expect(h.run('EXISTS', 'd')).toBe(int(0));
    expect(h.run('SINTERSTORE', 'd', 'c', 'c')).toBe(int(4));
    expect(encodingOf('d')).toBe(bulk('listpack'));
    expect(h.run('SINTERSTORE', 'd', 'd', 'a')).toBe(int(2));
    expect(encodingOf('d')).toBe(bulk('intset'));
  });
});

describe('SUNION SDIFF and STORE forms', () => {
  beforeEach(() => {
    h.run('SADD', 'a', '3', '1', '2');
    h.run('SADD', 'b', '2', '5');
    h.run('SADD', 'c', 'x', '1');
  });

  test('SUNION of intsets is ascending; with others it is the union', () => {
    expect(h.run('SUNION', 'a', 'b', 'nope')).toBe(bulks('1', '2', '3', '5'));
    expect(sorted(items(h.run('SUNION', 'a', 'c')))).toEqual(['1', '2', '3', 'x']);
    expect(h.run('SUNION', 'nope')).toBe('*0\r\n');
    h.reply.resp = 3;
    expect(h.run('SUNION', 'b')).toBe(set3('2', '5'));
  });

  test('SDIFF', () => {
    expect(h.run('SDIFF', 'a', 'b')).toBe(bulks('1', '3'));
    expect(h.run('SDIFF', 'a', 'b', 'c')).toBe(bulks('3'));
    expect(h.run('SDIFF', 'a', 'nope')).toBe(bulks('1', '2', '3'));
    expect(h.run('SDIFF', 'nope', 'a')).toBe('*0\r\n');
    expect(h.run('SDIFF', 'a', 'a')).toBe('*0\r\n');
    expect(h.run('SDIFF', 'c', 'a')).toBe(bulks('x'));
  });

  test('SDIFF with the second algorithm (small first set, big others)', () => {
    h.run('SADD', 'big', ...Array.from({ length: 100 }, (_, i) => `${i}`));
    expect(h.run('SDIFF', 'a', 'big', 'c')).toBe('*0\r\n');
    h.run('SADD', 'small', '1', '500', '1000');
    expect(h.run('SDIFF', 'small', 'big')).toBe(bulks('500', '1000'));
  });

  test('STORE forms replace the destination, delete it on an empty result, and pick Redis encodings', () => {
    expect(h.run('SUNIONSTORE', 'd', 'a', 'b')).toBe(int(4));
    expect(encodingOf('d')).toBe(bulk('intset'));
    expect(h.run('SUNIONSTORE', 'd', 'a', 'c')).toBe(int(4));
    expect(encodingOf('d')).toBe(bulk('listpack'));
    expect(h.run('SDIFFSTORE', 'd', 'a', 'b')).toBe(int(2));
    expect(h.run('SMEMBERS', 'd')).toBe(bulks('1', '3'));
    expect(h.run('SDIFFSTORE', 'd', 'a', 'a')).toBe(int(0));
    expect(h.run('EXISTS', 'd')).toBe(int(0));
    expect(h.run('SUNIONSTORE', 'd', 'nope')).toBe(int(0));
    expect(h.run('SUNIONSTORE', 'a', 'a', 'b')).toBe(int(4));
    expect(h.run('SMEMBERS', 'a')).toBe(bulks('1', '2', '3', '5'));
  });

  test('SUNIONSTORE converts as members arrive: many integers then a string is a hashtable', () => {
    h.run('SADD', 'ints', ...Array.from({ length: 200 }, (_, i) => `${i}`));
    h.run('SUNIONSTORE', 'd1', 'ints', 'c');
    expect(encodingOf('d1')).toBe(bulk('hashtable'));
    h.run('SUNIONSTORE', 'd2', 'ints', 'b');
    expect(encodingOf('d2')).toBe(bulk('intset'));
  });
});

describe('SSCAN', () => {
  test('compact sets come back whole, MATCH filters, NOVALUES is refused', () => {
    h.run('SADD', 'i', '12', '3', '21');
    const scan = (...xs: string[]): string => array(bulk('0'), bulks(...xs));
    expect(h.run('SSCAN', 'i', '0')).toBe(scan('3', '12', '21'));
    expect(h.run('SSCAN', 'i', '7', 'MATCH', '*1*', 'COUNT', '1')).toBe(scan('12', '21'));
    expect(h.run('SSCAN', 'i', '0', 'NOVALUES')).toBe(err('ERR NOVALUES option can only be used in HSCAN'));
    expect(h.run('SSCAN', 'i', '0', 'NOSCORES')).toBe(err('ERR NOSCORES option can only be used in ZSCAN'));
    expect(h.run('SSCAN', 'i', 'abc')).toBe(err('ERR invalid cursor'));
    expect(h.run('SSCAN', 'i', '0', 'COUNT', '0')).toBe(syntax);
    expect(h.run('SSCAN', 'nope', '0', 'COUNT', '0')).toBe(array(bulk('0'), '*0\r\n'));
  });

  test('a hashtable is walked with a cursor; members present throughout all come back', () => {
    const all = Array.from({ length: 300 }, (_, i) => `m${i}`);
    h.run('SADD', 'big', ...all);
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const reply = h.run('SSCAN', 'big', cursor, 'COUNT', '20');
      cursor = reply.split('\r\n')[2];
      items(reply.slice(reply.indexOf('\r\n', reply.indexOf('\r\n') + 1) + 2)).forEach((m) => seen.add(m));
      if (calls < 10) h.run('SREM', 'big', `m${calls}`);
      calls++;
    } while (cursor !== '0' && calls < 100);
    expect(cursor).toBe('0');
    for (const m of all.slice(10)) expect(seen.has(m)).toBe(true);
  });
});

describe('encodings', () => {
  test('intset → hashtable past set-max-intset-entries', () => {
    h.settings.set('set-max-intset-entries', '3');
    h.run('SADD', 's', '1', '2', '3');
    expect(encodingOf('s')).toBe(bulk('intset'));
    h.run('SADD', 's', '4');
    expect(encodingOf('s')).toBe(bulk('hashtable'));
    h.run('SREM', 's', '1', '2', '3');
    expect(encodingOf('s')).toBe(bulk('hashtable'));
  });

  test('SADD with more members than fit starts as (or converts to) a hashtable', () => {
    h.settings.set('set-max-intset-entries', '3');
    h.settings.set('set-max-listpack-entries', '3');
    h.run('SADD', 'a', '1', '1', '1', '1');
    expect(encodingOf('a')).toBe(bulk('hashtable'));
    h.run('SADD', 'b', 'x', 'x', 'x', 'x');
    expect(encodingOf('b')).toBe(bulk('hashtable'));
    h.run('SADD', 'c', '1');
    h.run('SADD', 'c', '1', '1', '1', '1');
    expect(encodingOf('c')).toBe(bulk('hashtable'));
  });

  test('intset → listpack on a string member when it fits, else hashtable', () => {
    h.run('SADD', 's', '1', '2');
    h.run('SADD', 's', 'a');
    expect(encodingOf('s')).toBe(bulk('listpack'));
    expect(h.run('SMEMBERS', 's')).toBe(bulks('1', '2', 'a'));
    h.settings.set('set-max-listpack-value', '3');
    h.run('SADD', 't', '1', '2');
    h.run('SADD', 't', 'abcd');
    expect(encodingOf('t')).toBe(bulk('hashtable'));
    h.run('SADD', 'u', '-1000', '2');
    h.run('SADD', 'u', 'ab');
    expect(encodingOf('u')).toBe(bulk('hashtable'));
    h.run('SADD', 'v', '-10', '2');
    h.run('SADD', 'v', 'ab');
    expect(encodingOf('v')).toBe(bulk('listpack'));
  });

  test('listpack → hashtable past set-max-listpack-entries or -value', () => {
    h.settings.set('set-max-listpack-entries', '2');
    h.settings.set('set-max-listpack-value', '5');
    h.run('SADD', 's', 'a', 'b');
    expect(encodingOf('s')).toBe(bulk('listpack'));
    h.run('SADD', 's', 'c');
    expect(encodingOf('s')).toBe(bulk('hashtable'));
    h.run('SADD', 't', 'a');
    h.run('SADD', 't', 'abcdef');
    expect(encodingOf('t')).toBe(bulk('hashtable'));
    h.run('SADD', 'u', 'abcdef');
    expect(encodingOf('u')).toBe(bulk('hashtable'));
  });

  test('an intset holds the whole int64 range and not beyond', () => {
    const edge = ['-9223372036854775808', '9223372036854775807', '-1', '0', '32767', '-32768', '2147483648', '-2147483649'];
    h.run('SADD', 's', ...edge);
    expect(encodingOf('s')).toBe(bulk('intset'));
    expect(items(h.run('SMEMBERS', 's'))).toEqual([
      '-9223372036854775808',
      '-2147483649',
      '-32768',
      '-1',
      '0',
      '32767',
      '2147483648',
      '9223372036854775807',
    ]);
    h.run('SADD', 's', '9223372036854775808');
    expect(encodingOf('s')).toBe(bulk('listpack'));
    expect(h.run('SISMEMBER', 's', '9223372036854775807')).toBe(int(1));
  });

  test('a listpack that only holds integers again stays a listpack', () => {
    h.run('SADD', 's', '1', 'a');
    h.run('SREM', 's', 'a');
    expect(encodingOf('s')).toBe(bulk('listpack'));
  });
});

describe('WRONGTYPE and keyspace integration', () => {
  test.each([
    ['SADD', 'k', 'a'],
    ['SREM', 'k', 'a'],
    ['SISMEMBER', 'k', 'a'],
    ['SMISMEMBER', 'k', 'a'],
    ['SCARD', 'k'],
    ['SMEMBERS', 'k'],
    ['SPOP', 'k'],
    ['SPOP', 'k', '1'],
    ['SRANDMEMBER', 'k'],
    ['SRANDMEMBER', 'k', '1'],
    ['SINTER', 'k'],
    ['SINTER', 'nope', 'k'],
    ['SINTERCARD', '1', 'k'],
    ['SINTERSTORE', 'd', 'k'],
    ['SUNION', 'k'],
    ['SUNIONSTORE', 'd', 'k'],
    ['SDIFF', 'nope', 'k'],
    ['SDIFFSTORE', 'd', 'k'],
    ['SSCAN', 'k', '0'],
    ['SMOVE', 'k', 'd', 'a'],
  ])('%s on a string and on a list', (...command) => {
    h.run('SET', 'k', 'v');
    expect(h.run(...command)).toBe(wrongType);
    h.db.set('k', new FakeList());
    expect(h.run(...command)).toBe(wrongType);
  });

  test('string and hash commands on a set', () => {
    h.run('SADD', 's', 'a');
    expect(h.run('GET', 's')).toBe(wrongType);
    expect(h.run('INCR', 's')).toBe(wrongType);
    expect(h.run('HGET', 's', 'a')).toBe(wrongType);
    expect(h.run('TYPE', 's')).toBe(resp.simple('set'));
  });

  test('COPY deep-copies every encoding', () => {
    h.run('SADD', 'i', '1', '2');
    h.run('SADD', 'l', 'a', 'b');
    h.run('SADD', 't', ...Array.from({ length: 200 }, (_, i) => `m${i}`));
    for (const key of ['i', 'l', 't']) {
      const before = members(key);
      expect(h.run('COPY', key, `${key}2`)).toBe(int(1));
      expect(encodingOf(`${key}2`)).toBe(encodingOf(key));
      h.run('SADD', `${key}2`, '99');
      h.run('SREM', `${key}2`, before[0]);
      expect(members(key)).toEqual(before);
    }
  });

  test('memory estimates follow the contents', () => {
    h.run('SADD', 's', 'a');
    const one = h.db.keyBytes('s') as number;
    h.run('SADD', 's', 'x'.repeat(40));
    expect(h.db.keyBytes('s') as number).toBeGreaterThanOrEqual(one + 40);
    h.run('SADD', 't', ...Array.from({ length: 200 }, (_, i) => `m${i}`));
    const t = h.db.keyBytes('t') as number;
    expect(t).toBeGreaterThan(200 * 4);
    h.run('SREM', 't', 'm1');
    expect(h.db.keyBytes('t') as number).toBeLessThan(t);
  });
});
