/**
 * The `clock` ensemble: add, clicks, format, microseconds, milliseconds, scan, seconds.
 *
 * Formatting and arithmetic follow Tcl 8.6's clock.tcl in its root ("C") locale: English names,
 * the Gregorian changeover of 1582, `%c` = "%a %b %e %H:%M:%S %Y" and so on. Other locales are
 * accepted and formatted as the root locale (Tcl would load their message catalogs). Date logic is in
 * clockFields.ts, scanning in clockScan.ts, calendars in clockCalendar.ts, zones in clockZone.ts.
 *
 * In Tcl 8.6 format, scan and add are Tcl procedures (clock.tcl, loaded on first use), so their errors
 * carry procedure frames in errorInfo; `raise` reproduces those frames.
 */
import * as fs from 'node:fs';
import { TclObj, Rep } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getBoolean, numericRep } from '../values/number.js';
import { formatStringList } from '../values/listFormat.js';
import { OK } from '../engine/codes.js';
import { getIndexFromTable } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';
import { registerAll } from './registry.js';
import { SubcommandTable, subWrongArgs, ensembleWrongArgs } from './subcommands.js';
import { GREGORIAN_CHANGE_DATE } from './clockCalendar.js';
import { Zone, getZone, defineZone, zoneWorks, parseTzif } from './clockZone.js';
import { DEFAULT_FORMAT, clockValue, formatClock, addMonths, addDays, procFrame, throwThrough, ErrorFrame } from './clockFields.js';
import { scanClock } from './clockScan.js';

// ------------------------------------------------------------------ system zone

/** The interpreter's view of an environment variable (the env array, else the process's). */
function envVar(interp: Interp, name: string): string {
  try {
    return interp.getVar('::env', name).toString();
  } catch {
    return process.env[name] ?? '';
  }
}

let localtimeLoaded: boolean | null = null;

/** GetSystemTimeZone: TCL_TZ, TZ, then /etc/localtime, else :localtime; unusable zones give :localtime. */
export function systemTimeZone(interp: Interp): string {
  let tz = envVar(interp, 'TCL_TZ');
  if (tz === '') tz = envVar(interp, 'TZ');
  if (tz === '') {
    if (localtimeLoaded === null) {
      try {
        defineZone(':Tcl/Localtime', parseTzif('Tcl/Localtime', fs.readFileSync('/etc/localtime')));
        localtimeLoaded = true;
      } catch {
        localtimeLoaded = false;
      }
    }
    tz = localtimeLoaded ? ':Tcl/Localtime' : ':localtime';
  }
  const sys = (): string => tz;
  return zoneWorks(tz, sys) ? tz : ':localtime';
}

export function zoneFor(interp: Interp, spec: string): Zone {
  return getZone(spec, () => systemTimeZone(interp));
}

// ------------------------------------------------------------------ options

const FORMAT_OPTIONS = ['-format', '-gmt', '-locale', '-timezone'];
const FORMAT_USAGE = 'clockval ?-format string? ?-gmt boolean? ?-locale LOCALE? ?-timezone ZONE?';

const PARSE_FORMAT_ARGS = [procFrame('ParseFormatArgs {*}$args', '::tcl::clock::format', 6)];
const FORMAT_ZONE = [procFrame('return -options $opts $retval', '::tcl::clock::format', 18)];

function clockFormat(interp: Interp, objv: TclObj[]): number {
  let args: { format: string; timezone: string; seconds: number | bigint };
  try {
    args = parseFormatArgs(objv);
  } catch (e) {
    throwThrough(e, PARSE_FORMAT_ARGS);
  }
  let z: Zone;
  try {
    z = zoneFor(interp, args.timezone === '' ? systemTimeZone(interp) : args.timezone);
  } catch (e) {
    throwThrough(e, FORMAT_ZONE);
  }
  interp.result = TclObj.fromString(formatClock(args.seconds, args.format, z));
  return OK;
}

/** ClockParseformatargsObjCmd: options, then the clock value, then the -gmt/-timezone clash. */
function parseFormatArgs(objv: TclObj[]): { format: string; timezone: string; seconds: number | bigint } {
  if (objv.length < 3 || (objv.length & 1) === 0) subWrongArgs(objv, 'format', FORMAT_USAGE, 'CLOCK wrongNumArgs');
  let format = DEFAULT_FORMAT;
  let gmt = false;
  let sawGmt = false;
  let timezone = '';
  let sawZone = false;
  for (let i = 3; i < objv.length; i += 2) {
    let which: number;
    try {
      which = getIndexFromTable(objv[i], FORMAT_OPTIONS, 'option');
    } catch (e) {
      if (e instanceof TclError) throw new TclError(e.message, `CLOCK badOption ${formatStringList([objv[i].toString()])}`);
      throw e;
    }
    switch (which) {
      case 0:
        format = objv[i + 1].toString();
        break;
      case 1:
        gmt = getBoolean(objv[i + 1]);
        sawGmt = true;
        break;
      case 2:
        break;
      case 3:
        timezone = objv[i + 1].toString();
        sawZone = true;
        break;
    }
  }
  const seconds = clockValue(objv[2]);
  if (sawGmt && sawZone) throw new TclError('cannot use -gmt and -timezone in same call', 'CLOCK gmtWithTimezone');
  if (gmt) timezone = ':GMT';
  return { format, timezone, seconds };
}

// ------------------------------------------------------------------ add

/** `string is integer -strict`: a 32-bit-or-wider integer string. */
function isInteger(o: TclObj): boolean {
  const r = o.t === Rep.Int ? Rep.Int : numericRep(o);
  return r === Rep.Int || r === Rep.Big;
}

const ADD_USAGE = 'clockval ?number units?... ?-gmt boolean? ?-locale LOCALE? ?-timezone ZONE?';
const ADD_BAD_OPTION = [
  procFrame('throw [list CLOCK badOption $a]  "bad option \\"$a\\", must be -gmt, -locale or -timezone"', '::tcl::clock::add', 31),
];
const ADD_ZONE = [procFrame('return -options $opts $retval', '::tcl::clock::add', 57)];
const ADD_UNIT = [procFrame('return -options $opts $result', '::tcl::clock::add', 96)];

function clockAdd(interp: Interp, objv: TclObj[]): number {
  if (objv.length === 2) {
    // clock.tcl's add procedure requires clockval; through the autoloader Tcl names the procedure.
    const head = firstCall ? '::tcl::clock::add' : `${objv[0].toString()} add`;
    throw new TclError(`wrong # args: should be "${head} clockval ?arg ...?"`, 'TCL WRONGARGS');
  }
  if ((objv.length & 1) === 0) subWrongArgs(objv, 'add', ADD_USAGE, 'CLOCK wrongNumArgs');
  const cv = objv[2];
  const cvRep = isInteger(cv) ? Rep.Int : numericRep(cv);
  if (cvRep === Rep.None) throw new TclError(`expected number but got "${cv.toString()}"`, 'NONE');
  const offsets: Array<[TclObj, string]> = [];
  let gmt: TclObj | null = null;
  let timezone = '';
  for (let i = 3; i < objv.length; i += 2) {
    const a = objv[i];
    if (isInteger(a)) {
      offsets.push([a, objv[i + 1].toString()]);
      continue;
    }
    const s = a.toString();
    if (s.length >= 2 && '-gmt'.startsWith(s)) gmt = objv[i + 1];
    else if (s.length >= 2 && '-locale'.startsWith(s)) continue;
    else if (s.length >= 2 && '-timezone'.startsWith(s)) timezone = objv[i + 1].toString();
    else {
      const e = new TclError(`bad option "${s}", must be -gmt, -locale or -timezone`, `CLOCK badOption ${formatStringList([s])}`);
      throwThrough(e, ADD_BAD_OPTION);
    }
  }
  // clock.tcl takes wide($clockval), which truncates a double.
  let seconds: number | bigint = cvRep === Rep.Double ? Math.trunc(cv.n) : clockValue(cv, 'NONE');
  if (gmt !== null) {
    let g: boolean;
    try {
      g = getBoolean(gmt);
    } catch {
      throw new TclError(`expected boolean value but got "${gmt.toString()}"`, 'NONE');
    }
    if (g) timezone = ':GMT';
  }
  if (timezone === '') timezone = systemTimeZone(interp);
  let z: Zone;
  try {
    z = zoneFor(interp, timezone);
  } catch (e) {
    throwThrough(e, ADD_ZONE);
  }
  let secs = Number(seconds);
  for (const [qObj, unit] of offsets) {
    const q = Number(clockValue(qObj));
    switch (unit) {
      case 'years':
      case 'year':
        secs = addMonths(12 * q, secs, z, GREGORIAN_CHANGE_DATE);
        break;
      case 'months':
      case 'month':
        secs = addMonths(q, secs, z, GREGORIAN_CHANGE_DATE);
        break;
      case 'weeks':
      case 'week':
        secs = addDays(7 * q, secs, z, GREGORIAN_CHANGE_DATE);
        break;
      case 'days':
      case 'day':
        secs = addDays(q, secs, z, GREGORIAN_CHANGE_DATE);
        break;
      case 'hours':
      case 'hour':
        secs += 3600 * q;
        break;
      case 'minutes':
      case 'minute':
        secs += 60 * q;
        break;
      case 'seconds':
      case 'second':
        secs += q;
        break;
      default:
        throwThrough(
          new TclError(
            `unknown unit "${unit}", must be  years, months, weeks, days, hours, minutes or seconds`,
            `CLOCK badUnit ${formatStringList([unit])}`,
          ),
          ADD_UNIT,
        );
    }
  }
  seconds = secs;
  interp.result = TclObj.fromInt(seconds);
  return OK;
}

// ------------------------------------------------------------------ scan

const SCAN_FORMAT = [procFrame('return -options $opts $result', '::tcl::clock::scan', 83)];
const SCAN_USAGE = 'string ?-base seconds? ?-format string? ?-gmt boolean? ?-locale LOCALE? ?-timezone ZONE?';

/** Option words clock.tcl accepts: every prefix of at least "-x". */
function scanOption(s: string): string | null {
  for (const opt of ['-base', '-format', '-gmt', '-locale', '-timezone']) {
    if (s.length >= 2 && opt.startsWith(s)) return opt;
  }
  return null;
}

function clockScan(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 3 || (objv.length & 1) === 0) subWrongArgs(objv, 'scan', SCAN_USAGE, 'CLOCK wrongNumArgs');
  let base: TclObj | null = null;
  let format: string | null = null;
  let gmt: TclObj | null = null;
  let timezone: string | null = null;
  let sawLocale = false;
  for (let i = 3; i < objv.length; i += 2) {
    const s = objv[i].toString();
    switch (scanOption(s)) {
      case '-base':
        base = objv[i + 1];
        break;
      case '-format':
        format = objv[i + 1].toString();
        break;
      case '-gmt':
        gmt = objv[i + 1];
        break;
      case '-locale':
        sawLocale = true;
        break;
      case '-timezone':
        timezone = objv[i + 1].toString();
        break;
      default:
        throw new TclError(
          `bad option "${s}", must be -base, -format, -gmt, -locale or -timezone`,
          `CLOCK badOption ${formatStringList([s])}`,
        );
    }
  }
  if (gmt !== null && timezone !== null) throw new TclError('cannot use -gmt and -timezone in same call', 'CLOCK gmtWithTimezone');
  let baseTime: number;
  if (base === null) baseTime = Math.floor(nowMicros() / 1e6);
  else baseTime = Number(clockValue(base, 'NONE'));
  let zoneName = timezone ?? systemTimeZone(interp);
  if (gmt !== null) {
    let g: boolean;
    try {
      g = getBoolean(gmt);
    } catch {
      throw new TclError(`expected boolean value but got "${gmt.toString()}"`, 'NONE');
    }
    if (g) zoneName = ':GMT';
  }
  if (format === null && sawLocale) {
    throw new TclError('legacy [clock scan] does not support -locale', 'CLOCK flagWithLegacyFormat');
  }
  let result: number;
  try {
    result = scanClock(objv[2].toString(), format, baseTime, zoneName, (spec) => zoneFor(interp, spec));
  } catch (e) {
    // clock.tcl traps CLOCK errors of a -format scan and rethrows them from the scan procedure.
    if (format !== null && e instanceof TclError && e.errorInfo === null && e.errorCode.startsWith('CLOCK')) {
      throwThrough(e, SCAN_FORMAT);
    }
    throw e;
  }
  interp.result = TclObj.fromInt(result);
  return OK;
}

// ------------------------------------------------------------------ the current time

/**
 * Microseconds since the epoch. seconds, milliseconds and microseconds all derive from this one
 * clock so that, as with Tcl's single gettimeofday source, they never disagree in order.
 */
function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

function clockSeconds(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) subWrongArgs(objv, 'seconds', '');
  interp.result = TclObj.fromInt(Math.floor(nowMicros() / 1e6));
  return OK;
}

function clockMilliseconds(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) subWrongArgs(objv, 'milliseconds', '');
  interp.result = TclObj.fromInt(Math.floor(nowMicros() / 1000));
  return OK;
}

function clockMicroseconds(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) subWrongArgs(objv, 'microseconds', '');
  interp.result = TclObj.fromInt(nowMicros());
  return OK;
}

const CLICK_SWITCHES = ['-milliseconds', '-microseconds'];

function clockClicks(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) subWrongArgs(objv, 'clicks', '?-switch?');
  let which = -1;
  if (objv.length === 3) which = getIndexFromTable(objv[2], CLICK_SWITCHES, 'option');
  if (which === 0) interp.result = TclObj.fromInt(Math.floor(nowMicros() / 1000));
  else if (which === 1) interp.result = TclObj.fromInt(nowMicros());
  else interp.result = TclObj.fromInt(nowMicros());
  return OK;
}

const SUBS = new SubcommandTable(['add', 'clicks', 'format', 'microseconds', 'milliseconds', 'scan', 'seconds']);
const SUB_PROCS = [clockAdd, clockClicks, clockFormat, clockMicroseconds, clockMilliseconds, clockScan, clockSeconds];

/** Interpreters that have run a clock.tcl procedure (Tcl loads the file on the first one). */
const loaded = new WeakSet<Interp>();
/** Set while a command runs as the first clock.tcl call of its interpreter. */
let firstCall = false;
const TCL_LEVEL = new Set([0, 2, 5]);

function clockCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) ensembleWrongArgs(objv);
  const sub = SUBS.lookup(objv[1]);
  if (!TCL_LEVEL.has(sub) || loaded.has(interp)) return SUB_PROCS[sub](interp, objv);
  // The first call goes through the autoloading stub, which re-runs the command with uplevel.
  loaded.add(interp);
  firstCall = true;
  try {
    return SUB_PROCS[sub](interp, objv);
  } catch (e) {
    const name = `::tcl::clock::${SUBS.names[sub]}`;
    const level0 = formatStringList([name, ...objv.slice(2).map((o) => o.toString())]);
    const frames: ErrorFrame[] = [[level0, '("uplevel" body line 1)'], procFrame('uplevel 1 [info level 0]', name, 4)];
    throwThrough(e, frames);
  } finally {
    firstCall = false;
  }
}

export function register(interp: Interp): void {
  registerAll(interp, { clock: clockCmd });
}


