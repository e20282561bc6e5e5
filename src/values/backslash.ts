/**
 * Tcl's backslash sequences (Tcl_UtfBackslash). Shared by the script parser, list parsing and
 * `subst`. Results go through module scratch to keep the hot path allocation-free.
 */

/** Characters consumed by the last backslashAt call (including the backslash). */
export let backslashLength = 0;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

function isSpaceOrTab(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Decode the backslash sequence starting at s[i] (which is '\\'). Returns the replacement text and
 * sets backslashLength.
 */
export function backslashAt(s: string, i: number): string {
  const n = s.length;
  if (i + 1 >= n) {
    backslashLength = 1;
    return '\\';
  }
  const c = s.charCodeAt(i + 1);
  backslashLength = 2;
  switch (c) {
    case 97: return '\x07'; // a
    case 98: return '\b';
    case 102: return '\f';
    case 110: return '\n';
    case 114: return '\r';
    case 116: return '\t';
    case 118: return '\v';
    case 10: { // backslash-newline: the newline and following spaces/tabs become one space
      let j = i + 2;
      while (j < n && isSpaceOrTab(s.charCodeAt(j))) j++;
      backslashLength = j - i;
      return ' ';
    }
    case 120: return hexEscape(s, i, 2, 'x');
    case 117: return hexEscape(s, i, 4, 'u');
    case 85: return hexEscape(s, i, 8, 'U');
    default:
      if (c >= 48 && c <= 55) {
        // Up to three octal digits, but never beyond \377.
        let v = c - 48;
        let j = i + 2;
        const max = c <= 51 ? 3 : 2;
        let count = 1;
        while (count < max && j < n) {
          const d = s.charCodeAt(j);
          if (d < 48 || d > 55) break;
          v = v * 8 + (d - 48);
          j++;
          count++;
        }
        backslashLength = j - i;
        return String.fromCharCode(v);
      }
      // Any other character stands for itself (surrogate pairs kept whole).
      if (c >= 0xd800 && c <= 0xdbff && i + 2 < n) {
        backslashLength = 3;
        return s.slice(i + 1, i + 3);
      }
      return s[i + 1];
  }
}

function hexEscape(s: string, i: number, maxDigits: number, letter: string): string {
  let v = 0;
  let j = i + 2;
  let count = 0;
  while (count < maxDigits && j < s.length) {
    const h = hexValue(s.charCodeAt(j));
    if (h < 0) break;
    // \U stops before a digit that would leave the Unicode range.
    if (maxDigits === 8 && v * 16 + h > 0x10ffff) break;
    v = v * 16 + h;
    j++;
    count++;
  }
  if (count === 0) {
    backslashLength = 2;
    return letter;
  }
  backslashLength = j - i;
  return maxDigits === 2 ? String.fromCharCode(v) : String.fromCodePoint(v);
}

/** Apply backslash substitution to a whole string (no other substitutions). */
export function substBackslashes(s: string): string {
  let k = s.indexOf('\\');
  if (k < 0) return s;
  let out = s.slice(0, k);
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (c === 92) {
      out += backslashAt(s, k);
      k += backslashLength;
    } else {
      const next = s.indexOf('\\', k);
      const stop = next < 0 ? s.length : next;
      out += s.slice(k, stop);
      k = stop;
    }
  }
  return out;
}
