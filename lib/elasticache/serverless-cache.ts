import { ArnFormat, Duration, IResource, Names, RemovalPolicy, Resource, Size, SizeRoundingBehavior, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CacheConfigurationError, CacheErrorCodes } from '../errors';
import { CacheAuth } from './auth';
import { ICacheEngine } from './engine';
import { DEFAULT_SNAPSHOT_RETENTION_DAYS } from './replication-group';
import { validateAuth, validateSnapshotRetention } from './validation';

/** The port of a serverless cache's endpoint; the reader endpoint listens on the next one. */
export const SERVERLESS_PORT = 6379;
/** The reader endpoint's port (reads from replicas, READONLY implied). */
export const SERVERLESS_READER_PORT = 6380;

/** ElastiCache's bounds for a serverless cache's usage limits. */
const DATA_STORAGE_GB = { min: 1, max: 5000 };
const ECPU_PER_SECOND = { min: 1000, max: 15_000_000 };

/** Bounds on what a serverless cache may use (and so cost). */
export interface ServerlessUsageLimits {
  /**
   * The most data the cache may hold, in whole GB (1–5000); writes beyond it fail with OOM.
   *
   * @default - no maximum
   */
  readonly maxDataStorage?: Size;
  /**
   * The least data you pay for, in whole GB (1–5000): capacity kept ready for a known load.
   *
   * @default - no minimum
   */
  readonly minDataStorage?: Size;
  /**
   * The most ElastiCache Processing Units per second (1,000–15,000,000); beyond it requests are throttled.
   *
   * @default - no maximum
   */
  readonly maxEcpuPerSecond?: number;
  /**
   * The least ECPUs per second you pay for (1,000–15,000,000), for a known peak.
   *
   * @default - no minimum
   */
  readonly minEcpuPerSecond?: number;
}

/** Props of {@link ServerlessCache}. */
export interface ServerlessCacheProps {
  /**
   * The engine: Valkey 7.2+ or Redis OSS 7.0+. Serverless runs the newest minor version of the
   * engine's major version (MajorEngineVersion), so only the major of the version given matters.
   */
  readonly engine: ICacheEngine;
  /** The VPC of the cache's endpoints. */
  readonly vpc: ec2.IVpc;
  /**
   * The subnets of the endpoints.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the endpoints.
   *
   * @default - a new security group with no ingress (use `connections.allowDefaultPortFrom`)
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Who may connect: a user group (`CacheAuth.fromUserGroup` / `CacheAuth.userGroup`) or nobody
   * checked (`CacheAuth.none()`: the default user without a password). Serverless caches take no
   * AUTH token.
   *
   * @default CacheAuth.none()
   */
  readonly auth?: CacheAuth;
  /**
   * Usage limits.
   *
   * @default - none: the cache scales without bound
   */
  readonly usageLimits?: ServerlessUsageLimits;
  /**
   * Days of daily snapshots to keep, 0–35; 0 turns automatic snapshots off.
   *
   * @default 1
   */
  readonly snapshotRetentionDays?: number;
  /**
   * When the daily snapshot starts, `HH:MM` in UTC.
   *
   * @default - chosen by ElastiCache
   */
  readonly dailySnapshotTime?: string;
  /**
   * ElastiCache snapshots (ARNs of `snapshot` or `serverlesscachesnapshot` resources) to seed the cache from.
   *
   * @default - an empty cache
   */
  readonly snapshotArnsToRestore?: string[];
  /**
   * KMS key for data at rest (always encrypted).
   *
   * @default - an AWS owned key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The ServerlessCacheName: 1–40 letters, digits and single hyphens, starting with a letter;
   * stored lowercase.
   *
   * @default - a name unique to this construct's path
   */
  readonly serverlessCacheName?: string;
  /**
   * Description, at most 255 characters, without `<` or `>`.
   *
   * @default - the construct's path
   */
  readonly description?: string;
  /**
   * What happens to the data when the cache leaves the stack (or is replaced): SNAPSHOT takes a
   * final snapshot named `finalSnapshotName` and deletes the cache; RETAIN keeps the cache;
   * DESTROY deletes it without a snapshot.
   *
   * @default RemovalPolicy.SNAPSHOT
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Name of the final snapshot under RemovalPolicy.SNAPSHOT (same rules as the cache name). A
   * second deletion with the same name fails: change it if the cache is replaced more than once.
   *
   * @default - `<serverlessCacheName>-final`
   */
  readonly finalSnapshotName?: string;
}

/** A serverless cache. */
export interface IServerlessCache extends IResource, ec2.IConnectable {
  /** The ServerlessCacheName. */
  readonly serverlessCacheName: string;
  /** The ARN. */
  readonly serverlessCacheArn: string;
  /** Grants `elasticache:Connect` on the cache (and on an IAM-authenticated user, when given). */
  grantConnect(grantee: iam.IGrantable, userArn?: string): iam.Grant;
  /** A metric of namespace AWS/ElastiCache with dimension clusterId. */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** Grants and metrics from the name and ARN alone (shared by created and imported caches). */
abstract class ServerlessCacheBase extends Resource implements IServerlessCache {
  public abstract readonly serverlessCacheName: string;
  public abstract readonly serverlessCacheArn: string;
  public abstract readonly connections: ec2.Connections;

  public grantConnect(grantee: iam.IGrantable, userArn?: string): iam.Grant {
    const resourceArns = userArn === undefined ? [this.serverlessCacheArn] : [this.serverlessCacheArn, userArn];
    return iam.Grant.addToPrincipal({ grantee, actions: ['elasticache:Connect'], resourceArns });
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/ElastiCache',
      metricName,
      dimensionsMap: { clusterId: this.serverlessCacheName },
      period: Duration.minutes(5),
      statistic: cloudwatch.Stats.AVERAGE,
      ...props,
    }).attachTo(this);
  }
}

/**
 * A serverless Valkey or Redis OSS cache (AWS::ElastiCache::ServerlessCache): no nodes to size,
 * TLS always on, billed by data stored and ElastiCache Processing Units. The same engine objects
 * as {@link ReplicationGroup}, so switching engines is still one line.
 */
export class ServerlessCache extends ServerlessCacheBase {
  /** A serverless cache created elsewhere, by name. */
  public static fromServerlessCacheName(scope: Construct, id: string, serverlessCacheName: string, securityGroups: ec2.ISecurityGroup[] = []): IServerlessCache {
    class Imported extends ServerlessCacheBase {
      public readonly serverlessCacheName = serverlessCacheName;
      public readonly serverlessCacheArn = serverlessCacheArn(scope, serverlessCacheName);
      public readonly connections = new ec2.Connections({ securityGroups, defaultPort: ec2.Port.tcpRange(SERVERLESS_PORT, SERVERLESS_READER_PORT) });
    }
    return new Imported(scope, id);
  }

  public readonly serverlessCacheName: string;
  public readonly serverlessCacheArn: string;
  public readonly engine: ICacheEngine;
  /** Ingress on 6379 (endpoint) and 6380 (reader endpoint) through `allowDefaultPortFrom`. */
  public readonly connections: ec2.Connections;
  /** The endpoint's DNS name. */
  public readonly endpointAddress: string;
  /** The endpoint's port (6379), as a string token. */
  public readonly endpointPort: string;
  /** The reader endpoint's DNS name (reads from replicas). */
  public readonly readerEndpointAddress: string;
  /** The reader endpoint's port (6380), as a string token. */
  public readonly readerEndpointPort: string;
  /** The L1 resource. */
  public readonly resource: elasticache.CfnServerlessCache;

  constructor(scope: Construct, id: string, props: ServerlessCacheProps) {
    super(scope, id);
    const engine = props.engine;
    if (!engine.capabilities.serverless) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_ENGINE_VERSION,
        'engine',
        `must be Valkey 7.2 or later or Redis OSS 7.0 or later for a serverless cache; received ${engine.displayName}`,
        engine.engineVersion,
      );
    }
    const auth = props.auth ?? CacheAuth.none();
    if (auth.usesToken) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_USER_GROUP,
        'auth',
        'must be a user group or CacheAuth.none() for a serverless cache (serverless caches take no AUTH token)',
        auth.kind,
      );
    }
    validateAuth(auth, engine, true);
    const name = props.serverlessCacheName ?? Names.uniqueResourceName(this, { maxLength: 40 }).toLowerCase();
    validateName('serverlessCacheName', name);
    const retention = props.snapshotRetentionDays ?? DEFAULT_SNAPSHOT_RETENTION_DAYS;
    validateSnapshotRetention(retention);
    validateDailySnapshotTime(props.dailySnapshotTime, retention);
    validateDescription(props.description);
    validateRestoreArns(props.snapshotArnsToRestore);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
    const finalSnapshotName = removalPolicy === RemovalPolicy.SNAPSHOT ? props.finalSnapshotName ?? `${truncateForSuffix(name)}-final` : undefined;
    if (props.finalSnapshotName !== undefined && removalPolicy !== RemovalPolicy.SNAPSHOT) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.CONFLICTING_PROPS,
        'finalSnapshotName',
        'is only taken with removalPolicy RemovalPolicy.SNAPSHOT',
        props.finalSnapshotName,
      );
    }
    if (finalSnapshotName !== undefined) validateName('finalSnapshotName', finalSnapshotName);

    const securityGroups = props.securityGroups ?? [
      new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: `Security group of ${this.node.path}`,
        allowAllOutbound: false,
      }),
    ];
    this.connections = new ec2.Connections({ securityGroups, defaultPort: ec2.Port.tcpRange(SERVERLESS_PORT, SERVERLESS_READER_PORT) });
    const subnets = props.vpc.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    if (!Token.isUnresolved(subnets.subnetIds) && subnets.subnetIds.length === 0) {
      throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_SUBNET_SELECTION, 'vpcSubnets', 'must select at least one subnet', props.vpcSubnets ?? 'private subnets');
    }

    this.engine = engine;
    this.resource = new elasticache.CfnServerlessCache(this, 'Resource', {
      engine: engine.engineName,
      majorEngineVersion: engine.majorVersion,
      serverlessCacheName: name,
      description: props.description ?? `${this.node.path} (${engine.displayName} ${engine.majorVersion}, serverless)`,
      cacheUsageLimits: renderUsageLimits(props.usageLimits),
      snapshotRetentionLimit: retention > 0 ? retention : undefined,
      dailySnapshotTime: retention > 0 ? props.dailySnapshotTime : undefined,
      snapshotArnsToRestore: props.snapshotArnsToRestore,
      finalSnapshotName,
      kmsKeyId: props.encryptionKey?.keyArn,
      securityGroupIds: securityGroups.map((sg) => sg.securityGroupId),
      subnetIds: subnets.subnetIds,
      userGroupId: auth.kind === 'user-group' ? auth.userGroupId : undefined,
    });
    // The final snapshot (FinalSnapshotName) is taken by the delete itself, so SNAPSHOT renders as Delete.
    this.resource.applyRemovalPolicy(removalPolicy === RemovalPolicy.SNAPSHOT ? RemovalPolicy.DESTROY : removalPolicy);

    this.serverlessCacheName = this.resource.ref;
    this.serverlessCacheArn = this.resource.attrArn;
    this.endpointAddress = this.resource.attrEndpointAddress;
    this.endpointPort = this.resource.attrEndpointPort;
    this.readerEndpointAddress = this.resource.attrReaderEndpointAddress;
    this.readerEndpointPort = this.resource.attrReaderEndpointPort;
  }

  /** Bytes of data held. Average over 5 minutes. */
  public metricBytesUsedForCache(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('BytesUsedForCache', props);
  }

  /** ElastiCache Processing Units consumed. Sum over 5 minutes. */
  public metricProcessingUnits(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ElastiCacheProcessingUnits', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Requests throttled by the ECPU limit. Sum over 5 minutes. */
  public metricThrottledCmds(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ThrottledCmds', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Hit rate, in percent. Average over 5 minutes. */
  public metricCacheHitRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CacheHitRate', props);
  }

  /** Client connections. Maximum over 5 minutes. */
  public metricCurrConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CurrConnections', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }
}

function serverlessCacheArn(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({ service: 'elasticache', resource: 'serverlesscache', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/** Leaves room for "-final" within the 40-character limit. */
function truncateForSuffix(name: string): string {
  return Token.isUnresolved(name) ? name : name.slice(0, 34).replace(/-+$/, '');
}

function validateName(prop: string, name: string): void {
  if (Token.isUnresolved(name)) return;
  const rules: Array<[boolean, string]> = [
    [name.length >= 1 && name.length <= 40, 'must be 1 to 40 characters long'],
    [/^[a-zA-Z]/.test(name), 'must start with a letter'],
    [/^[a-zA-Z0-9-]*$/.test(name), 'must contain only letters, digits and hyphens'],
    [!name.includes('--'), 'must not contain two consecutive hyphens'],
    [!name.endsWith('-'), 'must not end with a hyphen'],
  ];
  for (const [ok, rule] of rules) {
    if (!ok) throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_SERVERLESS_CACHE, prop, rule, name);
  }
}

function validateDailySnapshotTime(time: string | undefined, retention: number): void {
  if (time === undefined || Token.isUnresolved(time)) return;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) {
    throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_SNAPSHOT_WINDOW, 'dailySnapshotTime', 'must be HH:MM in UTC (00:00–23:59)', time);
  }
  if (!Token.isUnresolved(retention) && retention === 0) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.CONFLICTING_PROPS,
      'dailySnapshotTime',
      'needs snapshotRetentionDays above 0 (0 turns automatic snapshots off)',
      time,
    );
  }
}

function validateDescription(description: string | undefined): void {
  if (description === undefined || Token.isUnresolved(description)) return;
  if (description.length > 255 || /[<>]/.test(description)) {
    throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_SERVERLESS_CACHE, 'description', 'must be at most 255 characters, without < or >', description);
  }
}

function validateRestoreArns(arns: string[] | undefined): void {
  if (arns === undefined || Token.isUnresolved(arns)) return;
  arns.forEach((arn, i) => {
    if (Token.isUnresolved(arn)) return;
    if (!/^arn:aws[a-z-]*:elasticache:[a-z0-9-]+:\d{12}:(snapshot|serverlesscachesnapshot):[a-zA-Z][a-zA-Z0-9-]*$/.test(arn)) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_SNAPSHOT_ARN,
        `snapshotArnsToRestore[${i}]`,
        'must be the ARN of an ElastiCache snapshot (arn:aws:elasticache:<region>:<account>:snapshot:<name> or …:serverlesscachesnapshot:<name>)',
        arn,
      );
    }
  });
}

function renderUsageLimits(limits: ServerlessUsageLimits | undefined): elasticache.CfnServerlessCache.CacheUsageLimitsProperty | undefined {
  if (limits === undefined) return undefined;
  const minGb = gigabytes('usageLimits.minDataStorage', limits.minDataStorage);
  const maxGb = gigabytes('usageLimits.maxDataStorage', limits.maxDataStorage);
  const minEcpu = ecpus('usageLimits.minEcpuPerSecond', limits.minEcpuPerSecond);
  const maxEcpu = ecpus('usageLimits.maxEcpuPerSecond', limits.maxEcpuPerSecond);
  if (minGb !== undefined && maxGb !== undefined && !Token.isUnresolved(minGb) && !Token.isUnresolved(maxGb) && minGb > maxGb) {
    throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_SERVERLESS_CACHE, 'usageLimits.minDataStorage', `must not exceed maxDataStorage (${maxGb} GB)`, `${minGb} GB`);
  }
  if (minEcpu !== undefined && maxEcpu !== undefined && !Token.isUnresolved(minEcpu) && !Token.isUnresolved(maxEcpu) && minEcpu > maxEcpu) {
    throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_SERVERLESS_CACHE, 'usageLimits.minEcpuPerSecond', `must not exceed maxEcpuPerSecond (${maxEcpu})`, minEcpu);
  }
  const dataStorage = minGb !== undefined || maxGb !== undefined ? { unit: 'GB', minimum: minGb, maximum: maxGb } : undefined;
  const ecpuPerSecond = minEcpu !== undefined || maxEcpu !== undefined ? { minimum: minEcpu, maximum: maxEcpu } : undefined;
  return dataStorage === undefined && ecpuPerSecond === undefined ? undefined : { dataStorage, ecpuPerSecond };
}

function gigabytes(prop: string, size: Size | undefined): number | undefined {
  if (size === undefined) return undefined;
  if (size.isUnresolved()) return size.toGibibytes();
  const rule = `must be a whole number of GB between ${DATA_STORAGE_GB.min} and ${DATA_STORAGE_GB.max}`;
  let gb: number;
  try {
    gb = size.toGibibytes({ rounding: SizeRoundingBehavior.FAIL });
  } catch {
    throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_SERVERLESS_CACHE, prop, rule, `${size.toGibibytes({ rounding: SizeRoundingBehavior.NONE })} GB`);
  }
  if (gb < DATA_STORAGE_GB.min || gb > DATA_STORAGE_GB.max) {
    throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_SERVERLESS_CACHE, prop, rule, `${gb} GB`);
  }
  return gb;
}

function ecpus(prop: string, value: number | undefined): number | undefined {
  if (value === undefined || Token.isUnresolved(value)) return value;
  if (!Number.isInteger(value) || value < ECPU_PER_SECOND.min || value > ECPU_PER_SECOND.max) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_SERVERLESS_CACHE,
      prop,
      `must be an integer between ${ECPU_PER_SECOND.min.toLocaleString('en-US')} and ${ECPU_PER_SECOND.max.toLocaleString('en-US')}`,
      value,
    );
  }
  return value;
}
