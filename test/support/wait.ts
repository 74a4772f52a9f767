/**
 * Waiting for a condition instead of sleeping a fixed time or polling a fixed number of times.
 * On a loaded machine (CI, other jobs on the same cores) anything may take many times longer than
 * on a quiet one, so the bound is generous: it only turns a hang into a failure, it measures
 * nothing. A quiet machine returns as soon as the condition holds.
 */

/** The default bound of a wait: long enough for a loaded machine, short of jest's 60 s test limit. */
export const CONDITION_TIMEOUT_MS = 30_000;

export interface WaitOptions {
  /** Give up after this long (default CONDITION_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** Pause between checks (default 20 ms). */
  readonly intervalMs?: number;
}

/**
 * Checks `condition` until it holds and returns true, or returns false once `timeoutMs` passed
 * (callers then assert the state they waited for, so a failure shows what was seen).
 */
export async function waitUntil(condition: () => boolean | Promise<boolean>, options: WaitOptions = {}): Promise<boolean> {
  const deadline = Date.now() + (options.timeoutMs ?? CONDITION_TIMEOUT_MS);
  const interval = options.intervalMs ?? 20;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
