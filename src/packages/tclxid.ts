/**
 * TclX's `id` command: process, user and group ids, their names, and setting them. Messages follow
 * TclX 8.4 to the character, including its quirks (`got"x"` without a space, the doubled space in
 * `wrong # args: id  process parent`).
 */
import * as os from 'node:os';
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getInt, getInt32 } from '../values/number.js';
import { listOf } from '../values/list.js';
import { formatStringList } from '../values/listFormat.js';
import { OK } from '../engine/codes.js';
import type { Interp } from '../engine/interp.js';
import { errnoCodeOf, posixErrorCode, posixMessage } from '../io/errno.js';
import * as native from '../native/index.js';
import { byId, byName, supplementaryGroups } from './userdb.js';

/** TclX_WrongArgs: "wrong # args: <cmd> <usage>" (no "should be", no quotes). */
export function tclxWrongArgs(objv: readonly TclObj[], usage: string): never {
  throw new TclError(`wrong # args: ${objv[0].toString()}${usage.length > 0 ? ' ' + usage : ''}`, 'NONE');
}

/** The bare POSIX message as the result (TclX appends Tcl_PosixError alone for set failures). */
function posixOnly(e: unknown): TclError {
  const code = errnoCodeOf(e);
  return new TclError(posixMessage(code), posixErrorCode(code));
}

/** Tcl_GetLongFromObj: 64-bit, wrapping unsigned values; its errorCode for non-integers differs. */
function getLong(o: TclObj): bigint {
  let v: number | bigint;
  try {
    v = getInt(o);
  } catch (e) {
    if (e instanceof TclError) throw new TclError(e.message, 'TCL VALUE NUMBER');
    throw e;
  }
  const b = BigInt(v);
  if (b > 0xffffffffffffffffn || b < -0x8000000000000000n) {
    throw new TclError('integer value too large to represent', 'ARITH IOVERFLOW {integer value too large to represent}');
  }
  return BigInt.asIntN(64, b);
}

function unknownId(kind: 'user' | 'group', shown: string): TclError {
  return new TclError(`unknown ${kind} id: ${shown}`, 'NONE');
}

/** Name of a user or group id (as a C int), or TclX's "unknown ... id" error. */
function idToName(kind: 'user' | 'group', id: number): string {
  const e = byId(kind, id >>> 0);
  if (e === null) throw unknownId(kind, String(id | 0));
  return e.name;
}

function nameToId(kind: 'user' | 'group', name: string): number {
  const e = byName(kind, name);
  if (e === null) throw unknownId(kind, name);
  return e.id | 0;
}

/**
 * setuid/setgid. Node's process.setuid reads uid 4294967295 as "no such user"; the kernel's answer
 * for that id is EINVAL, which is what TclX reports.
 */
function setId(kind: 'user' | 'group', id: number): void {
  const u = id >>> 0;
  try {
    if (u === 0xffffffff) throw { code: 'EINVAL' };
    if (kind === 'user') process.setuid!(u);
    else process.setgid!(u);
  } catch (e) {
    throw posixOnly(e);
  }
}

function set(interp: Interp, v: TclObj): number {
  interp.result = v;
  return OK;
}

function idProcess(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 4) tclxWrongArgs(objv, 'process ?parent|group? ?set?');
  if (objv.length === 2) return set(interp, TclObj.fromInt(native.getpid()));
  const sub = objv[2].toString();
  if (sub === 'parent') {
    if (objv.length !== 3) tclxWrongArgs(objv, ' process parent');
    return set(interp, TclObj.fromInt(native.getppid()));
  }
  if (sub === 'group') {
    if (objv.length === 3) return set(interp, TclObj.fromInt(native.getpgrp()));
    if (objv.length !== 4 || objv[3].toString() !== 'set') tclxWrongArgs(objv, ' process group ?set?');
    try {
      native.setpgid(0, 0);
    } catch {
      // TclX ignores setpgid's result (a session leader stays where it is).
    }
    return set(interp, TclObj.EMPTY);
  }
  throw new TclError(`expected one of "parent" or "group" got"${sub}"`, 'NONE');
}

function thirdArgError(sub: string): TclError {
  return new TclError(`third arg must be "user", "userid", "group" or "groupid", got "${sub}"`, 'NONE');
}

function idConvert(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 4) tclxWrongArgs(objv, 'convert type value');
  const sub = objv[2].toString();
  const value = objv[3].toString();
  switch (sub) {
    case 'user':
      return set(interp, TclObj.fromInt(nameToId('user', value)));
    case 'userid':
      return set(interp, TclObj.fromString(idToName('user', Number(BigInt.asIntN(32, getLong(objv[3]))))));
    case 'group':
      return set(interp, TclObj.fromInt(nameToId('group', value)));
    case 'groupid':
      return set(interp, TclObj.fromString(idToName('group', Number(BigInt.asIntN(32, getLong(objv[3]))))));
    default:
      throw thirdArgError(sub);
  }
}

function idEffective(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) tclxWrongArgs(objv, 'effective type');
  const sub = objv[2].toString();
  switch (sub) {
    case 'user':
      return set(interp, TclObj.fromString(idToName('user', process.geteuid!())));
    case 'userid':
      return set(interp, TclObj.fromInt(process.geteuid!()));
    case 'group':
      return set(interp, TclObj.fromString(idToName('group', process.getegid!())));
    case 'groupid':
      return set(interp, TclObj.fromInt(process.getegid!()));
    default:
      throw thirdArgError(sub);
  }
}

function idGroups(interp: Interp, objv: TclObj[], symbolic: boolean): number {
  if (objv.length !== 2) tclxWrongArgs(objv, 'arg');
  const out: string[] = [];
  for (const gid of supplementaryGroups()) {
    if (!symbolic) {
      out.push(String(gid | 0));
      continue;
    }
    const e = byId('group', gid);
    // TclX appends the message to the list built so far.
    if (e === null) throw new TclError(`${formatStringList(out)}unknown group id: ${gid | 0}`, 'NONE');
    out.push(e.name);
  }
  return set(interp, listOf(out));
}

/** `id user|group ?name?`, `id userid|groupid ?id?`: get, or set (setuid/setgid). */
function idGetSet(interp: Interp, objv: TclObj[], kind: 'user' | 'group', numeric: boolean): number {
  if (objv.length > 3) tclxWrongArgs(objv, 'arg ?value?');
  const current = kind === 'user' ? process.getuid!() : process.getgid!();
  if (objv.length === 2) {
    return set(interp, numeric ? TclObj.fromInt(current) : TclObj.fromString(idToName(kind, current)));
  }
  let id: number;
  if (numeric) {
    id = getInt32(objv[2]);
  } else {
    const name = objv[2].toString();
    const e = byName(kind, name);
    if (e === null) throw new TclError(`${kind} "${name}" does not exist`, 'NONE');
    id = e.id;
  }
  setId(kind, id);
  return set(interp, TclObj.EMPTY);
}

export function idCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) tclxWrongArgs(objv, 'arg ?arg...?');
  switch (objv[1].toString()) {
    case 'convert':
      return idConvert(interp, objv);
    case 'effective':
      return idEffective(interp, objv);
    case 'process':
      return idProcess(interp, objv);
    case 'groups':
      return idGroups(interp, objv, true);
    case 'groupids':
      return idGroups(interp, objv, false);
    case 'host':
      if (objv.length !== 2) tclxWrongArgs(objv, 'host');
      return set(interp, TclObj.fromString(os.hostname()));
    case 'user':
      return idGetSet(interp, objv, 'user', false);
    case 'userid':
      return idGetSet(interp, objv, 'user', true);
    case 'group':
      return idGetSet(interp, objv, 'group', false);
    case 'groupid':
      return idGetSet(interp, objv, 'group', true);
    default:
      throw new TclError(
        'second arg must be one of "convert", "effective", "process", "user", "userid", "group", "groupid", "groups", "groupids", or "host"',
        'NONE',
      );
  }
}
