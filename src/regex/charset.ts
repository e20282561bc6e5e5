/**
 * Sets of UTF-16 code units (0..0xFFFF), kept as sorted, disjoint, non-adjacent inclusive ranges.
 * Tcl 8.6 regexps see strings as 16-bit units, as JavaScript does, so one set covers every character
 * the engine can meet; a set is immutable once built.
 */

export const MAX_CHAR = 0xffff;

export class CharSet {
  /** Flat [lo0, hi0, lo1, hi1, ...], sorted and merged. */
  readonly r: readonly number[];

  private constructor(r: number[]) {
    this.r = r;
  }

  static readonly EMPTY = new CharSet([]);
  static readonly ALL = new CharSet([0, MAX_CHAR]);

  static of(c: number): CharSet {
    return new CharSet([c, c]);
  }

  /** From raw, possibly overlapping [lo, hi] pairs. */
  static fromPairs(pairs: number[]): CharSet {
    const n = pairs.length >> 1;
    if (n === 0) return CharSet.EMPTY;
    const idx = new Array<number>(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    idx.sort((a, b) => pairs[2 * a] - pairs[2 * b]);
    const out: number[] = [];
    for (const i of idx) {
      const lo = pairs[2 * i];
      const hi = pairs[2 * i + 1];
      if (hi < lo) continue;
      const last = out.length - 1;
      if (last > 0 && lo <= out[last] + 1) {
        if (hi > out[last]) out[last] = hi;
      } else {
        out.push(lo, hi);
      }
    }
    return new CharSet(out);
  }

  static fromChars(chars: Iterable<number>): CharSet {
    const pairs: number[] = [];
    for (const c of chars) pairs.push(c, c);
    return CharSet.fromPairs(pairs);
  }

  has(c: number): boolean {
    const r = this.r;
    let lo = 0;
    let hi = (r.length >> 1) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (c < r[2 * mid]) hi = mid - 1;
      else if (c > r[2 * mid + 1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  isEmpty(): boolean {
    return this.r.length === 0;
  }

  /** Number of code units in the set. */
  size(): number {
    let n = 0;
    for (let i = 0; i < this.r.length; i += 2) n += this.r[i + 1] - this.r[i] + 1;
    return n;
  }

  /** The single member, or -1. */
  single(): number {
    return this.r.length === 2 && this.r[0] === this.r[1] ? this.r[0] : -1;
  }

  union(o: CharSet): CharSet {
    if (o.r.length === 0) return this;
    if (this.r.length === 0) return o;
    return CharSet.fromPairs([...this.r, ...o.r]);
  }

  complement(): CharSet {
    const out: number[] = [];
    let next = 0;
    for (let i = 0; i < this.r.length; i += 2) {
      if (this.r[i] > next) out.push(next, this.r[i] - 1);
      next = this.r[i + 1] + 1;
    }
    if (next <= MAX_CHAR) out.push(next, MAX_CHAR);
    return new CharSet(out);
  }

  minus(o: CharSet): CharSet {
    return this.intersect(o.complement());
  }

  intersect(o: CharSet): CharSet {
    const a = this.r;
    const b = o.r;
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const lo = Math.max(a[i], b[j]);
      const hi = Math.min(a[i + 1], b[j + 1]);
      if (lo <= hi) out.push(lo, hi);
      if (a[i + 1] < b[j + 1]) i += 2;
      else j += 2;
    }
    return new CharSet(out);
  }

  intersects(o: CharSet): boolean {
    const a = this.r;
    const b = o.r;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      if (Math.max(a[i], b[j]) <= Math.min(a[i + 1], b[j + 1])) return true;
      if (a[i + 1] < b[j + 1]) i += 2;
      else j += 2;
    }
    return false;
  }

  equals(o: CharSet): boolean {
    if (this.r.length !== o.r.length) return false;
    for (let i = 0; i < this.r.length; i++) if (this.r[i] !== o.r[i]) return false;
    return true;
  }

  /** Decode a base-36 range list (see unicode-gen.tcl): pairs of gap and length-1. */
  static decode(data: string): CharSet {
    const out: number[] = [];
    if (data.length === 0) return CharSet.EMPTY;
    const parts = data.split(',');
    let prevEnd = 0;
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const lo = prevEnd + parseInt(parts[i], 36);
      const hi = lo + parseInt(parts[i + 1], 36);
      out.push(lo, hi);
      prevEnd = hi + 1;
    }
    return new CharSet(out);
  }
}
