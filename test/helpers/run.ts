/**
 * Running tclshim scripts from tests: a bounded-time child process whose pid is tracked so after
 * hooks can kill anything still running (and only what the test started).
 */
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeTempDir } from './tmp.js';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const TCLSHIM = path.join(ROOT, 'bin', 'tclshim');

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

const live = new Set<ChildProcess>();

/** Write a script to a temp dir and return its path. */
export function scriptFile(text: string, name = 'script.tcl'): string {
  const dir = makeTempDir('tclshim-test-');
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Start tclshim on a script; the process is tracked for killAll(). */
export function start(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(TCLSHIM, [script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

/** Run a script to completion (killed after `timeoutMs`). */
export function run(text: string, timeoutMs = 20000, args: string[] = []): Promise<RunResult> {
  const file = scriptFile(text);
  return new Promise((resolve) => {
    const child = start(file, args);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, signal });
    });
  });
}

/** Kill a started process and its process group (forked workers share it). */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Kill every process started through this module that is still running. */
export function killAll(): void {
  for (const c of live) killGroup(c);
  live.clear();
}
