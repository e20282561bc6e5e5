/**
 * The TclX 8.4 process-control commands: fork, wait, kill, signal, sleep, alarm, id, execl. Messages
 * and errorCodes follow TclX ("wrong # args: fork" without "should be" is TclX's own style).
 *
 * TclX's fork leaves buffered output to be written by both processes; tclshim's fork flushes every
 * channel first (compat/known-differences.txt). execl, like TclX's, loses unflushed output.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { getDouble, getInt32 } from '../values/number.js';
import { OK } from '../engine/codes.js';
import type { Interp } from '../engine/interp.js';
import { registerBuiltinPackage } from '../commands/package.js';
import { posixError, posixErrorCode, posixMessage, errnoCodeOf } from '../io/errno.js';
import * as native from '../native/index.js';
import { parseSignalList, parseSignalSpec, signalName, signalTable, Disposition } from './signals.js';
import { idCmd, tclxWrongArgs } from './tclxid.js';
import { byName } from './userdb.js';
import { homeLookup, joinPath, splitPath } from '../io/paths.js';
import { flushAllChannels } from '../io/table.js';
import { exitCmd } from '../commands/chan.js';

function ok(interp: Interp, v: TclObj): number {
  interp.result = v;
  return OK;
}

// ------------------------------------------------------------------ fork

/** How often fork tries again when the native layer could not park Node's workers in time. */
const FORK_ATTEMPTS = 30;

/** Thrown instead of leaving the process while the parent rehearses a child's exit. */
const EXIT_REHEARSAL = Symbol('exit rehearsal');
let rehearsing = false;
let childExitRehearsed = false;
const forkAwareHandlers = new WeakSet<(code: number) => never>();

/**
 * Tcl_Exit in a forked child: the exit handlers (they flush the channels), then _exit at once, as
 * C's exit() would. Unwinding the Tcl stack through JavaScript first would only fault in pages the
 * child never needs, and Node's own exit path is not for a forked child.
 */
function leaveForkedChild(interp: Interp, code: number): never {
  const status = interp.finish(code);
  if (rehearsing) throw EXIT_REHEARSAL;
  return native._exit(status);
}

/**
 * Makes the interpreter's exit handler leave through leaveForkedChild in a forked child. It is
 * installed in the parent, before forking: every store a child makes to an object for the first
 * time changes the object's hidden class and misses an inline cache, and each of those writes
 * pages that the child then has to copy.
 */
function installForkAwareExit(interp: Interp): void {
  if (forkAwareHandlers.has(interp.exitHandler)) return;
  const inParent = interp.exitHandler;
  const handler = (code: number): never =>
    native.isForkedChild() || rehearsing ? leaveForkedChild(interp, code) : inParent(code);
  forkAwareHandlers.add(handler);
  interp.exitHandler = handler;
}

/**
 * JavaScript that runs for the first time writes many pages (V8 parses and compiles it and fills
 * its inline caches), and a child copies every page it writes. A child's `exit` is the one path
 * a parent never runs, so the parent runs it once, without leaving, before its first fork.
 */
function rehearseChildExit(interp: Interp): void {
  childExitRehearsed = true;
  rehearsing = true;
  try {
    exitCmd(interp, [TclObj.fromString('exit'), TclObj.fromInt(0)]);
  } catch (e) {
    if (e !== EXIT_REHEARSAL) throw e;
  } finally {
    rehearsing = false;
  }
}

function forkCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 1) tclxWrongArgs(objv, '');
  installForkAwareExit(interp);
  if (!childExitRehearsed) rehearseChildExit(interp);
  // TclX's fork leaves buffered output in both processes, to be written twice; tclshim flushes
  // every channel first (compat/known-differences.txt). It also means the child's exit, which
  // flushes again, runs code the parent has already compiled.
  flushAllChannels(interp);
  for (const hook of interp.forkHooks) hook();
  let pid = -1;
  for (let attempt = 1; pid < 0; attempt++) {
    try {
      pid = native.fork();
    } catch (e) {
      // ETIMEDOUT: Node's worker threads were too busy (or the machine too loaded) to park within
      // the native bound. Nothing was forked, and TclX's fork has no such failure: try again.
      const code = errnoCodeOf(e);
      if (code !== 'ETIMEDOUT' || attempt >= FORK_ATTEMPTS) throw posixError('fork failed', code);
    }
  }
  return ok(interp, TclObj.fromInt(pid));
}

// ------------------------------------------------------------------ wait

const WAIT_USAGE = '?-nohang? ?-untraced? ?-pgroup? ?pid?';

function waitCmd(interp: Interp, objv: TclObj[]): number {
  let flags = 0;
  let pgroup = false;
  let i = 1;
  for (; i < objv.length; i++) {
    const a = objv[i].toString();
    if (a[0] !== '-') break;
    if (a === '-nohang' && !(flags & native.WNOHANG)) flags |= native.WNOHANG;
    else if (a === '-untraced' && !(flags & native.WUNTRACED)) flags |= native.WUNTRACED;
    else if (a === '-pgroup' && !pgroup) pgroup = true;
    else tclxWrongArgs(objv, WAIT_USAGE);
  }
  if (i < objv.length - 1) tclxWrongArgs(objv, WAIT_USAGE);
  let pid = -1;
  if (i < objv.length) {
    try {
      pid = getInt32(objv[i]);
    } catch (e) {
      if (!(e instanceof TclError)) throw e;
      throw new TclError(`invalid pid or process group id "${objv[i].toString()}"`, 'NONE');
    }
    if (pid <= 0) throw new TclError('pid or process group id must be greater than zero', 'NONE');
  }
  if (pgroup) pid = pid > 0 ? -pid : 0;
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

/** TclXOSkill's description of the target of kill(2). */
function killTarget(pid: number): string {
  if (pid > 0) return ` to process ${pid}`;
  if (pid === 0) return ` to current process group (${native.getpgrp()})`;
  if (pid === -1) return ' to all processess ';
  return ` to process group ${-pid | 0}`;
}

function killCmd(interp: Interp, objv: TclObj[]): number {
  const usage = '?-pgroup? ?signal? idlist';
  if (objv.length < 2) tclxWrongArgs(objv, usage);
  let i = 1;
  const pgroup = objv[1].toString() === '-pgroup';
  if (pgroup) i++;
  const rest = objv.length - i;
  if (rest < 1 || rest > 2) tclxWrongArgs(objv, usage);
  const signo = rest === 1 ? native.signalNames().TERM : parseSignalSpec(objv[i++].toString(), true);
  for (const idObj of getList(objv[i])) {
    let pid = getInt32(idObj);
    if (pgroup) pid = -pid | 0;
    try {
      native.kill(pid, signo);
    } catch (e) {
      const code = errnoCodeOf(e);
      // TclX passes a NULL name for signal 0, which ends that append: the name is just left out.
      const name = signo === 0 ? '' : signalName(signo);
      throw new TclError(`sending signal ${name}${killTarget(pid)} failed: ${posixMessage(code)}`, posixErrorCode(code));
    }
  }
  return ok(interp, TclObj.EMPTY);
}

// ------------------------------------------------------------------ signal

const SIGNAL_USAGE = '?-restart? action signalList ?command?';

function signalCmd(interp: Interp, objv: TclObj[]): number {
  let i = 1;
  let restart = false;
  for (; i < objv.length; i++) {
    const a = objv[i].toString();
    if (a[0] !== '-') break;
    if (a !== '-restart') throw new TclError(`invalid option "${a}", expected -restart`, 'NONE');
    restart = true;
  }
  const nargs = objv.length - i;
  if (nargs < 2 || nargs > 3) tclxWrongArgs(objv, SIGNAL_USAGE);
  const action = objv[i].toString();
  const notValid = () => new TclError(`command may not be specified for "${action}" action`, 'NONE');
  const table = signalTable(interp);
  if (action === 'set') {
    if (nargs !== 2) throw notValid();
    table.setStates(objv[i + 1]);
    return ok(interp, TclObj.EMPTY);
  }
  const signals = parseSignalList(objv[i + 1]);
  if (action === 'trap') {
    if (nargs !== 3) throw new TclError('command required for trapping signals', 'NONE');
    table.setActions(signals, 'trap', restart, objv[i + 2].toString());
    return ok(interp, TclObj.EMPTY);
  }
  if (nargs !== 2) throw notValid();
  let disposition: Disposition;
  switch (action) {
    case 'default':
    case 'ignore':
      disposition = action;
      break;
    case 'error':
      disposition = 'trap';
      break;
    case 'get':
      return ok(interp, table.states(signals));
    case 'block':
    case 'unblock':
      native.signalBlock(signals, action === 'block');
      return ok(interp, TclObj.EMPTY);
    default:
      throw new TclError(
        `invalid signal action specified: ${action}: expected one of "default", "ignore", "error", "trap", "get", "set", "block", or "unblock"`,
        'NONE',
      );
  }
  table.setActions(signals, disposition, restart, null);
  return ok(interp, TclObj.EMPTY);
}

// ------------------------------------------------------------------ sleep / alarm

// Made on first use: SharedArrayBuffer does not exist while the start-up snapshot is built.
let sleepCell: Int32Array | null = null;

/**
 * TclX sleeps whole seconds ((int) of the argument) through Tcl_Sleep, which sleeps the full time
 * even when a signal arrives: a trap runs after the sleep, as the command's async check. A futex
 * wait that nothing ever wakes is exactly that.
 */
function sleepCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) tclxWrongArgs(objv, 'seconds');
  const seconds = getDouble(objv[1]);
  // C's (int) of an out-of-range double is INT_MIN on x86; times 1000 as int arithmetic.
  const whole = Number.isFinite(seconds) && Math.abs(seconds) < 2147483648 ? Math.trunc(seconds) : -2147483648;
  const ms = Math.imul(whole, 1000);
  if (ms > 0) Atomics.wait((sleepCell ??= new Int32Array(new SharedArrayBuffer(4))), 0, 0, ms);
  return ok(interp, TclObj.EMPTY);
}

function alarmCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) tclxWrongArgs(objv, 'seconds');
  const seconds = getDouble(objv[1]);
  if (!(seconds >= 0)) throw posixError('unable to obtain timer', 'EINVAL');
  // setitimer gets whole microseconds, cut (not rounded) as TclX computes them.
  const whole = Math.floor(seconds);
  const usec = Math.trunc((seconds - whole) * 1e6);
  let left: number;
  try {
    left = native.alarm(whole + usec / 1e6);
  } catch (e) {
    throw posixError('unable to obtain timer', (e as { code?: string }).code === undefined ? 'EINVAL' : errnoCodeOf(e));
  }
  return ok(interp, TclObj.fromDouble(left));
}

// ------------------------------------------------------------------ execl

/**
 * Tcl_TranslateFileName on Unix: tilde substitution (HOME from the Tcl env array), and the path
 * rejoined from its components as `file join [file split ...]` would.
 */
function translateFileName(name: string): string {
  if (name[0] !== '~') return joinPath(splitPath(name));
  const slash = name.indexOf('/');
  const user = slash < 0 ? name.slice(1) : name.slice(1, slash);
  const rest = slash < 0 ? '' : name.slice(slash);
  let home: string;
  if (user === '') {
    const h = homeLookup();
    if (h === undefined) throw new TclError("couldn't find HOME environment variable to expand path", 'TCL VALUE PATH HOMELESS');
    home = h;
  } else {
    const e = byName('user', user);
    if (e === null) throw new TclError(`user "${user}" doesn't exist`, 'TCL VALUE PATH NOUSER');
    home = e.home;
  }
  return joinPath([...splitPath(home), ...splitPath(rest.replace(/^\/+/, ''))]);
}

/**
 * The program execl starts gets the C environment; Tcl keeps it equal to the env array at all
 * times, tclshim copies the array over just before the exec.
 */
function exportEnvironment(interp: Interp): void {
  const v = interp.globalNs.vars.get('env');
  if (v === undefined || v.arr === null) return;
  const names = new Map<string, string>();
  for (const [k, e] of v.arr) if (e.value !== null) names.set(k, e.value.toString());
  for (const k of Object.keys(process.env)) if (!names.has(k)) delete process.env[k];
  for (const [k, val] of names) if (process.env[k] !== val) process.env[k] = val;
}

function execlCmd(interp: Interp, objv: TclObj[]): number {
  const usage = '?-argv0 argv0? prog ?argList?';
  if (objv.length < 2) tclxWrongArgs(objv, usage);
  let i = 1;
  let argv0: string | null = null;
  if (objv[1].toString() === '-argv0') {
    i++;
    if (i === objv.length) tclxWrongArgs(objv, usage);
    argv0 = objv[i++].toString();
  }
  if (i === objv.length || i < objv.length - 2) tclxWrongArgs(objv, usage);
  const path = translateFileName(objv[i++].toString());
  const args = i < objv.length ? getList(objv[i]).map((o) => o.toString()) : [];
  for (const hook of interp.forkHooks) hook();
  exportEnvironment(interp);
  try {
    native.execv(path, argv0 ?? path, args);
  } catch (e) {
    throw posixError(`exec of "${path}" failed`, errnoCodeOf(e));
  }
  return ok(interp, TclObj.EMPTY);
}

// ------------------------------------------------------------------ package

export function initTclx(interp: Interp): void {
  interp.createCommand('fork', forkCmd);
  interp.createCommand('wait', waitCmd);
  interp.createCommand('kill', killCmd);
  interp.createCommand('signal', signalCmd);
  interp.createCommand('sleep', sleepCmd);
  interp.createCommand('alarm', alarmCmd);
  interp.createCommand('id', idCmd);
  interp.createCommand('execl', execlCmd);
  // Tcl ignores SIGPIPE with signal(), which sets SA_RESTART; `signal get` shows that flag.
  native.signalAction(native.signalNames().PIPE, 'ignore', true);
}

registerBuiltinPackage({ name: 'Tclx', version: '8.4', init: initTclx, libraryPattern: /^libtclx[\d.]*\.so$/ });
