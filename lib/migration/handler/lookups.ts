import {
  CacheCluster,
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  DescribeSnapshotsCommand,
  ListTagsForResourceCommand,
  ReplicationGroup,
  Snapshot,
} from '@aws-sdk/client-elasticache';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { errorName } from './errors';
import { withRetry } from './retry';
import type { HandlerContext } from './types';

// Describe calls: undefined for "not there", everything else (after retrying throttling) thrown.

export async function findReplicationGroup(ctx: HandlerContext, id: string): Promise<ReplicationGroup | undefined> {
  try {
    const out = await withRetry(ctx, `DescribeReplicationGroups ${id}`, () =>
      ctx.elastiCache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id })));
    return out.ReplicationGroups?.[0];
  } catch (error) {
    if (errorName(error) === 'ReplicationGroupNotFoundFault') {
      return undefined;
    }
    throw error;
  }
}

export async function findCacheCluster(ctx: HandlerContext, id: string): Promise<CacheCluster | undefined> {
  try {
    const out = await withRetry(ctx, `DescribeCacheClusters ${id}`, () =>
      ctx.elastiCache.send(new DescribeCacheClustersCommand({ CacheClusterId: id })));
    return out.CacheClusters?.[0];
  } catch (error) {
    if (errorName(error) === 'CacheClusterNotFoundFault') {
      return undefined;
    }
    throw error;
  }
}

/**
 * A member cache cluster of the group: DescribeReplicationGroups carries no engine version, custom
 * parameter group or pending version, its member clusters do. Undefined when none can be described
 * (moto, for one, does not list replication group members as cache clusters).
 */
export async function findMemberCluster(ctx: HandlerContext, group: ReplicationGroup): Promise<CacheCluster | undefined> {
  const first = group.MemberClusters?.[0];
  return first === undefined ? undefined : findCacheCluster(ctx, first);
}

export async function findSnapshot(ctx: HandlerContext, name: string): Promise<Snapshot | undefined> {
  try {
    const out = await withRetry(ctx, `DescribeSnapshots ${name}`, () =>
      ctx.elastiCache.send(new DescribeSnapshotsCommand({ SnapshotName: name, ShowNodeGroupConfig: true })));
    return out.Snapshots?.[0];
  } catch (error) {
    if (errorName(error) === 'SnapshotNotFoundFault') {
      return undefined;
    }
    throw error;
  }
}

export async function tagValue(ctx: HandlerContext, arn: string, key: string): Promise<string | undefined> {
  const out = await withRetry(ctx, `ListTagsForResource ${arn}`, () =>
    ctx.elastiCache.send(new ListTagsForResourceCommand({ ResourceName: arn })));
  return out.TagList?.find(tag => tag.Key === key)?.Value;
}

/**
 * The .rdb objects an export of `snapshotName` wrote: `<name>-0001.rdb`, `<name>-0002.rdb` … (one
 * per shard), or `<name>.rdb`. Sorted, so the seed ARNs list shards in order.
 */
export async function listExportedObjects(ctx: HandlerContext, bucket: string, snapshotName: string): Promise<string[]> {
  const keys: string[] = [];
  const pattern = new RegExp(`^${snapshotName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(-\\d+)?\\.rdb$`);
  let token: string | undefined;
  do {
    const page = await withRetry(ctx, `ListObjectsV2 s3://${bucket}/${snapshotName}`, () =>
      ctx.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: snapshotName, ContinuationToken: token })));
    for (const object of page.Contents ?? []) {
      if (object.Key !== undefined && pattern.test(object.Key)) {
        keys.push(object.Key);
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys.sort();
}

/** Configuration endpoint for cluster mode, else the primary endpoint. */
export function endpointOf(group: ReplicationGroup): { address: string; port: string } {
  const endpoint = group.ConfigurationEndpoint ?? group.NodeGroups?.[0]?.PrimaryEndpoint;
  return { address: endpoint?.Address ?? '', port: endpoint?.Port === undefined ? '' : String(endpoint.Port) };
}

/** How many shards a snapshot holds (one .rdb each when exported). */
export function shardCount(snapshot: Snapshot): number {
  const groupIds = new Set((snapshot.NodeSnapshots ?? []).map(node => node.NodeGroupId).filter(id => id !== undefined));
  return snapshot.NumNodeGroups ?? (groupIds.size || 1);
}
