/**
 * The mixed workload (bench/mixed-workload.ts) against a running server, for profile.sh:
 *
 *   npx ts-node --transpile-only bench/perf/mixed-load.ts <port> [pipeline=16] [requests=1000000] [commands]
 *
 * Preloads the string keys GET reads, runs the realistic mix and prints its throughput. With
 * `commands` (`HSET+HGET`), runs only those commands of the mix, at their weights, after the
 * whole mix has run once to fill the collections they read.
 */
import { MIX_STRING_KEYS, preloadMixKey, REALISTIC_MIX, realisticMixPart, runLoad } from '../mixed-workload';
import { loadCommands } from '../pipelined-load';

async function main(): Promise<void> {
  const [port, pipeline = '16', requests = '1000000', commands] = process.argv.slice(2);
  if (port === undefined) throw new Error('usage: mixed-load.ts <port> [pipeline] [requests] [commands]');
  await loadCommands(Number(port), MIX_STRING_KEYS, preloadMixKey);
  const options = { clients: 50, pipeline: Number(pipeline), requests: Number(requests) };
  if (commands !== undefined) await runLoad(Number(port), { ...options, mix: REALISTIC_MIX });
  const result = await runLoad(Number(port), { ...options, mix: commands === undefined ? REALISTIC_MIX : realisticMixPart(commands) });
  console.log(`${commands ?? 'mixed'}: ${Math.round(result.rps)} requests per second`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
