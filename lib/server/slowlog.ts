/** SLOWLOG: the newest-first list of commands slower than slowlog-log-slower-than, as slowlog.c. */

const SLOWLOG_ENTRY_MAX_ARGC = 32;
const SLOWLOG_ENTRY_MAX_STRING = 128;

export interface SlowlogEntry {
  readonly id: number;
  /** Unix seconds when the command ran. */
  readonly time: number;
  readonly durationMicros: number;
  readonly args: string[];
  readonly peer: string;
  readonly clientName: string;
}

export class SlowLog {
  private entries: SlowlogEntry[] = [];
  private nextId = 0;

  public get length(): number {
    return this.entries.length;
  }

  public add(args: readonly Buffer[], durationMicros: number, peer: string, clientName: string, maxLen: number): void {
    const argc = Math.min(args.length, SLOWLOG_ENTRY_MAX_ARGC);
    const kept: string[] = [];
    for (let i = 0; i < argc; i++) {
      if (argc !== args.length && i === argc - 1) {
        kept.push(`... (${args.length - argc + 1} more arguments)`);
        break;
      }
      const a = args[i];
      kept.push(
        a.length > SLOWLOG_ENTRY_MAX_STRING
          ? `${a.subarray(0, SLOWLOG_ENTRY_MAX_STRING).toString('latin1')}... (${a.length - SLOWLOG_ENTRY_MAX_STRING} more bytes)`
          : a.toString('latin1'),
      );
    }
    this.entries.unshift({ id: this.nextId++, time: Math.floor(Date.now() / 1000), durationMicros, args: kept, peer, clientName });
    this.trim(maxLen);
  }

  public trim(maxLen: number): void {
    if (this.entries.length > maxLen) this.entries.length = Math.max(0, maxLen);
  }

  /** The newest `count` entries (all when count is -1). */
  public get(count: number): SlowlogEntry[] {
    return count < 0 ? this.entries.slice() : this.entries.slice(0, count);
  }

  public reset(): void {
    this.entries = [];
  }
}
