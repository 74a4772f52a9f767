import {
  CopySnapshotCommand,
  CreateReplicationGroupCommand,
  CreateReplicationGroupCommandInput,
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  ReplicationGroup,
} from '@aws-sdk/client-elasticache';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { MIGRATION_TAG_KEY } from './constants';
import { MigrationError, errorMessage, errorName } from './errors';
import {
  endpointOf,
  findMemberCluster,
  findReplicationGroup,
  findSnapshot,
  listExportedObjects,
  shardCount,
} from './lookups';
import { DOWNTIME_NONE, preflightSnapshotRestore } from './preflight';
import { tagsWithMigrationId } from './properties';
import { withRetry } from './retry';
import type { HandlerContext, MigrationData, MigrationProperties } from './types';

/**
 * SNAPSHOT_RESTORE as a step machine without memory. Each call works out where the migration
 * stands from what exists, in this order, and starts at most one step:
 *
 *   target group exists         → wait until available (done), or fail on create-/restore-failed
 *   all .rdb objects in S3      → CreateReplicationGroup seeded from their ARNs
 *   no snapshot                 → CreateSnapshot of the source
 *   snapshot creating/exporting → wait; failed → fail
 *   snapshot available, no .rdb → CopySnapshot to the bucket (the export)
 *
 * Looking at the target first means a migration whose snapshot was since deleted still completes,
 * and a repeated or retried call never repeats a step that already happened. The source is only
 * read and snapshotted, never modified.
 */
export interface SnapshotRestorePlan {
  readonly props: MigrationProperties;
  readonly physicalId: string;
  readonly snapshotName: string;
}

export interface SnapshotRestoreProgress {
  readonly complete: boolean;
  readonly step: string;
  readonly data?: MigrationData;
}

/** `observe` only reports (an Update that changed nothing that defines the migration). */
export type AdvanceMode = 'advance' | 'observe';

const TARGET_FAILED_STATES = new Set(['create-failed', 'restore-failed', 'incompatible-restore', 'deleting', 'deleted']);
const SNAPSHOT_FAILED_STATES = new Set(['failed', 'deleting']);

function targetOf(plan: SnapshotRestorePlan): CreateReplicationGroupCommandInput & { id: string } {
  const target = plan.props.target;
  if (target?.ReplicationGroupId === undefined) {
    throw new MigrationError('INVALID_PROPERTIES', 'TargetReplicationGroup is required for SNAPSHOT_RESTORE');
  }
  return { ...target, id: target.ReplicationGroupId };
}

function bucketOf(plan: SnapshotRestorePlan): string {
  if (plan.props.exportBucketName === undefined) {
    throw new MigrationError('INVALID_PROPERTIES', 'ExportBucketName is required for SNAPSHOT_RESTORE');
  }
  return plan.props.exportBucketName;
}

export function seedArns(bucket: string, keys: readonly string[]): string[] {
  return keys.map(key => `arn:aws:s3:::${bucket}/${key}`);
}

/** onEvent, SNAPSHOT_RESTORE: pre-flight, then the first step that is still to do. */
export async function startSnapshotRestore(ctx: HandlerContext, plan: SnapshotRestorePlan): Promise<SnapshotRestoreProgress> {
  const source = await preflightSnapshotRestore(ctx, plan.props, plan.physicalId, plan.snapshotName);
  ctx.log('preflight', {
    strategy: 'SNAPSHOT_RESTORE',
    source: plan.props.sourceReplicationGroupId,
    engine: source.engine,
    engineVersion: source.engineVersion ?? 'unknown',
    target: targetOf(plan).id,
    targetEngineVersion: plan.props.targetEngineVersion,
    snapshotName: plan.snapshotName,
    bucket: bucketOf(plan),
  });
  return advanceSnapshotRestore(ctx, plan, 'advance', source.group);
}

/** isComplete, SNAPSHOT_RESTORE: see where the migration stands and start the next step. */
export async function advanceSnapshotRestore(
  ctx: HandlerContext,
  plan: SnapshotRestorePlan,
  mode: AdvanceMode,
  knownSource?: ReplicationGroup,
): Promise<SnapshotRestoreProgress> {
  const target = targetOf(plan);
  const bucket = bucketOf(plan);
  const sourceId = plan.props.sourceReplicationGroupId;

  const targetGroup = await findReplicationGroup(ctx, target.id);
  if (targetGroup !== undefined) {
    return waitForTarget(ctx, plan, targetGroup, bucket);
  }
  if (mode === 'observe') {
    throw new MigrationError(
      'TARGET_MISSING',
      `Target replication group '${target.id}' of this migration no longer exists. Change the migration's properties ` +
      '(for example the target ReplicationGroupId) to run it again.',
    );
  }

  const snapshot = await findSnapshot(ctx, plan.snapshotName);
  if (snapshot !== undefined && snapshot.ReplicationGroupId?.toLowerCase() !== sourceId.toLowerCase()) {
    throw new MigrationError(
      'SNAPSHOT_FOREIGN',
      `Snapshot '${plan.snapshotName}' was taken of '${snapshot.ReplicationGroupId ?? snapshot.CacheClusterId ?? 'another cache'}', not of '${sourceId}'.`,
    );
  }
  const keys = await listExportedObjects(ctx, bucket, plan.snapshotName);
  let expected: number;
  if (snapshot !== undefined) {
    expected = shardCount(snapshot);
  } else {
    const source = knownSource ?? await findReplicationGroup(ctx, sourceId);
    expected = Math.max(1, source?.NodeGroups?.length ?? 1);
  }

  if (keys.length >= expected) {
    return createTarget(ctx, plan, keys, bucket);
  }
  if (snapshot === undefined) {
    return createSnapshot(ctx, plan, knownSource);
  }

  const status = snapshot.SnapshotStatus ?? 'unknown';
  if (SNAPSHOT_FAILED_STATES.has(status)) {
    throw new MigrationError(
      'SNAPSHOT_FAILED',
      `Snapshot '${plan.snapshotName}' of '${sourceId}' is '${status}'. The source is unchanged; ` +
      'delete the snapshot (if it is still there) and deploy again.',
    );
  }
  if (status !== 'available' || keys.length > 0) {
    // creating, or exporting (the export's objects appear one shard at a time).
    ctx.log('waiting', { strategy: 'SNAPSHOT_RESTORE', waitingFor: status === 'available' ? 'export' : 'snapshot', snapshotName: plan.snapshotName, status, exported: keys.length, expected });
    return { complete: false, step: status === 'available' ? 'export' : 'snapshot' };
  }
  return exportSnapshot(ctx, plan, bucket);
}

async function createSnapshot(ctx: HandlerContext, plan: SnapshotRestorePlan, knownSource?: ReplicationGroup): Promise<SnapshotRestoreProgress> {
  const sourceId = plan.props.sourceReplicationGroupId;
  const source = knownSource ?? await findReplicationGroup(ctx, sourceId);
  if (source === undefined) {
    throw new MigrationError('SOURCE_NOT_FOUND', `Source replication group '${sourceId}' was not found in this account and Region.`);
  }
  if (source.Status !== 'available') {
    throw new MigrationError(
      'SOURCE_NOT_AVAILABLE',
      `Source '${sourceId}' is '${source.Status ?? 'unknown'}'; it must be 'available' before the migration starts. ` +
      'Wait for the current operation to finish, then deploy again.',
    );
  }
  try {
    await withRetry(ctx, `CreateSnapshot ${plan.snapshotName}`, () =>
      ctx.elastiCache.send(new CreateSnapshotCommand({
        ReplicationGroupId: sourceId,
        SnapshotName: plan.snapshotName,
        Tags: [{ Key: MIGRATION_TAG_KEY, Value: plan.physicalId }],
      })));
  } catch (error) {
    if (errorName(error) === 'SnapshotAlreadyExistsFault') {
      // Another call got there first; the next call finds it.
      return { complete: false, step: 'snapshot' };
    }
    if (errorName(error) === 'SnapshotQuotaExceededFault') {
      throw new MigrationError(
        'SNAPSHOT_QUOTA',
        `ElastiCache refused the snapshot of '${sourceId}' (SnapshotQuotaExceededFault: at most 20 manual backups per node per day ` +
        'and a per-Region snapshot quota). Delete manual snapshots you no longer need or wait a day, then deploy again.',
      );
    }
    throw error;
  }
  ctx.log('snapshot-requested', { source: sourceId, snapshotName: plan.snapshotName });
  return { complete: false, step: 'snapshot' };
}

async function exportSnapshot(ctx: HandlerContext, plan: SnapshotRestorePlan, bucket: string): Promise<SnapshotRestoreProgress> {
  try {
    await withRetry(ctx, `CopySnapshot ${plan.snapshotName} to s3://${bucket}`, () =>
      ctx.elastiCache.send(new CopySnapshotCommand({
        SourceSnapshotName: plan.snapshotName,
        TargetSnapshotName: plan.snapshotName,
        TargetBucket: bucket,
      })));
  } catch (error) {
    const name = errorName(error);
    if (name === 'InvalidSnapshotStateFault' || name === 'SnapshotAlreadyExistsFault') {
      // An export of this snapshot is already under way.
      ctx.log('waiting', { strategy: 'SNAPSHOT_RESTORE', waitingFor: 'export', snapshotName: plan.snapshotName, answer: name });
      return { complete: false, step: 'export' };
    }
    throw new MigrationError(
      'SNAPSHOT_FAILED',
      `Exporting snapshot '${plan.snapshotName}' to s3://${bucket} failed: ${name}: ${errorMessage(error)}. ` +
      'The bucket must be in this Region and grant the <region>.elasticache-snapshot.amazonaws.com service principal access.',
    );
  }
  ctx.log('export-requested', { snapshotName: plan.snapshotName, bucket });
  return { complete: false, step: 'export' };
}

async function createTarget(ctx: HandlerContext, plan: SnapshotRestorePlan, keys: string[], bucket: string): Promise<SnapshotRestoreProgress> {
  const target = targetOf(plan);
  const { id, ...input } = target;
  const snapshotArns = seedArns(bucket, keys);
  const authToken = await readAuthToken(ctx, plan.props);
  try {
    await withRetry(ctx, `CreateReplicationGroup ${id}`, () =>
      ctx.elastiCache.send(new CreateReplicationGroupCommand({
        ...input,
        ReplicationGroupId: id,
        ReplicationGroupDescription: input.ReplicationGroupDescription,
        Engine: 'valkey',
        EngineVersion: plan.props.targetEngineVersion,
        SnapshotArns: snapshotArns,
        ...(authToken === undefined ? {} : { AuthToken: authToken }),
        Tags: tagsWithMigrationId(input.Tags, MIGRATION_TAG_KEY, plan.physicalId),
      })));
  } catch (error) {
    if (errorName(error) === 'ReplicationGroupAlreadyExistsFault') {
      return { complete: false, step: 'target' };
    }
    throw error;
  }
  // The token itself is never logged; only whether one was set.
  ctx.log('target-requested', { target: id, engineVersion: plan.props.targetEngineVersion, seeds: snapshotArns, authToken: authToken !== undefined });
  return { complete: false, step: 'target' };
}

/**
 * The target's AUTH token, read from Secrets Manager just before CreateReplicationGroup; undefined
 * when the migration has no TargetAuthTokenSecretArn. The value is passed to ElastiCache and
 * nowhere else: not logged, not returned in Data.
 */
export async function readAuthToken(ctx: HandlerContext, props: MigrationProperties): Promise<string | undefined> {
  const arn = props.targetAuthTokenSecretArn;
  if (arn === undefined) {
    return undefined;
  }
  const unavailable = (why: string): MigrationError => new MigrationError(
    'AUTH_TOKEN_UNAVAILABLE',
    `The target's AUTH token could not be read from secret '${arn}': ${why}. Nothing was created; fix the secret and deploy again.`,
  );
  if (ctx.secretsManager === undefined) {
    throw unavailable('no Secrets Manager client');
  }
  const client = ctx.secretsManager;
  let secretString: string | undefined;
  try {
    const out = await withRetry(ctx, `GetSecretValue ${arn}`, () => client.send(new GetSecretValueCommand({ SecretId: arn })));
    secretString = out.SecretString;
  } catch (error) {
    if (error instanceof MigrationError) {
      throw error;
    }
    throw unavailable(`${errorName(error)}: ${errorMessage(error)}`);
  }
  if (secretString === undefined) {
    throw unavailable('the secret has no SecretString');
  }
  let token: unknown = secretString;
  const field = props.targetAuthTokenSecretJsonField;
  if (field !== undefined) {
    try {
      const parsed: unknown = JSON.parse(secretString);
      token = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[field] : undefined;
    } catch {
      throw unavailable(`the secret is not JSON, so it has no field '${field}'`);
    }
  }
  // The ElastiCache rule (16–128 printable characters; specials only ! & # $ ^ < > -), checked here
  // so the answer names the secret rather than ElastiCache's InvalidParameterValue.
  if (typeof token !== 'string' || !/^[A-Za-z0-9!&#$^<>-]{16,128}$/.test(token)) {
    throw unavailable(
      `${field === undefined ? 'its value' : `its field '${field}'`} is not a valid AUTH token ` +
      "(16-128 letters, digits and ! & # $ ^ < > -)",
    );
  }
  return token;
}

async function waitForTarget(
  ctx: HandlerContext,
  plan: SnapshotRestorePlan,
  group: ReplicationGroup,
  bucket: string,
): Promise<SnapshotRestoreProgress> {
  const id = group.ReplicationGroupId ?? targetOf(plan).id;
  const status = group.Status ?? 'unknown';
  if (TARGET_FAILED_STATES.has(status)) {
    throw new MigrationError(
      'TARGET_FAILED',
      `Target replication group '${id}' is '${status}'. The source '${plan.props.sourceReplicationGroupId}' is unchanged. ` +
      'An oversized .rdb, or more than one database for cluster mode, ends a restore this way: check the ElastiCache events, ' +
      `delete '${id}' and deploy again.`,
    );
  }
  if (status !== 'available') {
    ctx.log('waiting', { strategy: 'SNAPSHOT_RESTORE', waitingFor: 'target', target: id, status });
    return { complete: false, step: 'target' };
  }
  const member = await findMemberCluster(ctx, group);
  const keys = await listExportedObjects(ctx, bucket, plan.snapshotName);
  const endpoint = endpointOf(group);
  const data: MigrationData = {
    Strategy: 'SNAPSHOT_RESTORE',
    TargetReplicationGroupId: id,
    EndpointAddress: endpoint.address,
    EndpointPort: endpoint.port,
    Engine: (group.Engine ?? 'valkey').toLowerCase(),
    EngineVersion: member?.EngineVersion ?? plan.props.targetEngineVersion,
    SnapshotName: plan.snapshotName,
    ExportedObjectKeys: keys.join(','),
    ExpectedDowntime: DOWNTIME_NONE,
  };
  ctx.log('complete', { strategy: 'SNAPSHOT_RESTORE', target: id, snapshotName: plan.snapshotName, exported: keys.length });
  return { complete: true, step: 'done', data };
}

/**
 * Delete with RetainSnapshot 'false': removes the migration's own ElastiCache snapshot, nothing
 * else. The source, the target and the exported objects stay (the bucket's lifecycle is the
 * construct's). A snapshot that cannot be deleted right now is left in place rather than failing
 * the stack operation.
 */
export async function deleteMigrationSnapshot(ctx: HandlerContext, plan: SnapshotRestorePlan): Promise<void> {
  const snapshot = await findSnapshot(ctx, plan.snapshotName);
  if (snapshot === undefined) {
    ctx.log('delete', { snapshotName: plan.snapshotName, action: 'none', reason: 'snapshot not found' });
    return;
  }
  if (snapshot.ReplicationGroupId?.toLowerCase() !== plan.props.sourceReplicationGroupId.toLowerCase()) {
    ctx.log('delete', { snapshotName: plan.snapshotName, action: 'retained', reason: 'snapshot is not of the source' });
    return;
  }
  try {
    await withRetry(ctx, `DeleteSnapshot ${plan.snapshotName}`, () =>
      ctx.elastiCache.send(new DeleteSnapshotCommand({ SnapshotName: plan.snapshotName })));
    ctx.log('delete', { snapshotName: plan.snapshotName, action: 'deleted' });
  } catch (error) {
    ctx.log('delete', { snapshotName: plan.snapshotName, action: 'retained', reason: `${errorName(error)}: ${errorMessage(error)}` });
  }
}
