/**
 * Doubles printed exactly as Tcl 8.6 prints them (Tcl_PrintDouble with tcl_precision 0): the shortest
 * digit string that reads back to the same double, in fixed notation when the decimal exponent lies
 * in [-4, 16] (always with a ".0" when integral), otherwise as d.ddde±X.
 */
export function formatDouble(d: number): string {
  if (d !== d) return 'NaN';
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
