/**
 * Ensemble commands (`info`, `namespace`, `string`, ... and `namespace ensemble create`): the first
 * argument selects a subcommand by exact name or unique prefix; subcommands see the full objv, so
 * their "wrong # args" messages name both words, as in Tcl.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import type { Interp } from './interp.js';
import type { Command, CommandProc } from './namespace.js';
import { wrongNumArgs } from './args.js';

/** Tcl's ensemble choice list: "a, b, or c" (two entries read "a, or b"). */
export function ensembleChoices(names: readonly string[]): string {
  if (names.length === 1) return names[0];
  return names.slice(0, -1).join(', ') + ', or ' + names[names.length - 1];
}

/** Find a subcommand by exact name or unique prefix among sorted names. */
export function matchSubcommand(names: readonly string[], word: string): string | null {
  if (names.includes(word)) return word;
  if (word.length === 0) return null;
  let found: string | null = null;
  for (const n of names) {
    if (n.startsWith(word)) {
      if (found !== null) return null;
      found = n;
    }
  }
  return found;
}

export function unknownSubcommand(word: string, names: readonly string[]): never {
  throw new TclError(`unknown or ambiguous subcommand "${word}": must be ${ensembleChoices(names)}`, `TCL LOOKUP SUBCOMMAND ${word === '' ? '{}' : word}`);
}

/** A builtin ensemble whose subcommands are JS functions; returns its table for later additions. */
export function createEnsemble(interp: Interp, name: string, table: Record<string, CommandProc>): { table: Record<string, CommandProc>; command: Command } {
  let sorted: string[] | null = null;
  const proc: CommandProc = (ip, objv) => {
    if (objv.length < 2) wrongNumArgs(objv, 1, 'subcommand ?arg ...?');
    const word = objv[1].toString();
    const direct = table[word];
    if (direct !== undefined && Object.prototype.hasOwnProperty.call(table, word)) return direct(ip, objv);
    if (sorted === null || sorted.length !== Object.keys(table).length) sorted = Object.keys(table).sort();
    const m = matchSubcommand(sorted, word);
    if (m === null) unknownSubcommand(word, sorted);
    return table[m](ip, objv);
  };
  const command = interp.createCommand(name, proc);
  return { table, command };
}
