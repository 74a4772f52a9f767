import type { CreateReplicationGroupCommandInput, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * The events the CDK Provider framework (aws-cdk-lib/custom-resources) passes to onEvent and
 * isComplete. Declared here rather than imported, because the framework's own declaration is an
 * ambient namespace that depends on @types/aws-lambda.
 */
export interface MigrationEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly RequestId: string;
  readonly StackId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType?: string;
  readonly ServiceToken?: string;
  readonly ResponseURL?: string;
  /** Sent with Update and Delete (and, to isComplete, whatever onEvent returned). */
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: RawProperties;
  readonly OldResourceProperties?: RawProperties;
}

/**
 * Resource properties as CloudFormation delivers them: every scalar arrives as a string, whatever
 * type the template used.
 */
export interface RawProperties {
  readonly [key: string]: unknown;
}

export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: MigrationData;
}

export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: MigrationData;
}

export type MigrationStrategy = 'IN_PLACE' | 'SNAPSHOT_RESTORE';

/** The resource properties after parsing and validation. */
export interface MigrationProperties {
  readonly strategy: MigrationStrategy;
  readonly sourceReplicationGroupId: string;
  /** `major.minor`, at least 7.2. */
  readonly targetEngineVersion: string;
  /** IN_PLACE: the Valkey parameter group to switch to in the same ModifyReplicationGroup call. */
  readonly valkeyParameterGroupName?: string;
  /** SNAPSHOT_RESTORE: CreateReplicationGroup input for the target, without engine or seed. */
  readonly target?: CreateReplicationGroupCommandInput;
  /** SNAPSHOT_RESTORE: the bucket ElastiCache exports the .rdb files into. */
  readonly exportBucketName?: string;
  /** SNAPSHOT_RESTORE: overrides the derived snapshot name. */
  readonly snapshotName?: string;
  /** Delete: keep the migration's ElastiCache snapshot (default true). */
  readonly retainSnapshot: boolean;
  /**
   * SNAPSHOT_RESTORE: the Secrets Manager secret holding the target's AUTH token, read when the
   * target is created. Not part of what defines the migration (an existing target is not changed).
   */
  readonly targetAuthTokenSecretArn?: string;
  /** SNAPSHOT_RESTORE: the JSON field of that secret holding the token; the whole string without it. */
  readonly targetAuthTokenSecretJsonField?: string;
}

/**
 * Attributes returned to CloudFormation (Fn::GetAtt). All values are strings: CloudFormation
 * attributes are strings, and lists are joined with commas (export keys never contain one).
 */
export interface MigrationData {
  readonly Strategy: MigrationStrategy;
  readonly TargetReplicationGroupId: string;
  readonly EndpointAddress: string;
  readonly EndpointPort: string;
  readonly Engine: string;
  readonly EngineVersion: string;
  /** Empty for IN_PLACE. */
  readonly SnapshotName: string;
  /** Comma-separated S3 keys of the exported .rdb files; empty for IN_PLACE. */
  readonly ExportedObjectKeys: string;
  /** `none`, or a description of the failover an in-place upgrade from below Redis OSS 5.0.6 causes. */
  readonly ExpectedDowntime: string;
}

/** The SDK clients the handler talks through; injected so tests can point them anywhere. */
export interface MigrationClients {
  readonly elastiCache: ElastiCacheClient;
  readonly s3: S3Client;
  /** Reads the target's AUTH token (SNAPSHOT_RESTORE with TargetAuthTokenSecretArn only). */
  readonly secretsManager?: SecretsManagerClient;
}

/** Everything a handler call depends on besides the event. */
export interface HandlerContext extends MigrationClients {
  /** One JSON line per step. */
  readonly log: (step: string, fields?: Record<string, unknown>) => void;
  /** Waits between retries; tests pass one that does not wait. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Source of jitter, [0, 1). */
  readonly random: () => number;
}
