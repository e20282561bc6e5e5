/**
 * Channel commands: puts, gets, read, close, flush, eof, fblocked, fconfigure, seek, tell, the
 * `chan` ensemble, and exit (which must flush every channel before the process ends).
 */
import { TclObj, intObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getInt32 } from '../values/number.js';
import { OK } from '../engine/codes.js';
import { wrongNumArgs, getIndexFromTable } from '../engine/args.js';
import { createEnsemble } from '../engine/ensemble.js';
import type { Interp } from '../engine/interp.js';
import * as native from '../native/index.js';
import { globMatch } from '../values/glob.js';
import { Channel, ChannelIOError, channelError } from '../io/channel.js';
import {
  getChannel,
  getReadChannel,
  getWriteChannel,
  unregisterChannel,
  channelNames,
  channelTable,
  flushAllChannels,
  registerChannel,
  claimStdSlot,
} from '../io/table.js';
import { getAllOptions, getOption, setOption } from '../io/options.js';
import { FileChannel } from '../io/fileChannel.js';
import { fileeventCmd } from './events.js';
import { fcopyCmd, getWideNumber } from './fcopy.js';

const EMPTY = TclObj.EMPTY;

/** A background copy owns its input's reading and its output's writing: others get EBUSY. */
function checkBusy(ch: Channel, read: boolean, write: boolean): void {
  if ((read && ch.copyIn !== null) || (write && ch.copyOut !== null)) throw new ChannelIOError('EBUSY');
}

// ------------------------------------------------------------------ puts

function putsCmd(interp: Interp, objv: TclObj[]): number {
  let chanName = 'stdout';
  let str: TclObj;
  let newline = true;
  switch (objv.length) {
    case 2:
      str = objv[1];
      break;
    case 3:
      if (objv[1].toString() === '-nonewline') newline = false;
      else chanName = objv[1].toString();
      str = objv[2];
      break;
    case 4:
      if (objv[1].toString() === '-nonewline') {
        chanName = objv[2].toString();
        str = objv[3];
        newline = false;
        break;
      }
      if (objv[3].toString() === 'nonewline') {
        chanName = objv[1].toString();
        str = objv[2];
        newline = false;
        break;
      }
      wrongNumArgs(objv, 1, '?-nonewline? ?channelId? string');
    // falls through: wrongNumArgs throws
    default:
      wrongNumArgs(objv, 1, '?-nonewline? ?channelId? string');
  }
  const ch = getWriteChannel(interp, chanName);
  try {
    checkBusy(ch, false, true);
    if (newline) ch.writeLine(str.toString());
    else ch.write(str.toString());
  } catch (e) {
    throw channelError('writing', chanName, e);
  }
  interp.result = EMPTY;
  return OK;
}

// ------------------------------------------------------------------ gets / read

function getsCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2 && objv.length !== 3) wrongNumArgs(objv, 1, 'channelId ?varName?');
  const name = objv[1].toString();
  const ch = getReadChannel(interp, name);
  let line: string | null;
  try {
    checkBusy(ch, true, false);
    line = ch.gets();
  } catch (e) {
    throw channelError('reading', name, e);
  }
  if (objv.length === 3) {
    interp.setVar(objv[2].toString(), line === null ? EMPTY : TclObj.fromString(line));
    interp.result = intObj(line === null ? -1 : line.length);
  } else {
    interp.result = line === null ? EMPTY : TclObj.fromString(line);
  }
  return OK;
}

function readWrongArgs(objv: TclObj[], n: number): never {
  const cmd = objv
    .slice(0, n)
    .map((o) => o.toString())
    .join(' ');
  throw new TclError(`wrong # args: should be "${cmd} channelId ?numChars?" or "${cmd} ?-nonewline? channelId"`, 'TCL WRONGARGS');
}

/** `read` and `chan read`; `n` is the number of command words before the arguments. */
function doRead(interp: Interp, objv: TclObj[], n: number): number {
  const argc = objv.length - n;
  if (argc !== 1 && argc !== 2) readWrongArgs(objv, n);
  let i = n;
  let nonewline = false;
  if (objv[i].toString() === '-nonewline') {
    nonewline = true;
    i++;
  }
  if (i === objv.length) readWrongArgs(objv, n);
  const name = objv[i++].toString();
  let count = -1;
  if (i < objv.length) {
    let v = -1;
    try {
      v = getInt32(objv[i]);
    } catch {
      v = -1;
    }
    if (v < 0) {
      if (objv[i].toString() !== 'nonewline') {
        throw new TclError(`expected non-negative integer but got "${objv[i].toString()}"`, 'TCL VALUE NUMBER');
      }
      nonewline = true;
    } else count = v;
  }
  const ch = getReadChannel(interp, name);
  let s: string;
  try {
    checkBusy(ch, true, false);
    s = count < 0 ? ch.readAll() : ch.readChars(count);
  } catch (e) {
    throw channelError('reading', name, e);
  }
  if (nonewline && s.length > 0 && s.charCodeAt(s.length - 1) === 10) s = s.slice(0, -1);
  interp.result = TclObj.fromString(s);
  return OK;
}

// ------------------------------------------------------------------ close

function doClose(interp: Interp, objv: TclObj[], n: number): number {
  if (objv.length !== n + 1 && objv.length !== n + 2) wrongNumArgs(objv, n, 'channelId ?direction?');
  const name = objv[n].toString();
  const ch = getChannel(interp, name);
  if (objv.length === n + 2) {
    const dir = getIndexFromTable(objv[n + 1], ['read', 'write'], 'direction');
    const write = dir === 1;
    const has = write ? ch.writable && !ch.writeClosed : ch.readable && !ch.readClosed;
    if (!has) {
      throw new TclError(`Half-close of ${write ? 'write' : 'read'}-side not possible, side not opened or already closed`);
    }
    const other = write ? ch.readable && !ch.readClosed : ch.writable && !ch.writeClosed;
    if (other) {
      if (!ch.canHalfClose) throw new TclError('');
      const err = ch.closeHalf(write);
      if (err !== null) throw err;
      interp.result = EMPTY;
      return OK;
    }
    // Closing the only open side closes the channel.
  }
  const err = unregisterChannel(interp, ch);
  if (err !== null) {
    // Tcl drops one trailing newline of the error text (child stderr usually ends with one).
    let msg = err.message;
    if (msg.endsWith('\n')) msg = msg.slice(0, -1);
    const e = new TclError(msg, err.errorCode);
    throw e;
  }
  interp.result = EMPTY;
  return OK;
}

// ------------------------------------------------------------------ flush, eof, fblocked

function doFlush(interp: Interp, objv: TclObj[], n: number): number {
  if (objv.length !== n + 1) wrongNumArgs(objv, n, 'channelId');
  const name = objv[n].toString();
  const ch = getWriteChannel(interp, name);
  try {
    checkBusy(ch, false, true);
    ch.flush();
  } catch (e) {
    throw channelError('flushing', name, e);
  }
  interp.result = EMPTY;
  return OK;
}

function doEof(interp: Interp, objv: TclObj[], n: number): number {
  if (objv.length !== n + 1) wrongNumArgs(objv, n, 'channelId');
  const ch = getChannel(interp, objv[n].toString());
  interp.result = TclObj.fromBool(ch.eof);
  return OK;
}

function doBlocked(interp: Interp, objv: TclObj[], n: number): number {
  if (objv.length !== n + 1) wrongNumArgs(objv, n, 'channelId');
  const ch = getReadChannel(interp, objv[n].toString());
  interp.result = TclObj.fromBool(ch.blocked);
  return OK;
}

// ------------------------------------------------------------------ fconfigure

function doConfigure(interp: Interp, objv: TclObj[], n: number): number {
  const argc = objv.length - n;
  if (argc < 1 || (argc > 2 && argc % 2 === 0)) wrongNumArgs(objv, n, 'channelId ?-option value ...?');
  const ch = getChannel(interp, objv[n].toString());
  if (argc === 1) {
    interp.result = getAllOptions(ch);
    return OK;
  }
  if (argc === 2) {
    interp.result = getOption(ch, objv[n + 1].toString());
    return OK;
  }
  for (let i = n + 1; i < objv.length; i += 2) setOption(ch, objv[i].toString(), objv[i + 1]);
  interp.result = EMPTY;
  return OK;
}

// ------------------------------------------------------------------ seek, tell

function doSeek(interp: Interp, objv: TclObj[], n: number): number {
  if (objv.length !== n + 2 && objv.length !== n + 3) wrongNumArgs(objv, n, 'channelId offset ?origin?');
  const name = objv[n].toString();
  const ch = getChannel(interp, name);
  const offset = getWideNumber(objv[n + 1]);
  let whence = native.SEEK_SET;
  if (objv.length === n + 3) {
    const k = getIndexFromTable(objv[n + 2], ['start', 'current', 'end'], 'origin');
    whence = k === 0 ? native.SEEK_SET : k === 1 ? native.SEEK_CUR : native.SEEK_END;
  }
  if (!ch.hasSeek) {
    throw new TclError(`error during seek on "${name}": invalid argument`, 'POSIX EINVAL {invalid argument}');
  }
  try {
    checkBusy(ch, true, true);
    ch.seek(offset, whence);
  } catch (e) {
    const err = channelError('x', ch, e);
    const msg = err.message.slice(err.message.indexOf(': ') + 2);
    throw new TclError(`error during seek on "${name}": ${msg}`, err.errorCode);
  }
  interp.result = EMPTY;
  return OK;
}

function doTell(interp: Interp, objv: TclObj[], n: number): number {
  if (objv.length !== n + 1) wrongNumArgs(objv, n, 'channelId');
  const ch = getChannel(interp, objv[n].toString());
  let pos = -1;
  if (ch.hasSeek) {
    try {
      pos = ch.tell();
    } catch {
      pos = -1;
    }
  }
  interp.result = TclObj.fromInt(pos);
  return OK;
}

// ------------------------------------------------------------------ chan-only subcommands

function chanNames(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?pattern?');
  let names = channelNames(interp);
  if (objv.length === 3) {
    const pat = objv[2].toString();
    names = names.filter((n) => globMatch(pat, n, false));
  }
  interp.result = TclObj.fromList(names.map((n) => TclObj.fromString(n)));
  return OK;
}

function chanPending(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 4) wrongNumArgs(objv, 2, 'mode channelId');
  const mode = getIndexFromTable(objv[2], ['input', 'output'], 'mode');
  const ch = getChannel(interp, objv[3].toString());
  let n = -1;
  if (mode === 0) {
    if (ch.readable && !ch.readClosed) n = ch.pendingInput();
  } else if (ch.writable && !ch.writeClosed) n = ch.pendingOutput();
  interp.result = TclObj.fromInt(n);
  return OK;
}

function chanTruncate(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3 && objv.length !== 4) wrongNumArgs(objv, 2, 'channelId ?length?');
  const name = objv[2].toString();
  const ch = getChannel(interp, name);
  let len = -1;
  if (objv.length === 4) {
    len = getWideNumber(objv[3]);
    if (len < 0) throw new TclError('cannot truncate to negative length of file');
  }
  try {
    checkBusy(ch, true, true);
    if (ch.writable && !ch.writeClosed) ch.flush();
    if (!ch.hasSeek) throw new TclError(`error during truncate on "${name}": invalid argument`, 'POSIX EINVAL {invalid argument}');
    if (len < 0) len = ch.tell();
    native.ftruncate(ch.wfd >= 0 ? ch.wfd : ch.rfd, len);
  } catch (e) {
    if (e instanceof TclError) throw e;
    const err = channelError('x', ch, e);
    throw new TclError(`error during truncate on "${name}": ${err.message.slice(err.message.indexOf(': ') + 2)}`, err.errorCode);
  }
  interp.result = EMPTY;
  return OK;
}

function chanPipe(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) throw new TclError('wrong # args: should be "chan pipe "', 'TCL WRONGARGS');
  const [r, w] = native.pipe(false);
  const rch = new FileChannel(`file${r}`, r, true, false);
  const wch = new FileChannel(`file${w}`, w, false, true);
  for (const ch of [rch, wch]) {
    claimStdSlot(ch);
    registerChannel(interp, ch);
  }
  interp.result = TclObj.fromList([TclObj.fromString(rch.name), TclObj.fromString(wch.name)]);
  return OK;
}

function unsupported(what: string): never {
  throw new TclError(`chan ${what}: reflected channels are not supported by tclshim`, 'TCL UNSUPPORTED');
}

function chanCreate(_interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 4) wrongNumArgs(objv, 2, 'mode cmdprefix');
  return unsupported('create');
}

function chanPush(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 4) wrongNumArgs(objv, 2, 'channel cmdprefix');
  getChannel(interp, objv[2].toString());
  return unsupported('push');
}

function chanPop(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongNumArgs(objv, 2, 'channel');
  getChannel(interp, objv[2].toString());
  return unsupported('pop');
}

function chanPostevent(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 4) wrongNumArgs(objv, 2, 'channel eventspec');
  getChannel(interp, objv[2].toString());
  return unsupported('postevent');
}

// ------------------------------------------------------------------ exit

/** `exit ?returnCode?`: flushes every channel, then hands the code to the interpreter's exit handler. */
export function exitCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 2) wrongNumArgs(objv, 1, '?returnCode?');
  const code = objv.length === 2 ? getInt32(objv[1]) : 0;
  flushAllChannels(interp);
  return interp.exitHandler(code);
}

// ------------------------------------------------------------------ registration

/** Wraps an ensemble subcommand that takes the words after `chan <sub>` like its plain command. */
function shifted(fn: (interp: Interp, objv: TclObj[], n: number) => number, n: number) {
  return (interp: Interp, objv: TclObj[]) => fn(interp, objv, n);
}

function chanPuts(interp: Interp, objv: TclObj[]): number {
  // puts' own parsing, with "chan puts" in the usage message.
  const words = [TclObj.fromString('chan puts'), ...objv.slice(2)];
  return putsCmd(interp, words);
}

function chanGets(interp: Interp, objv: TclObj[]): number {
  const words = [TclObj.fromString('chan gets'), ...objv.slice(2)];
  return getsCmd(interp, words);
}

export function register(interp: Interp): void {
  interp.createCommand('puts', putsCmd);
  interp.createCommand('gets', getsCmd);
  interp.createCommand('read', shifted(doRead, 1));
  interp.createCommand('close', shifted(doClose, 1));
  interp.createCommand('flush', shifted(doFlush, 1));
  interp.createCommand('eof', shifted(doEof, 1));
  interp.createCommand('fblocked', shifted(doBlocked, 1));
  interp.createCommand('fconfigure', shifted(doConfigure, 1));
  interp.createCommand('seek', shifted(doSeek, 1));
  interp.createCommand('tell', shifted(doTell, 1));
  interp.createCommand('exit', exitCmd);
  interp.createCommand('fcopy', (ip, objv) => fcopyCmd(ip, objv, 1));
  createEnsemble(interp, 'chan', {
    blocked: shifted(doBlocked, 2),
    close: shifted(doClose, 2),
    configure: shifted(doConfigure, 2),
    copy: (ip, objv) => fcopyCmd(ip, objv, 2),
    create: chanCreate,
    eof: shifted(doEof, 2),
    event: (ip, objv) => fileeventCmd(ip, objv, 2),
    flush: shifted(doFlush, 2),
    gets: chanGets,
    names: chanNames,
    pending: chanPending,
    pipe: chanPipe,
    pop: chanPop,
    postevent: chanPostevent,
    push: chanPush,
    puts: chanPuts,
    read: shifted(doRead, 2),
    seek: shifted(doSeek, 2),
    tell: shifted(doTell, 2),
    truncate: chanTruncate,
  });
  // The channel layer owns flushing at exit and the `pid $chan` lookup.
  interp.exitHooks.push(() => flushAllChannels(interp));
  channelTable(interp);
}
