/**
 * Tcl's matching rules, implemented over the lazy DFAs: the leftmost match, made as long (or as
 * short) as the whole RE prefers, then dissected along the capture tree — each concatenation split
 * as far right (or left) as its left part prefers, alternatives tried in order, iterations matched
 * greedily without empty iterations unless they are needed, back references compared exactly with
 * backtracking over the other choices.
 */
import { INF, SHORTER } from './ast.js';
import { Dfa, MatchCtx } from './dfa.js';
import { BACKR, CAP, Op, SubRe } from './tree.js';
import { sameIgnoringCase } from './unicode.js';

export class TreeMatcher {
  private readonly search: Dfa;
  private readonly whole: Dfa;
  private readonly shorter: boolean;
  private readonly backrefs: boolean;
  private pm: Int32Array = new Int32Array(2);
  private ctx: MatchCtx = new MatchCtx();

  constructor(
    private readonly root: SubRe,
    wholeDfa: Dfa,
    searchDfa: Dfa,
    private readonly icase: boolean,
    private readonly nsub: number,
    /** Every match starts with ^ (not -lineanchor): only the start position can match. */
    private readonly anchored: boolean,
  ) {
    this.whole = wholeDfa;
    this.search = searchDfa;
    this.shorter = (root.flags & SHORTER) !== 0;
    this.backrefs = (root.flags & BACKR) !== 0;
  }

  /**
   * Match in ctx from ctx.start. With pm null only the existence of a match is decided; otherwise
   * pm (2 slots per group, group 0 the whole match) receives the positions, -1 for unset.
   */
  exec(ctx: MatchCtx, pm: Int32Array | null): boolean {
    this.ctx = ctx;
    if (this.backrefs) {
      // Back references need every group's position, whatever the caller asked for.
      const full = pm !== null && pm.length >= 2 * (this.nsub + 1) ? pm : new Int32Array(2 * (this.nsub + 1));
      if (!this.cfind(ctx, full)) return false;
      if (pm !== null && pm !== full) pm.set(full.subarray(0, pm.length));
      return true;
    }
    let close: number;
    let cold: number;
    if (this.anchored) {
      if (ctx.notbol) return false;
      close = cold = ctx.start;
    } else {
      close = this.search.searchEnd(ctx, ctx.start);
      if (close < 0) return false;
      if (pm === null) return true;
      cold = this.search.cold;
    }
    let begin = cold;
    let end = -1;
    for (; begin <= close; begin++) {
      end = this.shorter ? this.whole.shortest(ctx, begin, begin, ctx.stop) : this.whole.longest(ctx, begin, ctx.stop);
      if (end >= 0) break;
    }
    if (end < 0) return false;
    if (pm === null) return true;
    pm.fill(-1);
    pm[0] = begin;
    pm[1] = end;
    if (pm.length > 2) {
      this.pm = pm;
      this.dissect(this.root, begin, end);
    }
    return true;
  }

  /** Matching with back references: candidate ends are verified by dissection, longest first. */
  private cfind(ctx: MatchCtx, pm: Int32Array): boolean {
    this.pm = pm;
    const stop = ctx.stop;
    let close = ctx.start;
    do {
      let open: number;
      if (this.anchored) {
        if (ctx.notbol) return false;
        open = close = ctx.start;
      } else {
        close = this.search.searchEnd(ctx, close);
        if (close < 0) return false;
        open = this.search.cold;
      }
      for (let begin = open; begin <= close; begin++) {
        let estart = begin;
        let estop = stop;
        for (;;) {
          const end = this.shorter ? this.whole.shortest(ctx, begin, estart, estop) : this.whole.longest(ctx, begin, estop);
          if (end < 0) break;
          pm.fill(-1);
          if (this.dissect(this.root, begin, end)) {
            pm[0] = begin;
            pm[1] = end;
            return true;
          }
          if (this.shorter) {
            if (end === estop) break;
            estart = end + 1;
          } else {
            if (end === begin) break;
            estop = end - 1;
          }
        }
      }
      if (this.anchored) return false;
      close++;
    } while (close <= stop);
    return false;
  }

  private dissect(t: SubRe, begin: number, end: number): boolean {
    // Without back references a subtree with no captures has nothing to report and cannot fail.
    if ((t.flags & (CAP | BACKR)) === 0) return true;
    if (!this.backrefs) {
      // Walk a chain of concatenations splitting off the left part each time (no backtracking
      // is ever needed here, and long branches would otherwise recurse deeply).
      while (t.op === Op.Concat) {
        const mid = this.split(t, begin, end);
        if (mid < 0) return false;
        if (!this.dissect(t.left as SubRe, begin, mid)) return false;
        t = t.right as SubRe;
        begin = mid;
        if ((t.flags & CAP) === 0) return true;
      }
    }
    switch (t.op) {
      case Op.Leaf:
        return true;
      case Op.Backref:
        return this.backref(t, begin, end);
      case Op.Concat:
        return ((t.left as SubRe).flags & SHORTER) !== 0 ? this.revConcat(t, begin, end) : this.concat(t, begin, end);
      case Op.Alt:
        return this.alt(t, begin, end);
      case Op.Iter:
        return ((t.left as SubRe).flags & SHORTER) !== 0 ? this.revIter(t, begin, end) : this.iter(t, begin, end);
      case Op.Cap: {
        const ok = this.dissect(t.left as SubRe, begin, end);
        if (ok && t.subno < this.pm.length >> 1) {
          this.pm[2 * t.subno] = begin;
          this.pm[2 * t.subno + 1] = end;
        }
        return ok;
      }
    }
  }

  private zap(t: SubRe | null): void {
    // Iterative along the right spine (long branches nest there).
    while (t !== null) {
      if ((t.flags & CAP) === 0) return;
      if (t.op === Op.Cap && t.subno < this.pm.length >> 1) {
        this.pm[2 * t.subno] = -1;
        this.pm[2 * t.subno + 1] = -1;
      }
      this.zap(t.left);
      if (t.alts !== null) for (const a of t.alts) this.zap(a);
      t = t.right;
    }
  }

  /** Where the DFAs say a concatenation divides (Tcl's preferred split); -1 if nowhere. */
  private split(t: SubRe, begin: number, end: number): number {
    const l = t.left as SubRe;
    const dl = l.dfa();
    const dr = (t.right as SubRe).dfa();
    const ctx = this.ctx;
    if ((l.flags & SHORTER) !== 0) {
      for (let mid = dl.shortest(ctx, begin, begin, end); mid >= 0; mid = mid === end ? -1 : dl.shortest(ctx, begin, mid + 1, end)) {
        if (dr.longest(ctx, mid, end) === end) return mid;
      }
      return -1;
    }
    for (let mid = dl.longest(ctx, begin, end); mid >= 0; mid = mid === begin ? -1 : dl.longest(ctx, begin, mid - 1)) {
      if (dr.longest(ctx, mid, end) === end) return mid;
    }
    return -1;
  }

  private concat(t: SubRe, begin: number, end: number): boolean {
    const l = t.left as SubRe;
    const r = t.right as SubRe;
    const dl = l.dfa();
    const dr = r.dfa();
    const ctx = this.ctx;
    let mid = dl.longest(ctx, begin, end);
    if (mid < 0) return false;
    for (;;) {
      if (dr.longest(ctx, mid, end) === end) {
        if (this.dissect(l, begin, mid) && this.dissect(r, mid, end)) return true;
      }
      if (mid === begin) return false;
      mid = dl.longest(ctx, begin, mid - 1);
      if (mid < 0) return false;
      this.zap(l);
      this.zap(r);
    }
  }

  private revConcat(t: SubRe, begin: number, end: number): boolean {
    const l = t.left as SubRe;
    const r = t.right as SubRe;
    const dl = l.dfa();
    const dr = r.dfa();
    const ctx = this.ctx;
    let mid = dl.shortest(ctx, begin, begin, end);
    if (mid < 0) return false;
    for (;;) {
      if (dr.longest(ctx, mid, end) === end) {
        if (this.dissect(l, begin, mid) && this.dissect(r, mid, end)) return true;
      }
      if (mid === end) return false;
      mid = dl.shortest(ctx, begin, mid + 1, end);
      if (mid < 0) return false;
      this.zap(l);
      this.zap(r);
    }
  }

  private alt(t: SubRe, begin: number, end: number): boolean {
    for (const b of t.alts as SubRe[]) {
      if (b.dfa().longest(this.ctx, begin, end) === end && this.dissect(b, begin, end)) return true;
    }
    return false;
  }

  private backref(t: SubRe, begin: number, end: number): boolean {
    const n = t.subno;
    const pm = this.pm;
    if (2 * n >= pm.length || pm[2 * n] < 0) return false;
    const so = pm[2 * n];
    const len = pm[2 * n + 1] - so;
    const min = t.min;
    const max = t.max;
    if (len === 0) return begin === end;
    if (begin === end) return min === 0;
    const tlen = end - begin;
    if (tlen % len !== 0) return false;
    const reps = tlen / len;
    if (reps < min || (max !== INF && reps > max)) return false;
    const s = this.ctx.str;
    for (let p = begin; p < end; p += len) {
      for (let i = 0; i < len; i++) {
        const a = s.charCodeAt(so + i);
        const b = s.charCodeAt(p + i);
        if (a !== b && !(this.icase && sameIgnoringCase(a, b))) return false;
      }
    }
    return true;
  }

  /** Greedy iteration: each iteration as long as possible, no empty ones unless needed for min. */
  private iter(t: SubRe, begin: number, end: number): boolean {
    let minM = t.min;
    if (minM <= 0) {
      if (begin === end) return true;
      minM = 1;
    }
    let maxM = end - begin;
    if (t.max !== INF && maxM > t.max) maxM = t.max;
    if (maxM < minM) maxM = minM;
    const ends = new Int32Array(maxM + 1);
    ends[0] = begin;
    const atom = t.left as SubRe;
    const d = atom.dfa();
    const ctx = this.ctx;
    let verified = 0;
    let k = 1;
    let limit = end;
    while (k > 0) {
      let backtrack = false;
      const e = d.longest(ctx, ends[k - 1], limit);
      if (e < 0) {
        k--;
        backtrack = true;
      } else {
        ends[k] = e;
        if (verified >= k) verified = k - 1;
        if (e !== end) {
          if (k >= maxM) {
            k--;
            backtrack = true;
          } else if (e === ends[k - 1] && (k >= minM || minM - k < end - e)) {
            backtrack = true;
          } else {
            k++;
            limit = end;
            continue;
          }
        } else if (k < minM) {
          backtrack = true;
        } else {
          let i = verified + 1;
          for (; i <= k; i++) {
            this.zap(atom);
            if (!this.dissect(atom, ends[i - 1], ends[i])) break;
            verified = i;
          }
          if (i > k) return true;
          k = i;
          backtrack = true;
        }
      }
      if (backtrack) {
        while (k > 0) {
          const prevEnd = ends[k - 1];
          if (ends[k] > prevEnd) {
            limit = ends[k] - 1;
            if (limit > prevEnd || (k < minM && minM - k >= end - prevEnd)) break;
          }
          k--;
        }
      }
    }
    return false;
  }

  /** Non-greedy iteration: each iteration as short as possible. */
  private revIter(t: SubRe, begin: number, end: number): boolean {
    let minM = t.min;
    if (minM <= 0) {
      if (begin === end) return true;
      minM = 1;
    }
    let maxM = end - begin;
    if (t.max !== INF && maxM > t.max) maxM = t.max;
    if (maxM < minM) maxM = minM;
    const ends = new Int32Array(maxM + 1);
    ends[0] = begin;
    const atom = t.left as SubRe;
    const d = atom.dfa();
    const ctx = this.ctx;
    let verified = 0;
    let k = 1;
    let limit = begin;
    while (k > 0) {
      if (limit === ends[k - 1] && limit !== end && (k >= minM || minM - k < end - limit)) limit++;
      if (k >= maxM) limit = end;
      let backtrack = false;
      const e = d.shortest(ctx, ends[k - 1], limit, end);
      if (e < 0) {
        k--;
        backtrack = true;
      } else {
        ends[k] = e;
        if (verified >= k) verified = k - 1;
        if (e !== end) {
          if (k >= maxM) {
            k--;
            backtrack = true;
          } else {
            k++;
            limit = ends[k - 1];
            continue;
          }
        } else if (k < minM) {
          backtrack = true;
        } else {
          let i = verified + 1;
          for (; i <= k; i++) {
            this.zap(atom);
            if (!this.dissect(atom, ends[i - 1], ends[i])) break;
            verified = i;
          }
          if (i > k) return true;
          k = i;
          backtrack = true;
        }
      }
      if (backtrack) {
        while (k > 0) {
          if (ends[k] < end) {
            limit = ends[k] + 1;
            break;
          }
          k--;
        }
      }
    }
    return false;
  }
}
