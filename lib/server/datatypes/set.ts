/**
 * The set value (valkey src/t_set.c) in Valkey 8 / Redis 7.2's three encodings:
 *  - intset while every member is an integer in int64 and there are at most set-max-intset-entries;
 *  - listpack while small (set-max-listpack-entries, members up to set-max-listpack-value bytes);
 *  - hashtable (a SetTable) beyond that.
 * Conversions happen on the way up only, with Redis's exact rules (setTypeCreate,
 * setTypeMaybeConvert, setTypeAddAux), so OBJECT ENCODING answers as Valkey does.
 *
 * One object per key with two fields. An intset string knows its own length, so the count field
 * is only used by listpacks; an intset is marked by a count of INTSET.
 *
 * Between commands an intset set rests in its keyspace slot as the intset string alone (a
 * RestingForm): most sets in a cache are small, and the object around the string would cost
 * more than the string (40 bytes against 32 for five 16-bit members).
 */
import { type CollectionValue, registerRestingForm } from '../keyspace/database';
import { type Int64, parseInt64 } from '../util/int64';
import { latin1 } from '../util/latin1';
import {
  EMPTY_INTSET,
  intsetAdd,
  intsetFromSorted,
  intsetGet,
  intsetHas,
  intsetLength,
  intsetMaxDigits,
  intsetRemove,
  intsetRemoveAt,
  type Intset,
} from './intset';
import {
  EMPTY_LISTPACK,
  lpAppend,
  lpDeleteAt,
  lpFindOffset,
  lpFlatten,
  lpNextOffset,
  lpStringAt,
  type Listpack,
} from './listpack';
import type { FieldIndex } from './field-index';
import { type Random, randomPosition } from './set-sampling';
import { SetTable } from './set-table';

/** The thresholds of the compact encodings, from CONFIG (set-max-intset-entries, set-max-listpack-*). */
export interface SetLimits {
  readonly maxIntsetEntries: number;
  readonly maxListpackEntries: number;
  readonly maxListpackValue: number;
}

export type SetEncoding = 'intset' | 'listpack' | 'hashtable';

/** The count field's value for an intset. */
const INTSET = -1;
/** intset.c keeps at most 2^30 members whatever the config says. */
const INTSET_HARD_LIMIT = 1 << 30;

const STRING_HEADER = 16;
const OBJECT_BYTES = 40;
/** Per member of a table: its FieldIndex entry (8 bytes at a load of 0.35-0.7, ~16), an array slot and the string header. */
const TABLE_ENTRY_BYTES = 40;

const RESTING_TAG = registerRestingForm({
  toResting: (value) => (value as SetValue).intsetOrUndefined(),
  fromResting: (resting) => SetValue.fromIntset(resting),
});

function intsetCap(limits: SetLimits): number {
  return Math.min(limits.maxIntsetEntries, INTSET_HARD_LIMIT);
}

export class SetValue implements CollectionValue {
  private data: Intset | Listpack | SetTable;
  /** Members while a listpack; INTSET for an intset; unused (0) for a table. */
  private count: number;

  private constructor(data: Intset | Listpack | SetTable, count: number) {
    this.data = data;
    this.count = count;
  }

  /** An empty set of the given encoding. */
  public static empty(encoding: SetEncoding): SetValue {
    if (encoding === 'intset') return new SetValue(EMPTY_INTSET, INTSET);
    if (encoding === 'listpack') return new SetValue(EMPTY_LISTPACK, 0);
    return new SetValue(new SetTable(), 0);
  }

  /**
   * setTypeCreate: the encoding a new set starts with, given its first member and how many
   * members the command is about to add.
   */
  public static create(firstMember: string, sizeHint: number, limits: SetLimits): SetValue {
    if (sizeHint <= limits.maxIntsetEntries && parseInt64(firstMember) !== null) return SetValue.empty('intset');
    if (sizeHint <= limits.maxListpackEntries) return SetValue.empty('listpack');
    return SetValue.empty('hashtable');
  }

  /** A set built by adding members one by one, as SADD would. */
  public static of(members: readonly string[], limits: SetLimits): SetValue {
    const set = members.length > 0 ? SetValue.create(members[0], members.length, limits) : SetValue.empty('intset');
    for (const m of members) set.add(m, limits);
    return set;
  }

  /** A set over an existing intset string (its resting form). */
  public static fromIntset(intset: Intset): SetValue {
    return new SetValue(intset, INTSET);
  }

  public get kind(): 'set' {
    return 'set';
  }

  public get restingTag(): number {
    return RESTING_TAG;
  }

  /** The intset string while the set is an intset (its resting form), else undefined. */
  public intsetOrUndefined(): Intset | undefined {
    const data = this.data;
    return this.count === INTSET && typeof data === 'string' ? data : undefined;
  }

  public encoding(): SetEncoding {
    if (typeof this.data !== 'string') return 'hashtable';
    return this.count === INTSET ? 'intset' : 'listpack';
  }

  /** The member index of a table (CollectionValue.nameIndex), for prefetching; undefined while packed. */
  public nameIndex(): FieldIndex | undefined {
    const data = this.data;
    return typeof data === 'string' ? undefined : data.index;
  }

  public size(): number {
    const data = this.data;
    if (typeof data !== 'string') return data.size;
    return this.count === INTSET ? intsetLength(data) : this.count;
  }

  public memoryUsage(): number {
    const data = this.data;
    if (typeof data === 'string') return OBJECT_BYTES + STRING_HEADER + data.length;
    return OBJECT_BYTES + 64 + data.size * TABLE_ENTRY_BYTES + data.payloadBytes;
  }

  public clone(): SetValue {
    const data = this.data;
    // Intsets and listpacks are immutable strings: sharing one is a copy.
    return new SetValue(typeof data === 'string' ? data : data.clone(), this.count);
  }

  // ---- reads -----------------------------------------------------------------------------------

  public has(member: string): boolean {
    const data = this.data;
    if (typeof data !== 'string') return data.has(member);
    if (this.count === INTSET) {
      const v = parseInt64(member);
      return v !== null && intsetHas(data, v);
    }
    return lpFindOffset(data, member) >= 0;
  }

  /** has() of the member whose bytes are `bytes[start..end)`: a table finds it without a string. */
  public hasBytes(bytes: Buffer, start: number, end: number): boolean {
    const data = this.data;
    return typeof data !== 'string' ? data.hasBytes(bytes, start, end) : this.has(latin1(bytes, start, end));
  }

  /**
   * Calls visit for every member in the set's order — ascending for an intset, insertion order for
   * a listpack, position order for a table — until it returns false.
   */
  public forEach(visit: (member: string) => boolean | void): void {
    const data = this.data;
    if (typeof data !== 'string') {
      data.forEach(visit);
    } else if (this.count === INTSET) {
      const n = intsetLength(data);
      for (let i = 0; i < n; i++) if (visit(intsetGet(data, i)) === false) return;
    } else {
      for (let pos = 0; pos < data.length; pos = lpNextOffset(data, pos)) {
        if (visit(lpStringAt(data, pos)) === false) return;
      }
    }
  }

  public members(): string[] {
    const out: string[] = [];
    this.forEach((m) => {
      out.push(m);
    });
    return out;
  }

  /** The member at a position of the set's order (O(n) for a listpack, O(1) otherwise). */
  public at(position: number): string {
    const data = this.data;
    if (typeof data !== 'string') return data.at(position);
    if (this.count === INTSET) return intsetGet(data, position);
    return lpStringAt(data, listpackOffset(data, position));
  }

  /** A uniformly random member of a non-empty set. */
  public randomMember(random: Random = Math.random): string {
    return this.at(randomPosition(this.size(), random));
  }

  /** One SSCAN step: compact encodings are returned whole with cursor 0, a table from `cursor`. */
  public scan(cursor: number, count: number, visit: (member: string) => void): number {
    const data = this.data;
    if (typeof data !== 'string') return data.scan(cursor, count, visit);
    this.forEach(visit);
    return 0;
  }

  // ---- writes ----------------------------------------------------------------------------------

  /** setTypeMaybeConvert: about to add `sizeHint` members, go straight to a table if they cannot fit. */
  public maybeConvert(sizeHint: number, limits: SetLimits): void {
    if (typeof this.data !== 'string') return;
    const cap = this.count === INTSET ? limits.maxIntsetEntries : limits.maxListpackEntries;
    if (sizeHint > cap) this.toTable();
  }

  /** Adds a member; true when it is new (setTypeAddAux). */
  public add(member: string, limits: SetLimits): boolean {
    const data = this.data;
    if (typeof data !== 'string') return data.add(member);
    if (this.count === INTSET) {
      const v = parseInt64(member);
      if (v !== null) return this.addInteger(data, v, limits);
      // A non-integer member: a listpack if everything will fit one, a table otherwise.
      const n = intsetLength(data);
      const max = limits.maxListpackValue;
      if (n < limits.maxListpackEntries && member.length <= max && intsetMaxDigits(data) <= max) {
        this.data = lpFlatten(lpAppend(this.toListpackString(data), member));
        this.count = n + 1;
      } else {
        this.toTable().add(member);
      }
      return true;
    }
    if (lpFindOffset(data, member) >= 0) return false;
    if (this.count < limits.maxListpackEntries && member.length <= limits.maxListpackValue) {
      this.data = lpFlatten(lpAppend(data, member));
      this.count++;
    } else {
      this.toTable().add(member);
    }
    return true;
  }

  /** add() of the member whose bytes are `bytes[start..end)`: a table makes it a string only when new. */
  public addBytes(bytes: Buffer, start: number, end: number, limits: SetLimits): boolean {
    const data = this.data;
    if (typeof data !== 'string') return data.addBytes(bytes, start, end);
    return this.add(latin1(bytes, start, end), limits);
  }

  private addInteger(data: Intset, v: Int64, limits: SetLimits): boolean {
    const next = intsetAdd(data, v);
    if (next === undefined) return false;
    this.data = lpFlatten(next);
    if (intsetLength(next) > intsetCap(limits)) this.toTable();
    return true;
  }

  /** Removes a member; true when it was there. */
  public remove(member: string): boolean {
    const data = this.data;
    if (typeof data !== 'string') return data.remove(member);
    if (this.count === INTSET) {
      const v = parseInt64(member);
      if (v === null) return false;
      const next = intsetRemove(data, v);
      if (next === undefined) return false;
      this.data = lpFlatten(next);
      return true;
    }
    const at = lpFindOffset(data, member);
    if (at < 0) return false;
    this.data = lpFlatten(lpDeleteAt(data, at));
    this.count--;
    return true;
  }

  /** Removes and returns the member at a position of the set's order. */
  public removeAt(position: number): string {
    const data = this.data;
    if (typeof data !== 'string') return data.removeAt(position);
    if (this.count === INTSET) {
      const member = intsetGet(data, position);
      this.data = lpFlatten(intsetRemoveAt(data, position));
      return member;
    }
    const at = listpackOffset(data, position);
    const member = lpStringAt(data, at);
    this.data = lpFlatten(lpDeleteAt(data, at));
    this.count--;
    return member;
  }

  /** Removes and returns a uniformly random member of a non-empty set. */
  public popRandom(random: Random = Math.random): string {
    return this.removeAt(randomPosition(this.size(), random));
  }

  /**
   * maybeConvertToIntset: a set known to hold only integers becomes an intset if it may
   * (SINTERSTORE's result).
   */
  public toIntsetIfSmall(limits: SetLimits): void {
    if (this.count === INTSET && typeof this.data === 'string') return;
    const n = this.size();
    if (n > intsetCap(limits)) return;
    const values: Int64[] = [];
    this.forEach((m) => {
      values.push(parseInt64(m) as Int64);
    });
    values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.data = intsetFromSorted(values);
    this.count = INTSET;
  }

  private toListpackString(set: Intset): Listpack {
    let lp = EMPTY_LISTPACK;
    const n = intsetLength(set);
    for (let i = 0; i < n; i++) lp = lpAppend(lp, intsetGet(set, i));
    return lp;
  }

  private toTable(): SetTable {
    const data = this.data;
    if (typeof data !== 'string') return data;
    const table = new SetTable(this.size());
    this.forEach((m) => {
      table.add(m);
    });
    this.data = table;
    this.count = 0;
    return table;
  }
}

/** Header offset of listpack entry `position`. */
function listpackOffset(lp: Listpack, position: number): number {
  let pos = 0;
  for (let i = 0; i < position; i++) pos = lpNextOffset(lp, pos);
  return pos;
}
