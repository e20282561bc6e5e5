/**
 * Background errors (Tcl_BackgroundException): errors from event handlers are queued and reported
 * from an idle callback through the `interp bgerror` handler, whose default (::tcl::Bgerror) calls
 * the script's `bgerror` proc or prints errorInfo on stderr.
 */
import { TclObj, Rep } from '../values/obj.js';
import { getList } from '../values/list.js';
import { getDict } from '../values/dict.js';
import { OK, ERROR, BREAK, CONTINUE } from '../engine/codes.js';
import type { Interp } from '../engine/interp.js';
import { returnOptions, finishCaughtError, setGlobal } from './procs.js';
import { notifier } from '../io/notifier.js';
import { getStdChannel } from '../io/table.js';

/**
 * For break/continue/other codes the options carry no -errorinfo, yet the default handler's
 * errorInfo ends with the handler's context line (e.g. ("after" script)): keep it beside them.
 */
const nonErrorContext = new WeakMap<TclObj, string>();

interface BgError {
  message: TclObj;
  options: TclObj;
}

class BgErrorQueue {
  list: BgError[] = [];
  scheduled = false;
}

function queueOf(interp: Interp): BgErrorQueue {
  let q = interp.assoc.get('bgerrors') as BgErrorQueue | undefined;
  if (q === undefined) {
    q = new BgErrorQueue();
    interp.assoc.set('bgerrors', q);
  }
  return q;
}

/** Reset the interpreter's error and return state after a handler's error was taken over. */
function clearError(interp: Interp): void {
  interp.resetError();
  interp.returnState.code = OK;
  interp.returnState.level = 1;
  interp.returnState.options = [];
}

/**
 * Tcl_BackgroundException: take the interpreter's result and return options for code (not OK)
 * and queue them for reporting when the event loop is idle.
 */
export function backgroundException(interp: Interp, code: number, context: string | null = null): void {
  if (code === OK) return;
  const message = interp.result;
  if (code === ERROR) finishCaughtError(interp);
  const options = returnOptions(interp, code);
  if (context !== null) nonErrorContext.set(options, context);
  clearError(interp);
  interp.result = TclObj.EMPTY;
  const q = queueOf(interp);
  q.list.push({ message, options });
  if (!q.scheduled) {
    q.scheduled = true;
    notifier.doWhenIdle(() => handleBgErrors(interp));
  }
}

/** Write text to the process's stderr channel (if it is still open). */
export function writeStderr(text: string): void {
  const ch = getStdChannel(2);
  if (ch === null || ch.closed) return;
  try {
    ch.write(text);
    ch.flush();
  } catch {
    // stderr itself failing leaves nowhere to report to.
  }
}

/** Evaluate words as a command at global level (TCL_EVAL_GLOBAL). */
export function evalGlobalObjv(interp: Interp, words: TclObj[]): number {
  const saved = interp.varFrame;
  interp.varFrame = interp.globalFrame;
  try {
    return interp.evalObjv(words);
  } finally {
    interp.varFrame = saved;
  }
}

/**
 * Evaluate a script at global level (TCL_EVAL_GLOBAL). A pure list (made by [list ...], never
 * given a string form) runs as one command without parsing, as Tcl_EvalObjEx does.
 */
export function evalGlobal(interp: Interp, script: TclObj): number {
  const saved = interp.varFrame;
  interp.varFrame = interp.globalFrame;
  try {
    if (script.t === Rep.List && !script.hasString()) {
      const words = getList(script);
      if (words.length > 0) return interp.evalObjv(words.slice());
    }
    return interp.evalObj(script);
  } finally {
    interp.varFrame = saved;
  }
}

function handleBgErrors(interp: Interp): void {
  const q = queueOf(interp);
  q.scheduled = false;
  while (q.list.length > 0) {
    const err = q.list.shift()!;
    const prefix = interp.bgerrorHandler ?? TclObj.fromString('::tcl::Bgerror');
    const words = [...getList(prefix), err.message, err.options];
    const code = evalGlobalObjv(interp, words);
    if (code === BREAK) {
      q.list.length = 0;
      clearError(interp);
      break;
    }
    if (code === ERROR) {
      const info = interp.currentErrorInfo();
      writeStderr('error in background error handler:\n' + info + '\n');
    }
    clearError(interp);
  }
}

/**
 * The default handler (::tcl::Bgerror msg options): call `bgerror msg` with ::errorInfo and
 * ::errorCode set from the options; without a bgerror command, print errorInfo on stderr.
 */
export function defaultBgErrorCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) {
    interp.result = TclObj.fromString(`wrong # args: should be "${objv[0].toString()} msg options"`);
    interp.errorCode = 'TCL WRONGARGS';
    return ERROR;
  }
  const opts = getDict(objv[2]);
  const codeObj = opts.get('-code');
  let code = codeObj === undefined ? ERROR : Number(codeObj.toString());
  let message = objv[1];
  let info: TclObj | undefined = opts.get('-errorinfo');
  const ecode = opts.get('-errorcode');
  if (code !== ERROR) {
    const text =
      code === BREAK ? 'invoked "break" outside of a loop' : code === CONTINUE ? 'invoked "continue" outside of a loop' : `command returned bad code: ${code}`;
    message = TclObj.fromString(text);
    info = TclObj.fromString(text + (nonErrorContext.get(objv[2]) ?? ''));
    code = ERROR;
  }
  setGlobal(interp, 'errorInfo', info ?? message);
  setGlobal(interp, 'errorCode', ecode ?? TclObj.fromString('NONE'));
  const rc = evalGlobalObjv(interp, [TclObj.fromString('bgerror'), message]);
  if (rc === ERROR) {
    const handlerMsg = interp.result.toString();
    clearError(interp);
    if (interp.findCommand('::bgerror') === null) {
      const savedInfo = info ?? message;
      writeStderr(savedInfo.toString() + '\n');
    } else {
      writeStderr(`bgerror failed to handle background error.\n    Original error: ${message.toString()}\n    Error in bgerror: ${handlerMsg}\n`);
    }
    interp.result = TclObj.EMPTY;
    return OK;
  }
  if (rc === BREAK) return BREAK;
  interp.result = TclObj.EMPTY;
  return OK;
}


/** Install the channel layer's background-error reporting on an interpreter. */
export function installBgError(interp: Interp): void {
  interp.reportBackgroundError = () => backgroundException(interp, ERROR);
  interp.ensureNamespace('::tcl');
  interp.createCommand('::tcl::Bgerror', defaultBgErrorCmd);
}
