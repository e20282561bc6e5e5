/**
 * C printf's %f %e %g (and %E %G) for doubles, as glibc prints them: the exact binary value rounded
 * to the requested digits with ties to even. JS's toFixed/toExponential round exact ties upwards
 * instead, so ties (values whose exact decimal expansion ends with a 5 just past the last digit
 * kept) are detected and redone from the exact expansion, computed with BigInt.
 */

export interface DoubleSpec {
  conv: number; // 'e' 'E' 'f' 'g' 'G' as char codes
  minus: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  hash: boolean;
  width: number;
  /** -1 when no precision was given (printf's default of 6 applies). */
  precision: number;
}

const F64 = new Float64Array(1);
const LOG10_5 = Math.log10(5);
const U32 = new Uint32Array(F64.buffer);
// Little-endian hosts (all Node targets tclshim supports) keep the high word second.
const HI = 1;
const LO = 0;

/** Results of the last split() call (module scratch: no allocation on the fast paths). */
let splitMant = 0;
let splitExp2 = 0;

/**
 * |x| = splitMant * 2^splitExp2 with splitMant an odd integer below 2^53 (x finite, non-zero),
 * read from the bits with number arithmetic only.
 */
function split(x: number): void {
  F64[0] = x;
  const hi = U32[HI];
  const lo = U32[LO];
  const biased = (hi >>> 20) & 0x7ff;
  let hiMant = hi & 0xfffff;
  let exp2: number;
  if (biased === 0) exp2 = -1074;
  else {
    hiMant += 0x100000;
    exp2 = biased - 1075;
  }
  // Strip trailing zero bits: from the low word when it has any set bit, else from the high word.
  let tz: number;
  if (lo !== 0) tz = 31 - Math.clz32(lo & -lo);
  else tz = 32 + (31 - Math.clz32(hiMant & -hiMant));
  splitMant = (hiMant * 4294967296 + lo) / 2 ** tz;
  splitExp2 = exp2 + tz;
}

/** |x| = mant * 2^exp2 with mant an odd integer (x finite, non-zero), as a bigint. */
function decompose(x: number): { mant: bigint; exp2: number } {
  split(x);
  return { mant: BigInt(splitMant), exp2: splitExp2 };
}

/** Count of fractional binary digits of |x| (0 for integers). */
function fractionBits(x: number): number {
  split(x);
  return splitExp2 < 0 ? -splitExp2 : 0;
}

/**
 * The exact decimal expansion of |x| (finite, non-zero): significant digits without trailing zeros,
 * and the decimal exponent of the first digit (x = d.ddd * 10^exp).
 */
function exactDecimal(x: number): { digits: string; exp: number } {
  const { mant, exp2 } = decompose(x);
  let digits: string;
  let exp: number;
  if (exp2 >= 0) {
    digits = (mant << BigInt(exp2)).toString();
    exp = digits.length - 1;
  } else {
    const k = -exp2;
    digits = (mant * 5n ** BigInt(k)).toString();
    // |x| = digits * 10^-k
    exp = digits.length - 1 - k;
  }
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  return { digits: digits.slice(0, end), exp };
}

/** Round an exact digit string to `keep` digits, ties to even; returns the digits and a carry flag. */
function roundDigits(digits: string, keep: number): { digits: string; carry: boolean } {
  if (keep >= digits.length) return { digits: digits + '0'.repeat(keep - digits.length), carry: false };
  if (keep < 0) return { digits: '', carry: false };
  const next = digits.charCodeAt(keep) - 48;
  let up = false;
  if (next > 5) up = true;
  else if (next === 5) {
    // Anything after the 5 makes it more than half; an exact half rounds to even.
    up = keep + 1 < digits.length || (keep > 0 && (digits.charCodeAt(keep - 1) - 48) % 2 === 1);
  }
  let head = digits.slice(0, keep);
  if (!up) return { digits: head, carry: false };
  const arr = head.split('');
  let i = arr.length - 1;
  while (i >= 0 && arr[i] === '9') {
    arr[i] = '0';
    i--;
  }
  if (i < 0) return { digits: '1' + arr.join(''), carry: true };
  arr[i] = String.fromCharCode(arr[i].charCodeAt(0) + 1);
  head = arr.join('');
  return { digits: head, carry: false };
}

/** `sig` significant digits of |x| and the exponent of the first one (x finite). */
function significant(x: number, sig: number): { digits: string; exp: number } {
  if (x === 0) return { digits: '0'.repeat(sig), exp: 0 };
  if (sig <= 101 && !mayTieSig(x, sig)) {
    const s = Math.abs(x).toExponential(sig - 1);
    const e = s.indexOf('e');
    const mant = s.slice(0, e);
    return { digits: mant.length > 1 ? mant[0] + mant.slice(2) : mant, exp: +s.slice(e + 1) };
  }
  const exact = exactDecimal(x);
  // A first digit is never zero, so "keep" counts from it; a keep of 0 would round 0.dddd.
  const r = roundDigits(exact.digits, sig);
  return { digits: r.carry ? r.digits.slice(0, sig) : r.digits, exp: r.carry ? exact.exp + 1 : exact.exp };
}

/** Could rounding |x| to `sig` significant digits hit an exact tie? */
function mayTieSig(x: number, sig: number): boolean {
  split(x);
  const exp2 = splitExp2;
  if (exp2 >= 0) {
    // An integer: only when its digits (without trailing zeros) number sig + 1, ending in 5.
    const ax = Math.abs(x);
    const d = (ax <= Number.MAX_SAFE_INTEGER ? String(ax) : BigInt(ax).toString()).replace(/0+$/, '');
    return d.length === sig + 1 && d.endsWith('5');
  }
  // |x| = mant * 5^k / 10^k: its significant digits are those of mant * 5^k, the last being 5.
  const k = -exp2;
  const len = Math.floor(Math.log10(splitMant) + k * LOG10_5) + 1;
  return Math.abs(len - (sig + 1)) <= 1;
}

/** |x| with `frac` digits after the point, as an integer digit string (x finite). */
function fixed(x: number, frac: number): string {
  const ax = Math.abs(x);
  if (ax === 0) return '0'.repeat(frac + 1);
  if (frac <= 100 && ax < 1e21 && fractionBits(x) !== frac + 1) {
    return ax.toFixed(frac).replace('.', '');
  }
  const exact = exactDecimal(x);
  // Digits up to and including 10^-frac: the integer part has exp+1 digits.
  const keep = exact.exp + 1 + frac;
  if (keep < 0) return '0'.repeat(frac + 1);
  let r: { digits: string; carry: boolean };
  if (keep === 0) {
    // Everything is below the last kept position: 0 or 1 unit depending on the first digit.
    const first = exact.digits.charCodeAt(0) - 48;
    const up = first > 5 || (first === 5 && exact.digits.length > 1);
    r = { digits: up ? '1' : '0', carry: false };
    const s = r.digits;
    return s.padStart(frac + 1, '0');
  }
  r = roundDigits(exact.digits, keep);
  let s = r.digits;
  if (s.length < frac + 1) s = s.padStart(frac + 1, '0');
  return s;
}

/** %f of |x|: toFixed when it rounds as printf does (no exact tie), the exact path otherwise. */
function fixedBody(x: number, frac: number, hash: boolean): string {
  const ax = Math.abs(x);
  if (ax !== 0 && frac <= 100 && ax < 1e21 && fractionBits(x) !== frac + 1) {
    const s = ax.toFixed(frac);
    return frac === 0 && hash ? s + '.' : s;
  }
  return insertPoint(fixed(x, frac), frac, hash);
}

function insertPoint(intDigits: string, frac: number, hash: boolean): string {
  if (frac === 0) return hash ? intDigits + '.' : intDigits;
  const head = intDigits.slice(0, intDigits.length - frac) || '0';
  return head + '.' + intDigits.slice(intDigits.length - frac);
}

function expSuffix(exp: number, upper: boolean): string {
  const a = Math.abs(exp);
  return (upper ? 'E' : 'e') + (exp < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a));
}

function formatE(x: number, prec: number, hash: boolean, upper: boolean): string {
  const { digits, exp } = significant(x, prec + 1);
  let m = digits[0];
  if (prec > 0) m += '.' + digits.slice(1);
  else if (hash) m += '.';
  return m + expSuffix(x === 0 ? 0 : exp, upper);
}

function formatG(x: number, prec: number, hash: boolean, upper: boolean): string {
  const p = prec === 0 ? 1 : prec;
  const { digits, exp } = significant(x, p);
  const x10 = x === 0 ? 0 : exp;
  let out: string;
  if (x10 < -4 || x10 >= p) {
    let mant = digits;
    if (!hash) mant = mant.replace(/0+$/, '');
    out = mant[0] + (mant.length > 1 ? '.' + mant.slice(1) : hash ? '.' : '') + expSuffix(x10, upper);
  } else {
    const frac = p - 1 - x10;
    let s: string;
    if (x10 >= 0) s = digits.slice(0, x10 + 1) + (frac > 0 ? '.' + digits.slice(x10 + 1) : '');
    else s = '0.' + '0'.repeat(-x10 - 1) + digits;
    if (!hash) {
      if (s.indexOf('.') >= 0) s = s.replace(/0+$/, '').replace(/\.$/, '');
    } else if (s.indexOf('.') < 0) s += '.';
    out = s;
  }
  return out;
}

/** Format a double as C's printf would with this spec. */
export function formatDoublePrintf(x: number, spec: DoubleSpec): string {
  const conv = spec.conv;
  const upper = conv === 69 || conv === 71; // E G
  let body: string;
  let neg = x < 0 || Object.is(x, -0);
  let finite = true;
  if (x !== x) {
    body = upper ? 'NAN' : 'nan';
    neg = false;
    finite = false;
  } else if (x === Infinity || x === -Infinity) {
    body = upper ? 'INF' : 'inf';
    finite = false;
  } else {
    const prec = spec.precision < 0 ? 6 : spec.precision;
    if (conv === 102) body = fixedBody(x, prec, spec.hash);
    else if (conv === 101 || conv === 69) body = formatE(x, prec, spec.hash, upper);
    else body = formatG(x, prec, spec.hash, upper);
  }
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  const len = sign.length + body.length;
  if (spec.width <= len) return sign + body;
  const pad = spec.width - len;
  if (spec.minus) return sign + body + ' '.repeat(pad);
  if (spec.zero && finite) return sign + '0'.repeat(pad) + body;
  return ' '.repeat(pad) + sign + body;
}
