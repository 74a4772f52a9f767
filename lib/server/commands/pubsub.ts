/**
 * Pub/Sub commands, as Redis's pubsub.c: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH and
 * PUBSUB introspection. Confirmations are pushes (`>` under RESP3, arrays under RESP2).
 */
import type { Client } from '../client';
import type { SubscriptionKind } from '../pubsub-hub';
import { clientOf, serverOf } from '../services';
import { globMatch } from '../util/glob';
import { replyHelp } from './connection';
import { asKey, ReplyError, type AclCategory, type CommandContext, type CommandFlag, type CommandSpec } from './command';

const NAMES: Record<SubscriptionKind, [string, string]> = {
  channel: ['subscribe', 'unsubscribe'],
  pattern: ['psubscribe', 'punsubscribe'],
  shard: ['ssubscribe', 'sunsubscribe'],
};

/** Redis counts channels + patterns together, and shard channels on their own. */
function countFor(client: Client, kind: SubscriptionKind): number {
  return kind === 'shard' ? client.shardChannels.size : client.channels.size + client.patterns.size;
}

function confirm(ctx: CommandContext, kind: SubscriptionKind, verb: 0 | 1, name: string | null, client: Client): void {
  const r = ctx.reply;
  r.pushHeader(3);
  r.bulk(NAMES[kind][verb]);
  if (name === null) r.nullBulk();
  else r.bulk(name);
  r.integer(countFor(client, kind));
}

function subscribe(kind: SubscriptionKind): CommandSpec['handler'] {
  return (ctx, args) => {
    const client = clientOf(ctx);
    const hub = serverOf(ctx).pubsub;
    for (let i = 1; i < args.length; i++) {
      const name = asKey(args[i]);
      hub.subscribe(client, kind, name);
      confirm(ctx, kind, 0, name, client);
    }
  };
}

function unsubscribe(kind: SubscriptionKind): CommandSpec['handler'] {
  return (ctx, args) => {
    const client = clientOf(ctx);
    const hub = serverOf(ctx).pubsub;
    if (args.length === 1) {
      const mine = kind === 'channel' ? client.channels : kind === 'pattern' ? client.patterns : client.shardChannels;
      if (mine.size === 0) {
        confirm(ctx, kind, 1, null, client);
        return;
      }
      for (const name of Array.from(mine)) {
        hub.unsubscribe(client, kind, name);
        confirm(ctx, kind, 1, name, client);
      }
      return;
    }
    for (let i = 1; i < args.length; i++) {
      const name = asKey(args[i]);
      hub.unsubscribe(client, kind, name);
      confirm(ctx, kind, 1, name, client);
    }
  };
}

function publish(ctx: CommandContext, args: Buffer[]): void {
  ctx.reply.integer(serverOf(ctx).pubsub.publish(asKey(args[1]), args[2]));
}

function spublish(ctx: CommandContext, args: Buffer[]): void {
  ctx.reply.integer(serverOf(ctx).pubsub.publishShard(asKey(args[1]), args[2]));
}

function listChannels(ctx: CommandContext, args: Buffer[], map: Map<string, Set<Client>>): void {
  // Arity -2 lets any number through; Redis takes at most one pattern and words the refusal so.
  if (args.length > 3) {
    throw new ReplyError(
      `ERR unknown subcommand or wrong number of arguments for '${args[1].toString('latin1')}'. Try PUBSUB HELP.`,
    );
  }
  const pattern = args.length > 2 ? asKey(args[2]) : undefined;
  const names: string[] = [];
  for (const name of map.keys()) if (pattern === undefined || globMatch(pattern, name)) names.push(name);
  ctx.reply.bulkArray(names);
}

function numsub(ctx: CommandContext, args: Buffer[], map: Map<string, Set<Client>>): void {
  ctx.reply.arrayHeader((args.length - 2) * 2); // an array in RESP3 too, as Redis and Valkey reply
  for (let i = 2; i < args.length; i++) {
    const name = asKey(args[i]);
    ctx.reply.bulk(name);
    ctx.reply.integer(map.get(name)?.size ?? 0);
  }
}

const PUBSUB_HELP = [
  'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  '    Return the currently active shard level channels matching a <pattern> (default: \'*\').',
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
];

interface Options {
  flags?: CommandFlag[];
  acl?: AclCategory[];
  complexity?: string;
  firstKey?: number;
  lastKey?: number;
  keyStep?: number;
}

function spec(name: string, arity: number, since: string, summary: string, handler: CommandSpec['handler'], o: Options = {}): CommandSpec {
  return {
    name,
    arity,
    flags: o.flags ?? ['pubsub', 'noscript', 'loading', 'stale'],
    firstKey: o.firstKey ?? 0,
    lastKey: o.lastKey ?? 0,
    keyStep: o.keyStep ?? 0,
    acl: o.acl ?? ['pubsub', 'slow'],
    group: 'pubsub',
    summary,
    since,
    complexity: o.complexity ?? 'O(1)',
    handler,
  };
}

const INTROSPECT: Options = { flags: ['pubsub', 'loading', 'stale'] };

export const pubsubCommands: CommandSpec[] = [
  spec('subscribe', -2, '2.0.0', 'Listens for messages published to channels.', subscribe('channel'), {
    complexity: 'O(N) where N is the number of channels to subscribe to.',
  }),
  spec('unsubscribe', -1, '2.0.0', 'Stops listening to messages posted to channels.', unsubscribe('channel'), {
    complexity: 'O(N) where N is the number of channels to unsubscribe.',
  }),
  spec('psubscribe', -2, '2.0.0', 'Listens for messages published to channels that match one or more patterns.', subscribe('pattern'), {
    complexity: 'O(N) where N is the number of patterns to subscribe to.',
  }),
  spec('punsubscribe', -1, '2.0.0', 'Stops listening to messages published to channels that match one or more patterns.', unsubscribe('pattern'), {
    complexity: 'O(N) where N is the number of patterns to unsubscribe.',
  }),
  spec('ssubscribe', -2, '7.0.0', 'Listens for messages published to shard channels.', subscribe('shard'), {
    firstKey: 1,
    lastKey: -1,
    keyStep: 1,
    complexity: 'O(N) where N is the number of shard channels to subscribe to.',
  }),
  spec('sunsubscribe', -1, '7.0.0', 'Stops listening to messages posted to shard channels.', unsubscribe('shard'), {
    firstKey: 1,
    lastKey: -1,
    keyStep: 1,
    complexity: 'O(N) where N is the number of shard channels to unsubscribe.',
  }),
  spec('publish', 3, '2.0.0', 'Posts a message to a channel.', publish, {
    flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
    acl: ['pubsub', 'fast'],
    complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
  }),
  spec('spublish', 3, '7.0.0', 'Post a message to a shard channel', spublish, {
    flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
    acl: ['pubsub', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
  }),
  {
    ...spec('pubsub', -2, '2.8.0', 'A container for Pub/Sub commands.', () => undefined, { complexity: 'Depends on subcommand.' }),
    flags: [],
    acl: ['slow'],
    subcommands: [
      spec('channels', -2, '2.8.0', 'Returns the active channels.', (ctx, args) => listChannels(ctx, args, serverOf(ctx).pubsub.channels), {
        ...INTROSPECT,
        complexity: 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
      }),
      spec('numsub', -2, '2.8.0', 'Returns a count of subscribers to channels.', (ctx, args) => numsub(ctx, args, serverOf(ctx).pubsub.channels), {
        ...INTROSPECT,
        complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
      }),
      spec('numpat', 2, '2.8.0', 'Returns a count of unique pattern subscriptions.', (ctx) => ctx.reply.integer(serverOf(ctx).pubsub.patterns.size), INTROSPECT),
      spec(
        'shardchannels',
        -2,
        '7.0.0',
        'Returns the active shard channels.',
        (ctx, args) => listChannels(ctx, args, serverOf(ctx).pubsub.shardChannels),
        { ...INTROSPECT, complexity: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).' },
      ),
      spec('shardnumsub', -2, '7.0.0', 'Returns the count of subscribers of shard channels.', (ctx, args) => numsub(ctx, args, serverOf(ctx).pubsub.shardChannels), {
        ...INTROSPECT,
        complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
      }),
      spec('help', 2, '6.2.0', 'Returns helpful text about the different subcommands.', (ctx) => replyHelp(ctx, PUBSUB_HELP), {
        flags: ['loading', 'stale'],
        acl: ['slow'],
      }),
    ],
  },
];
