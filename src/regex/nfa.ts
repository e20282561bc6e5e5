/**
 * Thompson NFAs built from AST fragments. Each subexpression the matcher needs to measure (the whole
 * RE, the pieces of the capture tree, lookahead bodies) gets its own NFA; back references are
 * approximated by a copy of the referenced group, as Tcl's engine does, and checked exactly later.
 */
import { A, INF, K } from './ast.js';
import type { Node } from './ast.js';
import { CharSet } from './charset.js';
import { E, regexError } from './errors.js';

/** Beyond this many states Tcl gives up with "out of memory"; so do we. */
const MAX_STATES = 100000;

export class Nfa {
  readonly nstates: number;
  readonly start: number;
  readonly final: number;
  /** Epsilon targets per state. */
  readonly eps: Int32Array[];
  /** Constraint arcs per state: [kind, target, kind, target, ...]. */
  readonly asserts: Int32Array[];
  /** Lookahead arcs per state: [look index, target, ...]. */
  readonly looks: Int32Array[];
  /** Character arcs per state. */
  readonly charSets: CharSet[][];
  readonly charTargets: Int32Array[];
  /** Lookahead bodies and whether each is negative. */
  readonly lookNfas: Nfa[];
  readonly lookNeg: boolean[];

  constructor(b: NfaBuilder, start: number, final: number) {
    const n = b.count;
    this.nstates = n;
    this.start = start;
    this.final = final;
    this.eps = new Array(n);
    this.asserts = new Array(n);
    this.looks = new Array(n);
    this.charSets = new Array(n);
    this.charTargets = new Array(n);
    for (let s = 0; s < n; s++) {
      this.eps[s] = Int32Array.from(b.eps[s]);
      this.asserts[s] = Int32Array.from(b.asserts[s]);
      this.looks[s] = Int32Array.from(b.looks[s]);
      this.charSets[s] = b.charSets[s];
      this.charTargets[s] = Int32Array.from(b.charTargets[s]);
    }
    this.lookNfas = b.lookNfas;
    this.lookNeg = b.lookNeg;
  }

  hasLooks(): boolean {
    return this.lookNfas.length > 0;
  }
}

class NfaBuilder {
  count = 0;
  eps: number[][] = [];
  asserts: number[][] = [];
  looks: number[][] = [];
  charSets: CharSet[][] = [];
  charTargets: number[][] = [];
  lookNfas: Nfa[] = [];
  lookNeg: boolean[] = [];

  constructor(private readonly groups: readonly Node[]) {}

  state(): number {
    if (this.count >= MAX_STATES) throw regexError(E.ESPACE);
    this.eps.push([]);
    this.asserts.push([]);
    this.looks.push([]);
    this.charSets.push([]);
    this.charTargets.push([]);
    return this.count++;
  }

  /** Build `node` starting at state `from`; returns its end state. */
  frag(node: Node, from: number): number {
    switch (node.k) {
      case K.Set: {
        const to = this.state();
        this.charSets[from].push(node.set);
        this.charTargets[from].push(to);
        return to;
      }
      case K.Seq: {
        // The capture tree nests the rest of a branch as the last item of a Seq; follow that chain
        // with a loop rather than recursion.
        let cur = from;
        let seqNode = node;
        for (;;) {
          const items = seqNode.items;
          const n = items.length;
          for (let i = 0; i < n - 1; i++) cur = this.frag(items[i], cur);
          if (n === 0) return cur;
          const last = items[n - 1];
          if (last.k !== K.Seq) return this.frag(last, cur);
          seqNode = last;
        }
      }
      case K.Alt: {
        const to = this.state();
        for (const b of node.branches) {
          const s = this.state();
          this.eps[from].push(s);
          const e = this.frag(b, s);
          this.eps[e].push(to);
        }
        return to;
      }
      case K.Group:
        return this.frag(node.body, from);
      case K.Quant:
        return this.repeat(node.atom, node.min, node.max, from);
      case K.Backref:
        return this.frag(this.groups[node.n], from);
      case K.Assert: {
        const to = this.state();
        this.asserts[from].push(node.a, to);
        return to;
      }
      case K.Look: {
        const idx = this.lookNfas.length;
        this.lookNfas.push(buildNfa(node.body, this.groups));
        this.lookNeg.push(node.neg);
        const to = this.state();
        this.looks[from].push(idx, to);
        return to;
      }
    }
  }

  private repeat(atom: Node, min: number, max: number, from: number): number {
    let cur = from;
    for (let i = 0; i < min; i++) cur = this.frag(atom, cur);
    if (max === INF) {
      // cur --eps--> loop; loop --atom--> back to loop; loop --eps--> out
      const loop = this.state();
      this.eps[cur].push(loop);
      const e = this.frag(atom, loop);
      this.eps[e].push(loop);
      const out = this.state();
      this.eps[loop].push(out);
      return out;
    }
    if (max === min) {
      if (min === 0) {
        const out = this.state();
        this.eps[cur].push(out);
        return out;
      }
      return cur;
    }
    const out = this.state();
    for (let i = min; i < max; i++) {
      this.eps[cur].push(out);
      cur = this.frag(atom, cur);
    }
    this.eps[cur].push(out);
    return out;
  }
}

export function buildNfa(node: Node, groups: readonly Node[]): Nfa {
  const b = new NfaBuilder(groups);
  const start = b.state();
  const final = b.frag(node, start);
  return new Nfa(b, start, final);
}

// Character categories around a position, for the zero-width constraints.
/** Categories of the character before a position. */
export const P_OTHER = 0;
export const P_WORD = 1;
export const P_NL = 2;
/** The start of the string handed to the matcher. */
export const P_BOS = 3;
/** The start, but the caller said it is not the beginning of a line (Tcl's REG_NOTBOL). */
export const P_NOTBOL = 4;
/** Categories of the character after a position (0..2 as above). */
export const N_EOS = 3;

/** ASSERT_OK[kind * 20 + prev * 4 + next]: whether the constraint holds. */
export const ASSERT_OK = new Uint8Array(9 * 20);
for (let kind = 0; kind < 9; kind++) {
  for (let prev = 0; prev < 5; prev++) {
    for (let next = 0; next < 4; next++) {
      const wp = prev === P_WORD;
      const wn = next === P_WORD;
      let ok: boolean;
      switch (kind as A) {
        case A.Bol: ok = prev === P_BOS; break;
        case A.BolLine: ok = prev === P_BOS || prev === P_NL; break;
        case A.Bos: ok = prev === P_BOS || prev === P_NOTBOL; break;
        case A.Eos: ok = next === N_EOS; break;
        case A.EolLine: ok = next === N_EOS || next === P_NL; break;
        case A.WordStart: ok = !wp && wn; break;
        case A.WordEnd: ok = wp && !wn; break;
        case A.WordBound: ok = wp !== wn; break;
        default: ok = wp === wn; break;
      }
      ASSERT_OK[kind * 20 + prev * 4 + next] = ok ? 1 : 0;
    }
  }
}
