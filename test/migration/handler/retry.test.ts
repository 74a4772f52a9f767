import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_RETRY_POLICY, backoffDelayMs, withRetry } from '../../../lib/migration/handler/retry';
import { serviceError, testContext } from './support';

const ctx = () => testContext({ elastiCache: new ElastiCacheClient({ region: 'us-east-1' }), s3: new S3Client({ region: 'us-east-1' }) });

test('backoff is exponential with full jitter and capped', () => {
  expect(backoffDelayMs(0, () => 0.999)).toBe(999);
  expect(backoffDelayMs(3, () => 0.5)).toBe(4000);
  expect(backoffDelayMs(10, () => 0.999)).toBe(15984);
  expect(backoffDelayMs(4, () => 0)).toBe(0);
});

test.each(['Throttling', 'ThrottlingException', 'InvalidReplicationGroupStateFault', 'APICallRateForCustomerExceededFault'])(
  '%s is retried until the call succeeds',
  async name => {
    const context = ctx();
    let calls = 0;
    const result = await withRetry(context, 'Thing', async () => {
      calls++;
      if (calls < 3) {
        throw serviceError(name);
      }
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(context.sleeps).toEqual([500, 1000]);
    expect(context.lines.map(line => line.fields.error)).toEqual([name, name]);
  },
);

test('gives up after the bounded number of attempts with a clear error', async () => {
  const context = ctx();
  let calls = 0;
  await expect(withRetry(context, 'ModifyReplicationGroup orders', async () => {
    calls++;
    throw serviceError('Throttling', 'Rate exceeded');
  })).rejects.toThrow(expect.objectContaining({
    code: 'RETRIES_EXHAUSTED',
    message: 'ModifyReplicationGroup orders still failed after 6 attempts: Throttling: Rate exceeded',
  }));
  expect(calls).toBe(DEFAULT_RETRY_POLICY.maxAttempts);
  expect(context.sleeps).toHaveLength(5);
});

test('other errors and SnapshotQuotaExceededFault pass through at once', async () => {
  const context = ctx();
  await expect(withRetry(context, 'CreateSnapshot', async () => {
    throw serviceError('SnapshotQuotaExceededFault');
  })).rejects.toThrow(expect.objectContaining({ name: 'SnapshotQuotaExceededFault' }));
  expect(context.sleeps).toEqual([]);
});
