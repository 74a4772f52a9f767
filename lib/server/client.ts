/**
 * One client connection: its parser, its reply buffer, and the state commands see through
 * ClientState (selected db, name, protocol, auth) plus what the server keeps per connection
 * (MULTI queue, WATCHed keys, subscriptions, CLIENT flags, counters for CLIENT LIST).
 */
import type { Socket } from 'node:net';
import type { AclUser } from './acl/user';
import type { BlockState } from './blocking';
import type { DirectWriter } from './direct-write';
import type { QueuedCommand } from './dispatch';
import type { ClientState, CommandContext, ServerServices } from './commands/command';
import type { Database } from './keyspace/database';
import type { WatchedKey, Watcher } from './keyspace/keyspace';
import { RespParser, type ParserLimits } from './protocol/resp-parser';
import { ReplyWriter } from './protocol/reply-writer';

export type ReplyMode = 'on' | 'off' | 'skip';

/** The mutable per-command context handed to handlers; one per client, refreshed per command. */
export class ClientContext implements CommandContext {
  public db: Database;
  public now = 0;
  constructor(
    public readonly client: Client,
    public readonly reply: ReplyWriter,
    public readonly server: ServerServices,
    db: Database,
  ) {
    this.db = db;
  }
}

export class Client implements ClientState, Watcher {
  public dbIndex = 0;
  public name = '';
  public authenticated: boolean;
  public readonly reply = new ReplyWriter();
  public readonly parser: RespParser;
  public readonly ctx: ClientContext;

  /** Commands queued by MULTI, or undefined outside a transaction. */
  public multiQueue: QueuedCommand[] | undefined;
  /** A command failed to queue: EXEC must answer EXECABORT. */
  public multiError = false;
  public dirtyCas = false;
  public readonly watched: WatchedKey[] = [];

  public readonly channels = new Set<string>();
  public readonly patterns = new Set<string>();
  public readonly shardChannels = new Set<string>();

  public libName = '';
  public libVer = '';
  public noEvict = false;
  public noTouch = false;
  public replyMode: ReplyMode = 'on';
  /** CLIENT REPLY SKIP was the previous command: drop the next reply. */
  public skipNextReply = false;
  public monitor = false;
  /** Reply, then close (QUIT, protocol errors, CLIENT KILL of oneself). */
  public closeAfterReply = false;
  public closed = false;
  /** Since when (unix seconds) unsent output has been over the soft output limit; 0 when not (output-limits.ts). */
  public softLimitSince = 0;
  /** Queued for the server's flush at the end of this event-loop turn (Server.markPending). */
  public flushQueued = false;
  /** Reading is paused because the socket's send buffer is full. */
  public readPaused = false;
  /** Writes replies straight to the socket's handle (direct-write.ts), or undefined to use socket.write. */
  public directWriter: DirectWriter | undefined;
  /** Set while blocked on keys (BLPOP, BZPOPMIN, …); its further input waits until it is unblocked. */
  public blocked: BlockState | undefined;
  /** A command held back by CLIENT PAUSE, replayed when the pause ends. */
  public pausedCommand: Buffer[] | undefined;

  public readonly createdAt = Date.now();
  public lastInteraction = Date.now();
  public lastCommand = 'NULL';
  public commandsProcessed = 0;
  public netInput = 0;
  public netOutput = 0;

  constructor(
    public readonly id: number,
    public readonly socket: Socket | undefined,
    public readonly addr: string,
    public readonly laddr: string,
    limits: ParserLimits,
    server: ServerServices,
    db: Database,
    requirePassword: () => boolean,
    /** The ACL user the connection runs as (the default user until AUTH). */
    public user: AclUser,
  ) {
    this.authenticated = !requirePassword();
    this.parser = new RespParser(limits, () => !this.authenticated && requirePassword());
    this.ctx = new ClientContext(this, this.reply, server, db);
  }

  public get resp(): 2 | 3 {
    return this.reply.resp;
  }

  /** Reply bytes not yet taken by the kernel: what the socket's stream holds plus a queued direct write. */
  public unsentOutput(): number {
    const socket = this.socket;
    if (socket === undefined) return 0;
    return socket.writableLength + (this.directWriter?.queuedBytes ?? 0);
  }

  public get inMulti(): boolean {
    return this.multiQueue !== undefined;
  }

  public get subscriptionCount(): number {
    return this.channels.size + this.patterns.size + this.shardChannels.size;
  }

  /** CLIENT LIST / CLIENT INFO flags letters, as Redis's getClientInfoString. */
  public flagString(): string {
    let f = '';
    if (this.monitor) f += 'O';
    if (this.blocked !== undefined) f += 'b';
    if (this.subscriptionCount > 0) f += 'P';
    if (this.inMulti) f += 'x';
    if (this.dirtyCas) f += 'd';
    if (this.closeAfterReply) f += 'c';
    if (this.noEvict) f += 'e';
    if (this.noTouch) f += 'T';
    return f.length > 0 ? f : 'N';
  }
}
