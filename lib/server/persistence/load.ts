/**
 * Loading: an RDB file into the keyspace (start-up, DEBUG RELOAD) and a DUMP payload into one
 * value (RESTORE). Keys whose expiry has passed are skipped, as a Redis master does on load.
 */
import { existsSync } from 'node:fs';
import type { StoredValue } from '../keyspace/database';
import type { Keyspace } from '../keyspace/keyspace';
import { Crc64 } from './crc64';
import { RDB_MAX_READ_VERSION, RdbError } from './format';
import { RdbInput } from './input';
import { printable, RdbReader } from './reader';
import { type ConfigReader, toStored, UnsupportedValueError } from './value-bridge';
import type { PlainValue } from './values';

export interface LoadResult {
  readonly version: number;
  readonly keys: number;
  readonly expiredSkipped: number;
  /** Empty collections found and skipped, as Redis does. */
  readonly emptySkipped: number;
  readonly aux: ReadonlyMap<string, string>;
  /** Function libraries found and skipped (we have no FUNCTION support). */
  readonly functionsSkipped: number;
  /** Bytes the RDB took, EOF record and checksum included (an AOF's RDB preamble ends there). */
  readonly bytesRead: number;
}

/** Loads `path` into the (empty) databases. Throws RdbError saying what went wrong and at which byte. */
export function loadRdbFile(path: string, keyspace: Keyspace, config: ConfigReader, now: number = Date.now()): LoadResult {
  const input = RdbInput.fromFile(path);
  try {
    return loadRdb(input, keyspace, config, now);
  } finally {
    input.close();
  }
}

/** Loads one RDB from `input`; with `trailing`, bytes after its end are left for the caller (an AOF preamble). */
export function loadRdb(input: RdbInput, keyspace: Keyspace, config: ConfigReader, now: number = Date.now(), trailing = false): LoadResult {
  const reader = new RdbReader(input);
  const version = reader.header();
  const aux = new Map<string, string>();
  let keys = 0;
  let expiredSkipped = 0;
  let functionsSkipped = 0;
  let emptySkipped = 0;
  reader.body({
    aux: (name, value) => {
      aux.set(name, value);
    },
    functionLibrary: () => {
      functionsSkipped++;
    },
    key: (record) => {
      const db = keyspace.databases[record.db];
      if (db === undefined) {
        throw new RdbError(
          `the file holds keys for DB ${record.db} but this server is configured with ${keyspace.count} databases (raise 'databases')`,
          reader.offset,
        );
      }
      if (record.expireAt !== undefined && record.expireAt <= now) {
        expiredSkipped++;
        return;
      }
      if (isEmptyCollection(record.value)) {
        // Redis skips empty collections on load (RDB_LOAD_ERR_EMPTY_KEY) rather than failing.
        emptySkipped++;
        return;
      }
      if (db.hasSlot(record.key)) throw new RdbError(`duplicate key '${printable(record.key)}' in DB ${record.db}`, reader.offset);
      let value: StoredValue;
      try {
        value = toStored(record.value, config);
      } catch (err) {
        if (err instanceof UnsupportedValueError) {
          throw new RdbError(`${err.message} (key '${printable(record.key)}' in DB ${record.db})`, reader.offset, true);
        }
        throw err;
      }
      db.set(record.key, value);
      if (record.expireAt !== undefined) db.setExpire(record.key, record.expireAt);
      db.restoreAccess(record.key, record.frequency, record.idleSeconds);
      keys++;
    },
  });
  if (!trailing && !input.atEnd()) throw new RdbError('unexpected data after the end-of-file record', reader.offset);
  return { version, keys, expiredSkipped, emptySkipped, aux, functionsSkipped, bytesRead: reader.offset };
}

export function rdbFileExists(path: string): boolean {
  return existsSync(path);
}

/** Why a DUMP payload was refused: Redis's exact wording for the footer, ours for the rest. */
export class DumpPayloadError extends Error {}

/** Checks a DUMP payload's footer (RDB version ≤ ours, CRC64) and decodes its value. */
export function decodeDumpPayload(payload: Buffer, config: ConfigReader): StoredValue {
  if (payload.length < 10) throw new DumpPayloadError('ERR DUMP payload version or checksum are wrong');
  const footer = payload.length - 10;
  const version = payload.readUInt16LE(footer);
  if (version > RDB_MAX_READ_VERSION) throw new DumpPayloadError('ERR DUMP payload version or checksum are wrong');
  const crc = new Crc64().update(payload, 0, payload.length - 8).bytes();
  if (!crc.equals(payload.subarray(payload.length - 8))) throw new DumpPayloadError('ERR DUMP payload version or checksum are wrong');
  const reader = new RdbReader(RdbInput.fromBuffer(payload.subarray(0, footer)), version);
  try {
    const type = reader.byte();
    const plain = reader.value(type);
    if (isEmptyCollection(plain)) throw new DumpPayloadError('ERR Bad data format');
    return toStored(plain, config);
  } catch (err) {
    if (err instanceof DumpPayloadError) throw err;
    if (err instanceof RdbError && err.unsupported) throw new DumpPayloadError(`ERR Bad data format: ${err.message}`);
    if (err instanceof UnsupportedValueError) throw new DumpPayloadError(`ERR Bad data format: ${err.message}`);
    throw new DumpPayloadError('ERR Bad data format');
  }
}

function isEmptyCollection(value: PlainValue): boolean {
  switch (value.kind) {
    case 'string':
      return false;
    case 'list':
      return value.items.length === 0;
    case 'set':
      return value.members.length === 0;
    case 'hash':
      return value.pairs.length === 0;
    case 'zset':
      return value.members.length === 0;
  }
}
