/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time per function, and total time per
 * area of the server (parser, dispatch, handler, keyspace, reply, socket/stream internals, GC).
 *
 *   npx ts-node --transpile-only bench/perf/profile-summary.ts /tmp/prof/CPU.*.cpuprofile [top]
 *
 * An area's time is the self time of every function whose source file belongs to it; native
 * frames ("(garbage collector)", "(program)", writev/readStart natives) are kept by name.
 */
import * as fs from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The area a frame belongs to, from its file and name. */
function area(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'native/program';
  if (url.includes('resp-parser')) return 'parser';
  if (url.includes('reply-writer')) return 'reply';
  if (url.includes('dispatch')) return 'dispatch';
  if (url.includes('/commands/')) return 'handler';
  if (url.includes('/keyspace/')) return 'keyspace';
  if (url.includes('server/server') || url.includes('server/client')) return 'server (read/flush loop)';
  if (url.includes('node:net') || url.includes('node:internal/stream_base') || url.includes('node:internal/streams')) return 'node socket/stream';
  if (url.startsWith('node:')) return `node other (${url.replace('node:internal/', '')})`;
  if (url === '') return `native: ${name}`;
  return url;
}

function main(): void {
  const file = process.argv[2];
  const top = Number(process.argv[3] ?? 30);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byId.set(n.id, n);
  const self = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
    total += dt;
  }
  const idle = [...self.entries()].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id) as ProfileNode;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') continue;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(lib|node_modules)\//, '$1/')}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + t);
    const a = area(url, functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + t);
  }
  const pct = (t: number): string => `${((t * 100) / busy).toFixed(1).padStart(5)}%`;
  console.log(`busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s sampled`);
  console.log('\nby area (self time, % of busy):');
  for (const [a, t] of [...byArea.entries()].sort((x, y) => y[1] - x[1])) console.log(`  ${pct(t)}  ${a}`);
  console.log(`\ntop ${top} functions (self time):`);
  for (const [k, t] of [...byFunction.entries()].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${pct(t)}  ${k}`);
}

main();
