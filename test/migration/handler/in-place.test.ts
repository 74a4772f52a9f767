import {
  CacheCluster,
  CacheClusterNotFoundFault,
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  InvalidReplicationGroupStateFault,
  ModifyReplicationGroupCommand,
  ReplicationGroup,
  ReplicationGroupNotFoundFault,
} from '@aws-sdk/client-elasticache';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handleIsComplete, handleOnEvent } from '../../../lib/migration/handler/handler';
import { STALE_ENGINE_GRACE_SECONDS } from '../../../lib/migration/handler/in-place';
import { DOWNTIME_FAILOVER } from '../../../lib/migration/handler/preflight';
import { event, serviceError, testContext } from './support';

const elastiCache = new ElastiCacheClient({ region: 'us-east-1' });
const s3 = new S3Client({ region: 'us-east-1' });
const ec = mockClient(elastiCache);
const s3Mock = mockClient(s3);

const SOURCE = 'orders';
const props = { Strategy: 'IN_PLACE', SourceReplicationGroupId: SOURCE, TargetEngineVersion: '8.0', ValkeyParameterGroupName: 'orders-valkey8' };

function group(overrides: Partial<ReplicationGroup> = {}): ReplicationGroup {
  return {
    ReplicationGroupId: SOURCE,
    Status: 'available',
    Engine: 'redis',
    MemberClusters: ['orders-001', 'orders-002'],
    ClusterEnabled: false,
    DataTiering: 'disabled',
    NodeGroups: [{ NodeGroupId: '0001', PrimaryEndpoint: { Address: 'master.orders.abc123.use1.cache.amazonaws.com', Port: 6379 } }],
    ARN: `arn:aws:elasticache:us-east-1:123456789012:replicationgroup:${SOURCE}`,
    ...overrides,
  };
}

function member(overrides: Partial<CacheCluster> = {}): CacheCluster {
  return {
    CacheClusterId: 'orders-001',
    ReplicationGroupId: SOURCE,
    Engine: 'redis',
    EngineVersion: '7.1.0',
    CacheParameterGroup: { CacheParameterGroupName: 'orders-redis7', ParameterApplyStatus: 'in-sync' },
    ...overrides,
  };
}

/** `null`: no member cluster can be described. */
function given(rg: ReplicationGroup | undefined, cluster: CacheCluster | null = member()): void {
  if (rg === undefined) {
    ec.on(DescribeReplicationGroupsCommand).rejects(new ReplicationGroupNotFoundFault({ message: 'not found', $metadata: {} }));
  } else {
    ec.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [rg] });
  }
  if (cluster === null) {
    ec.on(DescribeCacheClustersCommand).rejects(new CacheClusterNotFoundFault({ message: 'not found', $metadata: {} }));
  } else {
    ec.on(DescribeCacheClustersCommand).resolves({ CacheClusters: [cluster] });
  }
}

let ctx: ReturnType<typeof testContext>;
beforeEach(() => {
  ec.reset();
  s3Mock.reset();
  ctx = testContext({ elastiCache, s3 });
});

const modifies = () => ec.commandCalls(ModifyReplicationGroupCommand);

describe('IN_PLACE onEvent', () => {
  test('one ModifyReplicationGroup with engine, version and the Valkey parameter group, applied immediately', async () => {
    given(group());
    ec.on(ModifyReplicationGroupCommand).resolves({ ReplicationGroup: group({ Status: 'modifying' }) });

    const response = await handleOnEvent(event('Create', props), ctx);

    expect(response.PhysicalResourceId).toMatch(/^valkey-migration:in-place:orders:[0-9a-f]{16}$/);
    expect(response.ExpectedDowntime).toBe('none');
    expect(response.MigrationRequestedAt).toEqual(expect.any(String));
    expect(modifies()).toHaveLength(1);
    expect(modifies()[0].args[0].input).toEqual({
      ReplicationGroupId: SOURCE,
      Engine: 'valkey',
      EngineVersion: '8.0',
      CacheParameterGroupName: 'orders-valkey8',
      ApplyImmediately: true,
    });
    expect(ctx.lines.map(line => line.step)).toEqual(['on-event', 'preflight', 'modify-requested']);
  });

  test('called twice, it modifies once: the retry finds the change under way', async () => {
    given(group());
    ec.on(ModifyReplicationGroupCommand).resolves({});
    const first = await handleOnEvent(event('Create', props), ctx);
    // The stale engine field: still redis, modifying, the member already pending the target version.
    given(group({ Status: 'modifying' }), member({ PendingModifiedValues: { EngineVersion: '8.0' } }));
    const second = await handleOnEvent(event('Create', props), ctx);

    expect(second.PhysicalResourceId).toBe(first.PhysicalResourceId);
    expect(modifies()).toHaveLength(1);
    expect(ctx.lines.find(line => line.step === 'preflight' && line.fields.action === 'in-progress')).toBeDefined();
  });

  test('a group already on Valkey at the target version is a successful no-op', async () => {
    given(group({ Engine: 'valkey' }), member({ Engine: 'valkey', EngineVersion: '8.0.1' }));
    const response = await handleOnEvent(event('Create', props), ctx);
    expect(modifies()).toHaveLength(0);
    expect(response.MigrationRequestedAt).toBeUndefined();
    const done = await handleIsComplete({ ...event('Create', props), ...response }, ctx);
    expect(done).toEqual({ IsComplete: true, Data: expect.objectContaining({ Engine: 'valkey', EngineVersion: '8.0.1' }) });
  });

  test('below Redis OSS 5.0.6 it proceeds and reports the failover', async () => {
    given(group(), member({ EngineVersion: '4.0.10', CacheParameterGroup: { CacheParameterGroupName: 'default.redis4.0' } }));
    ec.on(ModifyReplicationGroupCommand).resolves({});
    const response = await handleOnEvent(event('Create', { ...props, ValkeyParameterGroupName: undefined }), ctx);
    expect(response.ExpectedDowntime).toBe(DOWNTIME_FAILOVER);
    expect(modifies()[0].args[0].input).not.toHaveProperty('CacheParameterGroupName');
  });

  test('Throttling and InvalidReplicationGroupState are retried with backoff', async () => {
    given(group());
    ec.on(ModifyReplicationGroupCommand)
      .rejectsOnce(serviceError('Throttling', 'Rate exceeded'))
      .rejectsOnce(new InvalidReplicationGroupStateFault({ message: 'Replication group must be in available state', $metadata: {} }))
      .resolves({});
    await handleOnEvent(event('Create', props), ctx);
    expect(modifies()).toHaveLength(3);
    expect(ctx.sleeps).toEqual([500, 1000]);
    expect(ctx.lines.filter(line => line.step === 'retry').map(line => line.fields.error))
      .toEqual(['Throttling', 'InvalidReplicationGroupStateFault']);
  });

  test('gives up after six throttled attempts', async () => {
    given(group());
    ec.on(ModifyReplicationGroupCommand).rejects(serviceError('Throttling', 'Rate exceeded'));
    await expect(handleOnEvent(event('Create', props), ctx)).rejects.toThrow(
      'ModifyReplicationGroup orders still failed after 6 attempts: Throttling: Rate exceeded');
    expect(modifies()).toHaveLength(6);
  });

  test.each<[string, () => void, string, string]>([
    ['a missing source', () => given(undefined, null), 'SOURCE_NOT_FOUND',
      "Source replication group 'orders' was not found in this account and Region."],
    ['a single-node cache cluster', () => given(undefined, member({ CacheClusterId: SOURCE, ReplicationGroupId: undefined })), 'SOURCE_IS_SINGLE_NODE',
      "Source 'orders' is a single-node cache cluster, not a replication group. Make it a replication group first " +
      "(CreateReplicationGroup with PrimaryClusterId 'orders'), then migrate the replication group."],
    ['a node of a group', () => given(undefined, member({ CacheClusterId: SOURCE, ReplicationGroupId: 'parent' })), 'SOURCE_NOT_FOUND',
      "Source 'orders' is a node of replication group 'parent'; set SourceReplicationGroupId to the group."],
    ['a busy source', () => given(group({ Status: 'snapshotting' })), 'SOURCE_NOT_AVAILABLE',
      "Source 'orders' is 'snapshotting'; it must be 'available' before the migration starts. Wait for the current operation to finish, then deploy again."],
    ['a memcached source', () => given(group({ Engine: 'memcached' })), 'SOURCE_ENGINE',
      "Source 'orders' runs engine 'memcached'; only redis replication groups move to valkey."],
    ['a newer Valkey source', () => given(group({ Engine: 'valkey' }), member({ Engine: 'valkey', EngineVersion: '8.1.0' })), 'DOWNGRADE',
      "Source 'orders' already runs Valkey 8.1.0; TargetEngineVersion 8.0 would be a downgrade, which ElastiCache cannot do in place."],
    ['a Valkey source of unknown version', () => given(group({ Engine: 'valkey' }), null), 'DOWNGRADE',
      "Source 'orders' already runs valkey, but its engine version could not be read, so a downgrade to 8.0 cannot be ruled out."],
  ])('pre-flight refuses %s', async (_name, arrange, code, message) => {
    arrange();
    await expect(handleOnEvent(event('Create', props), ctx)).rejects.toThrow(expect.objectContaining({ code, message }));
    expect(modifies()).toHaveLength(0);
  });

  test('pre-flight asks for a Valkey parameter group when the source uses a custom one', async () => {
    given(group());
    await expect(handleOnEvent(event('Create', { ...props, ValkeyParameterGroupName: undefined }), ctx)).rejects.toThrow(
      expect.objectContaining({
        code: 'PARAMETER_GROUP_REQUIRED',
        message: "Source 'orders' uses the custom parameter group 'orders-redis7'; ElastiCache needs a Valkey parameter group with " +
          'the same static values in the same ModifyReplicationGroup call. Set ValkeyParameterGroupName.',
      }));
  });
});

describe('IN_PLACE isComplete', () => {
  const requestedAt = new Date('2026-11-25T12:00:00Z');
  const at = (seconds: number) => new Date(requestedAt.getTime() + seconds * 1000);
  const pollEvent = () => ({ ...event('Create', props), PhysicalResourceId: 'p', MigrationRequestedAt: requestedAt.toISOString(), ExpectedDowntime: 'none' });

  test('maps each state: modifying → stale engine while available → valkey modifying → valkey available', async () => {
    given(group({ Status: 'modifying' }));
    expect(await handleIsComplete(pollEvent(), ctx, at(30))).toEqual({ IsComplete: false });

    given(group({ Status: 'available', Engine: 'redis' }));
    expect(await handleIsComplete(pollEvent(), ctx, at(60))).toEqual({ IsComplete: false });
    expect(ctx.lines.at(-1)).toEqual({ step: 'waiting', fields: expect.objectContaining({ staleEngineField: true }) });

    given(group({ Status: 'modifying', Engine: 'valkey' }), member({ Engine: 'valkey', EngineVersion: '8.0.1' }));
    expect(await handleIsComplete(pollEvent(), ctx, at(600))).toEqual({ IsComplete: false });

    given(group({ Status: 'available', Engine: 'valkey' }), member({ Engine: 'valkey', EngineVersion: '8.0.1' }));
    expect(await handleIsComplete(pollEvent(), ctx, at(900))).toEqual({
      IsComplete: true,
      Data: {
        Strategy: 'IN_PLACE',
        TargetReplicationGroupId: SOURCE,
        EndpointAddress: 'master.orders.abc123.use1.cache.amazonaws.com',
        EndpointPort: '6379',
        Engine: 'valkey',
        EngineVersion: '8.0.1',
        SnapshotName: '',
        ExportedObjectKeys: '',
        ExpectedDowntime: 'none',
      },
    });
    expect(modifies()).toHaveLength(0);
  });

  test('the endpoint of a cluster-mode group is its configuration endpoint', async () => {
    given(group({ Engine: 'valkey', ClusterEnabled: true, ConfigurationEndpoint: { Address: 'clustercfg.orders.abc123.use1.cache.amazonaws.com', Port: 6379 } }),
      member({ Engine: 'valkey', EngineVersion: '8.0.1' }));
    const done = await handleIsComplete(pollEvent(), ctx, at(60));
    expect(done.Data?.EndpointAddress).toBe('clustercfg.orders.abc123.use1.cache.amazonaws.com');
  });

  test('still redis and available long after the request: the change was lost', async () => {
    given(group({ Status: 'available', Engine: 'redis' }));
    await expect(handleIsComplete(pollEvent(), ctx, at(STALE_ENGINE_GRACE_SECONDS + 60))).rejects.toThrow(expect.objectContaining({
      code: 'TARGET_FAILED',
      message: "Replication group 'orders' is available but still runs redis 7.1.0 960 s after the change to valkey 8.0 was requested; " +
        'the engine change did not take effect. Check the ElastiCache events of the group.',
    }));
  });

  test('throttled describes are retried inside the call', async () => {
    ec.on(DescribeReplicationGroupsCommand)
      .rejectsOnce(serviceError('Throttling'))
      .resolves({ ReplicationGroups: [group({ Status: 'modifying' })] });
    expect(await handleIsComplete(pollEvent(), ctx, at(30))).toEqual({ IsComplete: false });
    expect(ctx.sleeps).toHaveLength(1);
  });
});

describe('IN_PLACE Update and Delete', () => {
  test('an Update that changes nothing defining keeps the id and calls nothing that changes state', async () => {
    given(group({ Engine: 'valkey' }), member({ Engine: 'valkey', EngineVersion: '8.0.1' }));
    const created = await handleOnEvent(event('Create', props), ctx);
    ec.resetHistory();
    const update = event('Update', { ...props, RetainSnapshot: 'false' }, { PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: props });
    const updated = await handleOnEvent(update, ctx);
    expect(updated).toEqual({ PhysicalResourceId: created.PhysicalResourceId });
    expect(ec.calls()).toHaveLength(0);
    expect(await handleIsComplete({ ...update, ...updated }, ctx)).toEqual(expect.objectContaining({ IsComplete: true }));
  });

  test('an Update to a new version is a new migration with a new physical id', async () => {
    given(group({ Engine: 'valkey' }), member({ Engine: 'valkey', EngineVersion: '8.0.1' }));
    ec.on(ModifyReplicationGroupCommand).resolves({});
    const created = await handleOnEvent(event('Create', props), ctx);
    const updated = await handleOnEvent(
      event('Update', { ...props, TargetEngineVersion: '8.1' }, { PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: props }), ctx);
    expect(updated.PhysicalResourceId).not.toBe(created.PhysicalResourceId);
    expect(modifies()).toHaveLength(1);
    expect(modifies()[0].args[0].input).toMatchObject({ Engine: 'valkey', EngineVersion: '8.1' });
  });

  test('Delete keeps the physical id and changes nothing', async () => {
    const deleted = await handleOnEvent(event('Delete', props, { PhysicalResourceId: 'valkey-migration:in-place:orders:0123456789abcdef' }), ctx);
    expect(deleted).toEqual({ PhysicalResourceId: 'valkey-migration:in-place:orders:0123456789abcdef' });
    expect(ec.calls()).toHaveLength(0);
    expect(await handleIsComplete(event('Delete', props, { PhysicalResourceId: 'x' }), ctx)).toEqual({ IsComplete: true });
  });
});
