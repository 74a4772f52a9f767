/**
 * The commands as ACL sees them: every command and subcommand with a numeric id (its bit in a
 * selector's bitmap) and its categories. Built once from the command specs, in table order (the
 * order ACL LIST's single-command rules come out in), followed by the Redis 7.0 commands this
 * server lacks (absent-commands.ts).
 */
import type { AclCategory, CommandSpec } from '../commands/command';
import { ABSENT_COMMANDS, ABSENT_SUBCOMMANDS, categories } from './absent-commands';

export interface AclCommand {
  readonly id: number;
  /** 'get', or 'client|id' for a subcommand. */
  readonly fullName: string;
  readonly categories: ReadonlySet<AclCategory>;
  /** no_auth commands (AUTH, HELLO, QUIT, RESET) pass every command rule, as in Redis. */
  readonly noAuth: boolean;
  /** A Redis 7.0 command this server lacks: rules may name it, nothing can run it. */
  readonly absent: boolean;
  readonly arity: number;
  readonly parent: AclCommand | undefined;
  /** Subcommands by lowercase name, in table order. */
  readonly subcommands: ReadonlyMap<string, AclCommand> | undefined;
}

interface MutableCommand extends AclCommand {
  subcommands: Map<string, AclCommand> | undefined;
}

export class AclCommandTable {
  /** Top-level commands in table order. */
  public readonly top: AclCommand[] = [];
  /** Every command and subcommand by full lowercase name ('client|id'). */
  private readonly byFullName = new Map<string, AclCommand>();
  public readonly count: number;

  constructor(specs: Iterable<CommandSpec>) {
    let next = 0;
    const add = (spec: CommandSpec, parent: AclCommand | undefined): AclCommand => {
      const cmd: MutableCommand = {
        id: next++,
        fullName: parent ? `${parent.fullName}|${spec.name}` : spec.name,
        categories: new Set(spec.acl),
        noAuth: spec.flags.includes('no_auth'),
        absent: false,
        arity: spec.arity,
        parent,
        subcommands: undefined,
      };
      this.byFullName.set(cmd.fullName, cmd);
      if (spec.subcommands) {
        cmd.subcommands = new Map();
        for (const sub of spec.subcommands) cmd.subcommands.set(sub.name, add(sub, cmd));
      }
      return cmd;
    };
    for (const spec of specs) this.top.push(add(spec, undefined));
    const addAbsent = (name: string, cats: string, parent: MutableCommand | undefined): MutableCommand => {
      const cmd: MutableCommand = {
        id: next++,
        fullName: parent ? `${parent.fullName}|${name}` : name,
        categories: new Set(categories(cats)),
        noAuth: false,
        absent: true,
        arity: 0,
        parent,
        subcommands: undefined,
      };
      this.byFullName.set(cmd.fullName, cmd);
      if (parent) parent.subcommands?.set(name, cmd);
      return cmd;
    };
    const split = (sub: string): [string, string] => [sub.slice(0, sub.indexOf(':')), sub.slice(sub.indexOf(':') + 1)];
    for (const [name, cats, subs] of ABSENT_COMMANDS) {
      if (this.byFullName.has(name)) continue;
      const cmd = addAbsent(name, cats, undefined);
      this.top.push(cmd);
      if (subs) {
        cmd.subcommands = new Map();
        for (const sub of subs) addAbsent(...split(sub), cmd);
      }
    }
    for (const [container, , subs] of ABSENT_SUBCOMMANDS) {
      const parent = this.byFullName.get(container) as MutableCommand | undefined;
      if (parent?.subcommands === undefined) continue;
      for (const sub of subs ?? []) {
        const [name, cats] = split(sub);
        if (!parent.subcommands.has(name)) addAbsent(name, cats, parent);
      }
    }
    this.count = next;
  }

  /** A command by its full name ('get', 'client|id'), case-insensitive; undefined if unknown. */
  public byName(fullName: string): AclCommand | undefined {
    return this.byFullName.get(fullName.toLowerCase());
  }

  /**
   * Redis's ACLLookupCommand: 'name' or 'container|sub'; more than one '|', or a '|' after a
   * command without subcommands, finds nothing.
   */
  public lookup(name: string): AclCommand | undefined {
    const parts = name.split('|');
    if (parts.length > 2) return undefined;
    const base = this.byFullName.get(parts[0].toLowerCase());
    if (base === undefined || base.parent !== undefined) return undefined;
    if (parts.length === 1) return base;
    if (base.subcommands === undefined) return undefined;
    return base.subcommands.get(parts[1].toLowerCase());
  }

  /** Every command, each followed by its subcommands (the order Redis's recursive walks use here). */
  public *all(): Generator<AclCommand> {
    for (const cmd of this.top) {
      yield cmd;
      if (cmd.subcommands) yield* cmd.subcommands.values();
    }
  }
}
