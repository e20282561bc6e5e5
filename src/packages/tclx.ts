/**
 * The TclX 8.4 process-control commands: fork, wait, kill, signal, sleep, id, execl, alarm. Messages
 * and errorCodes follow TclX ("wrong # args: fork" without quotes is TclX's own style).
 */
import * as os from 'node:os';
import { readFileSync } from 'node:fs';
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList, listOf } from '../values/list.js';
import { getDouble, getInt } from '../values/number.js';
import { OK } from '../engine/codes.js';
import type { Interp } from '../engine/interp.js';
import { registerBuiltinPackage } from '../commands/package.js';
import { posixError, posixErrorCode, posixMessage, errnoCodeOf } from '../io/errno.js';
import * as native from '../native/index.js';
import { allSignals, parseSignal, signalName, signalTable, SignalAction } from './signals.js';

function tclxWrongArgs(objv: readonly TclObj[], usage: string): never {
  throw new TclError(`wrong # args: ${objv[0].toString()}${usage.length > 0 ? ' ' + usage : ''}`, 'NONE');
}

function ok(interp: Interp, v: TclObj): number {
  interp.result = v;
  return OK;
}

// ------------------------------------------------------------------ fork / exit

function forkCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 1) tclxWrongArgs(objv, '');
  for (const hook of interp.forkHooks) hook();
  let pid: number;
  try {
    pid = native.fork();
  } catch (e) {
    throw posixError('fork failed', errnoCodeOf(e));
  }
  if (pid === 0) interp.isForkedChild = true;
  return ok(interp, TclObj.fromInt(pid));
}

// ------------------------------------------------------------------ wait

function waitCmd(interp: Interp, objv: TclObj[]): number {
  let flags = 0;
  let pgroup = false;
  let i = 1;
  for (; i < objv.length; i++) {
    const a = objv[i].toString();
    if (a === '-nohang') flags |= native.WNOHANG;
    else if (a === '-untraced') flags |= native.WUNTRACED;
    else if (a === '-pgroup') pgroup = true;
    else if (a.startsWith('-')) tclxWrongArgs(objv, '?-nohang? ?-untraced? ?-pgroup? ?pid?');
    else break;
  }
  if (objv.length - i > 1) tclxWrongArgs(objv, '?-nohang? ?-untraced? ?-pgroup? ?pid?');
  let pid = -1;
  if (i < objv.length) {
    const v = getInt(objv[i]);
    pid = Number(v);
    if (pid <= 0) throw new TclError(`invalid pid or process group id "${objv[i].toString()}"`, 'NONE');
    if (pgroup) pid = -pid;
  } else if (pgroup) pid = 0;
  let r: native.WaitResult | null;
  try {
    r = native.waitpid(pid, flags);
  } catch (e) {
    throw posixError('wait for process failed', errnoCodeOf(e));
  }
  if (r === null) return ok(interp, TclObj.EMPTY);
  const [child, kind, value] = r;
  const detail = kind === 'EXIT' ? TclObj.fromInt(value) : TclObj.fromString(signalName(value));
  return ok(interp, TclObj.fromList([TclObj.fromInt(child), TclObj.fromString(kind), detail]));
}

// ------------------------------------------------------------------ kill

function killCmd(interp: Interp, objv: TclObj[]): number {
  let i = 1;
  let pgroup = false;
  if (i < objv.length && objv[i].toString() === '-pgroup') {
    pgroup = true;
    i++;
  }
  const rest = objv.length - i;
  if (rest < 1 || rest > 2) tclxWrongArgs(objv, '?-pgroup? ?signal? idlist');
  let signo = native.signalNames().TERM;
  if (rest === 2) {
    const w = objv[i].toString();
    signo = w.startsWith('-') && /^-\d+$/.test(w) ? parseSignal(w) : parseSignal(w);
    i++;
  }
  for (const idObj of getList(objv[i])) {
    let id = Number(getInt(idObj));
    let group = pgroup;
    if (id < 0) {
      group = true;
      id = -id;
    }
    try {
      if (group) native.killpg(id, signo);
      else native.kill(id, signo);
    } catch (e) {
      const code = errnoCodeOf(e);
      const what = group ? `process group ${id}` : `process ${id}`;
      throw new TclError(`sending signal ${rest === 2 && group && !pgroup ? '' : signalName(signo)} to ${what} failed: ${posixMessage(code)}`, posixErrorCode(code));
    }
  }
  return ok(interp, TclObj.EMPTY);
}

// ------------------------------------------------------------------ signal

const ACTIONS = ['default', 'ignore', 'error', 'trap', 'get', 'set', 'block', 'unblock'];

function signalList(o: TclObj): number[] {
  const words = getList(o).map((x) => x.toString());
  if (words.length === 1 && words[0] === '*') return allSignals();
  return words.map(parseSignal);
}

function signalCmd(interp: Interp, objv: TclObj[]): number {
  let i = 1;
  let restart = false;
  if (i < objv.length && objv[i].toString() === '-restart') {
    restart = true;
    i++;
  }
  const rest = objv.length - i;
  if (rest < 2 || rest > 3) tclxWrongArgs(objv, '?-restart? action signalList ?command?');
  const action = objv[i].toString();
  if (!ACTIONS.includes(action)) {
    throw new TclError(
      `invalid signal action specified: ${action}: expected one of "default", "ignore", "error", "trap", "get", "set", "block", or "unblock"`,
      'NONE',
    );
  }
  const table = signalTable(interp);
  if (action === 'set') {
    for (const entry of getList(objv[i + 1])) {
      const kv = getList(entry);
      if (kv.length !== 2) throw new TclError(`keyed list entry must be a valid, 2 element list, got "${entry.toString()}"`, 'NONE');
      const signo = parseSignal(kv[0].toString());
      const spec = getList(kv[1]);
      const act = spec[0]?.toString() as SignalAction;
      table.set(signo, act, spec[2] !== undefined && spec[2].toString() !== '' ? spec[2] : null, spec[3]?.toString() === '1');
    }
    return ok(interp, TclObj.EMPTY);
  }
  const sigs = signalList(objv[i + 1]);
  switch (action) {
    case 'get': {
      if (rest !== 2) tclxWrongArgs(objv, '?-restart? action signalList ?command?');
      const out: TclObj[] = [];
      for (const s of sigs) {
        const e = table.entry(s);
        const [, blocked] = native.signalInfo(s);
        const spec = [TclObj.fromString(e.action), TclObj.fromBool(blocked), e.command ?? TclObj.EMPTY, TclObj.fromBool(e.restart)];
        out.push(TclObj.fromList([TclObj.fromString(signalName(s)), TclObj.fromList(spec)]));
      }
      return ok(interp, TclObj.fromList(out));
    }
    case 'block':
    case 'unblock':
      native.signalBlock(sigs, action === 'block');
      return ok(interp, TclObj.EMPTY);
    case 'trap': {
      if (rest !== 3) throw new TclError('command required for trapping signals', 'NONE');
      for (const s of sigs) table.set(s, 'trap', objv[i + 2], restart);
      return ok(interp, TclObj.EMPTY);
    }
    default: {
      if (rest === 3) throw new TclError(`command may not be specified for "${action}" action`, 'NONE');
      for (const s of sigs) table.set(s, action as SignalAction, null, restart);
      return ok(interp, TclObj.EMPTY);
    }
  }
}

// ------------------------------------------------------------------ sleep / alarm

function sleepCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) tclxWrongArgs(objv, 'seconds');
  const seconds = getDouble(objv[1]);
  if (seconds > 0) native.sleepMs(seconds * 1000);
  return ok(interp, TclObj.EMPTY);
}

function alarmCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) tclxWrongArgs(objv, 'seconds');
  const seconds = getDouble(objv[1]);
  const left = native.alarm(seconds);
  return ok(interp, TclObj.fromDouble(Math.round(left * 1e6) / 1e6));
}

// ------------------------------------------------------------------ id

function lookupName(file: string, field: 'name' | 'id', key: string | number): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const parts = line.split(':');
    if (parts.length < 3) continue;
    if (field === 'name' && parts[2] === String(key)) return parts[0];
    if (field === 'id' && parts[0] === key) return parts[2];
  }
  return null;
}

function idCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) tclxWrongArgs(objv, 'arg ?arg...?');
  const a = objv.slice(1).map((o) => o.toString());
  const int = (n: number) => ok(interp, TclObj.fromInt(n));
  const s = (x: string) => ok(interp, TclObj.fromString(x));
  switch (a[0]) {
    case 'process':
      if (a.length === 1) return int(native.getpid());
      if (a[1] === 'parent' && a.length === 2) return int(native.getppid());
      if (a[1] === 'group' && a.length === 2) return int(native.getpgrp());
      if (a[1] === 'group' && a[2] === 'set' && a.length === 3) {
        native.setpgid(0, 0);
        return ok(interp, TclObj.EMPTY);
      }
      throw new TclError(`expected one of "parent" or "group" got"${a[1]}"`, 'NONE');
    case 'user':
      return s(lookupName('/etc/passwd', 'name', process.getuid!()) ?? String(process.getuid!()));
    case 'userid':
      return int(process.getuid!());
    case 'group':
      return s(lookupName('/etc/group', 'name', process.getgid!()) ?? String(process.getgid!()));
    case 'groupid':
      return int(process.getgid!());
    case 'groups':
      return ok(interp, listOf(process.getgroups!().map((g) => lookupName('/etc/group', 'name', g) ?? String(g))));
    case 'groupids':
      return ok(interp, listOf(process.getgroups!().map(String)));
    case 'host':
      return s(os.hostname());
    case 'effective':
      switch (a[1]) {
        case 'user': return s(lookupName('/etc/passwd', 'name', process.geteuid!()) ?? String(process.geteuid!()));
        case 'userid': return int(process.geteuid!());
        case 'group': return s(lookupName('/etc/group', 'name', process.getegid!()) ?? String(process.getegid!()));
        case 'groupid': return int(process.getegid!());
        default: throw new TclError(`third arg must be one of "user", "userid", "group", or "groupid"`, 'NONE');
      }
    case 'convert': {
      if (a.length !== 3) tclxWrongArgs(objv, 'convert type value');
      const table = a[1] === 'user' || a[1] === 'userid' ? '/etc/passwd' : '/etc/group';
      const r = a[1] === 'userid' || a[1] === 'groupid' ? lookupName(table, 'name', a[2]) : lookupName(table, 'id', a[2]);
      if (r === null) throw new TclError(`unknown ${a[1].replace('id', ' id')} "${a[2]}"`, 'NONE');
      return s(r);
    }
    default:
      throw new TclError('second arg must be one of "convert", "effective", "process", "user", "userid", "group", "groupid", "groups", "groupids", or "host"', 'NONE');
  }
}

// ------------------------------------------------------------------ execl

function execlCmd(interp: Interp, objv: TclObj[]): number {
  let i = 1;
  let argv0: string | null = null;
  if (i < objv.length && objv[i].toString() === '-argv0') {
    if (i + 1 >= objv.length) tclxWrongArgs(objv, '?-argv0 argv0? prog ?argList?');
    argv0 = objv[i + 1].toString();
    i += 2;
  }
  const rest = objv.length - i;
  if (rest < 1 || rest > 2) tclxWrongArgs(objv, '?-argv0 argv0? prog ?argList?');
  const prog = objv[i].toString();
  const args = rest === 2 ? getList(objv[i + 1]).map((o) => o.toString()) : [];
  for (const hook of interp.forkHooks) hook();
  try {
    native.execv(prog, argv0 ?? prog, args);
  } catch (e) {
    throw posixError(`exec of "${prog}" failed`, errnoCodeOf(e));
  }
  return ok(interp, TclObj.EMPTY);
}

export function initTclx(interp: Interp): void {
  const table: Record<string, (ip: Interp, objv: TclObj[]) => number> = {
    fork: forkCmd,
    wait: waitCmd,
    kill: killCmd,
    signal: signalCmd,
    sleep: sleepCmd,
    alarm: alarmCmd,
    id: idCmd,
    execl: execlCmd,
  };
  for (const [name, proc] of Object.entries(table)) interp.createCommand(name, proc);
}

registerBuiltinPackage({ name: 'Tclx', version: '8.4', init: initTclx, libraryPattern: /^libtclx[\d.]*\.so$/ });
