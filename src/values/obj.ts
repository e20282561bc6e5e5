/**
 * TclObj: a value with two faces, like Tcl_Obj. The string face is generated lazily from the internal
 * face and the internal face is parsed lazily from the string, each cached once made, so a loop never
 * parses the same list or number twice. Every TclObj has the same fields in the same order (one hidden
 * class for V8). Values are immutable once shared; commands build new ones.
 */
import { formatDouble } from './doubleFormat.js';
import { formatStringList } from './listFormat.js';

/** Which internal representation `n`/`r` hold. */
export const enum Rep {
  None = 0,
  /** A safe integer in `n`. */
  Int = 1,
  /** A bigint outside the safe range in `r`. */
  Big = 2,
  /** A double in `n`. */
  Double = 3,
  /** TclObj[] in `r`. */
  List = 4,
  /** Map<string, TclObj> in `r` (insertion ordered, like Tcl dicts). */
  Dict = 5,
  /** A boolean parsed from a word such as "yes"/"false" in `n` (0/1). */
  Bool = 6,
  /** A string still in pieces (string[] in `r`), joined on first use: `append` in a loop is O(1). */
  Builder = 7,
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export class TclObj {
  /** String face; null until needed. */
  s: string | null;
  /** Which internal face is valid (Rep). */
  t: Rep;
  /** Numeric internal face (Int, Double, Bool). */
  n: number;
  /** Structured internal face (bigint, list array, dict map). */
  r: any;
  /** Compiled form cached by the engine (script or expression); independent of `t`. */
  code: any;

  constructor(s: string | null, t: Rep, n: number, r: any) {
    this.s = s;
    this.t = t;
    this.n = n;
    this.r = r;
    this.code = null;
  }

  static fromString(s: string): TclObj {
    return new TclObj(s, Rep.None, 0, null);
  }

  static fromInt(v: number | bigint): TclObj {
    if (typeof v === 'number') return new TclObj(null, Rep.Int, v, null);
    if (v >= -MAX_SAFE_BIG && v <= MAX_SAFE_BIG) return new TclObj(null, Rep.Int, Number(v), null);
    return new TclObj(null, Rep.Big, 0, v);
  }

  /** For a JS number already known to be an integer; falls back to bigint beyond 2^53. */
  static fromIntNumber(v: number): TclObj {
    if (v <= MAX_SAFE && v >= -MAX_SAFE) return new TclObj(null, Rep.Int, v, null);
    return new TclObj(null, Rep.Big, 0, BigInt(v));
  }

  static fromDouble(d: number): TclObj {
    return new TclObj(null, Rep.Double, d, null);
  }

  static fromBool(b: boolean): TclObj {
    return b ? ONE : ZERO;
  }

  static fromList(items: TclObj[]): TclObj {
    return new TclObj(null, Rep.List, 0, items);
  }

  static fromDict(map: Map<string, TclObj>): TclObj {
    return new TclObj(null, Rep.Dict, 0, map);
  }

  static readonly EMPTY: TclObj = new TclObj('', Rep.None, 0, null);

  toString(): string {
    const s = this.s;
    if (s !== null) return s;
    if (this.t === Rep.Builder) {
      const joined = (this.r as string[]).join('');
      this.t = Rep.None;
      this.r = null;
      return (this.s = joined);
    }
    return (this.s = generateString(this));
  }

  /** A string value built from pieces; the pieces array becomes the value's (see Rep.Builder). */
  static fromPieces(pieces: string[]): TclObj {
    return new TclObj(null, Rep.Builder, 0, pieces);
  }

  /** The string face if it already exists; used where generating it would be wasted work. */
  hasString(): boolean {
    return this.s !== null;
  }
}

const MAX_SAFE_BIG = BigInt(MAX_SAFE);

// V8 gives `n` the narrowest representation it has seen: once a double (or an integer beyond 2^31)
// is stored there, every TclObj made afterwards carries a separately allocated box for `n`, small
// integers included. Storing a non-number once makes the field a tagged one from the start: small
// integers then live in the object itself and only other numbers are boxed.
new TclObj(null, Rep.None, 'tagged' as unknown as number, null);

const ZERO = new TclObj('0', Rep.Int, 0, null);
const ONE = new TclObj('1', Rep.Int, 1, null);

function generateString(o: TclObj): string {
  switch (o.t) {
    case Rep.Int:
      return '' + o.n;
    case Rep.Big:
      return (o.r as bigint).toString();
    case Rep.Double:
      return formatDouble(o.n);
    case Rep.List: {
      const items = o.r as TclObj[];
      const strs = new Array<string>(items.length);
      for (let i = 0; i < items.length; i++) strs[i] = items[i].toString();
      return formatStringList(strs);
    }
    case Rep.Dict: {
      const strs: string[] = [];
      for (const [k, v] of o.r as Map<string, TclObj>) strs.push(k, v.toString());
      return formatStringList(strs);
    }
    case Rep.Bool:
      return o.n ? '1' : '0';
    default:
      return '';
  }
}

/** Small integers are shared: loops allocate far fewer objects. */
const SMALL_INTS: TclObj[] = [];
for (let i = -1; i < 1024; i++) SMALL_INTS.push(new TclObj(null, Rep.Int, i, null));

/** An integer value, shared for small ones. */
export function intObj(v: number): TclObj {
  if (v >= -1 && v < 1023 && (v | 0) === v) return SMALL_INTS[v + 1];
  return TclObj.fromIntNumber(v);
}

export function strObj(s: string): TclObj {
  return new TclObj(s, Rep.None, 0, null);
}

/**
 * Marks a list value whose element array belongs to exactly one variable, so `lappend` may extend it
 * in place. Every path that hands a variable's value out clears the mark (see readVar/varReader).
 */
export const OWNED_LIST = { ownedList: true };
