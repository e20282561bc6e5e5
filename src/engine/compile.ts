/**
 * The compiler: parsed scripts become trees of closures, cached on the value holding the script.
 * A command whose name is a literal bound to a builtin with an inline compiler (set, if, for, expr,
 * ...) is compiled to a specialised closure; any other command becomes an invocation site that
 * caches its command lookup. Inside proc bodies simple variable names are resolved to frame slots at
 * compile time.
 *
 * Value-producing closures (ValueFn) return null when a substitution completes with a code other
 * than OK; the code is then in interp.pendingCode.
 */
import { TclObj, OWNED_LIST } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { formatStringList } from '../values/listFormat.js';
import { splitArrayName, Var } from './vars.js';
import { OK, ERROR, RETURN, BREAK, CONTINUE } from './codes.js';
import type { Interp } from './interp.js';
import type { Command, Namespace } from './namespace.js';
import { splitQualified } from './namespace.js';
import type { ProcDef } from './proc.js';
import { Command as ParsedCommand, ParsedScript, Part, PartKind, Word, literalOf } from '../parse/ast.js';
import { PartWithScript, parseScript } from '../parse/parser.js';

export type ValueFn = (interp: Interp) => TclObj | null;
export type ExecFn = (interp: Interp) => number;

/** Where a command is invoked from: lookup cache plus the source text for errorInfo. */
export interface InvokeSite {
  cmd: Command | null;
  epoch: number;
  ns: Namespace | null;
  /** The command name the cached lookup was made for (a command word may be a variable). */
  name: string;
  nameObj: TclObj | null;
  src: string;
  start: number;
  end: number;
  line: number;
}

export interface CompiledWord {
  word: Word;
  /** The word's value when it has no substitutions (and is not expanded). */
  constant: TclObj | null;
  /** Produces the word's value when it is not constant. */
  fn: ValueFn | null;
  expand: boolean;
}

/** An inline compiler: returns null to fall back to a normal invocation. */
export type CompileFn = (c: Compiler, words: CompiledWord[], site: InvokeSite) => ExecFn | null;

export class CompiledScript {
  constructor(
    readonly run: ExecFn,
    readonly epoch: number,
    readonly procDef: ProcDef | null,
    readonly direct: boolean,
  ) {}
}

const EMPTY = TclObj.EMPTY;

/** Turn a thrown error inside a script into an ERROR logged against the command that raised it. */
function failAt(interp: Interp, e: unknown, site: InvokeSite): number {
  const code = interp.caught(e);
  if (code === ERROR) {
    if (interp.errorStack.length === 0) interp.errorStack.push('INNER', formatStringList([site.src.slice(site.start, site.end).trim()]));
    interp.logCommandInfo(site, null);
  }
  return code;
}

export class Compiler {
  /** Whether the command being compiled has its result used (last of a block whose value counts). */
  resultUsed = true;
  /**
   * Direct evaluation, as Tcl does for a script file's top level: commands are invoked, never
   * compiled inline, and each command substitution is its own evaluation (errorInfo then shows
   * every enclosing command).
   */
  direct = false;

  constructor(
    readonly interp: Interp,
    readonly procDef: ProcDef | null,
  ) {}

  /** Compile a whole script as a unit (what evalObj and proc bodies run). */
  compileUnit(parsed: ParsedScript): CompiledScript {
    return new CompiledScript(this.compileBlock(parsed), this.interp.compileEpoch, this.procDef, this.direct);
  }

  /** Compile a script's commands into one sequence closure. */
  compileBlock(parsed: ParsedScript, discardResult = false): ExecFn {
    const cmds: ExecFn[] = [];
    const sites: InvokeSite[] = [];
    const last = parsed.commands.length - 1;
    const outer = this.resultUsed;
    parsed.commands.forEach((cmd, i) => {
      const site: InvokeSite = { cmd: null, epoch: -1, ns: null, name: '', nameObj: null, src: parsed.text, start: cmd.start, end: cmd.end, line: cmd.line };
      this.resultUsed = i === last && !discardResult;
      cmds.push(this.compileCommand(cmd, site));
      sites.push(site);
    });
    this.resultUsed = outer;
    const err = parsed.error;
    if (err !== null) {
      const text = parsed.text.slice(err.commandStart, err.errorEnd);
      const line = err.line;
      const message = err.message;
      cmds.push((interp) => {
        interp.result = TclObj.fromString(message);
        interp.errorCode = 'NONE';
        interp.errorInfo = null;
        interp.addErrorInfoCommand(text);
        interp.errorLine = line;
        interp.errAlreadyLogged = true;
        return ERROR;
      });
      sites.push({ cmd: null, epoch: -1, ns: null, name: '', nameObj: null, src: parsed.text, start: err.commandStart, end: err.errorEnd, line });
    }
    if (this.direct) return sequence(cmds.map((c, i) => topLevelCodes(c, sites[i])), sites);
    return sequence(cmds, sites);
  }

  /** Parse and compile a literal body (e.g. of an inline `if`) whose text starts on `line`. */
  compileBodyText(text: string, line: number, discardResult = false): ExecFn {
    return this.compileBlock(parseScript(text, line), discardResult);
  }

  /** An inline-compilable body: a literal word; null when the word has substitutions. */
  compileBodyWord(w: CompiledWord, discardResult = false): ExecFn | null {
    if (w.constant === null) return null;
    return this.compileBodyText(w.constant.toString(), w.word.line, discardResult);
  }

  compileCommand(cmd: ParsedCommand, site: InvokeSite): ExecFn {
    const used = this.resultUsed;
    this.resultUsed = true;
    const words = cmd.words.map((w) => this.compileWord(w, site.src));
    this.resultUsed = used;
    const first = words[0];
    if (!this.direct && first.constant !== null && !first.expand) {
      const inline = this.inlineCompiler(first.constant.toString());
      if (inline !== null) {
        const fn = inline(this, words, site);
        if (fn !== null) return fn;
      }
    }
    return this.compileInvocation(words, site);
  }

  /** The inline compiler for a literal command name, if the name resolves to such a builtin now. */
  private inlineCompiler(name: string): CompileFn | null {
    if (!this.interp.compiledNames.has(name.startsWith('::') ? name.slice(2) : name)) return null;
    const ns = this.procDef !== null ? this.procDef.ns : this.interp.varFrame.ns;
    const cmd = this.interp.findCommand(name, ns);
    return cmd === null ? null : cmd.compile;
  }

  compileInvocation(words: CompiledWord[], site: InvokeSite): ExecFn {
    const n = words.length;
    if (words.some((w) => w.expand)) return compileExpandingInvocation(words, site);
    const consts = words.map((w) => w.constant);
    const fns = words.map((w) => w.fn);
    if (consts.every((c) => c !== null)) {
      const fixed = consts as TclObj[];
      return (interp) => interp.invoke(fixed.slice(), site);
    }
    if (n === 2 && consts[0] !== null && !this.direct) {
      const c0 = consts[0];
      const f1 = fns[1]!;
      return (interp) => {
        const a = f1(interp);
        if (a === null) return interp.pendingCode;
        return interp.invoke([c0, a], site);
      };
    }
    if (this.direct) {
      // Evaluated directly, a command whose substitution failed is itself reported in errorInfo.
      return (interp) => {
        const objv = new Array<TclObj>(n);
        for (let i = 0; i < n; i++) {
          const c = consts[i];
          if (c !== null) objv[i] = c;
          else {
            const v = fns[i]!(interp);
            if (v === null) {
              if (interp.pendingCode === ERROR) interp.logCommandInfo(site, null);
              return interp.pendingCode;
            }
            objv[i] = v;
          }
        }
        return interp.invoke(objv, site);
      };
    }
    return (interp) => {
      const objv = new Array<TclObj>(n);
      for (let i = 0; i < n; i++) {
        const c = consts[i];
        if (c !== null) objv[i] = c;
        else {
          const v = fns[i]!(interp);
          if (v === null) return interp.pendingCode;
          objv[i] = v;
        }
      }
      return interp.invoke(objv, site);
    };
  }

  compileWord(word: Word, src: string): CompiledWord {
    const lit = literalOf(word);
    if (lit !== null && !word.expand) {
      return { word, constant: TclObj.fromString(lit), fn: null, expand: false };
    }
    const fn = lit !== null ? constFn(TclObj.fromString(lit)) : this.compileParts(word.parts, src);
    return { word, constant: null, fn, expand: word.expand };
  }

  /** Concatenation of parts (text, variables, command substitutions). */
  compileParts(parts: Part[], src: string): ValueFn {
    if (parts.length === 1) return this.compilePart(parts[0], src);
    const fns = parts.map((p) => this.compilePart(p, src));
    const n = fns.length;
    return (interp) => {
      let s = '';
      for (let i = 0; i < n; i++) {
        const v = fns[i](interp);
        if (v === null) return null;
        s += v.toString();
      }
      return TclObj.fromString(s);
    };
  }

  compilePart(p: Part, src: string): ValueFn {
    switch (p.kind) {
      case PartKind.Text:
        return constFn(TclObj.fromString(p.text));
      case PartKind.Var: {
        const [name, index] = splitArrayName(p.text);
        if (index !== null) return this.varReader(name, constFn(TclObj.fromString(index)));
        return this.varReader(name, null);
      }
      case PartKind.ArrayVar:
        return this.varReader(p.text, this.compileParts(p.index!, src));
      case PartKind.Command:
      default: {
        const block = this.compileBlock((p as PartWithScript).script);
        if (this.direct) {
          return (interp) => {
            const code = block(interp);
            if (code === OK) return escaped(interp.result);
            interp.errAlreadyLogged = false;
            interp.pendingCode = code;
            return null;
          };
        }
        return (interp) => {
          const code = block(interp);
          if (code === OK) return escaped(interp.result);
          interp.pendingCode = code;
          return null;
        };
      }
    }
  }

  /** Slot of a local variable name in the proc being compiled, or -1. */
  slot(name: string): number {
    const def = this.procDef;
    if (def === null || name.indexOf('::') >= 0) return -1;
    if (name.length > 0 && name.charCodeAt(name.length - 1) === 41 && name.indexOf('(') >= 0) return -1;
    return def.slotFor(name);
  }

  /** A reader for `$name` or `$name(index)`. */
  varReader(name: string, index: ValueFn | null): ValueFn {
    const slot = this.slot(name);
    if (index === null) {
      if (slot >= 0) {
        return (interp) => {
          const v = interp.varFrame.locals[slot];
          if (v !== null && v !== undefined) {
            const val = v.value;
            if (val !== null && v.traces === null) {
              if (val.code === OWNED_LIST) val.code = null;
              return val;
            }
          }
          return interp.readVar(v ?? null, name, null);
        };
      }
      const [qualifiers, tail] = splitQualified(name);
      if (qualifiers === '') {
        // `$::name`: a global variable. findVar would split the name on every read; the tail is
        // cut once here.
        return (interp) => {
          const v = interp.globalNs.vars.get(tail);
          return interp.readVar(v === undefined ? null : v, name, null);
        };
      }
      return (interp) => interp.readVar(interp.findVar(name), name, null);
    }
    if (slot >= 0) {
      return (interp) => {
        const i = index(interp);
        if (i === null) return null;
        const v = interp.varFrame.locals[slot];
        return interp.readVar(v ?? null, name, i.toString());
      };
    }
    return (interp) => {
      const i = index(interp);
      if (i === null) return null;
      return interp.readVar(interp.findVar(name), name, i.toString());
    };
  }

  /**
   * The variable a name word designates: a literal name, possibly `a(index)`, or a word like
   * `a($k)` / `a([expr ...])` whose index has substitutions. Null when the name itself is dynamic.
   */
  varNameWord(w: CompiledWord, src: string): { name: string; index: ValueFn | null } | null {
    if (w.expand) return null;
    if (w.constant !== null) {
      const [name, index] = splitArrayName(w.constant.toString());
      if (index === null) return { name, index: null };
      const k = TclObj.fromString(index);
      return { name, index: () => k };
    }
    const parts = w.word.parts;
    const n = parts.length;
    if (n < 2 || parts[0].kind !== PartKind.Text || parts[n - 1].kind !== PartKind.Text) return null;
    const head = parts[0].text;
    const open = head.indexOf('(');
    const tail = parts[n - 1].text;
    if (open <= 0 || !tail.endsWith(')')) return null;
    const name = head.slice(0, open);
    if (name.indexOf(')') >= 0) return null;
    const indexParts: Part[] = [];
    if (open + 1 < head.length) indexParts.push({ kind: PartKind.Text, text: head.slice(open + 1), index: null, line: 0 });
    for (let i = 1; i < n - 1; i++) indexParts.push(parts[i]);
    if (tail.length > 1) indexParts.push({ kind: PartKind.Text, text: tail.slice(0, -1), index: null, line: 0 });
    if (indexParts.length === 0) indexParts.push({ kind: PartKind.Text, text: '', index: null, line: 0 });
    return { name, index: this.compileParts(indexParts, src) };
  }

  /** A function returning the Var for a simple name, created if needed (for set/incr/append...). */
  varLocator(name: string): (interp: Interp) => Var {
    const slot = this.slot(name);
    if (slot >= 0) {
      return (interp) => {
        const locals = interp.varFrame.locals;
        let v = locals[slot];
        if (v === null || v === undefined) {
          v = new Var();
          locals[slot] = v;
        }
        return v;
      };
    }
    return (interp) => interp.lookupVarCreate(name, name);
  }
}

/**
 * At the top level of a script file, break, continue and unknown codes (also via `return -code`)
 * are errors, reported against the command that produced them, as Tcl_EvalEx does.
 */
function topLevelCodes(cmd: ExecFn, site: InvokeSite): ExecFn {
  return (interp) => {
    let code = cmd(interp);
    if (code === OK || code === ERROR || interp.depth !== 0) return code;
    if (code === RETURN) {
      const st = interp.returnState;
      if (st.level !== 1 || st.code === OK || st.code === ERROR || st.code === RETURN) return code;
      code = st.code;
      st.code = OK;
      st.options = [];
    }
    const msg =
      code === BREAK ? 'invoked "break" outside of a loop' : code === CONTINUE ? 'invoked "continue" outside of a loop' : `command returned bad code: ${code}`;
    interp.result = TclObj.fromString(msg);
    interp.errorInfo = null;
    interp.errAlreadyLogged = false;
    interp.logCommandInfo(site, null);
    return ERROR;
  };
}

/** A result leaving through a substitution may be stored anywhere: it is no longer a variable's own. */
export function escaped(o: TclObj): TclObj {
  if (o.code === OWNED_LIST) o.code = null;
  return o;
}

function constFn(o: TclObj): ValueFn {
  return () => o;
}

function sequence(cmds: ExecFn[], sites: InvokeSite[]): ExecFn {
  const n = cmds.length;
  if (n === 0) {
    return (interp) => {
      interp.result = EMPTY;
      return OK;
    };
  }
  if (n === 1) {
    const c0 = cmds[0];
    const s0 = sites[0];
    return (interp) => {
      try {
        return c0(interp);
      } catch (e) {
        return failAt(interp, e, s0);
      }
    };
  }
  return (interp) => {
    let i = 0;
    try {
      for (; i < n; i++) {
        const code = cmds[i](interp);
        if (code !== OK) return code;
      }
      return OK;
    } catch (e) {
      return failAt(interp, e, sites[i]);
    }
  };
}

function compileExpandingInvocation(words: CompiledWord[], site: InvokeSite): ExecFn {
  return (interp) => {
    const objv: TclObj[] = [];
    for (const w of words) {
      const v = w.constant !== null ? w.constant : w.fn!(interp);
      if (v === null) return interp.pendingCode;
      if (w.expand) {
        for (const item of getList(v)) objv.push(item);
      } else objv.push(v);
    }
    if (objv.length === 0) {
      interp.result = EMPTY;
      return OK;
    }
    return interp.invoke(objv, site);
  };
}
