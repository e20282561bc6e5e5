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
  const e = d.toExponential();
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
