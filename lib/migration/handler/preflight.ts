import type { CacheCluster, ReplicationGroup } from '@aws-sdk/client-elasticache';
import { MIGRATION_TAG_KEY } from './constants';
import { MigrationError } from './errors';
import { findCacheCluster, findMemberCluster, findReplicationGroup, findSnapshot, tagValue } from './lookups';
import { PROPERTY, compareVersions, parseVersion, sameMajorMinor, targetIsClusterModeEnabled } from './properties';
import type { HandlerContext, MigrationProperties } from './types';

/** From this Redis OSS version up an in-place engine change needs no failover. */
export const NO_DOWNTIME_FROM_REDIS_VERSION = '5.0.6';

export const DOWNTIME_NONE = 'none';
export const DOWNTIME_FAILOVER =
  `a failover of 30-60 s: the source runs Redis OSS below ${NO_DOWNTIME_FROM_REDIS_VERSION}`;
export const DOWNTIME_UNKNOWN =
  `unknown: the source's engine version could not be read; below Redis OSS ${NO_DOWNTIME_FROM_REDIS_VERSION} expect a failover of 30-60 s`;

export interface SourceFacts {
  readonly group: ReplicationGroup;
  /** A member cache cluster, when one can be described. */
  readonly member?: CacheCluster;
  /** `redis` or `valkey`. */
  readonly engine: string;
  /** e.g. `7.1.0`, from a member cache cluster; undefined when none could be described. */
  readonly engineVersion?: string;
}

/** Describes the source; fails with a clear message when it is missing or is not a replication group. */
export async function inspectSource(ctx: HandlerContext, id: string): Promise<SourceFacts> {
  const group = await findReplicationGroup(ctx, id);
  if (group === undefined) {
    const cluster = await findCacheCluster(ctx, id);
    if (cluster !== undefined && cluster.ReplicationGroupId === undefined) {
      throw new MigrationError(
        'SOURCE_IS_SINGLE_NODE',
        `Source '${id}' is a single-node cache cluster, not a replication group. Make it a replication group first ` +
        `(CreateReplicationGroup with PrimaryClusterId '${id}'), then migrate the replication group.`,
      );
    }
    if (cluster?.ReplicationGroupId !== undefined) {
      throw new MigrationError(
        'SOURCE_NOT_FOUND',
        `Source '${id}' is a node of replication group '${cluster.ReplicationGroupId}'; set ${PROPERTY.sourceReplicationGroupId} to the group.`,
      );
    }
    throw new MigrationError('SOURCE_NOT_FOUND', `Source replication group '${id}' was not found in this account and Region.`);
  }
  const member = await findMemberCluster(ctx, group);
  return {
    group,
    member,
    engine: (group.Engine ?? member?.Engine ?? 'redis').toLowerCase(),
    engineVersion: member?.EngineVersion,
  };
}

function requireAvailable(source: SourceFacts, id: string): void {
  const status = source.group.Status ?? 'unknown';
  if (status !== 'available') {
    throw new MigrationError(
      'SOURCE_NOT_AVAILABLE',
      `Source '${id}' is '${status}'; it must be 'available' before the migration starts. ` +
      'Wait for the current operation to finish, then deploy again.',
    );
  }
}

export type InPlacePlan =
  | { readonly action: 'modify'; readonly downtime: string; readonly source: SourceFacts }
  | { readonly action: 'already-done'; readonly downtime: string; readonly source: SourceFacts }
  | { readonly action: 'in-progress'; readonly downtime: string; readonly source: SourceFacts };

/**
 * IN_PLACE pre-flight. Decides between issuing the modification, doing nothing because the group
 * already runs the target (a retried or repeated Create), or waiting for an engine change already
 * under way.
 */
export async function preflightInPlace(ctx: HandlerContext, props: MigrationProperties): Promise<InPlacePlan> {
  const id = props.sourceReplicationGroupId;
  const target = props.targetEngineVersion;
  const source = await inspectSource(ctx, id);
  const version = source.engineVersion;
  const status = source.group.Status ?? 'unknown';

  if (source.engine === 'valkey') {
    if (version === undefined) {
      throw new MigrationError(
        'DOWNGRADE',
        `Source '${id}' already runs valkey, but its engine version could not be read, so a downgrade to ${target} cannot be ruled out.`,
      );
    }
    if (compareVersions(version, target) > 0 && !sameMajorMinor(version, target)) {
      throw new MigrationError(
        'DOWNGRADE',
        `Source '${id}' already runs Valkey ${version}; ${PROPERTY.targetEngineVersion} ${target} would be a downgrade, ` +
        'which ElastiCache cannot do in place.',
      );
    }
    if (sameMajorMinor(version, target)) {
      if (status === 'available') {
        return { action: 'already-done', downtime: DOWNTIME_NONE, source };
      }
      if (status === 'modifying') {
        return { action: 'in-progress', downtime: DOWNTIME_NONE, source };
      }
      requireAvailable(source, id);
    }
  } else if (source.engine !== 'redis') {
    throw new MigrationError('SOURCE_ENGINE', `Source '${id}' runs engine '${source.engine}'; only redis replication groups move to valkey.`);
  }

  const downtime = source.engine === 'valkey'
    ? DOWNTIME_NONE
    : version === undefined
      ? DOWNTIME_UNKNOWN
      : compareVersions(version, NO_DOWNTIME_FROM_REDIS_VERSION) < 0 ? DOWNTIME_FAILOVER : DOWNTIME_NONE;

  // A retried onEvent finds the group busy with the change the first attempt asked for (the engine
  // field still reads redis for a while; the member's pending version already shows the target).
  const pendingVersion = source.member?.PendingModifiedValues?.EngineVersion;
  if (status === 'modifying' && pendingVersion !== undefined && sameMajorMinor(pendingVersion, target)) {
    return { action: 'in-progress', downtime, source };
  }
  requireAvailable(source, id);

  const parameterGroup = source.member?.CacheParameterGroup?.CacheParameterGroupName;
  if (parameterGroup !== undefined && !parameterGroup.startsWith('default.') && props.valkeyParameterGroupName === undefined) {
    throw new MigrationError(
      'PARAMETER_GROUP_REQUIRED',
      `Source '${id}' uses the custom parameter group '${parameterGroup}'; ElastiCache needs a Valkey parameter group with ` +
      `the same static values in the same ModifyReplicationGroup call. Set ${PROPERTY.valkeyParameterGroupName}.`,
    );
  }
  return { action: 'modify', downtime, source };
}

/**
 * SNAPSHOT_RESTORE pre-flight, run by onEvent before the first step. The source must be available
 * only when a snapshot still has to be taken; that is checked where the snapshot is requested.
 */
export async function preflightSnapshotRestore(
  ctx: HandlerContext,
  props: MigrationProperties,
  physicalId: string,
  snapshotName: string,
): Promise<SourceFacts> {
  const id = props.sourceReplicationGroupId;
  const target = props.target;
  if (target === undefined || target.ReplicationGroupId === undefined) {
    throw new MigrationError('INVALID_PROPERTIES', `${PROPERTY.targetReplicationGroup} is required for SNAPSHOT_RESTORE`);
  }
  const targetId = target.ReplicationGroupId;
  const source = await inspectSource(ctx, id);

  if (source.engine !== 'redis') {
    throw new MigrationError(
      'SOURCE_ENGINE',
      `Source '${id}' runs engine '${source.engine}'; SNAPSHOT_RESTORE copies a redis replication group into a new valkey one.`,
    );
  }
  if (source.engineVersion !== undefined && parseVersion(source.engineVersion) === undefined) {
    ctx.log('preflight-warning', { source: id, engineVersion: source.engineVersion, note: 'unrecognised version format' });
  }
  if (source.group.DataTiering === 'enabled') {
    throw new MigrationError(
      'DATA_TIERING',
      `Source '${id}' uses data tiering; ElastiCache cannot export its backups to S3, so SNAPSHOT_RESTORE is not possible. ` +
      'Use IN_PLACE instead.',
    );
  }
  const sourceClustered = source.group.ClusterEnabled === true || source.group.ClusterMode === 'enabled';
  const targetClustered = targetIsClusterModeEnabled(target);
  if (sourceClustered && !targetClustered) {
    throw new MigrationError(
      'CLUSTER_MODE_MISMATCH',
      `Source '${id}' runs with cluster mode enabled; its .rdb files cannot seed the cluster-mode-disabled target '${targetId}'. ` +
      'Give the target cluster mode enabled, with NodeGroupConfiguration slots.',
    );
  }
  if (targetClustered) {
    const groups = target.NodeGroupConfiguration ?? [];
    if (groups.length === 0 || groups.some(group => group.Slots === undefined || group.Slots === '')) {
      throw new MigrationError(
        'INVALID_PROPERTIES',
        `Target '${targetId}' has cluster mode enabled: seeding it from .rdb files needs ` +
        `${PROPERTY.targetReplicationGroup}.NodeGroupConfiguration with Slots for every shard.`,
      );
    }
  }

  const existing = await findReplicationGroup(ctx, targetId);
  if (existing !== undefined) {
    const owner = existing.ARN === undefined ? undefined : await tagValue(ctx, existing.ARN, MIGRATION_TAG_KEY);
    if (owner !== physicalId) {
      throw new MigrationError(
        'TARGET_EXISTS',
        `Target replication group '${targetId}' already exists and was not created by this migration` +
        `${owner === undefined ? '' : ` (it belongs to migration '${owner}')`}. Choose another ReplicationGroupId for the target.`,
      );
    }
  }

  const snapshot = await findSnapshot(ctx, snapshotName);
  if (snapshot !== undefined && snapshot.ReplicationGroupId?.toLowerCase() !== id.toLowerCase()) {
    throw new MigrationError(
      'SNAPSHOT_FOREIGN',
      `Snapshot '${snapshotName}' already exists and was taken of '${snapshot.ReplicationGroupId ?? snapshot.CacheClusterId ?? 'another cache'}', ` +
      `not of '${id}'. Choose another ${PROPERTY.snapshotName}.`,
    );
  }
  return source;
}
