/**
 * Expression trees. Every node has the same fields (one hidden class for V8); which ones are used
 * depends on the kind. Parentheses leave no node: grouping changes nothing at run time.
 */
import { TclObj } from '../values/obj.js';
import type { TclError } from '../values/error.js';
import { Part, PartKind } from '../parse/ast.js';
import { T, Token } from './lexer.js';

export const enum N {
  /** A value known at compile time: number, boolean word, braced word, plain quoted word. */
  Lit,
  /** `$name` or `$name(index)`. */
  Var,
  /** `[script]`. */
  Cmd,
  /** A quoted word with substitutions. */
  Str,
  Unary,
  Binary,
  /** `a && b`, `a || b`: lazy. */
  And,
  Or,
  /** `a ? b : c`: lazy. */
  Ternary,
  /** `name(args...)`. */
  Call,
  /** A constant subexpression whose evaluation at compile time failed: raises `error` when reached. */
  Fail,
}

export interface Node {
  k: N;
  /** Operator token kind (Unary, Binary). */
  op: T;
  value: TclObj | null;
  part: Part | null;
  parts: Part[] | null;
  name: string;
  a: Node | null;
  b: Node | null;
  c: Node | null;
  args: Node[] | null;
  error: TclError | null;
  /** Written in parentheses: a constant in parentheses is folded (and so never canonicalised). */
  paren: boolean;
  /** A literal produced by constant folding rather than written as an operand. */
  folded: boolean;
  /** Source range in the expression text. */
  start: number;
  end: number;
}

export function node(k: N, start: number, end: number): Node {
  return { k, op: 0 as T, value: null, part: null, parts: null, name: '', a: null, b: null, c: null, args: null, error: null, paren: false, folded: false, start, end };
}

/** The node for an operand token; quoted words without substitutions are literals. */
export function operandNode(t: Token): Node {
  switch (t.t) {
    case T.Number:
    case T.Boolean:
    case T.Braced: {
      const n = node(N.Lit, t.start, t.end);
      n.value = t.value;
      return n;
    }
    case T.Var: {
      const n = node(N.Var, t.start, t.end);
      n.part = t.part;
      return n;
    }
    case T.Script: {
      const n = node(N.Cmd, t.start, t.end);
      n.part = t.part;
      return n;
    }
    default: {
      const parts = t.parts!;
      let literal = '';
      let isLiteral = true;
      for (const p of parts) {
        if (p.kind !== PartKind.Text) {
          isLiteral = false;
          break;
        }
        literal += p.text;
      }
      if (isLiteral) {
        const n = node(N.Lit, t.start, t.end);
        n.value = TclObj.fromString(literal);
        return n;
      }
      const n = node(N.Str, t.start, t.end);
      n.parts = parts;
      return n;
    }
  }
}
