/**
 * Helpers for the channel-layer tests: starting tclshim scripts as tracked child processes (killed
 * in after hooks), a line-protocol client on 127.0.0.1, and /proc readings (fds, CPU ticks).
 */
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeTempDir } from '../helpers/tmp.js';

/** The package root (tests run from dist-test/test/io). */
export const ROOT = (() => {
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'tclshim') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the tclshim package root');
    dir = up;
  }
})();

export const TCLSHIM = process.env.TCLSHIM || path.join(ROOT, 'bin', 'tclshim');

const live = new Set<ChildProcess>();

export function tempDir(): string {
  return makeTempDir('tclshim-io-test-');
}

export function tempScript(text: string): string {
  const file = path.join(tempDir(), 'script.tcl');
  fs.writeFileSync(file, text);
  return file;
}

/** A running tclshim process with its collected output. */
export class Proc {
  stdout = '';
  stderr = '';
  exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Wait until stdout matches `re` (or fail after ms). */
  async waitFor(re: RegExp, ms = 30000): Promise<RegExpExecArray> {
    const end = Date.now() + ms;
    for (;;) {
      const m = re.exec(this.stdout);
      if (m !== null) return m;
      if (this.child.exitCode !== null) throw new Error(`process exited: ${this.stdout}${this.stderr}`);
      if (Date.now() > end) throw new Error(`timeout waiting for ${re}: ${this.stdout}${this.stderr}`);
      await sleep(20);
    }
  }
}

export function startTclshim(script: string, args: string[] = []): Proc {
  const child = spawn(TCLSHIM, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  live.add(child);
  child.on('exit', () => live.delete(child));
  return new Proc(child);
}

/** Kill (by pid, with its process group) everything these helpers started. */
export function killAll(): void {
  for (const c of live) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      try {
        c.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  live.clear();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function fdCount(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** utime + stime of a process, in clock ticks. */
export function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * One echo-protocol conversation: send each line and wait for its reply, then "quit", then wait
 * for the server to close. Resolves with the replies; rejects on any error or timeout.
 */
export function converse(port: number, lines: string[], timeoutMs = 30000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const replies: string[] = [];
    const script = [...lines, 'quit'];
    let buf = '';
    let sent = 0;
    let done = false;
    const timer = setTimeout(() => fail(new Error(`timeout after ${replies.length} replies`)), timeoutMs);
    const fail = (e: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      reject(e);
    };
    const sendNext = (): void => {
      sock.write(script[sent++] + '\n');
    };
    sock.setEncoding('utf8');
    sock.on('connect', sendNext);
    sock.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        replies.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        if (sent < script.length) sendNext();
      }
    });
    sock.on('error', (e) => fail(e));
    sock.on('close', () => {
      if (done) return;
      if (replies.length !== script.length) return fail(new Error(`closed after ${replies.length} replies`));
      done = true;
      clearTimeout(timer);
      resolve(replies);
    });
  });
}
