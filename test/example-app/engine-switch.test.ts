/**
 * The promise of the library: the same props with another engine give a template that differs
 * only in the engine, its version, the parameter-group family, and names derived from them.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CacheStack } from '../../bin/example-stacks';
import { CacheEngine, ICacheEngine, RedisOssEngineVersion, Topology, ValkeyEngineVersion } from '../../lib';

/** Builds the example cache stack under the same construct ids, so only the engine varies. */
function templateFor(engine: ICacheEngine, topology?: Topology): Record<string, unknown> {
  const app = new App();
  const network = new Stack(app, 'Network');
  const vpc = new ec2.Vpc(network, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'cache', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const stack = new CacheStack(app, 'Cache', { vpc, engine, topology });
  return Template.fromStack(stack).toJSON();
}

/** Every leaf path whose value differs between the two JSON documents. */
function differences(a: unknown, b: unknown, at = ''): Array<{ path: string; a: unknown; b: unknown }> {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    const out: Array<{ path: string; a: unknown; b: unknown }> = [];
    for (const k of [...keys].sort()) {
      out.push(...differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`));
    }
    return out;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: at, a, b }];
}

test.each([
  ['primary with replicas', undefined, 'valkey8', 'redis7'],
  ['sharded', Topology.sharded({ shards: 3, replicasPerShard: 1 }), 'valkey8', 'redis7'],
])('Valkey 8.2 and Redis OSS 7.1 from identical props (%s) differ only where the engine must', (_name, topology, valkeyFamily, redisFamily) => {
  const valkey = templateFor(CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 }), topology);
  const redis = templateFor(CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_7_1 }), topology);

  const diff = differences(valkey, redis).map((d) => ({ ...d, path: d.path.replace(/^\/Resources\/[^/]+/, '/Resources/*') }))
    .sort((x, y) => x.path.localeCompare(y.path));
  expect(diff).toEqual([
    { path: '/Resources/*/Properties/CacheParameterGroupFamily', a: valkeyFamily, b: redisFamily },
    { path: '/Resources/*/Properties/Engine', a: 'valkey', b: 'redis' },
    { path: '/Resources/*/Properties/EngineVersion', a: '8.2', b: '7.1' },
  ]);
});
