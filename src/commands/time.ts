/**
 * `time script ?count?`: run a script count times and report the mean in microseconds. Tcl measures
 * with a microsecond clock, so the total is a whole number of microseconds; one iteration (or none)
 * prints an integer, more print the mean as a double.
 */
import { TclObj } from '../values/obj.js';
import { getInt32 } from '../values/number.js';
import { OK } from '../engine/codes.js';
import { wrongNumArgs } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';
import { registerAll } from './registry.js';

const TAIL = [TclObj.fromString('microseconds'), TclObj.fromString('per'), TclObj.fromString('iteration')];

function timeCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2 && objv.length !== 3) wrongNumArgs(objv, 1, 'command ?count?');
  const count = objv.length === 3 ? getInt32(objv[2]) : 1;
  const script = objv[1];
  const start = process.hrtime.bigint();
  for (let i = count; i > 0; i--) {
    const code = interp.evalObj(script);
    if (code !== OK) return code;
  }
  const micros = Number((process.hrtime.bigint() - start) / 1000n);
  const per = count <= 1 ? TclObj.fromInt(count <= 0 ? 0 : micros) : TclObj.fromDouble(micros / count);
  interp.result = TclObj.fromList([per, ...TAIL]);
  return OK;
}

export function register(interp: Interp): void {
  registerAll(interp, { time: timeCmd });
}
