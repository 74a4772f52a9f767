/**
 * Sorted sets against redis-server 7.0, byte for byte, in both encodings (each scenario runs on a
 * small listpack set and again with zset-max-listpack-entries 0, which forces the skiplist).
 *
 * Scores here are integers, halves and other dyadic values that "%.17g" (Redis 7.0) and the
 * shortest round trip (Valkey 8 / Redis 7.2) print alike; scores that print differently, ZRANK's
 * WITHSCORE (7.2), ZSCAN's NOSCORES (8.0) and random replies are tested in sorted-sets.test.ts.
 */
import { startServer } from '../../../lib/server';
import { LOOPBACK, RawClient, startRedisServer } from '../../support';
import type { CommandArg } from '../../support/resp';
import { expectSameReplies, oursOnly, type Pair, useServerPair } from './blackbox';

const servers = useServerPair();

async function setBoth(pair: Pair, ...command: CommandArg[]): Promise<void> {
  await pair.redis.call(...command);
  await pair.ours.call(...command);
}

/** Runs a scenario under the default limits (listpack) and with the skiplist forced. */
function bothEncodings(name: string, body: (p: string) => CommandArg[][]): void {
  for (const [label, entries] of [
    ['listpack', '128'],
    ['skiplist', '0'],
  ] as const) {
    test(`${name} (${label})`, async () => {
      const pair = servers();
      await setBoth(pair, 'CONFIG', 'SET', 'zset-max-listpack-entries', entries);
      try {
        await expectSameReplies(pair, body(`${label}:`));
      } finally {
        await setBoth(pair, 'CONFIG', 'SET', 'zset-max-listpack-entries', '128');
      }
    });
  }
}

describe('sorted sets against redis-server', () => {
  bothEncodings('ZADD options, ZINCRBY, ZSCORE, ZMSCORE, ZCARD, ZREM', (p) => [
    ['ZADD', `${p}z`, '1', 'a', '2', 'b', '3', 'c'],
    ['OBJECT', 'ENCODING', `${p}z`],
    ['ZADD', `${p}z`, '1', 'a', '5', 'd'],
    ['ZADD', `${p}z`, 'CH', '10', 'a', '2', 'b', '6', 'e'],
    ['ZADD', `${p}z`, 'NX', '100', 'a', '7', 'f'],
    ['ZADD', `${p}z`, 'XX', '100', 'a', '8', 'g'],
    ['ZADD', `${p}z`, 'XX', 'CH', '101', 'a', '8', 'g'],
    ['ZADD', `${p}z`, 'GT', 'CH', '50', 'a', '200', 'b', '9', 'h'],
    ['ZADD', `${p}z`, 'LT', 'CH', '50', 'a', '1', 'b', '300', 'i'],
    ['ZADD', `${p}z`, 'XX', 'GT', '0', 'a'],
    ['ZADD', `${p}z`, 'INCR', '1.5', 'a'],
    ['ZADD', `${p}z`, 'INCR', 'NX', '1', 'a'],
    ['ZADD', `${p}z`, 'INCR', 'XX', '1', 'zz'],
    ['ZADD', `${p}z`, 'INCR', 'GT', '-1', 'a'],
    ['ZADD', `${p}z`, 'INCR', 'LT', '-1', 'a'],
    ['ZADD', `${p}none`, 'XX', '1', 'a'],
    ['ZADD', `${p}none`, 'XX', 'INCR', '1', 'a'],
    ['EXISTS', `${p}none`],
    ['ZINCRBY', `${p}z`, '2.25', 'b'],
    ['ZINCRBY', `${p}z`, '-inf', 'c'],
    ['ZINCRBY', `${p}z`, '+inf', 'c'],
    ['ZINCRBY', `${p}z`, '1', 'new'],
    ['ZSCORE', `${p}z`, 'a'],
    ['ZSCORE', `${p}z`, 'c'],
    ['ZSCORE', `${p}z`, 'nope'],
    ['ZSCORE', `${p}none`, 'a'],
    ['ZMSCORE', `${p}z`, 'a', 'nope', 'b'],
    ['ZMSCORE', `${p}none`, 'a', 'b'],
    ['ZCARD', `${p}z`],
    ['ZCARD', `${p}none`],
    ['ZRANGE', `${p}z`, '0', '-1', 'WITHSCORES'],
    ['ZREM', `${p}z`, 'a', 'nope', 'b'],
    ['ZREM', `${p}none`, 'a'],
    ['ZRANGE', `${p}z`, '0', '-1'],
    ['ZADD', `${p}one`, '1', 'x'],
    ['ZREM', `${p}one`, 'x', 'y'],
    ['EXISTS', `${p}one`],
    ['ZADD', `${p}neg`, '-0', 'a', '0', 'b', '-1.5', 'c', '1e3', 'd', '0x10', 'e', '  ', 'f'],
    ['ZADD', `${p}neg`, '-0', 'a', '0', 'b', '-1.5', 'c', '1e3', 'd', '0x10', 'e', '.5', 'f', '1.', 'g'],
    ['ZRANGE', `${p}neg`, '0', '-1', 'WITHSCORES'],
    ['ZADD', `${p}neg`, '0', 'a'],
    ['ZSCORE', `${p}neg`, 'a'],
  ]);

  bothEncodings('ZADD and ZINCRBY errors', (p) => [
    ['ZADD', `${p}e`, '1'],
    ['ZADD', `${p}e`, '1', 'a', '2'],
    ['ZADD', `${p}e`, 'NX'],
    ['ZADD', `${p}e`, 'NX', 'XX', '1', 'a'],
    ['ZADD', `${p}e`, 'GT', 'LT', '1', 'a'],
    ['ZADD', `${p}e`, 'GT', 'NX', '1', 'a'],
    ['ZADD', `${p}e`, 'LT', 'NX', '1', 'a'],
    ['ZADD', `${p}e`, 'INCR', '1', 'a', '2', 'b'],
    ['ZADD', `${p}e`, 'NX', 'XX', 'INCR', '1', 'a', '2', 'b'],
    ['ZADD', `${p}e`, 'x', 'a'],
    ['ZADD', `${p}e`, 'nan', 'a'],
    ['ZADD', `${p}e`, '1', 'a', 'inf', 'b', 'x', 'c'],
    ['EXISTS', `${p}e`],
    ['ZADD', `${p}e`, '1e400', 'a'],
    ['ZADD', `${p}e`, '1e-400', 'a'],
    ['ZADD', `${p}e`, ' 1', 'a'],
    ['ZADD', `${p}e`, '1 ', 'a'],
    ['ZADD', `${p}e`, '', 'a'],
    ['ZADD', `${p}e`, '0x', 'a'],
    ['ZADD', `${p}e`, '1e', 'a'],
    ['ZADD', `${p}e`, Buffer.from('1\u00002', 'latin1'), 'a'],
    ['ZADD', `${p}e`, 'inf', 'a'],
    ['ZINCRBY', `${p}e`, '-inf', 'a'],
    ['ZADD', `${p}e`, 'INCR', '-inf', 'a'],
    ['ZSCORE', `${p}e`, 'a'],
    ['ZINCRBY', `${p}e`, 'abc', 'a'],
    ['ZINCRBY', `${p}e`, '1'],
    ['SET', `${p}str`, 'v'],
    ['ZADD', `${p}str`, '1', 'a'],
    ['ZINCRBY', `${p}str`, '1', 'a'],
    ['ZADD', `${p}str`, 'x', 'a'],
    ['ZREM', `${p}str`, 'a'],
    ['ZCARD', `${p}str`],
    ['ZSCORE', `${p}str`, 'a'],
    ['ZMSCORE', `${p}str`, 'a'],
    ['ZRANK', `${p}str`, 'a'],
    ['ZCOUNT', `${p}str`, '0', '1'],
    ['ZCOUNT', `${p}str`, 'x', '1'],
    ['ZLEXCOUNT', `${p}str`, '-', '+'],
    ['ZRANGE', `${p}str`, '0', '1'],
    ['ZRANGESTORE', `${p}dst`, `${p}str`, '0', '1'],
    ['ZREMRANGEBYRANK', `${p}str`, '0', '1'],
    ['ZPOPMIN', `${p}str`],
    ['ZRANDMEMBER', `${p}str`],
    ['ZSCAN', `${p}str`, '0'],
    ['ZUNION', '1', `${p}str`],
    ['ZMPOP', '1', `${p}str`, 'MIN'],
    ['ZADD'],
    ['ZADD', `${p}e`, '1'],
    ['ZINCRBY', `${p}e`, '1', 'a', 'b'],
  ]);

  bothEncodings('ZRANK, ZREVRANK, ZCOUNT, ZLEXCOUNT', (p) => [
    ['ZADD', `${p}r`, '1', 'a', '2', 'b', '2', 'c', '3', 'd', '-inf', 'lo', '+inf', 'hi'],
    ['ZRANK', `${p}r`, 'a'],
    ['ZRANK', `${p}r`, 'c'],
    ['ZRANK', `${p}r`, 'hi'],
    ['ZRANK', `${p}r`, 'nope'],
    ['ZRANK', `${p}none`, 'a'],
    ['ZREVRANK', `${p}r`, 'a'],
    ['ZREVRANK', `${p}r`, 'lo'],
    ['ZRANK', `${p}r`, 'a', 'withscore', 'x'],
    ['ZCOUNT', `${p}r`, '-inf', '+inf'],
    ['ZCOUNT', `${p}r`, '2', '2'],
    ['ZCOUNT', `${p}r`, '(2', '3'],
    ['ZCOUNT', `${p}r`, '(1', '(3'],
    ['ZCOUNT', `${p}r`, '3', '1'],
    ['ZCOUNT', `${p}r`, '(2', '(2'],
    ['ZCOUNT', `${p}r`, '-inf', '(-inf'],
    ['ZCOUNT', `${p}r`, '(-inf', 'inf'],
    ['ZCOUNT', `${p}r`, '', '5'],
    ['ZCOUNT', `${p}r`, ' 1', '(  3'],
    ['ZCOUNT', `${p}r`, '(', '5'],
    ['ZCOUNT', `${p}r`, '1e400', 'inf'],
    ['ZCOUNT', `${p}r`, '0x1', '0x1p1'],
    ['ZCOUNT', `${p}r`, Buffer.from('1\u0000junk', 'latin1'), '2'],
    ['ZCOUNT', `${p}r`, 'x', '2'],
    ['ZCOUNT', `${p}r`, '1', 'nan'],
    ['ZCOUNT', `${p}r`, '((1', '2'],
    ['ZCOUNT', `${p}r`, '1 ', '2'],
    ['ZCOUNT', `${p}none`, '0', '1'],
    ['ZCOUNT', `${p}none`, 'x', '1'],
    ['ZADD', `${p}l`, '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e', '0', 'ab', '0', ''],
    ['ZLEXCOUNT', `${p}l`, '-', '+'],
    ['ZLEXCOUNT', `${p}l`, '[a', '[c'],
    ['ZLEXCOUNT', `${p}l`, '(a', '(c'],
    ['ZLEXCOUNT', `${p}l`, '[', '(b'],
    ['ZLEXCOUNT', `${p}l`, '(', '+'],
    ['ZLEXCOUNT', `${p}l`, '+', '-'],
    ['ZLEXCOUNT', `${p}l`, '[c', '[a'],
    ['ZLEXCOUNT', `${p}l`, '(b', '(b'],
    ['ZLEXCOUNT', `${p}l`, '[b', '[b'],
    ['ZLEXCOUNT', `${p}l`, 'a', '[c'],
    ['ZLEXCOUNT', `${p}l`, '[a', 'c'],
    ['ZLEXCOUNT', `${p}l`, '++', '+'],
    ['ZLEXCOUNT', `${p}l`, '-', '+x'],
    ['ZLEXCOUNT', `${p}l`, '', '+'],
    ['ZLEXCOUNT', `${p}none`, '-', '+'],
    ['ZLEXCOUNT', `${p}none`, 'x', '+'],
  ]);

  bothEncodings('ZRANGE by rank, score and lex, REV, LIMIT, WITHSCORES, and the old forms', (p) => [
    ['ZADD', `${p}s`, '1', 'a', '2', 'b', '2', 'b2', '3', 'c', '4.5', 'd', '5', 'e', '-2.5', 'neg'],
    ['ZRANGE', `${p}s`, '0', '-1'],
    ['ZRANGE', `${p}s`, '0', '-1', 'WITHSCORES'],
    ['ZRANGE', `${p}s`, '2', '4', 'REV', 'WITHSCORES'],
    ['ZRANGE', `${p}s`, '-3', '-1'],
    ['ZRANGE', `${p}s`, '-100', '100'],
    ['ZRANGE', `${p}s`, '5', '2'],
    ['ZRANGE', `${p}s`, '10', '20'],
    ['ZRANGE', `${p}s`, '-1', '-2'],
    ['ZRANGE', `${p}s`, '0', '9223372036854775807'],
    ['ZRANGE', `${p}s`, '-9223372036854775808', '1'],
    ['ZRANGE', `${p}s`, 'x', '1'],
    ['ZRANGE', `${p}s`, '0', '1', 'LIMIT', '0', '1'],
    ['ZRANGE', `${p}s`, '(1', '4.5', 'BYSCORE'],
    ['ZRANGE', `${p}s`, '(1', '4.5', 'BYSCORE', 'WITHSCORES'],
    ['ZRANGE', `${p}s`, '4.5', '(1', 'BYSCORE', 'REV', 'WITHSCORES'],
    ['ZRANGE', `${p}s`, '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '3'],
    ['ZRANGE', `${p}s`, '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '-1'],
    ['ZRANGE', `${p}s`, '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '0'],
    ['ZRANGE', `${p}s`, '-inf', '+inf', 'BYSCORE', 'LIMIT', '100', '5'],
    ['ZRANGE', `${p}s`, '-inf', '+inf', 'BYSCORE', 'LIMIT', '7', '5'],
    ['ZRANGE', `${p}s`, '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', '2', '2', 'WITHSCORES'],
    ['ZRANGE', `${p}s`, '2', '2', 'BYSCORE'],
    ['ZRANGE', `${p}s`, '(2', '(2', 'BYSCORE'],
    ['ZRANGE', `${p}s`, '3', '1', 'BYSCORE'],
    ['ZRANGE', `${p}s`, '100', '200', 'BYSCORE'],
    ['ZRANGE', `${p}s`, 'x', '200', 'BYSCORE'],
    ['ZRANGE', `${p}s`, '0', '1', 'BYSCORE', 'BYLEX'],
    ['ZRANGE', `${p}s`, '0', '1', 'REV', 'REV'],
    ['ZRANGE', `${p}s`, '0', '1', 'WITHSCORES', 'WITHSCORES'],
    ['ZRANGE', `${p}s`, '0', '1', 'LIMIT', '1'],
    ['ZRANGE', `${p}s`, '0', '1', 'BYSCORE', 'LIMIT', 'x', '1'],
    ['ZRANGE', `${p}s`, '[a', '[c', 'BYLEX', 'WITHSCORES'],
    ['ZRANGE', `${p}s`, '0', '1', 'FOO'],
    ['ZRANGE', `${p}none`, '0', '-1'],
    ['ZRANGE', `${p}none`, 'x', '-1'],
    ['ZREVRANGE', `${p}s`, '0', '2', 'WITHSCORES'],
    ['ZREVRANGE', `${p}s`, '0', '2', 'REV'],
    ['ZRANGEBYSCORE', `${p}s`, '2', '(5', 'WITHSCORES', 'LIMIT', '1', '2'],
    ['ZRANGEBYSCORE', `${p}s`, '2', '(5', 'BYSCORE'],
    ['ZREVRANGEBYSCORE', `${p}s`, '(5', '2', 'WITHSCORES'],
    ['ZREVRANGEBYSCORE', `${p}s`, '2', '5'],
    ['ZRANGEBYSCORE', `${p}s`, '-inf', 'inf', 'LIMIT', '0', '2', 'LIMIT', '3', '10'],
    ['ZADD', `${p}x`, '0', 'alpha', '0', 'bar', '0', 'cool', '0', 'down', '0', 'elephant', '0', 'foo', '0', 'great', '0', 'hill', '0', 'omega'],
    ['ZRANGEBYLEX', `${p}x`, '-', '+'],
    ['ZRANGEBYLEX', `${p}x`, '[bar', '(foo'],
    ['ZRANGEBYLEX', `${p}x`, '(bar', '[foo', 'LIMIT', '1', '2'],
    ['ZRANGEBYLEX', `${p}x`, '-', '+', 'LIMIT', '0', '-1'],
    ['ZRANGEBYLEX', `${p}x`, '-', '+', 'LIMIT', '100', '1'],
    ['ZRANGEBYLEX', `${p}x`, '[c', '[b'],
    ['ZRANGEBYLEX', `${p}x`, '[co', '[d'],
    ['ZRANGEBYLEX', `${p}x`, '[a', '[b', 'WITHSCORES'],
    ['ZREVRANGEBYLEX', `${p}x`, '+', '-', 'LIMIT', '2', '3'],
    ['ZREVRANGEBYLEX', `${p}x`, '[foo', '(bar'],
    ['ZRANGE', `${p}x`, '[foo', '(bar', 'BYLEX', 'REV'],
    ['ZRANGE', `${p}x`, '-', '+', 'BYLEX', 'LIMIT', '3', '3'],
    ['ZRANGEBYLEX', `${p}x`, 'bar', '+'],
  ]);

  bothEncodings('ZRANGESTORE', (p) => [
    ['ZADD', `${p}src`, '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
    ['ZRANGESTORE', `${p}dst`, `${p}src`, '1', '2'],
    ['ZRANGE', `${p}dst`, '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', `${p}dst`, `${p}src`, '(1', '+inf', 'BYSCORE', 'REV', 'LIMIT', '0', '2'],
    ['ZRANGE', `${p}dst`, '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', `${p}dst`, `${p}src`, '[b', '+', 'BYLEX'],
    ['ZRANGE', `${p}dst`, '0', '-1', 'WITHSCORES'],
    ['SET', `${p}str`, 'x'],
    ['EXPIRE', `${p}dst`, '100'],
    ['ZRANGESTORE', `${p}dst`, `${p}src`, '0', '0'],
    ['TTL', `${p}dst`],
    ['ZRANGESTORE', `${p}dst`, `${p}src`, '10', '20'],
    ['EXISTS', `${p}dst`],
    ['ZRANGESTORE', `${p}str`, `${p}src`, '0', '1'],
    ['TYPE', `${p}str`],
    ['ZRANGESTORE', `${p}dst`, `${p}none`, '0', '1'],
    ['ZRANGESTORE', `${p}dst`, `${p}src`, '0', '1', 'WITHSCORES'],
    ['ZRANGESTORE', `${p}dst`, `${p}src`, '0', '1', 'LIMIT', '0', '1'],
    ['ZRANGESTORE', `${p}src`, `${p}src`, '0', '1'],
    ['ZRANGE', `${p}src`, '0', '-1'],
  ]);

  bothEncodings('ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX', (p) => [
    ['ZADD', `${p}d`, '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f'],
    ['ZREMRANGEBYRANK', `${p}d`, '0', '0'],
    ['ZREMRANGEBYRANK', `${p}d`, '-1', '-1'],
    ['ZREMRANGEBYRANK', `${p}d`, '10', '20'],
    ['ZREMRANGEBYRANK', `${p}d`, '3', '1'],
    ['ZRANGE', `${p}d`, '0', '-1'],
    ['ZREMRANGEBYSCORE', `${p}d`, '(2', '4'],
    ['ZREMRANGEBYSCORE', `${p}d`, '100', '200'],
    ['ZRANGE', `${p}d`, '0', '-1'],
    ['ZREMRANGEBYRANK', `${p}d`, '0', '-1'],
    ['EXISTS', `${p}d`],
    ['ZREMRANGEBYRANK', `${p}d`, 'x', '1'],
    ['ZREMRANGEBYSCORE', `${p}d`, 'x', '1'],
    ['ZREMRANGEBYLEX', `${p}d`, 'x', '+'],
    ['ZADD', `${p}lx`, '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e'],
    ['ZREMRANGEBYLEX', `${p}lx`, '[b', '(d'],
    ['ZRANGE', `${p}lx`, '0', '-1'],
    ['ZREMRANGEBYLEX', `${p}lx`, '-', '+'],
    ['EXISTS', `${p}lx`],
  ]);

  bothEncodings('ZPOPMIN, ZPOPMAX, ZMPOP', (p) => [
    ['ZADD', `${p}p`, '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
    ['ZPOPMIN', `${p}p`],
    ['ZPOPMAX', `${p}p`],
    ['ZPOPMIN', `${p}p`, '2'],
    ['ZPOPMIN', `${p}p`, '0'],
    ['ZPOPMAX', `${p}p`, '-1'],
    ['ZPOPMAX', `${p}p`, 'x'],
    ['ZPOPMAX', `${p}p`, '1', '2'],
    ['ZPOPMAX', `${p}p`, '10'],
    ['EXISTS', `${p}p`],
    ['ZPOPMIN', `${p}p`],
    ['ZPOPMIN', `${p}p`, '3'],
    ['ZADD', `${p}m1`, '1', 'a', '2', 'b'],
    ['ZADD', `${p}m2`, '3', 'c', '4', 'd', '5', 'e'],
    ['ZMPOP', '2', `${p}none`, `${p}m1`, 'MIN'],
    ['ZMPOP', '2', `${p}none`, `${p}m1`, 'MAX', 'COUNT', '10'],
    ['ZMPOP', '2', `${p}m1`, `${p}m2`, 'max', 'count', '2'],
    ['ZMPOP', '1', `${p}none`, 'MIN'],
    ['ZMPOP', '0', `${p}m2`, 'MIN'],
    ['ZMPOP', '-1', `${p}m2`, 'MIN'],
    ['ZMPOP', 'x', `${p}m2`, 'MIN'],
    ['ZMPOP', '3', `${p}m2`, 'MIN'],
    ['ZMPOP', '1', `${p}m2`, 'MIDDLE'],
    ['ZMPOP', '1', `${p}m2`, 'MIN', 'COUNT', '0'],
    ['ZMPOP', '1', `${p}m2`, 'MIN', 'COUNT', 'x'],
    ['ZMPOP', '1', `${p}m2`, 'MIN', 'COUNT', '1', 'COUNT', '1'],
    ['ZMPOP', '1', `${p}m2`, 'MIN', 'COUNT'],
    ['ZMPOP', '1', `${p}m2`, 'MIN', 'FOO'],
    ['ZMPOP', '1', `${p}m2`, 'MIN', 'COUNT', '1'],
    ['ZADD', `${p}m2`, '7', 'x', '8', 'y', '9', 'z'],
    ['BZPOPMIN', `${p}m2`, '0'],
    ['BZPOPMAX', `${p}none`, `${p}m3`, `${p}m2`, '0.1'],
    ['BZPOPMIN', `${p}m2`, 'x'],
    ['BZPOPMIN', `${p}m2`, '-1'],
    ['ZADD', `${p}m4`, '1', 'a', '2', 'b', '3', 'c'],
    ['BZMPOP', '0', '2', `${p}none`, `${p}m4`, 'MAX', 'COUNT', '2'],
    ['BZMPOP', 'x', '1', `${p}m4`, 'MAX'],
    ['BZMPOP', '0', '0', `${p}m4`, 'MAX'],
    ['BZMPOP', '0', '1', `${p}m4`, 'FOO'],
    ['BZPOPMIN', `${p}none`, '0.01'],
    ['BZMPOP', '0.01', '1', `${p}none`, 'MIN'],
  ]);

  bothEncodings('ZUNION, ZINTER, ZDIFF, their STORE forms, ZINTERCARD, sets as inputs', (p) => [
    ['ZADD', `${p}a`, '1', 'a', '2', 'b', '3', 'c'],
    ['ZADD', `${p}b`, '10', 'b', '20', 'c', '30', 'd'],
    ['SADD', `${p}set`, 'a', 'd', 'x'],
    ['ZUNION', '2', `${p}a`, `${p}b`],
    ['ZUNION', '2', `${p}a`, `${p}b`, 'WITHSCORES'],
    ['ZUNION', '2', `${p}a`, `${p}b`, 'WEIGHTS', '2', '0.5', 'WITHSCORES'],
    ['ZUNION', '2', `${p}a`, `${p}b`, 'AGGREGATE', 'MIN', 'WITHSCORES'],
    ['ZUNION', '2', `${p}a`, `${p}b`, 'AGGREGATE', 'MAX', 'WITHSCORES'],
    ['ZUNION', '3', `${p}a`, `${p}b`, `${p}set`, 'WITHSCORES'],
    ['ZUNION', '2', `${p}a`, `${p}none`, 'WITHSCORES'],
    ['ZINTER', '2', `${p}a`, `${p}b`, 'WITHSCORES'],
    ['ZINTER', '2', `${p}a`, `${p}b`, 'AGGREGATE', 'MAX'],
    ['ZINTER', '2', `${p}a`, `${p}set`, 'WITHSCORES'],
    ['ZINTER', '2', `${p}a`, `${p}a`, 'WEIGHTS', '1', '3', 'WITHSCORES'],
    ['ZINTER', '2', `${p}a`, `${p}none`],
    ['ZDIFF', '2', `${p}a`, `${p}b`, 'WITHSCORES'],
    ['ZDIFF', '2', `${p}a`, `${p}set`],
    ['ZDIFF', '2', `${p}a`, `${p}a`],
    ['ZDIFF', '1', `${p}none`],
    ['ZDIFF', '2', `${p}a`, `${p}b`, 'WEIGHTS', '1', '2'],
    ['ZUNIONSTORE', `${p}out`, '2', `${p}a`, `${p}b`, 'WEIGHTS', '1', '-1'],
    ['ZRANGE', `${p}out`, '0', '-1', 'WITHSCORES'],
    ['OBJECT', 'ENCODING', `${p}out`],
    ['ZINTERSTORE', `${p}out`, '3', `${p}a`, `${p}b`, `${p}set`],
    ['EXISTS', `${p}out`],
    ['ZDIFFSTORE', `${p}out`, '2', `${p}a`, `${p}b`],
    ['ZRANGE', `${p}out`, '0', '-1', 'WITHSCORES'],
    ['ZUNIONSTORE', `${p}out`, '2', `${p}a`, `${p}b`, 'WITHSCORES'],
    ['ZINTERCARD', '2', `${p}a`, `${p}b`],
    ['ZINTERCARD', '2', `${p}a`, `${p}b`, 'LIMIT', '1'],
    ['ZINTERCARD', '2', `${p}a`, `${p}b`, 'LIMIT', '0'],
    ['ZINTERCARD', '2', `${p}a`, `${p}b`, 'LIMIT', '-1'],
    ['ZINTERCARD', '2', `${p}a`, `${p}b`, 'LIMIT', 'x'],
    ['ZINTERCARD', '2', `${p}a`, `${p}b`, 'WITHSCORES'],
    ['ZINTERCARD', '2', `${p}a`, `${p}set`],
    ['ZUNION', '0', `${p}a`],
    ['ZUNION', '-1', `${p}a`],
    ['ZUNION', 'x', `${p}a`],
    ['ZUNION', '3', `${p}a`, `${p}b`],
    ['ZUNIONSTORE', `${p}out`, '0', `${p}a`],
    ['ZINTERCARD', '0', `${p}a`],
    ['ZUNION', '2', `${p}a`, `${p}b`, 'WEIGHTS', '1'],
    ['ZUNION', '2', `${p}a`, `${p}b`, 'WEIGHTS', '1', 'x'],
    ['ZUNION', '2', `${p}a`, `${p}b`, 'AGGREGATE', 'AVG'],
    ['ZUNION', '2', `${p}a`, `${p}b`, 'AGGREGATE'],
    ['ZUNION', '2', `${p}a`, `${p}b`, 'FOO'],
    ['SET', `${p}str`, 'v'],
    ['ZUNION', '2', `${p}a`, `${p}str`, 'FOO'],
    ['ZADD', `${p}inf`, 'inf', 'a', '-inf', 'b'],
    ['ZADD', `${p}ninf`, '-inf', 'a', 'inf', 'b'],
    ['ZUNION', '2', `${p}inf`, `${p}ninf`, 'WITHSCORES'],
    ['ZINTER', '2', `${p}inf`, `${p}ninf`, 'WITHSCORES'],
    ['ZUNION', '2', `${p}inf`, `${p}ninf`, 'WEIGHTS', '0', '0', 'WITHSCORES'],
    ['ZUNION', '2', `${p}inf`, `${p}ninf`, 'WEIGHTS', '0', '1', 'AGGREGATE', 'MIN', 'WITHSCORES'],
  ]);

  test('ZSCAN (listpack: one reply in set order)', async () => {
    await expectSameReplies(servers(), [
      ['ZADD', 'sc', '1', 'a', '2', 'b', '3', 'c', '4', 'abc'],
      ['ZSCAN', 'sc', '0'],
      ['ZSCAN', 'sc', '0', 'COUNT', '1'],
      ['ZSCAN', 'sc', '7', 'MATCH', 'a*'],
      ['ZSCAN', 'none', '0'],
      ['ZSCAN', 'none', '0', 'FOO'],
      ['ZSCAN', 'sc', 'x'],
      ['ZSCAN', 'sc', '0', 'COUNT', '0'],
      ['ZSCAN', 'sc', '0', 'COUNT', 'x'],
      ['ZSCAN', 'sc', '0', 'FOO'],
    ]);
  });

  test('ZSCAN (skiplist: hash order differs, the members and scores returned do not)', async () => {
    const pair = servers();
    const members: string[] = [];
    for (let i = 0; i < 300; i++) members.push(String(i % 7), `m${i}`);
    await setBoth(pair, 'ZADD', 'scbig', ...members);
    const collect = async (client: Pair['redis']): Promise<string[]> => {
      const seen = new Set<string>();
      let cursor = '0';
      do {
        const text = (await client.call('ZSCAN', 'scbig', cursor, 'MATCH', 'm1*', 'COUNT', '20')).toString('latin1');
        const parts = text.split('\r\n').filter((line) => line.length > 0 && !/^[*$]/.test(line));
        cursor = parts[0];
        for (let i = 1; i + 1 < parts.length; i += 2) seen.add(`${parts[i]}=${parts[i + 1]}`);
      } while (cursor !== '0');
      return [...seen].sort();
    };
    const theirs = await collect(pair.redis);
    expect(theirs.length).toBe(111);
    expect(await collect(pair.ours)).toEqual(theirs);
  });

  test('listpack to skiplist conversion thresholds, and ZUNIONSTORE/ZRANGESTORE results packed again', async () => {
    const pair = servers();
    const long = 'x'.repeat(65);
    await setBoth(pair, 'CONFIG', 'SET', 'zset-max-listpack-entries', '4');
    try {
      await expectSameReplies(pair, [
        ['ZADD', 'c:a', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
        ['OBJECT', 'ENCODING', 'c:a'],
        ['ZADD', 'c:a', '5', 'e'],
        ['OBJECT', 'ENCODING', 'c:a'],
        ['ZREM', 'c:a', 'a', 'b', 'c'],
        ['OBJECT', 'ENCODING', 'c:a'],
        ['ZADD', 'c:b', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
        ['OBJECT', 'ENCODING', 'c:b'],
        ['ZADD', 'c:d', '1', long],
        ['OBJECT', 'ENCODING', 'c:d'],
        ['ZADD', 'c:e', '1', 'short'],
        ['ZADD', 'c:e', '1', long],
        ['OBJECT', 'ENCODING', 'c:e'],
        ['ZUNIONSTORE', 'c:u', '1', 'c:a'],
        ['OBJECT', 'ENCODING', 'c:u'],
        ['ZRANGESTORE', 'c:r', 'c:b', '0', '-1'],
        ['OBJECT', 'ENCODING', 'c:r'],
        ['ZRANGESTORE', 'c:r2', 'c:b', '0', '1'],
        ['OBJECT', 'ENCODING', 'c:r2'],
        ['ZRANGESTORE', 'c:r3', 'c:b', '-inf', '+inf', 'BYSCORE'],
        ['OBJECT', 'ENCODING', 'c:r3'],
        ['ZINCRBY', 'c:f', '1', long],
        ['OBJECT', 'ENCODING', 'c:f'],
        ['CONFIG', 'SET', 'zset-max-ziplist-entries', '1'],
        ['CONFIG', 'GET', 'zset-max-listpack-entries'],
        ['ZADD', 'c:g', '1', 'a', '2', 'b'],
        ['OBJECT', 'ENCODING', 'c:g'],
        ['CONFIG', 'SET', 'zset-max-listpack-value', '2'],
        ['CONFIG', 'SET', 'zset-max-listpack-entries', '10'],
        ['ZADD', 'c:h', '1', 'ab', '2', 'abc'],
        ['OBJECT', 'ENCODING', 'c:h'],
      ]);
    } finally {
      await setBoth(pair, 'CONFIG', 'SET', 'zset-max-listpack-entries', '128');
      await setBoth(pair, 'CONFIG', 'SET', 'zset-max-listpack-value', '64');
    }
  });

  test('a large set: random operations give the same replies', async () => {
    const pair = servers();
    // A deterministic LCG so both servers get the same commands.
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const commands: CommandArg[][] = [];
    for (let i = 0; i < 600; i++) {
      const pairs: string[] = [];
      for (let k = 0; k < 5; k++) pairs.push(String(next(50) - 25), `m${next(400)}`);
      commands.push(['ZADD', 'big', ...pairs]);
      const r = next(10);
      if (r === 0) commands.push(['ZREM', 'big', `m${next(400)}`, `m${next(400)}`]);
      if (r === 1) commands.push(['ZRANK', 'big', `m${next(400)}`]);
      if (r === 2) commands.push(['ZRANGE', 'big', String(next(300)), String(next(300)), 'WITHSCORES']);
      if (r === 3) commands.push(['ZRANGEBYSCORE', 'big', `(${next(50) - 25}`, String(next(50) - 25), 'LIMIT', String(next(5)), String(next(8))]);
      if (r === 4) commands.push(['ZCOUNT', 'big', String(next(50) - 25), String(next(50) - 25)]);
      if (r === 5) commands.push(['ZINCRBY', 'big', String(next(10) - 5), `m${next(400)}`]);
      if (r === 6) commands.push(['ZREVRANGE', 'big', String(next(300)), String(next(300))]);
      if (r === 7) commands.push(['ZREMRANGEBYSCORE', 'big', String(next(50) - 25), `(${next(50) - 25}`]);
      if (r === 8) commands.push(['ZREVRANK', 'big', `m${next(400)}`]);
      if (r === 9) commands.push(['ZPOPMIN', 'big', String(next(3))]);
    }
    commands.push(['ZRANGE', 'big', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'big']);
    await expectSameReplies(pair, commands);
  });

  test('RESP3 replies: doubles, nested WITHSCORES pairs, nulls', async () => {
    const pair = servers();
    await setBoth(pair, 'HELLO', '3');
    try {
      await expectSameReplies(pair, [
        ['ZADD', 'r3', '1', 'a', '2.5', 'b', 'inf', 'c'],
        ['ZSCORE', 'r3', 'b'],
        ['ZSCORE', 'r3', 'c'],
        ['ZSCORE', 'r3', 'x'],
        ['ZMSCORE', 'r3', 'a', 'x'],
        ['ZINCRBY', 'r3', '1', 'a'],
        ['ZADD', 'r3', 'XX', 'INCR', '1', 'nope'],
        ['ZRANGE', 'r3', '0', '-1', 'WITHSCORES'],
        ['ZRANGEBYSCORE', 'r3', '-inf', '+inf', 'WITHSCORES'],
        ['ZUNION', '1', 'r3', 'WITHSCORES'],
        ['ZPOPMIN', 'r3'],
        ['ZPOPMIN', 'r3', '1'],
        ['ZADD', 'r3', '1', 'a', '2', 'b'],
        ['ZMPOP', '1', 'r3', 'MAX', 'COUNT', '2'],
        ['ZMPOP', '1', 'r3', 'MAX'],
        ['ZRANK', 'r3', 'x'],
        ['ZSCAN', 'r3', '0'],
        ['ZRANDMEMBER', 'r3'],
      ]);
    } finally {
      await setBoth(pair, 'HELLO', '2');
    }
  });

  test('WATCH sees ZADD and friends; MULTI makes BZPOPMIN answer at once', async () => {
    const pair = servers();
    await expectSameReplies(pair, [
      ['ZADD', 'w', '1', 'a'],
      ['WATCH', 'w'],
      ['ZADD', 'w', '1', 'a'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['WATCH', 'w'],
      ['ZINCRBY', 'w', '1', 'a'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['MULTI'],
      ['BZPOPMIN', 'w-empty', '0'],
      ['BZPOPMIN', 'w', '0'],
      ['EXEC'],
    ]);
  });

  test('BZPOPMIN, BZPOPMAX and BZMPOP block until a ZADD wakes them, and time out', async () => {
    const transcript = async (client: RawClient, waker: RawClient): Promise<string[]> => {
      const out: string[] = [];
      const text = (b: Buffer): string => b.toString('latin1');
      await client.send('BZPOPMIN', 'blk:a', 'blk:b', '5');
      await new Promise((r) => setTimeout(r, 100));
      out.push(text(await waker.call('ZADD', 'blk:b', '2', 'x', '1', 'y')));
      out.push(text(await client.readBytes()));
      await client.send('BZMPOP', '5', '2', 'blk:a', 'blk:c', 'MAX', 'COUNT', '3');
      await new Promise((r) => setTimeout(r, 100));
      out.push(text(await waker.call('ZADD', 'blk:c', '1', 'p', '2', 'q')));
      out.push(text(await client.readBytes()));
      await client.send('BZPOPMAX', 'blk:d', '0.2');
      out.push(text(await client.readBytes()));
      out.push(text(await waker.call('EXISTS', 'blk:b', 'blk:c')));
      return out;
    };
    // Fresh servers: the suite's shared clients are one per server, and this needs two.
    const redis = await startRedisServer();
    const ours = await startServer({ port: 0, bind: LOOPBACK, logger: () => undefined });
    const clients = [
      await RawClient.connect(redis.port, LOOPBACK),
      await RawClient.connect(redis.port, LOOPBACK),
      await RawClient.connect(ours.port, LOOPBACK),
      await RawClient.connect(ours.port, LOOPBACK),
    ];
    try {
      const theirs = await transcript(clients[0], clients[1]);
      const mine = await transcript(clients[2], clients[3]);
      expect(mine).toEqual(theirs);
      expect(theirs[1]).toBe('*3\r\n$5\r\nblk:b\r\n$1\r\ny\r\n$1\r\n1\r\n');
    } finally {
      for (const c of clients) await c.close();
      await ours.close();
      await redis.stop();
    }
  });
  test('Valkey-only forms (not in 7.0) answer on ours', async () => {
    const replies = await oursOnly(servers(), [
      ['ZADD', 'v', '1', 'a', '2', 'b'],
      ['ZRANK', 'v', 'b', 'WITHSCORE'],
      ['ZREVRANK', 'v', 'b', 'WITHSCORE'],
      ['ZRANK', 'v', 'x', 'WITHSCORE'],
      ['ZSCAN', 'v', '0', 'NOSCORES'],
    ]);
    expect(replies).toEqual([
      ':2\r\n',
      '*2\r\n:1\r\n$1\r\n2\r\n',
      '*2\r\n:0\r\n$1\r\n2\r\n',
      '*-1\r\n',
      '*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n',
    ]);
  });
});
