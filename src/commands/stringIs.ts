/**
 * `string is class ?-strict? ?-failindex var? str` with Tcl 8.6.13's rules: an empty string passes
 * every class unless -strict; the failure index is the first character outside a character class,
 * how far a number parses for the numeric classes (-1 when the whole string is an integer too
 * large for the class), and the start of the bad element for `list`.
 */
import { TclObj, Rep, intObj } from '../values/obj.js';
import { isTclSpace } from '../values/number.js';
import { closeBraceOfElement } from '../values/list.js';
import { getIndexFromTable } from '../engine/args.js';
import { subWrongArgs } from './stringArgs.js';
import { OK } from '../engine/codes.js';
import type { Interp } from '../engine/interp.js';
import { CharClassName, firstNotInClass } from './charClass.js';
import { NumFlags, scanNumber, scanned } from './numScan.js';

const CLASSES = [
  'alnum', 'alpha', 'ascii', 'control', 'boolean', 'digit', 'double', 'entier', 'false', 'graph', 'integer',
  'list', 'lower', 'print', 'punct', 'space', 'true', 'upper', 'wideinteger', 'wordchar', 'xdigit',
] as const;

const OPTIONS = ['-strict', '-failindex'] as const;

const FALSE = TclObj.fromBool(false);
const TRUE = TclObj.fromBool(true);

const INT32_RANGE = 4294967295n;
const WIDE_RANGE = 18446744073709551615n;

/** Outcome of one test: passed, or the failure index (which -failindex reports). */
let failAt = 0;

/** Tcl's boolean words and 0/1 (numbers other than 0 and 1 are not booleans for `string is`). */
export function booleanValue(o: TclObj): number {
  if (o.s === null && o.t === Rep.Int) return o.n === 0 || o.n === 1 ? o.n : -1;
  if (o.s === null && (o.t === Rep.Double || o.t === Rep.Big)) return -1;
  if (o.t === Rep.Bool) return o.n;
  const s = o.toString();
  const n = s.length;
  if (n === 1) {
    const c = s.charCodeAt(0);
    if (c === 48) return 0;
    if (c === 49) return 1;
  }
  if (n === 0 || n > 5) return -1;
  const low = s.toLowerCase();
  if ('yes'.startsWith(low) || 'true'.startsWith(low)) return 1;
  if ('no'.startsWith(low) || 'false'.startsWith(low)) return 0;
  if (n >= 2 && 'on'.startsWith(low)) return 1;
  if (n >= 2 && 'off'.startsWith(low)) return 0;
  return -1;
}

/** Integer classes: within ±range (null = any size). */
function isIntegerIn(o: TclObj | null, s: string, range: bigint | null): boolean {
  if (o !== null) {
    if (range === null) return true;
    const v = o.t === Rep.Int ? BigInt(o.n) : (o.r as bigint);
    if (v <= range && v >= -range) return true;
    failAt = 0;
    return false;
  }
  const end = scanNumber(s, 0, s.length, NumFlags.IntegerOnly);
  if (end < 0) {
    failAt = 0;
    return false;
  }
  if (end < s.length) {
    failAt = end;
    return false;
  }
  if (range !== null && (scanned.big !== null ? scanned.big > range || scanned.big < -range : Math.abs(scanned.num) > Number(range))) {
    failAt = -1;
    return false;
  }
  return true;
}

function isDouble(s: string): boolean {
  const end = scanNumber(s, 0, s.length, NumFlags.None);
  if (end < 0) {
    failAt = 0;
    return false;
  }
  if (end < s.length) {
    failAt = end;
    return false;
  }
  return true;
}

/** Where list parsing fails: the start of the first element that is malformed, or -1 if none. */
export function listFailIndex(s: string): number {
  const n = s.length;
  let i = 0;
  for (;;) {
    while (i < n && isTclSpace(s.charCodeAt(i))) i++;
    if (i >= n) return -1;
    const start = i;
    const c = s.charCodeAt(i);
    if (c === 123) {
      const j = closeBraceOfElement(s, i);
      if (j >= n) return start;
      i = j + 1;
      if (i < n && !isTclSpace(s.charCodeAt(i))) return start;
    } else if (c === 34) {
      let j = i + 1;
      while (j < n && s.charCodeAt(j) !== 34) j += s.charCodeAt(j) === 92 ? 2 : 1;
      if (j >= n) return start;
      i = j + 1;
      if (i < n && !isTclSpace(s.charCodeAt(i))) return start;
    } else {
      while (i < n && !isTclSpace(s.charCodeAt(i))) i += s.charCodeAt(i) === 92 ? 2 : 1;
    }
  }
}

function testClass(cls: (typeof CLASSES)[number], o: TclObj, strict: boolean): boolean {
  failAt = 0;
  switch (cls) {
    case 'boolean':
    case 'true':
    case 'false': {
      const b = booleanValue(o);
      if (b < 0) return !strict && o.toString().length === 0;
      return cls === 'boolean' || (cls === 'true') === (b === 1);
    }
    case 'list': {
      const s = o.toString();
      const at = listFailIndex(s);
      if (at < 0) return true;
      failAt = at;
      return false;
    }
    default:
      break;
  }
  if (o.s === null) {
    // A pure number (no string yet) is judged by its value, as Tcl judges by the internal rep.
    const t = o.t;
    if (t === Rep.Int || t === Rep.Big) {
      if (cls === 'integer') return isIntegerIn(o, '', INT32_RANGE);
      if (cls === 'wideinteger') return isIntegerIn(o, '', WIDE_RANGE);
      if (cls === 'entier' || cls === 'double') return true;
    } else if (t === Rep.Double && cls === 'double') return true;
  }
  const s = o.toString();
  if (s.length === 0) return !strict;
  switch (cls) {
    case 'integer':
      return isIntegerIn(null, s, INT32_RANGE);
    case 'wideinteger':
      return isIntegerIn(null, s, WIDE_RANGE);
    case 'entier':
      return isIntegerIn(null, s, null);
    case 'double':
      return isDouble(s);
    default: {
      const at = firstNotInClass(cls as CharClassName, s);
      if (at < 0) return true;
      failAt = at;
      return false;
    }
  }
}

export function stringIs(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n < 4 || n > 7) subWrongArgs(objv, 'is', 'class ?-strict? ?-failindex var? str');
  const cls = CLASSES[getIndexFromTable(objv[2], CLASSES, 'class')];
  let strict = false;
  let failVar: TclObj | null = null;
  for (let i = 3; i < n - 1; i++) {
    if (getIndexFromTable(objv[i], OPTIONS, 'option') === 0) strict = true;
    else {
      if (i + 1 >= n - 1) subWrongArgs(objv, 'is', '?-strict? ?-failindex var? str', 1);
      failVar = objv[++i];
    }
  }
  const ok = testClass(cls, objv[n - 1], strict);
  if (!ok && failVar !== null) interp.setVar(failVar.toString(), intObj(failAt));
  interp.result = ok ? TRUE : FALSE;
  return OK;
}

