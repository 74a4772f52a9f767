/**
 * DUMP's payload (valkey src/cluster.c createDumpPayload): the value's RDB type byte and
 * encoding, the 2-byte RDB version, and a CRC64 of all that — the format RESTORE, MIGRATE and
 * every Redis/Valkey accept.
 */
import type { StoredValue } from '../keyspace/database';
import { MemorySink } from './sink';
import { toPlain } from './value-bridge';
import { RdbWriter, valueType } from './writer';

export function encodeDumpPayload(value: StoredValue, compress = true): Buffer {
  const sink = new MemorySink();
  const w = new RdbWriter(sink, compress);
  const plain = toPlain(value);
  w.byte(valueType(plain));
  w.value(plain);
  w.dumpFooter();
  return sink.contents();
}
