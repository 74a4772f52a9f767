import { expectSameReplies, oursOnly, useServerPair } from './blackbox';

const servers = useServerPair();

describe('bitmaps against redis-server', () => {
  test('SETBIT GETBIT', async () => {
    await expectSameReplies(servers(), [
      ['SETBIT', 'b:s', '7', '1'],
      ['SETBIT', 'b:s', '7', '1'],
      ['SETBIT', 'b:s', '0', '1'],
      ['SETBIT', 'b:s', '7', '0'],
      ['SETBIT', 'b:s', '20', '1'],
      ['GET', 'b:s'],
      ['GETBIT', 'b:s', '0'],
      ['GETBIT', 'b:s', '20'],
      ['GETBIT', 'b:s', '21'],
      ['GETBIT', 'b:s', '100000'],
      ['GETBIT', 'b:nope', '0'],
      ['SET', 'b:t', 'a', 'EX', '100'],
      ['SETBIT', 'b:t', '100', '1'],
      ['TTL', 'b:t'],
      ['SETBIT', 'b:s', '-1', '1'],
      ['SETBIT', 'b:s', 'x', '1'],
      ['SETBIT', 'b:s', '4294967296', '1'],
      ['GETBIT', 'b:s', '4294967296'],
      ['GETBIT', 'b:s', '-1'],
      ['SETBIT', 'b:s', '0', '2'],
      ['SETBIT', 'b:s', '0', '-1'],
      ['SETBIT', 'b:s', '0', 'x'],
      ['SETBIT', 'b:s', '0'],
    ]);
  });

  test('BITCOUNT', async () => {
    const ranges = [
      [],
      ['0', '0'],
      ['1', '1'],
      ['1', '1', 'BYTE'],
      ['5', '30', 'BIT'],
      ['-1', '-1'],
      ['-2', '-1'],
      ['-1', '-2'],
      ['0', '-100'],
      ['100', '200'],
      ['0', '-1', 'bit'],
      ['-3', '-1', 'BIT'],
      ['-100', '-90', 'BIT'],
      ['0', '1', 'BOB'],
      ['0', '1', 'BIT', 'x'],
      ['a', '1'],
      ['0', 'a'],
    ];
    await expectSameReplies(servers(), [
      ['SET', 'b:c', 'foobar'],
      ...ranges.map((r) => ['BITCOUNT', 'b:c', ...r]),
      ['BITCOUNT', 'b:nope'],
      ['BITCOUNT', 'b:nope', '0', '1'],
    ]);
  });

  test('BITPOS', async () => {
    const cases: Array<[string, string[]]> = [
      ['\xff\xf0\x00', ['0']],
      ['\x00\xff\xf0', ['1', '0']],
      ['\x00\xff\xf0', ['1', '2']],
      ['\x00\x00\x00', ['1']],
      ['\xff\xff\xff', ['0']],
      ['\xff\xff\xff', ['0', '0', '-1']],
      ['\xff\xff\xff', ['0', '0']],
      ['\x00\xff\xf0', ['1', '7', '15', 'BIT']],
      ['\x00\xff\xf0', ['1', '2', '-1', 'bit']],
      ['\xff\x00', ['0', '3', '9', 'BIT']],
      ['\xff\xff', ['0', '3', '9', 'BIT']],
      ['\x0f', ['1', '0', '3', 'BIT']],
      ['\x0f', ['1', '2', '5', 'BIT']],
      ['\x00\x01', ['1', '-1']],
      ['\x00\x01', ['1', '5', '3']],
      ['\xff\xff\xff\xfe', ['0', '1', '-1', 'BYTE']],
      ['\xff\xff\xff\xff', ['0', '-3', '-1', 'BIT']],
      ['\x00\x00\x80', ['1', '-100', '100', 'BIT']],
      ['', ['0']],
      ['', ['1']],
      ['x', ['2']],
      ['x', ['a']],
      ['x', ['1', '0', '1', 'WORD']],
    ];
    const commands: Array<Array<string | Buffer>> = [];
    cases.forEach(([value, args], i) => {
      commands.push(['SET', `b:p${i}`, Buffer.from(value, 'latin1')], ['BITPOS', `b:p${i}`, ...args]);
    });
    commands.push(['BITPOS', 'b:nope', '0'], ['BITPOS', 'b:nope', '1']);
    await expectSameReplies(servers(), commands);
  });

  test('BITOP', async () => {
    const a = Buffer.from([0xff, 0x0f, 0x55]);
    const b = Buffer.from([0x0f]);
    await expectSameReplies(servers(), [
      ['SET', 'b:oa', a],
      ['SET', 'b:ob', b],
      ['SET', 'b:dest', 'x', 'EX', '100'],
      ['BITOP', 'AND', 'b:dest', 'b:oa', 'b:ob'],
      ['GET', 'b:dest'],
      ['TTL', 'b:dest'],
      ['BITOP', 'or', 'b:dest', 'b:oa', 'b:ob'],
      ['GET', 'b:dest'],
      ['BITOP', 'XOR', 'b:dest', 'b:oa', 'b:ob', 'b:oa'],
      ['GET', 'b:dest'],
      ['BITOP', 'NOT', 'b:dest', 'b:oa'],
      ['GET', 'b:dest'],
      ['BITOP', 'AND', 'b:dest', 'b:oa', 'b:nope'],
      ['GET', 'b:dest'],
      ['BITOP', 'OR', 'b:dest', 'b:nope', 'b:nada'],
      ['EXISTS', 'b:dest'],
      ['BITOP', 'NAND', 'b:dest', 'b:oa'],
      ['BITOP', 'NOT', 'b:dest', 'b:oa', 'b:ob'],
      ['BITOP', 'AND', 'b:dest'],
    ]);
  });

  test('BITFIELD and BITFIELD_RO', async () => {
    await expectSameReplies(servers(), [
      ['BITFIELD', 'b:f', 'SET', 'i8', '0', '100', 'GET', 'i8', '0'],
      ['BITFIELD', 'b:f', 'INCRBY', 'i8', '0', '27', 'GET', 'u4', '0'],
      ['BITFIELD', 'b:f', 'INCRBY', 'i8', '0', '1'],
      ['BITFIELD', 'b:f', 'SET', 'u8', '#1', '255', 'GET', 'u16', '0'],
      ['GET', 'b:f'],
      ['BITFIELD', 'b:f', 'GET', 'u8', '100'],
      ['BITFIELD', 'b:nope', 'GET', 'i8', '0'],
      ['BITFIELD', 'b:f'],
      ['BITFIELD', 'b:g', 'SET', 'u2', '0', '5', 'GET', 'u2', '0'],
      ['BITFIELD', 'b:g', 'OVERFLOW', 'SAT', 'INCRBY', 'u2', '0', '10', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '1', 'OVERFLOW', 'WRAP', 'INCRBY', 'u2', '0', '1'],
      ['BITFIELD', 'b:g', 'OVERFLOW', 'SAT', 'INCRBY', 'i4', '8', '-100', 'INCRBY', 'i4', '8', '100'],
      ['BITFIELD', 'b:g', 'OVERFLOW', 'FAIL', 'SET', 'i4', '8', '8', 'SET', 'u3', '8', '-1'],
      ['BITFIELD', 'b:g', 'SET', 'u3', '8', '-1', 'GET', 'u3', '8'],
      ['BITFIELD', 'b:g', 'SET', 'i3', '8', '5', 'GET', 'i3', '8'],
      ['BITFIELD', 'b:g', 'overflow', 'sat', 'SET', 'i3', '8', '-100', 'SET', 'u5', '3', '1000', 'GET', 'u8', '0'],
      ['BITFIELD', 'b:h', 'SET', 'i64', '0', '9223372036854775807', 'GET', 'i64', '0', 'GET', 'u63', '0'],
      ['BITFIELD', 'b:h', 'INCRBY', 'i64', '0', '1'],
      ['BITFIELD', 'b:h', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', '0', '-1'],
      ['BITFIELD', 'b:h', 'OVERFLOW', 'SAT', 'INCRBY', 'u63', '64', '-5', 'INCRBY', 'u63', '64', '9223372036854775807'],
      ['BITFIELD', 'b:h', 'OVERFLOW', 'WRAP', 'INCRBY', 'u63', '64', '9223372036854775807', 'INCRBY', 'i64', '0', '-9223372036854775808'],
      ['BITFIELD', 'b:h', 'INCRBY', 'i7', '3', '-1000', 'INCRBY', 'u7', '5', '1000', 'GET', 'i12', '#3'],
      ['BITFIELD', 'b:h', 'OVERFLOW', 'SAT', 'SET', 'u63', '0', '-1', 'SET', 'i64', '#2', '-9223372036854775808'],
      ['GET', 'b:h'],
      ['BITFIELD', 'b:e', 'GET', 'u64', '0'],
      ['BITFIELD', 'b:e', 'GET', 'i65', '0'],
      ['BITFIELD', 'b:e', 'GET', 'i0', '0'],
      ['BITFIELD', 'b:e', 'GET', 'x8', '0'],
      ['BITFIELD', 'b:e', 'GET', 'I8', '0'],
      ['BITFIELD', 'b:e', 'GET', 'i8', '-1'],
      ['BITFIELD', 'b:e', 'GET', 'i8', '#-1'],
      ['BITFIELD', 'b:e', 'GET', 'i8', 'x'],
      ['BITFIELD', 'b:e', 'GET', 'i8', '4294967296'],
      ['BITFIELD', 'b:e', 'SET', 'i8', '0', 'x'],
      ['BITFIELD', 'b:e', 'GET', 'i8'],
      ['BITFIELD', 'b:e', 'FOO', 'i8', '0'],
      ['BITFIELD', 'b:e', 'OVERFLOW', 'MAYBE'],
      ['BITFIELD', 'b:e', 'OVERFLOW'],
      ['EXISTS', 'b:e'],
      ['SET', 'b:ro', Buffer.from([0x10])],
      ['BITFIELD_RO', 'b:ro', 'GET', 'u4', '0'],
      ['BITFIELD_RO', 'b:ro', 'SET', 'u4', '0', '1'],
      ['BITFIELD_RO', 'b:ro', 'INCRBY', 'u4', '0', '1'],
      ['BITFIELD_RO', 'b:ro', 'GET', 'u4', '0', 'OVERFLOW', 'SAT'],
    ]);
  });
});

describe('Valkey 8 behaviour that redis-server 7.0 lacks: hand-written expectations', () => {
  test('BITCOUNT key start (end defaults to the last byte)', async () => {
    expect(
      await oursOnly(servers(), [
        ['SET', 'b:v', 'foobar'],
        ['BITCOUNT', 'b:v', '1'],
        ['BITCOUNT', 'b:v', '-1'],
      ]),
    ).toEqual(['+OK\r\n', ':22\r\n', ':4\r\n']);
  });
});
