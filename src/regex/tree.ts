/**
 * The capture tree Tcl's engine dissects a match with. Its shape decides which of several possible
 * submatch assignments Tcl reports, so it is built by the same rules as Tcl's: runs of atoms with no
 * captures, back references or conflicting preferences stay in one leaf; anything "messy" splits the
 * branch into (prefix leaf) . (quantified atom . rest of branch); x{m,n} with captures becomes
 * x{m-1,n-1} . x (captures only in the last copy), x{0,n} an iteration node; and the preference
 * flags combine as re_syntax(n) describes (the first quantified atom with a preference wins).
 */
import { INF, K, LONGER, SHORTER, seq } from './ast.js';
import type { Node, QuantNode } from './ast.js';
import { buildNfa } from './nfa.js';
import { Dfa } from './dfa.js';

export const MIXED = 4;
export const CAP = 8;
export const BACKR = 16;
const LOCAL = LONGER | SHORTER;

export const enum Op {
  Leaf,
  Concat,
  Alt,
  Iter,
  Cap,
  Backref,
}

function up(f: number): number {
  return (f & ~LOCAL) | ((f & LONGER) !== 0 && (f & SHORTER) !== 0 ? MIXED : 0);
}
function messy(f: number): boolean {
  return (f & (MIXED | CAP | BACKR)) !== 0;
}
function pref(f: number): number {
  return f & LOCAL;
}
function combine(f1: number, f2: number): number {
  return up(f1 | f2) | (pref(f1) !== 0 ? pref(f1) : pref(f2));
}

export class SubRe {
  left: SubRe | null = null;
  right: SubRe | null = null;
  alts: SubRe[] | null = null;
  subno = 0;
  min = 1;
  max = 1;
  private dfaCache: Dfa | null = null;

  constructor(
    public op: Op,
    public flags: number,
    /** The language of this node, for its NFA. */
    public frag: Node,
    private readonly groups: readonly Node[],
  ) {}

  dfa(): Dfa {
    if (this.dfaCache === null) this.dfaCache = new Dfa(buildNfa(this.frag, this.groups), false);
    return this.dfaCache;
  }
}

class TreeBuilder {
  constructor(private readonly groups: readonly Node[]) {}

  private node(op: Op, flags: number, frag: Node): SubRe {
    return new SubRe(op, flags, frag, this.groups);
  }

  /** The contents of a group or the whole RE: an alternation or one branch. */
  regex(node: Node): SubRe {
    if (node.k !== K.Alt) return this.branch(node.k === K.Seq ? node.items : [node], 0);
    let flags = LONGER;
    const alts: SubRe[] = [];
    for (const b of node.branches) {
      const t = this.branch(b.items, 0);
      alts.push(t);
      flags |= LONGER | up(LONGER | t.flags);
    }
    if (!messy(flags)) return this.node(Op.Leaf, flags, node);
    const t = this.node(Op.Alt, flags, node);
    t.alts = alts;
    return t;
  }

  /**
   * One branch. Tcl builds it recursively (each messy atom splits off the rest of the branch);
   * this builds the same right-leaning chain with a loop, so long patterns cannot exhaust the stack.
   */
  private branch(items: readonly Node[], from: number): SubRe {
    // Each split contributes: the leaf before the messy atom, and the node t = (quantified atom . rest).
    const prefixes: SubRe[] = [];
    const ts: SubRe[] = [];
    const topFlagsAt: number[] = [];
    let top: Node[] = [];
    let topFlags = 0;
    for (let i = from; i < items.length; i++) {
      const item = items[i];
      let atom = item;
      let m = 1;
      let n = 1;
      let qprefer = 0;
      if (item.k === K.Quant) {
        atom = item.atom;
        m = item.min;
        n = item.max;
        qprefer = item.pref;
      }
      if (atom.k === K.Assert || atom.k === K.Look) {
        top.push(item);
        continue;
      }
      if (m === 0 && n === 0) {
        // x{0}: the atom (and any capture in it) vanishes.
        continue;
      }
      let atomTree: SubRe | null = null;
      let isCap = false;
      let isBackref = false;
      if (atom.k === K.Group) {
        const inner = this.regex(atom.body);
        if (atom.cap > 0) {
          isCap = true;
          atomTree = this.node(Op.Cap, inner.flags | CAP, atom.body);
          atomTree.subno = atom.cap;
          atomTree.left = inner;
        } else {
          atomTree = inner;
        }
      } else if (atom.k === K.Backref) {
        isBackref = true;
        atomTree = this.node(Op.Backref, BACKR, atom);
        atomTree.subno = atom.n;
      }
      const f = topFlags | qprefer | (atomTree !== null ? atomTree.flags : 0);
      if (!isCap && !isBackref && !messy(up(f))) {
        top.push(item);
        topFlags = f;
        continue;
      }
      // Something messy: split the branch here.
      if (atomTree === null) atomTree = this.node(Op.Leaf, 0, atom);
      prefixes.push(this.node(Op.Leaf, topFlags, seq(top)));
      topFlagsAt.push(topFlags);
      const t = this.node(Op.Concat, combine(qprefer, atomTree.flags), atom);
      let q: SubRe;
      if (isBackref) {
        atomTree.min = m;
        atomTree.max = n;
        atomTree.flags |= combine(qprefer, atomTree.flags);
        atomTree.frag = quant(atom, m, n);
        q = atomTree;
      } else if (m === 1 && n === 1) {
        q = atomTree;
      } else if (m > 0 && (atomTree.flags & BACKR) === 0) {
        const f2 = combine(qprefer, atomTree.flags);
        q = this.node(Op.Concat, f2, quant(atom, m, n));
        q.left = this.node(Op.Leaf, pref(f2), quant(atom, m - 1, n === INF ? INF : n - 1));
        q.right = atomTree;
      } else {
        q = this.node(Op.Iter, combine(qprefer, atomTree.flags), quant(atom, m, n));
        q.min = m;
        q.max = n;
        q.left = atomTree;
      }
      t.left = q;
      ts.push(t);
      // The rest of the branch starts afresh, as Tcl's recursive call does.
      top = [];
      topFlags = 0;
    }
    // Fold from the end: the innermost rest is the final leaf (or an empty one after a messy atom).
    let rest = this.node(Op.Leaf, topFlags, seq(top));
    for (let k = ts.length - 1; k >= 0; k--) {
      const t = ts[k];
      const q = t.left as SubRe;
      t.right = rest;
      t.frag = seq([q.frag, rest.frag]);
      t.flags |= combine(t.flags, rest.flags);
      const tf = topFlagsAt[k];
      const root = this.node(Op.Concat, tf | combine(tf, t.flags), seq([prefixes[k].frag, t.frag]));
      root.left = prefixes[k];
      root.right = t;
      rest = root;
    }
    return rest;
  }
}

function quant(atom: Node, min: number, max: number): QuantNode {
  return { k: K.Quant, atom, min, max, pref: 0, greedy: true };
}

export function buildTree(ast: Node, groups: readonly Node[]): SubRe {
  return new TreeBuilder(groups).regex(ast);
}
