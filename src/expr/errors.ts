/**
 * The run-time errors of expressions, worded as Tcl 8.6 words them. Tcl measures and cuts quoted
 * values in bytes of its internal UTF-8 (NUL is two bytes, each UTF-16 surrogate three), so the
 * helpers here count the same way.
 */
import { TclObj, Rep } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { numericRep, isTclSpace } from '../values/number.js';

/** Bytes one UTF-16 code unit takes in Tcl 8.6's internal encoding. */
function unitBytes(c: number): number {
  if (c === 0) return 2;
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  return 3;
}

/** Tcl byte length of s[from, to). */
export function tclByteLength(s: string, from = 0, to = s.length): number {
  let n = 0;
  for (let i = from; i < to; i++) n += unitBytes(s.charCodeAt(i));
  return n;
}

/** Index reached by advancing whole characters from `from` while the bytes stay within `limit`. */
export function advanceBytes(s: string, from: number, limit: number): number {
  let n = 0;
  let i = from;
  while (i < s.length) {
    const b = unitBytes(s.charCodeAt(i));
    if (n + b > limit) break;
    n += b;
    i++;
  }
  return i;
}

/** Index reached by stepping back whole characters from `to` while the bytes stay within `limit`. */
export function retreatBytes(s: string, to: number, limit: number): number {
  let n = 0;
  let i = to;
  while (i > 0) {
    const b = unitBytes(s.charCodeAt(i - 1));
    if (n + b > limit) break;
    n += b;
    i--;
  }
  return i;
}

/** The longest whole-character prefix of s within `limit` bytes (Tcl_AppendLimitedToObj). */
export function limitBytes(s: string, limit: number): string {
  if (s.length <= limit && tclByteLength(s) <= limit) return s;
  return s.slice(0, advanceBytes(s, 0, limit));
}

/**
 * TclParseNumber's "(looks like invalid octal number)" hint: the scan stopped inside a leading-zero
 * integer that contains an 8 or a 9.
 */
export function looksLikeBadOctal(s: string): boolean {
  let i = 0;
  const n = s.length;
  while (i < n && isTclSpace(s.charCodeAt(i))) i++;
  if (i < n && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
  if (i >= n || s.charCodeAt(i) !== 48) return false;
  i++;
  let bad = false;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 56 || c === 57) bad = true;
    else if (c < 48 || c > 57) break;
    i++;
  }
  if (!bad) return false;
  if (i < n) {
    const c = s.charCodeAt(i);
    // A fraction or exponent turns the digits into a decimal double.
    if (c === 46 || (c | 32) === 101) return false;
  }
  return true;
}

/** TclCheckBadOctal: a leading-zero integer (0o allowed) with junk digits, and nothing after it. */
export function isBadOctalOperand(s: string): boolean {
  let i = 0;
  const n = s.length;
  while (i < n && isTclSpace(s.charCodeAt(i))) i++;
  if (i < n && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
  if (i >= n || s.charCodeAt(i) !== 48) return false;
  i++;
  if (i < n && (s.charCodeAt(i) | 32) === 111) i++;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  while (i < n && isTclSpace(s.charCodeAt(i))) i++;
  return i === n;
}

/** 'expected <what> but got "<value>"', with Tcl's 50-byte cut and octal hint. */
export function expectedError(what: string, o: TclObj, errorCode = 'TCL VALUE NUMBER'): TclError {
  const s = o.toString();
  let msg = `expected ${what} but got "${limitBytes(s, 50)}"`;
  if (looksLikeBadOctal(s)) msg += ' (looks like invalid octal number)';
  return new TclError(msg, errorCode);
}

export function notANumberError(errorCode = 'TCL VALUE DOUBLE NAN'): TclError {
  return new TclError('floating point value is Not a Number', errorCode);
}

/** "can't use <what> as operand of "<op>"" for a value an operator cannot take. */
export function operandError(op: string, o: TclObj): TclError {
  let what: string;
  const r = numericRep(o);
  if (r === Rep.None) {
    const s = o.toString();
    if (s.length === 0) what = 'empty string';
    else if (isBadOctalOperand(s)) what = 'invalid octal number';
    else what = 'non-numeric string';
  } else if (r === Rep.Double) {
    what = o.n !== o.n ? 'non-numeric floating-point value' : 'floating-point value';
  } else {
    what = '(big) integer';
  }
  return new TclError(`can't use ${what} as operand of "${op}"`, `ARITH DOMAIN {${what}}`);
}

export function divideByZero(): TclError {
  return new TclError('divide by zero', 'ARITH DIVZERO {divide by zero}');
}

export function domainError(): TclError {
  return new TclError('domain error: argument not in valid range', 'ARITH DOMAIN {domain error: argument not in valid range}');
}

export function overflowError(): TclError {
  return new TclError('integer value too large to represent', 'ARITH IOVERFLOW {integer value too large to represent}');
}

/** Shift and exponent limits: Tcl reports these with no errorCode. */
export function tooLargeShift(): TclError {
  return new TclError('integer value too large to represent');
}

export function negativeShift(): TclError {
  return new TclError('negative shift argument');
}

export function exponentTooLarge(): TclError {
  return new TclError('exponent too large');
}

export function zeroToNegative(): TclError {
  return new TclError('exponentiation of zero by negative power', 'ARITH DOMAIN {exponentiation of zero by negative power}');
}
