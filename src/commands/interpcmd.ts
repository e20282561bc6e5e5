/**
 * `interp` (the subset that concerns the current interpreter: recursionlimit, bgerror), `source`
 * and `pid`.
 */
import { readFileSync } from 'node:fs';
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getInt, getSafeInt } from '../values/number.js';
import { getList } from '../values/list.js';
import { OK, ERROR } from '../engine/codes.js';
import { wrongNumArgs } from '../engine/args.js';
import { createEnsemble } from '../engine/ensemble.js';
import type { Interp } from '../engine/interp.js';
import { getpid } from '../native/index.js';

function checkPath(interp: Interp, path: TclObj): void {
  if (getList(path).length !== 0) {
    throw new TclError(`could not find interpreter "${path.toString()}"`, `TCL LOOKUP INTERP ${path.toString()}`);
  }
  void interp;
}

function interpRecursionlimit(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 3 || objv.length > 4) wrongNumArgs(objv, 2, 'path ?maxRecursionDepth?');
  checkPath(interp, objv[2]);
  if (objv.length === 4) {
    const v = getInt(objv[3]);
    if (typeof v !== 'number' || v <= 0 || v > 0x7fffffff) {
      throw new TclError('recursion limit must be > 0', 'TCL OPERATION INTERP BADLIMIT');
    }
    if (v <= interp.depth) {
      throw new TclError('falling back due to new recursion limit', 'TCL RECURSION');
    }
    interp.recursionLimit = v;
  }
  interp.result = TclObj.fromInt(interp.recursionLimit);
  return OK;
}

function interpBgerror(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 3 || objv.length > 4) wrongNumArgs(objv, 2, 'path ?cmdPrefix?');
  checkPath(interp, objv[2]);
  if (objv.length === 4) {
    if (getList(objv[3]).length === 0) throw new TclError('cmdPrefix must be list of length >= 1', 'TCL OPERATION INTERP BGERRORFORMAT');
    interp.bgerrorHandler = objv[3];
  }
  interp.result = interp.bgerrorHandler ?? TclObj.fromString('::tcl::Bgerror');
  return OK;
}

function interpExists(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?path?');
  interp.result = TclObj.fromBool(objv.length === 2 || getList(objv[2]).length === 0);
  return OK;
}

function interpUnsupported(interp: Interp, objv: TclObj[]): number {
  return interp.error(`interp ${objv[1].toString()}: child interpreters are not supported by tclshim`, 'TCL UNSUPPORTED');
}

function sourceCmd(interp: Interp, objv: TclObj[]): number {
  let file: string;
  if (objv.length === 2) file = objv[1].toString();
  else if (objv.length === 4 && objv[1].toString() === '-encoding') file = objv[3].toString();
  else wrongNumArgs(objv, 1, '?-encoding name? fileName');
  let text: string;
  try {
    text = readFileSync(file, objv.length === 4 && /^(iso8859-1|binary)$/.test(objv[2].toString()) ? 'latin1' : 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    const reason = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'illegal operation on a directory' : code.toLowerCase();
    throw new TclError(`couldn't read file "${file}": ${reason}`, `POSIX ${code} {${reason}}`);
  }
  // Tcl stops reading a script at the ^Z end-of-file character.
  const eof = text.indexOf('\x1a');
  if (eof >= 0) text = text.slice(0, eof);
  // break/continue escape a sourced file as they are (only the top level turns them into errors).
  return interp.evalFile(TclObj.fromString(text), file);
}

// `pid`'s value, made once per process (servers put it in every reply).
let pidValue = -1;
let pidObj = TclObj.EMPTY;

function pidCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 2) wrongNumArgs(objv, 1, '?channelId?');
  if (objv.length === 2) {
    const pids = interp.channelPids?.(objv[1].toString());
    if (pids === undefined) throw new TclError(`can not find channel named "${objv[1].toString()}"`, `TCL LOOKUP CHANNEL ${objv[1].toString()}`);
    interp.result = TclObj.fromList(pids.map((p) => TclObj.fromInt(p)));
    return OK;
  }
  const pid = getpid();
  if (pid !== pidValue) {
    pidValue = pid;
    pidObj = TclObj.fromInt(pid);
  }
  interp.result = pidObj;
  return OK;
}

export function register(interp: Interp): void {
  createEnsemble(interp, 'interp', {
    alias: interpUnsupported,
    aliases: interpUnsupported,
    bgerror: interpBgerror,
    cancel: interpUnsupported,
    create: interpUnsupported,
    debug: interpUnsupported,
    delete: interpUnsupported,
    eval: interpUnsupported,
    exists: interpExists,
    expose: interpUnsupported,
    hidden: interpUnsupported,
    hide: interpUnsupported,
    invokehidden: interpUnsupported,
    issafe: (ip) => {
      ip.result = TclObj.fromBool(false);
      return OK;
    },
    limit: interpUnsupported,
    marktrusted: interpUnsupported,
    recursionlimit: interpRecursionlimit,
    share: interpUnsupported,
    slaves: (ip) => {
      ip.result = TclObj.EMPTY;
      return OK;
    },
    target: interpUnsupported,
    transfer: interpUnsupported,
  });
  interp.createCommand('source', sourceCmd);
  interp.createCommand('pid', pidCmd);
  void getSafeInt;
}
