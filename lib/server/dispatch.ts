/**
 * Dispatch in one place, as Redis's processCommand() and call(): look the command up
 * (case-insensitively, subcommands included), check arity, authentication, memory, pub/sub
 * context, pauses and MULTI centrally, then run the handler and account for it (INFO
 * commandstats, SLOWLOG, MONITOR). Handlers never bring the process down: a ReplyError becomes
 * its reply, anything else an -ERR reply and a log line.
 */
import { performance } from 'node:perf_hooks';
import type { Client } from './client';
import type { Database } from './keyspace/database';
import { CommandNameIndex } from './command-names';
import { allCommands } from './commands';
import { ReplyError, type CommandFlag, type CommandSpec, type FastHandler } from './commands/command';
import type { RespParser } from './protocol/resp-parser';
import type { ReplyWriter } from './protocol/reply-writer';
import { aclRefusal } from './acl/enforce';
import type { ServerCore } from './server';
import { repr } from './util/repr';

/** Per-command counters for INFO commandstats. */
export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

/** A table entry: the spec plus what dispatch precomputes for it. */
export interface CommandEntry {
  readonly spec: CommandSpec;
  /** spec.arity, kept on the entry: every request checks it, and the spec is one more cache line away. */
  readonly arity: number;
  /** 'get', or 'client|setname' for a subcommand. */
  readonly fullName: string;
  readonly parent: CommandEntry | undefined;
  readonly subcommands: Map<string, CommandEntry> | undefined;
  readonly stats: CommandStats;
  readonly isWrite: boolean;
  readonly denyOom: boolean;
  readonly noAuth: boolean;
  readonly skipMonitor: boolean;
  readonly skipSlowlog: boolean;
  readonly noMulti: boolean;
  readonly mayReplicate: boolean;
  /** The spec's raw-bytes handler, if it has one (see executeScanned). */
  readonly fast: FastHandler | undefined;
}

export interface QueuedCommand {
  readonly entry: CommandEntry;
  readonly args: Buffer[];
}

/** Commands that a RESP2 client in subscribed mode may still send. */
const SUBSCRIBED_ALLOWED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);
/** Commands MULTI runs at once instead of queueing. */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

const NOAUTH = 'NOAUTH Authentication required.';
const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

function has(spec: CommandSpec, flag: CommandFlag): boolean {
  return spec.flags.includes(flag);
}

function makeEntry(spec: CommandSpec, parent: CommandEntry | undefined): CommandEntry {
  const entry: CommandEntry = {
    spec,
    arity: spec.arity,
    fullName: parent ? `${parent.fullName}|${spec.name}` : spec.name,
    parent,
    subcommands: spec.subcommands ? new Map() : undefined,
    stats: { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 },
    isWrite: has(spec, 'write'),
    denyOom: has(spec, 'denyoom'),
    noAuth: has(spec, 'no_auth'),
    skipMonitor: has(spec, 'skip_monitor') || has(spec, 'admin'),
    skipSlowlog: has(spec, 'skip_slowlog'),
    noMulti: has(spec, 'no_multi'),
    mayReplicate: has(spec, 'may_replicate'),
    fast: spec.fast,
  };
  if (spec.subcommands && entry.subcommands) {
    for (const sub of spec.subcommands) entry.subcommands.set(sub.name, makeEntry(sub, entry));
  }
  return entry;
}

/** Redis's rejectCommandFormat strips newlines so the error stays one line. */
function argText(arg: Buffer, max: number): string {
  let end = arg.indexOf(0);
  if (end < 0) end = arg.length;
  return arg.toString('latin1', 0, Math.min(end, max));
}

export class Dispatcher {
  public readonly table = new Map<string, CommandEntry>();
  /**
   * The last clock reading (performance.now()): each command's end is the next one's start, so
   * timing a command costs one clock read. Reset when a batch of input starts (resetClock).
   */
  private clock = performance.now();
  /** Nesting of call(): 2 while EXEC runs its queue, where commands must not block. */
  public depth = 0;
  /** The command call() is running, for the blocking manager to run it again later. */
  public currentEntry: CommandEntry | undefined;
  public currentArgs: Buffer[] | undefined;
  /** Runs before every write command while a BGSAVE is in progress (its copy-on-write hook). */
  public beforeWrite: ((db: Database, spec: CommandSpec, args: Buffer[]) => void) | undefined;
  /**
   * Runs after every call() while the AOF is on (persistence/aof.ts): the command, the database it
   * ran in, where its reply starts and keyspace.changes before it ran, to log what it changed.
   */
  public afterCall: ((client: Client, entry: CommandEntry, args: Buffer[], db: Database, replyMark: number, changesBefore: number) => void) | undefined;
  /**
   * Set while a save or an AOF write has failed (persistence/manager.ts): the -MISCONF error that
   * writes and PING get now, or undefined when the configuration lets them through.
   */
  public writeDenial: (() => string | undefined) | undefined;
  /** Top-level command names → their index in `byIndex`, found from a request's bytes. */
  private readonly names: CommandNameIndex;
  private readonly byIndex: CommandEntry[] = [];

  constructor(private readonly server: ServerCore) {
    const specs = allCommands();
    this.names = new CommandNameIndex(specs.length);
    for (const spec of specs) {
      const entry = makeEntry(spec, undefined);
      this.table.set(spec.name, entry);
      this.names.add(spec.name, this.byIndex.length);
      this.byIndex.push(entry);
    }
  }

  /** Starts timing a new batch of requests (after idle time that must not count as command time). */
  public resetClock(): void {
    this.clock = performance.now();
  }

  /** Top-level lookup straight from the argument bytes, case-insensitive. */
  public lookupBytes(arg: Buffer): CommandEntry | undefined {
    return this.lookupAt(arg, 0, arg.length);
  }

  /** Top-level lookup of the name in `bytes[start..start+length)`, case-insensitive. */
  private lookupAt(bytes: Uint8Array, start: number, length: number): CommandEntry | undefined {
    const index = this.names.find(bytes, start, length);
    return index < 0 ? undefined : this.byIndex[index];
  }

  /** Top-level lookup, case-insensitive. */
  public lookup(name: string): CommandEntry | undefined {
    return this.table.get(name) ?? this.table.get(name.toLowerCase());
  }

  /** Resolves a command line to its entry (subcommand included), or undefined. */
  public resolve(args: readonly Buffer[]): CommandEntry | undefined {
    const top = this.lookup(args[0].toString('latin1'));
    if (!top || !top.subcommands || args.length < 2) return top;
    return top.subcommands.get(args[1].toString('latin1').toLowerCase());
  }

  /** The error a command line gets before running (unknown/arity), or undefined. */
  private precheck(args: Buffer[], top: CommandEntry | undefined): { entry?: CommandEntry; error?: string } {
    if (top === undefined) {
      let list = '';
      for (let i = 1; i < args.length && list.length < 128; i++) list += `'${argText(args[i], 128 - list.length)}' `;
      return { error: `ERR unknown command '${argText(args[0], 128)}', with args beginning with: ${list}` };
    }
    let entry = top;
    if (top.subcommands && args.length >= 2) {
      const sub = top.subcommands.get(args[1].toString('latin1').toLowerCase());
      if (!sub) {
        return { error: `ERR unknown subcommand '${argText(args[1], 128)}'. Try ${top.fullName.toUpperCase()} HELP.` };
      }
      entry = sub;
    }
    const arity = entry.arity;
    if ((arity > 0 && arity !== args.length) || args.length < -arity) {
      return { error: `ERR wrong number of arguments for '${entry.fullName}' command` };
    }
    return { entry };
  }

  /**
   * Processes one request read from the client's socket. Returns false when the client must
   * stop reading further requests for now (held by CLIENT PAUSE).
   */
  public execute(client: Client, args: Buffer[]): boolean {
    const server = this.server;
    const reply = client.reply;
    client.lastInteraction = server.keyspace.now;
    const top = this.lookupBytes(args[0]);
    let entry: CommandEntry;
    if (top !== undefined && top.subcommands === undefined && (top.arity === args.length || (top.arity < 0 && args.length >= -top.arity))) {
      entry = top; // the common case, without the general checks
    } else {
      const checked = this.precheck(args, top);
      if (checked.error !== undefined) {
        this.reject(client, checked.error, top);
        return true;
      }
      entry = checked.entry as CommandEntry;
    }

    if (!client.authenticated && !entry.noAuth && server.requiresPassword()) {
      this.reject(client, NOAUTH, entry);
      return true;
    }
    if (client.inMulti && entry.noMulti) {
      this.reject(client, 'ERR Command not allowed inside a transaction', entry);
      return true;
    }
    if (!client.user.unrestricted) {
      const refusal = aclRefusal(server.acl, client, entry.fullName, args, server.acllogMaxLen);
      if (refusal !== undefined) {
        this.reject(client, refusal, entry);
        return true;
      }
    }
    if (server.maxmemory > 0) {
      const name = entry.fullName;
      let denyOom = entry.denyOom;
      if (name === 'exec' && client.multiQueue) denyOom = client.multiQueue.some((q) => q.entry.denyOom);
      if (client.inMulti && name !== 'exec' && name !== 'discard' && name !== 'quit' && name !== 'reset') denyOom = true;
      if (!server.performEvictions() && denyOom) {
        this.reject(client, OOM, entry);
        return true;
      }
    }
    if (this.writeDenial !== undefined && this.deniedByDiskError(client, entry)) {
      const denial = this.writeDenial();
      if (denial !== undefined) {
        this.reject(client, denial, entry);
        return true;
      }
    }
    if (client.subscriptionCount > 0 && client.resp === 2 && !SUBSCRIBED_ALLOWED.has(entry.fullName)) {
      this.reject(
        client,
        `ERR Can't execute '${entry.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
        entry,
      );
      return true;
    }
    if (server.pauseActive(client) && this.isPausedFor(client, entry)) {
      // Kept past this read, whose buffer is reused: copy the arguments out of it.
      client.pausedCommand = args.map((a) => Buffer.from(a));
      return false;
    }
    if (client.multiQueue !== undefined && !MULTI_IMMEDIATE.has(entry.fullName) && !(entry.parent && MULTI_IMMEDIATE.has(entry.parent.fullName))) {
      const copied = new Array<Buffer>(args.length);
      for (let i = 0; i < args.length; i++) copied[i] = Buffer.from(args[i]);
      client.multiQueue.push({ entry, args: copied });
      reply.queued();
      return true;
    }
    this.call(client, entry, args);
    // Keys written by the command wake the clients blocked on them (after EXEC for a transaction).
    const blocking = server.blocking;
    if (blocking.hasReadyKeys) blocking.handleReadyKeys();
    return client.blocked === undefined;
  }

  /**
   * Runs the request the parser just scanned in place (RespParser.scan). A command called with the
   * right arity by a client that needs none of the general checks skips them: with a `fast`
   * handler it runs straight from the read buffer's bytes, otherwise it goes to call() with Buffer
   * views of its arguments. Anything else gets its Buffer arguments and `execute()`.
   * Returns false when the client must stop reading requests for now, as `execute()`.
   */
  public executeScanned(client: Client, req: RespParser, argc: number): boolean {
    const entry = this.lookupAt(req.scannedBuffer, req.argOffset(0), req.argLength(0));
    if (entry === undefined || entry.subcommands !== undefined || !this.plainCall(client, entry, argc)) {
      return this.execute(client, req.views(argc));
    }
    if (entry.fast !== undefined) {
      this.callFast(client, entry, entry.fast, req, argc);
    } else {
      // Every check execute() would make is already known to pass (plainCall): straight to call().
      client.lastInteraction = this.server.keyspace.now;
      this.call(client, entry, req.views(argc));
    }
    const blocking = this.server.blocking;
    if (blocking.hasReadyKeys) blocking.handleReadyKeys();
    return client.blocked === undefined;
  }

  /**
   * True when `execute()` would go straight to call() and call() would do nothing beyond running
   * the handler and accounting for it: right arity, authenticated, an unrestricted ACL user, no
   * MULTI, no maxmemory, no subscriptions, no pause, no MONITOR, no CLIENT REPLY OFF/SKIP or NO-TOUCH, no BGSAVE hook,
   * no disk error (writeDenial).
   */
  private plainCall(client: Client, entry: CommandEntry, argc: number): boolean {
    const arity = entry.arity;
    if (arity > 0 ? arity !== argc : argc < -arity) return false;
    const server = this.server;
    return (
      client.user.unrestricted &&
      client.multiQueue === undefined &&
      client.replyMode === 'on' &&
      !client.skipNextReply &&
      !client.noTouch &&
      (client.authenticated || !server.requiresPassword()) &&
      server.maxmemory === 0 &&
      server.pauseMode === undefined &&
      server.monitors.size === 0 &&
      client.subscriptionCount === 0 &&
      this.writeDenial === undefined &&
      ((this.beforeWrite === undefined && this.afterCall === undefined) || !entry.isWrite)
    );
  }

  /** call() for a plainCall() request run by its fast handler: the same accounting, nothing else to do. */
  private callFast(client: Client, entry: CommandEntry, fast: FastHandler, req: RespParser, argc: number): void {
    const server = this.server;
    const reply = client.reply;
    const ctx = client.ctx;
    client.lastInteraction = server.keyspace.now;
    ctx.db = server.keyspace.databases[client.dbIndex];
    client.lastCommand = entry.fullName;
    const started = this.clock;
    ctx.now = server.keyspace.tickAt(started);
    const mark = reply.pending;
    try {
      fast(ctx, req, argc);
    } catch (err) {
      this.replyThrown(client, entry, mark, err);
    }
    const ended = performance.now();
    this.clock = ended;
    const micros = Math.round((ended - started) * 1000);
    if (reply.pending > mark && reply.peekByte(mark) === 45 /* - */) this.countError(entry, reply, mark);
    if (this.countCall(client, entry, micros)) {
      server.slowlog.add(req.views(argc), micros, client.addr, client.name, server.slowlogMaxLen);
    }
  }

  /** An error reply at `mark`: counted for the command, INFO stats and errorstats. */
  private countError(entry: CommandEntry, reply: ReplyWriter, mark: number): void {
    entry.stats.failedCalls++;
    this.server.stats.errorReplies++;
    this.server.recordError(reply.peekWord(mark + 1));
  }

  /** Counts a finished call; true when it took long enough for the slow log. */
  private countCall(client: Client, entry: CommandEntry, micros: number): boolean {
    entry.stats.calls++;
    entry.stats.usec += micros;
    client.commandsProcessed++;
    this.server.stats.commandsProcessed++;
    const threshold = this.server.slowlogThreshold;
    return threshold >= 0 && micros >= threshold && !entry.skipSlowlog;
  }

  /** A handler threw: its partial reply is replaced by the error (ReplyError) or an -ERR and a log line. */
  private replyThrown(client: Client, entry: CommandEntry, mark: number, err: unknown): void {
    const reply = client.reply;
    reply.truncate(mark);
    if (err instanceof ReplyError) {
      reply.error(err.reply);
    } else {
      const message = err instanceof Error ? err.message : String(err);
      this.server.log('warning', `Unexpected error in '${entry.fullName}': ${err instanceof Error && err.stack ? err.stack : message}`);
      reply.error(`ERR ${message}`);
    }
  }

  /**
   * Whether a disk error refuses this command (processCommand): a write, an EXEC with a write
   * queued, and PING (so a health check sees the trouble), as redis-server 7.0 does.
   */
  private deniedByDiskError(client: Client, entry: CommandEntry): boolean {
    if (entry.isWrite || entry.fullName === 'ping') return true;
    return entry.fullName === 'exec' && client.multiQueue !== undefined && client.multiQueue.some((q) => q.entry.isWrite);
  }

  /** Whether the current pause holds this command back (CLIENT PAUSE WRITE holds writes only). */
  private isPausedFor(client: Client, entry: CommandEntry): boolean {
    if (this.server.pauseMode === 'all') return true;
    if (entry.isWrite || entry.mayReplicate) return true;
    if (entry.fullName === 'exec' && client.multiQueue) return client.multiQueue.some((q) => q.entry.isWrite || q.entry.mayReplicate);
    return false;
  }

  /**
   * Runs a resolved command: the handler, then stats, slowlog and MONITOR (Redis's call()). A
   * command that blocked is accounted when it runs again (`reprocessing`) or ends unserved.
   */
  public call(client: Client, entry: CommandEntry, args: Buffer[], reprocessing = false): void {
    const server = this.server;
    const reply = client.reply;
    const ctx = client.ctx;
    const db = server.keyspace.databases[client.dbIndex];
    ctx.db = db;
    client.lastCommand = entry.fullName; // set before running, so CLIENT INFO shows itself as Redis does
    const started = this.clock;
    ctx.now = server.keyspace.tickAt(started);
    const mark = reply.pending;
    const skipped = client.skipNextReply;
    const wasOff = client.replyMode === 'off';
    client.skipNextReply = false;
    if (client.noTouch && entry.fullName !== 'touch') db.suppressTouch = true;
    const outerEntry = this.currentEntry;
    const outerArgs = this.currentArgs;
    this.currentEntry = entry;
    this.currentArgs = args;
    this.depth++;
    const changesBefore = server.keyspace.changes;
    try {
      if (this.beforeWrite !== undefined && entry.isWrite) this.beforeWrite(db, entry.spec, args);
      entry.spec.handler(ctx, args);
    } catch (err) {
      reply.truncate(mark);
      if (err instanceof ReplyError) {
        reply.error(err.reply);
      } else {
        const message = err instanceof Error ? err.message : String(err);
        server.log('warning', `Unexpected error in '${entry.fullName}': ${err instanceof Error && err.stack ? err.stack : message}`);
        reply.error(`ERR ${message}`);
      }
    } finally {
      this.depth--;
      this.currentEntry = outerEntry;
      this.currentArgs = outerArgs;
    }
    if (this.afterCall !== undefined) this.afterCall(client, entry, args, db, mark, changesBefore);
    const ended = performance.now();
    this.clock = ended;
    const micros = Math.round((ended - started) * 1000);
    db.suppressTouch = false;
    if (client.blocked !== undefined) {
      if (!reprocessing && server.monitors.size > 0 && !entry.skipMonitor) this.feedMonitors(client, args);
      return;
    }
    // CLIENT REPLY ON answers even though replies were off when it arrived.
    if (skipped || (wasOff && client.replyMode === 'off')) reply.truncate(mark);
    else if (reply.pending > mark && reply.peekByte(mark) === 45 /* - */) this.countError(entry, reply, mark);
    if (this.countCall(client, entry, micros)) server.slowlog.add(args, micros, client.addr, client.name, server.slowlogMaxLen);
    if (!reprocessing && server.monitors.size > 0 && !entry.skipMonitor) this.feedMonitors(client, args);
  }

  /** Counts a blocked command that ended without running again (timeout, CLIENT UNBLOCK). */
  public accountUnblocked(entry: CommandEntry, error: boolean): void {
    const server = this.server;
    entry.stats.calls++;
    server.stats.commandsProcessed++;
    if (error) {
      entry.stats.failedCalls++;
      server.stats.errorReplies++;
      server.recordError('UNBLOCKED');
    }
  }

  private reject(client: Client, error: string, entry: CommandEntry | undefined): void {
    if (entry) entry.stats.rejectedCalls++;
    this.server.stats.errorReplies++;
    const space = error.indexOf(' ');
    this.server.recordError(space < 0 ? error : error.slice(0, space));
    if (client.inMulti) client.multiError = true;
    const suppress = client.replyMode === 'off' || client.skipNextReply;
    client.skipNextReply = false;
    // A refused EXEC ends the transaction, and Redis words the refusal as an abort (execCommandAbort):
    // errors it formats itself lose their 'ERR ' prefix, shared ones (NOAUTH, OOM) keep their code.
    if (entry !== undefined && entry.fullName === 'exec') {
      if (client.multiQueue !== undefined) {
        client.multiQueue = undefined;
        client.multiError = false;
      }
      this.server.keyspace.unwatchAll(client);
      if (!suppress) {
        const reason = error.startsWith('ERR ') ? error.slice(4) : error;
        client.reply.error(`EXECABORT Transaction discarded because of: ${reason}`);
      }
      return;
    }
    if (!suppress) client.reply.error(error);
  }

  private feedMonitors(client: Client, args: readonly Buffer[]): void {
    const nowUs = Date.now() * 1000 + Math.floor((performance.now() * 1000) % 1000);
    const seconds = Math.floor(nowUs / 1e6);
    const micros = String(nowUs % 1e6).padStart(6, '0');
    let line = `${seconds}.${micros} [${client.dbIndex} ${client.addr}]`;
    for (const a of args) line += ` ${repr(a)}`;
    for (const monitor of this.server.monitors) {
      if (monitor === client && args.length > 0 && args[0].toString('latin1').toLowerCase() === 'monitor') continue;
      monitor.reply.simple(line);
      this.server.markPending(monitor);
    }
  }
}
