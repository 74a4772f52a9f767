import { Duration, Token } from 'aws-cdk-lib';
import { CacheConfigurationError, CacheErrorCodes } from '../errors';
import { ICacheEngine } from '../elasticache/engine';
import { versionAtLeast } from '../elasticache/engine-version';
import type { SelfHostedCacheProps } from './self-hosted-cache';

/**
 * The ReplicationGroupProps a single EC2 instance running our server cannot honour. Each is
 * refused with the reason, never ignored: a prop that silently did nothing would surprise whoever
 * switched from ReplicationGroup.
 */
export function validateSelfHostedProps(props: SelfHostedCacheProps): void {
  const topology = props.topology;
  if (topology !== undefined && (topology.clusterMode || Token.isUnresolved(topology.replicasPerShard) || topology.replicasPerShard > 0)) {
    refuse(
      'topology',
      'must be Topology.singleNode() on SelfHostedCache (one instance: replicas and shards need ElastiCache)',
      topology.clusterMode
        ? `sharded: ${topology.shards} shards × ${topology.replicasPerShard} replicas`
        : `primary with ${topology.replicasPerShard} replicas`,
    );
  }
  refuseTrue('multiAz', props.multiAz, 'one instance lives in one Availability Zone; a failed instance is replaced from the latest snapshot');
  refuseTrue('automaticFailover', props.automaticFailover, 'there is no replica to fail over to; a failed instance is replaced from the latest snapshot');
  refuseGiven('subnetGroup', props.subnetGroup?.subnetGroupRef.cacheSubnetGroupName, 'an ElastiCache subnet group does not place EC2 instances; use vpcSubnets');
  refuseGiven('parameterGroupName', props.parameterGroupName, 'an ElastiCache parameter group cannot configure our server; use parameters');
  refuseTrue('transitEncryption', props.transitEncryption, 'the self-hosted server does not speak TLS yet; leave it unset (traffic stays in the VPC behind the security group)');
  refuseGiven('transitEncryptionMode', props.transitEncryptionMode, 'the self-hosted server does not speak TLS yet');
  if (props.atRestEncryption === false) {
    refuse('atRestEncryption', 'must be true or unset on SelfHostedCache (the data volume and the snapshots are always encrypted)', false);
  }
  refuseGiven('encryptionKey', props.encryptionKey?.keyArn, 'the data volume uses the account\'s EBS default key and the snapshots SSE-S3, which ElastiCache needs to seed from them');
  if (props.auth?.kind === 'user-group') {
    refuse('auth', 'must not be a user group on SelfHostedCache (ElastiCache RBAC user groups do not exist on EC2); use CacheAuth.token(), tokenFromSecret() or none()', props.auth.userGroupId);
  }
  refuseGiven('snapshotName', props.snapshotName, 'an ElastiCache snapshot cannot be read from EC2; export it to S3 (CopySnapshot) and pass its .rdb in snapshotArns');
  if (props.snapshotArns !== undefined && props.snapshotArns.length > 1) {
    refuse('snapshotArns', 'must hold at most one .rdb on SelfHostedCache (one instance loads one file; a sharded export cannot be merged)', props.snapshotArns);
  }
  refuseGiven('slowLog', props.slowLog && { ...props.slowLog, logGroup: props.slowLog.logGroup?.logGroupName }, 'our server keeps its slow log in memory (SLOWLOG GET); it is not delivered to CloudWatch Logs');
  if (props.engineLog?.format === 'json') {
    refuse('engineLog.format', "must be 'text' or unset on SelfHostedCache (the server writes redis-server's text log lines)", 'json');
  }
  refuseGiven('preferredMaintenanceWindow', props.preferredMaintenanceWindow, 'there is no managed maintenance on a self-hosted instance');
  refuseTrue('autoMinorVersionUpgrade', props.autoMinorVersionUpgrade, 'the server version is the one bundled in this package; upgrade the package and deploy');
  refuseGiven('durability', props.durability, 'durability is ElastiCache\'s Multi-AZ transaction log');
  refuseTrue('dataTiering', props.dataTiering, 'data tiering is an ElastiCache feature of r6gd nodes');
  if (props.networkType !== undefined && props.networkType !== 'ipv4') {
    refuse('networkType', "must be 'ipv4' or unset on SelfHostedCache (the endpoint is the network interface's private IPv4 address)", props.networkType);
  }
  if (props.ipDiscovery !== undefined && props.ipDiscovery !== 'ipv4') {
    refuse('ipDiscovery', "must be 'ipv4' or unset on SelfHostedCache (there is no cluster discovery)", props.ipDiscovery);
  }
  if (props.instanceType !== undefined && props.nodeType !== undefined) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.CONFLICTING_PROPS,
      'instanceType',
      'cannot be given together with nodeType (one names the instance directly, the other maps cache.* to it)',
      props.instanceType.toString(),
    );
  }
  validateSelfHostedEngine(props.engine);
  validateSnapshotInterval(props.snapshotInterval);
  validateServerParameters(props.parameters);
}

/**
 * Our server implements the Redis 7.2 command set with Valkey 8's semantics: Valkey 7.2–8.x and
 * Redis OSS 7.0–7.1 clients get what they expect; older Redis OSS and Valkey 9 would not.
 */
export function validateSelfHostedEngine(engine: ICacheEngine): void {
  const version = engine.versionNumber;
  const supported = engine.engineName === 'valkey'
    ? versionAtLeast(version, 7, 2) && version.major <= 8
    : versionAtLeast(version, 7, 0) && version.major <= 7;
  if (!supported) {
    refuse(
      'engine',
      'must be Valkey 7.2–8.x or Redis OSS 7.0–7.1 on SelfHostedCache (the bundled server implements the Redis 7.2 command set with Valkey 8 semantics)',
      `${engine.engineName} ${engine.engineVersion}`,
    );
  }
}

/** Whole minutes from 1 minute to 24 hours: a systemd timer's period. */
function validateSnapshotInterval(interval: Duration | undefined): void {
  if (interval === undefined || interval.isUnresolved()) return;
  const seconds = interval.toSeconds();
  if (seconds < 60 || seconds > 86400 || seconds % 60 !== 0) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_SNAPSHOT_INTERVAL,
      'snapshotInterval',
      'must be whole minutes from 1 minute to 24 hours',
      interval.toHumanString(),
    );
  }
}

/** Directives the boot script writes itself: a parameter may not override them. */
const RESERVED_PARAMETERS = new Set([
  'port', 'bind', 'dir', 'dbfilename', 'requirepass', 'protected-mode', 'daemonize', 'logfile', 'pidfile',
  'unixsocket', 'include', 'cluster-enabled', 'replicaof', 'slaveof', 'masterauth', 'rename-command',
]);

/** Parameters become lines of the server's config file: one directive each, nothing the script owns. */
export function validateServerParameters(parameters: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(parameters ?? {})) {
    if (Token.isUnresolved(name) || Token.isUnresolved(value)) {
      throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_PARAMETER, `parameters.${name}`, 'must be known at synth time on SelfHostedCache (it is written into the server\'s config file)', value);
    }
    if (!/^[a-z][a-z0-9-]*$/.test(name)) {
      throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_PARAMETER, 'parameters', 'must have names of lowercase letters, digits and hyphens (config directives)', name);
    }
    if (RESERVED_PARAMETERS.has(name)) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_PARAMETER,
        `parameters.${name}`,
        'is set by SelfHostedCache itself (from port, auth and the data volume) and cannot be a parameter',
        value,
      );
    }
    if (/[\r\n\0]/.test(value)) {
      throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_PARAMETER, `parameters.${name}`, 'must be one line (no CR, LF or NUL)', value);
    }
  }
}

function refuse(prop: string, rule: string, received: unknown): never {
  throw CacheConfigurationError.invalid(CacheErrorCodes.UNSUPPORTED_ON_SELF_HOSTED, prop, rule, received);
}

function refuseTrue(prop: string, value: boolean | undefined, why: string): void {
  if (value === true) refuse(prop, `must be false or unset on SelfHostedCache (${why})`, true);
}

function refuseGiven(prop: string, value: unknown, why: string): void {
  if (value !== undefined) refuse(prop, `cannot be given to SelfHostedCache (${why})`, value);
}
