/**
 * Tcl regular-expression syntax (re_syntax(n)) to the AST: AREs, plus the EREs, BREs and literal
 * strings reachable through the `***=` prefix and the embedded options (?b) (?e) (?q). Errors are
 * raised in pattern order with Tcl's messages, so the first problem Tcl reports is the one we report.
 */
import { A, INF, K, LONGER, SHORTER, seq } from './ast.js';
import type { Node, SeqNode, AltNode } from './ast.js';
import { CharSet, MAX_CHAR } from './charset.js';
import { E, regexError } from './errors.js';
import { BRACKET_CLASSES, caseVariants, classSet, isSpaceChar, withCases } from './unicode.js';
import type { ClassName } from './unicode.js';

/** Compile flags from the command line options. */
export const enum CF {
  ICASE = 1,
  EXPANDED = 2,
  NLSTOP = 4,
  NLANCH = 8,
}

const enum Syn {
  ARE,
  ERE,
  BRE,
  QUOTE,
}

/** Bits reported by `regexp -about`, in Tcl's order. */
export const INFO_NAMES: readonly string[] = [
  'REG_UBACKREF', 'REG_ULOOKAHEAD', 'REG_UBOUNDS', 'REG_UBRACES', 'REG_UBSALNUM', 'REG_UPBOTCH',
  'REG_UBBS', 'REG_UNONPOSIX', 'REG_UUNSPEC', 'REG_UUNPORT', 'REG_ULOCALE', 'REG_UEMPTYMATCH',
  'REG_UIMPOSSIBLE', 'REG_USHORTEST',
];
export const enum U {
  BACKREF = 1 << 0,
  LOOKAHEAD = 1 << 1,
  BOUNDS = 1 << 2,
  BRACES = 1 << 3,
  BSALNUM = 1 << 4,
  PBOTCH = 1 << 5,
  BBS = 1 << 6,
  NONPOSIX = 1 << 7,
  UNSPEC = 1 << 8,
  UNPORT = 1 << 9,
  LOCALE = 1 << 10,
  EMPTYMATCH = 1 << 11,
  IMPOSSIBLE = 1 << 12,
  SHORTEST = 1 << 13,
}

export interface ParsedRegex {
  ast: Node;
  /** Number of capturing groups. */
  nsub: number;
  /** -about bits found by the parser (the match-dependent ones are added later). */
  info: number;
  /** The effective flags after embedded options (for backreference case folding). */
  icase: boolean;
  /** Group bodies by number, for back references (index 0 unused). */
  groups: Node[];
}

/** POSIX collating-element names accepted in [[.name.]] and [[=name=]]. */
const COLLATING_NAMES: ReadonlyMap<string, number> = new Map<string, number>([
  ['NUL', 0], ['SOH', 1], ['STX', 2], ['ETX', 3], ['EOT', 4], ['ENQ', 5], ['ACK', 6], ['BEL', 7],
  ['alert', 7], ['BS', 8], ['backspace', 8], ['HT', 9], ['tab', 9], ['LF', 10], ['newline', 10],
  ['VT', 11], ['vertical-tab', 11], ['FF', 12], ['form-feed', 12], ['CR', 13], ['carriage-return', 13],
  ['SO', 14], ['SI', 15], ['DLE', 16], ['DC1', 17], ['DC2', 18], ['DC3', 19], ['DC4', 20],
  ['NAK', 21], ['SYN', 22], ['ETB', 23], ['CAN', 24], ['EM', 25], ['SUB', 26], ['ESC', 27],
  ['IS4', 28], ['FS', 28], ['IS3', 29], ['GS', 29], ['IS2', 30], ['RS', 30], ['IS1', 31], ['US', 31],
  ['space', 32], ['exclamation-mark', 33], ['quotation-mark', 34], ['number-sign', 35],
  ['dollar-sign', 36], ['percent-sign', 37], ['ampersand', 38], ['apostrophe', 39],
  ['left-parenthesis', 40], ['right-parenthesis', 41], ['asterisk', 42], ['plus-sign', 43],
  ['comma', 44], ['hyphen', 45], ['hyphen-minus', 45], ['period', 46], ['full-stop', 46],
  ['slash', 47], ['solidus', 47], ['zero', 48], ['one', 49], ['two', 50], ['three', 51],
  ['four', 52], ['five', 53], ['six', 54], ['seven', 55], ['eight', 56], ['nine', 57],
  ['colon', 58], ['semicolon', 59], ['less-than-sign', 60], ['equals-sign', 61],
  ['greater-than-sign', 62], ['question-mark', 63], ['commercial-at', 64],
  ['left-square-bracket', 91], ['backslash', 92], ['reverse-solidus', 92],
  ['right-square-bracket', 93], ['circumflex', 94], ['circumflex-accent', 94], ['underscore', 95],
  ['low-line', 95], ['grave-accent', 96], ['left-brace', 123], ['left-curly-bracket', 123],
  ['vertical-line', 124], ['right-brace', 125], ['right-curly-bracket', 125], ['tilde', 126],
  ['DEL', 127],
]);

const DUPMAX = 255;
const NL = 10;

/** What an escape sequence stands for. */
const enum EscKind {
  Char,
  Class,
  Assert,
  Backref,
}

/** A bracket element: one character (may start a range) or a set that cannot. */
interface BracketItem {
  ch: number;
  set: CharSet | null;
  /** Written as a collating element [.x.] (which Tcl calls unportable as a range endpoint). */
  coll: boolean;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

let alphaSet: CharSet | null = null;
function isAlpha(c: number): boolean {
  if (c < 0) return false;
  if (c < 128) return (c | 32) >= 97 && (c | 32) <= 122;
  if (alphaSet === null) alphaSet = classSet('alpha');
  return alphaSet.has(c);
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

let alnumSet: CharSet | null = null;
/** Tcl_UniCharIsAlnum: letters and digits of any script make `\x` an escape, not a literal. */
function isAlnum(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
  if (alnumSet === null) alnumSet = classSet('alnum');
  return alnumSet.has(c);
}

class Parser {
  private pos = 0;
  private readonly end: number;
  private syn = Syn.ARE;
  private icase: boolean;
  private expanded: boolean;
  private nlstop: boolean;
  private nlanch: boolean;
  private nsub = 0;
  /** closed[n]: group n has been closed (and not cancelled by {0}), so \n may refer to it. */
  private readonly closed: boolean[] = [false];
  private readonly groups: Node[] = [seq([])];
  private lookDepth = 0;
  info = 0;
  private escValue = 0;
  private escSet: CharSet | null = null;
  private escAssert: A = A.Bol;

  constructor(
    private readonly p: string,
    flags: number,
  ) {
    this.end = p.length;
    this.icase = (flags & CF.ICASE) !== 0;
    this.expanded = (flags & CF.EXPANDED) !== 0;
    this.nlstop = (flags & CF.NLSTOP) !== 0;
    this.nlanch = (flags & CF.NLANCH) !== 0;
  }

  private fail(code: E): never {
    throw regexError(code);
  }

  private ch(i: number): number {
    return i < this.end ? this.p.charCodeAt(i) : -1;
  }

  parse(): ParsedRegex {
    this.prefixes();
    let ast: Node;
    if (this.syn === Syn.QUOTE) {
      const items: Node[] = [];
      for (let i = this.pos; i < this.end; i++) items.push(this.literal(this.p.charCodeAt(i)));
      if (items.length === 0) this.info |= U.UNSPEC;
      ast = seq(items);
    } else {
      ast = this.syn === Syn.BRE ? this.breBranch(0) : this.alternation(0);
      if (this.pos < this.end) this.fail(E.EPAREN);
    }
    return { ast, nsub: this.nsub, info: this.info, icase: this.icase, groups: this.groups };
  }

  /** `***:` / `***=` and one leading `(?options)`. */
  private prefixes(): void {
    const p = this.p;
    if (p.startsWith('***')) {
      if (p.charCodeAt(3) === 58 /* : */) {
        this.pos = 4;
      } else if (p.charCodeAt(3) === 61 /* = */) {
        this.pos = 4;
        this.syn = Syn.QUOTE;
        this.info |= U.NONPOSIX;
        return;
      }
    }
    if (this.ch(this.pos) !== 40 || this.ch(this.pos + 1) !== 63 || !isAlpha(this.ch(this.pos + 2))) return;
    this.info |= U.NONPOSIX;
    let i = this.pos + 2;
    for (; isAlpha(this.ch(i)); i++) {
      switch (this.ch(i)) {
        case 98: this.syn = Syn.BRE; break; // b
        case 99: this.icase = false; break; // c
        case 101: this.syn = Syn.ERE; break; // e
        case 105: this.icase = true; break; // i
        case 109: // m
        case 110: this.nlstop = true; this.nlanch = true; break; // n
        case 112: this.nlstop = true; this.nlanch = false; break; // p
        case 113: this.syn = Syn.QUOTE; break; // q
        case 115: this.nlstop = false; this.nlanch = false; break; // s
        case 116: this.expanded = false; break; // t
        case 119: this.nlstop = false; this.nlanch = true; break; // w
        case 120: this.expanded = true; break; // x
        default: this.fail(E.BADOPT);
      }
    }
    if (this.ch(i) !== 41) this.fail(E.BADOPT);
    this.pos = i + 1;
  }

  /** Skip white space and #-comments in expanded mode (outside brackets). */
  private skip(): void {
    if (!this.expanded) return;
    const p = this.p;
    while (this.pos < this.end) {
      const c = p.charCodeAt(this.pos);
      if (isSpaceChar(c)) {
        this.pos++;
      } else if (c === 35 /* # */) {
        while (this.pos < this.end && p.charCodeAt(this.pos) !== NL) this.pos++;
      } else {
        break;
      }
      this.info |= U.NONPOSIX;
    }
  }

  // ---- ARE and ERE ------------------------------------------------------------------------------

  private alternation(depth: number): Node {
    const first = this.branch(depth);
    this.skip();
    if (this.ch(this.pos) !== 124) return first;
    const branches: SeqNode[] = [first];
    while (this.ch(this.pos) === 124) {
      this.pos++;
      branches.push(this.branch(depth));
      this.skip();
    }
    const alt: AltNode = { k: K.Alt, branches };
    return alt;
  }

  private branch(depth: number): SeqNode {
    const items: Node[] = [];
    for (;;) {
      this.skip();
      if (this.pos >= this.end) break;
      const c = this.p.charCodeAt(this.pos);
      if (c === 124) break;
      if (c === 41 /* ) */) {
        if (depth > 0) break;
        if (this.syn === Syn.ARE) this.fail(E.EPAREN);
        this.info |= U.PBOTCH;
        this.pos++;
        items.push(this.literal(41));
        this.quantifierAfter(items, true);
        continue;
      }
      const quantifiable = this.atom(items, depth);
      this.quantifierAfter(items, quantifiable);
    }
    if (items.length === 0) this.info |= U.UNSPEC;
    return seq(items);
  }

  /** Parse one atom and push it; returns whether a quantifier may follow. */
  private atom(items: Node[], depth: number): boolean {
    const p = this.p;
    const c = p.charCodeAt(this.pos);
    switch (c) {
      case 40: { // (
        this.pos++;
        if (this.syn === Syn.ARE && this.ch(this.pos) === 63) {
          const d = this.ch(this.pos + 1);
          if (d === 58 /* : */) {
            this.pos += 2;
            this.info |= U.NONPOSIX;
            items.push({ k: K.Group, cap: 0, body: this.groupBody(depth) });
            return true;
          }
          if (d === 61 || d === 33) {
            this.pos += 2;
            this.info |= U.LOOKAHEAD | U.NONPOSIX;
            this.lookDepth++;
            const body = this.groupBody(depth);
            this.lookDepth--;
            items.push({ k: K.Look, neg: d === 33, body });
            return false;
          }
        }
        if (this.lookDepth > 0) {
          items.push({ k: K.Group, cap: 0, body: this.groupBody(depth) });
          return true;
        }
        const n = ++this.nsub;
        this.closed.push(false);
        this.groups.push(seq([]));
        const body = this.groupBody(depth);
        this.closed[n] = true;
        this.groups[n] = body;
        items.push({ k: K.Group, cap: n, body });
        return true;
      }
      case 94: // ^
        this.pos++;
        items.push({ k: K.Assert, a: this.nlanch ? A.BolLine : A.Bol });
        return false;
      case 36: // $
        this.pos++;
        items.push({ k: K.Assert, a: this.nlanch ? A.EolLine : A.Eos });
        return false;
      case 46: // .
        this.pos++;
        items.push({ k: K.Set, set: this.nlstop ? CharSet.ALL.minus(CharSet.of(NL)) : CharSet.ALL });
        return true;
      case 91: // [
        return this.bracket(items);
      case 92: // backslash
        return this.escapeAtom(items);
      case 42: // *
      case 43: // +
      case 63: // ?
        this.fail(E.BADRPT);
      // falls through (fail never returns)
      case 123: // {
        if (this.boundFollows()) this.fail(E.BADRPT);
        this.info |= U.BRACES | U.UNSPEC;
        this.pos++;
        items.push(this.literal(123));
        return true;
      default:
        this.pos++;
        items.push(this.literal(c));
        return true;
    }
  }

  /** The inside of ( ... ) up to and including the close paren. */
  private groupBody(depth: number): Node {
    const body = this.alternation(depth + 1);
    if (this.ch(this.pos) !== 41) this.fail(E.EPAREN);
    this.pos++;
    return body;
  }

  /** If a quantifier follows, wrap the last item in it. */
  private quantifierAfter(items: Node[], quantifiable: boolean): void {
    this.skip();
    if (this.pos >= this.end) return;
    const c = this.p.charCodeAt(this.pos);
    let min: number;
    let max: number;
    let braces = false;
    if (c === 42) {
      min = 0;
      max = INF;
    } else if (c === 43) {
      min = 1;
      max = INF;
    } else if (c === 63) {
      min = 0;
      max = 1;
    } else if (c === 123 && this.boundFollows()) {
      braces = true;
      min = 0;
      max = 0;
    } else {
      return;
    }
    if (!quantifiable) this.fail(E.BADRPT);
    this.pos++;
    let comma = false;
    if (braces) {
      this.info |= U.BOUNDS;
      this.skip();
      min = this.scanNum();
      this.skip();
      if (this.ch(this.pos) === 44) {
        comma = true;
        this.pos++;
        this.skip();
        if (isDigit(this.ch(this.pos))) {
          max = this.scanNum();
          if (min > max) this.fail(E.BADBR);
        } else {
          max = INF;
        }
      } else {
        max = min;
      }
      this.skip();
      if (this.pos >= this.end) this.fail(E.EBRACE);
      if (this.p.charCodeAt(this.pos) !== 125) this.fail(E.BADBR);
      this.pos++;
    }
    let greedy = true;
    if (this.syn === Syn.ARE && this.ch(this.pos) === 63) {
      this.pos++;
      greedy = false;
      this.info |= U.NONPOSIX;
    }
    const pref = braces && !comma ? 0 : greedy ? LONGER : SHORTER;
    this.wrapLast(items, min, max, pref, greedy);
  }

  private wrapLast(items: Node[], min: number, max: number, pref: number, greedy: boolean): void {
    const atom = items[items.length - 1];
    if (max === 0) {
      // x{0} removes the atom. A later back reference to a group it is is invalid; one to a group
      // nested inside it can never match (Tcl deletes that group's automaton).
      if (atom.k === K.Group && atom.cap > 0) this.closed[atom.cap] = false;
      this.vanish(atom);
    }
    items[items.length - 1] = { k: K.Quant, atom, min, max, pref, greedy };
  }

  /** Whether the "{" at pos opens a bound: a digit follows (after white space in expanded mode). */
  private boundFollows(): boolean {
    const save = this.pos;
    this.pos++;
    this.skip();
    const r = isDigit(this.ch(this.pos));
    this.pos = save;
    return r;
  }

  private vanish(node: Node): void {
    switch (node.k) {
      case K.Group:
        if (node.cap > 0) this.groups[node.cap] = { k: K.Set, set: CharSet.EMPTY };
        this.vanish(node.body);
        break;
      case K.Seq:
        for (const n of node.items) this.vanish(n);
        break;
      case K.Alt:
        for (const n of node.branches) this.vanish(n);
        break;
      case K.Quant:
        this.vanish(node.atom);
        break;
      default:
        break;
    }
  }

  /** Decimal repetition count, at most 255 (expanded mode allows spaces between digits). */
  private scanNum(): number {
    let n = 0;
    let any = false;
    for (;;) {
      const c = this.ch(this.pos);
      if (!isDigit(c)) break;
      if (n > DUPMAX) break;
      n = n * 10 + (c - 48);
      any = true;
      this.pos++;
      this.skip();
    }
    if (!any) {
      if (this.pos >= this.end) this.fail(E.EBRACE);
      this.fail(E.BADBR);
    }
    if (n > DUPMAX) this.fail(E.BADBR);
    return n;
  }

  private literal(c: number): Node {
    if (c < 0) return { k: K.Set, set: CharSet.EMPTY };
    return { k: K.Set, set: this.icase ? CharSet.fromChars(caseVariants(c)) : CharSet.of(c) };
  }

  /** A backslash outside brackets. */
  private escapeAtom(items: Node[]): boolean {
    if (this.pos + 1 >= this.end) this.fail(E.EESCAPE);
    if (this.syn !== Syn.ARE) {
      // ERE: any escaped character stands for itself.
      const c = this.p.charCodeAt(this.pos + 1);
      if (isAlnum(c)) this.info |= U.BSALNUM | U.UNSPEC;
      this.pos += 2;
      items.push(this.literal(c));
      return true;
    }
    this.info |= U.NONPOSIX;
    this.pos++;
    const kind = this.escape(false);
    switch (kind) {
      case EscKind.Char:
        items.push(this.literal(this.escValue));
        return true;
      case EscKind.Class:
        items.push({ k: K.Set, set: this.escSet as CharSet });
        return true;
      case EscKind.Assert:
        items.push({ k: K.Assert, a: this.escAssert });
        return false;
      default: {
        const n = this.escValue;
        if (this.lookDepth > 0 || n > this.nsub || !this.closed[n]) this.fail(E.ESUBREG);
        this.info |= U.BACKREF;
        items.push({ k: K.Backref, n });
        return true;
      }
    }
  }

  /**
   * An ARE escape after its backslash (pos is at the escaped character). Results go to escValue
   * (a character or back-reference number), escSet or escAssert.
   */
  private escape(inBracket: boolean): EscKind {
    const p = this.p;
    if (this.pos >= this.end) this.fail(E.EESCAPE);
    const c = p.charCodeAt(this.pos++);
    if (!isAlnum(c)) {
      this.escValue = c;
      return EscKind.Char;
    }
    switch (c) {
      case 97: // a
        this.info |= U.LOCALE;
        this.escValue = 7;
        return EscKind.Char;
      case 98: // b
        this.escValue = 8;
        return EscKind.Char;
      case 66: // B
        this.escValue = 92;
        return EscKind.Char;
      case 99: { // c
        this.info |= U.UNPORT;
        if (this.pos >= this.end) this.fail(E.EESCAPE);
        this.escValue = p.charCodeAt(this.pos++) & 0x1f;
        return EscKind.Char;
      }
      case 101: // e
        this.info |= U.UNPORT | U.LOCALE;
        this.escValue = 27;
        return EscKind.Char;
      case 102: this.escValue = 12; return EscKind.Char; // f
      case 110: this.escValue = 10; return EscKind.Char; // n
      case 114: this.escValue = 13; return EscKind.Char; // r
      case 116: this.escValue = 9; return EscKind.Char; // t
      case 118: this.escValue = 11; return EscKind.Char; // v
      case 117: // u
        this.escValue = this.hexDigits(4);
        return EscKind.Char;
      case 85: { // U
        const v = this.hexDigits(8);
        // Beyond the BMP Tcl 8.6 substitutes U+FFFD; beyond Unicode nothing can match.
        this.escValue = v > 0x10ffff ? -1 : v > MAX_CHAR ? 0xfffd : v;
        return EscKind.Char;
      }
      case 120: // x
        this.info |= U.UNPORT;
        this.escValue = this.hexDigits(2);
        return EscKind.Char;
      case 100: case 115: case 119: // d s w
        this.info |= U.LOCALE;
        this.escSet = this.shorthand(c);
        return EscKind.Class;
      case 68: case 83: case 87: // D S W
        if (inBracket) this.fail(E.EESCAPE);
        this.info |= U.LOCALE;
        this.escSet = this.negated(this.shorthand(c + 32));
        return EscKind.Class;
      case 48: // 0
        this.info |= U.UNPORT;
        this.pos--;
        this.escValue = this.octal();
        return EscKind.Char;
      default:
        break;
    }
    if (c >= 49 && c <= 57) {
      if (inBracket) this.fail(E.EESCAPE);
      // A back reference if it is a single digit or a number no larger than the groups opened so
      // far; otherwise the digits are an octal escape.
      const start = this.pos - 1;
      let n = c - 48;
      let i = this.pos;
      while (isDigit(this.ch(i)) && i - start < 255) {
        n = n * 10 + (this.ch(i) - 48);
        i++;
      }
      if (i === this.pos || n <= this.nsub) {
        this.pos = i;
        this.escValue = n;
        return EscKind.Backref;
      }
      this.info |= U.UNPORT;
      this.pos = start;
      this.escValue = this.octal();
      return EscKind.Char;
    }
    if (!inBracket) {
      let a = -1;
      switch (c) {
        case 65: a = A.Bos; break; // A
        case 90: a = A.Eos; break; // Z
        case 109: a = A.WordStart; break; // m
        case 77: a = A.WordEnd; break; // M
        case 121: a = A.WordBound; break; // y
        case 89: a = A.NotBound; break; // Y
      }
      if (a >= 0) {
        if (a >= A.WordStart) this.info |= U.LOCALE;
        this.escAssert = a as A;
        return EscKind.Assert;
      }
    }
    this.fail(E.EESCAPE);
  }

  /** 1..max hex digits (at least one). */
  private hexDigits(max: number): number {
    let v = 0;
    let n = 0;
    while (n < max) {
      const d = hexVal(this.ch(this.pos));
      if (d < 0) break;
      v = v * 16 + d;
      this.pos++;
      n++;
    }
    if (n === 0) this.fail(E.EESCAPE);
    return v;
  }

  /** Up to three octal digits; a value above 0377 gives back its last digit. */
  private octal(): number {
    let v = 0;
    let n = 0;
    while (n < 3) {
      const c = this.ch(this.pos);
      if (c < 48 || c > 55) break;
      v = v * 8 + (c - 48);
      this.pos++;
      n++;
    }
    if (v > 0xff) {
      this.pos--;
      v >>= 3;
    }
    return v;
  }

  private shorthand(c: number): CharSet {
    switch (c) {
      case 100: return classSet('digit');
      case 115: return classSet('space');
      default: return classSet('word');
    }
  }

  /** A negated set as Tcl builds [^...]: newline stays out in newline-sensitive mode. */
  private negated(s: CharSet): CharSet {
    const n = s.complement();
    return this.nlstop ? n.minus(CharSet.of(NL)) : n;
  }

  // ---- brackets ---------------------------------------------------------------------------------

  private bracket(items: Node[]): boolean {
    const p = this.p;
    if (p.startsWith('[[:<:]]', this.pos) || p.startsWith('[[:>:]]', this.pos)) {
      const a = p.charCodeAt(this.pos + 3) === 60 ? A.WordStart : A.WordEnd;
      this.pos += 7;
      this.info |= U.NONPOSIX | U.LOCALE;
      items.push({ k: K.Assert, a });
      return false;
    }
    this.pos++;
    let neg = false;
    if (this.ch(this.pos) === 94) {
      neg = true;
      this.pos++;
    }
    const pairs: number[] = [];
    let sets: CharSet | null = null;
    let first = true;
    for (;;) {
      if (this.pos >= this.end) this.fail(E.EBRACK);
      if (p.charCodeAt(this.pos) === 93 && !first) {
        this.pos++;
        break;
      }
      first = false;
      const item = this.bracketElement();
      if (item.set !== null) {
        if (this.rangeDashFollows()) this.fail(E.ERANGE);
        sets = sets === null ? item.set : sets.union(item.set);
        continue;
      }
      let hi = item.ch;
      if (this.rangeDashFollows()) {
        this.pos++;
        const endItem = this.bracketElement();
        if (endItem.set !== null) this.fail(E.ERANGE);
        hi = endItem.ch;
        if (hi < item.ch) this.fail(E.ERANGE);
        if (hi !== item.ch || this.icase || item.coll || endItem.coll) this.info |= U.UNPORT;
        if (this.rangeDashFollows()) this.fail(E.ERANGE);
      }
      // A \U escape beyond Unicode (-1) contributes nothing.
      if (item.ch >= 0) pairs.push(item.ch, hi);
    }
    let set = CharSet.fromPairs(pairs);
    if (this.icase) {
      set = set.size() === 1 ? CharSet.fromChars(caseVariants(set.single())) : withCases(set);
    }
    if (sets !== null) set = set.union(sets);
    if (neg) set = this.negated(set);
    items.push({ k: K.Set, set });
    return true;
  }

  /** One element inside brackets: a character (range endpoint) or a class. */
  private bracketElement(): BracketItem {
    const p = this.p;
    const c = p.charCodeAt(this.pos);
    if (c === 91 /* [ */) {
      const d = this.ch(this.pos + 1);
      if (d === 58 || d === 61 || d === 46) {
        const term = d === 58 ? ':]' : d === 61 ? '=]' : '.]';
        const close = p.indexOf(term, this.pos + 2);
        if (close < 0) this.fail(E.EBRACK);
        const name = p.slice(this.pos + 2, close);
        this.pos = close + 2;
        if (d === 58) return { ch: -1, set: this.namedClass(name), coll: false };
        const ch = this.collatingElement(name, d === 61);
        if (d === 61) {
          this.info |= U.LOCALE;
          return { ch: -1, set: this.icase ? CharSet.fromChars(caseVariants(ch)) : CharSet.of(ch), coll: false };
        }
        return { ch, set: null, coll: true };
      }
      this.pos++;
      return { ch: c, set: null, coll: false };
    }
    if (c === 92 && this.syn === Syn.ARE) {
      this.info |= U.BBS | U.NONPOSIX;
      this.pos++;
      const kind = this.escape(true);
      if (kind === EscKind.Class) return { ch: -1, set: this.escSet as CharSet, coll: false };
      return { ch: this.escValue, set: null, coll: false };
    }
    this.pos++;
    return { ch: c, set: null, coll: false };
  }

  /** A "-" that makes a range: not the last thing before the closing bracket. */
  private rangeDashFollows(): boolean {
    return this.ch(this.pos) === 45 && this.pos + 1 < this.end && this.ch(this.pos + 1) !== 93;
  }

  private namedClass(name: string): CharSet {
    if (!BRACKET_CLASSES.has(name)) this.fail(E.ECTYPE);
    this.info |= U.LOCALE;
    let n = name as ClassName;
    if (this.icase && (n === 'upper' || n === 'lower')) n = 'alpha';
    return classSet(n);
  }

  private collatingElement(name: string, equiv: boolean): number {
    if (name.length === 1) return name.charCodeAt(0);
    const v = COLLATING_NAMES.get(name);
    if (v === undefined) this.fail(E.ECOLLATE);
    if (!equiv) this.info |= U.LOCALE;
    return v;
  }

  // ---- BRE ----------------------------------------------------------------------------------------

  private breBranch(depth: number): SeqNode {
    const p = this.p;
    const items: Node[] = [];
    let atStart = true;
    for (;;) {
      this.skip();
      if (this.pos >= this.end) break;
      const c = p.charCodeAt(this.pos);
      if (c === 92 && this.ch(this.pos + 1) === 41) {
        if (depth > 0) break;
        this.fail(E.EPAREN);
      }
      let quantifiable = true;
      const wasStart = atStart;
      atStart = false;
      if (c === 94 && wasStart) {
        this.pos++;
        items.push({ k: K.Assert, a: this.nlanch ? A.BolLine : A.Bol });
        atStart = true;
        continue;
      }
      if (c === 36 && (this.pos + 1 === this.end || (depth > 0 && p.startsWith('\\)', this.pos + 1)))) {
        this.pos++;
        items.push({ k: K.Assert, a: this.nlanch ? A.EolLine : A.Eos });
        continue;
      }
      if (c === 42 && wasStart) {
        this.pos++;
        items.push(this.literal(42));
      } else if (c === 42) {
        this.fail(E.BADRPT);
      } else if (c === 46) {
        this.pos++;
        items.push({ k: K.Set, set: this.nlstop ? CharSet.ALL.minus(CharSet.of(NL)) : CharSet.ALL });
      } else if (c === 91) {
        quantifiable = this.bracket(items);
      } else if (c === 92) {
        if (this.pos + 1 >= this.end) this.fail(E.EESCAPE);
        const d = p.charCodeAt(this.pos + 1);
        this.pos += 2;
        if (d === 40) {
          const n = ++this.nsub;
          this.closed.push(false);
          this.groups.push(seq([]));
          const body = this.breBranch(depth + 1);
          if (!p.startsWith('\\)', this.pos)) this.fail(E.EPAREN);
          this.pos += 2;
          this.closed[n] = true;
          this.groups[n] = body;
          items.push({ k: K.Group, cap: n, body });
        } else if (d === 123) {
          this.fail(E.BADRPT);
        } else if (d === 60 || d === 62) {
          this.info |= U.LOCALE;
          items.push({ k: K.Assert, a: d === 60 ? A.WordStart : A.WordEnd });
          quantifiable = false;
        } else if (d >= 49 && d <= 57) {
          const n = d - 48;
          if (n > this.nsub || !this.closed[n]) this.fail(E.ESUBREG);
          this.info |= U.BACKREF;
          items.push({ k: K.Backref, n });
        } else {
          if (isAlnum(d)) this.info |= U.BSALNUM | U.UNSPEC;
          items.push(this.literal(d));
        }
      } else {
        this.pos++;
        items.push(this.literal(c));
      }
      this.breQuantifier(items, quantifiable);
    }
    if (items.length === 0) this.info |= U.UNSPEC;
    return seq(items);
  }

  private breQuantifier(items: Node[], quantifiable: boolean): void {
    this.skip();
    const p = this.p;
    if (this.ch(this.pos) === 42) {
      if (!quantifiable) this.fail(E.BADRPT);
      this.pos++;
      this.wrapLast(items, 0, INF, LONGER, true);
    } else if (p.startsWith('\\{', this.pos)) {
      if (!quantifiable) this.fail(E.BADRPT);
      this.pos += 2;
      this.info |= U.BOUNDS;
      this.skip();
      const min = this.scanNum();
      let max = min;
      let comma = false;
      if (this.ch(this.pos) === 44) {
        comma = true;
        this.pos++;
        this.skip();
        max = isDigit(this.ch(this.pos)) ? this.scanNum() : INF;
        if (max !== INF && min > max) this.fail(E.BADBR);
      }
      this.skip();
      if (this.pos >= this.end) this.fail(E.EBRACE);
      if (!p.startsWith('\\}', this.pos)) {
        if (this.pos + 1 >= this.end && this.ch(this.pos) === 92) this.fail(E.EBRACE);
        this.fail(E.BADBR);
      }
      this.pos += 2;
      this.wrapLast(items, min, max, comma ? LONGER : 0, true);
    } else {
      return;
    }
    this.skip();
    if (this.ch(this.pos) === 42 || p.startsWith('\\{', this.pos)) this.fail(E.BADRPT);
  }
}

export function parseRegex(pattern: string, flags: number): ParsedRegex {
  return new Parser(pattern, flags).parse();
}
