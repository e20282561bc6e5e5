/**
 * exec and command pipelines (TclCreatePipeline): `|` and `|&` between commands, the redirections
 * < <@ << > >> 2> 2>> >& >>& >@ 2>@ >&@ 2>@1, a trailing & for background, -ignorestderr and
 * -keepnewline. Children are started with posix_spawn through the addon, stderr is collected in an
 * unlinked temporary file (so a chatty child can never block on it), and the children are waited
 * for with waitpid.
 */
import * as fs from 'node:fs';
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { formatStringList } from '../values/listFormat.js';
import { OK } from '../engine/codes.js';
import { wrongNumArgs, getIndexFromTable } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';
import * as native from '../native/index.js';
import { Channel, closeQuietly, waitFd } from '../io/channel.js';
import { PipeChannel, readTempFile } from '../io/pipeChannel.js';
import { findChannel, registerChannel, claimStdSlot } from '../io/table.js';
import { errnoCodeOf, posixError } from '../io/errno.js';
import { expandTilde } from '../io/paths.js';
import { decodeUtf8 } from '../io/encoding.js';
import { waitChildren, detachPids, reapDetached } from '../io/process.js';

const EMPTY = TclObj.EMPTY;

/** Where a stream of the pipeline goes. */
type Target =
  | { kind: 'inherit' }
  | { kind: 'file'; name: string; append: boolean }
  | { kind: 'chan'; name: string }
  | { kind: 'literal'; value: string }
  | { kind: 'stdout' };

interface ParsedPipeline {
  commands: string[][];
  /** Per command: its stderr joins its stdout into the next pipe (`|&`). */
  joinErr: boolean[];
  input: Target;
  output: Target;
  error: Target;
  background: boolean;
}

function syntaxError(word: string): never {
  // Tcl reports a dangling << with the pipe-syntax errorCode.
  const code = word.startsWith('<<') ? 'TCL OPERATION EXEC PIPESYNTAX' : 'TCL OPERATION EXEC SYNTAX';
  throw new TclError(`can't specify "${word}" as last word in command`, code);
}

function pipeSyntax(): never {
  throw new TclError('illegal use of | or |& in command', 'TCL OPERATION EXEC PIPESYNTAX');
}

/** Split exec words into commands and redirections. */
export function parsePipeline(words: readonly string[], allowBackground: boolean): ParsedPipeline {
  const p: ParsedPipeline = {
    commands: [],
    joinErr: [],
    input: { kind: 'inherit' },
    output: { kind: 'inherit' },
    error: { kind: 'inherit' },
    background: false,
  };
  let n = words.length;
  if (allowBackground && n > 0 && words[n - 1] === '&') {
    p.background = true;
    n--;
  }
  let cur: string[] = [];
  const operand = (i: number, rest: string, word: string): [string, number] => {
    if (rest.length > 0) return [rest, i];
    if (i + 1 >= n) syntaxError(word);
    return [words[i + 1], i + 1];
  };
  for (let i = 0; i < n; i++) {
    const w = words[i];
    const c = w.charCodeAt(0);
    if (c === 124 /* | */ && (w === '|' || w === '|&')) {
      if (cur.length === 0) pipeSyntax();
      p.commands.push(cur);
      p.joinErr.push(w === '|&');
      cur = [];
      continue;
    }
    if (c === 60 /* < */) {
      if (w.startsWith('<<')) {
        const [v, j] = operand(i, w.slice(2), w);
        p.input = { kind: 'literal', value: v };
        i = j;
      } else if (w.startsWith('<@')) {
        const [v, j] = operand(i, w.slice(2), w);
        p.input = { kind: 'chan', name: v };
        i = j;
      } else {
        const [v, j] = operand(i, w.slice(1), w);
        p.input = { kind: 'file', name: v, append: false };
        i = j;
      }
      continue;
    }
    if (c === 62 /* > */) {
      let k = 1;
      let append = false;
      let both = false;
      if (w[k] === '>') {
        append = true;
        k++;
      }
      if (w[k] === '&') {
        both = true;
        k++;
      }
      let target: Target;
      if (w[k] === '@') {
        const [v, j] = operand(i, w.slice(k + 1), w);
        target = { kind: 'chan', name: v };
        i = j;
      } else {
        const [v, j] = operand(i, w.slice(k), w);
        target = { kind: 'file', name: v, append };
        i = j;
      }
      p.output = target;
      if (both) p.error = { kind: 'stdout' };
      continue;
    }
    if (c === 50 /* 2 */ && w[1] === '>') {
      let k = 2;
      let append = false;
      if (w[k] === '>') {
        append = true;
        k++;
      }
      if (w[k] === '@') {
        if (w.slice(k + 1) === '1') {
          p.error = { kind: 'stdout' };
          continue;
        }
        const [v, j] = operand(i, w.slice(k + 1), w);
        p.error = { kind: 'chan', name: v };
        i = j;
      } else {
        const [v, j] = operand(i, w.slice(k), w);
        p.error = { kind: 'file', name: v, append };
        i = j;
      }
      continue;
    }
    cur.push(w);
  }
  if (cur.length === 0) {
    if (p.commands.length > 0) pipeSyntax();
    throw new TclError('illegal use of | or |& in command', 'TCL OPERATION EXEC PIPESYNTAX');
  }
  p.commands.push(cur);
  p.joinErr.push(false);
  return p;
}

// ------------------------------------------------------------------ environment

/** Children see the Tcl `env` array (scripts change it; Node's process.env must follow). */
function syncEnvironment(interp: Interp): void {
  let names: Map<string, TclObj> | null = null;
  const v = interp.globalNs.vars.get('env');
  if (v !== undefined && v.arr !== null) {
    names = new Map();
    for (const [k, e] of v.arr) if (e.value !== null) names.set(k, e.value);
  }
  if (names === null) return;
  for (const k of Object.keys(process.env)) if (!names.has(k)) delete process.env[k];
  for (const [k, val] of names) {
    const s = val.toString();
    if (process.env[k] !== s) process.env[k] = s;
  }
}

// ------------------------------------------------------------------ starting the children

/** An unlinked temporary file, open for reading and writing. */
function tempFile(): number {
  const dir = process.env.TMPDIR || '/tmp';
  for (let attempt = 0; ; attempt++) {
    const path = `${dir}/tclshim_${native.getpid()}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e9).toString(36)}`;
    try {
      const fd = native.openFile(path, native.O_RDWR | native.O_CREAT | native.O_EXCL, 0o600);
      try {
        fs.unlinkSync(path);
      } catch {
        // A leftover temp file is harmless.
      }
      return fd;
    } catch (e) {
      if (errnoCodeOf(e) !== 'EEXIST' || attempt > 20) throw posixError("couldn't create temporary file", errnoCodeOf(e));
    }
  }
}

/** Tcl names a standard channel by its fd in exec's channel errors. */
function chanLabel(ch: Channel): string {
  if (ch.name === 'stdin' || ch.name === 'stdout' || ch.name === 'stderr') {
    return `file${ch.rfd >= 0 ? ch.rfd : ch.wfd}`;
  }
  return ch.name;
}

function channelFd(interp: Interp, name: string, write: boolean): number {
  const ch = findChannel(interp, name);
  if (ch === null) throw new TclError(`can not find channel named "${name}"`, `TCL LOOKUP CHANNEL ${formatStringList([name])}`);
  if (write) {
    if (!ch.writable || ch.writeClosed) throw new TclError(`channel "${chanLabel(ch)}" wasn't opened for writing`, 'TCL OPERATION EXEC BADCHAN');
    ch.flush();
    return ch.wfd;
  }
  if (!ch.readable || ch.readClosed) throw new TclError(`channel "${chanLabel(ch)}" wasn't opened for reading`, 'TCL OPERATION EXEC BADCHAN');
  return ch.rfd;
}

export interface StartedPipeline {
  pids: number[];
  /** Our end of the first command's stdin (-1 unless asked for). */
  inFd: number;
  /** Our end of the last command's stdout (-1 unless asked for). */
  outFd: number;
  /** The temporary file collecting stderr (-1 when stderr goes elsewhere). */
  errFd: number;
}

/**
 * Start a parsed pipeline. `wantIn`/`wantOut` ask for pipes to the first command's stdin and from
 * the last one's stdout when they are not redirected; `captureErr` collects stderr in a temp file.
 */
export function startPipeline(interp: Interp, p: ParsedPipeline, wantIn: boolean, wantOut: boolean, captureErr: boolean): StartedPipeline {
  reapDetached();
  const toClose: number[] = [];
  const result: StartedPipeline = { pids: [], inFd: -1, outFd: -1, errFd: -1 };
  try {
    // First command's stdin.
    let stdinFd = -1;
    const inp = p.input;
    if (inp.kind === 'file') {
      try {
        stdinFd = native.openFile(expandTilde(inp.name), native.O_RDONLY, 0);
      } catch (e) {
        if (e instanceof TclError) throw e;
        throw posixError(`couldn't read file "${inp.name}"`, errnoCodeOf(e));
      }
      toClose.push(stdinFd);
    } else if (inp.kind === 'literal') {
      stdinFd = tempFile();
      toClose.push(stdinFd);
      const b = Buffer.from(inp.value, 'utf8');
      let off = 0;
      while (off < b.length) off += native.write(stdinFd, b, off, b.length - off);
      native.lseek(stdinFd, 0, native.SEEK_SET);
    } else if (inp.kind === 'chan') {
      stdinFd = channelFd(interp, inp.name, false);
    } else if (wantIn) {
      const [r, w] = native.pipe(false);
      stdinFd = r;
      toClose.push(r);
      result.inFd = w;
    }
    // Last command's stdout.
    let stdoutFd = -1;
    const out = p.output;
    if (out.kind === 'file') {
      const flags = native.O_WRONLY | native.O_CREAT | (out.append ? native.O_APPEND : native.O_TRUNC);
      try {
        stdoutFd = native.openFile(expandTilde(out.name), flags, 0o666);
      } catch (e) {
        if (e instanceof TclError) throw e;
        throw posixError(`couldn't write file "${out.name}"`, errnoCodeOf(e));
      }
      toClose.push(stdoutFd);
    } else if (out.kind === 'chan') {
      stdoutFd = channelFd(interp, out.name, true);
    } else if (wantOut) {
      const [r, w] = native.pipe(false);
      stdoutFd = w;
      toClose.push(w);
      result.outFd = r;
    }
    // stderr of every command.
    let stderrFd = -1;
    let errToOut = false;
    const err = p.error;
    if (err.kind === 'file') {
      const flags = native.O_WRONLY | native.O_CREAT | (err.append ? native.O_APPEND : native.O_TRUNC);
      try {
        stderrFd = native.openFile(expandTilde(err.name), flags, 0o666);
      } catch (e) {
        if (e instanceof TclError) throw e;
        throw posixError(`couldn't write file "${err.name}"`, errnoCodeOf(e));
      }
      toClose.push(stderrFd);
    } else if (err.kind === 'chan') {
      stderrFd = channelFd(interp, err.name, true);
    } else if (err.kind === 'stdout') {
      errToOut = true;
    } else if (captureErr) {
      stderrFd = tempFile();
      result.errFd = stderrFd;
    }
    syncEnvironment(interp);
    let prevRead = stdinFd;
    const last = p.commands.length - 1;
    for (let i = 0; i <= last; i++) {
      let cmdOut = stdoutFd;
      let nextRead = -1;
      if (i < last) {
        const [r, w] = native.pipe(false);
        cmdOut = w;
        nextRead = r;
        toClose.push(r, w);
      }
      // stderr follows stdout for `|&` and `2>@1`/`>&` (an inherited stdout means our fd 1).
      let cmdErr = stderrFd;
      if (errToOut || (i < last && p.joinErr[i])) cmdErr = cmdOut === -1 ? 1 : cmdOut;
      const argv = p.commands[i];
      let pid: number;
      try {
        pid = native.spawn(argv, prevRead, cmdOut, cmdErr, []);
      } catch (e) {
        throw posixError(`couldn't execute "${argv[0]}"`, errnoCodeOf(e));
      }
      result.pids.push(pid);
      if (i < last) {
        closeAndForget(toClose, cmdOut);
        if (prevRead !== stdinFd) closeAndForget(toClose, prevRead);
      }
      prevRead = nextRead;
    }
    for (const fd of toClose) closeQuietly(fd);
    toClose.length = 0;
    return result;
  } catch (e) {
    for (const fd of toClose) closeQuietly(fd);
    if (result.inFd >= 0) closeQuietly(result.inFd);
    if (result.outFd >= 0) closeQuietly(result.outFd);
    if (result.errFd >= 0) closeQuietly(result.errFd);
    detachPids(result.pids);
    throw e;
  }
}

function closeAndForget(list: number[], fd: number): void {
  const i = list.indexOf(fd);
  if (i >= 0) list.splice(i, 1);
  closeQuietly(fd);
}

// ------------------------------------------------------------------ exec

function readAllFd(fd: number): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  for (;;) {
    const b = Buffer.allocUnsafe(65536);
    let n: number;
    try {
      n = native.read(fd, b, 0, b.length);
    } catch (e) {
      if (errnoCodeOf(e) === 'EINTR') continue;
      throw e;
    }
    if (n < 0) {
      waitFd(fd, native.POLLIN);
      continue;
    }
    if (n === 0) break;
    parts.push(n === b.length ? b : b.subarray(0, n));
    total += n;
  }
  return Buffer.concat(parts, total);
}

const EXEC_OPTIONS = ['-ignorestderr', '-keepnewline', '--'];

function execCmd(interp: Interp, objv: TclObj[]): number {
  let keepNewline = false;
  let ignoreStderr = false;
  let i = 1;
  for (; i < objv.length; i++) {
    const s = objv[i].toString();
    if (s.charCodeAt(0) !== 45) break;
    const k = getIndexFromTable(objv[i], EXEC_OPTIONS, 'option', true);
    if (k === 0) ignoreStderr = true;
    else if (k === 1) keepNewline = true;
    else {
      i++;
      break;
    }
  }
  if (i >= objv.length) wrongNumArgs(objv, 1, '?-option ...? arg ?arg ...?');
  const words = objv.slice(i).map((o) => o.toString());
  const parsed = parsePipeline(words, true);
  if (parsed.background) {
    const started = startPipeline(interp, parsed, false, false, false);
    detachPids(started.pids);
    interp.result = TclObj.fromList(started.pids.map((pid) => TclObj.fromInt(pid)));
    return OK;
  }
  const started = startPipeline(interp, parsed, false, true, !ignoreStderr);
  let output = '';
  if (started.outFd >= 0) {
    const bytes = readAllFd(started.outFd);
    closeQuietly(started.outFd);
    output = decodeUtf8(bytes, 0, bytes.length).replace(/\r\n?/g, '\n');
  }
  const report = waitChildren(started.pids);
  let errText = '';
  if (started.errFd >= 0) {
    errText = readTempFile(started.errFd);
    closeQuietly(started.errFd);
  }
  let msg = output;
  const failed = report.failed || errText.length > 0;
  if (failed) {
    msg += errText.length > 0 ? errText : report.abnormalText;
  }
  if (!keepNewline && msg.endsWith('\n')) msg = msg.slice(0, -1);
  if (failed) throw new TclError(msg, report.errorCode ?? 'NONE');
  interp.result = msg.length === 0 ? EMPTY : TclObj.fromString(msg);
  return OK;
}

// ------------------------------------------------------------------ open "|..."

/** `open "|cmd ..." mode`: a channel on the pipeline's stdin and/or stdout. */
export function openPipeline(interp: Interp, spec: string, readable: boolean, writable: boolean): Channel {
  let words: string[];
  words = getList(TclObj.fromString(spec)).map((o) => o.toString());
  const parsed = parsePipeline(words, false);
  const started = startPipeline(interp, parsed, writable, readable, true);
  // Like Tcl, the children are already running when a redirection turns out to conflict.
  const conflict =
    readable && parsed.output.kind !== 'inherit'
      ? "can't read output from command: standard output was redirected"
      : writable && parsed.input.kind !== 'inherit'
        ? "can't write input to command: standard input was redirected"
        : null;
  if (conflict !== null) {
    for (const fd of [started.inFd, started.outFd, started.errFd]) if (fd >= 0) closeQuietly(fd);
    detachPids(started.pids);
    throw new TclError(conflict, 'TCL OPERATION EXEC BADREDIRECT');
  }
  const rfd = started.outFd;
  const wfd = started.inFd;
  for (const fd of [rfd, wfd]) if (fd >= 0) native.setNonBlocking(fd, true);
  const nameFd = rfd >= 0 ? rfd : wfd;
  const ch = new PipeChannel(`file${nameFd}`, rfd, wfd, started.pids, started.errFd);
  claimStdSlot(ch);
  registerChannel(interp, ch);
  return ch;
}

/** `pid ?chan?` support: the process ids behind a pipeline channel. */
export function channelPids(interp: Interp, name: string): number[] | undefined {
  const ch = findChannel(interp, name);
  if (ch === null) return undefined;
  return ch instanceof PipeChannel ? ch.pids.slice() : [];
}

export function register(interp: Interp): void {
  interp.createCommand('exec', execCmd);
  interp.channelPids = (name) => channelPids(interp, name);
}
