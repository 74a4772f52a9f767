/**
 * Sorted set commands through the command table, with exact reply bytes: what the black-box test
 * cannot compare with redis-server 7.0 — Valkey 8 score formatting, ZRANK WITHSCORE, ZSCAN
 * NOSCORES, Valkey's cursor and creation rules, random replies by their invariants — plus
 * encodings, conversions and every error.
 */
import { SortedSet } from '../../../lib/server/datatypes/zset';
import { Harness, resp } from './command-harness';

const { array, bulk, int, err } = resp;

function pairs(...items: Array<string | number>): string {
  return array(...items.map((x) => bulk(String(x))));
}

describe('sorted sets', () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness();
  });

  describe('scores as Valkey 8 prints them (redis-server 7.0 printed %.17g)', () => {
    test.each([
      ['0.1', '0.1'],
      ['0.3', '0.3'],
      ['1e-7', '1e-7'],
      ['2.5e-7', '2.5e-7'],
      ['0.00012345', '1.2345e-4'],
      ['1e17', '100000000000000000'],
      ['1e19', '1e+19'],
      ['3.14159', '3.14159'],
      ['-0.1', '-0.1'],
      ['123456789.123', '123456789.123'],
    ])('ZSCORE of %s is %s', (input, output) => {
      h.run('ZADD', 'z', input, 'm');
      expect(h.run('ZSCORE', 'z', 'm')).toBe(bulk(output));
      expect(h.run('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe(pairs('m', output));
      expect(h.run('ZSCAN', 'z', '0')).toBe(array(bulk('0'), pairs('m', output)));
    });

    test('ZINCRBY 0.1 + 0.2, ZADD INCR, and RESP3 doubles', () => {
      h.run('ZADD', 'z', '0.1', 'm');
      expect(h.run('ZINCRBY', 'z', '0.2', 'm')).toBe(bulk('0.30000000000000004'));
      expect(h.run('ZADD', 'z', 'INCR', '0.1', 'n')).toBe(bulk('0.1'));
      h.reply.resp = 3;
      expect(h.run('ZSCORE', 'z', 'n')).toBe(',0.1\r\n');
      expect(h.run('ZMSCORE', 'z', 'n', 'x')).toBe('*2\r\n,0.1\r\n_\r\n');
      expect(h.run('ZRANGE', 'z', '0', '0', 'WITHSCORES')).toBe('*1\r\n*2\r\n$1\r\nn\r\n,0.1\r\n');
      expect(h.run('ZINCRBY', 'z', 'inf', 'n')).toBe(',inf\r\n');
    });

    test('-0 keeps its sign in the skiplist encoding only (a listpack stores it as the integer 0)', () => {
      h.run('ZADD', 'lp', '-0', 'm');
      expect(h.run('ZSCORE', 'lp', 'm')).toBe(bulk('0'));
      h.settings.set('zset-max-listpack-entries', '0');
      h.run('ZADD', 'sl', '-0', 'm');
      expect(h.run('ZSCORE', 'sl', 'm')).toBe(bulk('-0'));
    });
  });

  describe('ZADD', () => {
    test('flags, replies and exact errors', () => {
      expect(h.run('ZADD', 'z', '1', 'a', '2', 'b')).toBe(int(2));
      expect(h.run('ZADD', 'z', 'CH', '5', 'a', '2', 'b', '3', 'c')).toBe(int(2));
      expect(h.run('ZADD', 'z', 'NX', '9', 'a', '4', 'd')).toBe(int(1));
      expect(h.run('ZADD', 'z', 'XX', 'CH', '9', 'a', '4', 'e')).toBe(int(1));
      expect(h.run('ZADD', 'z', 'GT', 'CH', '1', 'a', '10', 'b')).toBe(int(1));
      expect(h.run('ZADD', 'z', 'LT', 'CH', '1', 'a', '100', 'b')).toBe(int(1));
      expect(h.run('ZADD', 'z', 'INCR', 'GT', '-1', 'a')).toBe(resp.nil);
      expect(h.run('ZADD', 'z', 'incr', 'xx', '2', 'a')).toBe(bulk('3'));
      expect(h.run('ZADD', 'z', 'XX', 'INCR', '1', 'missing')).toBe(resp.nil);
      expect(h.run('ZADD', 'none', 'XX', '1', 'a')).toBe(int(0));
      expect(h.run('EXISTS', 'none')).toBe(int(0));
      expect(h.run('ZADD', 'z', 'NX', '1')).toBe(resp.syntax);
      expect(h.run('ZADD', 'z', 'NX', 'XX', '1', 'a')).toBe(err('ERR XX and NX options at the same time are not compatible'));
      expect(h.run('ZADD', 'z', 'GT', 'LT', '1', 'a')).toBe(err('ERR GT, LT, and/or NX options at the same time are not compatible'));
      expect(h.run('ZADD', 'z', 'NX', 'GT', '1', 'a')).toBe(err('ERR GT, LT, and/or NX options at the same time are not compatible'));
      expect(h.run('ZADD', 'z', 'INCR', '1', 'a', '2', 'b')).toBe(err('ERR INCR option supports a single increment-element pair'));
      expect(h.run('ZADD', 'z', '1', 'a', 'x', 'b')).toBe(err('ERR value is not a valid float'));
      expect(h.run('ZADD', 'z', 'nan', 'a')).toBe(err('ERR value is not a valid float'));
      h.run('ZADD', 'z', 'inf', 'p');
      expect(h.run('ZINCRBY', 'z', '-inf', 'p')).toBe(err('ERR resulting score is not a number (NaN)'));
      expect(h.run('ZSCORE', 'z', 'p')).toBe(bulk('inf'));
      expect(h.run('ZADD')).toBe(err("ERR wrong number of arguments for 'zadd' command"));
      h.run('SET', 's', 'v');
      expect(h.run('ZADD', 's', '1', 'a')).toBe(resp.wrongType);
      expect(h.run('ZINCRBY', 's', '1', 'a')).toBe(resp.wrongType);
    });

    test('the whole command or nothing: a bad score later in the list adds nothing', () => {
      expect(h.run('ZADD', 'z', '1', 'a', '2', 'b', 'oops', 'c')).toBe(err('ERR value is not a valid float'));
      expect(h.run('EXISTS', 'z')).toBe(int(0));
    });
  });

  describe('encodings', () => {
    test('listpack → skiplist past zset-max-listpack-entries or -value, never back', () => {
      h.settings.set('zset-max-listpack-entries', '3');
      h.settings.set('zset-max-listpack-value', '5');
      h.run('ZADD', 'a', '1', 'a', '2', 'b', '3', 'c');
      expect(h.run('OBJECT', 'ENCODING', 'a')).toBe(bulk('listpack'));
      h.run('ZADD', 'a', '4', 'd');
      expect(h.run('OBJECT', 'ENCODING', 'a')).toBe(bulk('skiplist'));
      h.run('ZREM', 'a', 'a', 'b', 'c');
      expect(h.run('OBJECT', 'ENCODING', 'a')).toBe(bulk('skiplist'));
      h.run('ZADD', 'b', '1', 'abcde');
      expect(h.run('OBJECT', 'ENCODING', 'b')).toBe(bulk('listpack'));
      h.run('ZADD', 'b', '1', 'abcdef');
      expect(h.run('OBJECT', 'ENCODING', 'b')).toBe(bulk('skiplist'));
      expect(h.run('ZRANGE', 'b', '0', '-1')).toBe(pairs('abcde', 'abcdef'));
    });

    test('Valkey sizes a new set by the pairs given, duplicates included (7.0 did not)', () => {
      h.settings.set('zset-max-listpack-entries', '4');
      h.run('ZADD', 'c', '1', 'a', '1', 'a', '1', 'a', '1', 'a', '1', 'a');
      expect(h.run('ZCARD', 'c')).toBe(int(1));
      expect(h.run('OBJECT', 'ENCODING', 'c')).toBe(bulk('skiplist'));
      h.run('ZADD', 'd', '1', 'a');
      h.run('ZADD', 'd', '1', 'a', '2', 'a', '3', 'a', '4', 'a', '5', 'a');
      expect(h.run('OBJECT', 'ENCODING', 'd')).toBe(bulk('skiplist'));
    });

    test('store commands pack a small result; ZRANGESTORE sizes by rank range', () => {
      h.settings.set('zset-max-listpack-entries', '2');
      h.run('ZADD', 'big', '1', 'a', '2', 'b', '3', 'c');
      expect(h.run('ZUNIONSTORE', 'u', '1', 'big')).toBe(int(3));
      expect(h.run('OBJECT', 'ENCODING', 'u')).toBe(bulk('skiplist'));
      expect(h.run('ZINTERSTORE', 'i', '1', 'big', 'WEIGHTS', '2')).toBe(int(3));
      expect(h.run('ZRANGE', 'i', '0', '-1', 'WITHSCORES')).toBe(pairs('a', 2, 'b', 4, 'c', 6));
      h.run('ZREM', 'big', 'c');
      expect(h.run('ZUNIONSTORE', 'u2', '1', 'big')).toBe(int(2));
      expect(h.run('OBJECT', 'ENCODING', 'u2')).toBe(bulk('listpack'));
      expect(h.run('ZRANGESTORE', 'r', 'big', '0', '0')).toBe(int(1));
      expect(h.run('OBJECT', 'ENCODING', 'r')).toBe(bulk('listpack'));
    });

    test('COPY deep-copies either encoding', () => {
      for (const entries of ['128', '0']) {
        h.settings.set('zset-max-listpack-entries', entries);
        h.run('DEL', 'src', 'dst');
        h.run('ZADD', 'src', '1', 'a', '2', 'b');
        expect(h.run('COPY', 'src', 'dst')).toBe(int(1));
        h.run('ZADD', 'src', '3', 'c');
        h.run('ZINCRBY', 'dst', '10', 'a');
        expect(h.run('ZRANGE', 'dst', '0', '-1', 'WITHSCORES')).toBe(pairs('b', 2, 'a', 11));
        expect(h.run('ZRANGE', 'src', '0', '-1', 'WITHSCORES')).toBe(pairs('a', 1, 'b', 2, 'c', 3));
        expect(h.run('OBJECT', 'ENCODING', 'dst')).toBe(h.run('OBJECT', 'ENCODING', 'src'));
      }
    });

    test('memory usage grows with members and the listpack is one string', () => {
      const small = SortedSet.create(0, 0, { maxEntries: 128, maxValue: 64 });
      const before = small.memoryUsage();
      for (let i = 0; i < 100; i++) small.add(i, `member:${i}`, 0, { maxEntries: 128, maxValue: 64 });
      expect(small.encoding()).toBe('listpack');
      expect(small.memoryUsage()).toBeGreaterThan(before + 100 * 10);
      expect(small.memoryUsage()).toBeLessThan(before + 100 * 20);
      small.convertToSkiplist();
      expect(small.memoryUsage()).toBeGreaterThan(before + 100 * 60);
    });
  });

  describe('ranks, WITHSCORE (7.2) and counts', () => {
    test('ZRANK / ZREVRANK with and without WITHSCORE', () => {
      h.run('ZADD', 'z', '1', 'a', '2.5', 'b', '3', 'c');
      expect(h.run('ZRANK', 'z', 'b')).toBe(int(1));
      expect(h.run('ZRANK', 'z', 'b', 'WITHSCORE')).toBe('*2\r\n:1\r\n$3\r\n2.5\r\n');
      expect(h.run('ZREVRANK', 'z', 'a', 'withscore')).toBe('*2\r\n:2\r\n$1\r\n1\r\n');
      expect(h.run('ZRANK', 'z', 'x')).toBe(resp.nil);
      expect(h.run('ZRANK', 'z', 'x', 'WITHSCORE')).toBe(resp.nilArray);
      expect(h.run('ZRANK', 'none', 'x', 'WITHSCORE')).toBe(resp.nilArray);
      expect(h.run('ZRANK', 'z', 'a', 'junk')).toBe(resp.syntax);
      expect(h.run('ZRANK', 'z', 'a', 'WITHSCORE', 'x')).toBe(err("ERR wrong number of arguments for 'zrank' command"));
      expect(h.run('ZREVRANK', 'z', 'a', 'WITHSCORE', 'x')).toBe(err("ERR wrong number of arguments for 'zrevrank' command"));
      h.reply.resp = 3;
      expect(h.run('ZRANK', 'z', 'c', 'WITHSCORE')).toBe('*2\r\n:2\r\n,3\r\n');
      expect(h.run('ZRANK', 'z', 'x', 'WITHSCORE')).toBe('_\r\n');
    });

    test('ZCOUNT / ZLEXCOUNT errors', () => {
      h.run('ZADD', 'z', '1', 'a');
      expect(h.run('ZCOUNT', 'z', 'x', '1')).toBe(err('ERR min or max is not a float'));
      expect(h.run('ZLEXCOUNT', 'z', 'a', '+')).toBe(err('ERR min or max not valid string range item'));
      expect(h.run('ZRANGEBYLEX', 'z', '-', 'b')).toBe(err('ERR min or max not valid string range item'));
      expect(h.run('ZCOUNT', 'z', '(1', '1')).toBe(int(0));
    });
  });

  describe('ZSCAN', () => {
    test('NOSCORES (Valkey 8), NOVALUES refused, negative cursor refused', () => {
      h.run('ZADD', 'z', '1', 'a', '2', 'b');
      expect(h.run('ZSCAN', 'z', '0', 'NOSCORES')).toBe(array(bulk('0'), pairs('a', 'b')));
      expect(h.run('ZSCAN', 'z', '0', 'NOVALUES')).toBe(err('ERR NOVALUES option can only be used in HSCAN'));
      expect(h.run('ZSCAN', 'z', '-1')).toBe(err('ERR invalid cursor'));
      expect(h.run('ZSCAN', 'z', '18446744073709551616')).toBe(err('ERR invalid cursor'));
      expect(h.run('ZSCAN', 'z', '18446744073709551615')).toBe(array(bulk('0'), pairs('a', 1, 'b', 2)));
    });

    test('a skiplist scan by slots returns every member exactly once, even with deletes in between', () => {
      h.settings.set('zset-max-listpack-entries', '0');
      for (let i = 0; i < 500; i++) h.run('ZADD', 'z', String(i % 9), `m${i}`);
      const seen = new Map<string, number>();
      let cursor = '0';
      let rounds = 0;
      do {
        const reply = h.run('ZSCAN', 'z', cursor, 'COUNT', '37');
        const lines = reply.split('\r\n').filter((l) => l.length > 0 && !/^[*$]/.test(l));
        cursor = lines[0];
        for (let i = 1; i < lines.length; i += 2) seen.set(lines[i], (seen.get(lines[i]) ?? 0) + 1);
        // Delete a member the scan has already passed: nothing may be skipped because of it.
        if (rounds === 2) h.run('ZREM', 'z', 'm0');
        rounds++;
      } while (cursor !== '0');
      for (let i = 1; i < 500; i++) expect(seen.get(`m${i}`)).toBe(1);
      expect(rounds).toBeGreaterThan(10);
    });
  });

  describe('ZRANDMEMBER (random: invariants)', () => {
    const members = ['a', 'b', 'c', 'd', 'e'];
    for (const entries of ['128', '0']) {
      test(`counts, repetition, WITHSCORES, RESP3 (${entries === '0' ? 'skiplist' : 'listpack'})`, () => {
        h.settings.set('zset-max-listpack-entries', entries);
        h.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e');
        const single = h.run('ZRANDMEMBER', 'z');
        expect(members.map((m) => bulk(m))).toContain(single);
        expect(h.run('ZRANDMEMBER', 'none')).toBe(resp.nil);
        expect(h.run('ZRANDMEMBER', 'none', '3')).toBe('*0\r\n');
        expect(h.run('ZRANDMEMBER', 'z', '0')).toBe('*0\r\n');
        // Whole set when count >= size, highest score first.
        expect(h.run('ZRANDMEMBER', 'z', '10')).toBe(pairs('e', 'd', 'c', 'b', 'a'));
        expect(h.run('ZRANDMEMBER', 'z', '5', 'WITHSCORES')).toBe(pairs('e', 5, 'd', 4, 'c', 3, 'b', 2, 'a', 1));
        for (let trial = 0; trial < 30; trial++) {
          const unique = h.run('ZRANDMEMBER', 'z', '3').split('\r\n').filter((l) => /^[a-e]$/.test(l));
          expect(new Set(unique).size).toBe(3);
          const repeated = h.run('ZRANDMEMBER', 'z', '-20').split('\r\n').filter((l) => /^[a-e]$/.test(l));
          expect(repeated).toHaveLength(20);
          const withScores = h.run('ZRANDMEMBER', 'z', '-4', 'WITHSCORES').split('\r\n').filter((l) => l.length > 0 && !/^[*$]/.test(l));
          expect(withScores).toHaveLength(8);
          for (let i = 0; i < 8; i += 2) expect(withScores[i + 1]).toBe(String(members.indexOf(withScores[i]) + 1));
        }
        h.reply.resp = 3;
        const nested = h.run('ZRANDMEMBER', 'z', '2', 'WITHSCORES');
        expect(nested).toMatch(/^\*2\r\n\*2\r\n\$1\r\n[a-e]\r\n,[1-5]\r\n\*2\r\n\$1\r\n[a-e]\r\n,[1-5]\r\n$/);
      });
    }

    test('errors', () => {
      h.run('ZADD', 'z', '1', 'a');
      expect(h.run('ZRANDMEMBER', 'z', 'x')).toBe(resp.notInteger);
      expect(h.run('ZRANDMEMBER', 'z', '1', 'WITHSCORE')).toBe(resp.syntax);
      expect(h.run('ZRANDMEMBER', 'z', '1', 'WITHSCORES', 'x')).toBe(resp.syntax);
      expect(h.run('ZRANDMEMBER', 'z', '-9223372036854775808')).toBe(
        err('ERR value is out of range, must be between -9223372036854775807 and 9223372036854775807'),
      );
      expect(h.run('ZRANDMEMBER', 'z', '4611686018427387904', 'WITHSCORES')).toBe(err('ERR value is out of range'));
      expect(h.run('ZRANDMEMBER', 'z', '-4611686018427387904', 'WITHSCORES')).toBe(err('ERR value is out of range'));
    });
  });

  describe('pops and the blocking pops without a blocking service', () => {
    test('BZPOPMIN / BZPOPMAX / BZMPOP serve data at once and answer null where they cannot block', () => {
      h.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
      expect(h.run('BZPOPMIN', 'none', 'z', '0')).toBe(array(bulk('z'), bulk('a'), bulk('1')));
      expect(h.run('BZPOPMAX', 'z', '0')).toBe(array(bulk('z'), bulk('c'), bulk('3')));
      expect(h.run('BZMPOP', '1', '1', 'z', 'MIN', 'COUNT', '5')).toBe(array(bulk('z'), array(pairs('b', 2))));
      expect(h.run('EXISTS', 'z')).toBe(int(0));
      expect(h.run('BZPOPMIN', 'z', '1')).toBe(resp.nilArray);
      expect(h.run('BZMPOP', '1', '1', 'z', 'MIN')).toBe(resp.nilArray);
      expect(h.run('BZPOPMIN', 'z', 'x')).toBe(err('ERR timeout is not a float or out of range'));
      expect(h.run('BZPOPMIN', 'z', '-1')).toBe(err('ERR timeout is negative'));
      expect(h.run('BZMPOP', '0', '0', 'z', 'MIN')).toBe(err('ERR numkeys should be greater than 0'));
      h.run('SET', 's', 'v');
      expect(h.run('BZPOPMIN', 's', '0')).toBe(resp.wrongType);
    });

    test('ZPOPMIN count errors and RESP3 shapes', () => {
      h.run('ZADD', 'z', '1', 'a', '2', 'b');
      expect(h.run('ZPOPMIN', 'z', '-1')).toBe(err('ERR value is out of range, must be positive'));
      expect(h.run('ZPOPMIN', 'z', 'x')).toBe(err('ERR value is out of range, must be positive'));
      h.reply.resp = 3;
      expect(h.run('ZPOPMIN', 'z')).toBe('*2\r\n$1\r\na\r\n,1\r\n');
      expect(h.run('ZPOPMAX', 'z', '1')).toBe('*1\r\n*2\r\n$1\r\nb\r\n,2\r\n');
      expect(h.run('ZPOPMIN', 'z', '1')).toBe('*0\r\n');
      expect(h.run('ZMPOP', '1', 'z', 'MIN')).toBe('_\r\n');
    });
  });

  describe('set operations', () => {
    test('sets count with score 1; wrong types; ZINTERCARD limit', () => {
      h.run('ZADD', 'z', '2', 'a', '3', 'b');
      h.run('SADD', 's', 'a', 'c');
      expect(h.run('ZUNION', '2', 'z', 's', 'WITHSCORES')).toBe(pairs('c', 1, 'a', 3, 'b', 3));
      expect(h.run('ZINTER', '2', 'z', 's', 'WITHSCORES')).toBe(pairs('a', 3));
      expect(h.run('ZDIFF', '2', 's', 'z', 'WITHSCORES')).toBe(pairs('c', 1));
      expect(h.run('ZINTERCARD', '2', 'z', 's', 'LIMIT', '1')).toBe(int(1));
      expect(h.run('ZINTERCARD', '1', 'z', 'LIMIT', '-1')).toBe(err("ERR LIMIT can't be negative"));
      expect(h.run('ZUNION', '0', 'z')).toBe(err("ERR at least 1 input key is needed for 'zunion' command"));
      expect(h.run('ZDIFFSTORE', 'd', '0', 'z')).toBe(err("ERR at least 1 input key is needed for 'zdiffstore' command"));
      expect(h.run('ZUNION', '2', 'z', 's', 'WEIGHTS', '1', 'x')).toBe(err('ERR weight value is not a float'));
      h.run('SET', 'str', 'v');
      expect(h.run('ZUNION', '2', 'z', 'str')).toBe(resp.wrongType);
      expect(h.run('ZUNIONSTORE', 'z', '2', 'z', 's')).toBe(int(3));
      expect(h.run('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe(pairs('c', 1, 'a', 3, 'b', 3));
      expect(h.run('ZINTERSTORE', 'z', '2', 'z', 'none')).toBe(int(0));
      expect(h.run('EXISTS', 'z')).toBe(int(0));
    });
  });

  test('emptied sets are deleted by every removing command', () => {
    const removers: string[][] = [
      ['ZREM', 'k', 'a'],
      ['ZPOPMIN', 'k'],
      ['ZPOPMAX', 'k', '5'],
      ['ZREMRANGEBYRANK', 'k', '0', '-1'],
      ['ZREMRANGEBYSCORE', 'k', '-inf', '+inf'],
      ['ZREMRANGEBYLEX', 'k', '-', '+'],
      ['ZMPOP', '1', 'k', 'MAX'],
    ];
    for (const command of removers) {
      h.run('ZADD', 'k', '1', 'a');
      h.run(...command);
      expect(h.run('EXISTS', 'k')).toBe(int(0));
    }
  });
});
