/**
 * Tcl's glob-style matching (Tcl_StringCaseMatch), shared by string match, switch -glob, lsearch,
 * array names, info commands and friends: `*`, `?`, `[chars]` with ranges (either order), `\x`.
 */

function lower(c: number, nocase: boolean): number {
  if (!nocase) return c;
  if (c >= 65 && c <= 90) return c + 32;
  if (c < 128) return c;
  return String.fromCharCode(c).toLowerCase().charCodeAt(0);
}

export function globMatch(pattern: string, str: string, nocase: boolean): boolean {
  let p = 0;
  let s = 0;
  const pn = pattern.length;
  const sn = str.length;
  // Backtrack point for the most recent '*'.
  let starP = -1;
  let starS = 0;
  for (;;) {
    if (p < pn) {
      const pc = pattern.charCodeAt(p);
      if (pc === 42 /* * */) {
        while (p < pn && pattern.charCodeAt(p) === 42) p++;
        if (p === pn) return true;
        starP = p;
        starS = s;
        continue;
      }
      if (s < sn) {
        const sc = lower(str.charCodeAt(s), nocase);
        if (pc === 63 /* ? */) {
          p++;
          s++;
          continue;
        }
        if (pc === 91 /* [ */) {
          const r = matchBracket(pattern, p + 1, sc, nocase);
          if (r > 0) {
            p = r;
            s++;
            continue;
          }
        } else {
          let lit = pc;
          let next = p + 1;
          if (pc === 92 /* \ */ && p + 1 < pn) {
            lit = pattern.charCodeAt(p + 1);
            next = p + 2;
          }
          if (lower(lit, nocase) === sc) {
            p = next;
            s++;
            continue;
          }
        }
      }
    } else if (s === sn) {
      return true;
    }
    if (starP < 0 || starS >= sn) return false;
    starS++;
    p = starP;
    s = starS;
  }
}

/** Match one char against `[...]` starting after the `[`; returns the index after `]` or -1. */
function matchBracket(pattern: string, p: number, sc: number, nocase: boolean): number {
  const pn = pattern.length;
  let matched = false;
  while (p < pn) {
    let c = pattern.charCodeAt(p);
    if (c === 93 /* ] */) return matched ? p + 1 : -1;
    if (c === 92 && p + 1 < pn) {
      p++;
      c = pattern.charCodeAt(p);
    }
    const start = lower(c, nocase);
    p++;
    if (p + 1 < pn && pattern.charCodeAt(p) === 45 /* - */ && pattern.charCodeAt(p + 1) !== 93) {
      let e = pattern.charCodeAt(p + 1);
      p += 2;
      if (e === 92 && p < pn) {
        e = pattern.charCodeAt(p);
        p++;
      }
      const end = lower(e, nocase);
      const lo = Math.min(start, end);
      const hi = Math.max(start, end);
      if (sc >= lo && sc <= hi) matched = true;
    } else if (start === sc) matched = true;
  }
  return -1;
}
