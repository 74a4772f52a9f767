/**
 * A point-in-time image of the keyspace, serialized a slice at a time — BGSAVE without fork().
 *
 * Redis forks and lets the kernel's copy-on-write keep the child's view frozen. We get the same
 * guarantee in one process:
 *
 * 1. capture(): in one synchronous pass, copy every database's key list, value references and
 *    expiry times into arrays (a reference copy, Database.capture: 35-60 ms per million keys, our
 *    "fork"). Strings are immutable JS strings and the keyspace replaces them on write, so the
 *    captured references already are the snapshot for strings, for deletions, renames, FLUSHALL,
 *    SWAPDB — everything that replaces a value instead of changing it. So are the small sets that
 *    rest in their slot as a string (RestingForm): they become objects only when written out.
 * 2. Collections are changed in place, so they are the one thing that needs copy-on-write: every
 *    captured collection object is "pending" until written. Before any write command runs, the
 *    dispatcher calls beforeWrite() with the command's database and arguments; for each key the
 *    command names whose current value is a pending collection, its elements are copied out now
 *    (the value as it was before the command) and the saver later writes that copy. Commands
 *    whose keys cannot be told from the command table (movable keys, like ZUNIONSTORE or LMPOP)
 *    copy out every pending collection first: correct, and rare.
 * 3. step(): serializes keys until a time budget is spent, then returns so the event loop can
 *    serve clients; each key is written whole within a step, so no value is ever seen half-changed.
 *
 * Identity, not names, decides pending-ness: after RENAME or MOVE the same object is found under
 * its new name (and database) and is still protected.
 */
import { performance } from 'node:perf_hooks';
import type { CommandSpec } from '../commands/command';
import { type CollectionValue, type Database, liveFromResting, type StoredValue } from '../keyspace/database';
import type { Keyspace } from '../keyspace/keyspace';
import type { PlainValue } from './values';
import { toPlain } from './value-bridge';

/** What a snapshot writes through: the RDB writer, or the AOF base writer (aof-base-writer.ts). */
export interface SnapshotWriter {
  header(): void;
  aux(name: string, value: string): void;
  selectDb(db: number): void;
  resizeDb(size: number, expires: number): void;
  /** `access`: the key's idle seconds or LFU counter (`accessKind`, SnapshotOptions.access), or -1. */
  keyValue(key: string, value: PlainValue, expireAt: number | undefined, access: number, accessKind: 'idle' | 'freq'): void;
  flush(): void;
  eof(checksum: boolean): void;
}

interface CapturedDb {
  readonly id: number;
  readonly keys: string[];
  readonly values: Array<StoredValue | undefined>;
  /** Per key, the resting tag of its value (0: live), or undefined when none rests (Database.capture). */
  readonly resting: Uint8Array | undefined;
  /** Absolute expiry ms per key (NaN for none); undefined when no key has one. */
  readonly expires: Float64Array | undefined;
  readonly expiresCount: number;
  /** Copies of collections taken before a command changed them, by position. */
  readonly copies: Map<number, PlainValue>;
  /** Per key, its idle seconds or LFU counter at capture (SnapshotOptions.access), or undefined. */
  readonly access: Uint32Array | undefined;
}

/** Write commands that only replace whole databases' contents, never change a value in place. */
const KEYLESS_SAFE = new Set(['flushdb', 'flushall', 'swapdb']);

export interface SnapshotOptions {
  readonly aux: ReadonlyArray<[string, string]>;
  readonly checksum: boolean;
  /**
   * What access data each key carries, as redis-server's rdbSaveKeyValuePair writes it: its idle
   * seconds under an LRU maxmemory-policy (the IDLE opcode), its LFU counter under an LFU one
   * (FREQ), nothing under the others (snapshotOptions).
   */
  readonly access?: 'idle' | 'freq';
}

/** The settings a snapshot's options come from (the server's Config). */
interface SnapshotSettings {
  getBool(name: string): boolean;
  get(name: string): string | undefined;
}

/** A snapshot's options under the current settings: rdbchecksum, and the access data maxmemory-policy asks for. */
export function snapshotOptions(conf: SnapshotSettings, aux: ReadonlyArray<[string, string]>): SnapshotOptions {
  const policy = conf.get('maxmemory-policy') ?? '';
  const access = policy.endsWith('-lru') ? 'idle' : policy.endsWith('-lfu') ? 'freq' : undefined;
  return { aux, checksum: conf.getBool('rdbchecksum'), access };
}

export class Snapshot {
  private readonly dbs: CapturedDb[] = [];
  /** Collections captured and not yet written or copied → where they sit in the capture. */
  private readonly pending = new Map<CollectionValue, { db: CapturedDb; index: number }>();
  private dbCursor = 0;
  private keyCursor = -1;
  private started = false;
  private done = false;
  public keysTotal = 0;
  public keysWritten = 0;
  /** Collections copied out before a write changed them (for tests and INFO). */
  public copiesTaken = 0;

  constructor(
    private readonly writer: SnapshotWriter,
    private readonly options: SnapshotOptions,
  ) {}

  /**
   * The synchronous "fork": references to every live key, value and expiry. Returns how long it
   * held the event loop, in µs: what redis-server reports as latest_fork_usec for its fork().
   */
  public capture(keyspace: Keyspace): number {
    const started = performance.now();
    const access = this.options.access;
    for (const db of keyspace.databases) {
      if (db.size === 0) continue;
      const { keys, values, resting, expires, expiresCount, access: accessData } = db.capture(access);
      if (keys.length === 0) continue;
      const captured: CapturedDb = { id: db.id, keys, values, resting, expires, expiresCount, copies: new Map(), access: accessData };
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (typeof v === 'object') this.pending.set(v, { db: captured, index: i });
      }
      this.dbs.push(captured);
      this.keysTotal += keys.length;
    }
    return Math.round((performance.now() - started) * 1000);
  }

  public get finished(): boolean {
    return this.done;
  }

  /** Copy-on-write hook: runs before a write command; see the module comment. */
  public beforeWrite(db: Database, spec: CommandSpec, args: readonly Buffer[]): void {
    if (this.pending.size === 0) return;
    if (spec.flags.includes('movablekeys') || (spec.firstKey === 0 && mayTouchValues(spec))) {
      this.copyAllPending();
      return;
    }
    if (spec.firstKey === 0) return;
    const last = spec.lastKey < 0 ? args.length + spec.lastKey : spec.lastKey;
    const step = spec.keyStep > 0 ? spec.keyStep : 1;
    for (let i = spec.firstKey; i <= last && i < args.length; i += step) {
      const value = db.get(args[i].toString('latin1'), false);
      if (typeof value === 'object') this.copyIfPending(value);
    }
  }

  /** Copies out every collection not written yet (the fallback when a command's keys are unknown). */
  public copyAllPending(): void {
    for (const value of Array.from(this.pending.keys())) this.copyIfPending(value);
  }

  private copyIfPending(value: CollectionValue): void {
    const at = this.pending.get(value);
    if (at === undefined) return;
    this.pending.delete(value);
    at.db.copies.set(at.index, toPlain(value));
    this.copiesTaken++;
  }

  /** Writes keys until `deadline` (performance.now() ms) or the end; returns true when the file is complete. */
  public step(deadline: number, clock: () => number): boolean {
    const w = this.writer;
    if (!this.started) {
      this.started = true;
      w.header();
      for (const [k, v] of this.options.aux) w.aux(k, v);
    }
    let sinceCheck = 0;
    while (this.dbCursor < this.dbs.length) {
      const db = this.dbs[this.dbCursor];
      if (this.keyCursor < 0) {
        w.selectDb(db.id);
        w.resizeDb(db.keys.length, db.expiresCount);
        this.keyCursor = 0;
      }
      while (this.keyCursor < db.keys.length) {
        const i = this.keyCursor++;
        const stored = db.values[i] as StoredValue;
        const tag = db.resting === undefined ? 0 : db.resting[i];
        let plain: PlainValue;
        if (tag !== 0) {
          plain = toPlain(liveFromResting(tag, stored as string));
        } else if (typeof stored === 'string') {
          plain = { kind: 'string', value: stored };
        } else {
          const copy = db.copies.get(i);
          if (copy !== undefined) {
            plain = copy;
            db.copies.delete(i);
          } else {
            plain = toPlain(stored);
            this.pending.delete(stored);
          }
        }
        const at = db.expires === undefined ? NaN : db.expires[i];
        w.keyValue(db.keys[i], plain, Number.isNaN(at) ? undefined : at, db.access === undefined ? -1 : db.access[i], this.options.access ?? 'idle');
        db.values[i] = undefined; // let the old value go once written
        this.keysWritten++;
        // Collections can be large: check the clock after each, strings every 64 keys.
        sinceCheck += typeof stored === 'string' ? 1 : 64;
        if (sinceCheck >= 64) {
          sinceCheck = 0;
          w.flush();
          if (clock() >= deadline) return false;
        }
      }
      this.dbCursor++;
      this.keyCursor = -1;
    }
    w.eof(this.options.checksum);
    this.done = true;
    this.pending.clear();
    return true;
  }

  /** Writes everything now (SAVE, SHUTDOWN). */
  public runToEnd(): void {
    while (!this.step(Infinity, () => 0)) {
      // step() only returns false at a deadline, which Infinity never reaches.
    }
  }

  /** Drops references so an aborted snapshot frees its memory. */
  public discard(): void {
    this.pending.clear();
    this.dbs.length = 0;
    this.done = true;
  }
}

/** Whether a write command that names no keys might still change a collection in place (conservative). */
function mayTouchValues(spec: CommandSpec): boolean {
  if (KEYLESS_SAFE.has(spec.name)) return false;
  return spec.group !== 'server' && spec.group !== 'connection' && spec.group !== 'pubsub' && spec.group !== 'transactions';
}

/** How long one slice of a background snapshot may hold the event loop. */
const SLICE_MS = 4;

/** A background snapshot job: its image, where it goes, and whether it was abandoned. */
export interface SlicedJob {
  readonly aborted: boolean;
  readonly snapshot: Snapshot;
  readonly sink: { commitAsync(): Promise<void> };
}

/**
 * Serializes a job's snapshot a slice at a time between other work (BGSAVE, BGREWRITEAOF), then
 * commits its sink. `imageComplete` runs once every key is serialized (writes may change values
 * freely again); `done` runs once, with the error if any. An aborted job stops without either.
 */
export function writeInSlices(job: SlicedJob, imageComplete: () => void, done: (err: unknown) => void): void {
  const slice = (): void => {
    if (job.aborted) return;
    let finished: boolean;
    try {
      finished = job.snapshot.step(performance.now() + SLICE_MS, () => performance.now());
    } catch (err) {
      done(err);
      return;
    }
    if (!finished) {
      setImmediate(slice);
      return;
    }
    imageComplete();
    job.sink.commitAsync().then(
      () => done(undefined),
      (err: unknown) => done(err),
    );
  };
  setImmediate(slice);
}

