/**
 * ACL LOG: recent denials (command, key, channel, auth), newest first. A denial like one of the
 * last ten within a minute (same reason, context, object and user) bumps that entry's count and
 * moves it to the front instead of adding a new one, as Redis's addACLLogEntry.
 */

export type DenialReason = 'command' | 'key' | 'channel' | 'auth';
export type DenialContext = 'toplevel' | 'multi';

export interface AclLogEntry {
  count: number;
  readonly reason: DenialReason;
  readonly context: DenialContext;
  readonly object: string;
  readonly username: string;
  /** Unix ms of the last occurrence. */
  createdAt: number;
  /** CLIENT LIST line of the client of the last occurrence. */
  clientInfo: string;
}

const GROUPING_MS = 60000;
const SCAN = 10;

export class AclLog {
  public entries: AclLogEntry[] = [];

  public add(entry: Omit<AclLogEntry, 'count'>, maxLen: number): void {
    const limit = Math.min(SCAN, this.entries.length);
    for (let i = 0; i < limit; i++) {
      const e = this.entries[i];
      if (
        e.reason === entry.reason &&
        e.context === entry.context &&
        Math.abs(e.createdAt - entry.createdAt) <= GROUPING_MS &&
        e.object === entry.object &&
        e.username === entry.username
      ) {
        this.entries.splice(i, 1);
        e.count++;
        e.createdAt = entry.createdAt;
        e.clientInfo = entry.clientInfo;
        this.entries.unshift(e);
        return;
      }
    }
    this.entries.unshift({ ...entry, count: 1 });
    if (this.entries.length > maxLen) this.entries.length = maxLen;
  }

  public reset(): void {
    this.entries = [];
  }
}
