/**
 * Seeded random command streams (random-commands.ts), pipelined in batches to redis-server and
 * ours; every reply must match (after known-differences.ts). On failure the message names the
 * seed, the index of the first divergent command and the commands before it; rerun one seed with
 * DIFF_SEED=<seed> (and DIFF_COUNT=<n> for a longer or shorter stream).
 */
import { type CommandArg, RawClient, type ReadResult } from '../support';
import { type Entry, flushBoth, TranscriptComparator, useServerPair } from './differential-harness';
import { CommandGenerator, Rng } from './random-commands';

const BATCH = 250;
/** 3 seeds x 17,000 commands = 51,000 random commands per CI run, across every family. */
/**
 * Seed 99 is not here: its stream hits SET … EXAT <past> on a missing, WATCHed key, where ours
 * follows Valkey 8.1+ and redis-server 7.0 does not (pinned in differential-transactions.test.ts).
 */
const SEEDS = process.env.DIFF_SEED !== undefined ? [Number(process.env.DIFF_SEED)] : [20261125, 424242, 7];
const COUNT = Number(process.env.DIFF_COUNT ?? 17000);
/**
 * Triage aid, never set in CI: DIFF_EXCLUDE=PUBSUB,BITCOUNT drops those commands from the stream,
 * to look past a known divergence for the next one.
 */
const EXCLUDE = new Set((process.env.DIFF_EXCLUDE ?? '').split(',').filter((c) => c.length > 0).map((c) => c.toUpperCase()));

function labelOf(args: readonly CommandArg[]): string {
  return args
    .map((a) => {
      const text = Buffer.isBuffer(a) ? a.toString('latin1') : String(a);
      return /^[\x21-\x7e]+$/.test(text) ? text : JSON.stringify(text);
    })
    .join(' ');
}

async function runBatch(client: RawClient, batch: readonly CommandArg[][]): Promise<Entry[]> {
  await client.sendMany(batch);
  const entries: Entry[] = [];
  let stalled = false;
  for (const args of batch) {
    // 15 s only bounds a hang (a loaded machine can stall a reply for seconds); once a reply is
    // missing, the rest of the batch waits briefly, so one divergence does not cost minutes.
    const result: ReadResult = await client.read(stalled ? 200 : 15000);
    if (result.kind !== 'reply') stalled = true;
    entries.push({
      conn: 'a',
      args: args.map((a) => (Buffer.isBuffer(a) ? a.toString('latin1') : String(a))),
      label: labelOf(args),
      results: [result],
    });
  }
  return entries;
}

describe('differential: seeded random command streams', () => {
  const servers = useServerPair();

  const run = async (seed: number): Promise<void> => {
    const pair = servers();
    await flushBoth(pair);
    const generator = new CommandGenerator(new Rng(seed));
    const commands: CommandArg[][] = [];
    while (commands.length < COUNT) {
      const command = generator.next();
      if (!EXCLUDE.has(String(command[0]).toUpperCase())) commands.push(command);
    }
    commands.push(...generator.finish());

    const [redis, ours] = await Promise.all([RawClient.connect(pair.redis.port), RawClient.connect(pair.ours.port)]);
    const comparator = new TranscriptComparator(25);
    let compared = 0;
    try {
      for (let start = 0; start < commands.length; start += BATCH) {
        const batch = commands.slice(start, start + BATCH);
        const [o, u] = await Promise.all([runBatch(redis, batch), runBatch(ours, batch)]);
        // The comparator carries MULTI state and context lines across batches.
        const divergence = comparator.feed(o, u);
        compared += batch.length;
        if (divergence !== undefined) {
          throw new Error(`seed ${seed} (rerun: DIFF_SEED=${seed} DIFF_COUNT=${COUNT}), command #${divergence.index + 1}\n${divergence.message}`);
        }
      }
      expect(compared).toBe(commands.length);
    } finally {
      await Promise.all([redis.close(), ours.close()]);
    }
  };

  test.each(SEEDS)(`seed %i, ${COUNT} commands`, run);
});
