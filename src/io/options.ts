/**
 * Channel options (fconfigure / chan configure): the generic ones Tcl's channel layer handles
 * itself, in the order and with the matching rules and messages of Tcl_Get/SetChannelOption, plus
 * the driver's own options.
 */
import { TclError } from '../values/error.js';
import { TclObj } from '../values/obj.js';
import { getList } from '../values/list.js';
import { formatStringList } from '../values/listFormat.js';
import { parseBoolean, getInt32 } from '../values/number.js';
import { Channel, Trans, Buffering, TRANS_NAMES, BUFFERING_NAMES } from './channel.js';
import { getEncoding } from './encoding.js';

const GENERIC = ['-blocking', '-buffering', '-buffersize', '-encoding', '-eofchar', '-translation'];

/** Tcl's HaveOpt: at least minLen+1 characters of the option, same second character. */
function haveOpt(opt: string, minLen: number, name: string): boolean {
  return opt.length > minLen && opt.charCodeAt(1) === name.charCodeAt(1) && name.startsWith(opt);
}

/** Which generic option `opt` names, or -1. */
function genericIndex(opt: string): number {
  if (haveOpt(opt, 2, '-blocking')) return 0;
  if (haveOpt(opt, 7, '-buffering')) return 1;
  if (haveOpt(opt, 7, '-buffersize')) return 2;
  if (haveOpt(opt, 2, '-encoding')) return 3;
  if (haveOpt(opt, 2, '-eofchar')) return 4;
  if (haveOpt(opt, 1, '-translation')) return 5;
  return -1;
}

/** Tcl_BadChannelOption: generic options, then the driver's. */
export function badOption(opt: string, driverNames: readonly string[]): TclError {
  const names = [...GENERIC, ...driverNames];
  const list = names.slice(0, -1).join(', ') + ', or ' + names[names.length - 1];
  return new TclError(`bad option "${opt}": should be one of ${list}`);
}

function charOrEmpty(c: number): string {
  return c < 0 ? '' : String.fromCharCode(c);
}

/**
 * Value of a generic option as list elements: -eofchar and -translation have one per open side
 * (a server socket, open for neither, shows the default once).
 */
function genericParts(ch: Channel, i: number): string[] {
  switch (i) {
    case 0:
      return [ch.blocking ? '1' : '0'];
    case 1:
      return [BUFFERING_NAMES[ch.buffering]];
    case 2:
      return [String(ch.bufferSize)];
    case 3:
      return [ch.encoding.name];
    case 4: {
      const parts: string[] = [];
      if (ch.readable && !ch.readClosed) parts.push(charOrEmpty(ch.inEofChar));
      if (ch.writable && !ch.writeClosed) parts.push(charOrEmpty(ch.outEofChar));
      if (parts.length === 0) parts.push('');
      return parts;
    }
    default: {
      const parts: string[] = [];
      if (ch.readable && !ch.readClosed) parts.push(TRANS_NAMES[ch.inTrans]);
      if (ch.writable && !ch.writeClosed) parts.push(TRANS_NAMES[ch.outTrans]);
      if (parts.length === 0) parts.push('auto');
      return parts;
    }
  }
}

/** `fconfigure chan`: every option and value. */
export function getAllOptions(ch: Channel): TclObj {
  const out: string[] = [];
  for (let i = 0; i < GENERIC.length; i++) {
    const parts = genericParts(ch, i);
    out.push(GENERIC[i], parts.length === 1 ? parts[0] : formatStringList(parts));
  }
  for (const name of ch.driverOptionNames()) {
    const v = ch.getAllDriverOption(name);
    if (v !== null) out.push(name, v.toString());
  }
  return TclObj.fromString(formatStringList(out));
}

/** `fconfigure chan -opt`. */
export function getOption(ch: Channel, opt: string): TclObj {
  const i = genericIndex(opt);
  if (i >= 0) return TclObj.fromString(formatStringList(genericParts(ch, i)));
  const v = ch.getDriverOption(opt);
  if (v !== null) return v;
  throw badOption(opt, ch.badOptionNames(false));
}

const TRANS_WORDS = ['auto', 'binary', 'cr', 'lf', 'crlf', 'platform'];

function parseTrans(word: string): Trans {
  switch (word) {
    case 'auto':
      return Trans.Auto;
    case 'binary':
      return Trans.Binary;
    case 'cr':
      return Trans.Cr;
    case 'crlf':
      return Trans.Crlf;
    case 'lf':
    case 'platform':
      return Trans.Lf;
    default:
      throw new TclError(`bad value for -translation: must be one of ${TRANS_WORDS.slice(0, -1).join(', ')}, or platform`);
  }
}

function parseEofChar(s: string): number {
  if (s.length === 0) return -1;
  const c = s.charCodeAt(0);
  if (c === 0 || c >= 0x80) throw new TclError('bad value for -eofchar: must be non-NUL ASCII character');
  return c;
}

/** `fconfigure chan -opt value`. */
export function setOption(ch: Channel, opt: string, value: TclObj): void {
  const i = genericIndex(opt);
  switch (i) {
    case 0: {
      // The channel layer parses with Tcl_GetBoolean (the string form), whose errorCode differs.
      const b = parseBoolean(value);
      if (b === undefined) throw new TclError(`expected boolean value but got "${value.toString()}"`, 'TCL VALUE BOOLEAN');
      ch.setBlocking(b);
      return;
    }
    case 1: {
      const v = value.toString();
      const k = v.length > 0 ? BUFFERING_NAMES.findIndex((n) => n.startsWith(v)) : -1;
      if (k < 0) throw new TclError('bad value for -buffering: must be one of full, line, or none');
      ch.buffering = k as Buffering;
      return;
    }
    case 2:
      ch.setBufferSize(getInt32(value));
      return;
    case 3: {
      const name = value.toString();
      ch.setEncoding(getEncoding(name === '' ? 'binary' : name));
      return;
    }
    case 4: {
      const parts = getList(value);
      if (parts.length > 2) throw new TclError('bad value for -eofchar: should be a list of zero, one, or two elements');
      if (parts.length === 0) {
        if (ch.readable) ch.inEofChar = -1;
        if (ch.writable) ch.outEofChar = -1;
        return;
      }
      const a = parseEofChar(parts[0].toString());
      const b = parts.length === 2 ? parseEofChar(parts[1].toString()) : a;
      if (ch.readable && ch.writable) {
        ch.inEofChar = a;
        ch.outEofChar = b;
      } else if (ch.readable) ch.inEofChar = a;
      else if (ch.writable) ch.outEofChar = a;
      return;
    }
    case 5: {
      const parts = getList(value);
      if (parts.length < 1 || parts.length > 2) {
        throw new TclError('bad value for -translation: must be a one or two element list');
      }
      const inWord = parts[0].toString();
      const outWord = parts[parts.length - 1].toString();
      const inT = ch.readable ? parseTrans(inWord) : Trans.Lf;
      let outT = ch.writable ? parseTrans(outWord) : Trans.Lf;
      // Auto output is the platform's line ending, except that sockets speak CRLF (as Tcl does).
      if (outT === Trans.Auto) outT = ch.typeName === 'tcp' ? Trans.Crlf : Trans.Lf;
      ch.setTranslation(inT, outT);
      return;
    }
  }
  if (ch.setDriverOption(opt, value)) return;
  throw badOption(opt, ch.badOptionNames(true));
}
