/**
 * `binary encode` and `binary decode` for hex, base64 and uuencode, as Tcl 8.6.13 does them.
 *
 * Encoders read their data as bytes. Decoders read the text as Tcl's internal UTF-8 (NUL as C0 80),
 * byte by byte: error positions count those bytes, though the message shows the whole character.
 * Without -strict the decoders are lenient in different ways: hex skips only white space, base64
 * skips anything that is not part of the alphabet, uuencode skips odd bytes inside a group but
 * rejects them between lines.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { asBytes, textToUtf8, utf8ToText } from '../values/encoding.js';
import { getInt32, isTclSpace } from '../values/number.js';
import { getIndexFromTable } from '../engine/args.js';
import { OK } from '../engine/codes.js';
import type { Interp } from '../engine/interp.js';

/** A subcommand body: `head` is the command words for messages, `args` the words after them. */
export type BinarySub = (interp: Interp, head: string, args: readonly TclObj[]) => number;

/** `wrong # args: should be "<head> <usage>"`; `head` names the command as the caller invoked it. */
export function binaryWrongArgs(head: string, usage: string): never {
  throw new TclError(`wrong # args: should be "${head} ${usage}"`, 'TCL WRONGARGS');
}

function bytesResult(interp: Interp, bytes: number[] | string): number {
  interp.result = TclObj.fromString(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1'));
  return OK;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** The character whose UTF-8 starts at byte `pos` of `data`. */
function charAt(data: string, pos: number): string {
  const text = utf8ToText(data.slice(pos, pos + 4));
  return String.fromCodePoint(text.codePointAt(0) ?? 0);
}

function invalidChar(kind: string, data: string, pos: number): never {
  throw new TclError(`invalid ${kind} "${charAt(data, pos)}" at position ${pos}`, 'TCL BINARY DECODE INVALID');
}

function lineLengthError(): never {
  throw new TclError('line length out of range', 'TCL BINARY ENCODE LINE_LENGTH');
}

/** The text of a decoder's data argument as Tcl holds it internally. */
function internalUtf8(o: TclObj): string {
  return textToUtf8(o.toString(), true);
}

// ------------------------------------------------------------------ options

const ENCODE_OPTIONS = ['-maxlen', '-wrapchar'];
const DECODE_OPTIONS = ['-strict'];

/** Walk `-option value` pairs before the data word; `onOption` sees the option index and value. */
function encodeOptions(head: string, args: readonly TclObj[], onOption: (index: number, value: TclObj) => void): TclObj {
  if (args.length < 1 || args.length % 2 === 0) binaryWrongArgs(head, '?-maxlen len? ?-wrapchar char? data');
  for (let i = 0; i < args.length - 1; i += 2) onOption(getIndexFromTable(args[i], ENCODE_OPTIONS, 'option', true), args[i + 1]);
  return args[args.length - 1];
}

/** Returns whether -strict was given. */
function decodeOptions(head: string, args: readonly TclObj[]): boolean {
  if (args.length < 1 || args.length > 2) binaryWrongArgs(head, '?options? data');
  let strict = false;
  for (let i = 0; i < args.length - 1; i++) {
    getIndexFromTable(args[i], DECODE_OPTIONS, 'option', true);
    strict = true;
  }
  return strict;
}

// ------------------------------------------------------------------ hex

const HEX_DIGITS = '0123456789abcdef';

function encodeHex(interp: Interp, head: string, args: readonly TclObj[]): number {
  if (args.length !== 1) binaryWrongArgs(head, 'data');
  const bytes = asBytes(args[0].toString());
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i);
    out += HEX_DIGITS[b >> 4] + HEX_DIGITS[b & 15];
  }
  return bytesResult(interp, out);
}

function decodeHex(interp: Interp, head: string, args: readonly TclObj[]): number {
  const strict = decodeOptions(head, args);
  const data = internalUtf8(args[args.length - 1]);
  const n = data.length;
  const out: number[] = [];
  let pos = 0;
  let partial = false;
  while (pos < n) {
    let value = 0;
    let digits = 0;
    while (digits < 2 && pos < n) {
      const c = data.charCodeAt(pos++);
      const d = hexValue(c);
      if (d < 0) {
        if (strict || !isTclSpace(c)) invalidChar('hexadecimal digit', data, pos - 1);
        continue;
      }
      value = (value << 4) | d;
      digits++;
    }
    // A byte left without its second digit (or made of trailing white space only) is dropped.
    if (digits < 2) partial = true;
    out.push(value & 0xff);
  }
  if (partial) out.pop();
  return bytesResult(interp, out);
}

// ------------------------------------------------------------------ base64

const B64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function b64Value(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c === 43) return 62;
  if (c === 47) return 63;
  return -1;
}

/** Split `text` into lines of `maxlen` characters joined by `wrap` (none after the last). */
function wrapLines(text: string, maxlen: number, wrap: string): string {
  if (maxlen <= 0 || wrap.length === 0 || text.length <= maxlen) return text;
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += maxlen) lines.push(text.slice(i, i + maxlen));
  return lines.join(wrap);
}

function encodeBase64(interp: Interp, head: string, args: readonly TclObj[]): number {
  let maxlen = 0;
  // Unlike uuencode's, this wrap string is taken as bytes (each character's low byte).
  let wrap = '\n';
  const data = encodeOptions(head, args, (index, value) => {
    if (index === 0) {
      maxlen = getInt32(value);
      if (maxlen < 0) lineLengthError();
    } else {
      wrap = asBytes(value.toString());
    }
  });
  const text = Buffer.from(asBytes(data.toString()), 'latin1').toString('base64');
  return bytesResult(interp, wrapLines(text, maxlen, wrap));
}

const EQUALS = 61;

function decodeBase64(interp: Interp, head: string, args: readonly TclObj[]): number {
  const strict = decodeOptions(head, args);
  const data = internalUtf8(args[args.length - 1]);
  const n = data.length;
  const out: number[] = [];
  // Bytes of the written groups that padding (or a group cut short) takes back.
  let cut = 0;
  let pos = 0;
  let c = 0;
  while (pos < n) {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      if (pos < n) c = data.charCodeAt(pos++);
      else if (i > 1) c = EQUALS;
      else {
        // Fewer than two characters cannot make a byte: the group is dropped.
        if (strict) invalidChar('base64 character', data, pos - 1);
        cut += 3;
        break;
      }
      if (cut > 0) {
        // After padding only more padding counts; anything else is skipped or, strictly, an error.
        if (c === EQUALS && i > 1) {
          value <<= 6;
          cut++;
        } else if (!strict) i--;
        else invalidChar('base64 character', data, pos - 1);
        continue;
      }
      const d = b64Value(c);
      if (d >= 0) value = (value << 6) | d;
      else if (c === EQUALS && (!strict || i > 1)) {
        value <<= 6;
        if (i > 0) cut++;
      } else if (!strict) i--;
      else invalidChar('base64 character', data, pos - 1);
    }
    out.push((value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
    if (cut > 0 && pos < n && strict) invalidChar('base64 character', data, pos - 1);
  }
  out.length = Math.max(0, out.length - cut);
  return bytesResult(interp, out);
}

// ------------------------------------------------------------------ uuencode

/** Digit for a 6-bit value: 0 is written as a backquote rather than a space. */
function uuDigit(v: number): string {
  return v === 0 ? '`' : String.fromCharCode(32 + v);
}

/** Tcl refuses a wrap string that a decoder could take for data: \t \v \f \r, then \n or nothing. */
function validUuWrap(wrap: string): boolean {
  for (let i = 0; i < wrap.length; i++) {
    const c = wrap.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 9 && c !== 11 && c !== 12 && c !== 13) return false;
  }
  return true;
}

function encodeUu(interp: Interp, head: string, args: readonly TclObj[]): number {
  let lineLength = 61;
  let wrap = '\n';
  const data = encodeOptions(head, args, (index, value) => {
    if (index === 0) {
      lineLength = getInt32(value);
      if (lineLength < 5 || lineLength > 85) lineLengthError();
    } else {
      wrap = textToUtf8(value.toString(), true);
      if (!validUuWrap(wrap)) throw new TclError('invalid wrapchar; will defeat decoding', 'TCL BINARY ENCODE WRAPCHAR');
    }
  });
  const bytes = asBytes(data.toString());
  const count = bytes.length;
  // Whole groups only: a line holds the length character and a multiple of four digits.
  const rawLength = Math.floor((lineLength - 1) / 4) * 3;
  let out = '';
  let offset = 0;
  while (offset < count) {
    const lineLen = Math.min(count - offset, rawLength);
    out += uuDigit(lineLen);
    let acc = 0;
    let bits = 0;
    for (let i = 0; i < lineLen; i++) {
      acc = ((acc << 8) | bytes.charCodeAt(offset++)) & 0xffff;
      for (bits += 8; bits > 6; bits -= 6) out += uuDigit((acc >> (bits - 6)) & 0x3f);
    }
    // The line's last bits, zero-filled to six; lines are not padded to whole groups.
    if (bits > 0) out += uuDigit((acc << (6 - bits)) & 0x3f);
    out += wrap;
  }
  return bytesResult(interp, out);
}

function uuValue(c: number): number {
  return (c - 32) & 0x3f;
}

function isUuChar(c: number): boolean {
  return c >= 32 && c <= 96;
}

function shortUu(): never {
  throw new TclError('short uuencode data', 'TCL BINARY DECODE SHORT');
}

function decodeUu(interp: Interp, head: string, args: readonly TclObj[]): number {
  const strict = decodeOptions(head, args);
  const data = internalUtf8(args[args.length - 1]);
  const n = data.length;
  const out: number[] = [];
  /** Bytes the current line still owes; -1 before its length character. */
  let lineLen = -1;
  let pos = 0;
  while (pos < n) {
    if (lineLen < 0) {
      const c = data.charCodeAt(pos++);
      if (!isUuChar(c)) {
        if (strict || !isTclSpace(c)) invalidChar('uuencode character', data, pos - 1);
        continue;
      }
      lineLen = uuValue(c);
    }
    // A skipped character stays in its slot when the data ends before a replacement arrives.
    const d = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      if (pos >= n) continue;
      const c = data.charCodeAt(pos++);
      d[i] = c;
      if (!isUuChar(c)) {
        if (strict) {
          if (!isTclSpace(c)) invalidChar('uuencode character', data, pos - 1);
          if (c === 10) shortUu();
        }
        i--;
      }
    }
    if (lineLen > 0) {
      out.push(((uuValue(d[0]) << 2) | (uuValue(d[1]) >> 4)) & 0xff);
      if (--lineLen > 0) {
        out.push(((uuValue(d[1]) << 4) | (uuValue(d[2]) >> 2)) & 0xff);
        if (--lineLen > 0) {
          out.push(((uuValue(d[2]) << 6) | uuValue(d[3])) & 0xff);
          lineLen--;
        }
      }
    }
    if (lineLen === 0 && pos < n) {
      // The line is complete: skip to its newline, or to the next line if that starts at once.
      lineLen = -1;
      do {
        const c = data.charCodeAt(pos++);
        if (c === 10) break;
        if (isUuChar(c)) {
          pos--;
          break;
        }
        if (strict || !isTclSpace(c)) invalidChar('uuencode character', data, pos - 1);
      } while (pos < n);
    }
  }
  if (lineLen > 0 && strict) shortUu();
  return bytesResult(interp, out);
}

export const CODECS: Record<'encode' | 'decode', Record<string, BinarySub>> = {
  encode: { base64: encodeBase64, hex: encodeHex, uuencode: encodeUu },
  decode: { base64: decodeBase64, hex: decodeHex, uuencode: decodeUu },
};
