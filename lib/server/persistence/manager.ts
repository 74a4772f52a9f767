/**
 * The server's persistence state and policies (valkey src/rdb.c's save/bgsave commands and
 * serverCron's save-point check): SAVE, BGSAVE as an incremental snapshot (snapshot.ts), `save`
 * schedules, start-up loading, SHUTDOWN's save, and the numbers INFO persistence reports.
 *
 * One Persistence per server, found with persistenceOf(server); the server calls
 * startPersistence() before it accepts connections and stopPersistence() when it closes.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ServerCore } from '../server';
import { SERVER_VERSION } from '../version';
import { AppendOnlyFile, type AofHost } from './aof';
import { aofMisconf, RDB_MISCONF } from './disk-error';
import { RdbError } from './format';
import { DataLoadError } from './load-error';
import { loadRdbFile, rdbFileExists } from './load';
import { FileSink } from './sink';
import { Snapshot, snapshotOptions, writeInSlices } from './snapshot';
import { RdbWriter } from './writer';

/** How long one BGSAVE slice may hold the event loop. */
/** Redis's CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, schedules wait this long. */
const RETRY_DELAY_S = 5;

interface Job {
  readonly snapshot: Snapshot;
  readonly sink: FileSink;
  readonly writer: RdbWriter;
  readonly startedAt: number;
  readonly changesAtStart: number;
  aborted: boolean;
}

export class Persistence implements AofHost {
  /** The append-only file (aof.ts): off unless appendonly yes. */
  public readonly aof: AppendOnlyFile;
  /** Unix seconds of the last successful save (LASTSAVE); the start time until then. */
  public lastSave: number;
  public lastBgsaveStatus: 'ok' | 'err' = 'ok';
  public lastBgsaveSeconds = -1;
  public saves = 0;
  /** keyspace.changes at the last successful save. */
  private changesAtSave: number;
  private lastBgsaveTry = 0;
  private job: Job | undefined;
  /** BGSAVE SCHEDULE inside a transaction: start from the cron. */
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  /** The snapshot of the BGSAVE in progress, for tests. */
  public get currentSnapshot(): Snapshot | undefined {
    return this.job?.snapshot;
  }

  constructor(private readonly server: ServerCore) {
    this.lastSave = Math.floor(server.startedAt / 1000);
    this.changesAtSave = server.keyspace.changes;
    this.aof = new AppendOnlyFile(server, this);
  }

  private setBgsaveStatus(status: 'ok' | 'err'): void {
    if (this.lastBgsaveStatus === status) return;
    this.lastBgsaveStatus = status;
    this.diskStatusChanged();
  }

  /**
   * A save or AOF write failed or succeeded again: while either status is 'err', dispatch asks
   * writeDenial() before every write (and PING); otherwise it has nothing to ask (the fast path stays open).
   */
  public diskStatusChanged(): void {
    const failing = this.lastBgsaveStatus === 'err' || this.aof.lastWriteStatus === 'err';
    this.server.dispatcher.writeDenial = failing ? () => this.writeDenial() : undefined;
  }

  /** The MISCONF error writes get now (writeCommandsDeniedByDiskError), or undefined when they are accepted. */
  public writeDenial(): string | undefined {
    const conf = this.server.conf;
    if (this.lastBgsaveStatus === 'err' && conf.getBool('stop-writes-on-bgsave-error') && parseSavePoints(conf.get('save') ?? '').length > 0) {
      return RDB_MISCONF;
    }
    if (this.aof.state !== 'off' && this.aof.lastWriteStatus === 'err') return aofMisconf(this.aof.lastWriteError);
    return undefined;
  }

  public currentBgsaveSeconds(): number {
    return this.job === undefined ? -1 : Math.floor((Date.now() - this.job.startedAt) / 1000);
  }

  public get bgsaveInProgress(): boolean {
    return this.job !== undefined;
  }

  public get changesSinceSave(): number {
    return this.server.keyspace.changes - this.changesAtSave;
  }

  /** dir/dbfilename. */
  public rdbPath(): string {
    const conf = this.server.conf;
    return path.resolve(conf.get('dir') ?? '.', conf.get('dbfilename') ?? 'dump.rdb');
  }

  public aux(): Array<[string, string]> {
    return [
      ['redis-ver', SERVER_VERSION],
      ['redis-bits', '64'],
      ['ctime', String(Math.floor(Date.now() / 1000))],
      ['used-mem', String(this.server.usedMemory())],
      ['aof-base', '0'],
    ];
  }

  private newSnapshot(writer: RdbWriter): Snapshot {
    return new Snapshot(writer, snapshotOptions(this.server.conf, this.aux()));
  }

  // ---- SAVE ----------------------------------------------------------------------------------

  /** Writes the whole keyspace now, blocking. Throws with the reason (logged too). */
  public saveNow(): void {
    const target = this.rdbPath();
    const changes = this.server.keyspace.changes;
    let sink: FileSink | undefined;
    try {
      sink = new FileSink(target);
      const writer = new RdbWriter(sink, this.server.conf.getBool('rdbcompression'));
      const snapshot = this.newSnapshot(writer);
      snapshot.capture(this.server.keyspace);
      snapshot.runToEnd();
      sink.commit();
    } catch (err) {
      sink?.abort();
      const reason = err instanceof Error ? err.message : String(err);
      this.server.log('warning', `Failed saving the DB to ${target}: ${reason}`);
      throw err;
    }
    this.changesAtSave = changes;
    this.lastSave = Math.floor(Date.now() / 1000);
    this.saves++;
    // As rdbSave(): a SAVE that succeeds clears a failed BGSAVE's status (a failed one leaves it).
    this.setBgsaveStatus('ok');
    this.server.log('notice', 'DB saved on disk');
  }

  // ---- BGSAVE --------------------------------------------------------------------------------

  /** Starts a background save; false when one is already running. Throws when the file cannot be created. */
  public startBgsave(): boolean {
    if (this.job !== undefined) return false;
    // One background job at a time, as Redis has one child: they share the copy-on-write hook.
    if (this.aof.rewriteInProgress) throw new Error('an AOF rewrite is in progress');
    this.lastBgsaveTry = Math.floor(Date.now() / 1000);
    const target = this.rdbPath();
    let sink: FileSink;
    try {
      sink = new FileSink(target);
    } catch (err) {
      this.setBgsaveStatus('err');
      this.server.log('warning', `Can't save in background: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    const writer = new RdbWriter(sink, this.server.conf.getBool('rdbcompression'));
    const snapshot = this.newSnapshot(writer);
    this.server.noteFork(snapshot.capture(this.server.keyspace));
    const job: Job = { snapshot, sink, writer, startedAt: Date.now(), changesAtStart: this.server.keyspace.changes, aborted: false };
    this.job = job;
    this.server.dispatcher.beforeWrite = (db, spec, args) => snapshot.beforeWrite(db, spec, args);
    this.server.log('notice', 'Background saving started');
    writeInSlices(job, () => this.releaseHook(job), (err) => this.finishBgsave(job, err));
    return true;
  }

  private releaseHook(job: Job): void {
    if (this.job === job) this.server.dispatcher.beforeWrite = undefined;
  }

  private finishBgsave(job: Job, err: unknown): void {
    if (job.aborted || this.job !== job) return;
    this.releaseHook(job);
    this.job = undefined;
    this.lastBgsaveSeconds = Math.round((Date.now() - job.startedAt) / 1000);
    if (err !== undefined) {
      job.sink.abort();
      job.snapshot.discard();
      this.setBgsaveStatus('err');
      this.server.log('warning', `Background saving error: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.setBgsaveStatus('ok');
    this.changesAtSave = job.changesAtStart;
    this.lastSave = Math.floor(Date.now() / 1000);
    this.saves++;
    this.server.log('notice', 'Background saving terminated with success');
  }

  /** Stops a running BGSAVE and removes its temp file (SHUTDOWN, close). */
  public abortBgsave(): void {
    const job = this.job;
    if (job === undefined) return;
    job.aborted = true;
    this.server.dispatcher.beforeWrite = undefined;
    this.job = undefined;
    job.sink.abort();
    job.snapshot.discard();
    this.server.log('warning', 'Background saving aborted');
  }

  /** Resolves when no BGSAVE is running (tests, SHUTDOWN). */
  public async waitForBgsave(): Promise<void> {
    while (this.job !== undefined) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  public schedule(): void {
    this.scheduled = true;
  }

  // ---- schedules -----------------------------------------------------------------------------

  /** serverCron's save-point check: BGSAVE when `save <seconds> <changes>` is met. */
  public cron(): void {
    this.aof.cron();
    if (this.job !== undefined || this.aof.rewriteInProgress) return;
    const now = Math.floor(Date.now() / 1000);
    if (this.scheduled) {
      this.scheduled = false;
      this.tryBgsave('scheduled');
      return;
    }
    const points = parseSavePoints(this.server.conf.get('save') ?? '');
    if (points.length === 0) return;
    const dirty = this.changesSinceSave;
    const retryOk = this.lastBgsaveStatus === 'ok' || now - this.lastBgsaveTry > RETRY_DELAY_S;
    for (const { seconds, changes } of points) {
      if (dirty >= changes && now - this.lastSave > seconds && retryOk) {
        this.server.log('notice', `${changes} changes in ${seconds} seconds. Saving...`);
        this.tryBgsave('schedule');
        return;
      }
    }
  }

  private tryBgsave(why: string): void {
    try {
      this.startBgsave();
    } catch {
      this.server.log('warning', `BGSAVE (${why}) could not start`);
    }
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /** Loads dir/dbfilename if it exists. Throws (after logging what and where) when it is unreadable or corrupt. */
  public loadAtStartup(): void {
    const file = this.rdbPath();
    if (!rdbFileExists(file)) return;
    const started = performance.now();
    try {
      const result = loadRdbFile(file, this.server.keyspace, (name) => this.server.conf.get(name), Date.now());
      if (result.functionsSkipped > 0) {
        this.server.log('warning', `Skipped ${result.functionsSkipped} function libraries in ${file}: functions are not supported`);
      }
      const ver = result.aux.get('redis-ver');
      if (ver !== undefined) this.server.log('notice', `Loading RDB produced by version ${ver}`);
      this.server.log('notice', `Done loading RDB, keys loaded: ${result.keys}, keys expired: ${result.expiredSkipped}.`);
      this.server.log('notice', `DB loaded from disk: ${((performance.now() - started) / 1000).toFixed(3)} seconds`);
    } catch (err) {
      for (const db of this.server.keyspace.databases) db.flush();
      const message = describeLoadError(file, err);
      this.server.log('warning', message);
      throw new DataLoadError(message);
    }
    // Loading is not a change to save again.
    this.changesAtSave = this.server.keyspace.changes;
  }

  public start(): void {
    // As redis-server: with appendonly yes the AOF is the dataset and the RDB file is not read.
    if (this.server.conf.getBool('appendonly')) this.aof.loadAtStartup();
    else this.loadAtStartup();
    this.server.conf.onChange((name, value) => {
      if (name !== 'appendonly') return;
      try {
        if (value === 'yes') this.aof.enable();
        else this.aof.disable();
      } catch (err) {
        this.server.log('warning', `Unable to turn ${value === 'yes' ? 'on' : 'off'} AOF: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    this.timer = setInterval(() => this.cron(), 100);
    this.timer.unref();
  }

  public stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.aof.stop();
    this.abortBgsave();
  }

  /**
   * SHUTDOWN's save step: SAVE forces one, NOSAVE skips it, neither saves when `save` points are
   * configured (prepareForShutdown). Returns false when a needed save failed.
   */
  public saveForShutdown(mode: 'save' | 'nosave' | 'default'): boolean {
    this.abortBgsave();
    // The AOF is written and fsynced whatever happens next (flushAppendOnlyFile(1) + fsync).
    this.aof.sync();
    const wanted = mode === 'save' || (mode === 'default' && parseSavePoints(this.server.conf.get('save') ?? '').length > 0);
    if (!wanted) return true;
    this.server.log('notice', 'Saving the final RDB snapshot before exiting.');
    try {
      this.saveNow();
      return true;
    } catch {
      this.server.log('warning', 'Error trying to save the DB, can\'t exit.');
      return false;
    }
  }
}

export function describeLoadError(file: string, err: unknown): string {
  if (err instanceof RdbError) {
    const kind = err.unsupported ? 'cannot load' : 'corrupt or truncated';
    return `Failed loading RDB file ${file} (${kind}): ${err.message}, at byte offset ${err.offset}. The file was left untouched; fix or move it away to start the server.`;
  }
  const reason = err instanceof Error ? err.message : String(err);
  return `Failed loading RDB file ${file}: ${reason}. The file was left untouched.`;
}

export function parseSavePoints(text: string): Array<{ seconds: number; changes: number }> {
  const parts = text.split(' ').filter((p) => p.length > 0);
  const out: Array<{ seconds: number; changes: number }> = [];
  for (let i = 0; i + 1 < parts.length; i += 2) out.push({ seconds: Number(parts[i]), changes: Number(parts[i + 1]) });
  return out;
}

const registry = new WeakMap<ServerCore, Persistence>();

export function persistenceOf(server: ServerCore): Persistence {
  let p = registry.get(server);
  if (p === undefined) {
    p = new Persistence(server);
    registry.set(server, p);
  }
  return p;
}

/** Start-up: load the RDB file, then run the save-point check. Throws when the file cannot be loaded. */
export function startPersistence(server: ServerCore): void {
  persistenceOf(server).start();
}

export function stopPersistence(server: ServerCore): void {
  registry.get(server)?.stop();
}

/** INFO persistence's fields. */
export function persistenceInfo(server: ServerCore): Array<[string, string | number]> {
  const p = persistenceOf(server);
  const snapshot = p.currentSnapshot;
  return [
    ['loading', 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', snapshot && snapshot.keysTotal > 0 ? ((snapshot.keysWritten / snapshot.keysTotal) * 100).toFixed(2) : '0.00'],
    ['current_save_keys_processed', snapshot?.keysWritten ?? 0],
    ['current_save_keys_total', snapshot?.keysTotal ?? 0],
    ['rdb_changes_since_last_save', p.changesSinceSave],
    ['rdb_bgsave_in_progress', p.bgsaveInProgress ? 1 : 0],
    ['rdb_last_save_time', p.lastSave],
    ['rdb_last_bgsave_status', p.lastBgsaveStatus],
    ['rdb_last_bgsave_time_sec', p.lastBgsaveSeconds],
    ['rdb_current_bgsave_time_sec', p.bgsaveInProgress ? p.currentBgsaveSeconds() : -1],
    ['rdb_saves', p.saves],
    ['rdb_last_cow_size', 0],
    ...aofInfo(p.aof),
  ];
}

/** INFO persistence's aof_* fields, as Redis 7.0 prints them. */
function aofInfo(aof: AppendOnlyFile): Array<[string, string | number]> {
  const fields: Array<[string, string | number]> = [
    ['aof_enabled', aof.state === 'off' ? 0 : 1],
    ['aof_rewrite_in_progress', aof.rewriteInProgress ? 1 : 0],
    ['aof_rewrite_scheduled', aof.rewriteScheduled ? 1 : 0],
    ['aof_last_rewrite_time_sec', aof.lastRewriteSeconds],
    ['aof_current_rewrite_time_sec', aof.currentRewriteSeconds()],
    ['aof_last_bgrewrite_status', aof.lastBgrewriteStatus],
    ['aof_rewrites', aof.rewrites],
    ['aof_rewrites_consecutive_failures', aof.consecutiveFailures],
    ['aof_last_write_status', aof.lastWriteStatus],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
  if (aof.state !== 'off') {
    fields.push(
      ['aof_current_size', aof.currentSize],
      ['aof_base_size', aof.baseSize],
      ['aof_pending_rewrite', aof.rewriteScheduled ? 1 : 0],
      ['aof_buffer_length', aof.bufferLength],
      ['aof_pending_bio_fsync', 0],
      ['aof_delayed_fsync', 0],
    );
  }
  return fields;
}
