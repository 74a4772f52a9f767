/**
 * The example app: one network stack, and caches built from ONE props object — a Valkey stack and
 * a Redis OSS stack that differ only in the engine, plus a cluster-mode-enabled Valkey stack.
 *
 * Kept apart from bin/app.ts so tests build the very same app (snapshot, cfn-lint and cdk-nag
 * checks) without spawning the CDK CLI.
 */
import { Annotations, App, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  CacheEngine,
  ICacheEngine,
  RedisOssEngineVersion,
  ReplicationGroup,
  ReplicationGroupProps,
  Topology,
  ValkeyEngineVersion,
} from '../lib';
import { MigrateBySnapshotStack, MigrateInPlaceStack, buildMigrationExamples } from './migration-example-stacks';

/** A VPC with isolated subnets in two AZs (caches need no internet) and flow logs. */
export class CacheNetworkStack extends Stack {
  public readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'cache', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, 'FlowLogGroup', { retention: logs.RetentionDays.ONE_MONTH }),
      ),
    });
  }
}

export interface CacheStackProps extends StackProps {
  readonly vpc: ec2.IVpc;
  readonly engine: ICacheEngine;
  readonly topology?: Topology;
}

/**
 * The props every example cache shares. The engine is deliberately absent: it is the one word
 * that changes between the Valkey and Redis OSS stacks.
 */
export function sharedCacheProps(vpc: ec2.IVpc): Omit<ReplicationGroupProps, 'engine'> {
  return {
    vpc,
    nodeType: 'cache.r7g.large',
    topology: Topology.primaryWithReplicas({ replicas: 2 }),
    parameters: { 'maxmemory-policy': 'allkeys-lru', timeout: '300' },
    snapshotRetentionDays: 7,
    snapshotWindow: '03:00-04:00',
    preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
    slowLog: { retention: logs.RetentionDays.ONE_MONTH },
    engineLog: { retention: logs.RetentionDays.ONE_MONTH },
  };
}

/** One cache in its own stack: the shape a platform team imports into its own stacks. */
export class CacheStack extends Stack {
  public readonly cache: ReplicationGroup;
  /** Give this security group to the applications that use the cache. */
  public readonly clients: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: CacheStackProps) {
    super(scope, id, props);
    this.cache = new ReplicationGroup(this, 'Cache', {
      ...sharedCacheProps(props.vpc),
      engine: props.engine,
      ...(props.topology ? { topology: props.topology } : {}),
    });
    // Applications that carry this security group reach the cache; nothing else does.
    this.clients = new ec2.SecurityGroup(this, 'CacheClients', {
      vpc: props.vpc,
      description: 'Applications allowed to connect to the cache',
      allowAllOutbound: false,
    });
    this.cache.connections.allowDefaultPortFrom(this.clients, 'Applications allowed to use the cache');

    Annotations.of(this.cache).acknowledgeWarning(
      'cdk-valkey:default-port',
      'The example keeps 6379; see the AwsSolutions-AEC5 acknowledgement below.',
    );
    Validations.of(this.cache).acknowledge({
      id: 'AwsSolutions-AEC5',
      reason:
        'The default port 6379 is kept on purpose: a non-default port is obscurity, not security. ' +
        'Access is controlled by the security group (only the clients security group), TLS and the AUTH token in Secrets Manager.',
    });
    Validations.of(this.cache).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Secrets Manager cannot rotate an ElastiCache AUTH token by itself: the new token must reach the ' +
        'replication group through ModifyReplicationGroup with AuthTokenUpdateStrategy ROTATE while clients ' +
        'switch over. cdk-valkey does not schedule that rotation yet; the README says how to rotate by hand.',
    });
  }
}

/** Adds the example stacks to `app` and registers cdk-nag's AwsSolutions checks. */
export function buildExampleApp(app: App): {
  network: CacheNetworkStack;
  valkey: CacheStack;
  redis: CacheStack;
  cluster: CacheStack;
  migrateInPlace: MigrateInPlaceStack;
  migrateBySnapshot: MigrateBySnapshotStack;
} {
  // The caches import the network stack's VPC; say explicitly how that reference behaves.
  app.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
  const network = new CacheNetworkStack(app, 'CacheNetwork');
  const vpc = network.vpc;

  const valkey = new CacheStack(app, 'ValkeyCache', {
    vpc,
    engine: CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 }),
  });
  const redis = new CacheStack(app, 'RedisOssCache', {
    vpc,
    engine: CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_7_1 }),
  });
  const cluster = new CacheStack(app, 'ValkeyClusterCache', {
    vpc,
    engine: CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 }),
    topology: Topology.sharded({ shards: 3, replicasPerShard: 1 }),
  });

  // Redis OSS → Valkey migrations, one per strategy (bin/migration-example-stacks.ts).
  const migrations = buildMigrationExamples(app, vpc);

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { network, valkey, redis, cluster, migrateInPlace: migrations.inPlace, migrateBySnapshot: migrations.bySnapshot };
}
