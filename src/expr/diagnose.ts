/**
 * Tcl's syntax errors for expressions, worded and located exactly as tclsh reports them. Tcl finds
 * them with an operator-precedence parse that keeps a stack of incomplete subtrees; which error is
 * reported (and where) depends on that state, so this pass replays the same procedure over the
 * tokens. The grammar proper (grammar.ts) builds the tree; this pass runs only when it fails.
 */
import { T, Token, LexError } from './lexer.js';
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

/** Node kinds beyond the token kinds: the sentinel that roots the tree. */
const START = -1;

/** Leaf markers for `lastParsed`/`complete` (negative: not an operator node). */
const OT_LEAF = -3;
const OT_EMPTY = -2;

interface OpNode {
  kind: T | typeof START;
  prec: number;
  prev: number;
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

/** Replay Tcl's parse; returns the first syntax error, or null when the tokens form an expression. */
export function findSyntaxError(text: string, tokens: readonly Token[]): ExprSyntaxError | null {
  const loc = locate(tokens);
  return loc === null ? null : format(text, loc);
}

function locate(tokens: readonly Token[]): Located | null {
  const nodes: OpNode[] = [{ kind: START, prec: P_START, prev: -1 }];
  let incomplete = 0;
  let lastParsed = 0;
  let complete = OT_LEAF;
  let k = 0;
  while (k < tokens.length) {
    const tok = tokens[k];
    let t = tok.t;
    if (t === T.Error && !tok.err!.leaf) return fromLex(tok.err!);
    if (t === T.Error || isLeaf(t)) {
      if (lastParsed < 0) return at('missing operator at _@_', 'MISSING', tok, true);
      if (t === T.Error) return fromLex(tok.err!);
      complete = lastParsed = OT_LEAF;
      k++;
      continue;
    }
    let unary = t === T.Not || t === T.BitNot || t === T.Func || t === T.LParen;
    if (t === T.Plus || t === T.Minus) unary = lastParsed >= 0;
    if (unary) {
      if (lastParsed < 0) return at('missing operator at _@_', 'MISSING', tok, true);
      const prec = t === T.LParen ? P_OPEN : P_UNARY;
      nodes.push({ kind: t, prec, prev: incomplete });
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
          complete = lastParsed = OT_EMPTY;
          continue;
        }
        return at('empty subexpression at _@_', 'EMPTY', tok, true);
      }
      if (last.prec > prec) {
        if (last.kind === T.LParen) return at('unbalanced open paren', 'UNBALANCED', tok, false);
        if (last.kind === T.Comma) return at('missing function argument at _@_', 'MISSING', tok, true);
        if (last.kind === START) return at('empty expression', 'EMPTY', tok, false);
      } else if (t === T.RParen) {
        return at('unbalanced close paren', 'UNBALANCED', tok, false);
      } else if (t === T.Comma && last.kind === T.LParen && nodes.length >= 2 && nodes[nodes.length - 2].kind === T.Func) {
        return at('missing function argument at _@_', 'UNBALANCED', tok, true);
      }
      return at('missing operand at _@_', 'MISSING', tok, true);
    }
    let incIndex = incomplete;
    for (;;) {
      incIndex = incomplete;
      const inc = nodes[incIndex];
      if (inc.prec < prec) break;
      const completeIsColon = complete >= 0 && nodes[complete].kind === T.Colon;
      if (inc.prec === prec) {
        if (t === T.Expon) break;
        if (inc.kind === T.Question && !completeIsColon) break;
        if (inc.kind === T.Colon && t === T.Question) break;
      }
      if (inc.kind === T.LParen && t !== T.RParen) return at('unbalanced open paren', 'UNBALANCED', tok, false);
      if (inc.kind === T.Question && !completeIsColon) return at('missing operator ":" at _@_', 'MISSING', tok, true);
      if (completeIsColon && inc.kind !== T.Question) {
        return at('unexpected operator ":" without preceding "?"', 'SURPRISE', tok, false);
      }
      if (inc.kind === START) return null;
      complete = incIndex;
      incomplete = inc.prev;
      if (inc.kind === T.LParen) break;
    }
    const incNode = nodes[incIndex];
    if (t === T.RParen && incNode.kind !== T.LParen) return at('unbalanced close paren', 'UNBALANCED', tok, false);
    if (t === T.Comma && (incNode.kind !== T.LParen || incIndex < 1 || nodes[incIndex - 1].kind !== T.Func)) {
      return at('unexpected "," outside function argument list', 'SURPRISE', tok, false);
    }
    if (complete >= 0 && nodes[complete].kind === T.Colon) {
      return at('unexpected operator ":" without preceding "?"', 'SURPRISE', tok, false);
    }
    k++;
    if (t === T.RParen) continue;
    nodes.push({ kind: t, prec, prev: incomplete });
    incomplete = lastParsed = nodes.length - 1;
  }
  // Tokens always end with End or Error, which return above.
  return null;
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
