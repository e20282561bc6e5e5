/**
 * tclshim's embedding API: create an interpreter, evaluate Tcl, define commands in JavaScript.
 *
 *   const interp = new Interp();
 *   interp.createCommand('hello', (ip, objv) => { ip.setResult(TclObj.fromString('hi')); return OK; });
 *   const value = interp.evalOrThrow('hello');
 */
import { Interp as CoreInterp } from './engine/interp.js';
import * as codes from './engine/codes.js';
import { TclObj as TclObjClass } from './values/obj.js';
import { TclError as TclErrorClass } from './values/error.js';
import { registerBuiltins } from './commands/index.js';
import { initGlobals } from './engine/init.js';

// Completion codes and value classes as plain data properties: see src/native/index.ts for why
// re-exports are not written as `export { ... }`.
export const OK = codes.OK;
export const ERROR = codes.ERROR;
export const RETURN = codes.RETURN;
export const BREAK = codes.BREAK;
export const CONTINUE = codes.CONTINUE;
/** A Tcl value: string and internal representations (Tcl_Obj). */
export const TclObj = TclObjClass;
export type TclObj = TclObjClass;
/** An error raised by a command: message and errorCode. */
export const TclError = TclErrorClass;
export type TclError = TclErrorClass;

/** A Tcl error surfaced to JavaScript: message, errorCode and errorInfo as Tcl reports them. */
export class TclScriptError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly errorCode: string,
    readonly errorInfo: string,
  ) {
    super(message);
    this.name = 'TclScriptError';
  }
}

/** An interpreter with the full builtin command set. */
export class Interp extends CoreInterp {
  constructor(options: { argv0?: string; argv?: string[] } = {}) {
    super();
    registerBuiltins(this);
    initGlobals(this, options.argv0 ?? 'tclshim', options.argv ?? []);
  }

  /** Evaluate a script; returns its result string or throws TclScriptError. */
  evalOrThrow(script: string): string {
    const code = this.eval(script);
    if (code === OK) return this.result.toString();
    if (code === ERROR) {
      const info = this.currentErrorInfo();
      const err = new TclScriptError(this.result.toString(), code, this.errorCode, info);
      this.resetError();
      throw err;
    }
    if (code === RETURN) return this.result.toString();
    throw new TclScriptError(`invoked "${code === BREAK ? 'break' : code === CONTINUE ? 'continue' : code}" outside of a loop`, code, 'NONE', '');
  }

  /** Read a variable as a string (undefined when it does not exist). */
  getVarString(name: string): string | undefined {
    try {
      return this.getVar(name).toString();
    } catch (e) {
      if (e instanceof TclError) return undefined;
      throw e;
    }
  }

  /** Set a variable from a string. */
  setVarString(name: string, value: string): void {
    this.setVar(name, TclObj.fromString(value));
  }
}

export type { CommandProc } from './engine/namespace.js';
