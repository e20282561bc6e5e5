/**
 * rand() and srand(): Tcl's own generator, so a seeded sequence is the one tclsh produces. It is the
 * Park-Miller "minimal standard" generator (multiplier 16807, modulus 2^31-1) computed with
 * Schrage's method; the state is per interpreter.
 */
import type { Interp } from '../engine/interp.js';

const IA = 16807;
const IM = 2147483647;
const IQ = 127773;
const IR = 2836;
const MASK = 123459876;
const KEY = 'tcl::expr::rand';

interface RandState {
  seed: number;
  seeded: boolean;
}

function state(interp: Interp): RandState {
  let s = interp.assoc.get(KEY) as RandState | undefined;
  if (s === undefined) {
    s = { seed: 0, seeded: false };
    interp.assoc.set(KEY, s);
  }
  return s;
}

/** Keep the seed in [1, 2^31-2]: 0 and 2^31-1 are fixed points of the generator. */
function setSeed(s: RandState, seed: number): void {
  s.seed = seed & 0x7fffffff;
  if (s.seed === 0 || s.seed === 0x7fffffff) s.seed ^= MASK;
  s.seeded = true;
}

/** srand(): `seed` is already reduced to its low 31 bits. */
export function randSeed(interp: Interp, seed: number): void {
  setSeed(state(interp), seed);
}

/** The next value in [0, 1). An unseeded generator starts from the clock, as Tcl's does. */
export function randNext(interp: Interp): number {
  const s = state(interp);
  if (!s.seeded) {
    const t = process.hrtime();
    setSeed(s, (t[0] * 1000000 + Math.floor(t[1] / 1000) + (process.pid << 12)) % 0x80000000);
  }
  const tmp = Math.floor(s.seed / IQ);
  let next = IA * (s.seed - tmp * IQ) - IR * tmp;
  if (next < 0) next += IM;
  s.seed = next;
  return next * (1.0 / IM);
}
