import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { CacheAuth, ReplicationGroup, Topology } from '../../lib/elasticache';
import { redis62, redis71, valkey82, valkey90 } from './support';

/** aws-cdk-lib's own CloudFormation Validate rules (e.g. E3704), with findings made errors. */
function strictApp(): { app: App; stack: Stack; vpc: ec2.Vpc } {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  return { app, stack, vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }) };
}

describe('CloudFormation Validate at synth', () => {
  test('the rules are live: a Valkey L1 without TransitEncryptionEnabled fails synthesis', () => {
    const { app, stack } = strictApp();
    new elasticache.CfnReplicationGroup(stack, 'Bare', {
      replicationGroupDescription: 'bare',
      engine: 'valkey',
      cacheNodeType: 'cache.t4g.micro',
    });
    expect(() => app.synth()).toThrow();
  });

  test('our replication groups synthesize without findings, for both engines and every shape', () => {
    const { app, stack, vpc } = strictApp();
    new ReplicationGroup(stack, 'Defaults', { engine: valkey82, vpc });
    new ReplicationGroup(stack, 'RedisSharded', {
      engine: redis71,
      vpc,
      topology: Topology.sharded({ shards: 2 }),
      slowLog: {},
      engineLog: {},
    });
    new ReplicationGroup(stack, 'RedisSinglePlain', {
      engine: redis62,
      vpc,
      topology: Topology.singleNode(),
      transitEncryption: false,
      auth: CacheAuth.none(),
    });
    new ReplicationGroup(stack, 'Durable', {
      engine: valkey90,
      vpc,
      nodeType: 'cache.r7g.large',
      topology: Topology.sharded({ shards: 2 }),
      durability: 'sync',
      parameters: { 'maxmemory-policy': 'allkeys-lru' },
    });
    new ReplicationGroup(stack, 'TieredDualStack', {
      engine: valkey82,
      vpc,
      nodeType: 'cache.r6gd.xlarge',
      networkType: 'dual_stack',
      ipDiscovery: 'ipv6',
      auth: CacheAuth.userGroup({ userGroupId: 'app-users', engine: 'valkey' }),
    });
    expect(() => app.synth()).not.toThrow();
  });
});
