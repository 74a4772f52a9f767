import { Token } from 'aws-cdk-lib';
import { CacheConfigurationError, CacheErrorCodes } from '../errors';

/**
 * The ACL categories of Valkey and Redis OSS 7 (`ACL CAT`), the only names `+@` / `-@` accept.
 */
export const ACL_CATEGORIES: readonly string[] = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog',
  'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection',
  'transaction', 'scripting', 'all',
];

/** Rules that set or clear passwords: ElastiCache takes passwords only through the API. */
const PASSWORD_RULES = /^(nopass|resetpass|[<>#!].*)$/i;
/** Rules that stand alone (case-insensitive, as ACL SETUSER reads them). */
const WORD_RULES = new Set(['on', 'off', 'allkeys', 'resetkeys', 'allchannels', 'resetchannels', 'allcommands', 'nocommands', 'clearselectors']);

/**
 * Checks an ElastiCache RBAC access string the way ElastiCache and `ACL SETUSER` would read it,
 * so a typo fails at synth rather than in a CloudFormation rollback (or, worse, as a user with
 * less access than meant): every token a known rule, categories real, no password rules (ElastiCache
 * sets passwords through the API), no `reset` (it would drop those passwords), and an explicit
 * `on` or `off` (without one ElastiCache creates the user disabled).
 *
 * @param prop the prop name for the message, e.g. `accessString`
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
 */
export function validateAccessString(prop: string, accessString: string): void {
  if (Token.isUnresolved(accessString)) return;
  const fail = (rule: string): never => {
    throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_ACCESS_STRING, prop, rule, accessString);
  };
  const tokens = splitRules(accessString, fail);
  if (tokens.length === 0) fail('must not be empty');
  let onOff = false;
  for (const token of tokens) {
    if (token.startsWith('(')) {
      // A Redis 7 selector: its rules follow the same grammar, minus on/off and passwords.
      for (const inner of token.slice(1, -1).split(/\s+/).filter((t) => t.length > 0)) checkRule(inner, fail, true);
      continue;
    }
    if (/^(on|off)$/i.test(token)) onOff = true;
    checkRule(token, fail, false);
  }
  if (!onOff) fail("must say 'on' or 'off' (without either, ElastiCache creates the user switched off)");
}

function splitRules(text: string, fail: (rule: string) => never): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }
    if (text[i] === '(') {
      const close = text.indexOf(')', i);
      if (close < 0) fail("has a selector '(' without its closing ')'");
      out.push(text.slice(i, close + 1));
      i = close + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/\s/.test(text[j])) j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

function checkRule(token: string, fail: (rule: string) => never, inSelector: boolean): void {
  const lower = token.toLowerCase();
  if (lower === 'reset') fail("must not contain 'reset' (it would remove the passwords ElastiCache manages)");
  if (PASSWORD_RULES.test(token)) fail(`must not set passwords ('${token}'): give them through the user's authentication instead`);
  if (WORD_RULES.has(lower)) {
    if (inSelector && (lower === 'on' || lower === 'off')) fail(`cannot switch the user ${lower} inside a selector ('${token}')`);
    return;
  }
  if (/^(%(R|W|RW)~|~|&).+/i.test(token)) return;
  const command = /^[+-](.+)$/.exec(token);
  if (command !== null) {
    const name = command[1];
    if (name.startsWith('@')) {
      const category = name.slice(1).toLowerCase();
      if (!ACL_CATEGORIES.includes(category)) fail(`names an unknown ACL category '@${category}' (known: ${ACL_CATEGORIES.join(', ')})`);
      return;
    }
    if (/^[a-z][a-z0-9_.-]*(\|[a-z0-9_.-]+)?$/i.test(name)) return;
  }
  fail(`has a token that is not an ACL rule: '${token}'`);
}
