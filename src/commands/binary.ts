/**
 * The `binary` ensemble of Tcl 8.6: `format` and `scan` here, `encode`/`decode` in binaryCodecs.ts.
 * Byte strings are JS strings of code units 0..255 (see values/encoding.ts); a value that holds
 * wider characters is read as bytes by keeping each character's low byte, as Tcl does.
 *
 * `binary format` works in two passes like Tcl's: the first checks the format string and the
 * argument count and sizes the result, the second converts values. So a missing argument is
 * reported before a bad number in an earlier field, and a bad list before anything else.
 */
import * as os from 'node:os';
import { TclObj, Rep } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { asBytes } from '../values/encoding.js';
import { numericRep, getDouble } from '../values/number.js';
import { formatStringList } from '../values/listFormat.js';
import { OK } from '../engine/codes.js';
import type { Interp } from '../engine/interp.js';
import type { CommandProc } from '../engine/namespace.js';
import { createEnsemble } from '../engine/ensemble.js';
import { CODECS, binaryWrongArgs, type BinarySub } from './binaryCodecs.js';

/** Count forms besides a number. */
const ALL = -1;
const NOCOUNT = -2;
const INT_MAX = 2147483647;
const NATIVE_LE = os.endianness() === 'LE';
const FLT_MAX = 3.4028234663852886e38;
const TWO64 = 1n << 64n;

/** Tcl's limit on a byte array (INT_MAX); JS strings stop a little earlier. */
const MAX_RESULT = 0x1fffffe8;

/** One field of a format string. */
interface Field {
  cmd: string;
  /** What Tcl names in "bad field specifier": the first character after the previous field. */
  start: string;
  count: number;
  unsigned: boolean;
}

/**
 * Read the next field at `pos` (updating cursor.pos); null at the end. Only plain spaces separate
 * fields: Tcl reports a tab or newline as a bad field specifier, and names the leading space rather
 * than the letter when spaces precede a bad one.
 */
function nextField(fmt: string, cursor: { pos: number }): Field | null {
  let i = cursor.pos;
  const n = fmt.length;
  const start = String.fromCodePoint(fmt.codePointAt(i) ?? 0);
  while (i < n && fmt.charCodeAt(i) === 32) i++;
  if (i >= n) {
    cursor.pos = i;
    return null;
  }
  const cp = fmt.codePointAt(i)!;
  const cmd = String.fromCodePoint(cp);
  i += cmd.length;
  let unsigned = false;
  if (fmt.charCodeAt(i) === 117) {
    unsigned = true;
    i++;
  }
  let count = NOCOUNT;
  if (fmt.charCodeAt(i) === 42) {
    count = ALL;
    i++;
  } else {
    const start = i;
    while (i < n && fmt.charCodeAt(i) >= 48 && fmt.charCodeAt(i) <= 57) i++;
    if (i > start) {
      // strtoul saturates; Tcl then clamps to INT_MAX.
      const v = Number(fmt.slice(start, i));
      count = v > INT_MAX ? INT_MAX : v;
    }
  }
  cursor.pos = i;
  return { cmd, start, count, unsigned };
}

function notEnoughArgs(): never {
  throw new TclError('not enough arguments for all format specifiers');
}

function badField(cmd: string): never {
  throw new TclError(`bad field specifier "${cmd}"`);
}

function missingAtCount(): never {
  throw new TclError('missing count for "@" field specifier');
}

/** Bytes per element of the numeric field types; 0 for the others. */
function numberSize(cmd: string): number {
  switch (cmd) {
    case 'c':
      return 1;
    case 's': case 'S': case 't':
      return 2;
    case 'i': case 'I': case 'n': case 'r': case 'R': case 'f':
      return 4;
    case 'w': case 'W': case 'm': case 'q': case 'Q': case 'd':
      return 8;
    default:
      return 0;
  }
}

/** Little-endian byte order for a numeric field type. */
function littleEndian(cmd: string): boolean {
  switch (cmd) {
    case 's': case 'i': case 'w': case 'r': case 'q':
      return true;
    case 'S': case 'I': case 'W': case 'R': case 'Q':
      return false;
    default:
      return NATIVE_LE;
  }
}

function isFloatType(cmd: string): boolean {
  return cmd === 'f' || cmd === 'r' || cmd === 'R' || cmd === 'd' || cmd === 'q' || cmd === 'Q';
}

// ------------------------------------------------------------------ binary format

/**
 * An integer for a numeric field, as Tcl_GetLongFromObj reads it on a 64-bit host: anything whose
 * magnitude is below 2^64 (stored modulo the field width). Its error code is TCL VALUE NUMBER,
 * unlike the other integer readers.
 */
function fieldInteger(o: TclObj): number | bigint {
  const t = o.t === Rep.Int ? Rep.Int : numericRep(o);
  if (t === Rep.Int) return o.n;
  if (t === Rep.Big) {
    const v = o.r as bigint;
    if (v >= TWO64 || v <= -TWO64) {
      throw new TclError('integer value too large to represent', 'ARITH IOVERFLOW {integer value too large to represent}');
    }
    return v;
  }
  throw new TclError(`expected integer but got "${o.toString()}"`, 'TCL VALUE NUMBER');
}

function writeNumber(view: DataView, pos: number, cmd: string, value: TclObj): void {
  const le = littleEndian(cmd);
  switch (cmd) {
    case 'd': case 'q': case 'Q':
      view.setFloat64(pos, getDouble(value), le);
      return;
    case 'f': case 'r': case 'R': {
      const d = getDouble(value);
      // Tcl clamps out-of-range values (infinities included) to the largest float.
      view.setFloat32(pos, Math.abs(d) > FLT_MAX ? (d > 0 ? FLT_MAX : -FLT_MAX) : d, le);
      return;
    }
    case 'w': case 'W': case 'm': {
      const v = fieldInteger(value);
      view.setBigUint64(pos, BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(v)), le);
      return;
    }
  }
  const v = fieldInteger(value);
  // ToInt32 reduces any safe integer modulo 2^32, which is all a 32-bit field or narrower keeps.
  const low = typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : v | 0;
  if (cmd === 'c') view.setUint8(pos, low & 0xff);
  else if (cmd === 's' || cmd === 'S' || cmd === 't') view.setUint16(pos, low & 0xffff, le);
  else view.setUint32(pos, low >>> 0, le);
}

/** A field after the first pass: the argument it consumes and its resolved count. */
interface Step {
  cmd: string;
  count: number;
  arg: TclObj | null;
  /** Elements of a numeric field with a count. */
  items: readonly TclObj[] | null;
}

function badString(kind: string, value: string): never {
  throw new TclError(`expected ${kind} string but got "${value}" instead`);
}

function putBits(buf: Uint8Array, pos: number, step: Step): void {
  const s = step.arg!.toString();
  const count = Math.min(step.count, s.length);
  const msbFirst = step.cmd === 'B';
  let value = 0;
  let k = 0;
  for (; k < count; k++) {
    const c = s.charCodeAt(k);
    if (c !== 48 && c !== 49) badString('binary', s);
    if (msbFirst) value = (value << 1) | (c - 48);
    else value = (value >> 1) | ((c - 48) << 7);
    if ((k & 7) === 7) {
      buf[pos++] = value & 0xff;
      value = 0;
    }
  }
  if ((k & 7) !== 0) buf[pos] = (msbFirst ? value << (8 - (k & 7)) : value >> (8 - (k & 7))) & 0xff;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

function putNibbles(buf: Uint8Array, pos: number, step: Step): void {
  const s = step.arg!.toString();
  const count = Math.min(step.count, s.length);
  const highFirst = step.cmd === 'H';
  let value = 0;
  let k = 0;
  for (; k < count; k++) {
    const d = hexValue(s.charCodeAt(k));
    if (d < 0) badString('hexadecimal', s);
    if (highFirst) value = (value << 4) | d;
    else value = (value >> 4) | (d << 4);
    if (k & 1) {
      buf[pos++] = value & 0xff;
      value = 0;
    }
  }
  if (k & 1) buf[pos] = (highFirst ? value << 4 : value >> 4) & 0xff;
}

function binaryFormat(args: readonly TclObj[]): string {
  const fmt = args[0].toString();
  const steps: Step[] = [];
  const cursor = { pos: 0 };
  let arg = 1;
  let offset = 0;
  let length = 0;
  for (let f = nextField(fmt, cursor); f !== null; f = nextField(fmt, cursor)) {
    const cmd = f.cmd;
    let count = f.count;
    switch (cmd) {
      case 'a': case 'A': case 'b': case 'B': case 'h': case 'H': {
        if (arg >= args.length) notEnoughArgs();
        const value = args[arg++];
        if (count === ALL) count = value.toString().length;
        else if (count === NOCOUNT) count = 1;
        steps.push({ cmd, count, arg: value, items: null });
        if (cmd === 'a' || cmd === 'A') offset += count;
        else if (cmd === 'b' || cmd === 'B') offset += Math.floor((count + 7) / 8);
        else offset += Math.floor((count + 1) / 2);
        break;
      }
      case 'x':
        if (count === ALL) throw new TclError('cannot use "*" in format string with "x"');
        if (count === NOCOUNT) count = 1;
        steps.push({ cmd, count, arg: null, items: null });
        offset += count;
        if (offset > length) length = offset;
        break;
      case 'X':
        if (count === NOCOUNT) count = 1;
        if (count === ALL || count > offset) count = offset;
        steps.push({ cmd, count, arg: null, items: null });
        if (offset > length) length = offset;
        offset -= count;
        break;
      case '@':
        if (offset > length) length = offset;
        if (count === NOCOUNT) missingAtCount();
        offset = count === ALL ? length : count;
        steps.push({ cmd, count: offset, arg: null, items: null });
        break;
      default: {
        const size = numberSize(cmd);
        if (size === 0) badField(f.start);
        if (arg >= args.length) notEnoughArgs();
        const value = args[arg++];
        if (count === NOCOUNT) {
          steps.push({ cmd, count: 1, arg: value, items: null });
          count = 1;
        } else {
          // Only a field with a count takes a list; extra elements are ignored.
          const items = getList(value);
          if (count === ALL) count = items.length;
          else if (count > items.length) throw new TclError('number of elements in list does not match count');
          steps.push({ cmd, count, arg: null, items });
        }
        offset += count * size;
      }
    }
    if (offset > MAX_RESULT) throw new TclError('result of binary format is too large', 'TCL MEMORY');
  }
  if (offset > length) length = offset;
  if (length === 0) return '';

  const buf = new Uint8Array(length);
  const view = new DataView(buf.buffer);
  let pos = 0;
  for (const step of steps) {
    const cmd = step.cmd;
    switch (cmd) {
      case 'a': case 'A': {
        const bytes = asBytes(step.arg!.toString());
        const n = Math.min(step.count, bytes.length);
        for (let k = 0; k < n; k++) buf[pos + k] = bytes.charCodeAt(k);
        if (cmd === 'A') buf.fill(32, pos + n, pos + step.count);
        else buf.fill(0, pos + n, pos + step.count);
        pos += step.count;
        break;
      }
      case 'b': case 'B': {
        const end = pos + Math.floor((step.count + 7) / 8);
        buf.fill(0, pos, end);
        putBits(buf, pos, step);
        pos = end;
        break;
      }
      case 'h': case 'H': {
        const end = pos + Math.floor((step.count + 1) / 2);
        buf.fill(0, pos, end);
        putNibbles(buf, pos, step);
        pos = end;
        break;
      }
      case 'x':
        buf.fill(0, pos, pos + step.count);
        pos += step.count;
        break;
      case 'X':
        pos -= step.count;
        break;
      case '@':
        pos = step.count;
        break;
      default: {
        const size = numberSize(cmd);
        if (step.items === null) {
          writeNumber(view, pos, cmd, step.arg!);
          pos += size;
        } else {
          for (let k = 0; k < step.count; k++) {
            writeNumber(view, pos, cmd, step.items[k]);
            pos += size;
          }
        }
      }
    }
  }
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
}

// ------------------------------------------------------------------ binary scan

/**
 * A NaN read from data keeps its sign and payload in Tcl's printed form ("-NaN", "NaN(1)"); a JS
 * number cannot be trusted to carry them, so the text is fixed here.
 */
function nanObj(negative: boolean, payload: bigint): TclObj {
  const text = (negative ? '-' : '') + 'NaN' + (payload === 0n ? '' : `(${payload.toString(16)})`);
  return new TclObj(text, Rep.Double, NaN, null);
}

const PAYLOAD_MASK = (1n << 51n) - 1n;

function readNumber(view: DataView, pos: number, cmd: string, unsigned: boolean): TclObj {
  const le = littleEndian(cmd);
  switch (cmd) {
    case 'c':
      return TclObj.fromInt(unsigned ? view.getUint8(pos) : view.getInt8(pos));
    case 's': case 'S': case 't':
      return TclObj.fromInt(unsigned ? view.getUint16(pos, le) : view.getInt16(pos, le));
    case 'i': case 'I': case 'n':
      return TclObj.fromInt(unsigned ? view.getUint32(pos, le) : view.getInt32(pos, le));
    case 'w': case 'W': case 'm':
      return TclObj.fromInt(unsigned ? view.getBigUint64(pos, le) : view.getBigInt64(pos, le));
    case 'f': case 'r': case 'R': {
      const d = view.getFloat32(pos, le);
      if (d === d) return TclObj.fromDouble(d);
      const bits = view.getUint32(pos, le);
      // Widening to double moves the float's 23 mantissa bits to the top of the double's 52.
      return nanObj(bits >>> 31 === 1, (BigInt(bits & 0x7fffff) << 29n) & PAYLOAD_MASK);
    }
    default: {
      const d = view.getFloat64(pos, le);
      if (d === d) return TclObj.fromDouble(d);
      const bits = view.getBigUint64(pos, le);
      return nanObj(bits >> 63n === 1n, bits & PAYLOAD_MASK);
    }
  }
}

function bitString(bytes: string, offset: number, count: number, msbFirst: boolean): string {
  let out = '';
  for (let k = 0; k < count; k++) {
    const b = bytes.charCodeAt(offset + (k >> 3));
    const bit = msbFirst ? (b >> (7 - (k & 7))) & 1 : (b >> (k & 7)) & 1;
    out += bit ? '1' : '0';
  }
  return out;
}

const HEX_DIGITS = '0123456789abcdef';

function nibbleString(bytes: string, offset: number, count: number, highFirst: boolean): string {
  let out = '';
  for (let k = 0; k < count; k++) {
    const b = bytes.charCodeAt(offset + (k >> 1));
    const first = (k & 1) === 0;
    out += HEX_DIGITS[(first === highFirst ? b >> 4 : b) & 0xf];
  }
  return out;
}

/** Returns the number of variables set; stops quietly where the data runs out. */
function binaryScan(interp: Interp, args: readonly TclObj[]): number {
  const bytes = asBytes(args[0].toString());
  const fmt = args[1].toString();
  const length = bytes.length;
  let view: DataView | null = null;
  const cursor = { pos: 0 };
  let arg = 2;
  let offset = 0;
  const store = (value: TclObj): void => {
    interp.setVar(args[arg].toString(), value);
    arg++;
  };
  for (let f = nextField(fmt, cursor); f !== null; f = nextField(fmt, cursor)) {
    const cmd = f.cmd;
    let count = f.count;
    switch (cmd) {
      case 'a': case 'A': {
        if (arg >= args.length) notEnoughArgs();
        if (count === ALL) count = length - offset;
        else {
          if (count === NOCOUNT) count = 1;
          if (count > length - offset) return arg - 2;
        }
        let end = offset + count;
        if (cmd === 'A') {
          while (end > offset) {
            const c = bytes.charCodeAt(end - 1);
            if (c !== 0 && c !== 32) break;
            end--;
          }
        }
        store(TclObj.fromString(bytes.slice(offset, end)));
        offset += count;
        break;
      }
      case 'b': case 'B': case 'h': case 'H': {
        if (arg >= args.length) notEnoughArgs();
        const perByte = cmd === 'b' || cmd === 'B' ? 8 : 2;
        if (count === ALL) count = (length - offset) * perByte;
        else {
          if (count === NOCOUNT) count = 1;
          if (count > (length - offset) * perByte) return arg - 2;
        }
        const text = perByte === 8 ? bitString(bytes, offset, count, cmd === 'B') : nibbleString(bytes, offset, count, cmd === 'H');
        store(TclObj.fromString(text));
        offset += Math.floor((count + perByte - 1) / perByte);
        break;
      }
      case 'x':
        if (count === NOCOUNT) count = 1;
        offset = count === ALL || count > length - offset ? length : offset + count;
        break;
      case 'X':
        if (count === NOCOUNT) count = 1;
        offset = count === ALL || count > offset ? 0 : offset - count;
        break;
      case '@':
        if (count === NOCOUNT) missingAtCount();
        offset = count === ALL || count > length ? length : count;
        break;
      default: {
        const size = numberSize(cmd);
        if (size === 0) badField(f.start);
        if (arg >= args.length) notEnoughArgs();
        if (view === null) {
          const buf = Buffer.from(bytes, 'latin1');
          view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
        }
        if (count === NOCOUNT) {
          if (length - offset < size) return arg - 2;
          store(readNumber(view, offset, cmd, f.unsigned));
          offset += size;
        } else {
          if (count === ALL) count = Math.floor((length - offset) / size);
          if (length - offset < count * size) return arg - 2;
          const items: TclObj[] = new Array(count);
          for (let k = 0; k < count; k++) items[k] = readNumber(view, offset + k * size, cmd, f.unsigned);
          store(TclObj.fromList(items));
          offset += count * size;
        }
      }
    }
  }
  return arg - 2;
}

// ------------------------------------------------------------------ registration

function formatSub(interp: Interp, head: string, args: readonly TclObj[]): number {
  if (args.length < 1) binaryWrongArgs(head, 'formatString ?arg ...?');
  interp.result = TclObj.fromString(binaryFormat(args));
  return OK;
}

function scanSub(interp: Interp, head: string, args: readonly TclObj[]): number {
  if (args.length < 2) binaryWrongArgs(head, 'value formatString ?varName ...?');
  interp.result = TclObj.fromInt(binaryScan(interp, args));
  return OK;
}

/**
 * `binary encode` and `binary decode` are ensembles without prefix matching, so an unknown word is
 * reported as "unknown subcommand" rather than "unknown or ambiguous subcommand".
 */
function subEnsemble(which: 'encode' | 'decode'): BinarySub {
  const table = CODECS[which];
  const names = Object.keys(table).sort();
  const choices = names.slice(0, -1).join(', ') + ', or ' + names[names.length - 1];
  return (interp, head, args) => {
    if (args.length < 1) binaryWrongArgs(head, 'subcommand ?arg ...?');
    const word = args[0].toString();
    if (!Object.prototype.hasOwnProperty.call(table, word)) {
      throw new TclError(`unknown subcommand "${word}": must be ${choices}`, `TCL LOOKUP SUBCOMMAND ${formatStringList([word])}`);
    }
    return table[word](interp, head + ' ' + word, args.slice(1));
  };
}

const SUBS: Record<string, BinarySub> = {
  decode: subEnsemble('decode'),
  encode: subEnsemble('encode'),
  format: formatSub,
  scan: scanSub,
};

export function register(interp: Interp): void {
  const table: Record<string, CommandProc> = {};
  for (const name of Object.keys(SUBS)) {
    const sub = SUBS[name];
    // Messages name the subcommand in full whatever prefix was typed, as Tcl's ensembles do.
    table[name] = (ip, objv) => sub(ip, objv[0].toString() + ' ' + name, objv.slice(2));
  }
  createEnsemble(interp, 'binary', table);
  // The commands the ensembles map to, callable directly as in Tcl.
  interp.ensureNamespace('::tcl::binary');
  for (const name of Object.keys(SUBS)) {
    const sub = SUBS[name];
    interp.createCommand('::tcl::binary::' + name, (ip, objv) => sub(ip, objv[0].toString(), objv.slice(1)));
  }
  for (const which of ['encode', 'decode'] as const) {
    interp.ensureNamespace('::tcl::binary::' + which);
    const table = CODECS[which];
    for (const name of Object.keys(table)) {
      const sub = table[name];
      interp.createCommand(`::tcl::binary::${which}::${name}`, (ip, objv) => sub(ip, objv[0].toString(), objv.slice(1)));
    }
  }
}
