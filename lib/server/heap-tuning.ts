/**
 * V8 heap settings for a process whose job is to be a cache server (called by the command line,
 * never by the library: an application embedding the server keeps its own heap settings).
 *
 * The young generation ("nursery") is fixed at 8 MiB semi-spaces. A cache's live data grows
 * steadily, and V8 reacts to a high survival rate by doubling the nursery up to its maximum (16
 * MiB semi-spaces, about 48 MiB resident), memory spent on nothing; so the command line sets the
 * growth factor to 1 at start-up (the flag is read each time the nursery would grow) and the
 * nursery stays at its initial size. That size is node's `--min-semi-space-size`, which only the
 * command line can give: NURSERY_FLAG, passed by every launcher (the bin's shebang, `npm start`,
 * the self-hosted instance's start script, the test and benchmark harnesses; a test checks that
 * they agree). 8 MiB rather than V8's 1 MiB start: with one command at a time from many clients
 * (the benchmark's mixed workload), the small collections' packed strings that a write replaces
 * mostly die in a large nursery instead of being promoted first: 4-12% less CPU per request at
 * -P 16 in three A/B runs (1.58 vs 1.70 µs over 5 rounds). The price is a fixed ~14 MiB of
 * resident memory, 14 bytes per key at 1,000,000 keys (bench/perf/memory.ts: 171 against 157
 * bytes/key, redis-server 132). For GET and SET alone the nursery size did not matter (1, 4 and
 * 16 MiB gave the same CPU per request).
 */
import * as v8 from 'node:v8';

/** The node flag that sizes the nursery; launchers pass it before the script (see above). */
export const NURSERY_FLAG = '--min-semi-space-size=8';

export function tuneHeapForCacheServer(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * With maxmemory set, eviction keeps the live data under the limit, but V8 only returns the
 * memory of evicted values at its next full GC, which by default it lets the old generation
 * reach up to several times the live size first (its heap growing factor, up to 4). A cache
 * whose whole job is to stay within maxmemory trades some GC time for a limit 20% above live
 * data: measured with maxmemory 64mb and 300 MB written, resident memory grew by 104–114 MB
 * instead of up to 257 MB. Without maxmemory V8's own choice stands. The flag is read each
 * time V8 sets the next GC limit, so it takes effect when maxmemory changes at runtime too.
 */
export function tuneHeapForMaxmemory(maxmemory: number): void {
  v8.setFlagsFromString(maxmemory > 0 ? '--heap-growing-percent=20' : '--heap-growing-percent=0');
}
