/**
 * The expression compiler's entry points: parse (lexer, grammar, and Tcl's error diagnosis when the
 * grammar rejects the text), and compile literal expressions into value or condition closures.
 */
import { TclError } from '../values/error.js';
import type { Compiler, ValueFn } from '../engine/compile.js';
import type { Node } from './ast.js';
import { lexExpression, T } from './lexer.js';
import { parseTokens } from './grammar.js';
import { ExprSyntaxError, findSyntaxError, parseIteratively } from './diagnose.js';
import { BoolFn, ExprCompiler, startedError } from './compiler.js';

export type { BoolFn } from './compiler.js';
export type { ExprSyntaxError } from './diagnose.js';

export interface ParsedExpr {
  tree: Node | null;
  error: ExprSyntaxError | null;
}

/** Parse an expression whose text starts on `line` (for the lines of nested commands). */
export function parseExpression(text: string, line: number): ParsedExpr {
  const tokens = lexExpression(text, line);
  let tree: Node | null;
  try {
    tree = tokens[tokens.length - 1].t === T.Error ? null : parseTokens(tokens);
  } catch (e) {
    // Nesting deeper than the recursive grammar can follow: Tcl's own procedure has no such limit.
    if (e instanceof RangeError) return parseIteratively(text, tokens);
    throw e;
  }
  if (tree !== null) return { tree, error: null };
  const error = findSyntaxError(text, tokens);
  if (error === null) {
    // The grammar and Tcl's procedure accept the same language (the tests fuzz this); if they ever
    // disagree, say so rather than run a wrong tree.
    throw new TclError(`internal error: cannot parse expression "${text}"`, 'TCL INTERNAL');
  }
  return { tree: null, error };
}

/** Raise a syntax error the way Tcl does: when the expression runs, with errorInfo begun. */
export function syntaxErrorFn(e: ExprSyntaxError): () => never {
  return () => {
    throw startedError(e.message, e.errorCode, e.message + e.info);
  };
}

/**
 * Compile a literal expression (an `expr` argument or a condition written in braces) with the
 * script that contains it. Syntax errors are raised when the expression runs, as in Tcl, so the
 * commands before it still execute.
 */
export function compileExpression(text: string, line: number, c: Compiler): ValueFn {
  const p = parseExpression(text, line);
  if (p.error !== null) return syntaxErrorFn(p.error);
  return new ExprCompiler(c, text, true).compileResult(p.tree!);
}

/** Compile a literal expression used as a condition (if, while, for): returns JS booleans. */
export function compileCondition(text: string, line: number, c: Compiler): BoolFn {
  const p = parseExpression(text, line);
  if (p.error !== null) return syntaxErrorFn(p.error);
  return new ExprCompiler(c, text, true).compileCondition(p.tree!);
}

/** Compile a parsed expression built at run time (no constant folding). */
export function compileRuntime(tree: Node, text: string, c: Compiler): { value: ValueFn; cond: BoolFn } {
  const x = new ExprCompiler(c, text, false);
  return { value: x.compileResult(tree), cond: x.compileCondition(tree) };
}
