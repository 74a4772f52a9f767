/**
 * Commands are declared as data, like valkey's src/commands/*.json: the dispatcher checks arity
 * and flags centrally, and COMMAND / COMMAND INFO / DOCS / COUNT / LIST answer from the same table.
 *
 * A handler never throws for a user error: it writes the Redis-worded error reply itself
 * (or throws a `ReplyError`, which the dispatcher turns into exactly that reply).
 */
import type { Database } from '../keyspace/database';
import type { ReplyWriter } from '../protocol/reply-writer';
import { latin1 } from '../util/latin1';

/** Flags as Redis's COMMAND reply spells them. */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'module'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'asking'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_mandatory_keys'
  | 'no_multi'
  | 'allow_busy'
  | 'movablekeys';

/** ACL categories, without the leading '@' (COMMAND INFO prints them with it). */
export type AclCategory =
  | 'keyspace'
  | 'read'
  | 'write'
  | 'set'
  | 'sortedset'
  | 'list'
  | 'hash'
  | 'string'
  | 'bitmap'
  | 'hyperloglog'
  | 'geo'
  | 'stream'
  | 'pubsub'
  | 'admin'
  | 'fast'
  | 'slow'
  | 'blocking'
  | 'dangerous'
  | 'connection'
  | 'transaction'
  | 'scripting';

export type CommandGroup =
  | 'generic'
  | 'string'
  | 'bitmap'
  | 'list'
  | 'set'
  | 'sorted-set'
  | 'hash'
  | 'hyperloglog'
  | 'geo'
  | 'stream'
  | 'pubsub'
  | 'transactions'
  | 'connection'
  | 'server'
  | 'scripting'
  | 'cluster';

/**
 * The state of one client connection that commands may read or change. The server's client
 * class implements it; command modules depend only on this shape.
 */
export interface ClientState {
  readonly id: number;
  /** Index of the SELECTed database. */
  dbIndex: number;
  name: string;
  /** RESP protocol negotiated by HELLO (mirrors `reply.resp`). */
  readonly resp: 2 | 3;
  authenticated: boolean;
  /** Queued commands while in MULTI, undefined otherwise. */
  readonly inMulti: boolean;
  /** Number of channel + pattern + shard subscriptions (RESP2 subscribed mode when > 0). */
  readonly subscriptionCount: number;
}

/** What a handler gets: the caller, the keyspace, and the reply buffer to write into. */
export interface CommandContext {
  readonly client: ClientState;
  /** The client's selected database. */
  readonly db: Database;
  readonly reply: ReplyWriter;
  /** Current time in Unix ms, fixed for the duration of one command (as Redis's command time snapshot). */
  readonly now: number;
  /** The server: other databases, config, pub/sub, stats. Typed by the server module. */
  readonly server: ServerServices;
}

/**
 * The server-wide services commands need beyond their database. Kept small and explicit so
 * command modules stay testable without sockets.
 */
export interface ServerServices {
  /** Database by index, or undefined when out of range. */
  database(index: number): Database | undefined;
  readonly databaseCount: number;
  /** A config parameter's current value as CONFIG GET would print it. */
  config(name: string): string | undefined;
  /**
   * Changes whenever any config parameter changes, so a command may cache what it derives from
   * config(); absent where the config can change unseen (test harnesses): read config() each time.
   */
  readonly configVersion?: number;
  /** Counts a key-space hit or miss for INFO stats (keyspace_hits / keyspace_misses). */
  recordLookup(hit: boolean): void;
  /** Blocking on keys (lib/server/blocking.ts); absent where nothing can block (socket-less tests). */
  readonly blocking?: BlockingService;
}

/** The value type a blocked client waits for (Redis's BLOCKED_LIST / BLOCKED_ZSET / BLOCKED_STREAM). */
export type BlockingType = 'list' | 'zset' | 'stream';

/** Families reach it through blocking.ts's blockForKeys(); see there for the contract. */
export interface BlockingService {
  blockForKeys(ctx: CommandContext, keys: readonly string[], deadline: number, type: BlockingType): boolean;
}

export type CommandHandler = (ctx: CommandContext, args: Buffer[]) => void;

/**
 * A request whose arguments are still bytes in the connection's read buffer: what the
 * dispatcher's fast path hands a `fast` handler instead of one Buffer per argument.
 */
export interface RawRequest {
  /** The buffer holding every argument's bytes (see argOffset/argLength). */
  readonly scannedBuffer: Buffer;
  /** Offset in `scannedBuffer` of argument `i`. */
  argOffset(i: number): number;
  /** Argument `i` as a latin1 string (how keys and values are stored). */
  latin1(i: number): string;
  /** Byte length of argument `i`. */
  argLength(i: number): number;
  /** All `count` arguments as Buffers, to fall back to the general handler. */
  views(count: number): Buffer[];
}

/** A handler over a RawRequest of `argc` arguments; same contract as CommandHandler. */
export type FastHandler = (ctx: CommandContext, req: RawRequest, argc: number) => void;

/** One command or subcommand, as data. */
export interface CommandSpec {
  /** Lowercase name, e.g. 'get', or for a subcommand the subcommand alone, e.g. 'getname'. */
  readonly name: string;
  /** Redis arity: N means exactly N arguments including the name; -N means at least N. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  /** 1-based position of the first key (0 when the command takes no keys). */
  readonly firstKey: number;
  /** Position of the last key; -1 means the last argument, -2 the one before, … */
  readonly lastKey: number;
  /** Step between keys (MSET: 2). */
  readonly keyStep: number;
  readonly acl: readonly AclCategory[];
  readonly group: CommandGroup;
  /** One line, as COMMAND DOCS' summary. */
  readonly summary: string;
  /** The Redis/Valkey version that introduced it, as COMMAND DOCS' since. */
  readonly since: string;
  /** Time complexity text, as COMMAND DOCS' complexity. */
  readonly complexity?: string;
  /** Subcommands (CLIENT, CONFIG, OBJECT, …); the container's handler is then not called for them. */
  readonly subcommands?: readonly CommandSpec[];
  readonly handler: CommandHandler;
  /**
   * The same command over raw argument bytes, for the hottest commands (GET, SET, INCR, MSET): the
   * dispatcher uses it when no per-client condition (MULTI, MONITOR, pause, auth, maxmemory,
   * CLIENT REPLY/NO-TOUCH, subscriptions) needs the general path. Must behave exactly as `handler`.
   */
  readonly fast?: FastHandler;
}

/** Thrown by a handler (or a helper it calls) to reply with exactly this error and stop. */
export class ReplyError extends Error {
  constructor(public readonly reply: string) {
    super(reply);
    this.name = 'ReplyError';
  }
}

/** Redis's exact wording for the errors every family shares. */
export const Errors = {
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  notInteger: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  overflow: 'ERR increment or decrement would overflow',
  syntax: 'ERR syntax error',
  noSuchKey: 'ERR no such key',
  outOfRangeIndex: 'ERR index out of range',
  dbIndexOutOfRange: 'ERR DB index is out of range',
  wrongArity: (name: string): string => `ERR wrong number of arguments for '${name}' command`,
  invalidExpire: (name: string): string => `ERR invalid expire time in '${name}' command`,
} as const;

/** The latin1 (byte-per-char) string form of an argument: how keys and values are stored. */
export function asKey(arg: Buffer): string {
  // Buffer's native decoder called directly: toString()'s checks cost more than a short key's copy.
  return latin1(arg, 0, arg.length);
}

/** An argument as uppercase ASCII, for option keywords. */
export function keyword(arg: Buffer): string {
  return arg.toString('latin1').toUpperCase();
}
