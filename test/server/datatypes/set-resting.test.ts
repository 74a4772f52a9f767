/**
 * Intset sets rest in their keyspace slot as the intset string between callbacks (RestingForm):
 * what a command sees must be exactly what it would see without that — the same live value for
 * every lookup within a callback, every change kept, other encodings untouched, and a BGSAVE
 * image that still shows the moment it started.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startServer } from '../../../lib/server';
import { SetValue, type SetLimits } from '../../../lib/server/datatypes/set';
import { Database, PackingHold, type StoredValue } from '../../../lib/server/keyspace/database';
import { Keyspace } from '../../../lib/server/keyspace/keyspace';
import { loadRdbFile } from '../../../lib/server/persistence/load';
import { persistenceOf } from '../../../lib/server/persistence/manager';
import { ErrorReply, type Reply, TestClient } from '../support/resp-client';

// A hang bound only: the BGSAVE test below took ~24 s on a loaded machine, against jest's 60 s default.
jest.setTimeout(180_000);

const limits: SetLimits = { maxIntsetEntries: 512, maxListpackEntries: 128, maxListpackValue: 64 };

/** Lets the callback's pending packs run. */
const nextCallback = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function liveSet(db: Database, key: string): SetValue {
  const value = db.get(key);
  if (!(value instanceof SetValue)) throw new Error(`${key} holds ${String(value)}`);
  return value;
}

describe('a resting intset set in the keyspace', () => {
  test('is rebuilt after the callback with the same members and encoding', async () => {
    const db = new Database(0);
    db.set('s', SetValue.of(['3', '-1', '70000', '2'], limits));
    const live = liveSet(db, 's');
    await nextCallback();
    const again = liveSet(db, 's');
    // A new object proves the set rested as its string in between.
    expect(again).not.toBe(live);
    expect(again.members()).toEqual(['-1', '2', '3', '70000']);
    expect(again.encoding()).toBe('intset');
  });

  test('within one callback every lookup returns the same live value, and changes through it are kept', async () => {
    const db = new Database(0);
    db.set('s', SetValue.of(['1', '2'], limits));
    await nextCallback();
    const a = liveSet(db, 's');
    expect(liveSet(db, 's')).toBe(a);
    expect(a.add('9', limits)).toBe(true);
    expect(a.remove('1')).toBe(true);
    db.markModified('s');
    let scanned: StoredValue | undefined;
    db.scan(0, 10, (_key, value) => (scanned = value));
    expect(scanned).toBe(a);
    await nextCallback();
    expect(liveSet(db, 's').members()).toEqual(['2', '9']);
  });

  test('a set that is not an intset, or stops being one, stays the same live object', async () => {
    const db = new Database(0);
    db.set('words', SetValue.of(['a', 'b'], limits));
    db.set('grows', SetValue.of(['1'], limits));
    const words = liveSet(db, 'words');
    const grows = liveSet(db, 'grows');
    grows.add('x', limits);
    await nextCallback();
    expect(liveSet(db, 'words')).toBe(words);
    expect(liveSet(db, 'grows')).toBe(grows);
    expect(grows.encoding()).toBe('listpack');
    expect(grows.members()).toEqual(['1', 'x']);
  });

  test('keeps its TTL, access data and memory estimate', async () => {
    const db = new Database(0, () => 1_000_000);
    db.set('s', SetValue.of(['1', '2', '3'], limits));
    db.setExpire('s', 2_000_000);
    const bytes = db.keyBytes('s');
    await nextCallback();
    db.remeasure('s');
    expect(db.keyBytes('s')).toBe(bytes);
    expect(db.getExpire('s')).toBe(2_000_000);
    expect(db.idleSeconds('s')).toBe(0);
    expect(liveSet(db, 's').size()).toBe(3);
  });

  test('a slot freed and reused before the pack holds the new value untouched', async () => {
    const db = new Database(0);
    db.set('s', SetValue.of(['1'], limits));
    db.delete('s');
    db.set('plain', '12');
    await nextCallback();
    expect(db.get('plain')).toBe('12');
    expect(db.get('s')).toBeUndefined();
    expect(db.size).toBe(1);
  });

  test('SWAPDB with packs pending moves every set whole', async () => {
    const one = new Database(0);
    const two = new Database(1);
    one.set('ints', SetValue.of(['5', '6'], limits));
    two.set('words', SetValue.of(['a'], limits));
    two.set('more', SetValue.of(['7'], limits));
    one.swapWith(two);
    await nextCallback();
    expect(liveSet(two, 'ints').members()).toEqual(['5', '6']);
    expect(liveSet(one, 'words').members()).toEqual(['a']);
    expect(liveSet(one, 'more').members()).toEqual(['7']);
    expect(two.get('words')).toBeUndefined();
  });

  test('entries() gives live sets', async () => {
    const db = new Database(0);
    db.set('s', SetValue.of(['4'], limits));
    await nextCallback();
    const [[key, value]] = [...db.entries()];
    expect(key).toBe('s');
    expect(value).toBeInstanceOf(SetValue);
    expect((value as SetValue).members()).toEqual(['4']);
  });
});

describe('packing under a PackingHold (the server holds it around a read\'s commands)', () => {
  /** True when the set at `key` rests as its string: a lookup then makes a new live object. */
  function rests(db: Database, key: string, live: SetValue): boolean {
    return liveSet(db, key) !== live;
  }

  test('a set looked up while held rests again at release, before any other callback', async () => {
    const hold = new PackingHold();
    const db = new Database(0, Date.now, undefined, undefined, hold);
    db.set('s', SetValue.of(['1', '2'], limits));
    await nextCallback();
    hold.hold();
    const live = liveSet(db, 's');
    live.add('3', limits);
    db.markModified('s');
    // Still held: every lookup gets the same live set.
    expect(liveSet(db, 's')).toBe(live);
    hold.release();
    // Packed synchronously by release(), with the change kept.
    const after = liveSet(db, 's');
    expect(after).not.toBe(live);
    expect(after.members()).toEqual(['1', '2', '3']);
  });

  test('release packs every database that waited, and a later release packs nothing twice', async () => {
    const hold = new PackingHold();
    const one = new Database(0, Date.now, undefined, undefined, hold);
    const two = new Database(1, Date.now, undefined, undefined, hold);
    one.set('a', SetValue.of(['1'], limits));
    two.set('b', SetValue.of(['2'], limits));
    await nextCallback();
    hold.hold();
    const a = liveSet(one, 'a');
    const b = liveSet(two, 'b');
    hold.release();
    hold.release();
    expect(rests(one, 'a', a)).toBe(true);
    expect(rests(two, 'b', b)).toBe(true);
    expect(liveSet(one, 'a').members()).toEqual(['1']);
    expect(liveSet(two, 'b').members()).toEqual(['2']);
  });

  test('a set stored while held rests at release', () => {
    const hold = new PackingHold();
    const db = new Database(0, Date.now, undefined, undefined, hold);
    hold.hold();
    const stored = SetValue.of(['7', '8'], limits);
    db.set('s', stored);
    hold.release();
    expect(rests(db, 's', stored)).toBe(true);
    expect(liveSet(db, 's').members()).toEqual(['7', '8']);
  });

  test('without a hold, packing waits for the next callback as before', async () => {
    const hold = new PackingHold();
    const db = new Database(0, Date.now, undefined, undefined, hold);
    db.set('s', SetValue.of(['5'], limits));
    await nextCallback();
    const live = liveSet(db, 's');
    // Not packed within this callback...
    expect(liveSet(db, 's')).toBe(live);
    await nextCallback();
    // ...but after it.
    expect(rests(db, 's', live)).toBe(true);
  });
});

describe('a server packs what a read touched before the read returns', () => {
  test('SADD and SISMEMBER from a client schedule no pack through process.nextTick', async () => {
    const server = await startServer({ port: 0, bind: '127.0.0.1', config: { save: '' }, logger: () => undefined });
    const client = await TestClient.connect(server.port);
    const db = server.core.keyspace.databases[0];
    // The database's one pack callback (see schedulePack): what it would hand process.nextTick.
    const packLater = (db as unknown as { packLater: () => void }).packLater;
    const nextTick = jest.spyOn(process, 'nextTick');
    try {
      client.send('sadd', 's', '1', '2');
      expect(await client.read()).toBe(2);
      client.send('sismember', 's', '2');
      client.send('sadd', 's', '3');
      expect(await client.read()).toBe(1);
      expect(await client.read()).toBe(1);
      expect(nextTick.mock.calls.filter(([fn]) => fn === packLater)).toEqual([]);
      // Every change was kept through the packing in between (this lookup, outside a read, is the test's own).
      expect(liveSet(db, 's').members()).toEqual(['1', '2', '3']);
    } finally {
      nextTick.mockRestore();
      await client.close();
      await server.close();
    }
  });
});

describe('BGSAVE over resting sets', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'set-resting-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('saves the sets as they were when it started while clients change them', async () => {
    const server = await startServer({ port: 0, bind: '127.0.0.1', config: { dir, save: '' }, logger: () => undefined });
    const client = await TestClient.connect(server.port);
    try {
      const send = async (cmds: string[][]): Promise<Reply[]> => {
        for (const cmd of cmds) client.send(...cmd);
        const out: Reply[] = [];
        for (let i = 0; i < cmds.length; i++) out.push(await client.read(20000));
        return out;
      };
      const setup: string[][] = [];
      for (let i = 0; i < 100_000; i++) setup.push(['set', `k:${i}`, 'v']);
      for (let i = 0; i < 300; i++) setup.push(['sadd', `s:${i}`, '1', '2', String(1000 + i)]);
      for (let i = 0; i < setup.length; i += 5000) {
        expect((await send(setup.slice(i, i + 5000))).filter((r) => r instanceof ErrorReply)).toEqual([]);
      }
      expect(await client.call('bgsave')).toBe('Background saving started');
      const writes: string[][] = [];
      for (let i = 0; i < 300; i += 3) {
        writes.push(['sadd', `s:${i}`, '3'], ['srem', `s:${i + 1}`, '1'], ['spop', `s:${i + 2}`]);
      }
      writes.push(['sadd', 's:0', 'not-a-number'], ['smove', 's:3', 's:4', '2'], ['rename', 's:5', 's:renamed']);
      expect((await send(writes)).filter((r) => r instanceof ErrorReply)).toEqual([]);
      await persistenceOf(server.core).waitForBgsave();

      const saved = new Keyspace(16);
      loadRdbFile(path.join(dir, 'dump.rdb'), saved, () => undefined);
      for (let i = 0; i < 300; i++) {
        expect([i, liveSet(saved.databases[0], `s:${i}`).members()]).toEqual([i, ['1', '2', String(1000 + i)]]);
      }
      expect(saved.databases[0].get('s:renamed')).toBeUndefined();
      // And the live server has every change.
      expect(await client.call('smembers', 's:0')).toEqual(['1', '2', '3', '1000', 'not-a-number']);
      expect(await client.call('object', 'encoding', 's:0')).toBe('listpack');
      expect(await client.call('smembers', 's:1')).toEqual(['2', '1001']);
      expect(await client.call('scard', 's:2')).toBe(2);
      expect(await client.call('smembers', 's:3')).toEqual(['1', '3', '1003']);
      expect(await client.call('smembers', 's:4')).toEqual(['2', '1004']);
      expect(await client.call('scard', 's:renamed')).toBe(2);
      expect(await client.call('exists', 's:5')).toBe(0);
    } finally {
      client.close();
      await server.close();
    }
  });
});
