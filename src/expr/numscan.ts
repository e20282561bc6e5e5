/**
 * Tcl's number syntax as a prefix matcher, for the expression lexer: how much of the text at a
 * position reads as a number (the longest accepted prefix, as TclParseNumber backs up to its last
 * accepting state), and its value. No sign and no surrounding whitespace: in an expression those are
 * operators and separators.
 */
import { Rep } from '../values/obj.js';
import { normBig } from '../values/number.js';

/** Results of the last scanNumber call (module scratch, no allocation per literal). */
export let scanKind: Rep = Rep.None;
export let scanInt = 0;
export let scanBig: bigint = 0n;
export let scanDouble = 0;
/** The accepted text contains a character that cannot occur in a bareword ('.', '(', ')', signs). */
export let scanHasPunct = false;

const enum S {
  Zero, Octal, BadOctal, ZeroX, Hex, ZeroO, ZeroB, Binary, Decimal, LeadingDot, Fraction,
  ExpStart, ExpSign, Exponent,
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
}

/** Case-insensitive match of lowercase `word` at s[i..]. */
function matchWord(s: string, i: number, end: number, word: string): boolean {
  if (i + word.length > end) return false;
  for (let k = 0; k < word.length; k++) if ((s.charCodeAt(i + k) | 32) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * Length of the longest prefix of s[i..end) that is a Tcl number (0 when none), with its value in
 * the scan* variables.
 */
export function scanNumber(s: string, i: number, end: number): number {
  scanHasPunct = false;
  const c0 = s.charCodeAt(i);
  if ((c0 | 32) === 105) return scanInf(s, i, end);
  if ((c0 | 32) === 110) return scanNaN(s, i, end);
  let state: S;
  if (c0 === 48) state = S.Zero;
  else if (c0 >= 49 && c0 <= 57) state = S.Decimal;
  else if (c0 === 46) state = S.LeadingDot;
  else return 0;
  // Last accepting position and the state it was accepted in.
  let accept = -1;
  let acceptState: S = state;
  if (state !== S.LeadingDot) {
    accept = i + 1;
    acceptState = state;
  }
  let p = i + 1;
  for (; p < end; p++) {
    const c = s.charCodeAt(p);
    const lc = c | 32;
    let next: S | -1 = -1;
    switch (state) {
      case S.Zero:
        if (lc === 120) next = S.ZeroX;
        else if (lc === 111) next = S.ZeroO;
        else if (lc === 98) next = S.ZeroB;
        else if (c >= 48 && c <= 55) next = S.Octal;
        else if (c === 56 || c === 57) next = S.BadOctal;
        else if (c === 46) next = S.Fraction;
        else if (lc === 101) next = S.ExpStart;
        break;
      case S.Octal:
        if (c >= 48 && c <= 55) next = S.Octal;
        else if (c === 56 || c === 57) next = S.BadOctal;
        else if (c === 46) next = S.Fraction;
        else if (lc === 101) next = S.ExpStart;
        break;
      case S.BadOctal:
        if (isDigit(c)) next = S.BadOctal;
        else if (c === 46) next = S.Fraction;
        else if (lc === 101) next = S.ExpStart;
        break;
      case S.ZeroX:
      case S.Hex:
        if (isHexDigit(c)) next = S.Hex;
        break;
      case S.ZeroO:
        if (c >= 48 && c <= 55) next = S.Octal;
        break;
      case S.ZeroB:
      case S.Binary:
        if (c === 48 || c === 49) next = S.Binary;
        break;
      case S.Decimal:
        if (isDigit(c)) next = S.Decimal;
        else if (c === 46) next = S.Fraction;
        else if (lc === 101) next = S.ExpStart;
        break;
      case S.LeadingDot:
        if (isDigit(c)) next = S.Fraction;
        break;
      case S.Fraction:
        if (isDigit(c)) next = S.Fraction;
        else if (lc === 101) next = S.ExpStart;
        break;
      case S.ExpStart:
        if (c === 43 || c === 45) next = S.ExpSign;
        else if (isDigit(c)) next = S.Exponent;
        break;
      case S.ExpSign:
      case S.Exponent:
        if (isDigit(c)) next = S.Exponent;
        break;
    }
    if (next === -1) break;
    state = next;
    if (
      state === S.Octal || state === S.Hex || state === S.Binary || state === S.Decimal ||
      state === S.Fraction || state === S.Exponent
    ) {
      accept = p + 1;
      acceptState = state;
    }
  }
  if (accept < 0) return 0;
  const text = s.slice(i, accept);
  switch (acceptState) {
    case S.Zero:
      setInt(0);
      break;
    case S.Decimal:
      setIntText(text, 10, 0);
      break;
    case S.Octal:
      // 0o17 and 017 alike.
      setIntText(text, 8, (text.charCodeAt(1) | 32) === 111 ? 2 : 1);
      break;
    case S.Hex:
      setIntText(text, 16, 2);
      break;
    case S.Binary:
      setIntText(text, 2, 2);
      break;
    default:
      scanKind = Rep.Double;
      scanDouble = +text;
      scanHasPunct = text.indexOf('.') >= 0 || text.indexOf('+') >= 0 || text.indexOf('-') >= 0;
  }
  return accept - i;
}

function setInt(v: number): void {
  scanKind = Rep.Int;
  scanInt = v;
}

function setIntText(text: string, radix: number, skip: number): void {
  const digits = skip === 0 ? text : text.slice(skip);
  if (radix === 10 && digits.length <= 15) {
    setInt(+digits);
    return;
  }
  const prefix = radix === 10 ? '' : radix === 16 ? '0x' : radix === 8 ? '0o' : '0b';
  const v = normBig(BigInt(prefix + digits));
  if (typeof v === 'number') setInt(v);
  else {
    scanKind = Rep.Big;
    scanBig = v;
  }
}

function scanInf(s: string, i: number, end: number): number {
  if (!matchWord(s, i, end, 'inf')) return 0;
  scanKind = Rep.Double;
  scanDouble = Infinity;
  return matchWord(s, i, end, 'infinity') ? 8 : 3;
}

/** NaN, optionally with a parenthesised hex payload as Tcl accepts ("NaN(7ff)"). */
function scanNaN(s: string, i: number, end: number): number {
  if (!matchWord(s, i, end, 'nan')) return 0;
  scanKind = Rep.Double;
  scanDouble = NaN;
  let p = i + 3;
  if (p < end && s.charCodeAt(p) === 40) {
    let q = p + 1;
    while (q < end && isHexDigit(s.charCodeAt(q))) q++;
    if (q < end && s.charCodeAt(q) === 41 && q > p + 1) {
      scanHasPunct = true;
      return q + 1 - i;
    }
  }
  return p - i;
}
