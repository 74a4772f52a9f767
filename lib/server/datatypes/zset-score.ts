/**
 * Scores as Redis reads and writes them: glibc strtod's grammar (decimal, hex floats, inf,
 * infinity, nan) with the two acceptance rules Redis layers on it, and Valkey 8's d2string for
 * output.
 *
 * Why not `Number(text)`: it trims whitespace, reads "" as 0, knows "Infinity" but not "inf",
 * reads "0x10" as an integer and "0b1" as binary — all different from strtod.
 */

/** Result of scanning the longest strtod prefix: the value and where the prefix ends. */
interface Scan {
  value: number;
  /** Index just past the number; 0 (the start of the text) when nothing could be converted. */
  end: number;
  /** strtod would set ERANGE: overflow to ±inf, or a non-zero number that underflowed to zero. */
  range: boolean;
}

const scan: Scan = { value: 0, end: 0, range: false };

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Case-insensitive match of an ASCII lowercase word at position i. */
function matchWord(text: string, i: number, word: string): boolean {
  if (i + word.length > text.length) return false;
  for (let k = 0; k < word.length; k++) if ((text.charCodeAt(i + k) | 0x20) !== word.charCodeAt(k)) return false;
  return true;
}

/** A hex float mantissa (integer digits as bigint) × 2^exp2, rounded once to a double. */
function hexToDouble(mantissa: bigint, exp2: number): number {
  if (mantissa === 0n) return 0;
  const bits = mantissa.toString(2).length;
  // The value is in [2^(bits-1+exp2), 2^(bits+exp2)); doubles keep 53 bits, fewer below 2^-1022.
  const top = bits - 1 + exp2;
  if (top > 1023) return Infinity;
  const keep = top >= -1022 ? 53 : 53 - (-1022 - top);
  if (keep <= 0) {
    // Below half the smallest subnormal, or exactly at it (ties to even: zero), rounds to zero.
    if (keep === 0 && mantissa !== 1n << BigInt(bits - 1)) return 2 ** -1074;
    return 0;
  }
  let m = mantissa;
  let e = exp2;
  if (bits > keep) {
    const drop = BigInt(bits - keep);
    const q = m >> drop;
    const r = m - (q << drop);
    const half = 1n << (drop - 1n);
    m = r > half || (r === half && (q & 1n) === 1n) ? q + 1n : q;
    e += bits - keep;
  }
  // m has at most 54 bits now and m × 2^e is exactly representable (or overflows to inf).
  let value = Number(m);
  while (e > 0) {
    const step = Math.min(e, 1000);
    value *= 2 ** step;
    e -= step;
  }
  while (e < 0) {
    const step = Math.max(e, -1000);
    value *= 2 ** step;
    e -= step;
  }
  return value;
}

/**
 * Scans the longest prefix of text[from..] that glibc's strtod accepts (after optional
 * whitespace). Fills `scan`; `scan.end === from` means no conversion.
 */
function strtodScan(text: string, from: number): void {
  const n = text.length;
  let i = from;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  let negative = false;
  const sign = i < n ? text.charCodeAt(i) : 0;
  if (sign === 43 || sign === 45) {
    negative = sign === 45;
    i++;
  }
  scan.range = false;
  if (matchWord(text, i, 'inf')) {
    scan.value = negative ? -Infinity : Infinity;
    scan.end = matchWord(text, i, 'infinity') ? i + 8 : i + 3;
    return;
  }
  if (matchWord(text, i, 'nan')) {
    scan.value = NaN;
    let j = i + 3;
    if (j < n && text.charCodeAt(j) === 40 /* ( */) {
      let k = j + 1;
      while (k < n) {
        const c = text.charCodeAt(k);
        if (isDigit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c === 95) k++;
        else break;
      }
      if (k < n && text.charCodeAt(k) === 41 /* ) */) j = k + 1;
    }
    scan.end = j;
    return;
  }
  if (
    i + 1 < n &&
    text.charCodeAt(i) === 48 &&
    (text.charCodeAt(i + 1) | 0x20) === 120 /* x */ &&
    (hexDigit(text.charCodeAt(i + 2)) >= 0 ||
      (text.charCodeAt(i + 2) === 46 && i + 3 < n && hexDigit(text.charCodeAt(i + 3)) >= 0))
  ) {
    let j = i + 2;
    let mantissa = 0n;
    let fraction = 0;
    let dot = false;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      const h = hexDigit(c);
      if (h >= 0) {
        mantissa = mantissa * 16n + BigInt(h);
        if (dot) fraction++;
      } else if (c === 46 && !dot) {
        dot = true;
      } else {
        break;
      }
    }
    let exponent = 0;
    if (j < n && (text.charCodeAt(j) | 0x20) === 112 /* p */) {
      let k = j + 1;
      let expNegative = false;
      if (k < n && (text.charCodeAt(k) === 43 || text.charCodeAt(k) === 45)) {
        expNegative = text.charCodeAt(k) === 45;
        k++;
      }
      if (k < n && isDigit(text.charCodeAt(k))) {
        for (; k < n && isDigit(text.charCodeAt(k)); k++) {
          if (exponent < 100000) exponent = exponent * 10 + (text.charCodeAt(k) - 48);
        }
        if (expNegative) exponent = -exponent;
        j = k;
      }
    }
    const value = hexToDouble(mantissa, exponent - 4 * fraction);
    scan.value = negative ? -value : value;
    scan.end = j;
    scan.range = !Number.isFinite(value) || (value === 0 && mantissa !== 0n);
    return;
  }
  // Decimal: digits [. digits] [e [sign] digits], at least one digit in the mantissa.
  const start = i;
  let digits = 0;
  let nonZero = false;
  let j = i;
  for (; j < n; j++) {
    const c = text.charCodeAt(j);
    if (isDigit(c)) {
      digits++;
      if (c !== 48) nonZero = true;
    } else {
      break;
    }
  }
  if (j < n && text.charCodeAt(j) === 46) {
    j++;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (isDigit(c)) {
        digits++;
        if (c !== 48) nonZero = true;
      } else {
        break;
      }
    }
  }
  if (digits === 0) {
    scan.value = 0;
    scan.end = from;
    return;
  }
  if (j < n && (text.charCodeAt(j) | 0x20) === 101 /* e */) {
    let k = j + 1;
    if (k < n && (text.charCodeAt(k) === 43 || text.charCodeAt(k) === 45)) k++;
    if (k < n && isDigit(text.charCodeAt(k))) {
      while (k < n && isDigit(text.charCodeAt(k))) k++;
      j = k;
    }
  }
  // JavaScript's Number() rounds a decimal literal correctly, as glibc does.
  const value = Number(text.slice(start, j));
  scan.value = negative ? -value : value;
  scan.end = j;
  scan.range = !Number.isFinite(value) || (value === 0 && nonZero);
}

/**
 * `text[start..end)` as a plain decimal integer of up to 15 digits with an optional '-' (exact in a
 * double; "-0" gives -0), or NaN for anything else: the fast path of reading a score.
 */
function plainDecimalIn(text: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (end > start && text.charCodeAt(start) === 45) {
    negative = true;
    i++;
  }
  if (end - i <= 0 || end - i > 15) return NaN;
  let v = 0;
  for (let k = i; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return NaN;
    v = v * 10 + (c - 48);
  }
  return negative ? -v : v;
}

/**
 * A score argument as Redis's getDoubleFromObject reads it (ZADD, ZINCRBY, WEIGHTS): the whole
 * text must be one strtod number, with no leading space, not NaN and not out of range.
 * Returns undefined when Redis would reply "value is not a valid float".
 */
export function parseScore(text: string): number | undefined {
  const n = text.length;
  if (n === 0) return undefined;
  // Fast path: a plain decimal integer of up to 15 digits.
  const plain = plainDecimalIn(text, 0, n);
  if (!Number.isNaN(plain)) return plain;
  if (isSpace(text.charCodeAt(0))) return undefined;
  strtodScan(text, 0);
  if (scan.end !== n || Number.isNaN(scan.value)) return undefined;
  if (scan.range && (!Number.isFinite(scan.value) || scan.value === 0)) return undefined;
  return scan.value;
}

/**
 * parseScore() of the bytes `bytes[start..start+n)` (a request still in the read buffer): a plain
 * decimal integer of up to 15 digits is read from the bytes, anything else through parseScore.
 */
export function parseScoreBytes(bytes: Uint8Array, start: number, n: number): number | undefined {
  let i = 0;
  let negative = false;
  if (n > 0 && bytes[start] === 45) {
    negative = true;
    i = 1;
  }
  if (n - i > 0 && n - i <= 15) {
    let v = 0;
    let k = i;
    for (; k < n; k++) {
      const c = bytes[start + k];
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
    }
    if (k === n) return negative ? (v === 0 ? -0 : -v) : v;
  }
  let text = '';
  for (let k = 0; k < n; k++) text += String.fromCharCode(bytes[start + k]);
  return parseScore(text);
}

/** One end of a score range, as zslParseRange reads it. */
export interface ScoreBound {
  readonly value: number;
  readonly exclusive: boolean;
}

/**
 * One end of ZRANGEBYSCORE's range: an optional "(" for an exclusive end, then strtod's longest
 * prefix, which must end the argument (or stop at a NUL byte, where C's string ends). Leading
 * spaces, "" (zero) and overflow to ±inf are accepted, as in Redis. Undefined when invalid.
 */
export function parseScoreBound(text: string): ScoreBound | undefined {
  const exclusive = text.length > 0 && text.charCodeAt(0) === 40;
  const from = exclusive ? 1 : 0;
  strtodScan(text, from);
  const end = scan.end;
  if (end < text.length && text.charCodeAt(end) !== 0) return undefined;
  if (Number.isNaN(scan.value)) return undefined;
  return { value: scan.value, exclusive };
}

/** A score range (zrangespec). */
export interface ScoreRange {
  readonly min: number;
  readonly max: number;
  readonly minex: boolean;
  readonly maxex: boolean;
}

/** Both ends, or undefined for `ERR min or max is not a float`. */
export function parseScoreRange(min: string, max: string): ScoreRange | undefined {
  const lo = parseScoreBound(min);
  if (lo === undefined) return undefined;
  const hi = parseScoreBound(max);
  if (hi === undefined) return undefined;
  return { min: lo.value, max: hi.value, minex: lo.exclusive, maxex: hi.exclusive };
}

export function scoreGteMin(value: number, range: ScoreRange): boolean {
  return range.minex ? value > range.min : value >= range.min;
}

export function scoreLteMax(value: number, range: ScoreRange): boolean {
  return range.maxex ? value < range.max : value <= range.max;
}

/** True when no score can fall in the range (zslIsInRange's first test). */
export function scoreRangeEmpty(range: ScoreRange): boolean {
  return range.min > range.max || (range.min === range.max && (range.minex || range.maxex));
}

/**
 * A lexicographic range (zlexrangespec). `null` bounds stand for "-" (below every string) and
 * "+" (above every string) — `minInf`/`maxInf` tell which.
 */
export interface LexRange {
  readonly min: string;
  readonly max: string;
  readonly minex: boolean;
  readonly maxex: boolean;
  /** -1: min is "-", 1: min is "+", 0: min is a string. */
  readonly minKind: -1 | 0 | 1;
  readonly maxKind: -1 | 0 | 1;
}

interface LexItem {
  value: string;
  exclusive: boolean;
  kind: -1 | 0 | 1;
}

function parseLexItem(text: string): LexItem | undefined {
  if (text.length === 0) return undefined;
  switch (text.charCodeAt(0)) {
    // "+" and "-" alone; C stops at a NUL, so "+\0…" counts as "+" too.
    case 43:
      return text.length === 1 || text.charCodeAt(1) === 0 ? { value: '', exclusive: true, kind: 1 } : undefined;
    case 45:
      return text.length === 1 || text.charCodeAt(1) === 0 ? { value: '', exclusive: true, kind: -1 } : undefined;
    case 40:
      return { value: text.slice(1), exclusive: true, kind: 0 };
    case 91:
      return { value: text.slice(1), exclusive: false, kind: 0 };
    default:
      return undefined;
  }
}

/** Both ends, or undefined for `ERR min or max not valid string range item`. */
export function parseLexRange(min: string, max: string): LexRange | undefined {
  const lo = parseLexItem(min);
  const hi = parseLexItem(max);
  if (lo === undefined || hi === undefined) return undefined;
  return { min: lo.value, max: hi.value, minex: lo.exclusive, maxex: hi.exclusive, minKind: lo.kind, maxKind: hi.kind };
}

/** sdscmplex: compares a member with a bound that may be "-" or "+". */
function compareLex(value: string, bound: string, kind: -1 | 0 | 1): number {
  if (kind === -1) return 1;
  if (kind === 1) return -1;
  return value < bound ? -1 : value > bound ? 1 : 0;
}

export function lexGteMin(value: string, range: LexRange): boolean {
  const c = compareLex(value, range.min, range.minKind);
  return range.minex ? c > 0 : c >= 0;
}

export function lexLteMax(value: string, range: LexRange): boolean {
  const c = compareLex(value, range.max, range.maxKind);
  return range.maxex ? c < 0 : c <= 0;
}

/** True when no member can fall in the range (zslIsInLexRange's first test). */
export function lexRangeEmpty(range: LexRange): boolean {
  // Compare min with max as sdscmplex does, with the markers as infinities.
  let c: number;
  if (range.minKind !== 0 || range.maxKind !== 0) {
    if (range.minKind === range.maxKind) c = 0;
    else if (range.minKind === -1 || range.maxKind === 1) c = -1;
    else c = 1;
  } else {
    c = range.min < range.max ? -1 : range.min > range.max ? 1 : 0;
  }
  return c > 0 || (c === 0 && (range.minex || range.maxex));
}

// ---- formatting ----------------------------------------------------------------------------------

const LLONG_HALF = 4611686018427387904; // (double)(LLONG_MAX / 2) = 2^62

/**
 * A double as Valkey 8 / Redis 7.2 print it (util.c d2string): "nan", "inf", "-inf", "0"/"-0",
 * integers up to 2^62 in full, otherwise the shortest text that reads back as the same double
 * (fpconv_dtoa's grisu2 layout: plain for moderate exponents, else "d.ddde±x" with no padding).
 *
 * redis-server 7.0 printed "%.17g" instead (0.1 → 0.10000000000000001): a known difference.
 */
export function formatScore(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  if (Number.isInteger(value) && value >= -LLONG_HALF && value <= LLONG_HALF) {
    return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
  }
  const negative = value < 0;
  // toExponential() without digits gives the shortest round-trip digits: "d.ddde±x".
  const text = (negative ? -value : value).toExponential();
  const ePos = text.indexOf('e');
  const digits = text.slice(0, ePos).replace('.', '');
  const ndigits = digits.length;
  const e10 = Number(text.slice(ePos + 1));
  const k = e10 - (ndigits - 1); // value = digits × 10^k
  const exp = Math.abs(k + ndigits - 1);
  let body: string;
  if (k >= 0 && exp < ndigits + 7) {
    body = digits + '0'.repeat(k);
  } else if (k < 0 && (k > -7 || exp < 4)) {
    const offset = ndigits + k;
    body = offset <= 0 ? `0.${'0'.repeat(-offset)}${digits}` : `${digits.slice(0, offset)}.${digits.slice(offset)}`;
  } else {
    const sign = k + ndigits - 1 < 0 ? '-' : '+';
    body = `${digits[0]}${ndigits > 1 ? `.${digits.slice(1)}` : ''}e${sign}${exp}`;
  }
  return negative ? `-${body}` : body;
}

/**
 * A stored score read back from its listpack text (written by formatScore, so always valid).
 * Plain integers are read by hand: most scores are small integers and this is on every compare.
 */
/**
 * readStoredScore() of `text.slice(start, end)` (a score inside a listpack string): an integer is
 * read in place, so walking a listpack's scores makes no string per pair.
 */
export function readStoredScoreIn(text: string, start: number, end: number): number {
  const plain = plainDecimalIn(text, start, end);
  if (!Number.isNaN(plain)) return plain;
  return readStoredScore(text.slice(start, end));
}

export function readStoredScore(text: string): number {
  const n = text.length;
  let i = 0;
  let negative = false;
  if (n > 0 && text.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  if (n - i <= 15) {
    let v = 0;
    let k = i;
    for (; k < n; k++) {
      const c = text.charCodeAt(k);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
    }
    if (k === n && n > i) return negative ? -v : v;
  }
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}
