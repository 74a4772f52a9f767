/**
 * Synth-time checks of replication group props against what ElastiCache accepts. Each check
 * skips values that are unresolved tokens (known only at deploy time) and throws a
 * CacheConfigurationError naming the prop, the rule and the value received.
 */
import { Token } from 'aws-cdk-lib';
import { CacheConfigurationError, CacheErrorCodes } from '../errors';
import { CacheAuth } from './auth';
import { ICacheEngine } from './engine';
import { Topology } from './topology';

const HOURS_MINUTES = '([01]\\d|2[0-3]):([0-5]\\d)';
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** Node families not built on the Nitro system: no IPv6 or dual stack. */
const NON_NITRO_FAMILIES = new Set(['t1', 't2', 'm1', 'm2', 'm3', 'm4', 'c1', 'r3', 'r4']);

/**
 * Node families that support durability.
 *
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Durability.Limitations.html
 */
const DURABILITY_FAMILIES = ['r6g', 'r7g', 'r8g', 'm6g', 'm7g', 'm8g', 'c7gn', 'c8gn'];

/** The only node family with data tiering. */
const DATA_TIERING_FAMILY = 'r6gd';

function isUnresolved(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/** A window as minutes: start and length, on a circle of `period` minutes. */
interface Window {
  readonly start: number;
  readonly length: number;
}

/**
 * `cache.<family>.<size>`, e.g. cache.r7g.large. Returns the family, or undefined for a token.
 */
export function validateNodeType(nodeType: string): string | undefined {
  if (isUnresolved(nodeType)) {
    return undefined;
  }
  const match = /^cache\.([a-z][a-z0-9-]*)\.([a-z0-9]+)$/.exec(nodeType);
  if (!match) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_NODE_TYPE,
      'nodeType',
      'must be cache.<family>.<size>, e.g. cache.r7g.large',
      nodeType,
    );
  }
  return match[1];
}

/** 1–40 characters, a letter first, letters digits and hyphens, no `--`, no trailing hyphen. */
export function validateReplicationGroupId(id: string | undefined): void {
  if (id === undefined || isUnresolved(id)) {
    return;
  }
  const rules: Array<[boolean, string]> = [
    [id.length >= 1 && id.length <= 40, 'must be 1 to 40 characters long'],
    [/^[a-zA-Z]/.test(id), 'must start with a letter'],
    [/^[a-zA-Z0-9-]*$/.test(id), 'must contain only letters, digits and hyphens'],
    [!id.includes('--'), 'must not contain two consecutive hyphens'],
    [!id.endsWith('-'), 'must not end with a hyphen'],
  ];
  for (const [ok, rule] of rules) {
    if (!ok) {
      throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_REPLICATION_GROUP_ID, 'replicationGroupId', rule, id);
    }
  }
}

export function validatePort(port: number): void {
  if (isUnresolved(port)) {
    return;
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_PORT, 'port', 'must be an integer between 1 and 65535', port);
  }
}

export function validateSnapshotRetention(days: number): void {
  if (isUnresolved(days)) {
    return;
  }
  if (!Number.isInteger(days) || days < 0 || days > 35) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_SNAPSHOT_RETENTION,
      'snapshotRetentionDays',
      'must be an integer between 0 and 35 (0 turns automatic backups off)',
      days,
    );
  }
}

/** `hh24:mi-hh24:mi` (UTC, daily), at least 60 minutes. Returns the window, or undefined for a token. */
export function validateSnapshotWindow(window: string | undefined): Window | undefined {
  if (window === undefined || isUnresolved(window)) {
    return undefined;
  }
  const match = new RegExp(`^${HOURS_MINUTES}-${HOURS_MINUTES}$`).exec(window);
  if (!match) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_SNAPSHOT_WINDOW,
      'snapshotWindow',
      'must be hh24:mi-hh24:mi in UTC, e.g. 05:00-06:00',
      window,
    );
  }
  const start = Number(match[1]) * 60 + Number(match[2]);
  const end = Number(match[3]) * 60 + Number(match[4]);
  const length = (end - start + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  if (length < 60) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_SNAPSHOT_WINDOW,
      'snapshotWindow',
      'must be at least 60 minutes long',
      window,
    );
  }
  return { start, length };
}

/** `ddd:hh24:mi-ddd:hh24:mi` (UTC, weekly), at least 60 minutes. */
export function validateMaintenanceWindow(window: string | undefined): Window | undefined {
  if (window === undefined || isUnresolved(window)) {
    return undefined;
  }
  const day = `(${DAYS.join('|')})`;
  const match = new RegExp(`^${day}:${HOURS_MINUTES}-${day}:${HOURS_MINUTES}$`, 'i').exec(window);
  if (!match) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_MAINTENANCE_WINDOW,
      'preferredMaintenanceWindow',
      'must be ddd:hh24:mi-ddd:hh24:mi in UTC with ddd one of sun, mon, tue, wed, thu, fri, sat, e.g. sun:23:00-mon:01:30',
      window,
    );
  }
  const minuteOfWeek = (d: string, h: string, m: string) =>
    DAYS.indexOf(d.toLowerCase()) * MINUTES_PER_DAY + Number(h) * 60 + Number(m);
  const start = minuteOfWeek(match[1], match[2], match[3]);
  const end = minuteOfWeek(match[4], match[5], match[6]);
  const length = (end - start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  if (length < 60) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_MAINTENANCE_WINDOW,
      'preferredMaintenanceWindow',
      'must be at least 60 minutes long',
      window,
    );
  }
  return { start, length };
}

/** The daily snapshot window must not overlap the weekly maintenance window on any day. */
export function validateWindowsDoNotOverlap(
  snapshotWindow: string | undefined,
  snapshot: Window | undefined,
  maintenance: Window | undefined,
): void {
  if (!snapshot || !maintenance) {
    return;
  }
  for (let day = 0; day < 7; day++) {
    const daily: Window = { start: day * MINUTES_PER_DAY + snapshot.start, length: snapshot.length };
    if (overlaps(daily, maintenance, MINUTES_PER_WEEK)) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.OVERLAPPING_WINDOWS,
        'snapshotWindow',
        'must not overlap preferredMaintenanceWindow',
        snapshotWindow,
      );
    }
  }
}

function overlaps(a: Window, b: Window, period: number): boolean {
  const bAfterA = (b.start - a.start + period) % period;
  const aAfterB = (a.start - b.start + period) % period;
  return bAfterA < a.length || aAfterB < b.length;
}

/** The shard count fits the engine's limit (500, or 250 below Redis OSS 5.0.6). */
export function validateShardsForEngine(topology: Topology, engine: ICacheEngine): void {
  if (!topology.clusterMode || isUnresolved(topology.shards)) {
    return;
  }
  const max = engine.capabilities.maxShards;
  if (topology.shards > max) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_NUM_SHARDS,
      'topology.shards',
      `must be at most ${max} for ${engine.displayName} ${engine.engineVersion}`,
      topology.shards,
    );
  }
}

/**
 * Multi-AZ and automatic failover need a replica in every shard; Multi-AZ needs automatic failover.
 * A sharded group with 0 replicas and automatic failover on breaks later updates.
 */
export function validateHighAvailability(topology: Topology, multiAz: boolean, automaticFailover: boolean): void {
  if (isUnresolved(topology.replicasPerShard)) {
    return;
  }
  const noReplica = topology.replicasPerShard === 0;
  const shape = topology.clusterMode ? 'every shard has at least one replica (topology.replicasPerShard >= 1)' : 'the topology has at least one replica';
  if (automaticFailover && noReplica) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_MULTI_AZ,
      'automaticFailover',
      `can only be true when ${shape}`,
      automaticFailover,
    );
  }
  if (multiAz && noReplica) {
    throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_MULTI_AZ, 'multiAz', `can only be true when ${shape}`, multiAz);
  }
  if (multiAz && !automaticFailover) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_MULTI_AZ,
      'automaticFailover',
      'must be true when multiAz is true (Multi-AZ fails over automatically)',
      automaticFailover,
    );
  }
}

/** A custom parameter group must agree with the topology on `cluster-enabled`. */
export function validateParameters(parameters: Record<string, string> | undefined, topology: Topology): void {
  const value = parameters?.['cluster-enabled'];
  if (value === undefined || isUnresolved(value)) {
    return;
  }
  const want = topology.clusterMode ? 'yes' : 'no';
  if (value !== want) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_PARAMETER_GROUP,
      "parameters['cluster-enabled']",
      `must be '${want}' (or left out) for ${topology.clusterMode ? 'a sharded topology (cluster mode enabled)' : 'cluster mode disabled'}`,
      value,
    );
  }
}

/** A default parameter group's name must match the engine's family and the cluster mode. */
export function validateParameterGroupName(name: string | undefined, engine: ICacheEngine, topology: Topology): void {
  if (name === undefined || isUnresolved(name) || !name.startsWith('default.')) {
    return;
  }
  const want = engine.defaultParameterGroupName(topology.clusterMode);
  if (name !== want) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_PARAMETER_GROUP,
      'parameterGroupName',
      `must be '${want}' when naming a default parameter group for ${engine.displayName} ${engine.engineVersion} ` +
        `${topology.clusterMode ? 'with' : 'without'} cluster mode (family ${engine.parameterGroupFamily})`,
      name,
    );
  }
}

/** The transit encryption mode needs transit encryption and an engine that has modes. */
export function validateTransitEncryption(
  engine: ICacheEngine,
  transitEncryption: boolean,
  mode: string | undefined,
): void {
  if (mode === undefined) {
    return;
  }
  if (!transitEncryption) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_TRANSIT_ENCRYPTION,
      'transitEncryptionMode',
      'can only be set when transitEncryption is true',
      mode,
    );
  }
  if (!engine.capabilities.transitEncryptionMode) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_TRANSIT_ENCRYPTION,
      'transitEncryptionMode',
      `needs Valkey or Redis OSS 7.0 or later (${engine.displayName} ${engine.engineVersion} has transit encryption on or off only)`,
      mode,
    );
  }
}

export function validateEncryptionKey(atRestEncryption: boolean, hasKey: boolean): void {
  if (hasKey && !atRestEncryption) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.AT_REST_ENCRYPTION_REQUIRED,
      'atRestEncryption',
      'must be true when encryptionKey is given',
      atRestEncryption,
    );
  }
}

/** AUTH tokens and user groups need transit encryption; user groups need RBAC and a matching engine. */
export function validateAuth(auth: CacheAuth, engine: ICacheEngine, transitEncryption: boolean): void {
  if (auth.usesToken && !transitEncryption) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.TRANSIT_ENCRYPTION_REQUIRED,
      'transitEncryption',
      'must be true when auth uses an AUTH token (ElastiCache accepts AuthToken only with transit encryption; ' +
        'pass auth: CacheAuth.none() to run without both)',
      transitEncryption,
    );
  }
  if (auth.kind !== 'user-group') {
    return;
  }
  if (!engine.capabilities.rbac) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_USER_GROUP,
      'auth',
      `can only be a user group on Valkey or Redis OSS 6.0 or later (RBAC); engine is ${engine.displayName}`,
      engine.engineVersion,
    );
  }
  if (auth.userGroupEngine !== undefined && !engine.acceptsUserGroupEngine(auth.userGroupEngine)) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_USER_GROUP,
      'auth.engine',
      `must be one of ${engine.capabilities.userGroupEngines.join(', ')} for a ${engine.displayName} cache ` +
        '(Valkey caches accept valkey and redis user groups, Redis OSS caches only redis user groups)',
      auth.userGroupEngine,
    );
  }
  if (!transitEncryption) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.TRANSIT_ENCRYPTION_REQUIRED,
      'transitEncryption',
      'must be true when auth is a user group (RBAC requires transit encryption)',
      transitEncryption,
    );
  }
}

/** ElastiCache only offers automatic minor version upgrades from Valkey 7.2 and Redis OSS 6.0. */
export function validateAutoMinorVersionUpgrade(engine: ICacheEngine, requested: boolean | undefined): void {
  if (requested === true && !engine.capabilities.autoMinorVersionUpgrade) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_AUTO_MINOR_VERSION_UPGRADE,
      'autoMinorVersionUpgrade',
      `can only be true on Valkey or Redis OSS 6.0 or later; engine is ${engine.displayName} ${engine.engineVersion}`,
      requested,
    );
  }
}

/** Snapshot sources: one of name or ARNs; S3 ARNs of .rdb objects without commas; slots for cluster mode. */
export function validateSnapshotSource(
  snapshotName: string | undefined,
  snapshotArns: string[] | undefined,
  topology: Topology,
): void {
  if (snapshotName !== undefined && snapshotArns !== undefined) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.CONFLICTING_PROPS,
      'snapshotArns',
      'cannot be given together with snapshotName (restore from one source)',
      snapshotArns,
    );
  }
  if (snapshotArns === undefined) {
    return;
  }
  if (snapshotArns.length === 0) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_SNAPSHOT_ARN,
      'snapshotArns',
      'must hold at least one S3 object ARN when given',
      snapshotArns,
    );
  }
  snapshotArns.forEach((arn, i) => {
    if (isUnresolved(arn)) {
      return;
    }
    if (!/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+\.rdb$/.test(arn) || arn.includes(',')) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_SNAPSHOT_ARN,
        `snapshotArns[${i}]`,
        'must be the S3 object ARN of an .rdb file, arn:aws:s3:::bucket/key.rdb, with no comma in the key',
        arn,
      );
    }
  });
  if (!topology.clusterMode && !isUnresolved(snapshotArns) && snapshotArns.length > 1) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_SNAPSHOT_ARN,
      'snapshotArns',
      'must hold exactly one .rdb file for cluster mode disabled (a multi-file, cluster-mode-enabled export cannot seed it)',
      snapshotArns,
    );
  }
  if (topology.clusterMode && topology.slots === undefined) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_SLOTS,
      'topology.slots',
      'must be given when seeding a sharded topology (cluster mode enabled) from snapshotArns: one slot range per shard, ' +
        'matching the shards the .rdb files were exported from (Topology.evenSlots(n) for an even split)',
      topology.slots,
    );
  }
}

/**
 * Data tiering: r6gd node types only, and r6gd requires it; Valkey or Redis OSS 6.2+.
 * Returns the effective setting.
 */
export function validateDataTiering(engine: ICacheEngine, family: string | undefined, requested: boolean | undefined): boolean {
  const isTieredFamily = family === DATA_TIERING_FAMILY;
  const enabled = requested ?? isTieredFamily;
  if (family !== undefined && enabled && !isTieredFamily) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_DATA_TIERING,
      'dataTiering',
      `can only be true on r6gd node types (nodeType is cache.${family}.*)`,
      requested,
    );
  }
  if (isTieredFamily && !enabled) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_DATA_TIERING,
      'dataTiering',
      'must be true on r6gd node types (ElastiCache requires data tiering on r6gd)',
      requested,
    );
  }
  if (enabled && !engine.capabilities.dataTiering) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_DATA_TIERING,
      'dataTiering',
      `needs Valkey or Redis OSS 6.2 or later; engine is ${engine.displayName} ${engine.engineVersion}`,
      requested ?? enabled,
    );
  }
  return enabled;
}

/** The facts durability depends on. */
export interface DurabilityContext {
  readonly engine: ICacheEngine;
  readonly topology: Topology;
  readonly nodeFamily: string | undefined;
  readonly multiAz: boolean;
  readonly dataTiering: boolean;
  readonly transitEncryption: boolean;
  readonly atRestEncryption: boolean;
}

/**
 * Durability: Valkey 9.0+, cluster mode enabled, Multi-AZ with a replica per shard, Graviton
 * r/m/c7gn families, no data tiering, encryption in transit and at rest.
 *
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Durability.Limitations.html
 */
export function validateDurability(durability: string | undefined, ctx: DurabilityContext): void {
  if (durability === undefined || isUnresolved(durability)) {
    return;
  }
  const fail = (rule: string) => {
    throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_DURABILITY, 'durability', rule, durability);
  };
  if (durability !== 'sync' && durability !== 'async') {
    fail("must be 'sync' or 'async'");
  }
  if (!ctx.engine.capabilities.durability) {
    fail(`needs Valkey 9.0 or later; engine is ${ctx.engine.displayName} ${ctx.engine.engineVersion}`);
  }
  if (!ctx.topology.clusterMode) {
    fail('needs a sharded topology (ElastiCache has no durability for cluster mode disabled)');
  }
  if (ctx.topology.replicasPerShard < 1 || !ctx.multiAz) {
    fail('needs multiAz with at least one replica per shard');
  }
  if (ctx.nodeFamily !== undefined && !DURABILITY_FAMILIES.includes(ctx.nodeFamily)) {
    fail(`needs a node type of family ${DURABILITY_FAMILIES.join(', ')} (nodeType is cache.${ctx.nodeFamily}.*)`);
  }
  if (ctx.dataTiering) {
    fail('cannot be combined with data tiering');
  }
  if (!ctx.transitEncryption || !ctx.atRestEncryption) {
    fail('needs transitEncryption and atRestEncryption');
  }
}

/** IPv6 and dual stack: Valkey 7.2+ or Redis OSS 6.2–7.1, on Nitro node types. */
export function validateNetworkType(
  engine: ICacheEngine,
  nodeFamily: string | undefined,
  networkType: string | undefined,
  ipDiscovery: string | undefined,
): void {
  const usesIpv6 = (networkType !== undefined && networkType !== 'ipv4') || ipDiscovery === 'ipv6';
  if (!usesIpv6) {
    return;
  }
  const prop = networkType !== undefined && networkType !== 'ipv4' ? 'networkType' : 'ipDiscovery';
  const value = prop === 'networkType' ? networkType : ipDiscovery;
  if (!engine.capabilities.ipv6) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_NETWORK_TYPE,
      prop,
      `can only use IPv6 on Valkey 7.2+ or Redis OSS 6.2-7.1; engine is ${engine.displayName} ${engine.engineVersion}`,
      value,
    );
  }
  if (nodeFamily !== undefined && NON_NITRO_FAMILIES.has(nodeFamily)) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_NETWORK_TYPE,
      prop,
      `can only use IPv6 on node types built on the Nitro system (nodeType is cache.${nodeFamily}.*)`,
      value,
    );
  }
  if (ipDiscovery === 'ipv6' && (networkType === undefined || networkType === 'ipv4')) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_NETWORK_TYPE,
      'ipDiscovery',
      "can only be 'ipv6' when networkType is 'ipv6' or 'dual_stack'",
      ipDiscovery,
    );
  }
}

/** Log delivery: slow log from Redis OSS 6.0, engine log from 6.2; every Valkey. */
export function validateLogDelivery(engine: ICacheEngine, slowLog: boolean, engineLog: boolean): void {
  if (slowLog && !engine.capabilities.slowLogDelivery) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_LOG_DELIVERY,
      'slowLog',
      'needs Valkey or Redis OSS 6.0 or later',
      `${engine.displayName} ${engine.engineVersion}`,
    );
  }
  if (engineLog && !engine.capabilities.engineLogDelivery) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_LOG_DELIVERY,
      'engineLog',
      'needs Valkey or Redis OSS 6.2 or later',
      `${engine.displayName} ${engine.engineVersion}`,
    );
  }
}
