/**
 * `format formatString ?arg ...?` with Tcl 8.6's rules (Tcl_AppendFormatToObj): its own integer
 * formatting (64-bit wrap-around by default, `h` 16-bit, `ll` arbitrary precision), C printf for
 * doubles, XPG `%n$` positions, `*` widths, and the exact error texts and codes. A format string is
 * parsed once into segments cached on its value; argument checks happen when the segments run, in
 * the order Tcl makes them.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getInt, getInt32, getDouble } from '../values/number.js';
import { OK } from '../engine/codes.js';
import { wrongNumArgs } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';
import { formatDoublePrintf, DoubleSpec } from './printfDouble.js';

const enum Size {
  Default = 0,
  Short = 1,
  Wide = 2,
  Big = 3,
}

/** Width/precision taken from the argument list. */
const STAR = -2;

interface Spec {
  /** Literal text before this conversion. */
  text: string;
  /** Whether the specifier gave an XPG `%n$` position. */
  xpg: boolean;
  /** The 0-based argument index of an XPG position. */
  position: number;
  minus: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  hash: boolean;
  width: number;
  precision: number;
  gotPrecision: boolean;
  size: Size;
  /** The conversion character, 0 at the end of the string. */
  conv: number;
  /** An error found while parsing this specifier (raised when it is reached). */
  error: TclError | null;
}

interface Parsed {
  specs: Spec[];
  /** Literal text after the last conversion. */
  tail: string;
}

const NOT_ENOUGH = 'not enough arguments for all format specifiers';
const BAD_INDEX = '"%n$" argument index out of range';
const MIXED = 'cannot mix "%" and "%n$" conversion specifiers';
const OVERFLOW = 'max size for a Tcl value exceeded';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Read a run of digits at i as C's strtoul would, wrapped to a 32-bit int. */
function readInt(s: string, i: number): [number, number] {
  let j = i;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  const text = s.slice(i, j);
  const v = j - i <= 9 ? +text : Number(BigInt.asIntN(32, BigInt(text)));
  return [v, j];
}

function newSpec(text: string): Spec {
  return {
    text, xpg: false, position: 0, minus: false, plus: false, space: false, zero: false, hash: false,
    width: 0, precision: 0, gotPrecision: false, size: Size.Default, conv: 0, error: null,
  };
}

function parseFormat(f: string): Parsed {
  const specs: Spec[] = [];
  const n = f.length;
  let text = '';
  let chunk = 0;
  let i = 0;
  let gotXpg = false;
  let gotSequential = false;
  while (i < n) {
    if (f.charCodeAt(i) !== 37) {
      i++;
      continue;
    }
    text += f.slice(chunk, i);
    i++;
    if (i < n && f.charCodeAt(i) === 37) {
      text += '%';
      chunk = ++i;
      continue;
    }
    const spec = newSpec(text);
    text = '';
    specs.push(spec);
    let c = i < n ? f.charCodeAt(i) : 0;
    // XPG position: digits followed by '$'.
    let xpg = false;
    if (isDigit(c)) {
      const [pos, end] = readInt(f, i);
      if (end < n && f.charCodeAt(end) === 36) {
        xpg = true;
        spec.xpg = true;
        spec.position = pos - 1;
        i = end + 1;
        c = i < n ? f.charCodeAt(i) : 0;
      }
    }
    if (xpg ? gotSequential : gotXpg) {
      spec.error = new TclError(MIXED, 'TCL FORMAT MIXEDSPECTYPES');
      chunk = i = n;
      break;
    }
    if (xpg) gotXpg = true;
    else gotSequential = true;
    for (;;) {
      if (c === 45) spec.minus = true;
      else if (c === 35) spec.hash = true;
      else if (c === 48) spec.zero = true;
      else if (c === 32) spec.space = true;
      else if (c === 43) spec.plus = true;
      else break;
      i++;
      c = i < n ? f.charCodeAt(i) : 0;
    }
    if (isDigit(c)) {
      const [w, end] = readInt(f, i);
      if (w < 0) {
        spec.error = new TclError(OVERFLOW, 'TCL FORMAT OVERFLOW');
        chunk = i = n;
        break;
      }
      spec.width = w;
      i = end;
      c = i < n ? f.charCodeAt(i) : 0;
    } else if (c === 42) {
      spec.width = STAR;
      i++;
      c = i < n ? f.charCodeAt(i) : 0;
    }
    if (c === 46) {
      spec.gotPrecision = true;
      i++;
      c = i < n ? f.charCodeAt(i) : 0;
    }
    // Tcl reads digits here even without a '.', though only a '.' makes them a precision.
    if (isDigit(c)) {
      const [p, end] = readInt(f, i);
      spec.precision = p;
      i = end;
      c = i < n ? f.charCodeAt(i) : 0;
    } else if (c === 42) {
      spec.precision = STAR;
      i++;
      c = i < n ? f.charCodeAt(i) : 0;
    }
    if (c === 104) {
      spec.size = Size.Short;
      i++;
      c = i < n ? f.charCodeAt(i) : 0;
    } else if (c === 108) {
      i++;
      c = i < n ? f.charCodeAt(i) : 0;
      if (c === 108) {
        spec.size = Size.Big;
        i++;
        c = i < n ? f.charCodeAt(i) : 0;
      } else spec.size = Size.Wide;
    }
    spec.conv = c === 105 ? 100 : c; // %i is %d
    if (i < n) i++;
    chunk = i;
  }
  return { specs, tail: text + f.slice(chunk) };
}

const cache = new WeakMap<TclObj, Parsed>();

function parsedFormat(o: TclObj): Parsed {
  let p = cache.get(o);
  if (p === undefined) {
    p = parseFormat(o.toString());
    cache.set(o, p);
  }
  return p;
}

function argError(xpg: boolean): TclError {
  return xpg ? new TclError(BAD_INDEX, 'TCL FORMAT INDEXRANGE') : new TclError(NOT_ENOUGH, 'TCL FORMAT FIELDVARMISMATCH');
}

/** Integer argument for the integer conversions (Tcl reports these failures as TCL VALUE NUMBER). */
function intArg(o: TclObj): number | bigint {
  try {
    return getInt(o);
  } catch (e) {
    if (e instanceof TclError) throw new TclError(e.message, 'TCL VALUE NUMBER');
    throw e;
  }
}

const TWO64 = 1n << 64n;

function pad(n: number, ch: string): string {
  return n > 0 ? ch.repeat(n) : '';
}

/** The digits and sign of an integer conversion (d u o x X b). */
function formatInteger(spec: Spec, conv: number, o: TclObj, width: number, precision: number): string {
  const size = spec.size;
  // Tcl refuses %llu whatever the value, before looking at it.
  if (conv === 117 && size === Size.Big) throw new TclError('unsigned bignum format is invalid', 'TCL FORMAT BADUNSIGNED');
  let v = intArg(o);
  if (size === Size.Short) {
    v = typeof v === 'number' ? ((v | 0) << 16) >> 16 : Number(BigInt.asIntN(16, v));
  } else if (size !== Size.Big && typeof v === 'bigint') {
    v = BigInt.asIntN(64, v);
    if (v >= -9007199254740991n && v <= 9007199254740991n) v = Number(v);
  }
  const negative = v < 0;
  let sign = '';
  let prefix = '';
  let digits: string;
  if (conv === 100) {
    if (negative) sign = '-';
    else if (spec.plus) sign = '+';
    else if (spec.space) sign = ' ';
    digits = typeof v === 'number' ? String(negative ? -v : v) : (negative ? -v : v).toString();
  } else {
    const radix = conv === 117 ? 10 : conv === 111 ? 8 : conv === 98 ? 2 : 16;
    let mag: number | bigint = v;
    if (negative) {
      if (size === Size.Big) {
        sign = '-';
        mag = -(v as bigint);
      } else if (size === Size.Short) {
        mag = (v as number) + 65536;
      } else {
        mag = BigInt(v) + TWO64;
      }
    }
    if (spec.hash) {
      if (conv === 111) {
        prefix = '0';
        precision--;
      } else if (conv === 120) prefix = '0x';
      else if (conv === 88) prefix = '0X';
      else if (conv === 98) prefix = '0b';
    }
    const zero = typeof mag === 'number' ? mag === 0 : mag === 0n;
    if (zero) digits = conv === 111 && spec.hash ? '' : '0';
    else digits = mag.toString(radix);
    if (conv === 88) digits = digits.toUpperCase();
  }
  let zeros = 0;
  if (spec.gotPrecision) {
    if (digits.length < precision) zeros = precision - digits.length;
  } else if (spec.zero) {
    const len = sign.length + prefix.length + digits.length;
    if (len < width) zeros = width - len;
  }
  return sign + prefix + pad(zeros, '0') + digits;
}

function formatChar(o: TclObj): string {
  const code = getInt32(o);
  if (code < 0 || code > 0xffff) return '\ufffd';
  return String.fromCharCode(code);
}

const doubleSpec: DoubleSpec = { conv: 0, minus: false, plus: false, space: false, zero: false, hash: false, width: 0, precision: -1 };

function formatFloat(spec: Spec, conv: number, o: TclObj, width: number, precision: number, minus: boolean): string {
  const d = getDouble(o);
  if (d !== d) throw new TclError('floating point value is Not a Number', 'TCL VALUE DOUBLE NAN');
  const ds = doubleSpec;
  ds.conv = conv;
  ds.minus = minus;
  ds.plus = spec.plus;
  ds.space = spec.space;
  ds.zero = spec.zero;
  ds.hash = spec.hash;
  ds.width = width;
  ds.precision = spec.gotPrecision ? Math.max(precision, 0) : -1;
  return formatDoublePrintf(d, ds);
}

const MAX_RESULT = (1 << 29) - 24;

/** Run Tcl's format over `args`; throws TclError as Tcl does. */
export function formatValues(fmt: TclObj, args: readonly TclObj[], first = 0): string {
  const parsed = parsedFormat(fmt);
  const argc = args.length - first;
  let out = '';
  let objIndex = 0;
  for (const spec of parsed.specs) {
    out += spec.text;
    if (spec.error !== null) throw spec.error;
    const xpg = spec.xpg;
    if (xpg) objIndex = spec.position;
    let minus = spec.minus;
    let width = spec.width;
    if (width === STAR) {
      if (objIndex < 0 || objIndex >= argc - 1) throw argError(xpg);
      width = getInt32(args[first + objIndex]);
      if (width < 0) {
        width = -width | 0;
        minus = true;
        if (width < 0) width = 0;
      }
      objIndex++;
    }
    let precision = spec.precision;
    if (precision === STAR) {
      if (objIndex < 0 || objIndex >= argc - 1) throw argError(xpg);
      precision = getInt32(args[first + objIndex]);
      if (precision < 0) precision = 0;
      objIndex++;
    }
    if (objIndex < 0 || objIndex >= argc) throw argError(xpg);
    const o = args[first + objIndex];
    const conv = spec.conv;
    let segment: string;
    let padChar = spec.zero ? '0' : ' ';
    switch (conv) {
      case 0:
        throw new TclError('format string ended in middle of field specifier', 'TCL FORMAT INCOMPLETE');
      case 115: { // s
        segment = o.toString();
        if (spec.gotPrecision && precision < segment.length) segment = segment.slice(0, Math.max(precision, 0));
        break;
      }
      case 99: // c
        segment = formatChar(o);
        break;
      case 100: case 117: case 111: case 120: case 88: case 98: // d u o x X b
        segment = formatInteger(spec, conv, o, width, precision);
        if (spec.gotPrecision) padChar = ' ';
        break;
      case 101: case 69: case 102: case 103: case 71: // e E f g G
        segment = formatFloat(spec, conv, o, width, precision, minus);
        break;
      default:
        throw new TclError(`bad field specifier "${String.fromCharCode(conv)}"`, 'TCL FORMAT BADTYPE');
    }
    if (width > segment.length) {
      if (width > MAX_RESULT) throw new TclError(OVERFLOW, 'TCL FORMAT OVERFLOW');
      const fill = pad(width - segment.length, padChar);
      segment = minus ? segment + fill : fill + segment;
    }
    out += segment;
    if (out.length > MAX_RESULT) throw new TclError(OVERFLOW, 'TCL FORMAT OVERFLOW');
    objIndex++;
  }
  return out + parsed.tail;
}

function formatCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) wrongNumArgs(objv, 1, 'formatString ?arg ...?');
  interp.result = TclObj.fromString(formatValues(objv[1], objv, 2));
  return OK;
}

export function register(interp: Interp): void {
  interp.createCommand('format', formatCmd);
}

