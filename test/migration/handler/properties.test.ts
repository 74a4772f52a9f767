import {
  MAX_SNAPSHOT_NAME_LENGTH,
  compareVersions,
  parseProperties,
  physicalResourceId,
  snapshotNameFor,
  targetIsClusterModeEnabled,
} from '../../../lib/migration/handler/properties';
import { LOGICAL_ID, STACK_ID } from './support';

const ids = { StackId: STACK_ID, LogicalResourceId: LOGICAL_ID };
const inPlace = { Strategy: 'IN_PLACE', SourceReplicationGroupId: 'orders', TargetEngineVersion: '8.0' };
const target = { ReplicationGroupId: 'orders-valkey', CacheNodeType: 'cache.r7g.large', NumCacheClusters: 2 };
const restore = {
  Strategy: 'SNAPSHOT_RESTORE',
  SourceReplicationGroupId: 'orders',
  TargetEngineVersion: '8.0',
  ExportBucketName: 'exports',
  TargetReplicationGroup: JSON.stringify(target),
};

describe('parseProperties', () => {
  test.each([
    [{ ...inPlace, Strategy: 'BLUE_GREEN' }, "Strategy must be one of IN_PLACE, SNAPSHOT_RESTORE, got 'BLUE_GREEN'"],
    [{ ...inPlace, SourceReplicationGroupId: '' }, 'SourceReplicationGroupId is required'],
    [{ ...inPlace, TargetEngineVersion: '8.0.0' }, "TargetEngineVersion must be written major.minor (e.g. 8.0), got '8.0.0'"],
    [{ ...inPlace, TargetEngineVersion: '7.1' }, "TargetEngineVersion must be at least Valkey 7.2, got '7.1'"],
    [{ ...inPlace, RetainSnapshot: 'yes' }, `RetainSnapshot must be 'true' or 'false', got "yes"`],
    [{ ...restore, ExportBucketName: undefined }, 'ExportBucketName is required'],
    [{ ...restore, TargetReplicationGroup: '{' }, 'TargetReplicationGroup must be a JSON object (CreateReplicationGroup input); it does not parse as JSON'],
    [{ ...restore, TargetReplicationGroup: undefined }, 'TargetReplicationGroup is required for SNAPSHOT_RESTORE and must be an object of CreateReplicationGroup input'],
    [{ ...restore, TargetReplicationGroup: JSON.stringify({ ...target, ReplicationGroupId: 'ORDERS' }) },
      'TargetReplicationGroup.ReplicationGroupId must differ from the source (orders): SNAPSHOT_RESTORE creates a new group'],
    [{ ...restore, TargetReplicationGroup: JSON.stringify({ ...target, SnapshotName: 's' }) },
      'TargetReplicationGroup.SnapshotName must not be set: the handler seeds the target from the exported snapshot'],
    [{ ...restore, TargetReplicationGroup: JSON.stringify({ ...target, AuthToken: 'x'.repeat(20) }) },
      'TargetReplicationGroup.AuthToken must not be set: custom resource properties are stored in plain text. Use UserGroupIds, or set the token on the target after the migration'],
    [{ ...restore, TargetReplicationGroup: JSON.stringify({ ...target, Engine: 'redis' }) },
      "TargetReplicationGroup.Engine must be valkey (or left out), got 'redis'"],
    [{ ...restore, TargetReplicationGroup: JSON.stringify({ ...target, EngineVersion: '8.1' }) },
      "TargetReplicationGroup.EngineVersion ('8.1') must equal TargetEngineVersion ('8.0') or be left out"],
    [{ ...restore, TargetReplicationGroup: { ...target, NumCacheClusters: 'two' } },
      'TargetReplicationGroup.NumCacheClusters must be a number, got "two"'],
    [{ ...restore, SnapshotName: 'Has_Upper' },
      `SnapshotName must be 1–${MAX_SNAPSHOT_NAME_LENGTH} lowercase letters, digits and single hyphens, starting with a letter, got 'Has_Upper'`],
  ])('rejects %j', (raw, message) => {
    expect(() => parseProperties(raw)).toThrow(expect.objectContaining({ code: 'INVALID_PROPERTIES', message }));
  });

  test('turns the strings CloudFormation delivers for an object target back into numbers and booleans', () => {
    const props = parseProperties({
      ...restore,
      TargetReplicationGroup: {
        ReplicationGroupId: 'orders-valkey', NumNodeGroups: '2', ReplicasPerNodeGroup: '1', AtRestEncryptionEnabled: 'true',
        NodeGroupConfiguration: [{ NodeGroupId: '0001', Slots: '0-8191', ReplicaCount: '1' }],
      },
    });
    expect(props.target).toEqual({
      ReplicationGroupId: 'orders-valkey',
      ReplicationGroupDescription: 'Valkey 8.0, migrated from orders',
      NumNodeGroups: 2,
      ReplicasPerNodeGroup: 1,
      AtRestEncryptionEnabled: true,
      NodeGroupConfiguration: [{ NodeGroupId: '0001', Slots: '0-8191', ReplicaCount: 1 }],
    });
    expect(props.retainSnapshot).toBe(true);
  });
});

describe('names', () => {
  test('the physical id is deterministic and changes only with what defines the migration', () => {
    const a = physicalResourceId(ids, parseProperties(restore));
    expect(a).toMatch(/^valkey-migration:snapshot-restore:orders:[0-9a-f]{16}$/);
    expect(physicalResourceId(ids, parseProperties({ ...restore, RetainSnapshot: 'false' }))).toBe(a);
    expect(physicalResourceId(ids, parseProperties({ ...restore, TargetEngineVersion: '8.1' }))).not.toBe(a);
    expect(physicalResourceId({ ...ids, LogicalResourceId: 'Other' }, parseProperties(restore))).not.toBe(a);
  });

  test('the snapshot name derives from the source and a hash, stays within 63 characters, and can be overridden', () => {
    const longSource = 'a'.repeat(40);
    const name = snapshotNameFor(ids, parseProperties({ ...restore, SourceReplicationGroupId: longSource }));
    expect(name).toMatch(/^a{40}-to-valkey-[0-9a-f]{8}$/);
    expect(name.length).toBeLessThanOrEqual(MAX_SNAPSHOT_NAME_LENGTH);
    expect(snapshotNameFor(ids, parseProperties({ ...restore, SnapshotName: 'my-export' }))).toBe('my-export');
  });

  test('versions compare numerically and cluster mode is read from the target input', () => {
    expect(compareVersions('5.0.6', '4.0.10')).toBeGreaterThan(0);
    expect(compareVersions('7.2', '7.2.4')).toBeLessThan(0);
    expect(targetIsClusterModeEnabled({ ReplicationGroupId: 'x', ReplicationGroupDescription: 'd', ClusterMode: 'enabled' })).toBe(true);
    expect(targetIsClusterModeEnabled({ ReplicationGroupId: 'x', ReplicationGroupDescription: 'd', NumCacheClusters: 2 })).toBe(false);
  });
});
