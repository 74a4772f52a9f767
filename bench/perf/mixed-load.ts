/**
 * The mixed workload (bench/mixed-workload.ts) against a running server, for profile.sh:
 *
 *   npx ts-node --transpile-only bench/perf/mixed-load.ts <port> [pipeline=16] [requests=1000000]
 *
 * Preloads the string keys GET reads, runs the realistic mix and prints its throughput.
 */
import { MIX_STRING_KEYS, preloadMixKey, REALISTIC_MIX, runLoad } from '../mixed-workload';
import { loadCommands } from '../pipelined-load';

async function main(): Promise<void> {
  const [port, pipeline = '16', requests = '1000000'] = process.argv.slice(2);
  if (port === undefined) throw new Error('usage: mixed-load.ts <port> [pipeline] [requests]');
  await loadCommands(Number(port), MIX_STRING_KEYS, preloadMixKey);
  const result = await runLoad(Number(port), { clients: 50, pipeline: Number(pipeline), requests: Number(requests), mix: REALISTIC_MIX });
  console.log(`mixed: ${Math.round(result.rps)} requests per second`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
