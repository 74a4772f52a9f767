import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CacheConfigurationError, CacheErrorCode } from '../../lib/errors';
import {
  CacheAuth,
  CacheEngine,
  RedisOssEngineVersion,
  ReplicationGroup,
  ReplicationGroupProps,
  Topology,
  ValkeyEngineVersion,
} from '../../lib/elasticache';
import { redis62, redis71, stackWithVpc, valkey82, valkey90 } from './support';

const redis60 = () => CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_6_0 });
const redis506 = () => CacheEngine.redisOss({ version: RedisOssEngineVersion.of('5.0.6') });
const twoRdbFiles = ['arn:aws:s3:::my-bucket/export-0001.rdb', 'arn:aws:s3:::my-bucket/export-0002.rdb'];
const durableBase = () => ({
  engine: valkey90,
  nodeType: 'cache.r7g.large',
  topology: Topology.sharded({ shards: 2, replicasPerShard: 1 }),
});

/**
 * Invalid prop combinations, each with its code and exact message. The props are built inside a
 * function because some factories (Topology, engine versions) throw as soon as they are called.
 */
const INVALID: Array<[string, (stack: Stack) => Partial<ReplicationGroupProps>, CacheErrorCode, string]> = [
  [
    'Valkey 7.1 (not a Valkey version)',
    () => ({ engine: CacheEngine.valkey({ version: ValkeyEngineVersion.of('7.1') }) }),
    'INVALID_ENGINE_VERSION',
    "ValkeyEngineVersion.of(version) must be 7.2 or later: ElastiCache offers no Valkey version below 7.2 (7.1 and earlier are Redis OSS versions); received '7.1'",
  ],
  [
    'Valkey written major.minor.patch',
    () => ({ engine: CacheEngine.valkey({ version: ValkeyEngineVersion.of('9.0.0') }) }),
    'INVALID_ENGINE_VERSION',
    "ValkeyEngineVersion.of(version) must be written major.minor (ElastiCache rejects major.minor.patch for Valkey, e.g. 9.0 not 9.0.0); received '9.0.0'",
  ],
  [
    'Redis OSS 7.2 (ElastiCache stops at 7.1)',
    () => ({ engine: CacheEngine.redisOss({ version: RedisOssEngineVersion.of('7.2') }) }),
    'INVALID_ENGINE_VERSION',
    "RedisOssEngineVersion.of(version) must be at most 7.1: ElastiCache offers no later Redis OSS version (use ValkeyEngineVersion instead); received '7.2'",
  ],
  [
    'seven nodes in cluster mode disabled',
    () => ({ topology: Topology.primaryWithReplicas({ replicas: 6 }) }),
    'INVALID_NUM_CACHE_CLUSTERS',
    'topology.replicas must be an integer between 0 and 5 for cluster mode disabled (a primary plus at most 5 replicas); received 6',
  ],
  [
    'six replicas per shard',
    () => ({ topology: Topology.sharded({ shards: 2, replicasPerShard: 6 }) }),
    'INVALID_REPLICAS_PER_SHARD',
    'topology.replicasPerShard must be an integer between 0 and 5 for cluster mode enabled; received 6',
  ],
  [
    '501 shards',
    () => ({ topology: Topology.sharded({ shards: 501, replicasPerShard: 0 }) }),
    'INVALID_NUM_SHARDS',
    'topology.shards must be an integer between 1 and 500 for cluster mode enabled; received 501',
  ],
  [
    '300 shards below Redis OSS 5.0.6',
    () => ({
      engine: CacheEngine.redisOss({ version: RedisOssEngineVersion.of('4.0.10') }),
      topology: Topology.sharded({ shards: 300, replicasPerShard: 0 }),
    }),
    'INVALID_NUM_SHARDS',
    'topology.shards must be at most 250 for Redis OSS 4.0.10; received 300',
  ],
  [
    'Multi-AZ on a single node',
    () => ({ topology: Topology.singleNode(), multiAz: true }),
    'INVALID_MULTI_AZ',
    'multiAz can only be true when the topology has at least one replica; received true',
  ],
  [
    'automatic failover on 0-replica shards',
    () => ({ topology: Topology.sharded({ shards: 3, replicasPerShard: 0 }), automaticFailover: true }),
    'INVALID_MULTI_AZ',
    'automaticFailover can only be true when every shard has at least one replica (topology.replicasPerShard >= 1); received true',
  ],
  [
    'Multi-AZ without automatic failover',
    () => ({ multiAz: true, automaticFailover: false }),
    'INVALID_MULTI_AZ',
    'automaticFailover must be true when multiAz is true (Multi-AZ fails over automatically); received false',
  ],
  [
    'durability on Redis OSS 7.1',
    () => ({ ...durableBase(), engine: redis71, durability: 'sync' }),
    'INVALID_DURABILITY',
    "durability needs Valkey 9.0 or later; engine is Redis OSS 7.1; received 'sync'",
  ],
  [
    'durability with cluster mode disabled',
    () => ({ ...durableBase(), topology: Topology.primaryWithReplicas({ replicas: 2 }), durability: 'sync' }),
    'INVALID_DURABILITY',
    "durability needs a sharded topology (ElastiCache has no durability for cluster mode disabled); received 'sync'",
  ],
  [
    'durability without replicas',
    () => ({ ...durableBase(), topology: Topology.sharded({ shards: 2, replicasPerShard: 0 }), durability: 'async' }),
    'INVALID_DURABILITY',
    "durability needs multiAz with at least one replica per shard; received 'async'",
  ],
  [
    'durability on t4g',
    () => ({ ...durableBase(), nodeType: 'cache.t4g.medium', durability: 'sync' }),
    'INVALID_DURABILITY',
    "durability needs a node type of family r6g, r7g, r8g, m6g, m7g, m8g, c7gn, c8gn (nodeType is cache.t4g.*); received 'sync'",
  ],
  [
    'durability without transit encryption',
    () => ({ ...durableBase(), transitEncryption: false, auth: CacheAuth.none(), durability: 'async' }),
    'INVALID_DURABILITY',
    "durability needs transitEncryption and atRestEncryption; received 'async'",
  ],
  [
    'data tiering on r7g',
    () => ({ nodeType: 'cache.r7g.large', dataTiering: true }),
    'INVALID_DATA_TIERING',
    'dataTiering can only be true on r6gd node types (nodeType is cache.r7g.*); received true',
  ],
  [
    'r6gd without data tiering',
    () => ({ nodeType: 'cache.r6gd.xlarge', dataTiering: false }),
    'INVALID_DATA_TIERING',
    'dataTiering must be true on r6gd node types (ElastiCache requires data tiering on r6gd); received false',
  ],
  [
    'data tiering on Redis OSS 6.0',
    () => ({ engine: redis60(), nodeType: 'cache.r6gd.xlarge' }),
    'INVALID_DATA_TIERING',
    'dataTiering needs Valkey or Redis OSS 6.2 or later; engine is Redis OSS 6.0; received true',
  ],
  [
    'a valkey user group on a Redis OSS cache',
    () => ({ engine: redis71, auth: CacheAuth.userGroup({ userGroupId: 'app-users', engine: 'valkey' }) }),
    'INVALID_USER_GROUP',
    "auth.engine must be one of redis for a Redis OSS cache (Valkey caches accept valkey and redis user groups, Redis OSS caches only redis user groups); received 'valkey'",
  ],
  [
    'a user group below Redis OSS 6.0',
    () => ({ engine: redis506(), auth: CacheAuth.userGroup({ userGroupId: 'app-users', engine: 'redis' }) }),
    'INVALID_USER_GROUP',
    "auth can only be a user group on Valkey or Redis OSS 6.0 or later (RBAC); engine is Redis OSS; received '5.0.6'",
  ],
  [
    'a user group without transit encryption',
    () => ({ transitEncryption: false, auth: CacheAuth.userGroup({ userGroupId: 'app-users', engine: 'valkey' }) }),
    'TRANSIT_ENCRYPTION_REQUIRED',
    'transitEncryption must be true when auth is a user group (RBAC requires transit encryption); received false',
  ],
  [
    'transit encryption off with AUTH on',
    () => ({ transitEncryption: false }),
    'TRANSIT_ENCRYPTION_REQUIRED',
    'transitEncryption must be true when auth uses an AUTH token (ElastiCache accepts AuthToken only with transit encryption; ' +
      'pass auth: CacheAuth.none() to run without both); received false',
  ],
  [
    'an AUTH token of 8 characters',
    () => ({ auth: CacheAuth.token({ length: 8 }) }),
    'INVALID_AUTH_TOKEN',
    'CacheAuth.token({ length }) must be an integer between 16 and 128 (ElastiCache AUTH token length); received 8',
  ],
  [
    'preferred TLS on Redis OSS 6.2',
    () => ({ engine: redis62, transitEncryptionMode: 'preferred' }),
    'INVALID_TRANSIT_ENCRYPTION',
    "transitEncryptionMode needs Valkey or Redis OSS 7.0 or later (Redis OSS 6.2 has transit encryption on or off only); received 'preferred'",
  ],
  [
    'a TLS mode with TLS off',
    () => ({ transitEncryption: false, auth: CacheAuth.none(), transitEncryptionMode: 'required' }),
    'INVALID_TRANSIT_ENCRYPTION',
    "transitEncryptionMode can only be set when transitEncryption is true; received 'required'",
  ],
  [
    'a KMS key without encryption at rest',
    (stack) => ({ atRestEncryption: false, encryptionKey: new kms.Key(stack, 'Key') }),
    'AT_REST_ENCRYPTION_REQUIRED',
    'atRestEncryption must be true when encryptionKey is given; received false',
  ],
  [
    'a cluster-mode .rdb restore without slots',
    () => ({ topology: Topology.sharded({ shards: 2 }), snapshotArns: twoRdbFiles }),
    'INVALID_SLOTS',
    'topology.slots must be given when seeding a sharded topology (cluster mode enabled) from snapshotArns: one slot range per shard, ' +
      'matching the shards the .rdb files were exported from (Topology.evenSlots(n) for an even split); received undefined',
  ],
  [
    'slots leaving a gap',
    () => ({ topology: Topology.sharded({ shards: 2, slots: ['0-8000', '8192-16383'] }) }),
    'INVALID_SLOTS',
    'topology.slots must cover every slot 0-16383 (slots 8001-8191 are unassigned); received ["0-8000","8192-16383"]',
  ],
  [
    'slots overlapping',
    () => ({ topology: Topology.sharded({ shards: 2, slots: ['0-8191', '8000-16383'] }) }),
    'INVALID_SLOTS',
    'topology.slots must not overlap (slot 8000 of shard 1 is already assigned); received ["0-8191","8000-16383"]',
  ],
  [
    'slots short of 16383',
    () => ({ topology: Topology.sharded({ shards: 1, slots: ['0-16000'] }) }),
    'INVALID_SLOTS',
    'topology.slots must cover every slot 0-16383 (slots 16001-16383 are unassigned); received ["0-16000"]',
  ],
  [
    'a slot beyond 16383',
    () => ({ topology: Topology.sharded({ shards: 2, slots: ['0-8191', '8192-16384'] }) }),
    'INVALID_SLOTS',
    "topology.slots[1] must be comma-separated slots or ranges a-b within 0-16383 (e.g. 0-8191); received '8192-16384'",
  ],
  [
    'two slot ranges for three shards',
    () => ({ topology: Topology.sharded({ shards: 3, slots: ['0-8191', '8192-16383'] }) }),
    'INVALID_SLOTS',
    'topology.slots must have one entry per shard (3); received ["0-8191","8192-16383"]',
  ],
  [
    'two .rdb files for cluster mode disabled',
    () => ({ snapshotArns: twoRdbFiles }),
    'INVALID_SNAPSHOT_ARN',
    'snapshotArns must hold exactly one .rdb file for cluster mode disabled (a multi-file, cluster-mode-enabled export cannot seed it); ' +
      'received ["arn:aws:s3:::my-bucket/export-0001.rdb","arn:aws:s3:::my-bucket/export-0002.rdb"]',
  ],
  [
    'a snapshot ARN that is not an S3 object',
    () => ({ snapshotArns: ['arn:aws:elasticache:us-east-1:123456789012:snapshot:nightly'] }),
    'INVALID_SNAPSHOT_ARN',
    "snapshotArns[0] must be the S3 object ARN of an .rdb file, arn:aws:s3:::bucket/key.rdb, with no comma in the key; " +
      "received 'arn:aws:elasticache:us-east-1:123456789012:snapshot:nightly'",
  ],
  [
    'a comma in the .rdb key',
    () => ({ snapshotArns: ['arn:aws:s3:::my-bucket/a,b.rdb'] }),
    'INVALID_SNAPSHOT_ARN',
    "snapshotArns[0] must be the S3 object ARN of an .rdb file, arn:aws:s3:::bucket/key.rdb, with no comma in the key; received 'arn:aws:s3:::my-bucket/a,b.rdb'",
  ],
  [
    'a snapshot name and snapshot ARNs',
    () => ({ snapshotName: 'nightly', snapshotArns: ['arn:aws:s3:::my-bucket/export-0001.rdb'] }),
    'CONFLICTING_PROPS',
    'snapshotArns cannot be given together with snapshotName (restore from one source); received ["arn:aws:s3:::my-bucket/export-0001.rdb"]',
  ],
  [
    'snapshot retention of 36 days',
    () => ({ snapshotRetentionDays: 36 }),
    'INVALID_SNAPSHOT_RETENTION',
    'snapshotRetentionDays must be an integer between 0 and 35 (0 turns automatic backups off); received 36',
  ],
  [
    'a snapshot window without leading zeros',
    () => ({ snapshotWindow: '3:00-4:00' }),
    'INVALID_SNAPSHOT_WINDOW',
    "snapshotWindow must be hh24:mi-hh24:mi in UTC, e.g. 05:00-06:00; received '3:00-4:00'",
  ],
  [
    'a 30-minute snapshot window',
    () => ({ snapshotWindow: '03:00-03:30' }),
    'INVALID_SNAPSHOT_WINDOW',
    "snapshotWindow must be at least 60 minutes long; received '03:00-03:30'",
  ],
  [
    'a maintenance window with long day names',
    () => ({ preferredMaintenanceWindow: 'sunday:05:00-sunday:06:00' }),
    'INVALID_MAINTENANCE_WINDOW',
    'preferredMaintenanceWindow must be ddd:hh24:mi-ddd:hh24:mi in UTC with ddd one of sun, mon, tue, wed, thu, fri, sat, ' +
      "e.g. sun:23:00-mon:01:30; received 'sunday:05:00-sunday:06:00'",
  ],
  [
    'a 30-minute maintenance window',
    () => ({ preferredMaintenanceWindow: 'sun:05:00-sun:05:30' }),
    'INVALID_MAINTENANCE_WINDOW',
    "preferredMaintenanceWindow must be at least 60 minutes long; received 'sun:05:00-sun:05:30'",
  ],
  [
    'a snapshot window overlapping maintenance',
    () => ({ snapshotWindow: '05:00-06:00', preferredMaintenanceWindow: 'sun:05:30-sun:07:00' }),
    'OVERLAPPING_WINDOWS',
    "snapshotWindow must not overlap preferredMaintenanceWindow; received '05:00-06:00'",
  ],
  [
    'a node type without the cache. prefix',
    () => ({ nodeType: 'r7g.large' }),
    'INVALID_NODE_TYPE',
    "nodeType must be cache.<family>.<size>, e.g. cache.r7g.large; received 'r7g.large'",
  ],
  [
    'a replication group id starting with a digit',
    () => ({ replicationGroupId: '1cache' }),
    'INVALID_REPLICATION_GROUP_ID',
    "replicationGroupId must start with a letter; received '1cache'",
  ],
  [
    'a replication group id with two hyphens',
    () => ({ replicationGroupId: 'my--cache' }),
    'INVALID_REPLICATION_GROUP_ID',
    "replicationGroupId must not contain two consecutive hyphens; received 'my--cache'",
  ],
  [
    'a replication group id ending with a hyphen',
    () => ({ replicationGroupId: 'cache-' }),
    'INVALID_REPLICATION_GROUP_ID',
    "replicationGroupId must not end with a hyphen; received 'cache-'",
  ],
  [
    'a replication group id of 41 characters',
    () => ({ replicationGroupId: 'a'.repeat(41) }),
    'INVALID_REPLICATION_GROUP_ID',
    `replicationGroupId must be 1 to 40 characters long; received '${'a'.repeat(41)}'`,
  ],
  [
    'a replication group id with an underscore',
    () => ({ replicationGroupId: 'my_cache' }),
    'INVALID_REPLICATION_GROUP_ID',
    "replicationGroupId must contain only letters, digits and hyphens; received 'my_cache'",
  ],
  [
    'port 70000',
    () => ({ port: 70000 }),
    'INVALID_PORT',
    'port must be an integer between 1 and 65535; received 70000',
  ],
  [
    'parameters and a parameter group name',
    () => ({ parameters: { 'maxmemory-policy': 'allkeys-lru' }, parameterGroupName: 'mine' }),
    'CONFLICTING_PROPS',
    'parameters cannot be given together with parameterGroupName; received {"maxmemory-policy":"allkeys-lru"}',
  ],
  [
    'cluster-enabled no on a sharded topology',
    () => ({ topology: Topology.sharded({ shards: 2 }), parameters: { 'cluster-enabled': 'no' } }),
    'INVALID_PARAMETER_GROUP',
    "parameters['cluster-enabled'] must be 'yes' (or left out) for a sharded topology (cluster mode enabled); received 'no'",
  ],
  [
    'cluster-enabled yes with cluster mode disabled',
    () => ({ parameters: { 'cluster-enabled': 'yes' } }),
    'INVALID_PARAMETER_GROUP',
    "parameters['cluster-enabled'] must be 'no' (or left out) for cluster mode disabled; received 'yes'",
  ],
  [
    'a default parameter group of the previous major version',
    () => ({ engine: valkey82, parameterGroupName: 'default.valkey7' }),
    'INVALID_PARAMETER_GROUP',
    "parameterGroupName must be 'default.valkey8' when naming a default parameter group for Valkey 8.2 without cluster mode " +
      "(family valkey8); received 'default.valkey7'",
  ],
  [
    'IPv6 on Redis OSS 6.0',
    () => ({ engine: redis60(), networkType: 'dual_stack' }),
    'INVALID_NETWORK_TYPE',
    "networkType can only use IPv6 on Valkey 7.2+ or Redis OSS 6.2-7.1; engine is Redis OSS 6.0; received 'dual_stack'",
  ],
  [
    'IPv6 on a Xen node type',
    () => ({ nodeType: 'cache.m4.large', networkType: 'ipv6' }),
    'INVALID_NETWORK_TYPE',
    "networkType can only use IPv6 on node types built on the Nitro system (nodeType is cache.m4.*); received 'ipv6'",
  ],
  [
    'IPv6 discovery on an IPv4 network',
    () => ({ ipDiscovery: 'ipv6' }),
    'INVALID_NETWORK_TYPE',
    "ipDiscovery can only be 'ipv6' when networkType is 'ipv6' or 'dual_stack'; received 'ipv6'",
  ],
  [
    'engine log on Redis OSS 6.0',
    () => ({ engine: redis60(), engineLog: {} }),
    'INVALID_LOG_DELIVERY',
    "engineLog needs Valkey or Redis OSS 6.2 or later; received 'Redis OSS 6.0'",
  ],
  [
    'a log retention for a given log group',
    (stack) => ({ slowLog: { logGroup: new logs.LogGroup(stack, 'Logs'), retention: logs.RetentionDays.ONE_DAY } }),
    'CONFLICTING_PROPS',
    'slowLog.retention cannot be given together with slowLog.logGroup (set the retention on that log group); received 1',
  ],
  [
    'automatic minor upgrades on Redis OSS 5.0.6',
    () => ({ engine: redis506(), autoMinorVersionUpgrade: true }),
    'INVALID_AUTO_MINOR_VERSION_UPGRADE',
    'autoMinorVersionUpgrade can only be true on Valkey or Redis OSS 6.0 or later; engine is Redis OSS 5.0.6; received true',
  ],
  [
    'subnets and a subnet group',
    (stack) => ({
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      subnetGroup: elasticache.CfnSubnetGroup.fromCacheSubnetGroupName(stack, 'Sng', 'mine'),
    }),
    'CONFLICTING_PROPS',
    'vpcSubnets cannot be given together with subnetGroup; received {"subnetType":"Public"}',
  ],
  [
    'an empty subnet selection',
    () => ({ vpcSubnets: { subnets: [] } }),
    'INVALID_SUBNET_SELECTION',
    'vpcSubnets must select at least one subnet of vpc; received {"subnets":[]}',
  ],
];

describe('invalid props', () => {
  test('the table is large enough', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(30);
  });

  test.each(INVALID)('%s', (_name, props, code, message) => {
    const { stack, vpc } = stackWithVpc();
    let caught: unknown;
    try {
      new ReplicationGroup(stack, 'Cache', { engine: valkey90, vpc, ...props(stack) });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CacheConfigurationError);
    expect((caught as CacheConfigurationError).message).toBe(message);
    expect((caught as CacheConfigurationError).code).toBe(code);
  });
});
