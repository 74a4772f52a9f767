/**
 * ACL command categories in Redis's order (ACLCommandCategories in acl.c): ACL CAT lists them in
 * this order, COMMAND INFO prints a command's categories in it, and ACL LIST's best-fit description
 * tries them in it.
 */
import type { AclCategory } from '../commands/command';

export const CATEGORY_ORDER: readonly AclCategory[] = [
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
];

const BY_NAME = new Map<string, AclCategory>(CATEGORY_ORDER.map((c) => [c, c]));

/** The category named `name` (case-insensitive, as Redis's strcasecmp), or undefined. */
export function categoryByName(name: string): AclCategory | undefined {
  return BY_NAME.get(name.toLowerCase());
}
