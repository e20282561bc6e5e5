/**
 * Compiled Tcl regular expressions: parse once, cache, match with Tcl's rules.
 *
 * Two matchers sit behind one interface. Patterns whose every match is forced character by
 * character (see safety.ts) run on V8's RegExp, translated by jsregex.ts; for them leftmost-first
 * backtracking and Tcl's leftmost-longest rules provably give the same match and submatches. All
 * other patterns run on engine.ts, which implements Tcl's rules directly over lazy DFAs.
 */
import { parseRegex, INFO_NAMES, U, CF } from './parser.js';
import type { ParsedRegex } from './parser.js';
import { buildTree, SubRe } from './tree.js';
import { buildNfa } from './nfa.js';
import { Dfa, MatchCtx } from './dfa.js';
import { TreeMatcher } from './engine.js';
import { A, K, SHORTER } from './ast.js';
import type { Node } from './ast.js';
import { analyzeInfo } from './info.js';
import { E, regexError } from './errors.js';
import { jsEquivalent } from './safety.js';
import { jsSource, usesBol } from './jsregex.js';

export { CF };

export class TclRegex {
  readonly nsub: number;
  private readonly parsed: ParsedRegex;
  private matcher: TreeMatcher | null = null;
  private root: SubRe | null = null;
  private readonly ctx = new MatchCtx();
  private infoBits = -1;
  /** 0 undecided, 1 V8 RegExp, 2 the DFA engine. */
  private mode = 0;
  private readonly jsRe: (RegExp | undefined)[] = [];
  private hasBol = false;

  constructor(parsed: ParsedRegex) {
    this.parsed = parsed;
    this.nsub = parsed.nsub;
  }

  private tree(): SubRe {
    if (this.root === null) this.root = buildTree(this.parsed.ast, this.parsed.groups);
    return this.root;
  }

  private engine(): TreeMatcher {
    if (this.matcher === null) {
      const nfa = buildNfa(this.parsed.ast, this.parsed.groups);
      this.matcher = new TreeMatcher(this.tree(), new Dfa(nfa, false), new Dfa(nfa, true), this.parsed.icase, this.nsub, anchoredAtStart(this.parsed.ast));
    }
    return this.matcher;
  }

  /**
   * Match `str` as Tcl's regexec sees it from `offset` (the code units before it are invisible;
   * `notbol` says ^ may not match there). Fills `pm` with absolute positions when given: two slots per
   * group, whole match first, -1 for groups that did not participate. Returns whether it matched.
   */
  exec(str: string, offset: number, notbol: boolean, pm: Int32Array | null): boolean {
    if (offset > str.length) offset = str.length;
    if (this.mode !== 1) {
      if (this.mode === 0) guardDepth(() => this.decide());
      if (this.mode === 2) {
        const ctx = this.ctx;
        ctx.reset(str, offset, notbol);
        try {
          return this.engine().exec(ctx, pm);
        } catch (e) {
          if (e instanceof RangeError) throw regexError(E.ESPACE);
          throw e;
        }
      }
    }
    const sub = offset === 0 ? str : str.slice(offset);
    const groups = pm !== null && pm.length > 2;
    const re = this.js((notbol && this.hasBol ? 1 : 0) + (groups ? 2 : 0));
    if (re === null) return this.exec(str, offset, notbol, pm);
    let m: RegExpExecArray | null;
    try {
      if (pm === null) return re.test(sub);
      m = re.exec(sub);
    } catch {
      // V8 compiles lazily and may refuse a huge pattern only now (its own recursion limits).
      this.mode = 2;
      return this.exec(str, offset, notbol, pm);
    }
    if (m === null) return false;
    pm[0] = offset + m.index;
    pm[1] = pm[0] + m[0].length;
    if (groups) {
      const ind = m.indices as RegExpIndicesArray;
      const n = Math.min(pm.length >> 1, this.nsub + 1);
      for (let k = 1; k < n; k++) {
        const g = ind[k];
        if (g === undefined) {
          pm[2 * k] = -1;
          pm[2 * k + 1] = -1;
        } else {
          pm[2 * k] = offset + g[0];
          pm[2 * k + 1] = offset + g[1];
        }
      }
      for (let k = n; k < pm.length >> 1; k++) pm[2 * k] = pm[2 * k + 1] = -1;
    }
    return true;
  }

  private decide(): void {
    this.mode = jsEquivalent(this.parsed.ast, this.tree().flags) ? 1 : 2;
    this.hasBol = usesBol(this.parsed.ast);
  }

  /** The V8 translation; variant bit 1: not at beginning of line, bit 2: with group indices. */
  private js(variant: number): RegExp | null {
    let re = this.jsRe[variant];
    if (re === undefined) {
      try {
        re = new RegExp(jsSource(this.parsed.ast, (variant & 1) !== 0), (variant & 2) !== 0 ? 'd' : '');
      } catch {
        // V8 refuses some huge patterns (its own recursion limits): the engine takes them.
        this.mode = 2;
        return null;
      }
      this.jsRe[variant] = re;
    }
    return re;
  }

  /** Run this pattern on the DFA engine even if V8 could (differential tests use it). */
  useEngine(): this {
    this.mode = 2;
    return this;
  }

  /** Which matcher runs this pattern (for tests and diagnostics). */
  matcherKind(): 'js' | 'engine' {
    if (this.mode === 0) this.decide();
    return this.mode === 1 ? 'js' : 'engine';
  }

  /** `regexp -about`: the group count and the names of the noted properties. */
  about(): [number, string[]] {
    if (this.infoBits < 0) {
      let bits = this.parsed.info | analyzeInfo(this.parsed.ast, this.parsed.groups);
      if ((this.tree().flags & SHORTER) !== 0) bits |= U.SHORTEST;
      this.infoBits = bits;
    }
    const names: string[] = [];
    for (let i = 0; i < INFO_NAMES.length; i++) if ((this.infoBits & (1 << i)) !== 0) names.push(INFO_NAMES[i]);
    return [this.nsub, names];
  }
}

/**
 * Run a recursive phase, turning stack exhaustion on absurdly nested patterns into Tcl's
 * "out of memory" compile error instead of a host exception.
 */
function guardDepth<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw regexError(E.ESPACE);
    throw e;
  }
}

/** Whether every match must begin with a (non-line-mode) ^. */
function anchoredAtStart(node: Node): boolean {
  switch (node.k) {
    case K.Seq:
      for (const item of node.items) {
        if (item.k === K.Assert) {
          if (item.a === A.Bol) return true;
          continue;
        }
        if (item.k === K.Look) continue;
        return anchoredAtStart(item);
      }
      return false;
    case K.Alt:
      return node.branches.every(anchoredAtStart);
    case K.Group:
      return anchoredAtStart(node.body);
    case K.Assert:
      return node.a === A.Bol;
    default:
      return false;
  }
}

/** Tcl keeps the most recent regexps compiled; so do we, per flag combination. */
const CACHE_SIZE = 64;
const caches: Map<string, TclRegex>[] = [];
const newest: (TclRegex | undefined)[] = [];

export function compileRegex(pattern: string, flags: number): TclRegex {
  let cache = caches[flags];
  if (cache === undefined) cache = caches[flags] = new Map();
  let re = cache.get(pattern);
  if (re !== undefined) {
    if (re !== newest[flags]) {
      // Move to the young end of the LRU order.
      cache.delete(pattern);
      cache.set(pattern, re);
      newest[flags] = re;
    }
    return re;
  }
  re = new TclRegex(guardDepth(() => parseRegex(pattern, flags)));
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, re);
  newest[flags] = re;
  return re;
}
