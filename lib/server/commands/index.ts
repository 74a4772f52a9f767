/**
 * Every command family, in one list: the dispatcher builds its table from here, and
 * COMMAND / COMMAND COUNT / INFO / DOCS / LIST answer from the same table.
 * Adding a family is one import and one entry.
 */
import { aclCommands } from './acl';
import { bitmapCommands } from './bitmaps';
import type { CommandSpec } from './command';
import { connectionCommands } from './connection';
import { hashCommands } from './hashes';
import { hyperLogLogCommands } from './hyperloglog';
import { introspectionCommands } from './introspection';
import { keyCommands } from './keys';
import { listCommands } from './lists';
import { persistenceCommands } from './persistence';
import { pubsubCommands } from './pubsub';
import { serverCommands } from './server-admin';
import { setCommands } from './sets';
import { sortCommands } from './sort';
import { sortedSetCommands } from './sorted-sets';
import { stringCommands } from './strings';
import { transactionCommands } from './transactions';

export const commandFamilies: ReadonlyArray<readonly CommandSpec[]> = [
  connectionCommands,
  serverCommands,
  aclCommands,
  introspectionCommands,
  keyCommands,
  stringCommands,
  bitmapCommands,
  hashCommands,
  listCommands,
  setCommands,
  sortedSetCommands,
  hyperLogLogCommands,
  sortCommands,
  transactionCommands,
  pubsubCommands,
  persistenceCommands,
];

/** All top-level commands, flattened. */
export function allCommands(): CommandSpec[] {
  return commandFamilies.flat();
}
