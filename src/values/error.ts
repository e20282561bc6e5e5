/**
 * The one exception type of the interpreter: a Tcl error on its way to the nearest command boundary.
 * Deliberately not a subclass of Error: capturing a JS stack trace costs more than the error itself,
 * and Tcl scripts raise errors routinely (catch in loops, probing with `info exists` fallbacks).
 */
export class TclError {
  /** The error message (becomes the interpreter result). */
  readonly message: string;
  /** The errorCode, as a Tcl list string. */
  readonly errorCode: string;
  /** Set when the thrower already formatted the errorInfo (e.g. `error msg info`). */
  errorInfo: string | null = null;
  /** With errorInfo set: false when the failing command should still be logged after it. */
  infoComplete = true;

  constructor(message: string, errorCode: string = 'NONE') {
    this.message = message;
    this.errorCode = errorCode;
  }

  toString(): string {
    return this.message;
  }

  /** Attach an already-built errorInfo (the error is re-raised from a nested evaluation). */
  withInfo(info: string): this {
    this.errorInfo = info;
    return this;
  }
}

/** True when a caught value is a TclError (as opposed to a host bug). */
export function isTclError(e: unknown): e is TclError {
  return e instanceof TclError;
}

/** A TclError whose errorInfo gets a context line (e.g. "(reading increment)") before the command. */
export function withErrorContext(e: TclError, context: string): TclError {
  const out = new TclError(e.message, e.errorCode);
  out.errorInfo = (e.errorInfo ?? e.message) + context;
  out.infoComplete = false;
  return out;
}
