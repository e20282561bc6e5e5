/**
 * POSIX errors as Tcl reports them: Tcl's own lowercase message texts (Tcl_ErrnoMsg), and the
 * `POSIX ENAME {message}` errorCode (Tcl_PosixError).
 */
import { TclError } from '../values/error.js';

const MESSAGES: Record<string, string> = {
  E2BIG: 'argument list too long',
  EACCES: 'permission denied',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: "can't assign requested address",
  EAFNOSUPPORT: 'address family not supported by protocol family',
  EAGAIN: 'resource temporarily unavailable',
  EALREADY: 'operation already in progress',
  EBADF: 'bad file number',
  EBUSY: 'file busy',
  ECHILD: 'no children',
  ECONNABORTED: 'software caused connection abort',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EDEADLK: 'resource deadlock avoided',
  EEXIST: 'file already exists',
  EFAULT: 'bad address in system call argument',
  EFBIG: 'file too large',
  EHOSTUNREACH: 'host is unreachable',
  EINPROGRESS: 'operation now in progress',
  EINTR: 'interrupted system call',
  EINVAL: 'invalid argument',
  EIO: 'I/O error',
  EISCONN: 'socket is already connected',
  EISDIR: 'illegal operation on a directory',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  EMLINK: 'too many links',
  EMSGSIZE: 'message too long',
  ENAMETOOLONG: 'file name too long',
  ENETDOWN: 'network is down',
  ENETUNREACH: 'network is unreachable',
  ENFILE: 'file table overflow',
  ENOBUFS: 'no buffer space available',
  ENODEV: 'no such device',
  ENOENT: 'no such file or directory',
  ENOEXEC: 'exec format error',
  ENOMEM: 'not enough memory',
  ENOSPC: 'no space left on device',
  ENOSYS: 'function not implemented',
  ENOTCONN: 'socket is not connected',
  ENOTDIR: 'not a directory',
  ENOTEMPTY: 'directory not empty',
  ENOTSOCK: 'socket operation on non-socket',
  ENOTTY: 'inappropriate device for ioctl',
  ENXIO: 'no such device or address',
  EOPNOTSUPP: 'operation not supported on socket',
  EPERM: 'not owner',
  EPIPE: 'broken pipe',
  ERANGE: 'math result unrepresentable',
  EROFS: 'read-only file system',
  ESPIPE: 'invalid seek',
  ESRCH: 'no such process',
  ETIMEDOUT: 'connection timed out',
  ETXTBSY: 'text file busy',
  EXDEV: 'cross-domain link',
};

/** Tcl's message for an errno name ("ENOENT" -> "no such file or directory"). */
export function posixMessage(code: string): string {
  return MESSAGES[code] ?? (code === 'EWOULDBLOCK' ? MESSAGES.EAGAIN : 'unknown POSIX error');
}

/** The errorCode list Tcl sets for a POSIX error. */
export function posixErrorCode(code: string): string {
  return `POSIX ${code} {${posixMessage(code)}}`;
}

/** A TclError "<prefix>: <message>" for a failed system call (`code` is the errno name). */
export function posixError(prefix: string, code: string): TclError {
  return new TclError(`${prefix}: ${posixMessage(code)}`, posixErrorCode(code));
}

/** The errno name carried by a native or Node error, or "EIO". */
export function errnoCodeOf(e: unknown): string {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : 'EIO';
}
