/** In-process helpers for command tests. */
import { Interp } from '../../src/index.js';

/** Evaluate and expect a Tcl error; returns [message, errorCode, errorInfo]. */
export function fails(interp: Interp, script: string): [string, string, string] {
  try {
    interp.evalOrThrow(script);
  } catch (e) {
    const err = e as { message: string; errorCode: string; errorInfo: string };
    return [err.message, err.errorCode, err.errorInfo];
  }
  throw new Error(`script did not fail: ${script}`);
}
