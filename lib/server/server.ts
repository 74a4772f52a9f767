/**
 * The server: accepts connections, feeds each socket read through the parser and dispatcher,
 * and writes each read's replies in one socket write. It also owns what is server-wide — config,
 * databases, pub/sub, MONITOR, SLOWLOG, CLIENT PAUSE, stats, maxmemory eviction — and offers it
 * to commands through the ServerServices contract (and, for admin families, services.ts).
 */
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import type * as tls from 'node:tls';
import { AclCommandTable } from './acl/command-table';
import { loadUsersAtStartup } from './acl/startup';
import { AclStore } from './acl/store';
import { BlockingManager } from './blocking';
import { Client } from './client';
import type { Database } from './keyspace/database';
import type { ServerServices } from './commands/command';
import { allCommands } from './commands';
import { aclFilePath } from './commands/acl';
import { isLoopback, PROTECTED_MODE_DENIED } from './protected-mode';
import { Config, type EvictionPolicy } from './config';
import { DirectWriter, WriteOutcome } from './direct-write';
import { Dispatcher } from './dispatch';
import { Keyspace } from './keyspace/keyspace';
import { startPersistence, stopPersistence } from './persistence/manager';
import { ProtocolError, type RespParser } from './protocol/resp-parser';
import { PubSubHub } from './pubsub-hub';
import { adoptWithReadBuffer, type ReadCallback } from './reusable-read';
import { registerClient, registerServer } from './services';
import { SlowLog } from './slowlog';
import { clientInfoLine } from './commands/connection';
import { outputLimitReached, parseOutputLimits, type OutputLimits } from './output-limits';
import { TLS_CONTEXT_PARAMS, TlsConfigError, buildTlsSetup, clientAllowed, listenTls, serverOptions, type AuthClients, type TlsSetup } from './tls';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';
const LEVELS: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };
const LEVEL_MARK: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export { SERVER_VERSION } from './version';

/** Memory a freshly started Redis reports as used before any key exists; our estimate starts there too. */
const BASELINE_MEMORY = 880 * 1024;
/**
 * Replies of this many bytes or more are written right after the read that made them, not at the
 * end of the event-loop turn (see markPending): output that large does not gain from waiting.
 */
const FLUSH_AT_ONCE_BYTES = 64 * 1024;
/** Requests per prefetch: one read's worth at the pipeline depths clients use. */
const PREFETCH_BATCH = 32;

/** Formats one log line as redis-server does: `pid:M 25 Nov 2026 15:24:11.123 * message`. */
export function formatLogLine(level: LogLevel, message: string, date = new Date()): string {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const stamp = `${pad(date.getDate())} ${MONTHS[date.getMonth()]} ${date.getFullYear()} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
  return `${process.pid}:M ${stamp} ${LEVEL_MARK[level]} ${message}`;
}

export interface ServerStats {
  commandsProcessed: number;
  connectionsReceived: number;
  rejectedConnections: number;
  errorReplies: number;
  evictedKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  netInputBytes: number;
  netOutputBytes: number;
  readsProcessed: number;
  writesProcessed: number;
  expiredKeysAtReset: number;
  /** How long the last background save's or AOF rewrite's capture held the event loop (INFO latest_fork_usec). */
  latestForkUsec: number;
  /** Background saves and AOF rewrites started, each one capture, as Redis counts forks (INFO total_forks). */
  totalForks: number;
}

function freshStats(): ServerStats {
  return {
    commandsProcessed: 0,
    connectionsReceived: 0,
    rejectedConnections: 0,
    errorReplies: 0,
    evictedKeys: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    readsProcessed: 0,
    writesProcessed: 0,
    expiredKeysAtReset: 0,
    latestForkUsec: 0,
    totalForks: 0,
  };
}

export interface ServerCoreOptions {
  conf: Config;
  logger?: (line: string) => void;
  /** Called when a client sends SHUTDOWN (after the server closed). */
  onShutdown?: () => void;
  /**
   * Called when the server cannot go on without breaking a promise to its clients (an AOF write
   * fails with appendfsync always): the command line exits the process at once, before any reply.
   */
  onFatal?: () => void;
}

export class ServerCore implements ServerServices {
  /** The configuration (CONFIG GET/SET); `config(name)` is the ServerServices view of it. */
  public readonly conf: Config;
  public readonly keyspace: Keyspace;
  public readonly dispatcher: Dispatcher;
  /** ACL users, permission checks and the ACL log (lib/server/acl). */
  public readonly acl: AclStore;
  public readonly pubsub: PubSubHub;
  /** Clients blocked on keys (BLPOP, BZPOPMIN, …); also ServerServices' `blocking`. */
  public readonly blocking: BlockingManager;
  public readonly slowlog = new SlowLog();
  public stats: ServerStats = freshStats();
  public readonly clients = new Map<number, Client>();
  public readonly monitors = new Set<Client>();
  public readonly startedAt = Date.now();
  public readonly runId = randomBytes(20).toString('hex');
  public pauseMode: 'write' | 'all' | undefined;
  public pauseEnd = 0;
  public listening: Array<{ host: string; port: number }> = [];
  /** The tls-port listeners' addresses (empty without TLS). */
  public tlsListening: Array<{ host: string; port: number }> = [];
  /** Error replies by their first word (INFO errorstats). */
  public readonly errorStats = new Map<string, number>();
  public peakMemory = 0;
  /** Runs before replies are sent: the AOF writes (and with appendfsync always, fsyncs) what they acknowledge. */
  public beforeReplies: (() => void) | undefined;
  /** DEBUG SET-ACTIVE-EXPIRE: when false the cron leaves expired keys to lazy expiry. */
  public activeExpireEnabled = true;
  private opsSamples: number[] = [];
  private lastOpsSample = { at: Date.now(), commands: 0 };

  // Config values read on the hot path, kept current by a config listener.
  public maxmemory = 0;
  public slowlogThreshold = 10000;
  public slowlogMaxLen = 128;
  public acllogMaxLen = 128;
  private outputLimits: OutputLimits = parseOutputLimits('');
  private logLevel: LogLevel = 'notice';

  private readonly logger: ((line: string) => void) | undefined;
  private readonly onShutdown: (() => void) | undefined;
  private readonly onFatal: (() => void) | undefined;
  private servers: net.Server[] = [];
  private tlsServers: tls.Server[] = [];
  /** The TLS context in use; undefined while tls-port is 0. */
  private tlsSetup: TlsSetup | undefined;
  private nextClientId = 1;
  /**
   * Clients with replies waiting for the end of this event-loop turn (markPending), in the order
   * they got them; `flushQueued` marks a client already here. `pendingCount` is how many are.
   */
  private pending: Client[] = [];
  private pendingCount = 0;
  /** The other of the two lists flushPending() alternates between, so that flushing allocates nothing. */
  private flushing: Client[] = [];
  private pendingScheduled = false;
  /** flushPending as one function made once: scheduling it allocates no closure per turn. */
  private readonly flushLater = (): void => this.flushPending();
  /** Key offsets of the requests about to run, and scratch room, for Database.prefetch. */
  private readonly prefetchSpans = new Int32Array(4 * PREFETCH_BATCH);
  private readonly prefetchScratch = new Int32Array(PREFETCH_BATCH);
  /** What prefetching read, kept so that its loads are not optimised away. */
  public prefetchSink = 0;
  /** Every connection's reads land here in turn (reusable-read.ts); parsers copy what they keep. */
  private readonly readBuffer = Buffer.allocUnsafe(64 * 1024);
  /** The last view of readBuffer onRead() made, and the buffer it views (see onRead). */
  private readView: Buffer | undefined;
  private readViewOf: Buffer | undefined;
  private pauseTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private readonly parserLimits = { maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1024 * 1024 * 1024 };

  constructor(options: ServerCoreOptions) {
    this.conf = options.conf;
    this.logger = options.logger;
    this.onShutdown = options.onShutdown;
    this.onFatal = options.onFatal;
    this.keyspace = new Keyspace(this.conf.getNumber('databases'));
    this.pubsub = new PubSubHub((client) => this.markPending(client));
    this.dispatcher = new Dispatcher(this);
    this.acl = new AclStore(new AclCommandTable(allCommands()));
    const dispatcher = this.dispatcher;
    this.blocking = new BlockingManager({
      keyspace: this.keyspace,
      canBlock: () => dispatcher.depth <= 1,
      currentCommand: () =>
        dispatcher.currentEntry !== undefined && dispatcher.currentArgs !== undefined
          ? { entry: dispatcher.currentEntry, args: dispatcher.currentArgs }
          : undefined,
      rerun: (client, entry, args) => {
        dispatcher.resetClock();
        dispatcher.call(client, entry, args, true);
      },
      accountUnblocked: (_client, entry, error) => dispatcher.accountUnblocked(entry, error),
      markPending: (client) => this.markPending(client),
      resumeInput: (client) => this.resumeInput(client),
    });
    for (const [name, value] of this.conf.entries()) this.applyConfig(name, value);
    this.conf.onChange((name, value) => this.applyConfig(name, value));
    this.conf.addCheck(TLS_CONTEXT_PARAMS, (proposed, touched) => this.reloadTls(proposed, touched));
    registerServer(this);
  }

  // ---- ServerServices ------------------------------------------------------------------------

  public database(index: number): Database | undefined {
    return this.keyspace.databases[index];
  }

  public get databaseCount(): number {
    return this.keyspace.count;
  }

  public config(name: string): string | undefined {
    return this.conf.get(name);
  }

  public get configVersion(): number {
    return this.conf.version;
  }

  public recordLookup(hit: boolean): void {
    if (hit) this.stats.keyspaceHits++;
    else this.stats.keyspaceMisses++;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  public async listen(): Promise<Array<{ host: string; port: number }>> {
    // TLS files are checked before anything else, as redis-server's initServer (TlsConfigError).
    const tlsPort = this.conf.getNumber('tls-port');
    if (tlsPort > 0) this.tlsSetup = buildTlsSetup((name) => this.conf.get(name) as string);
    // Users next, then data, as redis-server: a bad aclfile or dump stops start-up, the file untouched.
    loadUsersAtStartup(this.acl, this.conf, this.conf.get('aclfile') as string, aclFilePath(this));
    startPersistence(this);
    const binds = this.conf.get('bind') as string;
    let port = this.conf.getNumber('port');
    const addresses = binds.split(' ').filter((b) => b.length > 0);
    // `port 0` with a tls-port means TLS only, as redis-server; alone it still picks a free port.
    const plain = port !== 0 || tlsPort === 0;
    for (const raw of plain ? addresses : []) {
      const optional = raw.startsWith('-');
      const addr = optional ? raw.slice(1) : raw;
      const host = addr === '*' ? '0.0.0.0' : addr === '::*' ? '::' : addr;
      try {
        const server = await this.listenOne(host, port, host === '::');
        const address = server.address() as net.AddressInfo;
        port = address.port;
        this.servers.push(server);
        this.listening.push({ host: address.address, port: address.port });
      } catch (err) {
        if (optional) continue;
        await this.close();
        throw err;
      }
    }
    if (this.tlsSetup !== undefined) await this.listenTlsAll(addresses, tlsPort, this.tlsSetup);
    this.keyspace.startCron(
      () => this.conf.getNumber('hz'),
      () => this.cron(),
      () => this.activeExpireEnabled,
    );
    return this.listening;
  }

  private listenOne(host: string, port: number, ipv6Only: boolean): Promise<net.Server> {
    return new Promise((resolve, reject) => {
      // Paused on connect: onConnection moves each connection to a socket reading into readBuffer.
      const server = net.createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.onConnection(socket));
      server.once('error', reject);
      server.listen({ host, port, ipv6Only, backlog: this.conf.getNumber('tcp-backlog') }, () => {
        server.off('error', reject);
        server.on('error', (err) => this.log('warning', `Server error: ${err.message}`));
        resolve(server);
      });
    });
  }

  private async listenTlsAll(addresses: readonly string[], port: number, setup: TlsSetup): Promise<void> {
    for (const raw of addresses) {
      const optional = raw.startsWith('-');
      const addr = optional ? raw.slice(1) : raw;
      const host = addr === '*' ? '0.0.0.0' : addr === '::*' ? '::' : addr;
      try {
        const server = await listenTls(
          { ...serverOptions(setup), host, port, ipv6Only: host === '::', backlog: this.conf.getNumber('tcp-backlog') },
          (socket) => this.onTlsConnection(socket),
          (err) => this.log('verbose', `Error accepting a client connection: ${err.message}`),
        );
        const address = server.address() as net.AddressInfo;
        this.tlsServers.push(server);
        this.tlsListening.push({ host: address.address, port: address.port });
      } catch (err) {
        if (optional) continue;
        await this.close();
        throw err;
      }
    }
  }

  /**
   * CONFIG SET of a tls-* context parameter: builds the new context first and swaps it in for new
   * connections; a context that cannot be built refuses the whole CONFIG SET, as redis-server.
   */
  private reloadTls(proposed: (name: string) => string, touched: string): string | undefined {
    if (this.tlsServers.length === 0) return undefined;
    let setup: TlsSetup;
    try {
      setup = buildTlsSetup(proposed);
    } catch (err) {
      if (!(err instanceof TlsConfigError)) throw err;
      this.log('warning', err.lines[0]);
      this.log('warning', `Failed applying new configuration. Possibly related to new ${touched} setting. Restoring previous settings.`);
      return 'Unable to update TLS configuration. Check server logs.';
    }
    this.tlsSetup = setup;
    for (const server of this.tlsServers) server.setSecureContext(serverOptions(setup));
    return undefined;
  }

  /** Stops accepting, sends what is buffered, closes every connection. */
  public close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      this.keyspace.stopCron();
      stopPersistence(this);
      if (this.pauseTimer) clearTimeout(this.pauseTimer);
      const closes = [...this.servers, ...this.tlsServers].map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      for (const client of Array.from(this.clients.values())) {
        this.flush(client);
        client.socket?.end();
        const socket = client.socket;
        if (socket) setTimeout(() => socket.destroy(), 1000).unref();
      }
      await Promise.all(closes);
      this.servers = [];
      this.tlsServers = [];
    })();
    return this.closing;
  }

  /** SHUTDOWN: close everything, then tell the host (the command line exits the process). */
  public shutdown(): void {
    this.log('warning', 'User requested shutdown...');
    this.log('warning', 'Redis is now ready to exit, bye bye...');
    void this.close().then(() => {
      if (this.onShutdown) this.onShutdown();
    });
  }

  /**
   * An error the server cannot recover from (Redis logs it and exit(1)s): logged, then the host's
   * onFatal (the command line exits). Returns when there is no onFatal (in-process), and the
   * caller then carries on as for a recoverable error.
   */
  public fatal(message: string): void {
    this.log('warning', message);
    if (this.onFatal) this.onFatal();
  }

  public log(level: LogLevel, message: string): void {
    if (!this.logger || LEVELS[level] < LEVELS[this.logLevel]) return;
    this.logger(formatLogLine(level, message));
  }

  // ---- connections ---------------------------------------------------------------------------

  private onConnection(accepted: net.Socket): void {
    accepted.setNoDelay(true);
    if (this.refuseOverMaxClients(accepted) || this.refuseInProtectedMode(accepted)) return;
    // Reads land in the server's one read buffer (see reusable-read.ts), for the client made below.
    let onRead: ReadCallback = () => undefined;
    const adopted = adoptWithReadBuffer(accepted, this.readBuffer, (buf, length) => onRead(buf, length));
    const socket = adopted ?? accepted;
    const client = this.addClient(socket);
    // Plain TCP only: replies go straight to the handle when nothing is ahead of them (direct-write.ts).
    client.directWriter = DirectWriter.open(socket);
    if (adopted !== undefined) {
      onRead = (buf, length) => this.onRead(client, buf, length);
    } else {
      socket.on('data', (chunk: Buffer) => this.onData(client, chunk));
      socket.resume();
    }
  }

  /** A handshaken tls-port connection: from here on the same client, parser and dispatch as plain TCP. */
  private onTlsConnection(socket: tls.TLSSocket): void {
    if (!clientAllowed(this.conf.get('tls-auth-clients') as AuthClients, socket)) {
      this.log('verbose', `Error accepting a client connection: ${socket.authorizationError?.message ?? 'certificate verify failed'}`);
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    if (this.refuseOverMaxClients(socket) || this.refuseInProtectedMode(socket)) return;
    const client = this.addClient(socket);
    // TLS sockets decrypt into fresh buffers, so the ordinary 'data' path is the only one.
    socket.on('data', (chunk: Buffer) => this.onData(client, chunk));
  }

  /** maxclients: answers and closes a connection beyond the limit, as redis-server's acceptCommonHandler. */
  private refuseOverMaxClients(socket: net.Socket): boolean {
    if (this.clients.size < this.conf.getNumber('maxclients')) return false;
    this.stats.rejectedConnections++;
    socket.end('-ERR max number of clients reached\r\n');
    return true;
  }

  /** Protected mode (protected-mode.ts): a non-loopback peer while the default user has no password is refused. */
  private refuseInProtectedMode(socket: net.Socket): boolean {
    if (!this.conf.getBool('protected-mode') || !this.acl.defaultUser.nopass || isLoopback(socket.remoteAddress)) return false;
    this.stats.rejectedConnections++;
    socket.end(PROTECTED_MODE_DENIED);
    return true;
  }

  /** Registers a connected socket as a client; the caller wires its reads. */
  private addClient(socket: net.Socket): Client {
    this.stats.connectionsReceived++;
    const addr = `${formatHost(socket.remoteAddress)}:${socket.remotePort ?? 0}`;
    const laddr = `${formatHost(socket.localAddress)}:${socket.localPort ?? 0}`;
    const client = new Client(
      this.nextClientId++,
      socket,
      addr,
      laddr,
      this.parserLimits,
      this,
      this.keyspace.databases[0],
      () => this.acl.defaultRequiresAuth,
      this.acl.defaultUser,
    );
    registerClient(client);
    this.clients.set(client.id, client);
    socket.on('drain', () => {
      if (client.readPaused && !client.closed) {
        client.readPaused = false;
        socket.resume();
      }
    });
    socket.on('error', (err) => this.log('verbose', `Client ${client.addr}: ${err.message}`));
    socket.on('close', () => this.removeClient(client));
    return client;
  }

  /** A read into the shared read buffer: handled like any chunk, then nothing may point into it. */
  private onRead(client: Client, buf: Buffer, length: number): void {
    // The view of the read's bytes is made once per length: reads of one size (a request at a
    // time, -P 1) reuse it instead of allocating a Buffer per read.
    let chunk = this.readView;
    if (chunk === undefined || chunk.length !== length || this.readViewOf !== buf) {
      chunk = buf.subarray(0, length);
      this.readView = chunk;
      this.readViewOf = buf;
    }
    this.onData(client, chunk);
    client.parser.detachInput();
  }

  private onData(client: Client, chunk: Buffer): void {
    if (client.closed) return;
    client.netInput += chunk.length;
    this.stats.netInputBytes += chunk.length;
    this.stats.readsProcessed++;
    try {
      client.parser.append(chunk);
    } catch (err) {
      if (err instanceof ProtocolError) {
        this.log('warning', `Closing client that reached max query buffer length: addr=${client.addr}`);
        this.killClient(client);
        return;
      }
      throw err;
    }
    // The read's values are packed before its callback returns (PackingHold), not at process.nextTick.
    const packing = this.keyspace.packingHold;
    packing.hold();
    try {
      this.processInput(client);
    } finally {
      packing.release();
    }
    // Large output goes at once: libuv may hand this client up to 32 more reads before the turn
    // ends, and a full socket must pause its reading (flush) before they pile up more replies.
    if (client.reply.pending >= FLUSH_AT_ONCE_BYTES) this.flush(client);
    else this.markPending(client);
  }

  /** Runs the input a client received while it was blocked (called once it is unblocked). */
  public resumeInput(client: Client): void {
    if (client.closed) return;
    this.processInput(client);
    this.flush(client);
    if (this.pendingCount > 0) this.flushPending();
  }

  /** Runs every complete request buffered for the client, unless a pause or a blocking command holds it. */
  private processInput(client: Client): void {
    if (client.pausedCommand !== undefined || client.blocked !== undefined) return;
    const parser = client.parser;
    const dispatcher = this.dispatcher;
    dispatcher.resetClock();
    let first = true;
    while (!client.closeAfterReply && !client.closed) {
      // Well-formed requests whole in the buffer run from their bytes; the rest take next()'s exact path.
      const argc = parser.scan();
      if (argc > 0) {
        if (first) {
          first = false;
          // More requests behind the first: a pipelined batch (prefetchBatch). One request alone
          // (-P 1) costs no look further.
          if (parser.pendingBytes > 0) this.prefetchBatch(client, parser, argc);
        }
        if (!dispatcher.executeScanned(client, parser, argc)) break;
        continue;
      }
      let args: Buffer[] | undefined;
      try {
        args = parser.next();
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        this.log('verbose', `Protocol error (${err.message}) from client: addr=${client.addr}`);
        if (err.reply) client.reply.error(err.message);
        client.closeAfterReply = true;
        break;
      }
      if (args === undefined) break;
      if (!dispatcher.execute(client, args)) break;
    }
  }

  /**
   * A pipelined batch over data larger than the caches: warms what the lookups of the request
   * just scanned (`argc` arguments) and of those waiting behind it will read (Database.prefetch).
   * The scanned one goes first: its misses then overlap with the others' instead of coming one
   * after another. Its key (or, when it has none, the next request's) decides whether it pays.
   */
  private prefetchBatch(client: Client, parser: RespParser, argc: number): void {
    const spans = this.prefetchSpans;
    let count = 0;
    if (argc >= 2) {
      parser.scannedSpans(spans, 0, argc);
      count = 1;
    } else if (parser.peekRequests(spans, 1) !== 1) {
      return;
    }
    const db = this.keyspace.databases[client.dbIndex];
    const input = parser.bufferedInput;
    if (!db.prefetchPays(input, spans[0], spans[1])) return;
    count += parser.peekRequests(spans, PREFETCH_BATCH - count, count);
    this.prefetchSink = (this.prefetchSink + db.prefetch(input, spans, count, this.prefetchScratch)) | 0;
  }

  /** Sends the client's buffered replies in one write. */
  public flush(client: Client): void {
    if (this.beforeReplies !== undefined) this.beforeReplies();
    const socket = client.socket;
    if (!socket || client.closed) return;
    const out = client.reply.takeOutputView();
    if (out !== undefined) {
      client.netOutput += out.length;
      this.stats.netOutputBytes += out.length;
      this.stats.writesProcessed++;
      const accepted = this.writeOut(client, socket, out);
      if (!accepted && !client.readPaused) {
        // The peer is not reading: stop reading its requests until the socket drains.
        client.readPaused = true;
        socket.pause();
      }
      // Only a client with output left unsent (or over the soft limit before) can be over a limit.
      if ((client.unsentOutput() > 0 || client.softLimitSince !== 0) && this.closeIfOverOutputLimit(client)) return;
    }
    if (client.closeAfterReply) {
      client.closed = true;
      socket.end();
    }
  }

  /**
   * One batch of replies to the socket: straight to its native handle when nothing is ahead of it
   * (direct-write.ts), else through the stream. Returns false when the stream's buffer is past its
   * high-water mark (the peer is not reading). Tells the reply writer whether its buffer is free.
   */
  private writeOut(client: Client, socket: net.Socket, out: Buffer): boolean {
    const direct = client.directWriter;
    if (direct !== undefined) {
      const outcome = direct.write(out);
      if (outcome !== WriteOutcome.Declined) {
        // Done: the kernel took every byte. Queued: libuv holds the view. Failed: the socket is gone.
        client.reply.outputWritten(outcome === WriteOutcome.Done);
        return true;
      }
    }
    const accepted = direct !== undefined ? direct.writeViaStream(out) : socket.write(out);
    // Nothing queued means the kernel took every byte: the reply buffer is free for the next batch.
    client.reply.outputWritten(socket.writableLength === 0);
    return accepted;
  }

  /**
   * client-output-buffer-limit for one client (output-limits.ts); closes it when over. Unsent
   * output is what Node holds for the socket, as Redis counts its reply list (the kernel's
   * buffer is not counted by either).
   */
  private closeIfOverOutputLimit(client: Client): boolean {
    const socket = client.socket;
    if (socket === undefined) return false;
    const limit = client.subscriptionCount > 0 ? this.outputLimits.pubsub : this.outputLimits.normal;
    if (!outputLimitReached(limit, client.unsentOutput(), client, Math.floor(Date.now() / 1000))) return false;
    this.log('warning', `Client ${clientInfoLine(client, Date.now())} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    this.killClient(client);
    return true;
  }

  /**
   * Queues a client for a flush at the end of this event-loop turn: after its own requests (onData)
   * or output from elsewhere (pub/sub, MONITOR, a served blocked client).
   *
   * Replies wait for the turn's end, as Redis writes them in beforeSleep rather than after each
   * read: libuv hands every readable connection of one poll to its callback before setImmediate's
   * check phase runs, so the replies to all of them go out back to back. A client process woken
   * by the first write is still running when the next arrives, instead of being woken for each
   * one; writing after each read kept the client (redis-benchmark, or 50 application threads)
   * falling asleep between our writes, and the kernel's wake-ups were most of the system time the
   * server used beyond redis-server's (perf: sock_def_readable under our write()).
   */
  public markPending(client: Client): void {
    if (client.flushQueued) return;
    client.flushQueued = true;
    this.pending.push(client);
    this.pendingCount++;
    if (!this.pendingScheduled) {
      this.pendingScheduled = true;
      setImmediate(this.flushLater);
    }
  }

  private flushPending(): void {
    this.pendingScheduled = false;
    const clients = this.pending;
    this.pending = this.flushing;
    this.pendingCount = 0;
    // A client queued while these flush lands in the other list, flushed on the next turn; one
    // closed since it was queued is skipped by flush().
    for (let i = 0; i < clients.length; i++) {
      const client = clients[i];
      client.flushQueued = false;
      this.flush(client);
    }
    clients.length = 0;
    this.flushing = clients;
  }

  /** Closes a client now (CLIENT KILL, limits); replies already buffered are dropped. */
  public killClient(client: Client): void {
    if (client.closed) return;
    client.closed = true;
    client.socket?.destroy();
    this.removeClient(client);
  }

  private removeClient(client: Client): void {
    if (!this.clients.has(client.id)) return;
    client.closed = true;
    this.clients.delete(client.id);
    this.monitors.delete(client);
    this.pubsub.removeClient(client);
    this.blocking.removeClient(client);
    this.keyspace.unwatchAll(client);
  }

  /** Whether a new connection must authenticate first (the default user has a password or is off). */
  public requiresPassword(): boolean {
    return this.acl.defaultRequiresAuth;
  }

  // ---- CLIENT PAUSE --------------------------------------------------------------------------

  public pauseActive(_client: Client): boolean {
    return this.pauseMode !== undefined;
  }

  public pause(ms: number, mode: 'write' | 'all'): void {
    const end = Date.now() + ms;
    if (this.pauseMode !== 'all') this.pauseMode = mode;
    if (end > this.pauseEnd || this.pauseTimer === undefined) {
      this.pauseEnd = Math.max(end, this.pauseEnd);
      if (this.pauseTimer) clearTimeout(this.pauseTimer);
      this.pauseTimer = setTimeout(() => this.unpause(), Math.max(0, this.pauseEnd - Date.now()));
    }
  }

  public unpause(): void {
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
    this.pauseMode = undefined;
    this.pauseEnd = 0;
    setImmediate(() => {
      for (const client of Array.from(this.clients.values())) {
        const held = client.pausedCommand;
        if (held === undefined || client.closed) continue;
        client.pausedCommand = undefined;
        this.dispatcher.resetClock();
        if (!this.dispatcher.execute(client, held)) continue;
        this.processInput(client);
        this.flush(client);
      }
      if (this.pendingCount > 0) this.flushPending();
    });
  }

  // ---- memory --------------------------------------------------------------------------------

  /** Estimated used memory: baseline + keys and values + unsent replies and unparsed requests. */
  public usedMemory(): number {
    let bytes = BASELINE_MEMORY;
    for (const db of this.keyspace.databases) bytes += db.usedBytes;
    return bytes;
  }

  public datasetMemory(): number {
    let bytes = 0;
    for (const db of this.keyspace.databases) bytes += db.usedBytes;
    return bytes;
  }

  /** Evicts keys per maxmemory-policy until under maxmemory; false when that was impossible. */
  public performEvictions(): boolean {
    const max = this.maxmemory;
    if (max <= 0) return true;
    let used = this.usedMemory();
    if (used <= max) return true;
    const policy = this.conf.get('maxmemory-policy') as EvictionPolicy;
    if (policy === 'noeviction') return false;
    const samples = this.conf.getNumber('maxmemory-samples');
    const volatileOnly = policy.startsWith('volatile-');
    const databases = this.keyspace.databases;
    for (let guard = 0; used > max && guard < 100000; guard++) {
      let bestDb: Database | undefined;
      let bestKey: string | undefined;
      let bestScore = -Infinity;
      if (policy === 'allkeys-random' || policy === 'volatile-random') {
        const candidates = databases.filter((db) => (volatileOnly ? db.expires.size : db.size) > 0);
        if (candidates.length > 0) {
          const db = candidates[Math.floor(Math.random() * candidates.length)];
          const sample = db.sampleForEviction(1, volatileOnly);
          if (sample.length > 0) {
            bestDb = db;
            bestKey = sample[0].key;
          }
        }
      } else {
        for (const db of databases) {
          if ((volatileOnly ? db.expires.size : db.size) === 0) continue;
          for (const s of db.sampleForEviction(samples, volatileOnly)) {
            let score: number;
            if (policy.endsWith('-lru')) score = s.idleSeconds;
            else if (policy.endsWith('-lfu')) score = 255 - s.frequency;
            else score = -(s.expireAt ?? Infinity); // volatile-ttl: the soonest to expire
            if (score > bestScore) {
              bestScore = score;
              bestDb = db;
              bestKey = s.key;
            }
          }
        }
      }
      if (bestDb === undefined || bestKey === undefined) return false;
      bestDb.delete(bestKey);
      // Logged as a DEL, as an expiry is (Redis's propagateDeletion), so a restart does not bring it back.
      this.keyspace.expiredListener?.(bestDb, bestKey);
      this.stats.evictedKeys++;
      used = this.usedMemory();
    }
    return used <= max;
  }

  // ---- cron ----------------------------------------------------------------------------------

  private lastClientsCron = 0;

  /** A background save or AOF rewrite captured the keyspace in `micros`: Redis's fork, for INFO stats. */
  public noteFork(micros: number): void {
    this.stats.latestForkUsec = micros;
    this.stats.totalForks++;
  }

  /** Counts an error reply by its first word, as INFO errorstats. */
  public recordError(prefix: string): void {
    this.errorStats.set(prefix, (this.errorStats.get(prefix) ?? 0) + 1);
  }

  public notePeakMemory(used: number): void {
    if (used > this.peakMemory) this.peakMemory = used;
  }

  /** INFO's instantaneous_ops_per_sec: the average of the last samples taken by the cron. */
  public opsPerSecond(): number {
    if (this.opsSamples.length === 0) return 0;
    return Math.round(this.opsSamples.reduce((a, b) => a + b, 0) / this.opsSamples.length);
  }

  private cron(): void {
    if (this.maxmemory > 0) this.performEvictions();
    const now = this.keyspace.now;
    const elapsed = now - this.lastOpsSample.at;
    if (elapsed >= 100) {
      const commands = this.stats.commandsProcessed;
      this.opsSamples.push(((commands - this.lastOpsSample.commands) * 1000) / elapsed);
      if (this.opsSamples.length > 16) this.opsSamples.shift();
      this.lastOpsSample = { at: now, commands };
      this.notePeakMemory(this.usedMemory());
    }
    if (now - this.lastClientsCron < 1000) return;
    this.lastClientsCron = now;
    // A client whose reads are paused sends no more commands, so no write re-checks its soft
    // limit; in Redis its commands would keep adding output. Checking here keeps the rule
    // "over the soft limit for more than soft-seconds closes it" true for it too.
    for (const client of Array.from(this.clients.values())) {
      if (client.softLimitSince !== 0) this.closeIfOverOutputLimit(client);
    }
    const timeout = this.conf.getNumber('timeout');
    if (timeout > 0) {
      for (const client of Array.from(this.clients.values())) {
        if (client.subscriptionCount > 0 || client.monitor || client.pausedCommand || client.blocked) continue;
        if (now - client.lastInteraction > timeout * 1000) {
          this.log('verbose', 'Closing idle client');
          this.killClient(client);
        }
      }
    }
  }

  public resetStats(): void {
    this.stats = freshStats();
    this.errorStats.clear();
    this.peakMemory = this.usedMemory();
    this.lastOpsSample = { at: Date.now(), commands: 0 };
    this.opsSamples = [];
    this.stats.expiredKeysAtReset = this.keyspace.expiredKeys();
    for (const entry of this.dispatcher.table.values()) {
      const all = [entry, ...(entry.subcommands ? entry.subcommands.values() : [])];
      for (const e of all) {
        e.stats.calls = 0;
        e.stats.usec = 0;
        e.stats.failedCalls = 0;
        e.stats.rejectedCalls = 0;
      }
    }
  }

  private applyConfig(name: string, value: string): void {
    switch (name) {
      case 'maxmemory':
        this.maxmemory = Number(value);
        break;
      case 'maxmemory-policy':
        this.keyspace.countFrequency(value.endsWith('-lfu'));
        break;
      case 'lfu-log-factor':
        this.keyspace.configureLfu({ logFactor: Number(value) });
        break;
      case 'lfu-decay-time':
        this.keyspace.configureLfu({ decayTime: Number(value) });
        break;
      case 'slowlog-log-slower-than':
        this.slowlogThreshold = Number(value);
        break;
      case 'slowlog-max-len':
        this.slowlogMaxLen = Number(value);
        this.slowlog.trim(this.slowlogMaxLen);
        break;
      case 'requirepass':
        // As ACLUpdateDefaultUserPassword: requirepass is the default user's one password.
        this.acl.defaultUser.apply('resetpass');
        this.acl.defaultUser.apply(value === '' ? 'nopass' : `>${value}`);
        break;
      case 'acllog-max-len':
        this.acllogMaxLen = Number(value);
        break;
      case 'acl-pubsub-default':
        this.acl.pubsubDefaultAll = value === 'allchannels';
        break;
      case 'loglevel':
        this.logLevel = value as LogLevel;
        break;
      case 'proto-max-bulk-len':
        this.parserLimits.maxBulkLen = Number(value);
        break;
      case 'client-output-buffer-limit':
        this.outputLimits = parseOutputLimits(value);
        break;
      case 'client-query-buffer-limit':
        this.parserLimits.queryBufferLimit = Number(value);
        break;
      default:
        break;
    }
  }
}

function formatHost(address: string | undefined): string {
  if (!address) return '?';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
