/**
 * The builtin command set: every command module registers itself here, in dependency order.
 */
import type { Interp } from '../engine/interp.js';
import * as control from './control.js';
import * as vars from './vars.js';
import * as procs from './procs.js';
import * as basicio from './basicio.js';
import * as namespace from './namespace.js';
import * as info from './info.js';
import * as interpcmd from './interpcmd.js';
import * as pkg from './package.js';
import '../packages/tclx.js';

const modules: Array<{ register(interp: Interp): void }> = [control, vars, procs, basicio, namespace, info, interpcmd, pkg];

export function registerBuiltins(interp: Interp): void {
  for (const m of modules) m.register(interp);
}
