/**
 * COMMAND and its subcommands, answered from the same table the dispatcher runs on
 * (valkey src/commands/command-*.json; reply shapes of Redis 7's commandInfo / commandDocs).
 */
import type { CommandEntry } from '../dispatch';
import { serverOf } from '../services';
import { globMatch } from '../util/glob';
import { replyHelp } from './connection';
import { ReplyError, keyword, type CommandContext, type CommandSpec } from './command';
import type { ReplyWriter } from '../protocol/reply-writer';

function entries(ctx: CommandContext): CommandEntry[] {
  return Array.from(serverOf(ctx).dispatcher.table.values());
}

/** Finds 'get' or 'config|get'. */
function findEntry(ctx: CommandContext, fullName: string): CommandEntry | undefined {
  const [top, sub] = fullName.toLowerCase().split('|', 2);
  const entry = serverOf(ctx).dispatcher.table.get(top);
  if (!entry || sub === undefined) return entry;
  return entry.subcommands?.get(sub);
}

function keySpecs(r: ReplyWriter, spec: CommandSpec): void {
  if (spec.firstKey <= 0) {
    r.arrayHeader(0);
    return;
  }
  const write = spec.flags.includes('write');
  r.arrayHeader(1);
  r.mapHeader(3);
  r.bulk('flags');
  r.setHeader(write ? 2 : 2);
  if (write) {
    r.simple('RW');
    r.simple('update');
  } else {
    r.simple('RO');
    r.simple('access');
  }
  r.bulk('begin_search');
  r.mapHeader(2);
  r.bulk('type');
  r.bulk('index');
  r.bulk('spec');
  r.mapHeader(1);
  r.bulk('index');
  r.integer(spec.firstKey);
  r.bulk('find_keys');
  r.mapHeader(2);
  r.bulk('type');
  r.bulk('range');
  r.bulk('spec');
  r.mapHeader(3);
  r.bulk('lastkey');
  r.integer(spec.lastKey < 0 ? spec.lastKey : spec.lastKey - spec.firstKey);
  r.bulk('keystep');
  r.integer(spec.keyStep);
  r.bulk('limit');
  r.integer(0);
}

function commandInfo(r: ReplyWriter, entry: CommandEntry): void {
  const spec = entry.spec;
  r.arrayHeader(10);
  r.bulk(entry.fullName);
  r.integer(spec.arity);
  r.setHeader(spec.flags.length);
  for (const f of spec.flags) r.simple(f);
  r.integer(spec.firstKey);
  r.integer(spec.lastKey);
  r.integer(spec.keyStep);
  r.setHeader(spec.acl.length);
  for (const a of spec.acl) r.simple(`@${a}`);
  r.arrayHeader(0); // tips
  keySpecs(r, spec);
  const subs = entry.subcommands ? Array.from(entry.subcommands.values()) : [];
  r.arrayHeader(subs.length);
  for (const s of subs) commandInfo(r, s);
}

function commandDocs(r: ReplyWriter, entry: CommandEntry): void {
  const spec = entry.spec;
  const subs = entry.subcommands ? Array.from(entry.subcommands.values()) : [];
  const fields = 3 + (spec.complexity !== undefined ? 1 : 0) + (subs.length > 0 ? 1 : 0);
  r.mapHeader(fields);
  r.bulk('summary');
  r.bulk(spec.summary);
  r.bulk('since');
  r.bulk(spec.since);
  r.bulk('group');
  r.bulk(spec.group);
  if (spec.complexity !== undefined) {
    r.bulk('complexity');
    r.bulk(spec.complexity);
  }
  if (subs.length > 0) {
    r.bulk('subcommands');
    r.mapHeader(subs.length);
    for (const s of subs) {
      r.bulk(s.fullName);
      commandDocs(r, s);
    }
  }
}

function command(ctx: CommandContext): void {
  const all = entries(ctx);
  ctx.reply.arrayHeader(all.length);
  for (const e of all) commandInfo(ctx.reply, e);
}

function info(ctx: CommandContext, args: Buffer[]): void {
  if (args.length === 2) {
    command(ctx);
    return;
  }
  ctx.reply.arrayHeader(args.length - 2);
  for (let i = 2; i < args.length; i++) {
    const e = findEntry(ctx, args[i].toString('latin1'));
    if (e) commandInfo(ctx.reply, e);
    else ctx.reply.nullBulk();
  }
}

function docs(ctx: CommandContext, args: Buffer[]): void {
  let list: CommandEntry[];
  if (args.length === 2) {
    list = entries(ctx);
  } else {
    list = [];
    for (let i = 2; i < args.length; i++) {
      const e = findEntry(ctx, args[i].toString('latin1'));
      if (e) list.push(e);
    }
  }
  ctx.reply.mapHeader(list.length);
  for (const e of list) {
    ctx.reply.bulk(e.fullName);
    commandDocs(ctx.reply, e);
  }
}

function flatten(list: CommandEntry[]): CommandEntry[] {
  const out: CommandEntry[] = [];
  for (const e of list) {
    out.push(e);
    if (e.subcommands) out.push(...e.subcommands.values());
  }
  return out;
}

function list(ctx: CommandContext, args: Buffer[]): void {
  let all = flatten(entries(ctx));
  if (args.length === 5 && keyword(args[2]) === 'FILTERBY') {
    const kind = keyword(args[3]);
    const value = args[4].toString('latin1');
    if (kind === 'MODULE') all = [];
    else if (kind === 'ACLCAT') all = all.filter((e) => e.spec.acl.some((a) => a === value.toLowerCase()));
    else if (kind === 'PATTERN') all = all.filter((e) => globMatch(value, e.fullName, true));
    else throw new ReplyError('ERR syntax error');
  } else if (args.length !== 2) {
    throw new ReplyError('ERR syntax error');
  }
  ctx.reply.bulkArray(all.map((e) => e.fullName));
}

/** The key positions of a command line per its spec, or an error as COMMAND GETKEYS words it. */
function keysOf(ctx: CommandContext, args: Buffer[]): Buffer[] {
  const dispatcher = serverOf(ctx).dispatcher;
  const line = args.slice(2);
  const entry = dispatcher.resolve(line);
  if (!entry) throw new ReplyError('ERR Invalid command specified');
  const arity = entry.spec.arity;
  if ((arity > 0 && arity !== line.length) || line.length < -arity) {
    throw new ReplyError('ERR Invalid number of arguments specified for command');
  }
  const spec = entry.spec;
  if (spec.firstKey <= 0) throw new ReplyError('ERR The command has no key arguments');
  const last = spec.lastKey < 0 ? line.length + spec.lastKey : spec.lastKey;
  const keys: Buffer[] = [];
  for (let i = spec.firstKey; i <= last && i < line.length; i += Math.max(1, spec.keyStep)) keys.push(line[i]);
  if (keys.length === 0) throw new ReplyError('ERR The command has no key arguments');
  return keys;
}

const COMMAND_HELP = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
  'HELP',
  '    Prints this help.',
];

function sub(name: string, arity: number, summary: string, handler: CommandSpec['handler'], since = '7.0.0'): CommandSpec {
  return {
    name,
    arity,
    flags: ['loading', 'stale'],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    acl: ['slow', 'connection'],
    group: 'server',
    summary,
    since,
    complexity: 'O(N) where N is the number of commands to look up',
    handler,
  };
}

const commandSpec: CommandSpec = {
  name: 'command',
  arity: -1,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  acl: ['slow', 'connection'],
  group: 'server',
  summary: 'Returns detailed information about all commands.',
  since: '2.8.13',
  complexity: 'O(N) where N is the total number of Redis commands',
  handler: command,
  subcommands: [
    sub('count', 2, 'Returns a count of commands.', (ctx) => ctx.reply.integer(entries(ctx).length), '2.8.13'),
    sub('info', -2, 'Returns information about one, multiple or all commands.', info, '2.8.13'),
    sub('docs', -2, 'Returns documentary information about one, multiple or all commands.', docs),
    sub('list', -2, 'Returns a list of command names.', list),
    sub(
      'getkeys',
      -4,
      'Extracts the key names from an arbitrary command.',
      (ctx, args) => ctx.reply.bulkArray(keysOf(ctx, args)),
      '2.8.13',
    ),
    sub('getkeysandflags', -4, 'Extracts the key names and access flags for an arbitrary command.', (ctx, args) => {
      const keys = keysOf(ctx, args);
      const entry = serverOf(ctx).dispatcher.resolve(args.slice(2)) as CommandEntry;
      const write = entry.spec.flags.includes('write');
      ctx.reply.arrayHeader(keys.length);
      for (const k of keys) {
        ctx.reply.arrayHeader(2);
        ctx.reply.bulk(k);
        ctx.reply.setHeader(2);
        ctx.reply.simple(write ? 'RW' : 'RO');
        ctx.reply.simple(write ? 'update' : 'access');
      }
    }),
    sub('help', 2, 'Returns helpful text about the different subcommands.', (ctx) => replyHelp(ctx, COMMAND_HELP), '5.0.0'),
  ],
};

export const introspectionCommands: CommandSpec[] = [commandSpec];
