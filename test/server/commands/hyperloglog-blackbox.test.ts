/**
 * HyperLogLog against redis-server 7.0: the stored bytes (GET) after the same inserts must be
 * identical — sparse and dense, across the sparse→dense promotion, after merges — and so must
 * PFCOUNT, since the algorithm is the same.
 */
import { createHash } from 'node:crypto';
import type { CommandArg } from '../../support/resp';
import { type Pair, useServerPair } from './blackbox';

const servers = useServerPair();

/** Elements e:<prefix>:0 … e:<prefix>:<n-1>. */
function elements(prefix: string, n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => `e:${prefix}:${i + from}`);
}

/** A reply as a transcript line: short ones verbatim, long ones (dense HLLs) as length + digest. */
function describe_(reply: Buffer): string {
  if (reply.length <= 200) return JSON.stringify(reply.toString('latin1'));
  return `${reply.length} bytes sha1 ${createHash('sha1').update(reply).digest('hex')}`;
}

/** Runs the commands on both servers and compares every reply (GETs included) byte for byte. */
async function same(commands: CommandArg[][]): Promise<void> {
  const pair = servers();
  const theirs: string[] = [];
  const mine: string[] = [];
  for (const command of commands) {
    const label = command.map((a) => (Buffer.isBuffer(a) ? `<${a.toString('hex')}>` : String(a))).join(' ').slice(0, 120);
    const [r, o] = await both(pair, ...command);
    theirs.push(`${label} -> ${describe_(r)}`);
    mine.push(`${label} -> ${describe_(o)}`);
  }
  expect(mine).toEqual(theirs);
}

async function both(pair: Pair, ...command: CommandArg[]): Promise<[Buffer, Buffer]> {
  return [await pair.redis.call(...command), await pair.ours.call(...command)];
}

describe('HyperLogLog against redis-server', () => {
  test('PFADD creates a sparse HLL with the same bytes; PFCOUNT caches the count in the header', async () => {
    await same([
      ['PFADD', 'h:a'],
      ['GET', 'h:a'],
      ['TYPE', 'h:a'],
      ['PFADD', 'h:a', 'x'],
      ['GET', 'h:a'],
      ['PFADD', 'h:a', 'x'],
      ['PFADD', 'h:a', 'y', 'z', Buffer.from([0, 255, 1])],
      ['GET', 'h:a'],
      ['PFCOUNT', 'h:a'],
      ['GET', 'h:a'],
      ['PFCOUNT', 'h:a'],
      ['PFCOUNT', 'h:missing'],
      ['PFADD', 'h:a', 'w'],
      ['GET', 'h:a'],
      ['STRLEN', 'h:a'],
      ['EXPIRE', 'h:a', '1000'],
      ['PFADD', 'h:a', 'ttl-kept'],
      ['PFCOUNT', 'h:a'],
      ['TTL', 'h:a'],
    ]);
  });

  test('hashing: elements of every length 0..40 land in the same registers', async () => {
    const lengths = Array.from({ length: 41 }, (_, n) => 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'.slice(0, n));
    await same([['PFADD', 'h:len', ...lengths], ['GET', 'h:len'], ['PFCOUNT', 'h:len']]);
  });

  test('sparse growth, merging of VAL runs, and promotion to dense at hll-sparse-max-bytes', async () => {
    const commands: CommandArg[][] = [];
    for (let batch = 0; batch < 40; batch++) {
      commands.push(['PFADD', 'h:grow', ...elements('g', 100, batch * 100)]);
      commands.push(['STRLEN', 'h:grow']);
      if (batch % 5 === 4) commands.push(['GET', 'h:grow'], ['PFCOUNT', 'h:grow']);
    }
    commands.push(['PFDEBUG', 'ENCODING', 'h:grow']);
    await same(commands);
  });

  test('a lower hll-sparse-max-bytes promotes earlier', async () => {
    const pair = servers();
    for (const client of [pair.redis, pair.ours]) await client.call('CONFIG', 'SET', 'hll-sparse-max-bytes', '200');
    try {
      await same([
        ['PFADD', 'h:small', ...elements('s', 30)],
        ['PFDEBUG', 'ENCODING', 'h:small'],
        ['PFADD', 'h:small', ...elements('s', 200, 30)],
        ['PFDEBUG', 'ENCODING', 'h:small'],
        ['GET', 'h:small'],
      ]);
    } finally {
      for (const client of [pair.redis, pair.ours]) await client.call('CONFIG', 'SET', 'hll-sparse-max-bytes', '3000');
    }
  });

  test('dense values with high registers (set directly) count and merge the same', async () => {
    // A dense HLL whose first registers hold 40, 63, 1 and 33: above what a sparse VAL can hold.
    const dense = Buffer.alloc(16 + 12288);
    dense.write('HYLL', 0, 'latin1');
    dense[15] = 0x80;
    const registers = [40, 63, 1, 33];
    let bits = 0n;
    registers.forEach((v, i) => (bits |= BigInt(v) << BigInt(6 * i)));
    for (let b = 0; b < 3; b++) dense[16 + b] = Number((bits >> BigInt(8 * b)) & 0xffn);
    await same([
      ['SET', 'h:hi', dense],
      ['PFCOUNT', 'h:hi'],
      ['GET', 'h:hi'],
      ['PFADD', 'h:lo', 'a', 'b'],
      ['PFMERGE', 'h:lo', 'h:hi'],
      ['PFDEBUG', 'ENCODING', 'h:lo'],
      ['GET', 'h:lo'],
      ['PFCOUNT', 'h:lo', 'h:hi'],
    ]);
  });

  test('PFCOUNT of several keys is the union, with no cache written', async () => {
    await same([
      ['PFADD', 'h:u1', ...elements('u', 500)],
      ['PFADD', 'h:u2', ...elements('u', 500, 250)],
      ['PFADD', 'h:u3', ...elements('v', 5000)],
      ['PFCOUNT', 'h:u1', 'h:u2'],
      ['PFCOUNT', 'h:u1', 'h:u2', 'h:u3', 'h:none'],
      ['GET', 'h:u1'],
      ['PFCOUNT', 'h:u1'],
      ['PFCOUNT', 'h:u3'],
      ['GET', 'h:u3'],
    ]);
  });

  test('PFMERGE: sparse into sparse, dense sources make the target dense, an existing target is included', async () => {
    await same([
      ['PFADD', 'h:m1', ...elements('m', 50)],
      ['PFADD', 'h:m2', ...elements('m', 50, 40)],
      ['PFMERGE', 'h:mt', 'h:m1', 'h:m2'],
      ['GET', 'h:mt'],
      ['PFCOUNT', 'h:mt'],
      ['PFADD', 'h:m3', ...elements('n', 4000)],
      ['PFMERGE', 'h:mt', 'h:m3'],
      ['PFDEBUG', 'ENCODING', 'h:mt'],
      ['GET', 'h:mt'],
      ['PFCOUNT', 'h:mt'],
      ['PFMERGE', 'h:only'],
      ['GET', 'h:only'],
      ['PFMERGE', 'h:m1', 'h:none'],
      ['GET', 'h:m1'],
    ]);
  });

  test('errors: wrong types, strings that are not HLLs, corrupted sparse data', async () => {
    const validSparse = Buffer.concat([Buffer.from('HYLL'), Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80])]);
    // XZERO of 16000 registers: 384 short of the 16384 a sparse HLL must describe.
    const shortRun = Buffer.concat([validSparse, Buffer.from([0x40 | (15999 >> 8), 15999 & 0xff])]);
    // VAL runs past the last register.
    const overrun = Buffer.concat([validSparse, Buffer.from([0x7f, 0xff, 0x83])]);
    await same([
      ['SET', 'h:str', 'hello'],
      ['PFADD', 'h:str', 'a'],
      ['PFCOUNT', 'h:str'],
      ['PFCOUNT', 'h:str', 'h:other'],
      ['PFMERGE', 'h:dst', 'h:str'],
      ['RPUSH', 'h:list', 'a'],
      ['PFADD', 'h:list', 'a'],
      ['PFCOUNT', 'h:list'],
      ['PFMERGE', 'h:list', 'h:str'],
      ['SET', 'h:badenc', Buffer.concat([Buffer.from('HYLL'), Buffer.from([2]), Buffer.alloc(11)])],
      ['PFCOUNT', 'h:badenc'],
      ['SET', 'h:shortdense', Buffer.concat([Buffer.from('HYLL'), Buffer.alloc(20)])],
      ['PFCOUNT', 'h:shortdense'],
      ['SET', 'h:hdr', 'HYLL'],
      ['PFADD', 'h:hdr', 'x'],
      ['SET', 'h:short', shortRun],
      ['PFCOUNT', 'h:short'],
      ['PFCOUNT', 'h:short', 'h:none'],
      ['PFMERGE', 'h:dst2', 'h:short'],
      ['SET', 'h:over', overrun],
      ['PFCOUNT', 'h:over'],
      ['PFMERGE', 'h:dst3', 'h:over'],
      ['PFADD', 'h:over', 'a', 'b', 'c'],
      ['SET', 'h:over', overrun],
      ['PFDEBUG', 'TODENSE', 'h:over'],
      ['SET', 'h:zover', Buffer.concat([validSparse, Buffer.from([0x7f, 0xff, 0x00])])],
      ['PFCOUNT', 'h:zover'],
      ['PFMERGE', 'h:dst4', 'h:zover'],
      ['PFDEBUG', 'GETREG', 'h:zover'],
      ['EXISTS', 'h:dst2', 'h:dst3', 'h:dst4'],
      ['PFADD'],
      ['PFCOUNT'],
      ['PFMERGE'],
    ]);
  });

  test('a valid cached cardinality in the header is returned as is', async () => {
    const header = Buffer.concat([Buffer.from('HYLL'), Buffer.from([1, 0, 0, 0, 42, 1, 0, 0, 0, 0, 0, 0])]);
    const value = Buffer.concat([header, Buffer.from([0x7f, 0xff])]);
    await same([['SET', 'h:cached', value], ['PFCOUNT', 'h:cached'], ['PFADD', 'h:cached', 'a'], ['PFCOUNT', 'h:cached'], ['GET', 'h:cached']]);
  });

  test('PFDEBUG subcommands', async () => {
    await same([
      ['PFADD', 'h:dbg', 'a', 'b', 'c'],
      ['PFDEBUG', 'DECODE', 'h:dbg'],
      ['PFDEBUG', 'ENCODING', 'h:dbg'],
      ['PFDEBUG', 'TODENSE', 'h:dbg'],
      ['PFDEBUG', 'TODENSE', 'h:dbg'],
      ['PFDEBUG', 'DECODE', 'h:dbg'],
      ['GET', 'h:dbg'],
      ['PFDEBUG', 'NOPE', 'h:dbg'],
      ['PFDEBUG', 'ENCODING', 'h:nokey'],
    ]);
  });

  test('PFCOUNT stays within the documented error (0.81%) and equals redis-server at every size', async () => {
    const pair = servers();
    let added = 0;
    for (const target of [10, 100, 1000, 10000, 50000]) {
      while (added < target) {
        const batch = elements('acc', Math.min(1000, target - added), added);
        await both(pair, 'PFADD', 'h:acc', ...batch);
        added += batch.length;
      }
      const [theirs, mine] = await both(pair, 'PFCOUNT', 'h:acc');
      expect(mine.toString()).toBe(theirs.toString());
      const estimate = Number(mine.toString().slice(1));
      // 0.81% standard error; allow 4 sigma.
      expect(Math.abs(estimate - target) / target).toBeLessThan(0.0325);
    }
  });
});
