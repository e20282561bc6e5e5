/**
 * The `encoding` ensemble: convertfrom, convertto, dirs, names, system. The conversions themselves
 * live in values/encoding.ts, shared with the channel layer.
 */
import { TclObj } from '../values/obj.js';
import { getList, listOf } from '../values/list.js';
import { convertFrom, convertTo, encodingNames, getEncoding, getSystemEncoding, setSystemEncoding } from '../values/encoding.js';
import { OK } from '../engine/codes.js';
import type { Interp } from '../engine/interp.js';
import { registerAll } from './registry.js';
import { SubcommandTable, subWrongArgs, ensembleWrongArgs } from './subcommands.js';

const SUBS = new SubcommandTable(['convertfrom', 'convertto', 'dirs', 'names', 'system']);

/** `encoding dirs` has no .enc directories to search here; it keeps whatever list it is given. */
const dirsByInterp = new WeakMap<Interp, TclObj>();

function convert(interp: Interp, objv: TclObj[], to: boolean): number {
  if (objv.length !== 3 && objv.length !== 4) subWrongArgs(objv, to ? 'convertto' : 'convertfrom', '?encoding? data');
  const enc = objv.length === 4 ? getEncoding(objv[2].toString()) : getSystemEncoding();
  const data = objv[objv.length - 1].toString();
  interp.result = TclObj.fromString(to ? convertTo(enc, data) : convertFrom(enc, data));
  return OK;
}

function dirs(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) subWrongArgs(objv, 'dirs', '?dirList?');
  if (objv.length === 3) {
    getList(objv[2]);
    dirsByInterp.set(interp, objv[2]);
  }
  interp.result = dirsByInterp.get(interp) ?? TclObj.EMPTY;
  return OK;
}

function names(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) subWrongArgs(objv, 'names', '');
  interp.result = listOf(encodingNames());
  return OK;
}

function system(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) subWrongArgs(objv, 'system', '?encoding?');
  if (objv.length === 3) {
    setSystemEncoding(objv[2].toString());
    interp.result = TclObj.EMPTY;
    return OK;
  }
  interp.result = TclObj.fromString(getSystemEncoding().name);
  return OK;
}

const SUB_PROCS = [
  (ip: Interp, objv: TclObj[]) => convert(ip, objv, false),
  (ip: Interp, objv: TclObj[]) => convert(ip, objv, true),
  dirs,
  names,
  system,
];

function encodingCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) ensembleWrongArgs(objv);
  return SUB_PROCS[SUBS.lookup(objv[1])](interp, objv);
}

export function register(interp: Interp): void {
  registerAll(interp, { encoding: encodingCmd });
}
