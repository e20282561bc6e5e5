/**
 * `scan string format ?varName ...?` with Tcl 8.6's rules (tclScan.c): the format is validated in
 * full first (errors in format order, then the variable-assignment checks), then applied. Numbers
 * are read by Tcl's number lexer (numScan.ts) in the radix the conversion asks for; plain and `l`
 * integers keep 64 bits (wrapping below 2^64, clamping beyond), `ll` keeps them all. With variables
 * the result is the number of conversions made (-1 when the input ran out before the first); without,
 * a list of the converted values.
 */
import { TclObj, intObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { OK } from '../engine/codes.js';
import { wrongNumArgs } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';
import type { CompiledWord, Compiler, ExecFn, ValueFn } from '../engine/compile.js';
import { registerCompiled } from './registry.js';
import { isSpaceChar } from './charClass.js';
import { NumFlags, NumKind, scanNumber, scanned, scannedBigInt } from './numScan.js';
import { utf8Length } from './string.js';

const enum Size {
  Default = 0,
  Longer = 1,
  Big = 2,
}

const enum Kind {
  /** White space in the format: skip white space in the input. */
  Space = 0,
  /** A character the input must have next. */
  Literal = 1,
  /** A conversion. */
  Conv = 2,
}

interface Directive {
  kind: Kind;
  /** The literal character, or the conversion character. */
  ch: number;
  suppress: boolean;
  /** Result slot (conversions that assign). */
  slot: number;
  /** 0 = unlimited. */
  width: number;
  size: Size;
  /** For %[...]: the set. */
  set: CharSet | null;
}

interface CharSet {
  exclude: boolean;
  chars: string;
  /** Inclusive ranges as pairs of char codes. */
  ranges: number[];
}

interface ParsedScan {
  directives: Directive[];
  /** Number of result slots. */
  total: number;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function formatError(message: string, code: string): never {
  throw new TclError(message, `TCL FORMAT ${code}`);
}

/** Parse a %[ set starting just after the '['; returns the set and the index after ']'. */
function parseSet(f: string, i: number): [CharSet, number] {
  const n = f.length;
  const set: CharSet = { exclude: false, chars: '', ranges: [] };
  const bad = (): never => formatError('unmatched [ in format string', 'BRACKET');
  if (i >= n) bad();
  let ch = f.charCodeAt(i++);
  if (ch === 94) {
    set.exclude = true;
    if (i >= n) bad();
    ch = f.charCodeAt(i++);
  }
  // A leading ']' or '-' is a member, not the end or a range.
  if (ch === 93 || ch === 45) {
    set.chars += String.fromCharCode(ch);
    if (i >= n) bad();
    ch = f.charCodeAt(i++);
  }
  let start = -1;
  while (ch !== 93) {
    const next = i < n ? f.charCodeAt(i) : -1;
    if (next === 45) {
      start = ch;
    } else if (ch === 45 && start >= 0) {
      if (next === 93) {
        set.chars += String.fromCharCode(start) + '-';
      } else {
        if (i >= n) bad();
        const endCh = f.charCodeAt(i++);
        set.ranges.push(Math.min(start, endCh), Math.max(start, endCh));
      }
    } else {
      set.chars += String.fromCharCode(ch);
    }
    if (i >= n) bad();
    ch = f.charCodeAt(i++);
  }
  return [set, i];
}

function inSet(set: CharSet, c: number): boolean {
  let found = set.chars.indexOf(String.fromCharCode(c)) >= 0;
  if (!found) {
    const r = set.ranges;
    for (let k = 0; k < r.length; k += 2) {
      if (c >= r[k] && c <= r[k + 1]) {
        found = true;
        break;
      }
    }
  }
  return found !== set.exclude;
}

/** Read decimal digits at i as C's strtoul (wrapped to 32 bits). */
function readNumber(f: string, i: number): [number, number] {
  let j = i;
  while (j < f.length && isDigit(f.charCodeAt(j))) j++;
  const text = f.slice(i, j);
  return [j - i <= 9 ? +text : Number(BigInt.asIntN(32, BigInt(text))), j];
}

/** Validate and parse a format for `numVars` variables (0 = return a list). */
function parseScan(f: string, numVars: number): ParsedScan {
  const directives: Directive[] = [];
  const n = f.length;
  const assigned: number[] = [];
  let objIndex = 0;
  let xpgSize = 0;
  let gotXpg = false;
  let gotSequential = false;
  let i = 0;
  const badIndex = (): never =>
    gotXpg ? formatError('"%n$" argument index out of range', 'INDEXRANGE') : formatError('different numbers of variable names and field specifiers', 'FIELDVARMISMATCH');
  while (i < n) {
    let ch = f.charCodeAt(i++);
    if (isSpaceChar(ch)) {
      directives.push({ kind: Kind.Space, ch, suppress: false, slot: -1, width: 0, size: Size.Default, set: null });
      continue;
    }
    if (ch !== 37 || (i < n && f.charCodeAt(i) === 37)) {
      if (ch === 37) i++;
      directives.push({ kind: Kind.Literal, ch, suppress: false, slot: -1, width: 0, size: Size.Default, set: null });
      continue;
    }
    ch = i < n ? f.charCodeAt(i++) : 0;
    let suppress = false;
    if (ch === 42) {
      suppress = true;
      ch = i < n ? f.charCodeAt(i++) : 0;
    } else if (isDigit(ch)) {
      const [value, end] = readNumber(f, i - 1);
      if (end < n && f.charCodeAt(end) === 36) {
        i = end + 1;
        ch = i < n ? f.charCodeAt(i++) : 0;
        gotXpg = true;
        if (gotSequential) formatError('cannot mix "%" and "%n$" conversion specifiers', 'MIXEDSPECTYPES');
        objIndex = value - 1;
        if (objIndex < 0 || (numVars !== 0 && objIndex >= numVars)) badIndex();
        if (numVars === 0 && value > xpgSize) xpgSize = value;
      } else {
        gotSequential = true;
        if (gotXpg) formatError('cannot mix "%" and "%n$" conversion specifiers', 'MIXEDSPECTYPES');
      }
    } else {
      gotSequential = true;
      if (gotXpg) formatError('cannot mix "%" and "%n$" conversion specifiers', 'MIXEDSPECTYPES');
    }
    let width = 0;
    let gotWidth = false;
    if (isDigit(ch)) {
      const [w, end] = readNumber(f, i - 1);
      width = w;
      gotWidth = true;
      i = end;
      ch = i < n ? f.charCodeAt(i++) : 0;
    }
    let size = Size.Default;
    if (ch === 108 && i < n && f.charCodeAt(i) === 108) {
      size = Size.Big;
      i++;
      ch = i < n ? f.charCodeAt(i++) : 0;
    } else if (ch === 108 || ch === 76) {
      size = Size.Longer;
      ch = i < n ? f.charCodeAt(i++) : 0;
    } else if (ch === 104) {
      ch = i < n ? f.charCodeAt(i++) : 0;
    }
    if (!suppress && numVars !== 0 && objIndex >= numVars) badIndex();
    let set: CharSet | null = null;
    switch (ch) {
      case 99: // c
      case 110: // n
      case 115: // s
        if (ch === 99 && gotWidth) formatError('field width may not be specified in %c conversion', 'BADWIDTH');
        if (size !== Size.Default) formatError(`field size modifier may not be specified in %${String.fromCharCode(ch)} conversion`, 'BADSIZE');
        break;
      case 100: case 101: case 69: case 102: case 103: case 71: case 105: case 111: case 120: case 88: case 98: case 117:
        break;
      case 91: { // [
        if (size !== Size.Default) formatError('field size modifier may not be specified in %[ conversion', 'BADSIZE');
        const r = parseSet(f, i);
        set = r[0];
        i = r[1];
        break;
      }
      default:
        formatError(`bad scan conversion character "${String.fromCharCode(ch)}"`, 'BADTYPE');
    }
    let slot = -1;
    if (!suppress) {
      slot = objIndex;
      assigned[objIndex] = (assigned[objIndex] ?? 0) + 1;
      objIndex++;
    }
    directives.push({ kind: Kind.Conv, ch, suppress, slot, width: gotWidth ? width : 0, size, set });
  }
  const total = numVars !== 0 ? numVars : xpgSize !== 0 ? xpgSize : objIndex;
  for (let k = 0; k < total; k++) {
    const count = assigned[k] ?? 0;
    if (count > 1) formatError('variable is assigned by multiple "%n$" conversion specifiers', 'POLYASSIGNED');
    if (xpgSize === 0 && count === 0) formatError('variable is not assigned by any conversion specifiers', 'UNASSIGNED');
  }
  return { directives, total };
}

interface CacheEntry {
  numVars: number;
  parsed: ParsedScan;
}

const cache = new WeakMap<TclObj, CacheEntry>();

function parsedFor(fmt: TclObj, numVars: number): ParsedScan {
  const e = cache.get(fmt);
  if (e !== undefined && e.numVars === numVars) return e.parsed;
  const parsed = parseScan(fmt.toString(), numVars);
  cache.set(fmt, { numVars, parsed });
  return parsed;
}

const TWO64 = 1n << 64n;
const WIDE_MAX = (1n << 63n) - 1n;
const WIDE_MIN = -(1n << 63n);

/** Does a failed number stop at `limit` (the lexer ran out of input rather than hit a bad char)? */
function failReachesEnd(s: string, p: number, limit: number, float: boolean): boolean {
  const c = s.charCodeAt(p);
  if (c === 43 || c === 45) p++;
  if (p >= limit) return true;
  if (!float) return false;
  if (s.charCodeAt(p) === 46) return p + 1 >= limit;
  const rest = s.slice(p, limit).toLowerCase();
  return 'infinity'.startsWith(rest) || 'nan'.startsWith(rest);
}

/** The integer value a conversion stores (64-bit rules unless `ll`). */
function integerResult(size: Size, unsigned: boolean): TclObj {
  if (scanned.big === null && size !== Size.Big) {
    const n = scanned.num;
    if (unsigned && n < 0) return TclObj.fromInt(BigInt(n) + TWO64);
    return intObj(n);
  }
  let v = scannedBigInt();
  if (size === Size.Big) {
    if (unsigned && v < 0n) throw new TclError('unsigned bignum scans are invalid', 'TCL FORMAT BADUNSIGNED');
    return TclObj.fromInt(v);
  }
  if (v >= TWO64 || v <= -TWO64) v = v < 0n ? WIDE_MIN : WIDE_MAX;
  else v = BigInt.asIntN(64, v);
  if (unsigned && v < 0n) v += TWO64;
  return TclObj.fromInt(v);
}

function intFlags(ch: number): NumFlags {
  const base = NumFlags.IntegerOnly | NumFlags.NoWhitespace;
  switch (ch) {
    case 100: case 117: return base | NumFlags.DecimalOnly;
    case 111: return base | NumFlags.OctalOnly;
    case 120: case 88: return base | NumFlags.HexOnly;
    case 98: return base | NumFlags.BinaryOnly;
    default: return base | NumFlags.CPrefixes; // i
  }
}

/** Apply a parsed format to `s`: fills `objs`; returns the conversion count, or -1 on early underflow. */
function runScan(s: string, parsed: ParsedScan, objs: (TclObj | null)[]): number {
  const n = s.length;
  let pos = 0;
  let conversions = 0;
  let underflow = false;
  const directives = parsed.directives;
  outer: for (let di = 0; di < directives.length; di++) {
    const d = directives[di];
    if (d.kind === Kind.Space) {
      while (pos < n && isSpaceChar(s.charCodeAt(pos))) pos++;
      continue;
    }
    if (d.kind === Kind.Literal) {
      if (pos >= n) {
        underflow = true;
        break;
      }
      if (s.charCodeAt(pos++) !== d.ch) break;
      continue;
    }
    const ch = d.ch;
    if (ch === 110) { // n: characters consumed, counted in UTF-8 bytes as Tcl does
      if (!d.suppress) objs[d.slot] = intObj(utf8Length(s.slice(0, pos)));
      conversions++;
      continue;
    }
    if (pos >= n) {
      underflow = true;
      break;
    }
    if (ch !== 99 && ch !== 91) {
      while (pos < n && isSpaceChar(s.charCodeAt(pos))) pos++;
      if (pos >= n) {
        underflow = true;
        break;
      }
    }
    const limit = d.width > 0 ? Math.min(n, pos + d.width) : n;
    let value: TclObj | null = null;
    switch (ch) {
      case 99: // c
        value = intObj(s.charCodeAt(pos++));
        break;
      case 115: { // s
        let e = pos;
        while (e < limit && !isSpaceChar(s.charCodeAt(e))) e++;
        value = TclObj.fromString(s.slice(pos, e));
        pos = e;
        break;
      }
      case 91: { // [
        let e = pos;
        const set = d.set!;
        while (e < limit && inSet(set, s.charCodeAt(e))) e++;
        if (e === pos) break outer;
        value = TclObj.fromString(s.slice(pos, e));
        pos = e;
        break;
      }
      case 101: case 69: case 102: case 103: case 71: { // e E f g G
        const e = scanNumber(s, pos, limit, NumFlags.DecimalOnly | NumFlags.NoWhitespace);
        if (e < 0) {
          underflow = failReachesEnd(s, pos, limit, true);
          break outer;
        }
        const dv = scanned.kind === NumKind.Double ? scanned.double : Number(scannedBigInt());
        // A NaN is not a value Tcl can store: the conversion fails.
        if (dv !== dv) break outer;
        value = TclObj.fromDouble(dv);
        pos = e;
        break;
      }
      default: {
        const e = scanNumber(s, pos, limit, intFlags(ch));
        if (e < 0) {
          underflow = failReachesEnd(s, pos, limit, false);
          break outer;
        }
        value = integerResult(d.size, ch === 117);
        pos = e;
      }
    }
    if (!d.suppress) objs[d.slot] = value;
    conversions++;
  }
  return underflow && conversions === 0 ? -1 : conversions;
}

type Setter = (interp: Interp, v: TclObj) => void;

/** Store the converted values; the result is the count (or -1). Tcl sets every variable it can. */
function assign(interp: Interp, objs: readonly (TclObj | null)[], count: number, setters: readonly Setter[]): number {
  let assigned = 0;
  let failure: TclError | null = null;
  for (let k = 0; k < objs.length; k++) {
    const v = objs[k];
    if (v === null) continue;
    assigned++;
    failure = setChecked(interp, setters[k], v) ?? failure;
  }
  if (failure !== null) throw failure;
  interp.result = intObj(count < 0 ? -1 : assigned);
  return OK;
}

function setChecked(interp: Interp, set: Setter, v: TclObj): TclError | null {
  try {
    set(interp, v);
    return null;
  } catch (e) {
    if (e instanceof TclError) return e;
    throw e;
  }
}

/** The result without variables: the list of values (empty strings for the unassigned). */
function listResult(interp: Interp, objs: readonly (TclObj | null)[], count: number): number {
  if (count < 0) {
    interp.result = TclObj.EMPTY;
    return OK;
  }
  const items = new Array<TclObj>(objs.length);
  for (let k = 0; k < objs.length; k++) items[k] = objs[k] ?? TclObj.EMPTY;
  interp.result = TclObj.fromList(items);
  return OK;
}

function newSlots(n: number): (TclObj | null)[] {
  const objs = new Array<TclObj | null>(n);
  for (let k = 0; k < n; k++) objs[k] = null;
  return objs;
}

function scanCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 3) wrongNumArgs(objv, 1, 'string format ?varName ...?');
  const numVars = objv.length - 3;
  const parsed = parsedFor(objv[2], numVars);
  const objs = newSlots(parsed.total);
  const count = runScan(objv[1].toString(), parsed, objs);
  if (numVars === 0) return listResult(interp, objs, count);
  const setters: Setter[] = [];
  for (let k = 0; k < numVars; k++) {
    const name = objv[3 + k].toString();
    setters.push((ip, v) => ip.setVar(name, v));
  }
  return assign(interp, objs, count, setters);
}

/**
 * Inline `scan` with a literal format and literal variable names: the format is validated and parsed
 * once, and proc-local variables are stored through their frame slots.
 */
function compileScan(c: Compiler, words: CompiledWord[]): ExecFn | null {
  const n = words.length;
  if (n < 3) return null;
  for (let i = 0; i < n; i++) if (words[i].expand || (i >= 2 && words[i].constant === null)) return null;
  const numVars = n - 3;
  let parsed: ParsedScan;
  try {
    parsed = parseScan(words[2].constant!.toString(), numVars);
  } catch {
    return null;
  }
  const setters: Setter[] = [];
  for (let k = 0; k < numVars; k++) {
    const name = words[3 + k].constant!.toString();
    if (c.slot(name) < 0) {
      setters.push((ip, v) => ip.setVar(name, v));
      continue;
    }
    const locate = c.varLocator(name);
    setters.push((ip, v) => {
      const vr = locate(ip);
      if (vr.traces === null && vr.arr === null) vr.value = v;
      else ip.writeVar(vr, name, null, v);
    });
  }
  const sw = words[1];
  const k = sw.constant;
  const subject: ValueFn = k !== null ? () => k : sw.fn!;
  const total = parsed.total;
  return (interp) => {
    const v = subject(interp);
    if (v === null) return interp.pendingCode;
    const objs = newSlots(total);
    const count = runScan(v.toString(), parsed, objs);
    return numVars === 0 ? listResult(interp, objs, count) : assign(interp, objs, count, setters);
  };
}

export function register(interp: Interp): void {
  registerCompiled(interp, 'scan', scanCmd, compileScan);
}
