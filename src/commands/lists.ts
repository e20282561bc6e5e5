/**
 * List commands: list llength lindex linsert lrange lrepeat lreplace lreverse lset concat join split
 * lassign (lsort and lsearch live in their own modules).
 *
 * lindex, llength and list have inline compilers; lset too, so `lset v i x` on a proc local changes
 * the list in place when only that variable holds it (the OWNED_LIST mark lappend also uses). When
 * the list word of lindex/llength is a plain local `$v`, its value is read without clearing that mark:
 * neither command lets the list itself escape, so a loop mixing lappend/lset with lindex/llength
 * stays linear.
 */
import { TclObj, Rep, intObj, OWNED_LIST } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { getIndex } from '../values/indexes.js';
import { getInt32, isTclSpace } from '../values/number.js';
import { OK } from '../engine/codes.js';
import { wrongNumArgs } from '../engine/args.js';
import { splitArrayName } from '../engine/vars.js';
import type { Var } from '../engine/vars.js';
import { PartKind } from '../parse/ast.js';
import type { Part } from '../parse/ast.js';
import type { Interp } from '../engine/interp.js';
import type { CompiledWord, Compiler, ExecFn, ValueFn } from '../engine/compile.js';
import { registerCompiled, registerAll } from './registry.js';
import * as lsort from './lsort.js';
import * as lsearch from './lsearch.js';

const EMPTY = TclObj.EMPTY;

// ------------------------------------------------------------------ index arguments

/**
 * Whether an index argument of lindex/lset is one index rather than a list of them. Tcl tries the
 * single-index reading first; a word with no list syntax in it is its own one-element list, so
 * reading it as one index gives the same answer and keeps an integer variable's number intact.
 */
function isSingleIndex(o: TclObj): boolean {
  const t = o.t;
  if (t === Rep.Int) return true;
  if (t === Rep.List || t === Rep.Dict) return false;
  const s = o.toString();
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    // Whitespace, braces, quotes and backslashes are list syntax.
    if (c <= 32 || c === 123 || c === 125 || c === 34 || c === 92) return false;
  }
  return true;
}

/** The indices an index-list argument stands for; an unparsable list is one (bad) index. */
function indexList(o: TclObj): readonly TclObj[] {
  if (isSingleIndex(o)) return [o];
  try {
    return getList(o);
  } catch (e) {
    if (e instanceof TclError) return [o];
    throw e;
  }
}

// ------------------------------------------------------------------ list, llength

function listCmd(interp: Interp, objv: TclObj[]): number {
  interp.result = objv.length === 1 ? EMPTY : TclObj.fromList(objv.slice(1));
  return OK;
}

function llengthCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) wrongNumArgs(objv, 1, 'list');
  interp.result = intObj(getList(objv[1]).length);
  return OK;
}

// ------------------------------------------------------------------ lindex

/** TclLindexFlat: walk `indices[from..]` into nested lists; out of range gives "". */
export function lindexFlat(list: TclObj, indices: readonly TclObj[], from: number): TclObj {
  let cur = list;
  const n = indices.length;
  for (let k = from; k < n; k++) {
    const items = getList(cur);
    const len = items.length;
    const i = getIndex(indices[k], len - 1);
    if (i < 0 || i >= len) {
      // The remaining indices must still be well formed.
      for (k++; k < n; k++) getIndex(indices[k], -1);
      return EMPTY;
    }
    cur = items[i];
  }
  return cur;
}

/** One index argument, which may be an index list (TclLindexList). */
export function lindexOne(list: TclObj, index: TclObj): TclObj {
  if (isSingleIndex(index)) {
    const items = getList(list);
    const i = getIndex(index, items.length - 1);
    return i >= 0 && i < items.length ? items[i] : EMPTY;
  }
  return lindexFlat(list, indexList(index), 0);
}

function lindexCmd(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n < 2) wrongNumArgs(objv, 1, 'list ?index ...?');
  if (n === 2) interp.result = objv[1];
  else if (n === 3) interp.result = lindexOne(objv[1], objv[2]);
  else interp.result = lindexFlat(objv[1], objv, 2);
  return OK;
}

// ------------------------------------------------------------------ linsert, lrange, lreplace

function linsertCmd(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n < 3) wrongNumArgs(objv, 1, 'list index ?element ...?');
  const items = getList(objv[1]);
  const len = items.length;
  let index = getIndex(objv[2], len);
  if (index < 0) index = 0;
  else if (index > len) index = len;
  const out: TclObj[] = new Array(len + n - 3);
  let k = 0;
  for (let i = 0; i < index; i++) out[k++] = items[i];
  for (let i = 3; i < n; i++) out[k++] = objv[i];
  for (let i = index; i < len; i++) out[k++] = items[i];
  interp.result = TclObj.fromList(out);
  return OK;
}

function lrangeCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 4) wrongNumArgs(objv, 1, 'list first last');
  const items = getList(objv[1]);
  const len = items.length;
  let first = getIndex(objv[2], len - 1);
  if (first < 0) first = 0;
  let last = getIndex(objv[3], len - 1);
  if (last >= len) last = len - 1;
  if (first > last) interp.result = EMPTY;
  else if (first === 0 && last === len - 1 && objv[1].t === Rep.List && !objv[1].hasString()) interp.result = objv[1];
  else interp.result = TclObj.fromList(items.slice(first, last + 1));
  return OK;
}

function lreplaceCmd(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n < 4) wrongNumArgs(objv, 1, 'list first last ?element ...?');
  const items = getList(objv[1]);
  const len = items.length;
  let first = getIndex(objv[2], len - 1);
  let last = getIndex(objv[3], len - 1);
  if (first < 0) first = 0;
  if (first > len) first = len;
  if (last >= len) last = len - 1;
  const del = first <= last ? last - first + 1 : 0;
  const out: TclObj[] = new Array(len - del + n - 4);
  let k = 0;
  for (let i = 0; i < first; i++) out[k++] = items[i];
  for (let i = 4; i < n; i++) out[k++] = objv[i];
  for (let i = first + del; i < len; i++) out[k++] = items[i];
  interp.result = TclObj.fromList(out);
  return OK;
}

// ------------------------------------------------------------------ lrepeat, lreverse

/** Tcl's LIST_MAX on 64-bit builds: the most elements a list may hold. */
const LIST_MAX = 536870909;

function lrepeatCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) wrongNumArgs(objv, 1, 'count ?value ...?');
  const count = getInt32(objv[1]);
  if (count < 0) throw new TclError(`bad count "${count}": must be integer >= 0`, 'TCL OPERATION LREPEAT NEGARG');
  const nv = objv.length - 2;
  if (count !== 0 && nv > Math.floor(LIST_MAX / count)) {
    throw new TclError(`max length of a Tcl list (${LIST_MAX} elements) exceeded`, 'TCL MEMORY');
  }
  if (nv === 0 || count === 0) {
    interp.result = EMPTY;
    return OK;
  }
  const out: TclObj[] = new Array(count * nv);
  if (nv === 1) out.fill(objv[2]);
  else for (let r = 0, k = 0; r < count; r++) for (let i = 2; i < objv.length; i++) out[k++] = objv[i];
  interp.result = TclObj.fromList(out);
  return OK;
}

function lreverseCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) wrongNumArgs(objv, 1, 'list');
  const items = getList(objv[1]);
  const n = items.length;
  if (n === 0) {
    interp.result = EMPTY;
    return OK;
  }
  const out: TclObj[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = items[n - 1 - i];
  interp.result = TclObj.fromList(out);
  return OK;
}

// ------------------------------------------------------------------ lset

function outOfRange(): never {
  throw new TclError('list index out of range', 'TCL OPERATION LSET BADINDEX');
}

/**
 * TclLsetFlat: the list with the element at `indices` replaced (an index one past the end appends).
 * Everything is checked before anything changes. With `inPlace` the top-level element array of
 * `list` is modified and `list` returned; nested lists are always copied.
 */
export function lsetFlat(list: TclObj, indices: readonly TclObj[], value: TclObj, inPlace: boolean): TclObj {
  const depth = indices.length;
  if (depth === 0) return value;
  if (depth === 1) {
    const items = getList(list);
    const len = items.length;
    const i = getIndex(indices[0], len - 1);
    if (i < 0 || i > len) outOfRange();
    const out = inPlace ? (items as TclObj[]) : items.slice();
    if (i === len) out.push(value);
    else out[i] = value;
    return inPlace ? list : TclObj.fromList(out);
  }
  const arrays: (readonly TclObj[])[] = new Array(depth);
  const positions: number[] = new Array(depth);
  let cur = list;
  for (let k = 0; k < depth; k++) {
    const items = getList(cur);
    const len = items.length;
    const i = getIndex(indices[k], len - 1);
    if (i < 0 || i > len) outOfRange();
    arrays[k] = items;
    positions[k] = i;
    if (k + 1 < depth) cur = i === len ? EMPTY : items[i];
  }
  let v = value;
  for (let k = depth - 1; k >= 0; k--) {
    const top = k === 0 && inPlace;
    const out = top ? (arrays[k] as TclObj[]) : arrays[k].slice();
    if (positions[k] === out.length) out.push(v);
    else out[positions[k]] = v;
    v = top ? list : TclObj.fromList(out);
  }
  return v;
}

/** The new value for `lset` from its index words (objv[from..to)) and value. */
function lsetValue(list: TclObj, objv: readonly TclObj[], from: number, to: number, value: TclObj, inPlace: boolean): TclObj {
  if (to - from === 1) return lsetFlat(list, indexList(objv[from]), value, inPlace);
  return lsetFlat(list, objv.slice(from, to), value, inPlace);
}

function lsetCmd(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n < 3) wrongNumArgs(objv, 1, 'listVar ?index? ?index ...? value');
  const name = objv[1].toString();
  const list = interp.getVar(name);
  const value = n === 3 ? objv[2] : lsetValue(list, objv, 2, n - 1, objv[n - 1], false);
  interp.result = interp.setVar(name, value);
  return OK;
}

/**
 * Inline lset on a proc local. A list only this variable holds is changed in place; a copy made here
 * is marked as owned when the command's result is not used, so the next lset (or lappend) reuses it.
 */
function compileLset(c: Compiler, words: CompiledWord[]): ExecFn | null {
  const n = words.length;
  if (n < 4 || words.some((w) => w.expand)) return null;
  const nameWord = words[1].constant;
  if (nameWord === null) return null;
  const name = nameWord.toString();
  const slot = c.slot(name);
  if (slot < 0) return null;
  const fns = words.slice(2).map(valueOf);
  const nargs = fns.length;
  const keepOwned = !c.resultUsed;
  if (nargs === 2) {
    // `lset v index value`: an owned list with a single index is changed with no allocation.
    const indexFn = fns[0];
    const valueFn = fns[1];
    return (interp) => {
      const x = indexFn(interp);
      if (x === null) return interp.pendingCode;
      const value = valueFn(interp);
      if (value === null) return interp.pendingCode;
      const vr = interp.varFrame.locals[slot];
      const cur = vr === null || vr === undefined ? null : vr.value;
      if (cur !== null && cur.code === OWNED_LIST && cur.t === Rep.List && cur.s === null && vr!.traces === null && isSingleIndex(x)) {
        const items = cur.r as TclObj[];
        const len = items.length;
        const i = getIndex(x, len - 1);
        if (i < 0 || i > len) outOfRange();
        if (i === len) items.push(value);
        else items[i] = value;
        if (!keepOwned) cur.code = null;
        interp.result = cur;
        return OK;
      }
      return lsetSlow(interp, vr ?? null, name, [x, value], keepOwned);
    };
  }
  return (interp) => {
    const args: TclObj[] = new Array(nargs);
    for (let i = 0; i < nargs; i++) {
      const v = fns[i](interp);
      if (v === null) return interp.pendingCode;
      args[i] = v;
    }
    const vr = interp.varFrame.locals[slot];
    return lsetSlow(interp, vr ?? null, name, args, keepOwned);
  };
}

/** Compiled lset on a local, general case: `args` holds the index words and then the value. */
function lsetSlow(interp: Interp, vr: Var | null, name: string, args: TclObj[], keepOwned: boolean): number {
  const nargs = args.length;
  const value = args[nargs - 1];
  const cur = vr === null ? null : vr.value;
  if (cur === null || vr!.traces !== null || vr!.arr !== null) {
    const list = interp.readVar(vr, name, null);
    interp.result = interp.writeVar(vr!, name, null, lsetValue(list, args, 0, nargs - 1, value, false));
    return OK;
  }
  const owned = cur.code === OWNED_LIST && cur.t === Rep.List && cur.s === null;
  const obj = lsetValue(cur, args, 0, nargs - 1, value, owned);
  // A fresh copy belongs to this variable alone until the result is used. (With an empty index
  // list the new value is the value word itself, which others may hold.)
  if (obj !== value) obj.code = keepOwned && obj.t === Rep.List && obj.s === null ? OWNED_LIST : null;
  vr!.value = obj;
  interp.result = obj;
  return OK;
}

// ------------------------------------------------------------------ concat, join, split

/** Tcl_ConcatObj: list values without a string join as lists; otherwise trimmed strings with spaces. */
export function concatObjs(objv: readonly TclObj[], from: number): TclObj {
  const n = objv.length;
  let allLists = true;
  for (let i = from; i < n; i++) {
    const o = objv[i];
    if (o.t === Rep.List && o.s === null) continue;
    if (o.toString().length > 0) {
      allLists = false;
      break;
    }
  }
  if (allLists) {
    const out: TclObj[] = [];
    for (let i = from; i < n; i++) {
      const o = objv[i];
      if (o.t !== Rep.List) continue;
      const items = o.r as TclObj[];
      for (let k = 0; k < items.length; k++) out.push(items[k]);
    }
    return out.length === 0 ? EMPTY : TclObj.fromList(out);
  }
  let result = '';
  for (let i = from; i < n; i++) {
    const s = objv[i].toString();
    let a = 0;
    let b = s.length;
    while (a < b && isTclSpace(s.charCodeAt(a))) a++;
    const end = b;
    while (b > a && isTclSpace(s.charCodeAt(b - 1))) b--;
    // Keep one trailing space after a backslash, or the backslash would escape what follows.
    if (b < end && b > a && s.charCodeAt(b - 1) === 92) b++;
    if (a === b) continue;
    if (result.length > 0) result += ' ';
    result += s.slice(a, b);
  }
  return TclObj.fromString(result);
}

function concatCmd(interp: Interp, objv: TclObj[]): number {
  interp.result = concatObjs(objv, 1);
  return OK;
}

function joinCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2 && objv.length !== 3) wrongNumArgs(objv, 1, 'list ?joinString?');
  const items = getList(objv[1]);
  const n = items.length;
  if (n === 1) {
    interp.result = items[0];
    return OK;
  }
  const sep = objv.length === 3 ? objv[2].toString() : ' ';
  let s = '';
  for (let i = 0; i < n; i++) {
    if (i > 0) s += sep;
    s += items[i].toString();
  }
  interp.result = n === 0 ? EMPTY : TclObj.fromString(s);
  return OK;
}

function splitCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2 && objv.length !== 3) wrongNumArgs(objv, 1, 'string ?splitChars?');
  const str = objv[1].toString();
  const chars = objv.length === 3 ? objv[2].toString() : ' \n\t\r';
  const n = str.length;
  const out: TclObj[] = [];
  if (n === 0) {
    interp.result = EMPTY;
    return OK;
  }
  if (chars.length === 0) {
    // One element per character; identical characters share one value, as in Tcl.
    const seen = new Map<string, TclObj>();
    for (const ch of str) {
      let o = seen.get(ch);
      if (o === undefined) seen.set(ch, (o = TclObj.fromString(ch)));
      out.push(o);
    }
  } else if (chars.length === 1) {
    const sep = chars;
    let start = 0;
    for (;;) {
      const at = str.indexOf(sep, start);
      if (at < 0) break;
      out.push(TclObj.fromString(str.slice(start, at)));
      start = at + 1;
    }
    out.push(TclObj.fromString(str.slice(start)));
  } else {
    let start = 0;
    for (let i = 0; i < n; i++) {
      if (chars.indexOf(str[i]) >= 0) {
        out.push(TclObj.fromString(str.slice(start, i)));
        start = i + 1;
      }
    }
    out.push(TclObj.fromString(str.slice(start)));
  }
  interp.result = TclObj.fromList(out);
  return OK;
}

// ------------------------------------------------------------------ lassign

function lassignCmd(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n < 2) wrongNumArgs(objv, 1, 'list ?varName ...?');
  const items = getList(objv[1]);
  const len = items.length;
  let k = 0;
  for (let i = 2; i < n; i++) {
    interp.setVar(objv[i].toString(), k < len ? items[k] : EMPTY);
    if (k < len) k++;
  }
  interp.result = k >= len ? EMPTY : TclObj.fromList(items.slice(k));
  return OK;
}

// ------------------------------------------------------------------ inline compilers

function valueOf(w: CompiledWord): ValueFn {
  const k = w.constant;
  return k !== null ? () => k : w.fn!;
}

/**
 * A reader for a word that is exactly `$name` of a proc local, that leaves the value's OWNED_LIST
 * mark alone; null for any other word.
 */
function peekLocal(c: Compiler, w: CompiledWord): ValueFn | null {
  const parts = w.word.parts;
  if (w.expand || parts.length !== 1 || parts[0].kind !== PartKind.Var) return null;
  const name = parts[0].text;
  if (splitArrayName(name)[1] !== null) return null;
  const slot = c.slot(name);
  if (slot < 0) return null;
  return (interp) => {
    const v = interp.varFrame.locals[slot];
    if (v !== null && v !== undefined) {
      const val = v.value;
      if (val !== null && v.traces === null) return val;
    }
    return interp.readVar(v ?? null, name, null);
  };
}

/** Whether a word's evaluation runs no command (so it cannot change any list). */
function isPure(w: CompiledWord): boolean {
  return w.constant !== null || partsArePure(w.word.parts);
}

function partsArePure(parts: readonly Part[]): boolean {
  for (const p of parts) {
    if (p.kind === PartKind.Command) return false;
    if (p.kind === PartKind.ArrayVar && p.index !== null && !partsArePure(p.index)) return false;
  }
  return true;
}

function compileList(_c: Compiler, words: CompiledWord[]): ExecFn | null {
  if (words.some((w) => w.expand)) return null;
  const fns = words.slice(1).map(valueOf);
  const n = fns.length;
  if (n === 0) {
    return (interp) => {
      interp.result = EMPTY;
      return OK;
    };
  }
  return (interp) => {
    const items: TclObj[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = fns[i](interp);
      if (v === null) return interp.pendingCode;
      items[i] = v;
    }
    interp.result = TclObj.fromList(items);
    return OK;
  };
}

function compileLlength(c: Compiler, words: CompiledWord[]): ExecFn | null {
  if (words.length !== 2 || words[1].expand) return null;
  const read = peekLocal(c, words[1]) ?? valueOf(words[1]);
  return (interp) => {
    const l = read(interp);
    if (l === null) return interp.pendingCode;
    interp.result = intObj(l.t === Rep.List ? (l.r as TclObj[]).length : getList(l).length);
    return OK;
  };
}

function compileLindex(c: Compiler, words: CompiledWord[]): ExecFn | null {
  const n = words.length;
  if (n < 3 || words.some((w) => w.expand)) return null;
  const rest = words.slice(2);
  // Peeking is safe only when nothing evaluated after the list word can run code: then the index
  // words are evaluated first, so nothing can touch the list between reading it and using it.
  const peek = rest.every(isPure) ? peekLocal(c, words[1]) : null;
  const readList = peek ?? valueOf(words[1]);
  if (n === 3) {
    const idxWord = words[2];
    const k = idxWord.constant;
    if (k !== null && isSingleIndex(k)) {
      // A constant index: parse it once. A non-negative integer or end-N need no re-parsing.
      const fixed = constantIndex(k);
      return (interp) => {
        const l = readList(interp);
        if (l === null) return interp.pendingCode;
        const items = l.t === Rep.List ? (l.r as TclObj[]) : getList(l);
        const len = items.length;
        const i = fixed === null ? getIndex(k, len - 1) : fixed >= 0 ? fixed : len - 1 + (fixed - END_BASE);
        interp.result = i >= 0 && i < len ? items[i] : EMPTY;
        return OK;
      };
    }
    const idxFn = valueOf(idxWord);
    if (peek !== null) {
      return (interp) => {
        const x = pureFirst(interp, idxFn, peek);
        const l = peek(interp)!;
        const r = lindexOne(l, x);
        if (r === l && l.code === OWNED_LIST) l.code = null;
        interp.result = r;
        return OK;
      };
    }
    return (interp) => {
      const l = readList(interp);
      if (l === null) return interp.pendingCode;
      const x = idxFn(interp);
      if (x === null) return interp.pendingCode;
      interp.result = lindexOne(l, x);
      return OK;
    };
  }
  const idxFns = rest.map(valueOf);
  const ni = idxFns.length;
  return (interp) => {
    const idx: TclObj[] = new Array(ni);
    let l: TclObj | null = null;
    if (peek === null) {
      l = readList(interp);
      if (l === null) return interp.pendingCode;
      for (let i = 0; i < ni; i++) {
        const v = idxFns[i](interp);
        if (v === null) return interp.pendingCode;
        idx[i] = v;
      }
    } else {
      for (let i = 0; i < ni; i++) idx[i] = pureFirst(interp, idxFns[i], peek);
      l = peek(interp)!;
    }
    interp.result = lindexFlat(l, idx, 0);
    return OK;
  };
}

/**
 * Evaluate a pure word (constant or variable reads) ahead of the list word that precedes it. Such a
 * word can only fail by a missing variable; Tcl would have reported the list word's failure first.
 */
function pureFirst(interp: Interp, fn: ValueFn, listWord: ValueFn): TclObj {
  let v: TclObj | null;
  try {
    v = fn(interp);
  } catch (e) {
    listWord(interp);
    throw e;
  }
  // Only a command substitution yields null, and pure words have none.
  return v!;
}

/** Constant indices `end-N` are encoded below this base (end itself is END_BASE). */
const END_BASE = -1e10;

/** A constant index resolved ahead: N >= 0, or END_BASE - N for end-N; null when it needs the list. */
function constantIndex(k: TclObj): number | null {
  try {
    const atZero = getIndex(k, 0);
    const atTen = getIndex(k, 10);
    if (atZero === atTen) return atZero >= 0 ? atZero : null;
    // Depends on the length: end+offset. Only end-N (N >= 0) is pre-resolved.
    const off = atZero;
    return off <= 0 ? END_BASE + off : null;
  } catch (e) {
    if (e instanceof TclError) return null;
    throw e;
  }
}

export function register(interp: Interp): void {
  registerCompiled(interp, 'list', listCmd, compileList);
  registerCompiled(interp, 'llength', llengthCmd, compileLlength);
  registerCompiled(interp, 'lindex', lindexCmd, compileLindex);
  registerCompiled(interp, 'lset', lsetCmd, compileLset);
  registerAll(interp, {
    linsert: linsertCmd,
    lrange: lrangeCmd,
    lreplace: lreplaceCmd,
    lrepeat: lrepeatCmd,
    lreverse: lreverseCmd,
    concat: concatCmd,
    join: joinCmd,
    split: splitCmd,
    lassign: lassignCmd,
  });
  lsort.register(interp);
  lsearch.register(interp);
}
