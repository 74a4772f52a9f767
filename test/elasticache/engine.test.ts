import { CacheConfigurationError } from '../../lib/errors';
import { CacheEngine, RedisOssEngineVersion, ValkeyEngineVersion } from '../../lib/elasticache';

describe('ValkeyEngineVersion', () => {
  test.each([
    [ValkeyEngineVersion.VER_7_2, '7.2', '7', 'valkey7'],
    [ValkeyEngineVersion.VER_8_0, '8.0', '8', 'valkey8'],
    [ValkeyEngineVersion.VER_8_1, '8.1', '8', 'valkey8'],
    [ValkeyEngineVersion.VER_8_2, '8.2', '8', 'valkey8'],
    [ValkeyEngineVersion.VER_9_0, '9.0', '9', 'valkey9'],
    [ValkeyEngineVersion.of('9.1'), '9.1', '9', 'valkey9'],
  ])('%s: version, major and family', (version, full, major, family) => {
    expect(version.version).toBe(full);
    expect(version.majorVersion).toBe(major);
    expect(version.parameterGroupFamily).toBe(family);
    expect(version.toString()).toBe(full);
  });

  test('of() takes a family for a major version we do not know yet', () => {
    const v = ValkeyEngineVersion.of('10.0', { parameterGroupFamily: 'valkey10' });
    expect(v.parameterGroupFamily).toBe('valkey10');
    expect(v.majorVersion).toBe('10');
  });

  test.each([
    ['7.1', 'INVALID_ENGINE_VERSION', "ValkeyEngineVersion.of(version) must be 7.2 or later: ElastiCache offers no Valkey version below 7.2 (7.1 and earlier are Redis OSS versions); received '7.1'"],
    ['9.0.0', 'INVALID_ENGINE_VERSION', "ValkeyEngineVersion.of(version) must be written major.minor (ElastiCache rejects major.minor.patch for Valkey, e.g. 9.0 not 9.0.0); received '9.0.0'"],
    ['nine', 'INVALID_ENGINE_VERSION', "ValkeyEngineVersion.of(version) must be written major.minor (ElastiCache rejects major.minor.patch for Valkey, e.g. 9.0 not 9.0.0); received 'nine'"],
    ['10.0', 'UNKNOWN_ENGINE_MAJOR_VERSION', "ValkeyEngineVersion.of(version) must have a known major version (7, 8, 9) or pass options.parameterGroupFamily; received '10.0'"],
  ])('of(%s) throws %s', (version, code, message) => {
    const attempt = () => ValkeyEngineVersion.of(version);
    expect(attempt).toThrow(CacheConfigurationError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (e) {
      expect((e as CacheConfigurationError).code).toBe(code);
    }
  });
});

describe('RedisOssEngineVersion', () => {
  test.each([
    [RedisOssEngineVersion.VER_4_0_10, '4.0.10', 'redis4.0'],
    [RedisOssEngineVersion.VER_5_0_6, '5.0.6', 'redis5.0'],
    [RedisOssEngineVersion.VER_6_0, '6.0', 'redis6.x'],
    [RedisOssEngineVersion.VER_6_2, '6.2', 'redis6.x'],
    [RedisOssEngineVersion.VER_7_0, '7.0', 'redis7'],
    [RedisOssEngineVersion.VER_7_1, '7.1', 'redis7'],
    [RedisOssEngineVersion.of('5.0.5'), '5.0.5', 'redis5.0'],
  ])('%s: version and family', (version, full, family) => {
    expect(version.version).toBe(full);
    expect(version.parameterGroupFamily).toBe(family);
  });

  test.each([
    ['5.0', "RedisOssEngineVersion.of(version) must be written x.y.z for Redis OSS 5 and earlier, or x.y for 6 and later; received '5.0'"],
    ['6.2.6', "RedisOssEngineVersion.of(version) must be written x.y.z for Redis OSS 5 and earlier, or x.y for 6 and later; received '6.2.6'"],
    ['7.2', "RedisOssEngineVersion.of(version) must be at most 7.1: ElastiCache offers no later Redis OSS version (use ValkeyEngineVersion instead); received '7.2'"],
    ['3.2.10', "RedisOssEngineVersion.of(version) must have a known major version (4, 5, 6, 7) or pass options.parameterGroupFamily; received '3.2.10'"],
  ])('of(%s) throws', (version, message) => {
    expect(() => RedisOssEngineVersion.of(version)).toThrow(message);
  });
});

describe('CacheEngine', () => {
  const valkey72 = CacheEngine.valkey({ version: ValkeyEngineVersion.VER_7_2 });
  const valkey82 = CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 });
  const valkey90 = CacheEngine.valkey({ version: ValkeyEngineVersion.VER_9_0 });
  const redis4 = CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_4_0_10 });
  const redis5 = CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_5_0_6 });
  const redis60 = CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_6_0 });
  const redis62 = CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_6_2 });
  const redis71 = CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_7_1 });

  test('engine names, versions, families and default port', () => {
    expect(valkey82.engineName).toBe('valkey');
    expect(valkey82.displayName).toBe('Valkey');
    expect(valkey82.engineVersion).toBe('8.2');
    expect(valkey82.majorVersion).toBe('8');
    expect(valkey82.parameterGroupFamily).toBe('valkey8');
    expect(valkey82.defaultPort).toBe(6379);
    expect(redis71.engineName).toBe('redis');
    expect(redis71.displayName).toBe('Redis OSS');
    expect(redis71.engineVersion).toBe('7.1');
    expect(redis5.engineVersion).toBe('5.0.6');
    expect(redis62.parameterGroupFamily).toBe('redis6.x');
    expect(redis71.defaultPort).toBe(6379);
  });

  test('default parameter group names', () => {
    expect(valkey82.defaultParameterGroupName(false)).toBe('default.valkey8');
    expect(valkey82.defaultParameterGroupName(true)).toBe('default.valkey8.cluster.on');
    expect(valkey72.defaultParameterGroupName(true)).toBe('default.valkey7.cluster.on');
    expect(valkey90.defaultParameterGroupName(false)).toBe('default.valkey9');
    expect(redis62.defaultParameterGroupName(true)).toBe('default.redis6.x.cluster.on');
    expect(redis4.defaultParameterGroupName(false)).toBe('default.redis4.0');
    expect(redis71.defaultParameterGroupName(false)).toBe('default.redis7');
  });

  test('serverless: Valkey and Redis OSS 7.0+', () => {
    expect(valkey72.capabilities.serverless).toBe(true);
    expect(CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_7_0 }).capabilities.serverless).toBe(true);
    expect(redis62.capabilities.serverless).toBe(false);
  });

  test('RBAC user groups: Valkey takes valkey and redis groups, Redis OSS 6.0+ only redis groups', () => {
    expect(valkey72.capabilities.rbac).toBe(true);
    expect(valkey72.acceptsUserGroupEngine('valkey')).toBe(true);
    expect(valkey72.acceptsUserGroupEngine('redis')).toBe(true);
    expect(redis60.capabilities.rbac).toBe(true);
    expect(redis60.acceptsUserGroupEngine('redis')).toBe(true);
    expect(redis60.acceptsUserGroupEngine('valkey')).toBe(false);
    expect(redis5.capabilities.rbac).toBe(false);
    expect(redis5.capabilities.userGroupEngines).toEqual([]);
  });

  test('IPv6: Valkey 7.2+, Redis OSS 6.2-7.1', () => {
    expect(valkey72.capabilities.ipv6).toBe(true);
    expect(redis62.capabilities.ipv6).toBe(true);
    expect(redis71.capabilities.ipv6).toBe(true);
    expect(redis60.capabilities.ipv6).toBe(false);
  });

  test('durability: Valkey 9.0+ only', () => {
    expect(valkey90.capabilities.durability).toBe(true);
    expect(CacheEngine.valkey({ version: ValkeyEngineVersion.of('9.1') }).capabilities.durability).toBe(true);
    expect(valkey82.capabilities.durability).toBe(false);
    expect(redis71.capabilities.durability).toBe(false);
  });

  test('data tiering, transit encryption modes, log delivery, automatic minor upgrades', () => {
    expect(valkey72.capabilities.dataTiering).toBe(true);
    expect(redis62.capabilities.dataTiering).toBe(true);
    expect(redis60.capabilities.dataTiering).toBe(false);
    expect(valkey72.capabilities.transitEncryptionMode).toBe(true);
    expect(redis71.capabilities.transitEncryptionMode).toBe(true);
    expect(redis62.capabilities.transitEncryptionMode).toBe(false);
    expect(redis60.capabilities.slowLogDelivery).toBe(true);
    expect(redis60.capabilities.engineLogDelivery).toBe(false);
    expect(redis5.capabilities.slowLogDelivery).toBe(false);
    expect(redis5.capabilities.autoMinorVersionUpgrade).toBe(false);
    expect(redis60.capabilities.autoMinorVersionUpgrade).toBe(true);
  });

  test('upgrade to Valkey: without downtime from Redis OSS 5.0.6, a 30-60 s failover below', () => {
    expect(valkey82.capabilities.upgradeToValkey).toBeUndefined();
    expect(redis5.capabilities.upgradeToValkey).toEqual({ zeroDowntime: true, expectedFailoverSeconds: { min: 0, max: 0 } });
    expect(redis71.capabilities.upgradeToValkey?.zeroDowntime).toBe(true);
    expect(redis4.capabilities.upgradeToValkey).toEqual({ zeroDowntime: false, expectedFailoverSeconds: { min: 30, max: 60 } });
    expect(CacheEngine.redisOss({ version: RedisOssEngineVersion.of('5.0.5') }).capabilities.upgradeToValkey?.zeroDowntime).toBe(false);
  });

  test('shard limit: 250 below Redis OSS 5.0.6, 500 otherwise', () => {
    expect(redis4.capabilities.maxShards).toBe(250);
    expect(redis5.capabilities.maxShards).toBe(500);
    expect(valkey72.capabilities.maxShards).toBe(500);
  });
});
