/**
 * Prepared glob matchers. Most patterns in scripts are literal text around `*` (`*fox*`, `abc*`); for
 * those a match is a prefix test, a suffix test and ordered substring searches, all native string
 * operations. Anything else (`?`, `[...]`, `\`, -nocase) goes to the general matcher. Matchers are
 * cached per pattern value, so a literal pattern in a loop is prepared once.
 */
import type { TclObj } from '../values/obj.js';
import { globMatch } from '../values/glob.js';

export type GlobTest = (s: string) => boolean;

const SPECIAL = /[?[\\]/;

/** A test equivalent to globMatch(pattern, s, nocase). */
export function globMatcher(pattern: string, nocase: boolean): GlobTest {
  if (nocase || SPECIAL.test(pattern)) return (s) => globMatch(pattern, s, nocase);
  if (pattern.indexOf('*') < 0) return (s) => s === pattern;
  const segs = pattern.split('*');
  const head = segs[0];
  const tail = segs[segs.length - 1];
  const mids = segs.slice(1, -1).filter((x) => x.length > 0);
  const minLen = head.length + tail.length;
  if (mids.length === 0) {
    if (head.length === 0 && tail.length === 0) return () => true;
    return (s) => s.length >= minLen && s.startsWith(head) && s.endsWith(tail);
  }
  return (s) => {
    if (s.length < minLen || !s.startsWith(head) || !s.endsWith(tail)) return false;
    // Leftmost placement of each middle piece leaves the most room for the rest.
    const limit = s.length - tail.length;
    let pos = head.length;
    for (const m of mids) {
      const j = s.indexOf(m, pos);
      if (j < 0 || j + m.length > limit) return false;
      pos = j + m.length;
    }
    return true;
  };
}

const cache = new WeakMap<TclObj, GlobTest>();
const nocaseCache = new WeakMap<TclObj, GlobTest>();

/** The matcher for a pattern value (cached on the value). */
export function globMatcherFor(pattern: TclObj, nocase: boolean): GlobTest {
  const c = nocase ? nocaseCache : cache;
  let m = c.get(pattern);
  if (m === undefined) {
    m = globMatcher(pattern.toString(), nocase);
    c.set(pattern, m);
  }
  return m;
}
