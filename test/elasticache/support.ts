import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CacheEngine, ICacheEngine, RedisOssEngineVersion, ValkeyEngineVersion } from '../../lib/elasticache';

/** A stack with a fixed environment and a two-AZ VPC (public + private-with-egress subnets). */
export function stackWithVpc(options: { isolatedOnly?: boolean } = {}): { app: App; stack: Stack; vpc: ec2.Vpc } {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = options.isolatedOnly
    ? new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    })
    : new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  return { app, stack, vpc };
}

export const valkey82: ICacheEngine = CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 });
export const valkey90: ICacheEngine = CacheEngine.valkey({ version: ValkeyEngineVersion.VER_9_0 });
export const redis71: ICacheEngine = CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_7_1 });
export const redis62: ICacheEngine = CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_6_2 });
