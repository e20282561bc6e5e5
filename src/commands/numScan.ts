/**
 * The longest number at the start of a text, as Tcl's number lexer (TclParseNumber) finds it. Used
 * where Tcl needs to know how far a number reaches rather than only whether a whole string is one:
 * `scan` conversions and the failure index of `string is integer/double/entier`.
 */
import { isTclSpace } from '../values/number.js';

export const enum NumFlags {
  None = 0,
  /** No fraction, exponent, Inf or NaN. */
  IntegerOnly = 1,
  /** Digits are decimal: no 0x/0o/0b prefixes, a leading 0 is not octal. */
  DecimalOnly = 2,
  /** No leading or trailing white space. */
  NoWhitespace = 4,
  /** Digits are octal (no prefix: scan's %o reads 0o17 as 0). */
  OctalOnly = 8,
  /** Digits are hexadecimal (an optional 0x prefix). */
  HexOnly = 16,
  /** Digits are binary (an optional 0b prefix). */
  BinaryOnly = 32,
  /** Only C's radix prefixes: 0x for hexadecimal, a leading 0 for octal (scan's %i). */
  CPrefixes = 64,
}

export const enum NumKind {
  None = 0,
  Int = 1,
  Double = 2,
}

/** What the last scanNumber call found (module scratch, to avoid allocating a result). */
export const scanned = {
  kind: NumKind.None as NumKind,
  /** The integer found (Int) when it is a safe integer; `big` is null then. */
  num: 0,
  /** The integer found (Int) when it is beyond the safe range. */
  big: null as bigint | null,
  /** The double found (Double). */
  double: 0,
};

/** The integer found by the last scan, as a bigint. */
export function scannedBigInt(): bigint {
  return scanned.big !== null ? scanned.big : BigInt(scanned.num);
}

/** Digits of each radix that always fit in a safe integer. */
const SAFE_DIGITS: Record<number, number> = { 2: 53, 8: 17, 10: 15, 16: 13 };

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  if (l >= 97 && l <= 122) return l - 87;
  return 99;
}

/** End of a run of digits below `radix` starting at p. */
function digitsEnd(s: string, p: number, end: number, radix: number): number {
  while (p < end && digitValue(s.charCodeAt(p)) < radix) p++;
  return p;
}

function matchWordCI(s: string, p: number, end: number, word: string): boolean {
  if (p + word.length > end) return false;
  for (let i = 0; i < word.length; i++) if ((s.charCodeAt(p + i) | 32) !== word.charCodeAt(i)) return false;
  return true;
}

function setInt(s: string, from: number, to: number, radix: number, neg: boolean): void {
  scanned.kind = NumKind.Int;
  if (to - from <= SAFE_DIGITS[radix]) {
    let v = 0;
    for (let i = from; i < to; i++) v = v * radix + digitValue(s.charCodeAt(i));
    scanned.num = neg ? -v : v;
    scanned.big = null;
    return;
  }
  const digits = s.slice(from, to);
  let v: bigint;
  if (radix === 10) v = BigInt(digits);
  else if (radix === 16) v = BigInt('0x' + digits);
  else if (radix === 8) v = BigInt('0o' + digits);
  else v = BigInt('0b' + digits);
  if (neg) v = -v;
  if (v >= -MAX_SAFE && v <= MAX_SAFE) {
    scanned.num = Number(v);
    scanned.big = null;
  } else scanned.big = v;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Scan the longest number in s[start, end). Returns the index just after it (after trailing white
 * space unless NoWhitespace), or -1 when no prefix is a number; the value is left in `scanned`.
 */
export function scanNumber(s: string, start: number, end: number, flags: NumFlags): number {
  scanned.kind = NumKind.None;
  let p = start;
  if (!(flags & NumFlags.NoWhitespace)) while (p < end && isTclSpace(s.charCodeAt(p))) p++;
  let neg = false;
  let c = p < end ? s.charCodeAt(p) : -1;
  if (c === 45 || c === 43) {
    neg = c === 45;
    p++;
    c = p < end ? s.charCodeAt(p) : -1;
  }
  let accept = -1;
  const radixOnly = flags & (NumFlags.OctalOnly | NumFlags.HexOnly | NumFlags.BinaryOnly);
  if (radixOnly !== 0) {
    const radix = flags & NumFlags.HexOnly ? 16 : flags & NumFlags.OctalOnly ? 8 : 2;
    const prefix = radix === 16 ? 120 : radix === 2 ? 98 : -1;
    let q = p;
    if (c === 48) {
      // A lone 0 is a number even when the radix prefix after it leads nowhere.
      accept = p + 1;
      setInt(s, p, p + 1, radix, neg);
      if (p + 1 < end && (s.charCodeAt(p + 1) | 32) === prefix) q = p + 2;
    }
    const e = digitsEnd(s, q, end, radix);
    if (e > q) {
      setInt(s, q, e, radix, neg);
      accept = e;
    }
    return finish(s, accept, end, flags);
  }
  if (c === 48 && !(flags & NumFlags.DecimalOnly) && p + 1 < end) {
    const x = s.charCodeAt(p + 1) | 32;
    const radix = x === 120 ? 16 : flags & NumFlags.CPrefixes ? 0 : x === 111 ? 8 : x === 98 ? 2 : 0;
    if (radix !== 0) {
      setInt(s, p, p + 1, 10, neg);
      accept = p + 1;
      const e = digitsEnd(s, p + 2, end, radix);
      if (e > p + 2) {
        setInt(s, p + 2, e, radix, neg);
        accept = e;
      }
      return finish(s, accept, end, flags);
    }
  }
  const intStart = p;
  let e = digitsEnd(s, p, end, 10);
  if (e > p) {
    if (c === 48 && !(flags & NumFlags.DecimalOnly)) {
      // Leading zero: octal as far as the digits are octal.
      const o = digitsEnd(s, p, e, 8);
      setInt(s, p, o, 8, neg);
      accept = o;
    } else {
      setInt(s, p, e, 10, neg);
      accept = e;
    }
    p = e;
  }
  if (flags & NumFlags.IntegerOnly) return finish(s, accept, end, flags);
  const hadDigits = e > intStart;
  if (hadDigits || (p < end && s.charCodeAt(p) === 46)) {
    let q = p;
    let fracDigits = false;
    if (q < end && s.charCodeAt(q) === 46) {
      q++;
      const f = digitsEnd(s, q, end, 10);
      fracDigits = f > q;
      q = f;
    }
    if (hadDigits || fracDigits) {
      // A mantissa: accept it (it may improve on an octal prefix), then try an exponent.
      let mantEnd = q;
      if (q < end && (s.charCodeAt(q) | 32) === 101) {
        let r = q + 1;
        const sc = r < end ? s.charCodeAt(r) : -1;
        if (sc === 43 || sc === 45) r++;
        const x = digitsEnd(s, r, end, 10);
        if (x > r) mantEnd = x;
      }
      if (mantEnd > p || accept < 0) {
        // Octal-looking digits with 8 or 9 are only a number when a fraction or exponent follows.
        scanned.kind = NumKind.Double;
        scanned.double = parseDecimal(s.slice(intStart, mantEnd), neg);
        accept = mantEnd;
      } else if (accept !== e) {
        // Digits like 08: the integer reading stopped early; nothing better follows.
      }
    }
    return finish(s, accept, end, flags);
  }
  // Inf, Infinity, NaN, NaN(hex).
  const l = c | 32;
  if (l === 105 && matchWordCI(s, p, end, 'inf')) {
    accept = matchWordCI(s, p, end, 'infinity') ? p + 8 : p + 3;
    scanned.kind = NumKind.Double;
    scanned.double = neg ? -Infinity : Infinity;
  } else if (l === 110 && matchWordCI(s, p, end, 'nan')) {
    accept = p + 3;
    if (accept < end && s.charCodeAt(accept) === 40) {
      const h = digitsEnd(s, accept + 1, end, 16);
      if (h < end && s.charCodeAt(h) === 41) accept = h + 1;
    }
    scanned.kind = NumKind.Double;
    scanned.double = NaN;
  }
  return finish(s, accept, end, flags);
}

function parseDecimal(text: string, neg: boolean): number {
  const v = Number(text.endsWith('.') ? text.slice(0, -1) : text);
  return neg ? -v : v;
}

function finish(s: string, accept: number, end: number, flags: NumFlags): number {
  if (accept < 0) {
    scanned.kind = NumKind.None;
    return -1;
  }
  if (!(flags & NumFlags.NoWhitespace)) while (accept < end && isTclSpace(s.charCodeAt(accept))) accept++;
  return accept;
}
