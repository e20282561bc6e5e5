/**
 * Argument helpers shared by commands: Tcl_WrongNumArgs and Tcl_GetIndexFromObj with Tcl's texts.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';

/** Throw `wrong # args: should be "<first n words> <message>"`. */
export function wrongNumArgs(objv: readonly TclObj[], n: number, message?: string): never {
  let s = '';
  for (let i = 0; i < n; i++) {
    if (i > 0) s += ' ';
    s += objv[i].toString();
  }
  if (message !== undefined && message.length > 0) s += (n > 0 ? ' ' : '') + message;
  throw new TclError(`wrong # args: should be "${s}"`, 'TCL WRONGARGS');
}

/** "a, b, or c" as Tcl lists the choices. */
export function choiceList(table: readonly string[]): string {
  if (table.length === 1) return table[0];
  if (table.length === 2) return `${table[0]} or ${table[1]}`;
  return table.slice(0, -1).join(', ') + ', or ' + table[table.length - 1];
}

/**
 * Match `o` against `table` allowing unique prefixes (unless exact); throws
 * 'bad <what> "x": must be a, b, or c' or 'ambiguous <what> ...'.
 */
export function getIndexFromTable(o: TclObj, table: readonly string[], what: string, exact = false): number {
  const s = o.toString();
  const i = table.indexOf(s);
  if (i >= 0) return i;
  if (!exact && s.length > 0) {
    let found = -1;
    let count = 0;
    for (let k = 0; k < table.length; k++) {
      if (table[k].startsWith(s)) {
        if (found < 0) found = k;
        count++;
      }
    }
    if (count === 1) return found;
    if (count > 1) {
      throw new TclError(`ambiguous ${what} "${s}": must be ${choiceList(table)}`, `TCL LOOKUP INDEX ${what.split(' ').pop()} ${quoteCode(s)}`);
    }
  }
  throw new TclError(`bad ${what} "${s}": must be ${choiceList(table)}`, `TCL LOOKUP INDEX ${what.split(' ').pop()} ${quoteCode(s)}`);
}

function quoteCode(s: string): string {
  return s.length === 0 || /[\s{}"\\[\]$;]/.test(s) ? `{${s}}` : s;
}
