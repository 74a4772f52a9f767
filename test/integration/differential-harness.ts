/**
 * Runs the same steps against redis-server (the oracle) and our server over raw sockets and
 * compares the replies byte for byte, except where known-differences.ts says otherwise.
 *
 * A case is a list of steps. A step is a command (sent on connection 'a' unless `on` says which,
 * one reply expected unless `replies` says how many), raw bytes, or a read of pushed frames.
 * After the last step every connection still open answers a PING, which catches extra replies.
 */
import {
  type CommandArg,
  encodeCommand,
  parseReply,
  RawClient,
  type ReadResult,
  renderBytes,
  renderReply,
  type RespValue,
  encodeReply,
  startOurServer,
  startRedisServer,
  stopAll,
  type ServerHandle,
} from '../support';
import { acceptedDifference, normaliseReply } from './known-differences';

export type Conn = 'a' | 'b' | 'c' | 'd';

export type Step =
  | readonly CommandArg[]
  | { readonly on?: Conn; readonly cmd: readonly CommandArg[]; readonly replies?: number; readonly timeoutMs?: number }
  | { readonly on?: Conn; readonly raw: string | Buffer; readonly replies?: number; readonly timeoutMs?: number }
  | { readonly on?: Conn; readonly read: number; readonly timeoutMs?: number };

type StepObject = Exclude<Step, readonly CommandArg[]>;

function isCommand(step: Step): step is readonly CommandArg[] {
  return Array.isArray(step);
}

function asStepObject(step: Step): StepObject {
  return isCommand(step) ? { cmd: step } : step;
}

/** One step's outcome on one server. */
export interface Entry {
  readonly conn: Conn;
  /** The command's arguments as text (empty for raw bytes and reads). */
  readonly args: readonly string[];
  readonly label: string;
  readonly results: readonly ReadResult[];
}

/**
 * How long a reply may take before it counts as missing: only a hang bound (a loaded machine can
 * stall a reply for seconds), since every reply a step waits for is one the oracle sends.
 */
const STEP_TIMEOUT_MS = 15000;
/** Once a server missed a reply on a connection, later waits there are short (no cascade of timeouts). */
const STALLED_TIMEOUT_MS = 200;

function argText(arg: CommandArg): string {
  return Buffer.isBuffer(arg) ? arg.toString('latin1') : String(arg);
}

function labelOf(args: readonly CommandArg[]): string {
  return args
    .map((a) => {
      const text = argText(a);
      return /^[\x21-\x7e]+$/.test(text) ? text : JSON.stringify(text);
    })
    .join(' ');
}

/** Runs the steps on one server and records every reply (or timeout/close) per step. */
export async function runSteps(port: number, steps: readonly Step[]): Promise<Entry[]> {
  const conns = new Map<Conn, RawClient>();
  const stalled = new Set<Conn>();
  const entries: Entry[] = [];
  const connFor = async (name: Conn): Promise<RawClient> => {
    let client = conns.get(name);
    if (client === undefined) {
      client = await RawClient.connect(port);
      conns.set(name, client);
    }
    return client;
  };
  const readN = async (name: Conn, client: RawClient, n: number, timeoutMs: number | undefined): Promise<ReadResult[]> => {
    const results: ReadResult[] = [];
    for (let i = 0; i < n; i++) {
      const result = await client.read(stalled.has(name) ? STALLED_TIMEOUT_MS : (timeoutMs ?? STEP_TIMEOUT_MS));
      results.push(result);
      if (result.kind === 'timeout' && timeoutMs === undefined) stalled.add(name);
      if (result.kind !== 'reply') break;
    }
    return results;
  };
  try {
    for (const input of steps) {
      const step = asStepObject(input);
      const name = step.on ?? 'a';
      const client = await connFor(name);
      if ('cmd' in step) {
        await client.write(encodeCommand(step.cmd));
        const results = await readN(name, client, step.replies ?? 1, step.timeoutMs);
        entries.push({ conn: name, args: step.cmd.map(argText), label: labelOf(step.cmd), results });
      } else if ('raw' in step) {
        const bytes = Buffer.isBuffer(step.raw) ? step.raw : Buffer.from(step.raw, 'latin1');
        await client.write(bytes);
        const results = await readN(name, client, step.replies ?? 1, step.timeoutMs);
        entries.push({ conn: name, args: [], label: `raw ${renderBytes(bytes, 80)}`, results });
      } else {
        const results = await readN(name, client, step.read, step.timeoutMs);
        entries.push({ conn: name, args: [], label: `(read ${step.read} pushed)`, results });
      }
    }
    for (const [name, client] of conns) {
      if (client.closed) continue;
      await client.write(encodeCommand(['PING', 'end-of-case']));
      const results = await readN(name, client, 1, undefined);
      entries.push({ conn: name, args: ['PING', 'end-of-case'], label: 'PING end-of-case (harness)', results });
    }
  } finally {
    await Promise.all([...conns.values()].map((c) => c.close()));
  }
  return entries;
}

/** The compared form of one result: normalised reply bytes, or a marker for timeout/close. */
export function comparable(args: readonly string[], result: ReadResult, queued?: readonly (readonly string[])[]): string {
  if (result.kind !== 'reply') {
    return `<${result.kind}${result.pending.length > 0 ? ` after partial ${renderBytes(result.pending, 60)}` : ''}>`;
  }
  let value: RespValue;
  try {
    value = parseReply(result.bytes);
  } catch {
    return renderBytes(result.bytes);
  }
  const normalised = normaliseWithQueue(args, value, queued);
  return normalised === value ? renderBytes(result.bytes, 4000) : renderBytes(encodeReply(normalised), 4000);
}

function normaliseWithQueue(args: readonly string[], value: RespValue, queued?: readonly (readonly string[])[]): RespValue {
  // EXEC's reply holds one reply per queued command: normalise each as its own command.
  if (queued !== undefined && (args[0] ?? '').toUpperCase() === 'EXEC' && value.kind === '*' && value.items !== null && value.items.length === queued.length) {
    const items = value.items.map((item, i) => normaliseReply(queued[i], item));
    return items.every((item, i) => item === (value as { items: RespValue[] }).items[i]) ? value : { kind: '*', items };
  }
  return normaliseReply(args, value);
}

/**
 * Tracks MULTI per connection so EXEC replies can be normalised element by element: a command
 * whose reply was +QUEUED joins the queue; EXEC and DISCARD (and errors that abort) reset it.
 */
export class QueueTracker {
  private readonly queues = new Map<string, string[][]>();

  /** Returns the queue that applies to this command's reply, then updates the state. */
  observe(conn: string, args: readonly string[], firstReply: Buffer | undefined): readonly (readonly string[])[] | undefined {
    const name = (args[0] ?? '').toUpperCase();
    const queue = this.queues.get(conn);
    const text = firstReply?.toString('latin1');
    if (queue !== undefined && (name === 'EXEC' || name === 'DISCARD' || name === 'RESET')) {
      this.queues.delete(conn);
      return queue;
    }
    if (queue !== undefined && text === '+QUEUED\r\n') {
      queue.push([...args]);
    } else if (queue === undefined && name === 'MULTI' && text === '+OK\r\n') {
      this.queues.set(conn, []);
    }
    return undefined;
  }
}

export interface Divergence {
  readonly index: number;
  readonly message: string;
}

/**
 * Compares two transcripts step by step; can be fed incrementally (batches of a long stream),
 * keeping MULTI state and the context lines between calls.
 */
export class TranscriptComparator {
  private readonly trackOracle = new QueueTracker();
  private readonly trackOurs = new QueueTracker();
  private readonly lines: string[] = [];
  private compared = 0;

  constructor(private readonly context = 12) {}

  /** Compares the next entries; returns the first divergence, if any. */
  feed(oracle: readonly Entry[], ours: readonly Entry[]): Divergence | undefined {
    if (oracle.length !== ours.length) {
      return { index: this.compared, message: `transcripts differ in length (${oracle.length} vs ${ours.length})` };
    }
    for (let i = 0; i < oracle.length; i++) {
      const o = oracle[i];
      const u = ours[i];
      const index = this.compared++;
      const qo = this.trackOracle.observe(o.conn, o.args, o.results[0]?.kind === 'reply' ? o.results[0].bytes : undefined);
      const qu = this.trackOurs.observe(u.conn, u.args, u.results[0]?.kind === 'reply' ? u.results[0].bytes : undefined);
      const co = o.results.map((r) => comparable(o.args, r, qo));
      const cu = u.results.map((r) => comparable(u.args, r, qu));
      const line = `[${o.conn}] ${o.label}`;
      if (co.length !== cu.length || co.some((c, j) => c !== cu[j] && !accepted(o.args, o.results[j], u.results[j], qo))) {
        const shown = this.lines.slice(-this.context);
        const reply = (rs: readonly ReadResult[]): string => rs.map(describeResult).join(' ; ');
        return {
          index,
          message: [
            `first divergence at step ${index + 1}: ${line}`,
            `  redis-server: ${reply(o.results)}`,
            `  ours:         ${reply(u.results)}`,
            `  compared as:  ${co.join(' ; ')}`,
            `           vs:  ${cu.join(' ; ')}`,
            shown.length > 0 ? `preceding steps (redis-server replies):\n${shown.join('\n')}` : '(no preceding steps)',
          ].join('\n'),
        };
      }
      this.lines.push(`  ${line} -> ${o.results.map(describeResult).join(' ; ')}`);
      if (this.lines.length > this.context * 4) this.lines.splice(0, this.lines.length - this.context);
    }
    return undefined;
  }
}

function decoded(result: ReadResult | undefined): RespValue | undefined {
  if (result?.kind !== 'reply') return undefined;
  try {
    return parseReply(result.bytes);
  } catch {
    return undefined;
  }
}

/** A mismatch that known-differences.ts accepts (element by element inside EXEC). */
function accepted(args: readonly string[], o: ReadResult | undefined, u: ReadResult | undefined, queued?: readonly (readonly string[])[]): boolean {
  const ov = decoded(o);
  const uv = decoded(u);
  if (ov === undefined || uv === undefined) return false;
  if (acceptedDifference(args, ov, uv)) return true;
  if (queued === undefined || (args[0] ?? '').toUpperCase() !== 'EXEC') return false;
  if (ov.kind !== '*' || uv.kind !== '*' || ov.items === null || uv.items === null) return false;
  if (ov.items.length !== queued.length || uv.items.length !== queued.length) return false;
  return ov.items.every((item, i) => {
    const theirs = (uv.items as RespValue[])[i];
    const same = encodeReply(normaliseReply(queued[i], item)).equals(encodeReply(normaliseReply(queued[i], theirs)));
    return same || acceptedDifference(queued[i], item, theirs);
  });
}

/** Compares two transcripts; returns the first divergence with the steps leading to it. */
export function firstDivergence(oracle: readonly Entry[], ours: readonly Entry[], context = 12): Divergence | undefined {
  return new TranscriptComparator(context).feed(oracle, ours);
}

/** The transcript as text, one step a line (DIFF_SHOW=1 prints the oracle's). */
export function renderTranscript(entries: readonly Entry[]): string {
  return entries.map((e) => `[${e.conn}] ${e.label} -> ${e.results.map(describeResult).join(' ; ')}`).join('\n');
}

function describeResult(result: ReadResult): string {
  if (result.kind !== 'reply') return `<${result.kind}>`;
  try {
    return renderReply(parseReply(result.bytes));
  } catch {
    return renderBytes(result.bytes);
  }
}

export interface ServerPair {
  readonly redis: ServerHandle;
  readonly ours: ServerHandle;
}

/**
 * Starts redis-server and ours for the enclosing describe (beforeAll) and stops both in afterAll,
 * even when a test or the other start failed.
 */
export function useServerPair(): () => ServerPair {
  let redis: ServerHandle | undefined;
  let ours: ServerHandle | undefined;
  beforeAll(async () => {
    ({ redis, ours } = await startServerPair());
  }, 120_000);
  afterAll(async () => {
    await stopAll([redis, ours]);
  });
  return () => {
    if (redis === undefined || ours === undefined) throw new Error('servers did not start');
    return { redis, ours };
  };
}

/**
 * Starts redis-server and ours together; if either fails, stops the other and throws.
 * DIFF_OURS=redis puts a second redis-server in ours' place: a check of the test cases themselves.
 */
export async function startServerPair(): Promise<ServerPair> {
  const second = process.env.DIFF_OURS === 'redis' ? startRedisServer() : startOurServer();
  const started = await Promise.allSettled([startRedisServer(), second]);
  const redis = started[0].status === 'fulfilled' ? started[0].value : undefined;
  const ours = started[1].status === 'fulfilled' ? started[1].value : undefined;
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined || redis === undefined || ours === undefined) {
    await stopAll([redis, ours]);
    throw failed?.reason ?? new Error('servers did not start');
  }
  return { redis, ours };
}

/** Empties every database of both servers (and ends the previous case's MULTI/pub-sub by fresh connections). */
export async function flushBoth(pair: ServerPair): Promise<void> {
  await Promise.all(
    [pair.redis, pair.ours].map(async (server) => {
      const client = await RawClient.connect(server.port);
      try {
        await client.call('FLUSHALL');
      } finally {
        await client.close();
      }
    }),
  );
}

/** Runs one case on both servers and fails with the first divergence. */
export async function expectSameReplies(pair: ServerPair, steps: readonly Step[]): Promise<void> {
  await flushBoth(pair);
  const [oracle, ours] = await Promise.all([runSteps(pair.redis.port, steps), runSteps(pair.ours.port, steps)]);
  if (process.env.DIFF_SHOW === '1') console.log(renderTranscript(oracle));
  const divergence = firstDivergence(oracle, ours);
  if (divergence !== undefined) throw new Error(divergence.message);
  // A case that compares nothing but timeouts proves nothing: the oracle must have answered.
  const answered = oracle.some((e) => e.results.some((r) => r.kind === 'reply'));
  if (!answered) throw new Error('redis-server gave no replies at all: the case is broken');
}

/** A table of named cases, each run as its own jest test. */
export type Cases = Readonly<Record<string, readonly Step[]>>;

export function differentialSuite(title: string, cases: Cases): void {
  describe(title, () => {
    const servers = useServerPair();
    test.each(Object.keys(cases))('%s', async (name) => {
      await expectSameReplies(servers(), cases[name]);
    });
  });
}
