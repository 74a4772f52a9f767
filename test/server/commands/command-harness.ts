/**
 * Runs command handlers directly against real Databases and a real ReplyWriter, doing what the
 * dispatcher does around them (arity check, ReplyError → error reply), with a clock the test
 * controls. Replies come back as the exact RESP bytes (latin1).
 */
import { allCommands } from '../../../lib/server/commands';
import {
  type ClientState,
  type CommandContext,
  type CommandSpec,
  ReplyError,
  type ServerServices,
} from '../../../lib/server/commands/command';
import { type CollectionValue, Database } from '../../../lib/server/keyspace/database';
import { ReplyWriter } from '../../../lib/server/protocol/reply-writer';

/** A minimal collection, enough to provoke WRONGTYPE and to be copied/moved/renamed. */
export class FakeList implements CollectionValue {
  public readonly kind = 'list' as const;
  constructor(public items: string[] = ['a']) {}
  public encoding(): string {
    return 'listpack';
  }
  public memoryUsage(): number {
    return 16;
  }
  public size(): number {
    return this.items.length;
  }
  public clone(): FakeList {
    return new FakeList([...this.items]);
  }
}

function arityOk(spec: CommandSpec, argc: number): boolean {
  return spec.arity >= 0 ? argc === spec.arity : argc >= -spec.arity;
}

export class Harness implements ServerServices {
  public now = 1_700_000_000_000;
  public readonly databases: Database[];
  public readonly settings = new Map<string, string>();
  public hits = 0;
  public misses = 0;
  public readonly reply = new ReplyWriter();
  public readonly client: ClientState = {
    id: 1,
    dbIndex: 0,
    name: '',
    resp: 2,
    authenticated: true,
    inMulti: false,
    subscriptionCount: 0,
  };
  private readonly table = new Map<string, CommandSpec>();

  constructor(databaseCount = 16) {
    this.databases = [];
    for (let i = 0; i < databaseCount; i++) this.databases.push(new Database(i, () => this.now));
    for (const spec of allCommands()) this.table.set(spec.name, spec);
  }

  public get databaseCount(): number {
    return this.databases.length;
  }

  public get db(): Database {
    return this.databases[this.client.dbIndex];
  }

  public database(index: number): Database | undefined {
    return this.databases[index];
  }

  public config(name: string): string | undefined {
    return this.settings.get(name);
  }

  public recordLookup(hit: boolean): void {
    if (hit) this.hits++;
    else this.misses++;
  }

  /** Runs one command and returns its reply bytes as a latin1 string. */
  public run(...parts: Array<string | Buffer>): string {
    const args = parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p));
    let spec = this.table.get(args[0].toString('latin1').toLowerCase());
    if (spec === undefined) throw new Error(`unknown command ${args[0].toString()}`);
    let name = spec.name;
    if (spec.subcommands && args.length > 1) {
      const sub = args[1].toString('latin1').toLowerCase();
      const child = spec.subcommands.find((s) => s.name === sub);
      if (child) {
        name = `${spec.name}|${child.name}`;
        spec = child;
      }
    }
    if (!arityOk(spec, args.length)) {
      this.reply.error(`ERR wrong number of arguments for '${name}' command`);
    } else {
      const ctx: CommandContext = { client: this.client, db: this.db, reply: this.reply, now: this.now, server: this };
      try {
        spec.handler(ctx, args);
      } catch (err) {
        if (!(err instanceof ReplyError)) throw err;
        this.reply.error(err.reply);
      }
    }
    return (this.reply.takeOutput() ?? Buffer.alloc(0)).toString('latin1');
  }

  /** Runs several commands, returning each reply. */
  public runAll(commands: Array<Array<string | Buffer>>): string[] {
    return commands.map((c) => this.run(...c));
  }
}

/** RESP helpers for writing expectations. */
export const resp = {
  ok: '+OK\r\n',
  nil: '$-1\r\n',
  nilArray: '*-1\r\n',
  int: (n: number | bigint | string): string => `:${n}\r\n`,
  bulk: (s: string): string => `$${Buffer.byteLength(s, 'latin1')}\r\n${s}\r\n`,
  err: (s: string): string => `-${s}\r\n`,
  simple: (s: string): string => `+${s}\r\n`,
  array: (...items: string[]): string => `*${items.length}\r\n${items.join('')}`,
  wrongType: '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n',
  notInteger: '-ERR value is not an integer or out of range\r\n',
  syntax: '-ERR syntax error\r\n',
};
