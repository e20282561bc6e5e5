/**
 * Signals as TclX 8.4 handles them: its names and number parsing, the per-signal trap commands, and
 * the processing of caught signals. The native layer counts caught signals in a shared array and
 * wakes the event loop through a self-pipe; the interpreter checks the array at safe points (after
 * each command, at loop back edges, when the event loop wakes) and calls `process` here, as Tcl
 * calls TclX's async handler.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { getBoolean } from '../values/number.js';
import { OK, ERROR } from '../engine/codes.js';
import type { Interp, ReturnState } from '../engine/interp.js';
import { errnoCodeOf, posixErrorCode, posixMessage } from '../io/errno.js';
import * as native from '../native/index.js';

/** The OS-level disposition TclX gives a signal (`error` and `trap` share the trap handler). */
export type Disposition = 'default' | 'ignore' | 'trap';

// ------------------------------------------------------------------ names and numbers

/** Aliases in TclX's name table that never name a number (Tcl_SignalId uses the main name). */
const ALIASES = new Set(['CLD', 'IOT', 'POLL']);
let numberToName: Map<number, string> | null = null;

function names(): Map<number, string> {
  if (numberToName === null) {
    numberToName = new Map();
    const table = native.signalNames();
    for (const name of native.TCLX_SIGNAL_NAMES) {
      if (ALIASES.has(name)) continue;
      numberToName.set(table[name], 'SIG' + name);
    }
  }
  return numberToName;
}

/** Tcl_SignalId: "SIGUSR1", or "unknown signal" for numbers Tcl has no name for. */
export function signalName(signo: number): string {
  return names().get(signo) ?? 'unknown signal';
}

/** A signal number Tcl names (and so TclX accepts as a number). */
function isKnownSignal(signo: number): boolean {
  return names().has(signo);
}

/** SigNameToNum: case-insensitive, "SIG" optional, at most 9 characters; -1 when not a name. */
export function signalByName(word: string): number {
  if (word.length > 9) return -1;
  let up = '';
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    up += c >= 97 && c <= 122 ? String.fromCharCode(c - 32) : word[i];
  }
  const bare = up.startsWith('SIG') ? up.slice(3) : up;
  if (!native.TCLX_SIGNAL_NAMES.includes(bare)) return -1;
  return native.signalNames()[bare];
}

function invalidSignal(word: string): never {
  throw new TclError(`invalid signal "${word}"`, 'NONE');
}

const C_SPACE = ' \t\n\v\f\r';

/** Digits of `s` from `i` in `base` (strtoul's rules); [value, end]; value is null past 2^64-1. */
function strtoulDigits(s: string, i: number, base: number): [bigint | null, number] {
  let v = 0n;
  const b = BigInt(base);
  const start = i;
  for (; i < s.length; i++) {
    const d = parseInt(s[i], 36);
    if (Number.isNaN(d) || d >= base) break;
    v = v * b + BigInt(d);
  }
  if (i === start) return [0n, -1];
  return [v > 0xffffffffffffffffn ? null : v, i];
}

/**
 * TclX_StrToInt(s, 0): strtoul with base prefixes, surrounding white space and one sign, the value
 * cut to a C int. Null when `s` is not such a number.
 */
export function parseCInt(s: string): number | null {
  let i = 0;
  while (i < s.length && C_SPACE.includes(s[i])) i++;
  let negate = false;
  if (s[i] === '-' || s[i] === '+') {
    negate = s[i] === '-';
    i++;
  }
  // strtoul itself skips more white space and takes a sign of its own.
  while (i < s.length && C_SPACE.includes(s[i])) i++;
  let innerNegate = false;
  if (s[i] === '-' || s[i] === '+') {
    innerNegate = s[i] === '-';
    i++;
  }
  let value: bigint | null;
  let end: number;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    [value, end] = strtoulDigits(s, i + 2, 16);
  } else if (s[i] === '0') {
    [value, end] = strtoulDigits(s, i, 8);
  } else {
    [value, end] = strtoulDigits(s, i, 10);
  }
  if (end < 0 || value === null) return null;
  while (end < s.length && C_SPACE.includes(s[end])) end++;
  if (end !== s.length) return null;
  if (innerNegate) value = BigInt.asUintN(64, -value);
  let n = Number(BigInt.asIntN(32, value));
  if (negate) n = -n | 0;
  return n;
}

/** ParseSignalSpec: a signal number Tcl names (or 0 when allowed), else a signal name. */
export function parseSignalSpec(word: string, allowZero: boolean): number {
  const n = parseCInt(word);
  if (n !== null) {
    if (allowZero && n === 0) return 0;
    if (isKnownSignal(n)) return n;
  }
  const byName = signalByName(word);
  if (byName < 0) invalidSignal(word);
  return byName;
}

/** ParseSignalList: the signals of a list (or `*`), ascending and without repeats. */
export function parseSignalList(o: TclObj): number[] {
  const words = getList(o);
  if (words.length === 0) throw new TclError('signal list may not be empty', 'NONE');
  const wildcard = () => new TclError('when "*" is specified in the signal list, no other signals may be specified', 'NONE');
  if (words[0].toString() === '*') {
    if (words.length !== 1) throw wildcard();
    const table = native.signalNames();
    return allSignals().filter((s) => s !== table.KILL && s !== table.STOP);
  }
  const seen = new Set<number>();
  for (const w of words) {
    const s = w.toString();
    if (s === '*') throw wildcard();
    seen.add(parseSignalSpec(s, false));
  }
  return [...seen].sort((a, b) => a - b);
}

/** Every signal TclX knows, ascending. */
export function allSignals(): number[] {
  return [...names().keys()].sort((a, b) => a - b);
}

// ------------------------------------------------------------------ interpreter state around traps

/** What a trap must not disturb: the result and error state of the command it interrupted. */
interface SavedState {
  result: TclObj;
  errorInfo: string | null;
  errorCode: string;
  errAlreadyLogged: boolean;
  errorLine: number;
  errorStack: string[];
  returnState: ReturnState;
  errorInfoVar: TclObj | null;
  errorCodeVar: TclObj | null;
}

function readGlobal(interp: Interp, name: string): TclObj | null {
  const v = interp.globalNs.vars.get(name);
  return v === undefined || v.value === null ? null : v.value;
}

function writeGlobal(interp: Interp, name: string, value: TclObj): void {
  const saved = interp.varFrame;
  interp.varFrame = interp.globalFrame;
  try {
    interp.setVar('::' + name, value, null);
  } catch (e) {
    // A trace on errorInfo/errorCode that fails must not turn a handled signal into a crash.
    if (!(e instanceof TclError)) throw e;
  } finally {
    interp.varFrame = saved;
  }
}

function saveState(interp: Interp): SavedState {
  const rs = interp.returnState;
  return {
    result: interp.result,
    errorInfo: interp.errorInfo,
    errorCode: interp.errorCode,
    errAlreadyLogged: interp.errAlreadyLogged,
    errorLine: interp.errorLine,
    errorStack: interp.errorStack,
    returnState: { code: rs.code, level: rs.level, options: rs.options },
    errorInfoVar: readGlobal(interp, 'errorInfo'),
    errorCodeVar: readGlobal(interp, 'errorCode'),
  };
}

/** TclX_RestoreResultErrorInfo: the globals come back too (as "" if they did not exist). */
function restoreState(interp: Interp, s: SavedState): void {
  writeGlobal(interp, 'errorCode', s.errorCodeVar ?? TclObj.EMPTY);
  writeGlobal(interp, 'errorInfo', s.errorInfoVar ?? TclObj.EMPTY);
  interp.result = s.result;
  interp.errorInfo = s.errorInfo;
  interp.errorCode = s.errorCode;
  interp.errAlreadyLogged = s.errAlreadyLogged;
  interp.errorLine = s.errorLine;
  interp.errorStack = s.errorStack;
  interp.returnState = s.returnState;
}

/** Tcl_ResetResult as a trap sees it: empty result, no error in progress. */
function resetForTrap(interp: Interp): void {
  interp.result = TclObj.EMPTY;
  interp.resetError();
  interp.errorCode = 'NONE';
  interp.returnState = { code: OK, level: 1, options: [] };
}

// ------------------------------------------------------------------ the table

/**
 * Trap commands per signal and the signals caught but not yet handled. The disposition itself lives
 * in the kernel (sigaction) and is read back from there, as TclX does.
 */
export class SignalTable {
  /**
   * Trap command per signal (kept as one value so a command without %S compiles once); a signal
   * with the trap handler and no command is in "error" mode.
   */
  private readonly commands = new Map<number, TclObj>();
  /** Caught signals taken from the native counters but not processed yet (index = signal). */
  private readonly received = new Int32Array(native.NSIG);
  /** A pass is running (Tcl_AsyncInvoke's own guard). */
  private active = false;

  constructor(private readonly interp: Interp) {}

  /** SetSignalActions: install `disposition` (and the trap command, or none) on each signal. */
  setActions(signals: readonly number[], disposition: Disposition, restart: boolean, command: string | null): void {
    for (const signo of signals) {
      if (command === null) this.commands.delete(signo);
      else this.commands.set(signo, TclObj.fromString(command));
      try {
        native.signalAction(signo, disposition, restart);
      } catch (e) {
        const code = errnoCodeOf(e);
        throw new TclError(`${posixMessage(code)} while setting ${signalName(signo)}`, posixErrorCode(code));
      }
      if (disposition === 'trap') this.enableAsync();
    }
  }

  /** FormatSignalListEntry: `{SIGNAME {action blocked command restart}}` for each signal. */
  states(signals: readonly number[]): TclObj {
    const out: TclObj[] = [];
    for (const signo of signals) {
      const [os, blocked, restart] = native.signalInfo(signo);
      const command = this.commands.get(signo);
      let action: string;
      if (os === 'trap') action = command === undefined ? 'error' : 'trap';
      else if (os === 'ignore') action = 'ignore';
      // "handler" is one of Node's own (SIGINT, SIGTERM, SIGSEGV), which act as the default does.
      else action = 'default';
      const state = [
        TclObj.fromString(action),
        TclObj.fromBool(blocked),
        command === undefined ? TclObj.EMPTY : TclObj.fromString(command.toString()),
        TclObj.fromBool(restart),
      ];
      out.push(TclObj.fromList([TclObj.fromString(signalName(signo)), TclObj.fromList(state)]));
    }
    return TclObj.fromList(out);
  }

  /** SetSignalStates: apply a keyed list as `states` returns it. */
  setStates(keyed: TclObj): void {
    const entries: Array<[string, TclObj]> = [];
    const last = new Map<string, TclObj>();
    for (const entry of getList(keyed)) {
      let kv: readonly TclObj[] | null = null;
      try {
        kv = getList(entry);
      } catch (e) {
        if (!(e instanceof TclError)) throw e;
      }
      if (kv === null || kv.length !== 2) {
        throw new TclError(`keyed list entry must be a valid, 2 element list, got "${entry.toString()}"`, 'NONE');
      }
      const key = kv[0].toString();
      if (key.length === 0) throw new TclError('keyed list key may not be an empty string', 'NONE');
      if (key.includes('.')) {
        throw new TclError('keyed list key may not contain a "."; it is used as a separator in key paths', 'NONE');
      }
      entries.push([key, kv[1]]);
      last.set(key, kv[1]);
    }
    // A repeated key reads as its last value, once per occurrence (TclX's keyed list lookup).
    for (const [key] of entries) this.setState(key, last.get(key)!);
  }

  /** ProcessSignalListEntry. */
  private setState(name: string, stateObj: TclObj): void {
    const state = getList(stateObj);
    const invalid = () => new TclError(`invalid signal keyed list entry for ${name}`, 'NONE');
    if (state.length < 2 || state.length > 4) throw invalid();
    const signo = signalByName(name);
    if (signo < 0) invalidSignal(name);
    const action = state[0].toString();
    let command: string | null = state.length > 2 ? state[2].toString() : null;
    if (command === '') command = null;
    // An action TclX does not know leaves its handler pointer NULL, which is SIG_DFL.
    let disposition: Disposition = 'default';
    switch (action) {
      case 'default':
      case 'ignore':
      case 'error':
        if (command !== null) throw invalid();
        disposition = action === 'error' ? 'trap' : action;
        break;
      case 'trap':
        if (command === null) throw invalid();
        disposition = 'trap';
        break;
      case 'unknown':
        if (command !== null) throw invalid();
        return;
    }
    const blocked = getBoolean(state[1]);
    const restart = state.length > 3 ? getBoolean(state[3]) : false;
    if (blocked) native.signalBlock([signo], true);
    this.setActions([signo], disposition, restart, command);
    if (!blocked) native.signalBlock([signo], false);
  }

  private enableAsync(): void {
    const interp = this.interp;
    if (interp.asyncView === null) {
      interp.asyncView = native.signalPending();
      interp.asyncHandler = (ip, code, inEventLoop) => this.process(ip, code, inEventLoop);
      interp.asyncWakeFd = native.signalPipeFd();
    }
  }

  /**
   * Tcl_AsyncInvoke over ProcessSignals: pass after pass over the caught signals, lowest number
   * first, each trap as many times as its signal arrived, until none is left. `code` is the
   * completion code of the command that just finished; a trap's error replaces it and ends that
   * pass (the next pass sees the error as the code to preserve). In the event loop, an error goes
   * to the background-error handler instead. Handlers do not nest: signals caught while a trap
   * runs wait for the next pass.
   */
  process(interp: Interp, code: number, inEventLoop: boolean): number {
    if (this.active) return code;
    this.active = true;
    try {
      while (this.takePending()) code = this.pass(interp, code, inEventLoop);
    } finally {
      this.active = false;
    }
    return code;
  }

  /** Move the native counters into `received`; true when any signal is waiting. */
  private takePending(): boolean {
    const received = this.received;
    for (const signo of native.takeSignals()) received[signo]++;
    for (let s = 1; s < received.length; s++) if (received[s] !== 0) return true;
    return false;
  }

  /** One ProcessSignals call. */
  private pass(interp: Interp, code: number, inEventLoop: boolean): number {
    const received = this.received;
    const saved = saveState(interp);
    let failed = false;
    for (let s = 1; s < received.length && !failed; s++) {
      if (received[s] !== 0) failed = this.processOne(interp, s);
    }
    if (failed && !inEventLoop) return ERROR;
    if (failed) interp.reportBackgroundError();
    restoreState(interp, saved);
    // Tcl's restore goes through Tcl_ResetResult, which loses the errorCode of a command that
    // failed just as the signal came: tclsh reports such an error with errorCode NONE.
    if (code === ERROR) interp.errorCode = 'NONE';
    return code;
  }

  /** ProcessASignal; true when it left an error in the interpreter. */
  private processOne(interp: Interp, signo: number): boolean {
    const command = this.commands.get(signo);
    if (command === undefined) {
      this.received[signo] = 0;
      interp.resetError();
      interp.result = TclObj.fromString(`${signalName(signo)} signal received`);
      interp.errorCode = `POSIX SIG ${signalName(signo)}`;
      writeGlobal(interp, 'errorInfo', TclObj.EMPTY);
      return true;
    }
    while (this.received[signo] > 0) {
      this.received[signo]--;
      if (this.runTrap(interp, signo, command) === ERROR) return true;
    }
    return false;
  }

  /** EvalTrapCode: the formatted command at global level; any code but an error counts as done. */
  private runTrap(interp: Interp, signo: number, command: TclObj): number {
    resetForTrap(interp);
    if (evalTrap(interp, signo, command) !== ERROR) return OK;
    interp.addErrorInfo(`\n    while executing signal trap code for ${signalName(signo)} signal`);
    return ERROR;
  }
}

function evalTrap(interp: Interp, signo: number, command: TclObj): number {
  let script = command;
  const text = command.toString();
  if (text.indexOf('%') >= 0) {
    try {
      script = TclObj.fromString(formatTrap(text, signo));
    } catch (e) {
      return interp.caught(e);
    }
  }
  const saved = interp.varFrame;
  interp.varFrame = interp.globalFrame;
  try {
    return interp.evalObj(script);
  } finally {
    interp.varFrame = saved;
  }
}

/**
 * FormatTrapCode: %S becomes the signal name; %% is left as it is (TclX only skips over it); any
 * other character after % is an error.
 */
function formatTrap(cmd: string, signo: number): string {
  if (cmd.indexOf('%') < 0) return cmd;
  let out = '';
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const n = cmd[i + 1];
    if (n === '%') out += '%%';
    else if (n === 'S') out += signalName(signo);
    else throw new TclError(`bad signal trap command formatting specification "%${n ?? ''}", expected one of "%%" or "%S"`, 'NONE');
    i++;
  }
  return out;
}

export function signalTable(interp: Interp): SignalTable {
  let t = interp.assoc.get('tclx.signals') as SignalTable | undefined;
  if (t === undefined) {
    t = new SignalTable(interp);
    interp.assoc.set('tclx.signals', t);
  }
  return t;
}
