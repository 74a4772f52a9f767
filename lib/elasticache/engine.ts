import { EngineVersionNumber, RedisOssEngineVersion, ValkeyEngineVersion, versionAtLeast } from './engine-version';

/**
 * The Engine value of an ElastiCache resource, and of a user or user group.
 */
export type CacheEngineName = 'valkey' | 'redis';

/**
 * How an in-place ModifyReplicationGroup from Redis OSS to Valkey behaves for this version.
 *
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/VersionManagement.HowTo.cross-engine-upgrade.html
 */
export interface ValkeyUpgradePath {
  /** True from Redis OSS 5.0.6 up: the upgrade happens without downtime. */
  readonly zeroDowntime: boolean;
  /**
   * The failover clients should expect, in seconds: 0 without downtime, otherwise a 30–60 s
   * failover (Redis OSS below 5.0.6).
   */
  readonly expectedFailoverSeconds: { readonly min: number; readonly max: number };
}

/**
 * What an engine version supports on ElastiCache. Validation reads these instead of comparing
 * version numbers itself, so a new version only needs a new entry in the engine model.
 */
export interface CacheEngineCapabilities {
  /** Serverless caches: Valkey 7.2+ and Redis OSS 7.0+. */
  readonly serverless: boolean;
  /** RBAC user groups: every Valkey, Redis OSS 6.0+. */
  readonly rbac: boolean;
  /**
   * Engines of the user groups this cache accepts: a Valkey cache takes valkey and redis groups,
   * a Redis OSS cache only redis groups; empty without RBAC.
   */
  readonly userGroupEngines: readonly CacheEngineName[];
  /** IPv6 and dual stack (on Nitro node types): Valkey 7.2+, Redis OSS 6.2–7.1. */
  readonly ipv6: boolean;
  /** Data tiering (r6gd node types): Valkey 7.2+, Redis OSS 6.2+. */
  readonly dataTiering: boolean;
  /** Durability (Multi-AZ transaction log): Valkey 9.0+. */
  readonly durability: boolean;
  /** TransitEncryptionMode (preferred | required) and online TLS migration: Valkey, Redis OSS 7.0+. */
  readonly transitEncryptionMode: boolean;
  /** The ClusterMode property (enabled | disabled | compatible): Valkey, Redis OSS 7.0+. */
  readonly clusterModeProperty: boolean;
  /** AutoMinorVersionUpgrade: Valkey, Redis OSS 6.0+. */
  readonly autoMinorVersionUpgrade: boolean;
  /** Slow log delivery to CloudWatch Logs: Valkey, Redis OSS 6.0+. */
  readonly slowLogDelivery: boolean;
  /** Engine log delivery to CloudWatch Logs: Valkey, Redis OSS 6.2+. */
  readonly engineLogDelivery: boolean;
  /** Most shards in cluster mode: 500, or 250 below Redis OSS 5.0.6. */
  readonly maxShards: number;
  /**
   * How this version upgrades in place to Valkey, for the migration construct.
   *
   * @default - undefined for Valkey engines (there is nothing to upgrade to)
   */
  readonly upgradeToValkey?: ValkeyUpgradePath;
}

/**
 * An engine and version for a Valkey or Redis OSS cache.
 */
export interface ICacheEngine {
  /** The Engine property: `valkey` or `redis`. */
  readonly engineName: CacheEngineName;
  /** The engine's name for people: `Valkey` or `Redis OSS`. */
  readonly displayName: string;
  /** The EngineVersion property, e.g. `8.2`, `7.1`, `5.0.6`. */
  readonly engineVersion: string;
  /** The major version, e.g. `8` (MajorEngineVersion of a serverless cache). */
  readonly majorVersion: string;
  /** The numeric parts of the version, for comparisons. */
  readonly versionNumber: EngineVersionNumber;
  /** The parameter-group family, e.g. `valkey8`, `redis6.x`. */
  readonly parameterGroupFamily: string;
  /** The port the engine listens on unless told otherwise: 6379. */
  readonly defaultPort: number;
  /** What this engine version supports. */
  readonly capabilities: CacheEngineCapabilities;

  /**
   * The name of ElastiCache's default parameter group for this family: `default.<family>`, or
   * `default.<family>.cluster.on` for cluster mode enabled.
   */
  defaultParameterGroupName(clusterMode: boolean): string;

  /** True when a user group of `engine` can be attached to a cache of this engine. */
  acceptsUserGroupEngine(engine: CacheEngineName): boolean;
}

/**
 * Props of {@link CacheEngine.valkey}.
 */
export interface ValkeyEngineProps {
  /** The Valkey version. */
  readonly version: ValkeyEngineVersion;
}

/**
 * Props of {@link CacheEngine.redisOss}.
 */
export interface RedisOssEngineProps {
  /** The Redis OSS version. */
  readonly version: RedisOssEngineVersion;
}

/** The port both engines listen on by default. */
const DEFAULT_PORT = 6379;

class ValkeyEngine implements ICacheEngine {
  public readonly engineName = 'valkey' as const;
  public readonly displayName = 'Valkey';
  public readonly engineVersion: string;
  public readonly majorVersion: string;
  public readonly versionNumber: EngineVersionNumber;
  public readonly parameterGroupFamily: string;
  public readonly defaultPort = DEFAULT_PORT;
  public readonly capabilities: CacheEngineCapabilities;

  constructor(version: ValkeyEngineVersion) {
    this.engineVersion = version.version;
    this.majorVersion = version.majorVersion;
    this.versionNumber = version.number;
    this.parameterGroupFamily = version.parameterGroupFamily;
    // Every Valkey on ElastiCache is 7.2 or later, which has everything but durability.
    this.capabilities = {
      serverless: true,
      rbac: true,
      userGroupEngines: ['valkey', 'redis'],
      ipv6: true,
      dataTiering: true,
      durability: versionAtLeast(version.number, 9, 0),
      transitEncryptionMode: true,
      clusterModeProperty: true,
      autoMinorVersionUpgrade: true,
      slowLogDelivery: true,
      engineLogDelivery: true,
      maxShards: 500,
    };
  }

  public defaultParameterGroupName(clusterMode: boolean): string {
    return defaultParameterGroupName(this.parameterGroupFamily, clusterMode);
  }

  public acceptsUserGroupEngine(engine: CacheEngineName): boolean {
    return this.capabilities.userGroupEngines.includes(engine);
  }
}

class RedisOssEngine implements ICacheEngine {
  public readonly engineName = 'redis' as const;
  public readonly displayName = 'Redis OSS';
  public readonly engineVersion: string;
  public readonly majorVersion: string;
  public readonly versionNumber: EngineVersionNumber;
  public readonly parameterGroupFamily: string;
  public readonly defaultPort = DEFAULT_PORT;
  public readonly capabilities: CacheEngineCapabilities;

  constructor(version: RedisOssEngineVersion) {
    const v = version.number;
    this.engineVersion = version.version;
    this.majorVersion = version.majorVersion;
    this.versionNumber = v;
    this.parameterGroupFamily = version.parameterGroupFamily;
    const rbac = versionAtLeast(v, 6, 0);
    const zeroDowntime = versionAtLeast(v, 5, 0, 6);
    this.capabilities = {
      serverless: versionAtLeast(v, 7, 0),
      rbac,
      userGroupEngines: rbac ? ['redis'] : [],
      // ElastiCache Redis OSS stops at 7.1, so "6.2 and later" is "6.2–7.1".
      ipv6: versionAtLeast(v, 6, 2),
      dataTiering: versionAtLeast(v, 6, 2),
      durability: false,
      transitEncryptionMode: versionAtLeast(v, 7, 0),
      clusterModeProperty: versionAtLeast(v, 7, 0),
      autoMinorVersionUpgrade: versionAtLeast(v, 6, 0),
      slowLogDelivery: versionAtLeast(v, 6, 0),
      engineLogDelivery: versionAtLeast(v, 6, 2),
      maxShards: zeroDowntime ? 500 : 250,
      upgradeToValkey: {
        zeroDowntime,
        expectedFailoverSeconds: zeroDowntime ? { min: 0, max: 0 } : { min: 30, max: 60 },
      },
    };
  }

  public defaultParameterGroupName(clusterMode: boolean): string {
    return defaultParameterGroupName(this.parameterGroupFamily, clusterMode);
  }

  public acceptsUserGroupEngine(engine: CacheEngineName): boolean {
    return this.capabilities.userGroupEngines.includes(engine);
  }
}

function defaultParameterGroupName(family: string, clusterMode: boolean): string {
  return clusterMode ? `default.${family}.cluster.on` : `default.${family}`;
}

/**
 * The engine of a cache: Valkey or Redis OSS, with a version.
 *
 * @example
 * CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 });
 * CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_7_1 });
 */
export class CacheEngine {
  /** Valkey, the open-source fork of Redis OSS 7.2; up to 20% cheaper per node on ElastiCache. */
  public static valkey(props: ValkeyEngineProps): ICacheEngine {
    return new ValkeyEngine(props.version);
  }

  /** Redis OSS, up to 7.1 on ElastiCache. */
  public static redisOss(props: RedisOssEngineProps): ICacheEngine {
    return new RedisOssEngine(props.version);
  }

  private constructor() {}
}
