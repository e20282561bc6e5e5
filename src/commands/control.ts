/**
 * Control structures: if, while, for, foreach, break, continue. Each has a runtime command and an
 * inline compiler used when its conditions and bodies are literal, so loops run as JS loops over
 * compiled closures with no lookup or parsing per iteration.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { OK, ERROR, RETURN, BREAK, CONTINUE } from '../engine/codes.js';
import { wrongNumArgs } from '../engine/args.js';
import { exprEngine, ConditionFn } from '../engine/exprHook.js';
import type { Interp } from '../engine/interp.js';
import type { CompiledWord, Compiler, ExecFn, InvokeSite, ValueFn } from '../engine/compile.js';
import { escaped } from '../engine/compile.js';
import { Var } from '../engine/vars.js';
import { registerCompiled } from './registry.js';

const EMPTY = TclObj.EMPTY;

// ------------------------------------------------------------------ if

interface IfClause {
  cond: TclObj;
  body: TclObj;
}

/** Split `if` words into clauses and an optional else body, with Tcl's messages. */
function parseIf(words: readonly TclObj[]): { clauses: number[][]; elseBody: number } {
  const clauses: number[][] = [];
  let elseBody = -1;
  let i = 1;
  let keyword = 'if';
  for (;;) {
    if (i >= words.length) throw new TclError(`wrong # args: no expression after "${keyword}" argument`, 'TCL WRONGARGS');
    const condIdx = i++;
    if (i < words.length && words[i].toString() === 'then') i++;
    if (i >= words.length) throw new TclError(`wrong # args: no script following "${words[i - 1].toString()}" argument`, 'TCL WRONGARGS');
    clauses.push([condIdx, i++]);
    if (i >= words.length) break;
    const w = words[i].toString();
    if (w === 'elseif') {
      keyword = 'elseif';
      i++;
      continue;
    }
    if (w === 'else') {
      i++;
      if (i >= words.length) throw new TclError('wrong # args: no script following "else" argument', 'TCL WRONGARGS');
    }
    elseBody = i++;
    if (i < words.length) throw new TclError('wrong # args: extra words after "else" clause in "if" command', 'TCL WRONGARGS');
    break;
  }
  return { clauses, elseBody };
}

function ifCmd(interp: Interp, objv: TclObj[]): number {
  const { clauses, elseBody } = parseIf(objv);
  const expr = exprEngine();
  for (const [c, b] of clauses) {
    const t = expr.evalBool(interp, objv[c]);
    if (t === null) return interp.pendingCode;
    if (t) return interp.evalObj(objv[b]);
  }
  if (elseBody >= 0) return interp.evalObj(objv[elseBody]);
  interp.result = EMPTY;
  return OK;
}

/** A condition closure for a word: compiled when literal, evaluated at run time otherwise. */
function conditionFor(c: Compiler, w: CompiledWord): ConditionFn {
  const expr = exprEngine();
  if (w.constant !== null) return expr.compileCondition(w.constant.toString(), w.word.line, c);
  const fn = w.fn!;
  return (interp) => {
    const v = fn(interp);
    if (v === null) return null;
    return expr.evalBool(interp, v);
  };
}

/** A body closure for a word: compiled inline when literal, evaluated as a script otherwise. */
function bodyFor(c: Compiler, w: CompiledWord, discardResult = true): ExecFn {
  const inline = c.compileBodyWord(w, discardResult);
  if (inline !== null) return inline;
  const fn = w.fn!;
  return (interp) => {
    const v = fn(interp);
    if (v === null) return interp.pendingCode;
    return interp.evalObj(v);
  };
}

function compileIf(c: Compiler, words: CompiledWord[]): ExecFn | null {
  // Like Tcl, only an `if` whose words are all literal compiles inline.
  const texts: TclObj[] = [];
  for (const w of words) {
    if (w.expand || w.constant === null) return null;
    texts.push(w.constant);
  }
  let shape: { clauses: number[][]; elseBody: number };
  try {
    shape = parseIf(texts);
  } catch {
    return null;
  }
  const conds = shape.clauses.map(([ci]) => conditionFor(c, words[ci]));
  const keep = !c.resultUsed;
  const bodies = shape.clauses.map(([, bi]) => bodyFor(c, words[bi], keep));
  const elseFn = shape.elseBody >= 0 ? bodyFor(c, words[shape.elseBody], keep) : null;
  if (conds.length === 1) {
    const c0 = conds[0];
    const b0 = bodies[0];
    return (interp) => {
      const t = c0(interp);
      if (t === null) return interp.pendingCode;
      if (t) return b0(interp);
      if (elseFn !== null) return elseFn(interp);
      interp.result = EMPTY;
      return OK;
    };
  }
  const n = conds.length;
  return (interp) => {
    for (let i = 0; i < n; i++) {
      const t = conds[i](interp);
      if (t === null) return interp.pendingCode;
      if (t) return bodies[i](interp);
    }
    if (elseFn !== null) return elseFn(interp);
    interp.result = EMPTY;
    return OK;
  };
}

// ------------------------------------------------------------------ loops

/**
 * Run async handlers (signal traps) at a loop's back edge; returns a code other than OK when the
 * handler's error must stop the loop (it never does: handler errors go to bgerror).
 */
function loopBackEdge(interp: Interp): number {
  const av = interp.asyncView;
  return av !== null && av[0] !== 0 ? interp.runAsync(OK, false) : OK;
}

function whileCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongNumArgs(objv, 1, 'test command');
  const expr = exprEngine();
  for (;;) {
    const t = expr.evalBool(interp, objv[1]);
    if (t === null) return interp.pendingCode;
    if (!t) break;
    const code = interp.evalObj(objv[2]);
    if (code === BREAK) break;
    if (code !== OK && code !== CONTINUE) {
      if (code === ERROR) interp.addErrorInfo(`\n    ("while" body line ${interp.errorLine})`);
      return code;
    }
    const ac = loopBackEdge(interp);
    if (ac !== OK) return ac;
  }
  interp.result = EMPTY;
  return OK;
}

function compileWhile(c: Compiler, words: CompiledWord[]): ExecFn | null {
  if (words.length !== 3 || words.some((w) => w.expand || w.constant === null)) return null;
  const cond = conditionFor(c, words[1]);
  const body = bodyFor(c, words[2]);
  return (interp) => {
    for (;;) {
      const t = cond(interp);
      if (t === null) return interp.pendingCode;
      if (!t) break;
      const code = body(interp);
      if (code !== OK) {
        if (code === BREAK) break;
        if (code !== CONTINUE) return code;
      }
      const av = interp.asyncView;
      if (av !== null && av[0] !== 0) {
        const ac = interp.runAsync(OK, false);
        if (ac !== OK) return ac;
      }
    }
    interp.result = EMPTY;
    return OK;
  };
}

function forCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 5) wrongNumArgs(objv, 1, 'start test next command');
  const expr = exprEngine();
  let code = interp.evalObj(objv[1]);
  if (code !== OK) {
    if (code === ERROR) interp.addErrorInfo('\n    ("for" initial command)');
    return code;
  }
  for (;;) {
    const t = expr.evalBool(interp, objv[2]);
    if (t === null) return interp.pendingCode;
    if (!t) break;
    code = interp.evalObj(objv[4]);
    if (code === BREAK) break;
    if (code !== OK && code !== CONTINUE) {
      if (code === ERROR) interp.addErrorInfo(`\n    ("for" body line ${interp.errorLine})`);
      return code;
    }
    code = interp.evalObj(objv[3]);
    if (code === BREAK) break;
    if (code !== OK) {
      if (code === ERROR) interp.addErrorInfo('\n    ("for" loop-end command)');
      return code;
    }
    const ac = loopBackEdge(interp);
    if (ac !== OK) return ac;
  }
  interp.result = EMPTY;
  return OK;
}

function compileFor(c: Compiler, words: CompiledWord[]): ExecFn | null {
  if (words.length !== 5 || words.some((w) => w.expand || w.constant === null)) return null;
  const start = bodyFor(c, words[1]);
  const cond = conditionFor(c, words[2]);
  const next = bodyFor(c, words[3]);
  const body = bodyFor(c, words[4]);
  return (interp) => {
    let code = start(interp);
    if (code !== OK) return code;
    for (;;) {
      const t = cond(interp);
      if (t === null) return interp.pendingCode;
      if (!t) break;
      code = body(interp);
      if (code !== OK) {
        if (code === BREAK) break;
        if (code !== CONTINUE) return code;
      }
      code = next(interp);
      if (code !== OK) {
        if (code === BREAK) break;
        return code;
      }
      const av = interp.asyncView;
      if (av !== null && av[0] !== 0) {
        const ac = interp.runAsync(OK, false);
        if (ac !== OK) return ac;
      }
    }
    interp.result = EMPTY;
    return OK;
  };
}

/** foreach / lmap share their iteration; `collect` gathers body results for lmap. */
function foreachLoop(
  interp: Interp,
  varLists: readonly (readonly string[])[],
  lists: readonly (readonly TclObj[])[],
  setters: ((interp: Interp, v: TclObj) => void)[][],
  body: (interp: Interp) => number,
  collect: TclObj[] | null,
): number {
  let iterations = 0;
  for (let g = 0; g < varLists.length; g++) {
    const n = Math.ceil(lists[g].length / varLists[g].length);
    if (n > iterations) iterations = n;
  }
  for (let it = 0; it < iterations; it++) {
    for (let g = 0; g < varLists.length; g++) {
      const names = varLists[g];
      const list = lists[g];
      const set = setters[g];
      const base = it * names.length;
      for (let k = 0; k < names.length; k++) {
        const idx = base + k;
        set[k](interp, idx < list.length ? list[idx] : EMPTY);
      }
    }
    const code = body(interp);
    if (code !== OK) {
      if (code === BREAK) break;
      if (code !== CONTINUE) return code;
      continue;
    }
    if (collect !== null) collect.push(escaped(interp.result));
    const av = interp.asyncView;
    if (av !== null && av[0] !== 0) {
      const ac = interp.runAsync(OK, false);
      if (ac !== OK) return ac;
    }
  }
  interp.result = collect !== null ? TclObj.fromList(collect) : EMPTY;
  return OK;
}

function runtimeSetter(name: string): (interp: Interp, v: TclObj) => void {
  return (interp, v) => {
    try {
      interp.setVar(name, v);
    } catch (e) {
      if (e instanceof TclError) throw new TclError(`couldn't set loop variable: "${name}"`, e.errorCode);
      throw e;
    }
  };
}

function foreachCommon(interp: Interp, objv: TclObj[], isMap: boolean): number {
  if (objv.length < 4 || objv.length % 2 !== 0) wrongNumArgs(objv, 1, 'varList list ?varList list ...? command');
  const varLists: string[][] = [];
  const lists: (readonly TclObj[])[] = [];
  const setters: ((interp: Interp, v: TclObj) => void)[][] = [];
  for (let i = 1; i < objv.length - 1; i += 2) {
    const names = getList(objv[i]).map((o) => o.toString());
    if (names.length === 0) throw new TclError(`${isMap ? 'lmap' : 'foreach'} varlist is empty`, `TCL OPERATION ${isMap ? 'LMAP' : 'FOREACH'} NEEDVARS`);
    varLists.push(names);
    lists.push(getList(objv[i + 1]));
    setters.push(names.map(runtimeSetter));
  }
  const bodyObj = objv[objv.length - 1];
  const cmdName = isMap ? 'lmap' : 'foreach';
  const code = foreachLoop(interp, varLists, lists, setters, (ip) => ip.evalObj(bodyObj), isMap ? [] : null);
  if (code === ERROR) interp.addErrorInfo(`\n    ("${cmdName}" body line ${interp.errorLine})`);
  return code;
}

function compileForeachCommon(c: Compiler, words: CompiledWord[], isMap: boolean): ExecFn | null {
  const n = words.length;
  // Like Tcl, loops that bind variables compile inline only where locals live in slots (procs).
  if (c.procDef === null) return null;
  if (n < 4 || n % 2 !== 0 || words.some((w) => w.expand) || words[n - 1].constant === null) return null;
  const varLists: string[][] = [];
  const listFns: ValueFn[] = [];
  const setters: ((interp: Interp, v: TclObj) => void)[][] = [];
  for (let i = 1; i < n - 1; i += 2) {
    const vl = words[i].constant;
    if (vl === null) return null;
    let names: string[];
    try {
      names = getList(vl).map((o) => o.toString());
    } catch {
      return null;
    }
    if (names.length === 0) return null;
    varLists.push(names);
    const lw = words[i + 1];
    const lc = lw.constant;
    listFns.push(lc !== null ? () => lc : lw.fn!);
    setters.push(
      names.map((name) => {
        const locate = c.varLocator(name);
        const simple = c.slot(name) >= 0;
        if (!simple) return runtimeSetter(name);
        return (interp: Interp, v: TclObj) => {
          const vr = locate(interp);
          if (vr.traces === null && vr.arr === null) vr.value = v;
          else interp.writeVar(vr, name, null, v);
        };
      }),
    );
  }
  const body = bodyFor(c, words[n - 1], !isMap);
  return (interp) => {
    const lists: (readonly TclObj[])[] = [];
    for (const f of listFns) {
      const v = f(interp);
      if (v === null) return interp.pendingCode;
      lists.push(getList(v));
    }
    return foreachLoop(interp, varLists, lists, setters, body, isMap ? [] : null);
  };
}

function breakCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 1) wrongNumArgs(objv, 1);
  interp.result = EMPTY;
  return BREAK;
}

function continueCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 1) wrongNumArgs(objv, 1);
  interp.result = EMPTY;
  return CONTINUE;
}

function compileBreakContinue(code: number): (c: Compiler, words: CompiledWord[], site: InvokeSite) => ExecFn | null {
  return (_c, words) => {
    if (words.length !== 1) return null;
    return (interp) => {
      interp.result = EMPTY;
      return code;
    };
  };
}

export function register(interp: Interp): void {
  registerCompiled(interp, 'if', ifCmd, compileIf);
  registerCompiled(interp, 'while', whileCmd, compileWhile);
  registerCompiled(interp, 'for', forCmd, compileFor);
  registerCompiled(interp, 'foreach', (ip, objv) => foreachCommon(ip, objv, false), (c, w) => compileForeachCommon(c, w, false));
  registerCompiled(interp, 'lmap', (ip, objv) => foreachCommon(ip, objv, true), (c, w) => compileForeachCommon(c, w, true));
  registerCompiled(interp, 'break', breakCmd, compileBreakContinue(BREAK));
  registerCompiled(interp, 'continue', continueCmd, compileBreakContinue(CONTINUE));
  void RETURN;
  void Var;
}
