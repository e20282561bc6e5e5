/**
 * Procedures and evaluation: proc, apply, return, error, catch, eval, uplevel, rename, tailcall,
 * unknown. `catch` and `return` have inline compilers.
 */
import { TclObj, Rep } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { getInt32 } from '../values/number.js';
import { formatStringList } from '../values/listFormat.js';
import { OK, ERROR, RETURN, BREAK, CONTINUE } from '../engine/codes.js';
import { wrongNumArgs } from '../engine/args.js';
import { ProcDef, invokeProc, parseFormals, finishReturn } from '../engine/proc.js';
import { DEFAULT_UNKNOWN } from '../engine/interp.js';
import type { Interp } from '../engine/interp.js';
import type { CompiledWord, Compiler, ExecFn } from '../engine/compile.js';
import { escaped } from '../engine/compile.js';
import { frameForLevel } from './vars.js';
import { registerCompiled, registerAll } from './registry.js';

const EMPTY = TclObj.EMPTY;

// ------------------------------------------------------------------ proc

function procCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 4) wrongNumArgs(objv, 1, 'name args body');
  const name = objv[1].toString();
  const [ns, tail] = interp.commandParent(name, false);
  if (ns === null) throw new TclError(`can't create procedure "${name}": unknown namespace`, 'TCL LOOKUP NAMESPACE');
  const formals = parseFormals(name, getList(objv[2]), getList);
  const def = new ProcDef(ns, formals, objv[3]);
  const cmd = interp.installCommand(ns, tail, (ip, argv) => invokeProc(ip, def, argv, 1, null));
  cmd.procDef = def;
  interp.result = EMPTY;
  return OK;
}

// ------------------------------------------------------------------ apply

const lambdaCache = new WeakMap<TclObj, { def: ProcDef; nsName: string }>();

function applyCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) wrongNumArgs(objv, 1, 'lambdaExpr ?arg ...?');
  const lambda = objv[1];
  let entry = lambdaCache.get(lambda);
  if (entry === undefined) {
    const parts = getList(lambda);
    if (parts.length < 2 || parts.length > 3) {
      throw new TclError(`can't interpret "${lambda.toString()}" as a lambda expression`, 'TCL VALUE LAMBDA');
    }
    const nsName = parts.length === 3 ? parts[2].toString() : '::';
    const formals = parseFormals('lambda', getList(parts[0]), getList);
    let ns = interp.findNamespace(nsName.startsWith('::') ? nsName : '::' + nsName);
    if (ns === null) ns = interp.ensureNamespace(nsName.startsWith('::') ? nsName : '::' + nsName);
    const def = new ProcDef(ns, formals, parts[1]);
    def.lambda = lambda;
    entry = { def, nsName };
    lambdaCache.set(lambda, entry);
  }
  return invokeProc(interp, entry.def, objv, 2, lambda);
}

// ------------------------------------------------------------------ return / error

const CODE_NAMES = ['ok', 'error', 'return', 'break', 'continue'];

/** Parse a -code value: a name or an integer. */
export function parseCompletionCode(o: TclObj): number {
  const s = o.toString();
  const i = CODE_NAMES.indexOf(s);
  if (i >= 0) return i;
  if (o.t === Rep.Int) return o.n;
  if (/^\s*[-+]?\d+\s*$/.test(s) || /^\s*[-+]?0[xXoObB]/.test(s)) {
    try {
      return getInt32(o);
    } catch {
      // fall through to the message
    }
  }
  throw new TclError(`bad completion code "${s}": must be ok, error, return, break, continue, or an integer`, 'TCL RESULT ILLEGAL_CODE');
}

/** Process `return` options (TclMergeReturnOptions); returns the completion code to produce. */
export function processReturn(interp: Interp, opts: readonly TclObj[], result: TclObj): number {
  let code = OK;
  let level = 1;
  const others: TclObj[] = [];
  const all: TclObj[] = [];
  for (let i = 0; i < opts.length; i += 2) all.push(opts[i], opts[i + 1]);
  // -options dict is expanded first, later explicit options override it.
  const expanded: TclObj[] = [];
  for (let i = 0; i < all.length; i += 2) {
    if (all[i].toString() === '-options') {
      const d = getList(all[i + 1]);
      if (d.length % 2 !== 0) throw new TclError(`expected dict but got "${all[i + 1].toString()}"`, 'TCL RESULT ILLEGAL_OPTIONS');
      for (const x of d) expanded.push(x);
    } else expanded.push(all[i], all[i + 1]);
  }
  const seen = new Map<string, number>();
  for (let i = 0; i < expanded.length; i += 2) {
    const key = expanded[i].toString();
    const val = expanded[i + 1];
    if (key === '-code') code = parseCompletionCode(val);
    else if (key === '-level') {
      const s = val.toString();
      if (!/^\s*\+?\d+\s*$/.test(s)) {
        throw new TclError(`bad -level value: expected non-negative integer but got "${s}"`, 'TCL RESULT ILLEGAL_LEVEL');
      }
      level = parseInt(s, 10);
    } else {
      const at = seen.get(key);
      if (at !== undefined) others[at + 1] = val;
      else {
        seen.set(key, others.length);
        others.push(expanded[i], val);
      }
    }
  }
  if (code === ERROR) {
    const ec = seen.get('-errorcode');
    if (ec !== undefined) {
      try {
        getList(others[ec + 1]);
      } catch {
        throw new TclError('bad -errorcode value: expected a list but got "' + others[ec + 1].toString() + '"', 'TCL RESULT ILLEGAL_ERRORCODE');
      }
    }
  }
  interp.result = result;
  const st = interp.returnState;
  st.options = others;
  if (level === 0) {
    // The code takes effect right here.
    if (code === ERROR) applyErrorOptions(interp, others);
    return code;
  }
  st.code = code;
  st.level = level;
  return RETURN;
}

/** Apply -errorcode/-errorinfo of an error raised with explicit options. */
function applyErrorOptions(interp: Interp, opts: readonly TclObj[]): void {
  interp.errorCode = 'NONE';
  for (let i = 0; i < opts.length; i += 2) {
    const key = opts[i].toString();
    if (key === '-errorcode') interp.errorCode = opts[i + 1].toString();
    else if (key === '-errorinfo') {
      interp.errorInfo = opts[i + 1].toString();
      interp.errAlreadyLogged = true;
    }
  }
}

function returnCmd(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n === 1) return processReturn(interp, [], EMPTY);
  if (n === 2) return processReturn(interp, [], objv[1]);
  const hasResult = (n - 1) % 2 === 1;
  const opts = objv.slice(1, hasResult ? n - 1 : n);
  return processReturn(interp, opts, hasResult ? objv[n - 1] : EMPTY);
}

function compileReturn(c: Compiler, words: CompiledWord[]): ExecFn | null {
  if (words.length > 2 || words.some((w) => w.expand)) return null;
  const w = words.length === 2 ? words[1] : null;
  const k = w === null ? EMPTY : w.constant;
  const fn = w !== null && k === null ? w.fn! : null;
  void c;
  return (interp) => {
    let v = k;
    if (v === null) {
      v = fn!(interp);
      if (v === null) return interp.pendingCode;
    }
    interp.result = v;
    const st = interp.returnState;
    st.code = OK;
    st.level = 1;
    st.options = [];
    return RETURN;
  };
}

function errorCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2 || objv.length > 4) wrongNumArgs(objv, 1, 'message ?errorInfo? ?errorCode?');
  const opts: TclObj[] = [];
  if (objv.length >= 3 && objv[2].toString().length > 0) opts.push(TclObj.fromString('-errorinfo'), objv[2]);
  if (objv.length === 4) opts.push(TclObj.fromString('-errorcode'), objv[3]);
  interp.returnState.options = opts;
  interp.result = objv[1];
  applyErrorOptions(interp, opts);
  return ERROR;
}

// ------------------------------------------------------------------ catch

/** Build the return-options dictionary for a completed script (Tcl_GetReturnOptions). */
export function returnOptions(interp: Interp, code: number): TclObj {
  const st = interp.returnState;
  const items: TclObj[] = [];
  if (code === RETURN) {
    for (const o of st.options) items.push(o);
    items.push(TclObj.fromString('-code'), TclObj.fromInt(st.code), TclObj.fromString('-level'), TclObj.fromInt(st.level));
    return TclObj.fromList(items);
  }
  if (code === ERROR) for (const o of st.options) items.push(o);
  items.push(TclObj.fromString('-code'), TclObj.fromInt(code), TclObj.fromString('-level'), TclObj.fromInt(0));
  if (code === ERROR) {
    const keys = new Set(st.options.filter((_, i) => i % 2 === 0).map((o) => o.toString()));
    items.push(TclObj.fromString('-errorstack'), TclObj.fromString(interp.errorStackText()));
    if (!keys.has('-errorcode')) items.push(TclObj.fromString('-errorcode'), TclObj.fromString(interp.errorCode));
    if (!keys.has('-errorinfo')) items.push(TclObj.fromString('-errorinfo'), TclObj.fromString(interp.currentErrorInfo()));
    items.push(TclObj.fromString('-errorline'), TclObj.fromInt(interp.errorLine));
  }
  return TclObj.fromList(items);
}

/** Record a caught error in ::errorInfo/::errorCode and clear the error state. */
export function finishCaughtError(interp: Interp): void {
  const info = interp.currentErrorInfo();
  interp.lastErrorStack = interp.errorStackText();
  setGlobal(interp, 'errorInfo', TclObj.fromString(info));
  setGlobal(interp, 'errorCode', TclObj.fromString(interp.errorCode));
}

/** Set ::name from any frame. */
export function setGlobal(interp: Interp, name: string, value: TclObj): void {
  const saved = interp.varFrame;
  interp.varFrame = interp.globalFrame;
  try {
    interp.setVar('::' + name, value, null);
  } finally {
    interp.varFrame = saved;
  }
}

/** After catch or try has taken an error or return: the interpreter no longer carries it. */
export function clearCaughtState(interp: Interp, code: number): void {
  if (code === ERROR) {
    interp.resetError();
    interp.returnState.options = [];
  } else if (code === RETURN) {
    interp.returnState.code = OK;
    interp.returnState.level = 1;
    interp.returnState.options = [];
  }
}

/** The part of catch after its script ran: variables, error bookkeeping, the result. */
function catchFinish(interp: Interp, code: number, resultVar: string | null, optsVar: string | null): number {
  const result = escaped(interp.result);
  let opts: TclObj | null = null;
  if (code === ERROR) finishCaughtError(interp);
  if (optsVar !== null) opts = returnOptions(interp, code);
  clearCaughtState(interp, code);
  if (resultVar !== null) interp.setVar(resultVar, result);
  if (optsVar !== null) interp.setVar(optsVar, opts!);
  interp.result = TclObj.fromInt(code);
  return OK;
}

function catchCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2 || objv.length > 4) wrongNumArgs(objv, 1, 'script ?resultVarName? ?optionVarName?');
  const depth = interp.depth;
  const code = interp.evalObj(objv[1]);
  interp.depth = depth;
  return catchFinish(interp, code, objv.length > 2 ? objv[2].toString() : null, objv.length > 3 ? objv[3].toString() : null);
}

function compileCatch(c: Compiler, words: CompiledWord[]): ExecFn | null {
  if (words.length < 2 || words.length > 4 || words.some((w) => w.expand)) return null;
  if (words.slice(2).some((w) => w.constant === null)) return null;
  const body = c.compileBodyWord(words[1]);
  if (body === null) return null;
  const resultVar = words.length > 2 ? words[2].constant!.toString() : null;
  const optsVar = words.length > 3 ? words[3].constant!.toString() : null;
  return (interp) => {
    const depth = interp.depth;
    const code = body(interp);
    interp.depth = depth;
    interp.errAlreadyLogged = false;
    return catchFinish(interp, code, resultVar, optsVar);
  };
}

// ------------------------------------------------------------------ eval / uplevel

function concatArgs(objv: readonly TclObj[], from: number): TclObj {
  if (objv.length === from + 1) return objv[from];
  const parts: string[] = [];
  for (let i = from; i < objv.length; i++) {
    const s = objv[i].toString().trim();
    if (s.length > 0) parts.push(s);
  }
  return TclObj.fromString(parts.join(' '));
}

function evalCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) wrongNumArgs(objv, 1, 'arg ?arg ...?');
  return interp.evalBody(concatArgs(objv, 1), '"eval" body');
}

function uplevelCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) wrongNumArgs(objv, 1, '?level? command ?arg ...?');
  let i = 1;
  let frame = objv.length > 2 ? frameForLevel(interp, objv[1].toString(), false) : null;
  if (frame !== null) i = 2;
  else frame = frameForLevel(interp, '1', true)!;
  if (i >= objv.length) wrongNumArgs(objv, 1, '?level? command ?arg ...?');
  return interp.evalAtFrame(frame, concatArgs(objv, i), '"uplevel" body');
}

// ------------------------------------------------------------------ rename / unknown / tailcall

function renameCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongNumArgs(objv, 1, 'oldName newName');
  interp.renameCommand(objv[1].toString(), objv[2].toString());
  interp.result = EMPTY;
  return OK;
}

function unknownCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) return OK;
  const name = objv[1].toString();
  return interp.error(`invalid command name "${name}"`, `TCL LOOKUP COMMAND ${formatStringList([name])}`);
}

function tailcallCmd(interp: Interp, objv: TclObj[]): number {
  if (!interp.varFrame.isProc) {
    throw new TclError('tailcall can only be called from a proc, lambda or method', 'TCL TAILCALL ILLEGAL');
  }
  if (objv.length < 2) wrongNumArgs(objv, 1, 'command ?arg ...?');
  // Resolve the command in the current namespace now, run it in the caller's frame after return.
  const words = objv.slice(1);
  const cmd = interp.findCommand(words[0].toString());
  if (cmd !== null) words[0] = TclObj.fromString(cmd.fullName());
  interp.pendingTailcall = words;
  interp.result = EMPTY;
  const st = interp.returnState;
  st.code = OK;
  st.level = 1;
  st.options = [];
  return RETURN;
}

export function register(interp: Interp): void {
  registerCompiled(interp, 'catch', catchCmd, compileCatch);
  registerCompiled(interp, 'return', returnCmd, compileReturn);
  registerAll(interp, {
    proc: procCmd,
    apply: applyCmd,
    error: errorCmd,
    eval: evalCmd,
    uplevel: uplevelCmd,
    rename: renameCmd,
    tailcall: tailcallCmd,
  });
  const unknown = interp.createCommand('unknown', unknownCmd);
  unknown.data = DEFAULT_UNKNOWN;
  void BREAK;
  void CONTINUE;
  void finishReturn;
}
