import { Token } from 'aws-cdk-lib';
import { CacheConfigurationError, CacheErrorCode, CacheErrorCodes } from '../errors';

/** Hash slots of a Valkey or Redis OSS cluster: 0–16383. */
export const HASH_SLOT_COUNT = 16384;

/**
 * Options of {@link Topology.primaryWithReplicas}.
 */
export interface PrimaryWithReplicasOptions {
  /** Read replicas beside the primary: 0–5 (NumCacheClusters = 1 + replicas). */
  readonly replicas: number;
}

/**
 * Options of {@link Topology.sharded}.
 */
export interface ShardedTopologyOptions {
  /** Shards (node groups): 1–500 (250 below Redis OSS 5.0.6). */
  readonly shards: number;
  /**
   * Replicas in each shard: 0–5.
   *
   * @default 1
   */
  readonly replicasPerShard?: number;
  /**
   * The hash slots of each shard, one entry per shard, each a comma-separated list of slots or
   * ranges, e.g. `['0-8191', '8192-16383']`. Together they must cover 0–16383 once.
   *
   * Required when seeding a sharded group from `.rdb` files (`snapshotArns`): the ranges must
   * match the shards the files were exported from. {@link Topology.evenSlots} splits the slots
   * evenly.
   *
   * @default - ElastiCache spreads the slots evenly
   */
  readonly slots?: string[];
}

/**
 * The shape of a replication group: one node, a primary with replicas (cluster mode disabled),
 * or shards (cluster mode enabled).
 *
 * @example
 * Topology.singleNode();
 * Topology.primaryWithReplicas({ replicas: 2 });
 * Topology.sharded({ shards: 3, replicasPerShard: 1 });
 */
export class Topology {
  /**
   * One node, cluster mode disabled: a replication group with NumCacheClusters 1 (ElastiCache's
   * CreateCacheCluster does not take Valkey). No failover, no Multi-AZ.
   */
  public static singleNode(): Topology {
    return new Topology(false, 1, 0);
  }

  /**
   * A primary and 0–5 read replicas, cluster mode disabled (NumCacheClusters 1–6). Multi-AZ with
   * automatic failover is on by default when there is at least one replica.
   */
  public static primaryWithReplicas(options: PrimaryWithReplicasOptions): Topology {
    validateCount(
      CacheErrorCodes.INVALID_NUM_CACHE_CLUSTERS,
      'topology.replicas',
      options.replicas,
      0,
      5,
      'for cluster mode disabled (a primary plus at most 5 replicas)',
    );
    return new Topology(false, 1, options.replicas);
  }

  /**
   * 1–500 shards of a primary and 0–5 replicas each, cluster mode enabled. Multi-AZ with
   * automatic failover is on by default when each shard has at least one replica.
   *
   * Moving an existing group from cluster mode disabled to sharded is not a plain update:
   * ElastiCache must pass through ClusterMode `compatible` first (and clients must support
   * cluster mode), so plan that migration outside a single deployment.
   */
  public static sharded(options: ShardedTopologyOptions): Topology {
    const replicasPerShard = options.replicasPerShard ?? 1;
    validateCount(CacheErrorCodes.INVALID_NUM_SHARDS, 'topology.shards', options.shards, 1, 500, 'for cluster mode enabled');
    validateCount(
      CacheErrorCodes.INVALID_REPLICAS_PER_SHARD,
      'topology.replicasPerShard',
      replicasPerShard,
      0,
      5,
      'for cluster mode enabled',
    );
    if (options.slots !== undefined) {
      validateSlots(options.slots, options.shards);
    }
    return new Topology(true, options.shards, replicasPerShard, options.slots);
  }

  /**
   * Splits the 16384 hash slots evenly over `shards` shards, the way ElastiCache does by default,
   * e.g. `['0-8191', '8192-16383']` for two.
   */
  public static evenSlots(shards: number): string[] {
    validateCount(CacheErrorCodes.INVALID_NUM_SHARDS, 'Topology.evenSlots(shards)', shards, 1, 500, 'for cluster mode enabled');
    const ranges: string[] = [];
    let start = 0;
    for (let i = 0; i < shards; i++) {
      const size = Math.floor(HASH_SLOT_COUNT / shards) + (i < HASH_SLOT_COUNT % shards ? 1 : 0);
      ranges.push(`${start}-${start + size - 1}`);
      start += size;
    }
    return ranges;
  }

  /** True for cluster mode enabled (sharded). */
  public readonly clusterMode: boolean;
  /** Shards (node groups): always 1 for cluster mode disabled. */
  public readonly shards: number;
  /** Replicas per shard. */
  public readonly replicasPerShard: number;
  /**
   * Hash slots of each shard, when given.
   *
   * @default - ElastiCache spreads the slots evenly
   */
  public readonly slots?: string[];

  private constructor(clusterMode: boolean, shards: number, replicasPerShard: number, slots?: string[]) {
    this.clusterMode = clusterMode;
    this.shards = shards;
    this.replicasPerShard = replicasPerShard;
    this.slots = slots;
  }

  /** Nodes in each shard: the primary plus its replicas (NumCacheClusters for cluster mode disabled). */
  public get nodesPerShard(): number {
    return 1 + this.replicasPerShard;
  }
}

function validateCount(
  code: CacheErrorCode,
  prop: string,
  value: number,
  min: number,
  max: number,
  context: string,
): void {
  if (Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw CacheConfigurationError.invalid(code, prop, `must be an integer between ${min} and ${max} ${context}`, value);
  }
}

/** One parsed `a-b` range (inclusive) with the shard it belongs to. */
interface SlotRange {
  readonly start: number;
  readonly end: number;
  readonly shard: number;
}

/**
 * Checks that the slot lists are well-formed, one per shard, and cover 0–16383 exactly once.
 */
export function validateSlots(slots: string[], shards: number): void {
  const prop = 'topology.slots';
  if (slots.some((s) => Token.isUnresolved(s)) || Token.isUnresolved(shards)) {
    return;
  }
  if (slots.length !== shards) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_SLOTS,
      prop,
      `must have one entry per shard (${shards})`,
      slots,
    );
  }
  const ranges: SlotRange[] = [];
  slots.forEach((entry, shard) => {
    for (const part of entry.split(',')) {
      const match = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(part);
      const start = match ? Number(match[1]) : NaN;
      const end = match ? Number(match[2] ?? match[1]) : NaN;
      if (!match || start > end || end >= HASH_SLOT_COUNT) {
        throw CacheConfigurationError.invalid(
          CacheErrorCodes.INVALID_SLOTS,
          `${prop}[${shard}]`,
          'must be comma-separated slots or ranges a-b within 0-16383 (e.g. 0-8191)',
          entry,
        );
      }
      ranges.push({ start, end, shard });
    }
  });
  ranges.sort((a, b) => a.start - b.start);
  let next = 0;
  for (const range of ranges) {
    if (range.start < next) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_SLOTS,
        prop,
        `must not overlap (slot ${range.start} of shard ${range.shard} is already assigned)`,
        slots,
      );
    }
    if (range.start > next) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_SLOTS,
        prop,
        `must cover every slot 0-16383 (slots ${next}-${range.start - 1} are unassigned)`,
        slots,
      );
    }
    next = range.end + 1;
  }
  if (next !== HASH_SLOT_COUNT) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_SLOTS,
      prop,
      `must cover every slot 0-16383 (slots ${next}-16383 are unassigned)`,
      slots,
    );
  }
}
