/**
 * socketserver's two needs from the channel layer: watching the queue's receiving end in the
 * event loop, and turning a received connection fd into a socket channel of an interpreter
 * (what Tcl_MakeFileChannel + Tcl_RegisterChannel do in the original).
 */
import type { Interp } from '../engine/interp.js';
import * as native from '../native/index.js';
import { notifier, READABLE } from '../io/notifier.js';
import { SocketChannel, newSocketName } from '../io/socketChannel.js';
import { registerChannel, claimStdSlot } from '../io/table.js';

/** Calls `proc` from the event loop whenever `fd` is readable, until `unwatch(fd)`. */
export function watchReadable(fd: number, proc: () => void): void {
  notifier.createFileHandler(fd, READABLE, proc);
}

/** Has the next event-loop pass call `fd`'s proc without polling first (it must cope with EAGAIN). */
export function assumeReadable(fd: number): void {
  notifier.assumeReady(fd, READABLE);
}

export function unwatch(fd: number): void {
  notifier.deleteFileHandler(fd);
}

/**
 * Registers a connected TCP socket fd in `interp` as a `sockN` channel; returns its name.
 * `fromQueue`: taken off a socketserver queue, whose receive made it O_NONBLOCK already.
 */
export function adoptConnection(interp: Interp, fd: number, fromQueue: boolean): string {
  // Socket channels drive nonblocking fds (a blocking channel waits in poll).
  if (!fromQueue) native.setNonBlocking(fd, true);
  const ch = new SocketChannel(newSocketName(), fd);
  // A connection that waited in a queue has usually received its client's first bytes by now.
  ch.readAheadOnWatch = fromQueue;
  // Tcl_CreateChannel hands a closed standard channel's slot to the next channel made.
  claimStdSlot(ch);
  registerChannel(interp, ch);
  return ch.name;
}
