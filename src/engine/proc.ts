/**
 * Tcl procedures: argument binding into compiled local slots, body compilation (cached on the
 * ProcDef, recompiled when the compile epoch moves), and Tcl's handling of the completion code at
 * the procedure boundary (return levels, break/continue outside loops, errorInfo context lines).
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { formatStringList } from '../values/listFormat.js';
import { OK, ERROR, RETURN, BREAK, CONTINUE } from './codes.js';
import { Frame } from './frame.js';
import { Var } from './vars.js';
import { CompiledScript, Compiler } from './compile.js';
import { parseScript } from '../parse/parser.js';
import type { Interp } from './interp.js';
import type { Namespace } from './namespace.js';

export interface ProcArg {
  name: string;
  /** Default value, or null when the argument is required. */
  def: TclObj | null;
}

export class ProcDef {
  ns: Namespace;
  readonly args: ProcArg[];
  readonly body: TclObj;
  /** `args` is the last formal: remaining words are collected into a list. */
  readonly variadic: boolean;
  readonly slotIndex = new Map<string, number>();
  slotNames: string[] = [];
  compiled: CompiledScript | null = null;
  /** Text used in "wrong # args" messages after the command name. */
  readonly usage: string;
  /** For `apply`: the lambda term shown in errorInfo; null for procs. */
  lambda: TclObj | null = null;

  constructor(ns: Namespace, args: ProcArg[], body: TclObj) {
    this.ns = ns;
    this.args = args;
    this.body = body;
    this.variadic = args.length > 0 && args[args.length - 1].name === 'args';
    // Formals take the first slots so binding is positional.
    for (const a of args) this.slotFor(a.name);
    this.usage = args
      .map((a, i) => {
        if (i === args.length - 1 && this.variadic) return '?arg ...?';
        return a.def === null ? a.name : `?${a.name}?`;
      })
      .join(' ');
  }

  slotFor(name: string): number {
    let i = this.slotIndex.get(name);
    if (i === undefined) {
      i = this.slotNames.length;
      this.slotNames.push(name);
      this.slotIndex.set(name, i);
    }
    return i;
  }

  /** The compiled body, recompiled after command shadowing invalidated inline compilation. */
  getCompiled(interp: Interp): CompiledScript {
    const c = this.compiled;
    if (c !== null && c.epoch === interp.compileEpoch) return c;
    const saved = interp.varFrame;
    const parsed = parseScript(this.body.toString(), 1);
    const compiled = new Compiler(interp, this).compileUnit(parsed);
    interp.varFrame = saved;
    this.compiled = compiled;
    return compiled;
  }

  /** The command was renamed into another namespace: the body now resolves names from there. */
  nsMoved(ns: Namespace): void {
    this.ns = ns;
    this.compiled = null;
  }
}

/** Parse a proc's formal argument list, with Tcl's errors. */
export function parseFormals(procName: string, formals: readonly TclObj[], getList: (o: TclObj) => readonly TclObj[]): ProcArg[] {
  const out: ProcArg[] = [];
  for (const f of formals) {
    const parts = getList(f);
    if (parts.length === 0) {
      throw new TclError(`argument with no name`, 'TCL OPERATION PROC FORMALNAME');
    }
    if (parts.length > 2) {
      throw new TclError(`too many fields in argument specifier "${f.toString()}"`, 'TCL OPERATION PROC FORMALARGUMENTFORMAT');
    }
    const name = parts[0].toString();
    if (name.indexOf('::') >= 0) {
      throw new TclError(`formal parameter "${name}" is not a simple name`, 'TCL OPERATION PROC FORMALARGUMENTFORMAT');
    }
    if (name.endsWith(')') && name.indexOf('(') >= 0) {
      throw new TclError(`formal parameter "${f.toString()}" is an array element`, 'TCL OPERATION PROC FORMALARGUMENTFORMAT');
    }
    out.push({ name, def: parts.length === 2 ? parts[1] : null });
  }
  void procName;
  return out;
}

/** Invoke a procedure: bind arguments, run the body in a new frame, post-process the code. */
export function invokeProc(interp: Interp, def: ProcDef, objv: TclObj[], skip: number, lambdaContext: TclObj | null): number {
  const caller = interp.varFrame;
  const frame = new Frame(def.ns, def, caller.level + 1, caller, objv, true);
  frame.slotIndex = def.slotIndex;
  const nSlots = def.slotNames.length;
  const locals = new Array<Var | null>(nSlots);
  for (let i = 0; i < nSlots; i++) locals[i] = null;
  frame.locals = locals;
  frame.lambda = lambdaContext;
  const formals = def.args;
  const nFormals = formals.length;
  const nActual = objv.length - skip;
  if (def.variadic) {
    const fixed = nFormals - 1;
    if (nActual < requiredCount(def)) return wrongProcArgs(interp, def, objv, skip);
    for (let i = 0; i < fixed; i++) {
      const v = new Var();
      v.value = i < nActual ? objv[skip + i] : formals[i].def;
      locals[i] = v;
    }
    const rest = new Var();
    rest.value = nActual > fixed ? TclObj.fromList(objv.slice(skip + fixed)) : TclObj.EMPTY;
    locals[fixed] = rest;
  } else {
    if (nActual > nFormals || nActual < requiredCount(def)) return wrongProcArgs(interp, def, objv, skip);
    for (let i = 0; i < nFormals; i++) {
      const v = new Var();
      v.value = i < nActual ? objv[skip + i] : formals[i].def;
      locals[i] = v;
    }
  }
  const compiled = def.getCompiled(interp);
  interp.varFrame = frame;
  let code: number;
  try {
    code = compiled.run(interp);
  } finally {
    interp.varFrame = caller;
  }
  interp.errAlreadyLogged = false;
  if (interp.pendingTailcall !== null) {
    // The tailcall runs in the caller's frame once this call is gone: Interp.invoke picks it up.
    if (code === RETURN) {
      interp.returnState.level = 1;
      interp.returnState.code = OK;
      return OK;
    }
    interp.pendingTailcall = null;
  }
  if (code === OK) return OK;
  return procResult(interp, code, objv, skip, lambdaContext);
}

function requiredCount(def: ProcDef): number {
  let n = def.args.length;
  if (def.variadic) n--;
  while (n > 0 && def.args[n - 1].def !== null) n--;
  return n;
}

function wrongProcArgs(interp: Interp, def: ProcDef, objv: TclObj[], skip: number): number {
  // A lambda's usage names it "lambdaExpr", as apply's own message does.
  const name = skip === 1 ? formatStringList([objv[0].toString()]) : objv[0].toString() + ' lambdaExpr';
  const usage = def.usage.length > 0 ? `${name} ${def.usage}` : name;
  return interp.error(`wrong # args: should be "${usage}"`, 'TCL WRONGARGS');
}

function procResult(interp: Interp, code: number, objv: TclObj[], skip: number, lambda: TclObj | null): number {
  if (code === RETURN) return finishReturn(interp);
  if (code === ERROR) {
    interp.errorStack.push('CALL', formatStringList(objv.slice(skip - 1).map((o) => o.toString())));
    const where =
      lambda !== null
        ? `\n    (lambda term "${lambdaText(lambda)}" line ${interp.errorLine})`
        : `\n    (procedure "${procNameForError(objv, skip)}" line ${interp.errorLine})`;
    interp.addErrorInfo(where);
    return ERROR;
  }
  if (code === BREAK || code === CONTINUE) {
    const what = code === BREAK ? 'break' : 'continue';
    interp.result = TclObj.fromString(`invoked "${what}" outside of a loop`);
    interp.errorCode = 'TCL RESULT UNEXPECTED';
    interp.errorInfo = interp.result.toString();
    const where =
      lambda !== null
        ? `\n    (lambda term "${lambdaText(lambda)}" line ${interp.errorLine})`
        : `\n    (procedure "${procNameForError(objv, skip)}" line ${interp.errorLine})`;
    interp.addErrorInfo(where);
    return ERROR;
  }
  return code;
}

function procNameForError(objv: TclObj[], skip: number): string {
  return objv[skip - 1].toString();
}

function lambdaText(lambda: TclObj): string {
  const s = lambda.toString();
  return s.length > 60 ? s.slice(0, 60) + '...' : s;
}

/**
 * A RETURN code reached a procedure boundary: count down -level and produce the final code, as
 * TclUpdateReturnInfo does.
 */
export function finishReturn(interp: Interp): number {
  const st = interp.returnState;
  st.level--;
  if (st.level > 0) return RETURN;
  const code = st.code;
  st.code = OK;
  st.level = 1;
  if (code === ERROR) {
    interp.errorCode = 'NONE';
    // An error produced by `return -code error`: errorInfo starts here unless -errorinfo was given.
    const opts = st.options;
    interp.errorInfo = null;
    interp.errAlreadyLogged = false;
    for (let i = 0; i + 1 < opts.length; i += 2) {
      const key = opts[i].toString();
      if (key === '-errorinfo') {
        interp.errorInfo = opts[i + 1].toString();
        interp.errAlreadyLogged = false;
      } else if (key === '-errorcode') {
        interp.errorCode = opts[i + 1].toString();
      }
    }
  }
  return code;
}
