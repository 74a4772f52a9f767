/**
 * Loading records Redis 7.0 no longer writes but older servers did (ZSET with string doubles,
 * ziplist/intset/zipmap blobs, quicklist v1, second-precision expiry), and the opcodes a loader
 * must refuse or skip.
 */
import { encodeListpack } from '../../../lib/server/persistence/blobs';
import * as F from '../../../lib/server/persistence/format';
import { RdbInput } from '../../../lib/server/persistence/input';
import { decodeDumpPayload, loadRdb } from '../../../lib/server/persistence/load';
import { MemorySink } from '../../../lib/server/persistence/sink';
import { toPlain } from '../../../lib/server/persistence/value-bridge';
import { RdbWriter } from '../../../lib/server/persistence/writer';
import { Keyspace } from '../../../lib/server/keyspace/keyspace';

function file(body: (w: RdbWriter) => void, version = 9): Buffer {
  const sink = new MemorySink();
  const w = new RdbWriter(sink);
  w.header(version);
  body(w);
  w.eof();
  return sink.contents();
}

function load(data: Buffer, now = Date.now()): { ks: Keyspace; result: ReturnType<typeof loadRdb> } {
  const ks = new Keyspace(4);
  const result = loadRdb(RdbInput.fromBuffer(data), ks, () => undefined, now);
  return { ks, result };
}

function ziplist(entries: string[]): Buffer {
  const parts: number[] = [];
  for (const e of entries) parts.push(0, e.length, ...Buffer.from(e, 'latin1'));
  const blob = Buffer.concat([Buffer.alloc(10), Buffer.from(parts), Buffer.from([0xff])]);
  blob.writeUInt32LE(blob.length, 0);
  blob.writeUInt16LE(entries.length, 8);
  return blob;
}

test('old encodings: ZSET string doubles, ziplists, intset, zipmap, quicklist v1, seconds expiry', () => {
  const data = file((w) => {
    w.selectDb(1);
    w.byte(F.RDB_TYPE_ZSET);
    w.string('z');
    w.length(2);
    w.string('a');
    w.raw(Buffer.from([3, ...Buffer.from('1.5')]));
    w.string('b');
    w.raw(Buffer.from([254]));
    w.byte(F.RDB_TYPE_ZSET_ZIPLIST);
    w.string('zz');
    w.stringBytes(ziplist(['m', '2.25']));
    w.byte(F.RDB_TYPE_HASH_ZIPLIST);
    w.string('h');
    w.stringBytes(ziplist(['f', 'v']));
    w.byte(F.RDB_TYPE_HASH_ZIPMAP);
    w.string('hm');
    w.stringBytes(Buffer.from([1, 1, 0x6b, 1, 0, 0x76, 0xff]));
    w.byte(F.RDB_TYPE_SET_INTSET);
    w.string('s');
    w.stringBytes(Buffer.from([2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 2, 0]));
    w.byte(F.RDB_TYPE_LIST_ZIPLIST);
    w.string('l1');
    w.stringBytes(ziplist(['x', 'y']));
    w.byte(F.RDB_TYPE_LIST_QUICKLIST);
    w.string('l2');
    w.length(2);
    w.stringBytes(ziplist(['a']));
    w.stringBytes(ziplist(['b', 'c']));
    w.byte(F.RDB_TYPE_SET_LISTPACK);
    w.string('slp');
    w.stringBytes(encodeListpack(['q', '7']));
    w.byte(F.RDB_OPCODE_EXPIRETIME);
    w.raw(Buffer.from([0xff, 0xff, 0xff, 0x7f]));
    w.byte(F.RDB_TYPE_STRING);
    w.string('sec');
    w.string('v');
  }, 11);
  const { ks, result } = load(data);
  expect(result.keys).toBe(9);
  const db = ks.databases[1];
  const plain = (k: string): unknown => toPlain(db.get(k) as NonNullable<ReturnType<typeof db.get>>);
  expect(plain('z')).toEqual({ kind: 'zset', members: ['a', 'b'], scores: [1.5, Infinity] });
  expect(plain('zz')).toEqual({ kind: 'zset', members: ['m'], scores: [2.25] });
  expect(plain('h')).toEqual({ kind: 'hash', pairs: ['f', 'v'] });
  expect(plain('hm')).toEqual({ kind: 'hash', pairs: ['k', 'v'] });
  expect(plain('s')).toEqual({ kind: 'set', members: ['1', '2'] });
  expect(plain('l1')).toEqual({ kind: 'list', items: ['x', 'y'] });
  expect(plain('l2')).toEqual({ kind: 'list', items: ['a', 'b', 'c'] });
  expect((plain('slp') as { members: string[] }).members.sort()).toEqual(['7', 'q']);
  expect(db.getExpire('sec')).toBe(2147483647000);
});

test('expired keys and empty collections are skipped; FUNCTION2 is skipped and counted', () => {
  const data = file((w) => {
    w.byte(F.RDB_OPCODE_FUNCTION2);
    w.string("#!lua name=lib\nredis.register_function('f', function() return 1 end)");
    w.keyValue('old', { kind: 'string', value: 'x' }, 1000);
    w.keyValue('empty', { kind: 'set', members: [] }, undefined);
    w.keyValue('live', { kind: 'string', value: 'y' }, undefined);
  });
  const { ks, result } = load(data);
  expect(result).toMatchObject({ keys: 1, expiredSkipped: 1, emptySkipped: 1, functionsSkipped: 1 });
  expect(ks.databases[0].get('live')).toBe('y');
});

test.each([
  ['module aux data', (w: RdbWriter) => w.byte(F.RDB_OPCODE_MODULE_AUX), /module auxiliary data/],
  ['a module value', (w: RdbWriter) => {
    w.byte(F.RDB_TYPE_MODULE_2);
    w.string('k');
  }, /module data types are not supported \(the RDB holds a value of a module type\) \(key 'k' in DB 0\)/],
  ['a duplicate key', (w: RdbWriter) => {
    w.keyValue('k', { kind: 'string', value: '1' }, undefined);
    w.keyValue('k', { kind: 'string', value: '2' }, undefined);
  }, /duplicate key 'k' in DB 0/],
  ['a database past the configured count', (w: RdbWriter) => {
    w.selectDb(7);
    w.keyValue('k', { kind: 'string', value: '1' }, undefined);
  }, /keys for DB 7 but this server is configured with 4 databases/],
  ['an unknown type', (w: RdbWriter) => {
    w.byte(42);
    w.string('k');
  }, /unknown value type 42 \(key 'k' in DB 0\)/],
])('refuses %s clearly', (_name, body, message) => {
  expect(() => load(file(body))).toThrow(message);
});

test('DUMP payloads: empty collections and unsupported kinds are refused', () => {
  const sink = new MemorySink();
  const w = new RdbWriter(sink);
  w.byte(F.RDB_TYPE_SET);
  w.length(0);
  w.dumpFooter();
  expect(() => decodeDumpPayload(sink.contents(), () => undefined)).toThrow('ERR Bad data format');
  const s2 = new MemorySink();
  const w2 = new RdbWriter(s2);
  w2.byte(F.RDB_TYPE_STREAM_LISTPACKS);
  w2.dumpFooter();
  expect(() => decodeDumpPayload(s2.contents(), () => undefined)).toThrow('ERR Bad data format: streams are not supported yet');
});
