/**
 * The operators' general cases, for any mix of operand representations. Integers are exact: JS
 * numbers inside ±(2^53-1), bigints beyond, so results never lose precision and overflow simply
 * moves to bigint. Integer division floors and the remainder takes the divisor's sign (Tcl's rules).
 * The compiled closures test the common int/int case inline and call here for everything else.
 */
import { TclObj, Rep, intObj } from '../values/obj.js';
import { getList } from '../values/list.js';
import { T } from './lexer.js';
import { numKind, numOperand } from './convert.js';
import { libm } from './libm.js';
import {
  divideByZero, domainError, exponentTooLarge, negativeShift, operandError, tooLargeShift, zeroToNegative,
} from './errors.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const INT_MAX = 2147483647;

/** The operator's spelling in messages. */
export function opName(op: T): string {
  switch (op) {
    case T.Plus: return '+';
    case T.Minus: return '-';
    case T.Mult: return '*';
    case T.Div: return '/';
    case T.Mod: return '%';
    case T.Expon: return '**';
    case T.LShift: return '<<';
    case T.RShift: return '>>';
    case T.BitAnd: return '&';
    case T.BitOr: return '|';
    case T.BitXor: return '^';
    case T.BitNot: return '~';
    case T.Not: return '!';
    default: return '?';
  }
}

export function intResult(v: number | bigint): TclObj {
  if (typeof v === 'number') return intObj(v);
  return TclObj.fromInt(v);
}

function toDouble(o: TclObj, t: Rep): number {
  return t === Rep.Big ? Number(o.r as bigint) : o.n;
}

function toBig(o: TclObj, t: Rep): bigint {
  return t === Rep.Big ? (o.r as bigint) : BigInt(o.n);
}

function doubleResult(d: number): TclObj {
  if (d !== d) throw domainError();
  return TclObj.fromDouble(d);
}


/** Floor division and modulo of bigints. */
function bigDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  if ((a % b !== 0n) && ((a < 0n) !== (b < 0n))) return q - 1n;
  return q;
}

function bigMod(a: bigint, b: bigint): bigint {
  const r = a % b;
  if (r !== 0n && ((r < 0n) !== (b < 0n))) return r + b;
  return r;
}

/** + - * / % ** on any numeric operands. */
export function arith(op: T, a: TclObj, b: TclObj): TclObj {
  const name = opName(op);
  if (op === T.Mod) {
    // Each operand is checked in full (number, then integer) before the next one.
    const ma = intOperand(a, name);
    const mb = intOperand(b, name);
    if (ma === Rep.Int && mb === Rep.Int) return intArith(op, a.n, b.n);
    return bigArith(op, toBig(a, ma), toBig(b, mb));
  }
  const ta = numOperand(a, name);
  const tb = numOperand(b, name);
  if (ta === Rep.Double || tb === Rep.Double) {
    const x = toDouble(a, ta);
    const y = toDouble(b, tb);
    switch (op) {
      case T.Plus: return doubleResult(x + y);
      case T.Minus: return doubleResult(x - y);
      case T.Mult: return doubleResult(x * y);
      case T.Div: return doubleResult(x / y);
      default:
        if (x === 0 && y < 0) throw zeroToNegative();
        return doubleResult(libm.pow(x, y));
    }
  }
  // An integer to the first power is that very value, string and all (Tcl's shortcut).
  if (op === T.Expon && tb === Rep.Int && b.n === 1) return a;
  if (ta === Rep.Int && tb === Rep.Int) return intArith(op, a.n, b.n);
  return bigArith(op, toBig(a, ta), toBig(b, tb));
}

/** Integer arithmetic on safe-range operands, moving to bigint when the result leaves the range. */
export function intArith(op: T, x: number, y: number): TclObj {
  switch (op) {
    case T.Plus: {
      const r = x + y;
      if (r <= MAX_SAFE && r >= -MAX_SAFE) return intObj(r);
      return TclObj.fromInt(BigInt(x) + BigInt(y));
    }
    case T.Minus: {
      const r = x - y;
      if (r <= MAX_SAFE && r >= -MAX_SAFE) return intObj(r);
      return TclObj.fromInt(BigInt(x) - BigInt(y));
    }
    case T.Mult: {
      const r = x * y;
      if (r <= MAX_SAFE && r >= -MAX_SAFE) return intObj(r === 0 ? 0 : r);
      return TclObj.fromInt(BigInt(x) * BigInt(y));
    }
    case T.Div:
      if (y === 0) throw divideByZero();
      // Exact: the rounding of x/y cannot cross an integer while |x| < 2^53.
      return intObj(Math.floor(x / y) + 0);
    case T.Mod: {
      if (y === 0) throw divideByZero();
      let r = x % y;
      if (r !== 0 && (r < 0) !== (y < 0)) r += y;
      return intObj(r + 0);
    }
    default:
      return intPow(x, y);
  }
}

function bigArith(op: T, x: bigint, y: bigint): TclObj {
  switch (op) {
    case T.Plus: return TclObj.fromInt(x + y);
    case T.Minus: return TclObj.fromInt(x - y);
    case T.Mult: return TclObj.fromInt(x * y);
    case T.Div:
      if (y === 0n) throw divideByZero();
      return TclObj.fromInt(bigDiv(x, y));
    case T.Mod:
      if (y === 0n) throw divideByZero();
      return TclObj.fromInt(bigMod(x, y));
    default:
      return bigPow(x, y);
  }
}

/** Integer power with small operands: square-and-multiply in doubles while exact. */
function intPow(x: number, y: number): TclObj {
  if (y < 0 || x === 0 || x === 1 || x === -1 || y === 0) return bigPow(BigInt(x), BigInt(y));
  let result = 1;
  let base = x;
  let e = y;
  for (;;) {
    if (e & 1) {
      result *= base;
      if (result > MAX_SAFE || result < -MAX_SAFE) return bigPow(BigInt(x), BigInt(y));
    }
    e = Math.floor(e / 2);
    if (e === 0) return intObj(result);
    base *= base;
    if (base > MAX_SAFE) return bigPow(BigInt(x), BigInt(y));
  }
}

function bigPow(x: bigint, y: bigint): TclObj {
  if (y < 0n) {
    if (x === 0n) throw zeroToNegative();
    if (x === 1n) return intObj(1);
    if (x === -1n) return intObj(y % 2n === 0n ? 1 : -1);
    return intObj(0);
  }
  if (y === 0n || x === 1n) return intObj(1);
  if (x === 0n) return intObj(0);
  if (x === -1n) return intObj(y % 2n === 0n ? 1 : -1);
  if (y > BigInt(INT_MAX)) throw exponentTooLarge();
  try {
    return TclObj.fromInt(x ** y);
  } catch (e) {
    // Beyond what a bigint can hold (about 2^30 bits); Tcl would exhaust memory here instead.
    if (e instanceof RangeError) throw exponentTooLarge();
    throw e;
  }
}

/** Integer operand of a bit or shift operator: doubles are refused. */
function intOperand(o: TclObj, name: string): Rep {
  const t = numOperand(o, name);
  if (t === Rep.Double) throw operandError(name, o);
  return t;
}

/** << >> & | ^ on integer operands. */
export function bitwise(op: T, a: TclObj, b: TclObj): TclObj {
  const name = opName(op);
  const ta = intOperand(a, name);
  const tb = intOperand(b, name);
  if (op === T.LShift || op === T.RShift) return shift(op, a, ta, b, tb);
  if (ta === Rep.Int && tb === Rep.Int) {
    const x = a.n;
    const y = b.n;
    if ((x | 0) === x && (y | 0) === y) {
      return intObj(op === T.BitAnd ? x & y : op === T.BitOr ? x | y : x ^ y);
    }
  }
  const x = toBig(a, ta);
  const y = toBig(b, tb);
  return TclObj.fromInt(op === T.BitAnd ? x & y : op === T.BitOr ? x | y : x ^ y);
}

function shift(op: T, a: TclObj, ta: Rep, b: TclObj, tb: Rep): TclObj {
  const negative = tb === Rep.Big ? (b.r as bigint) < 0n : b.n < 0;
  if (negative) throw negativeShift();
  const huge = tb === Rep.Big || b.n > INT_MAX;
  const zero = ta === Rep.Int && a.n === 0;
  if (op === T.LShift) {
    if (zero) return intObj(0);
    if (huge) throw tooLargeShift();
    const s = b.n;
    if (ta === Rep.Int && s < 53) {
      const r = a.n * 2 ** s;
      if (r <= MAX_SAFE && r >= -MAX_SAFE) return intObj(r);
    }
    try {
      return TclObj.fromInt(toBig(a, ta) << BigInt(s));
    } catch (e) {
      if (e instanceof RangeError) throw tooLargeShift();
      throw e;
    }
  }
  const neg = ta === Rep.Big ? (a.r as bigint) < 0n : a.n < 0;
  if (huge) return intObj(neg ? -1 : 0);
  const s = b.n;
  if (ta === Rep.Int) {
    if (s >= 53) return intObj(neg ? -1 : 0);
    return intObj(Math.floor(a.n / 2 ** s) + 0);
  }
  return TclObj.fromInt((a.r as bigint) >> BigInt(s));
}

/** Unary minus. */
export function negate(a: TclObj): TclObj {
  const t = numOperand(a, '-');
  if (t === Rep.Int) return intObj(0 - a.n);
  if (t === Rep.Double) return TclObj.fromDouble(-a.n);
  return TclObj.fromInt(-(a.r as bigint));
}

/** Unary plus: the number in canonical form. */
export function plus(a: TclObj): TclObj {
  const t = numOperand(a, '+');
  if (a.s === null) return a;
  if (t === Rep.Int) return intObj(a.n);
  if (t === Rep.Double) return TclObj.fromDouble(a.n);
  return TclObj.fromInt(a.r as bigint);
}

/** Bitwise not. */
export function bitNot(a: TclObj): TclObj {
  const t = intOperand(a, '~');
  if (t === Rep.Int) {
    const x = a.n;
    if ((x | 0) === x) return intObj(~x);
    return TclObj.fromIntNumber(-x - 1);
  }
  return TclObj.fromInt(~(a.r as bigint));
}

/**
 * Relational and equality operators (< > <= >= == !=): numeric when both operands are numbers
 * (exact across int, bigint and double; NaN compares unequal), string order otherwise.
 */
export function compare(op: T, a: TclObj, b: TclObj): boolean {
  const ta = numKind(a);
  const tb = ta === Rep.None ? Rep.None : numKind(b);
  if (tb === Rep.None) return compareStrings(op, a.toString(), b.toString());
  // JS compares bigints with numbers by exact value, so mixed representations need no conversion.
  const x: number | bigint = ta === Rep.Big ? (a.r as bigint) : a.n;
  const y: number | bigint = tb === Rep.Big ? (b.r as bigint) : b.n;
  switch (op) {
    case T.Lt: return x < y;
    case T.Gt: return x > y;
    case T.Le: return x <= y;
    case T.Ge: return x >= y;
    // eslint-disable-next-line eqeqeq
    case T.Eq: return x == y;
    // eslint-disable-next-line eqeqeq
    default: return x != y;
  }
}

/** Tcl compares strings by code unit of its internal UTF-8, which orders like UTF-16 code units. */
export function compareStrings(op: T, x: string, y: string): boolean {
  switch (op) {
    case T.Lt: return x < y;
    case T.Gt: return x > y;
    case T.Le: return x <= y;
    case T.Ge: return x >= y;
    case T.Eq: return x === y;
    default: return x !== y;
  }
}

/** `in` / `ni`: list membership by string equality. */
export function inList(a: TclObj, list: TclObj): boolean {
  const items = getList(list);
  const s = a.toString();
  for (let i = 0; i < items.length; i++) if (items[i].toString() === s) return true;
  return false;
}

/** Any binary operator except the lazy ones. */
export function binary(op: T, a: TclObj, b: TclObj): TclObj {
  switch (op) {
    case T.Plus: case T.Minus: case T.Mult: case T.Div: case T.Mod: case T.Expon:
      return arith(op, a, b);
    case T.LShift: case T.RShift: case T.BitAnd: case T.BitOr: case T.BitXor:
      return bitwise(op, a, b);
    case T.Lt: case T.Gt: case T.Le: case T.Ge: case T.Eq: case T.Ne:
      return TclObj.fromBool(compare(op, a, b));
    case T.StrEq:
      return TclObj.fromBool(a.toString() === b.toString());
    case T.StrNe:
      return TclObj.fromBool(a.toString() !== b.toString());
    case T.In:
      return TclObj.fromBool(inList(a, b));
    default:
      return TclObj.fromBool(!inList(a, b));
  }
}
