/**
 * The append-only file, as Redis 7's multi-part AOF (valkey src/aof.c): in `dir/appenddirname`
 * a manifest (aof-manifest.ts) names one BASE file — the dataset at the last rewrite, as an RDB
 * (aof-use-rdb-preamble yes) or as commands — and INCR files holding, as RESP commands, every
 * write made since.
 *
 * Feeding (feedAppendOnlyFile): the dispatcher calls afterCall() once a command ran; a write that
 * changed the dataset is logged in the form Redis propagates (aof-propagate.ts), keys that expire
 * as DEL, a SELECT whenever the database changes, and what one command (an EXEC, an SPOP of many)
 * logs as several commands is wrapped in MULTI/EXEC. The commands collect in a buffer that is
 * written before any reply leaves the server (flush(), called by ServerCore.flush), so a client
 * never sees an acknowledgement for a write the file lacks; appendfsync always fsyncs there too,
 * everysec fsyncs in the background once a second, no leaves it to the OS.
 *
 * Rewriting (BGREWRITEAOF, auto-aof-rewrite-*, turning appendonly on): a new INCR file is opened
 * and listed in the manifest at once, so writes from then on are safe; the dataset as of that
 * moment is written as the new BASE by a Snapshot, a slice at a time with copy-on-write (the
 * BGSAVE machinery, snapshot.ts); then one manifest write swaps in the new BASE and drops the old
 * files. Every file goes through FileSink (temp, fsync, rename, fsync the folder).
 */
import { closeSync, existsSync, fdatasync, fdatasyncSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Client } from '../client';
import type { CommandEntry } from '../dispatch';
import type { Database } from '../keyspace/database';
import type { ServerCore } from '../server';
import { DataLoadError } from './load-error';
import { strerror } from './disk-error';
import { AofBaseWriter } from './aof-base-writer';
import { AofLoadError, loadAofFiles } from './aof-loader';
import {
  type AofManifest,
  AofManifestError,
  baseName,
  emptyManifest,
  formatManifest,
  incrName,
  manifestName,
  nextBaseSeq,
  nextIncrSeq,
  parseManifest,
} from './aof-manifest';
import { type Argv, encodeCommand, propagatedForms } from './aof-propagate';
import { FileSink } from './sink';
import { Snapshot, snapshotOptions, type SnapshotWriter, writeInSlices } from './snapshot';
import { RdbWriter } from './writer';

/** How long one rewrite slice may hold the event loop (as BGSAVE's). */
/** Commands Redis propagates even when they changed nothing (forceCommandPropagation). */
const ALWAYS_PROPAGATED = new Set(['flushall', 'flushdb', 'swapdb']);
/** Commands whose logged form is read from their reply. */
const NEEDS_REPLY = new Set(['spop', 'blpop', 'brpop', 'lmpop', 'blmpop', 'zmpop', 'bzmpop', 'bzpopmin', 'bzpopmax', 'incrbyfloat', 'hincrbyfloat']);
const EMPTY = Buffer.alloc(0);
const word = (s: string): Buffer => Buffer.from(s, 'latin1');

export type AofState = 'off' | 'on' | 'wait-rewrite';

interface RewriteJob {
  readonly snapshot: Snapshot;
  readonly sink: FileSink;
  readonly base: { name: string; seq: number; format: 'rdb' | 'aof' };
  readonly startedAt: number;
  aborted: boolean;
}

/** What the AOF needs from the RDB side of persistence (manager.ts). */
export interface AofHost {
  /** The AUX fields an RDB written now carries. */
  aux(): Array<[string, string]>;
  readonly bgsaveInProgress: boolean;
  /** lastWriteStatus changed: writes are refused (MISCONF) or accepted again. */
  diskStatusChanged(): void;
}

export class AppendOnlyFile {
  public state: AofState = 'off';
  private manifest: AofManifest = emptyManifest();
  private fd: number | undefined;
  /** The INCR file being appended to (a temp name while waiting for the first rewrite). */
  private incrPath: string | undefined;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private selectedDb = -1;
  /** What the current top-level command logged so far (several → MULTI/EXEC). */
  private group: Array<{ db: number; argv: Argv }> = [];
  private unsynced = false;
  private fsyncInFlight = false;
  private lastFsync = Date.now();
  private rewrite: RewriteJob | undefined;
  public rewriteScheduled = false;
  public lastRewriteSeconds = -1;
  public lastBgrewriteStatus: 'ok' | 'err' = 'ok';
  public rewrites = 0;
  public consecutiveFailures = 0;
  public lastWriteStatus: 'ok' | 'err' = 'ok';
  /** strerror() of the last failed write, for the MISCONF reply. */
  public lastWriteError = '';
  /** Bytes of the files in the manifest (aof_current_size) and of the base at the last rewrite or load. */
  public currentSize = 0;
  public baseSize = 0;
  private lastRewriteTry = 0;

  constructor(
    private readonly server: ServerCore,
    private readonly host: AofHost,
  ) {}

  public get dir(): string {
    const conf = this.server.conf;
    return path.resolve(conf.get('dir') ?? '.', conf.get('appenddirname') ?? 'appendonlydir');
  }

  private get fileName(): string {
    return this.server.conf.get('appendfilename') ?? 'appendonly.aof';
  }

  private get manifestPath(): string {
    return path.join(this.dir, manifestName(this.fileName));
  }

  public get rewriteInProgress(): boolean {
    return this.rewrite !== undefined;
  }

  public currentRewriteSeconds(): number {
    return this.rewrite === undefined ? -1 : Math.floor((Date.now() - this.rewrite.startedAt) / 1000);
  }

  public get bufferLength(): number {
    return this.buffered;
  }

  // ---- start-up ------------------------------------------------------------------------------

  /**
   * appendonly yes at start-up: load the AOF if its manifest exists (an RDB is then ignored, as
   * Redis does), else create an empty BASE and INCR; then log every write. Throws AofLoadError.
   */
  public loadAtStartup(): void {
    const dir = this.dir;
    mkdirSync(dir, { recursive: true });
    const started = performance.now();
    if (existsSync(this.manifestPath)) {
      this.manifest = this.readManifest();
      let result;
      try {
        result = loadAofFiles(this.server, dir, this.manifest);
      } catch (err) {
        for (const db of this.server.keyspace.databases) db.flush();
        const message = err instanceof AofLoadError ? err.message : `Failed loading the AOF in ${dir}: ${err instanceof Error ? err.message : String(err)}`;
        this.server.log('warning', message);
        throw new DataLoadError(message);
      }
      this.currentSize = result.bytes;
      this.baseSize = result.bytes;
      this.server.log('notice', `DB loaded from append only file: ${((performance.now() - started) / 1000).toFixed(3)} seconds (${result.commands} commands, ${result.rdbKeys} keys from RDB)`);
    }
    if (this.manifest.base === undefined && this.manifest.incrs.length === 0) {
      // Nothing yet: a BASE of what is there now (nothing), then an INCR, as redis-server on first start.
      const base = this.newBaseInfo();
      const sink = new FileSink(path.join(dir, base.name));
      try {
        const snapshot = new Snapshot(this.baseWriter(sink), snapshotOptions(this.server.conf, this.baseAux()));
        snapshot.capture(this.server.keyspace);
        snapshot.runToEnd();
        sink.commit();
      } catch (err) {
        sink.abort();
        throw err;
      }
      this.manifest.base = base;
      this.baseSize = sink.bytesWritten;
      this.currentSize = this.baseSize;
      this.server.log('notice', `Creating AOF base file ${base.name} on server start`);
    }
    if (this.manifest.incrs.length === 0) {
      const name = incrName(this.fileName, nextIncrSeq(this.manifest));
      this.manifest.incrs.push({ name, seq: nextIncrSeq(this.manifest) });
      this.openIncr(path.join(dir, name));
      this.writeManifest();
      this.server.log('notice', `Creating AOF incr file ${name} on server start`);
    } else {
      this.openIncr(path.join(dir, this.manifest.incrs[this.manifest.incrs.length - 1].name));
    }
    this.state = 'on';
    this.attach();
  }

  private readManifest(): AofManifest {
    const file = this.manifestPath;
    try {
      return parseManifest(readFileSync(file, 'latin1'));
    } catch (err) {
      const where = err instanceof AofManifestError ? ` at line ${err.line}` : '';
      const message = `Failed loading the AOF manifest ${file}${where}: ${err instanceof Error ? err.message : String(err)}. The file was left untouched.`;
      this.server.log('warning', message);
      throw new DataLoadError(message);
    }
  }

  // ---- CONFIG SET appendonly -----------------------------------------------------------------

  /** appendonly yes at run time (startAppendOnly): log to a temp INCR and write a BASE first. */
  public enable(): void {
    if (this.state !== 'off') return;
    const dir = this.dir;
    mkdirSync(dir, { recursive: true });
    // An earlier AOF's sequence numbers carry on; its files are replaced when the rewrite ends.
    this.manifest = existsSync(this.manifestPath) ? this.readManifest() : emptyManifest();
    this.openIncr(path.join(dir, `temp-${this.fileName}.incr`));
    this.state = 'wait-rewrite';
    this.attach();
    if (this.host.bgsaveInProgress) {
      this.rewriteScheduled = true;
      this.server.log('notice', 'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
      return;
    }
    this.startRewrite();
    this.server.log('notice', 'AOF enabled');
  }

  /** appendonly no at run time (stopAppendOnly): flush, fsync, close; a rewrite in progress is dropped. */
  public disable(): void {
    if (this.state === 'off') return;
    this.abortRewrite();
    this.flush();
    const waiting = this.state === 'wait-rewrite';
    this.closeIncr();
    if (waiting && this.incrPath !== undefined) removeQuietly(this.incrPath);
    this.detach();
    this.state = 'off';
    this.rewriteScheduled = false;
    this.server.log('notice', 'AOF disabled');
  }

  // ---- feeding -------------------------------------------------------------------------------

  private attach(): void {
    const server = this.server;
    server.dispatcher.afterCall = (client, entry, args, db, mark, changesBefore) => this.afterCall(client, entry, args, db, mark, changesBefore);
    server.keyspace.expiredListener = (db, key) => this.onExpired(db, key);
    server.beforeReplies = () => this.flush();
  }

  private detach(): void {
    const server = this.server;
    server.dispatcher.afterCall = undefined;
    server.keyspace.expiredListener = undefined;
    server.beforeReplies = undefined;
  }

  /** The dispatcher's hook after each command (see the module comment). */
  public afterCall(client: Client, entry: CommandEntry, args: Buffer[], db: Database, mark: number, changesBefore: number): void {
    const dispatcher = this.server.dispatcher;
    if (entry.isWrite && (this.server.keyspace.changes !== changesBefore || ALWAYS_PROPAGATED.has(entry.fullName)) && client.blocked === undefined) {
      const reply = NEEDS_REPLY.has(entry.fullName) ? client.reply.peekBytes(mark) : EMPTY;
      for (const argv of propagatedForms({ name: entry.fullName, args, db, reply })) this.group.push({ db: db.id, argv });
    }
    if (dispatcher.depth === 0) this.endGroup();
  }

  private onExpired(db: Database, key: string): void {
    const argv = [word('DEL'), word(key)];
    if (this.server.dispatcher.depth > 0) this.group.push({ db: db.id, argv });
    else this.emit(db.id, argv);
  }

  private endGroup(): void {
    const group = this.group;
    if (group.length === 0) return;
    this.group = [];
    if (group.length === 1) {
      this.emit(group[0].db, group[0].argv);
      return;
    }
    this.emit(group[0].db, [word('MULTI')]);
    for (const op of group) this.emit(op.db, op.argv);
    this.emit(group[0].db, [word('EXEC')]);
  }

  private emit(db: number, argv: Argv): void {
    if (db !== this.selectedDb) {
      this.append(encodeCommand([word('SELECT'), word(String(db))]));
      this.selectedDb = db;
    }
    this.append(encodeCommand(argv));
  }

  private append(bytes: Buffer): void {
    this.chunks.push(bytes);
    this.buffered += bytes.length;
  }

  /**
   * Writes what is buffered to the INCR file (flushAppendOnlyFile); with appendfsync always, fsyncs
   * it too. Runs before any reply is sent. A failed write is kept for the next try and logged.
   */
  public flush(): void {
    if (this.buffered === 0 || this.fd === undefined) return;
    const data = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    let done = 0;
    try {
      while (done < data.length) done += writeSync(this.fd, data, done, data.length - done);
    } catch (err) {
      // Keep the part not written; Redis retries in the next event-loop pass as well.
      this.chunks = [data.subarray(done)];
      this.buffered = data.length - done;
      this.currentSize += done;
      this.lastWriteError = strerror(err);
      // With always, the replies about to go out promise the writes are on disk: Redis exits rather
      // than break that promise (the rest of the buffer is kept if the host does not exit).
      if (this.server.conf.get('appendfsync') === 'always') {
        this.server.fatal("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
      }
      if (this.lastWriteStatus === 'ok') {
        this.server.log('warning', `Error writing to the AOF file: ${this.lastWriteError}`);
        this.lastWriteStatus = 'err';
        this.host.diskStatusChanged();
      }
      return;
    }
    this.chunks = [];
    this.buffered = 0;
    this.currentSize += data.length;
    if (this.lastWriteStatus === 'err') {
      this.server.log('warning', 'AOF write error looks solved, Redis can write again.');
      this.lastWriteStatus = 'ok';
      this.host.diskStatusChanged();
    }
    if (this.server.conf.get('appendfsync') === 'always') {
      try {
        fdatasyncSync(this.fd);
      } catch (err) {
        this.server.fatal(`Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${strerror(err)}. Exiting...`);
        this.lastWriteError = strerror(err);
        this.lastWriteStatus = 'err';
        this.host.diskStatusChanged();
        return;
      }
      this.lastFsync = Date.now();
    } else {
      this.unsynced = true;
    }
  }

  /** The cron: everysec's background fsync, auto-rewrite, a scheduled rewrite. */
  public cron(): void {
    if (this.state === 'off') return;
    this.flush();
    const now = Date.now();
    if (this.unsynced && !this.fsyncInFlight && this.fd !== undefined && now - this.lastFsync >= 1000 && this.server.conf.get('appendfsync') === 'everysec') {
      const fd = this.fd;
      this.unsynced = false;
      this.fsyncInFlight = true;
      this.lastFsync = now;
      fdatasync(fd, () => {
        this.fsyncInFlight = false;
      });
    }
    if (this.rewrite !== undefined || this.host.bgsaveInProgress) return;
    if (this.rewriteScheduled) {
      this.rewriteScheduled = false;
      this.tryRewrite('scheduled');
      return;
    }
    const percentage = this.server.conf.getNumber('auto-aof-rewrite-percentage');
    const minSize = this.server.conf.getNumber('auto-aof-rewrite-min-size');
    if (this.state !== 'on' || percentage <= 0 || this.currentSize < minSize) return;
    if (this.lastBgrewriteStatus === 'err' && now - this.lastRewriteTry < 5000) return;
    const base = this.baseSize > 0 ? this.baseSize : 1;
    const growth = Math.floor((this.currentSize * 100) / base) - 100;
    if (growth >= percentage) {
      this.server.log('notice', `Starting automatic rewriting of AOF on ${growth}% growth`);
      this.tryRewrite('automatic');
    }
  }

  private tryRewrite(why: string): void {
    try {
      this.startRewrite();
    } catch (err) {
      this.server.log('warning', `AOF rewrite (${why}) could not start: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // ---- rewrite -------------------------------------------------------------------------------

  /**
   * BGREWRITEAOF: 'started', 'scheduled' (a BGSAVE runs; the cron starts it after), or
   * 'in-progress'. Throws when the files cannot be created.
   */
  public requestRewrite(): 'started' | 'scheduled' | 'in-progress' {
    if (this.rewrite !== undefined) return 'in-progress';
    if (this.host.bgsaveInProgress) {
      this.rewriteScheduled = true;
      return 'scheduled';
    }
    this.startRewrite();
    return 'started';
  }

  private startRewrite(): void {
    this.lastRewriteTry = Date.now();
    const dir = this.dir;
    mkdirSync(dir, { recursive: true });
    // What a running EXEC logged so far happened before the snapshot: it belongs in the old INCR.
    this.endGroup();
    this.flush();
    if (this.state === 'off' && existsSync(this.manifestPath)) this.manifest = this.readManifest();
    if (this.state === 'on') {
      // From now on writes go to a new INCR, listed at once: a crash mid-rewrite loses nothing.
      const seq = nextIncrSeq(this.manifest);
      const name = incrName(this.fileName, seq);
      this.closeIncr();
      this.openIncr(path.join(dir, name));
      this.manifest.incrs.push({ name, seq });
      this.writeManifest();
    }
    const base = this.newBaseInfo();
    let sink: FileSink;
    try {
      sink = new FileSink(path.join(dir, base.name));
    } catch (err) {
      this.lastBgrewriteStatus = 'err';
      this.consecutiveFailures++;
      throw err;
    }
    const snapshot = new Snapshot(this.baseWriter(sink), snapshotOptions(this.server.conf, this.baseAux()));
    this.server.noteFork(snapshot.capture(this.server.keyspace));
    const job: RewriteJob = { snapshot, sink, base, startedAt: Date.now(), aborted: false };
    this.rewrite = job;
    this.server.dispatcher.beforeWrite = (db, spec, args) => snapshot.beforeWrite(db, spec, args);
    this.server.log('notice', 'Background append only file rewriting started');
    writeInSlices(job, () => this.releaseHook(job), (err) => this.finishRewrite(job, err));
  }

  private newBaseInfo(): { name: string; seq: number; format: 'rdb' | 'aof' } {
    const format = this.server.conf.getBool('aof-use-rdb-preamble') ? 'rdb' : 'aof';
    const seq = nextBaseSeq(this.manifest);
    return { name: baseName(this.fileName, seq, format), seq, format };
  }

  private baseWriter(sink: FileSink): SnapshotWriter {
    return this.server.conf.getBool('aof-use-rdb-preamble') ? new RdbWriter(sink, this.server.conf.getBool('rdbcompression')) : new AofBaseWriter(sink);
  }

  private baseAux(): Array<[string, string]> {
    return this.host.aux().map(([k, v]): [string, string] => (k === 'aof-base' ? [k, '1'] : [k, v]));
  }

  private releaseHook(job: RewriteJob): void {
    if (this.rewrite === job) this.server.dispatcher.beforeWrite = undefined;
  }

  private finishRewrite(job: RewriteJob, err: unknown): void {
    if (job.aborted || this.rewrite !== job) return;
    this.releaseHook(job);
    this.rewrite = undefined;
    this.lastRewriteSeconds = Math.round((Date.now() - job.startedAt) / 1000);
    if (err === undefined) {
      try {
        this.installRewrite(job);
      } catch (installErr) {
        err = installErr;
      }
    }
    if (err !== undefined) {
      job.sink.abort();
      job.snapshot.discard();
      this.lastBgrewriteStatus = 'err';
      this.consecutiveFailures++;
      this.server.log('warning', `Background AOF rewrite failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.lastBgrewriteStatus = 'ok';
    this.consecutiveFailures = 0;
    this.rewrites++;
    this.server.log('notice', 'Background AOF rewrite finished successfully');
  }

  /** The new BASE is on disk: one manifest write makes it and the current INCR the whole AOF. */
  private installRewrite(job: RewriteJob): void {
    const dir = this.dir;
    this.flush();
    const old = [this.manifest.base?.name, ...this.manifest.incrs.map((i) => i.name)].filter((n): n is string => n !== undefined);
    let current: { name: string; seq: number } | undefined;
    if (this.state === 'off') {
      // BGREWRITEAOF with appendonly no: a BASE alone, which appendonly yes later starts from.
      current = undefined;
    } else if (this.state === 'wait-rewrite') {
      // The temp INCR that logged writes since the rewrite began becomes a real one.
      const seq = nextIncrSeq(this.manifest);
      current = { name: incrName(this.fileName, seq), seq };
      const target = path.join(dir, current.name);
      renameSync(this.incrPath as string, target);
      this.incrPath = target;
    } else {
      current = this.manifest.incrs[this.manifest.incrs.length - 1];
    }
    this.manifest = { base: job.base, incrs: current ? [current] : [], history: [] };
    this.writeManifest();
    for (const name of old) if (name !== current?.name && name !== job.base.name) removeQuietly(path.join(dir, name));
    this.baseSize = job.sink.bytesWritten;
    this.currentSize = this.baseSize + (this.fd !== undefined ? fstatSync(this.fd).size : 0);
    if (this.state === 'wait-rewrite') this.state = 'on';
  }

  public abortRewrite(): void {
    const job = this.rewrite;
    if (job === undefined) return;
    job.aborted = true;
    this.server.dispatcher.beforeWrite = undefined;
    this.rewrite = undefined;
    job.sink.abort();
    job.snapshot.discard();
    this.server.log('warning', 'Killing running AOF rewrite');
  }

  /** Resolves when no rewrite runs or is scheduled (tests, SHUTDOWN). */
  public async waitForRewrite(): Promise<void> {
    while (this.rewrite !== undefined || this.rewriteScheduled) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  // ---- files ---------------------------------------------------------------------------------

  private openIncr(file: string): void {
    this.fd = openSync(file, 'a', 0o644);
    this.incrPath = file;
    this.selectedDb = -1;
  }

  private closeIncr(): void {
    if (this.fd === undefined) return;
    try {
      fdatasyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private writeManifest(): void {
    const sink = new FileSink(this.manifestPath);
    try {
      sink.write(Buffer.from(formatManifest(this.manifest), 'latin1'));
      sink.commit();
    } catch (err) {
      sink.abort();
      throw err;
    }
  }

  /** SHUTDOWN / SIGTERM: everything logged so far is written and fsynced; logging goes on (a failed save keeps the server up). */
  public sync(): void {
    if (this.state === 'off') return;
    this.endGroup();
    this.flush();
    if (this.fd !== undefined) {
      this.server.log('notice', 'Calling fsync() on the AOF file.');
      fdatasyncSync(this.fd);
    }
  }

  /** Shutdown and close: what is buffered is written and fsynced; a rewrite in progress is dropped. */
  public stop(): void {
    if (this.state === 'off') return;
    this.abortRewrite();
    this.endGroup();
    this.flush();
    this.closeIncr();
    this.detach();
    this.state = 'off';
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
