/**
 * The tclshim command line: `tclshim ?script ?arg ...??`, compatible with tclsh. A script's uncaught
 * error prints errorInfo on stderr and exits with status 1.
 */
import { readFileSync } from 'node:fs';
import { Interp, TclObj } from './index.js';
import { InterpExit } from './engine/interp.js';
import { ERROR, OK } from './engine/codes.js';
import { finishCaughtError } from './commands/procs.js';
import { writeSync } from 'node:fs';

export function main(args: string[]): number {
  if (args.length === 0) {
    writeSync(2, 'tclshim: interactive mode is not available yet; give a script file\n');
    return 2;
  }
  const [script, ...rest] = args;
  const interp = new Interp({ argv0: script, argv: rest });
  let text: string;
  try {
    text = readFileSync(script, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'no such file or directory' : (err.message ?? String(e)).toLowerCase();
    writeSync(2, `couldn't read file "${script}": ${reason}\n`);
    return 1;
  }
  try {
    const code = interp.evalFile(TclObj.fromString(text), script);
    if (code === ERROR) {
      finishCaughtError(interp);
      writeSync(2, interp.currentErrorInfo() + '\n');
      return interp.finish(1);
    }
    void OK;
    return interp.finish(0);
  } catch (e) {
    if (e instanceof InterpExit) return interp.finish(e.code);
    throw e;
  }
}
