import {
  CacheClusterNotFoundFault,
  CopySnapshotCommand,
  CreateReplicationGroupCommand,
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  DescribeSnapshotsCommand,
  ElastiCacheClient,
  InvalidSnapshotStateFault,
  ListTagsForResourceCommand,
  ReplicationGroup,
  ReplicationGroupNotFoundFault,
  Snapshot,
  SnapshotNotFoundFault,
  SnapshotQuotaExceededFault,
} from '@aws-sdk/client-elasticache';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { MIGRATION_TAG_KEY } from '../../../lib/migration/handler/constants';
import { handleIsComplete, handleOnEvent } from '../../../lib/migration/handler/handler';
import { parseProperties, physicalResourceId, snapshotNameFor } from '../../../lib/migration/handler/properties';
import { LOGICAL_ID, STACK_ID, event, serviceError, testContext } from './support';

const elastiCache = new ElastiCacheClient({ region: 'us-east-1' });
const s3 = new S3Client({ region: 'us-east-1' });
const ec = mockClient(elastiCache);
const s3Mock = mockClient(s3);

const SOURCE = 'sessions';
const TARGET = 'sessions-valkey';
const BUCKET = 'exports-bucket';
const slots = [{ NodeGroupId: '0001', Slots: '0-8191', ReplicaCount: 1 }, { NodeGroupId: '0002', Slots: '8192-16383', ReplicaCount: 1 }];
const targetInput = {
  ReplicationGroupId: TARGET,
  ReplicationGroupDescription: 'sessions on valkey',
  CacheNodeType: 'cache.r7g.large',
  CacheParameterGroupName: 'default.valkey8.cluster.on',
  CacheSubnetGroupName: 'private',
  SecurityGroupIds: ['sg-0123456789abcdef0'],
  NumNodeGroups: 2,
  NodeGroupConfiguration: slots,
  AtRestEncryptionEnabled: true,
  TransitEncryptionEnabled: true,
};
const props = {
  Strategy: 'SNAPSHOT_RESTORE',
  SourceReplicationGroupId: SOURCE,
  TargetEngineVersion: '8.0',
  ExportBucketName: BUCKET,
  TargetReplicationGroup: JSON.stringify(targetInput),
};
const ids = { StackId: STACK_ID, LogicalResourceId: LOGICAL_ID };
const PHYSICAL_ID = physicalResourceId(ids, parseProperties(props));
const SNAPSHOT = snapshotNameFor(ids, parseProperties(props));
const KEYS = [`${SNAPSHOT}-0001.rdb`, `${SNAPSHOT}-0002.rdb`];

function sourceGroup(overrides: Partial<ReplicationGroup> = {}): ReplicationGroup {
  return {
    ReplicationGroupId: SOURCE,
    Status: 'available',
    Engine: 'redis',
    ClusterEnabled: true,
    ClusterMode: 'enabled',
    DataTiering: 'disabled',
    MemberClusters: ['sessions-0001-001'],
    NodeGroups: [{ NodeGroupId: '0001' }, { NodeGroupId: '0002' }],
    ARN: `arn:aws:elasticache:us-east-1:123456789012:replicationgroup:${SOURCE}`,
    ...overrides,
  };
}

function targetGroup(status: string): ReplicationGroup {
  return {
    ReplicationGroupId: TARGET,
    Status: status,
    Engine: 'valkey',
    ClusterEnabled: true,
    MemberClusters: ['sessions-valkey-0001-001'],
    ConfigurationEndpoint: { Address: 'clustercfg.sessions-valkey.abc123.use1.cache.amazonaws.com', Port: 6379 },
    ARN: `arn:aws:elasticache:us-east-1:123456789012:replicationgroup:${TARGET}`,
  };
}

function snapshot(status: string, overrides: Partial<Snapshot> = {}): Snapshot {
  return { SnapshotName: SNAPSHOT, ReplicationGroupId: SOURCE, SnapshotStatus: status, NumNodeGroups: 2, Engine: 'redis', EngineVersion: '7.1.0', ...overrides };
}

interface World {
  source?: ReplicationGroup;
  target?: ReplicationGroup;
  snapshot?: Snapshot;
  keys?: string[];
  targetOwner?: string;
}

/** Stubs the describe calls for one moment of the migration. */
function world(state: World): void {
  const notFound = { message: 'not found', $metadata: {} };
  ec.on(DescribeReplicationGroupsCommand, { ReplicationGroupId: SOURCE })
    .resolves({ ReplicationGroups: [state.source ?? sourceGroup()] });
  if (state.target === undefined) {
    ec.on(DescribeReplicationGroupsCommand, { ReplicationGroupId: TARGET }).rejects(new ReplicationGroupNotFoundFault(notFound));
  } else {
    ec.on(DescribeReplicationGroupsCommand, { ReplicationGroupId: TARGET }).resolves({ ReplicationGroups: [state.target] });
  }
  ec.on(DescribeCacheClustersCommand, { CacheClusterId: 'sessions-0001-001' })
    .resolves({ CacheClusters: [{ CacheClusterId: 'sessions-0001-001', Engine: 'redis', EngineVersion: '7.1.0' }] });
  ec.on(DescribeCacheClustersCommand, { CacheClusterId: 'sessions-valkey-0001-001' })
    .resolves({ CacheClusters: [{ CacheClusterId: 'sessions-valkey-0001-001', Engine: 'valkey', EngineVersion: '8.0.1' }] });
  ec.on(ListTagsForResourceCommand).resolves({
    TagList: state.targetOwner === undefined ? [] : [{ Key: MIGRATION_TAG_KEY, Value: state.targetOwner }],
  });
  if (state.snapshot === undefined) {
    ec.on(DescribeSnapshotsCommand).rejects(new SnapshotNotFoundFault(notFound));
  } else {
    ec.on(DescribeSnapshotsCommand).resolves({ Snapshots: [state.snapshot] });
  }
  s3Mock.on(ListObjectsV2Command).resolves({
    Contents: [...(state.keys ?? []), `${SNAPSHOT}-notes.txt`].map(Key => ({ Key })),
    IsTruncated: false,
  });
}

let ctx: ReturnType<typeof testContext>;
beforeEach(() => {
  ec.reset();
  s3Mock.reset();
  ctx = testContext({ elastiCache, s3 });
});

const created = () => ec.commandCalls(CreateSnapshotCommand);
const copied = () => ec.commandCalls(CopySnapshotCommand);
const restored = () => ec.commandCalls(CreateReplicationGroupCommand);
const poll = () => handleIsComplete({ ...event('Create', props), PhysicalResourceId: PHYSICAL_ID }, ctx);

describe('SNAPSHOT_RESTORE step machine', () => {
  test('snapshot → export → target, one step per call, each derived from what exists', async () => {
    world({});
    ec.on(CreateSnapshotCommand).resolves({ Snapshot: snapshot('creating') });
    expect(await handleOnEvent(event('Create', props), ctx)).toEqual({ PhysicalResourceId: PHYSICAL_ID });
    expect(created()).toHaveLength(1);
    expect(created()[0].args[0].input).toEqual({
      ReplicationGroupId: SOURCE,
      SnapshotName: SNAPSHOT,
      Tags: [{ Key: MIGRATION_TAG_KEY, Value: PHYSICAL_ID }],
    });

    world({ source: sourceGroup({ Status: 'snapshotting' }), snapshot: snapshot('creating') });
    expect(await poll()).toEqual({ IsComplete: false });

    world({ snapshot: snapshot('available') });
    ec.on(CopySnapshotCommand).resolves({ Snapshot: snapshot('exporting') });
    expect(await poll()).toEqual({ IsComplete: false });
    expect(copied()).toHaveLength(1);
    expect(copied()[0].args[0].input).toEqual({ SourceSnapshotName: SNAPSHOT, TargetSnapshotName: SNAPSHOT, TargetBucket: BUCKET });

    world({ snapshot: snapshot('exporting'), keys: [KEYS[0]] });
    expect(await poll()).toEqual({ IsComplete: false });

    world({ snapshot: snapshot('available'), keys: [KEYS[1], KEYS[0]] });
    ec.on(CreateReplicationGroupCommand).resolves({ ReplicationGroup: targetGroup('creating') });
    expect(await poll()).toEqual({ IsComplete: false });
    expect(restored()).toHaveLength(1);
    expect(restored()[0].args[0].input).toEqual({
      ...targetInput,
      Engine: 'valkey',
      EngineVersion: '8.0',
      SnapshotArns: KEYS.map(key => `arn:aws:s3:::${BUCKET}/${key}`),
      Tags: [{ Key: MIGRATION_TAG_KEY, Value: PHYSICAL_ID }],
    });

    world({ snapshot: snapshot('available'), keys: KEYS, target: targetGroup('creating'), targetOwner: PHYSICAL_ID });
    expect(await poll()).toEqual({ IsComplete: false });

    world({ snapshot: snapshot('available'), keys: KEYS, target: targetGroup('available'), targetOwner: PHYSICAL_ID });
    expect(await poll()).toEqual({
      IsComplete: true,
      Data: {
        Strategy: 'SNAPSHOT_RESTORE',
        TargetReplicationGroupId: TARGET,
        EndpointAddress: 'clustercfg.sessions-valkey.abc123.use1.cache.amazonaws.com',
        EndpointPort: '6379',
        Engine: 'valkey',
        EngineVersion: '8.0.1',
        SnapshotName: SNAPSHOT,
        ExportedObjectKeys: KEYS.join(','),
        ExpectedDowntime: 'none',
      },
    });
    expect([created().length, copied().length, restored().length]).toEqual([1, 1, 1]);
    expect(ec.commandCalls(DeleteSnapshotCommand)).toHaveLength(0);
    expect(ctx.lines.map(line => line.step)).toEqual(expect.arrayContaining(['snapshot-requested', 'export-requested', 'target-requested', 'complete']));
  });

  test('onEvent called twice takes one snapshot', async () => {
    world({});
    ec.on(CreateSnapshotCommand).resolves({});
    const first = await handleOnEvent(event('Create', props), ctx);
    world({ source: sourceGroup({ Status: 'snapshotting' }), snapshot: snapshot('creating') });
    const second = await handleOnEvent(event('Create', props), ctx);
    expect(second).toEqual(first);
    expect(created()).toHaveLength(1);
  });

  test('a snapshot that already exists when CreateSnapshot lands counts as taken', async () => {
    world({});
    ec.on(CreateSnapshotCommand).rejects(serviceError('SnapshotAlreadyExistsFault'));
    await expect(handleOnEvent(event('Create', props), ctx)).resolves.toEqual({ PhysicalResourceId: PHYSICAL_ID });
  });

  test('throttled CreateSnapshot is retried', async () => {
    world({});
    ec.on(CreateSnapshotCommand).rejectsOnce(serviceError('Throttling')).resolves({});
    await handleOnEvent(event('Create', props), ctx);
    expect(created()).toHaveLength(2);
    expect(ctx.sleeps).toEqual([500]);
  });

  test('the snapshot quota is not retried and says what to do', async () => {
    world({});
    ec.on(CreateSnapshotCommand).rejects(new SnapshotQuotaExceededFault({ message: 'quota', $metadata: {} }));
    await expect(handleOnEvent(event('Create', props), ctx)).rejects.toThrow(expect.objectContaining({
      code: 'SNAPSHOT_QUOTA',
      message: "ElastiCache refused the snapshot of 'sessions' (SnapshotQuotaExceededFault: at most 20 manual backups per node per day " +
        'and a per-Region snapshot quota). Delete manual snapshots you no longer need or wait a day, then deploy again.',
    }));
    expect(created()).toHaveLength(1);
  });

  test('an export already under way is waited for, not repeated', async () => {
    world({ snapshot: snapshot('available') });
    ec.on(CopySnapshotCommand).rejects(new InvalidSnapshotStateFault({ message: 'exporting', $metadata: {} }));
    expect(await poll()).toEqual({ IsComplete: false });
  });

  test('an export the bucket refuses fails with the bucket named', async () => {
    world({ snapshot: snapshot('available') });
    ec.on(CopySnapshotCommand).rejects(serviceError('InvalidParameterValue', 'The S3 bucket exports-bucket is not owned by the authenticated user.'));
    await expect(poll()).rejects.toThrow(expect.objectContaining({
      code: 'SNAPSHOT_FAILED',
      message: `Exporting snapshot '${SNAPSHOT}' to s3://${BUCKET} failed: InvalidParameterValue: The S3 bucket exports-bucket is not owned ` +
        'by the authenticated user.. The bucket must be in this Region and grant the <region>.elasticache-snapshot.amazonaws.com service principal access.',
    }));
  });

  test('a failed snapshot throws, naming the snapshot and its state', async () => {
    world({ snapshot: snapshot('failed') });
    await expect(poll()).rejects.toThrow(expect.objectContaining({
      code: 'SNAPSHOT_FAILED',
      message: `Snapshot '${SNAPSHOT}' of 'sessions' is 'failed'. The source is unchanged; delete the snapshot (if it is still there) and deploy again.`,
    }));
    expect(copied()).toHaveLength(0);
  });

  test.each(['restore-failed', 'create-failed'])('a %s target throws, naming the group and its state', async status => {
    world({ snapshot: snapshot('available'), keys: KEYS, target: targetGroup(status) });
    await expect(poll()).rejects.toThrow(expect.objectContaining({
      code: 'TARGET_FAILED',
      message: `Target replication group '${TARGET}' is '${status}'. The source 'sessions' is unchanged. An oversized .rdb, or more than ` +
        `one database for cluster mode, ends a restore this way: check the ElastiCache events, delete '${TARGET}' and deploy again.`,
    }));
  });

  test('describes that stay throttled give up with a clear error', async () => {
    world({});
    ec.on(DescribeReplicationGroupsCommand).rejects(serviceError('Throttling', 'Rate exceeded'));
    await expect(poll()).rejects.toThrow(
      `DescribeReplicationGroups ${TARGET} still failed after 6 attempts: Throttling: Rate exceeded`);
  });

  test('a target that exists and carries this migration\'s tag is resumed, not refused', async () => {
    world({ target: targetGroup('creating'), targetOwner: PHYSICAL_ID });
    await expect(handleOnEvent(event('Create', props), ctx)).resolves.toEqual({ PhysicalResourceId: PHYSICAL_ID });
    expect([created().length, restored().length]).toEqual([0, 0]);
  });
});

describe('SNAPSHOT_RESTORE pre-flight', () => {
  const clusterOff = JSON.stringify({ ReplicationGroupId: TARGET, CacheNodeType: 'cache.r7g.large', NumCacheClusters: 2 });
  test.each<[string, World, Record<string, string>, string, string]>([
    ['a data-tiering source', { source: sourceGroup({ DataTiering: 'enabled' }) }, {}, 'DATA_TIERING',
      "Source 'sessions' uses data tiering; ElastiCache cannot export its backups to S3, so SNAPSHOT_RESTORE is not possible. Use IN_PLACE instead."],
    ['a cluster-mode source into a cluster-mode-disabled target', {}, { TargetReplicationGroup: clusterOff }, 'CLUSTER_MODE_MISMATCH',
      "Source 'sessions' runs with cluster mode enabled; its .rdb files cannot seed the cluster-mode-disabled target 'sessions-valkey'. " +
      'Give the target cluster mode enabled, with NodeGroupConfiguration slots.'],
    ['a cluster-mode target without slots', {}, { TargetReplicationGroup: JSON.stringify({ ...targetInput, NodeGroupConfiguration: undefined }) },
      'INVALID_PROPERTIES',
      "Target 'sessions-valkey' has cluster mode enabled: seeding it from .rdb files needs TargetReplicationGroup.NodeGroupConfiguration with Slots for every shard."],
    ['a valkey source', { source: sourceGroup({ Engine: 'valkey' }) }, {}, 'SOURCE_ENGINE',
      "Source 'sessions' runs engine 'valkey'; SNAPSHOT_RESTORE copies a redis replication group into a new valkey one."],
    ['an existing target it did not create', { target: targetGroup('available') }, {}, 'TARGET_EXISTS',
      "Target replication group 'sessions-valkey' already exists and was not created by this migration. Choose another ReplicationGroupId for the target."],
    ['a target of another migration', { target: targetGroup('available'), targetOwner: 'valkey-migration:snapshot-restore:sessions:0000000000000000' }, {},
      'TARGET_EXISTS',
      "Target replication group 'sessions-valkey' already exists and was not created by this migration (it belongs to migration " +
      "'valkey-migration:snapshot-restore:sessions:0000000000000000'). Choose another ReplicationGroupId for the target."],
    ['a snapshot name taken by another cache', { snapshot: snapshot('available', { ReplicationGroupId: 'other' }) }, {}, 'SNAPSHOT_FOREIGN',
      `Snapshot '${SNAPSHOT}' already exists and was taken of 'other', not of 'sessions'. Choose another SnapshotName.`],
    ['a source that is not available', { source: sourceGroup({ Status: 'modifying' }) }, {}, 'SOURCE_NOT_AVAILABLE',
      "Source 'sessions' is 'modifying'; it must be 'available' before the migration starts. Wait for the current operation to finish, then deploy again."],
  ])('refuses %s', async (_name, state, overrides, code, message) => {
    world(state);
    await expect(handleOnEvent(event('Create', { ...props, ...overrides }), ctx)).rejects.toThrow(expect.objectContaining({ code, message }));
    expect([created().length, copied().length, restored().length]).toEqual([0, 0, 0]);
  });

  test('a cluster-mode-disabled source may seed a cluster-mode-disabled target', async () => {
    world({ source: sourceGroup({ ClusterEnabled: false, ClusterMode: 'disabled', NodeGroups: [{ NodeGroupId: '0001' }] }) });
    ec.on(CreateSnapshotCommand).resolves({});
    const clusterOffProps = { ...props, TargetReplicationGroup: clusterOff };
    await handleOnEvent(event('Create', clusterOffProps), ctx);
    expect(created()).toHaveLength(1);
  });

  test('a member cluster that cannot be described does not block the migration', async () => {
    world({});
    ec.on(DescribeCacheClustersCommand).rejects(new CacheClusterNotFoundFault({ message: 'not found', $metadata: {} }));
    ec.on(CreateSnapshotCommand).resolves({});
    await handleOnEvent(event('Create', props), ctx);
    expect(ctx.lines.find(line => line.step === 'preflight')?.fields.engineVersion).toBe('unknown');
  });
});

describe('SNAPSHOT_RESTORE Update and Delete', () => {
  test('Delete keeps the source, the target and the snapshot, and the physical id', async () => {
    world({ snapshot: snapshot('available'), keys: KEYS, target: targetGroup('available') });
    const answer = await handleOnEvent(event('Delete', props, { PhysicalResourceId: PHYSICAL_ID }), ctx);
    expect(answer).toEqual({ PhysicalResourceId: PHYSICAL_ID });
    expect(ec.calls().map(call => call.args[0].constructor.name).filter(name => !/^(Describe|List)/.test(name))).toEqual([]);
    expect(await handleIsComplete(event('Delete', props, { PhysicalResourceId: PHYSICAL_ID }), ctx)).toEqual({ IsComplete: true });
  });

  test("RetainSnapshot 'false' deletes the migration's snapshot and nothing else", async () => {
    world({ snapshot: snapshot('available'), keys: KEYS, target: targetGroup('available') });
    ec.on(DeleteSnapshotCommand).resolves({});
    const deleteProps = { ...props, RetainSnapshot: 'false' };
    await handleOnEvent(event('Delete', deleteProps, { PhysicalResourceId: PHYSICAL_ID }), ctx);
    expect(ec.commandCalls(DeleteSnapshotCommand).map(call => call.args[0].input)).toEqual([{ SnapshotName: SNAPSHOT }]);
    expect(ec.calls().map(call => call.args[0].constructor.name).filter(name => !/^(Describe|List)/.test(name))).toEqual(['DeleteSnapshotCommand']);
  });

  test("RetainSnapshot 'false' leaves a snapshot it cannot delete yet, rather than failing the stack", async () => {
    world({ snapshot: snapshot('exporting') });
    ec.on(DeleteSnapshotCommand).rejects(new InvalidSnapshotStateFault({ message: 'exporting', $metadata: {} }));
    const answer = await handleOnEvent(event('Delete', { ...props, RetainSnapshot: 'false' }, { PhysicalResourceId: PHYSICAL_ID }), ctx);
    expect(answer).toEqual({ PhysicalResourceId: PHYSICAL_ID });
    expect(ctx.lines.at(-1)?.fields).toMatchObject({ action: 'retained' });
  });

  test('Delete of another physical id (a replaced or failed resource) deletes nothing', async () => {
    world({ snapshot: snapshot('available') });
    await handleOnEvent(event('Delete', { ...props, RetainSnapshot: 'false' }, { PhysicalResourceId: 'some-request-id' }), ctx);
    expect(ec.commandCalls(DeleteSnapshotCommand)).toHaveLength(0);
  });

  test('Delete with properties that never validated succeeds without calls', async () => {
    const answer = await handleOnEvent(event('Delete', { Strategy: 'NOPE' }, { PhysicalResourceId: 'abc' }), ctx);
    expect(answer).toEqual({ PhysicalResourceId: 'abc' });
    expect(ec.calls()).toHaveLength(0);
  });

  test('an Update that only changes RetainSnapshot observes; it never re-creates a missing target', async () => {
    const update = event('Update', { ...props, RetainSnapshot: 'false' }, { PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: props });
    expect(await handleOnEvent(update, ctx)).toEqual({ PhysicalResourceId: PHYSICAL_ID });
    expect(ec.calls()).toHaveLength(0);

    world({ snapshot: snapshot('available'), keys: KEYS, target: targetGroup('available') });
    expect(await handleIsComplete(update, ctx)).toMatchObject({ IsComplete: true, Data: { TargetReplicationGroupId: TARGET } });

    world({ snapshot: snapshot('available'), keys: KEYS });
    await expect(handleIsComplete(update, ctx)).rejects.toThrow(expect.objectContaining({ code: 'TARGET_MISSING' }));
    expect(restored()).toHaveLength(0);
  });
});
