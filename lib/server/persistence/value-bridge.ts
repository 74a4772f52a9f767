/**
 * Converts between the codec's PlainValues and the server's stored values, through the data type
 * classes' public APIs only, so the codec never depends on how a type keeps its elements. The
 * encodings (listpack, intset, hashtable …) are chosen by the classes from the current config
 * limits, as Redis re-encodes values on load.
 *
 * A type with no class here (streams) is refused clearly, on load and on save.
 */
import { HashValue } from '../datatypes/hash';
import { DEFAULT_LIST_FILL, ListValue } from '../datatypes/list';
import { SetValue } from '../datatypes/set';
import { SortedSet } from '../datatypes/zset';
import type { StoredValue } from '../keyspace/database';
import type { PlainValue } from './values';

/** Reads a numeric config parameter (CONFIG GET's text). */
export type ConfigReader = (name: string) => string | undefined;

/** A kind the server cannot store (yet); the message names it. */
export class UnsupportedValueError extends Error {}

function limit(config: ConfigReader, name: string, fallback: number): number {
  const text = config(name);
  const n = text === undefined ? NaN : Number(text);
  return Number.isFinite(n) ? n : fallback;
}

/** The server's value for a decoded one. */
export function toStored(plain: PlainValue, config: ConfigReader): StoredValue {
  switch (plain.kind) {
    case 'string':
      return plain.value;
    case 'hash': {
      const limits = {
        maxListpackEntries: limit(config, 'hash-max-listpack-entries', 128),
        maxListpackValue: limit(config, 'hash-max-listpack-value', 64),
      };
      return HashValue.fromPairs(plain.pairs, limits);
    }
    case 'set': {
      const limits = {
        maxIntsetEntries: limit(config, 'set-max-intset-entries', 512),
        maxListpackEntries: limit(config, 'set-max-listpack-entries', 128),
        maxListpackValue: limit(config, 'set-max-listpack-value', 64),
      };
      return SetValue.of(plain.members, limits);
    }
    case 'zset': {
      const limits = {
        maxEntries: limit(config, 'zset-max-listpack-entries', 128),
        maxValue: limit(config, 'zset-max-listpack-value', 64),
      };
      let longest = 0;
      for (const m of plain.members) if (m.length > longest) longest = m.length;
      const zset = SortedSet.create(plain.members.length, longest, limits);
      for (let i = 0; i < plain.members.length; i++) zset.add(plain.scores[i], plain.members[i], 0, limits);
      return zset;
    }
    case 'list':
      return ListValue.from(plain.items, limit(config, 'list-max-listpack-size', DEFAULT_LIST_FILL));
  }
}

/** The decoded form of a stored value, for the writer. */
export function toPlain(value: StoredValue): PlainValue {
  if (typeof value === 'string') return { kind: 'string', value };
  if (value instanceof HashValue) return { kind: 'hash', pairs: value.flatten() };
  if (value instanceof ListValue) return { kind: 'list', items: value.toArray() };
  if (value instanceof SetValue) return { kind: 'set', members: value.members() };
  if (value instanceof SortedSet) {
    const members: string[] = [];
    const scores: number[] = [];
    value.forEach((m, s) => {
      members.push(m);
      scores.push(s);
    });
    return { kind: 'zset', members, scores };
  }
  throw new UnsupportedValueError(`${value.kind}s are not supported yet by persistence`);
}
