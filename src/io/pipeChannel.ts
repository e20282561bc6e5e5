/**
 * Command pipeline channels (`open "|cmd ..."`): the read end of the last process's stdout and/or
 * the write end of the first one's stdin, the children's pids, and the temporary file collecting
 * their stderr, reported by close as Tcl does.
 */
import * as native from '../native/index.js';
import { TclError } from '../values/error.js';
import { Channel, closeQuietly, registerOpen } from './channel.js';
import { waitChildren, detachPids, reapDetached } from './process.js';
import { decodeUtf8 } from './encoding.js';

/** Read a whole temporary file from its start (stderr collected from children). */
export function readTempFile(fd: number): string {
  const parts: Buffer[] = [];
  try {
    native.lseek(fd, 0, native.SEEK_SET);
    for (;;) {
      const b = Buffer.allocUnsafe(65536);
      const n = native.read(fd, b, 0, b.length);
      if (n <= 0) break;
      parts.push(b.subarray(0, n));
    }
  } catch {
    // An unreadable stderr file reports nothing.
  }
  const all = Buffer.concat(parts);
  return decodeUtf8(all, 0, all.length).replace(/\r\n?/g, '\n');
}

export class PipeChannel extends Channel {
  constructor(
    name: string,
    rfd: number,
    wfd: number,
    readonly pids: number[],
    private errFd: number,
  ) {
    super(name, rfd, wfd, rfd >= 0, wfd >= 0);
    this.fdNonBlocking = true;
    registerOpen(this);
  }

  get typeName(): string {
    return 'pipe';
  }

  override get canHalfClose(): boolean {
    return true;
  }

  override closeHalf(write: boolean): TclError | null {
    if (write) {
      try {
        this.flush();
      } catch {
        // A reader that went away is reported by the full close.
      }
      if (this.wfd >= 0) closeQuietly(this.wfd);
      this.writeClosed = true;
    } else {
      if (this.rfd >= 0) closeQuietly(this.rfd);
      this.readClosed = true;
    }
    this.recomputeInterest();
    if (write) this.wfd = -1;
    else this.rfd = -1;
    return null;
  }

  protected override closeDriver(): TclError | null {
    if (this.rfd >= 0) closeQuietly(this.rfd);
    if (this.wfd >= 0) closeQuietly(this.wfd);
    this.rfd = -1;
    this.wfd = -1;
    const errFd = this.errFd;
    this.errFd = -1;
    if (!this.blocking) {
      detachPids(this.pids);
      reapDetached();
      if (errFd >= 0) closeQuietly(errFd);
      return null;
    }
    const report = waitChildren(this.pids);
    let msg = '';
    if (errFd >= 0) {
      msg = readTempFile(errFd);
      closeQuietly(errFd);
    }
    if (msg.length === 0 && report.failed) msg = report.abnormalText;
    if (msg.length === 0 && !report.failed) return null;
    return new TclError(msg, report.errorCode ?? 'NONE');
  }
}
