/**
 * Values as the RDB codec sees them, independent of how the server stores them: a string, or a
 * collection as plain element arrays. The reader produces these from any of Redis's encodings;
 * the writer consumes them. The bridge (value-bridge.ts) converts to and from the data type
 * classes through their public APIs.
 */

export type PlainValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'set'; readonly members: readonly string[] }
  /** field, value, field, value … */
  | { readonly kind: 'hash'; readonly pairs: readonly string[] }
  | { readonly kind: 'zset'; readonly members: readonly string[]; readonly scores: readonly number[] };

export type PlainKind = PlainValue['kind'];
