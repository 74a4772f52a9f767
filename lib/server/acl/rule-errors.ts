/**
 * Why an ACL rule was refused, and Redis's words for it (ACLSetUserStringError): ACL SETUSER,
 * `user` config lines and aclfile loading all report these texts.
 */
export type RuleError =
  | 'unknown-name'
  | 'syntax'
  | 'key-after-all'
  | 'channel-after-all'
  | 'no-such-password'
  | 'bad-hash'
  | 'duplicate-user'
  | 'subcommand-first-arg';

const MESSAGES: Readonly<Record<RuleError, string>> = {
  'unknown-name': 'Unknown command or category name in ACL',
  syntax: 'Syntax error',
  'key-after-all':
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  'channel-after-all':
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  'no-such-password': 'The password you are trying to remove from the user does not exist',
  'bad-hash': 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
  'duplicate-user': 'Duplicate user found. A user can only be defined once in config files',
  'subcommand-first-arg': 'Allowing first-arg of a subcommand is not supported',
};

export function ruleErrorMessage(error: RuleError): string {
  return MESSAGES[error];
}

/** Redis's ACLStringHasSpaces: whitespace (isspace) or NUL anywhere. */
export function hasSpaces(text: string): boolean {
  return /[ \t\n\v\f\r\0]/.test(text);
}

/**
 * ACLMergeSelectorArguments: a selector may arrive spread over several arguments ('(~x', '+get)');
 * they are joined with single spaces. Returns the merged rules, or the index of the argument that
 * opened a selector never closed.
 */
export function mergeSelectorArguments(rules: readonly string[]): { merged: string[] } | { unmatchedAt: number } {
  const merged: string[] = [];
  let open = -1;
  let selector = '';
  for (let j = 0; j < rules.length; j++) {
    const op = rules[j];
    if (op.startsWith('(') && !op.endsWith(')')) {
      selector = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      selector += ` ${op}`;
      if (op.endsWith(')')) {
        open = -1;
        merged.push(selector);
      }
      continue;
    }
    merged.push(op);
  }
  return open === -1 ? { merged } : { unmatchedAt: open };
}
