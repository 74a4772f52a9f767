import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CacheEngine, ICacheEngine, ReplicationGroup, ReplicationGroupProps, Topology, ValkeyEngineVersion } from '../../lib/elasticache';
import { redis71, stackWithVpc, valkey82 } from './support';

/** Paths (a.b.c) at which two JSON values differ. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return a === b ? [] : [path];
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    return [path];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) =>
    differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k),
  );
}

function template(engine: ICacheEngine, props: Omit<ReplicationGroupProps, 'engine' | 'vpc'>): Record<string, unknown> {
  const { stack, vpc } = stackWithVpc();
  new ReplicationGroup(stack, 'Cache', { engine, vpc, ...props });
  return Template.fromStack(stack).toJSON();
}

const SHARED: Array<[string, Omit<ReplicationGroupProps, 'engine' | 'vpc'>]> = [
  ['defaults', {}],
  [
    'primary with replicas, custom parameters, logs and windows',
    {
      topology: Topology.primaryWithReplicas({ replicas: 2 }),
      nodeType: 'cache.r7g.large',
      parameters: { 'maxmemory-policy': 'allkeys-lru' },
      slowLog: { retention: logs.RetentionDays.ONE_WEEK },
      engineLog: { format: 'text' },
      snapshotRetentionDays: 7,
      snapshotWindow: '03:00-04:00',
      preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
      networkType: 'dual_stack',
    },
  ],
  [
    'sharded with the default parameter group',
    { topology: Topology.sharded({ shards: 3, replicasPerShard: 1 }), transitEncryptionMode: 'preferred' },
  ],
];

describe('Valkey and Redis OSS from identical props', () => {
  test.each(SHARED)('%s: templates differ only in engine, version and parameter-group family/name', (_name, props) => {
    const valkey = template(valkey82, props);
    const redis = template(redis71, props);
    const diff = differences(valkey, redis);
    expect(diff.length).toBeGreaterThan(0);
    for (const path of diff) {
      expect(path).toMatch(/\.Properties\.(Engine|EngineVersion|CacheParameterGroupName|CacheParameterGroupFamily)$/);
    }
    // Same logical ids: switching engines never replaces a resource by renaming it.
    expect(Object.keys(valkey.Resources as object)).toEqual(Object.keys(redis.Resources as object));
  });

  test('the engine-specific values', () => {
    const props = { parameters: { 'maxmemory-policy': 'allkeys-lru' } };
    const valkey = Template.fromJSON(template(valkey82, props));
    const redis = Template.fromJSON(template(redis71, props));
    valkey.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { Engine: 'valkey', EngineVersion: '8.2' });
    redis.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { Engine: 'redis', EngineVersion: '7.1' });
    valkey.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { CacheParameterGroupFamily: 'valkey8' });
    redis.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { CacheParameterGroupFamily: 'redis7' });
  });

  test('a Valkey major-version upgrade changes only the version and the default parameter group', () => {
    const before = template(CacheEngine.valkey({ version: ValkeyEngineVersion.VER_7_2 }), {});
    const after = template(valkey82, {});
    expect(differences(before, after).map((p) => p.replace(/^Resources\.\w+\./, '')).sort()).toEqual([
      'Properties.CacheParameterGroupName',
      'Properties.EngineVersion',
    ]);
  });
});
