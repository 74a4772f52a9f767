import { Token } from 'aws-cdk-lib';
import { CacheConfigurationError, CacheErrorCodes } from '../errors';

/**
 * Options for an engine version this library does not list.
 */
export interface EngineVersionOptions {
  /**
   * The parameter-group family of this version, for a major version this library does not know
   * yet (e.g. `valkey10`).
   *
   * @default - derived from the major version; an unknown major version throws
   */
  readonly parameterGroupFamily?: string;
}

/**
 * The numeric parts of an engine version, for comparisons.
 */
export interface EngineVersionNumber {
  /** Major version, e.g. 8 for Valkey 8.1. */
  readonly major: number;
  /** Minor version, e.g. 1 for Valkey 8.1. */
  readonly minor: number;
  /** Patch version, e.g. 6 for Redis OSS 5.0.6; 0 when the version has none. */
  readonly patch: number;
}

// Declared before the classes: their static members call of() while the module loads.
/** Parameter-group family by Valkey major version. valkey8 spans 8.0–8.2. */
const VALKEY_FAMILIES: Readonly<Record<number, string>> = {
  7: 'valkey7',
  8: 'valkey8',
  9: 'valkey9',
};

/** Parameter-group family by Redis OSS major version. */
const REDIS_FAMILIES: Readonly<Record<number, string>> = {
  4: 'redis4.0',
  5: 'redis5.0',
  6: 'redis6.x',
  7: 'redis7',
};

/** True when `version` is at least `major.minor.patch`. */
export function versionAtLeast(version: EngineVersionNumber, major: number, minor = 0, patch = 0): boolean {
  if (version.major !== major) {
    return version.major > major;
  }
  if (version.minor !== minor) {
    return version.minor > minor;
  }
  return version.patch >= patch;
}

/** Splits `x.y` or `x.y.z` into numbers; undefined for anything else. */
function parseVersion(version: string): { numbers: EngineVersionNumber; parts: number } | undefined {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version);
  if (!match) {
    return undefined;
  }
  return {
    numbers: { major: Number(match[1]), minor: Number(match[2]), patch: match[3] === undefined ? 0 : Number(match[3]) },
    parts: match[3] === undefined ? 2 : 3,
  };
}

function requireLiteral(prop: string, version: string): void {
  if (Token.isUnresolved(version)) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_ENGINE_VERSION,
      prop,
      'must be a literal version string: the parameter-group family and capabilities derive from it',
      version,
    );
  }
}

/**
 * Valkey versions offered by ElastiCache.
 *
 * ElastiCache writes Valkey versions `major.minor` and has rejected `major.minor.patch`.
 *
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html
 */
export class ValkeyEngineVersion {
  /** Valkey 7.2: the first Valkey on ElastiCache (family valkey7, same parameters as redis7). */
  public static readonly VER_7_2 = ValkeyEngineVersion.of('7.2');
  /** Valkey 8.0 (family valkey8). */
  public static readonly VER_8_0 = ValkeyEngineVersion.of('8.0');
  /** Valkey 8.1: new hash table, Bloom filters, COMMANDLOG, `SET ... IFEQ` (family valkey8). */
  public static readonly VER_8_1 = ValkeyEngineVersion.of('8.1');
  /** Valkey 8.2: vector search (family valkey8). */
  public static readonly VER_8_2 = ValkeyEngineVersion.of('8.2');
  /** Valkey 9.0: durability, hash-field TTL, multiple databases in cluster mode (family valkey9). */
  public static readonly VER_9_0 = ValkeyEngineVersion.of('9.0');

  /**
   * A Valkey version this library does not list, e.g. `ValkeyEngineVersion.of('9.1')`.
   *
   * @param version `major.minor`, 7.2 or later
   * @param options a parameter-group family for a major version this library does not know
   */
  public static of(version: string, options: EngineVersionOptions = {}): ValkeyEngineVersion {
    const prop = 'ValkeyEngineVersion.of(version)';
    requireLiteral(prop, version);
    const parsed = parseVersion(version);
    if (!parsed || parsed.parts !== 2) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_ENGINE_VERSION,
        prop,
        'must be written major.minor (ElastiCache rejects major.minor.patch for Valkey, e.g. 9.0 not 9.0.0)',
        version,
      );
    }
    if (!versionAtLeast(parsed.numbers, 7, 2)) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_ENGINE_VERSION,
        prop,
        'must be 7.2 or later: ElastiCache offers no Valkey version below 7.2 (7.1 and earlier are Redis OSS versions)',
        version,
      );
    }
    const family = options.parameterGroupFamily ?? VALKEY_FAMILIES[parsed.numbers.major];
    if (family === undefined) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.UNKNOWN_ENGINE_MAJOR_VERSION,
        prop,
        `must have a known major version (${Object.keys(VALKEY_FAMILIES).join(', ')}) or pass options.parameterGroupFamily`,
        version,
      );
    }
    return new ValkeyEngineVersion(version, parsed.numbers, family);
  }

  /** The version as ElastiCache wants it in EngineVersion, e.g. `8.2`. */
  public readonly version: string;
  /** The major version, e.g. `8`. */
  public readonly majorVersion: string;
  /** The parameter-group family, e.g. `valkey8`. */
  public readonly parameterGroupFamily: string;
  /** The numeric parts, for comparisons. */
  public readonly number: EngineVersionNumber;

  private constructor(version: string, number: EngineVersionNumber, parameterGroupFamily: string) {
    this.version = version;
    this.number = number;
    this.majorVersion = String(number.major);
    this.parameterGroupFamily = parameterGroupFamily;
  }

  /** The version string. */
  public toString(): string {
    return this.version;
  }
}

/**
 * Redis OSS versions offered by ElastiCache node-based clusters. 7.1 is the last one: new
 * deployments should prefer Valkey.
 *
 * ElastiCache writes Redis OSS 5 and earlier `x.y.z`, and 6 and later `x.y`.
 *
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html
 */
export class RedisOssEngineVersion {
  /**
   * Redis OSS 4.0.10 (family redis4.0).
   *
   * @deprecated Standard support for Redis OSS 4 ended on 2026-01-31 (paid extended support
   * only); upgrade to Valkey.
   */
  public static readonly VER_4_0_10 = RedisOssEngineVersion.of('4.0.10');
  /**
   * Redis OSS 5.0.6 (family redis5.0): the floor for a Valkey upgrade without downtime.
   *
   * @deprecated Standard support for Redis OSS 5 ended on 2026-01-31 (paid extended support
   * only); upgrade to Valkey.
   */
  public static readonly VER_5_0_6 = RedisOssEngineVersion.of('5.0.6');
  /** Redis OSS 6.0 (family redis6.x): RBAC user groups. */
  public static readonly VER_6_0 = RedisOssEngineVersion.of('6.0');
  /** Redis OSS 6.2 (family redis6.x): data tiering, IPv6. */
  public static readonly VER_6_2 = RedisOssEngineVersion.of('6.2');
  /** Redis OSS 7.0 (family redis7): serverless, transit encryption modes. */
  public static readonly VER_7_0 = RedisOssEngineVersion.of('7.0');
  /** Redis OSS 7.1 (family redis7): the last Redis OSS version on ElastiCache. */
  public static readonly VER_7_1 = RedisOssEngineVersion.of('7.1');

  /**
   * A Redis OSS version this library does not list, e.g. `RedisOssEngineVersion.of('5.0.5')`.
   *
   * @param version `x.y.z` for 5 and earlier, `x.y` for 6 and later, at most 7.1
   * @param options a parameter-group family for a major version this library does not know
   */
  public static of(version: string, options: EngineVersionOptions = {}): RedisOssEngineVersion {
    const prop = 'RedisOssEngineVersion.of(version)';
    requireLiteral(prop, version);
    const parsed = parseVersion(version);
    if (!parsed) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_ENGINE_VERSION,
        prop,
        'must be written x.y.z for Redis OSS 5 and earlier, or x.y for 6 and later',
        version,
      );
    }
    const { numbers } = parsed;
    const wantParts = numbers.major <= 5 ? 3 : 2;
    if (parsed.parts !== wantParts) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_ENGINE_VERSION,
        prop,
        'must be written x.y.z for Redis OSS 5 and earlier, or x.y for 6 and later',
        version,
      );
    }
    if (versionAtLeast(numbers, 7, 2)) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_ENGINE_VERSION,
        prop,
        'must be at most 7.1: ElastiCache offers no later Redis OSS version (use ValkeyEngineVersion instead)',
        version,
      );
    }
    const family = options.parameterGroupFamily ?? REDIS_FAMILIES[numbers.major];
    if (family === undefined) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.UNKNOWN_ENGINE_MAJOR_VERSION,
        prop,
        `must have a known major version (${Object.keys(REDIS_FAMILIES).join(', ')}) or pass options.parameterGroupFamily`,
        version,
      );
    }
    return new RedisOssEngineVersion(version, numbers, family);
  }

  /** The version as ElastiCache wants it in EngineVersion, e.g. `7.1` or `5.0.6`. */
  public readonly version: string;
  /** The major version, e.g. `7`. */
  public readonly majorVersion: string;
  /** The parameter-group family, e.g. `redis6.x`. */
  public readonly parameterGroupFamily: string;
  /** The numeric parts, for comparisons. */
  public readonly number: EngineVersionNumber;

  private constructor(version: string, number: EngineVersionNumber, parameterGroupFamily: string) {
    this.version = version;
    this.number = number;
    this.majorVersion = String(number.major);
    this.parameterGroupFamily = parameterGroupFamily;
  }

  /** The version string. */
  public toString(): string {
    return this.version;
  }
}
