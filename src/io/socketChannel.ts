/**
 * TCP channels (Tcl's "tcp" channel type): connected sockets, client sockets whose connect is in
 * progress (-async), and listening server sockets that run an accept callback for every new
 * connection. All fds are nonblocking; a blocking channel waits in poll(2).
 */
import * as native from '../native/index.js';
import { TclError } from '../values/error.js';
import { TclObj } from '../values/obj.js';
import { formatStringList } from '../values/listFormat.js';
import { Channel, ChannelIOError, Trans, closeQuietly, registerOpen, waitFd } from './channel.js';
import { notifier, READABLE, WRITABLE } from './notifier.js';
import { errnoCodeOf, posixMessage, posixErrorCode } from './errno.js';
import { reverseLookup, canonicalAddress } from './hosts.js';

// The name's address, 0x55d4c0a31e40 + serial * 0x160, kept as a high part (hex digits above the
// last seven) and a low part below 0x10000000, so that both stay small integers: a double's
// toString(16) is slow, and a server names a socket per connection.
let sockHigh = 0x55d4c;
let sockLow = 0x0a31e40;

/** Tcl names sockets after an address; ours are unique and look the same. */
export function newSocketName(): string {
  sockLow += 0x160;
  if (sockLow >= 0x10000000) {
    sockLow -= 0x10000000;
    sockHigh++;
  }
  return 'sock' + sockHigh.toString(16) + sockLow.toString(16).padStart(7, '0');
}

function addrTriple(a: native.SockAddr): string[] {
  const host = canonicalAddress(a[0]);
  return [host, reverseLookup(host), String(a[1])];
}

function errnoName(errno: number): string {
  return native.errnoName(errno) ?? 'EIO';
}

const PEER_NAMES = ['-peername', '-sockname'];
const BAD_OPTION_NAMES = ['-connecting', '-peername', '-sockname'];

/** Tcl's matching of the socket options: a unique prefix of at least two characters. */
function socketOption(opt: string): string | null {
  if (opt.length < 2) return null;
  for (const name of ['-connecting', '-error', '-peername', '-sockname']) {
    if (name.startsWith(opt)) return name;
  }
  return null;
}

export class SocketChannel extends Channel {
  /** Addresses still to try for a connect in progress: [host, port]. */
  private pendingAddrs: Array<[string, number]> = [];
  private connecting = false;
  /** errno of a failed asynchronous connect, reported once by -error. */
  private connectError = 0;
  /** The asynchronous connect failed for good: all I/O reports "socket is not connected". */
  private failed = false;
  private bindHost = '';
  private bindPort = 0;

  constructor(name: string, fd: number) {
    super(name, fd, fd, true, true);
    this.inTrans = Trans.Auto;
    this.outTrans = Trans.Crlf;
    this.fdNonBlocking = true;
    registerOpen(this);
  }

  get typeName(): string {
    return 'tcp';
  }

  override get canHalfClose(): boolean {
    return true;
  }

  // ------------------------------------------------------------- connecting

  /** Start an asynchronous connect that tries `addrs` in order. */
  startAsync(addrs: Array<[string, number]>, bindHost: string, bindPort: number): void {
    this.pendingAddrs = addrs;
    this.bindHost = bindHost;
    this.bindPort = bindPort;
    this.connecting = true;
    this.ioPending = true;
    this.updateInterest();
  }

  protected override driverWatchMask(): number {
    return this.connecting ? WRITABLE : 0;
  }

  /** Check a connect in progress; moves on to the next address when one fails. */
  private checkConnect(wait: boolean): void {
    while (this.connecting) {
      if (wait) waitFd(this.rfd, native.POLLOUT);
      else if (!waitFd(this.rfd, native.POLLOUT, 0)) return;
      const err = native.getSocketError(this.rfd);
      if (err === 0) {
        this.connecting = false;
        break;
      }
      if (this.pendingAddrs.length === 0) {
        this.connecting = false;
        this.connectError = err;
        this.failed = true;
        break;
      }
      this.reconnectNext();
    }
    this.ioPending = this.connecting;
    this.updateInterest();
  }

  /** Replace the fd with a new socket connecting to the next address. */
  private reconnectNext(): void {
    while (this.pendingAddrs.length > 0) {
      const [host, port] = this.pendingAddrs.shift()!;
      let fd = -1;
      try {
        fd = native.socket(host.includes(':') ? 6 : 4, 'stream', true);
        if (this.bindHost !== '' || this.bindPort !== 0) native.bind(fd, this.bindHost, this.bindPort);
        const done = native.connect(fd, host, port);
        this.swapFd(fd);
        if (done) this.connecting = false;
        return;
      } catch (e) {
        if (fd >= 0) closeQuietly(fd);
        if (this.pendingAddrs.length === 0) {
          this.connecting = false;
          this.connectError = (e as { errno?: number }).errno ?? 0;
          this.failed = true;
          return;
        }
      }
    }
  }

  private swapFd(fd: number): void {
    const old = this.rfd;
    notifier.deleteFileHandler(old);
    this.forgetWatch();
    closeQuietly(old);
    this.rfd = fd;
    this.wfd = fd;
  }

  protected override beforeIO(): void {
    this.checkConnect(this.blocking);
  }

  protected override driverReady(mask: number): number {
    if (this.connecting && mask & WRITABLE) {
      this.checkConnect(false);
      if (this.connecting) return mask & ~WRITABLE;
    }
    return mask;
  }

  // ------------------------------------------------------------- reading

  /** An asynchronous connect that failed immediately. */
  markFailed(errno: number): void {
    this.connectError = errno;
    this.failed = true;
  }

  protected override writeFd(buf: Buffer, off: number, len: number): number {
    if (this.failed) throw new ChannelIOError('ENOTCONN');
    return native.write(this.wfd, buf, off, len);
  }

  protected override readFd(buf: Buffer, off: number, len: number): number {
    if (this.failed) throw new ChannelIOError('ENOTCONN');
    try {
      return native.read(this.rfd, buf, off, len);
    } catch (e) {
      // A reset connection reads as end of file, as in Tcl.
      if (errnoCodeOf(e) === 'ECONNRESET') return 0;
      throw e;
    }
  }

  // ------------------------------------------------------------- options

  override driverOptionNames(): readonly string[] {
    return PEER_NAMES;
  }

  override badOptionNames(forSet: boolean): readonly string[] {
    return forSet ? [] : BAD_OPTION_NAMES;
  }

  override getDriverOption(opt: string): TclObj | null {
    const name = socketOption(opt);
    if (name === null) return null;
    switch (name) {
      case '-connecting':
        return TclObj.fromBool(this.connecting);
      case '-error': {
        let err = this.connectError;
        this.connectError = 0;
        if (err === 0 && !this.connecting && this.rfd >= 0) {
          try {
            err = native.getSocketError(this.rfd);
          } catch {
            err = 0;
          }
        }
        return TclObj.fromString(err === 0 ? '' : posixMessage(errnoName(err)));
      }
      case '-peername': {
        if (this.connecting) return TclObj.EMPTY;
        try {
          return TclObj.fromString(formatStringList(addrTriple(native.getpeername(this.rfd))));
        } catch (e) {
          const code = errnoCodeOf(e);
          throw new TclError(`can't get peername: ${posixMessage(code)}`, posixErrorCode(code));
        }
      }
      default: {
        try {
          return TclObj.fromString(formatStringList(addrTriple(native.getsockname(this.rfd))));
        } catch (e) {
          const code = errnoCodeOf(e);
          throw new TclError(`can't get sockname: ${posixMessage(code)}`, posixErrorCode(code));
        }
      }
    }
  }

  override getAllDriverOption(name: string): TclObj | null {
    if (name === '-peername' && this.connecting) return null;
    try {
      return this.getDriverOption(name);
    } catch {
      return null;
    }
  }

  // ------------------------------------------------------------- closing

  override closeHalf(write: boolean): TclError | null {
    try {
      if (write) {
        this.flush();
        native.shutdown(this.rfd, 'write');
        this.writeClosed = true;
      } else {
        native.shutdown(this.rfd, 'read');
        this.readClosed = true;
      }
    } catch (e) {
      const code = errnoCodeOf(e);
      return new TclError(posixMessage(code), posixErrorCode(code));
    }
    this.recomputeInterest();
    return null;
  }
}

// ------------------------------------------------------------------ server sockets

export class ServerChannel extends Channel {
  /** The listening fds with the address each was asked to bind ([fd, host]). */
  readonly listeners: Array<[number, string]>;
  /** Addresses shown by -sockname: [host, port] (a dual-stack socket shows both wildcards). */
  shownAddrs: Array<[string, number]> = [];

  constructor(
    name: string,
    listeners: Array<[number, string]>,
    private readonly onAccept: (fd: number, host: string, port: number) => void,
  ) {
    super(name, -1, -1, false, false);
    this.listeners = listeners;
    this.inTrans = Trans.Auto;
    registerOpen(this);
    for (const [fd] of listeners) {
      notifier.createFileHandler(fd, READABLE, () => this.acceptOne(fd));
    }
  }

  get typeName(): string {
    return 'tcp';
  }

  /** One accept per readable event, as Tcl's TcpAccept does. */
  private acceptOne(fd: number): void {
    if (this.closed) return;
    let a: native.Accepted | null;
    try {
      a = native.accept(fd);
    } catch {
      // EMFILE and friends: the connection waits in the backlog for a later try.
      return;
    }
    if (a === null) return;
    this.onAccept(a[0], canonicalAddress(a[1]), a[2]);
  }

  override driverOptionNames(): readonly string[] {
    return ['-sockname'];
  }

  override badOptionNames(forSet: boolean): readonly string[] {
    return forSet ? [] : BAD_OPTION_NAMES;
  }

  override getDriverOption(opt: string): TclObj | null {
    const name = socketOption(opt);
    if (name === null) return null;
    switch (name) {
      case '-connecting':
        return TclObj.fromBool(false);
      case '-error':
        return TclObj.EMPTY;
      case '-peername':
        throw new TclError(`can't get peername: ${posixMessage('ENOTCONN')}`, posixErrorCode('ENOTCONN'));
      default: {
        const out: string[] = [];
        for (const [host, port] of this.shownAddrs) out.push(host, reverseLookup(host), String(port));
        return TclObj.fromString(formatStringList(out));
      }
    }
  }

  protected override closeDriver(): TclError | null {
    for (const [fd] of this.listeners) {
      notifier.deleteFileHandler(fd);
      closeQuietly(fd);
    }
    this.listeners.length = 0;
    return null;
  }
}

export { errnoName };
