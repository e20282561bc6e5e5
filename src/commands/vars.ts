/**
 * Variable commands: set, unset, incr, append, lappend, global, upvar, variable. set/incr/append/
 * lappend have inline compilers that address proc locals by slot.
 */
import { TclObj, Rep, intObj, OWNED_LIST } from '../values/obj.js';
import { TclError, withErrorContext } from '../values/error.js';
import { getInt, normBig } from '../values/number.js';
import { getList } from '../values/list.js';
import { formatStringList } from '../values/listFormat.js';
import { OK } from '../engine/codes.js';
import { wrongNumArgs } from '../engine/args.js';
import { splitArrayName, Var, VAR_NAMESPACE } from '../engine/vars.js';
import { splitQualified } from '../engine/namespace.js';
import type { Interp } from '../engine/interp.js';
import type { Frame } from '../engine/frame.js';
import type { CompiledWord, Compiler, ExecFn, InvokeSite, ValueFn } from '../engine/compile.js';
import { registerCompiled, registerAll } from './registry.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function setCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length === 2) {
    interp.result = interp.getVar(objv[1].toString());
    return OK;
  }
  if (objv.length !== 3) wrongNumArgs(objv, 1, 'varName ?newValue?');
  interp.result = interp.setVar(objv[1].toString(), objv[2]);
  return OK;
}

/** Inline `set name ?value?` for a literal name; array elements with dynamic indexes included. */
function compileSet(c: Compiler, words: CompiledWord[], site: InvokeSite): ExecFn | null {
  if (words.length < 2 || words.length > 3 || words.some((w) => w.expand)) return null;
  const target = c.varNameWord(words[1], site.src);
  if (target === null) return null;
  const { name, index } = target;
  if (words.length === 2) {
    const read = c.varReader(name, index);
    return (interp) => {
      const v = read(interp);
      if (v === null) return interp.pendingCode;
      interp.result = v;
      return OK;
    };
  }
  const valueWord = words[2];
  const k = valueWord.constant;
  const valueFn: ValueFn = k !== null ? () => k : valueWord.fn!;
  if (index !== null) {
    const locate = c.slot(name) >= 0 ? c.varLocator(name) : null;
    return (interp) => {
      const ix = index(interp);
      if (ix === null) return interp.pendingCode;
      const v = valueFn(interp);
      if (v === null) return interp.pendingCode;
      const key = ix.toString();
      const vr = locate !== null ? locate(interp) : interp.lookupVarCreate(name, name + '(' + key + ')');
      if (vr.traces === null && vr.arr !== null) {
        const e = vr.arr.get(key);
        if (e !== undefined && e.traces === null) {
          e.value = v;
          interp.result = v;
          return OK;
        }
      }
      interp.result = interp.writeVar(vr, name, key, v);
      return OK;
    };
  }
  if (c.slot(name) < 0) {
    return (interp) => {
      const v = valueFn(interp);
      if (v === null) return interp.pendingCode;
      interp.result = interp.setVar(name, v, null);
      return OK;
    };
  }
  const locate = c.varLocator(name);
  return (interp) => {
    const v = valueFn(interp);
    if (v === null) return interp.pendingCode;
    const vr = locate(interp);
    if (vr.traces === null && vr.arr === null) {
      vr.value = v;
      interp.result = v;
      return OK;
    }
    interp.result = interp.writeVar(vr, name, null, v);
    return OK;
  };
}

function unsetCmd(interp: Interp, objv: TclObj[]): number {
  let i = 1;
  let complain = true;
  while (i < objv.length) {
    const s = objv[i].toString();
    if (s === '-nocomplain') {
      complain = false;
      i++;
    } else if (s === '--') {
      i++;
      break;
    } else break;
  }
  for (; i < objv.length; i++) interp.unsetVar(objv[i].toString(), undefined, complain);
  interp.result = TclObj.EMPTY;
  return OK;
}

/** Add an increment to a value, with bigint promotion. */
export function addInts(a: TclObj, inc: number | bigint): TclObj {
  if (a.t === Rep.Int && typeof inc === 'number') {
    const r = a.n + inc;
    if (r <= MAX_SAFE && r >= -MAX_SAFE) return intObj(r);
  }
  const av = getInt(a);
  if (typeof av === 'number' && typeof inc === 'number') return TclObj.fromIntNumber(av + inc);
  return TclObj.fromInt(normBig(BigInt(av) + BigInt(inc)));
}

function incrValue(interp: Interp, old: TclObj | null, incObj: TclObj | null): TclObj {
  let inc: number | bigint = 1;
  if (incObj !== null) {
    if (incObj.t === Rep.Int) inc = incObj.n;
    else {
      try {
        inc = getInt(incObj);
      } catch (e) {
        if (e instanceof TclError) throw withErrorContext(e, '\n    (reading increment)');
        throw e;
      }
    }
  }
  if (old === null) return typeof inc === 'number' ? TclObj.fromIntNumber(inc) : TclObj.fromInt(inc);
  return addInts(old, inc);
}

function incrCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2 && objv.length !== 3) wrongNumArgs(objv, 1, 'varName ?increment?');
  const [name, index] = splitArrayName(objv[1].toString());
  const v = interp.findVar(name);
  let old: TclObj | null = null;
  if (v !== null && (index === null ? v.value !== null || v.arr !== null : v.arr !== null && v.arr.get(index)?.value != null)) {
    old = interp.readVar(v, name, index);
  }
  interp.result = interp.setVar(name, incrValue(interp, old, objv.length === 3 ? objv[2] : null), index);
  return OK;
}

function compileIncr(c: Compiler, words: CompiledWord[]): ExecFn | null {
  if (words.length < 2 || words.length > 3 || words.some((w) => w.expand)) return null;
  const nameWord = words[1];
  if (nameWord.constant === null) return null;
  const name = nameWord.constant.toString();
  if (c.slot(name) < 0) return null;
  const locate = c.varLocator(name);
  const incWord = words.length === 3 ? words[2] : null;
  const incConst = incWord === null ? intObj(1) : incWord.constant;
  const incFn = incWord !== null && incConst === null ? incWord.fn! : null;
  return (interp) => {
    let inc = incConst;
    if (inc === null) {
      inc = incFn!(interp);
      if (inc === null) return interp.pendingCode;
    }
    const vr = locate(interp);
    const old = vr.value;
    if (old !== null && old.t === Rep.Int && inc.t === Rep.Int && vr.traces === null) {
      const r = old.n + inc.n;
      if (r <= MAX_SAFE && r >= -MAX_SAFE) {
        const o = intObj(r);
        vr.value = o;
        interp.result = o;
        return OK;
      }
    }
    const cur = old === null && vr.arr === null ? null : interp.readVar(vr, name, null);
    interp.result = interp.writeVar(vr, name, null, incrValue(interp, cur, inc));
    return OK;
  };
}

/**
 * Append pieces to a variable's value. A value built here that only its variable holds (OWNED_LIST,
 * cleared whenever the value is read) stays in pieces and grows in place, so appending in a loop
 * costs O(1) per piece as in Tcl; the pieces are joined once when the string is used.
 */
function appendTo(interp: Interp, vr: Var, name: string, index: string | null, pieces: readonly TclObj[], keepOwned: boolean): TclObj {
  const cur = index === null ? vr.value : vr.arr?.get(index)?.value ?? null;
  if (index === null && vr.traces === null && vr.arr === null) {
    let obj: TclObj;
    if (cur !== null && cur.code === OWNED_LIST && cur.t === Rep.Builder) {
      const parts = cur.r as string[];
      for (const p of pieces) parts.push(p.toString());
      // Join the small pieces now and then into one flat chunk (`n` marks where they start), so the
      // collector sees a few large strings instead of a million small ones.
      if (parts.length - cur.n >= 256) {
        const chunk = parts.splice(cur.n).join('');
        parts.push(chunk);
        cur.n = parts.length;
      }
      obj = cur;
    } else {
      const parts: string[] = [];
      if (cur !== null) parts.push(cur.toString());
      for (const p of pieces) parts.push(p.toString());
      obj = TclObj.fromPieces(parts);
    }
    obj.code = keepOwned ? OWNED_LIST : null;
    vr.value = obj;
    return obj;
  }
  let s = '';
  if (cur !== null) s = interp.readVar(vr, name, index).toString();
  for (const p of pieces) s += p.toString();
  return interp.writeVar(vr, name, index, TclObj.fromString(s));
}

function appendCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) wrongNumArgs(objv, 1, 'varName ?value ...?');
  const name = objv[1].toString();
  if (objv.length === 2) {
    interp.result = interp.getVar(name);
    return OK;
  }
  const [base, index] = splitArrayName(name);
  const display = index === null ? base : name;
  const vr = interp.lookupVarCreate(base, display);
  if (index !== null && vr.arr === null && vr.value !== null) interp.arrayElementCreate(vr, base, index);
  interp.result = appendTo(interp, vr, base, index, objv.slice(2), false);
  return OK;
}

/** Evaluates value words in order; null when a substitution ended with a non-OK code. */
function valuesOf(words: readonly CompiledWord[]): (interp: Interp) => TclObj[] | null {
  const fns: ValueFn[] = words.map((w) => {
    const k = w.constant;
    return k !== null ? () => k : w.fn!;
  });
  const n = fns.length;
  return (interp) => {
    const vals: TclObj[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = fns[i](interp);
      if (v === null) return null;
      vals[i] = v;
    }
    return vals;
  };
}

function compileAppend(c: Compiler, words: CompiledWord[]): ExecFn | null {
  if (words.length < 3 || words.some((w) => w.expand)) return null;
  const nameWord = words[1];
  if (nameWord.constant === null) return null;
  const name = nameWord.constant.toString();
  if (c.slot(name) < 0) return null;
  const locate = c.varLocator(name);
  const values = valuesOf(words.slice(2));
  const keepOwned = !c.resultUsed;
  return (interp) => {
    const vals = values(interp);
    if (vals === null) return interp.pendingCode;
    interp.result = appendTo(interp, locate(interp), name, null, vals, keepOwned);
    return OK;
  };
}

function lappendCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) wrongNumArgs(objv, 1, 'varName ?value ...?');
  const [base, index] = splitArrayName(objv[1].toString());
  const v = interp.findVar(base);
  if (index === null && v !== null && v.traces === null && v.arr === null) {
    const cur = v.value;
    // A list only this variable holds grows in place (see compileLappend and escaped()).
    if (cur !== null && cur.code === OWNED_LIST && cur.t === Rep.List && cur.s === null) {
      const items = cur.r as TclObj[];
      for (let i = 2; i < objv.length; i++) items.push(objv[i]);
      interp.result = cur;
      return OK;
    }
  }
  let cur: TclObj | null = null;
  if (v !== null) {
    const raw = index === null ? v.value : v.arr?.get(index)?.value ?? null;
    if (raw !== null) cur = interp.readVar(v, base, index);
  }
  const items = cur === null ? [] : getList(cur).slice();
  for (let i = 2; i < objv.length; i++) items.push(objv[i]);
  const obj = TclObj.fromList(items);
  interp.result = interp.setVar(base, obj, index);
  if (index === null && interp.result === obj) obj.code = OWNED_LIST;
  return OK;
}

/**
 * Inline lappend on a proc local. A list built here that only its variable holds (OWNED_LIST, cleared
 * whenever the variable's value is read) is extended in place, so building a list in a loop costs
 * amortised O(1) per element as in Tcl. When the command's result is used, the value escapes and
 * loses the mark.
 */
function compileLappend(c: Compiler, words: CompiledWord[]): ExecFn | null {
  if (words.length < 3 || words.some((w) => w.expand)) return null;
  const nameWord = words[1];
  if (nameWord.constant === null) return null;
  const name = nameWord.constant.toString();
  if (c.slot(name) < 0) return null;
  const locate = c.varLocator(name);
  const values = valuesOf(words.slice(2));
  const keepOwned = !c.resultUsed;
  return (interp) => {
    const vals = values(interp);
    if (vals === null) return interp.pendingCode;
    const vr = locate(interp);
    const cur = vr.value;
    if (vr.traces !== null || vr.arr !== null) {
      const items = cur === null ? [] : getList(interp.readVar(vr, name, null)).slice();
      for (const x of vals) items.push(x);
      interp.result = interp.writeVar(vr, name, null, TclObj.fromList(items));
      return OK;
    }
    let obj: TclObj;
    if (cur === null) {
      obj = TclObj.fromList(vals);
    } else if (cur.code === OWNED_LIST && cur.t === Rep.List && cur.s === null) {
      // The list was built by lappend and never turned into a string: extend it in place.
      const items = cur.r as TclObj[];
      for (let i = 0; i < vals.length; i++) items.push(vals[i]);
      obj = cur;
    } else {
      const items = getList(cur).slice();
      for (let i = 0; i < vals.length; i++) items.push(vals[i]);
      obj = TclObj.fromList(items);
    }
    obj.code = keepOwned ? OWNED_LIST : null;
    vr.value = obj;
    interp.result = obj;
    return OK;
  };
}


// ------------------------------------------------------------------ links

/** Resolve a level argument ("1", "#0"); returns the frame or null when the word is not a level. */
export function frameForLevel(interp: Interp, word: string, required: boolean): Frame | null {
  const cur = interp.varFrame;
  let target: number;
  const c = word.charCodeAt(0);
  if (c === 35 /* # */) {
    const rest = word.slice(1);
    if (!/^\d+$/.test(rest)) badLevel(word);
    target = parseInt(rest, 10);
  } else if (/^-?\d+$/.test(word)) {
    const rel = parseInt(word, 10);
    if (rel < 0) badLevel(word);
    target = cur.level - rel;
  } else {
    if (required) badLevel(word);
    return null;
  }
  if (target < 0 || target > cur.level) badLevel(word);
  let f: Frame | null = cur;
  while (f !== null && f.level > target) f = f.callerVar;
  if (f === null) badLevel(word);
  return f;
}

function badLevel(word: string): never {
  throw new TclError(`bad level "${word}"`, `TCL LOOKUP LEVEL ${formatStringList([word])}`);
}

function upvarCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 3) wrongNumArgs(objv, 1, '?level? otherVar localVar ?otherVar localVar ...?');
  let i = 1;
  let frame = frameForLevel(interp, objv[1].toString(), false);
  if (frame === null) {
    frame = frameForLevel(interp, '1', true)!;
  } else i = 2;
  if ((objv.length - i) % 2 !== 0 || objv.length - i === 0) {
    throw new TclError('wrong # args: should be "upvar ?level? otherVar localVar ?otherVar localVar ...?"', 'TCL WRONGARGS');
  }
  for (; i < objv.length; i += 2) {
    const other = objv[i].toString();
    const local = objv[i + 1].toString();
    linkTo(interp, frame, other, local);
  }
  interp.result = TclObj.EMPTY;
  return OK;
}

/** Make `local` in the current frame refer to `other` as seen from `frame`. */
function linkTo(interp: Interp, frame: Frame, other: string, local: string): void {
  if (local.endsWith(')') && local.indexOf('(') >= 0) {
    throw new TclError(`bad variable name "${local}": can't create a scalar variable that looks like an array element`, 'TCL UPVAR LOCAL_ELEMENT');
  }
  const [base, index] = splitArrayName(other);
  const saved = interp.varFrame;
  interp.varFrame = frame;
  let target: Var;
  try {
    const v = interp.lookupVarCreate(base, other, frame);
    target = index === null ? v : interp.arrayElementCreate(v, base, index);
  } finally {
    interp.varFrame = saved;
  }
  const existing = interp.findVar(local);
  if (existing === target) {
    if (frame === interp.varFrame) throw new TclError("can't upvar from variable to itself", 'TCL UPVAR SELF');
    return;
  }
  interp.linkVar(local, target);
}

function globalCmd(interp: Interp, objv: TclObj[]): number {
  if (!interp.varFrame.isProc) {
    interp.result = TclObj.EMPTY;
    return OK;
  }
  for (let i = 1; i < objv.length; i++) {
    const name = objv[i].toString();
    if (name.endsWith(')') && name.indexOf('(') >= 0) {
      throw new TclError(`bad variable name "${name}": can't create a scalar variable that looks like an array element`, 'TCL UPVAR LOCAL_ELEMENT');
    }
    const [q, tail] = splitQualified(name);
    let ns = interp.globalNs;
    if (q !== null) {
      const found = interp.findNamespace(q === '' ? '::' : q.startsWith('::') ? q : '::' + q);
      if (found === null) throw new TclError(`can't access "${name}": parent namespace doesn't exist`, 'TCL LOOKUP NAMESPACE');
      ns = found;
    }
    let v = ns.vars.get(tail);
    if (v === undefined) {
      v = new Var();
      ns.vars.set(tail, v);
    }
    interp.linkVar(tail, v);
  }
  interp.result = TclObj.EMPTY;
  return OK;
}

function variableCmd(interp: Interp, objv: TclObj[]): number {
  for (let i = 1; i < objv.length; i += 2) {
    const name = objv[i].toString();
    if (name.endsWith(')') && name.indexOf('(') >= 0) {
      throw new TclError(`can't define "${name}": name refers to an element in an array`, 'TCL UPVAR LOCAL_ELEMENT');
    }
    const [q, tail] = splitQualified(name);
    let ns = interp.varFrame.ns;
    if (q !== null) {
      const found = interp.findNamespace(q === '' ? '::' : q);
      if (found === null) throw new TclError(`can't define "${name}": parent namespace doesn't exist`, 'TCL LOOKUP NAMESPACE');
      ns = found;
    }
    let v = ns.vars.get(tail);
    if (v === undefined) {
      v = new Var();
      ns.vars.set(tail, v);
    }
    v.flags |= VAR_NAMESPACE;
    if (i + 1 < objv.length) interp.writeVar(v, name, null, objv[i + 1]);
    if (interp.varFrame.isProc) interp.linkVar(tail, v);
  }
  interp.result = TclObj.EMPTY;
  return OK;
}

export function register(interp: Interp): void {
  registerCompiled(interp, 'set', setCmd, compileSet);
  registerCompiled(interp, 'incr', incrCmd, compileIncr);
  registerCompiled(interp, 'lappend', lappendCmd, compileLappend);
  registerCompiled(interp, 'append', appendCmd, compileAppend);
  registerAll(interp, {
    unset: unsetCmd,
    upvar: upvarCmd,
    global: globalCmd,
    variable: variableCmd,
  });
}

export type { InvokeSite };
