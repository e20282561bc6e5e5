/**
 * lsearch with every Tcl 8.6 option. Linear scans for -exact/-glob/-regexp (and whenever -all or
 * -not is given), a leftmost-match binary search for -sorted, the last-not-greater one for -bisect.
 */
import { TclObj, intObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { getIndex } from '../values/indexes.js';
import { globMatch, hasGlobChars, lowerString } from '../values/glob.js';
import { compileRegex, CF } from '../regex/regex.js';
import type { TclRegex } from '../regex/regex.js';
import { OK } from '../engine/codes.js';
import { wrongNumArgs, getIndexFromTable } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';
import {
  parseIndexOption,
  indexDecode,
  selectFromSublist,
  wideKey,
  doubleKey,
  asciiCompare,
  asciiCaseCompare,
  dictionaryCompare,
} from './lsort.js';

const OPTIONS = [
  '-all', '-ascii', '-bisect', '-decreasing', '-dictionary', '-exact', '-glob', '-increasing', '-index',
  '-inline', '-integer', '-nocase', '-not', '-real', '-regexp', '-sorted', '-start', '-subindices',
] as const;

const enum Mode {
  Exact,
  Glob,
  Regexp,
  Sorted,
}

const enum Type {
  Ascii,
  Dictionary,
  Integer,
  Real,
}

function mixError(message: string): never {
  throw new TclError(message, 'TCL OPERATION LSEARCH BAD_OPTION_MIX');
}

function lsearchCmd(interp: Interp, objv: TclObj[]): number {
  const objc = objv.length;
  if (objc < 3) wrongNumArgs(objv, 1, '?-option value ...? list pattern');
  let mode = Mode.Glob;
  let type = Type.Ascii;
  let all = false;
  let bisect = false;
  let increasing = true;
  let inline = false;
  let nocase = false;
  let negate = false;
  let subindices = false;
  let startObj: TclObj | null = null;
  let indexv: number[] = [];
  for (let i = 1; i < objc - 2; i++) {
    switch (getIndexFromTable(objv[i], OPTIONS, 'option')) {
      case 0: all = true; break;
      case 1: type = Type.Ascii; break;
      case 2: mode = Mode.Sorted; bisect = true; break;
      case 3: increasing = false; break;
      case 4: type = Type.Dictionary; break;
      case 5: mode = Mode.Exact; break;
      case 6: mode = Mode.Glob; break;
      case 7: increasing = true; break;
      case 8:
        indexv = [];
        if (i > objc - 4) throw new TclError('"-index" option must be followed by list index', 'TCL ARGUMENT MISSING');
        indexv = parseIndexOption(objv[++i]);
        break;
      case 9: inline = true; break;
      case 10: type = Type.Integer; break;
      case 11: nocase = true; break;
      case 12: negate = true; break;
      case 13: type = Type.Real; break;
      case 14: mode = Mode.Regexp; break;
      case 15: mode = Mode.Sorted; break;
      case 16:
        if (i > objc - 4) throw new TclError('missing starting index', 'TCL ARGUMENT MISSING');
        startObj = objv[++i];
        break;
      default: subindices = true; break;
    }
  }
  if (subindices && indexv.length === 0) mixError('-subindices cannot be used without -index option');
  if (bisect && (all || negate)) mixError('-bisect is not compatible with -all or -not');

  const patObj = objv[objc - 1];
  let re: TclRegex | null = null;
  if (mode === Mode.Regexp) re = compileRegex(patObj.toString(), nocase ? CF.ICASE : 0);

  const listObj = objv[objc - 2];
  const items = getList(listObj);
  const listc = items.length;
  let offset = 0;
  if (startObj !== null) {
    offset = getIndex(startObj, listc - 1);
    if (offset < 0) offset = 0;
    if (offset > listc - 1) {
      interp.result = all || inline ? TclObj.EMPTY : intObj(-1);
      return OK;
    }
  }

  let patStr = '';
  let patWide: number | bigint = 0;
  let patDouble = 0;
  if ((mode === Mode.Exact || mode === Mode.Sorted) && type === Type.Integer) patWide = wideKey(patObj);
  else if ((mode === Mode.Exact || mode === Mode.Sorted) && type === Type.Real) patDouble = doubleKey(patObj);
  else patStr = patObj.toString();

  const indexed = indexv.length > 0;
  const key = (i: number): TclObj => (indexed ? selectFromSublist(items[i], indexv) : items[i]);

  /**
   * The result for a found element: the element or its index path. Only -all -inline collects the
   * selected parts for -subindices; a single -inline match is the whole element, as in Tcl.
   */
  const found = (i: number): TclObj => {
    if (inline) return all && subindices ? selectFromSublist(items[i], indexv) : items[i];
    if (subindices) return indexPath(i, indexv, listc);
    return intObj(i);
  };

  if (mode === Mode.Sorted && !all && !negate) {
    let lower = offset - 1;
    let upper = listc;
    let index = -1;
    while (lower + 1 !== upper) {
      const i = (lower + upper) >> 1;
      const item = key(i);
      let match: number;
      switch (type) {
        case Type.Ascii:
          match = nocase ? asciiCaseCompare(patStr, item.toString()) : asciiCompare(patStr, item.toString());
          break;
        case Type.Dictionary:
          match = dictionaryCompare(patStr, item.toString());
          break;
        case Type.Integer: {
          const v = wideKey(item);
          match = patWide === v ? 0 : patWide < v ? -1 : 1;
          break;
        }
        default: {
          const v = doubleKey(item);
          match = patDouble === v ? 0 : patDouble < v ? -1 : 1;
          break;
        }
      }
      if (match === 0) {
        // Keep going: the leftmost equal element (the rightmost for -bisect) is wanted.
        index = i;
        if (bisect) lower = i;
        else upper = i;
      } else if (match > 0) {
        if (increasing) lower = i;
        else upper = i;
      } else if (increasing) {
        upper = i;
      } else {
        lower = i;
      }
    }
    if (bisect && index < 0) index = lower;
    if (inline) interp.result = index < 0 ? TclObj.EMPTY : found(index);
    else interp.result = subindices ? indexPath(index, indexv, listc) : intObj(index);
    return OK;
  }

  const matcher = elementMatcher(mode, type, nocase, patStr, patWide, patDouble, re);
  const results: TclObj[] | null = all ? [] : null;
  for (let i = offset; i < listc; i++) {
    if (matcher(key(i)) === negate) continue;
    if (results === null) {
      interp.result = found(i);
      return OK;
    }
    results.push(found(i));
  }
  if (results !== null) interp.result = TclObj.fromList(results);
  else interp.result = inline ? TclObj.EMPTY : intObj(-1);
  return OK;
}

/**
 * `-subindices` result: the element's position followed by the -index values. Tcl resolves `end`
 * in those against the length of the searched list, not the sublist; so do we.
 */
function indexPath(i: number, indexv: readonly number[], listc: number): TclObj {
  const out: TclObj[] = [intObj(i)];
  for (const enc of indexv) out.push(intObj(indexDecode(enc, listc)));
  return TclObj.fromList(out);
}

type Matcher = (item: TclObj) => boolean;

function elementMatcher(
  mode: Mode,
  type: Type,
  nocase: boolean,
  pat: string,
  patWide: number | bigint,
  patDouble: number,
  re: TclRegex | null,
): Matcher {
  if (mode === Mode.Glob) {
    if (!hasGlobChars(pat)) return exactMatcher(pat, nocase);
    return (item) => globMatch(pat, item.toString(), nocase);
  }
  if (mode === Mode.Regexp) return (item) => re!.exec(item.toString(), 0, false, null);
  switch (type) {
    case Type.Ascii:
      return exactMatcher(pat, nocase);
    case Type.Dictionary:
      return (item) => dictionaryCompare(item.toString(), pat) === 0;
    case Type.Integer:
      return (item) => wideKey(item) === patWide;
    default:
      return (item) => doubleKey(item) === patDouble;
  }
}

function exactMatcher(pat: string, nocase: boolean): Matcher {
  if (!nocase) return (item) => item.toString() === pat;
  const lowPat = lowerString(pat);
  return (item) => {
    const s = item.toString();
    return s.length === pat.length && lowerString(s) === lowPat;
  };
}

export function register(interp: Interp): void {
  interp.createCommand('lsearch', lsearchCmd);
}
