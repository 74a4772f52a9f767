/**
 * Glob-style matching exactly as Redis's stringmatchlen (util.c): `*`, `?`, `[...]` with `^`
 * negation and `a-z` ranges, backslash escapes, and the "skip longer matches" cut-off that keeps
 * patterns like `*a*a*a*…b` from going exponential. Used by KEYS, SCAN MATCH, PSUBSCRIBE,
 * PUBSUB CHANNELS, CONFIG GET and COMMAND LIST FILTERBY PATTERN.
 *
 * Both pattern and subject are latin1 strings (one char per byte), as the keyspace keeps keys.
 * Bytes are compared as C's signed `char`, because ranges such as `[a-\xff]` behave that way in Redis.
 */

const MAX_NESTING = 1000;

function signed(code: number): number {
  return code > 127 ? code - 256 : code;
}

function lower(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

interface MatchState {
  skipLongerMatches: boolean;
  /** Recursive calls made, so a test can bound the work a pattern costs. */
  calls: number;
}

function matchAt(
  pattern: string,
  p: number,
  subject: string,
  s: number,
  nocase: boolean,
  state: MatchState,
  nesting: number,
): boolean {
  state.calls++;
  if (nesting > MAX_NESTING) return false;
  const pEnd = pattern.length;
  const sEnd = subject.length;
  // Reads past the end behave like C's NUL terminator.
  const at = (i: number): number => (i < pEnd ? pattern.charCodeAt(i) : 0);

  while (p < pEnd && s < sEnd) {
    const c = pattern.charCodeAt(p);
    if (c === 42 /* * */) {
      while (p < pEnd && at(p + 1) === 42) p++;
      if (pEnd - p === 1) return true;
      while (s < sEnd) {
        if (matchAt(pattern, p + 1, subject, s, nocase, state, nesting + 1)) return true;
        if (state.skipLongerMatches) return false;
        s++;
      }
      state.skipLongerMatches = true;
      return false;
    } else if (c === 63 /* ? */) {
      s++;
    } else if (c === 91 /* [ */) {
      p++;
      const not = at(p) === 94; /* ^ */
      if (not) p++;
      let match = false;
      const sc = subject.charCodeAt(s);
      for (;;) {
        if (at(p) === 92 /* \ */ && pEnd - p >= 2) {
          p++;
          if (at(p) === sc) match = true;
        } else if (at(p) === 93 /* ] */ && p < pEnd) {
          break;
        } else if (p >= pEnd) {
          p--;
          break;
        } else if (pEnd - p >= 3 && at(p + 1) === 45 /* - */) {
          let start = signed(at(p));
          let end = signed(at(p + 2));
          let ch = signed(sc);
          if (start > end) {
            const t = start;
            start = end;
            end = t;
          }
          if (nocase) {
            start = lower(start);
            end = lower(end);
            ch = lower(ch);
          }
          p += 2;
          if (ch >= start && ch <= end) match = true;
        } else if (!nocase) {
          if (at(p) === sc) match = true;
        } else if (lower(at(p)) === lower(sc)) {
          match = true;
        }
        p++;
      }
      if (not) match = !match;
      if (!match) return false;
      s++;
    } else {
      if (c === 92 /* \ */ && pEnd - p >= 2) p++;
      const pc = at(p);
      const sc = subject.charCodeAt(s);
      if (nocase ? lower(pc) !== lower(sc) : pc !== sc) return false;
      s++;
    }
    p++;
    if (s >= sEnd) {
      while (p < pEnd && pattern.charCodeAt(p) === 42) p++;
      break;
    }
  }
  return p >= pEnd && s >= sEnd;
}

/** True when `subject` matches the glob `pattern` (Redis's stringmatchlen). */
export function globMatch(pattern: string, subject: string, nocase = false): boolean {
  // The overwhelmingly common patterns, without the general machinery.
  if (pattern === '*') return true;
  return matchAt(pattern, 0, subject, 0, nocase, { skipLongerMatches: false, calls: 0 }, 0);
}

/** globMatch, with the number of matching steps it took (for tests that bound the work). */
export function globMatchCounted(pattern: string, subject: string, nocase = false): { matched: boolean; calls: number } {
  const state: MatchState = { skipLongerMatches: false, calls: 0 };
  return { matched: matchAt(pattern, 0, subject, 0, nocase, state, 0), calls: state.calls };
}

/** True when a pattern has no glob metacharacters, so a direct lookup can replace a scan. */
export function isLiteralPattern(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 42 || c === 63 || c === 91 || c === 92) return false;
  }
  return true;
}
