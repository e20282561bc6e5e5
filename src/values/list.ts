/**
 * List values: parsing a string into elements exactly as Tcl does (TclFindElement), cached on the
 * value, and building lists. Formatting lives in listFormat.ts so values stay independent of it.
 */
import { TclObj, Rep } from './obj.js';
import { TclError } from './error.js';
import { backslashAt, backslashLength } from './backslash.js';
import { isTclSpace } from './number.js';

/** Split a string into list element strings; throws Tcl's list syntax errors. */
export function parseListString(s: string): string[] {
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  for (;;) {
    while (i < n && isTclSpace(s.charCodeAt(i))) i++;
    if (i >= n) return out;
    const c = s.charCodeAt(i);
    if (c === 123) {
      // Braced element: literal up to the matching close brace.
      const j = closeBraceOfElement(s, i);
      if (j >= n) throw new TclError('unmatched open brace in list', 'TCL VALUE LIST BRACE');
      out.push(s.slice(i + 1, j));
      i = j + 1;
      if (i < n && !isTclSpace(s.charCodeAt(i))) {
        throw new TclError(`list element in braces followed by "${trailing(s, i)}" instead of space`, 'TCL VALUE LIST JUNK');
      }
    } else if (c === 34) {
      let j = i + 1;
      let elem = '';
      let start = j;
      for (;;) {
        if (j >= n) throw new TclError('unmatched open quote in list', 'TCL VALUE LIST QUOTE');
        const d = s.charCodeAt(j);
        if (d === 34) break;
        if (d === 92) {
          elem += s.slice(start, j) + backslashAt(s, j);
          j += backslashLength;
          start = j;
        } else j++;
      }
      out.push(elem + s.slice(start, j));
      i = j + 1;
      if (i < n && !isTclSpace(s.charCodeAt(i))) {
        throw new TclError(`list element in quotes followed by "${trailing(s, i)}" instead of space`, 'TCL VALUE LIST JUNK');
      }
    } else {
      let j = i;
      let elem = '';
      let start = j;
      while (j < n) {
        const d = s.charCodeAt(j);
        if (isTclSpace(d)) break;
        if (d === 92) {
          elem += s.slice(start, j) + backslashAt(s, j);
          j += backslashLength;
          start = j;
        } else j++;
      }
      out.push(start === i ? s.slice(i, j) : elem + s.slice(start, j));
      i = j;
    }
  }
}

/**
 * The index of the brace that closes the braced list element opening at `open`, or the string's
 * length when it is unmatched. Backslashes hide the character after them, as in TclFindElement.
 */
export function closeBraceOfElement(s: string, open: number): number {
  const n = s.length;
  let depth = 1;
  let j = open + 1;
  while (j < n) {
    const d = s.charCodeAt(j);
    if (d === 92) {
      j += 2;
      continue;
    }
    if (d === 123) depth++;
    else if (d === 125 && --depth === 0) return j;
    j++;
  }
  return n;
}

/** Tcl quotes the rest of the element up to the next space, as in the error message. */
function trailing(s: string, i: number): string {
  let j = i;
  while (j < s.length && !isTclSpace(s.charCodeAt(j))) j++;
  return s.slice(i, j);
}

const EMPTY_LIST: readonly TclObj[] = Object.freeze([]) as readonly TclObj[];

/** The elements of a list value (cached on the value; never mutate the returned array). */
export function getList(o: TclObj): readonly TclObj[] {
  if (o.t === Rep.List) return o.r as TclObj[];
  return setListRep(o);
}

function setListRep(o: TclObj): readonly TclObj[] {
  if (o.t === Rep.Dict) {
    const items: TclObj[] = [];
    for (const [k, v] of o.r as Map<string, TclObj>) items.push(TclObj.fromString(k), v);
    o.toString();
    o.t = Rep.List;
    o.r = items;
    return items;
  }
  const s = o.toString();
  if (s.length === 0) return EMPTY_LIST;
  const strs = parseListString(s);
  const items = new Array<TclObj>(strs.length);
  for (let i = 0; i < strs.length; i++) items[i] = TclObj.fromString(strs[i]);
  o.t = Rep.List;
  o.r = items;
  return items;
}

/** A fresh, mutable copy of a list's elements. */
export function listCopy(o: TclObj): TclObj[] {
  return getList(o).slice();
}

export function listLength(o: TclObj): number {
  return getList(o).length;
}

export function listOf(strings: readonly string[]): TclObj {
  const items = new Array<TclObj>(strings.length);
  for (let i = 0; i < strings.length; i++) items[i] = TclObj.fromString(strings[i]);
  return TclObj.fromList(items);
}

/** Canonical string of a list of values. */
export function formatList(items: readonly TclObj[]): string {
  return TclObj.fromList(items as TclObj[]).toString();
}
