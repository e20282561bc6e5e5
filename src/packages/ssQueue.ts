/**
 * The connection queue of socketserver, usable from JavaScript: accepted TCP connections travel
 * between processes over an AF_UNIX SOCK_SEQPACKET socket as one SCM_RIGHTS message each, whose
 * data is "<ip> <port>" (the peer), exactly what `::socketserver::socket client` consumes. Every
 * process holding the receiving end competes for the next connection; one record is one
 * connection, so a reader never sees half of a message.
 */
import * as native from '../native/index.js';

/** A TCP connection received from (or to be put on) a queue. */
export interface PassedConnection {
  /** The connection's descriptor (close-on-exec in the receiver; the receiver owns it). */
  fd: number;
  /** Peer address as the accepting side formatted it (numeric). */
  host: string;
  /** Peer port. */
  port: number;
}

/** What `receiveConnection` found: a connection, nothing yet, or a queue whose senders are gone. */
export type ReceiveResult = PassedConnection | 'empty' | 'closed';

/**
 * A new in-process queue: [receiveEnd, sendEnd], both close-on-exec, the receiving end
 * nonblocking. Fork after creating it to share the receiving end between workers.
 */
export function createConnectionQueue(): [receiveEnd: number, sendEnd: number] {
  const [a, b] = native.socketpair('seqpacket', false);
  native.setNonBlocking(a, true);
  return [a, b];
}

/**
 * Listens for queue connections on a Unix socket path (the path must not exist). A process that
 * accepts connections (`acceptQueue`) and workers that `connectQueue` to it get one queue per
 * worker: use it to feed workers that were not forked from the accepting process.
 */
export function listenQueue(path: string, backlog = 64): number {
  const fd = native.socket('unix', 'seqpacket', true);
  try {
    native.bind(fd, path);
    native.listen(fd, backlog);
  } catch (e) {
    native.close(fd);
    throw e;
  }
  return fd;
}

/** Accepts one worker on a `listenQueue` socket: its queue's sending end, or null if none waits. */
export function acceptQueue(listenFd: number): number | null {
  const got = native.accept(listenFd);
  if (got === null) return null;
  native.setNonBlocking(got[0], false);
  return got[0];
}

/** Connects to a `listenQueue` path; returns the receiving end (nonblocking). */
export function connectQueue(path: string): number {
  const fd = native.socket('unix', 'seqpacket', false);
  try {
    native.connect(fd, path);
  } catch (e) {
    native.close(fd);
    throw e;
  }
  native.setNonBlocking(fd, true);
  return fd;
}

/**
 * Puts a connection on a queue. The caller keeps its own `fd` (close it once sent). Returns false
 * when the queue is full and the sending end is nonblocking: retry when it polls writable.
 */
export function sendConnection(sendEnd: number, conn: PassedConnection): boolean {
  return native.sendFd(sendEnd, conn.fd, `${conn.host} ${conn.port}`);
}

/**
 * Takes the next connection off a queue without blocking. 'empty' when nothing is queued (or
 * another process took it first), 'closed' when every sending end is closed. A message that
 * carried no descriptor is skipped, as `::socketserver::socket client` skips it.
 */
export function receiveConnection(receiveEnd: number): ReceiveResult {
  for (;;) {
    const got = native.recvFd(receiveEnd);
    if (got === null) return 'empty';
    const [fd, message] = got;
    if (fd === -2) return 'closed';
    if (fd < 0) continue;
    const [host, port] = splitPeer(message);
    return { fd, host, port };
  }
}

/** "<ip> <port>" -> [ip, port]; the port is the last word (an IPv6 address has no spaces). */
export function splitPeer(message: string): [string, number] {
  const sp = message.lastIndexOf(' ');
  if (sp < 0) return [message, -1];
  const port = Number(message.slice(sp + 1));
  return [message.slice(0, sp), Number.isInteger(port) ? port : -1];
}
