/**
 * The date logic `clock` shares between its subcommands: the root locale's names and composite
 * formats, broken-down dates of a moment in a zone (GetDateFields, with Tcl's C-level quirks kept),
 * format strings, and calendar arithmetic for `clock add`.
 */
import { TclObj, Rep } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { numericRep } from '../values/number.js';
import {
  DateFields, newFields, fieldsFromLocalSeconds, fieldsFromJulianDay, jdFromYmd, isLeapYear, localSecondsOf, fdiv, fmod,
  eraYearDayFromJd, monthDayOf, GREGORIAN_CHANGE_DATE, SECONDS_AT_JD0, DAYS_IN_MONTH, BCE, CE,
} from './clockCalendar.js';
import { Zone, utcToLocal, localToUtc, periodAt, numericZoneName } from './clockZone.js';

// ------------------------------------------------------------------ root locale

export const DAYS_ABBREV = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export const DAYS_FULL = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const MONTHS_ABBREV = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const MONTHS_FULL = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
];
const ROOT_COMPOSITES: Array<[string, string]> = [
  ['%%', '%%'],
  ['%D', '%m/%d/%Y'],
  ['%+', '%a %b %e %H:%M:%S %Z %Y'],
  ['%EY', '%EC%Ey'],
  ['%T', '%H:%M:%S'],
  ['%R', '%H:%M'],
  ['%r', '%I:%M:%S %P'],
  ['%X', '%H:%M:%S'],
  ['%EX', '%H:%M:%S'],
  ['%x', '%m/%d/%Y'],
  ['%Ex', '%m/%d/%Y'],
  ['%c', '%a %b %e %H:%M:%S %Y'],
  ['%Ec', '%a %b %e %H:%M:%S %Y'],
];
const ROODENBERRY = 1946;
export const DEFAULT_FORMAT = '%a %b %d %H:%M:%S %Z %Y';

/** Expand the locale's composite groups in one left-to-right pass, as `string map` does. */
export function localizeFormat(format: string): string {
  let out = '';
  let i = 0;
  outer: while (i < format.length) {
    if (format.charCodeAt(i) === 37) {
      for (const [k, v] of ROOT_COMPOSITES) {
        if (format.startsWith(k, i)) {
          out += v;
          i += k.length;
          continue outer;
        }
      }
    }
    out += format[i++];
  }
  return out;
}

// ------------------------------------------------------------------ clock values

/** A clock value: Tcl_GetWideIntFromObj with clock's error text. */
export function clockValue(o: TclObj, errorCode = 'TCL VALUE NUMBER'): number | bigint {
  const r = o.t === Rep.Int ? Rep.Int : numericRep(o);
  if (r === Rep.Int) return o.n;
  if (r === Rep.Big) {
    const v = o.r as bigint;
    if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) {
      throw new TclError('integer value too large to represent', 'ARITH IOVERFLOW {integer value too large to represent}');
    }
    return v;
  }
  throw new TclError(`expected integer but got "${o.toString()}"`, errorCode);
}

/** GetDateFields: the broken-down local time of `seconds` in zone `z`. */
export function dateFields(seconds: number | bigint, z: Zone, changeover: number): DateFields {
  const f = newFields();
  if (typeof seconds === 'number') {
    f.seconds = seconds;
    utcToLocal(z, f);
    if (z.localtime === true) localtimeFields(f, changeover);
    fieldsFromLocalSeconds(f, changeover);
    return f;
  }
  // Beyond 2^53 the day and time of day are split exactly before anything else.
  const i = periodAt(z, Number(seconds));
  f.tzOffset = z.offsets[i];
  f.tzName = z.names[i];
  // Tcl's 64-bit sums wrap, and the day number is cut to a C int.
  const local = BigInt.asIntN(64, seconds + BigInt(f.tzOffset));
  f.seconds = Number(seconds);
  f.localSeconds = Number(local);
  f.julianDay = Number(BigInt.asIntN(32, BigInt.asIntN(64, local - BigInt(SECONDS_AT_JD0)) / 86400n));
  const sod = local % 86400n;
  f.secondOfDay = Number(sod < 0n ? sod + 86400n : sod);
  fieldsFromJulianDay(f, changeover);
  return f;
}

/**
 * ConvertUTCToLocalUsingC: the C library gives a proleptic Gregorian date, which Tcl then reads in
 * its own calendar (Julian before the changeover), so :localtime shifts dates before 1582.
 */
function localtimeFields(f: DateFields, changeover: number): void {
  const g = newFields();
  g.localSeconds = f.localSeconds;
  g.julianDay = fdiv(f.localSeconds, 86400) + 2440588;
  eraYearDayFromJd(g, -Infinity);
  monthDayOf(g);
  const d = newFields();
  d.era = CE;
  d.year = g.era === BCE ? 1 - g.year : g.year;
  d.month = g.month;
  d.dayOfMonth = g.dayOfMonth;
  jdFromYmd(d, changeover);
  f.localSeconds = localSecondsOf(d.julianDay, fmod(f.localSeconds, 86400));
  f.tzOffset = f.localSeconds - f.seconds;
  f.tzName = cZoneName(f.tzOffset);
}

/** The C code prints hours, minutes and seconds at fixed offsets, so hours past 99 get overwritten. */
function cZoneName(offset: number): string {
  let d = Math.abs(offset);
  const two = (n: number) => (n < 10 ? '0' : '') + n;
  let buf = (offset < 0 ? '-' : '+') + two(Math.trunc(d / 3600));
  d %= 3600;
  buf = buf.slice(0, 3) + two(Math.trunc(d / 60));
  d %= 60;
  if (d > 0) buf = buf.slice(0, 5) + two(d);
  return buf;
}

// ------------------------------------------------------------------ format

type FormatOp = string | ((f: DateFields, s: string) => string);

/** printf %0<w>d / %<w>d of an integer. */
function pad(n: number, width: number, zero: boolean): string {
  const neg = n < 0;
  let digits = String(neg ? -n : n);
  if (zero) {
    while (digits.length + (neg ? 1 : 0) < width) digits = '0' + digits;
    return neg ? '-' + digits : digits;
  }
  let s = neg ? '-' + digits : digits;
  while (s.length < width) s = ' ' + s;
  return s;
}

const NUMERALS = (n: number): string => (n >= 0 && n < 100 ? pad(n, 2, true) : '');

function hour12(f: DateFields): number {
  return fmod(fdiv(f.secondOfDay + 86400 - 3600, 3600), 12) + 1;
}

function weekU(f: DateFields): number {
  let dow = f.dayOfWeek === 7 ? 0 : f.dayOfWeek;
  dow++;
  return fdiv(f.dayOfYear - dow + 7, 7);
}

function starDate(f: DateFields): string {
  const doy = f.dayOfYear - 1;
  const leap = isLeapYear(f.era, f.year, f.gregorian);
  const fractYear = fdiv(1000 * doy, leap ? 366 : 365);
  return `Stardate ${pad(f.year - ROODENBERRY, 2, true)}${pad(fractYear, 3, true)}.${pad(fdiv(f.secondOfDay, 8640), 1, true)}`;
}

const CODES: Record<string, (f: DateFields, s: string) => string> = {
  a: (f) => DAYS_ABBREV[f.dayOfWeek % 7],
  A: (f) => DAYS_FULL[f.dayOfWeek % 7],
  b: (f) => MONTHS_ABBREV[f.month - 1],
  h: (f) => MONTHS_ABBREV[f.month - 1],
  B: (f) => MONTHS_FULL[f.month - 1],
  C: (f) => pad(fdiv(f.year, 100), 2, true),
  d: (f) => pad(f.dayOfMonth, 2, true),
  e: (f) => pad(f.dayOfMonth, 2, false),
  g: (f) => pad(fmod(f.iso8601Year, 100), 2, true),
  G: (f) => pad(f.iso8601Year, 2, true),
  H: (f) => pad(fdiv(f.secondOfDay, 3600), 2, true),
  I: (f) => pad(hour12(f), 2, true),
  j: (f) => pad(f.dayOfYear, 3, true),
  J: (f) => pad(f.julianDay, 7, true),
  k: (f) => pad(fdiv(f.secondOfDay, 3600), 2, false),
  l: (f) => pad(hour12(f), 2, false),
  m: (f) => pad(f.month, 2, true),
  M: (f) => pad(fmod(fdiv(f.secondOfDay, 60), 60), 2, true),
  n: () => '\n',
  N: (f) => pad(f.month, 2, false),
  p: (f) => (f.secondOfDay < 43200 ? 'AM' : 'PM'),
  P: (f) => (f.secondOfDay < 43200 ? 'am' : 'pm'),
  Q: (f) => starDate(f),
  s: (_f, s) => s,
  S: (f) => pad(fmod(f.secondOfDay, 60), 2, true),
  t: () => '\t',
  u: (f) => pad(f.dayOfWeek, 1, true),
  U: (f) => pad(weekU(f), 2, true),
  V: (f) => pad(f.iso8601Week, 2, true),
  w: (f) => pad(f.dayOfWeek % 7, 1, true),
  W: (f) => pad(fdiv(f.dayOfYear - f.dayOfWeek + 7, 7), 2, true),
  y: (f) => pad(fmod(f.year, 100), 2, true),
  Y: (f) => pad(f.year, 4, true),
  z: (f) => numericZoneName(f.tzOffset),
  Z: (f) => f.tzName,
};

const E_CODES: Record<string, (f: DateFields) => string> = {
  E: (f) => (f.era === BCE ? 'B.C.E.' : 'C.E.'),
  C: (f) => pad(fdiv(f.year, 100), 2, true),
  y: (f) => {
    const y = fmod(f.year, 100);
    return y >= 0 && y < 100 ? NUMERALS(y) : String(y);
  },
};

const O_CODES: Record<string, (f: DateFields) => string> = {
  d: (f) => NUMERALS(f.dayOfMonth),
  e: (f) => NUMERALS(f.dayOfMonth),
  H: (f) => NUMERALS(fdiv(f.secondOfDay, 3600)),
  k: (f) => NUMERALS(fdiv(f.secondOfDay, 3600)),
  I: (f) => NUMERALS(hour12(f)),
  l: (f) => NUMERALS(hour12(f)),
  m: (f) => NUMERALS(f.month),
  M: (f) => NUMERALS(fmod(fdiv(f.secondOfDay, 60), 60)),
  S: (f) => NUMERALS(fmod(f.secondOfDay, 60)),
  u: (f) => NUMERALS(f.dayOfWeek),
  w: (f) => NUMERALS(f.dayOfWeek % 7),
  y: (f) => NUMERALS(fmod(f.year, 100)),
};

const formatCache = new Map<string, FormatOp[]>();

/** Compile a format string (ParseClockFormatFormat2): literal runs and field renderers. */
function compileFormat(format: string): FormatOp[] {
  const cached = formatCache.get(format);
  if (cached !== undefined) return cached;
  const ops: FormatOp[] = [];
  const fmt = localizeFormat(format);
  let lit = '';
  const flush = () => {
    if (lit.length > 0) ops.push(lit);
    lit = '';
  };
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i++];
    if (c !== '%') {
      lit += c;
      continue;
    }
    if (i >= fmt.length) {
      lit += '%';
      break;
    }
    const d = fmt[i++];
    if (d === '%') {
      lit += '%';
    } else if (d === 'E' || d === 'O') {
      // A group cut off at the end of the format prints nothing (clock.tcl appends it to a dead variable).
      if (i >= fmt.length) break;
      const e = fmt[i++];
      const fn = (d === 'E' ? E_CODES : O_CODES)[e];
      if (fn === undefined) {
        lit += '%' + d + e;
      } else {
        flush();
        ops.push(fn);
      }
    } else if (d === 'n') {
      lit += '\n';
    } else if (d === 't') {
      lit += '\t';
    } else {
      const fn = CODES[d];
      if (fn === undefined) {
        lit += '%' + d;
      } else {
        flush();
        ops.push(fn);
      }
    }
  }
  flush();
  if (formatCache.size > 256) formatCache.clear();
  formatCache.set(format, ops);
  return ops;
}

export function formatClock(seconds: number | bigint, format: string, z: Zone): string {
  const f = dateFields(seconds, z, GREGORIAN_CHANGE_DATE);
  const s = String(seconds);
  let out = '';
  for (const op of compileFormat(format)) out += typeof op === 'string' ? op : op(f, s);
  return out;
}

/** Seconds after adding calendar months in zone z, keeping the local time of day (AddMonths). */
export function addMonths(months: number, seconds: number, z: Zone, changeover: number): number {
  const f = dateFields(seconds, z, changeover);
  const sod = f.secondOfDay;
  const m = f.month + months - 1;
  f.month = fmod(m, 12) + 1;
  // Tcl adds to the year within its era, so months added to a BCE date move its year backwards.
  f.year += fdiv(m, 12);
  const leap = isLeapYear(f.era, f.year, f.gregorian) ? 1 : 0;
  const hath = DAYS_IN_MONTH[leap][f.month - 1];
  if (f.dayOfMonth > hath) f.dayOfMonth = hath;
  jdFromYmd(f, changeover);
  f.localSeconds = localSecondsOf(f.julianDay, sod);
  localToUtc(z, f);
  return f.seconds;
}

/** Seconds after adding whole days in zone z, keeping the local time of day (AddDays). */
export function addDays(days: number, seconds: number, z: Zone, changeover: number): number {
  const f = dateFields(seconds, z, changeover);
  const sod = f.secondOfDay;
  f.julianDay += days;
  f.localSeconds = localSecondsOf(f.julianDay, sod);
  localToUtc(z, f);
  return f.seconds;
}

export type { DateFields };

// ------------------------------------------------------------------ errorInfo frames

/** A line of errorInfo a Tcl-level clock procedure adds: the command, then its context. */
export type ErrorFrame = readonly [command: string, context: string];

export function procFrame(command: string, proc: string, line: number): ErrorFrame {
  return [command, `(procedure "${proc}" line ${line})`];
}

/** Tcl shows at most 150 bytes of a command in errorInfo. */
function shown(text: string): string {
  if (Buffer.byteLength(text, 'utf8') <= 150) return text;
  let n = 0;
  let i = 0;
  for (const ch of text) {
    const len = Buffer.byteLength(ch, 'utf8');
    if (n + len > 150) break;
    n += len;
    i += ch.length;
  }
  return text.slice(0, i) + '...';
}

/**
 * Rethrow a Tcl error as if it had passed through clock.tcl's procedures: the frames are added to
 * its errorInfo, innermost first, and the failing `clock` command is logged after them as usual.
 */
export function throwThrough(e: unknown, frames: readonly ErrorFrame[]): never {
  if (!(e instanceof TclError)) throw e;
  let info = e.errorInfo ?? e.message;
  let first = e.errorInfo === null;
  for (const [command, context] of frames) {
    info += (first ? '\n    while executing\n"' : '\n    invoked from within\n"') + shown(command) + '"\n    ' + context;
    first = false;
  }
  const out = new TclError(e.message, e.errorCode);
  out.errorInfo = info;
  out.infoComplete = false;
  throw out;
}
