/**
 * The one place the black-box comparison (blackbox.ts) accepts differing bytes: positive TTL/PTTL
 * replies that differ by no more than the elapsed time of the run allows. Anything else, and any
 * larger difference, must still fail the comparison.
 */
import { withinCountdown } from './blackbox';

const int = (n: number): string => `:${n}\r\n`;

test('PTTL replies may differ by the elapsed milliseconds, no more', () => {
  expect(withinCountdown(['PTTL', 'k'], int(100000), int(99990), 10)).toBe(true);
  expect(withinCountdown(['PTTL', 'k'], int(99990), int(100000), 10)).toBe(true);
  expect(withinCountdown(['PTTL', 'k'], int(100000), int(99989), 10)).toBe(false);
});

test('TTL replies may differ by the elapsed time in whole seconds, rounded up', () => {
  expect(withinCountdown(['ttl', 'k'], int(100), int(99), 20)).toBe(true);
  expect(withinCountdown(['TTL', 'k'], int(100), int(98), 20)).toBe(false);
  expect(withinCountdown(['TTL', 'k'], int(100), int(98), 1500)).toBe(true);
  // A unit mix-up (ms for s) is far outside any run's elapsed time.
  expect(withinCountdown(['TTL', 'k'], int(100), int(100000), 1500)).toBe(false);
});

test('no TTL (-1), no key (-2), errors and other commands are never accepted as different', () => {
  expect(withinCountdown(['TTL', 'k'], int(-1), int(0), 5000)).toBe(false);
  expect(withinCountdown(['TTL', 'k'], int(-2), int(-1), 5000)).toBe(false);
  expect(withinCountdown(['TTL', 'k'], int(1), '-ERR wrong number of arguments for \'ttl\' command\r\n', 5000)).toBe(false);
  expect(withinCountdown(['EXPIRETIME', 'k'], int(4102444800), int(4102444801), 5000)).toBe(false);
  expect(withinCountdown(['GET', 'k'], '$1\r\n1\r\n', '$1\r\n2\r\n', 5000)).toBe(false);
});
