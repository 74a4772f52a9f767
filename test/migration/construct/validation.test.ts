/**
 * Synth-time pre-flight: every invalid input with its error code and exact message.
 */
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  CacheAuth,
  CacheConfigurationError,
  CacheEngine,
  CacheErrorCode,
  CutoverTarget,
  MigrationSource,
  MigrationStrategy,
  RedisOssEngineVersion,
  ReplicationGroup,
  Topology,
  ValkeyEngineVersion,
  ValkeyMigration,
  ValkeyMigrationProps,
} from '../../../lib';
import { migrationStack } from './support';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

type Build = (ctx: { stack: Stack; vpc: ec2.IVpc }) => ValkeyMigrationProps;

const redis71 = CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_7_1 });
const byId = (options = {}) => MigrationSource.fromReplicationGroupId('legacy', options);
const inPlace = (extra: Partial<ValkeyMigrationProps> = {}): Build => () => ({
  source: byId(), targetVersion: ValkeyEngineVersion.VER_8_1, strategy: MigrationStrategy.IN_PLACE, ...extra,
});
const bySnapshot = (extra: Partial<ValkeyMigrationProps> = {}, target: object = {}): Build => ({ vpc }) => ({
  source: byId(), targetVersion: ValkeyEngineVersion.VER_8_1, strategy: MigrationStrategy.SNAPSHOT_RESTORE,
  target: { vpc, ...target }, ...extra,
});

const cases: Array<[string, Build, CacheErrorCode, string]> = [
  ['a single-node cache cluster', ({ vpc }) => ({ ...bySnapshot()({ vpc } as never), source: MigrationSource.fromCacheClusterId('solo') }),
    'INVALID_MIGRATION_SOURCE',
    "source must be a replication group: a single-node cache cluster has to become one first (CreateReplicationGroup with PrimaryClusterId 'solo'), then migrate that replication group; received 'cache cluster solo'"],
  ['a downgrade', inPlace({ source: byId({ engine: CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 }) }) }),
    'MIGRATION_DOWNGRADE',
    "targetVersion must not be below the source's Valkey 8.2: ElastiCache cannot downgrade in place; received '8.1'"],
  ['a Valkey source for SNAPSHOT_RESTORE', bySnapshot({ source: byId({ engine: CacheEngine.valkey({ version: ValkeyEngineVersion.VER_7_2 }) }) }),
    'INVALID_MIGRATION_SOURCE',
    "source must run Redis OSS for SNAPSHOT_RESTORE (a Valkey source restores from its own ElastiCache snapshot; use IN_PLACE to upgrade it); received 'Valkey 7.2'"],
  ['a data-tiering source for SNAPSHOT_RESTORE', bySnapshot({ source: byId({ dataTiering: true }) }),
    'MIGRATION_NOT_EXPORTABLE',
    "source must not use data tiering for SNAPSHOT_RESTORE: ElastiCache cannot export its backups to S3 (use IN_PLACE); received 'data tiering enabled'"],
  ['a cluster-mode source with a cluster-mode-disabled target', bySnapshot({ source: byId({ clusterMode: true }) }),
    'MIGRATION_CLUSTER_MODE_MISMATCH',
    "target.topology must be sharded (cluster mode enabled) like the source: a cluster-mode-enabled .rdb cannot seed a cluster-mode-disabled group; received 'cluster mode disabled'"],
  ['SNAPSHOT_RESTORE without a target', ({ vpc }) => ({ ...bySnapshot()({ vpc } as never), target: undefined }),
    'INVALID_MIGRATION_PROPS',
    'target is required by strategy SNAPSHOT_RESTORE; received undefined'],
  ['IN_PLACE with a target', ({ vpc }) => ({ ...inPlace()({ vpc } as never), target: { vpc } }),
    'INVALID_MIGRATION_PROPS',
    "target is not used by strategy IN_PLACE; received 'an object with vpc'"],
  ['IN_PLACE with retainSnapshot', inPlace({ retainSnapshot: false }),
    'INVALID_MIGRATION_PROPS',
    'retainSnapshot is not used by strategy IN_PLACE; received false'],
  ['SNAPSHOT_RESTORE with sourceParameters', bySnapshot({ sourceParameters: { timeout: '0' } }),
    'INVALID_MIGRATION_PROPS',
    'sourceParameters is not used by strategy SNAPSHOT_RESTORE; received {"timeout":"0"}'],
  ['sourceParameters and valkeyParameterGroupName together', inPlace({ source: byId({ clusterMode: false }), sourceParameters: { timeout: '0' }, valkeyParameterGroupName: 'pg' }),
    'CONFLICTING_PROPS',
    'sourceParameters cannot be given together with valkeyParameterGroupName; received {"timeout":"0"}'],
  ['a custom source parameter group without its values', inPlace({ source: byId({ parameterGroupName: 'legacy-redis7' }) }),
    'MIGRATION_PARAMETER_GROUP_REQUIRED',
    "sourceParameters is required (or valkeyParameterGroupName) when the source uses a custom parameter group: ElastiCache needs a Valkey parameter group with the same static values in the same ModifyReplicationGroup call; received 'parameter group legacy-redis7'"],
  ['sourceParameters without the source\'s cluster mode', inPlace({ sourceParameters: { timeout: '0' } }),
    'INVALID_MIGRATION_PROPS',
    'source clusterMode must be given with sourceParameters: the Valkey parameter group needs cluster-enabled to match the source; received undefined'],
  ['a target with the source\'s id', bySnapshot({}, { replicationGroupId: 'LEGACY' }),
    'INVALID_MIGRATION_TARGET',
    "target.replicationGroupId must differ from the source's id: SNAPSHOT_RESTORE creates a new replication group beside the source; received 'LEGACY'"],
  ['a target without an id when the source id is a token', ({ stack, vpc }) => ({
    ...bySnapshot()({ stack, vpc }),
    source: MigrationSource.fromReplicationGroup(new ReplicationGroup(stack, 'Cache', { engine: redis71, vpc })),
  }), 'INVALID_MIGRATION_TARGET',
  "target.replicationGroupId is required when the source's id is not a literal (it is derived as <source>-valkey otherwise); received undefined"],
  ['target log delivery', bySnapshot({}, { slowLog: {} }),
    'INVALID_MIGRATION_TARGET',
    'target.slowLog is not set by the migration: turn log delivery on after it with ModifyReplicationGroup; received {}'],
  ['a snapshot name ElastiCache would refuse', bySnapshot({ snapshotName: 'Legacy_Export' }),
    'INVALID_MIGRATION_PROPS',
    "snapshotName must be 1-63 lowercase letters, digits and single hyphens, starting with a letter (it prefixes the exported .rdb objects); received 'Legacy_Export'"],
  ['cutover to the source without its endpoint', ({ stack, vpc }) => ({
    ...bySnapshot()({ stack, vpc }),
    cutover: { zone: new route53.PrivateHostedZone(stack, 'Zone', { zoneName: 'cache.internal', vpc }), recordName: 'c', pointTo: CutoverTarget.SOURCE },
  }), 'INVALID_MIGRATION_PROPS',
  "cutover.pointTo can be CutoverTarget.SOURCE only when the source's endpoint is known: give endpointAddress in the source options; received 'SOURCE'"],
  ['a target the ReplicationGroup validation refuses', bySnapshot({}, { topology: Topology.primaryWithReplicas({ replicas: 0 }), multiAz: true }),
    'INVALID_MULTI_AZ',
    'multiAz can only be true when the topology has at least one replica; received true'],
  ['a target token without TLS', bySnapshot({}, { transitEncryption: false, auth: CacheAuth.token() }),
    'TRANSIT_ENCRYPTION_REQUIRED',
    'transitEncryption must be true when auth uses an AUTH token (ElastiCache accepts AuthToken only with transit encryption; pass auth: CacheAuth.none() to run without both); received false'],
];

test.each(cases)('%s', (_name, build, code, message) => {
  const { stack, vpc } = migrationStack();
  let error: unknown;
  try {
    new ValkeyMigration(stack, 'Migration', build({ stack, vpc }));
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CacheConfigurationError);
  expect({ code: (error as CacheConfigurationError).code, message: (error as Error).message }).toEqual({ code, message });
});

test('a Valkey target below 7.2 cannot even be expressed', () => {
  expect(() => ValkeyEngineVersion.of('7.1')).toThrow(expect.objectContaining({
    code: 'INVALID_ENGINE_VERSION',
    message: "ValkeyEngineVersion.of(version) must be 7.2 or later: ElastiCache offers no Valkey version below 7.2 (7.1 and earlier are Redis OSS versions); received '7.1'",
  }));
});

test('valid inputs of both strategies synthesize', () => {
  const app = new App();
  const stack = new Stack(app, 'S');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'c', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  new ValkeyMigration(stack, 'A', inPlace()({ stack, vpc }));
  new ValkeyMigration(stack, 'B', bySnapshot()({ stack, vpc }));
  expect(() => app.synth()).not.toThrow();
});
