/**
 * lsort, and the element comparisons lsearch shares with it: Tcl's -dictionary order, numeric keys
 * with Tcl's conversion errors, and `-index` paths (encoded as TclIndexEncode does, so `end-N`
 * resolves against each sublist).
 *
 * The sort is Tcl's own merge sort (elements merged into bins of doubling size, earlier elements on
 * the left), so `-command` sees the same comparisons in the same order as tclsh and `-unique` keeps
 * the last of equal elements. Numeric keys (other than integers beyond 2^53) take a stable radix
 * sort instead: the same result, no comparator calls.
 */
import { TclObj, Rep, intObj } from '../values/obj.js';
import { TclError, withErrorContext } from '../values/error.js';
import { getList } from '../values/list.js';
import { getIndex } from '../values/indexes.js';
import { numericRep, parseNumber, parsedInt, parsedBadOctal, getInt32 } from '../values/number.js';
import { lowerChar, lowerString } from '../values/glob.js';
import { OK, ERROR } from '../engine/codes.js';
import { wrongNumArgs, getIndexFromTable } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';

// ------------------------------------------------------------------ -index encoding

/** Encoded `end` (TCL_INDEX_END): end-N is END-N, end+N is END+N. */
export const INDEX_END = -2;
/** Encoded index before the first element of any list. */
export const INDEX_BEFORE = -1;
/** Encoded index after the last element of any list. */
export const INDEX_AFTER = 2147483647;

const INT_MIN = -2147483648;
const UINT_MAX = 4294967295;

/** Tcl_GetIntFromObj without an error: 32-bit value (magnitudes up to 2^32-1 wrap), or null. */
function plainInt32(o: TclObj): number | null {
  let v: number;
  if (o.t === Rep.Int) v = o.n;
  else if (o.t === Rep.Big || o.t === Rep.Double) return null;
  else {
    if (parseNumber(o.toString()) !== Rep.Int) return null;
    v = parsedInt;
  }
  if (v > UINT_MAX || v < -UINT_MAX) return null;
  return v | 0;
}

/**
 * TclIndexEncode: an index that does not depend on a list's length, so one `-index` value serves
 * every sublist. Negative absolute indices become INDEX_BEFORE, end+N (N > 0) INDEX_AFTER.
 */
export function indexEncode(o: TclObj): number {
  let v = plainInt32(o);
  if (v === null) {
    const s = o.toString();
    if (s.length > 0 && s.charCodeAt(0) === 101 /* e */ && isEndForm(s)) {
      const off = getIndex(o, 0);
      if (off > 0) return INDEX_AFTER;
      if (off < INT_MIN - INDEX_END) return INDEX_BEFORE;
      return off + INDEX_END;
    }
    v = getIndex(o, 0) | 0;
  }
  if (v < 0) return INDEX_BEFORE;
  if (v === INDEX_AFTER) return INDEX_AFTER;
  return v;
}

function isEndForm(s: string): boolean {
  return s.startsWith('end') || s === 'e' || s === 'en';
}

/** TclIndexDecode: an encoded index against a list whose last index is `end`. */
export function indexDecode(enc: number, end: number): number {
  return enc <= INDEX_END ? enc - INDEX_END + end : enc;
}

/**
 * The `-index` option of lsort and lsearch: a list of indices, each checked now (Tcl reports which
 * item failed in errorInfo) and rejected when it can select nothing from any list.
 */
export function parseIndexOption(o: TclObj): number[] {
  const items = getList(o);
  const out = new Array<number>(items.length);
  for (let j = 0; j < items.length; j++) {
    let enc: number;
    try {
      enc = indexEncode(items[j]);
      if (enc === INDEX_BEFORE || enc === INDEX_AFTER) {
        throw new TclError(`index "${items[j].toString()}" cannot select an element from any list`, 'TCL VALUE INDEXOUTOFRANGE');
      }
    } catch (e) {
      if (e instanceof TclError) throw withErrorContext(e, `\n    (-index option item number ${j})`);
      throw e;
    }
    out[j] = enc;
  }
  return out;
}

/** SelectObjFromSublist: follow encoded indices into nested lists. */
export function selectFromSublist(o: TclObj, indexv: readonly number[]): TclObj {
  for (let i = 0; i < indexv.length; i++) {
    const items = getList(o);
    const index = indexDecode(indexv[i], items.length - 1);
    if (index < 0 || index >= items.length) {
      throw new TclError(`element ${index} missing from sublist "${o.toString()}"`, 'TCL OPERATION LSORT INDEXFAILED');
    }
    o = items[index];
  }
  return o;
}

// ------------------------------------------------------------------ keys

const TWO64 = 1n << 64n;
const TWO63 = 1n << 63n;

/** TclGetWideIntFromObj as lsort/lsearch report it (errorCode TCL VALUE NUMBER). */
export function wideKey(o: TclObj): number | bigint {
  const t = o.t === Rep.Int ? Rep.Int : numericRep(o);
  if (t === Rep.Int) return o.n;
  if (t === Rep.Big) {
    let v = o.r as bigint;
    if (v >= TWO64 || v <= -TWO64) {
      throw new TclError('integer value too large to represent', 'ARITH IOVERFLOW {integer value too large to represent}');
    }
    // Values in [2^63, 2^64) wrap, as a 64-bit conversion does.
    if (v >= TWO63) v -= TWO64;
    else if (v < -TWO63) v += TWO64;
    const small = Number(v);
    return Number.isSafeInteger(small) ? small : v;
  }
  throw new TclError(`expected integer but got "${o.toString()}"`, 'TCL VALUE NUMBER');
}

/** Tcl_GetDoubleFromObj: NaN is refused; an invalid octal-looking word says so. */
export function doubleKey(o: TclObj): number {
  const t = o.t === Rep.Double || o.t === Rep.Int ? o.t : numericRep(o);
  let d: number;
  if (t === Rep.Double || t === Rep.Int) d = o.n;
  else if (t === Rep.Big) d = Number(o.r as bigint);
  else {
    const hint = parsedBadOctal ? ' (looks like invalid octal number)' : '';
    throw new TclError(`expected floating-point number but got "${o.toString()}"${hint}`, 'TCL VALUE NUMBER');
  }
  if (d !== d) throw new TclError('floating point value is Not a Number', 'TCL VALUE DOUBLE NAN');
  return d;
}

/** TclUtfCmp: code-unit order. */
export function asciiCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** TclUtfCasecmp. */
export function asciiCaseCompare(a: string, b: string): number {
  return asciiCompare(lowerString(a), lowerString(b));
}

// Unicode letter case of a code unit: 0 unknown, 1 neither, 2 upper (Lu), 3 lower (Ll).
const CASE_CLASS = new Uint8Array(65536);
const UPPER_RE = /\p{Lu}/u;
const LOWER_RE = /\p{Ll}/u;

function caseClass(c: number): number {
  let k = CASE_CLASS[c];
  if (k === 0) {
    const ch = String.fromCharCode(c);
    k = UPPER_RE.test(ch) ? 2 : LOWER_RE.test(ch) ? 3 : 1;
    CASE_CLASS[c] = k;
  }
  return k;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Tcl's DictionaryCompare: case-insensitive with upper case first as a tie-break, and runs of digits
 * compared as numbers (more leading zeros sorts later, as a tie-break).
 */
export function dictionaryCompare(a: string, b: string): number {
  const an = a.length;
  const bn = b.length;
  let i = 0;
  let j = 0;
  let diff = 0;
  let secondary = 0;
  for (;;) {
    if (j < bn && i < an && isDigit(b.charCodeAt(j)) && isDigit(a.charCodeAt(i))) {
      let zeros = 0;
      while (b.charCodeAt(j) === 48 && j + 1 < bn && isDigit(b.charCodeAt(j + 1))) {
        j++;
        zeros--;
      }
      while (a.charCodeAt(i) === 48 && i + 1 < an && isDigit(a.charCodeAt(i + 1))) {
        i++;
        zeros++;
      }
      if (secondary === 0) secondary = zeros;
      diff = 0;
      for (;;) {
        if (diff === 0) diff = a.charCodeAt(i) - b.charCodeAt(j);
        i++;
        j++;
        const bd = j < bn && isDigit(b.charCodeAt(j));
        const ad = i < an && isDigit(a.charCodeAt(i));
        if (!bd) {
          if (ad) return 1;
          if (diff !== 0) return diff;
          break;
        } else if (!ad) {
          return -1;
        }
      }
      continue;
    }
    if (i >= an || j >= bn) {
      diff = (i < an ? 1 : 0) - (j < bn ? 1 : 0);
      break;
    }
    const ua = a.charCodeAt(i++);
    const ub = b.charCodeAt(j++);
    diff = lowerChar(ua) - lowerChar(ub);
    if (diff !== 0) return diff;
    if (secondary === 0) {
      const ka = caseClass(ua);
      const kb = caseClass(ub);
      if (ka === 2 && kb === 3) secondary = -1;
      else if (kb === 2 && ka === 3) secondary = 1;
    }
  }
  return diff === 0 ? secondary : diff;
}

// ------------------------------------------------------------------ the merge sort

const NUM_LISTS = 30;

/**
 * Tcl's lsort merge: element i is merged into a ladder of sorted runs as it arrives. Returns the
 * sorted element numbers. `cmp` gets element numbers; with `unique`, of equal elements only the last
 * survives. `stop` is polled after each element so a failed -command can end the sort early.
 */
function mergeSort(n: number, cmp: (a: number, b: number) => number, unique: boolean, stop: (() => boolean) | null): Int32Array {
  const next = new Int32Array(n);
  const lists = new Int32Array(NUM_LISTS).fill(-1);

  const merge = (left: number, right: number): number => {
    if (left < 0) return right;
    if (right < 0) return left;
    let c = cmp(left, right);
    let tail: number;
    if (c > 0 || (c === 0 && unique)) {
      if (c === 0) left = next[left];
      tail = right;
      right = next[right];
    } else {
      tail = left;
      left = next[left];
    }
    const head = tail;
    if (!unique) {
      while (left >= 0 && right >= 0) {
        if (cmp(left, right) > 0) {
          next[tail] = right;
          tail = right;
          right = next[right];
        } else {
          next[tail] = left;
          tail = left;
          left = next[left];
        }
      }
    } else {
      while (left >= 0 && right >= 0) {
        c = cmp(left, right);
        if (c >= 0) {
          if (c === 0) left = next[left];
          next[tail] = right;
          tail = right;
          right = next[right];
        } else {
          next[tail] = left;
          tail = left;
          left = next[left];
        }
      }
    }
    next[tail] = left >= 0 ? left : right;
    return head;
  };

  for (let i = 0; i < n; i++) {
    next[i] = -1;
    let e = i;
    let j = 0;
    for (; j < NUM_LISTS && lists[j] >= 0; j++) {
      e = merge(lists[j], e);
      lists[j] = -1;
    }
    if (j >= NUM_LISTS) j = NUM_LISTS - 1;
    lists[j] = e;
    if (stop !== null && stop()) return new Int32Array(0);
  }
  let e = lists[0];
  for (let j = 1; j < NUM_LISTS; j++) e = merge(lists[j], e);
  let count = 0;
  for (let k = e; k >= 0; k = next[k]) count++;
  const out = new Int32Array(count);
  count = 0;
  for (let k = e; k >= 0; k = next[k]) out[count++] = k;
  return out;
}

const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;
const TWO32 = 4294967296;

/**
 * Stable LSD radix sort of element numbers by unsigned 64-bit keys given as 32-bit halves (`hi` null
 * when all high halves are zero). Gives exactly the order of a stable comparison sort.
 */
function radixSort(lo: Uint32Array, hi: Uint32Array | null): Int32Array {
  const n = lo.length;
  let idx: Int32Array = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  let idx2: Int32Array = new Int32Array(n);
  let lo2: Uint32Array = new Uint32Array(n);
  let hi2: Uint32Array | null = hi === null ? null : new Uint32Array(n);
  const count = new Int32Array(RADIX);
  const passes = hi === null ? 3 : 6;
  for (let pass = 0; pass < passes; pass++) {
    const src = pass < 3 ? lo : hi!;
    const shift = (pass % 3) * RADIX_BITS;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[i] >>> shift) & (RADIX - 1)]++;
    // A pass where every element has the same digit changes nothing.
    if (count[(src[0] >>> shift) & (RADIX - 1)] === n) continue;
    let sum = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    if (hi === null) {
      for (let i = 0; i < n; i++) {
        const at = count[(lo[i] >>> shift) & (RADIX - 1)]++;
        idx2[at] = idx[i];
        lo2[at] = lo[i];
      }
    } else {
      for (let i = 0; i < n; i++) {
        const at = count[(src[i] >>> shift) & (RADIX - 1)]++;
        idx2[at] = idx[i];
        lo2[at] = lo[i];
        hi2![at] = hi[i];
      }
      const th = hi;
      hi = hi2!;
      hi2 = th;
    }
    const ti = idx;
    idx = idx2;
    idx2 = ti;
    const tl = lo;
    lo = lo2;
    lo2 = tl;
  }
  return idx;
}

/** Drop all but the last of each run of equal keys from a stably sorted order (lsort -unique). */
function keepLastOfEqual(order: Int32Array, keys: Float64Array): Int32Array {
  const n = order.length;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (kept > 0 && keys[order[kept - 1]] === keys[order[i]]) order[kept - 1] = order[i];
    else order[kept++] = order[i];
  }
  return kept === n ? order : order.slice(0, kept);
}

/** -integer keys within 2^53: radix sort on their offsets from the smallest (or the largest). */
function intKeySort(keys: Float64Array, increasing: boolean, unique: boolean): Int32Array {
  const n = keys.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (k < min) min = k;
    if (k > max) max = k;
  }
  if (max - min > Number.MAX_SAFE_INTEGER) {
    // Offsets would round: compare the keys themselves.
    const dir = increasing ? 1 : -1;
    return mergeSort(n, (a, b) => (keys[a] > keys[b] ? dir : keys[a] < keys[b] ? -dir : 0), unique, null);
  }
  const lo = new Uint32Array(n);
  let hi: Uint32Array | null = null;
  if (max - min < TWO32) {
    if (increasing) for (let i = 0; i < n; i++) lo[i] = keys[i] - min;
    else for (let i = 0; i < n; i++) lo[i] = max - keys[i];
  } else {
    hi = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const off = increasing ? keys[i] - min : max - keys[i];
      const h = Math.floor(off / TWO32);
      hi[i] = h;
      lo[i] = off - h * TWO32;
    }
  }
  const order = radixSort(lo, hi);
  return unique ? keepLastOfEqual(order, keys) : order;
}

/** -real keys (never NaN): radix sort on their IEEE bits, arranged to order as unsigned numbers. */
function realKeySort(keys: Float64Array, increasing: boolean, unique: boolean): Int32Array {
  const n = keys.length;
  const one = new Float64Array(1);
  const bits = new Uint32Array(one.buffer);
  const loWord = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    // -0 and 0 compare equal in Tcl, so they must not be told apart by their bits.
    one[0] = keys[i] === 0 ? 0 : keys[i];
    let h = bits[1 - loWord];
    let l = bits[loWord];
    if (h >>> 31) {
      h = ~h;
      l = ~l;
    } else {
      h |= 0x80000000;
    }
    if (!increasing) {
      h = ~h;
      l = ~l;
    }
    hi[i] = h;
    lo[i] = l;
  }
  const order = radixSort(lo, hi);
  return unique ? keepLastOfEqual(order, keys) : order;
}

// ------------------------------------------------------------------ lsort

const LSORT_OPTIONS = [
  '-ascii', '-command', '-decreasing', '-dictionary', '-increasing', '-index', '-indices', '-integer',
  '-nocase', '-real', '-stride', '-unique',
] as const;

const enum Mode {
  Ascii,
  AsciiNocase,
  Dictionary,
  Integer,
  Real,
  Command,
}

function missing(message: string): never {
  throw new TclError(message, 'TCL ARGUMENT MISSING');
}

function lsortCmd(interp: Interp, objv: TclObj[]): number {
  const objc = objv.length;
  if (objc < 2) wrongNumArgs(objv, 1, '?-option value ...? list');
  let mode = Mode.Ascii;
  let increasing = true;
  let wantIndices = false;
  let nocase = false;
  let unique = false;
  let cmdObj: TclObj | null = null;
  let indexv: number[] = [];
  let groupSize = 1;
  let grouped = false;
  for (let i = 1; i < objc - 1; i++) {
    switch (getIndexFromTable(objv[i], LSORT_OPTIONS, 'option')) {
      case 0:
        mode = Mode.Ascii;
        break;
      case 1:
        if (i === objc - 2) missing('"-command" option must be followed by comparison command');
        mode = Mode.Command;
        cmdObj = objv[++i];
        break;
      case 2:
        increasing = false;
        break;
      case 3:
        mode = Mode.Dictionary;
        break;
      case 4:
        increasing = true;
        break;
      case 5:
        if (i === objc - 2) missing('"-index" option must be followed by list index');
        indexv = parseIndexOption(objv[++i]);
        break;
      case 6:
        wantIndices = true;
        break;
      case 7:
        mode = Mode.Integer;
        break;
      case 8:
        nocase = true;
        break;
      case 9:
        mode = Mode.Real;
        break;
      case 10: {
        if (i === objc - 2) missing('"-stride" option must be followed by stride length');
        const g = getInt32(objv[++i]);
        if (g < 2) throw new TclError('stride length must be at least 2', 'TCL OPERATION LSORT BADSTRIDE');
        groupSize = g;
        grouped = true;
        break;
      }
      default:
        unique = true;
        break;
    }
  }
  if (nocase && mode === Mode.Ascii) mode = Mode.AsciiNocase;

  const items = getList(objv[objc - 1]);
  let prefix: readonly TclObj[] = [];
  if (mode === Mode.Command) prefix = getList(cmdObj!);
  let length = items.length;
  if (length === 0) {
    interp.result = TclObj.EMPTY;
    return OK;
  }
  let groupOffset = 0;
  if (grouped) {
    if (length % groupSize !== 0) {
      throw new TclError('list size must be a multiple of the stride length', 'TCL OPERATION LSORT BADSTRIDE');
    }
    length /= groupSize;
    if (indexv.length > 0) {
      groupOffset = indexDecode(indexv[0], groupSize - 1);
      if (groupOffset < 0 || groupOffset >= groupSize) {
        throw new TclError('when used with "-stride", the leading "-index" value must be within the group', 'TCL OPERATION LSORT BADINDEX');
      }
      indexv = indexv.slice(1);
    }
  }

  const n = length;
  const keyObj = (i: number): TclObj => {
    const o = items[groupSize * i + groupOffset];
    return indexv.length > 0 ? selectFromSublist(o, indexv) : o;
  };

  let order: Int32Array;
  if (mode === Mode.Command) {
    const r = commandSort(interp, prefix, n, keyObj, increasing, unique, indexv.length > 0);
    if (typeof r === 'number') return r;
    order = r;
  } else {
    order = keySort(mode, n, keyObj, increasing, unique);
  }

  const out: TclObj[] = new Array(order.length * groupSize);
  let k = 0;
  if (grouped) {
    for (let e = 0; e < order.length; e++) {
      const base = order[e] * groupSize;
      for (let j = 0; j < groupSize; j++) out[k++] = wantIndices ? intObj(base + j) : items[base + j];
    }
  } else if (wantIndices) {
    for (let e = 0; e < order.length; e++) out[k++] = intObj(order[e]);
  } else {
    for (let e = 0; e < order.length; e++) out[k++] = items[order[e]];
  }
  interp.result = TclObj.fromList(out);
  return OK;
}

/** Sorting on keys that convert up front and compare without side effects. */
function keySort(mode: Mode, n: number, keyObj: (i: number) => TclObj, increasing: boolean, unique: boolean): Int32Array {
  const dir = increasing ? 1 : -1;
  switch (mode) {
    case Mode.Integer: {
      const f = new Float64Array(n);
      let big: (number | bigint)[] | null = null;
      for (let i = 0; i < n; i++) {
        const v = wideKey(keyObj(i));
        if (big !== null) big[i] = v;
        else if (typeof v === 'number') f[i] = v;
        else {
          // Beyond 2^53: compare exactly as bigints from here on.
          big = Array.from(f.subarray(0, i)) as (number | bigint)[];
          big.push(v);
        }
      }
      if (big === null) return intKeySort(f, increasing, unique);
      const keys = big;
      return mergeSort(n, (a, b) => (keys[a] > keys[b] ? dir : keys[a] < keys[b] ? -dir : 0), unique, null);
    }
    case Mode.Real: {
      const f = new Float64Array(n);
      for (let i = 0; i < n; i++) f[i] = doubleKey(keyObj(i));
      return realKeySort(f, increasing, unique);
    }
    default: {
      const keys: string[] = new Array(n);
      const lower = mode === Mode.AsciiNocase;
      for (let i = 0; i < n; i++) {
        const s = keyObj(i).toString();
        keys[i] = lower ? lowerString(s) : s;
      }
      if (mode === Mode.Dictionary) return mergeSort(n, (a, b) => dir * dictionaryCompare(keys[a], keys[b]), unique, null);
      return mergeSort(n, (a, b) => (keys[a] > keys[b] ? dir : keys[a] < keys[b] ? -dir : 0), unique, null);
    }
  }
}

/**
 * -command: keys are taken as elements arrive and the command runs for each comparison, as in Tcl.
 * After a failure no further comparison runs. Returns the completion code instead of an order when
 * the command ended with a code other than OK (the result is as the command left it).
 */
function commandSort(
  interp: Interp,
  prefix: readonly TclObj[],
  n: number,
  keyObj: (i: number) => TclObj,
  increasing: boolean,
  unique: boolean,
  indexed: boolean,
): Int32Array | number {
  const keys: TclObj[] = new Array(n);
  let failCode = OK;
  const failure: { error: TclError | null } = { error: null };
  let added = 0;
  const np = prefix.length;
  const cmp = (a: number, b: number): number => {
    if (failCode !== OK) return 0;
    const call: TclObj[] = new Array(np + 2);
    for (let i = 0; i < np; i++) call[i] = prefix[i];
    call[np] = keys[a];
    call[np + 1] = keys[b];
    const code = interp.evalObjv(call);
    if (code !== OK) {
      if (code === ERROR) {
        interp.addErrorInfo('\n    (-compare command)');
        // The failing command is logged; lsort itself must still be added by its caller.
        interp.errAlreadyLogged = false;
      }
      failCode = code;
      return 0;
    }
    let order: number;
    try {
      order = getInt32(interp.result);
    } catch (e) {
      if (!(e instanceof TclError)) throw e;
      failCode = ERROR;
      failure.error = new TclError('-compare command returned non-integer result', 'TCL OPERATION LSORT COMPARISONFAILED');
      return 0;
    }
    return increasing ? order : -order | 0;
  };
  // Keys are taken one element ahead of the merge, as the merge of element i needs key i.
  const stop = (): boolean => {
    added++;
    if (failCode !== OK) {
      // Tcl still extracts the next element's key before noticing; its error wins.
      if (indexed && added < n) keyObj(added);
      return true;
    }
    if (added < n) keys[added] = keyObj(added);
    return false;
  };
  keys[0] = keyObj(0);
  const order = mergeSort(n, cmp, unique, stop);
  if (failure.error !== null) throw failure.error;
  return failCode !== OK ? failCode : order;
}

export function register(interp: Interp): void {
  interp.createCommand('lsort', lsortCmd);
}
