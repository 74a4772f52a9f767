/**
 * Blocking on keys, as valkey's blocked.c: BLPOP, BLMOVE, BLMPOP, BZPOPMIN … wait here until a
 * key they named holds a value of their type, then their command runs again from the start.
 *
 * How a family uses it (the whole contract; see lists.ts's BLPOP for a complete example):
 *
 *     const deadline = blockingTimeoutArg(ctx, args[args.length - 1]); // exact Redis errors
 *     if (tryToServe(ctx, keys)) return;                  // the non-blocking path wrote a reply
 *     if (blockForKeys(ctx, keys, deadline, 'zset')) return;  // blocked: no reply now
 *     ctx.reply.nullArray();                              // cannot block (inside MULTI/EXEC): as a timeout
 *
 * When one of the keys is written (any write: a push, ZADD, RENAME/MOVE/COPY/RESTORE into it,
 * SWAPDB) and afterwards holds a value of the waited-for type, the blocked command is run again
 * with the same arguments, after the command that wrote the key (after EXEC for a transaction).
 * Its handler then finds data and replies; should it block again, it keeps its original deadline.
 * Clients blocked on a key are served first blocked, first served. A timeout replies a null
 * array (RESP2 `*-1`, RESP3 `_`), as Redis does for every key-blocking command. CLIENT UNBLOCK,
 * disconnects and CLIENT KILL are handled here; a blocked client's further input waits.
 */
import type { Client } from './client';
import type { BlockingService, BlockingType, CommandContext } from './commands/command';
import { ReplyError } from './commands/command';
import type { CommandEntry } from './dispatch';
import { type Database, kindOf } from './keyspace/database';
import type { Keyspace } from './keyspace/keyspace';
import { parseLongDouble } from './util/long-double';
import { clientOf } from './services';

export type { BlockingType } from './commands/command';

const LLONG_MAX = 9223372036854775807;

/**
 * A blocking command's timeout argument (seconds, a float; 0 = forever) as an absolute Unix ms
 * deadline (0 = none), with the exact replies of Redis's getTimeoutFromObjectOrReply.
 */
export function blockingTimeoutArg(ctx: CommandContext, arg: Buffer): number {
  const parsed = parseLongDouble(arg.toString('latin1'));
  if (parsed === undefined) throw new ReplyError('ERR timeout is not a float or out of range');
  let ms: number;
  if (parsed.infinite) {
    ms = parsed.negative ? -Infinity : Infinity;
  } else {
    ms = Number(parsed.m) * 2 ** parsed.e * 1000;
    if (parsed.negative) ms = -ms;
  }
  if (ms > LLONG_MAX) throw new ReplyError('ERR timeout is out of range');
  let ticks = Math.ceil(ms);
  // A positive value too small for a double still rounds up to 1 ms (ceill on a long double).
  if (ticks === 0 && !parsed.negative && parsed.m !== 0n) ticks = 1;
  if (ticks < 0) throw new ReplyError('ERR timeout is negative');
  if (ticks === 0) return 0;
  if (ticks > LLONG_MAX - ctx.now) throw new ReplyError('ERR timeout is out of range');
  return ticks + ctx.now;
}

/**
 * Blocks the calling client on `keys` until one holds a value of `type` (then its command runs
 * again) or `deadline` (Unix ms, 0 = never) passes. Returns false, doing nothing, where a client
 * cannot block — inside MULTI/EXEC, or without a running server — and the caller then replies as
 * if it had timed out.
 */
export function blockForKeys(ctx: CommandContext, keys: readonly string[], deadline: number, type: BlockingType): boolean {
  const service = ctx.server.blocking;
  return service !== undefined && service.blockForKeys(ctx, keys, deadline, type);
}

/** What a blocked client waits for. */
export class BlockState {
  /** The command to run again, its arguments copied out of the socket buffer. */
  public command: { readonly entry: CommandEntry; readonly args: Buffer[] } | undefined;
  public timer: NodeJS.Timeout | undefined;
  constructor(
    public readonly db: Database,
    public readonly keys: readonly string[],
    /** Absolute Unix ms, 0 = no timeout. */
    public readonly deadline: number,
    public readonly type: BlockingType,
  ) {}
}

/** What the manager needs from the server around it. */
export interface BlockingHost {
  readonly keyspace: Keyspace;
  /** False while a command runs nested (inside EXEC), where blocking turns into a timeout reply. */
  canBlock(): boolean;
  /** The command being executed now (its arguments may be views into the input buffer). */
  currentCommand(): { readonly entry: CommandEntry; readonly args: Buffer[] } | undefined;
  /** Runs a blocked client's command again (reply, stats) without MONITOR feed. */
  rerun(client: Client, entry: CommandEntry, args: Buffer[]): void;
  /** Counts a blocked command that ended without running again (timeout, CLIENT UNBLOCK). */
  accountUnblocked(client: Client, entry: CommandEntry, error: boolean): void;
  /** Queues the client's output for a flush. */
  markPending(client: Client): void;
  /** Processes the client's input that waited while it was blocked. */
  resumeInput(client: Client): void;
}

export class BlockingManager implements BlockingService {
  /** Per database index: key → clients blocked on it, first blocked first. */
  private readonly waiting: Array<Map<string, Client[]>>;
  /** Keys written while clients wait on them, in signal order, each once. */
  private ready: Array<{ db: Database; key: string }> = [];
  private readonly readySets: Array<Set<string>>;
  private blocked = 0;
  private withTimeout = 0;
  private handling = false;
  /** The client whose command is running again, and the deadline it keeps if it blocks again. */
  private reprocessing: Client | undefined;
  private reprocessingDeadline = 0;
  private readonly signal = (db: Database, key: string): void => this.signalKeyAsReady(db, key);

  constructor(private readonly host: BlockingHost) {
    const count = host.keyspace.count;
    this.waiting = [];
    this.readySets = [];
    for (let i = 0; i < count; i++) {
      this.waiting.push(new Map());
      this.readySets.push(new Set());
    }
  }

  /** INFO clients blocked_clients. */
  public get blockedClients(): number {
    return this.blocked;
  }

  /** INFO clients clients_in_timeout_table. */
  public get clientsWithTimeout(): number {
    return this.withTimeout;
  }

  /** INFO clients total_blocking_keys: distinct (db, key) pairs with waiters. */
  public get blockingKeys(): number {
    let n = 0;
    for (const map of this.waiting) n += map.size;
    return n;
  }

  /** True when keys were signalled and handleReadyKeys has work. */
  public get hasReadyKeys(): boolean {
    return this.ready.length !== 0;
  }

  public blockForKeys(ctx: CommandContext, keys: readonly string[], deadline: number, type: BlockingType): boolean {
    if (!this.host.canBlock()) return false;
    const client = clientOf(ctx);
    const command = this.host.currentCommand();
    if (command === undefined || client.blocked !== undefined) return false;
    const again = this.reprocessing === client;
    const state = new BlockState(ctx.db, Array.from(new Set(keys)), again ? this.reprocessingDeadline : deadline, type);
    state.command = { entry: command.entry, args: command.args.map((a) => Buffer.from(a)) };
    const map = this.waiting[ctx.db.id];
    for (const key of state.keys) {
      const queue = map.get(key);
      if (queue === undefined) map.set(key, [client]);
      else queue.push(client);
    }
    client.blocked = state;
    this.blocked++;
    if (state.deadline > 0) {
      this.withTimeout++;
      state.timer = setTimeout(() => this.timedOut(client), Math.max(0, state.deadline - Date.now()));
      state.timer.unref();
    }
    this.host.keyspace.readyListener = this.signal;
    return true;
  }

  /** Called for every key written while someone is blocked: queues it if someone waits on it. */
  public signalKeyAsReady(db: Database, key: string): void {
    if (!this.waiting[db.id].has(key)) return;
    const set = this.readySets[db.id];
    if (set.has(key)) return;
    set.add(key);
    this.ready.push({ db, key });
  }

  /** SWAPDB: clients stay in their database index, whose keys just changed wholesale. */
  public databasesSwapped(a: Database, b: Database): void {
    for (const db of [a, b]) for (const key of this.waiting[db.id].keys()) this.signalKeyAsReady(db, key);
  }

  /**
   * Serves clients blocked on the keys signalled so far, key by key in signal order, waiters in
   * the order they blocked; keys that serving makes ready (BLMOVE's destination) are served too.
   */
  public handleReadyKeys(): void {
    if (this.handling) return;
    this.handling = true;
    try {
      while (this.ready.length !== 0) {
        const batch = this.ready;
        this.ready = [];
        for (const { db, key } of batch) {
          this.readySets[db.id].delete(key);
          this.serveKey(db, key);
        }
      }
    } finally {
      this.handling = false;
    }
  }

  /** CLIENT UNBLOCK: replies as a timeout, or with the UNBLOCKED error; false when not blocked. */
  public unblockByRequest(client: Client, withError: boolean): boolean {
    const state = client.blocked;
    if (state === undefined) return false;
    this.release(client, state);
    if (withError) client.reply.error('UNBLOCKED client unblocked via CLIENT UNBLOCK');
    else client.reply.nullArray();
    if (state.command) this.host.accountUnblocked(client, state.command.entry, withError);
    this.resume(client);
    return true;
  }

  /** A disconnected or killed client leaves every queue it was in. */
  public removeClient(client: Client): void {
    const state = client.blocked;
    if (state !== undefined) this.release(client, state);
  }

  private serveKey(db: Database, key: string): void {
    const queue = this.waiting[db.id].get(key);
    if (queue === undefined) return;
    // Only the clients waiting now: one that blocks again goes to the back and waits for the next signal.
    for (const receiver of queue.slice()) {
      const state = receiver.blocked;
      if (state === undefined || state.db !== db || receiver.closed) continue;
      const value = db.get(key, false);
      if (value === undefined || kindOf(value) !== state.type) continue;
      const command = state.command;
      this.release(receiver, state);
      if (command === undefined) continue;
      this.reprocessing = receiver;
      this.reprocessingDeadline = state.deadline;
      try {
        this.host.rerun(receiver, command.entry, command.args);
      } finally {
        this.reprocessing = undefined;
      }
      if (receiver.blocked === undefined) this.resume(receiver);
    }
  }

  private timedOut(client: Client): void {
    const state = client.blocked;
    if (state === undefined || client.closed) return;
    state.timer = undefined;
    this.release(client, state);
    client.reply.nullArray();
    if (state.command) this.host.accountUnblocked(client, state.command.entry, false);
    this.resume(client);
  }

  /** Takes the client out of every queue and stops its timer. */
  private release(client: Client, state: BlockState): void {
    client.blocked = undefined;
    this.blocked--;
    if (state.deadline > 0) this.withTimeout--;
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.timer = undefined;
    const map = this.waiting[state.db.id];
    for (const key of state.keys) {
      const queue = map.get(key);
      if (queue === undefined) continue;
      const at = queue.indexOf(client);
      if (at >= 0) queue.splice(at, 1);
      if (queue.length === 0) map.delete(key);
    }
    if (this.blocked === 0) this.host.keyspace.readyListener = undefined;
  }

  /** An unblocked client's reply goes out and its waiting input is processed, after this turn. */
  private resume(client: Client): void {
    this.host.markPending(client);
    setImmediate(() => {
      if (!client.closed && client.blocked === undefined) this.host.resumeInput(client);
    });
  }
}
