/**
 * When persistence fails, Redis stops acknowledging writes it may not be able to keep
 * (server.c writeCommandsDeniedByDiskError): after a failed BGSAVE (with stop-writes-on-bgsave-error
 * yes and save points configured) or while the AOF cannot be written (appendonly on). Commands that
 * may modify the data set, and PING, get a -MISCONF error until a save or an AOF write succeeds.
 */

/** Redis's shared.bgsaveerr, word for word. */
export const RDB_MISCONF =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. " +
  'Commands that may modify the data set are disabled, because this instance is configured to report errors during writes ' +
  'if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.';

/** The reply while the AOF cannot be written; `reason` is strerror()'s text. */
export function aofMisconf(reason: string): string {
  return `MISCONF Errors writing to the AOF file: ${reason}`;
}

/** strerror()'s words (glibc) for the errors a write to disk can fail with, so replies read as Redis's. */
const STRERROR: Readonly<Record<string, string>> = {
  ENOSPC: 'No space left on device',
  EIO: 'Input/output error',
  EDQUOT: 'Disk quota exceeded',
  EFBIG: 'File too large',
  EROFS: 'Read-only file system',
  EBADF: 'Bad file descriptor',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EAGAIN: 'Resource temporarily unavailable',
  EINTR: 'Interrupted system call',
};

/** The strerror() text of a failed file operation's error. */
export function strerror(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && STRERROR[code] !== undefined) return STRERROR[code];
  return err instanceof Error ? err.message : String(err);
}
