/**
 * `string map`: at each position the first key (in mapping order) that matches there is replaced
 * and scanning resumes after it. Candidate keys are found through a table of their first
 * characters. Long strings whose characters and keys all fit in Latin-1 (V8 stores those one byte per
 * character) are mapped over bytes instead: the same scan over a private copy, native searches and
 * copies, and one string made at the end, which is several times faster than building the result
 * from JS pieces. The plan for a mapping value is cached per value, so a literal mapping in a loop is
 * prepared once. -nocase matches a regex alternation against the lower-cased text.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { lowerString } from './caseMap.js';

interface MapPlan {
  /** Usable keys (non-empty, first occurrence of each), in mapping order, and their values. */
  keys: string[];
  values: string[];
  /**
   * Candidate keys by first character: the first key index for a character below 256 (-1: none) or
   * from `firstWide` for wider ones, then a chain through `next`, in mapping order.
   */
  first: Int32Array;
  firstWide: Map<number, number> | null;
  next: Int32Array;
  /** Alternation of the (lower-cased) keys, for -nocase. */
  re: RegExp | null;
  /** Replacement for a matched key text (-nocase). */
  lookup: Map<string, string> | null;
  /** Latin-1 encodings for the byte path; null when a key or value has a wider character. */
  bytes: ByteTables | null;
}

interface ByteTables {
  /** Every key and value is one byte: a translation table (-1: unchanged), applied in place. */
  translate: Int16Array | null;
  keys: Buffer[];
  values: Buffer[];
}

const planCache = new WeakMap<TclObj, MapPlan>();
const nocasePlanCache = new WeakMap<TclObj, MapPlan>();

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;
const NON_LATIN1 = /[^\x00-\xff]/;
/** Below this length the regex path wins over setting up buffers. */
const BYTE_PATH_MIN = 2048;

function escapeRegex(s: string): string {
  return s.replace(REGEX_SPECIAL, '\\$&');
}

function byteTables(keys: readonly string[], values: readonly string[]): ByteTables | null {
  for (const k of keys) if (NON_LATIN1.test(k)) return null;
  for (const v of values) if (NON_LATIN1.test(v)) return null;
  const kb = keys.map((k) => Buffer.from(k, 'latin1'));
  const vb = values.map((v) => Buffer.from(v, 'latin1'));
  let translate: Int16Array | null = null;
  if (kb.every((k) => k.length === 1) && vb.every((v) => v.length === 1)) {
    translate = new Int16Array(256).fill(-1);
    for (let k = 0; k < kb.length; k++) translate[kb[k][0]] = vb[k][0];
  }
  return { translate, keys: kb, values: vb };
}

function buildPlan(items: readonly TclObj[], nocase: boolean): MapPlan {
  const lookup = new Map<string, string>();
  const keys: string[] = [];
  const values: string[] = [];
  for (let i = 0; i < items.length; i += 2) {
    let k = items[i].toString();
    if (k.length === 0) continue;
    if (nocase) k = lowerString(k);
    if (lookup.has(k)) continue;
    const v = items[i + 1].toString();
    lookup.set(k, v);
    keys.push(k);
    values.push(v);
  }
  const first = new Int32Array(256).fill(-1);
  const next = new Int32Array(keys.length).fill(-1);
  let firstWide: Map<number, number> | null = null;
  for (let k = keys.length - 1; k >= 0; k--) {
    const c = keys[k].charCodeAt(0);
    if (c < 256) {
      next[k] = first[c];
      first[c] = k;
    } else {
      if (firstWide === null) firstWide = new Map();
      next[k] = firstWide.get(c) ?? -1;
      firstWide.set(c, k);
    }
  }
  const re = nocase && keys.length > 0 ? new RegExp(keys.map(escapeRegex).join('|'), 'g') : null;
  const bytes = nocase || keys.length === 0 ? null : byteTables(keys, values);
  return { keys, values, first, firstWide, next, re, lookup: nocase ? lookup : null, bytes };
}

function planFor(mapping: TclObj, nocase: boolean): MapPlan | null {
  const cache = nocase ? nocasePlanCache : planCache;
  let plan = cache.get(mapping);
  if (plan !== undefined) return plan;
  const items = getList(mapping);
  if (items.length === 0) return null;
  if (items.length % 2 !== 0) throw new TclError('char map list unbalanced', 'TCL OPERATION MAP UNBALANCED');
  plan = buildPlan(items, nocase);
  cache.set(mapping, plan);
  return plan;
}

function grow(out: Buffer, used: number, need: number): Buffer {
  // allocUnsafe may hand out pooled memory; the copy keeps only what was written.
  const nb = Buffer.allocUnsafe(Math.max(need, out.length * 2));
  out.copy(nb, 0, 0, used);
  return nb;
}

/** One-byte keys to one-byte values: patch the (private) copy of the text in place. */
function translateBytes(src: Buffer, t: ByteTables): string | null {
  const table = t.translate!;
  const n = src.length;
  let changed = false;
  let i = 0;
  if (t.keys.length === 1) {
    // Sparse matches: jump with the native search, until they prove dense enough for a plain scan.
    const key = t.keys[0][0];
    const value = t.values[0][0];
    let count = 0;
    for (i = src.indexOf(key, 0); i >= 0; i = src.indexOf(key, i + 1)) {
      src[i] = value;
      changed = true;
      if (++count >= 256 && i < count * 32) break;
    }
    if (i < 0) return changed ? src.toString('latin1') : null;
  }
  for (; i < n; i++) {
    const v = table[src[i]];
    if (v >= 0) {
      src[i] = v;
      changed = true;
    }
  }
  return changed ? src.toString('latin1') : null;
}

/** One single-byte key: jump between occurrences with the native search. */
function mapOneByte(src: Buffer, key: number, value: Buffer): string | null {
  const n = src.length;
  let j = src.indexOf(key, 0);
  if (j < 0) return null;
  const vl = value.length;
  let out: Buffer = Buffer.allocUnsafe(n + 64);
  let o = 0;
  let last = 0;
  while (j >= 0) {
    const len = j - last;
    if (o + len + vl + (n - j) > out.length) out = grow(out, o, o + len + vl + (n - j));
    // Short stretches are cheaper to copy here than through a native call.
    if (len > 48) o += src.copy(out, o, last, j);
    else for (let q = last; q < j; q++) out[o++] = src[q];
    for (let q = 0; q < vl; q++) out[o++] = value[q];
    last = j + 1;
    j = src.indexOf(key, last);
  }
  if (o + (n - last) > out.length) out = grow(out, o, o + (n - last));
  o += src.copy(out, o, last, n);
  return out.toString('latin1', 0, o);
}

/** Any keys: one pass over the bytes with a first-byte table. */
function mapBytes(src: Buffer, t: ByteTables, first: Int32Array, next: Int32Array): string | null {
  const n = src.length;
  const { keys, values } = t;
  let out: Buffer | null = null;
  let o = 0;
  let i = 0;
  let last = 0;
  while (i < n) {
    let k = first[src[i]];
    if (k < 0) {
      i++;
      continue;
    }
    let m = -1;
    while (k >= 0) {
      const key = keys[k];
      const kl = key.length;
      if (kl === 1) {
        m = k;
        break;
      }
      if (i + kl <= n) {
        let q = 1;
        while (q < kl && src[i + q] === key[q]) q++;
        if (q === kl) {
          m = k;
          break;
        }
      }
      k = next[k];
    }
    if (m < 0) {
      i++;
      continue;
    }
    if (out === null) out = Buffer.allocUnsafe(n + 64);
    const v = values[m];
    const vl = v.length;
    const len = i - last;
    if (o + len + vl + (n - i) > out.length) out = grow(out, o, o + len + vl + (n - i));
    if (len > 48) o += src.copy(out, o, last, i);
    else for (let q = last; q < i; q++) out[o++] = src[q];
    for (let q = 0; q < vl; q++) out[o++] = v[q];
    i += keys[m].length;
    last = i;
  }
  if (out === null) return null;
  if (o + (n - last) > out.length) out = grow(out, o, o + (n - last));
  o += src.copy(out, o, last, n);
  return out.toString('latin1', 0, o);
}

/** Any keys over a JS string: scan with the first-character tables, build from slices. */
function mapChars(s: string, plan: MapPlan): string | null {
  const { keys, values, first, firstWide, next } = plan;
  const n = s.length;
  let out = '';
  let last = 0;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    let k = c < 256 ? first[c] : firstWide === null ? -1 : (firstWide.get(c) ?? -1);
    if (k < 0) {
      i++;
      continue;
    }
    let m = -1;
    while (k >= 0) {
      const key = keys[k];
      if (key.length === 1 || s.startsWith(key, i)) {
        m = k;
        break;
      }
      k = next[k];
    }
    if (m < 0) {
      i++;
      continue;
    }
    out += s.slice(last, i) + values[m];
    i += keys[m].length;
    last = i;
  }
  return last === 0 ? null : out + s.slice(last);
}

/** Apply `string map ?-nocase? mapping` to `source`; returns the source value itself when nothing changes. */
export function stringMap(mapping: TclObj, source: TclObj, nocase: boolean): TclObj {
  const plan = planFor(mapping, nocase);
  if (plan === null) return source;
  const s = source.toString();
  if (s.length === 0) return TclObj.EMPTY;
  const count = plan.keys.length;
  if (count === 0) return source;
  if (!nocase) {
    const bytes = plan.bytes;
    if (bytes !== null && s.length >= BYTE_PATH_MIN && !NON_LATIN1.test(s)) {
      const src = Buffer.from(s, 'latin1');
      const r =
        bytes.translate !== null ? translateBytes(src, bytes)
        : count === 1 && bytes.keys[0].length === 1 ? mapOneByte(src, bytes.keys[0][0], bytes.values[0])
        : mapBytes(src, bytes, plan.first, plan.next);
      return r === null ? source : TclObj.fromString(r);
    }
    if (count === 1) {
      const key = plan.keys[0];
      if (s.indexOf(key) < 0) return source;
      return TclObj.fromString(s.split(key).join(plan.values[0]));
    }
    const r = mapChars(s, plan);
    return r === null ? source : TclObj.fromString(r);
  }
  // Case-insensitive: match on the lower-cased text (Tcl compares lower-cased characters, one for
  // one, so positions line up) and copy unmatched stretches from the original.
  const lowered = lowerString(s);
  const re = plan.re!;
  const lookup = plan.lookup!;
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(lowered)) !== null) {
    out += s.slice(last, m.index) + lookup.get(m[0])!;
    last = m.index + m[0].length;
  }
  if (last === 0) return source;
  return TclObj.fromString(out + s.slice(last));
}
