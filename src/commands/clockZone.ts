/**
 * Time zones for `clock`, resolved the way Tcl 8.6's clock.tcl does: `:localtime`, fixed offsets
 * (+hh, +hhmm, +hh:mm:ss...), `:Name` read from the system zoneinfo database (TZif files), POSIX TZ
 * strings ("EST5EDT", "CET-1CEST,M3.5.0,M10.5.0/3"), and bare names tried as zoneinfo files. A
 * zone is a table of transitions (start, UTC offset, DST flag, abbreviation), the first starting at
 * the beginning of time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TclError } from '../values/error.js';
import { formatStringList } from '../values/listFormat.js';
import {
  DateFields, newFields, jdFromYmd, jdFromYearDay, weekdayOnOrBefore, isLeapYear, CE, ENGLISH_CHANGE_DATE, SECONDS_AT_JD0,
} from './clockCalendar.js';

export interface Zone {
  /** :localtime converts through the C library's broken-down time (see clock.ts dateFields). */
  readonly localtime?: boolean;
  /** Start of each period (the first is -Infinity), ascending. */
  readonly starts: number[];
  readonly offsets: number[];
  readonly dst: number[];
  readonly names: string[];
}

function zone(rows: Array<[number, number, number, string]>): Zone {
  return { starts: rows.map((r) => r[0]), offsets: rows.map((r) => r[1]), dst: rows.map((r) => r[2]), names: rows.map((r) => r[3]) };
}

function fixedZone(offset: number, name: string): Zone {
  return zone([[-Infinity, offset, 0, name]]);
}

/** Index of the period containing `t` (LookupLastTransition). */
export function periodAt(z: Zone, t: number): number {
  const starts = z.starts;
  let lo = 0;
  let hi = starts.length - 1;
  if (t < starts[0]) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t >= starts[mid]) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Set tzOffset/tzName/localSeconds of `f` from its UTC seconds. */
export function utcToLocal(z: Zone, f: DateFields): void {
  const i = periodAt(z, f.seconds);
  f.tzOffset = z.offsets[i];
  f.tzName = z.names[i];
  f.localSeconds = f.seconds + f.tzOffset;
}

/**
 * Set seconds/tzOffset of `f` from its localSeconds: guess the offset, look up again with the
 * corrected time, and stop at the first offset seen twice (so skipped local times resolve too),
 * as ConvertLocalToUTCUsingTable does.
 */
export function localToUtc(z: Zone, f: DateFields): void {
  const have: number[] = [];
  let offset = 0;
  f.seconds = f.localSeconds;
  for (;;) {
    offset = z.offsets[periodAt(z, f.seconds)];
    if (have.indexOf(offset) >= 0) break;
    have.push(offset);
    if (have.length > 8) break;
    f.seconds = f.localSeconds - offset;
  }
  f.tzOffset = offset;
  f.seconds = f.localSeconds - offset;
}

// ------------------------------------------------------------------ resolution

const cache = new Map<string, Zone>();

/** Make `spec` name an already built zone (the system zone read from /etc/localtime). */
export function defineZone(spec: string, z: Zone): void {
  cache.set(spec, z);
}

/** Whether `spec` resolves to a zone (clock.tcl's TimeZoneBad check). */
export function zoneWorks(spec: string, systemTz: () => string): boolean {
  try {
    getZone(spec, systemTz);
    return true;
  } catch (e) {
    if (e instanceof TclError) return false;
    throw e;
  }
}

function badZone(spec: string, message: string): never {
  throw new TclError(message, `CLOCK badTimeZone ${formatStringList([spec])}`);
}

const FIXED = /^([-+])(\d\d)(?::?(\d\d)(?::?(\d\d))?)?/;

/** The zone for a -timezone value (cached), or Tcl's error for an unknown one. */
export function getZone(spec: string, systemTz: () => string): Zone {
  const hit = cache.get(spec);
  if (hit !== undefined) return hit;
  const z = resolveZone(spec, systemTz);
  cache.set(spec, z);
  return z;
}

function resolveZone(spec: string, systemTz: () => string): Zone {
  if (spec === ':localtime') return localtimeZone(systemTz);
  const m = FIXED.exec(spec);
  if (m !== null) {
    let offset = (Number(m[2]) * 60 + (m[3] === undefined ? 0 : Number(m[3]))) * 60 + (m[4] === undefined ? 0 : Number(m[4]));
    if (m[1] === '-') offset = -offset;
    return fixedZone(offset, spec);
  }
  if (spec.startsWith(':')) {
    const name = spec.slice(1);
    const builtin = builtinZone(name);
    if (builtin !== null) return builtin;
    let z: Zone | null = null;
    try {
      z = loadZoneinfo(name);
    } catch (e) {
      if (!(e instanceof TclError)) throw e;
    }
    if (z === null) badZone(spec, `time zone "${spec}" not found`);
    return z;
  }
  const posix = parsePosixTz(spec);
  if (posix !== null) return processPosixTz(posix);
  const builtin = builtinZone(spec);
  if (builtin !== null) return builtin;
  // clock.tcl's own slips show in these two errorCodes; they are kept for fidelity.
  if (!ZONE_NAME.test(spec)) throw new TclError(`time zone ${spec} not found`, 'CLOCK badTimeZone {$:fileName}');
  const z = loadZoneinfo(spec);
  if (z === null) throw new TclError(`time zone ${spec} not found`, 'TCL READ VARNAME');
  return z;
}

/** Zones clock.tcl defines itself before looking anywhere. */
function builtinZone(name: string): Zone | null {
  if (name === 'GMT' || name === 'Etc/GMT') return fixedZone(0, 'GMT');
  if (name === 'UTC' || name === 'Etc/UTC') {
    // A zoneinfo UTC file, when present, is what Tcl reads for a bare "UTC"; both say "UTC".
    return fixedZone(0, 'UTC');
  }
  return null;
}

/**
 * `:localtime` converts through the C library, which follows the TZ environment variable (or the
 * system's /etc/localtime); the same sources give the same table here.
 */
function localtimeZone(systemTz: () => string): Zone {
  const tz = systemTz();
  let base = fixedZone(0, '+0000');
  if (tz !== ':localtime') {
    try {
      base = getZone(tz, systemTz);
    } catch (e) {
      // The C library falls back to UTC for a TZ it cannot use.
      if (!(e instanceof TclError)) throw e;
    }
  }
  // Tcl names :localtime periods by their offsets, not the C library's abbreviations.
  return { localtime: true, starts: base.starts, offsets: base.offsets, dst: base.dst, names: base.offsets.map(numericZoneName) };
}

/** "+hhmm" (or "+hhmmss"), FormatNumericTimeZone. */
export function numericZoneName(offset: number): string {
  let z = offset;
  let s = '+';
  if (z < 0) {
    z = -z;
    s = '-';
  }
  const two = (n: number) => (n < 10 ? '0' : '') + n;
  s += two(Math.floor(z / 3600));
  z %= 3600;
  s += two(Math.floor(z / 60));
  z %= 60;
  if (z !== 0) s += two(z);
  return s;
}

// ------------------------------------------------------------------ TZif files

const ZONEINFO_DIRS = ['/usr/share/zoneinfo', '/usr/share/lib/zoneinfo', '/usr/lib/zoneinfo', '/usr/local/etc/zoneinfo'];
const ZONE_NAME = /^[-.A-Za-z_]+(?:\/[-.A-Za-z_]+)*$/;

function zoneinfoDirs(): string[] {
  const env = process.env.TZDIR;
  return env !== undefined && env.length > 0 ? [env, ...ZONEINFO_DIRS] : ZONEINFO_DIRS;
}

/** Read a zone from the zoneinfo database; null when no such file. */
export function loadZoneinfo(name: string): Zone | null {
  if (!ZONE_NAME.test(name)) {
    throw new TclError(`time zone ":${name}" not valid`, `CLOCK badTimeZone ${formatStringList([':' + name])}`);
  }
  for (const dir of zoneinfoDirs()) {
    const file = path.join(dir, name);
    let data: Buffer;
    try {
      if (!fs.statSync(file).isFile()) continue;
      data = fs.readFileSync(file);
    } catch {
      continue;
    }
    return parseTzif(name, data);
  }
  return null;
}

/** Parse a TZif file as clock.tcl's ReadZoneinfoFile does (64-bit data and the POSIX footer of version 2). */
export function parseTzif(name: string, d: Buffer): Zone {
  const fail = (why: string): never => {
    throw new TclError(`${name} ${why}`, 'NONE');
  };
  if (d.length > 262144) fail('too big');
  if (d.length < 44 || d.toString('latin1', 0, 4) !== 'TZif') fail('not a time zone information file');
  const version = d.toString('latin1', 4, 5);
  let nIsGMT = d.readUInt32BE(20);
  let nIsStd = d.readUInt32BE(24);
  let nLeap = d.readUInt32BE(28);
  let nTime = d.readUInt32BE(32);
  let nType = d.readUInt32BE(36);
  let nChar = d.readUInt32BE(40);
  if (nType > 255) fail('contains too many time types');
  if (nLeap !== 0) fail('contains leap seconds');
  let seek = 44;
  let ilen = 4;
  if (version === '2') {
    seek = 44 + 5 * nTime + 6 * nType + 4 * nLeap + nIsStd + nIsGMT + nChar;
    if (d.toString('latin1', seek, seek + 4) !== 'TZif') fail(`seek address ${seek} miscomputed`);
    nIsGMT = d.readUInt32BE(seek + 20);
    nIsStd = d.readUInt32BE(seek + 24);
    nLeap = d.readUInt32BE(seek + 28);
    nTime = d.readUInt32BE(seek + 32);
    nType = d.readUInt32BE(seek + 36);
    nChar = d.readUInt32BE(seek + 40);
    ilen = 8;
    seek += 44;
  }
  const times: number[] = [-Infinity];
  for (let i = 0; i < nTime; i++) {
    times.push(ilen === 8 ? Number(d.readBigInt64BE(seek + 8 * i)) : d.readInt32BE(seek + 4 * i));
  }
  seek += ilen * nTime;
  const codes: number[] = [0];
  for (let i = 0; i < nTime; i++) codes.push(d[seek + i]);
  seek += nTime;
  const types: Array<[number, number, number]> = [];
  for (let i = 0; i < nType; i++) {
    types.push([d.readInt32BE(seek), d.readInt8(seek + 4), d.readInt8(seek + 5)]);
    seek += 6;
  }
  const chars = d.toString('latin1', seek, seek + nChar);
  seek += nChar;
  const abbrev = (i: number): string => {
    const end = chars.indexOf('\0', i);
    return chars.slice(i, end < 0 ? chars.length : end);
  };
  const rows: Array<[number, number, number, string]> = [];
  let last = -Infinity;
  for (let i = 0; i < times.length; i++) {
    if (times[i] < last) fail('has times out of order');
    last = times[i];
    const type = types[codes[i]];
    if (type === undefined) fail('is corrupt');
    rows.push([times[i], type[0], type[1], abbrev(type[2])]);
  }
  if (version === '2') {
    seek += 8 * nLeap + nIsStd + nIsGMT + 1;
    const nl = d.indexOf(0x0a, seek);
    const footer = d.toString('latin1', seek, nl < 0 ? d.length : nl);
    if (footer.trim().length > 0) {
      const fields = parsePosixTz(footer);
      if (fields === null) throw new TclError(`unable to parse time zone specification "${footer}"`, `CLOCK badTimeZone ${formatStringList([footer])}`);
      const extra = processPosixTz(fields);
      for (let i = 0; i < extra.starts.length; i++) {
        if (extra.starts[i] > last) rows.push([extra.starts[i], extra.offsets[i], extra.dst[i], extra.names[i]]);
      }
    }
  }
  return zone(rows);
}

// ------------------------------------------------------------------ POSIX TZ strings

interface PosixRule {
  julian: boolean;
  dayOfYear: number | null;
  month: number;
  week: number;
  dayOfWeek: number;
  hours: number | null;
  minutes: number;
  seconds: number;
}

interface PosixTz {
  stdName: string;
  stdOffset: number;
  stdHours: number;
  stdSignum: number;
  dstName: string | null;
  dstOffset: number | null;
  start: PosixRule | null;
  end: PosixRule | null;
}

const NAME = '([A-Za-z]+|<[-+A-Za-z0-9]+>)';
const HMS = '(\\d{1,2})(?::(\\d{1,2})(?::(\\d{1,2}))?)?';
const RULE = '(?:(J?)(\\d+)|M(\\d+)\\.(\\d+)\\.(\\d+))(?:/' + HMS + ')?';
const POSIX_RE = new RegExp(
  `^${NAME}([-+]?)${HMS}(?:${NAME}(?:([-+]?)${HMS})?(?:,${RULE},${RULE})?)?$`,
  'i',
);

function num(s: string | undefined): number {
  return s === undefined || s === '' ? 0 : parseInt(s, 10);
}

function parsePosixTz(spec: string): PosixTz | null {
  const m = POSIX_RE.exec(spec);
  if (m === null) return null;
  const unbracket = (s: string): string => (s.startsWith('<') ? s.slice(1, -1) : s);
  const stdSignum = m[2] === '-' ? 1 : -1;
  const stdHours = num(m[3]);
  const stdOffset = ((stdHours * 60 + num(m[4])) * 60 + num(m[5])) * stdSignum;
  const rule = (base: number): PosixRule | null => {
    if (m[base + 1] === undefined && m[base + 2] === undefined) return null;
    return {
      julian: m[base] === 'J' || m[base] === 'j',
      dayOfYear: m[base + 1] !== undefined ? num(m[base + 1]) : null,
      month: num(m[base + 2]),
      week: num(m[base + 3]),
      dayOfWeek: num(m[base + 4]),
      hours: m[base + 5] !== undefined ? num(m[base + 5]) : null,
      minutes: num(m[base + 6]),
      seconds: num(m[base + 7]),
    };
  };
  let dstOffset: number | null = null;
  if (m[6] !== undefined) {
    if (m[8] === undefined) dstOffset = 3600 + stdOffset;
    else dstOffset = ((num(m[8]) * 60 + num(m[9])) * 60 + num(m[10])) * (m[7] === '-' ? 1 : -1);
  }
  return {
    stdName: unbracket(m[1]),
    stdOffset,
    stdHours,
    stdSignum,
    dstName: m[6] === undefined ? null : unbracket(m[6]),
    dstOffset,
    start: m[6] === undefined ? null : rule(11),
    end: m[6] === undefined ? null : rule(19),
  };
}

/** Transitions for 1916..2099 from a POSIX rule, with clock.tcl's defaults when rules are absent. */
function processPosixTz(z: PosixTz): Zone {
  const rows: Array<[number, number, number, string]> = [[-Infinity, z.stdOffset, 0, z.stdName]];
  if (z.dstName === null) return zone(rows);
  const dstOffset = z.dstOffset!;
  const northern = z.stdSignum * z.stdHours >= 0 && z.stdSignum * z.stdHours <= 12;
  const start: PosixRule = z.start ?? {
    julian: false, dayOfYear: null, month: 3, week: northern ? 5 : 2, dayOfWeek: 0,
    hours: northern ? (z.stdHours > 2 ? 2 : z.stdHours + 1) : 2, minutes: 0, seconds: 0,
  };
  const end: PosixRule = z.end ?? {
    julian: false, dayOfYear: null, month: northern ? 10 : 11, week: northern ? 5 : 1, dayOfWeek: 0,
    hours: northern ? (z.stdHours > 2 ? 3 : z.stdHours + 2) : 2, minutes: 0, seconds: 0,
  };
  for (let y = 1916; y < 2100; y++) {
    const startTime = posixDstTime(start, y) - z.stdOffset;
    const endTime = posixDstTime(end, y) - dstOffset;
    if (startTime < endTime) {
      rows.push([startTime, dstOffset, 1, z.dstName], [endTime, z.stdOffset, 0, z.stdName]);
    } else {
      rows.push([endTime, z.stdOffset, 0, z.stdName], [startTime, dstOffset, 1, z.dstName]);
    }
  }
  return zone(rows);
}

/** Local seconds of a POSIX rule's moment in year y (DeterminePosixDSTTime). */
function posixDstTime(r: PosixRule, y: number): number {
  const date: DateFields = newFields();
  date.era = CE;
  date.year = y;
  if (r.dayOfYear !== null) {
    let doy = r.dayOfYear;
    if (r.julian && isLeapYear(CE, y, true) && doy > 58) doy++;
    date.dayOfYear = doy;
    jdFromYearDay(date, ENGLISH_CHANGE_DATE);
  } else {
    let week = r.week;
    if (week >= 5) week = -1;
    const d2 = newFields();
    d2.era = CE;
    d2.year = y;
    if (week >= 0) {
      d2.month = r.month;
      d2.dayOfMonth = 0;
    } else {
      d2.month = r.month + 1;
      d2.dayOfMonth = 7;
    }
    jdFromYmd(d2, ENGLISH_CHANGE_DATE);
    date.julianDay = weekdayOnOrBefore(r.dayOfWeek, d2.julianDay) + 7 * week;
  }
  const h = r.hours === null ? 2 : r.hours;
  return date.julianDay * 86400 + SECONDS_AT_JD0 + (h * 60 + r.minutes) * 60 + r.seconds;
}
