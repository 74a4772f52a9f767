/**
 * Connection commands: PING, ECHO, SELECT, QUIT, RESET, AUTH, HELLO, CLIENT …
 */
import { clientOf, serverOf } from '../services';
import { Errors, ReplyError, type CommandContext, type CommandSpec } from './command';

function ping(ctx: CommandContext, args: Buffer[]): void {
  if (args.length > 2) throw new ReplyError(Errors.wrongArity('ping'));
  const r = ctx.reply;
  if (ctx.client.subscriptionCount > 0 && ctx.client.resp === 2) {
    // In RESP2 subscribed mode PING answers in the push shape, as Redis does.
    r.arrayHeader(2);
    r.bulk('pong');
    r.bulk(args.length === 2 ? args[1] : '');
    return;
  }
  if (args.length === 2) r.bulk(args[1]);
  else r.pong();
}

function parseDbIndex(arg: Buffer): number {
  const text = arg.toString('latin1');
  if (!/^-?\d+$/.test(text)) throw new ReplyError(Errors.notInteger);
  const n = Number(text);
  if (!Number.isSafeInteger(n) && Math.abs(n) > 2 ** 63) throw new ReplyError(Errors.notInteger);
  return n;
}

function select(ctx: CommandContext, args: Buffer[]): void {
  const index = parseDbIndex(args[1]);
  if (index < 0 || index >= ctx.server.databaseCount) throw new ReplyError(Errors.dbIndexOutOfRange);
  ctx.client.dbIndex = index;
  ctx.reply.ok();
}

function quit(ctx: CommandContext): void {
  ctx.reply.ok();
  clientOf(ctx).closeAfterReply = true;
}

const base = { firstKey: 0, lastKey: 0, keyStep: 0, group: 'connection' as const };

export const connectionCommands: CommandSpec[] = [
  {
    ...base,
    name: 'ping',
    arity: -1,
    flags: ['fast'],
    acl: ['fast', 'connection'],
    summary: 'Returns the server\'s liveliness response.',
    since: '1.0.0',
    complexity: 'O(1)',
    handler: ping,
  },
  {
    ...base,
    name: 'echo',
    arity: 2,
    flags: ['fast'],
    acl: ['fast', 'connection'],
    summary: 'Returns the given string.',
    since: '1.0.0',
    complexity: 'O(1)',
    handler: (ctx, args) => ctx.reply.bulk(args[1]),
  },
  {
    ...base,
    name: 'select',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    acl: ['fast', 'connection'],
    summary: 'Changes the selected database.',
    since: '1.0.0',
    complexity: 'O(1)',
    handler: select,
  },
  {
    ...base,
    name: 'quit',
    arity: -1,
    flags: ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'],
    acl: ['fast', 'connection'],
    summary: 'Closes the connection.',
    since: '1.0.0',
    complexity: 'O(1)',
    handler: quit,
  },
];

// Referenced so later additions keep the import shape stable.
void serverOf;
