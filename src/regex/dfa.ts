/**
 * Lazily built DFAs over an NFA: the measuring tools of Tcl's matching rules. `longest` and
 * `shortest` find where a subexpression starting at a given point can end; `search` finds the
 * earliest end of any match and a bound on where the leftmost match can start. Every answer uses
 * the real characters on both sides of the span, exactly as the constraints require.
 *
 * A DFA state is a set of NFA states reached by consuming the previous character, plus the category
 * of that character (the constraints ^ \m \y ... need it). Transitions are cached per code unit; a
 * state whose closure passes a lookahead is position dependent and is recomputed each time.
 */
import { Nfa, ASSERT_OK, P_BOS, P_NOTBOL, P_NL, P_WORD, P_OTHER, N_EOS } from './nfa.js';
import { isWordChar } from './unicode.js';
import { CharSet } from './charset.js';

/** The string being matched and how its ends look to the constraints. */
export class MatchCtx {
  str = '';
  /** Where the matcher's view of the string starts (Tcl's -start offset). */
  start = 0;
  /** One past the last code unit. */
  stop = 0;
  notbol = false;

  reset(str: string, start: number, notbol: boolean): void {
    this.str = str;
    this.start = start;
    this.stop = str.length;
    this.notbol = notbol;
  }

  prevCat(p: number): number {
    if (p === this.start) return this.notbol ? P_NOTBOL : P_BOS;
    return charCat(this.str.charCodeAt(p - 1));
  }

  nextCat(p: number): number {
    if (p === this.stop) return N_EOS;
    return charCat(this.str.charCodeAt(p));
  }
}

export function charCat(c: number): number {
  if (c === 10) return P_NL;
  return isWordChar(c) ? P_WORD : P_OTHER;
}

class DState {
  /** Cached transitions for code units below 128; undefined = not computed yet. */
  readonly ascii: (DState | undefined)[] = new Array(128);
  other: Map<number, DState> | null = null;
  /** Acceptance by category of the next character, one bit each; -1 until computed. */
  accMask = -1;
  /** The closure passed a lookahead: answers depend on the position, never cache them. */
  volatile = false;
  constructor(
    readonly kernel: Int32Array,
    readonly prev: number,
    readonly dead: boolean,
  ) {}
}

/** Bound on cached states per DFA; past it the cache is dropped and rebuilt as needed. */
const MAX_CACHED_STATES = 4096;

export class Dfa {
  private states = new Map<string, DState>();
  private readonly starts: (DState | undefined)[] = new Array(5);
  // Scratch for closure computation.
  private readonly mark: Int32Array;
  private gen = 0;
  private readonly stack: Int32Array;
  private readonly closure: Int32Array;
  private closureLen = 0;
  private touchedLook = false;
  private lookDfas: Dfa[] | null = null;
  /** After search(): lower bound for the leftmost match start. */
  cold = 0;
  private first: FirstChars | null | undefined = undefined;

  /**
   * @param search re-inject the start state at every position (finds matches starting anywhere).
   */
  constructor(
    readonly nfa: Nfa,
    private readonly search: boolean,
  ) {
    const n = nfa.nstates;
    this.mark = new Int32Array(n);
    this.stack = new Int32Array(n);
    this.closure = new Int32Array(n);
  }

  private startState(prev: number): DState {
    let s = this.starts[prev];
    if (s === undefined) {
      s = this.intern(this.search ? new Int32Array(0) : Int32Array.of(this.nfa.start), prev);
      this.starts[prev] = s;
    }
    return s;
  }

  private intern(kernel: Int32Array, prev: number): DState {
    const key = kernel.join(',') + '|' + prev;
    let s = this.states.get(key);
    if (s === undefined) {
      if (this.states.size >= MAX_CACHED_STATES) {
        this.states = new Map();
        this.starts.fill(undefined);
      }
      s = new DState(kernel, prev, kernel.length === 0 && !this.search);
      this.states.set(key, s);
    }
    return s;
  }

  /** Epsilon closure of the state's kernel given the categories around position p. */
  private computeClosure(st: DState, next: number, p: number, ctx: MatchCtx): void {
    const nfa = this.nfa;
    const mark = this.mark;
    const stack = this.stack;
    const out = this.closure;
    let gen = ++this.gen;
    if (gen === 0x3fffffff) {
      mark.fill(0);
      gen = this.gen = 1;
    }
    let sp = 0;
    let n = 0;
    const kernel = st.kernel;
    for (let i = 0; i < kernel.length; i++) {
      const s = kernel[i];
      if (mark[s] !== gen) {
        mark[s] = gen;
        stack[sp++] = s;
      }
    }
    if (this.search && mark[nfa.start] !== gen) {
      mark[nfa.start] = gen;
      stack[sp++] = nfa.start;
    }
    const assertBase = st.prev * 4 + next;
    this.touchedLook = false;
    while (sp > 0) {
      const s = stack[--sp];
      out[n++] = s;
      const eps = nfa.eps[s];
      for (let i = 0; i < eps.length; i++) {
        const t = eps[i];
        if (mark[t] !== gen) {
          mark[t] = gen;
          stack[sp++] = t;
        }
      }
      const as = nfa.asserts[s];
      for (let i = 0; i < as.length; i += 2) {
        const t = as[i + 1];
        if (mark[t] !== gen && ASSERT_OK[as[i] * 20 + assertBase] === 1) {
          mark[t] = gen;
          stack[sp++] = t;
        }
      }
      const ls = nfa.looks[s];
      if (ls.length > 0) {
        this.touchedLook = true;
        for (let i = 0; i < ls.length; i += 2) {
          const t = ls[i + 1];
          if (mark[t] !== gen && this.lookahead(ls[i], p, ctx)) {
            mark[t] = gen;
            stack[sp++] = t;
          }
        }
      }
    }
    this.closureLen = n;
  }

  private lookahead(idx: number, p: number, ctx: MatchCtx): boolean {
    if (this.lookDfas === null) this.lookDfas = this.nfa.lookNfas.map((l) => new Dfa(l, false));
    const found = this.lookDfas[idx].longest(ctx, p, ctx.stop) >= 0;
    return found !== this.nfa.lookNeg[idx];
  }

  /** Whether the state accepts at position p (a match may end there). */
  private accepts(st: DState, p: number, ctx: MatchCtx): boolean {
    if (!st.volatile) {
      let m = st.accMask;
      if (m < 0) m = this.computeMask(st, p, ctx);
      if (!st.volatile) return m !== 0 && ((m >> ctx.nextCat(p)) & 1) === 1;
    }
    this.computeClosure(st, ctx.nextCat(p), p, ctx);
    return this.closureHasFinal();
  }

  private computeMask(st: DState, p: number, ctx: MatchCtx): number {
    let m = 0;
    for (let next = 0; next < 4; next++) {
      this.computeClosure(st, next, p, ctx);
      if (this.touchedLook) {
        st.volatile = true;
        return 0;
      }
      if (this.closureHasFinal()) m |= 1 << next;
    }
    st.accMask = m;
    return m;
  }

  private closureHasFinal(): boolean {
    const fin = this.nfa.final;
    const out = this.closure;
    for (let i = 0; i < this.closureLen; i++) if (out[i] === fin) return true;
    return false;
  }

  private step(st: DState, c: number, p: number, ctx: MatchCtx): DState {
    if (!st.volatile) {
      if (c < 128) {
        const t = st.ascii[c];
        if (t !== undefined) return t;
      } else if (st.other !== null) {
        const t = st.other.get(c);
        if (t !== undefined) return t;
      }
    }
    const cat = charCat(c);
    this.computeClosure(st, cat, p, ctx);
    const nfa = this.nfa;
    const targets: number[] = [];
    const out = this.closure;
    for (let i = 0; i < this.closureLen; i++) {
      const s = out[i];
      const sets = nfa.charSets[s];
      if (sets.length === 0) continue;
      const tg = nfa.charTargets[s];
      for (let j = 0; j < sets.length; j++) {
        if (sets[j].has(c)) targets.push(tg[j]);
      }
    }
    const volatile = this.touchedLook;
    targets.sort((a, b) => a - b);
    let w = 0;
    for (let i = 0; i < targets.length; i++) if (i === 0 || targets[i] !== targets[i - 1]) targets[w++] = targets[i];
    targets.length = w;
    const next = this.intern(Int32Array.from(targets), cat);
    if (volatile) {
      st.volatile = true;
    } else if (c < 128) {
      st.ascii[c] = next;
    } else {
      if (st.other === null) st.other = new Map();
      st.other.set(c, next);
    }
    return next;
  }

  /** The largest e in [begin, stop] such that the NFA matches exactly [begin, e); -1 if none. */
  longest(ctx: MatchCtx, begin: number, stop: number): number {
    const str = ctx.str;
    let st = this.startState(ctx.prevCat(begin));
    let best = -1;
    for (let p = begin; ; p++) {
      if (this.accepts(st, p, ctx)) best = p;
      if (p >= stop) break;
      st = this.step(st, str.charCodeAt(p), p, ctx);
      if (st.dead) break;
    }
    return best;
  }

  /** The smallest e in [min, max] such that the NFA matches exactly [begin, e); -1 if none. */
  shortest(ctx: MatchCtx, begin: number, min: number, max: number): number {
    const str = ctx.str;
    let st = this.startState(ctx.prevCat(begin));
    for (let p = begin; ; p++) {
      if (p >= min && this.accepts(st, p, ctx)) return p;
      if (p >= max) break;
      st = this.step(st, str.charCodeAt(p), p, ctx);
      if (st.dead) break;
    }
    return -1;
  }

  /**
   * Search DFA only: the earliest end of any match starting at or after `from`, or -1. Sets `cold`
   * to a position no later than the leftmost start of such a match.
   */
  searchEnd(ctx: MatchCtx, from: number): number {
    const str = ctx.str;
    const stop = ctx.stop;
    if (this.first === undefined) this.first = firstChars(this.nfa);
    const first = this.first;
    let st = this.startState(ctx.prevCat(from));
    this.cold = from;
    for (let p = from; ; p++) {
      if (st.kernel.length === 0) {
        if (first !== null) {
          // No match in progress and none can be empty: jump to where one could start.
          const q = first.next(str, p, stop);
          if (q < 0) return -1;
          if (q > p) {
            p = q;
            st = this.startState(ctx.prevCat(p));
          }
        }
        this.cold = p;
      }
      if (this.accepts(st, p, ctx)) return p;
      if (p >= stop) return -1;
      st = this.step(st, str.charCodeAt(p), p, ctx);
    }
  }
}

/** Where a match could start: the characters that can begin one (when no match is empty). */
class FirstChars {
  private readonly ascii = new Uint8Array(128);
  constructor(
    private readonly set: CharSet,
    private readonly single: string | null,
  ) {
    for (let c = 0; c < 128; c++) this.ascii[c] = set.has(c) ? 1 : 0;
  }

  /** The first q in [p, stop) holding a possible first character, or -1. */
  next(str: string, p: number, stop: number): number {
    if (this.single !== null) return str.indexOf(this.single, p);
    const ascii = this.ascii;
    for (let q = p; q < stop; q++) {
      const c = str.charCodeAt(q);
      if (c < 128 ? ascii[c] === 1 : this.set.has(c)) return q;
    }
    return -1;
  }
}

/** First characters of the NFA's matches, or null if it can match the empty string. */
function firstChars(nfa: Nfa): FirstChars | null {
  const seen = new Set<number>([nfa.start]);
  const stack = [nfa.start];
  let set = CharSet.EMPTY;
  while (stack.length > 0) {
    const s = stack.pop() as number;
    if (s === nfa.final) return null;
    const next = (t: number) => {
      if (!seen.has(t)) {
        seen.add(t);
        stack.push(t);
      }
    };
    for (const t of nfa.eps[s]) next(t);
    const as = nfa.asserts[s];
    for (let i = 1; i < as.length; i += 2) next(as[i]);
    const ls = nfa.looks[s];
    for (let i = 1; i < ls.length; i += 2) next(ls[i]);
    for (const cs of nfa.charSets[s]) set = set.union(cs);
  }
  const c = set.single();
  return new FirstChars(set, c >= 0 ? String.fromCharCode(c) : null);
}
