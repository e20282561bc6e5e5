/**
 * The `info` ensemble: introspection of commands, procedures, variables, frames and the interpreter.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { listOf } from '../values/list.js';
import { getInt } from '../values/number.js';
import { globMatch } from '../values/glob.js';
import { OK } from '../engine/codes.js';
import { wrongNumArgs } from '../engine/args.js';
import { createEnsemble } from '../engine/ensemble.js';
import { splitQualified, Namespace } from '../engine/namespace.js';
import { splitArrayName } from '../engine/vars.js';
import { parseScript } from '../parse/parser.js';
import { TCL_PATCHLEVEL, TCL_VERSION } from '../engine/init.js';
import type { Interp } from '../engine/interp.js';
import type { Frame } from '../engine/frame.js';
import type { ProcDef } from '../engine/proc.js';

const EMPTY = TclObj.EMPTY;

function ok(interp: Interp, v: TclObj): number {
  interp.result = v;
  return OK;
}

function str(s: string): TclObj {
  return TclObj.fromString(s);
}

function procDefOf(interp: Interp, name: string): ProcDef {
  const cmd = interp.findCommand(name);
  let def = cmd === null ? null : cmd.procDef;
  if (cmd !== null && cmd.importedFrom !== null) def = cmd.procDef;
  if (def === null) throw new TclError(`"${name}" isn't a procedure`, `TCL LOOKUP PROCEDURE ${name}`);
  return def;
}

function infoArgs(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongNumArgs(objv, 2, 'procname');
  return ok(interp, listOf(procDefOf(interp, objv[2].toString()).args.map((a) => a.name)));
}

function infoBody(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongNumArgs(objv, 2, 'procname');
  return ok(interp, procDefOf(interp, objv[2].toString()).body);
}

function infoDefault(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 5) wrongNumArgs(objv, 2, 'procname arg varname');
  const procName = objv[2].toString();
  const def = procDefOf(interp, procName);
  const argName = objv[3].toString();
  const arg = def.args.find((a) => a.name === argName);
  if (arg === undefined) {
    throw new TclError(`procedure "${procName}" doesn't have an argument "${argName}"`, `TCL LOOKUP ARGUMENT ${argName}`);
  }
  try {
    interp.setVar(objv[4].toString(), arg.def ?? EMPTY);
  } catch (e) {
    if (e instanceof TclError) throw new TclError(`couldn't store default value in variable "${objv[4].toString()}"`, e.errorCode);
    throw e;
  }
  return ok(interp, TclObj.fromBool(arg.def !== null));
}

function infoCmdcount(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) wrongNumArgs(objv, 2);
  return ok(interp, TclObj.fromInt(interp.cmdCount));
}

/** Commands visible from the current namespace, filtered by an optional (maybe qualified) pattern. */
function listCommands(interp: Interp, pattern: string | null, procsOnly: boolean): string[] {
  const out: string[] = [];
  const cur = interp.varFrame.ns;
  if (pattern !== null && pattern.indexOf('::') >= 0) {
    const [q, tail] = splitQualified(pattern);
    const ns = interp.findNamespace(q === '' ? '::' : q!);
    if (ns === null) return out;
    for (const [name, cmd] of ns.commands) {
      if (procsOnly && cmd.procDef === null) continue;
      if (globMatch(tail, name, false)) out.push(ns.qualify(name));
    }
    return out;
  }
  const seen = new Set<string>();
  const add = (ns: Namespace) => {
    for (const [name, cmd] of ns.commands) {
      if (seen.has(name)) continue;
      if (procsOnly && cmd.procDef === null) continue;
      if (pattern === null || globMatch(pattern, name, false)) {
        seen.add(name);
        out.push(name);
      }
    }
  };
  add(cur);
  if (!procsOnly && cur !== interp.globalNs) add(interp.globalNs);
  return out;
}

function infoCommands(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?pattern?');
  return ok(interp, listOf(listCommands(interp, objv.length === 3 ? objv[2].toString() : null, false)));
}

function infoProcs(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?pattern?');
  return ok(interp, listOf(listCommands(interp, objv.length === 3 ? objv[2].toString() : null, true)));
}

function infoComplete(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongNumArgs(objv, 2, 'command');
  const text = objv[2].toString();
  const parsed = parseScript(text, 1);
  // A trailing backslash-newline continues the command onto a line not yet typed.
  const trailing = /(^|[^\\])(\\\\)*\\\n$/.test(text);
  const incomplete = trailing || (parsed.error !== null && /^missing (close-brace|close-bracket|")/.test(parsed.error.message));
  return ok(interp, TclObj.fromBool(!incomplete));
}

function infoExists(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongNumArgs(objv, 2, 'varName');
  const [name, index] = splitArrayName(objv[2].toString());
  const v = interp.findVar(name);
  let exists: boolean;
  if (v === null) exists = false;
  else if (index === null) exists = v.isDefined();
  else exists = v.arr !== null && (v.arr.get(index)?.value ?? null) !== null;
  return ok(interp, TclObj.fromBool(exists));
}

function filterNames(names: string[], pattern: string | null): string[] {
  return pattern === null ? names : names.filter((n) => globMatch(pattern, n, false));
}

function namespaceVarNames(ns: Namespace): string[] {
  const out: string[] = [];
  for (const [name, v] of ns.vars) if (v.isDefined() || v.flags & 2) out.push(name);
  return out;
}

function infoVars(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?pattern?');
  const pattern = objv.length === 3 ? objv[2].toString() : null;
  const frame = interp.varFrame;
  if (pattern !== null && pattern.indexOf('::') >= 0) {
    const [q, tail] = splitQualified(pattern);
    const ns = interp.findNamespace(q === '' ? '::' : q!);
    if (ns === null) return ok(interp, EMPTY);
    const names = filterNames(namespaceVarNames(ns), tail);
    return ok(interp, listOf(names.map((n) => ns.qualify(n))));
  }
  if (frame.isProc) return ok(interp, listOf(filterNames(interp.localVarNames(frame, true), pattern)));
  const names = namespaceVarNames(frame.ns);
  if (frame.ns !== interp.globalNs) {
    for (const n of namespaceVarNames(interp.globalNs)) if (!names.includes(n)) names.push(n);
  }
  return ok(interp, listOf(filterNames(names, pattern)));
}

function infoLocals(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?pattern?');
  const frame = interp.varFrame;
  if (!frame.isProc) return ok(interp, EMPTY);
  return ok(interp, listOf(filterNames(interp.localVarNames(frame, false), objv.length === 3 ? objv[2].toString() : null)));
}

function infoGlobals(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?pattern?');
  return ok(interp, listOf(filterNames(namespaceVarNames(interp.globalNs), objv.length === 3 ? objv[2].toString() : null)));
}

function infoLevel(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?number?');
  const cur = interp.varFrame;
  if (objv.length === 2) return ok(interp, TclObj.fromInt(cur.level));
  const n = Number(getInt(objv[2]));
  const target = n > 0 ? n : cur.level + n;
  let f: Frame | null = cur;
  while (f !== null && f.level > target) f = f.callerVar;
  if (target < 1 || f === null || f.level !== target || f.objv === null) {
    throw new TclError(`bad level "${objv[2].toString()}"`, 'TCL LOOKUP STACK_LEVEL ' + objv[2].toString());
  }
  return ok(interp, TclObj.fromList(f.objv.slice()));
}

function infoFrame(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?number?');
  const cur = interp.varFrame;
  const depth = cur.level + 1;
  if (objv.length === 2) return ok(interp, TclObj.fromInt(depth));
  const n = Number(getInt(objv[2]));
  const target = n > 0 ? n : depth + n;
  if (target < 1 || target > depth) throw new TclError(`bad level "${objv[2].toString()}"`, 'TCL LOOKUP LEVEL ' + objv[2].toString());
  let f: Frame | null = cur;
  while (f !== null && f.level + 1 > target) f = f.callerVar;
  const items: TclObj[] = [str('type'), str(f !== null && f.isProc ? 'proc' : 'eval')];
  if (f !== null && f.objv !== null) items.push(str('cmd'), TclObj.fromList(f.objv.slice()));
  items.push(str('level'), TclObj.fromInt(depth - target));
  return ok(interp, TclObj.fromList(items));
}

function infoScript(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?filename?');
  if (objv.length === 3) interp.scriptFile = objv[2].toString();
  return ok(interp, str(interp.scriptFile));
}

function constant(value: () => string): (interp: Interp, objv: TclObj[]) => number {
  return (interp, objv) => {
    if (objv.length !== 2) wrongNumArgs(objv, 2);
    return ok(interp, str(value()));
  };
}

function infoErrorstack(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?interp?');
  return ok(interp, str(interp.lastErrorStack));
}

function infoFunctions(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?pattern?');
  const ns = interp.findNamespace('::tcl::mathfunc');
  const names = ns === null ? [] : [...ns.commands.keys()];
  return ok(interp, listOf(filterNames(names, objv.length === 3 ? objv[2].toString() : null)));
}

function infoLoaded(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?interp?');
  return ok(interp, EMPTY);
}

function infoCoroutine(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) wrongNumArgs(objv, 2);
  return ok(interp, EMPTY);
}

function infoObjectSystem(interp: Interp, objv: TclObj[]): number {
  void objv;
  return interp.error('TclOO is not available in tclshim', 'TCL OO UNAVAILABLE');
}

/** Absolute path of the tclshim launcher, for `info nameofexecutable`. */
export function executablePath(): string {
  return path.resolve(__dirname, '..', '..', 'bin', 'tclshim');
}

export function register(interp: Interp): void {
  createEnsemble(interp, 'info', {
    args: infoArgs,
    body: infoBody,
    class: infoObjectSystem,
    cmdcount: infoCmdcount,
    commands: infoCommands,
    complete: infoComplete,
    coroutine: infoCoroutine,
    default: infoDefault,
    errorstack: infoErrorstack,
    exists: infoExists,
    frame: infoFrame,
    functions: infoFunctions,
    globals: infoGlobals,
    hostname: constant(() => os.hostname()),
    level: infoLevel,
    library: constant(() => interp.getVar('::tcl_library').toString()),
    loaded: infoLoaded,
    locals: infoLocals,
    nameofexecutable: constant(executablePath),
    object: infoObjectSystem,
    patchlevel: constant(() => TCL_PATCHLEVEL),
    procs: infoProcs,
    script: infoScript,
    sharedlibextension: constant(() => '.so'),
    tclversion: constant(() => TCL_VERSION),
    vars: infoVars,
  });
}
