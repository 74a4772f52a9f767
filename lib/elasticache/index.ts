// The ElastiCache room: engine model, topology, authentication and the replication group.
// Validation helpers and the import class stay internal.
export { AUTH_TOKEN_EXCLUDED_CHARACTERS, AUTH_TOKEN_MAX_LENGTH, AUTH_TOKEN_MIN_LENGTH, CacheAuth } from './auth';
export type { AuthTokenFromSecretOptions, CacheAuthKind, GeneratedAuthTokenOptions, UserGroupAuthOptions } from './auth';
export { CacheEngine } from './engine';
export type {
  CacheEngineCapabilities,
  CacheEngineName,
  ICacheEngine,
  RedisOssEngineProps,
  ValkeyEngineProps,
  ValkeyUpgradePath,
} from './engine';
export { RedisOssEngineVersion, ValkeyEngineVersion } from './engine-version';
export type { EngineVersionNumber, EngineVersionOptions } from './engine-version';
export { DEFAULT_NODE_TYPE, DEFAULT_SNAPSHOT_RETENTION_DAYS, ReplicationGroup } from './replication-group';
export type {
  CacheDurability,
  CacheIpDiscovery,
  CacheLogFormat,
  CacheLogOptions,
  CacheNetworkType,
  ReplicationGroupProps,
  TransitEncryptionMode,
} from './replication-group';
export { ReplicationGroupBase } from './replication-group-base';
export type { IReplicationGroup, ReplicationGroupAttributes } from './replication-group-base';
export { HASH_SLOT_COUNT, Topology } from './topology';
export type { PrimaryWithReplicasOptions, ShardedTopologyOptions } from './topology';
export { ACL_CATEGORIES, validateAccessString } from './access-string';
export { CacheUser, CacheUserAuthentication } from './user';
export type { CacheUserAttributes, CacheUserAuthenticationType, CacheUserProps, GeneratedPasswordOptions, ICacheUser, PasswordSecret } from './user';
export { CacheUserGroup } from './user-group';
export type { CacheUserGroupProps, ICacheUserGroup } from './user-group';
export { SERVERLESS_PORT, SERVERLESS_READER_PORT, ServerlessCache } from './serverless-cache';
export type { IServerlessCache, ServerlessCacheProps, ServerlessUsageLimits } from './serverless-cache';
