/**
 * Child processes for exec and command pipelines: Tcl's signal names and messages
 * (Tcl_SignalId/Tcl_SignalMsg), waiting for children and turning their status into Tcl's error
 * text and errorCode (TclCleanupChildren), and reaping detached children (Tcl_DetachPids).
 */
import * as native from '../native/index.js';
import { formatStringList } from '../values/listFormat.js';

const SIGNAL_IDS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  11: 'SIGSEGV',
  12: 'SIGUSR2',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
  17: 'SIGCHLD',
  18: 'SIGCONT',
  19: 'SIGSTOP',
  20: 'SIGTSTP',
  21: 'SIGTTIN',
  22: 'SIGTTOU',
  23: 'SIGURG',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
  26: 'SIGVTALRM',
  27: 'SIGPROF',
  28: 'SIGWINCH',
  29: 'SIGIO',
  30: 'SIGPWR',
  31: 'SIGSYS',
};

const SIGNAL_MSGS: Record<number, string> = {
  1: 'hangup',
  2: 'interrupt',
  3: 'quit signal',
  4: 'illegal instruction',
  5: 'trace trap',
  6: 'SIGABRT',
  7: 'bus error',
  8: 'floating-point exception',
  9: 'kill signal',
  10: 'user-defined signal 1',
  11: 'segmentation violation',
  12: 'user-defined signal 2',
  13: 'write on pipe with no readers',
  14: 'alarm clock',
  15: 'software termination signal',
  17: 'child status changed',
  18: 'continue after stop',
  19: 'stop',
  20: 'stop signal from tty',
  21: 'background tty read',
  22: 'background tty write',
  23: 'urgent I/O condition',
  24: 'exceeded CPU time limit',
  25: 'exceeded file size limit',
  26: 'virtual time alarm',
  27: 'profiling alarm',
  28: 'window changed',
  29: 'input/output possible on file',
  30: 'power-fail restart',
  31: 'bad argument to system call',
};

/** Tcl_SignalId. */
export function signalId(sig: number): string {
  return SIGNAL_IDS[sig] ?? 'unknown signal';
}

/** Tcl_SignalMsg. */
export function signalMsg(sig: number): string {
  return SIGNAL_MSGS[sig] ?? 'unknown signal';
}

/** waitpid that retries when a trapped signal interrupts it. */
export function waitChild(pid: number): native.WaitResult | null {
  for (;;) {
    try {
      return native.waitpid(pid, 0);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'EINTR') continue;
      if (code === 'ECHILD') return null;
      throw e;
    }
  }
}

/** The outcome of waiting for a pipeline's children. */
export interface ChildReport {
  /** Error text for abnormal ends ("child killed: ..."), without stderr output. */
  abnormalText: string;
  /** Whether some child ended abnormally (exit status or signal). */
  failed: boolean;
  /** The errorCode of the last abnormal child, or null. */
  errorCode: string | null;
}

/**
 * Wait for every child and describe abnormal ends as TclCleanupChildren does: the errorCode of the
 * last one, and the message used when the children wrote nothing on stderr.
 */
export function waitChildren(pids: readonly number[]): ChildReport {
  let failed = false;
  let errorCode: string | null = null;
  let text = '';
  for (const pid of pids) {
    const r = waitChild(pid);
    if (r === null) continue;
    const [, kind, value] = r;
    if (kind === 'EXIT') {
      if (value !== 0) {
        failed = true;
        errorCode = `CHILDSTATUS ${pid} ${value}`;
        text = 'child process exited abnormally';
      }
    } else if (kind === 'SIG') {
      failed = true;
      errorCode = `CHILDKILLED ${pid} ${signalId(value)} ${formatStringList([signalMsg(value)])}`;
      text = `child killed: ${signalMsg(value)}`;
    } else {
      failed = true;
      errorCode = `CHILDSUSP ${pid} ${signalId(value)} ${formatStringList([signalMsg(value)])}`;
      text = `child suspended: ${signalMsg(value)}`;
    }
  }
  return { abnormalText: text, failed, errorCode };
}

// ------------------------------------------------------------------ detached children

const detached: number[] = [];

/** Tcl_DetachPids: nobody will wait for these; reap them when they end. */
export function detachPids(pids: readonly number[]): void {
  for (const p of pids) detached.push(p);
}

/** Tcl_ReapDetachedProcs. */
export function reapDetached(): void {
  for (let i = detached.length - 1; i >= 0; i--) {
    let r: native.WaitResult | null = null;
    try {
      r = native.waitpid(detached[i], native.WNOHANG);
    } catch {
      // Already reaped elsewhere (TclX wait): forget it.
      detached.splice(i, 1);
      continue;
    }
    if (r !== null && r[1] !== 'STOP') detached.splice(i, 1);
  }
}
