/**
 * Subcommand dispatch for the builtin ensembles (dict, array, clock, encoding): Tcl matches a unique
 * prefix, reports failures as `unknown or ambiguous subcommand`, and names the full subcommand in
 * `wrong # args` messages whatever prefix was typed.
 */
import type { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { formatStringList } from '../values/listFormat.js';
import { choiceList } from '../engine/args.js';

/** A sorted table of subcommand names. */
export class SubcommandTable {
  readonly names: readonly string[];
  private readonly choices: string;

  constructor(names: readonly string[]) {
    this.names = names;
    this.choices = choiceList(names);
  }

  /** Index of the subcommand `o` names (exactly or by unique prefix); throws Tcl's error otherwise. */
  lookup(o: TclObj): number {
    const s = o.toString();
    const names = this.names;
    const exact = names.indexOf(s);
    if (exact >= 0) return exact;
    let found = -1;
    for (let i = 0; i < names.length; i++) {
      const n = names[i];
      if (s.length > 0 && n.startsWith(s)) {
        if (found >= 0) return this.fail(s);
        found = i;
      }
    }
    if (found < 0) return this.fail(s);
    return found;
  }

  private fail(s: string): never {
    throw new TclError(
      `unknown or ambiguous subcommand "${s}": must be ${this.choices}`,
      `TCL LOOKUP SUBCOMMAND ${formatStringList([s])}`,
    );
  }
}

/** `wrong # args: should be "<cmd> <sub> <usage>"`, for a subcommand reached through an ensemble. */
export function subWrongArgs(objv: readonly TclObj[], sub: string, usage: string, errorCode = 'TCL WRONGARGS'): never {
  const head = objv[0].toString() + ' ' + sub;
  throw new TclError(`wrong # args: should be "${usage.length > 0 ? head + ' ' + usage : head}"`, errorCode);
}

/** The command word and subcommand are missing: `wrong # args: should be "<cmd> subcommand ?arg ...?"`. */
export function ensembleWrongArgs(objv: readonly TclObj[]): never {
  throw new TclError(`wrong # args: should be "${objv[0].toString()} subcommand ?arg ...?"`, 'TCL WRONGARGS');
}
