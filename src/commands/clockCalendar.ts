/**
 * Calendar arithmetic for `clock`, following Tcl 8.6's rules: Julian day numbers, the Julian
 * calendar before the Gregorian changeover (1582-10-15 for the root locale), years counted within
 * an era (1 BCE precedes 1 CE), ISO 8601 weeks, and days of the week numbered 1 (Monday) to 7.
 * Integer division here is always floor division, as in Tcl's expr.
 */

/** Julian day number of 1 January 1970 (the POSIX epoch). */
export const JD_POSIX_EPOCH = 2440588;
/** POSIX seconds at the start of Julian day 0. */
export const SECONDS_AT_JD0 = -210866803200;
/** First day of the Gregorian calendar in Tcl's root locale (15 October 1582). */
export const GREGORIAN_CHANGE_DATE = 2299161;
/** The changeover the free-form scanner and POSIX zone rules use (1752, as in Britain). */
export const ENGLISH_CHANGE_DATE = 2361222;

const JDAY_1_JAN_1_CE_GREGORIAN = 1721426;
const JDAY_1_JAN_1_CE_JULIAN = 1721424;
const DAYS_IN_PRIOR_MONTHS = [
  [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365],
  [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366],
];
export const DAYS_IN_MONTH = [
  [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
  [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
];

export const BCE = 0;
export const CE = 1;

export function fdiv(a: number, b: number): number {
  return Math.floor(a / b);
}

export function fmod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** The broken-down date of a moment, as Tcl's GetDateFields fills it in. */
export interface DateFields {
  /** Seconds since the epoch (UTC). */
  seconds: number;
  /** Seconds since the epoch on the local clock. */
  localSeconds: number;
  /** Seconds since local midnight (kept apart so huge clock values keep their time of day exact). */
  secondOfDay: number;
  tzOffset: number;
  tzName: string;
  julianDay: number;
  gregorian: boolean;
  era: number;
  /** Year within the era (always >= 1). */
  year: number;
  month: number;
  dayOfMonth: number;
  dayOfYear: number;
  /** 1 = Monday ... 7 = Sunday. */
  dayOfWeek: number;
  iso8601Year: number;
  iso8601Week: number;
}

export function newFields(): DateFields {
  return {
    seconds: 0, localSeconds: 0, secondOfDay: 0, tzOffset: 0, tzName: '', julianDay: 0, gregorian: true, era: CE, year: 1970,
    month: 1, dayOfMonth: 1, dayOfYear: 1, dayOfWeek: 4, iso8601Year: 1970, iso8601Week: 1,
  };
}

/** Astronomical year number (1 BCE = 0) of an era and year. */
export function astroYear(era: number, year: number): number {
  return era === BCE ? 1 - year : year;
}

function setEraYear(f: { era: number; year: number }, astro: number): void {
  if (astro <= 0) {
    f.era = BCE;
    f.year = 1 - astro;
  } else {
    f.era = CE;
    f.year = astro;
  }
}

export function isLeapYear(era: number, year: number, gregorian: boolean): boolean {
  const y = astroYear(era, year);
  if (fmod(y, 4) !== 0) return false;
  if (!gregorian) return true;
  if (fmod(y, 400) === 0) return true;
  return fmod(y, 100) !== 0;
}

/** Era, year and day of year of fields.julianDay (GetGregorianEraYearDay). */
export function eraYearDayFromJd(f: DateFields, changeover: number): void {
  const jday = f.julianDay;
  let year = 1;
  let day: number;
  let n: number;
  if (jday >= changeover) {
    f.gregorian = true;
    day = jday - JDAY_1_JAN_1_CE_GREGORIAN;
    n = fdiv(day, 146097);
    day = fmod(day, 146097);
    year += 400 * n;
    n = Math.trunc(day / 36524);
    day = day % 36524;
    if (n > 3) {
      n = 3;
      day += 36524;
    }
    year += 100 * n;
  } else {
    f.gregorian = false;
    day = jday - JDAY_1_JAN_1_CE_JULIAN;
  }
  n = fdiv(day, 1461);
  day = fmod(day, 1461);
  year += 4 * n;
  n = Math.trunc(day / 365);
  day = day % 365;
  if (n > 3) {
    n = 3;
    day += 365;
  }
  year += n;
  setEraYear(f, year);
  f.dayOfYear = day + 1;
}

/** Month and day of month from the day of year (GetMonthDay). */
export function monthDayOf(f: DateFields): void {
  const lengths = DAYS_IN_MONTH[isLeapYear(f.era, f.year, f.gregorian) ? 1 : 0];
  let day = f.dayOfYear;
  let month = 0;
  while (month < 12 && day > lengths[month]) day -= lengths[month++];
  f.month = month + 1;
  f.dayOfMonth = day;
}

/** Julian day of era/year/month/dayOfMonth (months and days may overflow), GetJulianDayFromEraYearMonthDay. */
export function jdFromYmd(f: DateFields, changeover: number): void {
  let year = astroYear(f.era, f.year);
  const mm1 = f.month - 1;
  year += fdiv(mm1, 12);
  const month = fmod(mm1, 12) + 1;
  const ym1 = year - 1;
  f.gregorian = true;
  setEraYear(f, year);
  const leap = isLeapYear(f.era, f.year, true) ? 1 : 0;
  f.julianDay =
    JDAY_1_JAN_1_CE_GREGORIAN - 1 + f.dayOfMonth + DAYS_IN_PRIOR_MONTHS[leap][month - 1] + 365 * ym1 +
    fdiv(ym1, 4) - fdiv(ym1, 100) + fdiv(ym1, 400);
  if (f.julianDay < changeover) {
    f.gregorian = false;
    f.julianDay =
      JDAY_1_JAN_1_CE_JULIAN - 1 + f.dayOfMonth + DAYS_IN_PRIOR_MONTHS[fmod(year, 4) === 0 ? 1 : 0][month - 1] +
      365 * ym1 + fdiv(ym1, 4);
  }
}

/** Julian day of era/year/dayOfYear (GetJulianDayFromEraYearDay). */
export function jdFromYearDay(f: DateFields, changeover: number): void {
  const year = astroYear(f.era, f.year);
  const ym1 = year - 1;
  f.gregorian = true;
  f.julianDay = 1721425 + f.dayOfYear + 365 * ym1 + fdiv(ym1, 4) - fdiv(ym1, 100) + fdiv(ym1, 400);
  if (f.julianDay < changeover) {
    f.gregorian = false;
    f.julianDay = 1721423 + f.dayOfYear + 365 * ym1 + fdiv(ym1, 4);
  }
}

/** The Julian day of the given weekday (1..7, or 0 for Sunday) on or before day j (clock.tcl's). */
export function weekdayOnOrBefore(weekday: number, j: number): number {
  const k = fmod(weekday + 6, 7);
  return j - fmod(j - k, 7);
}

/** The C library's version, whose remainder keeps the sign of j - k (they differ before JD 0). */
function weekdayOnOrBeforeC(weekday: number, j: number): number {
  const k = fmod(weekday + 6, 7);
  return j - ((j - k) % 7);
}

/** Julian day of ISO week date era/iso8601Year/iso8601Week/dayOfWeek (GetJulianDayFromEraYearWeekDay). */
export function jdFromIsoWeek(f: DateFields, changeover: number): void {
  const first = newFields();
  first.era = f.era;
  first.year = f.iso8601Year;
  first.month = 1;
  first.dayOfMonth = 4;
  jdFromYmd(first, changeover);
  const firstMonday = weekdayOnOrBeforeC(1, first.julianDay);
  f.julianDay = firstMonday + 7 * (f.iso8601Week - 1) + f.dayOfWeek - 1;
}

/**
 * ISO 8601 week-year, week and day of week of fields.julianDay (GetYearWeekDay): guess the week-year
 * from the date three days earlier plus one, step back a year if that guess starts too late.
 */
function yearWeekDay(f: DateFields, changeover: number): void {
  const t = newFields();
  t.julianDay = f.julianDay - 3;
  eraYearDayFromJd(t, changeover);
  t.iso8601Year = t.era === BCE ? t.year - 1 : t.year + 1;
  t.iso8601Week = 1;
  t.dayOfWeek = 1;
  jdFromIsoWeek(t, changeover);
  if (f.julianDay < t.julianDay) {
    t.iso8601Year += t.era === BCE ? 1 : -1;
    jdFromIsoWeek(t, changeover);
  }
  f.iso8601Year = t.iso8601Year;
  const dayOfFiscalYear = f.julianDay - t.julianDay;
  f.iso8601Week = Math.trunc(dayOfFiscalYear / 7) + 1;
  let dow = (dayOfFiscalYear + 1) % 7;
  if (dow < 1) dow += 7;
  f.dayOfWeek = dow;
}

/** Fill in every calendar field from localSeconds (the date part of GetDateFields). */
export function fieldsFromLocalSeconds(f: DateFields, changeover: number): void {
  // Tcl truncates toward zero here (C division), so before 4713 BCE the day is one later than
  // floor division would give, while the time of day (Tcl expr) is taken modulo floor.
  const sum = f.localSeconds - SECONDS_AT_JD0;
  f.julianDay = ((sum - (sum % 86400)) / 86400) | 0;
  f.secondOfDay = fmod(f.localSeconds, 86400);
  fieldsFromJulianDay(f, changeover);
}

/** Fill in the calendar fields from julianDay. */
export function fieldsFromJulianDay(f: DateFields, changeover: number): void {
  eraYearDayFromJd(f, changeover);
  monthDayOf(f);
  yearWeekDay(f, changeover);
}

/** Local seconds at the start of a Julian day plus a time of day. */
export function localSecondsOf(julianDay: number, secondOfDay: number): number {
  return SECONDS_AT_JD0 + 86400 * julianDay + secondOfDay;
}
