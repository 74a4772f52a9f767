/**
 * Where RDB bytes go, as valkey's rio.h: the writer knows only `write`. A MemorySink collects a
 * DUMP payload; a FileSink writes a temp file beside the target and only replaces the target
 * after the data is on disk — write, fsync, rename, fsync the directory — so a crash or a full
 * disk at any point leaves the previous good file in place ("never lose a good file").
 */
import { closeSync, fsync, fsyncSync, openSync, renameSync, unlinkSync, writeSync, close as closeFd } from 'node:fs';
import * as path from 'node:path';

export interface RdbSink {
  write(chunk: Buffer): void;
}

export class MemorySink implements RdbSink {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  public write(chunk: Buffer): void {
    this.chunks.push(Buffer.from(chunk));
    this.size += chunk.length;
  }

  public contents(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

let tempCounter = 0;

export class FileSink implements RdbSink {
  public readonly tempPath: string;
  private fd: number | undefined;
  public bytesWritten = 0;

  /** Creates `temp-<pid>-<n>.rdb` in the target's directory. */
  constructor(public readonly target: string) {
    this.tempPath = path.join(path.dirname(target), `temp-${process.pid}-${++tempCounter}.rdb`);
    this.fd = openSync(this.tempPath, 'w', 0o644);
  }

  public write(chunk: Buffer): void {
    if (this.fd === undefined) throw new Error('write to a closed RDB file');
    let done = 0;
    while (done < chunk.length) done += writeSync(this.fd, chunk, done, chunk.length - done);
    this.bytesWritten += chunk.length;
  }

  /** fsync, close, rename over the target, fsync the directory. Blocks (SAVE, SHUTDOWN). */
  public commit(): void {
    const fd = this.takeFd();
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(this.tempPath, this.target);
    syncDirectory(path.dirname(this.target));
  }

  /** As commit(), with the fsync off the event loop (BGSAVE). */
  public async commitAsync(): Promise<void> {
    const fd = this.takeFd();
    try {
      await new Promise<void>((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
    } finally {
      await new Promise<void>((resolve) => closeFd(fd, () => resolve()));
    }
    renameSync(this.tempPath, this.target);
    syncDirectory(path.dirname(this.target));
  }

  /** Drops the temp file; the target is untouched. */
  public abort(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    try {
      unlinkSync(this.tempPath);
    } catch {
      // never created or already gone
    }
  }

  private takeFd(): number {
    if (this.fd === undefined) throw new Error('RDB file already closed');
    const fd = this.fd;
    this.fd = undefined;
    return fd;
  }
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself already happened.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
