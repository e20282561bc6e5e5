/**
 * `try` (on/trap handlers, `-` fall-through, finally) and `throw`. Inside procedures `try` compiles
 * inline like Tcl's, so errorInfo shows no "try" context lines there; elsewhere the runtime command
 * adds them as tclsh does.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { OK, ERROR } from '../engine/codes.js';
import { wrongNumArgs } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';
import type { CompiledWord, Compiler, ExecFn } from '../engine/compile.js';
import { escaped } from '../engine/compile.js';
import { clearCaughtState, finishCaughtError, returnOptions, parseCompletionCode } from './procs.js';
import { registerCompiled } from './registry.js';

interface Handler {
  kind: 'on' | 'trap';
  code: number;
  pattern: string[];
  vars: string[];
  /** Index of the word holding the script (after resolving "-" fall-through). */
  scriptIndex: number;
}

interface TryShape {
  handlers: Handler[];
  finallyIndex: number;
}

/** Parse the words after the body (TclNRTryObjCmd's checks, in its order). */
function parseTry(words: readonly TclObj[]): TryShape {
  if (words.length < 2) throw new TclError('wrong # args: should be "try body ?handler ...? ?finally script?"', 'TCL WRONGARGS');
  const handlers: Handler[] = [];
  let finallyIndex = -1;
  let i = 2;
  while (i < words.length) {
    const type = words[i].toString();
    if (type === 'on' || type === 'trap') {
      if (i + 3 >= words.length) {
        throw new TclError(`wrong # args to ${type} clause: must be "... ${type} ${type === 'on' ? 'code' : 'pattern'} variableList script"`, `TCL OPERATION TRY ${type.toUpperCase()} ARGUMENT`);
      }
      const vars = getList(words[i + 2]).map((o) => o.toString());
      if (vars.length > 2) {
        throw new TclError('wrong # args to ' + type + ' clause: must be "... ' + type + ' ' + (type === 'on' ? 'code' : 'pattern') + ' variableList script"', `TCL OPERATION TRY ${type.toUpperCase()} ARGUMENT`);
      }
      const h: Handler = { kind: type, code: ERROR, pattern: [], vars, scriptIndex: i + 3 };
      if (type === 'on') h.code = parseCompletionCode(words[i + 1]);
      else h.pattern = getList(words[i + 1]).map((o) => o.toString());
      handlers.push(h);
      i += 4;
    } else if (type === 'finally') {
      if (i + 1 >= words.length) throw new TclError('wrong # args to finally clause: must be "... finally script"', 'TCL OPERATION TRY FINALLY ARGUMENT');
      if (i + 2 !== words.length) throw new TclError('finally clause must be last', 'TCL OPERATION TRY FINALLY NONTERMINAL');
      finallyIndex = i + 1;
      i += 2;
    } else {
      throw new TclError(`bad handler type "${type}": must be finally, on, or trap`, `TCL LOOKUP INDEX {handler type} ${type}`);
    }
  }
  // "-" bodies fall through to the next handler's script.
  for (let k = handlers.length - 1; k >= 0; k--) {
    if (words[handlers[k].scriptIndex].toString() === '-') {
      if (k === handlers.length - 1) throw new TclError('last non-finally clause must not have a body of "-"', 'TCL OPERATION TRY BADFALLTHROUGH');
      handlers[k].scriptIndex = handlers[k + 1].scriptIndex;
    }
  }
  return { handlers, finallyIndex };
}

function matches(interp: Interp, h: Handler, code: number): boolean {
  if (h.kind === 'on') return h.code === code;
  if (code !== ERROR) return false;
  const ec = getList(TclObj.fromString(interp.errorCode)).map((o) => o.toString());
  if (h.pattern.length > ec.length) return false;
  for (let i = 0; i < h.pattern.length; i++) if (h.pattern[i] !== ec[i]) return false;
  return true;
}

interface SavedState {
  code: number;
  result: TclObj;
  errorInfo: string | null;
  errorCode: string;
  errorLine: number;
  returnCode: number;
  returnLevel: number;
  returnOptions: TclObj[];
}

function save(interp: Interp, code: number): SavedState {
  const st = interp.returnState;
  return {
    code,
    result: interp.result,
    errorInfo: interp.errorInfo,
    errorCode: interp.errorCode,
    errorLine: interp.errorLine,
    returnCode: st.code,
    returnLevel: st.level,
    returnOptions: st.options,
  };
}

function restore(interp: Interp, s: SavedState): number {
  interp.result = s.result;
  interp.errorInfo = s.errorInfo;
  interp.errorCode = s.errorCode;
  interp.errorLine = s.errorLine;
  interp.returnState.code = s.returnCode;
  interp.returnState.level = s.returnLevel;
  interp.returnState.options = s.returnOptions;
  interp.errAlreadyLogged = s.errorInfo !== null;
  return s.code;
}

/** The try algorithm over already-prepared body/handler/finally runners. */
function runTry(
  interp: Interp,
  shape: TryShape,
  body: ExecFn,
  scripts: Map<number, ExecFn>,
  context: boolean,
  lineBase: Map<number, number> | null,
): number {
  const relLine = (index: number) => interp.errorLine - (lineBase === null ? 0 : (lineBase.get(index) ?? 1) - 1);
  let code = body(interp);
  if (code === ERROR && context) interp.addErrorInfo(`\n    ("try" body line ${interp.errorLine})`);
  interp.errAlreadyLogged = false;
  let handled = false;
  for (const h of shape.handlers) {
    if (!matches(interp, h, code)) continue;
    handled = true;
    const result = escaped(interp.result);
    if (code === ERROR) finishCaughtError(interp);
    const opts = returnOptions(interp, code);
    clearCaughtState(interp, code);
    if (h.vars.length > 0) interp.setVar(h.vars[0], result);
    if (h.vars.length > 1) interp.setVar(h.vars[1], opts);
    code = scripts.get(h.scriptIndex)!(interp);
    if (code === ERROR) interp.addErrorInfo(`\n    ("try ... ${h.kind}" handler line ${relLine(h.scriptIndex)})`);
    interp.errAlreadyLogged = false;
    break;
  }
  void handled;
  if (shape.finallyIndex >= 0) {
    const saved = save(interp, code);
    const fcode = scripts.get(shape.finallyIndex)!(interp);
    if (fcode !== OK) {
      if (fcode === ERROR) interp.addErrorInfo(`\n    ("try ... finally" handler line ${relLine(shape.finallyIndex)})`);
      interp.errAlreadyLogged = false;
      return fcode;
    }
    return restore(interp, saved);
  }
  return code;
}

function tryCmd(interp: Interp, objv: TclObj[]): number {
  const shape = parseTry(objv);
  const scripts = new Map<number, ExecFn>();
  const evalWord = (i: number): ExecFn => (ip) => ip.evalObj(objv[i]);
  for (const h of shape.handlers) scripts.set(h.scriptIndex, evalWord(h.scriptIndex));
  if (shape.finallyIndex >= 0) scripts.set(shape.finallyIndex, evalWord(shape.finallyIndex));
  return runTry(interp, shape, evalWord(1), scripts, true, null);
}

function compileTry(c: Compiler, words: CompiledWord[]): ExecFn | null {
  if (words.some((w) => w.expand || w.constant === null)) return null;
  let shape: TryShape;
  try {
    shape = parseTry(words.map((w) => w.constant!));
  } catch {
    return null;
  }
  const keep = !c.resultUsed;
  const body = c.compileBodyWord(words[1], keep)!;
  const scripts = new Map<number, ExecFn>();
  for (const h of shape.handlers) if (!scripts.has(h.scriptIndex)) scripts.set(h.scriptIndex, c.compileBodyWord(words[h.scriptIndex], keep)!);
  if (shape.finallyIndex >= 0) scripts.set(shape.finallyIndex, c.compileBodyWord(words[shape.finallyIndex], true)!);
  const lineBase = new Map<number, number>();
  for (const i of scripts.keys()) lineBase.set(i, words[i].word.line);
  return (interp) => runTry(interp, shape, body, scripts, false, lineBase);
}

function throwCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongNumArgs(objv, 1, 'type message');
  if (getList(objv[1]).length === 0) throw new TclError('type must be non-empty list', 'TCL OPERATION THROW BADEXCEPTION');
  interp.returnState.options = [TclObj.fromString('-errorcode'), objv[1]];
  interp.result = objv[2];
  interp.errorCode = objv[1].toString();
  return ERROR;
}

export function register(interp: Interp): void {
  registerCompiled(interp, 'try', tryCmd, compileTry);
  interp.createCommand('throw', throwCmd);
}
