/**
 * The `expr` command (inline-compiled when its argument is a literal, otherwise compiled once per
 * distinct expression value at run time), the ::tcl::mathfunc::* commands behind expression
 * functions, and the ::tcl::mathop::* operator commands. Registering also plugs the expression
 * compiler into the engine (exprHook) for if/while/for.
 */
import { TclObj, intObj } from '../values/obj.js';
import { OK } from '../engine/codes.js';
import type { Interp } from '../engine/interp.js';
import { Compiler } from '../engine/compile.js';
import type { CompiledWord, ExecFn, ValueFn } from '../engine/compile.js';
import { wrongNumArgs } from '../engine/args.js';
import { exprHook, ExprEngine } from '../engine/exprHook.js';
import { registerCompiled } from './registry.js';
import { BoolFn, compileCondition, compileExpression, compileRuntime, parseExpression, ParsedExpr, syntaxErrorFn } from '../expr/index.js';
import { T } from '../expr/lexer.js';
import { isTclSpace } from '../values/number.js';
import * as ops from '../expr/ops.js';
import { notValue, numOperand } from '../expr/convert.js';
import { mathFuncs, checkArity } from '../expr/funcs.js';

// ------------------------------------------------------------------ run-time expressions

/** An expression compiled from a value at run time, cached on the value and by text. */
export class CompiledExpr {
  private valueFn: ValueFn | null = null;
  private condFn: BoolFn | null = null;

  constructor(
    private readonly parsed: ParsedExpr,
    private readonly text: string,
    readonly epoch: number,
  ) {}

  private build(interp: Interp): void {
    if (this.parsed.error !== null) {
      const fail = syntaxErrorFn(this.parsed.error);
      this.valueFn = fail;
      this.condFn = fail;
      return;
    }
    const fns = compileRuntime(this.parsed.tree!, this.text, new Compiler(interp, null));
    this.valueFn = fns.value;
    this.condFn = fns.cond;
  }

  value(interp: Interp): ValueFn {
    if (this.valueFn === null) this.build(interp);
    return this.valueFn!;
  }

  cond(interp: Interp): BoolFn {
    if (this.condFn === null) this.build(interp);
    return this.condFn!;
  }
}

const CACHE_KEY = 'tcl::expr::cache';
/** Distinct run-time expression texts remembered per interpreter (`expr $a + $b` builds new values). */
const CACHE_LIMIT = 500;

function textCache(interp: Interp): Map<string, CompiledExpr> {
  let m = interp.assoc.get(CACHE_KEY) as Map<string, CompiledExpr> | undefined;
  if (m === undefined) {
    m = new Map();
    interp.assoc.set(CACHE_KEY, m);
  }
  return m;
}

function compiledExpr(interp: Interp, o: TclObj): CompiledExpr {
  const code = o.code;
  const epoch = interp.compileEpoch;
  if (code instanceof CompiledExpr && code.epoch === epoch) return code;
  const text = o.toString();
  const cache = textCache(interp);
  let ce = cache.get(text);
  if (ce === undefined || ce.epoch !== epoch) {
    ce = new CompiledExpr(parseExpression(text, 1), text, epoch);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, ce);
  }
  o.code = ce;
  return ce;
}

/**
 * Evaluate an expression value at run time (`expr $e`, `if $cond`). Returns null when a command
 * substitution inside it ended with break/continue/return; the code is then in interp.pendingCode.
 * Errors are thrown as TclError.
 */
export function evalExprObj(interp: Interp, o: TclObj): TclObj | null {
  return compiledExpr(interp, o).value(interp)(interp);
}

/** As evalExprObj, read as a condition. */
export function evalExprBoolean(interp: Interp, o: TclObj): boolean | null {
  return compiledExpr(interp, o).cond(interp)(interp);
}

// ------------------------------------------------------------------ expr

/** Tcl_ConcatObj: each argument trimmed of surrounding white space, empty ones dropped. */
function concatArgs(objv: readonly TclObj[], from: number): TclObj {
  let out = '';
  for (let i = from; i < objv.length; i++) {
    const s = objv[i].toString();
    let a = 0;
    let b = s.length;
    while (a < b && isTclSpace(s.charCodeAt(a))) a++;
    while (b > a && isTclSpace(s.charCodeAt(b - 1))) b--;
    if (a === b) continue;
    const piece = a === 0 && b === s.length ? s : s.slice(a, b);
    out = out.length === 0 ? piece : out + ' ' + piece;
  }
  return TclObj.fromString(out);
}

function exprCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) wrongNumArgs(objv, 1, 'arg ?arg ...?');
  const e = objv.length === 2 ? objv[1] : concatArgs(objv, 1);
  const v = evalExprObj(interp, e);
  if (v === null) return interp.pendingCode;
  interp.result = v;
  return OK;
}

/** A single literal argument compiles with the script; anything else is evaluated at run time. */
function compileExprCmd(c: Compiler, words: CompiledWord[]): ExecFn | null {
  if (words.length !== 2 || words[1].constant === null) return null;
  const fn = compileExpression(words[1].constant.toString(), words[1].word.line, c);
  return (interp) => {
    const v = fn(interp);
    if (v === null) return interp.pendingCode;
    interp.result = v;
    return OK;
  };
}

// ------------------------------------------------------------------ ::tcl::mathfunc

function registerMathFuncs(interp: Interp): void {
  interp.ensureNamespace('::tcl::mathfunc');
  for (const f of mathFuncs.values()) {
    const cmd = interp.createCommand('::tcl::mathfunc::' + f.name, (ip, objv) => {
      const args = objv.slice(1);
      checkArity(f, args.length);
      ip.result = f.fn(ip, args);
      return OK;
    });
    cmd.data = f;
  }
}

// ------------------------------------------------------------------ ::tcl::mathop

const DOUBLE_ONE = TclObj.fromDouble(1);

type OpProc = (interp: Interp, objv: TclObj[]) => number;

function done(interp: Interp, v: TclObj): number {
  interp.result = v;
  return OK;
}

/** + * & | ^: fold left from the identity. */
function foldOp(op: T, identity: TclObj): OpProc {
  return (interp, objv) => {
    let r = identity;
    for (let i = 1; i < objv.length; i++) r = op === T.Plus || op === T.Mult ? ops.arith(op, r, objv[i]) : ops.bitwise(op, r, objv[i]);
    return done(interp, r);
  };
}

/** - and /: one argument negates (or inverts, always in floating point), more fold left. */
function subtractive(op: T): OpProc {
  return (interp, objv) => {
    if (objv.length < 2) wrongNumArgs(objv, 1, 'value ?value ...?');
    if (objv.length === 2) return done(interp, op === T.Minus ? ops.negate(objv[1]) : ops.arith(T.Div, DOUBLE_ONE, objv[1]));
    let r = objv[1];
    for (let i = 2; i < objv.length; i++) r = ops.arith(op, r, objv[i]);
    return done(interp, r);
  };
}

/** **: right associative; a single argument is checked and returned as it is. */
function powerOp(interp: Interp, objv: TclObj[]): number {
  const n = objv.length;
  if (n === 1) return done(interp, intObj(1));
  if (n === 2) {
    numOperand(objv[1], '**');
    return done(interp, objv[1]);
  }
  let r = objv[n - 1];
  for (let i = n - 2; i >= 1; i--) r = ops.arith(T.Expon, objv[i], r);
  return done(interp, r);
}

/** Operators with a fixed number of operands. */
function fixedOp(count: number, usage: string, fn: (a: TclObj[]) => TclObj): OpProc {
  return (interp, objv) => {
    if (objv.length !== count + 1) wrongNumArgs(objv, 1, usage);
    return done(interp, fn(objv));
  };
}

/** Comparison chains: true when every adjacent pair compares as asked. */
function chainOp(test: (a: TclObj, b: TclObj) => boolean): OpProc {
  return (interp, objv) => {
    for (let i = 2; i < objv.length; i++) if (!test(objv[i - 1], objv[i])) return done(interp, TclObj.fromBool(false));
    return done(interp, TclObj.fromBool(true));
  };
}

function registerMathOps(interp: Interp): void {
  interp.ensureNamespace('::tcl::mathop');
  const table: Record<string, OpProc> = {
    '+': foldOp(T.Plus, intObj(0)),
    '*': foldOp(T.Mult, intObj(1)),
    '&': foldOp(T.BitAnd, intObj(-1)),
    '|': foldOp(T.BitOr, intObj(0)),
    '^': foldOp(T.BitXor, intObj(0)),
    '-': subtractive(T.Minus),
    '/': subtractive(T.Div),
    '**': powerOp,
    '%': fixedOp(2, 'integer integer', (a) => ops.arith(T.Mod, a[1], a[2])),
    '<<': fixedOp(2, 'integer shift', (a) => ops.bitwise(T.LShift, a[1], a[2])),
    '>>': fixedOp(2, 'integer shift', (a) => ops.bitwise(T.RShift, a[1], a[2])),
    '~': fixedOp(1, 'integer', (a) => ops.bitNot(a[1])),
    '!': fixedOp(1, 'boolean', (a) => TclObj.fromBool(notValue(a[1]))),
    '!=': fixedOp(2, 'value value', (a) => TclObj.fromBool(ops.compare(T.Ne, a[1], a[2]))),
    'ne': fixedOp(2, 'value value', (a) => TclObj.fromBool(a[1].toString() !== a[2].toString())),
    'in': fixedOp(2, 'value list', (a) => TclObj.fromBool(ops.inList(a[1], a[2]))),
    'ni': fixedOp(2, 'value list', (a) => TclObj.fromBool(!ops.inList(a[1], a[2]))),
    '==': chainOp((a, b) => ops.compare(T.Eq, a, b)),
    '<': chainOp((a, b) => ops.compare(T.Lt, a, b)),
    '<=': chainOp((a, b) => ops.compare(T.Le, a, b)),
    '>': chainOp((a, b) => ops.compare(T.Gt, a, b)),
    '>=': chainOp((a, b) => ops.compare(T.Ge, a, b)),
    'eq': chainOp((a, b) => a.toString() === b.toString()),
  };
  for (const name of Object.keys(table)) interp.createCommand('::tcl::mathop::' + name, table[name]);
}

// ------------------------------------------------------------------ registration

const engine: ExprEngine = {
  compileValue: compileExpression,
  compileCondition,
  // These two return null for a break/continue/return inside the expression (code in pendingCode).
  evalObj: evalExprObj,
  evalBool: evalExprBoolean,
};

export function register(interp: Interp): void {
  registerCompiled(interp, 'expr', exprCmd, compileExprCmd);
  registerMathFuncs(interp);
  registerMathOps(interp);
  exprHook.engine = engine;
}
