/**
 * `trace`: variable traces (add/remove/info variable and the old variable/vdelete/vinfo forms).
 *
 * The engine (engine/traces.ts) calls a Var's trace callbacks with (name1, name2, op); here each
 * callback evaluates its Tcl command with those words appended, in the frame doing the access, and
 * puts the interpreter's result and error state back afterwards, as Tcl_SaveInterpState does. A
 * failing read/write/array trace aborts the access with `can't <verb> "<name>": <message>`;
 * failures of unset traces are ignored.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { formatStringList } from '../values/listFormat.js';
import { OK, ERROR } from '../engine/codes.js';
import { getIndexFromTable, wrongNumArgs, choiceList } from '../engine/args.js';
import { splitArrayName, Var } from '../engine/vars.js';
import type { VarTraces } from '../engine/vars.js';
import { TRACE_READ, TRACE_WRITE, TRACE_UNSET, TRACE_ARRAY } from '../engine/traces.js';
import type { Interp } from '../engine/interp.js';
import { registerAll } from './registry.js';

const EMPTY = TclObj.EMPTY;

/** What `trace info`/`trace remove` see of a trace: its operations and command text. */
interface TraceRecord {
  ops: number;
  command: string;
  /** Added with `trace variable`: the callback gets the one-letter operation names. */
  oldStyle: boolean;
  /** The last script built for this trace, kept so a repeated access reuses its compiled form. */
  lastScript: TclObj | null;
}

type TraceEntry = VarTraces['list'][number];

const OP_NAMES = ['array', 'read', 'unset', 'write'];
const OP_BITS = [TRACE_ARRAY, TRACE_READ, TRACE_UNSET, TRACE_WRITE];
const OP_LETTER: Record<string, string> = { read: 'r', write: 'w', unset: 'u', array: 'a' };

/** Tcl_DStringAppendElement's rule: a separating space unless the text already ends a word. */
function needSpace(s: string): boolean {
  let end = s.length;
  if (end === 0) return false;
  end--;
  while (s.charCodeAt(end) === 123 /* { */) {
    if (end === 0) return false;
    end--;
  }
  const c = s.charCodeAt(end);
  if (c > 32) return true;
  if (c === 32 || (c >= 9 && c <= 13)) return end > 0 && s.charCodeAt(end - 1) === 92;
  return true;
}

/** The callback the engine runs for one trace. */
function makeCallback(interp: Interp, rec: TraceRecord): TraceEntry['cmd'] {
  return (name1: string, name2: string, op: string) => {
    const opWord = rec.oldStyle ? OP_LETTER[op] : op;
    const text = rec.command + (needSpace(rec.command) ? ' ' : '') + formatStringList([name1, name2, opWord]);
    let script = rec.lastScript;
    if (script === null || script.toString() !== text) {
      script = TclObj.fromString(text);
      rec.lastScript = script;
    }
    const savedResult = interp.result;
    const savedInfo = interp.errorInfo;
    const savedCode = interp.errorCode;
    const savedLogged = interp.errAlreadyLogged;
    const savedLine = interp.errorLine;
    const savedStack = interp.errorStack;
    const st = interp.returnState;
    const savedReturn = { code: st.code, level: st.level, options: st.options };
    interp.errorInfo = null;
    interp.errAlreadyLogged = false;
    const code = interp.evalObj(script);
    if (code === OK || op === 'unset') {
      interp.result = savedResult;
      interp.errorInfo = savedInfo;
      interp.errorCode = savedCode;
      interp.errAlreadyLogged = savedLogged;
      interp.errorLine = savedLine;
      interp.errorStack = savedStack;
      interp.returnState = savedReturn;
      return;
    }
    // The engine passes "" for a scalar's name2, so an element named "" shows as the array's name.
    const full = name2.length > 0 ? `${name1}(${name2})` : name1;
    const message = interp.result.toString();
    const info = (code === ERROR ? interp.currentErrorInfo() : message) + `\n    (${op} trace on "${full}")`;
    const verb = op === 'read' ? 'read' : op === 'write' ? 'set' : 'trace array';
    const errorCode = op === 'read' ? 'TCL READ VARNAME' : op === 'write' ? 'TCL WRITE VARNAME' : code === ERROR ? interp.errorCode : 'NONE';
    interp.resetError();
    interp.returnState = { code: OK, level: 1, options: [] };
    const err = new TclError(`can't ${verb} "${full}": ${message}`, errorCode);
    err.errorInfo = info;
    err.infoComplete = false;
    throw err;
  };
}

// ------------------------------------------------------------------ finding the traced Var

/** The Var a trace on `name` attaches to, created (undefined) if needed, as Tcl_TraceVar2 does. */
function traceTarget(interp: Interp, name: string): Var {
  const [base, index] = splitArrayName(name);
  try {
    const v = interp.lookupVarCreate(base, name);
    return index === null ? v : interp.arrayElementCreate(v, base, index);
  } catch (e) {
    if (e instanceof TclError && e.message.startsWith("can't set ")) {
      throw new TclError("can't trace " + e.message.slice("can't set ".length), e.errorCode);
    }
    throw e;
  }
}

/** The Var `name` refers to if it exists (no creation), for trace info/remove. */
function existingTarget(interp: Interp, name: string): Var | null {
  const [base, index] = splitArrayName(name);
  const v = interp.findVar(base);
  if (v === null || index === null) return v;
  if (v.arr === null) return null;
  return v.arr.get(index) ?? null;
}

function addTrace(interp: Interp, name: string, ops: number, command: string, oldStyle: boolean): void {
  const v = traceTarget(interp, name);
  const rec: TraceRecord = { ops, command, oldStyle, lastScript: null };
  if (v.traces === null) v.traces = { list: [], busy: false };
  // Newest first: Tcl runs (and lists) the most recently added trace first.
  v.traces.list.unshift({ ops, cmd: makeCallback(interp, rec), id: rec });
}

function removeTrace(interp: Interp, name: string, ops: number, command: string): void {
  const v = existingTarget(interp, name);
  if (v === null || v.traces === null) return;
  const list = v.traces.list;
  for (let i = 0; i < list.length; i++) {
    const rec = list[i].id as TraceRecord;
    if (rec !== undefined && rec.ops === ops && rec.command === command) {
      list.splice(i, 1);
      break;
    }
  }
  if (list.length === 0 && !v.traces.busy) v.traces = null;
}

function traceRecords(interp: Interp, name: string): TraceRecord[] {
  const v = existingTarget(interp, name);
  if (v === null || v.traces === null) return [];
  const out: TraceRecord[] = [];
  for (const t of v.traces.list) if (t.id !== undefined && t.id !== null) out.push(t.id as TraceRecord);
  return out;
}

// ------------------------------------------------------------------ operation lists

function parseOpList(o: TclObj): number {
  const items = getList(o);
  if (items.length === 0) {
    throw new TclError(`bad operation list "": must be one or more of array, read, unset, or write`, 'TCL OPERATION TRACE NOOPS');
  }
  let ops = 0;
  for (const item of items) ops |= OP_BITS[getIndexFromTable(item, OP_NAMES, 'operation', true)];
  return ops;
}

function opListObj(ops: number): TclObj {
  const out: TclObj[] = [];
  if (ops & TRACE_ARRAY) out.push(TclObj.fromString('array'));
  if (ops & TRACE_READ) out.push(TclObj.fromString('read'));
  if (ops & TRACE_WRITE) out.push(TclObj.fromString('write'));
  if (ops & TRACE_UNSET) out.push(TclObj.fromString('unset'));
  return TclObj.fromList(out);
}

/** Old-style operation letters ("rwua"). */
function parseOldOps(o: TclObj): number {
  const s = o.toString();
  let ops = 0;
  for (const ch of s) {
    if (ch === 'r') ops |= TRACE_READ;
    else if (ch === 'w') ops |= TRACE_WRITE;
    else if (ch === 'u') ops |= TRACE_UNSET;
    else if (ch === 'a') ops |= TRACE_ARRAY;
    else ops = -1;
    if (ops < 0) break;
  }
  if (ops <= 0) throw new TclError(`bad operations "${s}": should be one or more of rwua`, 'TCL OPERATION TRACE BADOPS');
  return ops;
}

function oldOpsString(ops: number): string {
  let s = '';
  if (ops & TRACE_READ) s += 'r';
  if (ops & TRACE_WRITE) s += 'w';
  if (ops & TRACE_UNSET) s += 'u';
  if (ops & TRACE_ARRAY) s += 'a';
  return s;
}

// ------------------------------------------------------------------ the command

const OPTIONS = ['add', 'info', 'remove', 'variable', 'vdelete', 'vinfo'];
const TYPES = ['execution', 'command', 'variable'];

function traceCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) wrongNumArgs(objv, 1, 'option ?arg ...?');
  const option = OPTIONS[getIndexFromTable(objv[1], OPTIONS, 'option')];
  switch (option) {
    case 'add':
    case 'remove': {
      if (objv.length < 3) wrongNumArgs(objv, 2, 'type ?arg ...?');
      const type = TYPES[getIndexFromTable(objv[2], TYPES, 'option')];
      if (objv.length !== 6) wrongNumArgs(objv, 3, 'name opList command');
      if (type !== 'variable') {
        commandTraceRequest(interp, objv, type, option === 'add');
        break;
      }
      const ops = parseOpList(objv[4]);
      if (option === 'add') addTrace(interp, objv[3].toString(), ops, objv[5].toString(), false);
      else removeTrace(interp, objv[3].toString(), ops, objv[5].toString());
      break;
    }
    case 'info': {
      if (objv.length < 3) wrongNumArgs(objv, 2, 'type name');
      const type = TYPES[getIndexFromTable(objv[2], TYPES, 'option')];
      if (objv.length !== 4) wrongNumArgs(objv, 3, 'name');
      const out: TclObj[] = [];
      if (type !== 'variable') {
        // No command or execution trace can exist (see commandTraceRequest), so there is none to list.
        commandToTrace(interp, objv[3]);
      } else {
        for (const rec of traceRecords(interp, objv[3].toString())) {
          out.push(TclObj.fromList([opListObj(rec.ops), TclObj.fromString(rec.command)]));
        }
      }
      interp.result = TclObj.fromList(out);
      return OK;
    }
    case 'variable':
    case 'vdelete': {
      if (objv.length !== 5) wrongNumArgs(objv, 2, 'name ops command');
      const ops = parseOldOps(objv[3]);
      if (option === 'variable') addTrace(interp, objv[2].toString(), ops, objv[4].toString(), true);
      else removeTrace(interp, objv[2].toString(), ops, objv[4].toString());
      break;
    }
    case 'vinfo': {
      if (objv.length !== 3) wrongNumArgs(objv, 2, 'name');
      const out: TclObj[] = [];
      for (const rec of traceRecords(interp, objv[2].toString())) {
        out.push(TclObj.fromList([TclObj.fromString(oldOpsString(rec.ops)), TclObj.fromString(rec.command)]));
      }
      interp.result = TclObj.fromList(out);
      return OK;
    }
  }
  interp.result = EMPTY;
  return OK;
}

const COMMAND_OPS = ['delete', 'rename'];
const EXECUTION_OPS = ['enter', 'leave', 'enterstep', 'leavestep'];

function commandToTrace(interp: Interp, name: TclObj): void {
  const s = name.toString();
  if (interp.findCommand(s) === null) throw new TclError(`unknown command "${s}"`, `TCL LOOKUP COMMAND ${formatStringList([s])}`);
}

/**
 * `trace add|remove command|execution`: the arguments are checked as Tcl checks them, but adding
 * is refused: firing these traces needs hooks in the engine's rename/delete and command dispatch
 * that it does not have yet, and a trace that silently never fires would be worse than an error.
 * Removing is a no-op, as in Tcl when no such trace exists.
 */
function commandTraceRequest(interp: Interp, objv: TclObj[], type: string, add: boolean): void {
  commandToTrace(interp, objv[3]);
  const table = type === 'command' ? COMMAND_OPS : EXECUTION_OPS;
  const items = getList(objv[4]);
  if (items.length === 0) {
    throw new TclError(`bad operation list "": must be one or more of ${choiceList(table)}`, 'TCL OPERATION TRACE NOOPS');
  }
  for (const item of items) getIndexFromTable(item, table, 'operation', true);
  if (add) {
    throw new TclError(`${type} traces are not supported by this interpreter`, 'TCL OPERATION TRACE UNSUPPORTED');
  }
}

export function register(interp: Interp): void {
  registerAll(interp, { trace: traceCmd });
}
