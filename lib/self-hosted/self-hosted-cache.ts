import { Duration, Fn, IResource, Names, RemovalPolicy, Resource, Size, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CacheConfigurationError, CacheErrorCodes } from '../errors';
import { AUTH_TOKEN_EXCLUDED_CHARACTERS, CacheAuth } from '../elasticache/auth';
import { ICacheEngine } from '../elasticache/engine';
import { DEFAULT_NODE_TYPE, DEFAULT_SNAPSHOT_RETENTION_DAYS, ReplicationGroupProps } from '../elasticache/replication-group';
import {
  validatePort,
  validateReplicationGroupId,
  validateSnapshotRetention,
  validateSnapshotSource,
  validateSnapshotWindow,
} from '../elasticache/validation';
import { Topology } from '../elasticache/topology';
import { acknowledgeWildcard } from '../migration/acknowledge';
import { instanceFile, serverBundleFile } from './bundle-paths';
import { cacheInstanceType } from './instance-type';
import { validateSelfHostedProps } from './validation';

/** Where the data volume is mounted on the instance: the server's `dir`. */
export const SELF_HOSTED_DATA_DIR = '/var/lib/cdk-valkey';
/**
 * maxmemory as a percentage of the instance's memory, unless `parameters.maxmemory` says otherwise.
 * ElastiCache reserves 25%. Our server's resident memory runs some tens of MB above maxmemory (its
 * eviction test allows 64 MB), node and the operating system need their share, and BGSAVE
 * serializes in the same process while clients keep writing; half the memory is left for that.
 */
export const SELF_HOSTED_MAXMEMORY_PERCENT = 50;
/** How often the RDB file is uploaded to S3 when not told otherwise. */
export const DEFAULT_SNAPSHOT_INTERVAL = Duration.hours(1);
/** The CloudWatch agent's namespace, where memory and disk metrics of the instance land. */
export const SELF_HOSTED_AGENT_NAMESPACE = 'CWAgent';
/** The tag that names the cache on its instances (the IAM condition of the endpoint attachment). */
const CACHE_TAG = 'cdk-valkey:cache';

/**
 * Props of {@link SelfHostedCache}: ReplicationGroup's props, so that moving between ElastiCache
 * and EC2 is a one-line change, and a few that only an instance has. Props an instance cannot
 * honour (replicas, shards, Multi-AZ, TLS, user groups, …) are refused at synth time with a
 * {@link CacheConfigurationError} of code UNSUPPORTED_ON_SELF_HOSTED.
 *
 * How the shared props map: `nodeType` → the EC2 instance type (`cache.r7g.large` → `r7g.large`);
 * `topology` must be a single node (the default here); `port`, `auth`, `vpc`, `vpcSubnets` and
 * `securityGroups` as on ElastiCache; `parameters` → lines of the server's config file;
 * `snapshotRetentionDays` → days the timestamped copies in S3 are kept; `snapshotWindow` → a daily
 * snapshot at the window's start, besides `snapshotInterval`; `snapshotArns` → one .rdb in S3 loaded
 * at first boot when the cache has no snapshot of its own yet; `engineLog` → the server log's log
 * group (text); `notificationTopic` → the Auto Scaling group's launch and termination events;
 * `removalPolicy` → the snapshot bucket (kept unless DESTROY).
 */
export interface SelfHostedCacheProps extends ReplicationGroupProps {
  /**
   * The EC2 instance type, instead of mapping `nodeType`. Not with `nodeType`.
   *
   * @default - `nodeType` mapped to EC2: `cache.t4g.micro` → `t4g.micro`
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * How often the server's RDB file is uploaded to S3 (a systemd timer): whole minutes, 1 minute to
   * 24 hours. This is the recovery point when an instance fails without a clean shutdown.
   *
   * @default Duration.hours(1)
   */
  readonly snapshotInterval?: Duration;

  /**
   * The bucket for snapshots. It must use SSE-S3 (ElastiCache seeds only from SSE-S3 objects).
   *
   * @default - a bucket is created: SSE-S3, public access blocked, TLS only, versioned, old
   * versions expire after 30 days, kept on stack deletion unless `removalPolicy` is DESTROY
   */
  readonly snapshotBucket?: s3.IBucket;

  /**
   * Size of the encrypted gp3 data volume mounted at /var/lib/cdk-valkey.
   *
   * @default - twice the instance's memory (room for the RDB file and the one BGSAVE writes beside
   * it), at least 8 GiB; 16 GiB for an `instanceType` whose memory we do not know
   */
  readonly dataVolumeSize?: Size;
}

/** A cache server on EC2 that a {@link SelfHostedCache} runs. */
export interface ISelfHostedCache extends IResource, ec2.IConnectable {
  /** The port the server listens on. */
  readonly port: number;
  /** The address clients connect to: the private IPv4 address of the cache's network interface. */
  readonly primaryEndpointAddress: string;
  /** The address clients connect to (the same as `primaryEndpointAddress`). */
  readonly endpointAddress: string;
  /** The engine whose clients the server answers. */
  readonly engine: ICacheEngine;
  /**
   * The secret holding the password (`requirepass`).
   *
   * @default - undefined with CacheAuth.none()
   */
  readonly secret?: secretsmanager.ISecret;
  /** The name of the Auto Scaling group of one that runs the instance. */
  readonly autoScalingGroupName: string;

  /** A metric of AWS/EC2 with dimension AutoScalingGroupName (detailed monitoring: 1-minute data). */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** CPU of the instance, in percent (AWS/EC2 CPUUtilization). Average over 5 minutes. */
  metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Bytes received (AWS/EC2 NetworkIn). Sum over 5 minutes. */
  metricNetworkBytesIn(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Bytes sent (AWS/EC2 NetworkOut). Sum over 5 minutes. */
  metricNetworkBytesOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Failed EC2 status checks (AWS/EC2 StatusCheckFailed). Maximum over 5 minutes. */
  metricStatusCheckFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Memory used on the instance, in percent (CloudWatch agent mem_used_percent). Average over 5 minutes. */
  metricMemoryUsedPercent(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Data volume used, in percent (CloudWatch agent disk_used_percent). Maximum over 5 minutes. */
  metricDataVolumeUsedPercent(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * Our cache server on one EC2 instance, from ReplicationGroup's props.
 *
 * - An Auto Scaling group of one (Amazon Linux 2023, Graviton by default, IMDSv2 required, no key
 *   pair, no public address; Session Manager for access) replaces a failed instance.
 * - Clients connect to a network interface created here (a fixed private address), which each new
 *   instance attaches at boot; the instance therefore lives in that interface's subnet.
 * - The server runs from its bundled JavaScript under the distribution's nodejs20, as a systemd
 *   unit that restarts on failure, with its data on an encrypted gp3 volume and its log in
 *   CloudWatch Logs; the password comes from Secrets Manager at boot.
 * - The RDB file goes to S3 every `snapshotInterval` and at a clean shutdown, under
 *   `snapshots/<cacheName>/latest.rdb` (and `history/<UTC time>.rdb` copies); a new instance loads
 *   the latest before it accepts clients. ElastiCache can seed from it: {@link grantElastiCacheSeed}.
 *
 * @example
 * const cache = new SelfHostedCache(this, 'Cache', {
 *   engine: CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 }),
 *   vpc,
 *   nodeType: 'cache.r7g.large',
 * });
 * cache.connections.allowDefaultPortFrom(appSecurityGroup);
 */
export class SelfHostedCache extends Resource implements ISelfHostedCache {
  public readonly port: number;
  public readonly engine: ICacheEngine;
  public readonly connections: ec2.Connections;
  public readonly secret?: secretsmanager.ISecret;
  public readonly autoScalingGroupName: string;
  /** The Auto Scaling group of one. */
  public readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  /** The instance's role: grant it what the instance needs beyond the cache. */
  public readonly role: iam.IRole;
  /** The network interface clients connect to; each new instance attaches it at boot. */
  public readonly endpointInterface: ec2.CfnNetworkInterface;
  /** The bucket holding the snapshots. */
  public readonly snapshotBucket: s3.IBucket;
  /** The key prefix of this cache's snapshots: `snapshots/<cacheName>/`. */
  public readonly snapshotPrefix: string;
  /** The key of the latest snapshot: `snapshots/<cacheName>/latest.rdb`. */
  public readonly latestSnapshotKey: string;
  /** The name of this cache in the bucket layout and on its instance's tag. */
  public readonly cacheName: string;
  /** The server log's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The EC2 instance type. */
  public readonly instanceType: ec2.InstanceType;
  /** The VPC the cache runs in. */
  public readonly vpc: ec2.IVpc;

  constructor(scope: Construct, id: string, props: SelfHostedCacheProps) {
    super(scope, id);
    validateSelfHostedProps(props);
    const nodeType = props.nodeType ?? DEFAULT_NODE_TYPE;
    const instance = cacheInstanceType(nodeType, props.instanceType);
    this.port = props.port ?? props.engine.defaultPort;
    validatePort(this.port);
    validateReplicationGroupId(props.replicationGroupId);
    const snapshotRetentionDays = props.snapshotRetentionDays ?? DEFAULT_SNAPSHOT_RETENTION_DAYS;
    validateSnapshotRetention(snapshotRetentionDays);
    const window = validateSnapshotWindow(props.snapshotWindow);
    validateSnapshotSource(props.snapshotName, props.snapshotArns, Topology.singleNode());
    const auth = props.auth ?? CacheAuth.token();

    this.engine = props.engine;
    this.vpc = props.vpc;
    this.instanceType = instance.instanceType;
    this.cacheName = props.replicationGroupId !== undefined && !Token.isUnresolved(props.replicationGroupId)
      ? props.replicationGroupId.toLowerCase()
      : Names.uniqueResourceName(this, { maxLength: 40, separator: '-' }).toLowerCase();
    this.snapshotPrefix = `snapshots/${this.cacheName}/`;
    this.latestSnapshotKey = `${this.snapshotPrefix}latest.rdb`;

    const subnet = endpointSubnet(props);
    const securityGroups = props.securityGroups ?? [
      new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: `Clients of ${this.node.path}`,
        allowAllOutbound: false,
      }),
    ];
    this.connections = new ec2.Connections({ securityGroups, defaultPort: ec2.Port.tcp(this.port) });
    this.endpointInterface = new ec2.CfnNetworkInterface(this, 'Endpoint', {
      subnetId: subnet.subnetId,
      groupSet: securityGroups.map((sg) => sg.securityGroupId),
      description: `Endpoint of ${this.node.path}: attached to the cache's current instance`,
    });

    // The instance's own interface only reaches out (AWS APIs, S3, the distribution's repositories).
    const instanceSecurityGroup = new ec2.SecurityGroup(this, 'InstanceSecurityGroup', {
      vpc: props.vpc,
      description: `Outbound HTTPS of the instance of ${this.node.path}`,
      allowAllOutbound: false,
    });
    instanceSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs, S3 and the Amazon Linux repositories');

    this.secret = passwordSecret(this, auth);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
    if (removalPolicy === RemovalPolicy.RETAIN && auth.kind === 'generated-token' && this.secret) {
      this.secret.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    this.snapshotBucket = props.snapshotBucket ?? this.createSnapshotBucket(removalPolicy, snapshotRetentionDays);
    this.logGroup = props.engineLog?.logGroup ?? new logs.LogGroup(this, 'ServerLog', {
      retention: props.engineLog?.retention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });

    const role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `Instance of ${this.node.path}`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    this.role = role;

    const files = this.instanceFiles(role);
    const seedObjectArn = props.snapshotArns?.[0];
    const environment: Record<string, string> = {
      CDK_VALKEY_NAME: this.cacheName,
      CDK_VALKEY_PORT: String(this.port),
      CDK_VALKEY_REGION: Stack.of(this).region,
      CDK_VALKEY_SECRET_ARN: this.secret?.secretArn ?? '',
      CDK_VALKEY_SECRET_JSON_FIELD: auth.kind === 'token-from-secret' ? auth.jsonField ?? '' : '',
      CDK_VALKEY_BUCKET: this.snapshotBucket.bucketName,
      CDK_VALKEY_SNAPSHOT_PREFIX: this.snapshotPrefix,
      CDK_VALKEY_HISTORY: snapshotRetentionDays > 0 ? 'yes' : 'no',
      CDK_VALKEY_SEED_OBJECT: seedObjectArn === undefined ? '' : s3UriOfObjectArn(seedObjectArn),
      CDK_VALKEY_SNAPSHOT_INTERVAL_SECONDS: String((props.snapshotInterval ?? DEFAULT_SNAPSHOT_INTERVAL).toSeconds()),
      CDK_VALKEY_SNAPSHOT_CALENDAR: window === undefined ? '' : `*-*-* ${hhmm(window.start)}:00 UTC`,
      CDK_VALKEY_MAXMEMORY_PERCENT: String(SELF_HOSTED_MAXMEMORY_PERCENT),
      CDK_VALKEY_ENDPOINT_ENI: this.endpointInterface.ref,
      CDK_VALKEY_LOG_GROUP: this.logGroup.logGroupName,
    };
    const userData = bootUserData(files, environment, props.parameters ?? {});

    const memoryGiB = instance.memoryGiB;
    const dataVolumeGiB = props.dataVolumeSize?.toGibibytes() ?? (memoryGiB === undefined ? 16 : Math.max(8, Math.ceil(memoryGiB * 2)));
    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: instance.cpuType }),
      instanceType: instance.instanceType,
      role,
      userData,
      securityGroup: instanceSecurityGroup,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      detailedMonitoring: true,
      associatePublicIpAddress: false,
      blockDevices: [
        { deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true }) },
        {
          // cdk-valkey.sh mounts it at /var/lib/cdk-valkey (AL2023 links /dev/sdb to the NVMe device).
          deviceName: '/dev/sdb',
          volume: ec2.BlockDeviceVolume.ebs(dataVolumeGiB, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true, deleteOnTermination: true }),
        },
      ],
    });

    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'Group', {
      vpc: props.vpc,
      vpcSubnets: { subnets: [subnet] },
      launchTemplate,
      minCapacity: 1,
      maxCapacity: 1,
      // The old instance must let go of the endpoint interface before the new one takes it.
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({ maxBatchSize: 1, minInstancesInService: 0 }),
      notifications: props.notificationTopic ? [{ topic: props.notificationTopic }] : undefined,
      groupMetrics: [autoscaling.GroupMetrics.all()],
    });
    Tags.of(this.autoScalingGroup).add(CACHE_TAG, this.cacheName);
    this.autoScalingGroupName = this.autoScalingGroup.autoScalingGroupName;

    this.grantInstance(role, seedObjectArn);
  }

  /** The address clients connect to: the endpoint interface's private IPv4 address. */
  public get primaryEndpointAddress(): string {
    return this.endpointInterface.attrPrimaryPrivateIpAddress;
  }

  public get endpointAddress(): string {
    return this.primaryEndpointAddress;
  }

  /** `arn:<partition>:s3:::<bucket>/snapshots/<cacheName>/latest.rdb`, for ReplicationGroup's `snapshotArns`. */
  public get latestSnapshotArn(): string {
    return this.snapshotBucket.arnForObjects(this.latestSnapshotKey);
  }

  /**
   * Lets ElastiCache read this cache's latest snapshot, so that a ReplicationGroup can seed from
   * it: `snapshotArns: [cache.grantElastiCacheSeed()]`. Adds a bucket policy statement for the
   * regional service principal `<region>.elasticache-snapshot.amazonaws.com` (s3:GetObject on the
   * snapshot; s3:ListBucket and s3:GetBucketAcl on the bucket). Only for a bucket created here or
   * one whose policy this app manages. Returns {@link latestSnapshotArn}.
   */
  public grantElastiCacheSeed(): string {
    const principal = new iam.ServicePrincipal(`${Stack.of(this).region}.elasticache-snapshot.amazonaws.com`);
    const added = this.snapshotBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ElastiCacheSeedReadSnapshot',
      principals: [principal],
      actions: ['s3:GetObject'],
      resources: [this.latestSnapshotArn],
    }));
    this.snapshotBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ElastiCacheSeedReadBucket',
      principals: [principal],
      actions: ['s3:ListBucket', 's3:GetBucketAcl'],
      resources: [this.snapshotBucket.bucketArn],
    }));
    if (!added.statementAdded) {
      throw new CacheConfigurationError(
        CacheErrorCodes.ATTRIBUTE_NOT_AVAILABLE,
        `grantElastiCacheSeed() of ${this.node.path} cannot add to the policy of the imported snapshotBucket; ` +
          `grant ${principal.service} s3:GetObject on ${this.latestSnapshotKey} and s3:ListBucket and s3:GetBucketAcl on the bucket in its own stack`,
      );
    }
    return this.latestSnapshotArn;
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/EC2',
      metricName,
      dimensionsMap: { AutoScalingGroupName: this.autoScalingGroupName },
      period: Duration.minutes(5),
      statistic: cloudwatch.Stats.AVERAGE,
      ...props,
    }).attachTo(this);
  }

  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CPUUtilization', props);
  }

  public metricNetworkBytesIn(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('NetworkIn', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricNetworkBytesOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('NetworkOut', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricStatusCheckFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('StatusCheckFailed', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  public metricMemoryUsedPercent(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.agentMetric('mem_used_percent', {}, props);
  }

  public metricDataVolumeUsedPercent(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.agentMetric('disk_used_percent', { path: SELF_HOSTED_DATA_DIR }, { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /** The agent publishes these aggregated by AutoScalingGroupName (cdk-valkey.sh writes its config). */
  private agentMetric(metricName: string, dimensions: Record<string, string>, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: SELF_HOSTED_AGENT_NAMESPACE,
      metricName,
      dimensionsMap: { AutoScalingGroupName: this.autoScalingGroupName, ...dimensions },
      period: Duration.minutes(5),
      statistic: cloudwatch.Stats.AVERAGE,
      ...props,
    }).attachTo(this);
  }

  private createSnapshotBucket(removalPolicy: RemovalPolicy, retentionDays: number): s3.Bucket {
    const bucket = new s3.Bucket(this, 'Snapshots', {
      // SSE-S3: ElastiCache seeds only from SSE-S3 objects.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        { id: 'ExpireOverwrittenSnapshots', noncurrentVersionExpiration: Duration.days(30) },
        ...(retentionDays > 0
          ? [{ id: 'ExpireSnapshotHistory', prefix: `${this.snapshotPrefix}history/`, expiration: Duration.days(retentionDays) }]
          : []),
      ],
      removalPolicy: removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    return bucket;
  }

  /** The server bundle, the script and the units as S3 assets the instance downloads at boot. */
  private instanceFiles(role: iam.IRole): InstanceFile[] {
    const files: InstanceFile[] = [
      { id: 'ServerBundle', source: serverBundleFile(), target: '/opt/cdk-valkey/server.js' },
      { id: 'BootScript', source: instanceFile('cdk-valkey.sh'), target: '/opt/cdk-valkey/cdk-valkey.sh' },
      { id: 'ServerUnit', source: instanceFile('cdk-valkey.service'), target: '/etc/systemd/system/cdk-valkey.service' },
      { id: 'SnapshotUnit', source: instanceFile('cdk-valkey-snapshot.service'), target: '/etc/systemd/system/cdk-valkey-snapshot.service' },
    ];
    return files.map((file) => {
      const asset = new s3assets.Asset(this, file.id, { path: file.source });
      // Exactly the objects the instance downloads (asset.grantRead would allow the whole bucket).
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [asset.bucket.arnForObjects(asset.s3ObjectKey)],
      }));
      return { ...file, asset };
    });
  }

  private grantInstance(role: iam.Role, seedObjectArn: string | undefined): void {
    const stack = Stack.of(this);
    this.secret?.grantRead(role);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadWriteSnapshots',
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [this.snapshotBucket.arnForObjects(`${this.snapshotPrefix}*`)],
    }));
    // Without ListBucket a missing latest.rdb reads as 403 rather than 404.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ListSnapshots',
      actions: ['s3:ListBucket'],
      resources: [this.snapshotBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${this.snapshotPrefix}*`] } },
    }));
    acknowledgeWildcard(role, this.snapshotBucket.arnForObjects(`${this.snapshotPrefix}*`),
      'The instance writes timestamped copies under its own snapshots/<cacheName>/ prefix, and nothing else in the bucket.');
    if (seedObjectArn !== undefined) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadSeedSnapshot', actions: ['s3:GetObject'], resources: [seedObjectArn] }));
    }

    const interfaceArn = stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: this.endpointInterface.ref });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'AttachEndpointInterface',
      actions: ['ec2:AttachNetworkInterface'],
      resources: [interfaceArn],
    }));
    const instanceArns = stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'AttachToOwnInstance',
      actions: ['ec2:AttachNetworkInterface'],
      resources: [instanceArns],
      conditions: { StringEquals: { [`aws:ResourceTag/${CACHE_TAG}`]: this.cacheName } },
    }));
    acknowledgeWildcard(role, instanceArns, 'Attaching the endpoint interface is allowed only to instances tagged with this cache\'s name (the instance id is not known in advance).');
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DescribeForBootAndAgent',
      actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags'],
      resources: ['*'],
    }));
    acknowledgeWildcard(role, '*', 'ec2:DescribeNetworkInterfaces (boot waits for the endpoint interface) and ec2:DescribeTags (the CloudWatch agent\'s AutoScalingGroupName dimension) have no resource-level permissions; cloudwatch:PutMetricData is limited to the CWAgent namespace by condition.');
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'PutAgentMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': SELF_HOSTED_AGENT_NAMESPACE } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'WriteServerLog',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [this.logGroup.logGroupArn],
    }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: 'AmazonSSMManagedInstanceCore is the documented policy for Session Manager, the only way into the instance (no SSH key, no public address).',
    });
  }
}

interface InstanceFile {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly asset?: s3assets.Asset;
}

/** The subnet of the endpoint interface, and therefore of every instance: the first selected. */
function endpointSubnet(props: SelfHostedCacheProps): ec2.ISubnet {
  const selection = props.vpcSubnets ?? {
    subnetType: props.vpc.privateSubnets.length > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
  };
  const subnets = props.vpc.selectSubnets(selection).subnets;
  if (subnets.length === 0) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_SUBNET_SELECTION,
      'vpcSubnets',
      'must select at least one subnet of vpc',
      props.vpcSubnets ?? 'the default private subnets',
    );
  }
  return subnets[0];
}

/** The password's secret: generated with ElastiCache's AUTH token rules, given, or none. */
function passwordSecret(scope: Construct, auth: CacheAuth): secretsmanager.ISecret | undefined {
  if (auth.kind === 'generated-token') {
    return new secretsmanager.Secret(scope, 'AuthToken', {
      description: `Password (requirepass) of ${scope.node.path}`,
      encryptionKey: auth.secretEncryptionKey,
      generateSecretString: { passwordLength: auth.tokenLength, excludeCharacters: AUTH_TOKEN_EXCLUDED_CHARACTERS, includeSpace: false },
    });
  }
  return auth.kind === 'token-from-secret' ? auth.secret : undefined;
}

/** `arn:aws:s3:::bucket/key.rdb` → `s3://bucket/key.rdb` for the aws CLI (at deploy time for a token). */
function s3UriOfObjectArn(arn: string): string {
  if (Token.isUnresolved(arn)) {
    return Fn.join('', ['s3://', Fn.select(1, Fn.split(':::', arn))]);
  }
  return `s3://${arn.slice(arn.indexOf(':::') + 3)}`;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * User data: download the files, write the non-secret settings and the parameters, run
 * `cdk-valkey.sh boot`. Everything else (and everything secret) happens in the script.
 */
function bootUserData(files: readonly InstanceFile[], environment: Record<string, string>, parameters: Record<string, string>): ec2.UserData {
  const userData = ec2.UserData.forLinux();
  userData.addCommands('set -euo pipefail', 'mkdir -p /opt/cdk-valkey /etc/cdk-valkey');
  for (const file of files) {
    if (!file.asset) continue;
    userData.addS3DownloadCommand({ bucket: file.asset.bucket, bucketKey: file.asset.s3ObjectKey, localFile: file.target });
  }
  userData.addCommands(
    "cat > /etc/cdk-valkey/instance.env <<'CDK_VALKEY_ENV'",
    ...Object.entries(environment).map(([name, value]) => `${name}='${value}'`),
    'CDK_VALKEY_ENV',
    "cat > /etc/cdk-valkey/parameters.conf <<'CDK_VALKEY_PARAMETERS'",
    ...Object.entries(parameters).map(([name, value]) => `${name} ${value === '' ? '""' : value}`),
    'CDK_VALKEY_PARAMETERS',
    'chmod 0755 /opt/cdk-valkey/cdk-valkey.sh',
    '/opt/cdk-valkey/cdk-valkey.sh boot',
  );
  return userData;
}
