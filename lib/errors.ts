/**
 * The one error class the constructs of this package throw for a configuration that AWS would
 * reject (or that we refuse on purpose), with a stable `code` callers and tests can match on.
 *
 * Messages follow one shape: `<prop> <rule>; received <value>`, so that a reader knows which prop
 * to change, what the limit is, and what was actually passed.
 */

/**
 * Stable codes of {@link CacheConfigurationError}. New codes may be added; existing codes keep
 * their meaning.
 */
export const CacheErrorCodes = {
  /** An engine version string ElastiCache does not accept (format, or below the engine's floor). */
  INVALID_ENGINE_VERSION: 'INVALID_ENGINE_VERSION',
  /** An engine version whose major version has no known parameter-group family. */
  UNKNOWN_ENGINE_MAJOR_VERSION: 'UNKNOWN_ENGINE_MAJOR_VERSION',
  /** A node type that is not `cache.<family>.<size>`. */
  INVALID_NODE_TYPE: 'INVALID_NODE_TYPE',
  /** Cluster mode disabled: a primary plus 0–5 replicas. */
  INVALID_NUM_CACHE_CLUSTERS: 'INVALID_NUM_CACHE_CLUSTERS',
  /** Cluster mode enabled: 1–500 shards (250 below Redis OSS 5.0.6). */
  INVALID_NUM_SHARDS: 'INVALID_NUM_SHARDS',
  /** Cluster mode enabled: 0–5 replicas per shard. */
  INVALID_REPLICAS_PER_SHARD: 'INVALID_REPLICAS_PER_SHARD',
  /** Multi-AZ or automatic failover asked for where the topology cannot provide it. */
  INVALID_MULTI_AZ: 'INVALID_MULTI_AZ',
  /** Two props that cannot be given together, or a prop that needs another one. */
  CONFLICTING_PROPS: 'CONFLICTING_PROPS',
  /** The subnet selection is empty. */
  INVALID_SUBNET_SELECTION: 'INVALID_SUBNET_SELECTION',
  /** A parameter group setting that contradicts the topology. */
  INVALID_PARAMETER_GROUP: 'INVALID_PARAMETER_GROUP',
  /** A transit encryption mode the engine or the transit encryption setting does not allow. */
  INVALID_TRANSIT_ENCRYPTION: 'INVALID_TRANSIT_ENCRYPTION',
  /** A feature (AUTH, user groups, durability) that needs transit encryption, with it off. */
  TRANSIT_ENCRYPTION_REQUIRED: 'TRANSIT_ENCRYPTION_REQUIRED',
  /** A feature (KMS key, durability) that needs encryption at rest, with it off. */
  AT_REST_ENCRYPTION_REQUIRED: 'AT_REST_ENCRYPTION_REQUIRED',
  /** An AUTH token length outside 16–128. */
  INVALID_AUTH_TOKEN: 'INVALID_AUTH_TOKEN',
  /** A user group whose engine the cache does not accept, or RBAC on an engine without it. */
  INVALID_USER_GROUP: 'INVALID_USER_GROUP',
  /** An RBAC user's id, name, engine or authentication that ElastiCache would reject. */
  INVALID_USER: 'INVALID_USER',
  /** An RBAC access string with an unknown rule, a password rule, `reset`, or neither `on` nor `off`. */
  INVALID_ACCESS_STRING: 'INVALID_ACCESS_STRING',
  /** A serverless cache's name, description or usage limits that ElastiCache would reject. */
  INVALID_SERVERLESS_CACHE: 'INVALID_SERVERLESS_CACHE',
  /** Snapshot retention outside 0–35 days. */
  INVALID_SNAPSHOT_RETENTION: 'INVALID_SNAPSHOT_RETENTION',
  /** A snapshot window that is not `hh24:mi-hh24:mi` or shorter than 60 minutes. */
  INVALID_SNAPSHOT_WINDOW: 'INVALID_SNAPSHOT_WINDOW',
  /** A maintenance window that is not `ddd:hh24:mi-ddd:hh24:mi` or shorter than 60 minutes. */
  INVALID_MAINTENANCE_WINDOW: 'INVALID_MAINTENANCE_WINDOW',
  /** The snapshot window overlaps the maintenance window. */
  OVERLAPPING_WINDOWS: 'OVERLAPPING_WINDOWS',
  /** A snapshot ARN that is not an S3 object ARN of an .rdb file, or contains a comma. */
  INVALID_SNAPSHOT_ARN: 'INVALID_SNAPSHOT_ARN',
  /** Missing, malformed, overlapping or incomplete hash-slot ranges. */
  INVALID_SLOTS: 'INVALID_SLOTS',
  /** A log delivery the engine version does not support. */
  INVALID_LOG_DELIVERY: 'INVALID_LOG_DELIVERY',
  /** Durability where ElastiCache does not offer it. */
  INVALID_DURABILITY: 'INVALID_DURABILITY',
  /** Data tiering on a node type or engine that does not have it (or r6gd without it). */
  INVALID_DATA_TIERING: 'INVALID_DATA_TIERING',
  /** IPv6 or dual stack on an engine version or node type that does not support it. */
  INVALID_NETWORK_TYPE: 'INVALID_NETWORK_TYPE',
  /** A replication group id ElastiCache would reject. */
  INVALID_REPLICATION_GROUP_ID: 'INVALID_REPLICATION_GROUP_ID',
  /** A port outside 1–65535. */
  INVALID_PORT: 'INVALID_PORT',
  /** Automatic minor version upgrades on an engine version that does not have them. */
  INVALID_AUTO_MINOR_VERSION_UPGRADE: 'INVALID_AUTO_MINOR_VERSION_UPGRADE',
  /** `fromXxxAttributes` called with neither or both of name and ARN. */
  INVALID_IMPORT_ATTRIBUTES: 'INVALID_IMPORT_ATTRIBUTES',
  /** An attribute that this resource does not have (not imported, or not in this cluster mode). */
  ATTRIBUTE_NOT_AVAILABLE: 'ATTRIBUTE_NOT_AVAILABLE',
  /** A migration source that cannot be migrated as given (a single-node cache cluster, an engine other than Redis OSS). */
  INVALID_MIGRATION_SOURCE: 'INVALID_MIGRATION_SOURCE',
  /** A migration to a Valkey version below the one the source already runs. */
  MIGRATION_DOWNGRADE: 'MIGRATION_DOWNGRADE',
  /** SNAPSHOT_RESTORE from a source whose backups ElastiCache cannot export (data tiering). */
  MIGRATION_NOT_EXPORTABLE: 'MIGRATION_NOT_EXPORTABLE',
  /** A cluster-mode-enabled source with a cluster-mode-disabled target. */
  MIGRATION_CLUSTER_MODE_MISMATCH: 'MIGRATION_CLUSTER_MODE_MISMATCH',
  /** A migration prop that the chosen strategy does not take, or a prop it needs that is missing. */
  INVALID_MIGRATION_PROPS: 'INVALID_MIGRATION_PROPS',
  /** A migration target the handler could not create (its id, or a prop it cannot pass on). */
  INVALID_MIGRATION_TARGET: 'INVALID_MIGRATION_TARGET',
  /** A source with a custom parameter group whose values the migration does not know. */
  MIGRATION_PARAMETER_GROUP_REQUIRED: 'MIGRATION_PARAMETER_GROUP_REQUIRED',
  /** A ReplicationGroup prop that SelfHostedCache cannot honour on one EC2 instance. */
  UNSUPPORTED_ON_SELF_HOSTED: 'UNSUPPORTED_ON_SELF_HOSTED',
  /** A node type or instance type SelfHostedCache cannot map to an EC2 instance. */
  INVALID_INSTANCE_TYPE: 'INVALID_INSTANCE_TYPE',
  /** A self-hosted snapshot interval outside its limits. */
  INVALID_SNAPSHOT_INTERVAL: 'INVALID_SNAPSHOT_INTERVAL',
  /** An engine parameter the self-hosted server's config file cannot take. */
  INVALID_PARAMETER: 'INVALID_PARAMETER',
} as const;

/** One of the stable codes in {@link CacheErrorCodes}. */
export type CacheErrorCode = (typeof CacheErrorCodes)[keyof typeof CacheErrorCodes];

/**
 * A configuration ElastiCache would reject, found at synth time.
 */
export class CacheConfigurationError extends Error {
  /**
   * Builds the message `<prop> <rule>; received <value>`.
   *
   * @param code stable error code
   * @param prop the prop as the user wrote it, e.g. `topology.replicas`
   * @param rule what the prop must be, e.g. `must be between 0 and 5`
   * @param received the value received
   */
  public static invalid(code: CacheErrorCode, prop: string, rule: string, received: unknown): CacheConfigurationError {
    return new CacheConfigurationError(code, `${prop} ${rule}; received ${formatReceived(received)}`);
  }

  /** Stable code naming the rule that was broken. */
  public readonly code: CacheErrorCode;

  constructor(code: CacheErrorCode, message: string) {
    super(message);
    this.name = 'CacheConfigurationError';
    this.code = code;
  }
}

/** Strings quoted, everything else as JSON, so `'7.1'` and `7.1` read differently. */
function formatReceived(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  if (value === undefined) {
    return 'undefined';
  }
  return JSON.stringify(value);
}
