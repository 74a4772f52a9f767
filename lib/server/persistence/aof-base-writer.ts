/**
 * An AOF BASE file in command form (aof-use-rdb-preamble no), as Redis's rewriteAppendOnlyFileRio:
 * per database a SELECT, per key the commands that rebuild it — SET, RPUSH, SADD, ZADD, HMSET in
 * batches of 64 elements (AOF_REWRITE_ITEMS_PER_CMD) — and a PEXPIREAT for a key with a TTL.
 * A Snapshot drives it exactly as it drives the RDB writer.
 */
import { encodeCommand } from './aof-propagate';
import type { RdbSink } from './sink';
import type { SnapshotWriter } from './snapshot';
import type { PlainValue } from './values';

const ITEMS_PER_CMD = 64;
const FLUSH_AT = 64 * 1024;

const word = (s: string): Buffer => Buffer.from(s, 'latin1');

/** A score as text that parses back to the same double (Redis writes %.17g; both round-trip). */
export function scoreText(score: number): string {
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  return String(score);
}

export class AofBaseWriter implements SnapshotWriter {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly sink: RdbSink) {}

  public header(): void {
    // A command-form base has no header.
  }

  public aux(): void {
    // Nor AUX fields.
  }

  public resizeDb(): void {
    // Nor size hints.
  }

  public selectDb(db: number): void {
    this.emit([word('SELECT'), word(String(db))]);
  }

  public keyValue(key: string, value: PlainValue, expireAt: number | undefined): void {
    const k = word(key);
    switch (value.kind) {
      case 'string':
        this.emit([word('SET'), k, word(value.value)]);
        break;
      case 'list':
        this.batches('RPUSH', k, value.items.map((i) => [word(i)]));
        break;
      case 'set':
        this.batches('SADD', k, value.members.map((m) => [word(m)]));
        break;
      case 'zset':
        this.batches('ZADD', k, value.members.map((m, i) => [word(scoreText(value.scores[i])), word(m)]));
        break;
      case 'hash': {
        const pairs: Buffer[][] = [];
        for (let i = 0; i < value.pairs.length; i += 2) pairs.push([word(value.pairs[i]), word(value.pairs[i + 1])]);
        this.batches('HMSET', k, pairs);
        break;
      }
    }
    if (expireAt !== undefined) this.emit([word('PEXPIREAT'), k, word(String(expireAt))]);
  }

  public flush(): void {
    if (this.size === 0) return;
    this.sink.write(Buffer.concat(this.chunks, this.size));
    this.chunks = [];
    this.size = 0;
  }

  public eof(): void {
    this.flush();
  }

  private batches(command: string, key: Buffer, items: Buffer[][]): void {
    for (let i = 0; i < items.length; i += ITEMS_PER_CMD) {
      const argv: Buffer[] = [word(command), key];
      for (const item of items.slice(i, i + ITEMS_PER_CMD)) argv.push(...item);
      this.emit(argv);
    }
  }

  private emit(argv: Buffer[]): void {
    const bytes = encodeCommand(argv);
    this.chunks.push(bytes);
    this.size += bytes.length;
    if (this.size >= FLUSH_AT) this.flush();
  }
}
