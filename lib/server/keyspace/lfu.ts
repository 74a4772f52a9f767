/**
 * Redis 7.0's LFU arithmetic (evict.c), as pure functions over what Database keeps per key: the
 * 8-bit logarithmic counter and the key's last access time in seconds. Redis packs a 16-bit
 * "last decrement time" in minutes beside the counter in its 24-bit lru field and sets it to the
 * current minute on every access (updateLFU) and at creation; our per-slot last-access seconds
 * are set at exactly those moments, so that minute is derived from them here instead of stored.
 */

/** A new key's counter (LFU_INIT_VAL): it is not evicted before it had a chance to be read. */
export const LFU_INIT_VAL = 5;

/** The 16-bit minutes clock Redis's LFU uses (LFUGetTimeInMinutes): wraps every ~45 days. */
export function lfuMinutes(unixSeconds: number): number {
  return Math.floor(unixSeconds / 60) & 0xffff;
}

/**
 * Minutes from `then` to `now` on the 16-bit clock (LFUTimeElapsed). Across a wrap Redis counts
 * 65535 - then + now, one short of the true distance; kept so that counters match its own.
 */
export function lfuElapsedMinutes(then: number, now: number): number {
  return now >= then ? now - then : 65535 - then + now;
}

/**
 * The counter after decay (LFUDecrAndReturn): one off per `decayTime` minutes elapsed since the
 * last access, never below 0; `decayTime` 0 means never. Nothing is stored: a read-only look
 * (OBJECT FREQ, eviction sampling) decays the same way again next time.
 */
export function lfuDecayed(counter: number, lastAccessSeconds: number, nowSeconds: number, decayTime: number): number {
  if (decayTime === 0) return counter;
  const periods = Math.floor(lfuElapsedMinutes(lfuMinutes(lastAccessSeconds), lfuMinutes(nowSeconds)) / decayTime);
  return periods >= counter ? 0 : counter - periods;
}

/**
 * One access (LFULogIncr): the counter grows with probability 1 / ((counter - LFU_INIT_VAL) *
 * logFactor + 1), so it grows logarithmically with the accesses; 255 is the ceiling. `random`
 * is drawn only below it, uniformly from [0, 1).
 */
export function lfuIncremented(counter: number, logFactor: number, random: () => number): number {
  if (counter >= 255) return 255;
  const base = counter > LFU_INIT_VAL ? counter - LFU_INIT_VAL : 0;
  return random() < 1 / (base * logFactor + 1) ? counter + 1 : counter;
}
