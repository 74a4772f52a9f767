import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CacheConfigurationError, CacheErrorCodes } from '../errors';

/**
 * The EC2 instance a self-hosted cache runs on, derived from an ElastiCache node type
 * (`cache.r7g.large` → `r7g.large`) or given directly.
 */
export interface CacheInstanceType {
  readonly instanceType: ec2.InstanceType;
  /** Graviton (arm64) or x86_64: picks the Amazon Linux 2023 AMI. */
  readonly cpuType: ec2.AmazonLinuxCpuType;
  /** Memory of the instance in GiB, when the family is one we know; sizes the data volume. */
  readonly memoryGiB?: number;
}

/**
 * GiB per `large` size of the node families ElastiCache offers; every size doubles the one below
 * (xlarge = 2 × large, … 16xlarge = 32 × large). Burstable (t) families are listed per size.
 */
const GIB_PER_LARGE: Record<string, number> = { m: 8, r: 16, c: 4 };
const BURSTABLE_GIB: Record<string, number> = { nano: 0.5, micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, '2xlarge': 32 };
const SIZE_MULTIPLIER: Record<string, number> = {
  large: 1,
  xlarge: 2,
  '2xlarge': 4,
  '4xlarge': 8,
  '8xlarge': 16,
  '12xlarge': 24,
  '16xlarge': 32,
  '24xlarge': 48,
  '48xlarge': 96,
};

/** `r7g`, `m6gd`, `t4g`, `c7gn`: a letter class, a generation, then attributes (g = Graviton). */
const FAMILY = /^([a-z])(\d+)([a-z]*)$/;

/**
 * Maps `nodeType` (or an explicit `instanceType`) to an EC2 instance type. Families with data
 * tiering (r6gd) are refused: their SSD tier is an ElastiCache feature our server does not have.
 */
export function cacheInstanceType(nodeType: string, instanceType: ec2.InstanceType | undefined): CacheInstanceType {
  if (instanceType !== undefined) {
    return {
      instanceType,
      cpuType: instanceType.architecture === ec2.InstanceArchitecture.ARM_64 ? ec2.AmazonLinuxCpuType.ARM_64 : ec2.AmazonLinuxCpuType.X86_64,
      memoryGiB: memoryOf(instanceType.toString()),
    };
  }
  if (Token.isUnresolved(nodeType)) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_INSTANCE_TYPE,
      'nodeType',
      'must be known at synth time for SelfHostedCache (it picks the AMI architecture); pass instanceType instead',
      '(token)',
    );
  }
  const match = /^cache\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(nodeType);
  const family = match ? FAMILY.exec(match[1]) : null;
  if (!match || !family || !(family[1] in GIB_PER_LARGE || family[1] === 't') || memoryOf(`${match[1]}.${match[2]}`) === undefined) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_INSTANCE_TYPE,
      'nodeType',
      'must be an ElastiCache node type of the t, m, r or c families (cache.t4g.micro, cache.r7g.large, …) to map to an EC2 instance type; ' +
        'pass instanceType for any other instance',
      nodeType,
    );
  }
  if (family[3].includes('d')) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_INSTANCE_TYPE,
      'nodeType',
      'must not be a data tiering node type on SelfHostedCache (the SSD tier is an ElastiCache feature); use the family without d, e.g. cache.r6g.xlarge',
      nodeType,
    );
  }
  const ec2Name = `${match[1]}.${match[2]}`;
  const type = new ec2.InstanceType(ec2Name);
  return {
    instanceType: type,
    cpuType: family[3].includes('g') ? ec2.AmazonLinuxCpuType.ARM_64 : ec2.AmazonLinuxCpuType.X86_64,
    memoryGiB: memoryOf(ec2Name),
  };
}

/** Memory in GiB of `<family>.<size>` for the families we know; undefined otherwise. */
function memoryOf(name: string): number | undefined {
  if (Token.isUnresolved(name)) return undefined;
  const [familyName, size] = name.split('.');
  const family = FAMILY.exec(familyName ?? '');
  if (!family || size === undefined) return undefined;
  if (family[1] === 't') return BURSTABLE_GIB[size];
  const perLarge = GIB_PER_LARGE[family[1]];
  const multiplier = SIZE_MULTIPLIER[size];
  return perLarge === undefined || multiplier === undefined ? undefined : perLarge * multiplier;
}
