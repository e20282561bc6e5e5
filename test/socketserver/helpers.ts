/**
 * Helpers for the socketserver and example tests: servers started as real processes (each in
 * its own process group, tracked for killAll), line-oriented loopback clients, the echoload
 * load generator, and /proc probes. Every wait has a deadline.
 */
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, start, killGroup } from '../helpers/run.js';
import { makeTempDir } from '../helpers/tmp.js';

export { ROOT, killAll } from '../helpers/run.js';
export const EXAMPLES = path.join(ROOT, 'examples');
/** Tests bind loopback only. */
export const LOOPBACK_ENV = { TCLSHIM_SOCKETSERVER_BIND: '127.0.0.1' };

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `cond` every 20 ms until it holds, or fails after `ms` with `what`. */
export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A server process with its stdout and stderr collected. */
export class ServerProcess {
  stdout = '';
  stderr = '';
  exited = false;
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    child.on('exit', (code, sig) => {
      this.exited = true;
      this.exitCode = code;
      this.exitSignal = sig;
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  lines(): string[] {
    return this.stdout.split('\n').filter((l) => l !== '');
  }

  /** Waits for a stdout line matching `re`; returns its match. */
  async waitLine(re: RegExp, ms = 20000): Promise<RegExpMatchArray> {
    let m: RegExpMatchArray | null = null;
    await until(
      () => {
        for (const l of this.lines()) {
          m = l.match(re);
          if (m !== null) return true;
        }
        if (this.exited) throw new Error(`server exited (${this.exitCode ?? this.exitSignal}) before ${re}: ${this.stdout}${this.stderr}`);
        return false;
      },
      ms,
      `${re} from the server (stdout so far: ${JSON.stringify(this.stdout)}, stderr: ${JSON.stringify(this.stderr)})`,
    );
    return m!;
  }

  /** Count of stdout lines matching `re`. */
  count(re: RegExp): number {
    return this.lines().filter((l) => re.test(l)).length;
  }

  async waitExit(ms = 10000): Promise<void> {
    await until(() => this.exited, ms, `exit of ${this.pid}`);
  }

  kill(): void {
    killGroup(this.child);
  }
}

/** Starts `interpreter script args` in a new process group (tracked for killAll). */
export function startScript(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}, interpreter?: string): ServerProcess {
  if (interpreter === undefined) return new ServerProcess(start(script, args, env));
  const child = spawn(interpreter, [script, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  extraChildren.add(child);
  child.on('exit', () => extraChildren.delete(child));
  return new ServerProcess(child);
}

const extraChildren = new Set<ChildProcess>();

/** Kills servers started with another interpreter (tclsh). */
export function killExtra(): void {
  for (const c of extraChildren) killGroup(c);
  extraChildren.clear();
}

/** A loopback client that talks in lines. */
export class LineClient {
  private buf = '';
  private readonly lines: string[] = [];
  closed = false;
  error: Error | null = null;
  private waiters: Array<() => void> = [];

  private constructor(readonly sock: net.Socket) {
    sock.setEncoding('utf8');
    sock.setNoDelay(true);
    sock.on('data', (d: string) => {
      this.buf += d;
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        this.lines.push(this.buf.slice(0, nl));
        this.buf = this.buf.slice(nl + 1);
      }
      this.wake();
    });
    sock.on('end', () => {
      this.closed = true;
      this.wake();
    });
    sock.on('close', () => {
      this.closed = true;
      this.wake();
    });
    sock.on('error', (e) => {
      this.error = e;
      this.closed = true;
      this.wake();
    });
  }

  static connect(port: number, ms = 10000): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1');
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`connect to ${port} timed out`));
      }, ms);
      sock.once('connect', () => {
        clearTimeout(timer);
        resolve(new LineClient(sock));
      });
      sock.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  get localPort(): number {
    return this.sock.localPort!;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  send(line: string): void {
    this.sock.write(line + '\n');
  }

  /** The next line from the server; fails on timeout or close. */
  async readLine(ms = 10000): Promise<string> {
    const deadline = Date.now() + ms;
    while (this.lines.length === 0) {
      if (this.closed) throw new Error(`connection closed while waiting for a line${this.error ? ': ' + this.error.message : ''}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a line');
      await this.wait(left);
    }
    return this.lines.shift()!;
  }

  /** Sends a line and returns the reply. */
  async ask(line: string, ms = 10000): Promise<string> {
    this.send(line);
    return this.readLine(ms);
  }

  /** True if the server closed the connection within `ms`. */
  async waitClosed(ms = 10000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.wait(left);
    }
    return true;
  }

  /** Half-closes the sending side (the client's end of file). */
  end(): void {
    this.sock.end();
  }

  destroy(): void {
    this.sock.destroy();
  }
}

let echoloadPath: string | null = null;

/** The echoload load generator, compiled once per test process into a temp dir. */
export function echoload(): string {
  if (echoloadPath !== null) return echoloadPath;
  const dir = makeTempDir('tclshim-echoload-');
  const out = path.join(dir, 'echoload');
  const r = spawnSync(process.env.CC ?? 'cc', ['-O2', '-o', out, path.join(ROOT, 'native', 'tools', 'echoload.c')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot compile echoload: ${r.stderr}${r.error ?? ''}`);
  echoloadPath = out;
  return out;
}

export interface LoadResult {
  done: number;
  errors: number;
  connsPerSec: number;
  linesPerSec: number;
  output: string;
}

/** Runs echoload against a port (asynchronously, so the test's own event loop keeps going). */
export function runLoad(port: number, conns: number, inflight: number, lines = 1, extra: string[] = [], timeoutSec = 240): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(echoload(), ['-p', String(port), '-n', String(conns), '-c', String(inflight), '-m', String(lines), '-t', String(timeoutSec), ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), (timeoutSec + 30) * 1000);
    child.on('close', () => {
      clearTimeout(timer);
      const m = /connections (\d+) errors (\d+) seconds [\d.]+ conns\/s ([\d.]+) lines\/s ([\d.]+)/.exec(out);
      if (m === null) reject(new Error(`echoload gave no result: ${out}`));
      else resolve({ done: Number(m[1]), errors: Number(m[2]), connsPerSec: Number(m[3]), linesPerSec: Number(m[4]), output: out.trim() });
    });
  });
}

/** Open descriptors of a process. */
export function fdCount(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** Direct children of a process. */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    let text = '';
    try {
      text = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const w of text.trim().split(/\s+/)) if (w !== '') out.push(Number(w));
  }
  return out;
}

/** The state letter of a process (R, S, Z, ...), or null when it is gone. */
export function procState(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

export { cpuTicks } from '../io/helpers.js';

/** Writes a script into a fresh temp dir; returns its path. */
export function tempScript(text: string, name = 'server.tcl'): string {
  const dir = makeTempDir('tclshim-ss-');
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}
