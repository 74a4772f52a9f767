/**
 * The commands as ACL sees them: every command and subcommand with a numeric id (its bit in a
 * selector's bitmap) and its categories. Built once from the command specs, in table order, which
 * is also the order ACL LIST's single-command rules come out in.
 */
import type { AclCategory, CommandSpec } from '../commands/command';

export interface AclCommand {
  readonly id: number;
  /** 'get', or 'client|id' for a subcommand. */
  readonly fullName: string;
  readonly categories: ReadonlySet<AclCategory>;
  /** no_auth commands (AUTH, HELLO, QUIT, RESET) pass every command rule, as in Redis. */
  readonly noAuth: boolean;
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
