import { createHash } from 'crypto';
import type { CreateReplicationGroupCommandInput, NodeGroupConfiguration, Tag } from '@aws-sdk/client-elasticache';
import { MigrationError } from './errors';
import type { MigrationEvent, MigrationProperties, MigrationStrategy, RawProperties } from './types';

/** The resource property names the handler reads (the construct's side of the contract). */
export const PROPERTY = {
  strategy: 'Strategy',
  sourceReplicationGroupId: 'SourceReplicationGroupId',
  targetEngineVersion: 'TargetEngineVersion',
  valkeyParameterGroupName: 'ValkeyParameterGroupName',
  targetReplicationGroup: 'TargetReplicationGroup',
  exportBucketName: 'ExportBucketName',
  snapshotName: 'SnapshotName',
  retainSnapshot: 'RetainSnapshot',
  targetAuthTokenSecretArn: 'TargetAuthTokenSecretArn',
  targetAuthTokenSecretJsonField: 'TargetAuthTokenSecretJsonField',
} as const;

const STRATEGIES: readonly MigrationStrategy[] = ['IN_PLACE', 'SNAPSHOT_RESTORE'];

/** Valkey's first ElastiCache version; node-based Valkey starts here. */
export const MIN_VALKEY_VERSION = '7.2';

/** Fields of the target's CreateReplicationGroup input the handler owns. */
const HANDLER_OWNED_TARGET_FIELDS = ['SnapshotArns', 'SnapshotName', 'ServerlessCacheSnapshotName', 'GlobalReplicationGroupId'] as const;

function invalid(message: string): MigrationError {
  return new MigrationError('INVALID_PROPERTIES', message);
}

function optionalString(raw: RawProperties, key: string): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw invalid(`${key} must be a string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function requiredString(raw: RawProperties, key: string): string {
  const value = optionalString(raw, key);
  if (value === undefined) {
    throw invalid(`${key} is required`);
  }
  return value;
}

function booleanProperty(raw: RawProperties, key: string, defaultValue: boolean): boolean {
  const value = raw[key];
  if (value === undefined || value === null || value === '') {
    return defaultValue;
  }
  if (value === true || value === 'true') {
    return true;
  }
  if (value === false || value === 'false') {
    return false;
  }
  throw invalid(`${key} must be 'true' or 'false', got ${JSON.stringify(value)}`);
}

/** `7.2` → [7, 2, 0]; `5.0.6` → [5, 0, 6]; undefined for anything else. */
export function parseVersion(version: string): [number, number, number] | undefined {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version.trim());
  if (!match) {
    return undefined;
  }
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? '0')];
}

/** Negative, zero or positive like a comparator; versions that do not parse sort first. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a) ?? [-1, 0, 0];
  const pb = parseVersion(b) ?? [-1, 0, 0];
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) {
      return pa[i] - pb[i];
    }
  }
  return 0;
}

/** `8.0.1` and `8.0` are the same major.minor. */
export function sameMajorMinor(a: string, b: string): boolean {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  return pa !== undefined && pb !== undefined && pa[0] === pb[0] && pa[1] === pb[1];
}

function validateTargetEngineVersion(version: string): void {
  if (!/^\d+\.\d+$/.test(version)) {
    throw invalid(`${PROPERTY.targetEngineVersion} must be written major.minor (e.g. 8.0), got '${version}'`);
  }
  if (compareVersions(version, MIN_VALKEY_VERSION) < 0) {
    throw invalid(`${PROPERTY.targetEngineVersion} must be at least Valkey ${MIN_VALKEY_VERSION}, got '${version}'`);
  }
}

// CloudFormation turns every scalar in a property object into a string. The construct should pass
// the target as a JSON string (Stack.toJsonString) so types survive; when it arrives as an object we
// turn the known numeric and boolean fields back.
const NUMERIC_TARGET_FIELDS = ['NumCacheClusters', 'NumNodeGroups', 'ReplicasPerNodeGroup', 'Port', 'SnapshotRetentionLimit'];
const BOOLEAN_TARGET_FIELDS = [
  'AutomaticFailoverEnabled', 'MultiAZEnabled', 'AutoMinorVersionUpgrade', 'TransitEncryptionEnabled',
  'AtRestEncryptionEnabled', 'DataTieringEnabled',
];

function coerceNumber(field: string, value: unknown): unknown {
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    return Number(value);
  }
  if (value !== undefined && typeof value !== 'number') {
    throw invalid(`${PROPERTY.targetReplicationGroup}.${field} must be a number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function coerceBoolean(field: string, value: unknown): unknown {
  if (value === 'true') {
    return true;
  }
  if (value === 'false') {
    return false;
  }
  if (value !== undefined && typeof value !== 'boolean') {
    throw invalid(`${PROPERTY.targetReplicationGroup}.${field} must be a boolean, got ${JSON.stringify(value)}`);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseTarget(raw: RawProperties, sourceId: string, targetEngineVersion: string): CreateReplicationGroupCommandInput {
  const value = raw[PROPERTY.targetReplicationGroup];
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw invalid(`${PROPERTY.targetReplicationGroup} must be a JSON object (CreateReplicationGroup input); it does not parse as JSON`);
    }
  }
  if (!isRecord(parsed)) {
    throw invalid(`${PROPERTY.targetReplicationGroup} is required for SNAPSHOT_RESTORE and must be an object of CreateReplicationGroup input`);
  }
  const input: Record<string, unknown> = { ...parsed };
  for (const field of NUMERIC_TARGET_FIELDS) {
    input[field] = coerceNumber(field, input[field]);
  }
  for (const field of BOOLEAN_TARGET_FIELDS) {
    input[field] = coerceBoolean(field, input[field]);
  }
  if (input.NodeGroupConfiguration !== undefined) {
    if (!Array.isArray(input.NodeGroupConfiguration) || !input.NodeGroupConfiguration.every(isRecord)) {
      throw invalid(`${PROPERTY.targetReplicationGroup}.NodeGroupConfiguration must be a list of objects`);
    }
    input.NodeGroupConfiguration = input.NodeGroupConfiguration.map((group: Record<string, unknown>) => ({
      ...group,
      ReplicaCount: coerceNumber('NodeGroupConfiguration.ReplicaCount', group.ReplicaCount),
    }));
  }
  for (const key of Object.keys(input)) {
    if (input[key] === undefined) {
      delete input[key];
    }
  }

  const id = input.ReplicationGroupId;
  if (typeof id !== 'string' || id === '') {
    throw invalid(`${PROPERTY.targetReplicationGroup}.ReplicationGroupId is required`);
  }
  if (id.toLowerCase() === sourceId.toLowerCase()) {
    throw invalid(`${PROPERTY.targetReplicationGroup}.ReplicationGroupId must differ from the source (${sourceId}): SNAPSHOT_RESTORE creates a new group`);
  }
  for (const field of HANDLER_OWNED_TARGET_FIELDS) {
    if (input[field] !== undefined) {
      throw invalid(`${PROPERTY.targetReplicationGroup}.${field} must not be set: the handler seeds the target from the exported snapshot`);
    }
  }
  if (input.AuthToken !== undefined) {
    throw invalid(
      `${PROPERTY.targetReplicationGroup}.AuthToken must not be set: custom resource properties are stored in plain text. ` +
      'Use UserGroupIds, or set the token on the target after the migration',
    );
  }
  if (input.Engine !== undefined && String(input.Engine).toLowerCase() !== 'valkey') {
    throw invalid(`${PROPERTY.targetReplicationGroup}.Engine must be valkey (or left out), got '${String(input.Engine)}'`);
  }
  if (input.EngineVersion !== undefined && input.EngineVersion !== targetEngineVersion) {
    throw invalid(
      `${PROPERTY.targetReplicationGroup}.EngineVersion ('${String(input.EngineVersion)}') must equal ` +
      `${PROPERTY.targetEngineVersion} ('${targetEngineVersion}') or be left out`,
    );
  }
  if (input.Tags !== undefined && !(Array.isArray(input.Tags) && input.Tags.every(isRecord))) {
    throw invalid(`${PROPERTY.targetReplicationGroup}.Tags must be a list of {Key, Value}`);
  }
  if (typeof input.ReplicationGroupDescription !== 'string' || input.ReplicationGroupDescription === '') {
    input.ReplicationGroupDescription = `Valkey ${targetEngineVersion}, migrated from ${sourceId}`;
  }
  return input as unknown as CreateReplicationGroupCommandInput;
}

/** Parses and validates the resource properties; throws MigrationError('INVALID_PROPERTIES'). */
export function parseProperties(raw: RawProperties): MigrationProperties {
  const strategy = requiredString(raw, PROPERTY.strategy);
  if (!(STRATEGIES as readonly string[]).includes(strategy)) {
    throw invalid(`${PROPERTY.strategy} must be one of ${STRATEGIES.join(', ')}, got '${strategy}'`);
  }
  const sourceReplicationGroupId = requiredString(raw, PROPERTY.sourceReplicationGroupId);
  const targetEngineVersion = requiredString(raw, PROPERTY.targetEngineVersion);
  validateTargetEngineVersion(targetEngineVersion);
  const retainSnapshot = booleanProperty(raw, PROPERTY.retainSnapshot, true);

  if (strategy === 'IN_PLACE') {
    return {
      strategy,
      sourceReplicationGroupId,
      targetEngineVersion,
      valkeyParameterGroupName: optionalString(raw, PROPERTY.valkeyParameterGroupName),
      retainSnapshot,
    };
  }
  const snapshotName = optionalString(raw, PROPERTY.snapshotName);
  if (snapshotName !== undefined) {
    validateSnapshotName(snapshotName);
  }
  const target = parseTarget(raw, sourceReplicationGroupId, targetEngineVersion);
  const targetAuthTokenSecretArn = optionalString(raw, PROPERTY.targetAuthTokenSecretArn);
  const targetAuthTokenSecretJsonField = optionalString(raw, PROPERTY.targetAuthTokenSecretJsonField);
  validateAuthTokenSecret(target, targetAuthTokenSecretArn, targetAuthTokenSecretJsonField);
  return {
    strategy: 'SNAPSHOT_RESTORE',
    sourceReplicationGroupId,
    targetEngineVersion,
    target,
    exportBucketName: requiredString(raw, PROPERTY.exportBucketName),
    snapshotName,
    retainSnapshot,
    targetAuthTokenSecretArn,
    targetAuthTokenSecretJsonField,
  };
}

/**
 * The target's AUTH token travels as the ARN of its Secrets Manager secret, read at run time: the
 * token itself never enters the resource properties, which CloudFormation keeps in plain text.
 */
function validateAuthTokenSecret(target: CreateReplicationGroupCommandInput, arn: string | undefined, jsonField: string | undefined): void {
  if (arn === undefined) {
    if (jsonField !== undefined) {
      throw invalid(`${PROPERTY.targetAuthTokenSecretJsonField} needs ${PROPERTY.targetAuthTokenSecretArn}`);
    }
    return;
  }
  if (!/^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(arn)) {
    throw invalid(`${PROPERTY.targetAuthTokenSecretArn} must be a Secrets Manager secret ARN, got '${arn}'`);
  }
  if (target.TransitEncryptionEnabled !== true) {
    throw invalid(`${PROPERTY.targetAuthTokenSecretArn} needs ${PROPERTY.targetReplicationGroup}.TransitEncryptionEnabled true: ElastiCache accepts an AUTH token only with TLS`);
  }
  if (target.UserGroupIds !== undefined && target.UserGroupIds.length > 0) {
    throw invalid(`${PROPERTY.targetAuthTokenSecretArn} cannot be given together with ${PROPERTY.targetReplicationGroup}.UserGroupIds`);
  }
}

/**
 * The snapshot name doubles as the prefix of the exported objects (`<name>-0001.rdb`) and appears in
 * the `arn:aws:s3:::bucket/key` seeds, which must not contain commas: keep to ElastiCache's
 * identifier alphabet.
 */
export const MAX_SNAPSHOT_NAME_LENGTH = 63;

function validateSnapshotName(name: string): void {
  if (name.length > MAX_SNAPSHOT_NAME_LENGTH || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw invalid(
      `${PROPERTY.snapshotName} must be 1–${MAX_SNAPSHOT_NAME_LENGTH} lowercase letters, digits and single hyphens, ` +
      `starting with a letter, got '${name}'`,
    );
  }
}

/** What defines a migration: changing any of it is a different migration (a new physical id). */
function definition(props: MigrationProperties): string {
  return JSON.stringify([
    props.strategy,
    props.sourceReplicationGroupId.toLowerCase(),
    props.targetEngineVersion,
    props.valkeyParameterGroupName ?? null,
    props.target ?? null,
    props.exportBucketName ?? null,
    props.snapshotName ?? null,
  ]);
}

function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

type EventIdentity = Pick<MigrationEvent, 'StackId' | 'LogicalResourceId'>;

/**
 * Deterministic: the same stack, logical id and migration definition always give the same id, so a
 * retried Create finds its own work, and an Update that only changes RetainSnapshot keeps the id.
 */
export function physicalResourceId(event: EventIdentity, props: MigrationProperties): string {
  const kind = props.strategy === 'IN_PLACE' ? 'in-place' : 'snapshot-restore';
  const hash = shortHash(event.StackId, event.LogicalResourceId, definition(props)).slice(0, 16);
  return `valkey-migration:${kind}:${props.sourceReplicationGroupId.toLowerCase()}:${hash}`;
}

/** `<source>-to-valkey-<hash>`, at most 63 characters (source ids are at most 40). */
export function snapshotNameFor(event: EventIdentity, props: MigrationProperties): string {
  if (props.snapshotName !== undefined) {
    return props.snapshotName;
  }
  const hash = shortHash(event.StackId, event.LogicalResourceId, definition(props)).slice(0, 8);
  const source = props.sourceReplicationGroupId.toLowerCase().slice(0, 40).replace(/-+$/, '');
  return `${source}-to-valkey-${hash}`;
}

/** True when the target's input describes a cluster-mode-enabled group. */
export function targetIsClusterModeEnabled(target: CreateReplicationGroupCommandInput): boolean {
  const groups: NodeGroupConfiguration[] = target.NodeGroupConfiguration ?? [];
  return target.ClusterMode === 'enabled'
    || (target.NumNodeGroups ?? 0) > 1
    || groups.length > 1
    || groups.some(group => group.Slots !== undefined)
    || (target.CacheParameterGroupName ?? '').includes('cluster.on');
}

export function tagsWithMigrationId(tags: Tag[] | undefined, key: string, value: string): Tag[] {
  return [...(tags ?? []).filter(tag => tag.Key !== key), { Key: key, Value: value }];
}
