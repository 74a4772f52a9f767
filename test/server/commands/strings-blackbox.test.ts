import { expectSameReplies, oursOnly, useServerPair } from './blackbox';

const servers = useServerPair();
const farFuture = String(Math.floor(Date.now() / 1000) + 100000);

describe('strings against redis-server', () => {
  test('GET SET and options', async () => {
    await expectSameReplies(servers(), [
      ['GET', 's:a'],
      ['SET', 's:a', 'v'],
      ['GET', 's:a'],
      ['SET', 's:a', Buffer.from([0, 255, 13, 10])],
      ['GET', 's:a'],
      ['SET', 's:a', 'v2', 'XX'],
      ['SET', 's:b', 'v', 'XX'],
      ['SET', 's:a', 'v3', 'NX'],
      ['SET', 's:a', 'v3', 'NX', 'GET'],
      ['SET', 's:a', 'v4', 'GET'],
      ['SET', 's:new', 'v4', 'GET'],
      ['SET', 's:a', 'v', 'EX', '100'],
      ['TTL', 's:a'],
      ['SET', 's:a', 'v', 'PX', '100000'],
      ['TTL', 's:a'],
      ['SET', 's:a', 'v', 'EXAT', farFuture],
      ['EXPIRETIME', 's:a'],
      ['SET', 's:a', 'v', 'PXAT', `${farFuture}000`],
      ['PEXPIRETIME', 's:a'],
      ['SET', 's:a', 'v5', 'KEEPTTL'],
      ['EXPIRETIME', 's:a'],
      ['SET', 's:a', 'v6'],
      ['TTL', 's:a'],
      ['SET', 's:a', 'v', 'EX', '10', 'EX', '20'],
      ['TTL', 's:a'],
      ['SET', 's:a', 'v', 'PXAT', '1'],
      ['EXISTS', 's:a'],
      ['SET', 's:a', 'v', 'PXAT', '9223372036854775807'],
      ['EXISTS', 's:a'],
    ]);
  });

  test('SET errors', async () => {
    const bad = [
      ['NX', 'XX'],
      ['EX', '10', 'PX', '10'],
      ['EX', '10', 'KEEPTTL'],
      ['KEEPTTL', 'PXAT', '10'],
      ['EX'],
      ['FOO'],
      ['EX', '0'],
      ['EX', '-1'],
      ['PX', '0'],
      ['EXAT', '0'],
      ['EX', '9223372036854776'],
      ['EX', '9223372036854775'],
      ['PX', '9223372036854775807'],
      ['EX', '1.5'],
      ['EX', ' 1'],
      ['PX', '+1'],
    ];
    await expectSameReplies(servers(), [...bad.map((opts) => ['SET', 's:e', 'v', ...opts]), ['SET', 's:e'], ['GET']]);
  });

  test('SETNX SETEX PSETEX GETSET GETDEL GETEX', async () => {
    await expectSameReplies(servers(), [
      ['SETNX', 's:n', 'a'],
      ['SETNX', 's:n', 'b'],
      ['GET', 's:n'],
      ['SETEX', 's:n', '100', 'v'],
      ['TTL', 's:n'],
      ['PSETEX', 's:n', '100000', 'v'],
      ['TTL', 's:n'],
      ['SETEX', 's:n', '0', 'v'],
      ['PSETEX', 's:n', '-5', 'v'],
      ['SETEX', 's:n', 'x', 'v'],
      ['SETEX', 's:n', '9223372036854776', 'v'],
      ['GETSET', 's:n', 'w'],
      ['TTL', 's:n'],
      ['GETSET', 's:none', 'w'],
      ['GETDEL', 's:n'],
      ['GETDEL', 's:n'],
      ['GETEX', 's:none'],
      ['SET', 's:x', 'v'],
      ['GETEX', 's:x', 'EX', '100'],
      ['TTL', 's:x'],
      ['GETEX', 's:x', 'PERSIST'],
      ['TTL', 's:x'],
      ['GETEX', 's:x', 'EXAT', farFuture],
      ['EXPIRETIME', 's:x'],
      ['GETEX', 's:x'],
      ['EXPIRETIME', 's:x'],
      ['GETEX', 's:x', 'EX', '10', 'PX', '10'],
      ['GETEX', 's:x', 'PERSIST', 'EX', '10'],
      ['GETEX', 's:x', 'KEEPTTL'],
      ['GETEX', 's:x', 'GET'],
      ['GETEX', 's:x', 'EX', '0'],
      ['GETEX', 's:x', 'PX', 'abc'],
      ['GETEX', 's:x', 'PXAT', '1'],
      ['EXISTS', 's:x'],
    ]);
  });

  test('MGET MSET MSETNX', async () => {
    await expectSameReplies(servers(), [
      ['MSET', 's:m1', '1', 's:m2', '2'],
      ['MGET', 's:m1', 's:nope', 's:m2'],
      ['MSET', 's:m1', '1', 's:m2'],
      ['MSETNX', 's:m3', '3', 's:m1', '9'],
      ['EXISTS', 's:m3'],
      ['MSETNX', 's:m3', '3', 's:m4', '4'],
      ['MSETNX', 's:m5', '1', 's:m5', '2'],
      ['GET', 's:m5'],
      ['MSETNX', 's:m6'],
    ]);
  });

  test('INCR DECR INCRBY DECRBY at the int64 edges', async () => {
    await expectSameReplies(servers(), [
      ['INCR', 's:c'],
      ['INCRBY', 's:c', '41'],
      ['DECR', 's:c'],
      ['DECRBY', 's:c', '-10'],
      ['SET', 's:c', '9223372036854775806'],
      ['INCR', 's:c'],
      ['INCR', 's:c'],
      ['GET', 's:c'],
      ['SET', 's:c', '-9223372036854775807'],
      ['DECR', 's:c'],
      ['DECR', 's:c'],
      ['DECRBY', 's:c', '-9223372036854775808'],
      ['SET', 's:c', '0'],
      ['DECRBY', 's:c', '-9223372036854775808'],
      ['INCRBY', 's:c', '-9223372036854775808'],
      ['SET', 's:c', '9007199254740991'],
      ['INCRBY', 's:c', '9007199254740991'],
      ['INCRBY', 's:c', '9223372036854775808'],
      ['INCRBY', 's:c', '1.5'],
      ['SET', 's:c', ' 1'],
      ['INCR', 's:c'],
      ['SET', 's:c', '01'],
      ['INCR', 's:c'],
      ['SET', 's:c', '+1'],
      ['INCR', 's:c'],
      ['SET', 's:c', '-0'],
      ['INCR', 's:c'],
      ['SET', 's:c', ''],
      ['INCR', 's:c'],
    ]);
  });

  test('INCRBYFLOAT formatting and errors', async () => {
    const cases: Array<[string, string]> = [
      ['10.5', '0.1'],
      ['3.0e3', '5.0e3'],
      ['0.1', '0.2'],
      ['1', '-1'],
      ['-0', '-0'],
      ['5', '-10.25'],
      ['0', '1e20'],
      ['0', '0x10'],
      ['0', '0x1p-2'],
      ['0', '1.'],
      ['0', '.5'],
      ['0', '1e-20'],
      ['0', '1e-17'],
      ['0', '5e-18'],
      ['0', '1.23456789012345678901234'],
      ['1e300', '1'],
      ['3.14159', '2.71828'],
      ['-1.5', '0.25'],
      ['0', '123456789.987654321'],
      ['1e4932', '1e4932'],
      ['1e4932', '1'],
      ['0', 'inf'],
      ['0', '-inf'],
      ['0', 'nan'],
      ['0', 'abc'],
      ['0', ' 1'],
      ['0', '1 '],
      ['0', '1e5000'],
      ['0', '1e-5000'],
      ['0', '4.9e-4951'],
      ['abc', '1'],
      ['17179869184', '1.5'],
      ['0', '1e'],
      ['0', '0x'],
      ['0', '+1.5'],
      ['0', 'Infinity'],
      ['0', '1_0'],
    ];
    const commands: string[][] = [];
    cases.forEach(([start, by], i) => {
      commands.push(['SET', `s:f${i}`, start], ['INCRBYFLOAT', `s:f${i}`, by], ['GET', `s:f${i}`]);
    });
    commands.push(['INCRBYFLOAT', 's:fnew', '2.5'], ['INCRBYFLOAT', 's:fnew', '-2.5']);
    await expectSameReplies(servers(), commands);
  });

  test('APPEND STRLEN GETRANGE SUBSTR SETRANGE', async () => {
    const ranges = [
      ['0', '3'],
      ['-3', '-1'],
      ['0', '-1'],
      ['10', '100'],
      ['5', '3'],
      ['-1', '-5'],
      ['-100', '2'],
      ['100', '200'],
      ['0', '-100'],
      ['-9223372036854775808', '9223372036854775807'],
      ['a', '1'],
    ];
    await expectSameReplies(servers(), [
      ['APPEND', 's:r', 'This is '],
      ['APPEND', 's:r', 'a string'],
      ['STRLEN', 's:r'],
      ['STRLEN', 's:nope'],
      ...ranges.map((r) => ['GETRANGE', 's:r', ...r]),
      ...ranges.map((r) => ['SUBSTR', 's:r', ...r]),
      ['GETRANGE', 's:nope', '0', '-1'],
      ['SET', 's:empty', ''],
      ['GETRANGE', 's:empty', '0', '-1'],
      ['SETRANGE', 's:r', '5', 'IS'],
      ['GET', 's:r'],
      ['SETRANGE', 's:r', '20', '!'],
      ['GET', 's:r'],
      ['SETRANGE', 's:r', '0', ''],
      ['SETRANGE', 's:w', '3', 'ab'],
      ['GET', 's:w'],
      ['SETRANGE', 's:w2', '3', ''],
      ['EXISTS', 's:w2'],
      ['SETRANGE', 's:r', '-1', 'x'],
      ['SETRANGE', 's:r', 'x', 'x'],
      ['SETRANGE', 's:r', '536870911', 'xx'],
      ['SETRANGE', 's:r', '536870912', ''],
    ]);
  });

  test('LCS', async () => {
    await expectSameReplies(servers(), [
      ['MSET', 's:l1', 'ohmytext', 's:l2', 'mynewtext', 's:l3', 'abcabcabc', 's:l4', 'cbacba'],
      ['LCS', 's:l1', 's:l2'],
      ['LCS', 's:l1', 's:l2', 'LEN'],
      ['LCS', 's:l1', 's:l2', 'IDX'],
      ['LCS', 's:l1', 's:l2', 'IDX', 'WITHMATCHLEN'],
      ['LCS', 's:l1', 's:l2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'],
      ['LCS', 's:l1', 's:l2', 'IDX', 'MINMATCHLEN', '-4'],
      ['LCS', 's:l3', 's:l4', 'IDX', 'WITHMATCHLEN'],
      ['LCS', 's:l3', 's:l4'],
      ['LCS', 's:l1', 's:nope'],
      ['LCS', 's:nope', 's:nope', 'IDX'],
      ['LCS', 's:l1', 's:l2', 'LEN', 'IDX'],
      ['LCS', 's:l1', 's:l2', 'FOO'],
      ['LCS', 's:l1', 's:l2', 'MINMATCHLEN'],
      ['LCS', 's:l1', 's:l2', 'MINMATCHLEN', 'x'],
    ]);
  });

  test('arity errors', async () => {
    await expectSameReplies(servers(), [
      ['GET', 'a', 'b'],
      ['SETNX', 'a'],
      ['GETDEL'],
      ['INCRBYFLOAT', 'a'],
      ['APPEND', 'a'],
      ['LCS', 'a'],
      ['MGET'],
    ]);
  });
});

describe('Valkey-only behaviour (redis-server 7.0 lacks it): hand-written expectations', () => {
  test('SET IFEQ', async () => {
    expect(
      await oursOnly(servers(), [
        ['SET', 's:q', 'v1'],
        ['SET', 's:q', 'v2', 'IFEQ', 'nope'],
        ['GET', 's:q'],
        ['SET', 's:q', 'v2', 'IFEQ', 'v1'],
        ['GET', 's:q'],
        ['SET', 's:q', 'v3', 'IFEQ', 'nope', 'GET'],
        ['SET', 's:qnone', 'v', 'IFEQ', 'v'],
        ['EXISTS', 's:qnone'],
        ['SET', 's:q', 'v', 'IFEQ', 'v2', 'NX'],
      ]),
    ).toEqual(['+OK\r\n', '$-1\r\n', '$2\r\nv1\r\n', '+OK\r\n', '$2\r\nv2\r\n', '$2\r\nv2\r\n', '$-1\r\n', ':0\r\n', '-ERR syntax error\r\n']);
  });
});
