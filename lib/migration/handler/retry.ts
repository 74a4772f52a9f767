import { MigrationError, errorMessage, errorName } from './errors';
import type { HandlerContext } from './types';

/**
 * Answers worth asking again: throttling (ElastiCache says `Throttling`, other services
 * `ThrottlingException`, S3 `SlowDown`) and a replication group that is briefly in a state that
 * refuses the call (another modification or a backup finishing).
 *
 * SnapshotQuotaExceededFault is deliberately absent: the quota is 20 manual backups per node per
 * day, so a minute of backoff cannot clear it.
 */
export const RETRYABLE_ERRORS: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'APICallRateForCustomerExceededFault',
  'InvalidReplicationGroupState',
  'InvalidReplicationGroupStateFault',
]);

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Six attempts with full jitter over 1, 2, 4, 8, 16 s: at most 31 s of waiting, well inside
 * MIGRATION_HANDLER_TIMEOUT_SECONDS, on top of the SDK's own three attempts per call.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 16000 };

export function isRetryable(error: unknown): boolean {
  return RETRYABLE_ERRORS.has(errorName(error));
}

/** Exponential backoff with full jitter: a random wait in [0, min(max, base·2^retry)). */
export function backoffDelayMs(retry: number, random: () => number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * Runs `call`, retrying the answers in RETRYABLE_ERRORS; any other error passes through unchanged.
 * When the attempts run out, throws a MigrationError naming the action and the last error.
 */
export async function withRetry<T>(
  ctx: Pick<HandlerContext, 'sleep' | 'random' | 'log'>,
  action: string,
  call: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error)) {
        throw error;
      }
      if (attempt >= policy.maxAttempts) {
        throw new MigrationError(
          'RETRIES_EXHAUSTED',
          `${action} still failed after ${attempt} attempts: ${errorName(error)}: ${errorMessage(error)}`,
        );
      }
      const delayMs = backoffDelayMs(attempt - 1, ctx.random, policy);
      ctx.log('retry', { action, attempt, error: errorName(error), delayMs });
      await ctx.sleep(delayMs);
    }
  }
}
