/**
 * The builtin math functions (::tcl::mathfunc::*), with Tcl 8.6's argument rules: which functions
 * return their argument unchanged, which canonicalise, the 64-bit wrap of int()/wide(), exact
 * rounding, bignum square roots, and the messages for bad arguments.
 */
import { TclObj, Rep, intObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { numericRep } from '../values/number.js';
import type { Interp } from '../engine/interp.js';
import { condBool } from './convert.js';
import { domainError, expectedError, limitBytes, notANumberError, overflowError } from './errors.js';
import { intResult } from './ops.js';
import { libm } from './libm.js';
import { randNext, randSeed } from './rand.js';

/** A builtin function; also the `data` of its ::tcl::mathfunc command, so expr can call it directly. */
export class MathFunc {
  constructor(
    readonly name: string,
    readonly min: number,
    /** -1: no limit. */
    readonly max: number,
    /** Arguments already checked against min/max. */
    readonly fn: (interp: Interp, args: readonly TclObj[]) => TclObj,
  ) {}
}

function def(name: string, min: number, max: number, fn: (interp: Interp, args: readonly TclObj[]) => TclObj): MathFunc {
  return new MathFunc(name, min, max, fn);
}

/** Any number (int, bigint, double); NaN refused. "expected number but got ...". */
function numberArg(o: TclObj): Rep {
  let t = o.t;
  if (t !== Rep.Int && t !== Rep.Double && t !== Rep.Big) {
    t = numericRep(o);
    if (t === Rep.None) throw expectedError('number', o);
  }
  if (t === Rep.Double && o.n !== o.n) throw notANumberError();
  return t;
}

/** A double (integers converted); "expected floating-point number but got ...". */
function doubleArg(o: TclObj, errorCode = 'TCL VALUE NUMBER'): number {
  let t = o.t;
  if (t === Rep.Double) {
    if (o.n !== o.n) throw notANumberError(errorCode === 'NONE' ? 'NONE' : undefined);
    return o.n;
  }
  if (t === Rep.Int) return o.n;
  if (t !== Rep.Big) {
    t = numericRep(o);
    if (t === Rep.None) throw expectedError('floating-point number', o, errorCode);
    return doubleArg(o, errorCode);
  }
  return Number(o.r as bigint);
}

function doubleResult(d: number): TclObj {
  if (d !== d) throw domainError();
  return TclObj.fromDouble(d);
}

function unaryDouble(name: string, f: (x: number) => number): MathFunc {
  return def(name, 1, 1, (_i, a) => doubleResult(f(doubleArg(a[0]))));
}

function binaryDouble(name: string, f: (x: number, y: number) => number): MathFunc {
  return def(name, 2, 2, (_i, a) => {
    const x = doubleArg(a[0]);
    const y = doubleArg(a[1]);
    return doubleResult(f(x, y));
  });
}

/** Truncate a finite double toward zero, as an exact integer. */
function truncToInt(d: number): number | bigint {
  const t = Math.trunc(d);
  if (t <= Number.MAX_SAFE_INTEGER && t >= -Number.MAX_SAFE_INTEGER) return t + 0;
  return BigInt(t);
}

/** int() and wide(): truncate, then wrap to 64 bits two's complement. */
function wide64(o: TclObj): TclObj {
  const t = numberArg(o);
  if (t === Rep.Int) return o.s === null ? o : intObj(o.n);
  let v: number | bigint;
  if (t === Rep.Double) {
    if (!isFinite(o.n)) throw overflowError();
    v = truncToInt(o.n);
    if (typeof v === 'number') return intObj(v);
  } else v = o.r as bigint;
  return TclObj.fromInt(BigInt.asIntN(64, v));
}

function abs(o: TclObj): TclObj {
  const t = numberArg(o);
  if (t === Rep.Int) {
    const v = o.n;
    if (v > 0) return o;
    if (v === 0) {
      // "-0" and the like become a plain 0; other zeros are returned as they are.
      const s = o.s;
      if (s !== null) {
        for (let i = 0; i < s.length && s.charCodeAt(i) !== 48; i++) if (s.charCodeAt(i) === 45) return intObj(0);
      }
      return o;
    }
    return intObj(-v);
  }
  if (t === Rep.Double) {
    const d = o.n;
    if (d > 0 || Object.is(d, 0)) return o;
    return TclObj.fromDouble(Math.abs(d));
  }
  const b = o.r as bigint;
  return b < 0n ? TclObj.fromInt(-b) : o;
}

function entier(o: TclObj): TclObj {
  const t = numberArg(o);
  if (t !== Rep.Double) return o;
  if (!isFinite(o.n)) throw overflowError();
  return intResult(truncToInt(o.n));
}

/** Round half away from zero, on the exact fraction (0.49999999999999994 rounds to 0). */
function round(o: TclObj): TclObj {
  const t = numberArg(o);
  if (t !== Rep.Double) return o;
  const d = o.n;
  if (!isFinite(d)) throw overflowError();
  const i = Math.trunc(d);
  // Exact: the fraction of a double is itself a double.
  const f = d - i;
  const adj = f >= 0.5 ? 1 : f <= -0.5 ? -1 : 0;
  if (i < Number.MAX_SAFE_INTEGER && i > -Number.MAX_SAFE_INTEGER) return intObj(i + adj + 0);
  return TclObj.fromInt(BigInt(i) + BigInt(adj));
}

/** Integer square root, exact for any size (Newton's method on bigints). */
function bigIsqrt(n: bigint): bigint {
  if (n < 2n) return n;
  const approx = Math.sqrt(Number(n));
  let x = approx === Infinity ? 1n << BigInt((n.toString(2).length >> 1) + 1) : BigInt(Math.floor(approx)) + 1n;
  // One step from any positive start lands at or above the root; from there the iteration descends.
  x = (x + n / x) >> 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

function negativeRoot(): TclError {
  return new TclError('square root of negative argument', 'ARITH DOMAIN {domain error: argument not in valid range}');
}

/**
 * isqrt(): Tcl takes the double square root, truncated, of anything up to 2^53 (even where that is
 * one too high, as for 94906265**2-1) and the exact integer root beyond.
 */
function isqrt(o: TclObj): TclObj {
  const t = numberArg(o);
  if (t === Rep.Double) {
    const d = o.n;
    if (d === Infinity) throw overflowError();
    if (d < 0) throw negativeRoot();
    if (d <= 2 ** 53) return intObj(Math.floor(Math.sqrt(d)));
    return intResult(bigIsqrt(BigInt(Math.floor(d))));
  }
  if (t === Rep.Int) {
    if (o.n < 0) throw negativeRoot();
    return intObj(Math.floor(Math.sqrt(o.n)));
  }
  const b = o.r as bigint;
  if (b < 0n) throw negativeRoot();
  return intResult(bigIsqrt(b));
}

/**
 * sqrt() of a bignum too large for a double goes through the integer root, as Tcl does. Unlike the
 * other functions it returns NaN for a negative argument instead of raising: the error, if any, comes
 * from whatever then uses the NaN.
 */
function sqrt(o: TclObj): TclObj {
  const d = doubleArg(o);
  if (d === Infinity && o.t === Rep.Big) return TclObj.fromDouble(Number(bigIsqrt(o.r as bigint)));
  return TclObj.fromDouble(Math.sqrt(d));
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The adjacent double toward +Inf (up) or -Inf, for finite nonzero integers beyond 2^53. */
function nextDouble(d: number, up: boolean): number {
  f64[0] = d;
  u64[0] += (d > 0) === up ? 1n : -1n;
  return f64[0];
}

/**
 * ceil() and floor(): of a double as C does; of a bignum, the nearest double in that direction
 * (Tcl rounds the exact integer, not its nearest double).
 */
function roundToDouble(o: TclObj, up: boolean): TclObj {
  const d = doubleArg(o);
  if (o.t !== Rep.Big) return doubleResult(up ? Math.ceil(d) : Math.floor(d));
  const b = o.r as bigint;
  if (!isFinite(d)) {
    if (d > 0) return TclObj.fromDouble(up ? Infinity : Number.MAX_VALUE);
    return TclObj.fromDouble(up ? -Number.MAX_VALUE : -Infinity);
  }
  const back = BigInt(d);
  if (up && back < b) return TclObj.fromDouble(nextDouble(d, true));
  if (!up && back > b) return TclObj.fromDouble(nextDouble(d, false));
  return TclObj.fromDouble(d);
}

/** max() and min(): the winning argument itself; errors here carry no errorCode. */
function extreme(name: string, wantMax: boolean): MathFunc {
  return def(name, 1, -1, (_i, a) => {
    let best = a[0];
    let bv = numericValue(best);
    for (let k = 1; k < a.length; k++) {
      const v = numericValue(a[k]);
      if (wantMax ? v > bv : v < bv) {
        best = a[k];
        bv = v;
      }
    }
    return best;
  });
}

function numericValue(o: TclObj): number | bigint {
  doubleArg(o, 'NONE');
  return o.t === Rep.Big ? (o.r as bigint) : o.n;
}

/** srand's argument: any integer, of which the low 31 bits seed the generator. */
function seedArg(o: TclObj): number {
  let t = o.t;
  if (t !== Rep.Int && t !== Rep.Big && t !== Rep.Double) t = numericRep(o);
  if (t === Rep.Int) return o.n & 0x7fffffff;
  if (t === Rep.Big) return Number(BigInt.asUintN(31, o.r as bigint));
  const s = limitBytes(o.toString(), 50);
  if (t === Rep.Double) throw new TclError(`expected integer but got "${s}"`, 'TCL VALUE INTEGER');
  throw new TclError(`expected integer but got "${s}"`, 'TCL VALUE NUMBER');
}

const FUNCS: MathFunc[] = [
  def('abs', 1, 1, (_i, a) => abs(a[0])),
  unaryDouble('acos', (x) => libm.acos(x)),
  unaryDouble('asin', (x) => libm.asin(x)),
  unaryDouble('atan', (x) => libm.atan(x)),
  binaryDouble('atan2', (y, x) => libm.atan2(y, x)),
  def('bool', 1, 1, (_i, a) => TclObj.fromBool(condBool(a[0]))),
  def('ceil', 1, 1, (_i, a) => roundToDouble(a[0], true)),
  unaryDouble('cos', (x) => libm.cos(x)),
  unaryDouble('cosh', (x) => libm.cosh(x)),
  def('double', 1, 1, (_i, a) => TclObj.fromDouble(doubleArg(a[0]))),
  def('entier', 1, 1, (_i, a) => entier(a[0])),
  unaryDouble('exp', (x) => libm.exp(x)),
  def('floor', 1, 1, (_i, a) => roundToDouble(a[0], false)),
  binaryDouble('fmod', (x, y) => x % y),
  binaryDouble('hypot', (x, y) => libm.hypot(x, y)),
  def('int', 1, 1, (_i, a) => wide64(a[0])),
  def('isqrt', 1, 1, (_i, a) => isqrt(a[0])),
  unaryDouble('log', (x) => libm.log(x)),
  unaryDouble('log10', (x) => libm.log10(x)),
  extreme('max', true),
  extreme('min', false),
  binaryDouble('pow', (x, y) => libm.pow(x, y)),
  def('rand', 0, 0, (interp) => TclObj.fromDouble(randNext(interp))),
  def('round', 1, 1, (_i, a) => round(a[0])),
  unaryDouble('sin', (x) => libm.sin(x)),
  unaryDouble('sinh', (x) => libm.sinh(x)),
  def('sqrt', 1, 1, (_i, a) => sqrt(a[0])),
  def('srand', 1, 1, (interp, a) => {
    randSeed(interp, seedArg(a[0]));
    return TclObj.fromDouble(randNext(interp));
  }),
  unaryDouble('tan', (x) => libm.tan(x)),
  unaryDouble('tanh', (x) => libm.tanh(x)),
  def('wide', 1, 1, (_i, a) => wide64(a[0])),
];

export const mathFuncs: ReadonlyMap<string, MathFunc> = new Map(FUNCS.map((f) => [f.name, f]));

/** Check the argument count, with Tcl's messages (max/min word theirs differently). */
export function checkArity(f: MathFunc, n: number): void {
  if (n < f.min) {
    if (f.max < 0) throw new TclError(`not enough arguments to math function "${f.name}"`);
    throw new TclError(`not enough arguments for math function "${f.name}"`, 'TCL WRONGARGS');
  }
  if (f.max >= 0 && n > f.max) throw new TclError(`too many arguments for math function "${f.name}"`, 'TCL WRONGARGS');
}

/** Call a builtin with arity checking. */
export function callMathFunc(interp: Interp, f: MathFunc, args: readonly TclObj[]): TclObj {
  checkArity(f, args.length);
  return f.fn(interp, args);
}
