/**
 * The large encoding of a set ("hashtable"): members in one dense array, with a FieldIndex from
 * member to its position.
 *
 * Why dense rather than a JS Set: SPOP and SRANDMEMBER need a uniformly random member in O(1),
 * and SSCAN needs a cursor that survives changes. Removal moves the last member into the hole
 * (O(1), the array stays dense), and SSCAN walks positions from the top down: a member only
 * ever moves down, from the top into a hole, so one that is present for the whole scan is
 * either already returned or still below the cursor — the guarantee Redis's SCAN gives.
 *
 * The `…Bytes` methods take a member still in the request's read buffer: an existing member is
 * found without making a string of it.
 */
import { latin1 } from '../util/latin1';
import { FieldIndex } from './field-index';

export class SetTable {
  private readonly members: string[] = [];
  /** Name → position; public for prefetching (Database.prefetch), which only reads it. */
  public readonly index: FieldIndex;
  /** Sum of member lengths, for MEMORY USAGE without a walk. */
  private memberBytes = 0;

  /** @param expected how many members are about to be added (a conversion), to size the index once */
  constructor(expected = 0) {
    this.index = new FieldIndex(this.members, expected);
  }

  public get size(): number {
    return this.members.length;
  }

  public get payloadBytes(): number {
    return this.memberBytes;
  }

  public has(member: string): boolean {
    return this.index.find(member) >= 0;
  }

  /** has() of the member whose bytes are `bytes[start..end)`. */
  public hasBytes(bytes: Buffer, start: number, end: number): boolean {
    return this.index.findBytes(bytes, start, end) >= 0;
  }

  /** Adds a member; false when it was already there. */
  public add(member: string): boolean {
    if (this.index.find(member) >= 0) return false;
    this.append(member);
    return true;
  }

  /** add() of the member whose bytes are `bytes[start..end)`; it becomes a string only when new. */
  public addBytes(bytes: Buffer, start: number, end: number): boolean {
    if (this.index.findBytes(bytes, start, end) >= 0) return false;
    this.append(latin1(bytes, start, end));
    return true;
  }

  /** Removes a member; false when it was not there. */
  public remove(member: string): boolean {
    const at = this.index.find(member);
    if (at < 0) return false;
    this.removeAt(at);
    return true;
  }

  /** The member at a position (0 … size-1). */
  public at(position: number): string {
    return this.members[position];
  }

  /** Removes the member at a position, moving the last member into its place. */
  public removeAt(position: number): string {
    const members = this.members;
    const member = members[position];
    this.index.remove(member, position);
    const last = members.length - 1;
    if (position < last) {
      const lastMember = members[last];
      members[position] = lastMember;
      this.index.move(lastMember, last, position);
    }
    members.pop();
    this.memberBytes -= member.length;
    return member;
  }

  /** Calls visit for every member in position order until it returns false. */
  public forEach(visit: (member: string) => boolean | void): void {
    const members = this.members;
    for (let i = 0; i < members.length; i++) if (visit(members[i]) === false) return;
  }

  /**
   * One SSCAN step. Cursor 0 starts at the top; the returned cursor is how many positions are
   * still to visit (0 when done). Visits up to `count` members.
   */
  public scan(cursor: number, count: number, visit: (member: string) => void): number {
    let next = cursor === 0 || cursor > this.members.length ? this.members.length : cursor;
    for (let seen = 0; next > 0 && seen < count; seen++) visit(this.members[--next]);
    return next;
  }

  public clone(): SetTable {
    const copy = new SetTable(this.members.length);
    for (const m of this.members) copy.append(m);
    return copy;
  }

  /** Adds a member known to be absent. */
  private append(member: string): void {
    this.index.insert(member, this.members.length);
    this.members.push(member);
    this.memberBytes += member.length;
  }
}
