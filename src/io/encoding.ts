/**
 * Channel encodings: bytes <-> JS strings with Tcl 8.6's rules. Decoding never fails: bytes that do
 * not form a character become the character with the byte's value (Tcl's fallback), and encoding
 * replaces unrepresentable characters with "?" (table encodings) or keeps the low byte (binary).
 *
 * Decoding is incremental: `completeEnd` tells how far a buffer holds whole characters, so a
 * sequence split across two reads is decoded once both halves are in; `skipUnits` maps a count of
 * decoded UTF-16 units back to a byte offset (for `tell` and for switching encodings mid-stream).
 */
import { isUtf8 } from 'node:buffer';
import { TclError } from '../values/error.js';
import { getEncoding as valueEncoding, getSystemEncoding } from '../values/encoding.js';
import type { Encoding as ValueEncoding } from '../values/encoding.js';

// Buffer's own per-encoding methods skip the argument normalisation of toString/write: they are
// the hot path of every gets and puts.
interface FastBuffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
  ucs2Slice(start: number, end: number): string;
  utf8Write(s: string, off: number, len: number): number;
  latin1Write(s: string, off: number, len: number): number;
}

declare global {
  interface String {
    isWellFormed(): boolean;
  }
}

function fast(b: Buffer): FastBuffer {
  return b as unknown as FastBuffer;
}

export const enum EncKind {
  /** One byte is one character (binary, iso8859-1, ascii, identity). */
  Latin1 = 0,
  Utf8 = 1,
  /** Single-byte table encodings (cp1252, iso8859-2, koi8-r ...). */
  Table = 2,
  /** UTF-16 in machine order (Tcl's "unicode"). */
  Utf16 = 3,
}

export class Encoding {
  /** Byte -> character for Table encodings. */
  decodeTable: string[] | null = null;
  /** Character -> byte for Table encodings. */
  encodeTable: Map<number, number> | null = null;

  constructor(
    readonly name: string,
    readonly kind: EncKind,
    /** Highest character code written unchanged (Latin1 kind): 0xff, 0x7f, or -1 for binary. */
    readonly maxDirect: number,
  ) {}

  /** True when CR and LF bytes always stand for themselves (line scanning on bytes is safe). */
  get asciiCompatible(): boolean {
    return this.kind !== EncKind.Utf16;
  }

  /** End of the whole characters in buf[start, end). */
  completeEnd(buf: Uint8Array, start: number, end: number): number {
    if (this.kind === EncKind.Utf8) return utf8CompleteEnd(buf, start, end);
    if (this.kind === EncKind.Utf16) return end - ((end - start) & 1);
    return end;
  }

  /** Decode buf[start, end) completely (a partial trailing sequence decodes by the fallback). */
  decode(buf: Buffer, start: number, end: number): string {
    switch (this.kind) {
      case EncKind.Latin1:
        return fast(buf).latin1Slice(start, end);
      case EncKind.Utf8:
        return decodeUtf8(buf, start, end);
      case EncKind.Utf16:
        return fast(buf).ucs2Slice(start, end - ((end - start) & 1));
      default: {
        const t = this.decodeTable!;
        let s = '';
        for (let i = start; i < end; i++) s += t[buf[i]];
        return s;
      }
    }
  }

  /** Byte offset reached after decoding `units` UTF-16 code units from buf[start, end). */
  skipUnits(buf: Uint8Array, start: number, end: number, units: number): number {
    switch (this.kind) {
      case EncKind.Utf8:
        return utf8SkipUnits(buf, start, end, units);
      case EncKind.Utf16:
        return Math.min(end, start + 2 * units);
      default:
        return Math.min(end, start + units);
    }
  }

  /** Encode a string to bytes. */
  encode(s: string): Buffer {
    switch (this.kind) {
      case EncKind.Utf8:
        return s.isWellFormed() ? Buffer.from(s, 'utf8') : encodeUtf8Loose(s);
      case EncKind.Utf16:
        return Buffer.from(s, 'utf16le');
      case EncKind.Latin1:
        if (this.maxDirect < 0 || !needsReplacement(s, this.maxDirect)) return Buffer.from(s, 'latin1');
        return encodeReplacing(s, this.maxDirect);
      default: {
        const t = this.encodeTable!;
        const out = Buffer.allocUnsafe(s.length);
        for (let i = 0; i < s.length; i++) {
          const b = t.get(s.charCodeAt(i));
          out[i] = b === undefined ? 63 : b;
        }
        return out;
      }
    }
  }

  /**
   * Encode `s` into out[off...] when it surely fits in `room` bytes; returns the bytes written, or
   * -1 (nothing written) when it might not fit. The hot path of puts.
   */
  encodeInto(s: string, out: Buffer, off: number, room: number): number {
    const n = s.length;
    // Short ASCII text (most lines) is copied here: cheaper than a call into the runtime.
    if (n <= 64 && n <= room && this.kind !== EncKind.Utf16 && this.kind !== EncKind.Table) {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        out[off + i] = c;
      }
      if (i === n) return n;
    }
    if (this.kind === EncKind.Utf8) {
      if (n * 3 > room || !s.isWellFormed()) return -1;
      return fast(out).utf8Write(s, off, room);
    }
    if (this.kind === EncKind.Latin1) {
      if (s.length > room) return -1;
      if (this.maxDirect >= 0 && needsReplacement(s, this.maxDirect)) return -1;
      return fast(out).latin1Write(s, off, room);
    }
    return -1;
  }
}

const OVER_FF = /[^\x00-\xff]/;
const OVER_7F = /[^\x00-\x7f]/;

function needsReplacement(s: string, max: number): boolean {
  return (max === 0xff ? OVER_FF : OVER_7F).test(s);
}

function encodeReplacing(s: string, max: number): Buffer {
  const out = Buffer.allocUnsafe(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[i] = c <= max ? c : 63;
  }
  return out;
}

/** UTF-8 as Tcl writes it: lone surrogates get their own 3-byte form instead of U+FFFD. */
function encodeUtf8Loose(s: string): Buffer {
  const out = Buffer.allocUnsafe(s.length * 3);
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[o++] = 0xf0 | (c >> 18);
        out[o++] = 0x80 | ((c >> 12) & 0x3f);
        out[o++] = 0x80 | ((c >> 6) & 0x3f);
        out[o++] = 0x80 | (c & 0x3f);
        continue;
      }
    }
    if (c < 0x80) out[o++] = c;
    else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
    } else {
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
  }
  return out.subarray(0, o);
}

// ------------------------------------------------------------------ UTF-8 decoding

/** Length of the sequence a lead byte announces (1 for bytes that cannot lead). */
function seqLen(b: number): number {
  if (b < 0xc0) return 1;
  if (b < 0xe0) return 2;
  if (b < 0xf0) return 3;
  if (b < 0xf5) return 4;
  return 1;
}

function utf8CompleteEnd(buf: Uint8Array, start: number, end: number): number {
  // Look back at most 3 bytes for a lead byte whose sequence runs past the end.
  for (let k = 1; k <= 3 && end - k >= start; k++) {
    const b = buf[end - k];
    if (b < 0x80) return end;
    if (b >= 0xc0) {
      const n = seqLen(b);
      return n > k ? end - k : end;
    }
  }
  return end;
}

/**
 * Decode one sequence at buf[i] (i < end). Sets `seqUnits` to the UTF-16 units it yields and
 * returns the code point (or the lead byte itself when the sequence is not acceptable).
 */
let seqBytes = 1;
function decodeSeq(buf: Uint8Array, i: number, end: number): number {
  const b = buf[i];
  seqBytes = 1;
  if (b < 0x80) return b;
  if (b < 0xc0 || b >= 0xf5) return b;
  if (b < 0xe0) {
    if (i + 1 < end && (buf[i + 1] & 0xc0) === 0x80) {
      const c = ((b & 0x1f) << 6) | (buf[i + 1] & 0x3f);
      // Tcl accepts the overlong C0 80 as NUL (its own internal form) and no other overlong.
      if (c >= 0x80 || (b === 0xc0 && buf[i + 1] === 0x80)) {
        seqBytes = 2;
        return c;
      }
    }
    return b;
  }
  if (b < 0xf0) {
    if (i + 2 < end && (buf[i + 1] & 0xc0) === 0x80 && (buf[i + 2] & 0xc0) === 0x80) {
      const c = ((b & 0x0f) << 12) | ((buf[i + 1] & 0x3f) << 6) | (buf[i + 2] & 0x3f);
      if (c >= 0x800) {
        seqBytes = 3;
        return c;
      }
    }
    return b;
  }
  if (i + 3 < end && (buf[i + 1] & 0xc0) === 0x80 && (buf[i + 2] & 0xc0) === 0x80 && (buf[i + 3] & 0xc0) === 0x80) {
    const c = ((b & 0x07) << 18) | ((buf[i + 1] & 0x3f) << 12) | ((buf[i + 2] & 0x3f) << 6) | (buf[i + 3] & 0x3f);
    if (c >= 0x10000 && c <= 0x10ffff) {
      seqBytes = 4;
      return c;
    }
  }
  return b;
}

export function decodeUtf8(buf: Buffer, start: number, end: number): string {
  if (end - start < 64) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buf[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return fast(buf).latin1Slice(start, end);
  }
  if (isUtf8(buf.subarray(start, end))) return fast(buf).utf8Slice(start, end);
  return decodeUtf8Loose(buf, start, end);
}

function decodeUtf8Loose(buf: Uint8Array, start: number, end: number): string {
  const parts: string[] = [];
  let codes: number[] = [];
  for (let i = start; i < end; ) {
    const c = decodeSeq(buf, i, end);
    i += seqBytes;
    if (c >= 0x10000) {
      const v = c - 0x10000;
      codes.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
    } else codes.push(c);
    if (codes.length >= 4096) {
      parts.push(String.fromCharCode.apply(null, codes));
      codes = [];
    }
  }
  parts.push(String.fromCharCode.apply(null, codes));
  return parts.join('');
}

function utf8SkipUnits(buf: Uint8Array, start: number, end: number, units: number): number {
  let i = start;
  while (units > 0 && i < end) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      units--;
      continue;
    }
    const c = decodeSeq(buf, i, end);
    i += seqBytes;
    units -= c >= 0x10000 ? 2 : 1;
  }
  return i;
}

// ------------------------------------------------------------------ the registry

const cache = new Map<string, Encoding>();

/**
 * A single-byte encoding from the shared conversion tables (src/values/encoding.ts, which the
 * `encoding` command uses too), as byte -> character and character -> byte tables.
 */
function tableFrom(name: string): Encoding | null {
  let conv: ValueEncoding;
  try {
    conv = valueEncoding(name);
  } catch {
    return null;
  }
  const table: string[] = new Array(256);
  const rev = new Map<number, number>();
  for (let b = 0; b < 256; b++) {
    const ch = conv.toText(String.fromCharCode(b));
    if (ch.length !== 1) return null;
    table[b] = ch;
    if (!rev.has(ch.charCodeAt(0))) rev.set(ch.charCodeAt(0), b);
  }
  const e = new Encoding(name, EncKind.Table, 0);
  e.decodeTable = table;
  e.encodeTable = rev;
  return e;
}

/** The encoding named `name` (Tcl's names), or null when it is not known. */
export function findEncoding(name: string): Encoding | null {
  let e = cache.get(name);
  if (e !== undefined) return e;
  switch (name) {
    case 'utf-8':
      e = new Encoding(name, EncKind.Utf8, 0);
      break;
    case 'binary':
      e = new Encoding(name, EncKind.Latin1, -1);
      break;
    case 'identity':
      e = new Encoding(name, EncKind.Latin1, -1);
      break;
    case 'iso8859-1':
      e = new Encoding(name, EncKind.Latin1, 0xff);
      break;
    case 'ascii':
      e = new Encoding(name, EncKind.Latin1, 0x7f);
      break;
    case 'unicode':
      e = new Encoding(name, EncKind.Utf16, 0);
      break;
    default: {
      const t = tableFrom(name);
      if (t === null) return null;
      e = t;
    }
  }
  cache.set(name, e);
  return e;
}

/** The encoding named `name`, or Tcl's `unknown encoding "x"` error. */
export function getEncoding(name: string): Encoding {
  const e = findEncoding(name);
  if (e === null) throw new TclError(`unknown encoding "${name}"`, `TCL LOOKUP ENCODING ${name}`);
  return e;
}

export const UTF8: Encoding = findEncoding('utf-8')!;

/** The system encoding (`encoding system`): what new channels start with. */
export function systemEncoding(): Encoding {
  return findEncoding(getSystemEncoding().name) ?? UTF8;
}
export const BINARY: Encoding = findEncoding('binary')!;
