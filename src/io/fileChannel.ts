/**
 * Channels over plain descriptors: files opened by `open`, the standard channels, and `chan pipe`
 * ends (Tcl's "file" channel type).
 */
import * as native from '../native/index.js';
import { Channel, Buffering, Trans, registerOpen } from './channel.js';

export class FileChannel extends Channel {
  private readonly isRegular: boolean;

  constructor(name: string, fd: number, readable: boolean, writable: boolean) {
    super(name, readable ? fd : -1, writable ? fd : -1, readable, writable);
    let kind = 'unknown';
    try {
      kind = native.fdType(fd);
    } catch {
      // An fd that fstat rejects is not seekable; reads and writes will report the error.
    }
    this.isRegular = kind === 'file' || kind === 'block';
    registerOpen(this);
  }

  get typeName(): string {
    return 'file';
  }

  override get seekable(): boolean {
    return this.isRegular;
  }

  override get hasSeek(): boolean {
    return true;
  }

  /** The fd, whichever direction it is open for. */
  get fd(): number {
    return this.rfd >= 0 ? this.rfd : this.wfd;
  }
}

/** The channel Tcl makes for inherited fd 0, 1 or 2, or null when that fd is not open. */
export function makeStdChannel(fd: 0 | 1 | 2): Channel | null {
  try {
    native.fdType(fd);
  } catch {
    return null;
  }
  const name = fd === 0 ? 'stdin' : fd === 1 ? 'stdout' : 'stderr';
  const ch = new FileChannel(name, fd, fd === 0, fd !== 0);
  ch.buffering = fd === 2 ? Buffering.None : Buffering.Line;
  if (fd !== 0) ch.outTrans = Trans.Lf;
  return ch;
}
