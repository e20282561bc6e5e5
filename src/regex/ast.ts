/**
 * The parsed form of a Tcl regular expression. Every flavour (ARE, ERE, BRE, literal) parses into
 * these few node kinds; flags such as -nocase and -linestop are already applied (character sets
 * carry their case variants and lose "\n" where Tcl's newline-sensitive rules say so).
 */
import type { CharSet } from './charset.js';

export const enum K {
  /** One code unit from a set (a literal is a one-element set). */
  Set = 0,
  /** Concatenation. */
  Seq = 1,
  /** Alternation; each branch is a Seq. */
  Alt = 2,
  /** Parentheses: cap > 0 is a capturing group's number, 0 a non-capturing group. */
  Group = 3,
  /** A quantified atom. */
  Quant = 4,
  /** Back reference \N. */
  Backref = 5,
  /** Zero-width constraint (^ $ \A \Z \m \M \y \Y). */
  Assert = 6,
  /** Lookahead constraint (?=...) or (?!...). */
  Look = 7,
}

/** Constraint kinds; their truth depends on the characters before and after the position. */
export const enum A {
  /** ^ without -lineanchor: the start of the string, unless the caller said "not at BOL". */
  Bol = 0,
  /** ^ with -lineanchor: as Bol, or just after a newline. */
  BolLine = 1,
  /** \A: the start of the string, always. */
  Bos = 2,
  /** $ without -lineanchor, and \Z: the end of the string. */
  Eos = 3,
  /** $ with -lineanchor: the end of the string or just before a newline. */
  EolLine = 4,
  /** \m: start of a word. */
  WordStart = 5,
  /** \M: end of a word. */
  WordEnd = 6,
  /** \y: either. */
  WordBound = 7,
  /** \Y: neither. */
  NotBound = 8,
}

export const LONGER = 1;
export const SHORTER = 2;

export interface SetNode {
  k: K.Set;
  set: CharSet;
}
export interface SeqNode {
  k: K.Seq;
  items: Node[];
}
export interface AltNode {
  k: K.Alt;
  branches: SeqNode[];
}
export interface GroupNode {
  k: K.Group;
  cap: number;
  body: Node;
}
export interface QuantNode {
  k: K.Quant;
  atom: Node;
  min: number;
  /** -1 for no upper bound. */
  max: number;
  /** Tcl's preference: LONGER (greedy), SHORTER (non-greedy) or 0 for {m}, which passes the atom's through. */
  pref: number;
  greedy: boolean;
}
export interface BackrefNode {
  k: K.Backref;
  n: number;
}
export interface AssertNode {
  k: K.Assert;
  a: A;
}
export interface LookNode {
  k: K.Look;
  neg: boolean;
  body: Node;
}

export type Node = SetNode | SeqNode | AltNode | GroupNode | QuantNode | BackrefNode | AssertNode | LookNode;

export const INF = -1;

export function seq(items: Node[]): SeqNode {
  return { k: K.Seq, items };
}
