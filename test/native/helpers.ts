// Bounded helpers for the native tests: every wait has a deadline, every process a
// tracked pid that the after hooks kill.
import * as child_process from "node:child_process";
import * as path from "node:path";

import * as n from "../../src/native/index.js";

/** The compiled bridge, for child node processes that load the addon themselves. */
export const INDEX_JS = path.join(__dirname, "..", "..", "src", "native", "index.js");

/** A loopback port that was free a moment ago (bound and released). */
export function freePort(): number {
  const fd = n.socket(4, "stream");
  try {
    n.bind(fd, "127.0.0.1", 0);
    return n.getsockname(fd)[1];
  } finally {
    n.close(fd);
  }
}

const pollFds = new Int32Array(1);
const pollEvents = new Int32Array(1);
const pollRevents = new Int32Array(1);

/** Waits up to timeoutMs for `events` on fd; returns revents (0 on timeout). */
export function waitFd(fd: number, events: number, timeoutMs: number): number {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    pollFds[0] = fd;
    pollEvents[0] = events;
    const left = deadline - Date.now();
    if (left <= 0) return 0;
    if (n.poll(pollFds, pollEvents, pollRevents, 1, left) > 0) return pollRevents[0];
  }
}

/** Reads whatever arrives until EOF or the deadline; nonblocking-safe. */
export function readUntilEof(fd: number, timeoutMs: number): string {
  const deadline = Date.now() + timeoutMs;
  const buf = Buffer.alloc(65536);
  let out = "";
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out reading fd ${fd}; got ${JSON.stringify(out)}`);
    if (waitFd(fd, n.POLLIN, left) === 0) continue;
    const r = n.read(fd, buf, 0, buf.length);
    if (r === 0) return out;
    if (r > 0) out += buf.toString("utf8", 0, r);
  }
}

/** Reads until `count` newline-terminated lines have arrived (or the deadline). */
export function readLines(fd: number, count: number, timeoutMs: number): string[] {
  const deadline = Date.now() + timeoutMs;
  const buf = Buffer.alloc(65536);
  let text = "";
  for (;;) {
    const lines = text.split("\n");
    if (lines.length - 1 >= count) return lines.slice(0, count);
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out after ${lines.length - 1} of ${count} lines`);
    if (waitFd(fd, n.POLLIN, left) === 0) continue;
    const r = n.read(fd, buf, 0, buf.length);
    if (r === 0) throw new Error(`EOF after ${lines.length - 1} of ${count} lines: ${text}`);
    if (r > 0) text += buf.toString("utf8", 0, r);
  }
}

/** Reaps `pid`, waiting at most timeoutMs; null if it is still running then. */
export function waitExit(pid: number, timeoutMs: number): n.WaitResult | null {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = n.waitpid(pid, n.WNOHANG);
    if (r !== null) return r;
    if (Date.now() >= deadline) return null;
    n.sleepMs(2);
  }
}

/** SIGKILLs and reaps every pid still alive (for after hooks). */
export function killAndReap(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      n.kill(pid, 9);
    } catch {
      // already gone
    }
    try {
      waitExit(pid, 2000);
    } catch {
      // already reaped
    }
  }
}

/**
 * In a forked child: runs `body`, then always `_exit`s (status 0, or 99 on a throw),
 * so a child can never fall back into mocha.
 */
export function childDo(body: () => number | void): never {
  let code = 99;
  try {
    const r = body();
    code = typeof r === "number" ? r : 0;
  } catch (e) {
    try {
      const msg = Buffer.from(`child ${n.getpid()}: ${String(e)}\n`);
      n.write(2, msg, 0, msg.length);
    } catch {
      // nothing left to report with
    }
  }
  return n._exit(code);
}

export interface NodeRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node -e script` with a hard deadline. `onStdout` sees the child and its output
 * so far (to signal it once it says it is ready).
 */
export function runNode(
  script: string,
  timeoutMs: number,
  onStdout?: (child: child_process.ChildProcess, text: string) => void,
): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = child_process.spawn(process.execPath, ["-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`node child timed out; stdout=${stdout} stderr=${stderr}`));
    }, timeoutMs);
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (onStdout) onStdout(child, stdout);
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
