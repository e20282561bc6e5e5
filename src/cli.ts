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
import * as native from './native/index.js';

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
  let status: number;
  try {
    const code = interp.evalFile(TclObj.fromString(text), script);
    if (code === ERROR) {
      finishCaughtError(interp);
      writeSync(2, interp.currentErrorInfo() + '\n');
      status = interp.finish(1);
    } else {
      void OK;
      status = interp.finish(0);
    }
  } catch (e) {
    if (e instanceof InterpExit) status = interp.finish(e.code);
    else if (native.isForkedChild()) {
      writeSync(2, `tclshim: internal error in forked child: ${e instanceof Error ? e.stack : String(e)}\n`);
      status = 70;
    } else throw e;
  }
  // A forked child never runs Node's exit path (it would touch the parent's libuv state).
  if (native.isForkedChild()) native._exit(status);
  return status;
}
