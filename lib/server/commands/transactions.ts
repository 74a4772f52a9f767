/**
 * MULTI / EXEC / DISCARD / WATCH / UNWATCH, as Redis's multi.c. Queueing itself happens in the
 * dispatcher (commands are checked before they are queued, and a failed check makes EXEC abort);
 * WATCH rides on Database's onModified hook through the keyspace's watch registry.
 */
import { aclExecRefusal } from '../acl/enforce';
import { clientOf, serverOf } from '../services';
import { ReplyError, asKey, type CommandContext, type CommandSpec } from './command';

function multi(ctx: CommandContext): void {
  const client = clientOf(ctx);
  if (client.inMulti) throw new ReplyError('ERR MULTI calls can not be nested');
  client.multiQueue = [];
  client.multiError = false;
  ctx.reply.ok();
}

function exec(ctx: CommandContext): void {
  const client = clientOf(ctx);
  const server = serverOf(ctx);
  const queue = client.multiQueue;
  if (queue === undefined) throw new ReplyError('ERR EXEC without MULTI');
  client.multiQueue = undefined;
  if (client.multiError) {
    client.multiError = false;
    server.keyspace.unwatchAll(client);
    throw new ReplyError('EXECABORT Transaction discarded because of previous errors.');
  }
  const aborted = client.dirtyCas || server.keyspace.watchedKeyExpired(client);
  server.keyspace.unwatchAll(client);
  if (aborted) {
    ctx.reply.nullArray();
    return;
  }
  ctx.reply.arrayHeader(queue.length);
  for (const queued of queue) {
    const refusal = client.user.unrestricted ? undefined : aclExecRefusal(server.acl, client, queued.entry.fullName, queued.args, server.acllogMaxLen);
    if (refusal === undefined) server.dispatcher.call(client, queued.entry, queued.args);
    else ctx.reply.error(refusal);
  }
}

function discard(ctx: CommandContext): void {
  const client = clientOf(ctx);
  if (!client.inMulti) throw new ReplyError('ERR DISCARD without MULTI');
  client.multiQueue = undefined;
  client.multiError = false;
  serverOf(ctx).keyspace.unwatchAll(client);
  ctx.reply.ok();
}

function watch(ctx: CommandContext, args: Buffer[]): void {
  const client = clientOf(ctx);
  if (client.inMulti) throw new ReplyError('ERR WATCH inside MULTI is not allowed');
  const keyspace = serverOf(ctx).keyspace;
  for (let i = 1; i < args.length; i++) keyspace.watch(client, ctx.db, asKey(args[i]));
  ctx.reply.ok();
}

function unwatch(ctx: CommandContext): void {
  serverOf(ctx).keyspace.unwatchAll(clientOf(ctx));
  ctx.reply.ok();
}

const base = { firstKey: 0, lastKey: 0, keyStep: 0, group: 'transactions' as const };

export const transactionCommands: CommandSpec[] = [
  {
    ...base,
    name: 'multi',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    acl: ['fast', 'transaction'],
    summary: 'Starts a transaction.',
    since: '1.2.0',
    complexity: 'O(1)',
    handler: multi,
  },
  {
    ...base,
    name: 'exec',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'skip_slowlog'],
    acl: ['slow', 'transaction'],
    summary: 'Executes all commands in a transaction.',
    since: '1.2.0',
    complexity: 'Depends on commands in the transaction',
    handler: exec,
  },
  {
    ...base,
    name: 'discard',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    acl: ['fast', 'transaction'],
    summary: 'Discards a transaction.',
    since: '2.0.0',
    complexity: 'O(N), when N is the number of queued commands',
    handler: discard,
  },
  {
    ...base,
    name: 'watch',
    arity: -2,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    firstKey: 1,
    lastKey: -1,
    keyStep: 1,
    acl: ['fast', 'transaction'],
    summary: 'Monitors changes to keys to determine the execution of a transaction.',
    since: '2.2.0',
    complexity: 'O(1) for every key.',
    handler: watch,
  },
  {
    ...base,
    name: 'unwatch',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    acl: ['fast', 'transaction'],
    summary: 'Forgets about watched keys of a transaction.',
    since: '2.2.0',
    complexity: 'O(1)',
    handler: unwatch,
  },
];
