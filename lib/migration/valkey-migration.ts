import { createHash } from 'crypto';
import { Annotations, ArnFormat, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CacheEngine } from '../elasticache/engine';
import { ValkeyEngineVersion } from '../elasticache/engine-version';
import { ReplicationGroup, renderReplicationGroup } from '../elasticache/replication-group';
import { Topology } from '../elasticache/topology';
import { CacheConfigurationError, CacheErrorCodes } from '../errors';
import { acknowledgeWildcard, wildcardFindingId } from './acknowledge';
import { MigrationProvider } from './provider';
import { MigrationSource } from './source';
import { ValkeyMigrationTargetProps, createReplicationGroupInput, withSlotsForSeeding } from './target';
import {
  ZERO_DOWNTIME_FROM_REDIS,
  inPlaceFailsOver,
  requireProp,
  targetReplicationGroupId,
  validateClusterModeKnown,
  validateClusterModes,
  validateExclusive,
  validateExportable,
  validateInPlaceParameterGroup,
  validateSnapshotName,
  validateSourceEngine,
  validateSourceKind,
  validateStrategyProps,
  validateTargetPropsTaken,
  validateTargetVersion,
} from './validation';

/** How the engine changes. */
export enum MigrationStrategy {
  /**
   * One ModifyReplicationGroup (engine valkey, the version, and a Valkey parameter group when the
   * source has a custom one), then wait until the group reads valkey and available. Same group,
   * same endpoint; no downtime from Redis OSS 5.0.6, a 30-60 s failover below. No way back.
   */
  IN_PLACE = 'IN_PLACE',
  /**
   * Snapshot the source, export it to S3, create a new Valkey group seeded from the .rdb files.
   * The source is never modified; the target has a new endpoint (see `cutover`). Writes made to the
   * source after the snapshot are not in the target.
   */
  SNAPSHOT_RESTORE = 'SNAPSHOT_RESTORE',
}

/** Where the cutover record points. */
export enum CutoverTarget {
  /** The source's endpoint: before the switch, and to roll back. */
  SOURCE = 'SOURCE',
  /** The migrated target's endpoint, once the migration has completed. */
  TARGET = 'TARGET',
}

/**
 * A CNAME in a private hosted zone that applications use instead of an ElastiCache endpoint, so
 * that switching from the source to the target (and back) is a DNS change.
 */
export interface MigrationCutoverOptions {
  /** The private hosted zone of the record. */
  readonly zone: route53.IPrivateHostedZone;
  /** The record's name, relative to the zone or fully qualified, e.g. `sessions-cache`. */
  readonly recordName: string;
  /**
   * Where the record points. With TARGET the record is written after the migration completes
   * (its value is the custom resource's EndpointAddress).
   *
   * @default CutoverTarget.TARGET
   */
  readonly pointTo?: CutoverTarget;
  /**
   * The record's TTL: how long clients may keep resolving the old endpoint after a switch.
   *
   * @default Duration.seconds(60)
   */
  readonly ttl?: Duration;
}

/**
 * Server access logging of the export bucket.
 */
export interface ExportBucketAccessLogs {
  /** The bucket that receives the access logs. */
  readonly bucket: s3.IBucket;
  /**
   * Key prefix of the log objects.
   *
   * @default 'valkey-migration-export/'
   */
  readonly prefix?: string;
}

/**
 * Props of {@link ValkeyMigration}.
 */
export interface ValkeyMigrationProps {
  /** The Redis OSS replication group to migrate. */
  readonly source: MigrationSource;
  /** The Valkey version to migrate to (7.2 or later). */
  readonly targetVersion: ValkeyEngineVersion;
  /** IN_PLACE or SNAPSHOT_RESTORE. */
  readonly strategy: MigrationStrategy;

  /**
   * IN_PLACE: the static parameters of the source's custom parameter group. A Valkey parameter
   * group of the target's family with these values (plus `cluster-enabled` for a sharded source)
   * is created and switched to in the same ModifyReplicationGroup call. Not with
   * `valkeyParameterGroupName`.
   *
   * @default - the `parameters` of a source that is our ReplicationGroup; otherwise none, and a
   * source with a custom parameter group is refused (at synth time when its name is known)
   */
  readonly sourceParameters?: Record<string, string>;
  /**
   * IN_PLACE: an existing Valkey parameter group (of the target's family) to switch to. Not with
   * `sourceParameters`.
   *
   * @default - created from `sourceParameters`, or the source keeps ElastiCache's default group
   */
  readonly valkeyParameterGroupName?: string;

  /**
   * SNAPSHOT_RESTORE (required): the new Valkey replication group, with the props of our
   * ReplicationGroup. Its AUTH token (the default, `CacheAuth.token()`, generates one in Secrets
   * Manager) is read by the handler from the secret at run time; a user group works as well.
   */
  readonly target?: ValkeyMigrationTargetProps;
  /**
   * SNAPSHOT_RESTORE: the name of the snapshot, which also prefixes the exported .rdb objects.
   *
   * @default - `<source>-to-valkey-<hash>`, stable for this construct, target and version
   */
  readonly snapshotName?: string;
  /**
   * SNAPSHOT_RESTORE: keep the ElastiCache snapshot when the migration resource is deleted. The
   * exported .rdb objects stay in the bucket either way.
   *
   * @default true
   */
  readonly retainSnapshot?: boolean;
  /**
   * SNAPSHOT_RESTORE: what happens to the export bucket (and the .rdb files in it) when it leaves
   * the stack.
   *
   * @default RemovalPolicy.RETAIN - the exported data is never deleted by surprise
   */
  readonly exportBucketRemovalPolicy?: RemovalPolicy;
  /**
   * SNAPSHOT_RESTORE: server access logging of the export bucket.
   *
   * @default - none (cdk-nag AwsSolutions-S1 is acknowledged with a reason)
   */
  readonly exportBucketAccessLogs?: ExportBucketAccessLogs;
  /**
   * SNAPSHOT_RESTORE: a private DNS record applications use, pointing at the source or the target.
   *
   * @default - no record: applications switch endpoints themselves
   */
  readonly cutover?: MigrationCutoverOptions;
}

/** Props each strategy takes (beyond source, targetVersion and strategy). */
const IN_PLACE_PROPS = ['sourceParameters', 'valkeyParameterGroupName'] as const;
const SNAPSHOT_RESTORE_PROPS = [
  'target', 'snapshotName', 'retainSnapshot', 'exportBucketRemovalPolicy', 'exportBucketAccessLogs', 'cutover',
] as const;

/** The CloudFormation custom resource type. */
export const MIGRATION_RESOURCE_TYPE = 'Custom::ValkeyMigration';

/**
 * Migrates a Redis OSS replication group on ElastiCache to Valkey, as a CloudFormation custom
 * resource (the handler in lib/migration/handler).
 *
 * - IN_PLACE changes the engine of the source group: same endpoint, no way back.
 * - SNAPSHOT_RESTORE leaves the source untouched and creates a new Valkey group from an exported
 *   snapshot, with the same props our ReplicationGroup takes; an optional private CNAME switches
 *   applications over, and back.
 *
 * One custom resource operation may run 55 minutes (CloudFormation's limit is an hour); a longer
 * migration fails the deployment, and the next deployment resumes where it stopped.
 *
 * @example
 * new ValkeyMigration(this, 'ToValkey', {
 *   source: MigrationSource.fromReplicationGroupId('legacy-sessions', {
 *     engine: CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_6_2 }),
 *   }),
 *   targetVersion: ValkeyEngineVersion.VER_8_1,
 *   strategy: MigrationStrategy.IN_PLACE,
 * });
 */
export class ValkeyMigration extends Construct implements ec2.IConnectable {
  /** The custom resource. */
  public readonly resource: CustomResource;
  /** The strategy. */
  public readonly strategy: MigrationStrategy;
  /** The id of the Valkey group after the migration: the source's (IN_PLACE) or the new one. */
  public readonly targetReplicationGroupId: string;
  /**
   * The endpoint applications use after the migration (configuration endpoint in cluster mode,
   * else primary), from the custom resource's Data.
   */
  public readonly endpointAddress: string;
  /** The endpoint's port, from the custom resource's Data. */
  public readonly endpointPort: string;
  /** The Valkey version ElastiCache reports after the migration, e.g. `8.1.0`. */
  public readonly engineVersion: string;
  /**
   * The target's security groups (SNAPSHOT_RESTORE), or the source's when it is a construct.
   * Allow applications with `connections.allowDefaultPortFrom(...)`.
   */
  public readonly connections: ec2.Connections;
  /**
   * IN_PLACE: the Valkey parameter group created from the source's parameters.
   *
   * @default - undefined when no parameter group was created
   */
  public readonly valkeyParameterGroup?: elasticache.CfnParameterGroup;
  /**
   * SNAPSHOT_RESTORE: the bucket the snapshot is exported into.
   *
   * @default - undefined for IN_PLACE
   */
  public readonly exportBucket?: s3.Bucket;
  /**
   * SNAPSHOT_RESTORE: the snapshot's name, also the prefix of the exported objects.
   *
   * @default - undefined for IN_PLACE
   */
  public readonly snapshotName?: string;
  /**
   * SNAPSHOT_RESTORE: the secret holding the target's AUTH token (retained: the target outlives
   * the stack).
   *
   * @default - undefined without token authentication
   */
  public readonly targetSecret?: secretsmanager.ISecret;
  /**
   * The cutover record.
   *
   * @default - undefined without `cutover`
   */
  public readonly cutoverRecord?: route53.CnameRecord;

  private readonly provider: MigrationProvider;

  constructor(scope: Construct, id: string, props: ValkeyMigrationProps) {
    super(scope, id);
    const { source, targetVersion, strategy } = props;
    this.strategy = strategy;

    validateSourceKind(source);
    validateTargetVersion(targetVersion);
    const snapshotRestore = strategy === MigrationStrategy.SNAPSHOT_RESTORE;
    validateSourceEngine(source, targetVersion, snapshotRestore);
    const given: Record<string, unknown> = {
      sourceParameters: props.sourceParameters,
      valkeyParameterGroupName: props.valkeyParameterGroupName,
      target: props.target,
      snapshotName: props.snapshotName,
      retainSnapshot: props.retainSnapshot,
      exportBucketRemovalPolicy: props.exportBucketRemovalPolicy,
      exportBucketAccessLogs: props.exportBucketAccessLogs,
      cutover: props.cutover,
    };
    validateStrategyProps(strategy, given, snapshotRestore ? SNAPSHOT_RESTORE_PROPS : IN_PLACE_PROPS);

    this.provider = MigrationProvider.of(this);
    const properties = snapshotRestore ? this.snapshotRestore(props) : this.inPlace(props);
    this.targetReplicationGroupId = properties.targetId;
    this.valkeyParameterGroup = properties.valkeyParameterGroup;
    this.exportBucket = properties.exportBucket;
    this.snapshotName = properties.snapshotName;
    this.targetSecret = properties.targetSecret;

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: MIGRATION_RESOURCE_TYPE,
      properties: properties.resourceProperties,
      // CloudFormation's maximum; the Provider framework gives up five minutes earlier.
      serviceTimeout: Duration.seconds(3600),
    });
    for (const dependency of properties.dependencies) {
      this.resource.node.addDependency(dependency);
    }
    this.endpointAddress = this.resource.getAttString('EndpointAddress');
    this.endpointPort = this.resource.getAttString('EndpointPort');
    this.engineVersion = this.resource.getAttString('EngineVersion');
    this.connections = properties.connections;

    if (props.cutover !== undefined) {
      this.cutoverRecord = this.cutover(props.cutover, source);
    }
  }

  private inPlace(props: ValkeyMigrationProps): StrategyRendering {
    const { source, targetVersion } = props;
    validateExclusive('sourceParameters', props.sourceParameters, 'valkeyParameterGroupName', props.valkeyParameterGroupName);
    const parameters = props.sourceParameters ?? (props.valkeyParameterGroupName === undefined ? source.parameters : undefined);
    validateInPlaceParameterGroup(source, parameters, props.valkeyParameterGroupName);

    let valkeyParameterGroupName = props.valkeyParameterGroupName;
    let valkeyParameterGroup: elasticache.CfnParameterGroup | undefined;
    if (parameters !== undefined) {
      const clusterMode = validateClusterModeKnown(source);
      const created = new elasticache.CfnParameterGroup(this, 'ValkeyParameterGroup', {
        cacheParameterGroupFamily: targetVersion.parameterGroupFamily,
        description: `Valkey ${targetVersion.version} parameters of ${this.node.path}, the source's static values`,
        properties: clusterMode ? { ...parameters, 'cluster-enabled': 'yes' } : { ...parameters },
      });
      valkeyParameterGroup = created;
      valkeyParameterGroupName = created.ref;
    }

    if (inPlaceFailsOver(source)) {
      Annotations.of(this).addWarningV2(
        'cdk-valkey:migration-failover',
        `The source runs Redis OSS ${source.options.engine?.engineVersion ?? ''}, below ${ZERO_DOWNTIME_FROM_REDIS}: ` +
          'the in-place change to Valkey fails over, and clients lose their connections for 30-60 s. ' +
          `Upgrade to Redis OSS ${ZERO_DOWNTIME_FROM_REDIS} or later first for no downtime, or plan the window.`,
      );
    }
    if (source.group instanceof ReplicationGroup) {
      Annotations.of(this).addWarningV2(
        'cdk-valkey:migration-stale-engine',
        `The source ${source.group.node.path} is defined in this app with engine ${source.group.engine.displayName} ` +
          `${source.group.engine.engineVersion}. After this migration its template still says so: in the next deployment ` +
          `set its engine to CacheEngine.valkey({ version: ValkeyEngineVersion.of('${targetVersion.version}') }) ` +
          '(and keep its parameters), which ElastiCache then finds already done.',
      );
    }

    const permissions = new MigrationPermissions(this, this.provider, source.id);
    permissions.inPlace(valkeyParameterGroupName);

    return {
      targetId: source.id,
      valkeyParameterGroup,
      resourceProperties: {
        Strategy: MigrationStrategy.IN_PLACE,
        SourceReplicationGroupId: source.id,
        TargetEngineVersion: targetVersion.version,
        ValkeyParameterGroupName: valkeyParameterGroupName,
      },
      dependencies: [],
      connections: source.connections ?? new ec2.Connections(),
    };
  }

  private snapshotRestore(props: ValkeyMigrationProps): StrategyRendering {
    const { source, targetVersion } = props;
    requireProp(MigrationStrategy.SNAPSHOT_RESTORE, 'target', props.target);
    const target = props.target as ValkeyMigrationTargetProps;
    validateTargetPropsTaken(target);
    validateExportable(source);
    const targetId = targetReplicationGroupId(source, target.replicationGroupId);
    validateSnapshotName(props.snapshotName);

    // The target: rendered by ReplicationGroup's own renderer, in a scope of its own.
    const targetScope = new Construct(this, 'Target');
    const topology = withSlotsForSeeding(target.topology ?? Topology.primaryWithReplicas({ replicas: 1 }));
    validateClusterModes(source, topology);
    const rendered = renderReplicationGroup(targetScope, {
      ...target,
      engine: CacheEngine.valkey({ version: targetVersion }),
      topology,
      replicationGroupId: targetId,
      description: target.description ?? `Valkey ${targetVersion.version}, migrated from ${source.literalId ?? 'a Redis OSS group'}`,
    });
    if (rendered.auth.kind === 'generated-token' && rendered.secret !== undefined) {
      // CloudFormation never deletes the target (the custom resource made it): neither its token.
      rendered.secret.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }

    const bucket = this.createExportBucket(props);
    const snapshotName = props.snapshotName ?? this.defaultSnapshotName(source, targetId, targetVersion);

    const cfn = rendered.cfnProps;
    const permissions = new MigrationPermissions(this, this.provider, source.id);
    permissions.snapshotRestore({
      targetId,
      snapshotName,
      bucket,
      retainSnapshot: props.retainSnapshot ?? true,
      parameterGroupName: cfn.cacheParameterGroupName,
      subnetGroupName: cfn.cacheSubnetGroupName,
      userGroupIds: cfn.userGroupIds,
      secret: rendered.auth.usesToken ? rendered.secret : undefined,
      encryptionKeyArn: cfn.kmsKeyId,
    });

    const stack = Stack.of(this);
    return {
      targetId,
      exportBucket: bucket,
      snapshotName,
      targetSecret: rendered.secret,
      resourceProperties: {
        Strategy: MigrationStrategy.SNAPSHOT_RESTORE,
        SourceReplicationGroupId: source.id,
        TargetEngineVersion: targetVersion.version,
        // A JSON string, so numbers and booleans survive CloudFormation's stringification.
        TargetReplicationGroup: stack.toJsonString(createReplicationGroupInput(cfn)),
        ExportBucketName: bucket.bucketName,
        SnapshotName: snapshotName,
        RetainSnapshot: String(props.retainSnapshot ?? true),
        ...(rendered.auth.usesToken && rendered.secret !== undefined ? {
          TargetAuthTokenSecretArn: rendered.secret.secretArn,
          ...(rendered.auth.jsonField === undefined ? {} : { TargetAuthTokenSecretJsonField: rendered.auth.jsonField }),
        } : {}),
      },
      // ElastiCache writes into the bucket as its service principal: the policy must exist first.
      dependencies: bucket.policy === undefined ? [] : [bucket.policy],
      connections: rendered.connections,
    };
  }

  private createExportBucket(props: ValkeyMigrationProps): s3.Bucket {
    const region = Stack.of(this).region;
    const bucket = new s3.Bucket(this, 'ExportBucket', {
      // ElastiCache exports only into SSE-S3 buckets (no SSE-KMS).
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: props.exportBucketRemovalPolicy ?? RemovalPolicy.RETAIN,
      serverAccessLogsBucket: props.exportBucketAccessLogs?.bucket,
      serverAccessLogsPrefix: props.exportBucketAccessLogs === undefined
        ? undefined
        : props.exportBucketAccessLogs.prefix ?? 'valkey-migration-export/',
    });
    // ACLs are disabled on new buckets, so ElastiCache's regional snapshot principal is granted
    // access here (ElastiCache guide, "Exporting a backup": step 2).
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ElastiCacheSnapshotExport',
      principals: [new iam.ServicePrincipal(`${region}.elasticache-snapshot.amazonaws.com`)],
      actions: [
        's3:PutObject',
        's3:GetObject',
        's3:ListBucket',
        's3:GetBucketAcl',
        's3:ListMultipartUploadParts',
        's3:ListBucketMultipartUploads',
      ],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    }));
    return bucket;
  }

  /** `<source>-to-valkey-<hash8>`: stable across synths, new for another target or version. */
  private defaultSnapshotName(source: MigrationSource, targetId: string, targetVersion: ValkeyEngineVersion): string {
    const hash = createHash('sha256').update([this.node.path, targetId, targetVersion.version].join('\n')).digest('hex').slice(0, 8);
    const prefix = (source.literalId ?? 'migration').slice(0, 40).replace(/-+$/, '');
    return `${prefix}-to-valkey-${hash}`;
  }

  private cutover(options: MigrationCutoverOptions, source: MigrationSource): route53.CnameRecord {
    const pointTo = options.pointTo ?? CutoverTarget.TARGET;
    let domainName: string;
    if (pointTo === CutoverTarget.TARGET) {
      domainName = this.endpointAddress;
    } else {
      const address = source.options.endpointAddress;
      if (address === undefined) {
        throw CacheConfigurationError.invalid(
          CacheErrorCodes.INVALID_MIGRATION_PROPS,
          'cutover.pointTo',
          'can be CutoverTarget.SOURCE only when the source\'s endpoint is known: give endpointAddress in the source options',
          pointTo,
        );
      }
      domainName = address;
    }
    return new route53.CnameRecord(this, 'CutoverRecord', {
      zone: options.zone,
      recordName: options.recordName,
      domainName,
      ttl: options.ttl ?? Duration.seconds(60),
      comment: `cdk-valkey migration ${this.node.path}: points at the ${pointTo === CutoverTarget.TARGET ? 'Valkey target' : 'Redis OSS source'}`,
    });
  }
}

/** What a strategy hands to the custom resource. */
interface StrategyRendering {
  readonly targetId: string;
  readonly valkeyParameterGroup?: elasticache.CfnParameterGroup;
  readonly exportBucket?: s3.Bucket;
  readonly snapshotName?: string;
  readonly targetSecret?: secretsmanager.ISecret;
  readonly resourceProperties: Record<string, string | undefined>;
  readonly dependencies: Construct[];
  readonly connections: ec2.Connections;
}

/** Why a member-cluster ARN ends in a wildcard. */
const MEMBER_CLUSTERS =
  'member clusters are named by ElastiCache (<group id>-001, <group id>-0001-001, …) and change with scaling and node ' +
  'replacement, so they are granted by the prefix of the one group concerned.';
/** Why an object ARN of the export bucket ends in a wildcard. */
const SNAPSHOT_OBJECTS =
  'the export writes <snapshot name>.rdb, or <snapshot name>-0001.rdb … one per shard; only this migration\'s snapshot ' +
  'name prefix is granted, in the bucket made for it.';

interface SnapshotRestoreGrants {
  readonly targetId: string;
  readonly snapshotName: string;
  readonly bucket: s3.IBucket;
  readonly retainSnapshot: boolean;
  readonly parameterGroupName?: string;
  readonly subnetGroupName?: string;
  readonly userGroupIds?: string[];
  readonly secret?: secretsmanager.ISecret;
  readonly encryptionKeyArn?: string;
}

/**
 * The handler's IAM statements for one migration: one action per statement, each scoped to the
 * resources that migration involves. onEvent gets every statement; isComplete only what its
 * calls need (it never modifies the source, lists tags, or deletes the snapshot).
 */
class MigrationPermissions {
  constructor(private readonly scope: Construct, private readonly provider: MigrationProvider, private readonly sourceId: string) {}

  public inPlace(valkeyParameterGroupName: string | undefined): void {
    const source = this.replicationGroupArn(this.sourceId);
    // Read the source's engine and status (pre-flight, then polling).
    this.allow('elasticache:DescribeReplicationGroups', [source], true);
    // Read a member cluster's engine version, parameter group and pending version. Member ids are
    // assigned by ElastiCache (<id>-001, <id>-0001-001 …); the exact id is for the single-node check.
    this.allow('elasticache:DescribeCacheClusters', [this.clusterArn(this.sourceId), this.clusterArn(`${this.sourceId}-*`)], true, MEMBER_CLUSTERS);
    // The engine change itself, with the Valkey parameter group in the same call.
    this.allow('elasticache:ModifyReplicationGroup', [
      source,
      ...(valkeyParameterGroupName === undefined ? [] : [this.arn('parametergroup', valkeyParameterGroupName)]),
    ], false);
  }

  public snapshotRestore(grants: SnapshotRestoreGrants): void {
    const source = this.replicationGroupArn(this.sourceId);
    const target = this.replicationGroupArn(grants.targetId);
    const targetClusters = this.clusterArn(`${grants.targetId}-*`);
    const snapshot = this.arn('snapshot', grants.snapshotName);
    const objects = grants.bucket.arnForObjects(`${grants.snapshotName}*`);

    // Read the source (pre-flight) and the target (does it exist yet; is it available).
    this.allow('elasticache:DescribeReplicationGroups', [source, target], true);
    // Read member clusters of the source (engine version) and of the target (reported version).
    this.allow('elasticache:DescribeCacheClusters', [
      this.clusterArn(this.sourceId), this.clusterArn(`${this.sourceId}-*`), targetClusters,
    ], true, MEMBER_CLUSTERS);
    // Pre-flight: an existing target must carry this migration's tag.
    this.allow('elasticache:ListTagsForResource', [target], false);
    // Follow the snapshot.
    this.allow('elasticache:DescribeSnapshots', [snapshot], true);
    // Snapshot the source (read-only for the source's data).
    this.allow('elasticache:CreateSnapshot', [source, snapshot], true);
    // Tag the snapshot and the target (and its clusters) with the migration id on creation.
    this.allow('elasticache:AddTagsToResource', [snapshot, target, targetClusters], true, MEMBER_CLUSTERS);
    // Export the snapshot to the bucket.
    this.allow('elasticache:CopySnapshot', [snapshot], true);
    // The caller of an export needs these on the bucket (ElastiCache guide, "Exporting a backup").
    this.allow('s3:GetBucketLocation', [grants.bucket.bucketArn], true);
    // … and ListAllMyBuckets, which has no resource-level permissions (AwsSolutions-IAM5 acknowledged).
    this.allow('s3:ListAllMyBuckets', ['*'], true,
      'has no resource-level permissions in S3, and ElastiCache requires it of the caller of CopySnapshot to a bucket.');
    // List the exported .rdb objects.
    this.allow('s3:ListBucket', [grants.bucket.bucketArn], true);
    // Export: write, read and replace the snapshot's own objects only (keys start with its name).
    this.allow('s3:PutObject', [objects], true, SNAPSHOT_OBJECTS);
    this.allow('s3:GetObject', [objects], true, SNAPSHOT_OBJECTS);
    this.allow('s3:DeleteObject', [objects], true, SNAPSHOT_OBJECTS);
    // Create the target, with its own parameter group, subnet group and user group.
    this.allow('elasticache:CreateReplicationGroup', [
      target,
      targetClusters,
      ...(grants.parameterGroupName === undefined ? [] : [this.arn('parametergroup', grants.parameterGroupName)]),
      ...(grants.subnetGroupName === undefined ? [] : [this.arn('subnetgroup', grants.subnetGroupName)]),
      ...(grants.userGroupIds ?? []).map((id) => this.arn('usergroup', id)),
    ], true, MEMBER_CLUSTERS);
    if (!grants.retainSnapshot) {
      // Delete: remove the migration's own snapshot (retainSnapshot false).
      this.allow('elasticache:DeleteSnapshot', [snapshot], false);
    }
    if (grants.secret !== undefined) {
      // Read the target's AUTH token when creating it; never the token of anything else.
      this.allow('secretsmanager:GetSecretValue', [grants.secret.secretArn], true);
      if (grants.secret.encryptionKey !== undefined) {
        // Decrypt that secret, through Secrets Manager only.
        this.provider.addStatement(new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [grants.secret.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this.scope).region}.amazonaws.com` } },
        }), true);
      }
    }
    if (grants.encryptionKeyArn !== undefined) {
      // A customer managed key for the target's encryption at rest: ElastiCache creates a grant on it
      // on the caller's behalf, through ElastiCache only.
      for (const action of ['kms:CreateGrant', 'kms:DescribeKey']) {
        this.provider.addStatement(new iam.PolicyStatement({
          actions: [action],
          resources: [grants.encryptionKeyArn],
          conditions: { StringEquals: { 'kms:ViaService': `elasticache.${Stack.of(this.scope).region}.amazonaws.com` } },
        }), true);
      }
    }
  }

  private allow(action: string, resources: string[], alsoIsComplete: boolean, wildcardReason?: string): void {
    this.provider.addStatement(new iam.PolicyStatement({ actions: [action], resources }), alsoIsComplete);
    for (const resource of resources.filter((r) => this.flattenedHasWildcard(r))) {
      if (wildcardReason === undefined) {
        throw new Error(`internal: no reason given for the wildcard resource of ${action}`);
      }
      for (const role of this.provider.roles(alsoIsComplete)) {
        acknowledgeWildcard(role, resource, `${action}: ${wildcardReason}`);
      }
    }
  }

  private flattenedHasWildcard(resource: string): boolean {
    return wildcardFindingId(this.scope, resource).slice('AwsSolutions-IAM5[Resource::'.length).includes('*');
  }

  private replicationGroupArn(id: string): string {
    return this.arn('replicationgroup', id);
  }

  private clusterArn(id: string): string {
    return this.arn('cluster', id);
  }

  private arn(resource: string, resourceName: string): string {
    return Stack.of(this.scope).formatArn({ service: 'elasticache', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
}
