/**
 * Minimal console output used until the channel layer registers the real `puts` and `exit`.
 * Writes synchronously to fd 1/2 so output order matches tclsh's.
 */
import { writeSync } from 'node:fs';
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { OK } from '../engine/codes.js';
import { wrongNumArgs } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';
import { getInt32 } from '../values/number.js';

function putsCmd(interp: Interp, objv: TclObj[]): number {
  let i = 1;
  let newline = true;
  if (objv.length > 1 && objv[1].toString() === '-nonewline') {
    newline = false;
    i++;
  }
  let fd = 1;
  if (objv.length - i === 2) {
    const ch = objv[i].toString();
    if (ch === 'stdout') fd = 1;
    else if (ch === 'stderr') fd = 2;
    else throw new TclError(`can not find channel named "${ch}"`, 'TCL LOOKUP CHANNEL ' + ch);
    i++;
  }
  if (objv.length - i !== 1) wrongNumArgs(objv, 1, '?-nonewline? ?channelId? string');
  writeSync(fd, objv[i].toString() + (newline ? '\n' : ''));
  interp.result = TclObj.EMPTY;
  return OK;
}

function exitCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 2) wrongNumArgs(objv, 1, '?returnCode?');
  const code = objv.length === 2 ? getInt32(objv[1]) : 0;
  return interp.exitHandler(code);
}

export function register(interp: Interp): void {
  interp.createCommand('puts', putsCmd);
  interp.createCommand('exit', exitCmd);
}
