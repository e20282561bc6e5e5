/**
 * Tcl's glob-style matching (Tcl_StringCaseMatch), shared by string match, switch -glob, lsearch,
 * array names, info commands and friends: `*`, `?`, `[chars]` with ranges in either order, `\x`.
 *
 * Tcl's quirks are kept: inside brackets a backslash is an ordinary character and `]` cannot be a
 * member (`[]a]` never matches); `[a-]` is the range from `a` to `]`; an unterminated `[a` behaves as
 * `[a]`; a pattern ending in a lone backslash matches nothing. Every token other than `*` consumes
 * exactly one character, so backtracking to the most recent `*` finds every match Tcl's recursive
 * matcher finds, in O(pattern x string) time. Characters are UTF-16 code units, as in Tcl 8.6.
 */

const LOWER_CACHE = new Map<number, number>();

/** Tcl_UniCharToLower for one UTF-16 code unit (simple case mapping). */
export function lowerChar(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  let l = LOWER_CACHE.get(c);
  if (l === undefined) {
    // Only U+0130 lowers to two units; its simple mapping is the first one ('i').
    l = String.fromCharCode(c).toLowerCase().charCodeAt(0);
    LOWER_CACHE.set(c, l);
  }
  return l;
}

/** A string lowered unit by unit (length preserved), for case-insensitive comparisons. */
export function lowerString(s: string): string {
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (c >= 65 && c <= 90)) break;
    i++;
  }
  if (i === n) return s;
  let out = s.slice(0, i);
  for (; i < n; i++) out += String.fromCharCode(lowerChar(s.charCodeAt(i)));
  return out;
}

/** True when `p` contains a character that is special to globMatch. */
export function hasGlobChars(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 42 || c === 63 || c === 91 || c === 92) return true;
  }
  return false;
}

export function globMatch(pattern: string, str: string, nocase: boolean): boolean {
  const pn = pattern.length;
  const sn = str.length;
  let p = 0;
  let s = 0;
  // Where to resume after the most recent '*': the pattern just past it and the next string start.
  let starP = -1;
  let starS = 0;
  for (;;) {
    if (p < pn) {
      const pc = pattern.charCodeAt(p);
      if (pc === 42 /* * */) {
        do p++;
        while (p < pn && pattern.charCodeAt(p) === 42);
        if (p === pn) return true;
        starP = p;
        starS = s;
        continue;
      }
      if (s < sn) {
        const next = matchToken(pattern, p, str.charCodeAt(s), nocase);
        if (next >= 0) {
          p = next;
          s++;
          continue;
        }
      }
    } else if (s === sn) {
      return true;
    }
    if (starP < 0 || starS >= sn) return false;
    p = starP;
    s = ++starS;
  }
}

/** Match the single-character token at `p` against `c`; the index after the token, or -1. */
function matchToken(pattern: string, p: number, c: number, nocase: boolean): number {
  const pn = pattern.length;
  let pc = pattern.charCodeAt(p);
  if (pc === 63 /* ? */) return p + 1;
  if (pc === 91 /* [ */) return matchBracket(pattern, p + 1, nocase ? lowerChar(c) : c, nocase);
  if (pc === 92 /* \ */) {
    if (++p >= pn) return -1;
    pc = pattern.charCodeAt(p);
  }
  if (pc === c || (nocase && lowerChar(pc) === lowerChar(c))) return p + 1;
  return -1;
}

/** `[...]` starting just after the `[`, against an already case-folded `c`. */
function matchBracket(pattern: string, p: number, c: number, nocase: boolean): number {
  const pn = pattern.length;
  for (;;) {
    if (p >= pn) return -1;
    let start = pattern.charCodeAt(p);
    if (start === 93 /* ] */) return -1;
    if (nocase) start = lowerChar(start);
    p++;
    if (p < pn && pattern.charCodeAt(p) === 45 /* - */) {
      p++;
      if (p >= pn) return -1;
      let end = pattern.charCodeAt(p++);
      if (nocase) end = lowerChar(end);
      if ((start <= c && c <= end) || (end <= c && c <= start)) break;
    } else if (start === c) {
      break;
    }
  }
  while (p < pn && pattern.charCodeAt(p) !== 93) p++;
  // An unterminated set ends the pattern (Tcl steps back onto the last character, then past it).
  return p < pn ? p + 1 : pn;
}
