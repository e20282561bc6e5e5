/**
 * The engine's view of the expression compiler. The expr package plugs itself in at registration;
 * control commands (if/while/for) and Interp.exprObj call through here so the engine does not depend
 * on the expression grammar's module.
 */
import type { TclObj } from '../values/obj.js';
import type { Interp } from './interp.js';
import type { Compiler, ValueFn } from './compile.js';

export type ConditionFn = (interp: Interp) => boolean | null;

export interface ExprEngine {
  /** Compile an expression's text to a value closure (throws TclError on syntax errors). */
  compileValue(text: string, line: number, c: Compiler): ValueFn;
  /** Compile an expression used as a condition (if/while/for). */
  compileCondition(text: string, line: number, c: Compiler): ConditionFn;
  /**
   * Evaluate an expression value at run time (cached on the value). Null when a command substitution
   * inside it ended with break/continue/return (the code is in interp.pendingCode).
   */
  evalObj(interp: Interp, o: TclObj): TclObj | null;
  /** Evaluate an expression value as a boolean at run time (null as for evalObj). */
  evalBool(interp: Interp, o: TclObj): boolean | null;
}

export const exprHook: { engine: ExprEngine | null } = { engine: null };

export function exprEngine(): ExprEngine {
  const e = exprHook.engine;
  if (e === null) throw new Error('expression engine not registered');
  return e;
}
