/**
 * What a read records about a key: its access time always (OBJECT IDLETIME, LRU eviction), its
 * LFU counter only while an LFU policy has turned counting on (Database.countsFrequency).
 */
import { Database } from '../../../lib/server/keyspace/database';

function database(): { db: Database; clock: { now: number } } {
  const clock = { now: 1_700_000_000_000 };
  return { db: new Database(0, () => clock.now), clock };
}

test('without LFU counting, reads move the access time and leave the counter at LFU_INIT_VAL', () => {
  const { db, clock } = database();
  db.set('k', 'v');
  clock.now += 7000;
  expect(db.idleSeconds('k')).toBe(7);
  for (let i = 0; i < 100; i++) db.getBytes(Buffer.from('k'), 0, 1);
  expect(db.idleSeconds('k')).toBe(0);
  expect(db.accessFrequency('k')).toBe(5);
});

test('with LFU counting, the first read of a new key counts (5 → 6) and many reads count more', () => {
  const { db } = database();
  db.countsFrequency = true;
  db.set('k', 'v');
  expect(db.accessFrequency('k')).toBe(5);
  db.get('k');
  expect(db.accessFrequency('k')).toBe(6);
  for (let i = 0; i < 1000; i++) db.getBytes(Buffer.from('k'), 0, 1);
  expect(db.accessFrequency('k')).toBeGreaterThan(6);
});

test('CLIENT NO-TOUCH (suppressTouch) leaves both alone', () => {
  const { db, clock } = database();
  db.countsFrequency = true;
  db.set('k', 'v');
  clock.now += 3000;
  db.suppressTouch = true;
  db.get('k');
  expect([db.idleSeconds('k'), db.accessFrequency('k')]).toEqual([3, 5]);
});
