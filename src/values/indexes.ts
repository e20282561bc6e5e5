/**
 * Tcl index syntax (TclGetIntForIndex): an integer, `end`, `end±N`, or `M±N`. The `end` value is
 * passed in (the last valid index, usually length-1).
 */
import { TclObj, Rep } from './obj.js';
import { TclError } from './error.js';
import { parseNumber, parsedInt, isTclSpace } from './number.js';

function badIndex(s: string, badOctal = false): never {
  const hint = badOctal ? ' (looks like invalid octal number)' : '';
  throw new TclError(`bad index "${s}": must be integer?[+-]integer? or end?[+-]integer?${hint}`, 'TCL VALUE INDEX');
}

/**
 * Tcl_GetIntFromObj on a 64-bit platform: any integer within ±(2^32-1) is taken and cut to 32
 * bits (so 4294967295 is -1 and 2147483648 is -2147483648); anything wider is refused.
 */
const UINT32_MAX = 4294967295;

function int32Of(v: number): number | null {
  return v > UINT32_MAX || v < -UINT32_MAX ? null : v | 0;
}

/**
 * TclCheckBadOctal, which decides the "(looks like invalid octal number)" hint of a bad index:
 * optional space and sign, a 0, an optional o, then only digits and space. (expr's hint is TclParseNumber's,
 * a different rule.)
 */
function looksLikeBadOctal(s: string): boolean {
  let i = 0;
  const n = s.length;
  while (i < n && isTclSpace(s.charCodeAt(i))) i++;
  if (i < n && (s[i] === '+' || s[i] === '-')) i++;
  if (s[i] !== '0') return false;
  if (s[i + 1] === 'o' || s[i + 1] === 'O') i += 2;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  while (i < n && isTclSpace(s.charCodeAt(i))) i++;
  return i === n;
}

/** An integer part of an index; `hintOctal` adds Tcl's octal hint when it is the whole offset. */
function intPart(s: string, whole: string, hintOctal: boolean): number {
  if (parseNumber(s) !== Rep.Int) badIndex(whole, hintOctal && looksLikeBadOctal(s));
  const v = int32Of(parsedInt);
  if (v === null) badIndex(whole);
  return v;
}

/** Resolve an index value against `end`. Results may be out of range; callers clamp as Tcl does. */
export function getIndex(o: TclObj, end: number): number {
  if (o.t === Rep.Int) {
    const v = int32Of(o.n);
    if (v === null) badIndex(o.toString());
    return v;
  }
  const s = o.toString();
  // "end", or any leading part of it ("e", "en"), with an optional offset after the full word.
  if (s === 'e' || s === 'en') return end;
  if (s.startsWith('end')) {
    if (s.length === 3) return end;
    const c = s.charCodeAt(3);
    if (c !== 45 && c !== 43) badIndex(s);
    // The offset must be a plain integer with its sign immediately after "end".
    const off = s.slice(4);
    if (off.length === 0 || /^\s/.test(off)) badIndex(s);
    const v = intPart(off, s, true);
    // C int arithmetic: the sum wraps at 32 bits.
    return (c === 45 ? end - v : end + v) | 0;
  }
  const r = parseNumber(s);
  if (r === Rep.Int) {
    const v = int32Of(parsedInt);
    if (v === null) badIndex(s);
    return v;
  }
  // M+N / M-N: the operator is the first + or - after the first character.
  const m = /^(\s*[-+]?[^-+]+)([-+])(.+)$/.exec(s);
  if (m === null) badIndex(s, looksLikeBadOctal(s));
  const a = intPart(m[1], s, false);
  if (/^\s/.test(m[3]) || /\s$/.test(m[1])) badIndex(s);
  const b = intPart(m[3], s, false);
  return (m[2] === '+' ? a + b : a - b) | 0;
}
