/**
 * Black-box comparison: the same command sequence goes to redis-server (the oracle, started on a
 * free loopback port) and to our server (startServer in-process), and the reply bytes must be
 * identical. Each suite gets its own pair of servers; keys are namespaced per test by the caller.
 */
import { testServerConfig } from '../support/scratch-dir';
import { type CacheServer, startServer } from '../../../lib/server';
import { LOOPBACK, RawClient, type ServerHandle, startRedisServer } from '../../support';
import type { CommandArg } from '../../support/resp';

export interface Pair {
  redis: RawClient;
  ours: RawClient;
}

/** Starts both servers before the suite's tests and stops them after. */
export function useServerPair(): () => Pair {
  let redisHandle: ServerHandle | undefined;
  let server: CacheServer | undefined;
  let pair: Pair | undefined;
  beforeAll(async () => {
    redisHandle = await startRedisServer();
    server = await startServer({ port: 0, bind: LOOPBACK, logger: () => undefined, config: testServerConfig() });
    pair = {
      redis: await RawClient.connect(redisHandle.port, LOOPBACK),
      ours: await RawClient.connect(server.port, LOOPBACK),
    };
  }, 120_000);
  afterAll(async () => {
    await pair?.redis.close();
    await pair?.ours.close();
    await server?.close();
    await redisHandle?.stop();
  });
  return () => {
    if (pair === undefined) throw new Error('servers not started');
    return pair;
  };
}

/**
 * Runs each command on both servers and returns both transcripts (one line per reply).
 *
 * TTL and PTTL count down while the run goes on, and the two servers read their clocks at
 * different moments: a positive reply of ours is recorded as the oracle's when the two differ by
 * no more than the run had time to make them differ (see withinCountdown), so that a slow moment
 * of a loaded machine does not fail the comparison. Exact rounding is pinned on a fake clock in
 * keys.test.ts and strings.test.ts; -1 and -2 are always compared exactly.
 */
export async function transcripts(pair: Pair, commands: readonly (readonly CommandArg[])[]): Promise<[string[], string[]]> {
  const theirs: string[] = [];
  const mine: string[] = [];
  // Every deadline the run reads was set (or, for EXPIREAT-style times, read) after this moment.
  const started = Date.now();
  for (const command of commands) {
    const label = command.map((a) => (Buffer.isBuffer(a) ? `<${a.toString('hex')}>` : String(a))).join(' ');
    const their = (await pair.redis.call(...command)).toString('latin1');
    const my = (await pair.ours.call(...command)).toString('latin1');
    const elapsedMs = Date.now() - started;
    theirs.push(`${label} -> ${JSON.stringify(their)}`);
    mine.push(`${label} -> ${JSON.stringify(withinCountdown(command, their, my, elapsedMs) ? their : my)}`);
  }
  return [theirs, mine];
}

/**
 * True when `mine` and `theirs` are non-negative TTL/PTTL replies that can differ by this much
 * only because time passed: each server's time left lies in [U - elapsed, U] for the same U (the
 * TTL set during the run, or an absolute time minus the run's start), so the two replies are at
 * most `elapsedMs` apart in ms, or ceil(elapsedMs / 1000) apart in rounded seconds.
 */
export function withinCountdown(command: readonly CommandArg[], theirs: string, mine: string, elapsedMs: number): boolean {
  const name = String(command[0]).toUpperCase();
  if (name !== 'TTL' && name !== 'PTTL') return false;
  const a = /^:(\d+)\r\n$/.exec(theirs);
  const b = /^:(\d+)\r\n$/.exec(mine);
  if (a === null || b === null) return false;
  const allowed = name === 'PTTL' ? elapsedMs : Math.ceil(elapsedMs / 1000);
  return Math.abs(Number(a[1]) - Number(b[1])) <= allowed;
}

/** Asserts our replies equal redis-server's, byte for byte, command by command. */
export async function expectSameReplies(pair: Pair, commands: readonly (readonly CommandArg[])[]): Promise<void> {
  const [theirs, mine] = await transcripts(pair, commands);
  expect(mine).toEqual(theirs);
}

/** Runs commands on our server only and returns the raw replies (for Valkey-only behaviour). */
export async function oursOnly(pair: Pair, commands: readonly (readonly CommandArg[])[]): Promise<string[]> {
  const out: string[] = [];
  for (const command of commands) out.push((await pair.ours.call(...command)).toString('latin1'));
  return out;
}
