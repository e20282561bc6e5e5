/** Registration helpers for command modules. */
import type { Interp } from '../engine/interp.js';
import type { CommandProc } from '../engine/namespace.js';
import type { CompileFn } from '../engine/compile.js';

/** Register a builtin that also has an inline compiler. */
export function registerCompiled(interp: Interp, name: string, proc: CommandProc, compile: CompileFn): void {
  const cmd = interp.createCommand(name, proc);
  cmd.compile = compile;
  const tail = name.slice(name.lastIndexOf(':') + 1);
  interp.compiledNames.add(tail);
  interp.compileEpoch++;
}

/** Register several plain commands at once. */
export function registerAll(interp: Interp, table: Record<string, CommandProc>): void {
  for (const name of Object.keys(table)) interp.createCommand(name, table[name]);
}
