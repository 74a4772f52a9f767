/** Score parsing as glibc strtod + Redis's rules, and score formatting as Valkey 8's d2string. */
import {
  formatScore,
  lexGteMin,
  lexLteMax,
  lexRangeEmpty,
  parseLexRange,
  parseScore,
  parseScoreBound,
  parseScoreBytes,
  readStoredScore,
  readStoredScoreIn,
  scoreRangeEmpty,
} from '../../../lib/server/datatypes/zset-score';

describe('parseScore (ZADD, ZINCRBY, WEIGHTS)', () => {
  test.each([
    ['1', 1],
    ['-1', -1],
    ['007', 7],
    ['-0', -0],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1.', 1],
    ['+2', 2],
    ['1e3', 1000],
    ['1E-2', 0.01],
    ['inf', Infinity],
    ['+inf', Infinity],
    ['-INF', -Infinity],
    ['Infinity', Infinity],
    ['-infinity', -Infinity],
    ['0x10', 16],
    ['0x1p-2', 0.25],
    ['0X.8', 0.5],
    ['-0x1.8p1', -3],
    ['4.9e-324', 5e-324],
    ['1e308', 1e308],
    ['123456789012345678901234567890', 1.2345678901234568e29],
    ['9007199254740993', 9007199254740992],
  ])('%s → %d', (text, value) => {
    expect(Object.is(parseScore(text), value)).toBe(true);
  });

  test.each(['', ' 1', '1 ', 'x', '1x', 'nan', 'NaN', '-nan', 'nan(1)', '1e400', '-1e400', '1e-400', '0x', '0x1p', '1e', '1e+', '.', '-', '+', '1\u00002', '--1', 'inff', '0x1p99999'])(
    '%j is not a valid float',
    (text) => {
      expect(parseScore(text)).toBeUndefined();
    },
  );

  test('0e-400 is zero, not an underflow', () => {
    expect(parseScore('0e-400')).toBe(0);
  });
});

describe('parseScoreBound (ZRANGEBYSCORE and friends)', () => {
  test.each([
    ['1', 1, false],
    ['(1', 1, true],
    ['', 0, false],
    ['(', 0, true],
    [' 5', 5, false],
    ['(  -2.5', -2.5, true],
    ['1e400', Infinity, false],
    ['-inf', -Infinity, false],
    ['(+inf', Infinity, true],
    ['1\u0000junk', 1, false],
    ['0x1p1', 2, false],
  ])('%j → %d exclusive=%s', (text, value, exclusive) => {
    expect(parseScoreBound(text)).toEqual({ value, exclusive });
  });

  test.each(['x', '((1', '1 ', ' ', 'nan', '(nan', '1.5.5', '[1'])('%j is invalid', (text) => {
    expect(parseScoreBound(text)).toBeUndefined();
  });

  test('empty ranges', () => {
    expect(scoreRangeEmpty({ min: 2, max: 1, minex: false, maxex: false })).toBe(true);
    expect(scoreRangeEmpty({ min: 1, max: 1, minex: true, maxex: false })).toBe(true);
    expect(scoreRangeEmpty({ min: 1, max: 1, minex: false, maxex: false })).toBe(false);
  });
});

describe('lexicographic ranges', () => {
  test('items: [ inclusive, ( exclusive, - and + alone', () => {
    expect(parseLexRange('[a', '(c')).toEqual({ min: 'a', max: 'c', minex: false, maxex: true, minKind: 0, maxKind: 0 });
    expect(parseLexRange('-', '+')).toMatchObject({ minKind: -1, maxKind: 1 });
    expect(parseLexRange('+', '-')).toMatchObject({ minKind: 1, maxKind: -1 });
    expect(parseLexRange('[', '(')).toMatchObject({ min: '', max: '' });
    for (const bad of [['a', '+'], ['-', 'b'], ['++', '+'], ['-', '-x'], ['', '+']]) {
      expect(parseLexRange(bad[0], bad[1])).toBeUndefined();
    }
  });

  test('comparisons treat - and + as below and above every string', () => {
    const all = parseLexRange('-', '+');
    expect(all && lexGteMin('', all) && lexLteMax('\u00ff\u00ff', all)).toBe(true);
    const r = parseLexRange('(b', '[d');
    expect(r && [lexGteMin('b', r), lexGteMin('ba', r), lexLteMax('d', r), lexLteMax('da', r)]).toEqual([false, true, true, false]);
    expect(lexRangeEmpty(parseLexRange('+', '-') ?? all!)).toBe(true);
    expect(lexRangeEmpty(parseLexRange('[b', '[a') ?? all!)).toBe(true);
    expect(lexRangeEmpty(parseLexRange('(b', '[b') ?? all!)).toBe(true);
    expect(lexRangeEmpty(parseLexRange('[b', '[b') ?? all!)).toBe(false);
    expect(lexRangeEmpty(parseLexRange('-', '-') ?? all!)).toBe(true);
  });
});

describe('formatScore (Valkey 8 d2string)', () => {
  test.each([
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-17, '-17'],
    [1.5, '1.5'],
    [0.1, '0.1'],
    [0.3, '0.3'],
    [1 / 3, '0.3333333333333333'],
    [2.5e-7, '2.5e-7'],
    [1e-7, '1e-7'],
    [0.000001, '0.000001'],
    [0.0001, '0.0001'],
    [0.0012345, '0.0012345'],
    [0.00012345, '1.2345e-4'],
    [123.456, '123.456'],
    [1234567.5, '1234567.5'],
    [1e17, '100000000000000000'],
    [2 ** 62, '4611686018427387904'],
    [2 ** 63, '9223372036854776000'],
    [1e19, '1e+19'],
    [1.2345e22, '1.2345e+22'],
    [1.2345678901234567e20, '123456789012345670000'],
    [1e308, '1e+308'],
    [5e-324, '5e-324'],
    [-2.5, '-2.5'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
  ])('%d → %s', (value, text) => {
    expect(formatScore(value)).toBe(text);
  });

  test('every formatted score reads back as the same double', () => {
    let x = 1.1;
    for (let i = 0; i < 2000; i++) {
      x = x * -1.37 + 0.001 * i;
      for (const v of [x, 1 / x, x * 1e-200, x * 1e200]) {
        expect(Object.is(readStoredScore(formatScore(v)), v)).toBe(true);
        expect(Object.is(parseScore(formatScore(v)), v)).toBe(true);
      }
    }
    expect(readStoredScore('inf')).toBe(Infinity);
    expect(readStoredScore('-inf')).toBe(-Infinity);
    expect(Object.is(readStoredScore('-0'), -0)).toBe(true);
  });

  test('readStoredScoreIn reads a score inside a longer string as readStoredScore reads it alone', () => {
    const texts = ['0', '-0', '7', '-7', '123456789012345', '-123456789012345', '1234567890123456', '1.5', '-2.5e-300', 'inf', '-inf', '1e+200', '-'];
    for (const text of texts) {
      const inside = `\u0003abc${text}\u0001`;
      expect(Object.is(readStoredScoreIn(inside, 4, 4 + text.length), readStoredScore(text))).toBe(true);
    }
  });

  test('parseScoreBytes parses request bytes as parseScore parses their text', () => {
    const texts = ['0', '-0', '000000096418', '-12', '123456789012345', '1234567890123456', '1.5', ' 1', '1 ', '', '-', 'inf', '-inf', 'nan', '0x10', '1e400', '+5', '1e-400'];
    for (const text of texts) {
      const bytes = Buffer.from(`**${text}**`, 'latin1');
      const got = parseScoreBytes(bytes, 2, text.length);
      const want = parseScore(text);
      expect([text, got === undefined ? 'undefined' : Object.is(got, want)]).toEqual([text, want === undefined ? 'undefined' : true]);
    }
  });
});
