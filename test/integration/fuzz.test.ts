/**
 * Protocol fuzzing of our server running as a CHILD PROCESS: at least 100,000 random and mutated
 * frames (valid commands, truncated, flipped bytes, huge and negative lengths, inline garbage,
 * frames interleaved byte-wise, written in random chunk sizes) over many concurrent connections.
 *
 * Afterwards the server must be alive, answer PING on a fresh connection, have no connection and
 * no subscription left over, and its resident memory must be back near the baseline taken after
 * a warm-up round (tolerance below). Seeded: FUZZ_SEED=<n> replays a run; FUZZ_FRAMES scales it.
 * FUZZ_TARGET=redis points the same test at redis-server, a check of the test itself.
 *
 * Inputs that ever crashed or hung the server are kept in REGRESSIONS and replayed first.
 */
import * as net from 'node:net';
import { type CommandArg, encodeCommand, LOOPBACK, RawClient, residentBytes, startOurServer, startRedisServer, type ServerHandle, waitUntil } from '../support';
import { CommandGenerator, Rng } from './random-commands';

const SEED = Number(process.env.FUZZ_SEED ?? 1125);
const TOTAL_FRAMES = Number(process.env.FUZZ_FRAMES ?? 200_000);
const CONCURRENCY = 16;
/**
 * Whole-run bound: the test fails rather than run on past this. Only a hang bound: the run was
 * seen taking 42 s of the old 45 s bound on a loaded machine; speed is measured by the bench.
 */
const RUN_BUDGET_MS = 240_000;
/** A connection not closed this long after our EOF counts as hung (a loaded machine is slow, not stuck). */
const CLOSE_WAIT_MS = 30_000;
/**
 * RSS after the run (and a FLUSHALL) may exceed the warmed-up baseline by this much: V8's heap
 * settles ~15-20 MiB above the post-warm-up size and stays there however long the run (measured:
 * +19 MiB after 100k frames, +15 MiB after 300k); a per-frame or per-connection leak grows past it.
 */
const RSS_TOLERANCE_BYTES = 40 * 1024 * 1024;

/**
 * Inputs kept because they once crashed or hung a server; each is sent on its own connection.
 * (None has so far: add `{ name, bytes }` here when the fuzzer finds one — the failure message
 * prints the connection's input as a hex string.)
 */
const REGRESSIONS: readonly { readonly name: string; readonly hex: string }[] = [
  // Shapes that stress resumable parsing and limits, kept as a baseline.
  { name: 'bulk header at the 512MB limit, then EOF', hex: Buffer.from('*2\r\n$4\r\nECHO\r\n$536870912\r\n').toString('hex') },
  { name: 'multibulk count 1048576 with nothing after', hex: Buffer.from('*1048576\r\n').toString('hex') },
  { name: 'inline quotes and escapes', hex: Buffer.from('SET "\\x4" \'a\\\'b\' "\\xzz"\r\nGET "a\r\n').toString('hex') },
  { name: 'CR without LF in a multibulk header', hex: Buffer.from('*2\r$3\r\nGET\r\n').toString('hex') },
  { name: 'subscribe then garbage', hex: Buffer.from('*2\r\n$9\r\nSUBSCRIBE\r\n$1\r\nc\r\n\x00\xff\r\n*1\r\n$4\r\nPING\r\n').toString('hex') },
];

const EXTRA_COMMANDS: readonly (readonly CommandArg[])[] = [
  ['SUBSCRIBE', 'ch1', 'ch2'],
  ['PSUBSCRIBE', 'ch*'],
  ['SSUBSCRIBE', 'ch1'],
  ['UNSUBSCRIBE'],
  ['PUNSUBSCRIBE', 'ch*'],
  ['SUNSUBSCRIBE'],
  ['PUBLISH', 'ch1', 'fuzz'],
  ['CLIENT', 'REPLY', 'OFF'],
  ['CLIENT', 'REPLY', 'ON'],
  ['CLIENT', 'REPLY', 'SKIP'],
  ['CLIENT', 'SETNAME', 'fuzzer'],
  ['CLIENT', 'GETNAME'],
  ['CLIENT', 'LIST'],
  ['CLIENT', 'INFO'],
  ['HELLO', '3'],
  ['HELLO', '2'],
  ['HELLO', '3', 'SETNAME', 'x'],
  ['RESET'],
  ['QUIT'],
  ['MULTI'],
  ['EXEC'],
  ['DISCARD'],
  ['WATCH', 'k1'],
  ['AUTH', 'nopass'],
  ['FLUSHALL'],
  ['INFO'],
  ['TIME'],
  ['COMMAND', 'COUNT'],
  ['CONFIG', 'GET', 'maxmemory'],
];

const HUGE_LENGTHS = ['$2147483648', '$99999999999999999999', '$536870913', '$400000000', '$1048577', '*1048577', '*2147483647', '*99999999999', '$9223372036854775807', '*9223372036854775808'];
const NEGATIVE_LENGTHS = ['$-2', '$-1', '*-5', '*-1', '$-99999999999'];

class FrameSource {
  private readonly generator: CommandGenerator;

  constructor(private readonly rng: Rng) {
    this.generator = new CommandGenerator(rng);
  }

  valid(): Buffer {
    const r = this.rng;
    if (r.chance(0.15)) return encodeCommand(r.pick(EXTRA_COMMANDS));
    if (r.chance(0.05)) return Buffer.from(`${this.generator.next().map(String).join(' ')}\r\n`, 'latin1');
    return encodeCommand(this.generator.next());
  }

  mutated(): Buffer {
    const r = this.rng;
    const frame = Buffer.from(this.valid());
    switch (r.int(0, 9)) {
      case 0:
        return frame.subarray(0, r.int(0, Math.max(0, frame.length - 1)));
      case 1: {
        const flips = r.int(1, 3);
        for (let i = 0; i < flips; i++) frame[r.int(0, frame.length - 1)] = r.int(0, 255);
        return frame;
      }
      case 2:
        return this.replaceLength(frame, r.pick(HUGE_LENGTHS));
      case 3:
        return this.replaceLength(frame, r.pick(NEGATIVE_LENGTHS));
      case 4:
        return this.inlineGarbage();
      case 5: {
        const at = r.int(0, frame.length);
        return Buffer.concat([frame.subarray(0, at), Buffer.from('\r\n'), frame.subarray(at)]);
      }
      case 6: {
        const at = frame.indexOf('\r\n', r.int(0, frame.length - 1));
        return at < 0 ? frame : Buffer.concat([frame.subarray(0, at), frame.subarray(at + 2)]);
      }
      case 7:
        frame[0] = r.pick([0x25, 0x7e, 0x3e, 0x5f, 0x3a, 0x2b, 0x2d, 0x24, 0x23, 0x2c, 0x00, 0x20]);
        return frame;
      case 8:
        return Buffer.concat([frame.subarray(0, r.int(1, frame.length)), frame]);
      default:
        return this.interleave(frame, this.valid());
    }
  }

  private replaceLength(frame: Buffer, replacement: string): Buffer {
    const text = frame.toString('latin1');
    const headers = [...text.matchAll(/[*$]\d+\r\n/g)];
    if (headers.length === 0) return Buffer.concat([Buffer.from(`${replacement}\r\n`, 'latin1'), frame]);
    const h = this.rng.pick(headers);
    const start = h.index ?? 0;
    return Buffer.from(text.slice(0, start) + replacement + text.slice(start + h[0].length - 2), 'latin1');
  }

  private inlineGarbage(): Buffer {
    const r = this.rng;
    if (r.chance(0.5)) return Buffer.concat([r.bytes(r.int(1, 60)), Buffer.from('\r\n')]);
    const words = ['SET', 'GET', '"unterminated', "'single", '"a\\x4g"', '""', "''", '"\\"', 'x'.repeat(r.int(1, 300)), '\t', '  '];
    const n = r.int(1, 6);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(r.pick(words));
    return Buffer.from(`${parts.join(' ')}${r.pick(['\r\n', '\n', ''])}`, 'latin1');
  }

  private interleave(a: Buffer, b: Buffer): Buffer {
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const takeA = j >= b.length || (i < a.length && this.rng.chance(0.5));
      const run = this.rng.int(1, 8);
      for (let k = 0; k < run; k++) {
        if (takeA && i < a.length) out.push(a[i++]);
        else if (!takeA && j < b.length) out.push(b[j++]);
      }
    }
    return Buffer.from(out);
  }
}

interface ConnectionPlan {
  readonly frames: number;
  readonly bytes: Buffer;
  readonly chunks: readonly number[];
}

/** One connection's input: mostly valid traffic, with mutated frames at a per-connection rate. */
function planConnection(rng: Rng, source: FrameSource, frames: number): ConnectionPlan {
  // Most connections are mostly valid (so the server does real work before any error);
  // some are chaos from the first byte.
  const mutationRate = rng.pick([0, 0.01, 0.02, 0.05, 0.2, 0.6]);
  const parts: Buffer[] = [];
  for (let i = 0; i < frames; i++) parts.push(rng.chance(mutationRate) ? source.mutated() : source.valid());
  const bytes = Buffer.concat(parts);
  const chunks: number[] = [];
  let left = bytes.length;
  while (left > 0) {
    const size = Math.min(left, rng.pick([1, 7, 64, 512, 4096, 65536]));
    chunks.push(size);
    left -= size;
  }
  return { frames, bytes, chunks };
}

/** Sends a plan, reading (and discarding) replies; resolves once the connection is closed. */
function runConnection(port: number, plan: ConnectionPlan, closeWaitMs: number): Promise<{ received: number; hung: boolean }> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ port, host: LOOPBACK });
    let received = 0;
    let done = false;
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      socket.destroy();
    }, closeWaitMs);
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ received, hung });
    };
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    socket.on('error', () => undefined);
    socket.on('close', finish);
    socket.on('connect', () => {
      let offset = 0;
      for (const size of plan.chunks) {
        if (socket.destroyed) break;
        socket.write(plan.bytes.subarray(offset, offset + size));
        offset += size;
      }
      // Half-close: the server sees EOF after our last byte and must close its side.
      socket.end();
    });
  });
}

async function control(port: number, ...args: CommandArg[]): Promise<string> {
  const client = await RawClient.connect(port);
  try {
    return await client.callText(...args);
  } finally {
    await client.close();
  }
}

function clientCount(clientList: string): number {
  // A bulk string of lines "id=… addr=…\n"; the header line "$<len>" is not a client.
  return clientList.split('\n').filter((line) => line.startsWith('id=')).length;
}

async function settle(port: number): Promise<{ clients: number; numpat: string; channels: string }> {
  // Closes are processed asynchronously: give the server a moment, polling rather than sleeping.
  let clients = Infinity;
  await waitUntil(async () => (clients = clientCount(await control(port, 'CLIENT', 'LIST'))) <= 1, { intervalMs: 50 });
  return {
    clients,
    numpat: await control(port, 'PUBSUB', 'NUMPAT'),
    channels: await control(port, 'PUBSUB', 'CHANNELS'),
  };
}

describe(`fuzz: ${TOTAL_FRAMES} random and mutated frames (seed ${SEED})`, () => {
  let server: ServerHandle | undefined;

  beforeAll(async () => {
    server = process.env.FUZZ_TARGET === 'redis' ? await startRedisServer() : await startOurServer({ mode: 'child' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  function alive(): boolean {
    try {
      process.kill(server!.pid!, 0);
      return true;
    } catch {
      return false;
    }
  }

  test.each(REGRESSIONS)('regression: $name', async ({ hex }) => {
    const bytes = Buffer.from(hex, 'hex');
    const result = await runConnection(server!.port, { frames: 1, bytes, chunks: [bytes.length] }, CLOSE_WAIT_MS);
    expect(result.hung).toBe(false);
    expect(alive()).toBe(true);
    expect(await control(server!.port, 'PING')).toBe('+PONG\r\n');
  });

  test('survives the run, then answers, holds no connection or subscription, and memory is back near baseline', async () => {
    const port = server!.port;
    const pid = server!.pid!;
    const rng = new Rng(SEED);
    const source = new FrameSource(rng);
    const started = Date.now();
    let replyBytes = 0;

    const runFrames = async (total: number): Promise<number> => {
      const plans: ConnectionPlan[] = [];
      let planned = 0;
      while (planned < total) {
        const frames = Math.min(total - planned, rng.int(20, 400));
        plans.push(planConnection(rng, source, frames));
        planned += frames;
      }
      let next = 0;
      let sent = 0;
      let connections = 0;
      const worker = async (): Promise<void> => {
        while (next < plans.length) {
          if (Date.now() - started > RUN_BUDGET_MS) throw new Error(`fuzz run exceeded ${RUN_BUDGET_MS} ms (seed ${SEED})`);
          const plan = plans[next++];
          const result = await runConnection(port, plan, CLOSE_WAIT_MS);
          if (!alive()) {
            throw new Error(
              `server died (seed ${SEED}); input of the last connection (hex, add to REGRESSIONS):\n${plan.bytes.toString('hex').slice(0, 20000)}\nserver output:\n${server!.output()}`,
            );
          }
          if (result.hung) {
            throw new Error(`server did not close a connection after EOF (seed ${SEED}); input (hex): ${plan.bytes.toString('hex').slice(0, 20000)}`);
          }
          sent += plan.frames;
          connections++;
          replyBytes += result.received;
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      console.log(`fuzz seed ${SEED}: ${sent} frames over ${connections} connections, ${replyBytes} reply bytes`);
      return sent;
    };

    // Warm-up: the first traffic grows a Node server's heap and code caches to their working size.
    await runFrames(Math.round(TOTAL_FRAMES / 10));
    await control(port, 'FLUSHALL');
    await settle(port);
    const baseline = residentBytes(pid);

    const sent = await runFrames(TOTAL_FRAMES);
    expect(sent).toBeGreaterThanOrEqual(TOTAL_FRAMES);

    expect(alive()).toBe(true);
    expect(await control(port, 'PING')).toBe('+PONG\r\n');
    const after = await settle(port);
    expect(after).toEqual({ clients: 1, numpat: ':0\r\n', channels: '*0\r\n' });

    await control(port, 'FLUSHALL');
    const rss = residentBytes(pid);
    const limit = baseline + RSS_TOLERANCE_BYTES;
    console.log(`fuzz seed ${SEED}: ${sent} frames in ${Date.now() - started} ms; RSS baseline ${(baseline / 2 ** 20).toFixed(1)} MiB, after ${(rss / 2 ** 20).toFixed(1)} MiB (limit ${(limit / 2 ** 20).toFixed(1)} MiB)`);
    expect(rss).toBeLessThanOrEqual(limit);
  }, RUN_BUDGET_MS + 60_000);
});
