/**
 * Tcl's case mappings (Tcl_UniCharToUpper/ToLower/ToTitle): one character to one character, never
 * the context-dependent or multi-character mappings of String.prototype.toUpperCase (ß stays ß, a
 * final sigma is still σ). Built lazily per 256-character page from JS's mapping wherever that is a
 * single character, corrected by the exceptions below, which were found by comparing every BMP
 * character under tclsh 8.6.13 (characters Tcl's Unicode 15 tables do not have, simple mappings where
 * JS uses a special-casing one, and title case where it differs from upper case).
 */

/** Exceptions as [first, last, delta] runs: the mapping is code + delta for each code in the run. */
const UPPER_EXCEPTIONS = [
  0x19b, 0x19b, 0, 0x23f, 0x240, 0, 0x250, 0x252, 0, 0x25c, 0x25c, 0, 0x261, 0x261, 0, 0x264, 0x266, 0,
  0x26a, 0x26c, 0, 0x271, 0x271, 0, 0x27d, 0x27d, 0, 0x282, 0x282, 0, 0x287, 0x287, 0, 0x29d, 0x29e, 0,
  0x1c8a, 0x1c8a, 0, 0x1f80, 0x1f87, 8, 0x1f90, 0x1f97, 8, 0x1fa0, 0x1fa7, 8, 0x1fb3, 0x1fb3, 9,
  0x1fc3, 0x1fc3, 9, 0x1ff3, 0x1ff3, 9, 0xa7cd, 0xa7cd, 0, 0xa7cf, 0xa7cf, 0, 0xa7d3, 0xa7d3, 0,
  0xa7d5, 0xa7d5, 0, 0xa7db, 0xa7db, 0,
];

const LOWER_EXCEPTIONS = [
  0x130, 0x130, -199, 0x23a, 0x23a, 0, 0x23e, 0x23e, 0, 0x1c89, 0x1c89, 0, 0xa7cb, 0xa7cc, 0,
  0xa7ce, 0xa7ce, 0, 0xa7d2, 0xa7d2, 0, 0xa7d4, 0xa7d4, 0, 0xa7da, 0xa7da, 0, 0xa7dc, 0xa7dc, 0,
];

/** Where title case differs from upper case (the DŽ-style digraphs, Georgian Mkhedruli). */
const TITLE_EXCEPTIONS = [
  0x1c4, 0x1c4, 1, 0x1c5, 0x1c5, 0, 0x1c6, 0x1c6, -1, 0x1c7, 0x1c7, 1, 0x1c8, 0x1c8, 0, 0x1c9, 0x1c9, -1,
  0x1ca, 0x1ca, 1, 0x1cb, 0x1cb, 0, 0x1cc, 0x1cc, -1, 0x1f1, 0x1f1, 1, 0x1f2, 0x1f2, 0, 0x1f3, 0x1f3, -1,
  0x10d0, 0x10fa, 0, 0x10fd, 0x10ff, 0,
];

class CaseTable {
  private readonly map = new Uint16Array(65536);
  private readonly ready = new Uint8Array(256);

  constructor(
    private readonly jsMap: (s: string) => string,
    private readonly exceptions: readonly number[],
    private readonly base: CaseTable | null,
  ) {}

  get(c: number): number {
    const page = c >> 8;
    if (this.ready[page] === 0) this.fill(page);
    return this.map[c];
  }

  private fill(page: number): void {
    const start = page << 8;
    const map = this.map;
    for (let c = start; c < start + 256; c++) {
      if (this.base !== null) {
        map[c] = this.base.get(c);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        map[c] = c;
      } else {
        const m = this.jsMap(String.fromCharCode(c));
        map[c] = m.length === 1 ? m.charCodeAt(0) : c;
      }
    }
    const ex = this.exceptions;
    for (let i = 0; i < ex.length; i += 3) {
      const lo = Math.max(ex[i], start);
      const hi = Math.min(ex[i + 1], start + 255);
      for (let c = lo; c <= hi; c++) map[c] = c + ex[i + 2];
    }
    this.ready[page] = 1;
  }
}

const upperTable = new CaseTable((s) => s.toUpperCase(), UPPER_EXCEPTIONS, null);
const lowerTable = new CaseTable((s) => s.toLowerCase(), LOWER_EXCEPTIONS, null);
const titleTable = new CaseTable((s) => s, TITLE_EXCEPTIONS, upperTable);

export function toUpperChar(c: number): number {
  if (c < 128) return c >= 97 && c <= 122 ? c - 32 : c;
  return upperTable.get(c);
}

export function toLowerChar(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  return lowerTable.get(c);
}

export function toTitleChar(c: number): number {
  if (c < 128) return c >= 97 && c <= 122 ? c - 32 : c;
  return titleTable.get(c);
}

const NON_ASCII = /[^\x00-\x7f]/;

function mapChars(s: string, start: number, end: number, f: (c: number) => number): string {
  let out = '';
  let chunk = start;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    const m = f(c);
    if (m !== c) {
      out += s.slice(chunk, i) + String.fromCharCode(m);
      chunk = i + 1;
    }
  }
  return chunk === start ? s.slice(start, end) : out + s.slice(chunk, end);
}

/** Upper-case `s[start..end)` as Tcl does. */
export function upperString(s: string, start = 0, end = s.length): string {
  const part = start === 0 && end === s.length ? s : s.slice(start, end);
  if (!NON_ASCII.test(part)) return part.toUpperCase();
  return mapChars(part, 0, part.length, toUpperChar);
}

export function lowerString(s: string, start = 0, end = s.length): string {
  const part = start === 0 && end === s.length ? s : s.slice(start, end);
  if (!NON_ASCII.test(part)) return part.toLowerCase();
  return mapChars(part, 0, part.length, toLowerChar);
}

/** Tcl's title case of a range: its first character to title case, the rest to lower case. */
export function titleString(s: string, start = 0, end = s.length): string {
  if (end <= start) return '';
  return String.fromCharCode(toTitleChar(s.charCodeAt(start))) + lowerString(s, start + 1, end);
}

/** True when the string has only ASCII characters (case folding is then plain JS). */
export function isAscii(s: string): boolean {
  return !NON_ASCII.test(s);
}
