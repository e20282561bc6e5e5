/**
 * The expression grammar, as a chevrotain parser over the lexer's tokens, building the tree in
 * embedded actions. Precedence, lowest first: ?: (right), ||, &&, |, ^, &, == != eq ne in ni,
 * < > <= >=, << >>, + -, * / %, ** (right), unary - + ! ~, operands. When it rejects the tokens, Tcl's
 * own error for them comes from diagnose.ts (which can also build the tree, for nesting deeper than
 * this recursive parser can follow).
 *
 * chevrotain is loaded on first use, from its single-file bundle when present: the package's
 * multi-file entry point costs several times more to load, and most scripts never need it at all
 * before their first expression.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import type { EmbeddedActionsParser, IToken, TokenType } from 'chevrotain';
import { T, Token } from './lexer.js';
import { N, Node, node, operandNode } from './ast.js';

type Chevrotain = typeof import('chevrotain');

function loadChevrotain(): Chevrotain {
  const entry = require.resolve('chevrotain');
  const bundle = path.join(path.dirname(entry), '..', 'chevrotain.min.mjs');
  if (fs.existsSync(bundle)) return require(bundle) as Chevrotain;
  return require('chevrotain') as Chevrotain;
}

/** A token as chevrotain sees it, carrying the lexer's token. */
interface ExprIToken extends IToken {
  payload: Token;
}

interface Grammar {
  parse(tokens: readonly Token[]): Node | null;
}

let grammar: Grammar | null = null;

/** Parse lexed tokens (ending with End) into a tree; null when the grammar rejects them. */
export function parseTokens(tokens: readonly Token[]): Node | null {
  if (grammar === null) grammar = buildGrammar(loadChevrotain());
  return grammar.parse(tokens);
}

function buildGrammar(chev: Chevrotain): Grammar {
  const { createToken, Lexer, EmbeddedActionsParser: Base } = chev;
  const tok = (name: string, categories: TokenType[] = []): TokenType =>
    createToken({ name, pattern: Lexer.NA, categories });

  const Operand = tok('Operand');
  const UnaryOp = tok('UnaryOp');
  const AddOp = tok('AddOp');
  const MulOp = tok('MulOp');
  const ShiftOp = tok('ShiftOp');
  const RelOp = tok('RelOp');
  const EqOp = tok('EqOp');

  // Token types indexed by T.
  const types: TokenType[] = [];
  const def = (t: T, name: string, categories: TokenType[] = []) => {
    types[t] = tok(name, categories);
  };
  def(T.Number, 'Number', [Operand]);
  def(T.Boolean, 'Boolean', [Operand]);
  def(T.Var, 'Var', [Operand]);
  def(T.Script, 'Script', [Operand]);
  def(T.Quoted, 'Quoted', [Operand]);
  def(T.Braced, 'Braced', [Operand]);
  def(T.Not, 'Not', [UnaryOp]);
  def(T.BitNot, 'BitNot', [UnaryOp]);
  def(T.Func, 'Func');
  def(T.LParen, 'LParen');
  def(T.Plus, 'Plus', [UnaryOp, AddOp]);
  def(T.Minus, 'Minus', [UnaryOp, AddOp]);
  def(T.Mult, 'Mult', [MulOp]);
  def(T.Div, 'Div', [MulOp]);
  def(T.Mod, 'Mod', [MulOp]);
  def(T.Expon, 'Expon');
  def(T.LShift, 'LShift', [ShiftOp]);
  def(T.RShift, 'RShift', [ShiftOp]);
  def(T.Lt, 'Lt', [RelOp]);
  def(T.Gt, 'Gt', [RelOp]);
  def(T.Le, 'Le', [RelOp]);
  def(T.Ge, 'Ge', [RelOp]);
  def(T.Eq, 'Eq', [EqOp]);
  def(T.Ne, 'Ne', [EqOp]);
  def(T.StrEq, 'StrEq', [EqOp]);
  def(T.StrNe, 'StrNe', [EqOp]);
  def(T.In, 'In', [EqOp]);
  def(T.Ni, 'Ni', [EqOp]);
  def(T.BitAnd, 'BitAnd');
  def(T.BitXor, 'BitXor');
  def(T.BitOr, 'BitOr');
  def(T.And, 'And');
  def(T.Or, 'Or');
  def(T.Question, 'Question');
  def(T.Colon, 'Colon');
  def(T.Comma, 'Comma');
  def(T.RParen, 'RParen');
  // End and Error are never handed to the parser: the token vector simply stops.
  def(T.End, 'End');
  def(T.Error, 'Error');
  const vocabulary = [Operand, UnaryOp, AddOp, MulOp, ShiftOp, RelOp, EqOp, ...types];

  const binary = (op: Token, a: Node, b: Node): Node => {
    const k = op.t === T.And ? N.And : op.t === T.Or ? N.Or : N.Binary;
    const n = node(k, a.start, b.end);
    n.op = op.t;
    n.a = a;
    n.b = b;
    return n;
  };

  class ExprParser extends (Base as typeof EmbeddedActionsParser) {
    constructor() {
      // Grammar validations cost a third of the start-up; test/expr/parser.test.ts checks the
      // grammar against Tcl's own procedure on thousands of expressions instead.
      super(vocabulary, { recoveryEnabled: false, maxLookahead: 1, skipValidations: true });
      this.performSelfAnalysis();
    }

    /** A left-associative level: `next (op next)*`. */
    private leftAssoc(name: string, op: TokenType, next: () => Node): () => Node {
      return this.RULE(name, () => {
        let left = this.SUBRULE(next);
        this.MANY(() => {
          const o = this.CONSUME(op) as ExprIToken;
          const right = this.SUBRULE2(next);
          left = this.ACTION(() => binary(o.payload, left, right));
        });
        return left;
      });
    }

    readonly expression: () => Node = this.RULE('expression', () => {
      const cond = this.SUBRULE(this.ternary);
      return cond;
    });

    readonly ternary: () => Node = this.RULE('ternary', () => {
      let cond = this.SUBRULE(this.logicalOr);
      this.OPTION(() => {
        this.CONSUME(types[T.Question]);
        const yes = this.SUBRULE(this.ternary);
        this.CONSUME(types[T.Colon]);
        const no = this.SUBRULE2(this.ternary);
        cond = this.ACTION(() => {
          const n = node(N.Ternary, cond.start, no.end);
          n.a = cond;
          n.b = yes;
          n.c = no;
          return n;
        });
      });
      return cond;
    });

    readonly exponent: () => Node = this.RULE('exponent', () => {
      let base = this.SUBRULE(this.unary);
      this.OPTION(() => {
        const o = this.CONSUME(types[T.Expon]) as ExprIToken;
        const power = this.SUBRULE(this.exponent);
        base = this.ACTION(() => binary(o.payload, base, power));
      });
      return base;
    });

    readonly multiplicative = this.leftAssoc('multiplicative', MulOp, this.exponent);
    readonly additive = this.leftAssoc('additive', AddOp, this.multiplicative);
    readonly shift = this.leftAssoc('shift', ShiftOp, this.additive);
    readonly relational = this.leftAssoc('relational', RelOp, this.shift);
    readonly equality = this.leftAssoc('equality', EqOp, this.relational);
    readonly bitAnd = this.leftAssoc('bitAnd', types[T.BitAnd], this.equality);
    readonly bitXor = this.leftAssoc('bitXor', types[T.BitXor], this.bitAnd);
    readonly bitOr = this.leftAssoc('bitOr', types[T.BitOr], this.bitXor);
    readonly logicalAnd = this.leftAssoc('logicalAnd', types[T.And], this.bitOr);
    readonly logicalOr = this.leftAssoc('logicalOr', types[T.Or], this.logicalAnd);

    readonly unary: () => Node = this.RULE('unary', () =>
      this.OR([
        {
          ALT: () => {
            const o = this.CONSUME(UnaryOp) as ExprIToken;
            const arg = this.SUBRULE(this.unary);
            return this.ACTION(() => {
              const n = node(N.Unary, o.payload.start, arg.end);
              n.op = o.payload.t;
              n.a = arg;
              return n;
            });
          },
        },
        { ALT: () => this.SUBRULE(this.primary) },
      ]),
    );

    readonly primary: () => Node = this.RULE('primary', () =>
      this.OR([
        {
          ALT: () => {
            const t = this.CONSUME(Operand) as ExprIToken;
            return this.ACTION(() => operandNode(t.payload));
          },
        },
        {
          ALT: () => {
            this.CONSUME(types[T.LParen]);
            const inner = this.SUBRULE(this.ternary);
            this.CONSUME(types[T.RParen]);
            this.ACTION(() => {
              inner.paren = true;
            });
            return inner;
          },
        },
        { ALT: () => this.SUBRULE(this.call) },
      ]),
    );

    readonly call: () => Node = this.RULE('call', () => {
      const f = this.CONSUME(types[T.Func]) as ExprIToken;
      this.CONSUME2(types[T.LParen]);
      const args: Node[] = [];
      this.OPTION(() => {
        const first = this.SUBRULE(this.ternary);
        this.ACTION(() => args.push(first));
        this.MANY(() => {
          this.CONSUME(types[T.Comma]);
          const next = this.SUBRULE2(this.ternary);
          this.ACTION(() => args.push(next));
        });
      });
      const close = this.CONSUME2(types[T.RParen]) as ExprIToken;
      return this.ACTION(() => {
        const n = node(N.Call, f.payload.start, close.payload.end);
        n.name = f.payload.name;
        n.args = args;
        return n;
      });
    });
  }

  const parser = new ExprParser();
  return {
    parse(tokens: readonly Token[]): Node | null {
      const input: ExprIToken[] = [];
      for (const t of tokens) {
        if (t.t === T.End || t.t === T.Error) break;
        const type = types[t.t];
        input.push({
          image: '',
          startOffset: t.start,
          endOffset: t.end - 1,
          tokenType: type,
          tokenTypeIdx: type.tokenTypeIdx!,
          payload: t,
        });
      }
      // An Error token means the lexer stopped early: the tree would be of a prefix only.
      const last = tokens[tokens.length - 1];
      parser.input = input;
      const tree = parser.expression();
      if (parser.errors.length > 0 || last.t === T.Error) return null;
      return tree;
    },
  };
}
