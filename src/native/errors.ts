// Recognising the errors the addon throws. Every failing syscall becomes an Error
// with errno/code/syscall; name resolution failures carry an EAI_* code instead.

/** An Error thrown by the addon for a failed system call. */
export interface NativeError extends Error {
  /** errno value (for getaddrinfo: the EAI_* number, or errno for EAI_SYSTEM). */
  errno: number;
  /** Symbolic name: "ECONNREFUSED", "ENOENT", ... or "EAI_NONAME" etc. */
  code: string;
  /** The failing call: "connect", "open", "posix_spawnp", ... */
  syscall: string;
  /** The file or host involved, when there is one (open, exec, spawn, bind). */
  path?: string;
  /** The name being resolved (getaddrinfo). */
  hostname?: string;
}

/**
 * True if `e` is an Error thrown by the addon, optionally with the given code.
 * @example if (isNativeError(e, "EAGAIN")) retryLater();
 */
export function isNativeError(e: unknown, code?: string): e is NativeError {
  if (!(e instanceof Error)) return false;
  const n = e as Partial<NativeError>;
  if (typeof n.errno !== "number" || typeof n.code !== "string" || typeof n.syscall !== "string") {
    return false;
  }
  return code === undefined || n.code === code;
}
