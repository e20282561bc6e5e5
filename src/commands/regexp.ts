/**
 * `regexp` and `regsub` with Tcl 8.6's options, loop rules and messages. Matching itself is in
 * src/regex; this file is the argument handling, the -all iteration (with Tcl's rule that an empty
 * match moves on by one character and that ^ only matches at the -start offset when the character
 * before it is a newline) and the result shapes.
 */
import { TclObj, intObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getIndex } from '../values/indexes.js';
import { OK } from '../engine/codes.js';
import { getIndexFromTable, wrongNumArgs } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';
import { compileRegex, CF } from '../regex/regex.js';
import { toLower } from '../regex/unicode.js';

const REGEXP_OPTIONS = [
  '-all', '-about', '-indices', '-inline', '-expanded', '-line', '-linestop', '-lineanchor', '-nocase', '-start', '--',
] as const;
const enum RxOpt {
  All,
  About,
  Indices,
  Inline,
  Expanded,
  Line,
  LineStop,
  LineAnchor,
  NoCase,
  Start,
  Last,
}

const REGSUB_OPTIONS = ['-all', '-nocase', '-expanded', '-line', '-linestop', '-lineanchor', '-start', '--'] as const;
const enum SubOpt {
  All,
  NoCase,
  Expanded,
  Line,
  LineStop,
  LineAnchor,
  Start,
  Last,
}

const REGEXP_USAGE = '?-option ...? exp string ?matchVar? ?subMatchVar ...?';
const REGSUB_USAGE = '?-option ...? exp string subSpec ?varName?';

/** Tcl passes REG_NOTBOL unless the match starts the string or follows a newline. */
function notBol(str: string, offset: number): boolean {
  return offset > 0 && (offset > str.length || str.charCodeAt(offset - 1) !== 10);
}

function regexpCmd(interp: Interp, objv: TclObj[]): number {
  let cflags = 0;
  let doAll = false;
  let about = false;
  let indices = false;
  let inline = false;
  let startObj: TclObj | null = null;
  let i = 1;
  options: for (; i < objv.length; i++) {
    if (objv[i].toString().charCodeAt(0) !== 45) break;
    switch (getIndexFromTable(objv[i], REGEXP_OPTIONS, 'option', true) as RxOpt) {
      case RxOpt.All: doAll = true; break;
      case RxOpt.About: about = true; break;
      case RxOpt.Indices: indices = true; break;
      case RxOpt.Inline: inline = true; break;
      case RxOpt.Expanded: cflags |= CF.EXPANDED; break;
      case RxOpt.Line: cflags |= CF.NLSTOP | CF.NLANCH; break;
      case RxOpt.LineStop: cflags |= CF.NLSTOP; break;
      case RxOpt.LineAnchor: cflags |= CF.NLANCH; break;
      case RxOpt.NoCase: cflags |= CF.ICASE; break;
      case RxOpt.Start:
        if (++i >= objv.length) break options;
        // Checked now (Tcl reports a bad index before a wrong argument count), resolved later.
        getIndex(objv[i], 0);
        startObj = objv[i];
        break;
      case RxOpt.Last:
        i++;
        break options;
    }
  }
  const nargs = objv.length - i;
  if (nargs < (about ? 1 : 2)) wrongNumArgs(objv, 1, REGEXP_USAGE);
  if (inline && nargs !== 2) {
    throw new TclError('regexp match variables not allowed when using -inline', 'TCL OPERATION REGEXP MIX_VAR_INLINE');
  }
  if (about) {
    const [nsub, names] = compileRegex(objv[i].toString(), cflags).about();
    interp.result = TclObj.fromList([intObj(nsub), TclObj.fromList(names.map((n) => TclObj.fromString(n)))]);
    return OK;
  }
  const str = objv[i + 1].toString();
  const len = str.length;
  let offset = 0;
  if (startObj !== null) {
    offset = getIndex(startObj, len);
    if (offset < 0) offset = 0;
  }
  const re = compileRegex(objv[i].toString(), cflags);
  const vars = objv.slice(i + 2);
  const nsub = re.nsub;
  // How many groups' positions anyone will look at.
  const want = inline ? nsub + 1 : Math.min(vars.length, nsub + 1);
  const pm = want > 0 || doAll ? new Int32Array(2 * Math.max(want, 1)) : null;
  let all = doAll ? 1 : 0;
  const results: TclObj[] = [];
  for (;;) {
    if (!re.exec(str, offset, notBol(str, offset), pm)) {
      if (all <= 1) {
        interp.result = inline ? TclObj.EMPTY : intObj(0);
        return OK;
      }
      break;
    }
    // Positions are reported relative to -start even past the end of the string, as Tcl does.
    const base = offset > len ? len : offset;
    const count = inline ? nsub + 1 : vars.length;
    for (let k = 0; k < count; k++) {
      let value: TclObj;
      const set = pm !== null && k < want && pm[2 * k] >= 0;
      if (indices) {
        let s = -1;
        let e = -1;
        if (set) {
          s = offset + (pm[2 * k] - base);
          e = offset + (pm[2 * k + 1] - base);
          if (e >= offset) e--;
        }
        value = TclObj.fromList([intObj(s), intObj(e)]);
      } else {
        value = set ? TclObj.fromString(str.slice(pm[2 * k], pm[2 * k + 1])) : TclObj.EMPTY;
      }
      if (inline) results.push(value);
      else interp.setVar(vars[k].toString(), value);
    }
    if (all === 0) break;
    const p = pm as Int32Array;
    const matchLength = p[1] - p[0];
    offset += p[1] - base;
    if (matchLength === 0) offset++;
    all++;
    if (offset >= len) break;
  }
  interp.result = inline ? TclObj.fromList(results) : intObj(all > 0 ? all - 1 : 1);
  return OK;
}

/** A parsed subSpec: literal text, and group numbers (-1 entries separate nothing). */
interface SubSpec {
  texts: string[];
  groups: number[];
  maxGroup: number;
}

/** &, \0..\9, \& and \\ are special; any other backslash stays as it is. */
function parseSubSpec(spec: string): SubSpec {
  const texts: string[] = [];
  const groups: number[] = [];
  let maxGroup = 0;
  let text = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec.charCodeAt(i);
    let idx = -1;
    if (c === 38) {
      idx = 0;
    } else if (c === 92 && i + 1 < spec.length) {
      const d = spec.charCodeAt(i + 1);
      if (d >= 48 && d <= 57) {
        idx = d - 48;
        i++;
      } else if (d === 92 || d === 38) {
        text += spec[i + 1];
        i++;
        continue;
      }
    }
    if (idx < 0) {
      text += spec[i];
      continue;
    }
    texts.push(text);
    groups.push(idx);
    if (idx > maxGroup) maxGroup = idx;
    text = '';
  }
  texts.push(text);
  return { texts, groups, maxGroup };
}

function regsubCmd(interp: Interp, objv: TclObj[]): number {
  let cflags = 0;
  let all = false;
  let startObj: TclObj | null = null;
  let i = 1;
  options: for (; i < objv.length; i++) {
    if (objv[i].toString().charCodeAt(0) !== 45) break;
    switch (getIndexFromTable(objv[i], REGSUB_OPTIONS, 'option', true) as SubOpt) {
      case SubOpt.All: all = true; break;
      case SubOpt.NoCase: cflags |= CF.ICASE; break;
      case SubOpt.Expanded: cflags |= CF.EXPANDED; break;
      case SubOpt.Line: cflags |= CF.NLSTOP | CF.NLANCH; break;
      case SubOpt.LineStop: cflags |= CF.NLSTOP; break;
      case SubOpt.LineAnchor: cflags |= CF.NLANCH; break;
      case SubOpt.Start:
        if (++i >= objv.length) break options;
        getIndex(objv[i], 0);
        startObj = objv[i];
        break;
      case SubOpt.Last:
        i++;
        break options;
    }
  }
  const nargs = objv.length - i;
  if (nargs < 3 || nargs > 4) wrongNumArgs(objv, 1, REGSUB_USAGE);
  const strObj = objv[i + 1];
  const str = strObj.toString();
  const wlen = str.length;
  let offset = 0;
  if (startObj !== null) {
    offset = getIndex(startObj, wlen);
    if (offset < 0) offset = 0;
  }
  const pattern = objv[i].toString();
  const specStr = objv[i + 2].toString();
  let result: string | null;
  let numMatches: number;
  if (all && offset === 0 && !/[&\\]/.test(specStr) && !/[*+?{}()[\].\\|^$]/.test(pattern)) {
    // Tcl substitutes a plain string for a plain string without involving the regexp engine (and
    // so without -expanded or -line mattering).
    [result, numMatches] = literalSubst(str, pattern, specStr, (cflags & CF.ICASE) !== 0);
  } else {
    [result, numMatches] = regexSubst(str, compileRegex(pattern, cflags), parseSubSpec(specStr), offset, all);
  }
  const value = result === null ? strObj : TclObj.fromString(result);
  if (nargs === 4) {
    interp.setVar(objv[i + 3].toString(), value);
    interp.result = intObj(numMatches);
  } else {
    interp.result = value;
  }
  return OK;
}

/** The regexp loop; returns null for the result when nothing matched (the string is unchanged). */
function regexSubst(
  str: string,
  re: ReturnType<typeof compileRegex>,
  spec: SubSpec,
  offset: number,
  all: boolean,
): [string | null, number] {
  const wlen = str.length;
  const pm = new Int32Array(2 * (Math.min(spec.maxGroup, re.nsub) + 1));
  let out = '';
  let n = 0;
  while (offset <= wlen) {
    if (!re.exec(str, offset, notBol(str, offset), pm)) break;
    if (n === 0) out = str.slice(0, offset);
    n++;
    const start = pm[0] - offset;
    const end = pm[1] - offset;
    out += str.slice(offset, pm[0]);
    const { texts, groups } = spec;
    for (let k = 0; k < groups.length; k++) {
      out += texts[k];
      const g = groups[k];
      if (2 * g < pm.length && pm[2 * g] >= 0) out += str.slice(pm[2 * g], pm[2 * g + 1]);
    }
    out += texts[groups.length];
    if (end === 0) {
      // Always consume a character so an empty match cannot repeat in place.
      if (offset < wlen) out += str[offset];
      offset++;
    } else {
      offset += end;
      if (start === end) {
        if (offset < wlen) out += str[offset];
        offset++;
      }
    }
    if (!all) break;
  }
  if (n === 0) return [null, 0];
  if (offset < wlen) out += str.slice(offset);
  return [out, n];
}

/** `regsub -all` of a literal pattern; an empty pattern inserts before every character. */
function literalSubst(str: string, pat: string, spec: string, nocase: boolean): [string | null, number] {
  const wlen = str.length;
  const slen = pat.length;
  if (slen === 0) {
    if (wlen === 0) return [null, 0];
    let out = '';
    for (let k = 0; k < wlen; k++) out += spec + str[k];
    return [out, wlen];
  }
  let out = '';
  let n = 0;
  let last = 0;
  const lastStart = wlen - slen;
  for (let p = 0; p <= lastStart; p++) {
    if (!literalAt(str, p, pat, nocase)) continue;
    out += str.slice(last, p) + spec;
    n++;
    p += slen - 1;
    last = p + 1;
  }
  if (n === 0) return [null, 0];
  return [out + str.slice(last), n];
}

function literalAt(str: string, p: number, pat: string, nocase: boolean): boolean {
  for (let k = 0; k < pat.length; k++) {
    const a = str.charCodeAt(p + k);
    const b = pat.charCodeAt(k);
    if (a !== b && !(nocase && toLower(a) === toLower(b))) return false;
  }
  return true;
}

export function register(interp: Interp): void {
  interp.createCommand('regexp', regexpCmd);
  interp.createCommand('regsub', regsubCmd);
}
