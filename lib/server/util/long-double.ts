/**
 * The x87 80-bit `long double` that Redis uses for INCRBYFLOAT, emulated exactly with BigInt:
 * a 64-bit significand, round-half-even, subnormals down to 2^-16445, overflow at 2^16384.
 *
 * Why not a JS double: Redis adds in long double and prints with "%.17Lf", so 10.5 + 0.1 prints
 * "10.6" there but "10.59999999999999964" with a double. Only INCRBYFLOAT uses this, so BigInt
 * arithmetic costs nothing that matters.
 *
 * A finite value is sign × m × 2^e with m < 2^64 (m = 0 for zero).
 */

export interface LongDouble {
  readonly negative: boolean;
  /** Significand, < 2^64; 0n for zero. */
  readonly m: bigint;
  /** Binary exponent of the significand's least significant bit. */
  readonly e: number;
  /** Infinity (then m and e are meaningless). */
  readonly infinite: boolean;
}

const SIGNIFICAND_BITS = 64;
const MIN_LSB_EXPONENT = -16445; // smallest subnormal is 2^-16445
const MAX_LSB_EXPONENT = 16384 - SIGNIFICAND_BITS; // largest finite < 2^16384
const TWO_63 = 1n << 63n;
const TWO_64 = 1n << 64n;
/** Longest text Redis's string2ld accepts (MAX_LONG_DOUBLE_CHARS - 1). */
const MAX_TEXT = 5 * 1024 - 1;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

interface Rounded {
  value: LongDouble;
  /** The result is a subnormal or zero that lost precision, or overflowed (strtold's ERANGE). */
  range: boolean;
}

/** Rounds num / den × 2^scale (num >= 0, den > 0) to the nearest long double. */
function round(negative: boolean, num: bigint, den: bigint, scale: number): Rounded {
  if (num === 0n) return { value: { negative, m: 0n, e: 0, infinite: false }, range: false };
  let e = bitLength(num) - bitLength(den) + scale - SIGNIFICAND_BITS;
  if (e < MIN_LSB_EXPONENT) e = MIN_LSB_EXPONENT;
  for (;;) {
    // q = num / den × 2^(scale - e)
    const shift = scale - e;
    let n = num;
    let d = den;
    if (shift >= 0) n = num << BigInt(shift);
    else d = den << BigInt(-shift);
    let q = n / d;
    const r = n - q * d;
    if (q >= TWO_64) {
      e++;
      continue;
    }
    if (q < TWO_63 && e > MIN_LSB_EXPONENT) {
      e--;
      continue;
    }
    const twice = r * 2n;
    const inexact = r !== 0n;
    if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
    if (q === TWO_64) {
      q = TWO_63;
      e++;
    }
    if (e > MAX_LSB_EXPONENT) return { value: { negative, m: 0n, e: 0, infinite: true }, range: true };
    const tiny = q < TWO_63;
    return { value: { negative, m: q, e, infinite: false }, range: tiny && inexact };
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Redis's string2ld: the whole text must be what glibc's strtold accepts (decimal, hex float,
 * inf/infinity), not starting with whitespace, not NaN, and not overflowing or underflowing to
 * zero. Returns undefined when Redis would reply "value is not a valid float".
 */
export function parseLongDouble(text: string): LongDouble | undefined {
  const len = text.length;
  if (len === 0 || len > MAX_TEXT) return undefined;
  let i = 0;
  let negative = false;
  const sign = text.charCodeAt(0);
  if (sign === 43 || sign === 45) {
    negative = sign === 45;
    i = 1;
  }
  const rest = text.slice(i).toLowerCase();
  if (rest === 'inf' || rest === 'infinity') return { negative, m: 0n, e: 0, infinite: true };

  if (rest.length > 2 && rest.charCodeAt(0) === 48 && rest.charCodeAt(1) === 120 /* 0x */) {
    return parseHex(negative, rest.slice(2));
  }

  // Decimal: digits [. digits] [e [sign] digits]
  let digits = '';
  let fractionDigits = 0;
  let sawDigit = false;
  let sawDot = false;
  let j = 0;
  for (; j < rest.length; j++) {
    const c = rest.charCodeAt(j);
    if (isDigit(c)) {
      sawDigit = true;
      digits += rest[j];
      if (sawDot) fractionDigits++;
    } else if (c === 46 /* . */ && !sawDot) {
      sawDot = true;
    } else {
      break;
    }
  }
  if (!sawDigit) return undefined;
  let exponent = 0;
  if (j < rest.length) {
    if (rest.charCodeAt(j) !== 101 /* e */) return undefined;
    j++;
    let expNegative = false;
    if (j < rest.length && (rest.charCodeAt(j) === 43 || rest.charCodeAt(j) === 45)) {
      expNegative = rest.charCodeAt(j) === 45;
      j++;
    }
    if (j >= rest.length) return undefined;
    for (; j < rest.length; j++) {
      const c = rest.charCodeAt(j);
      if (!isDigit(c)) return undefined;
      // Saturate: anything this large overflows or underflows anyway.
      if (exponent < 100000) exponent = exponent * 10 + (c - 48);
    }
    if (expNegative) exponent = -exponent;
  }
  const mantissa = BigInt(digits);
  const e10 = exponent - fractionDigits;
  if (mantissa === 0n) return { negative, m: 0n, e: 0, infinite: false };
  const magnitude = digits.replace(/^0+/, '').length + e10; // value < 10^magnitude
  if (magnitude > 4940) return undefined; // overflow: HUGE_VALL with ERANGE
  if (magnitude < -4960) return undefined; // underflow to zero with ERANGE
  const rounded =
    e10 >= 0 ? round(negative, mantissa * 10n ** BigInt(e10), 1n, 0) : round(negative, mantissa, 10n ** BigInt(-e10), 0);
  return accept(rounded);
}

function parseHex(negative: boolean, body: string): LongDouble | undefined {
  let mantissa = 0n;
  let fractionDigits = 0;
  let sawDigit = false;
  let sawDot = false;
  let j = 0;
  for (; j < body.length; j++) {
    const c = body.charCodeAt(j);
    const h = hexValue(c);
    if (h >= 0) {
      sawDigit = true;
      mantissa = mantissa * 16n + BigInt(h);
      if (sawDot) fractionDigits++;
    } else if (c === 46 && !sawDot) {
      sawDot = true;
    } else {
      break;
    }
  }
  if (!sawDigit) return undefined;
  let exponent = 0;
  if (j < body.length) {
    if (body.charCodeAt(j) !== 112 /* p */) return undefined;
    j++;
    let expNegative = false;
    if (j < body.length && (body.charCodeAt(j) === 43 || body.charCodeAt(j) === 45)) {
      expNegative = body.charCodeAt(j) === 45;
      j++;
    }
    if (j >= body.length) return undefined;
    for (; j < body.length; j++) {
      const c = body.charCodeAt(j);
      if (!isDigit(c)) return undefined;
      if (exponent < 100000) exponent = exponent * 10 + (c - 48);
    }
    if (expNegative) exponent = -exponent;
  }
  if (mantissa === 0n) return { negative, m: 0n, e: 0, infinite: false };
  const e2 = exponent - 4 * fractionDigits;
  const magnitude = bitLength(mantissa) + e2;
  if (magnitude > 16500) return undefined;
  if (magnitude < -16600) return undefined;
  return accept(round(negative, mantissa, 1n, e2));
}

function accept(rounded: Rounded): LongDouble | undefined {
  const v = rounded.value;
  if (rounded.range && (v.infinite || v.m === 0n)) return undefined;
  return v;
}

/** a + b, rounded once, as the FPU does (round to nearest even). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.infinite || b.infinite) {
    if (a.infinite && b.infinite && a.negative !== b.negative) return { negative: false, m: 0n, e: 0, infinite: true };
    return a.infinite ? a : b;
  }
  if (a.m === 0n && b.m === 0n) return { negative: a.negative && b.negative, m: 0n, e: 0, infinite: false };
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const base = Math.min(a.e, b.e);
  const sa = (a.negative ? -a.m : a.m) << BigInt(a.e - base);
  const sb = (b.negative ? -b.m : b.m) << BigInt(b.e - base);
  const sum = sa + sb;
  if (sum === 0n) return { negative: false, m: 0n, e: 0, infinite: false };
  return round(sum < 0n, sum < 0n ? -sum : sum, 1n, base).value;
}

/** True for ±infinity; NaN cannot be produced from parseable inputs except inf + -inf. */
export function isFiniteLongDouble(v: LongDouble): boolean {
  return !v.infinite;
}

/**
 * Redis's ld2string in LD_STR_HUMAN mode: "%.17Lf", then trailing zeros after the point and a
 * bare point removed, and "-0" written "0".
 */
export function formatLongDouble(v: LongDouble): string {
  if (v.infinite) return v.negative ? '-inf' : 'inf';
  const scaled = v.m * 10n ** 17n;
  let q: bigint;
  if (v.e >= 0) {
    q = scaled << BigInt(v.e);
  } else {
    const shift = BigInt(-v.e);
    q = scaled >> shift;
    const r = scaled - (q << shift);
    const half = 1n << (shift - 1n);
    if (r > half || (r === half && (q & 1n) === 1n)) q++;
  }
  const digits = q.toString().padStart(18, '0');
  const whole = digits.slice(0, digits.length - 17);
  const fraction = digits.slice(digits.length - 17).replace(/0+$/, '');
  let text = fraction.length > 0 ? `${whole}.${fraction}` : whole;
  if (v.negative) text = `-${text}`;
  return text === '-0' ? '0' : text;
}
