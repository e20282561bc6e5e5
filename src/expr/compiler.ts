/**
 * Expression trees to closures. Value closures return a TclObj (or null when a command substitution
 * ended with break/continue/return: the code is then in interp.pendingCode); condition closures
 * return a JS boolean, so loop tests allocate nothing. Operators test the int/int case inline and
 * leave every other mix to ops.ts.
 *
 * Two modes mirror Tcl's two ways of compiling an expression. A literal expression compiled with its
 * script ("optimize") folds constant subexpressions at compile time, and in a condition a `!` is
 * folded into the test (so `if {!$x}` reads $x as a boolean). An expression built at run time is
 * compiled plainly. The difference shows only in errors: which message a bad `!` operand gets, and
 * whether errorInfo says "while executing" or, for a folded error, "invoked from within".
 */
import { TclObj, Rep, intObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { formatStringList } from '../values/listFormat.js';
import { OK, ERROR } from '../engine/codes.js';
import type { Interp } from '../engine/interp.js';
import type { Compiler, ValueFn } from '../engine/compile.js';
import type { Command, Namespace } from '../engine/namespace.js';
import { N, Node, node } from './ast.js';
import { T } from './lexer.js';
import * as ops from './ops.js';
import { canonicalResult, condBool, notValue } from './convert.js';
import { MathFunc, checkArity } from './funcs.js';

export type BoolFn = (interp: Interp) => boolean | null;

/**
 * A numeric subexpression: a value, null (pendingCode set), or undefined when the result is a safe
 * integer left in R. Callers read R at once, before evaluating anything else.
 */
type NumFn = (interp: Interp) => TclObj | null | undefined;

/** The integer register of NumFn results. */
let R = 0;

const ZERO = TclObj.fromBool(false);
const ONE = TclObj.fromBool(true);
const EMPTY = TclObj.EMPTY;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** An error raised where a folded constant (or a syntax error) sits: errorInfo is already begun. */
export function startedError(message: string, errorCode: string, info: string): TclError {
  const e = new TclError(message, errorCode);
  e.errorInfo = info;
  e.infoComplete = false;
  return e;
}

/** A literal integer operand, for closures specialised on a constant right-hand side. */
function litInt(n: Node): TclObj | null {
  return n.k === N.Lit && n.value!.t === Rep.Int ? n.value : null;
}

function isComparison(op: T): boolean {
  return op >= T.Lt && op <= T.Ni;
}

export class ExprCompiler {
  constructor(
    private readonly c: Compiler,
    private readonly text: string,
    private readonly optimize: boolean,
  ) {}

  /** The closure for the expression's value as `expr` returns it. */
  compileResult(tree: Node): ValueFn {
    const root = this.optimize ? this.fold(tree) : tree;
    const convert = convertAfter(root, true);
    if (root.k === N.Lit) {
      const lit = root.value!;
      if (!convert) return () => lit;
      try {
        const v = canonicalResult(lit);
        return () => v;
      } catch (e) {
        if (!(e instanceof TclError)) throw e;
        return () => {
          throw new TclError(e.message, e.errorCode);
        };
      }
    }
    const fn = this.value(root);
    if (!convert) return fn;
    return (interp) => {
      const v = fn(interp);
      return v === null ? null : canonicalResult(v);
    };
  }

  /** The closure for the expression as a condition. */
  compileCondition(tree: Node): BoolFn {
    return this.bool(this.optimize ? this.fold(tree) : tree);
  }

  // ---------------------------------------------------------------- folding

  /**
   * Replace constant operator subtrees (and parenthesised literals) by their value, or by the error
   * evaluating them raised.
   */
  private fold(n: Node): Node {
    switch (n.k) {
      case N.Lit:
        if (n.paren) n.folded = true;
        return n;
      case N.Unary:
        n.a = this.fold(n.a!);
        return isConstant(n.a) ? this.evalConstant(n) : n;
      case N.Binary: case N.And: case N.Or:
        n.a = this.fold(n.a!);
        n.b = this.fold(n.b!);
        return isConstant(n.a) && isConstant(n.b) ? this.evalConstant(n) : n;
      case N.Ternary:
        n.a = this.fold(n.a!);
        n.b = this.fold(n.b!);
        n.c = this.fold(n.c!);
        return isConstant(n.a) && isConstant(n.b) && isConstant(n.c) ? this.evalConstant(n) : n;
      case N.Call:
        n.args = n.args!.map((a) => this.fold(a));
        return n;
      default:
        return n;
    }
  }

  /**
   * Constants are evaluated as plain values: no `!` folding inside them. A `?:` at the root of the
   * constant (not in parentheses) canonicalises its result as a whole expression would.
   */
  private evalConstant(n: Node): Node {
    const fn = new ExprCompiler(this.c, this.text, false).value(n);
    try {
      let v = fn(this.c.interp)!;
      if (n.k === N.Ternary && !n.paren && convertAfter(n, true)) v = canonicalResult(v);
      const lit = node(N.Lit, n.start, n.end);
      lit.value = v;
      lit.folded = true;
      return lit;
    } catch (e) {
      if (!(e instanceof TclError)) throw e;
      const fail = node(N.Fail, n.start, n.end);
      fail.error = e;
      return fail;
    }
  }

  // ---------------------------------------------------------------- values

  value(n: Node): ValueFn {
    switch (n.k) {
      case N.Lit: {
        const v = n.value!;
        return () => v;
      }
      case N.Var:
      case N.Cmd:
        return this.c.compilePart(n.part!, this.text);
      case N.Str:
        return this.c.compileParts(n.parts!, this.text);
      case N.Unary:
        return this.unary(n);
      case N.Binary:
        return this.binaryValue(n);
      case N.Ternary:
        return this.ternary(n);
      case N.And:
      case N.Or:
        return boolValue(this.bool(n));
      case N.Call:
        return this.call(n);
      default: {
        const e = n.error!;
        return () => {
          throw startedError(e.message, e.errorCode, e.message);
        };
      }
    }
  }

  private unary(n: Node): ValueFn {
    if (n.op === T.Minus) return materialize(this.numeric(n));
    const fa = this.value(n.a!);
    switch (n.op) {
      case T.Plus:
        return (interp) => {
          const a = fa(interp);
          return a === null ? null : ops.plus(a);
        };
      case T.BitNot:
        return (interp) => {
          const a = fa(interp);
          return a === null ? null : ops.bitNot(a);
        };
      default:
        return (interp) => {
          const a = fa(interp);
          if (a === null) return null;
          return notValue(a) ? ONE : ZERO;
        };
    }
  }

  private ternary(n: Node): ValueFn {
    const cond = this.bool(n.a!);
    const yes = this.value(n.b!);
    const no = this.value(n.c!);
    return (interp) => {
      const c = cond(interp);
      if (c === null) return null;
      return c ? yes(interp) : no(interp);
    };
  }

  /** Any binary operator other than && and ||, as a value. */
  private binaryValue(n: Node): ValueFn {
    if (isComparison(n.op)) return boolValue(this.comparison(n));
    if (isIntArith(n.op)) return materialize(this.numeric(n));
    const fa = this.value(n.a!);
    const fb = this.value(n.b!);
    const op = n.op;
    return (interp) => {
      const a = fa(interp);
      if (a === null) return null;
      const b = fb(interp);
      if (b === null) return null;
      return ops.binary(op, a, b);
    };
  }

  /**
   * A subexpression for a consumer that takes numbers: integer arithmetic hands back its result in
   * the register R (returning undefined) instead of allocating a value for it.
   */
  private numeric(n: Node): NumFn {
    if (n.k === N.Binary && isIntArith(n.op)) return this.numericBinary(n);
    if (n.k === N.Unary && n.op === T.Minus) {
      const fa = this.numeric(n.a!);
      return (interp) => {
        const a = fa(interp);
        if (a === undefined) {
          R = 0 - R;
          return undefined;
        }
        if (a === null) return null;
        if (a.t === Rep.Int) {
          R = 0 - a.n;
          return undefined;
        }
        return ops.negate(a);
      };
    }
    return this.value(n);
  }

  /** + - * / % with the int/int case done on JS numbers. */
  private numericBinary(n: Node): NumFn {
    const op = n.op;
    const fa = this.numeric(n.a!);
    const k = litInt(n.b!);
    if (k !== null) {
      const y = k.n;
      return (interp) => {
        const a = fa(interp);
        let x: number;
        if (a === undefined) x = R;
        else if (a === null) return null;
        else if (a.t === Rep.Int) x = a.n;
        else return ops.arith(op, a, k);
        return intArith(op, x, y);
      };
    }
    const fb = this.numeric(n.b!);
    return (interp) => {
      const a = fa(interp);
      let x = 0;
      let ao: TclObj | null = null;
      if (a === undefined) x = R;
      else if (a === null) return null;
      else if (a.t === Rep.Int) x = a.n;
      else ao = a;
      const b = fb(interp);
      if (b === null) return null;
      if (ao === null) {
        if (b === undefined) return intArith(op, x, R);
        if (b.t === Rep.Int) return intArith(op, x, b.n);
        return ops.arith(op, intObj(x), b);
      }
      return ops.arith(op, ao, b === undefined ? intObj(R) : b);
    };
  }

  // ---------------------------------------------------------------- conditions

  bool(n: Node): BoolFn {
    switch (n.k) {
      case N.And: {
        const fa = this.bool(n.a!);
        const fb = this.bool(n.b!);
        return (interp) => {
          const a = fa(interp);
          if (a !== true) return a;
          return fb(interp);
        };
      }
      case N.Or: {
        const fa = this.bool(n.a!);
        const fb = this.bool(n.b!);
        return (interp) => {
          const a = fa(interp);
          if (a !== false) return a;
          return fb(interp);
        };
      }
      case N.Binary:
        if (isComparison(n.op)) return this.comparison(n);
        break;
      case N.Unary:
        if (n.op === T.Not) {
          const fa = this.value(n.a!);
          if (this.optimize) {
            // Folded into the test: the operand is read as a condition.
            return (interp) => {
              const a = fa(interp);
              return a === null ? null : !condBool(a);
            };
          }
          return (interp) => {
            const a = fa(interp);
            return a === null ? null : notValue(a);
          };
        }
        break;
      case N.Lit: {
        const v = n.value!;
        try {
          const b = condBool(v);
          return () => b;
        } catch {
          return () => condBool(v);
        }
      }
    }
    const fn = this.numeric(n);
    return (interp) => {
      const v = fn(interp);
      if (v === undefined) return R !== 0;
      return v === null ? null : condBool(v);
    };
  }

  /** < <= > >= == != eq ne in ni, as booleans. */
  private comparison(n: Node): BoolFn {
    const op = n.op;
    if (op >= T.Lt && op <= T.Ne) return this.numericComparison(n);
    const fa = this.value(n.a!);
    const fb = this.value(n.b!);
    if (op === T.StrEq || op === T.StrNe) {
      const eq = op === T.StrEq;
      return (interp) => {
        const a = fa(interp);
        if (a === null) return null;
        const b = fb(interp);
        if (b === null) return null;
        return (a === b || a.toString() === b.toString()) === eq;
      };
    }
    const want = op === T.In;
    return (interp) => {
      const a = fa(interp);
      if (a === null) return null;
      const b = fb(interp);
      if (b === null) return null;
      return ops.inList(a, b) === want;
    };
  }

  /** < <= > >= == != : integers compared inline, anything else by ops.compare. */
  private numericComparison(n: Node): BoolFn {
    const op = n.op;
    const fa = this.numeric(n.a!);
    const k = litInt(n.b!);
    if (k !== null) {
      const y = k.n;
      return (interp) => {
        const a = fa(interp);
        if (a === undefined) return intCompare(op, R, y);
        if (a === null) return null;
        if (a.t === Rep.Int) return intCompare(op, a.n, y);
        return ops.compare(op, a, k);
      };
    }
    const fb = this.numeric(n.b!);
    return (interp) => {
      const a = fa(interp);
      let x = 0;
      let ao: TclObj | null = null;
      if (a === undefined) x = R;
      else if (a === null) return null;
      else if (a.t === Rep.Int) x = a.n;
      else ao = a;
      const b = fb(interp);
      if (b === null) return null;
      if (ao === null) {
        if (b === undefined) return intCompare(op, x, R);
        if (b.t === Rep.Int) return intCompare(op, x, b.n);
        return ops.compare(op, intObj(x), b);
      }
      return ops.compare(op, ao, b === undefined ? intObj(R) : b);
    };
  }

  // ---------------------------------------------------------------- functions

  /**
   * `name(args)` calls the command tcl::mathfunc::name as resolved from the current namespace at
   * run time (so procs can define or override functions). Builtins are called directly.
   */
  private call(n: Node): ValueFn {
    const argFns = n.args!.map((a) => this.value(a));
    const count = argFns.length;
    const cmdName = 'tcl::mathfunc::' + n.name;
    const nameObj = TclObj.fromString(cmdName);
    let epoch = -1;
    let cachedNs: Namespace | null = null;
    let cached: Command | null = null;
    const lookup = (interp: Interp): Command => {
      const ns = interp.varFrame.ns;
      if (epoch !== interp.cmdEpoch || cachedNs !== ns) {
        cached = interp.findCommand(cmdName, ns);
        epoch = interp.cmdEpoch;
        cachedNs = ns;
      }
      if (cached === null) {
        throw new TclError(`invalid command name "${cmdName}"`, `TCL LOOKUP COMMAND ${formatStringList([cmdName])}`);
      }
      return cached;
    };
    if (count === 1) {
      const f0 = argFns[0];
      return (interp) => {
        const a = f0(interp);
        if (a === null) return null;
        const cmd = lookup(interp);
        const data = cmd.data;
        if (data instanceof MathFunc) {
          checkArity(data, 1);
          return data.fn(interp, [a]);
        }
        return invokeFunction(interp, cmd, [nameObj, a]);
      };
    }
    return (interp) => {
      const args = new Array<TclObj>(count);
      for (let i = 0; i < count; i++) {
        const v = argFns[i](interp);
        if (v === null) return null;
        args[i] = v;
      }
      const cmd = lookup(interp);
      const data = cmd.data;
      if (data instanceof MathFunc) {
        checkArity(data, count);
        return data.fn(interp, args);
      }
      const objv = new Array<TclObj>(count + 1);
      objv[0] = nameObj;
      for (let i = 0; i < count; i++) objv[i + 1] = args[i];
      return invokeFunction(interp, cmd, objv);
    };
  }
}

function isConstant(n: Node): boolean {
  return n.k === N.Lit || n.k === N.Fail;
}

/**
 * Whether Tcl converts the result to canonical numeric form. Its compiler threads one flag through
 * the code it emits: set at the start, cleared by each operator and folded constant, set again by a
 * function call; after `?:` it is the false branch's flag, or the true branch's when that was set
 * (the condition's flag carries into the true branch). Operands leave it alone.
 */
function convertAfter(n: Node, flag: boolean): boolean {
  switch (n.k) {
    case N.Lit:
      return n.folded ? false : flag;
    case N.Var: case N.Cmd: case N.Str:
      return flag;
    case N.Call:
      return true;
    case N.Ternary: {
      const afterTrue = convertAfter(n.b!, convertAfter(n.a!, flag));
      return convertAfter(n.c!, true) || afterTrue;
    }
    default:
      return false;
  }
}

function isIntArith(op: T): boolean {
  return op === T.Plus || op === T.Minus || op === T.Mult || op === T.Div || op === T.Mod;
}

/** Integer + - * / % on safe integers: the result in R, or a value when it leaves the safe range. */
function intArith(op: T, x: number, y: number): TclObj | undefined {
  let r: number;
  switch (op) {
    case T.Plus:
      r = x + y;
      break;
    case T.Minus:
      r = x - y;
      break;
    case T.Mult:
      r = x * y;
      break;
    case T.Div:
      if (y === 0) return ops.intArith(op, x, y);
      // Exact: the rounding of x/y cannot cross an integer while |x| < 2^53.
      r = Math.floor(x / y);
      break;
    default:
      if (y === 0) return ops.intArith(op, x, y);
      r = x % y;
      if (r !== 0 && (r < 0) !== (y < 0)) r += y;
  }
  if (r <= MAX_SAFE && r >= -MAX_SAFE) {
    R = r + 0;
    return undefined;
  }
  return ops.intArith(op, x, y);
}

function intCompare(op: T, x: number, y: number): boolean {
  switch (op) {
    case T.Lt: return x < y;
    case T.Le: return x <= y;
    case T.Gt: return x > y;
    case T.Ge: return x >= y;
    case T.Eq: return x === y;
    default: return x !== y;
  }
}

function materialize(fn: NumFn): ValueFn {
  return (interp) => {
    const v = fn(interp);
    return v === undefined ? intObj(R) : v;
  };
}

function boolValue(fn: BoolFn): ValueFn {
  return (interp) => {
    const b = fn(interp);
    return b === null ? null : b ? ONE : ZERO;
  };
}

/**
 * Call a function implemented by a command (a proc, usually). Unlike a command in a script, the call
 * itself is not logged in errorInfo: the expression's own command is, after whatever the proc added.
 */
function invokeFunction(interp: Interp, cmd: Command, objv: TclObj[]): TclObj | null {
  if (++interp.depth > interp.recursionLimit) {
    interp.depth--;
    throw new TclError('too many nested evaluations (infinite loop?)', 'TCL LIMIT STACK');
  }
  interp.cmdCount++;
  interp.result = EMPTY;
  let code: number;
  try {
    code = cmd.proc(interp, objv);
  } catch (e) {
    code = interp.caught(e);
  } finally {
    interp.depth--;
  }
  if (code === OK) return interp.result;
  if (code === ERROR) {
    const err = new TclError(interp.result.toString(), interp.errorCode);
    if (interp.errorInfo !== null) {
      err.errorInfo = interp.errorInfo;
      err.infoComplete = false;
    }
    throw err;
  }
  interp.pendingCode = code;
  return null;
}
