import { blockingTimeoutArg } from '../../../lib/server/blocking';
import type { CommandContext } from '../../../lib/server/commands/command';
import { Harness, resp } from './command-harness';

const { bulk, int, array, err } = resp;

function harness(): Harness {
  return new Harness();
}

describe('list commands (exact reply bytes)', () => {
  test('LPUSH/RPUSH order, LPUSHX/RPUSHX on missing keys, LLEN', () => {
    const h = harness();
    expect(h.run('LPUSH', 'k', 'a', 'b')).toBe(int(2));
    expect(h.run('RPUSH', 'k', 'c')).toBe(int(3));
    expect(h.run('LRANGE', 'k', '0', '-1')).toBe(array(bulk('b'), bulk('a'), bulk('c')));
    expect(h.run('LPUSHX', 'none', 'a')).toBe(int(0));
    expect(h.run('RPUSHX', 'none', 'a')).toBe(int(0));
    expect(h.run('EXISTS', 'none')).toBe(int(0));
    expect(h.run('RPUSHX', 'k', 'd', 'e')).toBe(int(5));
    expect(h.run('LLEN', 'k')).toBe(int(5));
    expect(h.run('LLEN', 'none')).toBe(int(0));
    expect(h.run('SET', 's', 'v')).toBe(resp.ok);
    expect(h.run('LPUSH', 's', 'a')).toBe(resp.wrongType);
    expect(h.run('LLEN', 's')).toBe(resp.wrongType);
  });

  test('LPOP/RPOP with and without COUNT: RESP2 and RESP3 null shapes', () => {
    const h = harness();
    h.run('RPUSH', 'k', '1', '2', '3', '4');
    expect(h.run('LPOP', 'k')).toBe(bulk('1'));
    expect(h.run('RPOP', 'k')).toBe(bulk('4'));
    expect(h.run('LPOP', 'k', '0')).toBe('*0\r\n');
    expect(h.run('RPOP', 'k', '5')).toBe(array(bulk('3'), bulk('2')));
    expect(h.run('EXISTS', 'k')).toBe(int(0));
    expect(h.run('LPOP', 'k')).toBe('$-1\r\n');
    expect(h.run('LPOP', 'k', '1')).toBe('*-1\r\n');
    expect(h.run('LPOP', 'k', '0')).toBe('*-1\r\n');
    expect(h.run('LPOP', 'k', '-1')).toBe(err('ERR value is out of range, must be positive'));
    expect(h.run('LPOP', 'k', 'x')).toBe(err('ERR value is out of range, must be positive'));
    expect(h.run('LPOP', 'k', '1', '2')).toBe(err("ERR wrong number of arguments for 'lpop' command"));
    h.reply.resp = 3;
    expect(h.run('LPOP', 'k')).toBe('_\r\n');
    expect(h.run('RPOP', 'k', '2')).toBe('_\r\n');
    expect(h.run('LINDEX', 'k', '0')).toBe('_\r\n');
    expect(h.run('LMPOP', '1', 'k', 'LEFT')).toBe('_\r\n');
    expect(h.run('BLPOP', 'k', '0')).toBe('_\r\n');
    expect(h.run('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0')).toBe('_\r\n');
  });

  test('LINDEX LSET LRANGE LTRIM LREM LINSERT LPOS', () => {
    const h = harness();
    h.run('RPUSH', 'k', 'a', 'b', 'c', 'b', 'a');
    expect(h.run('LINDEX', 'k', '-1')).toBe(bulk('a'));
    expect(h.run('LINDEX', 'k', '5')).toBe('$-1\r\n');
    expect(h.run('LSET', 'k', '1', 'B')).toBe(resp.ok);
    expect(h.run('LSET', 'k', '5', 'x')).toBe(err('ERR index out of range'));
    expect(h.run('LSET', 'none', '0', 'x')).toBe(err('ERR no such key'));
    expect(h.run('LRANGE', 'k', '1', '2')).toBe(array(bulk('B'), bulk('c')));
    expect(h.run('LREM', 'k', '-1', 'a')).toBe(int(1));
    expect(h.run('LRANGE', 'k', '0', '-1')).toBe(array(bulk('a'), bulk('B'), bulk('c'), bulk('b')));
    expect(h.run('LINSERT', 'k', 'AFTER', 'c', 'x')).toBe(int(5));
    expect(h.run('LINSERT', 'k', 'BEFORE', 'zzz', 'x')).toBe(int(-1));
    expect(h.run('LINSERT', 'k', 'NEAR', 'c', 'x')).toBe(resp.syntax);
    expect(h.run('LPOS', 'k', 'x')).toBe(int(3));
    expect(h.run('LPOS', 'k', 'x', 'COUNT', '0', 'RANK', '-1')).toBe(array(int(3)));
    expect(h.run('LPOS', 'k', 'x', 'RANK', '0')).toBe(
      err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"),
    );
    expect(h.run('LTRIM', 'k', '1', '-2')).toBe(resp.ok);
    expect(h.run('LRANGE', 'k', '0', '-1')).toBe(array(bulk('B'), bulk('c'), bulk('x')));
    expect(h.run('LTRIM', 'k', '3', '1')).toBe(resp.ok);
    expect(h.run('EXISTS', 'k')).toBe(int(0));
  });

  test('LMOVE onto itself rotates; LMPOP errors', () => {
    const h = harness();
    h.run('RPUSH', 'k', 'a', 'b', 'c');
    expect(h.run('LMOVE', 'k', 'k', 'LEFT', 'RIGHT')).toBe(bulk('a'));
    expect(h.run('RPOPLPUSH', 'k', 'k')).toBe(bulk('a'));
    expect(h.run('LRANGE', 'k', '0', '-1')).toBe(array(bulk('a'), bulk('b'), bulk('c')));
    expect(h.run('LMPOP', '0', 'k', 'LEFT')).toBe(err('ERR numkeys should be greater than 0'));
    expect(h.run('LMPOP', '1', 'k', 'LEFT', 'COUNT', '0')).toBe(err('ERR count should be greater than 0'));
    expect(h.run('LMPOP', '5', 'k', 'LEFT')).toBe(resp.syntax);
    expect(h.run('LMPOP', '1', 'k', 'RIGHT', 'COUNT', '2')).toBe(array(bulk('k'), array(bulk('c'), bulk('b'))));
  });

  test('blocking commands without a blocking service (as inside MULTI) reply as timed out', () => {
    const h = harness();
    expect(h.run('BLPOP', 'a', 'b', '0')).toBe('*-1\r\n');
    expect(h.run('BRPOPLPUSH', 'a', 'b', '0')).toBe('$-1\r\n');
    expect(h.run('BLMPOP', '0', '1', 'a', 'LEFT')).toBe('*-1\r\n');
    h.run('RPUSH', 'b', 'x');
    expect(h.run('BRPOP', 'a', 'b', '0')).toBe(array(bulk('b'), bulk('x')));
  });

  test('OBJECT ENCODING: listpack, quicklist past 8 KB, listpack again under half', () => {
    const h = harness();
    const value = 'v'.repeat(100);
    for (let i = 0; i < 79; i++) h.run('RPUSH', 'k', value);
    expect(h.run('OBJECT', 'ENCODING', 'k')).toBe(bulk('listpack'));
    // 79 entries of 100 bytes take 7 + 79 × 103 = 8144 listpack bytes; one more exceeds 8192.
    h.run('RPUSH', 'k', value);
    expect(h.run('OBJECT', 'ENCODING', 'k')).toBe(bulk('quicklist'));
    h.run('LTRIM', 'k', '0', '50');
    expect(h.run('OBJECT', 'ENCODING', 'k')).toBe(bulk('quicklist'));
    h.run('LTRIM', 'k', '0', '30');
    expect(h.run('OBJECT', 'ENCODING', 'k')).toBe(bulk('listpack'));
    h.run('RPUSH', 'big', 'x'.repeat(9000));
    expect(h.run('OBJECT', 'ENCODING', 'big')).toBe(bulk('quicklist'));
  });

  test('list-max-listpack-size as an entry count', () => {
    const h = harness();
    h.settings.set('list-max-listpack-size', '4');
    h.run('RPUSH', 'k', '1', '2', '3', '4');
    expect(h.run('OBJECT', 'ENCODING', 'k')).toBe(bulk('listpack'));
    h.run('RPUSH', 'k', '5');
    expect(h.run('OBJECT', 'ENCODING', 'k')).toBe(bulk('quicklist'));
    h.run('RPOP', 'k', '3');
    expect(h.run('OBJECT', 'ENCODING', 'k')).toBe(bulk('listpack'));
    expect(h.run('LRANGE', 'k', '0', '-1')).toBe(array(bulk('1'), bulk('2')));
  });

  test('COPY duplicates a list independently', () => {
    const h = harness();
    h.run('RPUSH', 'k', 'a', 'b');
    expect(h.run('COPY', 'k', 'c')).toBe(int(1));
    h.run('RPUSH', 'c', 'z');
    expect(h.run('LRANGE', 'k', '0', '-1')).toBe(array(bulk('a'), bulk('b')));
    expect(h.run('LRANGE', 'c', '0', '-1')).toBe(array(bulk('a'), bulk('b'), bulk('z')));
  });
});

describe('blocking timeout argument', () => {
  const ctx = { now: 1_000_000 } as unknown as CommandContext;
  const arg = (s: string): Buffer => Buffer.from(s, 'latin1');

  test.each([
    ['0', 0],
    ['0.0', 0],
    ['1', 1_001_000],
    ['0.1', 1_000_100],
    ['0.0001', 1_000_001],
    ['-0.0001', 0],
    ['1e-320', 1_000_001],
    ['0x10', 1_016_000],
  ])('%s → deadline %d', (text, expected) => {
    expect(blockingTimeoutArg(ctx, arg(text))).toBe(expected);
  });

  test.each([
    ['x', 'ERR timeout is not a float or out of range'],
    ['', 'ERR timeout is not a float or out of range'],
    [' 1', 'ERR timeout is not a float or out of range'],
    ['nan', 'ERR timeout is not a float or out of range'],
    ['-1', 'ERR timeout is negative'],
    ['-inf', 'ERR timeout is negative'],
    ['inf', 'ERR timeout is out of range'],
    ['9223372036854775', 'ERR timeout is out of range'],
  ])('%s → %s', (text, message) => {
    expect(() => blockingTimeoutArg(ctx, arg(text))).toThrow(message);
  });
});
