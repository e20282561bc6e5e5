/**
 * The two `regexp -about` properties that depend on what the RE can match: REG_UEMPTYMATCH (it can
 * match an empty string) and REG_UIMPOSSIBLE (it cannot match anything). Decided on the NFA with
 * characters abstracted to the three categories the constraints can tell apart.
 */
import type { Node } from './ast.js';
import { CharSet } from './charset.js';
import { ASSERT_OK, buildNfa, N_EOS, P_NL, P_OTHER, P_WORD, Nfa } from './nfa.js';
import { U } from './parser.js';
import { classSet } from './unicode.js';

function closure(nfa: Nfa, from: number, prev: number, next: number, looks: boolean): Set<number> {
  const seen = new Set<number>([from]);
  const stack = [from];
  while (stack.length > 0) {
    const s = stack.pop() as number;
    const go = (t: number) => {
      if (!seen.has(t)) {
        seen.add(t);
        stack.push(t);
      }
    };
    for (const t of nfa.eps[s]) go(t);
    const as = nfa.asserts[s];
    for (let i = 0; i < as.length; i += 2) if (ASSERT_OK[as[i] * 20 + prev * 4 + next] === 1) go(as[i + 1]);
    const ls = nfa.looks[s];
    if (looks) for (let i = 0; i < ls.length; i += 2) go(ls[i + 1]);
  }
  return seen;
}

export function analyzeInfo(ast: Node, groups: readonly Node[]): number {
  const nfa = buildNfa(ast, groups);
  let bits = 0;
  for (let prev = 0; prev < 5 && bits === 0; prev++) {
    for (let next = 0; next < 4; next++) {
      // Tcl does not count a path through a lookahead as an empty match.
      if (closure(nfa, nfa.start, prev, next, false).has(nfa.final)) {
        bits |= U.EMPTYMATCH;
        break;
      }
    }
  }
  if (bits !== 0) return bits;
  const word = classSet('word');
  const nl = CharSet.of(10);
  const catSets = [CharSet.ALL.minus(word).minus(nl), word, nl];
  const seen = new Set<number>();
  const work: number[] = [];
  const visit = (s: number, prev: number) => {
    const key = s * 8 + prev;
    if (!seen.has(key)) {
      seen.add(key);
      work.push(key);
    }
  };
  for (let prev = 0; prev < 5; prev++) visit(nfa.start, prev);
  while (work.length > 0) {
    const key = work.pop() as number;
    const s = Math.floor(key / 8);
    const prev = key % 8;
    for (let next = 0; next <= N_EOS; next++) {
      const c = closure(nfa, s, prev, next, true);
      if (c.has(nfa.final)) return 0;
      if (next === N_EOS) continue;
      for (const q of c) {
        const sets = nfa.charSets[q];
        for (let j = 0; j < sets.length; j++) {
          if (sets[j].intersects(catSets[next])) visit(nfa.charTargets[q][j], next === 0 ? P_OTHER : next === 1 ? P_WORD : P_NL);
        }
      }
    }
  }
  return U.IMPOSSIBLE;
}
