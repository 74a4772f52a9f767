import { FakeList, Harness, resp } from './command-harness';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});

const offsetError = resp.err('ERR bit offset is not an integer or out of range');
const bitError = resp.err('ERR bit is not an integer or out of range');
const typeError = resp.err(
  'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
);

describe('SETBIT / GETBIT', () => {
  test('sets bits MSB first and grows the string', () => {
    expect(h.run('SETBIT', 'k', '7', '1')).toBe(resp.int(0));
    expect(h.run('GET', 'k')).toBe(resp.bulk('\x01'));
    expect(h.run('SETBIT', 'k', '7', '1')).toBe(resp.int(1));
    expect(h.run('SETBIT', 'k', '0', '1')).toBe(resp.int(0));
    expect(h.run('GET', 'k')).toBe(resp.bulk('\x81'));
    expect(h.run('SETBIT', 'k', '7', '0')).toBe(resp.int(1));
    expect(h.run('SETBIT', 'k', '20', '1')).toBe(resp.int(0));
    expect(h.run('GET', 'k')).toBe(resp.bulk('\x80\x00\x08'));
    expect(h.run('GETBIT', 'k', '0')).toBe(resp.int(1));
    expect(h.run('GETBIT', 'k', '20')).toBe(resp.int(1));
    expect(h.run('GETBIT', 'k', '21')).toBe(resp.int(0));
    expect(h.run('GETBIT', 'k', '1000')).toBe(resp.int(0));
    expect(h.run('GETBIT', 'nope', '0')).toBe(resp.int(0));
  });

  test('keeps the TTL', () => {
    h.run('SET', 'k', 'a', 'EX', '100');
    h.run('SETBIT', 'k', '100', '1');
    expect(h.run('TTL', 'k')).toBe(resp.int(100));
  });

  test('errors', () => {
    expect(h.run('SETBIT', 'k', '-1', '1')).toBe(offsetError);
    expect(h.run('SETBIT', 'k', 'x', '1')).toBe(offsetError);
    expect(h.run('SETBIT', 'k', '4294967296', '1')).toBe(offsetError);
    expect(h.run('GETBIT', 'k', '4294967296')).toBe(offsetError);
    expect(h.run('SETBIT', 'k', '0', '2')).toBe(bitError);
    expect(h.run('SETBIT', 'k', '0', '-1')).toBe(bitError);
    expect(h.run('SETBIT', 'k', '0', 'x')).toBe(bitError);
    h.db.set('l', new FakeList());
    expect(h.run('SETBIT', 'l', '0', '1')).toBe(resp.wrongType);
    expect(h.run('GETBIT', 'l', '0')).toBe(resp.wrongType);
  });
});

describe('BITCOUNT', () => {
  beforeEach(() => {
    h.run('SET', 'k', 'foobar');
  });

  test.each([
    [[], 26],
    [['0', '0'], 4],
    [['1', '1'], 6],
    [['1', '1', 'BYTE'], 6],
    [['5', '30', 'BIT'], 17],
    [['-1', '-1'], 4],
    [['-2', '-1'], 7],
    [['-1', '-2'], 0],
    [['0', '-100'], 4],
    [['100', '200'], 0],
    [['0', '-1', 'bit'], 26],
    [['-3', '-1', 'BIT'], 1],
    [['1'], 22],
  ])('BITCOUNT foobar %j = %d', (range, count) => {
    expect(h.run('BITCOUNT', 'k', ...range)).toBe(resp.int(count));
  });

  test('missing key, errors', () => {
    expect(h.run('BITCOUNT', 'nope')).toBe(resp.int(0));
    expect(h.run('BITCOUNT', 'nope', '0', '1')).toBe(resp.int(0));
    expect(h.run('BITCOUNT', 'k', '0', '1', 'BOB')).toBe(resp.syntax);
    expect(h.run('BITCOUNT', 'k', '0', '1', 'BIT', 'x')).toBe(resp.syntax);
    expect(h.run('BITCOUNT', 'k', 'a', '1')).toBe(resp.notInteger);
    h.db.set('l', new FakeList());
    expect(h.run('BITCOUNT', 'l')).toBe(resp.wrongType);
  });
});

describe('BITPOS', () => {
  test.each([
    ['\xff\xf0\x00', ['0'], 12],
    ['\x00\xff\xf0', ['1', '0'], 8],
    ['\x00\xff\xf0', ['1', '2'], 16],
    ['\x00\x00\x00', ['1'], -1],
    ['\xff\xff\xff', ['0'], 24],
    ['\xff\xff\xff', ['0', '0', '-1'], -1],
    ['\xff\xff\xff', ['0', '0'], 24],
    ['\x00\xff\xf0', ['1', '7', '15', 'BIT'], 8],
    ['\x00\xff\xf0', ['1', '2', '-1', 'bit'], 8],
    ['\xff\x00', ['0', '3', '9', 'BIT'], 8],
    ['\xff\xff', ['0', '3', '9', 'BIT'], -1],
    ['\x0f', ['1', '0', '3', 'BIT'], -1],
    ['\x0f', ['1', '2', '5', 'BIT'], 4],
    ['\x00\x01', ['1', '-1'], 15],
    ['\x00\x01', ['1', '5', '3'], -1],
    ['', ['0'], -1],
    ['', ['1'], -1],
  ])('BITPOS %j %j = %d', (value, args, pos) => {
    h.run('SET', 'k', value);
    expect(h.run('BITPOS', 'k', ...args)).toBe(resp.int(pos));
  });

  test('missing key and errors', () => {
    expect(h.run('BITPOS', 'nope', '0')).toBe(resp.int(0));
    expect(h.run('BITPOS', 'nope', '1')).toBe(resp.int(-1));
    expect(h.run('BITPOS', 'nope', '2')).toBe(resp.err('ERR The bit argument must be 1 or 0.'));
    expect(h.run('BITPOS', 'nope', 'x')).toBe(resp.notInteger);
    expect(h.run('BITPOS', 'nope', '1', '0', '1', 'WORD')).toBe(resp.syntax);
    expect(h.run('BITPOS', 'nope', '1', '0', '1', 'BIT', 'x')).toBe(resp.syntax);
    h.db.set('l', new FakeList());
    expect(h.run('BITPOS', 'l', '1')).toBe(resp.wrongType);
  });
});

describe('BITOP', () => {
  beforeEach(() => {
    h.run('SET', 'a', '\xff\x0f');
    h.run('SET', 'b', '\x0f');
  });

  test.each([
    ['AND', ['a', 'b'], '\x0f\x00'],
    ['or', ['a', 'b'], '\xff\x0f'],
    ['XOR', ['a', 'b'], '\xf0\x0f'],
    ['NOT', ['a'], '\x00\xf0'],
    ['AND', ['a', 'nope'], '\x00\x00'],
    ['OR', ['a', 'b', 'a'], '\xff\x0f'],
  ])('%s %j', (op, sources, result) => {
    h.run('SET', 'dest', 'x', 'EX', '100');
    expect(h.run('BITOP', op, 'dest', ...sources)).toBe(resp.int(result.length));
    expect(h.run('GET', 'dest')).toBe(resp.bulk(result));
    expect(h.run('TTL', 'dest')).toBe(resp.int(-1));
  });

  test('empty inputs delete the destination', () => {
    h.run('SET', 'dest', 'x');
    expect(h.run('BITOP', 'OR', 'dest', 'nope', 'nada')).toBe(resp.int(0));
    expect(h.run('EXISTS', 'dest')).toBe(resp.int(0));
  });

  test('errors', () => {
    expect(h.run('BITOP', 'NAND', 'dest', 'a')).toBe(resp.syntax);
    expect(h.run('BITOP', 'NOT', 'dest', 'a', 'b')).toBe(resp.err('ERR BITOP NOT must be called with a single source key.'));
    h.db.set('l', new FakeList());
    expect(h.run('BITOP', 'AND', 'dest', 'a', 'l')).toBe(resp.wrongType);
  });
});

describe('BITFIELD', () => {
  test('GET SET INCRBY with signed and unsigned types', () => {
    expect(h.run('BITFIELD', 'k', 'SET', 'i8', '0', '100', 'GET', 'i8', '0')).toBe(resp.array(resp.int(0), resp.int(100)));
    expect(h.run('BITFIELD', 'k', 'INCRBY', 'i8', '0', '27', 'GET', 'u4', '0')).toBe(resp.array(resp.int(127), resp.int(7)));
    expect(h.run('BITFIELD', 'k', 'INCRBY', 'i8', '0', '1')).toBe(resp.array(resp.int(-128)));
    expect(h.run('BITFIELD', 'k', 'SET', 'u8', '#1', '255', 'GET', 'u16', '0')).toBe(resp.array(resp.int(0), resp.int(33023)));
    expect(h.run('GET', 'k')).toBe(resp.bulk('\x80\xff'));
    expect(h.run('BITFIELD', 'k', 'GET', 'u8', '100')).toBe(resp.array(resp.int(0)));
    expect(h.run('BITFIELD', 'nope', 'GET', 'i8', '0')).toBe(resp.array(resp.int(0)));
    expect(h.run('BITFIELD', 'k')).toBe('*0\r\n');
  });

  test('overflow WRAP SAT FAIL', () => {
    expect(h.run('BITFIELD', 'k', 'SET', 'u2', '0', '5')).toBe(resp.array(resp.int(0)));
    expect(h.run('BITFIELD', 'k', 'GET', 'u2', '0')).toBe(resp.array(resp.int(1)));
    expect(
      h.run('BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'u2', '0', '10', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '1', 'OVERFLOW', 'WRAP', 'INCRBY', 'u2', '0', '1'),
    ).toBe(resp.array(resp.int(3), resp.nil, resp.int(0)));
    expect(h.run('BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'i4', '8', '-100', 'INCRBY', 'i4', '8', '100')).toBe(
      resp.array(resp.int(-8), resp.int(7)),
    );
    expect(h.run('BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'SET', 'i4', '8', '8', 'SET', 'u3', '8', '-1')).toBe(
      resp.array(resp.nil, resp.nil),
    );
    expect(h.run('BITFIELD', 'k', 'SET', 'u3', '8', '-1', 'GET', 'u3', '8')).toBe(resp.array(resp.int(3), resp.int(7)));
    expect(h.run('BITFIELD', 'k', 'SET', 'i3', '8', '5', 'GET', 'i3', '8')).toBe(resp.array(resp.int(-1), resp.int(-3)));
  });

  test('64-bit edges', () => {
    expect(h.run('BITFIELD', 'k', 'SET', 'i64', '0', '9223372036854775807', 'GET', 'i64', '0', 'GET', 'u63', '0')).toBe(
      resp.array(resp.int(0), resp.int('9223372036854775807'), resp.int('4611686018427387903')),
    );
    expect(h.run('BITFIELD', 'k', 'INCRBY', 'i64', '0', '1')).toBe(resp.array(resp.int('-9223372036854775808')));
    expect(h.run('BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', '0', '-1')).toBe(
      resp.array(resp.int('-9223372036854775808')),
    );
    expect(h.run('BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'u63', '64', '-5', 'INCRBY', 'u63', '64', '9223372036854775807')).toBe(
      resp.array(resp.int(0), resp.int('9223372036854775807')),
    );
  });

  test('errors', () => {
    expect(h.run('BITFIELD', 'k', 'GET', 'u64', '0')).toBe(typeError);
    expect(h.run('BITFIELD', 'k', 'GET', 'i65', '0')).toBe(typeError);
    expect(h.run('BITFIELD', 'k', 'GET', 'i0', '0')).toBe(typeError);
    expect(h.run('BITFIELD', 'k', 'GET', 'x8', '0')).toBe(typeError);
    expect(h.run('BITFIELD', 'k', 'GET', 'I8', '0')).toBe(typeError);
    expect(h.run('BITFIELD', 'k', 'GET', 'i8', '-1')).toBe(offsetError);
    expect(h.run('BITFIELD', 'k', 'GET', 'i8', '#-1')).toBe(offsetError);
    expect(h.run('BITFIELD', 'k', 'GET', 'i8', 'x')).toBe(offsetError);
    expect(h.run('BITFIELD', 'k', 'SET', 'i8', '0', 'x')).toBe(resp.notInteger);
    expect(h.run('BITFIELD', 'k', 'GET', 'i8')).toBe(resp.syntax);
    expect(h.run('BITFIELD', 'k', 'FOO', 'i8', '0')).toBe(resp.syntax);
    expect(h.run('BITFIELD', 'k', 'OVERFLOW', 'MAYBE')).toBe(resp.err('ERR Invalid OVERFLOW type specified'));
    expect(h.run('EXISTS', 'k')).toBe(resp.int(0));
    h.db.set('l', new FakeList());
    expect(h.run('BITFIELD', 'l', 'GET', 'i8', '0')).toBe(resp.wrongType);
    expect(h.run('BITFIELD', 'l', 'SET', 'i8', '0', '1')).toBe(resp.wrongType);
  });

  test('BITFIELD_RO allows only GET', () => {
    h.run('SET', 'k', '\x10');
    expect(h.run('BITFIELD_RO', 'k', 'GET', 'u4', '0')).toBe(resp.array(resp.int(1)));
    expect(h.run('BITFIELD_RO', 'k', 'SET', 'u4', '0', '1')).toBe(
      resp.err('ERR BITFIELD_RO only supports the GET subcommand'),
    );
    expect(h.run('BITFIELD_RO', 'k', 'INCRBY', 'u4', '0', '1')).toBe(
      resp.err('ERR BITFIELD_RO only supports the GET subcommand'),
    );
  });
});
