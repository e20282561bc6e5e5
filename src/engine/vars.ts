/**
 * Variables: a Var holds a scalar value or an array of element Vars. Links made by upvar/global/
 * variable store the target Var itself in the linking slot, so reading through a link costs nothing.
 */
import { TclObj } from '../values/obj.js';

export const VAR_LINKED = 1; // some frame links to this var: keep it in its table when unset
export const VAR_NAMESPACE = 2; // declared with `variable` (exists for info vars even while undefined)
export const VAR_ELEMENT = 4; // an element of an array
export const VAR_DEAD = 8; // removed from its table (a link may still point at it)

export class Var {
  value: TclObj | null;
  arr: Map<string, Var> | null;
  flags: number;
  traces: VarTraces | null;

  constructor() {
    this.value = null;
    this.arr = null;
    this.flags = 0;
    this.traces = null;
  }

  isDefined(): boolean {
    return this.value !== null || this.arr !== null;
  }
}

/** Variable traces (`trace add variable`), kept off the hot path until used. */
export interface VarTraces {
  list: Array<{ ops: number; cmd: (name1: string, name2: string, op: string) => void; id: unknown }>;
  busy: boolean;
}

/** Split "a(b)" into ["a", "b"]; a name without a trailing ")" has no index. */
export function splitArrayName(name: string): [string, string | null] {
  const n = name.length;
  if (n > 0 && name.charCodeAt(n - 1) === 41) {
    const open = name.indexOf('(');
    if (open > 0 || open === 0) {
      if (open >= 0) return [name.slice(0, open), name.slice(open + 1, n - 1)];
    }
  }
  return [name, null];
}
