/**
 * Example stacks of the Redis OSS → Valkey migration, one per strategy:
 *
 * - MigrateInPlace: an existing Redis OSS 6.2 group, `legacy-sessions`, changed to Valkey 8.1 in
 *   place, with a Valkey parameter group carrying its custom parameters.
 * - MigrateBySnapshot: an existing cluster-mode Redis OSS 7.1 group, `legacy-clickstream`, copied
 *   into a new sharded Valkey 8.1 group through an S3 export, with a private CNAME applications use.
 *
 * buildExampleApp (bin/example-stacks.ts) adds them to the example app.
 */
import { App, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Annotations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  CacheEngine,
  CutoverTarget,
  MigrationSource,
  MigrationStrategy,
  RedisOssEngineVersion,
  Topology,
  ValkeyEngineVersion,
  ValkeyMigration,
} from '../lib';

export interface MigrationExampleStackProps extends StackProps {
  readonly vpc: ec2.IVpc;
}

/** IN_PLACE: one ModifyReplicationGroup, same endpoint, no downtime from Redis OSS 5.0.6. */
export class MigrateInPlaceStack extends Stack {
  public readonly migration: ValkeyMigration;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.migration = new ValkeyMigration(this, 'SessionsToValkey', {
      source: MigrationSource.fromReplicationGroupId('legacy-sessions', {
        engine: CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_6_2 }),
        clusterMode: false,
        parameterGroupName: 'legacy-sessions-redis6',
      }),
      targetVersion: ValkeyEngineVersion.VER_8_1,
      strategy: MigrationStrategy.IN_PLACE,
      // The static values of legacy-sessions-redis6, carried into a valkey8 parameter group.
      sourceParameters: { 'maxmemory-policy': 'volatile-lru', timeout: '300' },
    });
  }
}

/** SNAPSHOT_RESTORE: a new sharded Valkey group from an S3 export; the source stays untouched. */
export class MigrateBySnapshotStack extends Stack {
  public readonly migration: ValkeyMigration;
  /** Applications that carry this security group reach the new cache. */
  public readonly clients: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: MigrationExampleStackProps) {
    super(scope, id, props);
    const zone = new route53.PrivateHostedZone(this, 'CacheZone', { zoneName: 'cache.internal', vpc: props.vpc });
    this.migration = new ValkeyMigration(this, 'ClickstreamToValkey', {
      source: MigrationSource.fromReplicationGroupId('legacy-clickstream', {
        engine: CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_7_1 }),
        clusterMode: true,
        endpointAddress: 'clustercfg.legacy-clickstream.abc123.use1.cache.amazonaws.com',
      }),
      targetVersion: ValkeyEngineVersion.VER_8_1,
      strategy: MigrationStrategy.SNAPSHOT_RESTORE,
      target: {
        vpc: props.vpc,
        replicationGroupId: 'clickstream-valkey',
        nodeType: 'cache.r7g.large',
        topology: Topology.sharded({ shards: 3, replicasPerShard: 1 }),
        parameters: { 'maxmemory-policy': 'allkeys-lru' },
        snapshotRetentionDays: 7,
        snapshotWindow: '03:00-04:00',
        preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
      },
      // Stage the switch: deploy with CutoverTarget.SOURCE first, then TARGET; SOURCE again rolls back.
      cutover: { zone, recordName: 'clickstream', pointTo: CutoverTarget.TARGET },
    });
    this.clients = new ec2.SecurityGroup(this, 'CacheClients', {
      vpc: props.vpc,
      description: 'Applications allowed to connect to the migrated cache',
      allowAllOutbound: false,
    });
    this.migration.connections.allowDefaultPortFrom(this.clients, 'Applications allowed to use the migrated cache');

    Annotations.of(this.migration).acknowledgeWarning(
      'cdk-valkey:default-port',
      'The example keeps 6379, like the source it replaces: access is limited by the security group, TLS and the AUTH token.',
    );
    Validations.of(this.migration).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The export bucket holds the .rdb files of one migration and is written by ElastiCache only; object-level access is ' +
        'audited with CloudTrail. Pass exportBucketAccessLogs to log requests to a bucket of your logging account.',
    });
    Validations.of(this.migration).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Secrets Manager cannot rotate an ElastiCache AUTH token by itself: the new token must reach the replication group ' +
        'through ModifyReplicationGroup with AuthTokenUpdateStrategy ROTATE while clients switch over.',
    });
  }
}

/** Adds the migration example stacks to `app`. */
export function buildMigrationExamples(app: App, vpc: ec2.IVpc): { inPlace: MigrateInPlaceStack; bySnapshot: MigrateBySnapshotStack } {
  const inPlace = new MigrateInPlaceStack(app, 'MigrateInPlace');
  const bySnapshot = new MigrateBySnapshotStack(app, 'MigrateBySnapshot', { vpc });
  return { inPlace, bySnapshot };
}
