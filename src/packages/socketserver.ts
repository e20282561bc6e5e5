/**
 * The socketserver package (socketservertcl 1.1.3): `::socketserver::socket server PORT` starts
 * an accept thread whose connections queue up on a socketpair shared by every process forked
 * afterwards; `::socketserver::socket client ?-port N? handlerProc` takes one connection off that
 * queue from the event loop and runs `handlerProc <chan> <ip> <port>`.
 *
 * Behaviour kept from the C extension, on purpose: its messages and errorInfo (it reports some
 * errors with Tcl_AddErrorInfo on an empty result), any word accepted in place of `-port`, the
 * handler evaluated as a script built by string concatenation in whatever frame the event loop
 * runs in, with its result and errors ignored (no bgerror), `server` on a served port doing
 * nothing, and `client` arming a single delivery however often it is called. Not kept: its
 * crash on a bare `::socketserver::socket` (a wrong # args error here), its dangling handler name
 * (the handler is held as a value here), and its busy loop while a worker is not armed (the
 * queue is only watched while armed).
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getInt32 } from '../values/number.js';
import { OK, ERROR } from '../engine/codes.js';
import { wrongNumArgs, getIndexFromTable } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';
import { registerBuiltinPackage, requirePackage } from '../commands/package.js';
import { finishCaughtError } from '../commands/procs.js';
import { setFlagsFromString } from 'node:v8';
import * as native from '../native/index.js';
import { adoptConnection, watchReadable, assumeReadable, unwatch } from './ssChannel.js';
import * as queue from './ssQueue.js';
import type { PassedConnection } from './ssQueue.js';

// The connection-queue API for Node hosts, as plain data properties (see src/native/index.ts).
export const createConnectionQueue = queue.createConnectionQueue;
export const listenQueue = queue.listenQueue;
export const acceptQueue = queue.acceptQueue;
export const connectQueue = queue.connectQueue;
export const sendConnection = queue.sendConnection;
export const receiveConnection = queue.receiveConnection;
export const splitPeer = queue.splitPeer;
export type { PassedConnection, ReceiveResult } from './ssQueue.js';

export const PACKAGE_NAME = 'socketserver';
export const PACKAGE_VERSION = '1.1.3';

/** Environment variable naming the address the accept thread binds ("" = any, as the original). */
export const BIND_ENV = 'TCLSHIM_SOCKETSERVER_BIND';

const USAGE = 'server port | client [-port N] handlerProc';
const SUBCOMMANDS: readonly string[] = ['client', 'server'];

/** One served port of one interpreter (socketserver_port in the original). */
class PortQueue {
  /** Handler script prefix of the armed `client` call. */
  handler: TclObj | null = null;
  armed = false;
  watching = false;
  /** The queue's readable callback, made once rather than at every `client` call. */
  onReadable: (() => void) | null = null;
  constructor(
    /** The port as the script gave it (the lookup key; the bind uses its low 16 bits). */
    readonly port: number,
    /** Receiving end of the queue (nonblocking). */
    readonly fd: number,
    /**
     * The sender makes every connection nonblocking before passing it (the accept thread
     * accepts with SOCK_NONBLOCK, and O_NONBLOCK belongs to the open file the passing
     * shares): the receive then need not check.
     */
    readonly sentNonBlocking: boolean,
  ) {}
}

class SocketServerState {
  /** In registration order: the first is the default for `client` without -port. */
  readonly queues: PortQueue[] = [];

  find(port: number): PortQueue | null {
    const key = port === 0 && this.queues.length > 0 ? this.queues[0].port : port;
    for (const q of this.queues) if (q.port === key) return q;
    return null;
  }
}

function stateOf(interp: Interp): SocketServerState {
  let s = interp.assoc.get(PACKAGE_NAME) as SocketServerState | undefined;
  if (s === undefined) {
    s = new SocketServerState();
    interp.assoc.set(PACKAGE_NAME, s);
  }
  return s;
}

/**
 * An error the way the original raises it with Tcl_AddErrorInfo: `message` becomes errorInfo on
 * top of whatever the result says (usually nothing), and the command is then logged as
 * "invoked from within".
 */
function addInfoError(interp: Interp, result: TclObj, errorCode: string, message: string): number {
  interp.resetError();
  interp.result = result;
  interp.errorCode = errorCode;
  interp.addErrorInfo(message);
  return ERROR;
}

/** Tcl_GetIntFromObj on a port, failing as the original does. */
function portArg(interp: Interp, o: TclObj): number | null {
  try {
    return getInt32(o);
  } catch (e) {
    if (!(e instanceof TclError)) throw e;
    addInfoError(interp, TclObj.fromString(e.message), e.errorCode, 'problem getting port number as integer');
    return null;
  }
}

function serverCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongNumArgs(objv, 1, USAGE);
  const port = portArg(interp, objv[2]);
  if (port === null) return ERROR;
  const st = stateOf(interp);
  if (st.find(port) !== null) {
    interp.result = TclObj.EMPTY;
    return OK;
  }
  let recvEnd: number;
  try {
    // The original hands the int to htons(): only its low 16 bits choose the port.
    [recvEnd] = native.ssServe(port & 0xffff, process.env[BIND_ENV] ?? '');
  } catch (e) {
    if (native.isNativeError(e) && e.syscall === 'bind') {
      throw new TclError(`invalid ${BIND_ENV} address "${process.env[BIND_ENV]}"`, 'NONE');
    }
    return addInfoError(interp, TclObj.EMPTY, 'NONE', 'Failed to create thread to read socketpipe');
  }
  st.queues.push(new PortQueue(port, recvEnd, true));
  interp.result = TclObj.EMPTY;
  return OK;
}

function clientCmd(interp: Interp, objv: TclObj[]): number {
  let port = 0;
  let handler: TclObj;
  if (objv.length === 5) {
    // Like the original, the word before the port is not looked at.
    const p = portArg(interp, objv[3]);
    if (p === null) return ERROR;
    port = p;
    handler = objv[4];
  } else if (objv.length === 3) {
    handler = objv[2];
  } else {
    wrongNumArgs(objv, 1, USAGE);
  }
  const q = stateOf(interp).find(port);
  if (q === null) {
    return addInfoError(interp, TclObj.EMPTY, 'NONE', 'Could not find socketserver structure for port');
  }
  q.handler = handler;
  q.armed = true;
  if (!workerTiering && native.isForkedChild()) tuneWorkerTiering();
  arm(interp, q);
  interp.result = TclObj.EMPTY;
  return OK;
}

let workerTiering = false;

/**
 * A forked child has no compiler threads (Node's platform workers stay behind in the parent), so
 * every optimization runs synchronously on its only thread, and with the default budgets a
 * pre-fork worker spends its first thousands of connections in unoptimized code interleaved with
 * those compiles. A process that takes connections off a socketserver queue is a long-lived
 * request loop: let its hot code tier up after far fewer invocations, so it reaches steady state
 * within its first few dozen connections. Tcl-invisible: only V8's tiering thresholds change.
 */
function tuneWorkerTiering(): void {
  workerTiering = true;
  setFlagsFromString('--interrupt-budget=2000 --minimum-invocations-after-ic-update=10');
}

/**
 * Watches the queue while armed; a worker that is not armed leaves it to the others. A busy
 * server's queue already holds the next connection when a worker re-arms: the event loop may
 * try the receive without polling first (if the queue is empty it finds nothing, as after a
 * lost race, and the next wait polls).
 */
function arm(interp: Interp, q: PortQueue): void {
  if (q.watching) return;
  q.watching = true;
  if (q.onReadable === null) q.onReadable = () => onQueueReadable(interp, q);
  watchReadable(q.fd, q.onReadable);
  assumeReadable(q.fd);
}

function disarm(q: PortQueue): void {
  q.armed = false;
  if (!q.watching) return;
  q.watching = false;
  unwatch(q.fd);
}

/** Where recvFdInto puts the descriptor of each connection taken off a queue. */
const receivedFd = new Int32Array(1);

function onQueueReadable(interp: Interp, q: PortQueue): void {
  if (!q.armed) {
    disarm(q);
    return;
  }
  // Socket channels drive nonblocking fds: have the receive make it so unless it is already.
  const peer = native.recvFdInto(q.fd, !q.sentNonBlocking, receivedFd);
  // Another worker won the race: stay armed for the next connection.
  if (peer === null) return;
  const fd = receivedFd[0];
  if (fd === -2) {
    disarm(q);
    return;
  }
  // A message without a descriptor is skipped, as the original skips it.
  if (fd < 0) return;
  disarm(q);
  runHandler(interp, q.handler!, fd, peer, true);
}

/**
 * A handler made of plain words (nothing the parser would substitute, quote or split on) with
 * a plain peer: evaluating the concatenated script is then the same as invoking the words, so
 * the per-connection parse and compile can be skipped.
 */
const PLAIN_WORDS = /^[^\s$[\]{}"\\;#]+(?: [^\s$[\]{}"\\;#]+)*$/;
const PLAIN_PEER = /^[0-9A-Fa-f.:]+ \d+$/;
const plainWordsCache = new WeakMap<TclObj, TclObj[] | null>();

function plainWords(handler: TclObj): TclObj[] | null {
  let words = plainWordsCache.get(handler);
  if (words === undefined) {
    const text = handler.toString();
    words = PLAIN_WORDS.test(text) ? text.split(' ').map((w) => TclObj.fromString(w)) : null;
    plainWordsCache.set(handler, words);
  }
  return words;
}

/**
 * Wraps a received connection as a socket channel of `interp` and evaluates
 * `<handler> <chan> <peer>` in the current frame, ignoring its outcome as the original's
 * Tcl_Eval does (an error only leaves ::errorInfo and ::errorCode behind).
 */
function runHandler(interp: Interp, handler: TclObj, fd: number, peer: string, fromQueue: boolean): void {
  let chan: string;
  try {
    chan = adoptConnection(interp, fd, fromQueue);
  } catch (e) {
    native.close(fd);
    throw e;
  }
  const saved = interp.result;
  const words = plainWords(handler);
  let code: number;
  if (words !== null && PLAIN_PEER.test(peer)) {
    const sp = peer.indexOf(' ');
    const objv = words.slice();
    objv.push(TclObj.fromString(chan), TclObj.fromString(peer.slice(0, sp)), TclObj.fromString(peer.slice(sp + 1)));
    code = interp.evalObjv(objv);
  } else {
    code = interp.evalObj(TclObj.fromString(handler.toString() + ' ' + chan + ' ' + peer));
  }
  if (code === ERROR) {
    finishCaughtError(interp);
    interp.resetError();
  }
  interp.result = saved;
}

/**
 * Hands a connection to `interp` the way `::socketserver::socket client` does: the fd becomes a
 * `sockN` channel of the interpreter (which owns it from then on) and
 * `<handler> <chan> <host> <port>` is evaluated in the current frame, its outcome ignored. For a
 * Node host that accepts connections itself; call it while no Tcl command is running, or from
 * inside the event loop.
 */
export function deliverConnection(interp: Interp, handler: string | TclObj, conn: PassedConnection): void {
  const h = typeof handler === 'string' ? TclObj.fromString(handler) : handler;
  runHandler(interp, h, conn.fd, `${conn.host} ${conn.port}`, false);
}

/**
 * Serves `port` of `interp` from a queue that JavaScript feeds (see `sendConnection`), as if the
 * script had run `::socketserver::socket server port`: `client -port <port>` takes from it.
 * Loads the package into the interpreter if needed. The interpreter owns `receiveEnd` after this.
 */
export function registerQueue(interp: Interp, port: number, receiveEnd: number): void {
  requirePackage(interp, PACKAGE_NAME, [], false);
  const st = stateOf(interp);
  if (st.queues.some((q) => q.port === port)) {
    throw new Error(`socketserver: port ${port} is already served in this interpreter`);
  }
  native.setNonBlocking(receiveEnd, true);
  st.queues.push(new PortQueue(port, receiveEnd, false));
}

function socketCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) wrongNumArgs(objv, 1, USAGE);
  const which = getIndexFromTable(objv[1], SUBCOMMANDS, 'option', true);
  return which === 0 ? clientCmd(interp, objv) : serverCmd(interp, objv);
}

export function initSocketServer(interp: Interp): void {
  const ns = interp.ensureNamespace('::socketserver');
  if (!ns.exportPatterns.includes('*')) ns.exportPatterns.push('*');
  interp.createCommand('::socketserver::socket', socketCmd);
}

registerBuiltinPackage({
  name: PACKAGE_NAME,
  version: PACKAGE_VERSION,
  init: initSocketServer,
  libraryPattern: /^libsocketserver.*\.so$/,
});
