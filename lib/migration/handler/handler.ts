import { MigrationError, errorMessage } from './errors';
import { checkInPlace, startInPlace } from './in-place';
import { DOWNTIME_NONE } from './preflight';
import { parseProperties, physicalResourceId, snapshotNameFor } from './properties';
import { SnapshotRestorePlan, advanceSnapshotRestore, deleteMigrationSnapshot, startSnapshotRestore } from './snapshot-restore';
import type { HandlerContext, IsCompleteResponse, MigrationEvent, MigrationProperties, OnEventResponse } from './types';

/**
 * Extra fields onEvent returns; the Provider framework merges them into every isComplete event.
 * They are fixed for the life of one operation, so isComplete stays a pure function of its input.
 */
export interface OnEventResult extends OnEventResponse {
  /** ISO time at which onEvent asked ElastiCache to change the engine (IN_PLACE). */
  readonly MigrationRequestedAt?: string;
  /** IN_PLACE: the downtime pre-flight predicted, reported in Data. */
  readonly ExpectedDowntime?: string;
}

export type IsCompleteEvent = MigrationEvent & Partial<OnEventResult>;

function planOf(event: Pick<MigrationEvent, 'StackId' | 'LogicalResourceId'>, props: MigrationProperties, physicalId: string): SnapshotRestorePlan {
  return { props, physicalId, snapshotName: snapshotNameFor(event, props) };
}

/** True for an Update whose properties define the same migration as before (same physical id). */
function isNoOpUpdate(event: MigrationEvent, props: MigrationProperties): boolean {
  if (event.RequestType !== 'Update' || event.OldResourceProperties === undefined) {
    return false;
  }
  try {
    return physicalResourceId(event, parseProperties(event.OldResourceProperties)) === physicalResourceId(event, props);
  } catch {
    return false;
  }
}

/**
 * onEvent: validates, runs pre-flight and starts one step; returns a deterministic physical id.
 *
 * - Create, and Update that changes what defines the migration: a new physical id and the first step
 *   (CloudFormation then sends Delete for the old id, which is harmless).
 * - Update that changes nothing defining (e.g. RetainSnapshot): same id, no call that changes anything.
 * - Delete: same id; never touches the source or the target. With RetainSnapshot 'false' it deletes
 *   the migration's own snapshot.
 */
export async function handleOnEvent(event: MigrationEvent, ctx: HandlerContext): Promise<OnEventResult> {
  ctx.log('on-event', { requestType: event.RequestType, logicalResourceId: event.LogicalResourceId, physicalResourceId: event.PhysicalResourceId });

  if (event.RequestType === 'Delete') {
    const physicalId = event.PhysicalResourceId ?? event.RequestId;
    let props: MigrationProperties;
    try {
      props = parseProperties(event.ResourceProperties);
    } catch (error) {
      // A Create that failed validation is deleted with the same bad properties: nothing was made.
      ctx.log('delete', { action: 'none', reason: errorMessage(error) });
      return { PhysicalResourceId: physicalId };
    }
    if (props.strategy === 'SNAPSHOT_RESTORE' && !props.retainSnapshot && physicalResourceId(event, props) === physicalId) {
      await deleteMigrationSnapshot(ctx, planOf(event, props, physicalId));
    } else {
      ctx.log('delete', { action: 'none', retained: props.strategy === 'SNAPSHOT_RESTORE' ? 'source, target, snapshot' : 'replication group' });
    }
    return { PhysicalResourceId: physicalId };
  }

  const props = parseProperties(event.ResourceProperties);
  const physicalId = physicalResourceId(event, props);
  if (event.RequestType === 'Update' && event.PhysicalResourceId === physicalId) {
    ctx.log('update', { action: 'none', reason: 'the properties that define the migration did not change', physicalResourceId: physicalId });
    return { PhysicalResourceId: physicalId };
  }

  if (props.strategy === 'IN_PLACE') {
    const plan = await startInPlace(ctx, props);
    return {
      PhysicalResourceId: physicalId,
      ExpectedDowntime: plan.downtime,
      ...(plan.action === 'already-done' ? {} : { MigrationRequestedAt: new Date().toISOString() }),
    };
  }
  const progress = await startSnapshotRestore(ctx, planOf(event, props, physicalId));
  ctx.log('started', { strategy: 'SNAPSHOT_RESTORE', waitingFor: progress.step, complete: progress.complete });
  return { PhysicalResourceId: physicalId };
}

/**
 * isComplete: for IN_PLACE describes and maps status; for SNAPSHOT_RESTORE advances the step
 * machine by at most one step. Returns Data only with IsComplete true (the framework rejects Data
 * on false). Failure states throw a MigrationError naming the resource and its state.
 */
export async function handleIsComplete(event: IsCompleteEvent, ctx: HandlerContext, now: Date = new Date()): Promise<IsCompleteResponse> {
  if (event.RequestType === 'Delete') {
    return { IsComplete: true };
  }
  const props = parseProperties(event.ResourceProperties);
  const physicalId = event.PhysicalResourceId ?? physicalResourceId(event, props);
  const observeOnly = isNoOpUpdate(event, props);

  if (props.strategy === 'IN_PLACE') {
    const requestedAt = event.MigrationRequestedAt === undefined ? undefined : new Date(event.MigrationRequestedAt);
    const progress = await checkInPlace(ctx, props, observeOnly ? undefined : requestedAt, now, event.ExpectedDowntime ?? DOWNTIME_NONE);
    return progress.complete ? { IsComplete: true, Data: progress.data } : { IsComplete: false };
  }
  if (props.strategy !== 'SNAPSHOT_RESTORE') {
    throw new MigrationError('INVALID_PROPERTIES', `Unknown strategy '${String(props.strategy)}'`);
  }
  const progress = await advanceSnapshotRestore(ctx, planOf(event, props, physicalId), observeOnly ? 'observe' : 'advance');
  return progress.complete ? { IsComplete: true, Data: progress.data } : { IsComplete: false };
}
