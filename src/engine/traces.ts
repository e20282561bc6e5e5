/**
 * Variable traces (`trace add variable`). Kept out of the hot paths: a Var carries traces only when
 * one was added, and every fast path checks `traces === null` first.
 */
import type { Interp } from './interp.js';
import type { Var, VarTraces } from './vars.js';

export const TRACE_READ = 1;
export const TRACE_WRITE = 2;
export const TRACE_UNSET = 4;
export const TRACE_ARRAY = 8;

const OP_BITS: Record<string, number> = { read: TRACE_READ, write: TRACE_WRITE, unset: TRACE_UNSET, array: TRACE_ARRAY };

/** Run the traces of `v` for operation `op`; a trace's error aborts a read/write like Tcl's. */
export function runVarTraces(interp: Interp, v: Var, name: string, index: string | null, op: string): void {
  const traces: VarTraces | null = v.traces;
  if (traces === null || traces.busy) return;
  const bit = OP_BITS[op];
  traces.busy = true;
  try {
    for (const t of traces.list.slice()) {
      if (t.ops & bit) t.cmd(name, index ?? '', op);
    }
  } finally {
    traces.busy = false;
  }
  void interp;
}
