/**
 * The `string` ensemble of Tcl 8.6 and the ::tcl::string::* commands behind it. Subcommands take the
 * full word vector (objv[0] = "string", objv[1] = the subcommand as typed, or DIRECT when called by
 * their own name) so `wrong # args` names them the way Tcl does. A call whose subcommand is a literal
 * is compiled to a direct call of the subcommand, skipping dispatch.
 */
import { TclObj, Rep, intObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getInt32 } from '../values/number.js';
import { getIndex as parseIndex } from '../values/indexes.js';
import { numericRep } from '../values/number.js';
import { formatStringList } from '../values/listFormat.js';
import { choiceList } from '../engine/args.js';
import { OK } from '../engine/codes.js';
import type { Interp } from '../engine/interp.js';
import type { CompiledWord, Compiler, ExecFn, ValueFn } from '../engine/compile.js';
import { registerCompiled } from './registry.js';
import { isWordChar } from './charClass.js';
import { lowerString, upperString, titleString, toLowerChar, isAscii } from './caseMap.js';
import { stringMap } from './stringMap.js';
import { globMatcherFor } from './globFast.js';
import { stringIs } from './stringIs.js';
import { DIRECT, subWrongArgs as wrongArgs } from './stringArgs.js';

export type SubcommandProc = (interp: Interp, objv: TclObj[]) => number;

const EMPTY = TclObj.EMPTY;

/**
 * An index argument. A plain integer gets its numeric face cached on the value first, so a literal
 * index in a loop is parsed once rather than on every call.
 */
function getIndex(o: TclObj, end: number): number {
  if (o.t === Rep.None) {
    const c = o.toString().charCodeAt(0);
    if ((c >= 48 && c <= 57) || c === 45 || c === 43) numericRep(o);
  }
  return parseIndex(o, end);
}
const FALSE = TclObj.fromBool(false);
const TRUE = TclObj.fromBool(true);


// ------------------------------------------------------------------ length, bytelength, cat

function lengthCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongArgs(objv, 'length', 'string');
  interp.result = intObj(objv[2].toString().length);
  return OK;
}

/** Bytes of Tcl's internal UTF-8 (NUL takes two bytes there). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c === 0 ? 2 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  return n;
}

function bytelengthCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongArgs(objv, 'bytelength', 'string');
  interp.result = intObj(utf8Length(objv[2].toString()));
  return OK;
}

function catCmd(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n === 2) interp.result = EMPTY;
  else if (n === 3) interp.result = objv[2];
  else {
    let s = '';
    for (let i = 2; i < n; i++) s += objv[i].toString();
    interp.result = TclObj.fromString(s);
  }
  return OK;
}

// ------------------------------------------------------------------ compare, equal

const CMP_USAGE = '?-nocase? ?-length int? string1 string2';

/** Parse compare/equal options; returns [nocase, reqlength] packed (reqlength -1 = unlimited). */
function cmpOptions(objv: readonly TclObj[], sub: string): { nocase: boolean; length: number } {
  const n = objv.length;
  if (n < 4 || n > 7) wrongArgs(objv, sub, CMP_USAGE);
  let nocase = false;
  let length = -1;
  for (let i = 2; i < n - 2; i++) {
    const s = objv[i].toString();
    if (s.length > 1 && '-nocase'.startsWith(s)) nocase = true;
    else if (s.length > 1 && '-length'.startsWith(s)) {
      if (i + 1 >= n - 2) wrongArgs(objv, sub, CMP_USAGE);
      length = getInt32(objv[++i]);
    } else {
      throw new TclError(`bad option "${s}": must be -nocase or -length`, `TCL LOOKUP INDEX option ${formatStringList([s])}`);
    }
  }
  return { nocase, length };
}

/** Tcl's string comparison: -1, 0 or 1; `reqlength` < 0 compares whole strings. */
export function compareStrings(a: string, b: string, nocase: boolean, reqlength: number): number {
  if (reqlength === 0) return 0;
  if (reqlength > 0) {
    if (a.length > reqlength) a = a.slice(0, reqlength);
    if (b.length > reqlength) b = b.slice(0, reqlength);
  }
  if (nocase) {
    if (isAscii(a) && isAscii(b)) {
      a = a.toLowerCase();
      b = b.toLowerCase();
    } else {
      const n = Math.min(a.length, b.length);
      for (let i = 0; i < n; i++) {
        const x = toLowerChar(a.charCodeAt(i));
        const y = toLowerChar(b.charCodeAt(i));
        if (x !== y) return x < y ? -1 : 1;
      }
      return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
    }
  }
  return a === b ? 0 : a < b ? -1 : 1;
}

function compareCmd(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n === 4) {
    const a = objv[2].toString();
    const b = objv[3].toString();
    interp.result = intObj(a === b ? 0 : a < b ? -1 : 1);
    return OK;
  }
  const o = cmpOptions(objv, 'compare');
  interp.result = intObj(compareStrings(objv[n - 2].toString(), objv[n - 1].toString(), o.nocase, o.length));
  return OK;
}

function equalCmd(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n === 4) {
    const a = objv[2];
    const b = objv[3];
    interp.result = a === b || a.toString() === b.toString() ? TRUE : FALSE;
    return OK;
  }
  const o = cmpOptions(objv, 'equal');
  interp.result = compareStrings(objv[n - 2].toString(), objv[n - 1].toString(), o.nocase, o.length) === 0 ? TRUE : FALSE;
  return OK;
}

// ------------------------------------------------------------------ first, last, index, range

function firstCmd(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n < 4 || n > 5) wrongArgs(objv, 'first', 'needleString haystackString ?startIndex?');
  const needle = objv[2].toString();
  const hay = objv[3].toString();
  let start = 0;
  if (n === 5) {
    start = getIndex(objv[4], hay.length - 1);
    if (start < 0) start = 0;
  }
  let r = -1;
  if (needle.length > 0 && start + needle.length <= hay.length) r = hay.indexOf(needle, start);
  interp.result = intObj(r);
  return OK;
}

function lastCmd(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n < 4 || n > 5) wrongArgs(objv, 'last', 'needleString haystackString ?startIndex?');
  const needle = objv[2].toString();
  const hay = objv[3].toString();
  // The needle must lie entirely at or before lastIndex.
  let last = hay.length - 1;
  if (n === 5) last = getIndex(objv[4], hay.length - 1);
  const from = Math.min(last, hay.length - 1) - needle.length + 1;
  let r = -1;
  if (needle.length > 0 && from >= 0) r = hay.lastIndexOf(needle, from);
  interp.result = intObj(r);
  return OK;
}

function indexCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 4) wrongArgs(objv, 'index', 'string charIndex');
  const s = objv[2].toString();
  const i = getIndex(objv[3], s.length - 1);
  interp.result = i >= 0 && i < s.length ? TclObj.fromString(s[i]) : EMPTY;
  return OK;
}

function rangeCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 5) wrongArgs(objv, 'range', 'string first last');
  const s = objv[2].toString();
  const end = s.length - 1;
  let first = getIndex(objv[3], end);
  let last = getIndex(objv[4], end);
  if (first < 0) first = 0;
  if (last > end) last = end;
  if (last < first) interp.result = EMPTY;
  else if (first === 0 && last === end) interp.result = objv[2];
  else interp.result = TclObj.fromString(s.slice(first, last + 1));
  return OK;
}

// ------------------------------------------------------------------ match, map, repeat, replace, reverse

function nocaseFlag(objv: readonly TclObj[]): boolean {
  const s = objv[2].toString();
  if (s.length > 1 && '-nocase'.startsWith(s)) return true;
  throw new TclError(`bad option "${s}": must be -nocase`, `TCL LOOKUP INDEX option ${formatStringList([s])}`);
}

function matchCmd(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n < 4 || n > 5) wrongArgs(objv, 'match', '?-nocase? pattern string');
  const nocase = n === 5 && nocaseFlag(objv);
  interp.result = globMatcherFor(objv[n - 2], nocase)(objv[n - 1].toString()) ? TRUE : FALSE;
  return OK;
}

function mapCmd(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n < 4 || n > 5) wrongArgs(objv, 'map', '?-nocase? charMap string');
  const nocase = n === 5 && nocaseFlag(objv);
  interp.result = stringMap(objv[n - 2], objv[n - 1], nocase);
  return OK;
}

const INT_MAX = 2147483647;

function repeatCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 4) wrongArgs(objv, 'repeat', 'string count');
  const count = getInt32(objv[3]);
  if (count === 1) {
    interp.result = objv[2];
    return OK;
  }
  if (count < 1) {
    interp.result = EMPTY;
    return OK;
  }
  const s = objv[2].toString();
  if (s.length === 0) {
    interp.result = EMPTY;
    return OK;
  }
  const bytes = utf8Length(s);
  // Tcl refuses results over INT_MAX bytes; JS strings stop earlier (about 2^29 characters).
  if (bytes > Math.floor(INT_MAX / count) || s.length * count > MAX_JS_STRING) {
    throw new TclError(`result exceeds max size for a Tcl value (${INT_MAX} bytes)`, 'TCL MEMORY');
  }
  interp.result = TclObj.fromString(s.repeat(count));
  return OK;
}

const MAX_JS_STRING = (1 << 29) - 24;

function replaceCmd(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n < 5 || n > 6) wrongArgs(objv, 'replace', 'string first last ?string?');
  const s = objv[2].toString();
  const end = s.length - 1;
  let first = getIndex(objv[3], end);
  let last = getIndex(objv[4], end);
  if (last < 0 || first > end || last < first) {
    // Nothing to replace, except that an empty string's "range" -1..0 may be replaced.
    if (!(end < 0 && first <= end && last >= 0)) {
      interp.result = objv[2];
      return OK;
    }
  }
  if (first < 0) first = 0;
  if (last > end) last = end;
  const insert = n === 6 ? objv[5].toString() : '';
  interp.result = TclObj.fromString(s.slice(0, first) + insert + s.slice(last + 1));
  return OK;
}

function reverseCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongArgs(objv, 'reverse', 'string');
  const s = objv[2].toString();
  if (s.length <= 1) {
    interp.result = objv[2];
    return OK;
  }
  // Code units, as Tcl 8.6 reverses its UCS-2 characters.
  interp.result = TclObj.fromString(s.split('').reverse().join(''));
  return OK;
}

// ------------------------------------------------------------------ case conversion

type RangeMapper = (s: string, start: number, end: number) => string;

function caseCmd(sub: string, f: RangeMapper): SubcommandProc {
  return (interp, objv) => {
    const n = objv.length;
    if (n < 3 || n > 5) wrongArgs(objv, sub, 'string ?first? ?last?');
    const s = objv[2].toString();
    if (n === 3) {
      const r = f(s, 0, s.length);
      interp.result = r === s ? objv[2] : TclObj.fromString(r);
      return OK;
    }
    const end = s.length - 1;
    let first = getIndex(objv[3], end);
    if (first < 0) first = 0;
    let last = n === 5 ? getIndex(objv[4], end) : first;
    if (last >= end) last = end;
    if (last < first) {
      interp.result = objv[2];
      return OK;
    }
    interp.result = TclObj.fromString(s.slice(0, first) + f(s, first, last + 1) + s.slice(last + 1));
    return OK;
  };
}

// ------------------------------------------------------------------ trim

/** Tcl's default trim set: white space (as Tcl_UniCharIsSpace) and NUL. */
function isDefaultTrim(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13) || c === 0;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || c === 0x180e || (c >= 0x2000 && c <= 0x200b) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x2060 || c === 0x3000 || c === 0xfeff
  );
}

function trimStart(s: string, chars: string | null): number {
  let i = 0;
  const n = s.length;
  if (chars === null) {
    while (i < n && isDefaultTrim(s.charCodeAt(i))) i++;
  } else {
    while (i < n && chars.indexOf(s[i]) >= 0) i++;
  }
  return i;
}

function trimEnd(s: string, chars: string | null, stop: number): number {
  let j = s.length;
  if (chars === null) {
    while (j > stop && isDefaultTrim(s.charCodeAt(j - 1))) j--;
  } else {
    while (j > stop && chars.indexOf(s[j - 1]) >= 0) j--;
  }
  return j;
}

function trimCmd(sub: string, left: boolean, right: boolean): SubcommandProc {
  return (interp, objv) => {
    const n = objv.length;
    if (n < 3 || n > 4) wrongArgs(objv, sub, 'string ?chars?');
    const s = objv[2].toString();
    const chars = n === 4 ? objv[3].toString() : null;
    if (chars !== null && chars.length === 0) {
      interp.result = objv[2];
      return OK;
    }
    const i = left ? trimStart(s, chars) : 0;
    const j = right ? trimEnd(s, chars, i) : s.length;
    interp.result = i === 0 && j === s.length ? objv[2] : TclObj.fromString(s.slice(i, j));
    return OK;
  };
}

// ------------------------------------------------------------------ wordstart, wordend

function wordendCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 4) wrongArgs(objv, 'wordend', 'string index');
  const s = objv[2].toString();
  const n = s.length;
  let index = getIndex(objv[3], n - 1);
  if (index < 0) index = 0;
  let cur = n;
  if (index < n) {
    cur = index;
    while (cur < n && isWordChar(s.charCodeAt(cur))) cur++;
    if (cur === index) cur++;
  }
  interp.result = intObj(cur);
  return OK;
}

function wordstartCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 4) wrongArgs(objv, 'wordstart', 'string index');
  const s = objv[2].toString();
  const n = s.length;
  let index = getIndex(objv[3], n - 1);
  if (index >= n) index = n - 1;
  let cur = 0;
  if (index > 0) {
    cur = index;
    while (cur >= 0 && isWordChar(s.charCodeAt(cur))) cur--;
    if (cur !== index) cur++;
  }
  interp.result = intObj(cur);
  return OK;
}

// ------------------------------------------------------------------ the ensemble

const SUBCOMMANDS: Record<string, SubcommandProc> = {
  bytelength: bytelengthCmd,
  cat: catCmd,
  compare: compareCmd,
  equal: equalCmd,
  first: firstCmd,
  index: indexCmd,
  is: stringIs,
  last: lastCmd,
  length: lengthCmd,
  map: mapCmd,
  match: matchCmd,
  range: rangeCmd,
  repeat: repeatCmd,
  replace: replaceCmd,
  reverse: reverseCmd,
  tolower: caseCmd('tolower', lowerString),
  totitle: caseCmd('totitle', titleString),
  toupper: caseCmd('toupper', upperString),
  trim: trimCmd('trim', true, true),
  trimleft: trimCmd('trimleft', true, false),
  trimright: trimCmd('trimright', false, true),
  wordend: wordendCmd,
  wordstart: wordstartCmd,
};

const NAMES = Object.keys(SUBCOMMANDS).sort();
const TABLE = new Map<string, SubcommandProc>(NAMES.map((k) => [k, SUBCOMMANDS[k]]));
const CHOICES = choiceList(NAMES);

/** The subcommand a word names (exactly or by unique prefix), or null. */
function resolve(name: string): SubcommandProc | null {
  const exact = TABLE.get(name);
  if (exact !== undefined) return exact;
  if (name.length === 0) return null;
  let found: SubcommandProc | null = null;
  for (const k of NAMES) {
    if (k.startsWith(name)) {
      if (found !== null) return null;
      found = SUBCOMMANDS[k];
    }
  }
  return found;
}

function stringCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) {
    throw new TclError(`wrong # args: should be "${objv[0].toString()} subcommand ?arg ...?"`, 'TCL WRONGARGS');
  }
  const name = objv[1].toString();
  const sub = resolve(name);
  if (sub === null) {
    throw new TclError(`unknown or ambiguous subcommand "${name}": must be ${CHOICES}`, `TCL LOOKUP SUBCOMMAND ${formatStringList([name])}`);
  }
  return sub(interp, objv);
}

/** A word's value as a closure (constant words return their value). */
function valueFn(w: CompiledWord): ValueFn {
  const k = w.constant;
  return k !== null ? () => k : w.fn!;
}

/** Compile `string <literal-subcommand> ...` to a direct call of the subcommand. */
function compileString(_c: Compiler, words: CompiledWord[]): ExecFn | null {
  const n = words.length;
  if (n < 2) return null;
  for (const w of words) if (w.expand) return null;
  const subWord = words[1].constant;
  if (subWord === null) return null;
  const sub = resolve(subWord.toString());
  if (sub === null) return null;
  const consts = words.map((w) => w.constant);
  const fns: (ValueFn | null)[] = words.map((w) => w.fn);
  const c0 = consts[0]!;
  const c1 = consts[1]!;
  // The common shapes get closures without loops or per-call bookkeeping arrays.
  if (n === 3) {
    const f2 = valueFn(words[2]);
    return (interp) => {
      const a = f2(interp);
      if (a === null) return interp.pendingCode;
      return sub(interp, [c0, c1, a]);
    };
  }
  if (n === 4) {
    const f2 = valueFn(words[2]);
    const f3 = valueFn(words[3]);
    return (interp) => {
      const a = f2(interp);
      if (a === null) return interp.pendingCode;
      const b = f3(interp);
      if (b === null) return interp.pendingCode;
      return sub(interp, [c0, c1, a, b]);
    };
  }
  if (n === 5) {
    const f2 = valueFn(words[2]);
    const f3 = valueFn(words[3]);
    const f4 = valueFn(words[4]);
    return (interp) => {
      const a = f2(interp);
      if (a === null) return interp.pendingCode;
      const b = f3(interp);
      if (b === null) return interp.pendingCode;
      const d = f4(interp);
      if (d === null) return interp.pendingCode;
      return sub(interp, [c0, c1, a, b, d]);
    };
  }
  return (interp) => {
    const objv = new Array<TclObj>(n);
    for (let i = 0; i < n; i++) {
      const k = consts[i];
      if (k !== null) objv[i] = k;
      else {
        const v = fns[i]!(interp);
        if (v === null) return interp.pendingCode;
        objv[i] = v;
      }
    }
    return sub(interp, objv);
  };
}

export function register(interp: Interp): void {
  registerCompiled(interp, 'string', stringCmd, compileString);
  // The commands the ensemble maps to, callable directly as in Tcl.
  interp.ensureNamespace('::tcl::string');
  for (const name of NAMES) {
    const sub = SUBCOMMANDS[name];
    interp.createCommand('::tcl::string::' + name, (ip, objv) => sub(ip, [objv[0], DIRECT, ...objv.slice(1)]));
  }
}
