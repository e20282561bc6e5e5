/**
 * Tcl index syntax (TclGetIntForIndex): an integer, `end`, `end±N`, or `M±N`. The `end` value is
 * passed in (the last valid index, usually length-1).
 */
import { TclObj, Rep } from './obj.js';
import { TclError } from './error.js';
import { parseNumber, parsedInt } from './number.js';

function badIndex(s: string): never {
  throw new TclError(`bad index "${s}": must be integer?[+-]integer? or end?[+-]integer?`, 'TCL VALUE INDEX');
}

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

function intPart(s: string, whole: string): number {
  if (parseNumber(s) !== Rep.Int || parsedInt > INT32_MAX || parsedInt < INT32_MIN) badIndex(whole);
  return parsedInt;
}

/** Resolve an index value against `end`. Results may be out of range; callers clamp as Tcl does. */
export function getIndex(o: TclObj, end: number): number {
  if (o.t === Rep.Int) {
    const v = o.n;
    if (v > INT32_MAX || v < INT32_MIN) badIndex(o.toString());
    return v;
  }
  const s = o.toString();
  if (s.startsWith('end')) {
    if (s.length === 3) return end;
    const c = s.charCodeAt(3);
    if (c !== 45 && c !== 43) badIndex(s);
    // The offset must be a plain integer with its sign immediately after "end".
    const off = s.slice(4);
    if (off.length === 0 || /^\s/.test(off)) badIndex(s);
    const v = intPart(off, s);
    return c === 45 ? end - v : end + v;
  }
  const r = parseNumber(s);
  if (r === Rep.Int) {
    if (parsedInt > INT32_MAX || parsedInt < INT32_MIN) badIndex(s);
    return parsedInt;
  }
  // M+N / M-N: the operator is the first + or - after the first character.
  const m = /^(\s*[-+]?[^-+]+)([-+])(.+)$/.exec(s);
  if (m === null) badIndex(s);
  const a = intPart(m[1], s);
  if (/^\s/.test(m[3]) || /\s$/.test(m[1])) badIndex(s);
  const b = intPart(m[3], s);
  return m[2] === '+' ? a + b : a - b;
}
