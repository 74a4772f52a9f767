/**
 * Database.capture: what a snapshot (BGSAVE, BGREWRITEAOF) takes in its one synchronous pass —
 * every live key in slot order with its value as stored, its expiry and the access data asked for.
 */
import { SetValue, type SetLimits } from '../../../lib/server/datatypes/set';
import { Database, liveFromResting } from '../../../lib/server/keyspace/database';

const limits: SetLimits = { maxIntsetEntries: 512, maxListpackEntries: 128, maxListpackValue: 64 };
const nextCallback = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function database(): { db: Database; clock: { now: number }; expired: string[] } {
  const clock = { now: 1_700_000_000_000 };
  const expired: string[] = [];
  const db = new Database(0, () => clock.now, undefined, (_db, key) => expired.push(key));
  return { db, clock, expired };
}

test('keys in slot order with their values; freed slots leave no gap; nothing else without TTLs or access data', () => {
  const { db } = database();
  for (const key of ['a', 'b', 'c', 'd']) db.set(key, `value of ${key}`);
  db.delete('b');
  const captured = db.capture(undefined);
  expect(captured.keys).toEqual(['a', 'c', 'd']);
  expect(captured.values).toEqual(['value of a', 'value of c', 'value of d']);
  expect([captured.resting, captured.expires, captured.expiresCount, captured.access]).toEqual([undefined, undefined, 0, undefined]);
});

test('expiry times come along; keys whose time has passed are left out and reclaimed after the pass', () => {
  const { db, clock, expired } = database();
  db.set('past', '1');
  db.set('future', '2');
  db.set('none', '3');
  db.set('also-past', '4');
  db.setExpire('past', clock.now + 1000);
  db.setExpire('future', clock.now + 60_000);
  db.setExpire('also-past', clock.now + 500);
  clock.now += 2000;
  const captured = db.capture(undefined);
  expect(captured.keys).toEqual(['future', 'none']);
  expect(Array.from(captured.expires ?? [])).toEqual([1_700_000_060_000, NaN]);
  expect(captured.expiresCount).toBe(1);
  expect(captured.values).toHaveLength(2);
  expect(expired).toEqual(['past', 'also-past']);
  expect([db.has('past'), db.has('also-past'), db.size]).toEqual([false, false, 2]);
});

test('a resting set is captured as its string with its tag, and the slot is not made live', async () => {
  const { db } = database();
  db.set('ints', SetValue.of(['3', '1', '2'], limits));
  db.set('words', SetValue.of(['x', 'y'], limits));
  await nextCallback();
  const captured = db.capture(undefined);
  expect(captured.keys).toEqual(['ints', 'words']);
  const [ints, words] = captured.values;
  expect(typeof ints).toBe('string');
  expect(words).toBeInstanceOf(SetValue);
  expect(Array.from(captured.resting ?? [])).toEqual([expect.any(Number), 0]);
  const tag = (captured.resting as Uint8Array)[0];
  expect(tag).toBeGreaterThan(0);
  const live = liveFromResting(tag, ints as string);
  expect(live).toBeInstanceOf(SetValue);
  expect((live as SetValue).members()).toEqual(['1', '2', '3']);
  // The keyspace's own value is a different object: changing it leaves the capture as it was.
  const current = db.get('ints') as SetValue;
  expect(current).not.toBe(live);
  current.add('4', limits);
  expect((liveFromResting(tag, ints as string) as SetValue).members()).toEqual(['1', '2', '3']);
});

test('access data as asked: idle seconds, or the LFU counter', () => {
  const { db, clock } = database();
  db.set('old', 'v');
  clock.now += 5000;
  db.set('new', 'v');
  clock.now += 2000;
  expect(Array.from(db.capture('idle').access ?? [])).toEqual([7, 2]);
  db.countsFrequency = true;
  for (let i = 0; i < 50; i++) db.get('new');
  const [oldCounter, newCounter] = Array.from(db.capture('freq').access ?? []);
  expect(oldCounter).toBe(5);
  expect(newCounter).toBeGreaterThan(5);
});
