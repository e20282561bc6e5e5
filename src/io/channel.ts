/**
 * The channel core (Tcl's generic channel layer over one or two raw fds): input and output
 * buffering, end-of-line translation, encodings, eof and blocked state, channel handlers and the
 * background flushing of nonblocking channels. Drivers (files, pipes, sockets) subclass Channel
 * and override the few driver hooks at the bottom.
 *
 * Input keeps raw bytes in `raw` and the characters decoded from them in `cbuf` (untranslated:
 * translation is applied as characters are consumed, so `-translation` may change at any time;
 * `-encoding` changes map the read position back to a byte offset and decode again from there).
 * Every fd is driven directly through the addon; a blocking channel over a nonblocking fd waits
 * in poll(2) for the fd alone.
 */
import * as native from '../native/index.js';
import { TclError } from '../values/error.js';
import type { TclObj } from '../values/obj.js';
import { Encoding, BINARY, systemEncoding } from './encoding.js';
import { notifier, READABLE, WRITABLE, TimerHandler, removeNewestFirst } from './notifier.js';
import { errnoCodeOf, posixMessage, posixErrorCode, hasErrno } from './errno.js';

export const enum Trans {
  Auto = 0,
  Lf = 1,
  Cr = 2,
  Crlf = 3,
  Binary = 4,
}

export const enum Buffering {
  Full = 0,
  Line = 1,
  None = 2,
}

export const TRANS_NAMES = ['auto', 'lf', 'cr', 'crlf', 'lf'];
export const BUFFERING_NAMES = ['full', 'line', 'none'];

const MAX_BUFFER_SIZE = 1024 * 1024;
const DEFAULT_BUFFER_SIZE = 4096;
/** Read size for `read` without a count: big reads make slurping a file fast. */
const BULK_READ = 65536;

// Channel buffers come from a small pool: a server making and closing a connection per request
// would otherwise allocate (and collect) two fresh buffers every time.
const POOL_SIZE = 8192;
const bufferPool: Buffer[] = [];

function takeBuffer(min: number): Buffer {
  if (min <= POOL_SIZE) {
    const b = bufferPool.pop();
    return b !== undefined ? b : Buffer.allocUnsafe(POOL_SIZE);
  }
  return Buffer.allocUnsafe(min);
}

function giveBuffer(b: Buffer | null): void {
  if (b !== null && b.length === POOL_SIZE && bufferPool.length < 256) bufferPool.push(b);
}

/** A failure of the fd below a channel: the errno name, to be worded by the command. */
export class ChannelIOError {
  constructor(readonly code: string) {}
}

/** Tcl's "error <verb> "<chan>": <posix message>" with the POSIX errorCode. */
export function channelError(verb: string, chan: Channel | string, e: unknown): TclError {
  if (e instanceof TclError) return e;
  const code = e instanceof ChannelIOError ? e.code : errnoCodeOf(e);
  const name = typeof chan === 'string' ? chan : chan.name;
  return new TclError(`error ${verb} "${name}": ${posixMessage(code)}`, posixErrorCode(code));
}

/** Wrap a thrown native error as a ChannelIOError; anything else is rethrown. */
function ioFailure(e: unknown): never {
  if (e instanceof ChannelIOError || e instanceof TclError) throw e;
  if (hasErrno(e)) throw new ChannelIOError(errnoCodeOf(e));
  throw e;
}

/** Block until fd is ready for `events` (POLLIN/POLLOUT). */
const waitFds = new Int32Array(1);
const waitEvents = new Int32Array(1);
const waitRevents = new Int32Array(1);
export function waitFd(fd: number, events: number, timeoutMs = -1): boolean {
  waitFds[0] = fd;
  waitEvents[0] = events;
  for (;;) {
    const n = native.poll(waitFds, waitEvents, waitRevents, 1, timeoutMs);
    if (n > 0) return true;
    if (timeoutMs >= 0) return false;
  }
}

/** One channel handler (Tcl_CreateChannelHandler): script records of fileevent are these too. */
export class ChannelHandler {
  live = true;
  constructor(
    public mask: number,
    readonly proc: (mask: number) => void,
    /** Owner tag (the fileevent script record uses its interp) for lookups. */
    readonly owner: unknown,
  ) {}
}

let nextChannelSerial = 0;

export abstract class Channel {
  name: string;
  readonly serial = ++nextChannelSerial;
  /** Interpreters (or other holders) that have the channel registered. */
  refCount = 0;
  /** Fully closed: fds released. */
  closed = false;

  // ------------------------------------------------------------- configuration
  blocking = true;
  buffering: Buffering = Buffering.Full;
  bufferSize = DEFAULT_BUFFER_SIZE;
  encoding: Encoding = systemEncoding();
  inTrans: Trans = Trans.Auto;
  outTrans: Trans = Trans.Lf;
  /** Input/output eof characters (-1 = none). */
  inEofChar = -1;
  outEofChar = -1;

  // ------------------------------------------------------------- input state
  private raw: Buffer | null = null;
  /** raw[rawStart, rawDec) produced cbuf; raw[rawDec, rawEnd) is not decoded yet. */
  private rawStart = 0;
  private rawDec = 0;
  private rawEnd = 0;
  private cbuf = '';
  private cpos = 0;
  /** Auto translation consumed a CR as end of line: a LF right after it is part of that EOL. */
  private skipLF = false;
  /** Last input operation hit end of file. */
  eof = false;
  /** The eof character was seen: end of file until a seek. */
  stickyEof = false;
  /** Last input operation could not complete without blocking. */
  blocked = false;
  /** gets found only a partial line: buffered data must not fire readable events again. */
  needMoreData = false;
  /**
   * Read once instead of polling when a readable handler first watches the fd. For connections
   * that waited in a queue before this process took them (socketserver), whose first bytes have
   * usually arrived: the readable event then comes from the buffered input, without a poll(2).
   */
  readAheadOnWatch = false;
  /** A read error met by that read, reported by the next read as if met there. */
  private readAheadError: unknown = null;
  /** Half-closed for reading or writing (close chan read|write). */
  readClosed = false;
  writeClosed = false;

  // ------------------------------------------------------------- output state
  private obuf: Buffer | null = null;
  private olen = 0;
  /** Output waiting for a nonblocking fd to drain (background flush). */
  private outQueue: Buffer[] = [];
  private outQueueOff = 0;
  bgFlushScheduled = false;
  /** A background write error, reported by the next operation (Tcl's unreportedError). */
  unreportedError: string | null = null;
  /** Close requested while output was still draining in the background. */
  private closePending = false;

  // ------------------------------------------------------------- events
  handlers: ChannelHandler[] = [];
  interestMask = 0;
  private timer: TimerHandler | null = null;
  private watchedR = 0;
  private watchedW = 0;
  /** Callbacks run when the channel is finally closed (fcopy). */
  closeCallbacks: Array<() => void> = [];
  /**
   * The `fileevent` scripts set on this channel (commands/events.ts owns their shape). A field
   * rather than a side table: a server sets one on every connection it accepts.
   */
  eventRecords: unknown[] | null = null;
  /** A running background fcopy reads from / writes to this channel (other I/O is EBUSY). */
  copyIn: unknown = null;
  copyOut: unknown = null;

  constructor(
    name: string,
    /** fd to read from (-1 = not readable). */
    public rfd: number,
    /** fd to write to (-1 = not writable); often the same as rfd. */
    public wfd: number,
    readonly readable: boolean,
    readonly writable: boolean,
  ) {
    this.name = name;
  }

  // ------------------------------------------------------------- driver hooks

  /** Driver type name (Tcl_ChannelTypeName). */
  abstract get typeName(): string;

  /** Names of the driver's own options, in the order `fconfigure chan` lists them. */
  driverOptionNames(): readonly string[] {
    return [];
  }

  /** Driver options named in the "bad option" message (for getting, or for setting). */
  badOptionNames(forSet: boolean): readonly string[] {
    void forSet;
    return [];
  }

  /** Value of a driver option given as the script wrote it (drivers match prefixes), or null. */
  getDriverOption(opt: string): TclObj | null {
    void opt;
    return null;
  }

  /** A driver option's value for `fconfigure chan` (null leaves it out). */
  getAllDriverOption(name: string): TclObj | null {
    return this.getDriverOption(name);
  }

  /** Set a driver option; false when the driver has no such settable option. */
  setDriverOption(opt: string, value: TclObj): boolean {
    void opt;
    void value;
    return false;
  }

  /** The fds are ours and already O_NONBLOCK (sockets, pipes we made). */
  fdNonBlocking = false;

  /** -blocking: a nonblocking channel never waits; an inherited fd gets O_NONBLOCK to match. */
  setBlocking(on: boolean): void {
    if (this.blocking === on) return;
    this.blocking = on;
    if (!on && !this.fdNonBlocking) {
      for (const fd of [this.rfd, this.wfd]) {
        if (fd < 0) continue;
        try {
          if (!native.getNonBlocking(fd)) native.setNonBlocking(fd, true);
        } catch {
          // A dead fd reports its error on the next read or write.
        }
      }
    } else if (this.outQueue.length > 0) {
      // Switching back to blocking finishes a background flush now, as Tcl does.
      try {
        this.drain(true);
      } catch (e) {
        if (e instanceof ChannelIOError) this.unreportedError = e.code;
        else throw e;
      }
    }
  }

  /** read(2) on rfd: bytes, 0 at end of file, -1 when it would block. Throws native errors. */
  protected readFd(buf: Buffer, off: number, len: number): number {
    return native.read(this.rfd, buf, off, len);
  }

  protected writeFd(buf: Buffer, off: number, len: number): number {
    return native.write(this.wfd, buf, off, len);
  }

  /** Whether the fd can seek (regular files): tell says -1 otherwise. */
  get seekable(): boolean {
    return false;
  }

  /** Whether the driver has a seek operation at all (Tcl reports EINVAL when it has not). */
  get hasSeek(): boolean {
    return false;
  }

  /**
   * Release the driver's resources (close fds, reap children). Returns an error to report from
   * `close`, or null.
   */
  protected closeDriver(): TclError | null {
    if (this.rfd >= 0) closeQuietly(this.rfd);
    if (this.wfd >= 0 && this.wfd !== this.rfd) closeQuietly(this.wfd);
    this.rfd = -1;
    this.wfd = -1;
    return null;
  }

  /** fd interest the driver itself needs (an asynchronous connect waits for writability). */
  protected driverWatchMask(): number {
    return 0;
  }

  /** Driver work when the fd is ready, before handlers run; returns the mask handlers see. */
  protected driverReady(mask: number): number {
    return mask;
  }

  /** Set while the driver must act before any read or write (a connect in progress). */
  protected ioPending = false;

  /** Called before reading or writing while ioPending is set. */
  protected beforeIO(): void {
    this.ioPending = false;
  }

  /** Half close (close chan read|write); drivers that support it override. */
  closeHalf(write: boolean): TclError | null {
    void write;
    return null;
  }

  /** Whether the driver supports half close. */
  get canHalfClose(): boolean {
    return false;
  }

  // ------------------------------------------------------------- configuration helpers

  setTranslation(inT: Trans, outT: Trans): void {
    if (this.readable) {
      if (inT === Trans.Binary) {
        this.setEncoding(BINARY);
        this.inEofChar = -1;
      }
      if (this.inTrans !== inT) {
        this.inTrans = inT;
        this.skipLF = false;
      }
    }
    if (this.writable) {
      if (outT === Trans.Binary) {
        this.setEncoding(BINARY);
        this.outEofChar = -1;
      }
      this.outTrans = outT;
    }
  }

  setEncoding(enc: Encoding): void {
    if (enc === this.encoding) return;
    // Characters decoded with the old encoding but not consumed go back to bytes.
    if (this.raw !== null && this.cpos < this.cbuf.length) {
      this.rawDec = this.encoding.skipUnits(this.raw, this.rawStart, this.rawDec, this.cpos);
    }
    this.rawStart = this.rawDec;
    this.cbuf = '';
    this.cpos = 0;
    this.encoding = enc;
    this.needMoreData = false;
  }

  setBufferSize(n: number): void {
    if (n < 1) n = 1;
    else if (n > MAX_BUFFER_SIZE) n = MAX_BUFFER_SIZE;
    this.bufferSize = n;
  }

  // ------------------------------------------------------------- input

  /** Bytes of input buffered but not consumed (chan pending input). */
  pendingInput(): number {
    if (this.raw === null) return 0;
    let n = this.rawEnd - this.rawDec;
    if (this.cpos < this.cbuf.length) {
      n += this.rawDec - this.encoding.skipUnits(this.raw, this.rawStart, this.rawDec, this.cpos);
    }
    return n;
  }

  /** True when buffered input can satisfy a read without touching the fd. */
  hasBufferedInput(): boolean {
    return this.cpos < this.cbuf.length || (this.raw !== null && this.rawDec < this.rawEnd);
  }

  private ensureRaw(want: number): Buffer {
    let raw = this.raw;
    const need = Math.max(want, this.bufferSize) + 8;
    if (raw === null) {
      raw = this.raw = takeBuffer(need);
      return raw;
    }
    // Drop consumed bytes; keep the decoded-but-unconsumed ones (their offsets stay valid).
    if (this.cpos >= this.cbuf.length) {
      this.cbuf = '';
      this.cpos = 0;
      this.rawStart = this.rawDec;
    } else if (this.cpos > 0) {
      this.rawStart = this.encoding.skipUnits(raw, this.rawStart, this.rawDec, this.cpos);
      this.cbuf = this.cbuf.slice(this.cpos);
      this.cpos = 0;
    }
    const keep = this.rawEnd - this.rawStart;
    if (this.rawStart > 0 && (keep === 0 || raw.length - this.rawEnd < need)) {
      if (keep > 0) raw.copy(raw, 0, this.rawStart, this.rawEnd);
      this.rawDec -= this.rawStart;
      this.rawEnd -= this.rawStart;
      this.rawStart = 0;
    }
    if (raw.length - this.rawEnd < need) {
      const bigger = Buffer.allocUnsafe(Math.max(raw.length * 2, this.rawEnd + need));
      raw.copy(bigger, 0, 0, this.rawEnd);
      giveBuffer(raw);
      raw = this.raw = bigger;
    }
    return raw;
  }

  /**
   * Decode what raw holds beyond rawDec (whole characters only, unless at end of file) and append
   * it to cbuf; returns the number of characters added.
   */
  private decodeMore(atEof: boolean): number {
    const raw = this.raw!;
    const enc = this.encoding;
    const end = atEof ? this.rawEnd : enc.completeEnd(raw, this.rawDec, this.rawEnd);
    if (end <= this.rawDec) return 0;
    let text = enc.decode(raw, this.rawDec, end);
    let decEnd = end;
    if (this.inEofChar >= 0) {
      const k = text.indexOf(String.fromCharCode(this.inEofChar));
      if (k >= 0) {
        decEnd = enc.skipUnits(raw, this.rawDec, end, k);
        text = text.slice(0, k);
        this.stickyEof = true;
        this.rawEnd = decEnd;
      }
    }
    if (this.cpos >= this.cbuf.length) {
      this.cbuf = text;
      this.cpos = 0;
      this.rawStart = this.rawDec;
    } else if (text.length > 0) this.cbuf += text;
    this.rawDec = decEnd;
    return text.length;
  }

  /**
   * Get more characters into cbuf. Returns 1 when some arrived, 0 at end of file, -1 when a
   * nonblocking channel has nothing now.
   */
  private fill(bulk: boolean): number {
    if (this.stickyEof) return 0;
    if (this.unreportedError !== null) {
      const code = this.unreportedError;
      this.unreportedError = null;
      throw new ChannelIOError(code);
    }
    if (this.readAheadError !== null) {
      const e = this.readAheadError;
      this.readAheadError = null;
      ioFailure(e);
    }
    if (this.raw !== null && this.rawDec < this.rawEnd && this.decodeMore(false) > 0) return 1;
    if (this.ioPending) {
      this.beforeIO();
      if (this.ioPending) return -1;
    }
    for (;;) {
      const want = bulk ? BULK_READ : this.bufferSize;
      const raw = this.ensureRaw(want);
      let n: number;
      try {
        n = this.readFd(raw, this.rawEnd, Math.min(want, raw.length - this.rawEnd));
        while (n < 0 && this.blocking) {
          waitFd(this.rfd, native.POLLIN);
          n = this.readFd(raw, this.rawEnd, Math.min(want, raw.length - this.rawEnd));
        }
      } catch (e) {
        ioFailure(e);
      }
      if (n < 0) return -1;
      this.needMoreData = false;
      if (n === 0) {
        // A partial sequence left at end of file decodes byte by byte.
        if (this.rawDec < this.rawEnd && this.decodeMore(true) > 0) return 1;
        return 0;
      }
      this.rawEnd += n;
      if (this.decodeMore(false) > 0) return 1;
      if (this.stickyEof) return 0;
    }
  }

  // Auto translation looks for both CR and LF; remembering where the next one of each is (or that
  // none is left) keeps a buffer of many short lines from being rescanned for every line.
  private lfBuf = '';
  private lfFrom = 0;
  private lfAt = -1;
  private crBuf = '';
  private crFrom = 0;
  private crAt = -1;

  private findChar(buf: string, from: number, code: number): number {
    if (code === 10) {
      if (this.lfBuf === buf && from >= this.lfFrom && (this.lfAt < 0 || this.lfAt >= from)) return this.lfAt;
      const at = buf.indexOf('\n', from);
      this.lfBuf = buf;
      this.lfFrom = from;
      this.lfAt = at;
      return at;
    }
    if (this.crBuf === buf && from >= this.crFrom && (this.crAt < 0 || this.crAt >= from)) return this.crAt;
    const at = buf.indexOf('\r', from);
    this.crBuf = buf;
    this.crFrom = from;
    this.crAt = at;
    return at;
  }

  /** Start of an input operation: clears the per-operation flags (eof is not sticky in Tcl). */
  private beginInput(): void {
    this.blocked = false;
    if (!this.stickyEof) this.eof = false;
    else this.eof = true;
  }

  /** Drop a LF that completes a CR already taken as end of line (auto translation). */
  private settleSkipLF(): void {
    if (this.cpos < this.cbuf.length) {
      if (this.cbuf.charCodeAt(this.cpos) === 10) this.cpos++;
      this.skipLF = false;
    }
  }

  /**
   * Tcl_GetsObj: the next line without its end-of-line, or null when there is no complete line
   * (end of file with nothing left, or a nonblocking channel that would block; see eof/blocked).
   */
  gets(): string | null {
    this.beginInput();
    let rel = 0;
    for (;;) {
      if (this.skipLF) {
        this.settleSkipLF();
      }
      const buf = this.cbuf;
      const cpos = this.cpos;
      const from = cpos + rel;
      if (!this.skipLF) {
        switch (this.inTrans) {
          case Trans.Lf:
          case Trans.Binary: {
            const i = buf.indexOf('\n', from);
            if (i >= 0) {
              this.cpos = i + 1;
              return buf.slice(cpos, i);
            }
            rel = buf.length - cpos;
            break;
          }
          case Trans.Auto: {
            const i = this.findChar(buf, from, 10);
            const j = this.findChar(buf, from, 13);
            if (j >= 0 && (i < 0 || j < i)) {
              if (j + 1 < buf.length) {
                this.cpos = buf.charCodeAt(j + 1) === 10 ? j + 2 : j + 1;
              } else {
                this.cpos = j + 1;
                this.skipLF = true;
              }
              return buf.slice(cpos, j);
            }
            if (i >= 0) {
              this.cpos = i + 1;
              return buf.slice(cpos, i);
            }
            rel = buf.length - cpos;
            break;
          }
          case Trans.Cr: {
            const i = buf.indexOf('\r', from);
            if (i >= 0) {
              this.cpos = i + 1;
              return buf.slice(cpos, i);
            }
            rel = buf.length - cpos;
            break;
          }
          case Trans.Crlf: {
            const i = buf.indexOf('\r\n', from);
            if (i >= 0) {
              this.cpos = i + 2;
              return buf.slice(cpos, i);
            }
            // A CR at the very end may pair with a LF still to come.
            rel = Math.max(0, buf.length - cpos - 1);
            break;
          }
        }
      }
      // fill may move the unconsumed text to the front of cbuf; `rel` is relative to cpos.
      const r = this.fill(false);
      if (r > 0) continue;
      if (r === 0) {
        this.eof = true;
        if (this.skipLF) this.skipLF = false;
        if (this.cpos < this.cbuf.length) {
          const line = this.cbuf.slice(this.cpos);
          this.cpos = this.cbuf.length;
          return line;
        }
        return null;
      }
      this.blocked = true;
      this.needMoreData = true;
      return null;
    }
  }

  /** Translate consumed input text; `more` says whether more input may follow. */
  private translateIn(s: string, more: boolean): string {
    switch (this.inTrans) {
      case Trans.Lf:
      case Trans.Binary:
        return s;
      case Trans.Cr:
        return s.indexOf('\r') < 0 ? s : s.replace(/\r/g, '\n');
      case Trans.Crlf:
        return s.indexOf('\r\n') < 0 ? s : s.replace(/\r\n/g, '\n');
      default: {
        if (this.skipLF) {
          if (s.length === 0) return s;
          if (s.charCodeAt(0) === 10) s = s.slice(1);
          this.skipLF = false;
        }
        if (s.indexOf('\r') < 0) return s;
        if (s.charCodeAt(s.length - 1) === 13) {
          this.skipLF = more;
        }
        return s.replace(/\r\n?/g, '\n');
      }
    }
  }

  /**
   * Take up to `max` untranslated characters from cbuf (all when max < 0), keeping a CR that
   * might start a CRLF pair when crlf translation needs to see the next character.
   */
  private takeChars(max: number, atEof: boolean): string {
    const buf = this.cbuf;
    const start = this.cpos;
    let end = max < 0 ? buf.length : Math.min(buf.length, start + max);
    if (this.inTrans === Trans.Crlf && end > start && buf.charCodeAt(end - 1) === 13) {
      if (end < buf.length) {
        if (buf.charCodeAt(end) === 10) end++;
      } else if (!atEof) end--;
    }
    this.cpos = end;
    return buf.slice(start, end);
  }

  /** `read chan`: everything up to end of file (blocking) or what is available (nonblocking). */
  readAll(): string {
    this.beginInput();
    let out = '';
    for (;;) {
      if (this.cpos < this.cbuf.length) out += this.translateIn(this.takeChars(-1, false), true);
      const r = this.fill(true);
      if (r > 0) continue;
      if (r === 0) {
        this.eof = true;
        if (this.cpos < this.cbuf.length) out += this.translateIn(this.takeChars(-1, true), false);
        this.skipLF = false;
        return out;
      }
      this.blocked = true;
      return out;
    }
  }

  /** `read chan n`: up to n characters (fewer at end of file or when nonblocking). */
  readChars(n: number): string {
    this.beginInput();
    let out = '';
    while (out.length < n) {
      if (this.skipLF) this.settleSkipLF();
      if (this.cpos < this.cbuf.length && !this.skipLF) {
        const chunk = this.takeChars(n - out.length, false);
        if (chunk.length > 0) {
          out += this.translateIn(chunk, true);
          continue;
        }
      }
      const r = this.fill(n - out.length > this.bufferSize);
      if (r > 0) continue;
      if (r === 0) {
        this.eof = true;
        if (this.cpos < this.cbuf.length) out += this.translateIn(this.takeChars(n - out.length, true), false);
        this.skipLF = false;
        return out;
      }
      this.blocked = true;
      return out;
    }
    return out;
  }

  /** Forget buffered input (seek). */
  discardInput(): void {
    this.cbuf = '';
    this.cpos = 0;
    this.rawStart = this.rawDec = this.rawEnd = 0;
    this.skipLF = false;
    this.stickyEof = false;
    this.eof = false;
    this.needMoreData = false;
  }

  // ------------------------------------------------------------- output

  /** Bytes of output buffered and not yet written (chan pending output). */
  pendingOutput(): number {
    let n = this.olen;
    for (let i = 0; i < this.outQueue.length; i++) n += this.outQueue[i].length;
    return n - this.outQueueOff;
  }

  private translateOut(s: string): string {
    const t = this.outTrans;
    if (t === Trans.Lf || t === Trans.Binary || s.indexOf('\n') < 0) return s;
    if (t === Trans.Crlf) return s.replace(/\n/g, '\r\n');
    if (t === Trans.Cr) return s.replace(/\n/g, '\r');
    // Auto output is the platform's: lf.
    return s;
  }

  /** Tcl_WriteChars: buffer `s` (and flush as the buffering mode says). */
  write(s: string): void {
    this.writeText(s, false);
  }

  /**
   * `puts`: `s`, then a newline. Tcl writes the two separately too; every encoding here is
   * stateless, so the bytes are those of `s + "\n"`. Saves building that string and searching
   * it for the newline that line buffering flushes on (one flush for both, as before).
   */
  writeLine(s: string): void {
    this.writeText(s, true);
  }

  private writeText(s: string, newline: boolean): void {
    if (this.unreportedError !== null) {
      const code = this.unreportedError;
      this.unreportedError = null;
      throw new ChannelIOError(code);
    }
    const hasNl = this.buffering === Buffering.Line && (newline || s.indexOf('\n') >= 0);
    if (s.length > 0) this.putChars(s);
    if (newline) this.putChars('\n');
    if (this.buffering === Buffering.None || hasNl || this.olen >= this.bufferSize) this.flush();
  }

  /** Translate, encode and buffer `s` (no flushing). */
  private putChars(s: string): void {
    const t = this.translateOut(s);
    let ob = this.obuf;
    if (ob === null) ob = this.obuf = takeBuffer(this.bufferSize);
    const room = this.bufferSize - this.olen;
    const n = room > 0 && this.olen + room <= ob.length ? this.encoding.encodeInto(t, ob, this.olen, room) : -1;
    if (n >= 0) this.olen += n;
    else this.writeBytes(this.encoding.encode(t));
  }

  /** Append raw bytes to the output (already encoded and translated). */
  writeBytes(b: Buffer): void {
    let ob = this.obuf;
    if (ob === null) ob = this.obuf = takeBuffer(this.bufferSize);
    let off = 0;
    while (off < b.length) {
      const cap = Math.min(this.bufferSize, ob.length);
      if (this.olen >= cap) {
        this.flush();
        if (this.obuf !== ob) ob = this.obuf!;
        continue;
      }
      // Whole buffers' worth goes straight out once the buffer is empty; the rest stays buffered,
      // just as filling and flushing buffer after buffer would leave it.
      if (this.olen === 0 && b.length - off >= cap) {
        const whole = b.length - off - ((b.length - off) % cap);
        this.queueOut(b.subarray(off, off + whole));
        this.flush();
        off += whole;
        continue;
      }
      const n = Math.min(cap - this.olen, b.length - off);
      b.copy(ob, this.olen, off, off + n);
      this.olen += n;
      off += n;
    }
  }

  private queueOut(b: Buffer): void {
    this.outQueue.push(b);
  }

  /**
   * Tcl_Flush: write buffered output. A blocking channel waits until everything is written; a
   * nonblocking one writes what the fd takes and leaves the rest to a background flush.
   */
  flush(): void {
    if (this.olen > 0) {
      const ob = this.obuf!;
      const len = this.olen;
      let off = 0;
      if (this.outQueue.length === 0 && !this.ioPending) {
        // Nothing queued ahead: write straight from the buffer, copying only what is left over.
        try {
          while (off < len) {
            const n = this.writeFd(ob, off, len - off);
            if (n >= 0) {
              off += n;
              continue;
            }
            if (!this.blocking) break;
            waitFd(this.wfd, native.POLLOUT);
          }
        } catch (e) {
          this.olen = 0;
          ioFailure(e);
        }
      }
      this.olen = 0;
      if (off < len) {
        const rest = Buffer.allocUnsafe(len - off);
        ob.copy(rest, 0, off, len);
        this.outQueue.push(rest);
      }
    }
    if (this.outQueue.length === 0) return;
    if (this.bgFlushScheduled && !this.blocking) return;
    this.drain(this.blocking);
  }

  /** Write queued output; `wait` makes it block until all is written. Returns true when empty. */
  drain(wait: boolean): boolean {
    const q = this.outQueue;
    if (this.ioPending) {
      this.beforeIO();
      if (this.ioPending) {
        this.scheduleBgFlush();
        return false;
      }
    }
    try {
      while (q.length > 0) {
        const b = q[0];
        const off = this.outQueueOff;
        const n = this.writeFd(b, off, b.length - off);
        if (n < 0) {
          if (!wait) {
            this.scheduleBgFlush();
            return false;
          }
          waitFd(this.wfd, native.POLLOUT);
          continue;
        }
        if (off + n >= b.length) {
          q.shift();
          this.outQueueOff = 0;
        } else this.outQueueOff = off + n;
      }
    } catch (e) {
      // Output that cannot be written is dropped, as Tcl discards it after a write error.
      q.length = 0;
      this.outQueueOff = 0;
      this.olen = 0;
      ioFailure(e);
    }
    if (this.bgFlushScheduled) {
      this.bgFlushScheduled = false;
      this.updateInterest();
    }
    return true;
  }

  private scheduleBgFlush(): void {
    if (this.bgFlushScheduled) return;
    this.bgFlushScheduled = true;
    this.updateInterest();
  }

  /** The background flush step run when the fd is writable. */
  private backgroundFlush(): void {
    try {
      if (this.drain(false) && this.closePending) this.finishClose();
    } catch (e) {
      if (e instanceof ChannelIOError) {
        this.unreportedError = e.code;
        this.bgFlushScheduled = false;
        if (this.closePending) this.finishClose();
        else this.updateInterest();
        return;
      }
      throw e;
    }
  }

  // ------------------------------------------------------------- events

  createHandler(mask: number, proc: (mask: number) => void, owner: unknown): ChannelHandler {
    const h = new ChannelHandler(mask, proc, owner);
    this.handlers.push(h);
    this.recomputeInterest();
    return h;
  }

  deleteHandler(h: ChannelHandler): void {
    h.live = false;
    removeNewestFirst(this.handlers, h);
    this.recomputeInterest();
  }

  recomputeInterest(): void {
    let m = 0;
    for (const h of this.handlers) m |= h.mask;
    this.interestMask = m;
    this.updateInterest();
  }

  /**
   * Tcl's UpdateInterest: watch the fds for what handlers want, except that buffered input is
   * announced by a zero-delay timer instead of the fd (it is readable now, whatever the fd says).
   */
  updateInterest(): void {
    if (this.closed) return;
    let mask = this.interestMask;
    if (this.bgFlushScheduled) mask |= WRITABLE;
    const driverMask = this.driverWatchMask();
    if (mask & READABLE && this.readAheadOnWatch && this.readAhead()) {
      // What arrived is announced as the fd's own readable event, queued now instead of polled.
      this.watch(mask | driverMask);
      notifier.queueFileEvent(this.rfd, READABLE);
      return;
    }
    if (mask & READABLE && !this.needMoreData && this.hasBufferedInput()) {
      mask &= ~READABLE;
      if (this.timer === null) this.timer = notifier.createTimer(0, () => this.channelTimer());
    }
    this.watch(mask | driverMask);
  }

  /**
   * The one read of readAheadOnWatch. Returns true when bytes arrived (kept raw, as a read would
   * leave them). End of file and errors are left for poll to report; an error is kept for the
   * next read, since reading consumed it.
   */
  private readAhead(): boolean {
    this.readAheadOnWatch = false;
    if (!this.readable || this.readClosed || this.rfd < 0 || !this.fdNonBlocking || this.ioPending) return false;
    if (this.stickyEof || this.watchedR !== 0 || this.hasBufferedInput()) return false;
    const raw = this.ensureRaw(this.bufferSize);
    try {
      const n = this.readFd(raw, this.rawEnd, Math.min(this.bufferSize, raw.length - this.rawEnd));
      if (n <= 0) return false;
      this.rawEnd += n;
      return true;
    } catch (e) {
      this.readAheadError = e;
      return false;
    }
  }

  private channelTimer(): void {
    this.timer = null;
    if (this.closed) return;
    if (!this.needMoreData && this.interestMask & READABLE && this.hasBufferedInput()) {
      this.timer = notifier.createTimer(0, () => this.channelTimer());
      this.notify(READABLE);
    } else this.updateInterest();
  }

  private watch(mask: number): void {
    const r = this.readable && !this.readClosed && this.rfd >= 0 ? mask & READABLE : 0;
    const w = this.writable && !this.writeClosed && this.wfd >= 0 ? mask & WRITABLE : 0;
    if (this.rfd === this.wfd) {
      const m = r | w;
      if (m !== (this.watchedR | this.watchedW)) {
        if (m === 0) notifier.deleteFileHandler(this.rfd);
        else notifier.createFileHandler(this.rfd, m, (ready) => this.notify(ready));
      }
      this.watchedR = r;
      this.watchedW = w;
      return;
    }
    if (r !== this.watchedR) {
      if (r === 0) notifier.deleteFileHandler(this.rfd);
      else notifier.createFileHandler(this.rfd, r, (ready) => this.notify(ready));
      this.watchedR = r;
    }
    if (w !== this.watchedW) {
      if (w === 0) notifier.deleteFileHandler(this.wfd);
      else notifier.createFileHandler(this.wfd, w, (ready) => this.notify(ready));
      this.watchedW = w;
    }
  }

  /** The driver replaced its fd: nothing is watched any more. */
  protected forgetWatch(): void {
    this.watchedR = 0;
    this.watchedW = 0;
  }

  private unwatch(): void {
    if (this.timer !== null) {
      notifier.deleteTimer(this.timer);
      this.timer = null;
    }
    if (this.watchedR | this.watchedW) {
      if (this.rfd >= 0 && this.watchedR) notifier.deleteFileHandler(this.rfd);
      if (this.wfd >= 0 && this.watchedW) notifier.deleteFileHandler(this.wfd);
      if (this.rfd === this.wfd && this.rfd >= 0) notifier.deleteFileHandler(this.rfd);
    }
    this.watchedR = 0;
    this.watchedW = 0;
  }

  /** Tcl_NotifyChannel: run the handlers interested in `mask`. */
  notify(mask: number): void {
    if (this.closed) return;
    mask = this.driverReady(mask);
    if (mask & WRITABLE && this.bgFlushScheduled) {
      this.backgroundFlush();
      mask &= ~WRITABLE;
      if (this.closed) return;
    }
    if (mask !== 0) {
      const list = this.handlers;
      if (list.length === 1) {
        const h = list[0];
        if (h.mask & mask) h.proc(h.mask & mask);
        if (this.closed) return;
      } else {
        // Handlers may add or delete handlers: run over a copy, skipping deleted ones.
        const hs = list.slice();
        for (let i = 0; i < hs.length; i++) {
          const h = hs[i];
          if (!h.live || !(h.mask & mask)) continue;
          h.proc(h.mask & mask);
          if (this.closed) return;
        }
      }
    }
    this.updateInterest();
  }

  // ------------------------------------------------------------- seek

  /** Tcl_Tell: the byte position as the script sees it, or -1 when the channel cannot seek. */
  tell(): number {
    if (!this.seekable) return -1;
    const fd = this.rfd >= 0 ? this.rfd : this.wfd;
    const pos = native.lseek(fd, 0, native.SEEK_CUR);
    return pos - this.pendingInput() + this.pendingOutput();
  }

  /** Tcl_Seek: flush output, drop input, move. Returns the new position. */
  seek(offset: number, whence: number): number {
    this.flush();
    const fd = this.rfd >= 0 ? this.rfd : this.wfd;
    if (whence === native.SEEK_CUR) offset -= this.pendingInput();
    let pos: number;
    try {
      pos = native.lseek(fd, offset, whence);
    } catch (e) {
      ioFailure(e);
    }
    this.discardInput();
    return pos;
  }

  // ------------------------------------------------------------- closing

  /**
   * Close completely (the last reference went away). Flushes output (in the background for a
   * nonblocking channel), closes the driver and returns an error to report, or null.
   */
  close(): TclError | null {
    if (this.closed) return null;
    let err: TclError | null = null;
    if (this.writable && !this.writeClosed) {
      try {
        if (this.outEofChar >= 0) this.writeBytes(Buffer.from([this.outEofChar]));
        if (this.blocking) this.flush();
        else {
          if (this.olen > 0) this.flush();
          if (this.pendingOutput() > 0) {
            this.closePending = true;
            this.handlers = [];
            this.interestMask = 0;
            this.runCloseCallbacks();
            this.updateInterest();
            return null;
          }
        }
      } catch (e) {
        err = channelError('writing', this, e);
      }
    }
    if (err === null && this.unreportedError !== null) {
      err = channelError('writing', this, new ChannelIOError(this.unreportedError));
    }
    const derr = this.finishClose();
    return err ?? derr;
  }

  private runCloseCallbacks(): void {
    const cbs = this.closeCallbacks;
    this.closeCallbacks = [];
    for (const cb of cbs) cb();
  }

  private finishClose(): TclError | null {
    this.closePending = false;
    this.handlers = [];
    this.interestMask = 0;
    this.eventRecords = null;
    this.runCloseCallbacks();
    this.unwatch();
    this.closed = true;
    unregisterOpen(this);
    giveBuffer(this.raw);
    giveBuffer(this.obuf);
    this.raw = null;
    this.obuf = null;
    this.olen = 0;
    this.cbuf = '';
    this.cpos = 0;
    return this.closeDriver();
  }

  /** Flush for exit or fork: everything out, waiting if needed; errors are ignored. */
  flushForExit(): void {
    if (this.closed || !this.writable || this.writeClosed) return;
    try {
      if (this.olen > 0 || this.outQueue.length > 0) {
        this.flush();
        this.drain(true);
      }
    } catch {
      // Nothing to report to at exit.
    }
  }
}

export function closeQuietly(fd: number): void {
  try {
    native.close(fd);
  } catch {
    // Closing an fd the kernel already dropped is not an error anyone can act on.
  }
}

// ------------------------------------------------------------------ the process's open channels

/** Every channel not yet closed in this process (for flushing at exit and before fork). */
const openChannels = new Set<Channel>();

export function registerOpen(ch: Channel): void {
  openChannels.add(ch);
}

function unregisterOpen(ch: Channel): void {
  openChannels.delete(ch);
}

/** Flush every channel of the process (exit, fork). */
export function flushAllOpen(): void {
  for (const ch of openChannels) ch.flushForExit();
}

export function allOpenChannels(): Iterable<Channel> {
  return openChannels;
}
