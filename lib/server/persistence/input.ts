/**
 * Where an RDB reader gets its bytes: a whole Buffer (DUMP payloads, tests) or a file read in
 * chunks, so loading a multi-gigabyte file never holds it in memory at once. Both keep a running
 * CRC64 of the bytes consumed, which the EOF record is checked against.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { latin1 } from '../util/latin1';
import { Crc64 } from './crc64';
import { RdbError } from './format';

const CHUNK = 1 << 20;

export class RdbInput {
  private buf: Buffer;
  private pos = 0;
  /** File offset of buf[0]. */
  private base = 0;
  /** Offset (absolute) up to which `crc` has consumed bytes. */
  private crcPos = 0;
  private readonly crc = new Crc64();
  private eof: boolean;

  private constructor(
    initial: Buffer,
    private readonly fd: number | undefined,
  ) {
    this.buf = initial;
    this.eof = fd === undefined;
  }

  public static fromBuffer(data: Buffer): RdbInput {
    return new RdbInput(data, undefined);
  }

  /** Opens a file for streaming reads; call close() when done. */
  public static fromFile(path: string): RdbInput {
    const fd = openSync(path, 'r');
    return new RdbInput(Buffer.alloc(0), fd);
  }

  public close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
  }

  /** Absolute offset of the next byte. */
  public get offset(): number {
    return this.base + this.pos;
  }

  /** True when every byte has been consumed. */
  public atEnd(): boolean {
    if (this.pos < this.buf.length) return false;
    this.fill(1);
    return this.pos >= this.buf.length;
  }

  public byte(): number {
    if (this.pos >= this.buf.length) this.need(1);
    return this.buf[this.pos++];
  }

  /** The next `n` bytes as a view that stays valid only until the next read. */
  public view(n: number): Buffer {
    if (this.pos + n > this.buf.length) this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** The next `n` bytes as a Buffer of their own. */
  public copy(n: number): Buffer {
    return Buffer.from(this.view(n));
  }

  /** The next `n` bytes as a latin1 string. */
  public latin1(n: number): string {
    if (this.pos + n > this.buf.length) this.need(n);
    const out = latin1(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** CRC64 of every byte consumed so far. */
  public checksum(): Buffer {
    this.advanceCrc();
    return this.crc.bytes();
  }

  private advanceCrc(): void {
    const upTo = this.base + this.pos;
    if (upTo > this.crcPos) {
      this.crc.update(this.buf, this.crcPos - this.base, this.pos);
      this.crcPos = upTo;
    }
  }

  private need(n: number): void {
    this.fill(n);
    if (this.pos + n > this.buf.length) throw new RdbError(`unexpected end of data (needed ${n} more bytes)`, this.offset);
  }

  /** Makes at least `n` bytes available from pos, reading from the file if there is one. */
  private fill(n: number): void {
    if (this.eof || this.fd === undefined) return;
    this.advanceCrc();
    const remaining = this.buf.length - this.pos;
    const size = Math.max(CHUNK, n);
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, this.pos);
    let filled = remaining;
    while (filled < size) {
      const got = readSync(this.fd, next, filled, size - filled, null);
      if (got === 0) {
        this.eof = true;
        break;
      }
      filled += got;
      if (filled >= n) break;
    }
    this.base += this.pos;
    this.crcPos = this.base;
    this.buf = next.subarray(0, filled);
    this.pos = 0;
  }
}
