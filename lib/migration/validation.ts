/**
 * Synth-time pre-flight of ValkeyMigration: the rules that can be decided from what the app knows
 * about the source and the target. The handler checks the same rules again at deploy time against
 * what ElastiCache reports (lib/migration/handler/preflight.ts), for what the app does not know.
 */
import { Token } from 'aws-cdk-lib';
import { CacheConfigurationError, CacheErrorCodes } from '../errors';
import { ValkeyEngineVersion, versionAtLeast } from '../elasticache/engine-version';
import { Topology } from '../elasticache/topology';
import { MigrationSource } from './source';
import { TARGET_PROPS_NOT_TAKEN, ValkeyMigrationTargetProps } from './target';

/** The Redis OSS version from which an in-place change to Valkey needs no failover. */
export const ZERO_DOWNTIME_FROM_REDIS = '5.0.6';

/** The longest source id that still leaves room for `-valkey` in a 40-character id. */
const MAX_ID_LENGTH = 40;

export function validateSourceKind(source: MigrationSource): void {
  if (source.kind === 'cache-cluster') {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_MIGRATION_SOURCE,
      'source',
      'must be a replication group: a single-node cache cluster has to become one first ' +
        `(CreateReplicationGroup with PrimaryClusterId '${source.id}'), then migrate that replication group`,
      `cache cluster ${source.id}`,
    );
  }
}

/**
 * Engine rules: no downgrade (ElastiCache cannot go down a version in place, nor back from Valkey
 * to Redis OSS), and SNAPSHOT_RESTORE copies a Redis OSS group only (a Valkey source restores
 * natively from an ElastiCache snapshot).
 */
export function validateSourceEngine(source: MigrationSource, targetVersion: ValkeyEngineVersion, snapshotRestore: boolean): void {
  const engine = source.options.engine;
  if (engine === undefined || engine.engineName !== 'valkey') {
    return;
  }
  const from = engine.versionNumber;
  const to = targetVersion.number;
  if (from.major > to.major || (from.major === to.major && from.minor > to.minor)) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.MIGRATION_DOWNGRADE,
      'targetVersion',
      `must not be below the source's Valkey ${engine.engineVersion}: ElastiCache cannot downgrade in place`,
      targetVersion.version,
    );
  }
  if (snapshotRestore) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_MIGRATION_SOURCE,
      'source',
      'must run Redis OSS for SNAPSHOT_RESTORE (a Valkey source restores from its own ElastiCache snapshot; use IN_PLACE to upgrade it)',
      `Valkey ${engine.engineVersion}`,
    );
  }
}

/** Valkey on node-based ElastiCache starts at 7.2. ValkeyEngineVersion.of() already refuses less. */
export function validateTargetVersion(targetVersion: ValkeyEngineVersion): void {
  if (!versionAtLeast(targetVersion.number, 7, 2)) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_ENGINE_VERSION,
      'targetVersion',
      'must be Valkey 7.2 or later',
      targetVersion.version,
    );
  }
}

/** True when the source runs Redis OSS below 5.0.6, where IN_PLACE fails over for 30-60 s. */
export function inPlaceFailsOver(source: MigrationSource): boolean {
  const engine = source.options.engine;
  return engine !== undefined && engine.engineName === 'redis' && engine.capabilities.upgradeToValkey?.zeroDowntime === false;
}

/** Props a strategy does not take are refused rather than silently ignored. */
export function validateStrategyProps(strategy: string, given: Record<string, unknown>, allowed: readonly string[]): void {
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined && !allowed.includes(name)) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_MIGRATION_PROPS,
        name,
        `is not used by strategy ${strategy}`,
        describe(value),
      );
    }
  }
}

export function requireProp(strategy: string, name: string, value: unknown): void {
  if (value === undefined) {
    throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_MIGRATION_PROPS, name, `is required by strategy ${strategy}`, value);
  }
}

export function validateExclusive(aName: string, a: unknown, bName: string, b: unknown): void {
  if (a !== undefined && b !== undefined) {
    throw CacheConfigurationError.invalid(CacheErrorCodes.CONFLICTING_PROPS, aName, `cannot be given together with ${bName}`, describe(a));
  }
}

/**
 * IN_PLACE: a source with a custom parameter group needs a Valkey group with the same static
 * values in the same ModifyReplicationGroup call, so its values (or that group) must be known.
 */
export function validateInPlaceParameterGroup(source: MigrationSource, parameters: unknown, valkeyParameterGroupName: unknown): void {
  const name = source.options.parameterGroupName;
  if (name === undefined || Token.isUnresolved(name) || name.startsWith('default.')) {
    return;
  }
  if (parameters === undefined && valkeyParameterGroupName === undefined) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.MIGRATION_PARAMETER_GROUP_REQUIRED,
      'sourceParameters',
      'is required (or valkeyParameterGroupName) when the source uses a custom parameter group: ElastiCache needs a Valkey ' +
        'parameter group with the same static values in the same ModifyReplicationGroup call',
      `parameter group ${name}`,
    );
  }
}

/** IN_PLACE with sourceParameters: `cluster-enabled` must match the source, so its mode must be known. */
export function validateClusterModeKnown(source: MigrationSource): boolean {
  const clusterMode = source.options.clusterMode;
  if (clusterMode === undefined) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_MIGRATION_PROPS,
      'source clusterMode',
      'must be given with sourceParameters: the Valkey parameter group needs cluster-enabled to match the source',
      clusterMode,
    );
  }
  return clusterMode;
}

/** SNAPSHOT_RESTORE: data tiering (r6gd) backups cannot be exported to S3. */
export function validateExportable(source: MigrationSource): void {
  if (source.options.dataTiering === true) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.MIGRATION_NOT_EXPORTABLE,
      'source',
      'must not use data tiering for SNAPSHOT_RESTORE: ElastiCache cannot export its backups to S3 (use IN_PLACE)',
      'data tiering enabled',
    );
  }
}

/** SNAPSHOT_RESTORE: a cluster-mode-enabled .rdb cannot seed a cluster-mode-disabled group. */
export function validateClusterModes(source: MigrationSource, topology: Topology): void {
  if (source.options.clusterMode === true && !topology.clusterMode) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.MIGRATION_CLUSTER_MODE_MISMATCH,
      'target.topology',
      'must be sharded (cluster mode enabled) like the source: a cluster-mode-enabled .rdb cannot seed a cluster-mode-disabled group',
      'cluster mode disabled',
    );
  }
}

/** Refuses target props the type leaves out (e.g. from JavaScript). */
export function validateTargetPropsTaken(target: ValkeyMigrationTargetProps): void {
  const given = target as unknown as Record<string, unknown>;
  for (const name of TARGET_PROPS_NOT_TAKEN) {
    if (given[name] !== undefined) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_MIGRATION_TARGET,
        `target.${name}`,
        name === 'slowLog' || name === 'engineLog'
          ? 'is not set by the migration: turn log delivery on after it with ModifyReplicationGroup'
          : 'is set by the migration itself',
        describe(given[name]),
      );
    }
  }
}

/**
 * The target's id: given, or `<source>-valkey`. Known at synth time, because every IAM statement
 * about the target is scoped to it.
 */
export function targetReplicationGroupId(source: MigrationSource, given: string | undefined): string {
  if (given !== undefined) {
    if (Token.isUnresolved(given)) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_MIGRATION_TARGET,
        'target.replicationGroupId',
        'must be a literal: the handler\'s permissions are scoped to the target by its id',
        given,
      );
    }
    const sourceId = source.literalId;
    if (sourceId !== undefined && sourceId === given.toLowerCase()) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_MIGRATION_TARGET,
        'target.replicationGroupId',
        'must differ from the source\'s id: SNAPSHOT_RESTORE creates a new replication group beside the source',
        given,
      );
    }
    return given.toLowerCase();
  }
  const sourceId = source.literalId;
  if (sourceId === undefined) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_MIGRATION_TARGET,
      'target.replicationGroupId',
      'is required when the source\'s id is not a literal (it is derived as <source>-valkey otherwise)',
      given,
    );
  }
  return `${sourceId.slice(0, MAX_ID_LENGTH - '-valkey'.length).replace(/-+$/, '')}-valkey`;
}

/** Same alphabet as the handler: the name is also the prefix of the exported S3 objects. */
export function validateSnapshotName(name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  if (name.length > 63 || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_MIGRATION_PROPS,
      'snapshotName',
      'must be 1-63 lowercase letters, digits and single hyphens, starting with a letter (it prefixes the exported .rdb objects)',
      name,
    );
  }
}

function describe(value: unknown): unknown {
  if (value instanceof Topology) {
    return `${value.clusterMode ? 'sharded' : 'cluster mode disabled'} topology`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) {
    return `a ${value.constructor.name}`;
  }
  // Props objects hold constructs (a VPC, a zone): name their keys rather than print them.
  const entries = Object.entries(value);
  return entries.every(([, inner]) => inner === null || typeof inner !== 'object')
    ? value
    : `an object with ${entries.map(([key]) => key).join(', ')}`;
}
