/**
 * The nursery flag (heap-tuning.ts NURSERY_FLAG) can only be given on node's command line, so each
 * launcher carries a copy: they must all agree with the one the code names, and the flag must do
 * what the comment says (a nursery of that size, kept there by the CLI's growth factor of 1).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NURSERY_FLAG } from '../../lib/server/heap-tuning';
import { OUR_CLI } from '../support';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

test.each([
  ['the bin (shebang, for npx cdk-valkey-server)', (): string => read('bin/cdk-valkey-server.ts').split('\n')[0]],
  ['the built bin', (): string => fs.readFileSync(OUR_CLI, 'utf8').split('\n')[0]],
  ['npm start', (): string => (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start],
  ['the self-hosted instance start script', (): string => /exec "\$node" [^\n]*"\$SERVER_JS"/.exec(read('lib/self-hosted/instance-files/cdk-valkey.sh'))?.[0] ?? ''],
  ['the profiler script', (): string => /exec node [^\n]*"\$cli"/.exec(read('bench/perf/profile.sh'))?.[0] ?? ''],
])('%s passes the nursery flag before the script', (_where, line) => {
  const words = line().split(/\s+/);
  const flag = words.indexOf(NURSERY_FLAG);
  expect(flag).toBeGreaterThan(0);
  // Node flags go before the script (a shebang line names none: the script follows it).
  const script = words.findIndex((w) => /cdk-valkey-server\.js|SERVER_JS|"\$cli"/.test(w));
  if (script >= 0) expect(flag).toBeLessThan(script);
});

test('a process started with the flag has a nursery of that size, which the growth factor of 1 keeps', () => {
  const mib = Number(/=(\d+)$/.exec(NURSERY_FLAG)?.[1]);
  const script = `
    const v8 = require('node:v8');
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    const keep = [];
    // Survivors (as a cache's values are) would make V8 double the nursery without the factor of 1.
    for (let i = 0; i < 400000; i++) keep.push('v' + i);
    const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
    console.log(s.space_size);
  `;
  const run = spawnSync(process.execPath, [NURSERY_FLAG, '-e', script], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  // new_space holds two semi-spaces.
  expect(Number(run.stdout.trim())).toBe(2 * mib * 1024 * 1024);
});
