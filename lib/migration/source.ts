import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ICacheEngine } from '../elasticache/engine';
import { ReplicationGroup } from '../elasticache/replication-group';
import { IReplicationGroup } from '../elasticache/replication-group-base';

/**
 * What is known about a source that is given by id. Everything is optional: what is given is
 * checked at synth time, what is not is checked by the handler at deploy time.
 */
export interface MigrationSourceOptions {
  /**
   * The engine and version the source runs, e.g.
   * `CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_6_2 })`.
   *
   * @default - unknown: downgrades and the failover below Redis OSS 5.0.6 are found at deploy time
   */
  readonly engine?: ICacheEngine;
  /**
   * Whether the source runs with cluster mode enabled (sharded).
   *
   * @default - unknown: SNAPSHOT_RESTORE checks it at deploy time; IN_PLACE with
   * `sourceParameters` needs it, for the `cluster-enabled` parameter
   */
  readonly clusterMode?: boolean;
  /**
   * Whether the source tiers data to SSD (r6gd node types). Its backups cannot be exported.
   *
   * @default - unknown: checked at deploy time
   */
  readonly dataTiering?: boolean;
  /**
   * The parameter group the source uses. A name not starting with `default.` is a custom group,
   * whose values IN_PLACE needs (`sourceParameters`) or whose Valkey twin it needs
   * (`valkeyParameterGroupName`).
   *
   * @default - unknown: a custom group without either is refused at deploy time
   */
  readonly parameterGroupName?: string;
  /**
   * The address applications use today (primary or configuration endpoint), for a cutover record
   * that points at the source.
   *
   * @default - unknown: `cutover.pointTo: CutoverTarget.SOURCE` is refused
   */
  readonly endpointAddress?: string;
}

/** A replication group, or a single-node cache cluster (which cannot be migrated as it is). */
export type MigrationSourceKind = 'replication-group' | 'cache-cluster';

/**
 * The Redis OSS cache to migrate: an existing replication group by id, or a replication group of
 * this app (our {@link ReplicationGroup} or any {@link IReplicationGroup}).
 *
 * @example
 * MigrationSource.fromReplicationGroupId('legacy-sessions', {
 *   engine: CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_6_2 }),
 * });
 * MigrationSource.fromReplicationGroup(cache);
 */
export class MigrationSource {
  /** An existing replication group by its ReplicationGroupId. */
  public static fromReplicationGroupId(replicationGroupId: string, options: MigrationSourceOptions = {}): MigrationSource {
    return new MigrationSource('replication-group', replicationGroupId, options);
  }

  /**
   * A replication group construct. For our {@link ReplicationGroup} the engine, topology, data
   * tiering, parameters and endpoint come from the construct; `options` overrides them.
   */
  public static fromReplicationGroup(group: IReplicationGroup, options: MigrationSourceOptions = {}): MigrationSource {
    if (group instanceof ReplicationGroup) {
      const given = group.parameters === undefined && !Token.isUnresolved(group.parameterGroupName)
        ? group.parameterGroupName
        : undefined;
      return new MigrationSource('replication-group', group.replicationGroupId, {
        engine: group.engine,
        clusterMode: group.topology.clusterMode,
        dataTiering: group.dataTiering,
        parameterGroupName: given,
        endpointAddress: group.endpointAddress,
        ...options,
      }, group, group.parameters);
    }
    return new MigrationSource('replication-group', group.replicationGroupId, { engine: group.engine, ...options }, group);
  }

  /**
   * A single-node cache cluster (AWS::ElastiCache::CacheCluster). It cannot be migrated as it
   * is: ValkeyMigration refuses it and says how to make it a replication group first.
   */
  public static fromCacheClusterId(cacheClusterId: string): MigrationSource {
    return new MigrationSource('cache-cluster', cacheClusterId, {});
  }

  /** Replication group or single-node cache cluster. */
  public readonly kind: MigrationSourceKind;
  /** The ReplicationGroupId (the CacheClusterId for a cache cluster); may be a token. */
  public readonly id: string;
  /** What is known about the source. */
  public readonly options: MigrationSourceOptions;
  /** The construct, when the source is one. */
  public readonly group?: IReplicationGroup;
  /** The engine parameters of our ReplicationGroup's created parameter group. */
  public readonly parameters?: Readonly<Record<string, string>>;

  private constructor(
    kind: MigrationSourceKind,
    id: string,
    options: MigrationSourceOptions,
    group?: IReplicationGroup,
    parameters?: Readonly<Record<string, string>>,
  ) {
    this.kind = kind;
    this.id = id;
    this.options = options;
    this.group = group;
    this.parameters = parameters;
  }

  /** The id as a literal, or undefined when it is a token (a group created in this app without an id). */
  public get literalId(): string | undefined {
    return Token.isUnresolved(this.id) ? undefined : this.id.toLowerCase();
  }

  /** The source's connections, when it is a construct. */
  public get connections(): ec2.Connections | undefined {
    return this.group?.connections;
  }
}
