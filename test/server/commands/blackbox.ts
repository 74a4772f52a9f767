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
  }, 30000);
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

/** Runs each command on both servers and returns both transcripts (one line per reply). */
export async function transcripts(pair: Pair, commands: readonly (readonly CommandArg[])[]): Promise<[string[], string[]]> {
  const theirs: string[] = [];
  const mine: string[] = [];
  for (const command of commands) {
    const label = command.map((a) => (Buffer.isBuffer(a) ? `<${a.toString('hex')}>` : String(a))).join(' ');
    theirs.push(`${label} -> ${JSON.stringify((await pair.redis.call(...command)).toString('latin1'))}`);
    mine.push(`${label} -> ${JSON.stringify((await pair.ours.call(...command)).toString('latin1'))}`);
  }
  return [theirs, mine];
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
