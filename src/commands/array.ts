/**
 * The `array` ensemble. Arrays are Vars whose `arr` maps element names to element Vars (an element
 * may exist undefined, kept by a link or trace; it is skipped everywhere). Elements are listed in
 * Tcl's hash-table order (hashorder.ts) so unsorted `array names`/`array get` print what tclsh
 * prints. Every subcommand fires the variable's `array` traces first, as Tcl does.
 */
import { TclObj, Rep } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { globMatch } from '../values/glob.js';
import { formatStringList } from '../values/listFormat.js';
import { OK } from '../engine/codes.js';
import { getIndexFromTable } from '../engine/args.js';
import { splitArrayName, Var, VAR_DEAD } from '../engine/vars.js';
import { runVarTraces } from '../engine/traces.js';
import type { Interp } from '../engine/interp.js';
import { registerAll } from './registry.js';
import { SubcommandTable, subWrongArgs, ensembleWrongArgs } from './subcommands.js';
import { tclHashOrder, tclHashStats } from './hashorder.js';
import { compileRegex } from '../regex/regex.js';

const EMPTY = TclObj.EMPTY;

/** The variable named `name` after firing its `array` traces (null when it does not exist). */
function lookupArray(interp: Interp, name: string): Var | null {
  const v = interp.findVar(name);
  if (v !== null && v.traces !== null) runVarTraces(interp, v, name, null, 'array');
  return v;
}

function notArray(name: string): never {
  throw new TclError(`"${name}" isn't an array`, `TCL LOOKUP ARRAY ${formatStringList([name])}`);
}

/** The element names of an array in Tcl's listing order, undefined elements left out. */
export function arrayNamesInOrder(arr: Map<string, Var>): string[] {
  const keys = [...arr.keys()];
  const order = tclHashOrder(keys);
  const out: string[] = [];
  for (const i of order) {
    const e = arr.get(keys[i])!;
    if (e.value !== null) out.push(keys[i]);
  }
  return out;
}

/** A pattern with no glob metacharacters names at most one element, found directly. */
function isTrivialPattern(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 42 || c === 63 || c === 91 || c === 92) return false;
  }
  return true;
}

const SUBS = new SubcommandTable([
  'anymore', 'donesearch', 'exists', 'get', 'names', 'nextelement', 'set', 'size', 'startsearch',
  'statistics', 'unset',
]);

// ------------------------------------------------------------------ searches

interface Search {
  /** The handle, "s-<id>-<arrayName>". */
  handle: string;
  id: number;
  /** The element map the search was started on and its size then: a change ends the search. */
  map: Map<string, Var>;
  size: number;
  keys: string[];
  pos: number;
}

/** Active searches per array variable, newest first. */
const searches = new WeakMap<Var, Search[]>();

function liveSearches(v: Var): Search[] {
  let list = searches.get(v);
  if (list === undefined) {
    list = [];
    searches.set(v, list);
  }
  // Adding or removing an element ends every search of the array (as Tcl's DeleteSearches).
  const arr = v.arr;
  for (let i = list.length - 1; i >= 0; i--) {
    const s = list[i];
    if (s.map !== arr || arr.size !== s.size) list.splice(i, 1);
  }
  return list;
}

/** Find the search `handle` names on array `name`, with Tcl's three distinct complaints. */
function findSearch(v: Var, name: string, handleObj: TclObj): { list: Search[]; index: number } {
  const handle = handleObj.toString();
  const code = `TCL LOOKUP ARRAYSEARCH ${formatStringList([handle])}`;
  const parsed = parseSearchId(handle);
  if (parsed === null) throw new TclError(`illegal search identifier "${handle}"`, code);
  if (parsed.name !== name) throw new TclError(`search identifier "${handle}" isn't for variable "${name}"`, code);
  // Searches are matched by number, so "s-01-a" finds s-1-a.
  const list = liveSearches(v);
  for (let i = 0; i < list.length; i++) if (list[i].id === parsed.id) return { list, index: i };
  throw new TclError(`couldn't find search "${handle}"`, code);
}

/** Split "s-<number>-<name>", reading the number as strtoul would; null when malformed. */
function parseSearchId(handle: string): { id: number; name: string } | null {
  if (handle.length < 2 || handle.charCodeAt(0) !== 115 || handle.charCodeAt(1) !== 45) return null;
  let i = 2;
  while (i < handle.length && /\s/.test(handle[i])) i++;
  let negative = false;
  if (i < handle.length && (handle[i] === '+' || handle[i] === '-')) negative = handle[i++] === '-';
  const digits = i;
  while (i < handle.length && handle.charCodeAt(i) >= 48 && handle.charCodeAt(i) <= 57) i++;
  if (i === digits || i >= handle.length || handle.charCodeAt(i) !== 45) return null;
  let id = Number(handle.slice(digits, i));
  // strtoul negates in unsigned arithmetic: no search ever has such a number.
  if (negative && id !== 0) id = -1;
  return { id, name: handle.slice(i + 1) };
}

/** Skip elements unset since the search started; true when one remains. */
function searchAdvance(v: Var, s: Search): boolean {
  const arr = v.arr!;
  while (s.pos < s.keys.length) {
    const e = arr.get(s.keys[s.pos]);
    if (e !== undefined && e.value !== null) return true;
    s.pos++;
  }
  return false;
}

function arrayForSearch(interp: Interp, objv: TclObj[], sub: string): { v: Var; name: string } {
  if (objv.length !== 4) subWrongArgs(objv, sub, 'arrayName searchId');
  const name = objv[2].toString();
  const v = lookupArray(interp, name);
  if (v === null || v.arr === null) notArray(name);
  return { v, name };
}

function arrayAnymore(interp: Interp, objv: TclObj[]): number {
  const { v, name } = arrayForSearch(interp, objv, 'anymore');
  const { list, index } = findSearch(v, name, objv[3]);
  interp.result = TclObj.fromBool(searchAdvance(v, list[index]));
  return OK;
}

function arrayDonesearch(interp: Interp, objv: TclObj[]): number {
  const { v, name } = arrayForSearch(interp, objv, 'donesearch');
  const { list, index } = findSearch(v, name, objv[3]);
  list.splice(index, 1);
  interp.result = EMPTY;
  return OK;
}

function arrayNextelement(interp: Interp, objv: TclObj[]): number {
  const { v, name } = arrayForSearch(interp, objv, 'nextelement');
  const { list, index } = findSearch(v, name, objv[3]);
  const s = list[index];
  if (searchAdvance(v, s)) {
    interp.result = TclObj.fromString(s.keys[s.pos++]);
  } else {
    interp.result = EMPTY;
  }
  return OK;
}

function arrayStartsearch(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) subWrongArgs(objv, 'startsearch', 'arrayName');
  const name = objv[2].toString();
  const v = lookupArray(interp, name);
  if (v === null || v.arr === null) notArray(name);
  const list = liveSearches(v);
  const id = list.length > 0 ? list[0].id + 1 : 1;
  const handle = `s-${id}-${name}`;
  const keys = [...v.arr.keys()];
  const order = tclHashOrder(keys);
  list.unshift({ handle, id, map: v.arr, size: v.arr.size, keys: order.map((i) => keys[i]), pos: 0 });
  interp.result = TclObj.fromString(handle);
  return OK;
}

// ------------------------------------------------------------------ the rest

function arrayExists(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) subWrongArgs(objv, 'exists', 'arrayName');
  const v = lookupArray(interp, objv[2].toString());
  interp.result = TclObj.fromBool(v !== null && v.arr !== null);
  return OK;
}

function arrayGet(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3 && objv.length !== 4) subWrongArgs(objv, 'get', 'arrayName ?pattern?');
  const name = objv[2].toString();
  const v = lookupArray(interp, name);
  if (v === null || v.arr === null) {
    interp.result = EMPTY;
    return OK;
  }
  const pattern = objv.length === 4 ? objv[3].toString() : null;
  let names: string[];
  if (pattern !== null && isTrivialPattern(pattern)) {
    const e = v.arr.get(pattern);
    names = e !== undefined && e.value !== null ? [pattern] : [];
  } else {
    names = arrayNamesInOrder(v.arr);
    if (pattern !== null) names = names.filter((k) => globMatch(pattern, k, false));
  }
  const out: TclObj[] = [];
  for (const k of names) {
    const arr = v.arr;
    if (arr === null) break;
    const e = arr.get(k);
    if (e === undefined) continue;
    let value: TclObj | null = e.value;
    if (v.traces !== null || e.traces !== null) {
      try {
        value = interp.readVar(v, name, k);
      } catch (err) {
        // A read trace that unset the element drops it; any other failure is the command's.
        if (err instanceof TclError && v.arr !== null) continue;
        throw err;
      }
    }
    if (value === null) continue;
    out.push(TclObj.fromString(k), value);
  }
  interp.result = TclObj.fromList(out);
  return OK;
}

const NAME_MODES = ['-exact', '-glob', '-regexp'];

function arrayNames(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 3 || objv.length > 5) subWrongArgs(objv, 'names', 'arrayName ?mode? ?pattern?');
  const name = objv[2].toString();
  const v = lookupArray(interp, name);
  let mode = 1;
  let pattern: string | null = null;
  if (objv.length === 5) {
    mode = getIndexFromTable(objv[3], NAME_MODES, 'option');
    pattern = objv[4].toString();
  } else if (objv.length === 4) {
    pattern = objv[3].toString();
  }
  if (v === null || v.arr === null) {
    interp.result = EMPTY;
    return OK;
  }
  let names: string[];
  if (pattern !== null && (mode === 0 || (mode === 1 && isTrivialPattern(pattern)))) {
    const e = v.arr.get(pattern);
    names = e !== undefined && e.value !== null ? [pattern] : [];
  } else {
    names = arrayNamesInOrder(v.arr);
    if (pattern !== null) {
      if (mode === 1) {
        const p = pattern;
        names = names.filter((k) => globMatch(p, k, false));
      } else {
        const re = compileRegex(pattern, 0);
        names = names.filter((k) => re.exec(k, 0, false, null));
      }
    }
  }
  const out = new Array<TclObj>(names.length);
  for (let i = 0; i < names.length; i++) out[i] = TclObj.fromString(names[i]);
  interp.result = TclObj.fromList(out);
  return OK;
}

function arraySet(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 4) subWrongArgs(objv, 'set', 'arrayName list');
  const name = objv[2].toString();
  const index = splitArrayName(name)[1];
  lookupArray(interp, name);
  const listObj = objv[3];
  // A dict value is walked as a dict (duplicate keys of its string already merged), as Tcl does.
  const dict = listObj.t === Rep.Dict ? (listObj.r as Map<string, TclObj>) : null;
  const items = dict === null ? getList(listObj) : null;
  const count = dict !== null ? dict.size * 2 : items!.length;
  if (count & 1) throw new TclError('list must have an even number of elements', 'TCL ARGUMENT FORMAT');
  if (index !== null) {
    // Looking up "a(x)" creates array a (and its element) before Tcl notices the name is an element.
    const [base] = splitArrayName(name);
    const bv = interp.lookupVarCreate(base, name);
    if (bv.arr === null && bv.value === null) {
      bv.arr = new Map();
      bv.flags &= ~VAR_DEAD;
    }
    throw new TclError(`can't set "${name}": variable isn't array`, `TCL LOOKUP VARNAME ${formatStringList([name])}`);
  }
  const v = interp.lookupVarCreate(name, name);
  if (count === 0) {
    if (v.arr === null) {
      if (v.value !== null) throw new TclError(`can't array set "${name}": variable isn't array`, 'TCL WRITE ARRAY');
      v.arr = new Map();
      v.flags &= ~VAR_DEAD;
    }
  } else if (dict !== null) {
    for (const [k, value] of dict) interp.writeVar(v, name, k, value);
  } else {
    for (let i = 0; i < items!.length; i += 2) interp.writeVar(v, name, items![i].toString(), items![i + 1]);
  }
  interp.result = EMPTY;
  return OK;
}

function arraySize(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) subWrongArgs(objv, 'size', 'arrayName');
  const v = lookupArray(interp, objv[2].toString());
  let n = 0;
  if (v !== null && v.arr !== null) for (const e of v.arr.values()) if (e.value !== null) n++;
  interp.result = TclObj.fromInt(n);
  return OK;
}

function arrayStatistics(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) subWrongArgs(objv, 'statistics', 'arrayName');
  const name = objv[2].toString();
  const v = lookupArray(interp, name);
  if (v === null || v.arr === null) notArray(name);
  interp.result = TclObj.fromString(tclHashStats([...v.arr.keys()]));
  return OK;
}

function arrayUnset(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3 && objv.length !== 4) subWrongArgs(objv, 'unset', 'arrayName ?pattern?');
  const name = objv[2].toString();
  const v = lookupArray(interp, name);
  interp.result = EMPTY;
  if (v === null || v.arr === null) return OK;
  if (objv.length === 3) {
    interp.unsetVar(name, null, false);
    return OK;
  }
  const pattern = objv[3].toString();
  if (isTrivialPattern(pattern)) {
    const e = v.arr.get(pattern);
    if (e !== undefined && e.value !== null) interp.unsetVar(name, pattern, false);
    return OK;
  }
  for (const k of arrayNamesInOrder(v.arr)) {
    if (globMatch(pattern, k, false)) interp.unsetVar(name, k, false);
  }
  return OK;
}

type SubProc = (interp: Interp, objv: TclObj[]) => number;

const SUB_PROCS: SubProc[] = [
  arrayAnymore,
  arrayDonesearch,
  arrayExists,
  arrayGet,
  arrayNames,
  arrayNextelement,
  arraySet,
  arraySize,
  arrayStartsearch,
  arrayStatistics,
  arrayUnset,
];

function arrayCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) ensembleWrongArgs(objv);
  return SUB_PROCS[SUBS.lookup(objv[1])](interp, objv);
}

export function register(interp: Interp): void {
  registerAll(interp, { array: arrayCmd });
}
