/**
 * Doubles printed exactly as Tcl 8.6 prints them (Tcl_PrintDouble with tcl_precision 0): the shortest
 * digit string that reads back to the same double, in fixed notation when the decimal exponent lies
 * in [-4, 16] (always with a ".0" when integral), otherwise as d.ddde±X.
 */
/** The value of ::tcl_precision (0 = shortest round-trip form, Tcl's default). */
let precision = 0;

export function setTclPrecision(p: number): void {
  precision = p;
}

export function formatDouble(d: number): string {
  if (d !== d) return 'NaN';
  if (precision !== 0) return formatWithPrecision(d, precision);
  if (d === Infinity) return 'Inf';
  if (d === -Infinity) return '-Inf';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  // toExponential() with no argument yields the shortest round-tripping digits.
  const e = powerOfTwoDigits(d) ?? d.toExponential();
  const ePos = e.indexOf('e');
  let mant = e.slice(0, ePos);
  const exp = +e.slice(ePos + 1);
  let sign = '';
  if (mant.charCodeAt(0) === 45) {
    sign = '-';
    mant = mant.slice(1);
  }
  const digits = mant.length > 1 ? mant[0] + mant.slice(2) : mant;
  if (exp < -4 || exp > 16) {
    const frac = digits.length > 1 ? '.' + digits.slice(1) : '';
    return sign + digits[0] + frac + 'e' + (exp < 0 ? '-' : '+') + Math.abs(exp);
  }
  if (exp < 0) return sign + '0.' + '0'.repeat(-exp - 1) + digits;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length) + '.0';
  return sign + digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/**
 * Tcl's shortest-digits search gets the rounding interval of a power of two backwards: the gap to
 * the double below is half the gap above, and Tcl lets a digit string stray below by half the
 * upper gap but above only by half the lower one. So 2**64 prints as 1.844674407370955e+19 (which
 * reads back as the double below) and 2**82 needs 17 digits where 16 would do. For such a double,
 * returns the digits Tcl prints, as toExponential() would write them; null for any other double.
 */
function powerOfTwoDigits(d: number): string | null {
  F64[0] = d;
  const hi = U32[1];
  const biased = (hi >>> 20) & 0x7ff;
  // A zero mantissa; the smallest normal has equal gaps on both sides, like the subnormals.
  if (U32[0] !== 0 || (hi & 0xfffff) !== 0 || biased <= 1 || biased === 0x7ff) return null;
  const k = biased - 1023;
  const exp10 = Math.floor(k * 0.3010299956639812);
  for (let p = 1; p <= 17; p++) {
    const digits = tclDigits(k, exp10 - (p - 1));
    if (digits !== null) return (d < 0 ? '-' : '') + digits;
  }
  return null;
}

/**
 * The p-digit decimal (unit 10^e) nearest 2^k inside Tcl's interval [2^k - 2^(k-53), 2^k + 2^(k-54)],
 * as "d.ddde±x", or null when neither neighbour of 2^k at that unit lies inside.
 */
function tclDigits(k: number, e: number): string | null {
  // Everything scaled by 2^a * 10^b so that it is an integer.
  const a = BigInt(Math.max(0, 54 - k));
  const b = BigInt(Math.max(0, -e));
  const v = 2n ** (BigInt(k) + a) * 10n ** b;
  const below = 2n ** (BigInt(k - 53) + a) * 10n ** b;
  const above = below / 2n;
  const unit = 10n ** (BigInt(e) + b) * 2n ** a;
  const lo = v / unit;
  const loOk = v - lo * unit <= below;
  const hiOk = (lo + 1n) * unit - v <= above;
  let n: bigint;
  if (loOk && hiOk) n = v - lo * unit <= (lo + 1n) * unit - v ? lo : lo + 1n;
  else if (loOk) n = lo;
  else if (hiOk) n = lo + 1n;
  else return null;
  let text = n.toString();
  let exp = e + text.length - 1;
  text = text.replace(/0+$/, '');
  if (text === '') {
    text = '0';
    exp = 0;
  }
  return (text.length > 1 ? text[0] + '.' + text.slice(1) : text) + 'e' + (exp < 0 ? '-' : '+') + Math.abs(exp);
}

/** Tcl_PrintDouble with tcl_precision set: "%.<p>g", plus ".0" when the result looks integral. */
function formatWithPrecision(d: number, p: number): string {
  if (d === Infinity) return 'Inf';
  if (d === -Infinity) return '-Inf';
  let s = d.toPrecision(p);
  let exp = 0;
  const e = s.indexOf('e');
  let mant = s;
  if (e >= 0) {
    mant = s.slice(0, e);
    exp = +s.slice(e + 1);
  } else {
    const m = /^-?(\d+)/.exec(s);
    exp = m !== null && m[1] !== '0' ? m[1].length - 1 : Math.floor(Math.log10(Math.abs(d)));
  }
  // %g drops trailing zeros and uses exponent form when exp < -4 or exp >= precision.
  if (exp < -4 || exp >= p) {
    if (e < 0) {
      const t = d.toExponential(p - 1);
      const k = t.indexOf('e');
      mant = t.slice(0, k);
      exp = +t.slice(k + 1);
    }
    if (mant.indexOf('.') >= 0) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    return mant + 'e' + (exp < 0 ? '-' : '+') + (Math.abs(exp) < 10 ? '0' : '') + Math.abs(exp);
  }
  if (e >= 0) s = d.toFixed(Math.max(0, p - 1 - exp));
  if (s.indexOf('.') >= 0) s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (!/[.eEn]/.test(s)) s += '.0';
  return s;
}
