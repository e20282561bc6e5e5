/**
 * POSIX errors as Tcl reports them: Tcl's own lowercase message texts (Tcl_ErrnoMsg of 8.6.13 on
 * Linux, read from the library's behaviour), and the `POSIX ENAME {message}` errorCode
 * (Tcl_PosixError).
 */
import { TclError } from '../values/error.js';

const MESSAGES: Record<string, string> = {
  E2BIG: 'argument list too long',
  EACCES: 'permission denied',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EADV: 'advertise error',
  EAFNOSUPPORT: 'address family not supported by protocol',
  EAGAIN: 'resource temporarily unavailable',
  EALREADY: 'operation already in progress',
  EBADE: 'bad exchange descriptor',
  EBADF: 'bad file number',
  EBADFD: 'file descriptor in bad state',
  EBADMSG: 'not a data message',
  EBADR: 'bad request descriptor',
  EBADRQC: 'bad request code',
  EBADSLT: 'invalid slot',
  EBFONT: 'bad font file format',
  EBUSY: 'file busy',
  ECANCELED: 'operation canceled',
  ECHILD: 'no children',
  ECHRNG: 'channel number out of range',
  ECOMM: 'communication error on send',
  ECONNABORTED: 'software caused connection abort',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EDEADLK: 'resource deadlock avoided',
  EDESTADDRREQ: 'destination address required',
  EDOM: 'math argument out of range',
  EDOTDOT: 'cross mount point',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'file already exists',
  EFAULT: 'bad address in system call argument',
  EFBIG: 'file too large',
  EHOSTDOWN: 'host is down',
  EHOSTUNREACH: 'host is unreachable',
  EIDRM: 'identifier removed',
  EILSEQ: 'illegal byte sequence',
  EINPROGRESS: 'operation now in progress',
  EINTR: 'interrupted system call',
  EINVAL: 'invalid argument',
  EIO: 'I/O error',
  EISCONN: 'socket is already connected',
  EISDIR: 'illegal operation on a directory',
  EL2HLT: 'level 2 halted',
  EL2NSYNC: 'level 2 not synchronized',
  EL3HLT: 'level 3 halted',
  EL3RST: 'level 3 reset',
  ELIBACC: 'cannot access a needed shared library',
  ELIBBAD: 'accessing a corrupted shared library',
  ELIBEXEC: 'cannot exec a shared library directly',
  ELIBMAX: 'attempting to link in more shared libraries than system limit',
  ELIBSCN: '.lib section in a.out corrupted',
  ELNRNG: 'link number out of range',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  EMLINK: 'too many links',
  EMSGSIZE: 'message too long',
  EMULTIHOP: 'multihop attempted',
  ENAMETOOLONG: 'file name too long',
  ENAVAIL: 'not available',
  ENETDOWN: 'network is down',
  ENETRESET: 'network dropped connection on reset',
  ENETUNREACH: 'network is unreachable',
  ENFILE: 'file table overflow',
  ENOANO: 'anode table overflow',
  ENOBUFS: 'no buffer space available',
  ENOCSI: 'no CSI structure available',
  ENODATA: 'no data available',
  ENODEV: 'no such device',
  ENOENT: 'no such file or directory',
  ENOEXEC: 'exec format error',
  ENOLCK: 'no locks available',
  ENOLINK: 'link has been severed',
  ENOMEM: 'not enough memory',
  ENOMSG: 'no message of desired type',
  ENONET: 'machine is not on the network',
  ENOPKG: 'package not installed',
  ENOPROTOOPT: 'bad protocol option',
  ENOSPC: 'no space left on device',
  ENOSR: 'out of stream resources',
  ENOSTR: 'not a stream device',
  ENOSYS: 'function not implemented',
  ENOTBLK: 'block device required',
  ENOTCONN: 'socket is not connected',
  ENOTRECOVERABLE: 'state not recoverable',
  ENOTDIR: 'not a directory',
  ENOTEMPTY: 'directory not empty',
  ENOTNAM: 'not a name file',
  ENOTSOCK: 'socket operation on non-socket',
  ENOTSUP: 'operation not supported',
  ENOTTY: 'inappropriate device for ioctl',
  ENOTUNIQ: 'name not unique on network',
  ENXIO: 'no such device or address',
  EOVERFLOW: 'file too big',
  EOWNERDEAD: 'owner died',
  EPERM: 'not owner',
  EPFNOSUPPORT: 'protocol family not supported',
  EPIPE: 'broken pipe',
  EPROTO: 'protocol error',
  EPROTONOSUPPORT: 'protocol not supported',
  EPROTOTYPE: 'protocol wrong type for socket',
  ERANGE: 'math result unrepresentable',
  EREMCHG: 'remote address changed',
  EREMOTE: 'pathname hit remote file system',
  EREMOTEIO: 'remote i/o error',
  EROFS: 'read-only file system',
  ESHUTDOWN: 'cannot send after socket shutdown',
  ESOCKTNOSUPPORT: 'socket type not supported',
  ESPIPE: 'invalid seek',
  ESRCH: 'no such process',
  ESRMNT: 'srmount error',
  ESTALE: 'stale remote file handle',
  ETIME: 'timer expired',
  ETIMEDOUT: 'connection timed out',
  ETOOMANYREFS: 'too many references: cannot splice',
  ETXTBSY: 'text file or pseudo-device busy',
  EUCLEAN: 'structure needs cleaning',
  EUNATCH: 'protocol driver not attached',
  EUSERS: 'too many users',
  EXDEV: 'cross-domain link',
  EXFULL: 'message tables full',
};

/** Linux spells some errnos twice; Tcl_ErrnoId reports one name for each number. */
const CANONICAL: Record<string, string> = {
  EWOULDBLOCK: 'EAGAIN',
  EDEADLOCK: 'EDEADLK',
  EOPNOTSUPP: 'ENOTSUP',
};

/** The name Tcl uses for an errno name as Node or the addon spells it. */
export function canonicalErrno(code: string): string {
  return CANONICAL[code] ?? code;
}

/** Tcl's message for an errno name ("ENOENT" -> "no such file or directory"). */
export function posixMessage(code: string): string {
  return MESSAGES[canonicalErrno(code)] ?? 'unknown POSIX error';
}

/** The errorCode list Tcl sets for a POSIX error. */
export function posixErrorCode(code: string): string {
  const c = canonicalErrno(code);
  return `POSIX ${c} {${posixMessage(c)}}`;
}

/** A TclError "<prefix>: <message>" for a failed system call (`code` is the errno name). */
export function posixError(prefix: string, code: string): TclError {
  return new TclError(`${prefix}: ${posixMessage(code)}`, posixErrorCode(code));
}

/** The errno name carried by a native or Node error, or "EIO". */
export function errnoCodeOf(e: unknown): string {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? canonicalErrno(c) : 'EIO';
}

/** True for a thrown value that carries an errno name (native addon or node:fs errors). */
export function hasErrno(e: unknown): boolean {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' && c.length > 1 && c[0] === 'E';
}
