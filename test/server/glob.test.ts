import { globMatch, globMatchCounted, isLiteralPattern } from '../../lib/server/util/glob';

describe('globMatch (stringmatchlen)', () => {
  test.each<[string, string, boolean]>([
    ['*', '', true],
    ['*', 'anything', true],
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['h*llo', 'heeeello', true],
    ['h*llo', 'hlo', false],
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hallo', true],
    ['h[a-b]llo', 'hcllo', false],
    ['h\\*llo', 'h*llo', true],
    ['h\\*llo', 'hello', false],
    ['[\\]]', ']', true],
    ['a*', 'a', true],
    ['a**', 'a', true],
    ['*a', 'ba', true],
    ['*a', 'ab', false],
    ['[abc', 'a', true],
    ['[abc', 'd', false],
    ['news.*', 'news.art', true],
    ['', '', true],
    ['', 'a', false],
    ['a', '', false],
    ['\\', '\\', true],
  ])('%j ~ %j → %s', (pattern, subject, expected) => {
    expect(globMatch(pattern, subject)).toBe(expected);
  });

  test('nocase', () => {
    expect(globMatch('HELLO*', 'hello world', true)).toBe(true);
    expect(globMatch('HELLO*', 'hello world', false)).toBe(false);
    expect(globMatch('[A-C]x', 'bx', true)).toBe(true);
  });

  test('pathological patterns cost polynomial work, not exponential (stringmatchlen skipLongerMatches)', () => {
    // Plain backtracking needs about C(60, 30) ~ 1e17 steps here; Redis's cut-off keeps it near p * s.
    const pattern = `${'*a'.repeat(30)}b`;
    const subject = 'a'.repeat(60);
    const { matched, calls } = globMatchCounted(pattern, subject);
    expect(matched).toBe(false);
    expect(globMatch(pattern, subject)).toBe(false);
    expect(calls).toBeLessThanOrEqual(pattern.length * subject.length);
  });

  test('bytes above 127 compare as signed chars in ranges, as in C', () => {
    // [a-\xff]: \xff is -1 as a signed char, so the range is [-1, 'a'] after swapping.
    expect(globMatch('[a-\xff]', 'b')).toBe(false);
    expect(globMatch('[a-\xff]', 'A')).toBe(true);
  });

  test('isLiteralPattern', () => {
    expect(isLiteralPattern('abc')).toBe(true);
    expect(isLiteralPattern('a*c')).toBe(false);
    expect(isLiteralPattern('a\\c')).toBe(false);
  });
});
