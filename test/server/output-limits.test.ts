/**
 * The output-buffer-limit rule on a fake clock (the integration test shows it on real sockets):
 * hard closes at once, soft only after more than soft-seconds continuously over it.
 */
import { outputLimitReached, parseOutputLimits, type SoftLimitState } from '../../lib/server/output-limits';

test('parses the normalized config value per class', () => {
  expect(parseOutputLimits('normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60')).toEqual({
    normal: { hard: 0, soft: 0, softSeconds: 0 },
    slave: { hard: 268435456, soft: 67108864, softSeconds: 60 },
    pubsub: { hard: 33554432, soft: 8388608, softSeconds: 60 },
  });
});

test('the hard limit closes as soon as the output reaches it; 0 means no limit', () => {
  const state: SoftLimitState = { softLimitSince: 0 };
  expect(outputLimitReached({ hard: 100, soft: 0, softSeconds: 0 }, 99, state, 1000)).toBe(false);
  expect(outputLimitReached({ hard: 100, soft: 0, softSeconds: 0 }, 100, state, 1000)).toBe(true);
  expect(outputLimitReached({ hard: 0, soft: 0, softSeconds: 0 }, 1e12, state, 1000)).toBe(false);
});

test('the soft limit closes only after more than soft-seconds over it, and going under restarts the clock', () => {
  const limit = { hard: 0, soft: 50, softSeconds: 10 };
  const state: SoftLimitState = { softLimitSince: 0 };
  expect(outputLimitReached(limit, 60, state, 1000)).toBe(false);
  expect(state.softLimitSince).toBe(1000);
  expect(outputLimitReached(limit, 60, state, 1010)).toBe(false);
  expect(outputLimitReached(limit, 40, state, 1010)).toBe(false);
  expect(state.softLimitSince).toBe(0);
  expect(outputLimitReached(limit, 60, state, 1011)).toBe(false);
  expect(outputLimitReached(limit, 60, state, 1021)).toBe(false);
  expect(outputLimitReached(limit, 60, state, 1022)).toBe(true);
});

test('soft-seconds 0 closes on the second check in a later second', () => {
  const limit = { hard: 0, soft: 50, softSeconds: 0 };
  const state: SoftLimitState = { softLimitSince: 0 };
  expect(outputLimitReached(limit, 60, state, 5)).toBe(false);
  expect(outputLimitReached(limit, 60, state, 5)).toBe(false);
  expect(outputLimitReached(limit, 60, state, 6)).toBe(true);
});
