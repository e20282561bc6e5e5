// Typed bridge over the native addon (native/*.cc). Everything is synchronous: tclshim
// runs its own event loop by blocking in poll(2), like tclsh, not on libuv.
//
// Conventions:
// - A failing syscall throws an Error with errno/code/syscall (see `isNativeError`).
// - Normal "would block" outcomes are return values, never exceptions: -1 for
//   read/write, null for accept/recvFd/waitpid(WNOHANG), false for connect/sendFd.
// - Every descriptor created here is close-on-exec unless a function says otherwise.
// - The hot functions (read, write, poll) are the addon's own functions, with no JS
//   wrapper in between, and work on caller-owned Buffers and Int32Arrays.
// - EINTR (trapped signals are installed without SA_RESTART, as TclX does):
//   retried by read, write, openFile, ftruncate, dup2, accept, sendFd, recvFd (Tcl's
//   channel drivers retry too); close treats it as done; poll returns 0 and sleepMs
//   returns early, so the loop can run the trap; waitpid throws it (TclX's `wait`
//   fails with "interrupted system call"); connect reports "in progress".

import * as errors from "./errors.js";
import * as load from "./load.js";
import type {
  Accepted,
  FdType,
  ForkTimings,
  NativeBinding,
  ReceivedFd,
  ShutdownHow,
  SignalActionName,
  SignalDisposition,
  SignalInfo,
  SockAddr,
  SocketFamily,
  SocketOption,
  SocketServerEntry,
  SocketType,
  WaitResult,
} from "./types.js";

export type {
  Accepted,
  FdType,
  ForkTimings,
  NativeBinding,
  ReceivedFd,
  ShutdownHow,
  SignalActionName,
  SignalDisposition,
  SignalInfo,
  SockAddr,
  SocketFamily,
  SocketOption,
  SocketServerEntry,
  SocketType,
  WaitResult,
} from "./types.js";
export type { NativeError } from "./errors.js";
// Plain data properties rather than `export { ... } from`: TypeScript makes a re-export an
// accessor over a property it first declared as data, and that redefinition turns the whole
// exports object into a dictionary, which every `native.read` and `native.poll` then pays for.
export const isNativeError = errors.isNativeError;
export const addonPath = load.addonPath;
export const findPackageRoot = load.findPackageRoot;

const b: NativeBinding = load.loadBinding();

// ---------------------------------------------------------------- errors

/** Symbolic name of an errno value ("ENOENT"), or undefined if unknown. */
export const errnoName: (errno: number) => string | undefined = b.errnoName;
/** The C library's message for an errno value ("No such file or directory"). */
export const strerror: (errno: number) => string = b.strerror;

// ---------------------------------------------------------------- fd I/O

/**
 * read(2) into `buf[off, off+len)`. Returns bytes read, 0 at end of file, or -1 when a
 * nonblocking fd has nothing (EAGAIN). EINTR is retried. Other errors throw.
 */
export const read: (fd: number, buf: Uint8Array, off: number, len: number) => number = b.read;
/**
 * write(2) from `buf[off, off+len)`. Returns bytes written (possibly fewer than len) or
 * -1 on EAGAIN. EPIPE and other errors throw (SIGPIPE stays ignored). EINTR is retried.
 */
export const write: (fd: number, buf: Uint8Array, off: number, len: number) => number = b.write;
/** close(2). EINTR counts as closed (Linux releases the fd regardless). */
export const close: (fd: number) => void = b.close;
/** Sets or clears O_NONBLOCK. */
export const setNonBlocking: (fd: number, on: boolean) => void = b.setNonBlocking;
/** True if O_NONBLOCK is set. */
export const getNonBlocking: (fd: number) => boolean = b.getNonBlocking;
/** Sets or clears FD_CLOEXEC. */
export const setCloexec: (fd: number, on: boolean) => void = b.setCloexec;
/** True if FD_CLOEXEC is set. */
export const getCloexec: (fd: number) => boolean = b.getCloexec;
/** Duplicates to the lowest free fd, close-on-exec. */
export const dup: (fd: number) => number = b.dup;
/**
 * dup2(fd, newFd): `newFd` becomes a copy of `fd`. The copy is close-on-exec unless it is
 * 0, 1 or 2 (made to be handed to an exec'd program); pass `cloexec` to override.
 * dup2(fd, fd) only checks that fd is open.
 */
export const dup2: (fd: number, newFd: number, cloexec?: boolean) => number = b.dup2;
/** pipe2(O_CLOEXEC) -> [readEnd, writeEnd]; both nonblocking if asked. */
export const pipe: (nonBlocking?: boolean) => [number, number] = b.pipe;
/** isatty(3). */
export const isatty: (fd: number) => boolean = b.isatty;
/** Kind of object behind the fd (fstat). */
export const fdType: (fd: number) => FdType = b.fdType;
/**
 * open(2) with POSIX flags (the O_* constants below); O_CLOEXEC is always added.
 * EINTR (a FIFO waiting for its peer) is retried. Errors carry `path`.
 */
export const openFile: (path: string, flags: number, mode: number) => number = b.openFile;
/** lseek(2) -> new offset. `whence` is SEEK_SET, SEEK_CUR or SEEK_END. */
export const lseek: (fd: number, offset: number, whence: number) => number = b.lseek;
/** ftruncate(2). */
export const ftruncate: (fd: number, length: number) => void = b.ftruncate;

export const O_RDONLY: number = b.O_RDONLY;
export const O_WRONLY: number = b.O_WRONLY;
export const O_RDWR: number = b.O_RDWR;
export const O_CREAT: number = b.O_CREAT;
export const O_EXCL: number = b.O_EXCL;
export const O_TRUNC: number = b.O_TRUNC;
export const O_APPEND: number = b.O_APPEND;
export const O_NONBLOCK: number = b.O_NONBLOCK;
export const O_NOCTTY: number = b.O_NOCTTY;
export const O_SYNC: number = b.O_SYNC;
export const O_DSYNC: number = b.O_DSYNC;
export const O_CLOEXEC: number = b.O_CLOEXEC;
export const O_DIRECTORY: number = b.O_DIRECTORY;
export const O_NOFOLLOW: number = b.O_NOFOLLOW;
export const SEEK_SET: number = b.SEEK_SET;
export const SEEK_CUR: number = b.SEEK_CUR;
export const SEEK_END: number = b.SEEK_END;

// ---------------------------------------------------------------- sockets

/** socket(2), close-on-exec; nonblocking if asked. */
export const socket: (family: SocketFamily, type: SocketType, nonBlocking?: boolean) => number =
  b.socket;
/**
 * bind(2) to a numeric host ("" = any address) and port, in the socket's own family.
 * An IPv4 literal on an IPv6 socket binds its v4-mapped form. For AF_UNIX sockets the
 * host is the path and the port is ignored. A non-numeric host throws EINVAL.
 */
export const bind: (fd: number, host: string, port?: number) => void = b.bind;
/** listen(2). */
export const listen: (fd: number, backlog: number) => void = b.listen;
/**
 * accept4(2) -> [fd, peerHost, peerPort], the new fd nonblocking and close-on-exec;
 * null when nothing is waiting (EAGAIN) or the peer already gave up (ECONNABORTED).
 */
export const accept: (fd: number) => Accepted | null = b.accept;
/**
 * connect(2) to a numeric host and port (AF_UNIX: a path). True when connected, false
 * when in progress (EINPROGRESS, or EINTR on a blocking socket): wait for POLLOUT and
 * check `getSocketError`. Refusals etc. throw (ECONNREFUSED).
 */
export const connect: (fd: number, host: string, port?: number) => boolean = b.connect;
/** SO_ERROR: 0 or the errno of a failed asynchronous connect. */
export const getSocketError: (fd: number) => number = b.getSocketError;
/** Local address [host, port, family]. */
export const getsockname: (fd: number) => SockAddr = b.getsockname;
/** Peer address [host, port, family]; ENOTCONN throws. */
export const getpeername: (fd: number) => SockAddr = b.getpeername;
/** setsockopt(2) for the supported options; booleans mean 1/0. */
export const setsockopt: (fd: number, name: SocketOption, value: number | boolean) => void =
  b.setsockopt;
/** getsockopt(2) for the supported options (as the kernel reports them). */
export const getsockopt: (fd: number, name: SocketOption) => number = b.getsockopt;
/**
 * Resolves a host name to numeric addresses, resolver order, no duplicates. Blocking.
 * Failure throws with `code` = "EAI_NONAME" etc. and the gai_strerror message.
 */
export const getaddrinfo: (host: string, family?: 0 | 4 | 6) => string[] = b.getaddrinfo;
/** shutdown(2). */
export const shutdown: (fd: number, how: ShutdownHow) => void = b.shutdown;
/** socketpair(AF_UNIX) -> [a, b], close-on-exec; nonblocking if asked. */
export const socketpair: (type: SocketType, nonBlocking?: boolean) => [number, number] =
  b.socketpair;
export const SOMAXCONN: number = b.SOMAXCONN;

// ---------------------------------------------------------------- poll

/**
 * poll(2) over the first `n` entries of caller-owned arrays: `fds` and `events` in,
 * `revents` out. Returns the number of ready fds; 0 on timeout and also on EINTR, so a
 * signal just wakes the loop. timeoutMs < 0 waits forever.
 */
export const poll: (
  fds: Int32Array,
  events: Int32Array,
  revents: Int32Array,
  n: number,
  timeoutMs: number,
) => number = b.poll;
let pollBound: Int32Array | null = null;
/**
 * Makes `set` the array pollWait works on: three elements per descriptor, (fd, events, revents).
 * The addon keeps it alive until the next pollBind. One set per process (or worker thread).
 */
export function pollBind(set: Int32Array): void {
  b.pollBind(set);
  pollBound = set;
}
/** The set pollWait works on, or null before the first pollBind. */
export function pollBoundSet(): Int32Array | null {
  return pollBound;
}
/**
 * poll(2) over the first `n` triples of the bound set, revents written in place. Returns what
 * `poll` returns. Resolves no typed array, so a wait costs only the system call.
 */
export const pollWait: (n: number, timeoutMs: number) => number = b.pollWait;
export const POLLIN: number = b.POLLIN;
export const POLLOUT: number = b.POLLOUT;
export const POLLERR: number = b.POLLERR;
export const POLLHUP: number = b.POLLHUP;
export const POLLNVAL: number = b.POLLNVAL;
export const POLLPRI: number = b.POLLPRI;
export const POLLRDHUP: number = b.POLLRDHUP;

// ---------------------------------------------------------------- signals

/**
 * Installs a disposition (sigaction, SA_RESTART only if `restart`) and returns the
 * previous one: "default", "ignore", "trap" (ours) or "handler" (someone else's, e.g.
 * Node's). A trapped signal is counted for `takeSignals` and makes `signalPipeFd()`
 * readable. SIGKILL/SIGSTOP throw EINVAL.
 */
export const signalAction: (
  signo: number,
  action: SignalDisposition,
  restart?: boolean,
) => SignalActionName = b.signalAction;
/** [current action, blocked in the calling thread, SA_RESTART] for `signal get`. */
export const signalInfo: (signo: number) => SignalInfo = b.signalInfo;
/**
 * Blocks or unblocks signals in the calling (JS) thread. Trapped signals that land on
 * another thread are forwarded to the JS thread, so blocking them here holds them
 * process-wide; a signal left at "default" may still act through another thread.
 */
export const signalBlock: (signos: readonly number[], block: boolean) => void = b.signalBlock;
/**
 * Takes and clears the caught-signal counts and drains the self-pipe. Each signal
 * number appears once per delivery (at most 64 times per call), lowest number first.
 */
export const takeSignals: () => number[] = b.takeSignals;
/** Read end of the self-pipe (nonblocking, close-on-exec); poll it for POLLIN. */
export const signalPipeFd: () => number = b.signalPipeFd;
const SIGNAL_NAMES: Readonly<Record<string, number>> = Object.freeze(b.signalNames());
/**
 * Every Linux signal name without "SIG": TclX's table (with its aliases CLD, IOT, POLL)
 * plus STKFLT and RTMIN, RTMIN+1 .. RTMIN+15, RTMAX-14 .. RTMAX-1, RTMAX. One shared
 * frozen object, computed once.
 */
export function signalNames(): Readonly<Record<string, number>> {
  return SIGNAL_NAMES;
}
/**
 * The names TclX 8.4 itself accepts on Linux (`signal`, `kill`); it rejects STKFLT and
 * the real-time signals as "invalid signal".
 */
export const TCLX_SIGNAL_NAMES: readonly string[] = Object.freeze([
  "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT",
  "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STOP", "SYS", "TERM", "TRAP",
  "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ",
]);
/**
 * The shared view of the C counters: element 0 is non-zero when any trapped signal is
 * pending, element s counts signal s. Reading it costs no native call, so the
 * interpreter can test `view[0] !== 0` at every safe point. Only the main thread's
 * environment has it.
 */
export function signalPending(): Int32Array {
  const v = b.signalPendingView;
  if (v === undefined) throw new Error("tclshim: signal view is only available on the main thread");
  return v;
}
/** kill(2); signal 0 probes for existence. */
export const kill: (pid: number, sig: number) => void = b.kill;
/** killpg(3). */
export const killpg: (pgrp: number, sig: number) => void = b.killpg;
/** raise(3): signal the calling thread. */
export const raise: (sig: number) => void = b.raise;
/**
 * Schedules SIGALRM in `seconds` (fractions allowed, 0 cancels; setitimer ITIMER_REAL)
 * and returns the seconds that were left on the previous alarm.
 */
export const alarm: (seconds: number) => number = b.alarm;
/** NSIG: one more than the highest signal number. */
export const NSIG: number = b.NSIG;

// ---------------------------------------------------------------- processes

let knownPid = 0;

/**
 * The kernel's pid (Node's process.pid is a start-up copy, wrong in a forked child). Asked once
 * per process: only fork() makes a new one, and it forgets the answer in the child.
 */
export function getpid(): number {
  if (knownPid === 0) knownPid = b.getpid();
  return knownPid;
}
export const getppid: () => number = b.getppid;
export const getpgrp: () => number = b.getpgrp;
export const setpgid: (pid: number, pgid: number) => void = b.setpgid;
/** _exit(2): no Node exit path, no flushing; flush Tcl channels first. */
export const _exit: (code: number) => never = b._exit;
/**
 * waitpid(2) with WNOHANG/WUNTRACED. pid > 0 one child, -1 any, 0 own group, < -1 group
 * -pid. Returns [pid, "EXIT"|"SIG"|"STOP", value], or null under WNOHANG when no child
 * has changed state. ECHILD throws; EINTR throws too (a trapped signal interrupts a
 * blocking wait, as in TclX).
 */
export const waitpid: (pid: number, flags: number) => WaitResult | null = b.waitpid;
export const WNOHANG: number = b.WNOHANG;
export const WUNTRACED: number = b.WUNTRACED;
/**
 * Replaces the process image: execvp(path, [argv0, ...args]) with PATH search. Returns
 * only by throwing (errno, `path`). Close-on-exec fds close; 0/1/2 stay.
 */
export const execv: (path: string, argv0: string, args: readonly string[]) => never = b.execv;
/**
 * Sleeps up to `ms` milliseconds, returning early (with the milliseconds left) when a
 * trapped signal is pending or the thread is interrupted; 0 means the full sleep.
 */
export const sleepMs: (ms: number) => number = b.sleepMs;
/**
 * posix_spawnp(argv[0], argv): the child's 0/1/2 come from stdin/stdout/stderr (-1 =
 * the parent's own), each fd in `inheritFds` stays open under its number, everything
 * else closes on exec; signal dispositions start at default. Returns the pid; a
 * program that cannot run throws (ENOENT, EACCES, ...) with `path` = argv[0].
 */
export const spawn: (
  argv: readonly string[],
  stdin: number,
  stdout: number,
  stderr: number,
  inheritFds: readonly number[],
  cwd?: string,
) => number = b.spawn;

let forkedChild = false;

/**
 * fork(2) made safe for Node: parks the platform worker threads, re-enables fork for
 * every mapping, forks, re-initialises libuv in the child. 0 in the child, the pid in
 * the parent; EAGAIN/ENOMEM throw, ETIMEDOUT if the workers could not be parked within
 * 1 s, EOPNOTSUPP when called from any thread but the process's initial one.
 * Socketserver accept threads do not exist in the child (see `ssList`).
 *
 * The child must leave through `_exit`. Node's own exit path is unusable there: it
 * joins worker threads that do not exist in the child (crash), and when the event
 * loop runs dry Node waits for worker tasks that will never complete (hang). So in
 * the child `process.exit()` is redirected to `_exit` after its "exit" event, and
 * whoever runs the child's main flow must call `_exit` rather than let the loop end.
 */
export function fork(): number {
  installChildReallyExit();
  const pid = b.fork();
  if (pid === 0) {
    forkedChild = true;
    knownPid = 0;
  } else if (!holdReleaseQueued) {
    // The workers stay parked for a moment after a fork, for the next one. Once JavaScript
    // yields to Node's event loop, let them go: Node waits there for every worker task.
    holdReleaseQueued = true;
    setImmediate(releaseForkHold);
  }
  return pid;
}

let holdReleaseQueued = false;

/** Lets go of the platform workers a recent fork left parked (see fork.cc); cheap when none. */
export function releaseForkHold(): void {
  holdReleaseQueued = false;
  b.releaseForkHold();
}

let reallyExitInstalled = false;

/**
 * Routes Node's last step of process.exit() to `_exit` in a forked child. It is installed in the
 * parent, before its first fork: a store the child made to `process` for the first time would
 * change the object's hidden class there and write pages the child then has to copy.
 */
function installChildReallyExit(): void {
  if (reallyExitInstalled) return;
  reallyExitInstalled = true;
  const proc = process as unknown as { reallyExit: (code?: number) => never };
  const inParent = proc.reallyExit;
  proc.reallyExit = (code?: number): never => {
    if (forkedChild) b._exit(typeof code === "number" ? code : 0);
    // Node's exit joins the platform workers: none may still be parked.
    b.releaseForkHold();
    return inParent.call(proc, code);
  };
}

/** True in a process created by `fork()` (which must end with `_exit`). */
export function isForkedChild(): boolean {
  return forkedChild;
}
/** Parent-side duration of the last fork() call, in microseconds. */
export const lastForkMicros: () => number = () => b.lastForkMicros();
/** Where the parent's time went in the last fork() call. */
export function lastForkTimings(): ForkTimings {
  const [totalUs, parkUs, madviseUs, forkUs, held] = b.lastForkMicros(true);
  return { totalUs, parkUs, madviseUs, forkUs, workersHeld: held === 1 };
}

// ---------------------------------------------------------------- fd passing

/**
 * Sends `fd` (SCM_RIGHTS; -1 for none) with `message` (at most 256 bytes, sent with a
 * trailing NUL) without blocking. False on EAGAIN; errors such as EPIPE throw.
 */
export const sendFd: (sock: number, fd: number, message: string) => boolean = b.sendFd;
/**
 * Nonblocking receive: null on EAGAIN, [fd, message] (fd close-on-exec, and O_NONBLOCK when
 * `nonBlocking` is true), [-1, message] for a message without fd, [-2, ""] when the peer has
 * closed.
 */
export const recvFd: (sock: number, nonBlocking?: boolean) => ReceivedFd | null = b.recvFd;
/**
 * recvFd without the array: null on EAGAIN, else the message, with the fd (or -1, -2 as recvFd
 * gives them) in fdOut[0].
 */
export const recvFdInto: (sock: number, nonBlocking: boolean, fdOut: Int32Array) => string | null = b.recvFdInto;

// ---------------------------------------------------------------- socketserver

/**
 * Starts the socketserver accept thread for `port`, listening on `bindHost` ("" or
 * "0.0.0.0" = any, as the original). Returns [recvFd, sendFd] of its SOCK_SEQPACKET
 * socketpair once the thread listens; recvFd is nonblocking, read it with `recvFd`
 * for [connectionFd, "<ip> <port>"]. If the port cannot be bound the thread writes
 * "[YYYY-MM-DD HH:MM:SS] bind failed" to stderr and sends SIGTERM to this process.
 * A port already served returns its existing pair.
 */
export const ssServe: (port: number, bindHost: string) => [recvFd: number, sendFd: number] =
  b.ssServe;
/** The ports this process serves, with whether their accept thread runs here. */
export const ssList: () => SocketServerEntry[] = b.ssList;
