import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { ReplicationGroupProps } from '../elasticache/replication-group';
import { Topology } from '../elasticache/topology';

/**
 * Props of the Valkey replication group SNAPSHOT_RESTORE creates: the props of our
 * {@link ReplicationGroup}, rendered by the same code, without the ones the migration owns.
 *
 * - `engine` comes from `targetVersion`; the seed (`snapshotName`, `snapshotArns`) from the export.
 * - `slowLog` and `engineLog` are not offered: log delivery set up by the handler would need
 *   CloudWatch Logs delivery permissions on every resource (`logs:CreateLogDelivery` has no
 *   resource-level permissions). Turn it on after the migration with ModifyReplicationGroup.
 * - `removalPolicy` does not apply: CloudFormation does not own the target (the custom resource
 *   created it), so deleting the stack never deletes it.
 */
export type ValkeyMigrationTargetProps =
  Omit<ReplicationGroupProps, 'engine' | 'snapshotName' | 'snapshotArns' | 'slowLog' | 'engineLog' | 'removalPolicy'>;

/** Props of {@link ValkeyMigrationTargetProps} that the type leaves out, refused if passed anyway. */
export const TARGET_PROPS_NOT_TAKEN = ['engine', 'snapshotName', 'snapshotArns', 'slowLog', 'engineLog', 'removalPolicy'] as const;

/**
 * A sharded target seeded from .rdb files needs NodeGroupConfiguration with the slots of every
 * shard; when the topology gives none, the slots are spread evenly like ElastiCache does.
 */
export function withSlotsForSeeding(topology: Topology): Topology {
  if (!topology.clusterMode || topology.slots !== undefined) {
    return topology;
  }
  return Topology.sharded({
    shards: topology.shards,
    replicasPerShard: topology.replicasPerShard,
    slots: Topology.evenSlots(topology.shards),
  });
}

/** CloudFormation property names that differ from the API's beyond the first letter. */
const API_NAMES: Readonly<Record<string, string>> = {
  multiAzEnabled: 'MultiAZEnabled',
};

function apiName(key: string): string {
  return API_NAMES[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
}

function toApiShape(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(toApiShape);
  }
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== undefined) {
        out[apiName(key)] = toApiShape(inner);
      }
    }
    return out;
  }
  return value;
}

/**
 * Props the handler sets itself (engine, version, seed) or that must not travel in resource
 * properties (the AUTH token, a dynamic reference CloudFormation does not resolve in custom
 * resources, and which would be plain text there).
 */
const HANDLER_OWNED: ReadonlyArray<keyof elasticache.CfnReplicationGroupProps> = [
  'engine', 'engineVersion', 'authToken', 'snapshotName', 'snapshotArns', 'logDeliveryConfigurations',
];

/**
 * The CreateReplicationGroup input for the handler's TargetReplicationGroup property: the L1 props
 * ReplicationGroup renders, in the API's shape (the CloudFormation and API names agree but for
 * MultiAZEnabled's capitals), without what the handler owns.
 */
export function createReplicationGroupInput(cfnProps: elasticache.CfnReplicationGroupProps): Record<string, unknown> {
  const kept: Record<string, unknown> = { ...cfnProps };
  for (const key of HANDLER_OWNED) {
    delete kept[key];
  }
  return toApiShape(kept) as Record<string, unknown>;
}
