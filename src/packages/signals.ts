/**
 * Signal traps for TclX's `signal` command. The native layer counts caught signals in a shared
 * array and wakes the event loop through a self-pipe; the interpreter checks the array at safe
 * points (after each command, at loop back edges, when the event loop wakes) and runs the trap
 * scripts here, as TclX's async handler does.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { OK, ERROR } from '../engine/codes.js';
import type { Interp } from '../engine/interp.js';
import * as native from '../native/index.js';

export type SignalAction = 'default' | 'ignore' | 'error' | 'trap';

export interface SignalEntry {
  action: SignalAction;
  command: TclObj | null;
  restart: boolean;
}

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

/** TclX's symbolic name of a signal number ("SIGUSR1"). */
export function signalName(signo: number): string {
  return names().get(signo) ?? `signal ${signo}`;
}

/** Parse a signal name (with or without SIG) or number, as TclX accepts them. */
export function parseSignal(word: string): number {
  if (/^\d+$/.test(word)) {
    const n = parseInt(word, 10);
    if (names().has(n)) return n;
    throw new TclError(`invalid signal "${word}"`, 'NONE');
  }
  const bare = word.startsWith('SIG') ? word.slice(3) : word;
  if (native.TCLX_SIGNAL_NAMES.includes(bare)) return native.signalNames()[bare];
  throw new TclError(`invalid signal "${word}"`, 'NONE');
}

/** All signals TclX can handle (for `*`). */
export function allSignals(): number[] {
  return [...names().keys()].sort((a, b) => a - b);
}

export class SignalTable {
  readonly entries = new Map<number, SignalEntry>();

  constructor(private readonly interp: Interp) {}

  entry(signo: number): SignalEntry {
    return this.entries.get(signo) ?? { action: 'default', command: null, restart: false };
  }

  set(signo: number, action: SignalAction, command: TclObj | null, restart: boolean): void {
    const disposition = action === 'trap' || action === 'error' ? 'trap' : action;
    try {
      native.signalAction(signo, disposition, restart);
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'EINVAL';
      throw new TclError(`invalid argument while setting ${signalName(signo)}`, `POSIX ${code} {invalid argument}`);
    }
    this.entries.set(signo, { action, command, restart });
    if (disposition === 'trap') this.enableAsync();
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
   * Run the traps for every pending signal. `code` is the completion code of the command that
   * just finished; an error from a trap replaces it, or goes to the background-error handler when
   * the event loop (not a command) is running.
   */
  process(interp: Interp, code: number, inEventLoop: boolean): number {
    const pending = native.takeSignals();
    if (pending.length === 0) return code;
    const savedResult = interp.result;
    for (const signo of pending) {
      const e = this.entry(signo);
      let failed = false;
      if (e.action === 'error') {
        interp.result = TclObj.fromString(`${signalName(signo)} signal received`);
        interp.errorCode = `POSIX SIG ${signalName(signo)}`;
        interp.errorInfo = null;
        failed = true;
      } else if (e.action === 'trap' && e.command !== null) {
        failed = this.runTrap(interp, signo, e.command) === ERROR;
      }
      if (failed) {
        if (inEventLoop) {
          interp.reportBackgroundError();
          continue;
        }
        return ERROR;
      }
    }
    interp.result = savedResult;
    return code;
  }

  private runTrap(interp: Interp, signo: number, command: TclObj): number {
    let script: string;
    try {
      script = formatTrap(command.toString(), signalName(signo));
    } catch (e) {
      if (!(e instanceof TclError)) throw e;
      interp.result = TclObj.fromString(e.message);
      return ERROR;
    }
    const saved = interp.varFrame;
    interp.varFrame = interp.globalFrame;
    let code: number;
    try {
      code = interp.evalObj(TclObj.fromString(script));
    } finally {
      interp.varFrame = saved;
    }
    if (code === ERROR) interp.addErrorInfo(`\n    while executing signal trap code for ${signalName(signo)} signal`);
    return code === ERROR ? ERROR : OK;
  }
}

/** Replace %S with the signal name and %% with %, with TclX's error for other % forms. */
function formatTrap(cmd: string, name: string): string {
  let out = '';
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const n = cmd[i + 1];
    if (n === 'S') out += name;
    else if (n === '%') out += '%';
    else throw new TclError(`bad signal trap command formatting specification "%${n ?? ''}", expected one of "%%" or "%S"`);
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
