/**
 * Reads RDB files and DUMP payloads (valkey src/rdb.c rdbLoad*): lengths, strings in every
 * encoding, doubles, and each value type and encoding Redis 7.0/7.2 and Valkey write (RDB
 * versions 1–11). Values come out as PlainValues; the caller decides what to do with them.
 *
 * Errors say what and where: an RdbError carries the byte offset, and the record reader adds the
 * key being read.
 */
import { BlobError, decodeIntset, decodeListpack, decodeZiplist, decodeZipmap } from './blobs';
import * as F from './format';
import { RdbError } from './format';
import type { RdbInput } from './input';
import { lzfDecompress } from './lzf';
import type { PlainValue } from './values';

/** What a key record carries besides the value. */
export interface KeyRecord {
  readonly db: number;
  readonly key: string;
  readonly value: PlainValue;
  /** Absolute expiry in Unix ms, or undefined. */
  readonly expireAt: number | undefined;
  /** OBJECT IDLETIME seconds saved with the key (RDB_OPCODE_IDLE), if any. */
  readonly idleSeconds: number | undefined;
  /** LFU counter saved with the key (RDB_OPCODE_FREQ), if any. */
  readonly frequency: number | undefined;
}

export interface RdbVisitor {
  aux?(name: string, value: string): void;
  resizeDb?(db: number, size: number, expires: number): void;
  /** Called for every key; may throw to stop loading. */
  key(record: KeyRecord): void;
  /** A FUNCTION2 record (a function library's code), which we cannot run: the visitor decides. */
  functionLibrary?(code: string): void;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export class RdbReader {
  constructor(
    private readonly input: RdbInput,
    public version = F.RDB_WRITE_VERSION,
  ) {}

  public get offset(): number {
    return this.input.offset;
  }

  // ---- primitives ----------------------------------------------------------------------------

  /** A length, or for the special string encodings the encoding number with `encoded` set. */
  private lengthOrEncoding(): { value: number; encoded: boolean } {
    const at = this.input.offset;
    const first = this.input.byte();
    const kind = first >> 6;
    if (kind === F.RDB_6BITLEN) return { value: first & 0x3f, encoded: false };
    if (kind === F.RDB_14BITLEN) return { value: ((first & 0x3f) << 8) | this.input.byte(), encoded: false };
    if (kind === F.RDB_ENCVAL) return { value: first & 0x3f, encoded: true };
    if (first === F.RDB_32BITLEN) return { value: this.input.view(4).readUInt32BE(0), encoded: false };
    if (first === F.RDB_64BITLEN) {
      const v = this.input.view(8).readBigUInt64BE(0);
      if (v > BigInt(MAX_SAFE)) throw new RdbError(`length ${v} is too large`, at);
      return { value: Number(v), encoded: false };
    }
    throw new RdbError(`unknown length encoding 0x${first.toString(16)}`, at);
  }

  public length(): number {
    const at = this.input.offset;
    const { value, encoded } = this.lengthOrEncoding();
    if (encoded) throw new RdbError('an encoded string where a length was expected', at);
    return value;
  }

  /** A string in any encoding, as raw bytes. */
  public stringBytes(): Buffer {
    const at = this.input.offset;
    const { value, encoded } = this.lengthOrEncoding();
    if (!encoded) return this.input.copy(value);
    switch (value) {
      case F.RDB_ENC_INT8:
      case F.RDB_ENC_INT16:
      case F.RDB_ENC_INT32:
        return Buffer.from(this.encodedInteger(value), 'latin1');
      case F.RDB_ENC_LZF: {
        const compressed = this.length();
        const plain = this.length();
        const data = this.input.view(compressed);
        try {
          return lzfDecompress(data, plain);
        } catch {
          throw new RdbError('invalid LZF compressed string', at);
        }
      }
      default:
        throw new RdbError(`unknown string encoding ${value}`, at);
    }
  }

  /** A string in any encoding, as a latin1 JS string (how keys and values are stored). */
  public string(): string {
    const at = this.input.offset;
    const { value, encoded } = this.lengthOrEncoding();
    if (!encoded) return this.input.latin1(value);
    if (value <= F.RDB_ENC_INT32) return this.encodedInteger(value);
    if (value === F.RDB_ENC_LZF) {
      const compressed = this.length();
      const plain = this.length();
      const data = this.input.view(compressed);
      try {
        return lzfDecompress(data, plain).toString('latin1', 0, plain);
      } catch {
        throw new RdbError('invalid LZF compressed string', at);
      }
    }
    throw new RdbError(`unknown string encoding ${value}`, at);
  }

  private encodedInteger(enc: number): string {
    if (enc === F.RDB_ENC_INT8) return String((this.input.byte() << 24) >> 24);
    if (enc === F.RDB_ENC_INT16) return String(this.input.view(2).readInt16LE(0));
    return String(this.input.view(4).readInt32LE(0));
  }

  /** The old string form of a double (RDB_TYPE_ZSET): a length byte, 253 NaN, 254 +inf, 255 -inf. */
  public stringDouble(): number {
    const at = this.input.offset;
    const len = this.input.byte();
    if (len === 253) return NaN;
    if (len === 254) return Infinity;
    if (len === 255) return -Infinity;
    const text = this.input.latin1(len);
    const v = parseDouble(text);
    if (v === undefined) throw new RdbError(`invalid double '${text}'`, at);
    return v;
  }

  public binaryDouble(): number {
    return this.input.view(8).readDoubleLE(0);
  }

  public byte(): number {
    return this.input.byte();
  }

  // ---- values --------------------------------------------------------------------------------

  /** Reads one value of the given RDB type. */
  public value(type: number): PlainValue {
    const at = this.input.offset;
    try {
      return this.valueOf(type, at);
    } catch (err) {
      if (err instanceof BlobError) throw new RdbError(`corrupt ${F.typeName(type)} encoding: ${err.message}`, at);
      throw err;
    }
  }

  private valueOf(type: number, at: number): PlainValue {
    switch (type) {
      case F.RDB_TYPE_STRING:
        return { kind: 'string', value: this.string() };
      case F.RDB_TYPE_LIST: {
        const n = this.length();
        const items = new Array<string>(n);
        for (let i = 0; i < n; i++) items[i] = this.string();
        return { kind: 'list', items };
      }
      case F.RDB_TYPE_SET: {
        const n = this.length();
        const members = new Array<string>(n);
        for (let i = 0; i < n; i++) members[i] = this.string();
        return { kind: 'set', members };
      }
      case F.RDB_TYPE_ZSET:
      case F.RDB_TYPE_ZSET_2: {
        const n = this.length();
        const members = new Array<string>(n);
        const scores = new Array<number>(n);
        for (let i = 0; i < n; i++) {
          members[i] = this.string();
          scores[i] = type === F.RDB_TYPE_ZSET_2 ? this.binaryDouble() : this.stringDouble();
          if (Number.isNaN(scores[i])) throw new RdbError('zset with NaN score', this.input.offset);
        }
        return { kind: 'zset', members, scores };
      }
      case F.RDB_TYPE_HASH: {
        const n = this.length();
        const pairs = new Array<string>(n * 2);
        for (let i = 0; i < n * 2; i++) pairs[i] = this.string();
        return { kind: 'hash', pairs };
      }
      case F.RDB_TYPE_LIST_QUICKLIST:
      case F.RDB_TYPE_LIST_QUICKLIST_2: {
        const nodes = this.length();
        let items: string[] = [];
        for (let i = 0; i < nodes; i++) {
          let container = F.QUICKLIST_NODE_CONTAINER_PACKED;
          if (type === F.RDB_TYPE_LIST_QUICKLIST_2) {
            container = this.length();
            if (container !== F.QUICKLIST_NODE_CONTAINER_PACKED && container !== F.QUICKLIST_NODE_CONTAINER_PLAIN) {
              throw new RdbError(`quicklist node with unknown container ${container}`, at);
            }
          }
          if (container === F.QUICKLIST_NODE_CONTAINER_PLAIN) {
            items.push(this.string());
            continue;
          }
          const blob = this.stringBytes();
          const entries = type === F.RDB_TYPE_LIST_QUICKLIST_2 ? decodeListpack(blob) : decodeZiplist(blob);
          items = items.length === 0 ? entries : items.concat(entries);
        }
        return { kind: 'list', items };
      }
      case F.RDB_TYPE_LIST_ZIPLIST:
        return { kind: 'list', items: decodeZiplist(this.stringBytes()) };
      case F.RDB_TYPE_SET_INTSET:
        return { kind: 'set', members: decodeIntset(this.stringBytes()) };
      case F.RDB_TYPE_SET_LISTPACK:
        return { kind: 'set', members: decodeListpack(this.stringBytes()) };
      case F.RDB_TYPE_HASH_ZIPMAP:
        return { kind: 'hash', pairs: this.pairs(decodeZipmap(this.stringBytes()), 'hash') };
      case F.RDB_TYPE_HASH_ZIPLIST:
        return { kind: 'hash', pairs: this.pairs(decodeZiplist(this.stringBytes()), 'hash') };
      case F.RDB_TYPE_HASH_LISTPACK:
        return { kind: 'hash', pairs: this.pairs(decodeListpack(this.stringBytes()), 'hash') };
      case F.RDB_TYPE_ZSET_ZIPLIST:
      case F.RDB_TYPE_ZSET_LISTPACK: {
        const flat = this.pairs(type === F.RDB_TYPE_ZSET_ZIPLIST ? decodeZiplist(this.stringBytes()) : decodeListpack(this.stringBytes()), 'zset');
        const n = flat.length / 2;
        const members = new Array<string>(n);
        const scores = new Array<number>(n);
        for (let i = 0; i < n; i++) {
          members[i] = flat[2 * i];
          const score = parseDouble(flat[2 * i + 1]);
          if (score === undefined || Number.isNaN(score)) throw new RdbError(`zset score '${flat[2 * i + 1]}' is not a number`, at);
          scores[i] = score;
        }
        return { kind: 'zset', members, scores };
      }
      case F.RDB_TYPE_STREAM_LISTPACKS:
      case F.RDB_TYPE_STREAM_LISTPACKS_2:
      case F.RDB_TYPE_STREAM_LISTPACKS_3:
        throw new RdbError('streams are not supported yet', at, true);
      case F.RDB_TYPE_MODULE_PRE_GA:
      case F.RDB_TYPE_MODULE_2:
        throw new RdbError('module data types are not supported (the RDB holds a value of a module type)', at, true);
      default:
        throw new RdbError(`unknown value type ${type}`, at);
    }
  }

  private pairs(flat: string[], kind: string): string[] {
    if (flat.length % 2 !== 0) throw new BlobError(`${kind} with an odd number of elements`);
    return flat;
  }

  // ---- files ---------------------------------------------------------------------------------

  /** Reads `REDIS` + 4 digits; returns the version. */
  public header(): number {
    const magic = this.input.latin1(5);
    if (magic !== 'REDIS') throw new RdbError('wrong signature: this is not an RDB file', 0);
    const digits = this.input.latin1(4);
    if (!/^\d{4}$/.test(digits)) throw new RdbError(`bad RDB version '${digits}'`, 5);
    const version = Number(digits);
    if (version < 1 || version > F.RDB_MAX_READ_VERSION) {
      throw new RdbError(`can't handle RDB format version ${version} (this server reads versions 1 to ${F.RDB_MAX_READ_VERSION})`, 5, true);
    }
    this.version = version;
    return version;
  }

  /** Reads a whole RDB file body after the header, calling the visitor; checks the CRC64 at the end. */
  public body(visitor: RdbVisitor): void {
    let db = 0;
    let expireAt: number | undefined;
    let idle: number | undefined;
    let freq: number | undefined;
    for (;;) {
      const at = this.input.offset;
      const type = this.input.byte();
      switch (type) {
        case F.RDB_OPCODE_EXPIRETIME_MS:
          expireAt = Number(this.input.view(8).readBigInt64LE(0));
          continue;
        case F.RDB_OPCODE_EXPIRETIME:
          expireAt = this.input.view(4).readInt32LE(0) * 1000;
          continue;
        case F.RDB_OPCODE_FREQ:
          freq = this.input.byte();
          continue;
        case F.RDB_OPCODE_IDLE:
          idle = this.length();
          continue;
        case F.RDB_OPCODE_SELECTDB:
          db = this.length();
          continue;
        case F.RDB_OPCODE_RESIZEDB: {
          const size = this.length();
          const expires = this.length();
          visitor.resizeDb?.(db, size, expires);
          continue;
        }
        case F.RDB_OPCODE_AUX: {
          const name = this.string();
          const value = this.string();
          visitor.aux?.(name, value);
          continue;
        }
        case F.RDB_OPCODE_MODULE_AUX:
          throw new RdbError('module auxiliary data found: modules are not supported', at, true);
        case F.RDB_OPCODE_FUNCTION_PRE_GA:
          throw new RdbError('pre-release function data (Redis 7.0 release candidate) is not supported', at, true);
        case F.RDB_OPCODE_FUNCTION2: {
          const code = this.string();
          if (!visitor.functionLibrary) throw new RdbError('function libraries found: functions are not supported', at, true);
          visitor.functionLibrary(code);
          continue;
        }
        case F.RDB_OPCODE_EOF: {
          if (this.version >= 5) {
            const computed = this.input.checksum();
            const stored = this.input.view(8);
            const disabled = stored.every((b) => b === 0);
            if (!disabled && !stored.equals(computed)) {
              throw new RdbError(
                `wrong RDB checksum: expected ${stored.readBigUInt64LE(0).toString(16)}, got ${computed.readBigUInt64LE(0).toString(16)}`,
                at + 1,
              );
            }
          }
          return;
        }
        default:
          break;
      }
      let key: string;
      try {
        key = this.string();
      } catch (err) {
        if (err instanceof RdbError) throw err;
        throw new RdbError(`could not read a key: ${String(err)}`, at);
      }
      let value: PlainValue;
      try {
        value = this.value(type);
      } catch (err) {
        if (err instanceof RdbError) {
          throw new RdbError(`${err.message} (key '${printable(key)}' in DB ${db})`, err.offset, err.unsupported);
        }
        throw err;
      }
      visitor.key({ db, key, value, expireAt, idleSeconds: idle, frequency: freq });
      expireAt = undefined;
      idle = undefined;
      freq = undefined;
    }
  }
}

/** strtod's reading of a saved score: decimal, exponent, inf/infinity and nan in any case. */
export function parseDouble(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (t === 'nan' || t === '-nan' || t === '+nan') return NaN;
  if (t.length === 0) return undefined;
  const v = Number(t);
  return Number.isNaN(v) ? undefined : v;
}

/** A key for an error message: printable ASCII kept, the rest escaped, long keys cut. */
export function printable(key: string): string {
  let out = '';
  for (let i = 0; i < key.length && out.length < 64; i++) {
    const c = key.charCodeAt(i);
    out += c >= 32 && c < 127 && c !== 39 ? key[i] : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return key.length > 64 ? `${out}…` : out;
}
