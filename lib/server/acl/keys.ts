/**
 * The keys and channels a command line names, with the permission each needs: Redis's
 * getKeysUsingKeySpecs over key-specs.ts, its getkeys functions for the commands whose access
 * depends on the arguments (SET … GET, BITFIELD, SORT … STORE), and getChannelsFromCommand.
 */
import { KEY_SPECS, type KeySpec } from './key-specs';
import { KEY_READ, KEY_WRITE } from './selector';

export interface ArgRef {
  /** Index of the argument in the command line. */
  readonly pos: number;
  /** KEY_READ | KEY_WRITE for keys; for channels, whether it is a PSUBSCRIBE pattern. */
  readonly access: number;
}

function is(arg: Buffer, word: string): boolean {
  return arg.length === word.length && arg.toString('latin1').toLowerCase() === word;
}

function integer(arg: Buffer): number | undefined {
  const text = arg.toString('latin1');
  return /^-?(0|[1-9]\d{0,17})$/.test(text) ? Number(text) : undefined;
}

/** Keys from the specs; an argument list the specs cannot place (bad numkeys) yields none. */
function fromSpecs(specs: readonly KeySpec[], args: readonly Buffer[]): ArgRef[] {
  const argc = args.length;
  const keys: ArgRef[] = [];
  for (const spec of specs) {
    let first = 0;
    if ('index' in spec.begin) {
      first = spec.begin.index;
    } else {
      const { keyword, startFrom } = spec.begin;
      const start = startFrom > 0 ? startFrom : argc + startFrom;
      const end = startFrom > 0 ? argc - 1 : 0;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (is(args[i], keyword.toLowerCase())) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue;
    }
    let last: number;
    let step: number;
    if ('lastKey' in spec.find) {
      step = spec.find.step;
      if (spec.find.lastKey >= 0) last = first + spec.find.lastKey;
      else if (spec.find.limit === 0) last = argc + spec.find.lastKey;
      else last = first + (Math.floor((argc - first) / spec.find.limit) + spec.find.lastKey);
    } else {
      step = spec.find.step;
      const at = first + spec.find.keyNumIndex;
      if (at >= argc) return [];
      const numkeys = integer(args[at]);
      if (numkeys === undefined || numkeys < 0) return [];
      first += spec.find.firstKey;
      last = first + numkeys - 1;
    }
    if (last >= argc || last < first || first >= argc) return [];
    for (let i = first; i <= last; i += step) keys.push({ pos: i, access: spec.access });
  }
  return keys;
}

/** SET: the old value is read only with GET (setGetKeys). */
function setKeys(args: readonly Buffer[]): ArgRef[] {
  for (let i = 3; i < args.length; i++) if (is(args[i], 'get')) return [{ pos: 1, access: KEY_READ | KEY_WRITE }];
  return [{ pos: 1, access: KEY_WRITE }];
}

/** BITFIELD: read-only when every operation is a GET (bitfieldGetKeys). */
function bitfieldKeys(args: readonly Buffer[]): ArgRef[] {
  let readonly = true;
  for (let i = 2; i < args.length; i++) {
    const remaining = args.length - i - 1;
    if (is(args[i], 'get') && remaining >= 2) i += 2;
    else if (is(args[i], 'overflow') && remaining >= 1) i += 1;
    else {
      readonly = false;
      break;
    }
  }
  return [{ pos: 1, access: readonly ? KEY_READ : KEY_READ | KEY_WRITE }];
}

/** SORT: the key is read; the last STORE names a written key (sortGetKeys). */
function sortKeys(args: readonly Buffer[]): ArgRef[] {
  const keys: ArgRef[] = [{ pos: 1, access: KEY_READ }];
  let store: ArgRef | undefined;
  for (let i = 2; i < args.length; i++) {
    if (is(args[i], 'limit')) i += 2;
    else if (is(args[i], 'get') || is(args[i], 'by')) i += 1;
    else if (is(args[i], 'store') && i + 1 < args.length) store = { pos: i + 1, access: KEY_WRITE };
  }
  if (store) keys.push(store);
  return keys;
}

/** The keys of a command line (`args[0]` is the command; a subcommand's name is args[1]). */
export function commandKeys(fullName: string, args: readonly Buffer[]): ArgRef[] {
  switch (fullName) {
    case 'set':
      return setKeys(args);
    case 'bitfield':
      return bitfieldKeys(args);
    case 'sort':
      return sortKeys(args);
    default: {
      const specs = KEY_SPECS[fullName];
      return specs === undefined ? [] : fromSpecs(specs, args);
    }
  }
}

/** Channels checked by ACL: PUBLISH/SPUBLISH's one, every (S|P)SUBSCRIBE argument; unsubscribing is free. */
export function commandChannels(fullName: string, args: readonly Buffer[]): ArgRef[] {
  switch (fullName) {
    case 'publish':
    case 'spublish':
      return [{ pos: 1, access: 0 }];
    case 'subscribe':
    case 'ssubscribe':
    case 'psubscribe': {
      const pattern = fullName === 'psubscribe' ? 1 : 0;
      const refs: ArgRef[] = [];
      for (let i = 1; i < args.length; i++) refs.push({ pos: i, access: pattern });
      return refs;
    }
    default:
      return [];
  }
}
