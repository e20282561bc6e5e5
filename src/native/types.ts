// Shapes of the values the addon takes and returns. Documentation of each function is
// on its export in index.ts.

/** Address family for `socket()`: IPv4, IPv6 or AF_UNIX. */
export type SocketFamily = 4 | 6 | "unix";
/** Socket type: byte stream, record-preserving sequenced packets, or datagrams. */
export type SocketType = "stream" | "seqpacket" | "dgram";
/** Result of fstat on a descriptor. */
export type FdType = "file" | "dir" | "fifo" | "socket" | "char" | "block" | "unknown";
/** Options accepted by `setsockopt`/`getsockopt`. */
export type SocketOption =
  | "SO_REUSEADDR"
  | "SO_REUSEPORT"
  | "TCP_NODELAY"
  | "SO_KEEPALIVE"
  | "SO_RCVBUF"
  | "SO_SNDBUF";
/** `shutdown` direction. */
export type ShutdownHow = "read" | "write" | "both";
/** Disposition to install with `signalAction`. */
export type SignalDisposition = "default" | "ignore" | "trap";
/** Disposition found in the kernel: "handler" is a handler that is not ours. */
export type SignalActionName = SignalDisposition | "handler";

/** [host, port, family]; for AF_UNIX the host is the path (or "") and port 0. */
export type SockAddr = [host: string, port: number, family: 4 | 6 | "unix"];
/** [newFd, peerHost, peerPort]. */
export type Accepted = [fd: number, host: string, port: number];
/** [pid, how, value]: exit status, terminating signal, or stop signal. */
export type WaitResult = [pid: number, kind: "EXIT" | "SIG" | "STOP", value: number];
/** [fd, message]: fd -1 = message without a descriptor, -2 = peer closed. */
export type ReceivedFd = [fd: number, message: string];
/** [action, blocked in the calling thread, SA_RESTART set]. */
export type SignalInfo = [action: SignalActionName, blocked: boolean, restart: boolean];

/** Parent-side timings of the last fork, in microseconds. */
export interface ForkTimings {
  /** The whole fork() call as seen by the parent. */
  totalUs: number;
  /** Parking the platform worker threads. */
  parkUs: number;
  /** The MADV_DOFORK pass over /proc/self/maps. */
  madviseUs: number;
  /** The fork(2) system call itself (page tables: grows with the heap). */
  forkUs: number;
  /** The workers were still parked from an earlier fork (within its 20 ms hold), so none was asked. */
  workersHeld: boolean;
}

/** One socketserver port served by this process (see `ssList`). */
export interface SocketServerEntry {
  /** Port as requested (0 = let the kernel choose). */
  port: number;
  /** Port actually bound (0 until listening, or after failure). */
  boundPort: number;
  recvFd: number;
  sendFd: number;
  /** False in a forked child, or when socket/bind/listen failed. */
  threadRunning: boolean;
}

/** The raw addon exports. */
export interface NativeBinding {
  errnoName(errno: number): string | undefined;
  strerror(errno: number): string;

  read(fd: number, buf: Uint8Array, off: number, len: number): number;
  write(fd: number, buf: Uint8Array, off: number, len: number): number;
  close(fd: number): void;
  setNonBlocking(fd: number, on: boolean): void;
  getNonBlocking(fd: number): boolean;
  setCloexec(fd: number, on: boolean): void;
  getCloexec(fd: number): boolean;
  dup(fd: number): number;
  dup2(fd: number, newFd: number, cloexec?: boolean): number;
  pipe(nonBlocking?: boolean): [number, number];
  isatty(fd: number): boolean;
  fdType(fd: number): FdType;
  openFile(path: string, flags: number, mode: number): number;
  lseek(fd: number, offset: number, whence: number): number;
  ftruncate(fd: number, length: number): void;

  socket(family: SocketFamily, type: SocketType, nonBlocking?: boolean): number;
  bind(fd: number, host: string, port?: number): void;
  listen(fd: number, backlog: number): void;
  accept(fd: number): Accepted | null;
  connect(fd: number, host: string, port?: number): boolean;
  getSocketError(fd: number): number;
  getsockname(fd: number): SockAddr;
  getpeername(fd: number): SockAddr;
  setsockopt(fd: number, name: SocketOption, value: number | boolean): void;
  getsockopt(fd: number, name: SocketOption): number;
  getaddrinfo(host: string, family?: 0 | 4 | 6): string[];
  shutdown(fd: number, how: ShutdownHow): void;
  socketpair(type: SocketType, nonBlocking?: boolean): [number, number];

  poll(fds: Int32Array, events: Int32Array, revents: Int32Array, n: number, timeoutMs: number): number;
  pollBind(set: Int32Array): void;
  pollWait(n: number, timeoutMs: number): number;

  signalAction(signo: number, action: SignalDisposition, restart?: boolean): SignalActionName;
  signalInfo(signo: number): SignalInfo;
  signalBlock(signos: readonly number[], block: boolean): void;
  takeSignals(): number[];
  signalPipeFd(): number;
  signalNames(): Record<string, number>;
  signalPendingView?: Int32Array;
  kill(pid: number, sig: number): void;
  killpg(pgrp: number, sig: number): void;
  raise(sig: number): void;
  alarm(seconds: number): number;

  getpid(): number;
  getppid(): number;
  getpgrp(): number;
  setpgid(pid: number, pgid: number): void;
  _exit(code: number): never;
  waitpid(pid: number, flags: number): WaitResult | null;
  execv(path: string, argv0: string, args: readonly string[]): never;
  sleepMs(ms: number): number;
  spawn(
    argv: readonly string[],
    stdin: number,
    stdout: number,
    stderr: number,
    inheritFds: readonly number[],
    cwd?: string,
  ): number;

  fork(): number;
  releaseForkHold(): void;
  lastForkMicros(): number;
  lastForkMicros(detail: true): [total: number, park: number, madvise: number, fork: number, held: number];

  sendFd(sock: number, fd: number, message: string): boolean;
  recvFd(sock: number, nonBlocking?: boolean): ReceivedFd | null;
  recvFdInto(sock: number, nonBlocking: boolean, fdOut: Int32Array): string | null;

  ssServe(port: number, bindHost: string): [recvFd: number, sendFd: number];
  ssList(): SocketServerEntry[];

  readonly O_RDONLY: number;
  readonly O_WRONLY: number;
  readonly O_RDWR: number;
  readonly O_CREAT: number;
  readonly O_EXCL: number;
  readonly O_TRUNC: number;
  readonly O_APPEND: number;
  readonly O_NONBLOCK: number;
  readonly O_NOCTTY: number;
  readonly O_SYNC: number;
  readonly O_DSYNC: number;
  readonly O_CLOEXEC: number;
  readonly O_DIRECTORY: number;
  readonly O_NOFOLLOW: number;
  readonly SEEK_SET: number;
  readonly SEEK_CUR: number;
  readonly SEEK_END: number;
  readonly SOMAXCONN: number;
  readonly POLLIN: number;
  readonly POLLOUT: number;
  readonly POLLERR: number;
  readonly POLLHUP: number;
  readonly POLLNVAL: number;
  readonly POLLPRI: number;
  readonly POLLRDHUP: number;
  readonly NSIG: number;
  readonly WNOHANG: number;
  readonly WUNTRACED: number;
}
