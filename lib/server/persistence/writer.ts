/**
 * Writes RDB records (valkey src/rdb.c rdbSave*): lengths, strings (as small integers or LZF when
 * that is shorter, as Redis does), doubles, opcodes and values, with a running CRC64, into a
 * sink. Bytes are gathered in a buffer and handed to the sink in large chunks.
 *
 * Encodings are chosen so that redis-server 7.0 (RDB 10) loads what we write and converts it to
 * its own compact forms on load: strings as RDB_TYPE_STRING, lists as QUICKLIST_2 of listpack
 * nodes, sets as RDB_TYPE_SET, hashes as RDB_TYPE_HASH, sorted sets as RDB_TYPE_ZSET_2.
 */
import { encodeListpack } from './blobs';
import { Crc64 } from './crc64';
import * as F from './format';
import { lzfCompress } from './lzf';
import type { RdbSink } from './sink';
import type { PlainValue } from './values';

const FLUSH_AT = 64 * 1024;
/** Listpack nodes of lists are cut at this many entries or bytes (Redis's list-max-listpack-size -2 is 8 kB). */
const NODE_MAX_ENTRIES = 128;
const NODE_MAX_BYTES = 8 * 1024;

export class RdbWriter {
  private buf = Buffer.allocUnsafe(FLUSH_AT + 1024);
  private pos = 0;
  private readonly crc = new Crc64();
  /** Bytes handed to the sink so far plus those buffered. */
  private flushed = 0;

  constructor(
    private readonly sink: RdbSink,
    private readonly compress = true,
  ) {}

  public get bytes(): number {
    return this.flushed + this.pos;
  }

  // ---- primitives ----------------------------------------------------------------------------

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  public byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  public raw(data: Uint8Array): void {
    if (data.length > FLUSH_AT) {
      this.flush();
      this.crc.update(data);
      this.sink.write(Buffer.from(data.buffer, data.byteOffset, data.length));
      this.flushed += data.length;
      return;
    }
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  private latin1(s: string): void {
    if (s.length > FLUSH_AT) {
      this.raw(Buffer.from(s, 'latin1'));
      return;
    }
    this.ensure(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  public length(n: number): void {
    this.ensure(9);
    const b = this.buf;
    if (n < 1 << 6) {
      b[this.pos++] = n;
    } else if (n < 1 << 14) {
      b[this.pos++] = (n >> 8) | 0x40;
      b[this.pos++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      b[this.pos++] = F.RDB_32BITLEN;
      b.writeUInt32BE(n, this.pos);
      this.pos += 4;
    } else {
      b[this.pos++] = F.RDB_64BITLEN;
      b.writeBigUInt64BE(BigInt(n), this.pos);
      this.pos += 8;
    }
  }

  /** A string as Redis's rdbSaveRawString: integer encoding if it is a small canonical integer, LZF if that saves space. */
  public string(s: string): void {
    const len = s.length;
    if (len <= 11 && len > 0 && this.integerString(s)) return;
    if (this.compress && len > 20) {
      const plain = Buffer.from(s, 'latin1');
      const packed = lzfCompress(plain);
      if (packed !== undefined) {
        this.byte((F.RDB_ENCVAL << 6) | F.RDB_ENC_LZF);
        this.length(packed.length);
        this.length(len);
        this.raw(packed);
        return;
      }
    }
    this.length(len);
    this.latin1(s);
  }

  /** Raw bytes as a string record (blobs: listpacks), LZF-compressed when that pays off. */
  public stringBytes(data: Buffer): void {
    if (this.compress && data.length > 20) {
      const packed = lzfCompress(data);
      if (packed !== undefined) {
        this.byte((F.RDB_ENCVAL << 6) | F.RDB_ENC_LZF);
        this.length(packed.length);
        this.length(data.length);
        this.raw(packed);
        return;
      }
    }
    this.length(data.length);
    this.raw(data);
  }

  /** rdbTryIntegerEncoding: only strings that round-trip exactly through an int32. */
  private integerString(s: string): boolean {
    const c0 = s.charCodeAt(0);
    if (!((c0 >= 48 && c0 <= 57) || c0 === 45)) return false;
    if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return false;
    const v = Number(s);
    if (v >= -128 && v <= 127) {
      this.ensure(2);
      this.buf[this.pos++] = (F.RDB_ENCVAL << 6) | F.RDB_ENC_INT8;
      this.buf.writeInt8(v, this.pos++);
    } else if (v >= -32768 && v <= 32767) {
      this.ensure(3);
      this.buf[this.pos++] = (F.RDB_ENCVAL << 6) | F.RDB_ENC_INT16;
      this.buf.writeInt16LE(v, this.pos);
      this.pos += 2;
    } else if (v >= -2147483648 && v <= 2147483647) {
      this.ensure(5);
      this.buf[this.pos++] = (F.RDB_ENCVAL << 6) | F.RDB_ENC_INT32;
      this.buf.writeInt32LE(v, this.pos);
      this.pos += 4;
    } else {
      return false;
    }
    return true;
  }

  public binaryDouble(d: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(d, this.pos);
    this.pos += 8;
  }

  // ---- records -------------------------------------------------------------------------------

  public header(version = F.RDB_WRITE_VERSION): void {
    this.latin1(`REDIS${String(version).padStart(4, '0')}`);
  }

  public aux(name: string, value: string): void {
    this.byte(F.RDB_OPCODE_AUX);
    this.string(name);
    this.string(value);
  }

  public selectDb(db: number): void {
    this.byte(F.RDB_OPCODE_SELECTDB);
    this.length(db);
  }

  public resizeDb(size: number, expires: number): void {
    this.byte(F.RDB_OPCODE_RESIZEDB);
    this.length(size);
    this.length(expires);
  }

  /**
   * One key: optional expiry (ms), optional access data (`idle` seconds or an LFU `freq`, at most
   * one, as redis-server writes them under an LRU or LFU policy), type, key, value.
   */
  public keyValue(key: string, value: PlainValue, expireAt: number | undefined, access = -1, accessKind: 'idle' | 'freq' = 'idle'): void {
    if (expireAt !== undefined) {
      this.byte(F.RDB_OPCODE_EXPIRETIME_MS);
      this.ensure(8);
      this.buf.writeBigInt64LE(BigInt(expireAt), this.pos);
      this.pos += 8;
    }
    if (access >= 0) {
      if (accessKind === 'idle') {
        this.byte(F.RDB_OPCODE_IDLE);
        this.length(access);
      } else {
        this.byte(F.RDB_OPCODE_FREQ);
        this.byte(access);
      }
    }
    this.byte(valueType(value));
    this.string(key);
    this.value(value);
  }

  /** The value alone, after its type byte (DUMP payloads start with the type). */
  public value(value: PlainValue): void {
    switch (value.kind) {
      case 'string':
        this.string(value.value);
        return;
      case 'list':
        this.quicklist(value.items);
        return;
      case 'set':
        this.length(value.members.length);
        for (const m of value.members) this.string(m);
        return;
      case 'hash':
        this.length(value.pairs.length / 2);
        for (const p of value.pairs) this.string(p);
        return;
      case 'zset':
        this.length(value.members.length);
        for (let i = 0; i < value.members.length; i++) {
          this.string(value.members[i]);
          this.binaryDouble(value.scores[i]);
        }
        return;
    }
  }

  private quicklist(items: readonly string[]): void {
    const nodes: Array<readonly string[]> = [];
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < items.length; i++) {
      bytes += items[i].length + 2;
      if (i + 1 - start >= NODE_MAX_ENTRIES || bytes >= NODE_MAX_BYTES) {
        nodes.push(items.slice(start, i + 1));
        start = i + 1;
        bytes = 0;
      }
    }
    if (start < items.length) nodes.push(items.slice(start));
    this.length(nodes.length);
    for (const node of nodes) {
      this.length(F.QUICKLIST_NODE_CONTAINER_PACKED);
      this.stringBytes(encodeListpack(node));
    }
  }

  /** EOF opcode and the CRC64 of everything before it (zeros when checksums are off, as rdbchecksum no). */
  public eof(checksum = true): void {
    this.byte(F.RDB_OPCODE_EOF);
    this.flush();
    this.raw(checksum ? this.crc.bytes() : Buffer.alloc(8));
    this.flush();
  }

  /** DUMP's footer: the 2-byte RDB version and the CRC64 of the payload so far. */
  public dumpFooter(version = F.RDB_WRITE_VERSION): void {
    this.ensure(2);
    this.buf.writeUInt16LE(version, this.pos);
    this.pos += 2;
    this.flush();
    this.raw(this.crc.bytes());
    this.flush();
  }

  /** Hands buffered bytes to the sink. */
  public flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.crc.update(chunk);
    this.sink.write(chunk);
    this.flushed += this.pos;
    this.pos = 0;
  }
}

export function valueType(value: PlainValue): number {
  switch (value.kind) {
    case 'string':
      return F.RDB_TYPE_STRING;
    case 'list':
      return F.RDB_TYPE_LIST_QUICKLIST_2;
    case 'set':
      return F.RDB_TYPE_SET;
    case 'hash':
      return F.RDB_TYPE_HASH;
    case 'zset':
      return F.RDB_TYPE_ZSET_2;
  }
}
