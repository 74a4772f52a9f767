import { addLongDouble, formatLongDouble, parseLongDouble } from '../../../lib/server/util/long-double';
import { parseInt64, parseUint64 } from '../../../lib/server/util/int64';
import { FakeList, Harness, resp } from './command-harness';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});

describe('integer parsing (string2ll)', () => {
  test.each([
    ['0', 0],
    ['1', 1],
    ['-1', -1],
    ['123456789012345', 123456789012345],
    ['9007199254740991', 9007199254740991],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
  ])('%s parses', (text, value) => {
    expect(parseInt64(Buffer.from(text))).toBe(value);
    expect(parseInt64(text)).toBe(value);
  });

  test.each(['', '-', '+1', '01', '-0', ' 1', '1 ', '1.0', '9223372036854775808', '-9223372036854775809', '1e3', '0x10', 'abc'])(
    '%j is rejected',
    (text) => {
      expect(parseInt64(Buffer.from(text))).toBeNull();
      expect(parseInt64(text)).toBeNull();
    },
  );

  test('SCAN cursors follow string2ull', () => {
    expect(parseUint64('0')).toBe(0n);
    expect(parseUint64('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseUint64('18446744073709551616')).toBeNull();
    expect(parseUint64('-1')).toBeNull();
    expect(parseUint64('+5')).toBe(5n);
    expect(parseUint64('007')).toBe(7n);
    expect(parseUint64('x')).toBeNull();
    expect(parseUint64('')).toBeNull();
  });
});

describe('long double arithmetic (INCRBYFLOAT)', () => {
  const add = (a: string, b: string): string => {
    const x = parseLongDouble(a);
    const y = parseLongDouble(b);
    if (!x || !y) throw new Error('parse');
    return formatLongDouble(addLongDouble(x, y));
  };
  test.each([
    ['10.5', '0.1', '10.6'],
    ['3.0e3', '5.0e3', '8000'],
    ['0', '0.1', '0.1'],
    ['0.1', '0.2', '0.3'],
    ['1', '-1', '0'],
    ['-0', '-0', '0'],
    ['5', '-10.25', '-5.25'],
    ['0', '1e20', '100000000000000000000'],
    ['0', '0x10', '16'],
    ['0', '0x1p-2', '0.25'],
    ['0', '1.', '1'],
    ['0', '.5', '0.5'],
    ['17179869184', '1.5', '17179869185.5'],
    ['0', '1e-20', '0'],
  ])('%s + %s = %s', (a, b, sum) => {
    expect(add(a, b)).toBe(sum);
  });

  test.each(['', ' 1', '1 ', 'abc', 'nan', '1e', '1e+', '.', '0x', '1e5000', '1e-5000', '--1', '1..2'])('%j is not a float', (text) => {
    expect(parseLongDouble(text)).toBeUndefined();
  });

  test('inf parses (and INCRBYFLOAT then refuses the result)', () => {
    expect(parseLongDouble('inf')?.infinite).toBe(true);
    expect(parseLongDouble('-Infinity')?.infinite).toBe(true);
  });
});

describe('GET / SET', () => {
  test('basic round trip, binary safe', () => {
    expect(h.run('GET', 'k')).toBe(resp.nil);
    expect(h.run('SET', 'k', 'v')).toBe(resp.ok);
    expect(h.run('GET', 'k')).toBe(resp.bulk('v'));
    const binary = Buffer.from([0, 255, 13, 10, 128]);
    expect(h.run('SET', 'b', binary)).toBe(resp.ok);
    expect(Buffer.from(h.run('GET', 'b'), 'latin1')).toEqual(Buffer.concat([Buffer.from('$5\r\n'), binary, Buffer.from('\r\n')]));
    expect(h.run('SET', 'e', '')).toBe(resp.ok);
    expect(h.run('GET', 'e')).toBe('$0\r\n\r\n');
  });

  test('GET on a collection is WRONGTYPE; SET overwrites any type', () => {
    h.db.set('l', new FakeList());
    expect(h.run('GET', 'l')).toBe(resp.wrongType);
    expect(h.run('SET', 'l', 'x')).toBe(resp.ok);
    expect(h.run('GET', 'l')).toBe(resp.bulk('x'));
  });

  test('GET counts keyspace hits and misses', () => {
    h.run('GET', 'nope');
    h.run('SET', 'k', 'v');
    h.run('GET', 'k');
    expect([h.hits, h.misses]).toEqual([1, 1]);
  });

  test('NX and XX', () => {
    expect(h.run('SET', 'k', 'v', 'XX')).toBe(resp.nil);
    expect(h.run('SET', 'k', 'v', 'nx')).toBe(resp.ok);
    expect(h.run('SET', 'k', 'w', 'NX')).toBe(resp.nil);
    expect(h.run('SET', 'k', 'w', 'xx')).toBe(resp.ok);
    expect(h.run('GET', 'k')).toBe(resp.bulk('w'));
  });

  test('EX PX EXAT PXAT set the TTL; plain SET clears it; KEEPTTL keeps it', () => {
    h.run('SET', 'k', 'v', 'EX', '100');
    expect(h.run('PTTL', 'k')).toBe(resp.int(100000));
    h.run('SET', 'k', 'v', 'PX', '1500');
    expect(h.run('PTTL', 'k')).toBe(resp.int(1500));
    h.run('SET', 'k', 'v', 'EXAT', String(h.now / 1000 + 50));
    expect(h.run('TTL', 'k')).toBe(resp.int(50));
    h.run('SET', 'k', 'v', 'PXAT', String(h.now + 2500));
    expect(h.run('PTTL', 'k')).toBe(resp.int(2500));
    h.run('SET', 'k', 'v2', 'KEEPTTL');
    expect(h.run('PTTL', 'k')).toBe(resp.int(2500));
    h.run('SET', 'k', 'v3');
    expect(h.run('TTL', 'k')).toBe(resp.int(-1));
  });

  test('the key expires when its time comes', () => {
    h.run('SET', 'k', 'v', 'PX', '10');
    h.now += 9;
    expect(h.run('GET', 'k')).toBe(resp.bulk('v'));
    h.now += 1;
    expect(h.run('GET', 'k')).toBe(resp.nil);
  });

  test('EXAT / PXAT in the past delete the key and reply OK', () => {
    h.run('SET', 'k', 'v');
    expect(h.run('SET', 'k', 'v2', 'PXAT', String(h.now - 1))).toBe(resp.ok);
    expect(h.run('EXISTS', 'k')).toBe(resp.int(0));
    expect(h.run('SET', 'k', 'v2', 'EXAT', '1', 'GET')).toBe(resp.nil);
    expect(h.run('EXISTS', 'k')).toBe(resp.int(0));
  });

  test('GET returns the old value, also with NX/XX aborting', () => {
    expect(h.run('SET', 'k', 'v1', 'GET')).toBe(resp.nil);
    expect(h.run('SET', 'k', 'v2', 'GET')).toBe(resp.bulk('v1'));
    expect(h.run('SET', 'k', 'v3', 'NX', 'GET')).toBe(resp.bulk('v2'));
    expect(h.run('GET', 'k')).toBe(resp.bulk('v2'));
    expect(h.run('SET', 'n', 'x', 'XX', 'GET')).toBe(resp.nil);
    expect(h.run('EXISTS', 'n')).toBe(resp.int(0));
    h.db.set('l', new FakeList());
    expect(h.run('SET', 'l', 'x', 'GET')).toBe(resp.wrongType);
    expect(h.run('TYPE', 'l')).toBe(resp.simple('list'));
  });

  test.each([
    [['NX', 'XX']],
    [['XX', 'NX']],
    [['EX', '10', 'PX', '10']],
    [['PX', '10', 'EX', '10']],
    [['EX', '10', 'KEEPTTL']],
    [['KEEPTTL', 'EXAT', '10']],
    [['EXAT', '10', 'PXAT', '10']],
    [['EX']],
    [['PX']],
    [['FOO']],
    [['PERSIST']],
    [['IFEQ']],
    [['IFEQ', 'v', 'NX']],
    [['XX', 'IFEQ', 'v']],
  ])('SET options %j are a syntax error', (opts) => {
    expect(h.run('SET', 'k', 'v', ...opts)).toBe(resp.syntax);
  });

  test('the same expire option twice is accepted (last wins)', () => {
    expect(h.run('SET', 'k', 'v', 'EX', '10', 'EX', '20')).toBe(resp.ok);
    expect(h.run('TTL', 'k')).toBe(resp.int(20));
  });

  test.each([
    [['EX', '0'], 'set'],
    [['EX', '-1'], 'set'],
    [['PX', '0'], 'set'],
    [['EXAT', '0'], 'set'],
    [['PXAT', '-5'], 'set'],
    [['EX', '9223372036854776'], 'set'],
    [['EX', '9223372036854775'], 'set'],
    [['PX', '9223372036854775807'], 'set'],
  ])('SET %j is an invalid expire time', (opts) => {
    expect(h.run('SET', 'k', 'v', ...opts)).toBe(resp.err("ERR invalid expire time in 'set' command"));
  });

  test('non-integer expire is not an integer', () => {
    expect(h.run('SET', 'k', 'v', 'EX', '1.5')).toBe(resp.notInteger);
    expect(h.run('SET', 'k', 'v', 'PX', 'abc')).toBe(resp.notInteger);
  });

  test('the expire time is validated before GET looks at the old value', () => {
    h.db.set('l', new FakeList());
    expect(h.run('SET', 'l', 'v', 'GET', 'EX', '0')).toBe(resp.err("ERR invalid expire time in 'set' command"));
  });

  test('PXAT accepts the int64 maximum', () => {
    expect(h.run('SET', 'k', 'v', 'PXAT', '9223372036854775807')).toBe(resp.ok);
    expect(h.run('EXISTS', 'k')).toBe(resp.int(1));
  });

  describe('IFEQ (Valkey 8.1)', () => {
    test('sets only when the current value matches', () => {
      h.run('SET', 'k', 'v1');
      expect(h.run('SET', 'k', 'v2', 'IFEQ', 'nope')).toBe(resp.nil);
      expect(h.run('GET', 'k')).toBe(resp.bulk('v1'));
      expect(h.run('SET', 'k', 'v2', 'IFEQ', 'v1')).toBe(resp.ok);
      expect(h.run('GET', 'k')).toBe(resp.bulk('v2'));
    });
    test('a missing key is not created', () => {
      expect(h.run('SET', 'k', 'v', 'IFEQ', 'v')).toBe(resp.nil);
      expect(h.run('EXISTS', 'k')).toBe(resp.int(0));
    });
    test('a non-string value is an error', () => {
      h.db.set('l', new FakeList());
      expect(h.run('SET', 'l', 'v', 'IFEQ', 'v')).toBe(resp.wrongType);
    });
    test('with GET it returns the old value whether or not it sets', () => {
      h.run('SET', 'k', 'v1');
      expect(h.run('SET', 'k', 'v2', 'IFEQ', 'x', 'GET')).toBe(resp.bulk('v1'));
      expect(h.run('GET', 'k')).toBe(resp.bulk('v1'));
      expect(h.run('SET', 'k', 'v2', 'IFEQ', 'v1', 'GET')).toBe(resp.bulk('v1'));
      expect(h.run('GET', 'k')).toBe(resp.bulk('v2'));
      expect(h.run('SET', 'n', 'v', 'GET', 'IFEQ', 'v')).toBe(resp.nil);
    });
    test('with an expire option', () => {
      h.run('SET', 'k', 'v1');
      expect(h.run('SET', 'k', 'v2', 'IFEQ', 'v1', 'EX', '10')).toBe(resp.ok);
      expect(h.run('TTL', 'k')).toBe(resp.int(10));
    });
  });

  test('arity', () => {
    expect(h.run('SET', 'k')).toBe(resp.err("ERR wrong number of arguments for 'set' command"));
    expect(h.run('GET')).toBe(resp.err("ERR wrong number of arguments for 'get' command"));
  });
});

describe('SETNX SETEX PSETEX GETSET GETDEL GETEX', () => {
  test('SETNX', () => {
    expect(h.run('SETNX', 'k', 'a')).toBe(resp.int(1));
    expect(h.run('SETNX', 'k', 'b')).toBe(resp.int(0));
    expect(h.run('GET', 'k')).toBe(resp.bulk('a'));
    h.db.set('l', new FakeList());
    expect(h.run('SETNX', 'l', 'b')).toBe(resp.int(0));
  });

  test('SETEX / PSETEX', () => {
    expect(h.run('SETEX', 'k', '10', 'v')).toBe(resp.ok);
    expect(h.run('TTL', 'k')).toBe(resp.int(10));
    expect(h.run('PSETEX', 'k', '1500', 'v')).toBe(resp.ok);
    expect(h.run('PTTL', 'k')).toBe(resp.int(1500));
    expect(h.run('SETEX', 'k', '0', 'v')).toBe(resp.err("ERR invalid expire time in 'setex' command"));
    expect(h.run('PSETEX', 'k', '-1', 'v')).toBe(resp.err("ERR invalid expire time in 'psetex' command"));
    expect(h.run('SETEX', 'k', 'x', 'v')).toBe(resp.notInteger);
    expect(h.run('SETEX', 'k', '9223372036854776', 'v')).toBe(resp.err("ERR invalid expire time in 'setex' command"));
  });

  test('GETSET replaces, clears the TTL and checks the type', () => {
    expect(h.run('GETSET', 'k', 'a')).toBe(resp.nil);
    h.run('EXPIRE', 'k', '100');
    expect(h.run('GETSET', 'k', 'b')).toBe(resp.bulk('a'));
    expect(h.run('TTL', 'k')).toBe(resp.int(-1));
    h.db.set('l', new FakeList());
    expect(h.run('GETSET', 'l', 'b')).toBe(resp.wrongType);
  });

  test('GETDEL', () => {
    h.run('SET', 'k', 'v');
    expect(h.run('GETDEL', 'k')).toBe(resp.bulk('v'));
    expect(h.run('GETDEL', 'k')).toBe(resp.nil);
    h.db.set('l', new FakeList());
    expect(h.run('GETDEL', 'l')).toBe(resp.wrongType);
    expect(h.run('EXISTS', 'l')).toBe(resp.int(1));
  });

  test('GETEX sets, persists or removes the TTL', () => {
    expect(h.run('GETEX', 'k')).toBe(resp.nil);
    h.run('SET', 'k', 'v');
    expect(h.run('GETEX', 'k', 'EX', '100')).toBe(resp.bulk('v'));
    expect(h.run('TTL', 'k')).toBe(resp.int(100));
    expect(h.run('GETEX', 'k', 'PX', '500')).toBe(resp.bulk('v'));
    expect(h.run('PTTL', 'k')).toBe(resp.int(500));
    expect(h.run('GETEX', 'k', 'EXAT', String(h.now / 1000 + 7))).toBe(resp.bulk('v'));
    expect(h.run('TTL', 'k')).toBe(resp.int(7));
    expect(h.run('GETEX', 'k', 'PXAT', String(h.now + 70))).toBe(resp.bulk('v'));
    expect(h.run('PTTL', 'k')).toBe(resp.int(70));
    expect(h.run('GETEX', 'k')).toBe(resp.bulk('v'));
    expect(h.run('PTTL', 'k')).toBe(resp.int(70));
    expect(h.run('GETEX', 'k', 'PERSIST')).toBe(resp.bulk('v'));
    expect(h.run('TTL', 'k')).toBe(resp.int(-1));
    expect(h.run('GETEX', 'k', 'PXAT', String(h.now - 1))).toBe(resp.bulk('v'));
    expect(h.run('EXISTS', 'k')).toBe(resp.int(0));
  });

  test('GETEX errors', () => {
    h.run('SET', 'k', 'v');
    expect(h.run('GETEX', 'k', 'EX', '10', 'PX', '10')).toBe(resp.syntax);
    expect(h.run('GETEX', 'k', 'PERSIST', 'EX', '10')).toBe(resp.syntax);
    expect(h.run('GETEX', 'k', 'KEEPTTL')).toBe(resp.syntax);
    expect(h.run('GETEX', 'k', 'NX')).toBe(resp.syntax);
    expect(h.run('GETEX', 'k', 'GET')).toBe(resp.syntax);
    expect(h.run('GETEX', 'k', 'EX')).toBe(resp.syntax);
    expect(h.run('GETEX', 'k', 'EX', '0')).toBe(resp.err("ERR invalid expire time in 'getex' command"));
    expect(h.run('GETEX', 'k', 'EX', 'x')).toBe(resp.notInteger);
    h.db.set('l', new FakeList());
    expect(h.run('GETEX', 'l', 'EX', '10')).toBe(resp.wrongType);
  });
});

describe('MGET MSET MSETNX', () => {
  test('MGET returns nil for missing and non-string keys', () => {
    h.run('MSET', 'a', '1', 'b', '2');
    h.db.set('l', new FakeList());
    expect(h.run('MGET', 'a', 'nope', 'l', 'b')).toBe(resp.array(resp.bulk('1'), resp.nil, resp.nil, resp.bulk('2')));
  });

  test('MSET clears TTLs and last write wins', () => {
    h.run('SET', 'a', 'x', 'EX', '10');
    expect(h.run('MSET', 'a', '1', 'a', '2')).toBe(resp.ok);
    expect(h.run('GET', 'a')).toBe(resp.bulk('2'));
    expect(h.run('TTL', 'a')).toBe(resp.int(-1));
    expect(h.run('MSET', 'a', '1', 'b')).toBe(resp.err("ERR wrong number of arguments for 'mset' command"));
  });

  test('MSETNX sets all or nothing', () => {
    expect(h.run('MSETNX', 'a', '1', 'b', '2')).toBe(resp.int(1));
    expect(h.run('MSETNX', 'c', '3', 'a', '9')).toBe(resp.int(0));
    expect(h.run('EXISTS', 'c')).toBe(resp.int(0));
    expect(h.run('MSETNX', 'x', '1', 'x', '2')).toBe(resp.int(1));
    expect(h.run('GET', 'x')).toBe(resp.bulk('2'));
    expect(h.run('MSETNX', 'a', '1', 'b')).toBe(resp.err("ERR wrong number of arguments for 'msetnx' command"));
  });
});

describe('INCR family', () => {
  test('counts from zero and keeps the TTL', () => {
    expect(h.run('INCR', 'n')).toBe(resp.int(1));
    expect(h.run('INCRBY', 'n', '10')).toBe(resp.int(11));
    expect(h.run('DECR', 'n')).toBe(resp.int(10));
    expect(h.run('DECRBY', 'n', '-5')).toBe(resp.int(15));
    h.run('EXPIRE', 'n', '100');
    expect(h.run('INCR', 'n')).toBe(resp.int(16));
    expect(h.run('TTL', 'n')).toBe(resp.int(100));
    expect(h.run('GET', 'n')).toBe(resp.bulk('16'));
  });

  test('int64 edges', () => {
    h.run('SET', 'n', '9223372036854775806');
    expect(h.run('INCR', 'n')).toBe(resp.int('9223372036854775807'));
    expect(h.run('GET', 'n')).toBe(resp.bulk('9223372036854775807'));
    expect(h.run('INCR', 'n')).toBe(resp.err('ERR increment or decrement would overflow'));
    h.run('SET', 'm', '-9223372036854775807');
    expect(h.run('DECR', 'm')).toBe(resp.int('-9223372036854775808'));
    expect(h.run('DECR', 'm')).toBe(resp.err('ERR increment or decrement would overflow'));
    h.run('SET', 'z', '0');
    expect(h.run('DECRBY', 'z', '-9223372036854775808')).toBe(resp.err('ERR decrement would overflow'));
    expect(h.run('INCRBY', 'z', '-9223372036854775808')).toBe(resp.int('-9223372036854775808'));
    h.run('SET', 's', '9007199254740991');
    expect(h.run('INCRBY', 's', '9007199254740991')).toBe(resp.int('18014398509481982'));
  });

  test('non-integers', () => {
    for (const v of ['abc', ' 1', '1 ', '+1', '01', '1.5', '9223372036854775808', '']) {
      h.run('SET', 'n', v);
      expect(h.run('INCR', 'n')).toBe(resp.notInteger);
    }
    expect(h.run('INCRBY', 'x', '1.5')).toBe(resp.notInteger);
    expect(h.run('DECRBY', 'x', 'a')).toBe(resp.notInteger);
    h.db.set('l', new FakeList());
    expect(h.run('INCR', 'l')).toBe(resp.wrongType);
    expect(h.run('DECRBY', 'l', '1')).toBe(resp.wrongType);
  });

  test('INCRBYFLOAT', () => {
    h.run('SET', 'f', '10.5');
    expect(h.run('INCRBYFLOAT', 'f', '0.1')).toBe(resp.bulk('10.6'));
    h.run('SET', 'g', '3.0e3');
    expect(h.run('INCRBYFLOAT', 'g', '5.0e3')).toBe(resp.bulk('8000'));
    expect(h.run('GET', 'g')).toBe(resp.bulk('8000'));
    expect(h.run('INCRBYFLOAT', 'new', '-1.5')).toBe(resp.bulk('-1.5'));
    expect(h.run('INCRBYFLOAT', 'new', '1.5')).toBe(resp.bulk('0'));
    h.run('SET', 'i', '1');
    expect(h.run('INCRBYFLOAT', 'i', '1')).toBe(resp.bulk('2'));
    h.run('EXPIRE', 'i', '100');
    h.run('INCRBYFLOAT', 'i', '1');
    expect(h.run('TTL', 'i')).toBe(resp.int(100));
  });

  test('INCRBYFLOAT errors', () => {
    expect(h.run('INCRBYFLOAT', 'f', 'abc')).toBe(resp.err('ERR value is not a valid float'));
    expect(h.run('INCRBYFLOAT', 'f', 'nan')).toBe(resp.err('ERR value is not a valid float'));
    expect(h.run('INCRBYFLOAT', 'f', 'inf')).toBe(resp.err('ERR increment would produce NaN or Infinity'));
    h.run('SET', 'f', 'x');
    expect(h.run('INCRBYFLOAT', 'f', '1')).toBe(resp.err('ERR value is not a valid float'));
    h.run('SET', 'big', '1e4932');
    expect(h.run('INCRBYFLOAT', 'big', '1e4932')).toBe(resp.err('ERR increment would produce NaN or Infinity'));
    h.db.set('l', new FakeList());
    expect(h.run('INCRBYFLOAT', 'l', 'abc')).toBe(resp.wrongType);
  });
});

describe('APPEND STRLEN GETRANGE SETRANGE', () => {
  test('APPEND creates and extends, keeping the TTL', () => {
    expect(h.run('APPEND', 'k', 'Hello')).toBe(resp.int(5));
    h.run('EXPIRE', 'k', '100');
    expect(h.run('APPEND', 'k', ' World')).toBe(resp.int(11));
    expect(h.run('GET', 'k')).toBe(resp.bulk('Hello World'));
    expect(h.run('TTL', 'k')).toBe(resp.int(100));
    h.db.set('l', new FakeList());
    expect(h.run('APPEND', 'l', 'x')).toBe(resp.wrongType);
  });

  test('APPEND beyond proto-max-bulk-len', () => {
    h.settings.set('proto-max-bulk-len', '10');
    h.run('SET', 'k', '12345');
    expect(h.run('APPEND', 'k', '123456')).toBe(resp.err('ERR string exceeds maximum allowed size (proto-max-bulk-len)'));
  });

  test('STRLEN', () => {
    expect(h.run('STRLEN', 'k')).toBe(resp.int(0));
    h.run('SET', 'k', 'hello');
    expect(h.run('STRLEN', 'k')).toBe(resp.int(5));
    h.db.set('l', new FakeList());
    expect(h.run('STRLEN', 'l')).toBe(resp.wrongType);
  });

  test.each([
    ['0', '3', 'This'],
    ['-3', '-1', 'ing'],
    ['0', '-1', 'This is a string'],
    ['10', '100', 'string'],
    ['5', '3', ''],
    ['-1', '-5', ''],
    ['-100', '2', 'Thi'],
    ['100', '200', ''],
    ['0', '-100', 'T'],
    ['-9223372036854775808', '9223372036854775807', 'This is a string'],
  ])('GETRANGE %s %s', (start, end, expected) => {
    h.run('SET', 'k', 'This is a string');
    expect(h.run('GETRANGE', 'k', start, end)).toBe(resp.bulk(expected));
    expect(h.run('SUBSTR', 'k', start, end)).toBe(resp.bulk(expected));
  });

  test('GETRANGE edge cases', () => {
    expect(h.run('GETRANGE', 'nope', '0', '-1')).toBe(resp.bulk(''));
    h.run('SET', 'e', '');
    expect(h.run('GETRANGE', 'e', '0', '-1')).toBe(resp.bulk(''));
    expect(h.run('GETRANGE', 'k', 'a', '1')).toBe(resp.notInteger);
    h.db.set('l', new FakeList());
    expect(h.run('GETRANGE', 'l', '0', '1')).toBe(resp.wrongType);
  });

  test('SETRANGE', () => {
    h.run('SET', 'k', 'Hello World');
    expect(h.run('SETRANGE', 'k', '6', 'Redis')).toBe(resp.int(11));
    expect(h.run('GET', 'k')).toBe(resp.bulk('Hello Redis'));
    expect(h.run('SETRANGE', 'n', '3', 'ab')).toBe(resp.int(5));
    expect(h.run('GET', 'n')).toBe(resp.bulk('\0\0\0ab'));
    expect(h.run('SETRANGE', 'k', '13', '!')).toBe(resp.int(14));
    expect(h.run('GET', 'k')).toBe(resp.bulk('Hello Redis\0\0!'));
    expect(h.run('SETRANGE', 'k', '0', '')).toBe(resp.int(14));
    expect(h.run('SETRANGE', 'missing', '5', '')).toBe(resp.int(0));
    expect(h.run('EXISTS', 'missing')).toBe(resp.int(0));
    expect(h.run('SETRANGE', 'k', '1', 'EL')).toBe(resp.int(14));
    expect(h.run('GETRANGE', 'k', '0', '4')).toBe(resp.bulk('HELlo'));
  });

  test('SETRANGE errors', () => {
    expect(h.run('SETRANGE', 'k', '-1', 'x')).toBe(resp.err('ERR offset is out of range'));
    expect(h.run('SETRANGE', 'k', 'x', 'x')).toBe(resp.notInteger);
    expect(h.run('SETRANGE', 'k', '536870911', 'xx')).toBe(
      resp.err('ERR string exceeds maximum allowed size (proto-max-bulk-len)'),
    );
    h.db.set('l', new FakeList());
    expect(h.run('SETRANGE', 'l', '0', 'x')).toBe(resp.wrongType);
    expect(h.run('SETRANGE', 'l', '0', '')).toBe(resp.wrongType);
  });
});

describe('LCS', () => {
  beforeEach(() => {
    h.run('MSET', 'key1', 'ohmytext', 'key2', 'mynewtext');
  });

  test('string and LEN', () => {
    expect(h.run('LCS', 'key1', 'key2')).toBe(resp.bulk('mytext'));
    expect(h.run('LCS', 'key1', 'key2', 'LEN')).toBe(resp.int(6));
    expect(h.run('LCS', 'key1', 'nope')).toBe(resp.bulk(''));
  });

  test('IDX, MINMATCHLEN, WITHMATCHLEN', () => {
    const range = (a: number, b: number): string => resp.array(resp.int(a), resp.int(b));
    expect(h.run('LCS', 'key1', 'key2', 'IDX')).toBe(
      '*4\r\n' +
        resp.bulk('matches') +
        resp.array(resp.array(range(4, 7), range(5, 8)), resp.array(range(2, 3), range(0, 1))) +
        resp.bulk('len') +
        resp.int(6),
    );
    expect(h.run('LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN')).toBe(
      '*4\r\n' + resp.bulk('matches') + resp.array(resp.array(range(4, 7), range(5, 8), resp.int(4))) + resp.bulk('len') + resp.int(6),
    );
  });

  test('errors', () => {
    expect(h.run('LCS', 'key1', 'key2', 'LEN', 'IDX')).toBe(
      resp.err('ERR If you want both the length and indexes, please just use IDX.'),
    );
    expect(h.run('LCS', 'key1', 'key2', 'FOO')).toBe(resp.syntax);
    expect(h.run('LCS', 'key1', 'key2', 'MINMATCHLEN')).toBe(resp.syntax);
    expect(h.run('LCS', 'key1', 'key2', 'MINMATCHLEN', 'x')).toBe(resp.notInteger);
    h.db.set('l', new FakeList());
    expect(h.run('LCS', 'key1', 'l')).toBe(resp.err('ERR The specified keys must contain string values'));
  });
});

describe('command table', () => {
  test('every string command is declared with its documented shape', () => {
    const h2 = new Harness();
    expect(h2.run('GET', 'a', 'b')).toBe(resp.err("ERR wrong number of arguments for 'get' command"));
    expect(h2.run('MSET', 'a')).toBe(resp.err("ERR wrong number of arguments for 'mset' command"));
    expect(h2.run('LCS', 'a')).toBe(resp.err("ERR wrong number of arguments for 'lcs' command"));
  });
});
