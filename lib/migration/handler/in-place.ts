import { ModifyReplicationGroupCommand } from '@aws-sdk/client-elasticache';
import { MigrationError } from './errors';
import { endpointOf, findMemberCluster, findReplicationGroup } from './lookups';
import { DOWNTIME_NONE, InPlacePlan, preflightInPlace } from './preflight';
import { sameMajorMinor } from './properties';
import { withRetry } from './retry';
import type { HandlerContext, MigrationData, MigrationProperties } from './types';

/**
 * How long after the modification was requested a group may still read `redis` (or the old Valkey
 * version) while `available` before we call the upgrade lost. The modify response and the first
 * describes keep showing the old engine — the stale engine field — so that sight alone means
 * "not yet", not "failed".
 */
export const STALE_ENGINE_GRACE_SECONDS = 15 * 60;

/**
 * onEvent, IN_PLACE: pre-flight, then one ModifyReplicationGroup (engine, version and, when given,
 * the Valkey parameter group in the same call), unless the group already runs the target or is
 * already changing to it.
 */
export async function startInPlace(ctx: HandlerContext, props: MigrationProperties): Promise<InPlacePlan> {
  const plan = await preflightInPlace(ctx, props);
  ctx.log('preflight', {
    strategy: 'IN_PLACE',
    source: props.sourceReplicationGroupId,
    engine: plan.source.engine,
    engineVersion: plan.source.engineVersion ?? 'unknown',
    targetEngineVersion: props.targetEngineVersion,
    action: plan.action,
    expectedDowntime: plan.downtime,
  });
  if (plan.action !== 'modify') {
    return plan;
  }
  await withRetry(ctx, `ModifyReplicationGroup ${props.sourceReplicationGroupId}`, () =>
    ctx.elastiCache.send(new ModifyReplicationGroupCommand({
      ReplicationGroupId: props.sourceReplicationGroupId,
      Engine: 'valkey',
      EngineVersion: props.targetEngineVersion,
      ...(props.valkeyParameterGroupName === undefined ? {} : { CacheParameterGroupName: props.valkeyParameterGroupName }),
      ApplyImmediately: true,
    })));
  ctx.log('modify-requested', {
    source: props.sourceReplicationGroupId,
    engine: 'valkey',
    engineVersion: props.targetEngineVersion,
    parameterGroup: props.valkeyParameterGroupName ?? 'unchanged',
  });
  return plan;
}

export interface InPlaceProgress {
  readonly complete: boolean;
  readonly data?: MigrationData;
}

/**
 * isComplete, IN_PLACE: describes only. Complete when the group reads engine valkey at the target
 * version and is available.
 *
 * @param requestedAt when onEvent asked for the change (undefined when it did not, e.g. a no-op update)
 */
export async function checkInPlace(
  ctx: HandlerContext,
  props: MigrationProperties,
  requestedAt: Date | undefined,
  now: Date,
  expectedDowntime: string = DOWNTIME_NONE,
): Promise<InPlaceProgress> {
  const id = props.sourceReplicationGroupId;
  const group = await findReplicationGroup(ctx, id);
  if (group === undefined) {
    throw new MigrationError('SOURCE_NOT_FOUND', `Replication group '${id}' disappeared while its engine was being changed.`);
  }
  const status = group.Status ?? 'unknown';
  const engine = (group.Engine ?? 'redis').toLowerCase();
  if (status === 'deleting' || status === 'create-failed') {
    throw new MigrationError('TARGET_FAILED', `Replication group '${id}' is '${status}' while its engine was being changed to valkey.`);
  }
  if (status !== 'available') {
    ctx.log('waiting', { strategy: 'IN_PLACE', group: id, status, engine });
    return { complete: false };
  }
  const member = await findMemberCluster(ctx, group);
  const version = member?.EngineVersion;
  const versionReached = version === undefined || sameMajorMinor(version, props.targetEngineVersion);
  if (engine !== 'valkey' || !versionReached) {
    const waitedSeconds = requestedAt === undefined ? undefined : (now.getTime() - requestedAt.getTime()) / 1000;
    if (waitedSeconds === undefined || waitedSeconds > STALE_ENGINE_GRACE_SECONDS) {
      throw new MigrationError(
        'TARGET_FAILED',
        `Replication group '${id}' is available but still runs ${engine} ${version ?? ''}`.trimEnd() +
        `${waitedSeconds === undefined ? '' : ` ${Math.round(waitedSeconds)} s after the change to valkey ${props.targetEngineVersion} was requested`}; ` +
        'the engine change did not take effect. Check the ElastiCache events of the group.',
      );
    }
    ctx.log('waiting', { strategy: 'IN_PLACE', group: id, status, engine, engineVersion: version ?? 'unknown', staleEngineField: true });
    return { complete: false };
  }
  const endpoint = endpointOf(group);
  const data: MigrationData = {
    Strategy: 'IN_PLACE',
    TargetReplicationGroupId: group.ReplicationGroupId ?? id,
    EndpointAddress: endpoint.address,
    EndpointPort: endpoint.port,
    Engine: 'valkey',
    EngineVersion: version ?? props.targetEngineVersion,
    SnapshotName: '',
    ExportedObjectKeys: '',
    ExpectedDowntime: expectedDowntime,
  };
  ctx.log('complete', { strategy: 'IN_PLACE', group: id, engineVersion: data.EngineVersion });
  return { complete: true, data };
}
