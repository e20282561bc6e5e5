/**
 * The builtin command set: every command module registers itself here, in dependency order.
 */
import type { Interp } from '../engine/interp.js';
import * as control from './control.js';
import * as vars from './vars.js';
import * as expr from './expr.js';
import * as procs from './procs.js';
import * as trycmd from './trycmd.js';
import * as chan from './chan.js';
import * as events from './events.js';
import * as file from './file.js';
import * as exec from './exec.js';
import * as glob from './glob.js';
import * as socket from './socket.js';
import * as namespace from './namespace.js';
import * as info from './info.js';
import * as interpcmd from './interpcmd.js';
import * as pkg from './package.js';
import * as dict from './dict.js';
import * as array from './array.js';
import * as trace from './trace.js';
import * as encoding from './encoding.js';
import * as time from './time.js';
import * as clock from './clock.js';
import * as string from './string.js';
import * as lists from './lists.js';
import * as regexp from './regexp.js';
import * as subst from './subst.js';
import * as switchCmd from './switch.js';
import * as format from './format.js';
import * as scan from './scan.js';
import * as binary from './binary.js';
import '../packages/tclx.js';
import '../packages/socketserver.js';

const modules: Array<{ register(interp: Interp): void }> = [control, vars, expr, procs, trycmd, chan, events, file, exec, glob, socket, namespace, info, interpcmd, pkg, dict, array, trace, encoding, time, clock, string, lists, regexp, subst, switchCmd, format, scan, binary];

export function registerBuiltins(interp: Interp): void {
  for (const m of modules) m.register(interp);
}
