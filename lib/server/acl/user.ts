/**
 * An ACL user: on/off, passwords (kept as SHA-256 hex, as Redis), and its selectors, the first of
 * which is the root one that rules outside parentheses change. `apply` is Redis's ACLSetUser.
 */
import { createHash } from 'node:crypto';
import type { AclCommandTable } from './command-table';
import type { RuleError } from './rule-errors';
import { Selector } from './selector';

export function hashPassword(password: string): string {
  return createHash('sha256').update(Buffer.from(password, 'latin1')).digest('hex');
}

const HASH = /^[0-9a-f]{64}$/;

export class AclUser {
  /** Redis keeps "on" and "off" as two flags; a fresh user has only "off". */
  public on = false;
  public off = true;
  public nopass = false;
  public skipSanitize = false;
  public sanitize = false;
  public passwords: string[] = [];
  public selectors: Selector[];
  /** Precomputed: the root selector allows every command, key and channel (checked first on every command). */
  public unrestricted = false;

  constructor(
    public readonly name: string,
    private readonly table: AclCommandTable,
  ) {
    this.selectors = [new Selector(table, true)];
  }

  public get root(): Selector {
    return this.selectors[0];
  }

  public get enabled(): boolean {
    return this.on;
  }

  /** A copy that rules can be tried on before they are committed (ACL SETUSER is all or nothing). */
  public clone(name = this.name): AclUser {
    const copy = new AclUser(name, this.table);
    copy.copyFrom(this);
    return copy;
  }

  /** ACLCopyUser: this object stays the one connections point to. */
  public copyFrom(other: AclUser): void {
    this.on = other.on;
    this.off = other.off;
    this.nopass = other.nopass;
    this.skipSanitize = other.skipSanitize;
    this.sanitize = other.sanitize;
    this.passwords = other.passwords.slice();
    this.selectors = other.selectors.map((s) => s.clone());
    this.refresh();
  }

  private refresh(): void {
    this.unrestricted = this.root.unrestricted;
  }

  /** Applies one rule; returns why it was refused, if it was. */
  public apply(op: string): RuleError | undefined {
    const error = this.applyRule(op);
    this.refresh();
    return error;
  }

  private applyRule(op: string): RuleError | undefined {
    if (op.length === 0) return undefined;
    const lower = op.toLowerCase();
    switch (lower) {
      case 'on':
        this.on = true;
        this.off = false;
        return undefined;
      case 'off':
        this.off = true;
        this.on = false;
        return undefined;
      case 'skip-sanitize-payload':
        this.skipSanitize = true;
        this.sanitize = false;
        return undefined;
      case 'sanitize-payload':
        this.skipSanitize = false;
        this.sanitize = true;
        return undefined;
      case 'nopass':
        this.nopass = true;
        this.passwords = [];
        return undefined;
      case 'resetpass':
        this.nopass = false;
        this.passwords = [];
        return undefined;
      case 'clearselectors':
        this.selectors = [this.root];
        return undefined;
      case 'reset':
        for (const rule of ['resetpass', 'resetkeys', 'resetchannels', 'off', 'sanitize-payload', 'clearselectors', '-@all']) this.applyRule(rule);
        return undefined;
      default:
        break;
    }
    if (op[0] === '>' || op[0] === '#') {
      const hash = op[0] === '>' ? hashPassword(op.slice(1)) : op.slice(1);
      if (op[0] === '#' && !HASH.test(hash)) return 'bad-hash';
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.nopass = false;
      return undefined;
    }
    if (op[0] === '<' || op[0] === '!') {
      const hash = op[0] === '<' ? hashPassword(op.slice(1)) : op.slice(1);
      if (op[0] === '!' && !HASH.test(hash)) return 'bad-hash';
      const at = this.passwords.indexOf(hash);
      if (at < 0) return 'no-such-password';
      this.passwords.splice(at, 1);
      return undefined;
    }
    if (op[0] === '(' && op[op.length - 1] === ')') {
      const selector = new Selector(this.table, false);
      for (const inner of op.slice(1, -1).split(/[ \t\r\n]+/)) {
        if (inner.length === 0) continue;
        const error = selector.apply(inner);
        if (error !== undefined) return error;
      }
      this.selectors.push(selector);
      return undefined;
    }
    return this.root.apply(op);
  }

  /** ACLCheckUserCredentials for this user. */
  public checkPassword(password: string): boolean {
    if (this.off) return false;
    if (this.nopass) return true;
    const hash = hashPassword(password);
    return this.passwords.includes(hash);
  }

  /** The flag words in Redis's order (ACLUserFlags). */
  public flagNames(): string[] {
    const flags: string[] = [];
    if (this.on) flags.push('on');
    if (this.off) flags.push('off');
    if (this.nopass) flags.push('nopass');
    if (this.skipSanitize) flags.push('skip-sanitize-payload');
    if (this.sanitize) flags.push('sanitize-payload');
    return flags;
  }

  /** ACLDescribeUser: flags, password hashes, root selector, then "(...)" for each added selector. */
  public describe(): string {
    let out = '';
    for (const f of this.flagNames()) out += `${f} `;
    for (const p of this.passwords) out += `#${p} `;
    this.selectors.forEach((s, i) => {
      out += i === 0 ? s.describe() : ` (${s.describe()})`;
    });
    return out;
  }
}
