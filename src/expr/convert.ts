/**
 * Conversions of operand values: numeric classification for operators, the two boolean readings
 * (a condition, and the `!` operator), and the canonical form an expression's result takes.
 */
import { TclObj, Rep, intObj } from '../values/obj.js';
import { numericRep } from '../values/number.js';
import { booleanWord } from './lexer.js';
import { domainError, expectedError, notANumberError, operandError } from './errors.js';

/** Numeric rep of an operand of `op`; non-numbers and NaN raise Tcl's operand error. */
export function numOperand(o: TclObj, op: string): Rep {
  let t = o.t;
  if (t !== Rep.Int && t !== Rep.Double && t !== Rep.Big) {
    t = numericRep(o);
    if (t === Rep.None) throw operandError(op, o);
  }
  if (t === Rep.Double && o.n !== o.n) throw operandError(op, o);
  return t;
}

/** Numeric rep, or Rep.None for a non-number (comparisons fall back to strings). NaN allowed. */
export function numKind(o: TclObj): Rep {
  const t = o.t;
  if (t === Rep.Int || t === Rep.Double || t === Rep.Big) return t;
  return numericRep(o);
}

/** A boolean word value cached on a plain string. */
function wordBool(o: TclObj): number {
  const b = booleanWord(o.toString());
  if (b >= 0 && o.t === Rep.None) {
    o.t = Rep.Bool;
    o.n = b;
  }
  return b;
}

/** A value read as a condition (if/while/for, ?:, && and ||): Tcl_GetBooleanFromObj. */
export function condBool(o: TclObj): boolean {
  const t = o.t;
  if (t === Rep.Int || t === Rep.Bool) return o.n !== 0;
  if (t === Rep.Double) {
    if (o.n !== o.n) throw notANumberError();
    return o.n !== 0;
  }
  if (t === Rep.Big) return true;
  return condBoolSlow(o);
}

function condBoolSlow(o: TclObj): boolean {
  const r = numericRep(o);
  if (r !== Rep.None) return condBool(o);
  const b = wordBool(o);
  if (b < 0) throw expectedError('boolean value', o);
  return b === 1;
}

/** The `!` operator on a value: numbers and boolean words; anything else is an operand error. */
export function notValue(o: TclObj): boolean {
  const t = o.t;
  if (t === Rep.Int || t === Rep.Bool) return o.n === 0;
  if (t === Rep.Double) {
    if (o.n !== o.n) throw operandError('!', o);
    return o.n === 0;
  }
  if (t === Rep.Big) return false;
  const r = numericRep(o);
  if (r !== Rep.None) return notValue(o);
  const b = wordBool(o);
  if (b < 0) throw operandError('!', o);
  return b === 0;
}

/** The string of an integer in Tcl's canonical form: no sign but '-', no leading zeros, no spaces. */
function isCanonicalInt(s: string): boolean {
  const n = s.length;
  let i = 0;
  if (n > 0 && s.charCodeAt(0) === 45) i = 1;
  if (i >= n) return false;
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The result of an expression whose value came straight from an operand: numeric strings take
 * their canonical form ("0x10" gives 16), NaN is an error, anything else is returned as is.
 */
export function canonicalResult(o: TclObj): TclObj {
  let t = o.t;
  if (t !== Rep.Int && t !== Rep.Double && t !== Rep.Big) {
    t = numericRep(o);
    if (t === Rep.None) return o;
  }
  const s = o.s;
  if (t === Rep.Int) {
    if (s === null || isCanonicalInt(s)) return o;
    return intObj(o.n);
  }
  if (t === Rep.Double) {
    if (o.n !== o.n) throw domainError();
    return s === null ? o : TclObj.fromDouble(o.n);
  }
  return s === null ? o : TclObj.fromInt(o.r as bigint);
}
