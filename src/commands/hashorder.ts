/**
 * Tcl's hash-table iteration order, reproduced. `array names`, `array get` and array searches list
 * elements in the order of Tcl's string hash table (tclHash.c): hash `h = h*9 + byte` over the
 * key's UTF-8 bytes (Tcl's modified UTF-8, NUL as C0 80), four buckets to start, entries pushed on
 * the head of their bucket's chain, and a rebuild to four times the buckets whenever the table holds
 * three entries per bucket (chains re-pushed bucket by bucket, head first). Scripts that print an
 * array without sorting it see that order, so we replay the insertions to get the same one.
 *
 * The replay assumes the keys were inserted in the order given and never deleted; after deletions
 * Tcl's table may have more buckets than the replay (its size never shrinks), so the order can
 * differ for arrays that once were larger.
 */

/** Tcl's hash of a string (HashVarKey / TclHashObjKey / HashStringKey agree on it). */
export function tclStringHash(s: string): number {
  let h = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80 && c !== 0) {
      h = (Math.imul(h, 9) + c) >>> 0;
      continue;
    }
    if (c === 0) {
      h = (Math.imul(h, 9) + 0xc0) >>> 0;
      h = (Math.imul(h, 9) + 0x80) >>> 0;
    } else if (c < 0x800) {
      h = (Math.imul(h, 9) + (0xc0 | (c >> 6))) >>> 0;
      h = (Math.imul(h, 9) + (0x80 | (c & 0x3f))) >>> 0;
    } else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          h = (Math.imul(h, 9) + (0xf0 | (c >> 18))) >>> 0;
          h = (Math.imul(h, 9) + (0x80 | ((c >> 12) & 0x3f))) >>> 0;
          h = (Math.imul(h, 9) + (0x80 | ((c >> 6) & 0x3f))) >>> 0;
          h = (Math.imul(h, 9) + (0x80 | (c & 0x3f))) >>> 0;
          continue;
        }
      }
      h = (Math.imul(h, 9) + (0xe0 | (c >> 12))) >>> 0;
      h = (Math.imul(h, 9) + (0x80 | ((c >> 6) & 0x3f))) >>> 0;
      h = (Math.imul(h, 9) + (0x80 | (c & 0x3f))) >>> 0;
    }
  }
  return h;
}

/** Bucket chains of a replayed table: heads[b] is the first entry, next[i] the one after entry i. */
interface Table {
  heads: Int32Array;
  next: Int32Array;
}

function replay(keys: readonly string[]): Table {
  const n = keys.length;
  const hashes = new Uint32Array(n);
  const next = new Int32Array(n);
  let size = 4;
  let mask = 3;
  let rebuildAt = 12;
  let heads = new Int32Array(size).fill(-1);
  for (let i = 0; i < n; i++) {
    const h = tclStringHash(keys[i]);
    hashes[i] = h;
    const b = h & mask;
    next[i] = heads[b];
    heads[b] = i;
    if (i + 1 >= rebuildAt) {
      const old = heads;
      size *= 4;
      rebuildAt *= 4;
      mask = (mask << 2) | 3;
      heads = new Int32Array(size).fill(-1);
      for (let ob = 0; ob < old.length; ob++) {
        let e = old[ob];
        while (e >= 0) {
          const after = next[e];
          const nb = hashes[e] & mask;
          next[e] = heads[nb];
          heads[nb] = e;
          e = after;
        }
      }
    }
  }
  return { heads, next };
}

/** Indexes of `keys` (given in insertion order) in the order Tcl's hash table would list them. */
export function tclHashOrder(keys: readonly string[]): number[] {
  const n = keys.length;
  if (n <= 1) return n === 0 ? [] : [0];
  const { heads, next } = replay(keys);
  const out = new Array<number>(n);
  let k = 0;
  for (let b = 0; b < heads.length; b++) {
    for (let e = heads[b]; e >= 0; e = next[e]) out[k++] = e;
  }
  return out;
}

/** The text of Tcl_HashStats for a table holding `keys`. */
export function tclHashStats(keys: readonly string[]): string {
  const { heads, next } = replay(keys);
  const n = keys.length;
  const counts = new Array<number>(10).fill(0);
  let overflow = 0;
  let average = 0;
  for (let b = 0; b < heads.length; b++) {
    let j = 0;
    for (let e = heads[b]; e >= 0; e = next[e]) j++;
    if (j < 10) counts[j]++;
    else overflow++;
    if (n !== 0) average += ((j + 1) * (j / n)) / 2;
  }
  let s = `${n} entries in table, ${heads.length} buckets\n`;
  for (let i = 0; i < 10; i++) s += `number of buckets with ${i} entries: ${counts[i]}\n`;
  s += `number of buckets with 10 or more entries: ${overflow}\n`;
  s += `average search distance for entry: ${fixed1(average)}`;
  return s;
}

/** printf("%.1f"): like toFixed(1) but exact ties go to the even digit. */
function fixed1(v: number): string {
  const scaled = v * 10;
  const lo = Math.floor(scaled);
  if (scaled - lo === 0.5 && lo % 2 === 0) return (lo / 10).toFixed(1);
  return v.toFixed(1);
}
