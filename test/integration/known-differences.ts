/**
 * THE one place where the differential comparator is allowed to look away. Every entry names the
 * replies it touches and why they may differ between redis-server 7.0 and ours; the comparator
 * normalises exactly these replies (on both sides, the same way) and compares every other reply
 * byte for byte.
 *
 * Two kinds of entries:
 *  - deliberate differences: our server is Valkey-flavoured and is not redis-server 7.0.
 *  - replies that are not a function of the command sequence at all (wall clock, hash-table
 *    order, connection ids): no two correct servers, or two runs of one, agree on them.
 *
 * Valkey-only commands and options are not compared (redis-server 7.0 rejects them); their tests
 * run against our server alone, listed in VALKEY_ONLY below.
 *
 * One behaviour difference is not a reply-level rule and is pinned by its own test instead:
 * SET … EXAT/PXAT <past> on a missing key stores nothing and touches no WATCHed key in ours and in
 * Valkey 8.1+ (valkey-io/valkey#865), where redis-server 7.0 stores it and aborts the watcher's EXEC
 * (differential-transactions.test.ts; the DBSIZE entry below is the same change seen from DBSIZE).
 */
import { encodeReply, type RespValue } from '../support';

export interface KnownDifference {
  /** Command (and subcommand) as typed, e.g. 'CLIENT LIST'; matched case-insensitively. */
  readonly command: string;
  readonly reason: string;
  /** Maps a reply to the form that is compared. Only called for replies that are not errors. */
  readonly normalise?: (reply: RespValue, args: readonly string[]) => RespValue;
  /**
   * For behaviour that changed after Redis 7.0 and that ours follows (Valkey's): given the
   * oracle's reply and ours for the same command, true when the pair is exactly that change.
   */
  readonly accept?: (oracle: RespValue, ours: RespValue, args: readonly string[]) => boolean;
}

const isError = (reply: RespValue, ...texts: string[]): boolean =>
  reply.kind === '-' && (texts.length === 0 || texts.includes(reply.text));
const isInteger = (reply: RespValue, value?: string): boolean => reply.kind === ':' && (value === undefined || reply.text === value);
const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const ARGUMENT_ERRORS = ['ERR value is not an integer or out of range', 'ERR syntax error'];

/**
 * Error texts Redis reworded after 7.0 (ours uses the newer words): the oracle's old text is
 * rewritten to the new one before comparing.
 */
export const ERROR_REWORDINGS: readonly { readonly from: string; readonly to: string; readonly reason: string }[] = [
  {
    from: 'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    to: 'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    reason: 'Redis 7.2 / Valkey added "<proto>" to the hint.',
  },
];

const placeholder = (what: string): RespValue => ({ kind: '+', text: `<${what}>` });

/** An integer reply reduced to its sign class: negative values stay exact (they are codes such as -1/-2). */
function integerClass(reply: RespValue): RespValue {
  if (reply.kind !== ':') return reply;
  const n = Number(reply.text);
  return n < 0 ? reply : placeholder('integer >= 0');
}

/**
 * Absolute expiry times taken from a far-future fixed timestamp (tests use EXAT/PXAT around the
 * year 2100) are a function of the sequence and stay exact; ones derived from "now" become a class.
 */
function absoluteTimeClass(threshold: number): (reply: RespValue) => RespValue {
  return (reply) => {
    if (reply.kind !== ':') return reply;
    const n = Number(reply.text);
    return n < 0 || n >= threshold ? reply : placeholder('time from now');
  };
}

function sortItems(reply: RespValue): RespValue {
  if ((reply.kind === '*' || reply.kind === '~') && reply.items !== null) {
    const items = [...reply.items].sort((x, y) => Buffer.compare(itemKey(x), itemKey(y)));
    return { kind: reply.kind, items };
  }
  return reply;
}

function itemKey(v: RespValue): Buffer {
  if ('data' in v && v.data !== null) return v.data;
  if ('text' in v) return Buffer.from(v.text, 'latin1');
  return Buffer.alloc(0);
}

/** For map-shaped replies (RESP3 map or RESP2 flat array of pairs): replace the named fields' values. */
function maskFields(reply: RespValue, fields: readonly string[]): RespValue {
  if ((reply.kind !== '*' && reply.kind !== '%') || reply.items === null) return reply;
  const items = reply.items.map((item, i, all) => {
    if (i % 2 === 0) return item;
    const name = itemKey(all[i - 1]).toString('latin1');
    return fields.includes(name) ? placeholder(`${name} differs`) : item;
  });
  return { kind: reply.kind, items };
}

/** Map-shaped replies (RESP3 map or RESP2 flat pairs) with their pairs sorted by name. */
function sortPairs(reply: RespValue): RespValue {
  if ((reply.kind !== '*' && reply.kind !== '%') || reply.items === null || reply.items.length % 2 !== 0) return reply;
  const pairs: [RespValue, RespValue][] = [];
  for (let i = 0; i < reply.items.length; i += 2) pairs.push([reply.items[i], reply.items[i + 1]]);
  pairs.sort((x, y) => Buffer.compare(itemKey(x[0]), itemKey(y[0])));
  return { kind: reply.kind, items: pairs.flat() };
}

/** CLIENT LIST / CLIENT INFO lines keep only fields whose meaning both servers share. */
const CLIENT_FIELDS_COMPARED = ['name', 'db', 'sub', 'psub', 'multi', 'resp', 'flags', 'user'];

function clientLines(reply: RespValue): RespValue {
  if (!('data' in reply) || reply.data === null) return reply;
  const lines = reply.data
    .toString('latin1')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((line) =>
      line
        .split(' ')
        .filter((pair) => CLIENT_FIELDS_COMPARED.includes(pair.split('=')[0]))
        .join(' '),
    );
  return { kind: '+', text: lines.join(' | ') };
}

/** Applies `f` to every bulk string anywhere in the reply (nested arrays and maps included). */
function mapBulks(reply: RespValue, f: (text: string) => string): RespValue {
  if ('items' in reply && reply.items !== null) {
    return { kind: reply.kind, items: reply.items.map((item) => mapBulks(item, f)) };
  }
  const text = bulkText(reply);
  if (text === undefined) return reply;
  const changed = f(text);
  return changed === text ? reply : { kind: '$', data: Buffer.from(changed, 'latin1') };
}

/**
 * ACL rule text with each run of single-command rules ("+get -set +select|0", not "+@read")
 * sorted; a selector's closing parenthesis stays on the run's last rule.
 */
function sortCommandRules(text: string): string {
  const tokens = text.split(' ');
  const single = (t: string): boolean => /^[+-][^@(]/.test(t.replace(/\)$/, ''));
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    if (!single(tokens[i])) {
      out.push(tokens[i++]);
      continue;
    }
    const run: string[] = [];
    let close = false;
    while (i < tokens.length && single(tokens[i]) && !close) {
      close = tokens[i].endsWith(')');
      run.push(close ? tokens[i].slice(0, -1) : tokens[i]);
      i++;
    }
    run.sort();
    if (close) run[run.length - 1] += ')';
    out.push(...run);
  }
  return out.join(' ');
}

function bulkClass(what: string): (reply: RespValue) => RespValue {
  return (reply) => ('data' in reply && reply.data !== null ? placeholder(what) : reply);
}


function bulkText(reply: RespValue): string | undefined {
  return 'data' in reply && reply.data !== null ? reply.data.toString('latin1') : undefined;
}

const STRING_ENCODINGS = ['int', 'embstr', 'raw'];

/** Deep equality of two replies, with a predicate deciding whether two differing leaves still match. */
function sameShape(o: RespValue, u: RespValue, leaf: (o: RespValue, u: RespValue) => boolean): boolean {
  if (encodeReply(o).equals(encodeReply(u))) return true;
  if ('items' in o && 'items' in u) {
    if (o.kind !== u.kind || o.items === null || u.items === null || o.items.length !== u.items.length) return false;
    return o.items.every((item, i) => sameShape(item, (u.items as RespValue[])[i], leaf));
  }
  return leaf(o, u);
}

/**
 * A score that 7.0 printed with %.17g and ours with the shortest round-trip form: the two texts
 * differ, both parse to the same double, and the oracle's text is the longer one (17 significant digits).
 */
function sameScore(o: RespValue, u: RespValue): boolean {
  const ot = scoreText(o);
  const ut = scoreText(u);
  if (ot === undefined || ut === undefined || ot === ut) return false;
  if (!/^-?[0-9.]+(e[-+]?[0-9]+)?$/i.test(ot) || !/^-?[0-9.]+(e[-+]?[0-9]+)?$/i.test(ut)) return false;
  return Number(ot) === Number(ut) && ot.replace(/[-.]|e.*$/gi, '').replace(/^0+/, '').length >= 17;
}

function scoreText(reply: RespValue): string | undefined {
  if (reply.kind === ',') return reply.text;
  return bulkText(reply);
}

/** Replies of random choices: same shape and length on both sides; `distinct` also forbids repeats in ours. */
function randomChoiceInvariant(distinct: (args: readonly string[]) => boolean, pairs: (args: readonly string[]) => boolean) {
  return (oracle: RespValue, ours: RespValue, args: readonly string[]): boolean => {
    if (oracle.kind === '-' || ours.kind === '-') return false;
    const oi = 'items' in oracle ? oracle.items : undefined;
    const ui = 'items' in ours ? ours.items : undefined;
    if (oi === undefined || ui === undefined) {
      // Single element: both bulk (or both nil).
      return oi === undefined && ui === undefined && oracle.kind === ours.kind && (bulkText(oracle) === undefined) === (bulkText(ours) === undefined);
    }
    if (oi === null || ui === null) return oi === ui;
    if (oracle.kind !== ours.kind || oi.length !== ui.length) return false;
    if (!distinct(args)) return true;
    const step = pairs(args) && ui.every((x) => !('items' in x)) ? 2 : 1;
    const names = new Set<string>();
    for (let i = 0; i < ui.length; i += step) {
      const item = ui[i];
      const name = 'items' in item && item.items !== null ? itemKey(item.items[0]).toString('latin1') : itemKey(item).toString('latin1');
      if (names.has(name)) return false;
      names.add(name);
    }
    return true;
  };
}

const positiveCount = (args: readonly string[]): boolean => args.length < 3 || !String(args[2]).startsWith('-');
const withPairs = (args: readonly string[]): boolean => args.slice(3).some((a) => /^with(values|scores)$/i.test(a));

/** SCAN-family replies: cursor "0" or "not 0", elements compared as a multiset (of pairs when `paired`). */
function scanClass(paired: boolean) {
  return (reply: RespValue): RespValue => {
    if (reply.kind !== '*' || reply.items === null || reply.items.length !== 2) return reply;
    const [cursor, elements] = reply.items;
    const done = 'data' in cursor && cursor.data?.toString('latin1') === '0';
    return { kind: '*', items: [done ? cursor : placeholder('cursor not 0'), paired ? sortPairs(elements) : sortItems(elements)] };
  };
}

const hasOption = (args: readonly string[], ...options: string[]): boolean => args.slice(2).some((a) => options.includes(a.toUpperCase()));
const INT64_MIN = '-9223372036854775808';
const LIST_RANGE_ERROR = 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807';

/** Blocking commands: 7.0 overflows a huge timeout into "negative"; Valkey answers "out of range". */
const blockingTimeout = (command: string): KnownDifference => ({
  command,
  reason: 'A timeout too large for a long long in ms: 7.0 overflows it and answers "timeout is negative"; Valkey checks the range first ("timeout is out of range").',
  accept: (oracle, ours) => isError(oracle, 'ERR timeout is negative') && isError(ours, 'ERR timeout is out of range'),
});

/** Score-bearing replies of sorted-set commands. */
const scores = (command: string): KnownDifference => ({
  command,
  reason: 'Scores not exact in 17 significant digits: 7.0 prints %.17g (0.10000000000000001), Valkey 8 the shortest round-trip form (0.1). Compared as numbers.',
  accept: (oracle, ours) => sameShape(oracle, ours, sameScore),
});

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  // --- deliberate: a different server ---
  {
    command: 'INFO',
    reason: 'INFO text is server-specific (version, process, allocator, fields Valkey added or removed).',
    normalise: bulkClass('INFO text'),
  },
  {
    command: 'HELLO',
    reason: "HELLO's map names the server and its version ('valkey' 8.x vs 'redis' 7.0), and the connection id.",
    normalise: (reply) => maskFields(reply, ['server', 'version', 'id']),
  },
  {
    command: 'OBJECT ENCODING',
    reason:
      'Valkey 8 encodes small lists as a single listpack (7.0 always answers quicklist), and sets of small non-integer ' +
      'members, or of integers past set-max-intset-entries up to 128, as a listpack (7.0: hashtable). String encodings ' +
      '(int / embstr / raw) are an implementation detail and stay a class. Every other collection encoding is compared exactly.',
    accept: (oracle, ours) => {
      const o = bulkText(oracle);
      const u = bulkText(ours);
      if (o === undefined || u === undefined) return false;
      if (STRING_ENCODINGS.includes(o) && STRING_ENCODINGS.includes(u)) return true;
      return (o === 'quicklist' && u === 'listpack') || (o === 'hashtable' && u === 'listpack');
    },
  },
  {
    command: 'OBJECT REFCOUNT',
    reason: 'Redis shares small integers (refcount 2147483647); reference counts are implementation detail.',
    normalise: integerClass,
  },
  {
    command: 'CLIENT LIST',
    reason: 'CLIENT LIST carries per-process fields (addr, fd, age, memory, events) and fields the servers do not share; only name/db/sub/psub/multi/resp/flags/user are compared.',
    normalise: clientLines,
  },
  {
    command: 'CLIENT INFO',
    reason: 'Same fields as CLIENT LIST.',
    normalise: clientLines,
  },
  {
    command: 'COMMAND COUNT',
    reason: 'Ours implements the families of issue 3, not all ~240 Redis commands.',
    normalise: integerClass,
  },
  // --- behaviour Valkey changed after Redis 7.0, which ours follows ---
  {
    command: 'BITCOUNT',
    reason:
      'Valkey (and Redis 7.2+) parse the range before looking the key up, and accept a start without an end: ' +
      'on a missing key bad arguments are an error (7.0: 0), BITCOUNT key start counts to the end (7.0: syntax error), ' +
      'BIT|BYTE is checked before end (which of two bad arguments is reported), and on a key of another type a bad ' +
      'range is reported before WRONGTYPE.',
    accept: (oracle, ours, args) =>
      (isInteger(oracle, '0') && isError(ours, ...ARGUMENT_ERRORS)) ||
      (args.length === 5 && isError(oracle, ...ARGUMENT_ERRORS) && isError(ours, ...ARGUMENT_ERRORS)) ||
      (args.length === 3 && isError(oracle, 'ERR syntax error') && (isInteger(ours) || isError(ours, ...ARGUMENT_ERRORS))) ||
      (isError(oracle, WRONGTYPE) && isError(ours, ...ARGUMENT_ERRORS)),
  },
  {
    command: 'BITPOS',
    reason: 'As BITCOUNT: on a missing key, bad range arguments are an error in Valkey (7.0: 0 or -1); BIT|BYTE is checked before end; a bad range is reported before WRONGTYPE.',
    accept: (oracle, ours, args) =>
      ((isInteger(oracle, '0') || isInteger(oracle, '-1')) && isError(ours, ...ARGUMENT_ERRORS)) ||
      (args.length === 6 && isError(oracle, ...ARGUMENT_ERRORS) && isError(ours, ...ARGUMENT_ERRORS)) ||
      (isError(oracle, WRONGTYPE) && isError(ours, ...ARGUMENT_ERRORS)),
  },
  {
    command: 'DBSIZE',
    reason:
      'Redis 7.0 stores a key SET with an EXAT/PXAT already past and counts it in DBSIZE until active expiry reclaims it ' +
      '(a matter of timing); Valkey (and ours) never store it. Compared as: ours <= redis.',
    accept: (oracle, ours) => oracle.kind === ':' && ours.kind === ':' && Number(ours.text) >= 0 && Number(ours.text) < Number(oracle.text),
  },
  // --- part 2: collections ---
  {
    command: 'HGETALL',
    reason: 'Order follows the hash table once a hash is hashtable-encoded: field/value pairs compared sorted by field.',
    normalise: sortPairs,
  },
  ...['HKEYS', 'HVALS', 'SMEMBERS', 'SUNION', 'SINTER', 'SDIFF'].map(
    (command): KnownDifference => ({
      command,
      reason: 'Order follows the hash table for hashtable-encoded hashes and sets (and differs between listpack and hashtable): compared as a multiset.',
      normalise: sortItems,
    }),
  ),
  { command: 'HSCAN', reason: 'As SCAN: pairs compared sorted by field, cursor as "0" / "not 0".', normalise: scanClass(true) },
  { command: 'SSCAN', reason: 'As SCAN: members compared as a multiset, cursor as "0" / "not 0".', normalise: scanClass(false) },
  {
    command: 'SPOP',
    reason: 'Random choice: same shape and count; with a count, no member twice. (The random stream only pops whole sets, so state stays equal.)',
    accept: randomChoiceInvariant(() => true, () => false),
  },
  {
    command: 'SRANDMEMBER',
    reason: 'Random choice: same shape and count; a positive count never repeats a member.',
    accept: randomChoiceInvariant(positiveCount, () => false),
  },
  {
    command: 'HRANDFIELD',
    reason: 'Random choice: same shape and count; a positive count never repeats a field (WITHVALUES: pairs).',
    accept: randomChoiceInvariant(positiveCount, withPairs),
  },
  {
    command: 'ZRANDMEMBER',
    reason: 'Random choice: same shape and count; a positive count never repeats a member (WITHSCORES: pairs).',
    accept: randomChoiceInvariant(positiveCount, withPairs),
  },
  ...[
    'ZSCORE', 'ZMSCORE', 'ZINCRBY', 'ZADD', 'ZRANGE', 'ZRANGEBYSCORE', 'ZREVRANGEBYSCORE', 'ZRANGEBYLEX', 'ZREVRANGE',
    'ZPOPMIN', 'ZPOPMAX', 'ZMPOP', 'BZPOPMIN', 'BZPOPMAX', 'BZMPOP', 'ZUNION', 'ZINTER', 'ZDIFF', 'ZRANK', 'ZREVRANK', 'ZSCAN',
  ].map(scores),
  {
    command: 'HSCAN',
    reason: 'HSCAN NOVALUES is Valkey 8 (7.0: syntax error).',
    accept: (oracle, ours, args) => hasOption(args, 'NOVALUES') && isError(oracle, 'ERR syntax error') && ours.kind !== '-',
  },
  {
    command: 'ZSCAN',
    reason: 'Skiplist-encoded sorted sets are scanned in hash-table order: pairs compared sorted by member, cursor as "0" / "not 0".',
    normalise: scanClass(true),
  },
  {
    command: 'ZSCAN',
    reason: 'ZSCAN NOSCORES is Valkey 8 (7.0: syntax error).',
    accept: (oracle, ours, args) => hasOption(args, 'NOSCORES') && isError(oracle, 'ERR syntax error') && ours.kind !== '-',
  },
  ...['ZRANK', 'ZREVRANK'].map(
    (command): KnownDifference => ({
      command,
      reason: `${command} … WITHSCORE is Redis 7.2 / Valkey (7.0: wrong number of arguments).`,
      accept: (oracle, ours, args) =>
        args.length === 4 && args[3].toUpperCase() === 'WITHSCORE' && isError(oracle, `ERR wrong number of arguments for '${command.toLowerCase()}' command`) && ours.kind !== '-',
    }),
  ),
  {
    command: 'LPOS',
    reason: 'RANK -9223372036854775808 cannot be negated: Valkey rejects it with its range error (7.0 answers undefined behaviour).',
    accept: (_oracle, ours, args) => args.includes(INT64_MIN) && isError(ours, LIST_RANGE_ERROR),
  },
  {
    command: 'LREM',
    reason: 'As LPOS: a count of -9223372036854775808 is Valkey\'s range error.',
    accept: (_oracle, ours, args) => args[2] === INT64_MIN && isError(ours, LIST_RANGE_ERROR),
  },
  ...['BLPOP', 'BRPOP', 'BLMOVE', 'BRPOPLPUSH', 'BLMPOP', 'BZPOPMIN', 'BZPOPMAX', 'BZMPOP'].map(blockingTimeout),
  // --- not a function of the sequence ---
  {
    command: 'CLIENT ID',
    reason: 'Connection ids count every connection the process has seen (including the harness readiness probes).',
    normalise: integerClass,
  },
  {
    command: 'TIME',
    reason: 'Wall clock.',
    normalise: (reply) => (reply.kind === '*' && reply.items?.length === 2 ? placeholder('time') : reply),
  },
  {
    command: 'TTL',
    reason: 'Time left shrinks while the test runs: compared as -2 / -1 / >= 0 (exact TTLs are checked with bounds elsewhere).',
    normalise: integerClass,
  },
  {
    command: 'PTTL',
    reason: 'As TTL.',
    normalise: integerClass,
  },
  {
    command: 'EXPIRETIME',
    reason: 'Absolute times derived from the clock differ by when each server ran; fixed EXAT times (>= 4e9 s) stay exact.',
    normalise: absoluteTimeClass(4_000_000_000),
  },
  {
    command: 'PEXPIRETIME',
    reason: 'As EXPIRETIME, in ms (>= 4e12 stays exact).',
    normalise: absoluteTimeClass(4_000_000_000_000),
  },
  {
    command: 'OBJECT IDLETIME',
    reason: 'Seconds since last access: wall clock.',
    normalise: integerClass,
  },
  {
    command: 'KEYS',
    reason: 'Order follows the hash table: compared as a sorted list.',
    normalise: sortItems,
  },
  {
    command: 'SCAN',
    reason: 'Order and cursor values follow the hash table: elements compared sorted, the cursor as "0" or "not 0".',
    normalise: (reply) => {
      if (reply.kind !== '*' || reply.items === null || reply.items.length !== 2) return reply;
      const [cursor, elements] = reply.items;
      const done = 'data' in cursor && cursor.data?.toString('latin1') === '0';
      return { kind: '*', items: [done ? cursor : placeholder('cursor not 0'), sortItems(elements)] };
    },
  },
  {
    command: 'RANDOMKEY',
    reason: 'Random: compared as nil or "some key".',
    normalise: bulkClass('a key'),
  },
  {
    command: 'CONFIG GET',
    reason: 'Parameters come back in hash-table order (differs even between two redis-servers): pairs compared sorted by name.',
    normalise: sortPairs,
  },
  {
    command: 'ACL LIST',
    reason:
      'Single-command rules (+get -flushdb, +select|0) come out in the order of Redis\'s command dict, which is seeded at random at start-up: each run of them is compared sorted.',
    normalise: (reply) => mapBulks(reply, sortCommandRules),
  },
  {
    command: 'ACL GETUSER',
    reason: 'As ACL LIST, for the "commands" fields.',
    normalise: (reply) => mapBulks(reply, sortCommandRules),
  },
  {
    command: 'ACL CAT',
    reason: 'With a category, commands come in command-dict order (random per start-up): compared sorted. The category list itself is exact.',
    normalise: (reply, args) => (args.length > 2 ? sortItems(reply) : reply),
  },
  {
    command: 'ACL GENPASS',
    reason: 'Random: compared as the number of hex characters.',
    normalise: (reply) => {
      const text = bulkText(reply);
      return text !== undefined && /^[0-9a-f]*$/.test(text) ? placeholder(`${text.length} hex chars`) : reply;
    },
  },
  {
    command: 'ACL LOG',
    reason: 'age-seconds is wall clock; client-info is a CLIENT LIST line: compared by the fields CLIENT LIST compares.',
    normalise: (reply) => {
      if (reply.kind !== '*' || reply.items === null) return reply;
      return {
        kind: '*',
        items: reply.items.map((entry) => {
          const masked = maskFields(entry, ['age-seconds']);
          if ((masked.kind !== '*' && masked.kind !== '%') || masked.items === null) return masked;
          const items = masked.items.map((item, i, all) => (i % 2 === 1 && itemKey(all[i - 1]).toString('latin1') === 'client-info' ? clientLines(item) : item));
          return { kind: masked.kind, items };
        }),
      };
    },
  },
  {
    command: 'PUBSUB CHANNELS',
    reason: 'Order follows the hash table: compared sorted.',
    normalise: sortItems,
  },
  {
    command: 'PUBSUB SHARDCHANNELS',
    reason: 'As PUBSUB CHANNELS.',
    normalise: sortItems,
  },
];

/**
 * Commands and options our server has and redis-server 7.0 does not: never compared; their
 * tests run against ours alone (differential-valkey-only.test.ts style blocks).
 */
export const VALKEY_ONLY: readonly { readonly feature: string; readonly reason: string }[] = [
  { feature: 'SET key value IFEQ old', reason: 'Valkey 8.1 conditional SET; Redis 7.0 answers a syntax error.' },
  { feature: 'HSCAN key cursor NOVALUES', reason: 'Valkey 8; 7.0 answers a syntax error (accepted in KNOWN_DIFFERENCES for the random stream).' },
  { feature: 'ZSCAN key cursor NOSCORES', reason: 'Valkey 8; 7.0 answers a syntax error.' },
  { feature: 'ZRANK / ZREVRANK key member WITHSCORE', reason: 'Redis 7.2 / Valkey; 7.0 answers a wrong-number-of-arguments error.' },
  { feature: 'CLIENT NO-TOUCH', reason: 'Added in Redis 7.2 / Valkey; 7.0 answers an unknown-subcommand error.' },
];

function commandName(args: readonly string[]): { one: string; two: string } {
  const one = (args[0] ?? '').toUpperCase();
  return { one, two: args.length > 1 ? `${one} ${args[1].toUpperCase()}` : one };
}

/**
 * The known difference for a command's reply, if any. Subcommand entries win over command entries;
 * several entries for one command combine: the first normalise applies, and any accept accepts.
 */
export function knownDifferenceFor(args: readonly string[]): KnownDifference | undefined {
  const { one, two } = commandName(args);
  let matches = KNOWN_DIFFERENCES.filter((d) => d.command === two);
  if (matches.length === 0) matches = KNOWN_DIFFERENCES.filter((d) => d.command === one);
  if (matches.length <= 1) return matches[0];
  const normalise = matches.find((d) => d.normalise !== undefined)?.normalise;
  const accepts = matches.flatMap((d) => (d.accept === undefined ? [] : [d.accept]));
  return {
    command: matches[0].command,
    reason: matches.map((d) => d.reason).join(' / '),
    normalise,
    accept: accepts.length === 0 ? undefined : (oracle, ours, a) => accepts.some((accept) => accept(oracle, ours, a)),
  };
}

/** Applies the known difference (if any) to a reply; errors are compared exactly, but for ERROR_REWORDINGS. */
export function normaliseReply(args: readonly string[], reply: RespValue): RespValue {
  if (reply.kind === '-') {
    const reworded = ERROR_REWORDINGS.find((r) => r.from === reply.text);
    return reworded === undefined ? reply : { kind: '-', text: reworded.to };
  }
  if (reply.kind === '!') return reply;
  const normalise = knownDifferenceFor(args)?.normalise;
  return normalise === undefined ? reply : normalise(reply, args);
}

/** True when the two replies differ exactly by a listed change of behaviour. */
export function acceptedDifference(args: readonly string[], oracle: RespValue, ours: RespValue): boolean {
  return knownDifferenceFor(args)?.accept?.(oracle, ours, args) === true;
}
