/**
 * AST to JavaScript RegExp source. The translation is exact for the language (which strings match
 * where): sets become explicit classes of UTF-16 code units (no `i`, `m`, `s` or `u` flags, so case
 * folding, newline sensitivity and Tcl's Unicode tables are all spelled out), Tcl's constraints
 * become lookarounds, and capture groups keep Tcl's numbering (groups inside lookaheads, which Tcl
 * does not number, become non-capturing). The matcher runs the result on the string sliced at the
 * -start offset, so ^, \A and the word constraints see the offset as the beginning of the text, as
 * Tcl's regexec does; the `d` flag is added only when submatch positions are wanted.
 *
 * Which match a backtracking engine picks is another matter, and the one real gap between the
 * engines: Tcl reports the leftmost-longest (or -shortest) match and assigns submatches by its
 * preference rules, V8 the first match of its search order. So this translation is used only for
 * patterns safety.ts proves to give identical results; the rest run on engine.ts (Tcl's rules over
 * lazy DFAs). Remaining differences from tclsh, none in the matching itself, are listed in
 * README.md ("Gaps"): the -about bits come from our own analysis, size limits and their error
 * texts differ, and pathological patterns with thousands of groups are slow.
 */
import { A, INF, K } from './ast.js';
import type { Node } from './ast.js';
import { CharSet, MAX_CHAR } from './charset.js';
import { classSet } from './unicode.js';

function hex4(c: number): string {
  return '\\u' + c.toString(16).padStart(4, '0');
}

function classChar(c: number): string {
  if ((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122)) return String.fromCharCode(c);
  return hex4(c);
}

export function setSource(set: CharSet): string {
  const r = set.r;
  if (r.length === 0) return '[]';
  if (r.length === 2 && r[0] === 0 && r[1] === MAX_CHAR) return '[\\s\\S]';
  if (r.length === 2 && r[0] === r[1]) return classChar(r[0]);
  // The complement is often much shorter ([^a] rather than two ranges).
  const comp = set.complement().r;
  const neg = comp.length < r.length;
  const rr = neg ? comp : r;
  let s = neg ? '[^' : '[';
  for (let i = 0; i < rr.length; i += 2) {
    s += classChar(rr[i]);
    if (rr[i + 1] !== rr[i]) s += (rr[i + 1] > rr[i] + 1 ? '-' : '') + classChar(rr[i + 1]);
  }
  return s + ']';
}

let wordClass: string | null = null;
function word(): string {
  if (wordClass === null) wordClass = setSource(classSet('word'));
  return wordClass;
}

function assertSource(a: A, notbol: boolean): string {
  switch (a) {
    case A.Bol:
      // Without the m flag ^ and $ are the ends of the input, which V8 also uses to anchor its search.
      return notbol ? '(?!)' : '^';
    case A.BolLine:
      return notbol ? '(?<=\\n)' : '(?<![^\\n])';
    case A.Bos:
      return '^';
    case A.Eos:
      return '$';
    case A.EolLine:
      return '(?![^\\n])';
    case A.WordStart:
      return `(?<!${word()})(?=${word()})`;
    case A.WordEnd:
      return `(?<=${word()})(?!${word()})`;
    case A.WordBound:
      return `(?:(?<!${word()})(?=${word()})|(?<=${word()})(?!${word()}))`;
    case A.NotBound:
      return `(?:(?<=${word()})(?=${word()})|(?<!${word()})(?!${word()}))`;
  }
}

/** Whether the translation differs when the caller passes "not at beginning of line". */
export function usesBol(node: Node): boolean {
  switch (node.k) {
    case K.Assert:
      return node.a === A.Bol || node.a === A.BolLine;
    case K.Seq:
      return node.items.some(usesBol);
    case K.Alt:
      return node.branches.some(usesBol);
    case K.Group:
    case K.Look:
      return usesBol(node.body);
    case K.Quant:
      return usesBol(node.atom);
    default:
      return false;
  }
}

export function jsSource(node: Node, notbol: boolean, capturing = true): string {
  switch (node.k) {
    case K.Set:
      return setSource(node.set);
    case K.Seq:
      return node.items.map((n) => jsSource(n, notbol, capturing)).join('');
    case K.Alt:
      return node.branches.map((n) => jsSource(n, notbol, capturing)).join('|');
    case K.Group:
      return (node.cap > 0 && capturing ? '(' : '(?:') + jsSource(node.body, notbol, capturing) + ')';
    case K.Look:
      return (node.neg ? '(?!' : '(?=') + jsSource(node.body, notbol, false) + ')';
    case K.Assert:
      return assertSource(node.a, notbol);
    case K.Backref:
      return '\\' + node.n;
    case K.Quant: {
      const atom = node.atom;
      let inner = jsSource(atom, notbol, capturing);
      if (!(atom.k === K.Set || atom.k === K.Group)) inner = '(?:' + inner + ')';
      const { min, max } = node;
      let q: string;
      if (min === 0 && max === INF) q = '*';
      else if (min === 1 && max === INF) q = '+';
      else if (min === 0 && max === 1) q = '?';
      else if (max === INF) q = `{${min},}`;
      else if (min === max) q = `{${min}}`;
      else q = `{${min},${max}}`;
      return inner + q + (node.greedy ? '' : '?');
    }
  }
}
