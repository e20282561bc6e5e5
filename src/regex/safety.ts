/**
 * When may V8's backtracking RegExp stand in for Tcl's matcher?
 *
 * Tcl picks the leftmost match, makes it as long (or short) as the RE prefers, then splits it into
 * submatches by preference rules; a backtracking engine takes the first match its search order finds.
 * Both agree whenever the pattern is *deterministic*: for any text, at most one way through the
 * pattern consumes it (every character decides which atom it belongs to), so the submatches follow
 * from the overall match; and the only remaining choice, where to stop, is ordered the same way —
 * greedy quantifiers when Tcl prefers the longest match, non-greedy ones when it prefers the shortest.
 *
 * The test is the classical one for deterministic regular expressions, on the Glushkov (position)
 * automaton: the first positions, and the followers of every position, must have pairwise disjoint
 * character sets, and no position may follow another in two different ways. On top of that:
 * no back references (their JS semantics differ), no quantified atom that can match the empty string
 * (iteration rules for empty matches differ), no alternative that can be empty (its order would
 * decide where to stop).
 *
 * A second, independent sufficient condition covers the common `a.*b`, `^(.*)$`, `x.*?y`: a pattern
 * with a single variable quantifier over a fixed-width atom, everything else of fixed width. Every
 * match from a given start is then fixed by the iteration count, greedy search finds the largest
 * feasible count first and lazy search the smallest, which is what Tcl's preference picks.
 */
import { INF, K, LONGER, SHORTER } from './ast.js';
import type { Node } from './ast.js';
import type { CharSet } from './charset.js';

/** Give up (not safe) beyond this many positions after expanding counted repetitions. */
const MAX_POSITIONS = 20000;

class NotSafe {}
const NOT_SAFE = new NotSafe();

interface Frag {
  first: number[];
  last: number[];
  nullable: boolean;
}

class Glushkov {
  readonly sets: CharSet[] = [];
  readonly follow: Set<number>[] = [];
  quantifierGreedy = 0;
  quantifierLazy = 0;

  private pos(set: CharSet): number {
    if (this.sets.length >= MAX_POSITIONS) throw NOT_SAFE;
    this.sets.push(set);
    this.follow.push(new Set());
    return this.sets.length - 1;
  }

  private link(from: readonly number[], to: readonly number[]): void {
    for (const p of from) {
      const f = this.follow[p];
      for (const q of to) {
        if (f.has(q)) throw NOT_SAFE; // q follows p in two ways: ambiguous
        f.add(q);
      }
    }
  }

  build(node: Node): Frag {
    switch (node.k) {
      case K.Set: {
        const p = this.pos(node.set);
        return { first: [p], last: [p], nullable: false };
      }
      case K.Assert:
      case K.Look:
        return { first: [], last: [], nullable: true };
      case K.Backref:
        throw NOT_SAFE;
      case K.Group:
        return this.build(node.body);
      case K.Seq: {
        let acc: Frag = { first: [], last: [], nullable: true };
        for (const item of node.items) acc = this.concat(acc, this.build(item));
        return acc;
      }
      case K.Alt: {
        const out: Frag = { first: [], last: [], nullable: false };
        for (const b of node.branches) {
          const f = this.build(b);
          if (f.nullable) throw NOT_SAFE;
          out.first.push(...f.first);
          out.last.push(...f.last);
        }
        return out;
      }
      case K.Quant: {
        const { atom, min, max } = node;
        if (max === 0) return { first: [], last: [], nullable: true };
        if (min !== max) {
          if (node.greedy) this.quantifierGreedy++;
          else this.quantifierLazy++;
        }
        if (min === 1 && max === 1) return this.build(atom);
        let acc: Frag = { first: [], last: [], nullable: true };
        for (let i = 0; i < min; i++) acc = this.concat(acc, this.nonEmpty(atom));
        if (max === INF) {
          const f = this.nonEmpty(atom);
          this.link(f.last, f.first);
          return this.concat(acc, { first: f.first, last: f.last, nullable: true });
        }
        for (let i = min; i < max; i++) {
          const f = this.nonEmpty(atom);
          acc = this.concat(acc, { first: f.first, last: f.last, nullable: true });
        }
        return acc;
      }
    }
  }

  private nonEmpty(atom: Node): Frag {
    const f = this.build(atom);
    if (f.nullable) throw NOT_SAFE;
    return f;
  }

  private concat(a: Frag, b: Frag): Frag {
    this.link(a.last, b.first);
    return {
      first: a.nullable ? [...a.first, ...b.first] : a.first,
      last: b.nullable ? [...a.last, ...b.last] : b.last,
      nullable: a.nullable && b.nullable,
    };
  }

  disjoint(ps: Iterable<number>): boolean {
    const list = [...ps];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (this.sets[list[i]].intersects(this.sets[list[j]])) return false;
      }
    }
    return true;
  }
}

/** Width of every match of the node, or -1 if it varies; counts the variable quantifiers seen. */
class Widths {
  choices = 0;
  greedy = false;
  ok = true;

  width(node: Node): number {
    switch (node.k) {
      case K.Set:
        return 1;
      case K.Assert:
      case K.Look:
        return 0;
      case K.Backref:
        this.ok = false;
        return -1;
      case K.Group:
        return this.width(node.body);
      case K.Seq: {
        let w = 0;
        for (const item of node.items) {
          const x = this.width(item);
          w = w < 0 || x < 0 ? -1 : w + x;
        }
        return w;
      }
      case K.Alt: {
        let w = -2;
        for (const b of node.branches) {
          const x = this.width(b);
          if (x < 0 || (w !== -2 && x !== w)) this.ok = false;
          w = x;
        }
        return w;
      }
      case K.Quant: {
        const a = this.width(node.atom);
        if (node.max === node.min) {
          if (a >= 0) return a * node.min;
          // A variable atom repeated: several choices, unless it appears at most once.
          if (node.min > 1) this.ok = false;
          return node.min === 0 ? 0 : -1;
        }
        if (a < 1) this.ok = false;
        this.choices++;
        this.greedy = node.greedy;
        return -1;
      }
    }
  }
}

/** The single-variable-quantifier condition (see the top of this file). */
function singleChoice(ast: Node, rootFlags: number): boolean {
  const w = new Widths();
  w.width(ast);
  if (!w.ok || w.choices > 1) return false;
  if (w.choices === 0) return true;
  return w.greedy ? (rootFlags & LONGER) !== 0 : (rootFlags & SHORTER) !== 0;
}

/**
 * Whether a backtracking engine finds exactly Tcl's match and submatches for this pattern.
 * `rootFlags` carries the whole RE's preference (LONGER, SHORTER or neither).
 */
export function jsEquivalent(ast: Node, rootFlags: number): boolean {
  if (singleChoice(ast, rootFlags)) return true;
  const g = new Glushkov();
  let root: Frag;
  try {
    root = g.build(ast);
  } catch (e) {
    if (e === NOT_SAFE) return false;
    throw e;
  }
  if ((rootFlags & SHORTER) !== 0 ? g.quantifierGreedy > 0 : g.quantifierLazy > 0) return false;
  if ((rootFlags & (LONGER | SHORTER)) === 0 && g.quantifierLazy > 0) return false;
  if (!g.disjoint(root.first)) return false;
  for (const f of g.follow) if (f.size > 1 && !g.disjoint(f)) return false;
  return true;
}
