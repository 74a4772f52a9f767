/**
 * Lists against redis-server 7.0, byte for byte. OBJECT ENCODING is left out: Redis 7.0 answers
 * `quicklist` for every list, Redis 7.2 / Valkey 8 (and we) `listpack` for small ones.
 */
import { expectSameReplies, oursOnly, useServerPair } from './blackbox';

const servers = useServerPair();

const big = 'x'.repeat(9000);
const mid = 'm'.repeat(200);

describe('lists against redis-server', () => {
  test('push, pop, length and the RESP2 null shapes', async () => {
    await expectSameReplies(servers(), [
      ['LPUSH', 'l:a', 'a', 'b', 'c'],
      ['RPUSH', 'l:a', 'd', Buffer.from([0, 255, 13, 10])],
      ['LRANGE', 'l:a', '0', '-1'],
      ['LLEN', 'l:a'],
      ['LLEN', 'l:none'],
      ['LPUSHX', 'l:none', 'a'],
      ['RPUSHX', 'l:none', 'a'],
      ['EXISTS', 'l:none'],
      ['LPUSHX', 'l:a', 'x', 'y'],
      ['RPUSHX', 'l:a', 'z'],
      ['LPOP', 'l:a'],
      ['RPOP', 'l:a'],
      ['LPOP', 'l:a', '2'],
      ['RPOP', 'l:a', '2'],
      ['LPOP', 'l:a', '0'],
      ['LPOP', 'l:a', '100'],
      ['EXISTS', 'l:a'],
      ['LPOP', 'l:a'],
      ['RPOP', 'l:a'],
      ['LPOP', 'l:a', '0'],
      ['LPOP', 'l:a', '2'],
      ['RPOP', 'l:a', '2'],
      ['LPOP', 'l:a', '-1'],
      ['LPOP', 'l:a', 'x'],
      ['LPOP', 'l:a', '1', '2'],
      ['RPOP', 'l:a', '1', '2'],
      ['LPUSH', 'l:a'],
      ['SET', 'l:s', 'v'],
      ['LPUSH', 'l:s', 'a'],
      ['RPUSHX', 'l:s', 'a'],
      ['LPOP', 'l:s'],
      ['LPOP', 'l:s', '0'],
      ['LLEN', 'l:s'],
      ['TYPE', 'l:a'],
    ]);
  });

  test('LINDEX LSET LRANGE LTRIM', async () => {
    await expectSameReplies(servers(), [
      ['RPUSH', 'l:i', '1', '2', '3', '4', '5', '6', '7'],
      ['LINDEX', 'l:i', '0'],
      ['LINDEX', 'l:i', '-1'],
      ['LINDEX', 'l:i', '6'],
      ['LINDEX', 'l:i', '7'],
      ['LINDEX', 'l:i', '-8'],
      ['LINDEX', 'l:i', 'x'],
      ['LINDEX', 'l:none', 'x'],
      ['LINDEX', 'l:none', '0'],
      ['LSET', 'l:i', '0', 'a'],
      ['LSET', 'l:i', '-1', 'z'],
      ['LSET', 'l:i', '7', 'z'],
      ['LSET', 'l:i', '-8', 'z'],
      ['LSET', 'l:i', 'x', 'z'],
      ['LSET', 'l:none', '0', 'z'],
      ['LSET', 'l:none', 'x', 'z'],
      ['LRANGE', 'l:i', '0', '-1'],
      ['LRANGE', 'l:i', '-3', '-1'],
      ['LRANGE', 'l:i', '-100', '2'],
      ['LRANGE', 'l:i', '5', '100'],
      ['LRANGE', 'l:i', '4', '2'],
      ['LRANGE', 'l:i', '7', '10'],
      ['LRANGE', 'l:i', 'a', '1'],
      ['LRANGE', 'l:i', '1', '9223372036854775808'],
      ['LRANGE', 'l:none', '0', '-1'],
      ['LTRIM', 'l:i', '1', '-2'],
      ['LRANGE', 'l:i', '0', '-1'],
      ['LTRIM', 'l:i', '-2', '100'],
      ['LRANGE', 'l:i', '0', '-1'],
      ['LTRIM', 'l:i', 'x', '1'],
      ['LTRIM', 'l:none', '0', '1'],
      ['LTRIM', 'l:i', '5', '1'],
      ['EXISTS', 'l:i'],
      ['SET', 'l:s', 'v'],
      ['LINDEX', 'l:s', '0'],
      ['LINDEX', 'l:s', 'x'],
      ['LSET', 'l:s', '0', 'v'],
      ['LRANGE', 'l:s', '0', '1'],
      ['LRANGE', 'l:s', 'x', '1'],
      ['LTRIM', 'l:s', '0', '1'],
    ]);
  });

  test('LREM LINSERT LPOS', async () => {
    await expectSameReplies(servers(), [
      ['RPUSH', 'l:r', 'a', 'b', 'a', 'c', 'a', 'b', 'a'],
      ['LREM', 'l:r', '2', 'a'],
      ['LRANGE', 'l:r', '0', '-1'],
      ['LREM', 'l:r', '-1', 'a'],
      ['LRANGE', 'l:r', '0', '-1'],
      ['LREM', 'l:r', '0', 'b'],
      ['LRANGE', 'l:r', '0', '-1'],
      ['LREM', 'l:r', '0', 'nothing'],
      ['LREM', 'l:r', 'x', 'a'],
      ['LREM', 'l:none', '1', 'a'],
      ['LREM', 'l:r', '0', 'a'],
      ['LREM', 'l:r', '0', 'c'],
      ['EXISTS', 'l:r'],
      ['RPUSH', 'l:n', 'a', 'b', 'c'],
      ['LINSERT', 'l:n', 'BEFORE', 'b', 'x'],
      ['LINSERT', 'l:n', 'after', 'c', 'y'],
      ['LINSERT', 'l:n', 'AFTER', 'nothing', 'y'],
      ['LINSERT', 'l:n', 'MIDDLE', 'b', 'y'],
      ['LINSERT', 'l:none', 'BEFORE', 'b', 'y'],
      ['LINSERT', 'l:none', 'MIDDLE', 'b', 'y'],
      ['LRANGE', 'l:n', '0', '-1'],
      ['RPUSH', 'l:p', 'a', 'b', 'c', '1', '2', '3', 'c', 'c'],
      ['LPOS', 'l:p', 'c'],
      ['LPOS', 'l:p', 'c', 'RANK', '2'],
      ['LPOS', 'l:p', 'c', 'RANK', '-1'],
      ['LPOS', 'l:p', 'c', 'RANK', '-3'],
      ['LPOS', 'l:p', 'c', 'RANK', '4'],
      ['LPOS', 'l:p', 'c', 'COUNT', '0'],
      ['LPOS', 'l:p', 'c', 'COUNT', '2'],
      ['LPOS', 'l:p', 'c', 'COUNT', '2', 'RANK', '-1'],
      ['LPOS', 'l:p', 'c', 'COUNT', '0', 'MAXLEN', '4'],
      ['LPOS', 'l:p', 'c', 'MAXLEN', '2'],
      ['LPOS', 'l:p', 'x', 'COUNT', '3'],
      ['LPOS', 'l:p', 'x'],
      ['LPOS', 'l:none', 'x'],
      ['LPOS', 'l:none', 'x', 'COUNT', '1'],
      ['LPOS', 'l:p', 'c', 'RANK', '0'],
      ['LPOS', 'l:p', 'c', 'RANK', 'x'],
      ['LPOS', 'l:p', 'c', 'COUNT', '-1'],
      ['LPOS', 'l:p', 'c', 'COUNT', 'x'],
      ['LPOS', 'l:p', 'c', 'MAXLEN', '-1'],
      ['LPOS', 'l:p', 'c', 'MAXLEN', 'x'],
      ['LPOS', 'l:p', 'c', 'RANK'],
      ['LPOS', 'l:p', 'c', 'FOO', '1'],
      ['SET', 'l:s', 'v'],
      ['LPOS', 'l:s', 'c'],
      ['LPOS', 'l:s', 'c', 'RANK', '0'],
      ['LREM', 'l:s', '0', 'a'],
      ['LINSERT', 'l:s', 'BEFORE', 'a', 'b'],
    ]);
  });

  test('LMOVE RPOPLPUSH LMPOP', async () => {
    await expectSameReplies(servers(), [
      ['RPUSH', 'l:src', 'a', 'b', 'c'],
      ['LMOVE', 'l:src', 'l:dst', 'LEFT', 'RIGHT'],
      ['LMOVE', 'l:src', 'l:dst', 'right', 'left'],
      ['LRANGE', 'l:dst', '0', '-1'],
      ['RPOPLPUSH', 'l:src', 'l:src'],
      ['LMOVE', 'l:src', 'l:src', 'LEFT', 'RIGHT'],
      ['RPOPLPUSH', 'l:src', 'l:dst'],
      ['EXISTS', 'l:src'],
      ['RPOPLPUSH', 'l:src', 'l:dst'],
      ['LMOVE', 'l:src', 'l:dst', 'LEFT', 'RIGHT'],
      ['LMOVE', 'l:src', 'l:dst', 'UP', 'RIGHT'],
      ['LMOVE', 'l:src', 'l:dst', 'LEFT', 'DOWN'],
      ['SET', 'l:s', 'v'],
      ['LMOVE', 'l:dst', 'l:s', 'LEFT', 'RIGHT'],
      ['LMOVE', 'l:s', 'l:dst', 'LEFT', 'RIGHT'],
      ['RPOPLPUSH', 'l:dst', 'l:s'],
      ['LRANGE', 'l:dst', '0', '-1'],
      ['RPUSH', 'l:m1', '1', '2', '3', '4', '5'],
      ['LMPOP', '2', 'l:none', 'l:m1', 'LEFT'],
      ['LMPOP', '2', 'l:none', 'l:m1', 'RIGHT', 'COUNT', '2'],
      ['LMPOP', '1', 'l:m1', 'LEFT', 'COUNT', '10'],
      ['LMPOP', '1', 'l:m1', 'LEFT'],
      ['LMPOP', '0', 'l:m1', 'LEFT'],
      ['LMPOP', '-1', 'l:m1', 'LEFT'],
      ['LMPOP', 'x', 'l:m1', 'LEFT'],
      ['LMPOP', '3', 'l:m1', 'LEFT'],
      ['LMPOP', '1', 'l:m1', 'MIDDLE'],
      ['LMPOP', '1', 'l:m1', 'LEFT', 'COUNT'],
      ['LMPOP', '1', 'l:m1', 'LEFT', 'COUNT', '0'],
      ['LMPOP', '1', 'l:m1', 'LEFT', 'COUNT', 'x'],
      ['LMPOP', '1', 'l:m1', 'LEFT', 'COUNT', '1', 'COUNT', '1'],
      ['LMPOP', '1', 'l:m1', 'LEFT', 'FOO'],
      ['LMPOP', '2', 'l:m1', 'l:s', 'LEFT'],
      ['LMPOP', '2', 'l:s', 'l:m1', 'LEFT'],
      ['LMPOP', '1', 'l:m1'],
    ]);
  });

  test('blocking commands that do not block: data present, errors, and inside MULTI', async () => {
    await expectSameReplies(servers(), [
      ['RPUSH', 'l:b', 'a', 'b', 'c', 'd', 'e'],
      ['BLPOP', 'l:none', 'l:b', '0'],
      ['BRPOP', 'l:none', 'l:b', '0.5'],
      ['BLMOVE', 'l:b', 'l:b2', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', 'l:b', 'l:b2', '0'],
      ['BLMPOP', '0', '2', 'l:none', 'l:b', 'LEFT', 'COUNT', '5'],
      ['BLMPOP', '0', '1', 'l:b2', 'RIGHT'],
      ['BLPOP', 'l:b', 'x'],
      ['BLPOP', 'l:b', '-1'],
      ['BLPOP', 'l:b', '-0.5'],
      ['BLPOP', 'l:b', 'nan'],
      ['BLPOP', 'l:b', ''],
      ['BLPOP', 'l:b', ' 1'],
      ['BRPOPLPUSH', 'l:b', 'l:b2', '-1'],
      ['BLMOVE', 'l:b', 'l:b2', 'LEFT', 'UP', '-1'],
      ['BLMOVE', 'l:b', 'l:b2', 'LEFT', 'LEFT', 'x'],
      ['BLMPOP', 'x', '1', 'l:b', 'LEFT'],
      ['BLMPOP', '0', '0', 'l:b', 'LEFT'],
      ['BLMPOP', '-1', '1', 'l:b', 'LEFT'],
      ['BLMPOP', '0', '1', 'l:b', 'LEFT', 'COUNT', '0'],
      ['SET', 'l:s', 'v'],
      ['BLPOP', 'l:s', '0'],
      ['BLPOP', 'l:none', 'l:s', '0'],
      ['BLMOVE', 'l:s', 'l:b2', 'LEFT', 'LEFT', '0'],
      ['RPUSH', 'l:b', 'x'],
      ['BLMOVE', 'l:b', 'l:s', 'LEFT', 'LEFT', '0'],
      ['MULTI'],
      ['BLPOP', 'l:empty', '0'],
      ['BRPOP', 'l:empty', '1'],
      ['BLMOVE', 'l:empty', 'l:b2', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', 'l:empty', 'l:b2', '0'],
      ['BLMPOP', '0', '1', 'l:empty', 'LEFT'],
      ['BLPOP', 'l:b', '0'],
      ['EXEC'],
    ]);
  });

  test('encodings across the node size: big elements, many elements, shrinking back', async () => {
    const many = Array.from({ length: 300 }, (_, i) => `element-${i}`);
    await expectSameReplies(servers(), [
      ['RPUSH', 'l:big', 'a', big, 'b'],
      ['LRANGE', 'l:big', '0', '-1'],
      ['LINDEX', 'l:big', '1'],
      ['LPOP', 'l:big'],
      ['LPOP', 'l:big'],
      ['LLEN', 'l:big'],
      ['RPUSH', 'l:many', ...many],
      ['RPUSH', 'l:many', ...many],
      ['LPUSH', 'l:many', ...many],
      ['LLEN', 'l:many'],
      ['LINDEX', 'l:many', '450'],
      ['LINDEX', 'l:many', '-450'],
      ['LSET', 'l:many', '450', mid],
      ['LSET', 'l:many', '-2', big],
      ['LRANGE', 'l:many', '440', '460'],
      ['LRANGE', 'l:many', '-5', '-1'],
      ['LINSERT', 'l:many', 'BEFORE', 'element-150', big],
      ['LINSERT', 'l:many', 'AFTER', 'element-299', 'after'],
      ['LPOS', 'l:many', 'element-150', 'COUNT', '0'],
      ['LPOS', 'l:many', 'element-150', 'RANK', '-2'],
      ['LREM', 'l:many', '-2', 'element-7'],
      ['LREM', 'l:many', '0', 'element-8'],
      ['LLEN', 'l:many'],
      ['LTRIM', 'l:many', '100', '-100'],
      ['LLEN', 'l:many'],
      ['LRANGE', 'l:many', '0', '-1'],
      ['LPOP', 'l:many', '250'],
      ['RPOP', 'l:many', '100'],
      ['LRANGE', 'l:many', '0', '-1'],
    ]);
  });

  test('Valkey 8 where Redis 7.0 differs: LPOS RANK and LREM count range, timeouts too large for a long long', async () => {
    const pair = servers();
    await pair.ours.call('RPUSH', 'l:v', 'c');
    expect(await oursOnly(pair, [
      ['LPOS', 'l:v', 'c', 'RANK', '-9223372036854775808'],
      ['LREM', 'l:v', '-9223372036854775808', 'c'],
      ['BLPOP', 'l:v', 'inf'],
      ['BLPOP', 'l:v', '1e300'],
      ['BLPOP', 'l:v', '9223372036854775'],
      ['LLEN', 'l:v'],
    ])).toEqual([
      '-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n',
      '-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n',
      '-ERR timeout is out of range\r\n',
      '-ERR timeout is out of range\r\n',
      '-ERR timeout is out of range\r\n',
      ':1\r\n',
    ]);
  });

  test('CONFIG SET list-max-listpack-size takes effect on the next push and pop (ours: Redis 7.0 names every list quicklist)', async () => {
    const pair = servers();
    try {
      expect(await oursOnly(pair, [
        ['RPUSH', 'l:cfg', 'a', 'b', 'c'],
        ['OBJECT', 'ENCODING', 'l:cfg'],
        ['CONFIG', 'SET', 'list-max-listpack-size', '2'],
        ['RPUSH', 'l:cfg', 'd'],
        ['OBJECT', 'ENCODING', 'l:cfg'],
        ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
        ['LPOP', 'l:cfg'],
        ['RPOP', 'l:cfg'],
        ['LPOP', 'l:cfg'],
        ['OBJECT', 'ENCODING', 'l:cfg'],
        ['LPUSH', 'l:cfg', 'x'],
        ['OBJECT', 'ENCODING', 'l:cfg'],
      ])).toEqual([':3\r\n', '$8\r\nlistpack\r\n', '+OK\r\n', ':4\r\n', '$9\r\nquicklist\r\n', '+OK\r\n', '$1\r\na\r\n', '$1\r\nd\r\n', '$1\r\nb\r\n', '$8\r\nlistpack\r\n', ':2\r\n', '$8\r\nlistpack\r\n']);
    } finally {
      await pair.ours.call('CONFIG', 'SET', 'list-max-listpack-size', '-2');
    }
  });
});
