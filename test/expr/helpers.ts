// Shared setup for the expression tests: an interpreter with expr registered, and a runner that
// reports a script's outcome the way the recorded fixtures do.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Interp } from '../../src/index.js';
import { register } from '../../src/commands/expr.js';
import { TclObj } from '../../src/values/obj.js';
import { OK, ERROR } from '../../src/engine/codes.js';

export function newInterp(): Interp {
  const interp = new Interp();
  register(interp);
  return interp;
}

/** The package root (compiled tests run from dist-test/test/expr). */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'tclshim') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package root not found');
    dir = up;
  }
}

export interface Outcome {
  ok?: string;
  err?: string;
  code?: string;
  info?: string;
  rc?: number;
  result?: string;
}

/** errorInfo up to and including the first quoted command line (as record.tcl keeps it). */
export function infoHead(info: string): string {
  const lines = info.split('\n');
  const out: string[] = [];
  for (const l of lines) {
    out.push(l);
    if (l.startsWith('"') && out.length > 1) break;
  }
  return out.join('\n');
}

/** Invoke a command from its words and describe the outcome; resets the error state after. */
export function outcomeOf(interp: Interp, words: string[]): Outcome {
  const code = interp.evalObjv(words.map((w) => TclObj.fromString(w)));
  interp.errAlreadyLogged = false;
  let out: Outcome;
  if (code === OK) out = { ok: interp.result.toString() };
  else if (code === ERROR) {
    out = { err: interp.result.toString(), code: interp.errorCode, info: infoHead(interp.currentErrorInfo()) };
  } else out = { rc: code, result: interp.result.toString() };
  interp.resetError();
  return out;
}

/** Evaluate a script, throwing on error; its result. */
export function run(interp: Interp, script: string): string {
  return interp.evalOrThrow(script);
}
