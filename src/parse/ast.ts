/**
 * The parse tree of a Tcl script: commands made of words made of parts. Positions are offsets into
 * the script text; lines are absolute (the caller gives the first line's number), as Tcl's errorInfo
 * counts them.
 */

export const enum PartKind {
  /** Literal text (backslash sequences already decoded). */
  Text = 0,
  /** `$name` or `${name}`: `text` is the name. */
  Var = 1,
  /** `$name(index)`: `text` is the array name, `index` the parts of the index. */
  ArrayVar = 2,
  /** `[script]`: `text` is the script, `line` its first line. */
  Command = 3,
}

export interface Part {
  kind: PartKind;
  text: string;
  index: Part[] | null;
  line: number;
}

export interface Word {
  /** Parts to concatenate; a single Text part for a literal word. */
  parts: Part[];
  /** The word began with `{*}`. */
  expand: boolean;
  /** The word was brace-quoted (its text is literal; it may be compiled as a body). */
  braced: boolean;
  /** Line of the word's first character. */
  line: number;
  /** Source range of the word (including braces/quotes). */
  start: number;
  end: number;
}

export interface Command {
  words: Word[];
  line: number;
  /** Source range of the command text, without the terminating newline or semicolon. */
  start: number;
  end: number;
}

/** A syntax error found while parsing; commands before it still run, as in Tcl. */
export interface ParseError {
  message: string;
  /** Start of the command containing the error. */
  commandStart: number;
  /** Offset just past the last character Tcl shows in errorInfo for this error. */
  errorEnd: number;
  line: number;
}

export interface ParsedScript {
  text: string;
  commands: Command[];
  error: ParseError | null;
}

/** The literal text of a word when it has no substitutions, else null. */
export function literalOf(w: Word): string | null {
  if (w.parts.length === 0) return '';
  if (w.parts.length === 1 && w.parts[0].kind === PartKind.Text) return w.parts[0].text;
  return null;
}
