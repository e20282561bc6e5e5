/**
 * Character classification and case mapping as Tcl 8.6's regexp engine does it (data measured from
 * tclsh, see unicode-gen.tcl). Sets are decoded on first use: most scripts touch one or two classes.
 */
import { CharSet } from './charset.js';
import { CLASS_DATA, CASE_DATA } from './unicode-data.js';

export type ClassName =
  | 'alpha' | 'digit' | 'alnum' | 'upper' | 'lower' | 'space' | 'punct'
  | 'xdigit' | 'cntrl' | 'print' | 'graph' | 'blank' | 'word';

/** Names accepted inside [[:name:]] (Tcl has no [[:word:]]: \w is separate). */
export const BRACKET_CLASSES: ReadonlySet<string> = new Set([
  'alpha', 'digit', 'alnum', 'upper', 'lower', 'space', 'punct', 'xdigit', 'cntrl', 'print', 'graph', 'blank',
]);

const cache = new Map<ClassName, CharSet>();

export function classSet(name: ClassName): CharSet {
  let s = cache.get(name);
  if (s !== undefined) return s;
  switch (name) {
    case 'alnum':
      s = classSet('alpha').union(classSet('digit'));
      break;
    case 'xdigit':
      s = CharSet.fromPairs([0x30, 0x39, 0x41, 0x46, 0x61, 0x66]);
      break;
    case 'blank':
      s = CharSet.fromPairs([9, 9, 32, 32]);
      break;
    case 'print':
      // Tcl: graphic characters plus the spacing (non-control) white space.
      s = classSet('graph').union(classSet('space').minus(CharSet.fromPairs([9, 13])));
      break;
    default:
      s = CharSet.decode(CLASS_DATA[name]);
  }
  cache.set(name, s);
  return s;
}

/** Word characters for \w and the \m \M \y \Y constraints (alnum plus connector punctuation). */
let wordAscii: Uint8Array | null = null;
let wordSet: CharSet | null = null;

export function isWordChar(c: number): boolean {
  if (c < 128) {
    if (wordAscii === null) {
      wordAscii = new Uint8Array(128);
      const w = classSet('word');
      for (let i = 0; i < 128; i++) wordAscii[i] = w.has(i) ? 1 : 0;
    }
    return wordAscii[c] === 1;
  }
  if (wordSet === null) wordSet = classSet('word');
  return wordSet.has(c);
}

let spaceSet: CharSet | null = null;
/** Tcl_UniCharIsSpace: what -expanded skips. */
export function isSpaceChar(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  if (spaceSet === null) spaceSet = classSet('space');
  return spaceSet.has(c);
}

// Case mappings: [lower, upper, title] deltas, only for the few thousand code units that have any.
let caseDelta: Map<number, Int32Array> | null = null;

function loadCases(): Map<number, Int32Array> {
  const m = new Map<number, Int32Array>();
  const p = CASE_DATA.split(',');
  let prev = 0;
  for (let i = 0; i + 5 < p.length; i += 6) {
    const start = prev + parseInt(p[i], 36);
    const count = parseInt(p[i + 1], 36);
    const stride = parseInt(p[i + 2], 36);
    const d = Int32Array.of(parseInt(p[i + 3], 36), parseInt(p[i + 4], 36), parseInt(p[i + 5], 36));
    for (let k = 0; k < count; k++) m.set(start + k * stride, d);
    prev = start + (count - 1) * stride;
  }
  return m;
}

function mapCase(c: number, which: number): number {
  if (caseDelta === null) caseDelta = loadCases();
  const d = caseDelta.get(c);
  return d === undefined ? c : c + d[which];
}

export function toLower(c: number): number {
  return mapCase(c, 0);
}

export function toUpper(c: number): number {
  return mapCase(c, 1);
}

export function toTitle(c: number): number {
  return mapCase(c, 2);
}

/** The characters a literal matches under -nocase: itself and its lower, upper and title forms. */
export function caseVariants(c: number): number[] {
  const l = toLower(c);
  const u = toUpper(c);
  const t = toTitle(c);
  const out = [c];
  if (l !== c) out.push(l);
  if (u !== c && u !== l) out.push(u);
  if (t !== c && t !== l && t !== u) out.push(t);
  return out;
}

/** A set closed under Tcl's case variants (for ranges and classes under -nocase). */
export function withCases(s: CharSet): CharSet {
  if (caseDelta === null) caseDelta = loadCases();
  const extra: number[] = [];
  for (const c of caseDelta.keys()) {
    if (s.has(c)) {
      extra.push(toLower(c), toLower(c), toUpper(c), toUpper(c), toTitle(c), toTitle(c));
    }
  }
  if (extra.length === 0) return s;
  return s.union(CharSet.fromPairs(extra));
}

/** Case-insensitive equality of two code units as backreferences compare them. */
export function sameIgnoringCase(a: number, b: number): boolean {
  return a === b || toLower(a) === toLower(b);
}
