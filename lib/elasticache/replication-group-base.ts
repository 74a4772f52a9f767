import { ArnFormat, Duration, IResource, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_elasticache as elasticacheRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { CacheConfigurationError, CacheErrorCodes } from '../errors';
import { ICacheEngine } from './engine';

/**
 * A Valkey or Redis OSS replication group (AWS::ElastiCache::ReplicationGroup), created here or
 * imported.
 */
export interface IReplicationGroup extends IResource, ec2.IConnectable, elasticacheRefs.IReplicationGroupRef {
  /**
   * The ReplicationGroupId (lowercase).
   *
   * @attribute
   */
  readonly replicationGroupId: string;

  /**
   * The ARN: `arn:<partition>:elasticache:<region>:<account>:replicationgroup:<id>`.
   *
   * @attribute
   */
  readonly replicationGroupArn: string;

  /** The port the nodes listen on. Throws for an import that did not give it. */
  readonly port: number;

  /**
   * The primary endpoint's address (cluster mode disabled). Throws for cluster mode enabled, or
   * for an import that did not give it.
   *
   * @attribute
   */
  readonly primaryEndpointAddress: string;

  /**
   * The reader endpoint's address, balancing over the replicas (cluster mode disabled). Throws for
   * cluster mode enabled, or for an import that did not give it.
   *
   * @attribute
   */
  readonly readerEndpointAddress: string;

  /**
   * The configuration endpoint's address (cluster mode enabled). Throws for cluster mode
   * disabled, or for an import that did not give it.
   *
   * @attribute
   */
  readonly configurationEndpointAddress: string;

  /**
   * The engine and version, when known.
   *
   * @default - undefined for an import that did not give it
   */
  readonly engine?: ICacheEngine;

  /** Grants `actions` on this replication group to `grantee`. */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants `elasticache:Connect` for IAM authentication: on the replication group, and on the
   * user's ARN when given (IAM authentication checks both).
   *
   * @param grantee who connects
   * @param userArn the ARN of the IAM-enabled ElastiCache user the grantee connects as
   */
  grantConnect(grantee: iam.IGrantable, userArn?: string): iam.Grant;

  /** A metric of namespace AWS/ElastiCache with dimension ReplicationGroupId. */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** CPU used by the engine thread, in percent. Average over 5 minutes. */
  metricEngineCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** CPU of the whole host, in percent. Average over 5 minutes. */
  metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Memory used by data, in percent of maxmemory. Average over 5 minutes. */
  metricDatabaseMemoryUsagePercentage(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Client connections. Maximum over 5 minutes. */
  metricCurrConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Keys evicted by maxmemory. Sum over 5 minutes. */
  metricEvictions(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Successful key lookups. Sum over 5 minutes. */
  metricCacheHits(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Unsuccessful key lookups. Sum over 5 minutes. */
  metricCacheMisses(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** How far replicas are behind the primary, in seconds. Maximum over 5 minutes. */
  metricReplicationLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Bytes read from the network. Sum over 5 minutes. */
  metricNetworkBytesIn(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Bytes sent to the network. Sum over 5 minutes. */
  metricNetworkBytesOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * Grants and metrics of a replication group, from its id and ARN alone.
 */
export abstract class ReplicationGroupBase extends Resource implements IReplicationGroup {
  public abstract readonly replicationGroupId: string;
  public abstract readonly replicationGroupArn: string;
  public abstract readonly port: number;
  public abstract readonly primaryEndpointAddress: string;
  public abstract readonly readerEndpointAddress: string;
  public abstract readonly configurationEndpointAddress: string;
  public abstract readonly engine?: ICacheEngine;
  public abstract readonly connections: ec2.Connections;

  /** A reference for L1 constructs that take an IReplicationGroupRef. */
  public get replicationGroupRef(): elasticacheRefs.ReplicationGroupReference {
    return { replicationGroupId: this.replicationGroupId };
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.replicationGroupArn] });
  }

  public grantConnect(grantee: iam.IGrantable, userArn?: string): iam.Grant {
    const resourceArns = userArn === undefined ? [this.replicationGroupArn] : [this.replicationGroupArn, userArn];
    return iam.Grant.addToPrincipal({ grantee, actions: ['elasticache:Connect'], resourceArns });
  }

  /**
   * A metric of namespace AWS/ElastiCache with dimension ReplicationGroupId, Average over 5
   * minutes unless `props` says otherwise. Per-node series are also published under
   * CacheClusterId (`<replicationGroupId>-001`, …): pass `dimensionsMap` to read one node.
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/ElastiCache',
      metricName,
      dimensionsMap: { ReplicationGroupId: this.replicationGroupId },
      period: Duration.minutes(5),
      statistic: cloudwatch.Stats.AVERAGE,
      ...props,
    }).attachTo(this);
  }

  public metricEngineCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('EngineCPUUtilization', props);
  }

  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CPUUtilization', props);
  }

  public metricDatabaseMemoryUsagePercentage(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DatabaseMemoryUsagePercentage', props);
  }

  public metricCurrConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CurrConnections', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  public metricEvictions(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Evictions', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricCacheHits(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CacheHits', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricCacheMisses(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CacheMisses', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricReplicationLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ReplicationLag', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  public metricNetworkBytesIn(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('NetworkBytesIn', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricNetworkBytesOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('NetworkBytesOut', { statistic: cloudwatch.Stats.SUM, ...props });
  }
}

/**
 * Attributes of an existing replication group, for
 * {@link ReplicationGroup.fromReplicationGroupAttributes}. Give the id or the ARN, not both.
 */
export interface ReplicationGroupAttributes {
  /**
   * The ReplicationGroupId.
   *
   * @default - derived from `replicationGroupArn`
   */
  readonly replicationGroupId?: string;
  /**
   * The ARN.
   *
   * @default - built from `replicationGroupId` in the importing stack's partition, region and account
   */
  readonly replicationGroupArn?: string;
  /**
   * The port the nodes listen on.
   *
   * @default - unknown: `port` throws and `connections` has no default port
   */
  readonly port?: number;
  /**
   * The primary endpoint's address (cluster mode disabled).
   *
   * @default - unknown: `primaryEndpointAddress` throws
   */
  readonly primaryEndpointAddress?: string;
  /**
   * The reader endpoint's address (cluster mode disabled).
   *
   * @default - unknown: `readerEndpointAddress` throws
   */
  readonly readerEndpointAddress?: string;
  /**
   * The configuration endpoint's address (cluster mode enabled).
   *
   * @default - unknown: `configurationEndpointAddress` throws
   */
  readonly configurationEndpointAddress?: string;
  /**
   * The security groups of the replication group.
   *
   * @default - none: `connections` can allow nothing
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * The engine and version.
   *
   * @default - unknown
   */
  readonly engine?: ICacheEngine;
}

/** Builds a replication group ARN the way ElastiCache formats it. */
export function replicationGroupArn(scope: Construct, replicationGroupId: string): string {
  return Stack.of(scope).formatArn({
    service: 'elasticache',
    resource: 'replicationgroup',
    resourceName: replicationGroupId,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** A replication group defined outside this app. */
export class ImportedReplicationGroup extends ReplicationGroupBase {
  public readonly replicationGroupId: string;
  public readonly replicationGroupArn: string;
  public readonly connections: ec2.Connections;
  public readonly engine?: ICacheEngine;
  private readonly attrs: ReplicationGroupAttributes;

  constructor(scope: Construct, id: string, attrs: ReplicationGroupAttributes) {
    super(scope, id);
    if ((attrs.replicationGroupId === undefined) === (attrs.replicationGroupArn === undefined)) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_IMPORT_ATTRIBUTES,
        'ReplicationGroup.fromReplicationGroupAttributes(attrs)',
        'must give exactly one of replicationGroupId and replicationGroupArn',
        Object.keys(attrs).filter((k) => k.startsWith('replicationGroup')),
      );
    }
    this.attrs = attrs;
    if (attrs.replicationGroupArn !== undefined) {
      this.replicationGroupArn = attrs.replicationGroupArn;
      const name = Stack.of(this).splitArn(attrs.replicationGroupArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
      this.replicationGroupId = name ?? attrs.replicationGroupArn;
    } else {
      this.replicationGroupId = attrs.replicationGroupId as string;
      this.replicationGroupArn = replicationGroupArn(this, this.replicationGroupId);
    }
    this.engine = attrs.engine;
    this.connections = new ec2.Connections({
      securityGroups: attrs.securityGroups,
      defaultPort: attrs.port === undefined ? undefined : ec2.Port.tcp(attrs.port),
    });
  }

  public get port(): number {
    return this.required('port', this.attrs.port);
  }

  public get primaryEndpointAddress(): string {
    return this.required('primaryEndpointAddress', this.attrs.primaryEndpointAddress);
  }

  public get readerEndpointAddress(): string {
    return this.required('readerEndpointAddress', this.attrs.readerEndpointAddress);
  }

  public get configurationEndpointAddress(): string {
    return this.required('configurationEndpointAddress', this.attrs.configurationEndpointAddress);
  }

  private required<T>(name: keyof ReplicationGroupAttributes, value: T | undefined): T {
    if (value === undefined) {
      throw new CacheConfigurationError(
        CacheErrorCodes.ATTRIBUTE_NOT_AVAILABLE,
        `${name} of imported replication group '${Token.isUnresolved(this.replicationGroupId) ? this.node.path : this.replicationGroupId}' ` +
          `is not available: pass ${name} to ReplicationGroup.fromReplicationGroupAttributes()`,
      );
    }
    return value;
  }
}
