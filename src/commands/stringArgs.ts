/**
 * Argument errors for the `string` subcommands, which run both through the `string` ensemble
 * (objv = string sub args...) and as the ::tcl::string::* commands behind it (objv = name DIRECT
 * args...): Tcl names the command as it was invoked in either case.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';

/** Placeholder for the subcommand word when a ::tcl::string::* command is called directly. */
export const DIRECT = TclObj.fromString('');

/**
 * `wrong # args: should be "<command> <usage>"`, where the command is `string <sub>` (or the direct
 * command's name) followed by the first `extra` arguments.
 */
export function subWrongArgs(objv: readonly TclObj[], sub: string, usage: string, extra = 0): never {
  let head = objv[1] === DIRECT ? objv[0].toString() : objv[0].toString() + ' ' + sub;
  for (let i = 0; i < extra; i++) head += ' ' + objv[2 + i].toString();
  throw new TclError(`wrong # args: should be "${usage.length > 0 ? head + ' ' + usage : head}"`, 'TCL WRONGARGS');
}
