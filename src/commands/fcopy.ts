/**
 * fcopy / chan copy: copy characters from one channel to another, synchronously or (with
 * -command) in the background from the event loop, calling `callback bytes ?error?` when done.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { OK } from '../engine/codes.js';
import { wrongNumArgs, getIndexFromTable } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';
import { Channel, ChannelHandler, channelError } from '../io/channel.js';
import { notifier, READABLE, WRITABLE } from '../io/notifier.js';
import { getReadChannel, getWriteChannel } from '../io/table.js';
import { backgroundException, evalGlobalObjv } from './bgerror.js';
import { getWide } from '../values/number.js';

/** Tcl_GetWideIntFromObj as seek and fcopy report it. */
export function getWideNumber(o: TclObj): number {
  let v: number | bigint;
  try {
    v = getWide(o);
  } catch (e) {
    if (e instanceof TclError && e.errorCode === 'TCL VALUE INTEGER') throw new TclError(e.message, 'TCL VALUE NUMBER');
    throw e;
  }
  return Number(v);
}

/** The string a copy step moves at most at once. */
function chunkSize(inCh: Channel): number {
  return Math.max(inCh.bufferSize, 4096);
}

function copySync(inCh: Channel, outCh: Channel, size: number): number {
  let total = 0;
  for (;;) {
    const want = size < 0 ? chunkSize(inCh) : Math.min(chunkSize(inCh), size - total);
    if (want === 0) break;
    let s: string;
    try {
      s = inCh.readChars(want);
    } catch (e) {
      throw channelError('reading', inCh, e);
    }
    if (s.length > 0) {
      try {
        outCh.write(s);
      } catch (e) {
        throw channelError('writing', outCh, e);
      }
      total += s.length;
    }
    if (inCh.eof || (s.length === 0 && inCh.blocked)) break;
  }
  try {
    outCh.flush();
  } catch (e) {
    throw channelError('writing', outCh, e);
  }
  return total;
}

class AsyncCopy {
  total = 0;
  inHandler: ChannelHandler | null = null;
  outHandler: ChannelHandler | null = null;
  readonly inBlocking: boolean;
  readonly outBlocking: boolean;
  finished = false;

  constructor(
    readonly interp: Interp,
    readonly inCh: Channel,
    readonly outCh: Channel,
    readonly size: number,
    readonly callback: TclObj,
  ) {
    this.inBlocking = inCh.blocking;
    this.outBlocking = outCh.blocking;
    inCh.copyIn = this;
    outCh.copyOut = this;
    inCh.setBlocking(false);
    outCh.setBlocking(false);
    const abort = (): void => this.finish(null, true);
    inCh.closeCallbacks.push(abort);
    if (outCh !== inCh) outCh.closeCallbacks.push(abort);
    notifier.createTimer(0, () => this.step());
  }

  private wait(mask: number): void {
    if (mask === READABLE) {
      if (this.outHandler !== null) {
        this.outCh.deleteHandler(this.outHandler);
        this.outHandler = null;
      }
      if (this.inHandler === null) this.inHandler = this.inCh.createHandler(READABLE, () => this.step(), this);
    } else {
      if (this.inHandler !== null) {
        this.inCh.deleteHandler(this.inHandler);
        this.inHandler = null;
      }
      if (this.outHandler === null) this.outHandler = this.outCh.createHandler(WRITABLE, () => this.step(), this);
    }
  }

  step(): void {
    if (this.finished) return;
    try {
      for (;;) {
        // Output still draining: wait for it before reading more.
        if (this.outCh.pendingOutput() > 0 && this.outCh.bgFlushScheduled) {
          this.wait(WRITABLE);
          return;
        }
        const want = this.size < 0 ? chunkSize(this.inCh) : Math.min(chunkSize(this.inCh), this.size - this.total);
        if (want === 0) break;
        let s: string;
        try {
          s = this.inCh.readChars(want);
        } catch (e) {
          throw channelError('reading', this.inCh, e);
        }
        if (s.length > 0) {
          try {
            this.outCh.write(s);
          } catch (e) {
            throw channelError('writing', this.outCh, e);
          }
          this.total += s.length;
        }
        if (this.inCh.eof) break;
        if (s.length === 0 || this.inCh.blocked) {
          this.wait(READABLE);
          return;
        }
      }
      try {
        this.outCh.flush();
      } catch (e) {
        throw channelError('writing', this.outCh, e);
      }
      if (this.outCh.pendingOutput() > 0) {
        this.wait(WRITABLE);
        return;
      }
      this.finish(null, false);
    } catch (e) {
      if (e instanceof TclError) {
        this.finish(e.message, false);
        return;
      }
      throw e;
    }
  }

  finish(error: string | null, aborted: boolean): void {
    if (this.finished) return;
    this.finished = true;
    if (this.inHandler !== null) this.inCh.deleteHandler(this.inHandler);
    if (this.outHandler !== null) this.outCh.deleteHandler(this.outHandler);
    this.inCh.copyIn = null;
    this.outCh.copyOut = null;
    if (!this.inCh.closed) this.inCh.setBlocking(this.inBlocking);
    if (!this.outCh.closed) this.outCh.setBlocking(this.outBlocking);
    if (aborted) return;
    // The callback is a command prefix: the count (and error) are appended as list elements.
    const words = [...getList(this.callback), TclObj.fromInt(this.total)];
    if (error !== null) words.push(TclObj.fromString(error));
    const code = evalGlobalObjv(this.interp, words);
    if (code !== OK) backgroundException(this.interp, code);
  }
}

/** `fcopy` and `chan copy`; `n` is the index of the input channel argument. */
export function fcopyCmd(interp: Interp, objv: TclObj[], n: number): number {
  const argc = objv.length - n;
  if (argc < 2 || argc > 6 || argc % 2 !== 0) wrongNumArgs(objv, n, 'input output ?-size size? ?-command callback?');
  let size = -1;
  let callback: TclObj | null = null;
  for (let i = n + 2; i < objv.length; i += 2) {
    const k = getIndexFromTable(objv[i], ['-size', '-command'], 'option');
    if (k === 0) {
      size = getWideNumber(objv[i + 1]);
      if (size < 0) size = -1;
    } else callback = objv[i + 1];
  }
  const inCh = getReadChannel(interp, objv[n].toString());
  const outCh = getWriteChannel(interp, objv[n + 1].toString());
  if (inCh.copyIn !== null) throw new TclError(`channel "${inCh.name}" is busy`);
  if (outCh.copyOut !== null) throw new TclError(`channel "${outCh.name}" is busy`);
  if (callback !== null) {
    new AsyncCopy(interp, inCh, outCh, size, callback);
    interp.result = TclObj.EMPTY;
    return OK;
  }
  interp.result = TclObj.fromInt(copySync(inCh, outCh, size));
  return OK;
}
