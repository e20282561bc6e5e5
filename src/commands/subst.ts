/**
 * `subst ?-nobackslashes? ?-nocommands? ?-novariables? string`. The string is turned once into a
 * plan of pieces (literal text, compiled variable readers, compiled command substitutions) using the
 * script parser's own variable and command-substitution rules, and the plan is cached on the value.
 * A syntax error does not stop the pieces before it: like Tcl, those are substituted (and their
 * side effects happen) before the error is raised. Inside command substitutions `break` ends the
 * substitution, `continue` substitutes nothing, and any other non-error code (`return`...)
 * substitutes the result.
 */
import { TclObj } from '../values/obj.js';
import { TclError, withErrorContext } from '../values/error.js';
import { backslashAt, backslashLength } from '../values/backslash.js';
import { OK, ERROR, RETURN, BREAK, CONTINUE } from '../engine/codes.js';
import { getIndexFromTable, wrongNumArgs } from '../engine/args.js';
import { Compiler } from '../engine/compile.js';
import type { CompiledWord, ExecFn, ValueFn } from '../engine/compile.js';
import type { Interp } from '../engine/interp.js';
import { Parser, ParseSyntaxError, PartWithScript } from '../parse/parser.js';
import { registerCompiled } from './registry.js';

const enum Flag {
  NoBackslashes = 1,
  NoCommands = 2,
  NoVariables = 4,
}

const OPTIONS = ['-nobackslashes', '-nocommands', '-novariables'] as const;
const USAGE = '?-nobackslashes? ?-nocommands? ?-novariables? string';

const enum PieceKind {
  Text = 0,
  Value = 1,
  Script = 2,
  Error = 3,
}

/** One piece of a plan; `text` is the literal (Text) or the syntax error message (Error). */
interface Piece {
  kind: PieceKind;
  text: string;
  value: ValueFn | null;
  script: ExecFn | null;
}

function textPiece(text: string): Piece {
  return { kind: PieceKind.Text, text, value: null, script: null };
}

/** Split `s` into pieces under `flags`, compiling substitutions with `c`. */
function buildPieces(s: string, flags: number, c: Compiler): Piece[] {
  const pieces: Piece[] = [];
  const backslashes = !(flags & Flag.NoBackslashes);
  const commands = !(flags & Flag.NoCommands);
  const variables = !(flags & Flag.NoVariables);
  const parser = new Parser(s, 1);
  const n = s.length;
  let text = '';
  let chunk = 0;
  let i = 0;
  const flush = (end: number) => {
    text += s.slice(chunk, end);
    if (text.length > 0) pieces.push(textPiece(text));
    text = '';
  };
  try {
    while (i < n) {
      const ch = s.charCodeAt(i);
      if (ch === 92 && backslashes) {
        text += s.slice(chunk, i) + backslashAt(s, i);
        i += backslashLength;
        chunk = i;
      } else if (ch === 36 && variables) {
        parser.position = i;
        const part = parser.parseVariable();
        if (part === null) {
          i++;
          continue;
        }
        flush(i);
        pieces.push({ kind: PieceKind.Value, text: '', value: c.compilePart(part, s), script: null });
        i = chunk = parser.position;
      } else if (ch === 91 && commands) {
        const part = parser.parseCommandSubst(i);
        flush(i);
        const script = c.compileBlock((part as PartWithScript).script);
        pieces.push({ kind: PieceKind.Script, text: '', value: null, script });
        i = chunk = parser.position;
      } else i++;
    }
  } catch (e) {
    if (!(e instanceof ParseSyntaxError)) throw e;
    flush(i);
    pieces.push({ kind: PieceKind.Error, text: e.message, value: null, script: null });
    return pieces;
  }
  flush(n);
  return pieces;
}

/**
 * Run a plan. Returns the substituted value, or null with the completion code in
 * interp.pendingCode when a command substitution failed.
 */
function runPieces(interp: Interp, pieces: readonly Piece[]): TclObj | null {
  const n = pieces.length;
  if (n === 1 && pieces[0].kind === PieceKind.Text) return TclObj.fromString(pieces[0].text);
  let out = '';
  for (let i = 0; i < n; i++) {
    const p = pieces[i];
    switch (p.kind) {
      case PieceKind.Text:
        out += p.text;
        break;
      case PieceKind.Value: {
        const v = p.value!(interp);
        if (v === null) return null;
        out += v.toString();
        break;
      }
      case PieceKind.Script: {
        const code = p.script!(interp);
        if (code === OK) out += interp.result.toString();
        else if (code === BREAK) return TclObj.fromString(out);
        else if (code === CONTINUE) break;
        else if (code === ERROR) {
          interp.pendingCode = ERROR;
          return null;
        } else {
          if (code === RETURN) {
            const st = interp.returnState;
            st.code = OK;
            st.level = 1;
            st.options = [];
          }
          out += interp.result.toString();
        }
        break;
      }
      default:
        // The error text is already the whole errorInfo so far; the subst command is logged after it.
        throw withErrorContext(new TclError(p.text), '');
    }
  }
  return TclObj.fromString(out);
}

interface SubstPlan {
  interp: Interp;
  epoch: number;
  flags: number;
  pieces: Piece[];
}

const planCache = new WeakMap<TclObj, SubstPlan>();

function planFor(interp: Interp, o: TclObj, flags: number): Piece[] {
  const cached = planCache.get(o);
  if (cached !== undefined && cached.flags === flags && cached.epoch === interp.compileEpoch && cached.interp === interp) {
    return cached.pieces;
  }
  const pieces = buildPieces(o.toString(), flags, new Compiler(interp, null));
  planCache.set(o, { interp, epoch: interp.compileEpoch, flags, pieces });
  return pieces;
}

/** Parse the option words objv[1..n-2]; throws Tcl's errors. */
function parseFlags(objv: readonly TclObj[]): number {
  let flags = 0;
  for (let i = 1; i < objv.length - 1; i++) flags |= 1 << getIndexFromTable(objv[i], OPTIONS, 'option');
  return flags;
}

function substCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) wrongNumArgs(objv, 1, USAGE);
  const flags = parseFlags(objv);
  const pieces = planFor(interp, objv[objv.length - 1], flags);
  const v = runPieces(interp, pieces);
  if (v === null) {
    // The failing command logged itself; the subst command is logged after it.
    interp.errAlreadyLogged = false;
    return interp.pendingCode;
  }
  interp.result = v;
  return OK;
}

/** Inline `subst` of a literal string with literal options: the pieces are compiled with the script. */
function compileSubst(c: Compiler, words: CompiledWord[]): ExecFn | null {
  const n = words.length;
  if (n < 2) return null;
  const texts: TclObj[] = [];
  for (const w of words) {
    if (w.expand || w.constant === null) return null;
    texts.push(w.constant);
  }
  let flags: number;
  try {
    flags = parseFlags(texts);
  } catch {
    return null;
  }
  const pieces = buildPieces(texts[n - 1].toString(), flags, c);
  return (interp) => {
    const v = runPieces(interp, pieces);
    if (v === null) return interp.pendingCode;
    interp.result = v;
    return OK;
  };
}

export function register(interp: Interp): void {
  registerCompiled(interp, 'subst', substCmd, compileSubst);
}

