/**
 * Tcl's own expression parse: an operator-precedence procedure keeping a stack of incomplete
 * subtrees. Which syntax error Tcl reports (and where) depends on that procedure's state, so this
 * replays it exactly to word and locate errors as tclsh does. The same pass can also build the tree;
 * it has no recursion, so it serves expressions nested more deeply than the grammar's recursive
 * descent can follow (grammar.ts builds the tree otherwise; the tests check both agree).
 */
import { T, Token, LexError } from './lexer.js';
import { N, Node, node, operandNode } from './ast.js';
import { advanceBytes, retreatBytes, tclByteLength } from './errors.js';

export interface ExprSyntaxError {
  /** The full message, "in expression ..." quote and postscript included. */
  message: string;
  errorCode: string;
  /** What Tcl appends to errorInfo: "\n    (parsing expression ...)". */
  info: string;
}

// Precedences, lowest first (Tcl's table).
const P_END = 1, P_START = 2, P_CLOSE = 3, P_OPEN = 4, P_COMMA = 5, P_COND = 6, P_OR = 7, P_AND = 8,
  P_BITOR = 9, P_BITXOR = 10, P_BITAND = 11, P_EQUAL = 12, P_COMPARE = 13, P_SHIFT = 14, P_ADD = 15,
  P_MULT = 16, P_EXPON = 17, P_UNARY = 18;

/** The sentinel that roots the tree. */
const START = -1;

/** `lastParsed`/`complete` markers for things that are not operator nodes. */
const OT_LEAF = -3;
const OT_EMPTY = -2;

/** What a completed subtree stands for while the tree is being built. */
interface Built {
  node: Node | null;
  /** Arguments so far, for a comma list inside a function's parentheses. */
  args: Node[] | null;
  /** The two branches, for a `:` waiting for its `?`. */
  colon: [Node, Node] | null;
}

interface OpNode {
  kind: T | typeof START;
  prec: number;
  prev: number;
  tok: Token | null;
  left: Built | null;
  built: Built | null;
}

function binaryPrec(t: T): number {
  switch (t) {
    case T.End: return P_END;
    case T.RParen: return P_CLOSE;
    case T.Comma: return P_COMMA;
    case T.Question: case T.Colon: return P_COND;
    case T.Or: return P_OR;
    case T.And: return P_AND;
    case T.BitOr: return P_BITOR;
    case T.BitXor: return P_BITXOR;
    case T.BitAnd: return P_BITAND;
    case T.Eq: case T.Ne: case T.StrEq: case T.StrNe: case T.In: case T.Ni: return P_EQUAL;
    case T.Lt: case T.Gt: case T.Le: case T.Ge: return P_COMPARE;
    case T.LShift: case T.RShift: return P_SHIFT;
    case T.Plus: case T.Minus: return P_ADD;
    case T.Mult: case T.Div: case T.Mod: return P_MULT;
    case T.Expon: return P_EXPON;
    default: return P_UNARY;
  }
}

function isLeaf(t: T): boolean {
  return t <= T.Braced;
}

/** Where an error points: Tcl's start/scanned, and whether "_@_" marks the spot. */
interface Located {
  message: string;
  code: string | null;
  sub: string | null;
  post: string | null;
  start: number;
  scanned: number;
  mark: boolean;
}

function at(message: string, code: string | null, tok: Token, mark: boolean): Located {
  return { message, code, sub: null, post: null, start: tok.start, scanned: mark ? 0 : tok.end - tok.start, mark };
}

function fromLex(e: LexError): Located {
  return { message: e.message, code: e.code, sub: e.sub, post: e.post, start: e.start, scanned: e.scanned, mark: false };
}

function built(n: Node | null): Built {
  return { node: n, args: null, colon: null };
}

/** The tree node for an operator whose right operand has just been attached. */
function complete(nodes: OpNode[], index: number, right: Built): Built {
  const op = nodes[index];
  const t = op.kind as T;
  const tok = op.tok!;
  const r = right.node;
  switch (t) {
    case T.LParen: {
      if (index > 0 && nodes[index - 1].kind === T.Func) {
        // A function's argument list: a comma list, one expression, or nothing.
        return { node: null, args: right.args ?? (r === null ? [] : [r]), colon: null };
      }
      r!.paren = true;
      return right;
    }
    case T.Func: {
      const n = node(N.Call, tok.start, tok.end);
      n.name = tok.name;
      n.args = right.args ?? [];
      return built(n);
    }
    case T.Comma: {
      const args = op.left!.args ?? [op.left!.node!];
      args.push(r!);
      return { node: null, args, colon: null };
    }
    case T.Colon:
      return { node: null, args: null, colon: [op.left!.node!, r!] };
    case T.Question: {
      const [yes, no] = right.colon!;
      const cond = op.left!.node!;
      const n = node(N.Ternary, cond.start, no.end);
      n.a = cond;
      n.b = yes;
      n.c = no;
      return built(n);
    }
    default: {
      if (op.left === null) {
        const n = node(N.Unary, tok.start, r!.end);
        n.op = t;
        n.a = r;
        return built(n);
      }
      const a = op.left.node!;
      const n = node(t === T.And ? N.And : t === T.Or ? N.Or : N.Binary, a.start, r!.end);
      n.op = t;
      n.a = a;
      n.b = r;
      return built(n);
    }
  }
}

/** Replay Tcl's parse; returns the first syntax error, or null when the tokens form an expression. */
export function findSyntaxError(text: string, tokens: readonly Token[]): ExprSyntaxError | null {
  const r = run(tokens, false);
  return r.error === null ? null : format(text, r.error);
}

/** Tcl's parse building the tree (no recursion: for any depth of nesting). */
export function parseIteratively(text: string, tokens: readonly Token[]): { tree: Node | null; error: ExprSyntaxError | null } {
  const r = run(tokens, true);
  return r.error === null ? { tree: r.tree, error: null } : { tree: null, error: format(text, r.error) };
}

function run(tokens: readonly Token[], build: boolean): { tree: Node | null; error: Located | null } {
  const nodes: OpNode[] = [{ kind: START, prec: P_START, prev: -1, tok: null, left: null, built: null }];
  let incomplete = 0;
  let lastParsed = 0;
  let completeIndex = OT_LEAF;
  // The tree of the complete subexpression (when building).
  let completeTree: Built = built(null);
  let k = 0;
  while (k < tokens.length) {
    const tok = tokens[k];
    const t = tok.t;
    if (t === T.Error && !tok.err!.leaf) return { tree: null, error: fromLex(tok.err!) };
    if (t === T.Error || isLeaf(t)) {
      if (lastParsed < 0) return { tree: null, error: at('missing operator at _@_', 'MISSING', tok, true) };
      if (t === T.Error) return { tree: null, error: fromLex(tok.err!) };
      completeIndex = lastParsed = OT_LEAF;
      if (build) completeTree = built(operandNode(tok));
      k++;
      continue;
    }
    let unary = t === T.Not || t === T.BitNot || t === T.Func || t === T.LParen;
    if (t === T.Plus || t === T.Minus) unary = lastParsed >= 0;
    if (unary) {
      if (lastParsed < 0) return { tree: null, error: at('missing operator at _@_', 'MISSING', tok, true) };
      const prec = t === T.LParen ? P_OPEN : P_UNARY;
      nodes.push({ kind: t, prec, prev: incomplete, tok, left: null, built: null });
      incomplete = lastParsed = nodes.length - 1;
      k++;
      continue;
    }
    // A binary operator, a closer, or the end.
    const prec = binaryPrec(t);
    if (lastParsed >= 0) {
      const last = nodes[nodes.length - 1];
      if (t === T.RParen && last.kind === T.LParen) {
        if (nodes.length >= 2 && nodes[nodes.length - 2].kind === T.Func) {
          // "f()": an empty argument list; the ")" is looked at again with it as operand.
          completeIndex = lastParsed = OT_EMPTY;
          completeTree = built(null);
          continue;
        }
        return { tree: null, error: at('empty subexpression at _@_', 'EMPTY', tok, true) };
      }
      let e: Located;
      if (last.prec > prec) {
        if (last.kind === T.LParen) e = at('unbalanced open paren', 'UNBALANCED', tok, false);
        else if (last.kind === T.Comma) e = at('missing function argument at _@_', 'MISSING', tok, true);
        else if (last.kind === START) e = at('empty expression', 'EMPTY', tok, false);
        else e = at('missing operand at _@_', 'MISSING', tok, true);
      } else if (t === T.RParen) {
        e = at('unbalanced close paren', 'UNBALANCED', tok, false);
      } else if (t === T.Comma && last.kind === T.LParen && nodes.length >= 2 && nodes[nodes.length - 2].kind === T.Func) {
        e = at('missing function argument at _@_', 'UNBALANCED', tok, true);
      } else e = at('missing operand at _@_', 'MISSING', tok, true);
      return { tree: null, error: e };
    }
    let incIndex = incomplete;
    for (;;) {
      incIndex = incomplete;
      const inc = nodes[incIndex];
      if (inc.prec < prec) break;
      const completeIsColon = completeIndex >= 0 && nodes[completeIndex].kind === T.Colon;
      if (inc.prec === prec) {
        if (t === T.Expon) break;
        if (inc.kind === T.Question && !completeIsColon) break;
        if (inc.kind === T.Colon && t === T.Question) break;
      }
      if (inc.kind === T.LParen && t !== T.RParen) return { tree: null, error: at('unbalanced open paren', 'UNBALANCED', tok, false) };
      if (inc.kind === T.Question && !completeIsColon) {
        return { tree: null, error: at('missing operator ":" at _@_', 'MISSING', tok, true) };
      }
      if (completeIsColon && inc.kind !== T.Question) {
        return { tree: null, error: at('unexpected operator ":" without preceding "?"', 'SURPRISE', tok, false) };
      }
      if (inc.kind === START) return { tree: completeTree.node, error: null };
      if (build) {
        completeTree = complete(nodes, incIndex, completeTree);
        inc.built = completeTree;
      }
      completeIndex = incIndex;
      incomplete = inc.prev;
      if (inc.kind === T.LParen) break;
    }
    const incNode = nodes[incIndex];
    if (t === T.RParen && incNode.kind !== T.LParen) return { tree: null, error: at('unbalanced close paren', 'UNBALANCED', tok, false) };
    if (t === T.Comma && (incNode.kind !== T.LParen || incIndex < 1 || nodes[incIndex - 1].kind !== T.Func)) {
      return { tree: null, error: at('unexpected "," outside function argument list', 'SURPRISE', tok, false) };
    }
    if (completeIndex >= 0 && nodes[completeIndex].kind === T.Colon) {
      return { tree: null, error: at('unexpected operator ":" without preceding "?"', 'SURPRISE', tok, false) };
    }
    k++;
    if (t === T.RParen) continue;
    nodes.push({ kind: t, prec, prev: incomplete, tok, left: build ? completeTree : null, built: null });
    incomplete = lastParsed = nodes.length - 1;
  }
  // Tokens always end with End or Error, which return above.
  return { tree: null, error: null };
}

const LIMIT = 25;

/** Build Tcl's message: `<msg>\nin expression "<quote>"` plus any postscript. */
function format(text: string, loc: Located): ExprSyntaxError {
  const start = loc.start;
  const end = start + loc.scanned;
  let quote: string;
  if (tclByteLength(text, 0, start) < LIMIT) quote = text.slice(0, start);
  else quote = '...' + text.slice(retreatBytes(text, start, LIMIT - 3), start);
  const scannedBytes = tclByteLength(text, start, end);
  if (scannedBytes < LIMIT) quote += text.slice(start, end);
  else quote += text.slice(start, advanceBytes(text, start, LIMIT - 3)) + '...';
  if (loc.mark) quote += '_@_';
  if (tclByteLength(text, end) < LIMIT) quote += text.slice(end);
  else quote += text.slice(end, advanceBytes(text, end, LIMIT - 3)) + '...';
  let message = `${loc.message}\nin expression "${quote}"`;
  if (loc.post !== null) message += ';\n' + loc.post;
  let errorCode = 'NONE';
  if (loc.code !== null) errorCode = 'TCL PARSE EXPR ' + loc.code + (loc.sub !== null ? ' ' + loc.sub : '');
  const whole = tclByteLength(text) < LIMIT ? text : text.slice(0, advanceBytes(text, 0, LIMIT - 3)) + '...';
  return { message, errorCode, info: `\n    (parsing expression "${whole}")` };
}
