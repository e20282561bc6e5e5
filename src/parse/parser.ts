/**
 * Tcl's twelve rules (Tcl.n) as a recursive-descent scanner over the script text. Nested command
 * substitutions are parsed in place, so their positions and lines are those of the outer text.
 * A syntax error stops the parse; the commands before it are kept, because Tcl runs them before
 * reporting the error.
 */
import { backslashAt, backslashLength } from '../values/backslash.js';
import { Command, ParsedScript, ParseError, Part, PartKind, Word } from './ast.js';

const enum Ch {
  Tab = 9, Newline = 10, VTab = 11, FormFeed = 12, CR = 13, Space = 32,
  Quote = 34, Hash = 35, Dollar = 36, LParen = 40, RParen = 41, Star = 42, Colon = 58, Semi = 59,
  LBracket = 91, Backslash = 92, RBracket = 93, Underscore = 95, LBrace = 123, RBrace = 125,
}

function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.VTab || c === Ch.FormFeed || c === Ch.CR;
}

/** `$` names are ASCII letters, digits and underscores in Tcl 8.6. */
export function isVarNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === Ch.Underscore;
}

/** Thrown inside the parser only; converted to ParseError at the command level. */
class SyntaxError_ {
  constructor(readonly message: string, readonly errorEnd: number) {}
}

export class Parser {
  private pos = 0;
  private lineAtPos = 0;
  private linePos = 0;

  constructor(private readonly src: string, private readonly firstLine: number) {
    this.lineAtPos = firstLine;
  }

  /** Line number of an offset (offsets are visited mostly in increasing order). */
  lineOf(p: number): number {
    if (p < this.linePos) {
      this.linePos = 0;
      this.lineAtPos = this.firstLine;
    }
    const s = this.src;
    let line = this.lineAtPos;
    for (let i = this.linePos; i < p; i++) if (s.charCodeAt(i) === Ch.Newline) line++;
    this.linePos = p;
    this.lineAtPos = line;
    return line;
  }

  /** Parse commands from `start` up to `stop` (end of text, or the `]` of a nested script). */
  parseScript(start: number, nested: boolean): ParsedScript & { end: number } {
    const src = this.src;
    const n = src.length;
    const commands: Command[] = [];
    let error: ParseError | null = null;
    this.pos = start;
    for (;;) {
      // Skip separators and comments between commands.
      let p = this.pos;
      for (;;) {
        while (p < n) {
          const c = src.charCodeAt(p);
          if (isSpace(c) || c === Ch.Newline || c === Ch.Semi) p++;
          else if (c === Ch.Backslash && src.charCodeAt(p + 1) === Ch.Newline) p += 2;
          else break;
        }
        if (p < n && src.charCodeAt(p) === Ch.Hash) {
          p = this.skipComment(p);
          continue;
        }
        break;
      }
      this.pos = p;
      if (p >= n) {
        if (nested) {
          error = { message: 'missing close-bracket', commandStart: start - 1, errorEnd: start, line: this.lineOf(start - 1) };
        }
        break;
      }
      if (nested && src.charCodeAt(p) === Ch.RBracket) break;
      const cmdStart = p;
      try {
        const cmd = this.parseCommand(nested);
        if (cmd.words.length > 0) commands.push(cmd);
      } catch (e) {
        if (!(e instanceof SyntaxError_)) throw e;
        error = { message: e.message, commandStart: cmdStart, errorEnd: e.errorEnd, line: this.lineOf(cmdStart) };
        break;
      }
    }
    return { text: src, commands, error, end: this.pos };
  }

  private skipComment(p: number): number {
    const src = this.src;
    const n = src.length;
    while (p < n) {
      const c = src.charCodeAt(p);
      if (c === Ch.Backslash) {
        p += 2;
        continue;
      }
      if (c === Ch.Newline) return p + 1;
      p++;
    }
    return n;
  }

  private parseCommand(nested: boolean): Command {
    const src = this.src;
    const n = src.length;
    const start = this.pos;
    const line = this.lineOf(start);
    const words: Word[] = [];
    for (;;) {
      let p = this.pos;
      while (p < n) {
        const c = src.charCodeAt(p);
        if (isSpace(c)) p++;
        else if (c === Ch.Backslash && src.charCodeAt(p + 1) === Ch.Newline) {
          p += 2;
          while (p < n && isSpace(src.charCodeAt(p))) p++;
        } else break;
      }
      this.pos = p;
      if (p >= n) break;
      const c = src.charCodeAt(p);
      if (c === Ch.Newline || c === Ch.Semi) break;
      if (nested && c === Ch.RBracket) break;
      words.push(this.parseWord(nested));
    }
    // Like Tcl, the command's text runs up to its terminator, trailing blanks included.
    const end = this.pos;
    if (this.pos < n && src.charCodeAt(this.pos) !== Ch.RBracket) this.pos++;
    return { words, line, start, end };
  }

  private parseWord(nested: boolean): Word {
    const src = this.src;
    const start = this.pos;
    const line = this.lineOf(start);
    let expand = false;
    if (src.startsWith('{*}', start)) {
      const c = src.charCodeAt(start + 3);
      if (start + 3 < src.length && !isSpace(c) && c !== Ch.Newline && c !== Ch.Semi && !(nested && c === Ch.RBracket)) {
        expand = true;
        this.pos = start + 3;
      }
    }
    const c = src.charCodeAt(this.pos);
    let parts: Part[];
    let braced = false;
    if (c === Ch.LBrace) {
      parts = [{ kind: PartKind.Text, text: this.parseBraced(), index: null, line }];
      braced = true;
      this.checkWordEnd(nested, 'extra characters after close-brace');
    } else if (c === Ch.Quote) {
      this.pos++;
      parts = this.parseParts(nested, Ch.Quote);
      this.pos++;
      this.checkWordEnd(nested, 'extra characters after close-quote');
    } else {
      parts = this.parseParts(nested, 0);
    }
    return { parts, expand, braced, line: this.lineOf(start), start, end: this.pos };
  }

  private checkWordEnd(nested: boolean, message: string): void {
    const p = this.pos;
    if (p >= this.src.length) return;
    const c = this.src.charCodeAt(p);
    if (isSpace(c) || c === Ch.Newline || c === Ch.Semi || (nested && c === Ch.RBracket)) return;
    if (c === Ch.Backslash && this.src.charCodeAt(p + 1) === Ch.Newline) return;
    throw new SyntaxError_(message, p + 1);
  }

  /** A braced word starting at this.pos (on the `{`); returns its content with backslash-newlines folded. */
  parseBraced(): string {
    const src = this.src;
    const n = src.length;
    const open = this.pos;
    let depth = 1;
    let p = open + 1;
    let out = '';
    let chunk = p;
    while (p < n) {
      const c = src.charCodeAt(p);
      if (c === Ch.Backslash) {
        if (src.charCodeAt(p + 1) === Ch.Newline) {
          out += src.slice(chunk, p) + backslashAt(src, p);
          p += backslashLength;
          chunk = p;
        } else p += 2;
        continue;
      }
      if (c === Ch.LBrace) depth++;
      else if (c === Ch.RBrace && --depth === 0) {
        this.pos = p + 1;
        return out + src.slice(chunk, p);
      }
      p++;
    }
    throw new SyntaxError_('missing close-brace', open + 1);
  }

  /**
   * Parts of a bare word (term 0) or a quoted word (term = `"`), up to the terminator. For a quoted
   * word this.pos ends on the closing quote.
   */
  private parseParts(nested: boolean, term: number): Part[] {
    const src = this.src;
    const n = src.length;
    const parts: Part[] = [];
    let text = '';
    let p = this.pos;
    let chunk = p;
    const openQuote = p - 1;
    for (;;) {
      if (p >= n) {
        if (term === Ch.Quote) throw new SyntaxError_('missing "', openQuote + 1);
        break;
      }
      const c = src.charCodeAt(p);
      if (term === Ch.Quote) {
        if (c === Ch.Quote) break;
      } else if (isSpace(c) || c === Ch.Newline || c === Ch.Semi || (nested && c === Ch.RBracket)) {
        break;
      }
      if (c === Ch.Backslash) {
        if (term === 0 && src.charCodeAt(p + 1) === Ch.Newline) break;
        text += src.slice(chunk, p) + backslashAt(src, p);
        p += backslashLength;
        chunk = p;
      } else if (c === Ch.Dollar) {
        this.pos = p;
        const v = this.parseVariable();
        if (v === null) {
          p++;
          continue;
        }
        text += src.slice(chunk, p);
        if (text.length > 0) parts.push({ kind: PartKind.Text, text, index: null, line: 0 });
        text = '';
        parts.push(v);
        p = chunk = this.pos;
      } else if (c === Ch.LBracket) {
        text += src.slice(chunk, p);
        if (text.length > 0) parts.push({ kind: PartKind.Text, text, index: null, line: 0 });
        text = '';
        parts.push(this.parseCommandSubst(p));
        p = chunk = this.pos;
      } else p++;
    }
    text += src.slice(chunk, p);
    if (text.length > 0 || parts.length === 0) parts.push({ kind: PartKind.Text, text, index: null, line: 0 });
    this.pos = p;
    return parts;
  }

  /** `[script]` at p; leaves this.pos after the `]`. */
  parseCommandSubst(p: number): Part {
    const line = this.lineOf(p + 1);
    const saved = this.pos;
    const inner = this.parseScript(p + 1, true);
    if (inner.error !== null) {
      throw new SyntaxError_(inner.error.message, inner.error.errorEnd);
    }
    void saved;
    const end = inner.end;
    this.pos = end + 1;
    const part: Part = { kind: PartKind.Command, text: this.src.slice(p + 1, end), index: null, line };
    (part as PartWithScript).script = { text: inner.text, commands: inner.commands, error: null };
    return part;
  }

  /**
   * A variable reference at this.pos (on the `$`). Returns null when the `$` is literal (no name
   * follows); otherwise leaves this.pos after the reference.
   */
  parseVariable(): Part | null {
    const src = this.src;
    const n = src.length;
    const dollar = this.pos;
    let p = dollar + 1;
    if (p >= n) return null;
    const line = this.lineOf(dollar);
    let c = src.charCodeAt(p);
    if (c === Ch.LBrace) {
      const close = src.indexOf('}', p + 1);
      if (close < 0) throw new SyntaxError_('missing close-brace for variable name', p + 1);
      this.pos = close + 1;
      return { kind: PartKind.Var, text: src.slice(p + 1, close), index: null, line };
    }
    const nameStart = p;
    for (;;) {
      if (p >= n) break;
      c = src.charCodeAt(p);
      if (isVarNameChar(c)) p++;
      else if (c === Ch.Colon && src.charCodeAt(p + 1) === Ch.Colon) {
        p += 2;
        while (p < n && src.charCodeAt(p) === Ch.Colon) p++;
      } else break;
    }
    const name = src.slice(nameStart, p);
    if (p < n && src.charCodeAt(p) === Ch.LParen) {
      const index = this.parseIndex(p + 1, dollar);
      return { kind: PartKind.ArrayVar, text: name, index, line };
    }
    if (name.length === 0) return null;
    this.pos = p;
    return { kind: PartKind.Var, text: name, index: null, line };
  }

  /** The index of `$name(...)`: substitutions allowed, ends at the first unescaped `)`. */
  private parseIndex(p: number, dollar: number): Part[] {
    const src = this.src;
    const n = src.length;
    const parts: Part[] = [];
    let text = '';
    let chunk = p;
    for (;;) {
      if (p >= n) throw new SyntaxError_('missing )', this.indexErrorEnd(dollar));
      const c = src.charCodeAt(p);
      if (c === Ch.RParen) break;
      if (c === Ch.Backslash) {
        text += src.slice(chunk, p) + backslashAt(src, p);
        p += backslashLength;
        chunk = p;
      } else if (c === Ch.Dollar) {
        this.pos = p;
        const v = this.parseVariable();
        if (v === null) {
          p++;
          continue;
        }
        text += src.slice(chunk, p);
        if (text.length > 0) parts.push({ kind: PartKind.Text, text, index: null, line: 0 });
        text = '';
        parts.push(v);
        p = chunk = this.pos;
      } else if (c === Ch.LBracket) {
        text += src.slice(chunk, p);
        if (text.length > 0) parts.push({ kind: PartKind.Text, text, index: null, line: 0 });
        text = '';
        parts.push(this.parseCommandSubst(p));
        p = chunk = this.pos;
      } else p++;
    }
    text += src.slice(chunk, p);
    if (text.length > 0 || parts.length === 0) parts.push({ kind: PartKind.Text, text, index: null, line: 0 });
    this.pos = p + 1;
    return parts;
  }

  private indexErrorEnd(dollar: number): number {
    const open = this.src.indexOf('(', dollar);
    return open + 1;
  }

  /** Parse a double-quoted string's content at this.pos (after the quote); used by expr. */
  parseQuotedAt(p: number): { parts: Part[]; end: number } {
    this.pos = p;
    const parts = this.parseParts(false, Ch.Quote);
    return { parts, end: this.pos + 1 };
  }

  /** Parse a word's worth of substitutions in a whole string (for subst and expr words). */
  get position(): number {
    return this.pos;
  }

  set position(p: number) {
    this.pos = p;
  }
}

/** A command-substitution part carries its nested parse. */
export interface PartWithScript extends Part {
  script: ParsedScript;
}

/** Parse a whole script whose first line is `firstLine`. */
export function parseScript(src: string, firstLine = 1): ParsedScript {
  const p = new Parser(src, firstLine);
  const r = p.parseScript(0, false);
  return { text: r.text, commands: r.commands, error: r.error };
}

export { SyntaxError_ as ParseSyntaxError };
