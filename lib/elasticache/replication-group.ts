import { Annotations, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { aws_elasticache as elasticacheRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { CacheConfigurationError, CacheErrorCodes } from '../errors';
import { AUTH_TOKEN_EXCLUDED_CHARACTERS, CacheAuth } from './auth';
import { ICacheEngine } from './engine';
import {
  IReplicationGroup,
  ImportedReplicationGroup,
  ReplicationGroupAttributes,
  ReplicationGroupBase,
  replicationGroupArn,
} from './replication-group-base';
import { Topology } from './topology';
import {
  validateAuth,
  validateAutoMinorVersionUpgrade,
  validateDataTiering,
  validateDurability,
  validateEncryptionKey,
  validateHighAvailability,
  validateLogDelivery,
  validateMaintenanceWindow,
  validateNetworkType,
  validateNodeType,
  validateParameterGroupName,
  validateParameters,
  validatePort,
  validateReplicationGroupId,
  validateShardsForEngine,
  validateSnapshotRetention,
  validateSnapshotSource,
  validateSnapshotWindow,
  validateTransitEncryption,
  validateWindowsDoNotOverlap,
} from './validation';

/** TLS on a cache: `required` refuses plain connections, `preferred` accepts both (migrations). */
export type TransitEncryptionMode = 'required' | 'preferred';

/** Durability of writes (Valkey 9.0+): `sync` waits for the Multi-AZ log, `async` does not. */
export type CacheDurability = 'sync' | 'async';

/** IP protocols of the cache's network interfaces. */
export type CacheNetworkType = 'ipv4' | 'ipv6' | 'dual_stack';

/** The IP protocol cluster discovery commands (CLUSTER SLOTS, …) answer with. */
export type CacheIpDiscovery = 'ipv4' | 'ipv6';

/** Format of delivered logs. */
export type CacheLogFormat = 'json' | 'text';

/**
 * Delivery of a log (slow log or engine log) to CloudWatch Logs.
 */
export interface CacheLogOptions {
  /**
   * Format of the log records.
   *
   * @default 'json'
   */
  readonly format?: CacheLogFormat;
  /**
   * The log group to deliver to.
   *
   * @default - a log group is created with `retention`
   */
  readonly logGroup?: logs.ILogGroup;
  /**
   * Retention of the created log group. Only without `logGroup`.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly retention?: logs.RetentionDays;
}

/**
 * Props of {@link ReplicationGroup}. The same props deploy Valkey or Redis OSS: the engine is
 * one prop.
 */
export interface ReplicationGroupProps {
  /** The engine and version, e.g. `CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 })`. */
  readonly engine: ICacheEngine;

  /**
   * The node type, `cache.<family>.<size>`.
   *
   * @default 'cache.t4g.micro' - the smallest Graviton (Nitro) node: fine for development, too
   * small for most production loads
   */
  readonly nodeType?: string;

  /**
   * One node, a primary with replicas (cluster mode disabled), or shards (cluster mode enabled).
   *
   * @default Topology.primaryWithReplicas({ replicas: 1 }) - a primary and one replica in
   * another Availability Zone, with automatic failover
   */
  readonly topology?: Topology;

  /**
   * Place replicas in other Availability Zones than their primary (MultiAZEnabled).
   *
   * @default - true when every shard has at least one replica, false otherwise
   */
  readonly multiAz?: boolean;

  /**
   * Promote a replica when the primary fails (AutomaticFailoverEnabled).
   *
   * @default - true when every shard has at least one replica, false otherwise
   */
  readonly automaticFailover?: boolean;

  /** The VPC to run in. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets of the created subnet group. Not with `subnetGroup`.
   *
   * @default - the VPC's private subnets with egress, or its isolated subnets when it has none
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * An existing subnet group, e.g. `CfnSubnetGroup.fromCacheSubnetGroupName(...)`. Not with
   * `vpcSubnets`.
   *
   * @default - a subnet group of `vpcSubnets` is created
   */
  readonly subnetGroup?: elasticacheRefs.ISubnetGroupRef;

  /**
   * Security groups of the nodes.
   *
   * @default - one is created with no ingress and no egress; allow clients with `connections`
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The port the nodes listen on. cdk-nag's AwsSolutions-AEC5 flags the default port: a
   * non-default port is obscurity, not security (the security group and auth are), so we keep the
   * default and warn at synth time; pick another port if your policy demands it.
   *
   * @default 6379
   */
  readonly port?: number;

  /**
   * Engine parameters. Creates an AWS::ElastiCache::ParameterGroup of the engine's family, with
   * `cluster-enabled: yes` added for a sharded topology. Not with `parameterGroupName`.
   *
   * @default - no custom parameter group
   */
  readonly parameters?: Record<string, string>;

  /**
   * An existing parameter group. Not with `parameters`. Its family must match the engine's.
   *
   * @default - ElastiCache's default group of the engine's family (`default.valkey8`,
   * `default.valkey8.cluster.on`, …), named explicitly so that a major-version upgrade switches
   * families in the same update
   */
  readonly parameterGroupName?: string;

  /**
   * TLS between clients and nodes (TransitEncryptionEnabled, always rendered).
   *
   * @default true
   */
  readonly transitEncryption?: boolean;

  /**
   * Whether TLS is `required`, or `preferred` (both TLS and plain connections, for migrating
   * clients; reaching `required` from no TLS takes two deployments, `preferred` first). Valkey and
   * Redis OSS 7.0+ only.
   *
   * @default - 'required' where the engine has transit encryption modes; not rendered otherwise
   */
  readonly transitEncryptionMode?: TransitEncryptionMode;

  /**
   * Encryption at rest (AtRestEncryptionEnabled, always rendered: the API default differs
   * between engines). Cannot change after creation.
   *
   * @default true
   */
  readonly atRestEncryption?: boolean;

  /**
   * The KMS key for encryption at rest.
   *
   * @default - an AWS owned key
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How clients authenticate.
   *
   * Switching an existing replication group from an AUTH token to a user group replaces it in
   * CloudFormation (a new, empty cache with a new endpoint; cloudformation-coverage-roadmap#2356).
   * A user group therefore produces a synth-time warning.
   *
   * @default CacheAuth.token() - an AUTH token generated in Secrets Manager
   */
  readonly auth?: CacheAuth;

  /**
   * Days to keep automatic backups: 0–35, 0 turns them off.
   *
   * @default 1
   */
  readonly snapshotRetentionDays?: number;

  /**
   * Daily time range (UTC) of automatic backups, `hh24:mi-hh24:mi`, at least 60 minutes, not
   * overlapping `preferredMaintenanceWindow`.
   *
   * @default - ElastiCache picks one
   */
  readonly snapshotWindow?: string;

  /**
   * Restore from this ElastiCache snapshot (same engine). Not with `snapshotArns`.
   *
   * @default - an empty cache
   */
  readonly snapshotName?: string;

  /**
   * Seed from `.rdb` files in S3 (`arn:aws:s3:::bucket/key.rdb`, no commas): one file for cluster
   * mode disabled; for a sharded topology, `topology.slots` must give the shards' slot ranges.
   * Not with `snapshotName`.
   *
   * @default - an empty cache
   */
  readonly snapshotArns?: string[];

  /**
   * Deliver the slow log to CloudWatch Logs.
   *
   * @default - not delivered
   */
  readonly slowLog?: CacheLogOptions;

  /**
   * Deliver the engine log to CloudWatch Logs (Valkey, Redis OSS 6.2+).
   *
   * @default - not delivered
   */
  readonly engineLog?: CacheLogOptions;

  /**
   * Weekly time range (UTC) for maintenance, `ddd:hh24:mi-ddd:hh24:mi`, at least 60 minutes.
   *
   * @default - ElastiCache picks 60 minutes in the region's maintenance block
   */
  readonly preferredMaintenanceWindow?: string;

  /**
   * SNS topic for ElastiCache events (same account as the cache).
   *
   * @default - no notifications
   */
  readonly notificationTopic?: sns.ITopic;

  /**
   * Apply minor engine versions automatically in the maintenance window (Valkey, Redis OSS 6.0+).
   *
   * @default - true where the engine supports it; not rendered otherwise
   */
  readonly autoMinorVersionUpgrade?: boolean;

  /**
   * Durable writes through a Multi-AZ transaction log (Valkey 9.0+, sharded, Multi-AZ with a
   * replica per shard, r/m 6g–8g or c7gn/c8gn nodes, no data tiering). Not known to cfn-lint
   * 1.51 (E3002).
   *
   * @default - not durable
   */
  readonly durability?: CacheDurability;

  /**
   * Data tiering to SSD (r6gd node types only, where it is required).
   *
   * @default - true for r6gd node types, false otherwise
   */
  readonly dataTiering?: boolean;

  /**
   * IP protocols of the nodes (IPv6 and dual stack: Valkey 7.2+ or Redis OSS 6.2–7.1 on Nitro
   * node types; the subnets must have matching CIDRs).
   *
   * @default - ElastiCache's default, 'ipv4'
   */
  readonly networkType?: CacheNetworkType;

  /**
   * The IP protocol cluster discovery answers with; 'ipv6' needs networkType 'ipv6' or 'dual_stack'.
   *
   * @default - ElastiCache's default, 'ipv4'
   */
  readonly ipDiscovery?: CacheIpDiscovery;

  /**
   * The replication group id: 1–40 letters, digits and hyphens, starting with a letter, no `--`,
   * no trailing hyphen. Rendered lowercase (ElastiCache stores it so). Changing it replaces the
   * group.
   *
   * @default - CloudFormation generates one
   */
  readonly replicationGroupId?: string;

  /**
   * Description of the replication group.
   *
   * @default - 'Replication group <construct path>'
   */
  readonly description?: string;

  /**
   * What happens to the cache when it leaves the stack or is replaced (DeletionPolicy and
   * UpdateReplacePolicy). With RETAIN, a generated AUTH token's secret is retained too.
   *
   * @default RemovalPolicy.SNAPSHOT - a final snapshot is taken
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The node type used when none is given. */
export const DEFAULT_NODE_TYPE = 'cache.t4g.micro';
/** Days of automatic backups kept when not told otherwise. */
export const DEFAULT_SNAPSHOT_RETENTION_DAYS = 1;

/**
 * A Valkey or Redis OSS replication group on ElastiCache (AWS::ElastiCache::ReplicationGroup):
 * one node, a primary with replicas, or a sharded cluster, from the same props for both engines.
 *
 * Secure by default: TLS required, encryption at rest, an AUTH token generated in Secrets Manager,
 * a security group without ingress, and a final snapshot on deletion.
 *
 * @example
 * const cache = new ReplicationGroup(this, 'Cache', {
 *   engine: CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 }),
 *   vpc,
 *   topology: Topology.primaryWithReplicas({ replicas: 2 }),
 * });
 * cache.connections.allowDefaultPortFrom(appSecurityGroup);
 */
export class ReplicationGroup extends ReplicationGroupBase {
  /**
   * Imports a replication group by id or ARN (not both). Getters of attributes not given throw.
   */
  public static fromReplicationGroupAttributes(
    scope: Construct,
    id: string,
    attrs: ReplicationGroupAttributes,
  ): IReplicationGroup {
    return new ImportedReplicationGroup(scope, id, attrs);
  }

  public readonly replicationGroupId: string;
  public readonly replicationGroupArn: string;
  public readonly port: number;
  public readonly engine: ICacheEngine;
  public readonly connections: ec2.Connections;
  /** The topology this group was created with. */
  public readonly topology: Topology;
  /** The node type. */
  public readonly nodeType: string;
  /** The L1 resource, for overrides. */
  public readonly resource: elasticache.CfnReplicationGroup;
  /**
   * The secret holding the AUTH token.
   *
   * @default - undefined unless auth uses a token
   */
  public readonly secret?: secretsmanager.ISecret;
  /** The name of the parameter group the group uses (created, given or default). */
  public readonly parameterGroupName: string;
  /**
   * The created parameter group.
   *
   * @default - undefined unless `parameters` was given
   */
  public readonly parameterGroup?: elasticache.CfnParameterGroup;
  /**
   * The engine parameters given in `parameters` (without the `cluster-enabled` that a sharded
   * topology adds), e.g. for a Valkey parameter group with the same values.
   *
   * @default - undefined unless `parameters` was given
   */
  public readonly parameters?: Readonly<Record<string, string>>;
  /** True when the nodes tier data to SSD (r6gd node types). */
  public readonly dataTiering: boolean;
  /**
   * The created subnet group.
   *
   * @default - undefined when `subnetGroup` was given
   */
  public readonly subnetGroup?: elasticache.CfnSubnetGroup;
  /**
   * The slow log's log group.
   *
   * @default - undefined unless `slowLog` was given
   */
  public readonly slowLogGroup?: logs.ILogGroup;
  /**
   * The engine log's log group.
   *
   * @default - undefined unless `engineLog` was given
   */
  public readonly engineLogGroup?: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: ReplicationGroupProps) {
    super(scope, id);
    const rendered = renderReplicationGroup(this, props);
    this.engine = rendered.engine;
    this.topology = rendered.topology;
    this.nodeType = rendered.nodeType;
    this.port = rendered.port;
    this.connections = rendered.connections;
    this.subnetGroup = rendered.subnetGroup;
    this.parameterGroup = rendered.parameterGroup;
    this.parameterGroupName = rendered.parameterGroupName;
    this.parameters = props.parameters === undefined ? undefined : { ...props.parameters };
    this.secret = rendered.secret;
    this.slowLogGroup = rendered.slowLogGroup;
    this.engineLogGroup = rendered.engineLogGroup;
    this.dataTiering = rendered.cfnProps.dataTieringEnabled === true;

    const cfn = new elasticache.CfnReplicationGroup(this, 'Resource', rendered.cfnProps);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
    cfn.applyRemovalPolicy(removalPolicy);
    // A retained cache keeps needing its token; a generated secret must outlive the stack with it.
    if (removalPolicy === RemovalPolicy.RETAIN && rendered.auth.kind === 'generated-token' && this.secret) {
      this.secret.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    this.resource = cfn;
    this.replicationGroupId = cfn.ref;
    this.replicationGroupArn = replicationGroupArn(this, cfn.ref);
  }

  /** The primary endpoint's address (cluster mode disabled); throws for a sharded topology. */
  public get primaryEndpointAddress(): string {
    this.requireClusterMode(false, 'primaryEndpointAddress', 'configurationEndpointAddress');
    return this.resource.attrPrimaryEndPointAddress;
  }

  /** The primary endpoint's port (cluster mode disabled); throws for a sharded topology. */
  public get primaryEndpointPort(): string {
    this.requireClusterMode(false, 'primaryEndpointPort', 'configurationEndpointPort');
    return this.resource.attrPrimaryEndPointPort;
  }

  /** The reader endpoint's address (cluster mode disabled); throws for a sharded topology. */
  public get readerEndpointAddress(): string {
    this.requireClusterMode(false, 'readerEndpointAddress', 'configurationEndpointAddress');
    return this.resource.attrReaderEndPointAddress;
  }

  /** The reader endpoint's port (cluster mode disabled); throws for a sharded topology. */
  public get readerEndpointPort(): string {
    this.requireClusterMode(false, 'readerEndpointPort', 'configurationEndpointPort');
    return this.resource.attrReaderEndPointPort;
  }

  /** The configuration endpoint's address (cluster mode enabled); throws otherwise. */
  public get configurationEndpointAddress(): string {
    this.requireClusterMode(true, 'configurationEndpointAddress', 'primaryEndpointAddress');
    return this.resource.attrConfigurationEndPointAddress;
  }

  /** The configuration endpoint's port (cluster mode enabled); throws otherwise. */
  public get configurationEndpointPort(): string {
    this.requireClusterMode(true, 'configurationEndpointPort', 'primaryEndpointPort');
    return this.resource.attrConfigurationEndPointPort;
  }

  /** The address clients connect to: the configuration endpoint when sharded, else the primary. */
  public get endpointAddress(): string {
    return this.topology.clusterMode ? this.configurationEndpointAddress : this.primaryEndpointAddress;
  }

  private requireClusterMode(clusterMode: boolean, attribute: string, instead: string): void {
    if (this.topology.clusterMode !== clusterMode) {
      throw new CacheConfigurationError(
        CacheErrorCodes.ATTRIBUTE_NOT_AVAILABLE,
        `${attribute} of ${this.node.path} is only available for ${clusterMode ? 'a sharded topology (cluster mode enabled)' : 'cluster mode disabled'}; ` +
          `use ${instead} (or endpointAddress) for this ${this.topology.clusterMode ? 'sharded' : 'non-sharded'} replication group`,
      );
    }
  }
}

function logDelivery(
  logType: 'slow-log' | 'engine-log',
  options: CacheLogOptions | undefined,
  logGroup: logs.ILogGroup | undefined,
): elasticache.CfnReplicationGroup.LogDeliveryConfigurationRequestProperty | undefined {
  if (options === undefined || logGroup === undefined) {
    return undefined;
  }
  return {
    destinationType: 'cloudwatch-logs',
    destinationDetails: { cloudWatchLogsDetails: { logGroup: logGroup.logGroupName } },
    logFormat: options.format ?? 'json',
    logType,
  };
}

/**
 * What {@link renderReplicationGroup} produced: the L1 props and the resources they refer to.
 */
export interface RenderedReplicationGroup {
  /** The props of AWS::ElastiCache::ReplicationGroup, exactly as ReplicationGroup renders them. */
  readonly cfnProps: elasticache.CfnReplicationGroupProps;
  readonly engine: ICacheEngine;
  readonly topology: Topology;
  readonly nodeType: string;
  readonly port: number;
  readonly auth: CacheAuth;
  readonly connections: ec2.Connections;
  readonly subnetGroup?: elasticache.CfnSubnetGroup;
  readonly parameterGroup?: elasticache.CfnParameterGroup;
  readonly parameterGroupName: string;
  /** The secret holding the AUTH token (generated or given); undefined without a token. */
  readonly secret?: secretsmanager.ISecret;
  readonly slowLogGroup?: logs.ILogGroup;
  readonly engineLogGroup?: logs.ILogGroup;
}

/**
 * Validates `props` and renders them: creates the resources a replication group needs around it
 * (security group, subnet group, parameter group, token secret, log groups) in `scope`, and
 * returns the AWS::ElastiCache::ReplicationGroup props that refer to them. ReplicationGroup
 * creates the L1 resource from these props; the migration construct sends the same props to
 * CreateReplicationGroup, so a migrated cache is configured exactly like one made here.
 *
 * Internal to the package: not exported from the package's index.
 */
export function renderReplicationGroup(scope: Construct, props: ReplicationGroupProps): RenderedReplicationGroup {
  const engine = props.engine;
  const topology = props.topology ?? Topology.primaryWithReplicas({ replicas: 1 });
  const nodeType = props.nodeType ?? DEFAULT_NODE_TYPE;
  const port = props.port ?? engine.defaultPort;
  const auth = props.auth ?? CacheAuth.token();
  const transitEncryption = props.transitEncryption ?? true;
  const atRestEncryption = props.atRestEncryption ?? true;
  const hasReplicas = Token.isUnresolved(topology.replicasPerShard) || topology.replicasPerShard > 0;
  const automaticFailover = props.automaticFailover ?? hasReplicas;
  const multiAz = props.multiAz ?? automaticFailover;
  const snapshotRetentionDays = props.snapshotRetentionDays ?? DEFAULT_SNAPSHOT_RETENTION_DAYS;

  // Validation: props alone first, then props against the engine and node type.
  const nodeFamily = validateNodeType(nodeType);
  validateReplicationGroupId(props.replicationGroupId);
  validatePort(port);
  validateSnapshotRetention(snapshotRetentionDays);
  const snapshotWindow = validateSnapshotWindow(props.snapshotWindow);
  const maintenanceWindow = validateMaintenanceWindow(props.preferredMaintenanceWindow);
  validateWindowsDoNotOverlap(props.snapshotWindow, snapshotWindow, maintenanceWindow);
  validateShardsForEngine(topology, engine);
  validateHighAvailability(topology, multiAz, automaticFailover);
  validateExclusive('parameters', props.parameters, 'parameterGroupName', props.parameterGroupName);
  validateExclusive('vpcSubnets', props.vpcSubnets, 'subnetGroup', props.subnetGroup);
  validateParameters(props.parameters, topology);
  validateParameterGroupName(props.parameterGroupName, engine, topology);
  validateTransitEncryption(engine, transitEncryption, props.transitEncryptionMode);
  validateEncryptionKey(atRestEncryption, props.encryptionKey !== undefined);
  validateAuth(auth, engine, transitEncryption);
  validateAutoMinorVersionUpgrade(engine, props.autoMinorVersionUpgrade);
  validateSnapshotSource(props.snapshotName, props.snapshotArns, topology);
  const dataTiering = validateDataTiering(engine, nodeFamily, props.dataTiering);
  validateDurability(props.durability, {
    engine,
    topology,
    nodeFamily,
    multiAz,
    dataTiering,
    transitEncryption,
    atRestEncryption,
  });
  validateNetworkType(engine, nodeFamily, props.networkType, props.ipDiscovery);
  validateLogDelivery(engine, props.slowLog !== undefined, props.engineLog !== undefined);
  validateLogOptions('slowLog', props.slowLog);
  validateLogOptions('engineLog', props.engineLog);

  if (port === 6379 && !Token.isUnresolved(port)) {
    Annotations.of(scope).addWarningV2(
      'cdk-valkey:default-port',
      'The cache listens on the default port 6379, which cdk-nag AwsSolutions-AEC5 flags. ' +
        'Access is limited by the security group and authentication; set `port` if your policy requires a non-default port.',
    );
  }
  if (auth.kind === 'user-group') {
    Annotations.of(scope).addWarningV2(
      'cdk-valkey:auth-token-to-user-group-replaces',
      'auth is a user group. If this replication group was deployed with an AUTH token before, switching to ' +
        'UserGroupIds replaces it in CloudFormation (a new, empty cache; cloudformation-coverage-roadmap#2356).',
    );
  }

  const securityGroups = props.securityGroups ?? [
    new ec2.SecurityGroup(scope, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Security group of ${scope.node.path}`,
      allowAllOutbound: false,
    }),
  ];
  const connections = new ec2.Connections({ securityGroups, defaultPort: ec2.Port.tcp(port) });

  const subnetGroup = props.subnetGroup ? undefined : createSubnetGroup(scope, props);
  const subnetGroupName = props.subnetGroup?.subnetGroupRef.cacheSubnetGroupName ?? subnetGroup?.ref;

  const parameterGroup = props.parameters ? createParameterGroup(scope, props.parameters, engine, topology) : undefined;
  const parameterGroupName =
    parameterGroup?.ref ?? props.parameterGroupName ?? engine.defaultParameterGroupName(topology.clusterMode);

  const secret = authTokenSecret(scope, auth);
  const authToken = secret ? dynamicReference(secret, auth.jsonField) : undefined;

  const slowLogGroup = props.slowLog ? deliveryLogGroup(scope, 'SlowLog', props.slowLog) : undefined;
  const engineLogGroup = props.engineLog ? deliveryLogGroup(scope, 'EngineLog', props.engineLog) : undefined;
  const logDeliveryConfigurations = [
    logDelivery('slow-log', props.slowLog, slowLogGroup),
    logDelivery('engine-log', props.engineLog, engineLogGroup),
  ].filter((c): c is elasticache.CfnReplicationGroup.LogDeliveryConfigurationRequestProperty => c !== undefined);

  const cfnProps: elasticache.CfnReplicationGroupProps = {
    // ElastiCache stores the id lowercase; rendering it so keeps Ref and the console in agreement.
    replicationGroupId: props.replicationGroupId === undefined || Token.isUnresolved(props.replicationGroupId)
      ? props.replicationGroupId
      : props.replicationGroupId.toLowerCase(),
    replicationGroupDescription: props.description ?? `Replication group ${scope.node.path}`,
    engine: engine.engineName,
    engineVersion: engine.engineVersion,
    cacheNodeType: nodeType,
    cacheParameterGroupName: parameterGroupName,
    port,
    clusterMode: engine.capabilities.clusterModeProperty ? (topology.clusterMode ? 'enabled' : 'disabled') : undefined,
    numCacheClusters: topology.clusterMode ? undefined : topology.nodesPerShard,
    numNodeGroups: topology.clusterMode ? topology.shards : undefined,
    replicasPerNodeGroup: topology.clusterMode ? topology.replicasPerShard : undefined,
    nodeGroupConfiguration: topology.clusterMode && topology.slots
      ? topology.slots.map((slots) => ({ replicaCount: topology.replicasPerShard, slots }))
      : undefined,
    automaticFailoverEnabled: automaticFailover,
    multiAzEnabled: multiAz,
    cacheSubnetGroupName: subnetGroupName,
    securityGroupIds: securityGroups.map((sg) => sg.securityGroupId),
    transitEncryptionEnabled: transitEncryption,
    transitEncryptionMode: transitEncryption && engine.capabilities.transitEncryptionMode
      ? props.transitEncryptionMode ?? 'required'
      : undefined,
    atRestEncryptionEnabled: atRestEncryption,
    kmsKeyId: props.encryptionKey?.keyArn,
    authToken,
    userGroupIds: auth.kind === 'user-group' && auth.userGroupId !== undefined ? [auth.userGroupId] : undefined,
    snapshotRetentionLimit: snapshotRetentionDays,
    snapshotWindow: props.snapshotWindow,
    snapshotName: props.snapshotName,
    snapshotArns: props.snapshotArns,
    preferredMaintenanceWindow: props.preferredMaintenanceWindow,
    notificationTopicArn: props.notificationTopic?.topicArn,
    autoMinorVersionUpgrade: engine.capabilities.autoMinorVersionUpgrade ? props.autoMinorVersionUpgrade ?? true : undefined,
    durability: props.durability,
    dataTieringEnabled: dataTiering ? true : undefined,
    networkType: props.networkType,
    ipDiscovery: props.ipDiscovery,
    logDeliveryConfigurations: logDeliveryConfigurations.length > 0 ? logDeliveryConfigurations : undefined,
  };
  return {
    cfnProps,
    engine,
    topology,
    nodeType,
    port,
    auth,
    connections,
    subnetGroup,
    parameterGroup,
    parameterGroupName,
    secret,
    slowLogGroup,
    engineLogGroup,
  };
}

function validateExclusive(aName: string, a: unknown, bName: string, b: unknown): void {
  if (a !== undefined && b !== undefined) {
    throw CacheConfigurationError.invalid(CacheErrorCodes.CONFLICTING_PROPS, aName, `cannot be given together with ${bName}`, a);
  }
}

function validateLogOptions(prop: string, options: CacheLogOptions | undefined): void {
  if (options?.logGroup !== undefined && options.retention !== undefined) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.CONFLICTING_PROPS,
      `${prop}.retention`,
      `cannot be given together with ${prop}.logGroup (set the retention on that log group)`,
      options.retention,
    );
  }
}

function createSubnetGroup(scope: Construct, props: ReplicationGroupProps): elasticache.CfnSubnetGroup {
  const selection = props.vpcSubnets ?? {
    subnetType: props.vpc.privateSubnets.length > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
  };
  const subnetIds = props.vpc.selectSubnets(selection).subnetIds;
  if (subnetIds.length === 0) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_SUBNET_SELECTION,
      'vpcSubnets',
      'must select at least one subnet of vpc',
      props.vpcSubnets ?? 'the default private subnets',
    );
  }
  return new elasticache.CfnSubnetGroup(scope, 'SubnetGroup', {
    description: `Subnets of ${scope.node.path}`,
    subnetIds,
  });
}

function createParameterGroup(
  scope: Construct,
  parameters: Record<string, string>,
  engine: ICacheEngine,
  topology: Topology,
): elasticache.CfnParameterGroup {
  return new elasticache.CfnParameterGroup(scope, 'ParameterGroup', {
    cacheParameterGroupFamily: engine.parameterGroupFamily,
    description: `Parameters of ${scope.node.path}`,
    properties: topology.clusterMode ? { ...parameters, 'cluster-enabled': 'yes' } : { ...parameters },
  });
}

/** The secret holding the AUTH token: generated here, given, or none. */
function authTokenSecret(scope: Construct, auth: CacheAuth): secretsmanager.ISecret | undefined {
  if (auth.kind === 'generated-token') {
    return new secretsmanager.Secret(scope, 'AuthToken', {
      description: `AUTH token of ${scope.node.path}`,
      encryptionKey: auth.secretEncryptionKey,
      generateSecretString: {
        passwordLength: auth.tokenLength,
        excludeCharacters: AUTH_TOKEN_EXCLUDED_CHARACTERS,
        includeSpace: false,
      },
    });
  }
  return auth.kind === 'token-from-secret' ? auth.secret : undefined;
}

/** `{{resolve:secretsmanager:...}}`: CloudFormation resolves it, the token never enters the template. */
function dynamicReference(secret: secretsmanager.ISecret, jsonField: string | undefined): string {
  const value = jsonField === undefined ? secret.secretValue : secret.secretValueFromJson(jsonField);
  return value.unsafeUnwrap();
}

function deliveryLogGroup(scope: Construct, id: string, options: CacheLogOptions): logs.ILogGroup {
  return options.logGroup ?? new logs.LogGroup(scope, id, {
    retention: options.retention ?? logs.RetentionDays.ONE_MONTH,
  });
}
