/**
 * Character encodings, as Tcl 8.6 converts them. Byte strings are JS strings of code units
 * 0..255; text is ordinary JS (UTF-16) strings, which is also how Tcl 8.6 holds characters beyond
 * the BMP (as surrogate pairs). Conversions follow Tcl, not WHATWG: decoding never fails (a byte
 * that does not start a valid sequence stands for the character with the same number), encoding
 * replaces what the target cannot hold by "?", and UTF-8 also accepts C0 80 for NUL and
 * surrogates written as three-byte sequences.
 *
 * Shared by the `encoding` command and the channel layer (fconfigure -encoding).
 */
import * as os from 'node:os';
import { TclError } from './error.js';
import { formatStringList } from './listFormat.js';

export interface Encoding {
  readonly name: string;
  /** External bytes -> text (encoding convertfrom). */
  toText(bytes: string): string;
  /** Text -> external bytes (encoding convertto). */
  toBytes(text: string): string;
}

const QUESTION = 63;

// ------------------------------------------------------------------ helpers

/** Build a string from char codes without blowing the argument limit on long inputs. */
function fromCodes(codes: Uint16Array | number[], n: number): string {
  let out = '';
  const CHUNK = 8192;
  for (let i = 0; i < n; i += CHUNK) {
    const end = Math.min(n, i + CHUNK);
    out += String.fromCharCode.apply(null, (codes instanceof Uint16Array ? codes.subarray(i, end) : codes.slice(i, end)) as unknown as number[]);
  }
  return out;
}

/** True when every code unit is below `limit`. */
function allBelow(s: string, limit: number): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= limit) return false;
  return true;
}

/** Tcl reads a string as bytes by taking each character's low byte (Tcl_GetByteArrayFromObj). */
export function asBytes(s: string): string {
  if (allBelow(s, 256)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(s.charCodeAt(i) & 0xff);
  return out;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// ------------------------------------------------------------------ UTF-8

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes -> text with Tcl's lenient UTF-8 rules. */
export function utf8ToText(bytes: string): string {
  if (allBelow(bytes, 0x80)) return bytes;
  const buf = Buffer.from(bytes, 'latin1');
  try {
    // Strict UTF-8 decodes exactly as Tcl does; only the malformed cases need the slow path.
    return fatalUtf8.decode(buf);
  } catch {
    return lenientUtf8(buf);
  }
}

function cont(b: number): boolean {
  return (b & 0xc0) === 0x80;
}

function lenientUtf8(b: Uint8Array): string {
  const n = b.length;
  const out = new Uint16Array(n);
  let k = 0;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      out[k++] = c;
      i++;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf && i + 1 < n && cont(b[i + 1])) {
      out[k++] = ((c & 0x1f) << 6) | (b[i + 1] & 0x3f);
      i += 2;
      continue;
    }
    if (c === 0xc0 && i + 1 < n && b[i + 1] === 0x80) {
      out[k++] = 0;
      i += 2;
      continue;
    }
    if (c >= 0xe0 && c <= 0xef && i + 2 < n && cont(b[i + 1]) && cont(b[i + 2]) && (c !== 0xe0 || b[i + 1] >= 0xa0)) {
      // Surrogates (ED A0..BF) are accepted, so a pair written as two such sequences joins up.
      out[k++] = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
      i += 3;
      continue;
    }
    if (
      c >= 0xf0 && c <= 0xf4 && i + 3 < n && cont(b[i + 1]) && cont(b[i + 2]) && cont(b[i + 3]) &&
      (c !== 0xf0 || b[i + 1] >= 0x90) && (c !== 0xf4 || b[i + 1] < 0x90)
    ) {
      const cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
      const v = cp - 0x10000;
      out[k++] = 0xd800 + (v >> 10);
      out[k++] = 0xdc00 + (v & 0x3ff);
      i += 4;
      continue;
    }
    // Not the start of a valid sequence: the byte stands for itself.
    out[k++] = c;
    i++;
  }
  return fromCodes(out, k);
}

/** Text -> UTF-8 bytes; lone surrogates become three-byte sequences; `nulAsC080` for Tcl's internal form. */
export function textToUtf8(text: string, nulAsC080 = false): string {
  if (allBelow(text, 0x80) && (!nulAsC080 || text.indexOf('\0') < 0)) return text;
  if (!nulAsC080 && !LONE_SURROGATE.test(text)) return Buffer.from(text, 'utf8').toString('latin1');
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0 && nulAsC080) out.push(0xc0, 0x80);
      else out.push(c);
    } else if (c < 0x800) {
      out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    } else {
      if (c >= 0xd800 && c <= 0xdbff && !nulAsC080 && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
          i++;
          continue;
        }
      }
      out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    }
  }
  return fromCodes(out, out.length);
}

// ------------------------------------------------------------------ table encodings

/**
 * A single-byte encoding: byte b decodes to `overrides[b]` or else to the character numbered b;
 * only bytes for which `encodable` holds are produced when encoding (others decode by Tcl's
 * fallback but are not part of the table).
 */
function singleByte(name: string, overrides: Record<number, number>, encodable: (byte: number) => boolean): Encoding {
  const toChar = new Uint16Array(256);
  for (let i = 0; i < 256; i++) toChar[i] = i;
  for (const [byte, ch] of Object.entries(overrides)) toChar[Number(byte)] = ch;
  const fromChar = new Map<number, number>();
  for (let i = 0; i < 256; i++) if (encodable(i)) fromChar.set(toChar[i], i);
  return {
    name,
    toText(bytes: string): string {
      const n = bytes.length;
      const out = new Uint16Array(n);
      for (let i = 0; i < n; i++) out[i] = toChar[bytes.charCodeAt(i) & 0xff];
      return fromCodes(out, n);
    },
    toBytes(text: string): string {
      const n = text.length;
      const out = new Uint16Array(n);
      for (let i = 0; i < n; i++) {
        const b = fromChar.get(text.charCodeAt(i));
        out[i] = b === undefined ? QUESTION : b;
      }
      return fromCodes(out, n);
    },
  };
}

const latin1: Encoding = {
  name: 'iso8859-1',
  toText: (bytes) => bytes,
  toBytes(text) {
    if (allBelow(text, 256)) return text;
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      out += c < 256 ? text[i] : '?';
    }
    return out;
  },
};

const utf8: Encoding = { name: 'utf-8', toText: utf8ToText, toBytes: (t) => textToUtf8(t) };

/** Tcl's internal representation (modified UTF-8): NUL as C0 80. */
const identity: Encoding = { name: 'identity', toText: utf8ToText, toBytes: (t) => textToUtf8(t, true) };

const LITTLE = os.endianness() === 'LE';

/** "unicode": UTF-16 in the machine's byte order; a trailing odd byte is dropped. */
const unicode: Encoding = {
  name: 'unicode',
  toText(bytes) {
    const n = bytes.length >> 1;
    const out = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      const a = bytes.charCodeAt(2 * i) & 0xff;
      const b = bytes.charCodeAt(2 * i + 1) & 0xff;
      out[i] = LITTLE ? a | (b << 8) : (a << 8) | b;
    }
    return fromCodes(out, n);
  },
  toBytes(text) {
    const n = text.length;
    const out = new Uint16Array(2 * n);
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      out[2 * i] = LITTLE ? c & 0xff : c >> 8;
      out[2 * i + 1] = LITTLE ? c >> 8 : c & 0xff;
    }
    return fromCodes(out, 2 * n);
  },
};

/** Bytes 0x7F..0xFF decode to themselves but nothing above 0x7E encodes. */
const ascii = singleByte('ascii', {}, (b) => b < 0x7f);

/** Windows-1252: the C1 range holds typographic characters; 81 8D 8F 90 9D stay themselves. */
const cp1252 = singleByte('cp1252', {
  0x80: 0x20ac, 0x81: 0x81, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020,
  0x87: 0x2021, 0x88: 0x02c6, 0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8d: 0x8d,
  0x8e: 0x017d, 0x8f: 0x8f, 0x90: 0x90, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d,
  0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc, 0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a,
  0x9c: 0x0153, 0x9d: 0x9d, 0x9e: 0x017e, 0x9f: 0x0178,
}, () => true);

/** ISO 8859-15: Latin-1 with the euro sign and seven letters in place of eight symbols. */
const iso885915 = singleByte('iso8859-15', {
  0xa4: 0x20ac, 0xa6: 0x0160, 0xa8: 0x0161, 0xb4: 0x017d, 0xb8: 0x017e, 0xbc: 0x0152, 0xbd: 0x0153, 0xbe: 0x0178,
}, () => true);

// ------------------------------------------------------------------ registry

const ENCODINGS = new Map<string, Encoding>();
for (const e of [utf8, latin1, ascii, unicode, identity, cp1252, iso885915]) ENCODINGS.set(e.name, e);

export function unknownEncoding(name: string): never {
  throw new TclError(`unknown encoding "${name}"`, `TCL LOOKUP ENCODING ${formatStringList([name])}`);
}

/** The encoding called `name` (Tcl's names are case-sensitive); throws `unknown encoding`. */
export function getEncoding(name: string): Encoding {
  const e = ENCODINGS.get(name);
  if (e === undefined) unknownEncoding(name);
  return e;
}

export function encodingNames(): string[] {
  return [...ENCODINGS.keys()];
}

/** Tcl picks the system encoding from the locale's codeset: UTF-8 locales give utf-8, others (C) iso8859-1. */
function initialSystemEncoding(): Encoding {
  const env = process.env;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  const dot = locale.indexOf('.');
  const codeset = (dot >= 0 ? locale.slice(dot + 1) : '').split('@')[0].toLowerCase().replace(/[-_]/g, '');
  if (codeset === 'utf8') return utf8;
  if (codeset === 'iso88591' || codeset === 'latin1') return latin1;
  if (codeset === 'iso885915') return iso885915;
  if (codeset === 'cp1252') return cp1252;
  return latin1;
}

let systemEncoding: Encoding | null = null;

export function getSystemEncoding(): Encoding {
  if (systemEncoding === null) systemEncoding = initialSystemEncoding();
  return systemEncoding;
}

export function setSystemEncoding(name: string): void {
  systemEncoding = getEncoding(name);
}

/** encoding convertto: text -> bytes. */
export function convertTo(enc: Encoding, text: string): string {
  return enc.toBytes(text);
}

/** encoding convertfrom: bytes (any string, read as its low bytes) -> text. */
export function convertFrom(enc: Encoding, data: string): string {
  return enc.toText(asBytes(data));
}
