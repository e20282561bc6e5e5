/**
 * The expression lexer: Tcl's lexemes (ParseLexeme in Tcl's expression parser), with `$var`, `[cmd]`,
 * `"quoted"` and `{braced}` operands read by the script Parser so their substitution rules are the
 * script's own. Lexing stops at the first bad lexeme, which becomes an Error token: the grammar
 * decides whether a syntax error before it is reported first.
 */
import { TclObj, Rep } from '../values/obj.js';
import { Parser, ParseSyntaxError } from '../parse/parser.js';
import type { Part } from '../parse/ast.js';
import { scanNumber, scanKind, scanInt, scanBig, scanDouble, scanHasPunct } from './numscan.js';
import { limitBytes, tclByteLength } from './errors.js';

export const enum T {
  // Operands.
  Number, Boolean, Var, Script, Quoted, Braced,
  // Operators that only take a right operand.
  Not, BitNot, Func, LParen,
  // Unary or binary by position.
  Plus, Minus,
  // Binary operators and closers.
  Mult, Div, Mod, Expon, LShift, RShift, Lt, Gt, Le, Ge, Eq, Ne, StrEq, StrNe, In, Ni,
  BitAnd, BitXor, BitOr, And, Or, Question, Colon, Comma, RParen,
  End, Error,
}

/** A lexeme Tcl rejects, with the pieces of its message. */
export interface LexError {
  /** Reported only after the grammar accepted an operand here (operand parse errors). */
  leaf: boolean;
  message: string;
  /** errorCode detail after TCL PARSE EXPR (null: errorCode left as NONE). */
  code: string | null;
  sub: string | null;
  /** Text after the location quote ("should be ..."). */
  post: string | null;
  /** Location shown in the message: start offset and length (Tcl's start/scanned). */
  start: number;
  scanned: number;
}

export interface Token {
  t: T;
  start: number;
  end: number;
  /** Literal value of Number, Boolean and Braced operands. */
  value: TclObj | null;
  /** Var and Script operands. */
  part: Part | null;
  /** Quoted operands. */
  parts: Part[] | null;
  /** Function name. */
  name: string;
  err: LexError | null;
}

function token(t: T, start: number, end: number): Token {
  return { t, start, end, value: null, part: null, parts: null, name: '', err: null };
}

function isBareword(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** TclParseAllWhiteSpace: spaces, newlines and backslash-newlines. */
export function skipSpace(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) i++;
    else if (c === 92 && s.charCodeAt(i + 1) === 10) i += 2;
    else break;
  }
  return i;
}

/** Two-letter word operators (eq ne in ni) must not run into more letters. */
function wordOpAt(s: string, i: number): T | -1 {
  const n = s.length;
  if (i + 1 >= n) return -1;
  if (i + 2 < n && isAlpha(s.charCodeAt(i + 2))) return -1;
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  if (a === 105 && b === 110) return T.In;
  if (a === 101 && b === 113) return T.StrEq;
  if (a === 110 && b === 101) return T.StrNe;
  if (a === 110 && b === 105) return T.Ni;
  return -1;
}

/** Operator lexeme at i (length in opLen), or -1. */
let opLen = 0;
function operatorAt(s: string, i: number): T | -1 {
  const c = s.charCodeAt(i);
  const d = i + 1 < s.length ? s.charCodeAt(i + 1) : -1;
  opLen = 1;
  switch (c) {
    case 40: return T.LParen;
    case 41: return T.RParen;
    case 44: return T.Comma;
    case 43: return T.Plus;
    case 45: return T.Minus;
    case 47: return T.Div;
    case 37: return T.Mod;
    case 58: return T.Colon;
    case 63: return T.Question;
    case 94: return T.BitXor;
    case 126: return T.BitNot;
    case 42:
      if (d === 42) { opLen = 2; return T.Expon; }
      return T.Mult;
    case 61:
      if (d === 61) { opLen = 2; return T.Eq; }
      return -1;
    case 33:
      if (d === 61) { opLen = 2; return T.Ne; }
      return T.Not;
    case 38:
      if (d === 38) { opLen = 2; return T.And; }
      return T.BitAnd;
    case 124:
      if (d === 124) { opLen = 2; return T.Or; }
      return T.BitOr;
    case 60:
      if (d === 60) { opLen = 2; return T.LShift; }
      if (d === 61) { opLen = 2; return T.Le; }
      return T.Lt;
    case 62:
      if (d === 62) { opLen = 2; return T.RShift; }
      if (d === 61) { opLen = 2; return T.Ge; }
      return T.Gt;
    case 105:
    case 101:
    case 110: {
      const w = wordOpAt(s, i);
      if (w !== -1) opLen = 2;
      return w;
    }
    default:
      return -1;
  }
}

const BOOL_WORDS = ['true', 'false', 'yes', 'no', 'on', 'off'];

/** Tcl_GetBoolean on a bareword: a prefix of a boolean word (on/off need two letters). */
export function booleanWord(w: string): number {
  const n = w.length;
  if (n === 0 || n > 5) return -1;
  const low = w.toLowerCase();
  for (let k = 0; k < BOOL_WORDS.length; k++) {
    const word = BOOL_WORDS[k];
    if (k >= 4 && n < 2) continue;
    if (word.startsWith(low)) return k === 0 || k === 2 || k === 4 ? 1 : 0;
  }
  return -1;
}

/** Lex an expression. The last token is End, or Error at the first bad lexeme. */
export function lexExpression(text: string, firstLine: number): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let parser: Parser | null = null;
  let i = skipSpace(text, 0);
  while (i < n) {
    const c = text.charCodeAt(i);
    let tok: Token;
    if (c === 36 || c === 91 || c === 34 || c === 123) {
      if (parser === null) parser = new Parser(text, firstLine);
      tok = lexOperand(text, i, parser);
    } else {
      const op = operatorAt(text, i);
      if (op !== -1) tok = token(op, i, i + opLen);
      else tok = lexWord(text, i);
    }
    out.push(tok);
    if (tok.t === T.Error) return out;
    i = skipSpace(text, tok.end);
  }
  out.push(token(T.End, n, n));
  return out;
}

/** A `$`, `[`, `"` or `{` operand, parsed by the script parser from position i. */
function lexOperand(s: string, i: number, parser: Parser): Token {
  const c = s.charCodeAt(i);
  try {
    if (c === 36) {
      parser.position = i;
      const part = parser.parseVariable();
      if (part === null) return lexError(i, true, 'invalid character "$"', 'BADCHAR', i, 1);
      const tok = token(T.Var, i, parser.position);
      tok.part = part;
      return tok;
    }
    if (c === 91) {
      const part = parser.parseCommandSubst(i);
      const tok = token(T.Script, i, parser.position);
      tok.part = part;
      return tok;
    }
    if (c === 34) {
      const q = parser.parseQuotedAt(i + 1);
      const tok = token(T.Quoted, i, q.end);
      tok.parts = q.parts;
      return tok;
    }
    parser.position = i;
    const body = parser.parseBraced();
    const tok = token(T.Braced, i, parser.position);
    tok.value = TclObj.fromString(body);
    return tok;
  } catch (e) {
    if (!(e instanceof ParseSyntaxError)) throw e;
    // "missing ..." errors point at the unbalanced opener; "extra characters ..." at the junk.
    const incomplete = e.message.startsWith('missing');
    const term = e.errorEnd - 1;
    return lexError(i, true, e.message, incomplete ? 'UNBALANCED' : null, term, incomplete ? 1 : 0);
  }
}

function lexError(at: number, leaf: boolean, message: string, code: string | null, start: number, scanned: number): Token {
  const tok = token(T.Error, at, at);
  tok.err = { leaf, message, code, sub: null, post: null, start, scanned };
  return tok;
}

/** A number, function name, boolean literal or bareword (an error) at i. */
function lexWord(s: string, i: number): Token {
  const n = s.length;
  const len = scanNumber(s, i, n);
  if (len > 0) {
    const end = i + len;
    if (end >= n || !isBareword(s.charCodeAt(end)) || scanHasPunct || operatorAt(s, end) !== -1) {
      return numberToken(s, i, end);
    }
    // Letters or digits run on after the number ("1e5x", "Info"): one bareword, unless they start a
    // word operator ("1eq 1"). Only eq/ne/in/ni can start with a bareword character.
  }
  const c = s.charCodeAt(i);
  if (c === 61) return lexError(i, false, 'incomplete operator "="', 'PARTOP', i, 1);
  if (!isBareword(c) || c === 95) {
    // One whole character, surrogate pairs included.
    const w = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
    return lexError(i, false, `invalid character "${s.slice(i, i + w)}"`, 'BADCHAR', i, w);
  }
  let end = i + 1;
  while (end < n && isBareword(s.charCodeAt(end))) end++;
  const word = s.slice(i, end);
  const after = skipSpace(s, end);
  if (after < n && s.charCodeAt(after) === 40) {
    const tok = token(T.Func, i, end);
    tok.name = word;
    return tok;
  }
  const b = booleanWord(word);
  if (b >= 0) {
    const tok = token(T.Boolean, i, end);
    tok.value = new TclObj(word, Rep.Bool, b, null);
    return tok;
  }
  return barewordError(s, i, end, word);
}

function numberToken(s: string, i: number, end: number): Token {
  const text = s.slice(i, end);
  const tok = token(T.Number, i, end);
  if (scanKind === Rep.Int) tok.value = new TclObj(text, Rep.Int, scanInt, null);
  else if (scanKind === Rep.Big) tok.value = new TclObj(text, Rep.Big, 0, scanBig);
  else tok.value = new TclObj(text, Rep.Double, scanDouble, null);
  return tok;
}

function barewordError(s: string, i: number, end: number, word: string): Token {
  const limit = 25;
  const shown = tclByteLength(word) < limit ? word : limitBytes(word, limit - 3) + '...';
  const tok = lexError(i, false, `invalid bareword "${shown}"`, 'BAREWORD', i, end - i);
  const err = tok.err!;
  err.post = `should be "$${shown}" or "{${shown}}" or "${shown}(...)" or ...`;
  if (s.charCodeAt(i) === 48) {
    // A word that starts like a number: hint at the radix that went wrong.
    const accepted = scanNumber(s, i, end);
    const stop = i + accepted;
    const stopCh = stop < end ? s.charCodeAt(stop) : -1;
    if ((stopCh >= 48 && stopCh <= 57) || accepted === 1) {
      const r = end > i + 1 ? s.charCodeAt(i + 1) : -1;
      let kind: string | null = null;
      if (r === 98) kind = 'binary';
      else if (r === 111 || (r >= 48 && r <= 57)) kind = 'octal';
      if (kind !== null) {
        err.post += ` (invalid ${kind} number?)`;
        err.code = 'BADNUMBER';
        err.sub = kind === 'binary' ? 'BINARY' : 'OCTAL';
      }
    }
  }
  return tok;
}
