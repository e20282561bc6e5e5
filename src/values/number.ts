/**
 * Tcl 8.6 number syntax and the conversions commands need. Integers are arbitrary precision: a JS
 * number while within ±(2^53-1), a bigint beyond. A leading 0 means octal (8.6), 0x/0o/0b prefixes,
 * surrounding whitespace allowed; doubles include Inf/Infinity/NaN in any case.
 */
import { TclObj, Rep } from './obj.js';
import { TclError } from './error.js';

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/** Results of the last parseNumber call (module scratch: avoids allocating a result object). */
export let parsedInt = 0;
export let parsedBig: bigint = 0n;
export let parsedDouble = 0;
/** Set when the last failed parse looked like an octal number with 8 or 9 in it. */
export let parsedBadOctal = false;

/** TclIsSpaceProc: the ASCII white space Tcl skips around numbers and list elements. */
export function isTclSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return 99;
}

function setInteger(digits: string, radix: number, neg: boolean): Rep {
  if (radix === 10 && digits.length <= 15) {
    const v = +digits;
    parsedInt = neg ? -v : v;
    return Rep.Int;
  }
  let big: bigint;
  if (radix === 10) big = BigInt(digits);
  else if (radix === 16) big = BigInt('0x' + digits);
  else if (radix === 8) big = BigInt('0o' + digits);
  else big = BigInt('0b' + digits);
  if (neg) big = -big;
  if (big >= -MAX_SAFE_BIG && big <= MAX_SAFE_BIG) {
    parsedInt = Number(big);
    return Rep.Int;
  }
  parsedBig = big;
  return Rep.Big;
}

const SPECIAL_RE = /^(inf|infinity|nan)$/i;
const DECIMAL_RE = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Parse a Tcl number. Returns Rep.Int (parsedInt), Rep.Big (parsedBig), Rep.Double (parsedDouble)
 * or Rep.None when `s` is not a number.
 */
export function parseNumber(s: string): Rep {
  parsedBadOctal = false;
  let i = 0;
  let end = s.length;
  // Fast path: a plain non-negative decimal integer of modest length.
  if (end > 0 && end <= 15) {
    let c = s.charCodeAt(0);
    if (c >= 49 && c <= 57) {
      let v = c - 48;
      let j = 1;
      for (; j < end; j++) {
        c = s.charCodeAt(j);
        if (c < 48 || c > 57) break;
        v = v * 10 + (c - 48);
      }
      if (j === end) {
        parsedInt = v;
        return Rep.Int;
      }
    } else if (c === 48 && end === 1) {
      parsedInt = 0;
      return Rep.Int;
    }
  }
  while (i < end && isTclSpace(s.charCodeAt(i))) i++;
  while (end > i && isTclSpace(s.charCodeAt(end - 1))) end--;
  if (i === end) return Rep.None;
  let neg = false;
  let c = s.charCodeAt(i);
  if (c === 45 || c === 43) {
    neg = c === 45;
    i++;
    if (i === end) return Rep.None;
    c = s.charCodeAt(i);
  }
  if (c === 48 && i + 1 < end) {
    const p = s.charCodeAt(i + 1) | 32;
    let radix = 0;
    if (p === 120) radix = 16; // x
    else if (p === 111) radix = 8; // o
    else if (p === 98) radix = 2; // b
    if (radix !== 0) {
      const digits = s.slice(i + 2, end);
      if (digits.length === 0) return Rep.None;
      for (let k = 0; k < digits.length; k++) if (digitValue(digits.charCodeAt(k)) >= radix) return Rep.None;
      return setInteger(digits, radix, neg);
    }
  }
  const body = end - i === s.length ? s : s.slice(i, end);
  if (c >= 48 && c <= 57) {
    // Integer digits only?
    let k = 0;
    const n = body.length;
    while (k < n) {
      const d = body.charCodeAt(k);
      if (d < 48 || d > 57) break;
      k++;
    }
    if (k === n) {
      if (c === 48 && n > 1) {
        for (let q = 1; q < n; q++) {
          if (body.charCodeAt(q) > 55) {
            parsedBadOctal = true;
            return Rep.None;
          }
        }
        return setInteger(body.slice(1), 8, neg);
      }
      return setInteger(body, 10, neg);
    }
  }
  if (DECIMAL_RE.test(body)) {
    const d = +body;
    parsedDouble = neg ? -d : d;
    return Rep.Double;
  }
  if (SPECIAL_RE.test(body)) {
    const low = body.charCodeAt(0) | 32;
    parsedDouble = low === 110 ? NaN : neg ? -Infinity : Infinity;
    return Rep.Double;
  }
  return Rep.None;
}

/**
 * Give `o` a numeric internal face if its string is a number. Returns the Rep (Int, Big, Double) or
 * Rep.None. Already-numeric values return at once.
 */
export function numericRep(o: TclObj): Rep {
  const t = o.t;
  if (t === Rep.Int || t === Rep.Double || t === Rep.Big) return t;
  if (t === Rep.Bool) {
    // A boolean word is not a number; a boolean made from a number string re-parses below.
  }
  const s = o.toString();
  const r = parseNumber(s);
  if (r === Rep.None) return r;
  if (t === Rep.List || t === Rep.Dict || t === Rep.None || t === Rep.Bool) {
    o.t = r;
    if (r === Rep.Int) o.n = parsedInt;
    else if (r === Rep.Double) o.n = parsedDouble;
    else o.r = parsedBig;
  }
  return r;
}

function notInteger(o: TclObj): never {
  throw new TclError(`expected integer but got "${o.toString()}"`, 'TCL VALUE INTEGER');
}

/** Integer value (number when safe, bigint beyond). */
export function getInt(o: TclObj): number | bigint {
  const t = o.t === Rep.Int ? Rep.Int : numericRep(o);
  if (t === Rep.Int) return o.n;
  if (t === Rep.Big) return o.r as bigint;
  return notInteger(o);
}

/** Integer value that must fit in a JS number's safe range (sizes, counts, indices). */
export function getSafeInt(o: TclObj): number {
  const t = o.t === Rep.Int ? Rep.Int : numericRep(o);
  if (t === Rep.Int) return o.n;
  if (t === Rep.Big) throw new TclError('integer value too large to represent', 'ARITH IOVERFLOW {integer value too large to represent}');
  return notInteger(o);
}

/** Tcl_GetIntFromObj: accepts what fits in 32 bits (signed, or unsigned and wrapped). */
export function getInt32(o: TclObj): number {
  const t = o.t === Rep.Int ? Rep.Int : numericRep(o);
  if (t === Rep.Int) {
    const v = o.n;
    if (v >= -2147483648 && v <= 2147483647) return v;
    if (v > -4294967296 && v <= 4294967295) return v | 0;
  }
  if (t === Rep.Int || t === Rep.Big) {
    throw new TclError('integer value too large to represent', 'ARITH IOVERFLOW {integer value too large to represent}');
  }
  return notInteger(o);
}

/** Tcl_GetWideIntFromObj: 64-bit range. */
export function getWide(o: TclObj): number | bigint {
  const v = getInt(o);
  if (typeof v === 'bigint' && (v > 0xffffffffffffffffn || v < -0x8000000000000000n)) {
    throw new TclError('integer value too large to represent', 'ARITH IOVERFLOW {integer value too large to represent}');
  }
  if (typeof v === 'bigint' && v > 0x7fffffffffffffffn) return BigInt.asIntN(64, v);
  return v;
}

export function getDouble(o: TclObj): number {
  const t = o.t === Rep.Double ? Rep.Double : numericRep(o);
  if (t === Rep.Double || t === Rep.Int) return o.n;
  if (t === Rep.Big) return Number(o.r as bigint);
  throw new TclError(`expected floating-point number but got "${o.toString()}"`, 'TCL VALUE NUMBER');
}

const BOOL_WORDS: ReadonlyArray<[string, boolean, number]> = [
  ['true', true, 1], ['false', false, 1], ['yes', true, 1], ['no', false, 1],
  ['on', true, 2], ['off', false, 2],
];

/** Boolean word or number -> boolean, or undefined when neither. */
export function parseBoolean(o: TclObj): boolean | undefined {
  const t = o.t;
  if (t === Rep.Int || t === Rep.Double || t === Rep.Bool) return o.n !== 0;
  if (t === Rep.Big) return (o.r as bigint) !== 0n;
  const s = o.toString();
  const n = s.length;
  if (n === 1) {
    const c = s.charCodeAt(0);
    if (c === 49) return true;
    if (c === 48) return false;
  }
  if (n > 0 && n <= 5) {
    const low = s.toLowerCase();
    for (const [word, value, min] of BOOL_WORDS) {
      if (n >= min && word.startsWith(low)) {
        o.t = Rep.Bool;
        o.n = value ? 1 : 0;
        return value;
      }
    }
  }
  const r = numericRep(o);
  if (r === Rep.Int || r === Rep.Double) return o.n !== 0;
  if (r === Rep.Big) return (o.r as bigint) !== 0n;
  return undefined;
}

export function getBoolean(o: TclObj): boolean {
  const b = parseBoolean(o);
  if (b === undefined) throw new TclError(`expected boolean value but got "${o.toString()}"`, 'TCL VALUE NUMBER');
  return b;
}

/** Normalise a bigint result back to a number when it fits. */
export function normBig(v: bigint): number | bigint {
  return v >= -MAX_SAFE_BIG && v <= MAX_SAFE_BIG ? Number(v) : v;
}
