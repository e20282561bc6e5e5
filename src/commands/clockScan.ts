/**
 * `clock scan`: with -format, the format is turned into a Tcl regular expression and a set of date
 * fields exactly as clock.tcl's ParseClockScanFormat does, and the fields present decide (by
 * priority) how the date and time of day are assembled, missing parts coming from -base. Without
 * -format, the string goes through the free-form grammar of Tcl's yacc date parser (a deterministic
 * transcription of its shift/reduce choices, so the same strings are accepted and the same errors
 * name the same characters), then through clock.tcl's FreeScan.
 */
import { TclError } from '../values/error.js';
import { isTclSpace } from '../values/number.js';
import { formatStringList } from '../values/listFormat.js';
import { compileRegex, CF } from '../regex/regex.js';
import {
  DateFields, newFields, jdFromYmd, jdFromYearDay, jdFromIsoWeek, weekdayOnOrBefore, localSecondsOf,
  GREGORIAN_CHANGE_DATE, ENGLISH_CHANGE_DATE, CE, BCE,
} from './clockCalendar.js';
import { Zone, localToUtc, numericZoneName } from './clockZone.js';
import {
  DAYS_ABBREV, DAYS_FULL, MONTHS_ABBREV, MONTHS_FULL, localizeFormat, dateFields, addMonths, addDays, procFrame, throwThrough,
} from './clockFields.js';

type ZoneLookup = (spec: string) => Zone;

export function scanClock(input: string, format: string | null, base: number, zoneName: string, zoneFor: ZoneLookup): number {
  if (format === null) return freeScan(input, base, zoneName, zoneFor);
  return formatScan(input, format, base, zoneName, zoneFor);
}

// ================================================================== -format

/** What a captured field sets: a named date field, through a converter. */
interface Capture {
  field: string;
  convert: (text: string) => number | string;
}

interface ScanProgram {
  re: ReturnType<typeof compileRegex>;
  /** Per capture group (1-based index - 1): how to store it, or null for groups that only match. */
  captures: Array<Capture | null>;
  /** Field name -> position in the format (MakeParseCodeFromFields compares these). */
  fieldSet: Map<string, number>;
  /** Groups of the %z/%Z alternative: numeric first, then the legacy name. */
  zoneGroups: Array<[number, number]>;
  /** %u/%w day-of-week groups, checked for "day of week is greater than 7". */
  dowGroups: number[];
}

const programCache = new Map<string, ScanProgram>();

function escapeChar(c: string): string {
  return /[\p{L}\p{N}]/u.test(c) ? c : '\\' + c;
}

/** UniquePrefixRegexp: a regexp matching every unambiguous prefix (and every full word) of the keys. */
function uniquePrefixRegexp(data: Array<[string, number | string]>): { re: string; lookup: Map<string, number | string> } {
  const prefixValues = new Map<string, Array<number | string>>();
  const successors = new Map<string, Set<string>>([['', new Set()]]);
  for (const [key, value] of data) {
    let prefix = '';
    for (const ch of key) {
      successors.get(prefix)!.add(ch);
      prefix += ch;
      const list = prefixValues.get(prefix);
      if (list === undefined) prefixValues.set(prefix, [value]);
      else list.push(value);
      if (!successors.has(prefix)) successors.set(prefix, new Set());
    }
  }
  const lookup = new Map<string, number | string>();
  for (const [k, vs] of prefixValues) if (vs.length === 1) lookup.set(k, vs[0]);
  for (const [key, value] of data) lookup.set(key, value);
  const build = (prefix: string): string => {
    const chars = [...successors.get(prefix)!].sort();
    if (chars.length === 0) return '';
    let re = '';
    const optional = lookup.has(prefix);
    if (optional || chars.length > 1) re += '(?:';
    re += chars.map((c) => escapeChar(c) + build(prefix + c)).join('|');
    if (optional) re += ')?';
    else if (chars.length > 1) re += ')';
    return re;
  };
  return { re: build(''), lookup };
}

function dayLookup(): { re: string; lookup: Map<string, number | string> } {
  const data: Array<[string, number]> = [];
  const order = [7, 1, 2, 3, 4, 5, 6];
  for (let i = 0; i < 7; i++) {
    data.push([DAYS_ABBREV[i].toLowerCase(), order[i]], [DAYS_FULL[i].toLowerCase(), order[i]]);
  }
  return uniquePrefixRegexp(data);
}

function monthLookup(): { re: string; lookup: Map<string, number | string> } {
  const data: Array<[string, number]> = [];
  for (let i = 0; i < 12; i++) data.push([MONTHS_ABBREV[i].toLowerCase(), i + 1], [MONTHS_FULL[i].toLowerCase(), i + 1]);
  return uniquePrefixRegexp(data);
}

const NUMERAL_RE = '(' + Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i).join('|') + ')';

function int(text: string): number {
  return parseInt(text, 10);
}

/** ScanWide: "%ld %c" must read exactly one integer. */
function scanWide(text: string): number {
  const m = /^\s*([-+]?\d+)\s*$/.exec(text);
  if (m === null) throw new TclError(`"${text}" is not an integer`, `CLOCK notAnInteger ${formatStringList([text])}`);
  const v = BigInt(m[1]);
  if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) {
    throw new TclError('integer value too large to represent', 'CLOCK integervalueTooLarge');
  }
  return Number(v);
}

function compileScan(format: string): ScanProgram {
  const cached = programCache.get(format);
  if (cached !== undefined) return cached;
  const fmt = localizeFormat(format).replace(/\s+/g, ' ');
  let re = '^[[:space:]]*';
  const captures: Array<Capture | null> = [];
  const fieldSet = new Map<string, number>();
  const zoneGroups: Array<[number, number]> = [];
  const dowGroups: number[] = [];
  let fieldCount = 0;
  const field = (name: string): void => {
    fieldSet.set(name, ++fieldCount);
  };
  const capture = (name: string, convert: (t: string) => number | string): void => {
    captures.push({ field: name, convert });
  };
  const numberField = (pattern: string, name: string): void => {
    re += pattern;
    field(name);
    capture(name, int);
  };
  const lookupField = (l: { re: string; lookup: Map<string, number | string> }, name: string): void => {
    re += '(' + l.re + ')';
    field(name);
    capture(name, (t) => l.lookup.get(t.toLowerCase()) ?? 0);
  };
  const numeralField = (name: string): void => {
    re += NUMERAL_RE;
    field(name);
    capture(name, int);
  };
  let state = '';
  for (const c of fmt) {
    if (state === '') {
      if (c === '%') state = '%';
      else if (c === ' ') re += '[[:space:]]+';
      else re += escapeChar(c);
      continue;
    }
    if (state === '%') {
      state = '';
      switch (c) {
        case '%':
          re += '%';
          break;
        case ' ':
          re += '[[:space:]]*';
          break;
        case 'a':
        case 'A':
          lookupField(dayLookup(), 'dayOfWeek');
          break;
        case 'b':
        case 'B':
        case 'h':
          lookupField(monthLookup(), 'month');
          break;
        case 'C':
          numberField('\\s*(\\d\\d?)', 'century');
          break;
        case 'd':
        case 'e':
          numberField('\\s*(\\d\\d?)', 'dayOfMonth');
          break;
        case 'E':
          state = '%E';
          break;
        case 'g':
          numberField('\\s*(\\d\\d)', 'iso8601YearOfCentury');
          break;
        case 'G':
          re += '\\s*(\\d\\d)(\\d\\d)';
          field('iso8601Century');
          field('iso8601YearOfCentury');
          capture('iso8601Century', int);
          capture('iso8601YearOfCentury', int);
          break;
        case 'H':
        case 'k':
          numberField('\\s*(\\d\\d?)', 'hour');
          break;
        case 'I':
        case 'l':
          numberField('\\s*(\\d\\d?)', 'hourAMPM');
          break;
        case 'j':
          numberField('\\s*(\\d\\d?\\d?)', 'dayOfYear');
          break;
        case 'J':
          numberField('\\s*(\\d+)', 'julianDay');
          break;
        case 'm':
        case 'N':
          numberField('\\s*(\\d\\d?)', 'month');
          break;
        case 'M':
          numberField('\\s*(\\d\\d?)', 'minute');
          break;
        case 'n':
          re += '\\n';
          break;
        case 'O':
          state = '%O';
          break;
        case 'p':
        case 'P':
          lookupField(uniquePrefixRegexp([['am', 0], ['pm', 1]]), 'amPmIndicator');
          break;
        case 'Q':
          re += 'Stardate\\s+([-+]?\\d+)(\\d\\d\\d)[.](\\d)';
          field('seconds');
          captures.push({ field: 'starYear', convert: int }, { field: 'starFractYear', convert: int }, { field: 'starFractDay', convert: int });
          break;
        case 's':
          re += '\\s*([-+]?\\d+)';
          field('seconds');
          capture('seconds', scanWide);
          break;
        case 'S':
          numberField('\\s*(\\d\\d?)', 'second');
          break;
        case 't':
          re += '\\t';
          break;
        case 'u':
        case 'w':
          re += '\\s*(\\d)';
          field('dayOfWeek');
          dowGroups.push(captures.length);
          capture('dayOfWeek', int);
          break;
        case 'U':
        case 'W':
          re += '\\s*\\d\\d?';
          break;
        case 'V':
          numberField('\\s*(\\d\\d?)', 'iso8601Week');
          break;
        case 'y':
          numberField('\\s*(\\d\\d?)', 'yearOfCentury');
          break;
        case 'Y':
          re += '\\s*(\\d\\d)(\\d\\d)';
          field('century');
          field('yearOfCentury');
          capture('century', int);
          capture('yearOfCentury', int);
          break;
        case 'z':
        case 'Z':
          re += '(?:([-+]\\d\\d(?::?\\d\\d(?::?\\d\\d)?)?)|([[:alnum:]]{1,4}))';
          field('tzName');
          zoneGroups.push([captures.length, captures.length + 1]);
          captures.push(null, null);
          break;
        default:
          re += '%' + escapeChar(c);
      }
      continue;
    }
    if (state === '%E') {
      state = '';
      switch (c) {
        case 'C':
          re += '(?:)';
          break;
        case 'E': {
          const l = uniquePrefixRegexp([
            ['b.c.e.', 'BCE'], ['c.e.', 'CE'], ['b.c.e.', 'BCE'], ['c.e.', 'CE'], ['b.c.', 'BCE'], ['a.d.', 'CE'],
          ]);
          lookupField(l, 'era');
          break;
        }
        case 'y':
          re += NUMERAL_RE;
          captures.push(null);
          break;
        default:
          re += '%E' + escapeChar(c);
      }
      continue;
    }
    state = '';
    switch (c) {
      case 'd':
      case 'e':
        numeralField('dayOfMonth');
        break;
      case 'H':
      case 'k':
        numeralField('hour');
        break;
      case 'I':
      case 'l':
        numeralField('hourAMPM');
        break;
      case 'm':
        numeralField('month');
        break;
      case 'M':
        numeralField('minute');
        break;
      case 'S':
        numeralField('second');
        break;
      case 'u':
      case 'w':
        re += NUMERAL_RE;
        field('dayOfWeek');
        dowGroups.push(captures.length);
        capture('dayOfWeek', int);
        break;
      case 'y':
        numeralField('yearOfCentury');
        break;
      default:
        re += '%O' + escapeChar(c);
    }
  }
  // A trailing lone "%", "%E" or "%O" is matched literally.
  re += state + '\\s*$';
  const program: ScanProgram = { re: compileRegex(re, CF.ICASE), captures, fieldSet, zoneGroups, dowGroups };
  if (programCache.size > 256) programCache.clear();
  programCache.set(format, program);
  return program;
}

/** Scan working state: the fields clock.tcl keeps in its `date` dict. */
interface ScanDate extends DateFields {
  has: Set<string>;
  century: number;
  yearOfCentury: number;
  iso8601Century: number;
  iso8601YearOfCentury: number;
  hour: number;
  hourAMPM: number;
  minute: number;
  second: number;
  amPmIndicator: number;
}

type Action = (d: ScanDate) => void;

interface ParseAction {
  fields: string[];
  prio: number;
  action: Action;
}

function comparePositions(cur: number[], next: number[]): boolean {
  const n = Math.max(cur.length, next.length);
  for (let i = 0; i < n; i++) {
    const c = cur[i];
    const x = next[i];
    // A missing position reads as "", which compares below any number (as Tcl's expr does).
    if (x === undefined) return false;
    if (c === undefined || x > c) return true;
    if (x < c) return false;
  }
  return true;
}

/** MakeParseCodeFromFields: the highest-priority action whose fields are all present. */
function chooseAction(fieldSet: Map<string, number>, actions: ParseAction[]): Action | null {
  let currPrio = 999;
  let currPos: number[] = [];
  let chosen: Action | null = null;
  for (const a of actions) {
    if (a.prio > currPrio) break;
    const pos: number[] = [];
    let ok = true;
    for (const f of a.fields) {
      const p = fieldSet.get(f);
      if (p === undefined) {
        ok = false;
        break;
      }
      pos.push(p);
    }
    if (!ok) continue;
    pos.sort((x, y) => y - x);
    if (a.prio === currPrio && !comparePositions(currPos, pos)) continue;
    currPrio = a.prio;
    currPos = pos;
    chosen = a.action;
  }
  return chosen;
}

function twoDigitYear(yy: number): number {
  return yy <= 37 ? yy + 2000 : yy + 1900;
}

function makeDateActions(base: number, zone: () => Zone, changeover: number): ParseAction[] {
  const baseFields = (): DateFields => dateFields(base, zone(), changeover);
  return [
    { fields: ['seconds'], prio: 0, action: () => undefined },
    { fields: ['julianDay'], prio: 1, action: () => undefined },
    {
      fields: ['era', 'century', 'yearOfCentury', 'month', 'dayOfMonth'], prio: 2,
      action: (d) => { d.year = 100 * d.century + d.yearOfCentury; jdFromYmd(d, changeover); },
    },
    {
      fields: ['era', 'century', 'yearOfCentury', 'dayOfYear'], prio: 2,
      action: (d) => { d.year = 100 * d.century + d.yearOfCentury; jdFromYearDay(d, changeover); },
    },
    {
      fields: ['century', 'yearOfCentury', 'month', 'dayOfMonth'], prio: 3,
      action: (d) => { d.era = CE; d.year = 100 * d.century + d.yearOfCentury; jdFromYmd(d, changeover); },
    },
    {
      fields: ['century', 'yearOfCentury', 'dayOfYear'], prio: 3,
      action: (d) => { d.era = CE; d.year = 100 * d.century + d.yearOfCentury; jdFromYearDay(d, changeover); },
    },
    {
      fields: ['iso8601Century', 'iso8601YearOfCentury', 'iso8601Week', 'dayOfWeek'], prio: 3,
      action: (d) => { d.era = CE; d.iso8601Year = 100 * d.iso8601Century + d.iso8601YearOfCentury; jdFromIsoWeek(d, changeover); },
    },
    {
      fields: ['yearOfCentury', 'month', 'dayOfMonth'], prio: 4,
      action: (d) => { d.year = twoDigitYear(d.yearOfCentury); d.era = CE; jdFromYmd(d, changeover); },
    },
    {
      fields: ['yearOfCentury', 'dayOfYear'], prio: 4,
      action: (d) => { d.year = twoDigitYear(d.yearOfCentury); d.era = CE; jdFromYearDay(d, changeover); },
    },
    {
      fields: ['iso8601YearOfCentury', 'iso8601Week', 'dayOfWeek'], prio: 4,
      action: (d) => { d.iso8601Year = twoDigitYear(d.iso8601YearOfCentury); d.era = CE; jdFromIsoWeek(d, changeover); },
    },
    {
      fields: ['month', 'dayOfMonth'], prio: 5,
      action: (d) => { const b = baseFields(); d.era = b.era; d.year = b.year; jdFromYmd(d, changeover); },
    },
    {
      fields: ['dayOfYear'], prio: 5,
      action: (d) => { const b = baseFields(); d.era = b.era; d.year = b.year; jdFromYearDay(d, changeover); },
    },
    {
      fields: ['iso8601Week', 'dayOfWeek'], prio: 5,
      action: (d) => { const b = baseFields(); d.era = CE; d.iso8601Year = b.iso8601Year; jdFromIsoWeek(d, changeover); },
    },
    {
      fields: ['dayOfMonth'], prio: 6,
      action: (d) => { const b = baseFields(); d.era = b.era; d.year = b.year; d.month = b.month; jdFromYmd(d, changeover); },
    },
    {
      fields: ['dayOfWeek'], prio: 7,
      action: (d) => {
        const b = baseFields();
        d.era = CE;
        d.iso8601Year = b.iso8601Year;
        d.iso8601Week = b.iso8601Week;
        jdFromIsoWeek(d, changeover);
      },
    },
    { fields: [], prio: 8, action: (d) => { d.julianDay = baseFields().julianDay; } },
  ];
}

function hmsp(d: ScanDate): number {
  let hr = d.hourAMPM;
  if (hr === 12) hr = 0;
  if (d.amPmIndicator) hr += 12;
  d.hour = hr;
  return (d.hour * 60 + d.minute) * 60 + d.second;
}

function hms(d: ScanDate): number {
  return (d.hour * 60 + d.minute) * 60 + d.second;
}

const TIME_ACTIONS: ParseAction[] = [
  { fields: ['seconds'], prio: 1, action: () => undefined },
  { fields: ['hourAMPM', 'minute', 'second', 'amPmIndicator'], prio: 2, action: (d) => { d.secondOfDay = hmsp(d); } },
  { fields: ['hour', 'minute', 'second'], prio: 2, action: (d) => { d.secondOfDay = hms(d); } },
  { fields: ['hourAMPM', 'minute', 'amPmIndicator'], prio: 3, action: (d) => { d.second = 0; d.secondOfDay = hmsp(d); } },
  { fields: ['hour', 'minute'], prio: 3, action: (d) => { d.second = 0; d.secondOfDay = hms(d); } },
  { fields: ['hourAMPM', 'amPmIndicator'], prio: 4, action: (d) => { d.minute = 0; d.second = 0; d.secondOfDay = hmsp(d); } },
  { fields: ['hour'], prio: 4, action: (d) => { d.minute = 0; d.second = 0; d.secondOfDay = hms(d); } },
  { fields: [], prio: 5, action: (d) => { d.secondOfDay = 0; } },
];

/** clock.tcl's LegacyTimeZone table (offsets east of Greenwich) for %Z names. */
const LEGACY_ZONES: Record<string, string> = {
  gmt: '+0000', ut: '+0000', utc: '+0000', bst: '+0100', wet: '+0000', wat: '-0100', at: '-0200', nft: '-0330',
  nst: '-0330', ndt: '-0230', ast: '-0400', adt: '-0300', est: '-0500', edt: '-0400', cst: '-0600', cdt: '-0500',
  mst: '-0700', mdt: '-0600', pst: '-0800', pdt: '-0700', yst: '-0900', ydt: '-0800', hst: '-1000', hdt: '-0900',
  cat: '-1000', ahst: '-1000', nt: '-1100', idlw: '-1200', cet: '+0100', cest: '+0200', met: '+0100', mewt: '+0100',
  mest: '+0200', swt: '+0100', sst: '+0200', fwt: '+0100', fst: '+0200', eet: '+0200', eest: '+0300', bt: '+0300',
  it: '+0330', zp4: '+0400', zp5: '+0500', ist: '+0530', zp6: '+0600', wast: '+0700', wadt: '+0800', jt: '+0730',
  cct: '+0800', jst: '+0900', kst: '+0900', cast: '+0930', jdt: '+1000', kdt: '+1000', cadt: '+1030', east: '+1000',
  eadt: '+1030', gst: '+1000', nzt: '+1200', nzst: '+1200', nzdt: '+1300', idle: '+1200',
  a: '+0100', b: '+0200', c: '+0300', d: '+0400', e: '+0500', f: '+0600', g: '+0700', h: '+0800', i: '+0900',
  k: '+1000', l: '+1100', m: '+1200', n: '-0100', o: '-0200', p: '-0300', q: '-0400', r: '-0500', s: '-0600',
  t: '-0700', u: '-0800', v: '-0900', w: '-1000', x: '-1100', y: '-1200', z: '+0000',
};

function legacyZone(name: string): string {
  const z = LEGACY_ZONES[name.toLowerCase()];
  if (z === undefined) {
    const lower = name.toLowerCase();
    throw new TclError(`time zone "${lower}" not found`, `CLOCK badTZName ${formatStringList([lower])}`);
  }
  return z;
}

function newScanDate(): ScanDate {
  return Object.assign(newFields(), {
    has: new Set<string>(), century: 0, yearOfCentury: 0, iso8601Century: 0, iso8601YearOfCentury: 0, hour: 0,
    hourAMPM: 0, minute: 0, second: 0, amPmIndicator: 0,
  });
}

function formatScan(input: string, format: string, base: number, zoneName: string, zoneFor: ZoneLookup): number {
  const prog = compileScan(format);
  const pm = new Int32Array(2 * (prog.captures.length + 1));
  if (!prog.re.exec(input, 0, false, pm)) {
    throw new TclError('input string does not match supplied format', 'CLOCK badInputString');
  }
  const group = (i: number): string => (pm[2 * i + 2] < 0 ? '' : input.slice(pm[2 * i + 2], pm[2 * i + 3]));
  const d = newScanDate();
  let timeZone = zoneName;
  let stardate = false;
  for (let i = 0; i < prog.captures.length; i++) {
    const cap = prog.captures[i];
    if (cap === null) continue;
    const text = group(i);
    if (cap.field === 'starYear' || cap.field === 'starFractYear' || cap.field === 'starFractDay') {
      stardate = true;
      continue;
    }
    const v = cap.convert(text);
    if (prog.dowGroups.indexOf(i) >= 0) {
      let dow = v as number;
      if (dow === 0) dow = 7;
      else if (dow > 7) throw new TclError('day of week is greater than 7', 'CLOCK badDayOfWeek');
      d.dayOfWeek = dow;
      continue;
    }
    if (cap.field === 'era') d.era = v === 'BCE' ? BCE : CE;
    else (d as unknown as Record<string, number>)[cap.field] = v as number;
  }
  for (const [numeric, named] of prog.zoneGroups) {
    const n = group(numeric);
    timeZone = n !== '' ? n : legacyZone(group(named));
  }
  if (stardate) {
    // clock.tcl's ParseStarDate calls a procedure that 8.6 no longer has.
    throw new TclError('invalid command name "GetJulianDayFromGregorianEraYearDay"', 'TCL LOOKUP COMMAND GetJulianDayFromGregorianEraYearDay');
  }
  if (prog.fieldSet.has('seconds')) return d.seconds;
  const zone = zoneFor(timeZone);
  const changeover = GREGORIAN_CHANGE_DATE;
  chooseAction(prog.fieldSet, makeDateActions(base, () => zone, changeover))?.(d);
  chooseAction(prog.fieldSet, TIME_ACTIONS)?.(d);
  if (d.julianDay > 5373484) throw new TclError('requested date too large to represent', 'CLOCK dateTooLarge');
  d.localSeconds = localSecondsOf(d.julianDay, d.secondOfDay);
  localToUtc(zone, d);
  return d.seconds;
}

// ================================================================== free form

const enum T {
  End, Char, UNumber, IsoBase, Month, Day, Meridian, Zone, DayZone, Dst, SecUnit, DayUnit, MonthUnit, Ago, Next,
  Epoch, Stardate, Id,
}

interface Token {
  type: T;
  value: number;
  ch: string;
  digits: number;
  first: number;
  last: number;
}

const MONTH_DAY_WORDS: Array<[string, T, number]> = [
  ['january', T.Month, 1], ['february', T.Month, 2], ['march', T.Month, 3], ['april', T.Month, 4], ['may', T.Month, 5],
  ['june', T.Month, 6], ['july', T.Month, 7], ['august', T.Month, 8], ['september', T.Month, 9], ['sept', T.Month, 9],
  ['october', T.Month, 10], ['november', T.Month, 11], ['december', T.Month, 12], ['sunday', T.Day, 0],
  ['monday', T.Day, 1], ['tuesday', T.Day, 2], ['tues', T.Day, 2], ['wednesday', T.Day, 3], ['wednes', T.Day, 3],
  ['thursday', T.Day, 4], ['thur', T.Day, 4], ['thurs', T.Day, 4], ['friday', T.Day, 5], ['saturday', T.Day, 6],
];

/** Minutes west of Greenwich, as the yacc parser's tables give them. */
const ZONE_WORDS: Array<[string, T, number]> = [
  ['gmt', T.Zone, 0], ['ut', T.Zone, 0], ['utc', T.Zone, 0], ['uct', T.Zone, 0], ['wet', T.Zone, 0],
  ['bst', T.DayZone, 0], ['wat', T.Zone, 60], ['at', T.Zone, 120], ['nft', T.Zone, 210], ['nst', T.Zone, 210],
  ['ndt', T.DayZone, 210], ['ast', T.Zone, 240], ['adt', T.DayZone, 240], ['est', T.Zone, 300], ['edt', T.DayZone, 300],
  ['cst', T.Zone, 360], ['cdt', T.DayZone, 360], ['mst', T.Zone, 420], ['mdt', T.DayZone, 420], ['pst', T.Zone, 480],
  ['pdt', T.DayZone, 480], ['yst', T.Zone, 540], ['ydt', T.DayZone, 540], ['hst', T.Zone, 600], ['hdt', T.DayZone, 600],
  ['cat', T.Zone, 600], ['ahst', T.Zone, 600], ['nt', T.Zone, 660], ['idlw', T.Zone, 720], ['cet', T.Zone, -60],
  ['cest', T.DayZone, -60], ['met', T.Zone, -60], ['mewt', T.Zone, -60], ['mest', T.DayZone, -60], ['swt', T.Zone, -60],
  ['sst', T.DayZone, -60], ['fwt', T.Zone, -60], ['fst', T.DayZone, -60], ['eet', T.Zone, -120], ['bt', T.Zone, -180],
  ['it', T.Zone, -210], ['zp4', T.Zone, -240], ['zp5', T.Zone, -300], ['ist', T.Zone, -330], ['zp6', T.Zone, -360],
  ['wast', T.Zone, -420], ['wadt', T.DayZone, -420], ['jt', T.Zone, -450], ['cct', T.Zone, -480], ['jst', T.Zone, -540],
  ['jdt', T.DayZone, -540], ['kst', T.Zone, -540], ['kdt', T.DayZone, -540], ['cast', T.Zone, -570],
  ['cadt', T.DayZone, -570], ['east', T.Zone, -600], ['eadt', T.DayZone, -600], ['gst', T.Zone, -600],
  ['nzt', T.Zone, -720], ['nzst', T.Zone, -720], ['nzdt', T.DayZone, -720], ['idle', T.Zone, -720], ['dst', T.Dst, 0],
];

const UNIT_WORDS: Array<[string, T, number]> = [
  ['year', T.MonthUnit, 12], ['month', T.MonthUnit, 1], ['fortnight', T.DayUnit, 14], ['week', T.DayUnit, 7],
  ['day', T.DayUnit, 1], ['hour', T.SecUnit, 3600], ['minute', T.SecUnit, 60], ['min', T.SecUnit, 60],
  ['second', T.SecUnit, 1], ['sec', T.SecUnit, 1],
];

const OTHER_WORDS: Array<[string, T, number]> = [
  ['tomorrow', T.DayUnit, 1], ['yesterday', T.DayUnit, -1], ['today', T.DayUnit, 0], ['now', T.SecUnit, 0],
  ['last', T.UNumber, -1], ['this', T.SecUnit, 0], ['next', T.Next, 1], ['ago', T.Ago, 1], ['epoch', T.Epoch, 0],
  ['stardate', T.Stardate, 0],
];

/** Military letters: a..m are east (negative minutes west), n..y west, z is UTC; there is no j. */
function militaryZone(c: string): number | null {
  const i = 'abcdefghiklm'.indexOf(c);
  if (i >= 0) return -60 * (i + 1);
  const k = 'nopqrstuvwxy'.indexOf(c);
  if (k >= 0) return 60 * (k + 1);
  return c === 'z' ? 0 : null;
}

function find(table: Array<[string, T, number]>, word: string): [T, number] | null {
  for (const [name, type, value] of table) if (name === word) return [type, value];
  return null;
}

/** LookupWord of the yacc lexer. */
function lookupWord(raw: string): [T, number] {
  let buff = raw.toLowerCase();
  if (buff === 'am' || buff === 'a.m.') return [T.Meridian, 0];
  if (buff === 'pm' || buff === 'p.m.') return [T.Meridian, 1];
  let abbrev = false;
  if (buff.length === 3) abbrev = true;
  else if (buff.length === 4 && buff[3] === '.') {
    abbrev = true;
    buff = buff.slice(0, 3);
  }
  for (const [name, type, value] of MONTH_DAY_WORDS) {
    if (abbrev ? name.startsWith(buff) : name === buff) return [type, value];
  }
  let hit = find(ZONE_WORDS, buff) ?? find(UNIT_WORDS, buff);
  if (hit !== null) return hit;
  if (buff.length > 1 && buff.endsWith('s')) {
    hit = find(UNIT_WORDS, buff.slice(0, -1));
    if (hit !== null) return hit;
    buff = buff.slice(0, -1);
  }
  hit = find(OTHER_WORDS, buff);
  if (hit !== null) return hit;
  if (buff.length === 1 && /[a-z]/.test(buff)) {
    const m = militaryZone(buff);
    if (m !== null) return [T.Zone, m];
  }
  if (buff.indexOf('.') >= 0) {
    hit = find(ZONE_WORDS, buff.replace(/\./g, ''));
    if (hit !== null) return hit;
  }
  return [T.Id, 0];
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = s.length;
  for (;;) {
    const first = i;
    for (;;) {
      while (i < n && isTclSpace(s.charCodeAt(i))) i++;
      const c = i < n ? s[i] : '';
      if (c >= '0' && c <= '9') {
        let v = 0;
        const start = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') v = 10 * v + (s.charCodeAt(i++) - 48);
        const digits = i - start;
        out.push({ type: digits >= 6 ? T.IsoBase : T.UNumber, value: v, ch: '', digits, first, last: i - 1 });
        break;
      }
      if (/[A-Za-z]/.test(c)) {
        const start = i;
        while (i < n && /[A-Za-z.]/.test(s[i])) i++;
        const word = s.slice(start, Math.min(i, start + 19));
        const [type, value] = lookupWord(word);
        out.push({ type, value, ch: '', digits: 0, first, last: i - 1 });
        break;
      }
      if (c !== '(') {
        if (c === '') {
          out.push({ type: T.End, value: 0, ch: '', digits: 0, first, last: i });
          return out;
        }
        out.push({ type: T.Char, value: 0, ch: c, digits: 0, first, last: i });
        i++;
        break;
      }
      // A parenthesised comment, nesting allowed; an unclosed one runs to the end.
      let depth = 0;
      let closed = false;
      do {
        const d = i < n ? s[i] : '';
        i++;
        if (d === '') {
          out.push({ type: T.End, value: 0, ch: '', digits: 0, first, last: i - 1 });
          return out;
        }
        if (d === '(') depth++;
        else if (d === ')') depth--;
        closed = depth <= 0;
      } while (!closed);
    }
  }
}

const MER_AM = 0;
const MER_PM = 1;
const MER_24 = 2;
const DST_ON = 0;
const DST_OFF = 1;

class DateParse {
  year: number;
  month: number;
  day: number;
  haveDate = 0;
  hour = 0;
  minutes = 0;
  seconds = 0;
  meridian = MER_24;
  haveTime = 0;
  timezone = 0;
  dstMode = 2;
  haveZone = 0;
  relMonth = 0;
  relDay = 0;
  relSeconds = 0;
  haveRel = 0;
  monthOrdinal = 0;
  haveOrdinalMonth = 0;
  dayOrdinal = 0;
  dayNumber = 0;
  haveDay = 0;
  private pos = 0;

  constructor(
    private readonly toks: Token[],
    year: number,
    month: number,
    day: number,
  ) {
    this.year = year;
    this.month = month;
    this.day = day;
  }

  /**
   * The yacc lexer's digit count when a bare number is reduced: it has already read the lookahead
   * token (index `look`), so a number there counts; words like "last" leave the older count.
   */
  private digitsSeenBy(look: number): number {
    for (let i = Math.min(look, this.toks.length - 1); i >= 0; i--) {
      const t = this.toks[i];
      if ((t.type === T.UNumber || t.type === T.IsoBase) && t.digits > 0) return t.digits;
    }
    return 0;
  }

  private peek(k = 0): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)];
  }

  private next(): Token {
    const t = this.toks[this.pos];
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }

  private isChar(t: Token, c: string): boolean {
    return t.type === T.Char && t.ch === c;
  }

  private fail(t: Token): never {
    throw new ParseError(`syntax error (characters ${t.first}-${t.last})`);
  }

  private expect(type: T): Token {
    const t = this.peek();
    if (t.type !== type) this.fail(t);
    return this.next();
  }

  private expectChar(c: string): void {
    const t = this.peek();
    if (!this.isChar(t, c)) this.fail(t);
    this.next();
  }

  private isUnit(t: Token): boolean {
    return t.type === T.SecUnit || t.type === T.DayUnit || t.type === T.MonthUnit;
  }

  /** unit: adds to the relative field the unit belongs to. */
  private addRel(unit: Token, amount: number): void {
    if (unit.type === T.SecUnit) this.relSeconds += amount;
    else if (unit.type === T.DayUnit) this.relDay += amount;
    else this.relMonth += amount;
  }

  /** relspec: relunits, then an optional "ago" that negates everything relative so far. */
  private relspec(unit: Token, amount: number): void {
    this.addRel(unit, amount);
    if (this.peek().type === T.Ago) {
      this.next();
      this.relSeconds = -this.relSeconds;
      this.relMonth = -this.relMonth;
      this.relDay = -this.relDay;
    }
    this.haveRel++;
  }

  private setTime(h: number, m: number, s: number, mer: number): void {
    this.hour = h;
    this.minutes = m;
    this.seconds = s;
    this.meridian = mer;
    this.haveTime++;
  }

  private optMeridian(): number {
    if (this.peek().type === T.Meridian) return this.next().value === 0 ? MER_AM : MER_PM;
    return MER_24;
  }

  private timeZoneNumber(n: number): void {
    this.meridian = MER_24;
    this.dstMode = DST_OFF;
    this.timezone = (n % 100) + Math.trunc(n / 100) * 60;
    this.haveZone++;
  }

  parse(): void {
    while (this.peek().type !== T.End) this.item();
  }

  private item(): void {
    const t = this.peek();
    switch (t.type) {
      case T.UNumber:
        this.unsignedItem();
        return;
      case T.IsoBase: {
        const a = this.next();
        const t1 = this.peek();
        if (t1.type === T.Zone) {
          const zone = this.next();
          const t2 = this.peek();
          if (t2.type === T.IsoBase) {
            const b = this.next();
            if (zone.value !== 420) throw new ParseError('');
            this.isoDate(a.value);
            this.hour = Math.trunc(b.value / 10000);
            this.minutes = Math.trunc((b.value % 10000) / 100);
            this.seconds = b.value % 100;
          } else if (t2.type === T.UNumber) {
            const h = this.next().value;
            this.expectChar(':');
            const m = this.expect(T.UNumber).value;
            this.expectChar(':');
            const s = this.expect(T.UNumber).value;
            if (zone.value !== 420) throw new ParseError('');
            this.isoDate(a.value);
            this.hour = h;
            this.minutes = m;
            this.seconds = s;
          } else {
            this.fail(t2);
          }
          this.haveTime++;
          this.haveDate++;
          return;
        }
        if (t1.type === T.IsoBase) {
          const b = this.next();
          this.isoDate(a.value);
          this.hour = Math.trunc(b.value / 10000);
          this.minutes = Math.trunc((b.value % 10000) / 100);
          this.seconds = b.value % 100;
          this.haveTime++;
          this.haveDate++;
          return;
        }
        this.isoDate(a.value);
        this.haveDate++;
        return;
      }
      case T.Month: {
        const m = this.next().value;
        const d = this.expect(T.UNumber).value;
        this.month = m;
        this.day = d;
        if (this.isChar(this.peek(), ',')) {
          this.next();
          this.year = this.expect(T.UNumber).value;
        }
        this.haveDate++;
        return;
      }
      case T.Day: {
        const d = this.next().value;
        if (this.isChar(this.peek(), ',')) this.next();
        this.dayOrdinal = 1;
        this.dayNumber = d;
        this.haveDay++;
        return;
      }
      case T.Zone: {
        const z = this.next().value;
        this.timezone = z;
        if (this.peek().type === T.Dst) {
          this.next();
          this.dstMode = DST_ON;
        } else this.dstMode = DST_OFF;
        this.haveZone++;
        return;
      }
      case T.DayZone:
        this.timezone = this.next().value;
        this.dstMode = DST_ON;
        this.haveZone++;
        return;
      case T.Epoch:
        this.next();
        this.month = 1;
        this.day = 1;
        this.year = 1970;
        this.haveDate++;
        return;
      case T.Next: {
        this.next();
        const t1 = this.peek();
        if (t1.type === T.Day) {
          this.dayOrdinal = 2;
          this.dayNumber = this.next().value;
          this.haveDay++;
        } else if (t1.type === T.Month) {
          this.monthOrdinal = 1;
          this.month = this.next().value;
          this.haveOrdinalMonth++;
        } else if (t1.type === T.UNumber) {
          const n = this.next().value;
          const t2 = this.peek();
          if (t2.type === T.Month) {
            this.monthOrdinal = n;
            this.month = this.next().value;
            this.haveOrdinalMonth++;
          } else if (this.isUnit(t2)) {
            const u = this.next();
            this.relspec(u, n * u.value);
          } else this.fail(t2);
        } else if (this.isUnit(t1)) {
          const u = this.next();
          this.relspec(u, u.value);
        } else this.fail(t1);
        return;
      }
      case T.SecUnit:
      case T.DayUnit:
      case T.MonthUnit: {
        const u = this.next();
        this.relspec(u, u.value);
        return;
      }
      case T.Stardate: {
        this.next();
        const a = this.expect(T.UNumber).value;
        this.expectChar('.');
        const b = this.expect(T.UNumber).value;
        this.year = Math.trunc(a / 1000) + 2323 - 377;
        this.day = 1;
        this.month = 1;
        const y = this.year;
        const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 1 : 0;
        this.relDay += Math.trunc(((a % 1000) * (365 + leap)) / 1000);
        this.relSeconds += b * 144 * 60;
        this.haveTime++;
        this.haveDate++;
        this.haveRel++;
        return;
      }
      case T.Char:
        if (t.ch === '-' || t.ch === '+') {
          const sign = this.next().ch === '-' ? -1 : 1;
          const n = this.expect(T.UNumber).value;
          const t2 = this.peek();
          if (t2.type === T.Day) {
            this.dayOrdinal = sign * n;
            this.dayNumber = this.next().value;
            this.haveDay++;
          } else if (this.isUnit(t2)) {
            const u = this.next();
            this.relspec(u, sign * n * u.value);
          } else {
            this.timezone = -sign * ((n % 100) + Math.trunc(n / 100) * 60);
            this.dstMode = DST_OFF;
            this.haveZone++;
          }
          return;
        }
        this.fail(t);
        return;
      default:
        this.fail(t);
    }
  }

  private isoDate(v: number): void {
    this.year = Math.trunc(v / 10000);
    this.month = Math.trunc((v % 10000) / 100);
    this.day = v % 100;
  }

  /** Items starting with an unsigned number: time, date, day, relative unit or a bare number. */
  private unsignedItem(): void {
    const nTok = this.next();
    const n = nTok.value;
    const t1 = this.peek();
    if (t1.type === T.Meridian) {
      this.next();
      this.setTime(n, 0, 0, t1.value === 0 ? MER_AM : MER_PM);
      return;
    }
    if (this.isChar(t1, ':')) {
      this.next();
      const m = this.expect(T.UNumber).value;
      const t3 = this.peek();
      if (this.isChar(t3, ':')) {
        this.next();
        const s = this.expect(T.UNumber).value;
        if (this.isChar(this.peek(), '-')) {
          this.next();
          const z = this.expect(T.UNumber).value;
          this.hour = n;
          this.minutes = m;
          this.seconds = s;
          this.timeZoneNumber(z);
          this.haveTime++;
          return;
        }
        this.setTime(n, m, s, this.optMeridian());
        return;
      }
      if (this.isChar(t3, '-')) {
        this.next();
        const z = this.expect(T.UNumber).value;
        this.hour = n;
        this.minutes = m;
        this.timeZoneNumber(z);
        this.haveTime++;
        return;
      }
      this.setTime(n, m, 0, this.optMeridian());
      return;
    }
    if (this.isChar(t1, '/')) {
      this.next();
      const d = this.expect(T.UNumber).value;
      this.month = n;
      this.day = d;
      if (this.isChar(this.peek(), '/')) {
        this.next();
        this.year = this.expect(T.UNumber).value;
      }
      this.haveDate++;
      return;
    }
    if (this.isChar(t1, '-')) {
      this.next();
      const t2 = this.peek();
      if (t2.type === T.Month) {
        const m = this.next().value;
        this.expectChar('-');
        const y = this.expect(T.UNumber).value;
        this.day = n;
        this.month = m;
        this.year = y;
      } else if (t2.type === T.UNumber) {
        const m = this.next().value;
        this.expectChar('-');
        const d = this.expect(T.UNumber).value;
        this.year = n;
        this.month = m;
        this.day = d;
        if (this.peek().type === T.Zone) {
          // yyyy-mm-ddThh:mm:ss: the "T" is lexed as a military zone and must be that one.
          const zone = this.next();
          const h = this.expect(T.UNumber).value;
          this.expectChar(':');
          const mi = this.expect(T.UNumber).value;
          this.expectChar(':');
          const sec = this.expect(T.UNumber).value;
          if (zone.value !== 420) throw new ParseError('');
          this.hour = h;
          this.minutes = mi;
          this.seconds = sec;
          this.haveTime++;
        }
      } else {
        this.fail(t2);
      }
      this.haveDate++;
      return;
    }
    if (t1.type === T.Month) {
      const m = this.next().value;
      this.month = m;
      this.day = n;
      if (this.peek().type === T.UNumber) this.year = this.next().value;
      this.haveDate++;
      return;
    }
    if (t1.type === T.Day) {
      this.dayOrdinal = n;
      this.dayNumber = this.next().value;
      this.haveDay++;
      return;
    }
    if (this.isUnit(t1)) {
      const u = this.next();
      this.relspec(u, n * u.value);
      return;
    }
    // number: a year after a date and time, otherwise a time (hh or hhmm).
    if (this.haveTime && this.haveDate && !this.haveRel) {
      this.year = n;
      return;
    }
    this.haveTime++;
    if (this.digitsSeenBy(this.pos) <= 2) {
      this.hour = n;
      this.minutes = 0;
    } else {
      this.hour = Math.trunc(n / 100);
      this.minutes = n % 100;
    }
    this.seconds = 0;
    this.meridian = MER_24;
  }
}

class ParseError {
  constructor(readonly message: string) {}
}

function toSeconds(h: number, m: number, s: number, mer: number): number {
  if (m < 0 || m > 59 || s < 0 || s > 59) return -1;
  if (mer === MER_24) return h < 0 || h > 23 ? -1 : (h * 60 + m) * 60 + s;
  if (h < 1 || h > 12) return -1;
  return (((h % 12) + (mer === MER_PM ? 12 : 0)) * 60 + m) * 60 + s;
}

/** TclClockOldscanObjCmd: parse, then check for repeated parts. */
function oldScan(input: string, y: number, mo: number, d: number): DateParse {
  const p = new DateParse(tokenize(input), y, mo, d);
  try {
    p.parse();
  } catch (e) {
    if (e instanceof ParseError) throw new TclError(e.message, 'TCL VALUE DATE PARSE');
    throw e;
  }
  const multiple = (what: string) => new TclError(`more than one ${what} in string`, 'TCL VALUE DATE MULTIPLE');
  if (p.haveDate > 1) throw multiple('date');
  if (p.haveTime > 1) throw multiple('time of day');
  if (p.haveZone > 1) throw multiple('time zone');
  if (p.haveDay > 1) throw multiple('weekday');
  if (p.haveOrdinalMonth > 1) throw multiple('ordinal month');
  return p;
}

/** clock.tcl's FreeScan over the parse. */
const FREESCAN_CALL = procFrame('FreeScan $string $base $timezone $locale', '::tcl::clock::scan', 68);
const FREESCAN_ZONE = procFrame('return -options $opts $retval', 'FreeScan', 11);

function freeScan(input: string, base: number, zoneName: string, zoneFor: ZoneLookup): number {
  let timezone = zoneName;
  let zone: Zone;
  try {
    zone = zoneFor(timezone);
  } catch (e) {
    throwThrough(e, [FREESCAN_ZONE, FREESCAN_CALL]);
  }
  const date = dateFields(base, zone, ENGLISH_CHANGE_DATE);
  let p: DateParse;
  try {
    p = oldScan(input, date.year, date.month, date.dayOfMonth);
  } catch (e) {
    if (e instanceof TclError) {
      throwThrough(new TclError(`unable to convert date-time string "${input}": ${e.message}`, 'NONE'), [FREESCAN_CALL]);
    }
    throw e;
  }
  let parseTime: number | null = p.haveTime ? toSeconds(p.hour, p.minutes, p.seconds, p.meridian) : null;
  if (p.haveDate) {
    let y = p.year;
    if (y < 100) y += y >= 39 ? 1900 : 2000;
    date.era = CE;
    date.year = y;
    date.month = p.month;
    date.dayOfMonth = p.day;
    if (parseTime === null) parseTime = 0;
  }
  if (p.haveZone) {
    const minEast = -p.timezone;
    const dstFlag = 1 - p.dstMode;
    timezone = numericZoneName(60 * minEast + 3600 * dstFlag);
    zone = zoneFor(timezone);
  }
  jdFromYmd(date, ENGLISH_CHANGE_DATE);
  const relative = p.haveRel > 0;
  if (parseTime !== null) {
    date.secondOfDay = parseTime;
  } else if (
    (p.haveDay && !p.haveDate) ||
    p.haveOrdinalMonth ||
    (relative && (p.relMonth !== 0 || p.relDay !== 0))
  ) {
    date.secondOfDay = 0;
  }
  date.localSeconds = localSecondsOf(date.julianDay, date.secondOfDay);
  localToUtc(zone, date);
  let seconds = date.seconds;
  if (relative) {
    seconds = addMonths(p.relMonth, seconds, zone, GREGORIAN_CHANGE_DATE);
    seconds = addDays(p.relDay, seconds, zone, GREGORIAN_CHANGE_DATE);
    seconds += p.relSeconds;
  }
  if (p.haveDay && !p.haveDate) {
    const d2 = dateFields(seconds, zone, ENGLISH_CHANGE_DATE);
    let jd = weekdayOnOrBefore(p.dayNumber, d2.julianDay + 6);
    jd += 7 * p.dayOrdinal;
    if (p.dayOrdinal > 0) jd -= 7;
    d2.julianDay = jd;
    d2.localSeconds = localSecondsOf(jd, date.secondOfDay);
    localToUtc(zone, d2);
    seconds = d2.seconds;
  }
  if (p.haveOrdinalMonth) {
    let monthOrdinal = p.monthOrdinal;
    let monthDiff: number;
    if (monthOrdinal > 0) {
      monthDiff = p.month - date.month;
      if (monthDiff <= 0) monthDiff += 12;
      monthOrdinal--;
    } else {
      monthDiff = date.month - p.month;
      if (monthDiff >= 0) monthDiff -= 12;
      monthOrdinal++;
    }
    seconds = addMonths(12 * monthOrdinal, seconds, zone, GREGORIAN_CHANGE_DATE);
    seconds = addMonths(monthDiff, seconds, zone, GREGORIAN_CHANGE_DATE);
  }
  return seconds;
}

