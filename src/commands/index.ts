/**
 * The builtin command set: every command module registers itself here, in dependency order.
 */
import type { Interp } from '../engine/interp.js';
import * as control from './control.js';
import * as vars from './vars.js';
import * as procs from './procs.js';
import * as basicio from './basicio.js';

const modules: Array<{ register(interp: Interp): void }> = [control, vars, procs, basicio];

export function registerBuiltins(interp: Interp): void {
  for (const m of modules) m.register(interp);
}
