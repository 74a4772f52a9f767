/**
 * Example stacks of the self-hosted cache (our server on EC2):
 *
 * - SelfHostedCache: a VPC of its own (the instance installs Node.js from the distribution's
 *   repositories and calls AWS APIs, so its private subnets have a NAT gateway), the `Sessions`
 *   cache built from the very props of the ElastiCache example stacks (minus what one instance
 *   cannot do), and `Imported`, a second cache whose first boot loads an ElastiCache export from S3.
 * - SelfHostedToElastiCache: the way up — a Valkey replication group seeded from Sessions' latest
 *   snapshot in S3. Deploy it once Sessions has written a snapshot (every hour by default).
 *
 * bin/app.ts adds them to the example app after buildExampleApp (bin/example-stacks.ts).
 */
import { Annotations, App, Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  CacheEngine,
  ReplicationGroup,
  SelfHostedCache,
  Topology,
  ValkeyEngineVersion,
} from '../lib';
import { sharedCacheProps } from './example-stacks';

/** The self-hosted caches and their network. */
export class SelfHostedCacheStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly sessions: SelfHostedCache;
  public readonly imported: SelfHostedCache;
  /** Give this security group to the applications that use the caches. */
  public readonly clients: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'cache', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      ],
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, 'FlowLogGroup', { retention: logs.RetentionDays.ONE_MONTH }),
      ),
    });

    // The ElastiCache examples' props; one instance has no replicas, slow-log delivery or
    // maintenance window, so those three are set aside rather than silently ignored.
    this.sessions = new SelfHostedCache(this, 'Sessions', {
      ...sharedCacheProps(this.vpc),
      engine: CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 }),
      topology: Topology.singleNode(),
      slowLog: undefined,
      preferredMaintenanceWindow: undefined,
      replicationGroupId: 'sessions',
      snapshotInterval: Duration.minutes(15),
    });

    // The way down: a cache whose first boot loads an .rdb exported from ElastiCache
    // (CopySnapshot to S3; one file, cluster mode disabled).
    this.imported = new SelfHostedCache(this, 'Imported', {
      engine: CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 }),
      vpc: this.vpc,
      nodeType: 'cache.t4g.small',
      replicationGroupId: 'imported',
      snapshotArns: ['arn:aws:s3:::legacy-cache-exports/legacy-sessions-0001.rdb'],
    });

    this.clients = new ec2.SecurityGroup(this, 'CacheClients', {
      vpc: this.vpc,
      description: 'Applications allowed to connect to the self-hosted caches',
      allowAllOutbound: false,
    });
    for (const cache of [this.sessions, this.imported]) {
      cache.connections.allowDefaultPortFrom(this.clients, 'Applications allowed to use the cache');
      acknowledgeSelfHostedFindings(cache);
    }
  }
}

export interface SelfHostedToElastiCacheStackProps extends StackProps {
  readonly source: SelfHostedCache;
}

/** The way up: ElastiCache Valkey seeded from the self-hosted cache's latest snapshot. */
export class SelfHostedToElastiCacheStack extends Stack {
  public readonly cache: ReplicationGroup;

  constructor(scope: Construct, id: string, props: SelfHostedToElastiCacheStackProps) {
    super(scope, id, props);
    this.cache = new ReplicationGroup(this, 'Sessions', {
      ...sharedCacheProps(props.source.vpc),
      engine: CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 }),
      snapshotArns: [props.source.grantElastiCacheSeed()],
    });
    Annotations.of(this.cache).acknowledgeWarning('cdk-valkey:default-port', 'The example keeps 6379, like the self-hosted cache it grows out of.');
    Validations.of(this.cache).acknowledge({
      id: 'AwsSolutions-AEC5',
      reason: 'The default port 6379 is kept on purpose: access is controlled by the security group, TLS and the AUTH token in Secrets Manager.',
    });
    Validations.of(this.cache).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Secrets Manager cannot rotate an ElastiCache AUTH token by itself; the README says how to rotate by hand.',
    });
  }
}

/** What the example accepts of cdk-nag's AwsSolutions pack for a self-hosted cache, with reasons. */
function acknowledgeSelfHostedFindings(cache: SelfHostedCache): void {
  Validations.of(cache).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'The snapshot bucket is written only by the cache\'s instance role (and read by ElastiCache when seeding); object-level access is audited with CloudTrail.',
  });
  Validations.of(cache).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason: 'The password is read once at boot; rotating it means a new secret value and an instance refresh, which the README describes.',
  });
  Validations.of(cache).acknowledge({
    id: 'AwsSolutions-AS3',
    reason: 'Pass notificationTopic to receive the group\'s launch and termination events; the example has no topic subscriber.',
  });
}

/** Adds the self-hosted example stacks to `app`. */
export function buildSelfHostedExamples(app: App): { selfHosted: SelfHostedCacheStack; toElastiCache: SelfHostedToElastiCacheStack } {
  const selfHosted = new SelfHostedCacheStack(app, 'SelfHostedCache');
  const toElastiCache = new SelfHostedToElastiCacheStack(app, 'SelfHostedToElastiCache', { source: selfHosted.sessions });
  return { selfHosted, toElastiCache };
}
