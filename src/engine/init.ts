/** Global variables every Tcl interpreter starts with (tcl_version, tcl_platform, env, argv...). */
import { TclObj } from '../values/obj.js';
import { listOf } from '../values/list.js';
import type { Interp } from './interp.js';
import * as os from 'node:os';
import { setTclPrecision } from '../values/doubleFormat.js';
import { TRACE_WRITE, TRACE_UNSET } from './traces.js';

export const TCL_VERSION = '8.6';
export const TCL_PATCHLEVEL = '8.6.13';

export function initGlobals(interp: Interp, argv0: string, argv: string[]): void {
  const set = (name: string, value: string) => interp.setVar(name, TclObj.fromString(value), null);
  set('tcl_version', TCL_VERSION);
  set('tcl_patchLevel', TCL_PATCHLEVEL);
  set('tcl_interactive', '0');
  watchPrecision(interp);
  set('tcl_library', '/usr/share/tcltk/tcl8.6');
  const platform: Record<string, string> = {
    byteOrder: os.endianness() === 'LE' ? 'littleEndian' : 'bigEndian',
    engine: 'Tcl',
    machine: os.machine(),
    os: os.type(),
    osVersion: os.release(),
    pathSeparator: ':',
    platform: 'unix',
    pointerSize: '8',
    threaded: '1',
    user: os.userInfo().username,
    wordSize: '8',
  };
  for (const k of Object.keys(platform)) interp.setVar('tcl_platform', TclObj.fromString(platform[k]), k);
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) interp.setVar('env', TclObj.fromString(v), k);
  set('argv0', argv0);
  interp.setVar('argv', listOf(argv), null);
  set('argc', String(argv.length));
}

/** ::tcl_precision changes how doubles print (values formatted afterwards use the new setting). */
function watchPrecision(interp: Interp): void {
  const v = interp.lookupVarCreate('::tcl_precision', '::tcl_precision');
  v.traces = {
    busy: false,
    list: [
      {
        ops: TRACE_WRITE | TRACE_UNSET,
        id: 'tcl_precision',
        cmd: (_name1: string, _name2: string, op: string) => {
          if (op === 'unset') {
            setTclPrecision(0);
            return;
          }
          const n = parseInt(v.value?.toString() ?? '0', 10);
          if (Number.isInteger(n) && n >= 0 && n <= 17) setTclPrecision(n);
        },
      },
    ],
  };
}
