/**
 * The server's databases (SELECT 0..n-1), the command-time clock they all read, the cron that
 * runs active expiry, and the WATCH registry that Database's onModified hook feeds.
 *
 * The clock is a snapshot: the dispatcher fixes `now` before each command (as Redis's
 * commandTimeSnapshot), so a key cannot expire halfway through a command, and lazy expiry
 * costs a field read instead of a Date.now() call per lookup.
 */
import { Database, PackingHold } from './database';

/** One client's interest in one key, as Redis's watchedKey. */
export interface WatchedKey {
  readonly db: Database;
  readonly key: string;
  /** The key was already logically expired when WATCHed (Redis 7.0 does not count its deletion as a change). */
  expired: boolean;
}

/** The side of a client the WATCH registry needs. */
export interface Watcher {
  /** Set when a watched key changed; EXEC then fails. */
  dirtyCas: boolean;
  readonly watched: WatchedKey[];
}

export class Keyspace {
  public readonly databases: Database[];
  /** Command-time snapshot in Unix ms. */
  public now = Date.now();
  /** db id → key → watchers. */
  private readonly watchers: Array<Map<string, Set<Watcher>>>;
  private watchedCount = 0;
  /** Set by the blocking manager while clients are blocked on keys: told of every key written. */
  public readyListener: ((db: Database, key: string) => void) | undefined;
  /** Set while the AOF is on: told of every key the server deletes by itself — TTL passed, evicted — (logged as DEL). */
  public expiredListener: ((db: Database, key: string) => void) | undefined;
  private cron: NodeJS.Timeout | undefined;
  /** Key modifications ever made (Redis's server.dirty, counted per key): drives `save` schedules. */
  public changes = 0;
  /** Held by the server around a read's commands, so that their values are packed before the read's callback returns. */
  public readonly packingHold = new PackingHold();

  constructor(count: number) {
    const clock = (): number => this.now;
    const onModified = (db: Database, key: string): void => {
      this.changes++;
      if (this.watchedCount !== 0) this.touchWatchedKey(db, key);
      if (this.readyListener !== undefined) this.readyListener(db, key);
    };
    this.databases = [];
    this.watchers = [];
    for (let i = 0; i < count; i++) {
      this.databases.push(new Database(i, clock, onModified, (db, key) => this.expiredListener?.(db, key), this.packingHold));
      this.watchers.push(new Map());
    }
  }

  public get count(): number {
    return this.databases.length;
  }

  /** Turns LFU counting on or off in every database (on under an LFU maxmemory-policy; see Database.countsFrequency). */
  public countFrequency(on: boolean): void {
    for (const db of this.databases) db.countsFrequency = on;
  }

  /** lfu-log-factor and lfu-decay-time for every database's LFU counters (see lfu.ts). */
  public configureLfu(setting: { logFactor?: number; decayTime?: number }): void {
    for (const db of this.databases) {
      if (setting.logFactor !== undefined) db.lfuLogFactor = setting.logFactor;
      if (setting.decayTime !== undefined) db.lfuDecayTime = setting.decayTime;
    }
  }

  /** Wall clock minus the monotonic clock, re-measured by tick(); lets tickAt() skip Date.now(). */
  private clockOffset = Date.now() - performance.now();

  /** Advances the command-time snapshot from the wall clock; returns it. */
  public tick(): number {
    this.now = Date.now();
    this.clockOffset = this.now - performance.now();
    return this.now;
  }

  /** Advances the snapshot from a performance.now() reading the caller already took (one clock read per command). */
  public tickAt(monotonic: number): number {
    this.now = Math.floor(this.clockOffset + monotonic);
    return this.now;
  }

  /** Starts active expiry `hz` times a second. `onCycle` runs after each pass (eviction, stats). */
  public startCron(hz: () => number, onCycle?: () => void, activeExpire: () => boolean = () => true): void {
    this.stopCron();
    const run = (): void => {
      this.tick();
      if (activeExpire()) for (const db of this.databases) db.activeExpireCycle(20, 1);
      if (onCycle) onCycle();
      this.cron = setTimeout(run, Math.floor(1000 / Math.min(500, Math.max(1, hz()))));
      this.cron.unref();
    };
    this.cron = setTimeout(run, Math.floor(1000 / Math.min(500, Math.max(1, hz()))));
    this.cron.unref();
  }

  public stopCron(): void {
    if (this.cron) clearTimeout(this.cron);
    this.cron = undefined;
  }

  /** Total expired-key count across databases (INFO stats expired_keys). */
  public expiredKeys(): number {
    let n = 0;
    for (const db of this.databases) n += db.expiredKeys;
    return n;
  }

  // ---- WATCH ---------------------------------------------------------------------------------

  public watch(client: Watcher, db: Database, key: string): void {
    for (const wk of client.watched) if (wk.db === db && wk.key === key) return;
    const at = db.getExpire(key);
    const expired = at !== undefined && at <= this.now && db.hasSlot(key);
    client.watched.push({ db, key, expired });
    const map = this.watchers[db.id];
    let set = map.get(key);
    if (!set) {
      set = new Set();
      map.set(key, set);
    }
    set.add(client);
    this.watchedCount++;
  }

  public unwatchAll(client: Watcher): void {
    for (const wk of client.watched) {
      const map = this.watchers[wk.db.id];
      const set = map.get(wk.key);
      if (set) {
        set.delete(client);
        if (set.size === 0) map.delete(wk.key);
      }
      this.watchedCount--;
    }
    client.watched.length = 0;
    client.dirtyCas = false;
  }

  /** Redis 7.0's isWatchedKeyExpired: a watched key that expired since WATCH (and still sits in the dict) counts as changed. */
  public watchedKeyExpired(client: Watcher): boolean {
    for (const wk of client.watched) {
      if (wk.expired) continue;
      const at = wk.db.getExpire(wk.key);
      if (at !== undefined && at <= this.now && wk.db.hasSlot(wk.key)) return true;
    }
    return false;
  }

  /** Marks every watcher of every key in `db` dirty (FLUSHDB/FLUSHALL/SWAPDB), as touchAllWatchedKeysInDb. */
  public touchAllWatchedKeysInDb(db: Database, other?: Database): void {
    if (this.watchedCount === 0) return;
    const map = this.watchers[db.id];
    for (const [key, set] of map) {
      const exists = db.hasSlot(key) || (other !== undefined && other.hasSlot(key));
      if (!exists) continue;
      for (const w of set) w.dirtyCas = true;
    }
  }

  private touchWatchedKey(db: Database, key: string): void {
    const set = this.watchers[db.id].get(key);
    if (!set) return;
    for (const w of set) {
      if (w.dirtyCas) continue;
      const wk = w.watched.find((k) => k.db === db && k.key === key);
      if (wk && wk.expired) {
        // The key was already expired at WATCH: its deletion is no logical change.
        if (!db.hasSlot(key)) {
          wk.expired = false;
          continue;
        }
      }
      w.dirtyCas = true;
    }
  }
}
