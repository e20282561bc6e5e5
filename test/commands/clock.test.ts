import { expect } from 'chai';
import * as fs from 'node:fs';

import { Interp } from '../../src/index.js';
import { newFields, jdFromYmd, fieldsFromLocalSeconds, GREGORIAN_CHANGE_DATE } from '../../src/commands/clockCalendar.js';
import { fails } from '../helpers/interp.js';

// Expected values below were printed by tclsh 8.6.13.
describe('commands: clock', () => {
  let interp: Interp;
  const run = (script: string): string => interp.evalOrThrow(script);
  const haveZoneinfo = fs.existsSync('/usr/share/zoneinfo/America/New_York');

  beforeEach(() => {
    interp = new Interp();
  });

  describe('calendar', () => {
    it('switches to the Julian calendar before 15 October 1582', () => {
      const f = newFields();
      f.year = 1582;
      f.month = 10;
      f.dayOfMonth = 15;
      jdFromYmd(f, GREGORIAN_CHANGE_DATE);
      expect(f.julianDay).to.equal(2299161);
      f.dayOfMonth = 4;
      jdFromYmd(f, GREGORIAN_CHANGE_DATE);
      expect([f.julianDay, f.gregorian]).to.deep.equal([2299160, false]);
    });

    it('numbers years within eras and counts ISO weeks', () => {
      const f = newFields();
      f.localSeconds = -62135769601;
      fieldsFromLocalSeconds(f, GREGORIAN_CHANGE_DATE);
      expect([f.era, f.year, f.month, f.dayOfMonth, f.iso8601Week]).to.deep.equal([0, 1, 12, 31, 53]);
    });
  });

  describe('format', () => {
    it('prints the default format and every common code', () => {
      expect(run('clock format 1700000000 -gmt 1')).to.equal('Tue Nov 14 22:13:20 GMT 2023');
      expect(run('clock format 1700000000 -format {%Y-%m-%d %H:%M:%S %Z %z %j %u %w %U %V %W %G %g %C %y %e %k %l %I %p %P %s %J %Q} -gmt 1')).to.equal(
        '2023-11-14 22:13:20 GMT +0000 318 2 2 46 46 46 2023 23 20 23 14 22 10 10 PM pm 1700000000 2460263 Stardate 77868.9',
      );
      expect(run('clock format 1700000000 -format {%c|%x|%X|%r|%R|%T|%D|%+|%Ec|%EY|%EE|%Od|%q|%%|%n|%t} -gmt 1')).to.equal(
        'Tue Nov 14 22:13:20 2023|11/14/2023|22:13:20|10:13:20 pm|22:13|22:13:20|11/14/2023|Tue Nov 14 22:13:20 GMT 2023|Tue Nov 14 22:13:20 2023|2023|C.E.|14|%q|%|\n|\t',
      );
    });

    it('handles the Gregorian changeover, BCE years and huge values', () => {
      expect(run('clock format -12219292800 -gmt 1 -format {%Y-%m-%d %j %J}')).to.equal('1582-10-15 288 2299161');
      expect(run('clock format -12219292801 -gmt 1 -format {%Y-%m-%d %j %J}')).to.equal('1582-10-04 277 2299160');
      expect(run('clock format -62135769601 -gmt 1 -format {%Y-%m-%d %EE}')).to.equal('0001-12-31 B.C.E.');
      expect(run('clock format 9223372036854775807 -gmt 1')).to.equal('Sun Apr 24 15:30:07 GMT 1583316');
    });

    it('formats in fixed offsets, POSIX rules and named zones', function () {
      expect(run('clock format 1700000000 -timezone +05:30:15 -format {%H:%M:%S %Z %z}')).to.equal('03:43:35 +05:30:15 +053015');
      expect(run('clock format 1690000000 -timezone EST5EDT -format {%H:%M %Z %z}')).to.equal('00:26 EDT -0400');
      expect(run('clock format 1690000000 -timezone CET-1CEST,M3.5.0,M10.5.0/3 -format {%H:%M %Z %z}')).to.equal('06:26 CEST +0200');
      expect(run('clock format 1700000000 -timezone :UTC -format %Z')).to.equal('UTC');
      if (!haveZoneinfo) this.skip();
      expect(run('clock format 1690000000 -timezone :America/New_York -format {%H:%M %Z %z}')).to.equal('00:26 EDT -0400');
      expect(run('clock format 1700000000 -timezone :America/New_York -format {%H:%M %Z %z}')).to.equal('17:13 EST -0500');
    });

    it('reports bad arguments with clock.tcl\'s codes and frames', () => {
      // The first call of a clock.tcl procedure goes through its autoloading stub.
      const [msg, code, info] = fails(interp, 'clock format 0 -timezone :Foo/Bar');
      expect([msg, code]).to.deep.equal(['time zone ":Foo/Bar" not found', 'CLOCK badTimeZone :Foo/Bar']);
      expect(info).to.equal(
        'time zone ":Foo/Bar" not found\n    while executing\n"return -options $opts $retval"\n    (procedure "::tcl::clock::format" line 18)\n' +
          '    invoked from within\n"::tcl::clock::format 0 -timezone :Foo/Bar"\n    ("uplevel" body line 1)\n    invoked from within\n' +
          '"uplevel 1 [info level 0]"\n    (procedure "::tcl::clock::format" line 4)\n    invoked from within\n"clock format 0 -timezone :Foo/Bar"',
      );
      expect(fails(interp, 'clock format 0 -timezone :Foo/Bar')[2]).not.to.contain('uplevel');
      expect(fails(interp, 'clock format abc').slice(0, 2)).to.deep.equal(['expected integer but got "abc"', 'TCL VALUE NUMBER']);
      expect(fails(interp, 'clock format 0 -bogus 1').slice(0, 2)).to.deep.equal([
        'bad option "-bogus": must be -format, -gmt, -locale, or -timezone',
        'CLOCK badOption -bogus',
      ]);
      expect(fails(interp, 'clock format 0 -gmt 1 -timezone :UTC')[1]).to.equal('CLOCK gmtWithTimezone');
    });
  });

  describe('add', () => {
    it('adds calendar units in the zone, clamping the day of month', () => {
      expect(run('clock add 1706659200 1 month -gmt 1')).to.equal('1709164800');
      expect(run('clock add 0 13 months 2 years -3 days -gmt 1')).to.equal(run('clock scan 1973-01-29 -format %Y-%m-%d -gmt 1'));
      expect(run('clock add 0 2 hours 30 minutes -gmt 1')).to.equal('9000');
    });

    it('keeps the local time of day across a DST change for days, not for hours', function () {
      if (!haveZoneinfo) this.skip();
      expect(run('clock add 1710054000 1 day -timezone :America/New_York')).to.equal('1710140400');
      expect(run('clock add 1710054000 24 hours -timezone :America/New_York')).to.equal('1710140400');
    });

    it('complains about units and options as clock.tcl does', () => {
      expect(fails(interp, 'clock add 0 1 fortnight').slice(0, 2)).to.deep.equal([
        'unknown unit "fortnight", must be  years, months, weeks, days, hours, minutes or seconds',
        'CLOCK badUnit fortnight',
      ]);
      expect(fails(interp, 'clock add 0 1.5 day')[0]).to.equal('bad option "1.5", must be -gmt, -locale or -timezone');
      expect(fails(interp, 'clock add x 1 day').slice(0, 2)).to.deep.equal(['expected number but got "x"', 'NONE']);
    });
  });

  describe('scan', () => {
    it('scans with a format, filling missing fields from the base', () => {
      expect(run('clock scan {2023-11-14 22:13:20} -format {%Y-%m-%d %H:%M:%S} -gmt 1')).to.equal('1700000000');
      expect(run('clock scan {Tuesday November 14 2023 10:30 PM} -format {%A %B %d %Y %I:%M %p} -gmt 1')).to.equal('1700001000');
      expect(run('clock scan {2023-W46-2} -format {%G-W%V-%u} -gmt 1')).to.equal('1699920000');
      expect(run('clock scan 15 -format %d -base 1700000000 -gmt 1')).to.equal('1700006400');
      expect(run('clock scan {2023-11-14 22:13:20 EST} -format {%Y-%m-%d %H:%M:%S %Z}')).to.equal('1700018000');
      const [msg, code] = fails(interp, 'clock scan {not a date} -format {%Y-%m-%d} -gmt 1');
      expect([msg, code]).to.deep.equal(['input string does not match supplied format', 'CLOCK badInputString']);
      expect(fails(interp, 'clock scan 9 -format %w')[0]).to.equal('day of week is greater than 7');
    });

    it('resolves skipped local times the way Tcl does', function () {
      if (!haveZoneinfo) this.skip();
      expect(run('clock scan {2023-03-12 02:30:00} -format {%Y-%m-%d %H:%M:%S} -timezone :America/New_York')).to.equal('1678606200');
    });

    it('parses free-form dates with the yacc grammar\'s quirks', () => {
      const base = '-base 1700000000 -gmt 1';
      const cases: Array<[string, string]> = [
        ['2024-01-02 03:04:05', '1704164645'],
        ['20240102T030405', '1704164645'],
        ['2024-01-02T03:04:05', '1704164645'],
        ['Jan 2, 2024', '1704153600'],
        ['January 2 2024', '1672691040'], // "2024" is read as the time 20:24
        ['next tuesday', '1700524800'],
        ['3:30pm', '1699975800'],
        ['13pm', '1699919999'], // an invalid time is -1 seconds into the day
        ['2 hours ago', '1699992800'],
        ['1 year ago 2 months', '1673654400'],
        ['+0100', '1699996400'],
        ['x', '1700039600'], // military zone X
        ['2024-01-02 03:04:05 EDT', '1704179045'],
        ['stardate 12345.6', '-367839360'],
        ['', '1700000000'],
      ];
      for (const [text, want] of cases) expect(run(`clock scan {${text}} ${base}`), text).to.equal(want);
    });

    it('reports free-form errors with character positions', () => {
      expect(fails(interp, 'clock scan {not a date} -gmt 1')[0]).to.equal('unable to convert date-time string "not a date": syntax error (characters 0-2)');
      expect(fails(interp, 'clock scan {10:00 dst} -gmt 1')[0]).to.equal('unable to convert date-time string "10:00 dst": syntax error (characters 5-8)');
      expect(fails(interp, 'clock scan {Jan 2 2024 10:00} -gmt 1')[0]).to.equal(
        'unable to convert date-time string "Jan 2 2024 10:00": more than one time of day in string',
      );
      expect(fails(interp, 'clock scan {20240102X030405} -gmt 1')[0]).to.equal('unable to convert date-time string "20240102X030405": ');
      expect(fails(interp, 'clock scan 0 -locale fr')[1]).to.equal('CLOCK flagWithLegacyFormat');
    });
  });

  describe('now', () => {
    it('gives seconds, milliseconds and microseconds from one clock', () => {
      const [s, ms, us] = run('list [clock seconds] [clock milliseconds] [clock microseconds]').split(' ').map(Number);
      expect(Math.floor(ms / 1000)).to.be.at.least(s);
      expect(Math.floor(us / 1000)).to.be.at.least(ms);
      expect(Math.abs(s - Date.now() / 1000)).to.be.below(5);
      expect(fails(interp, 'clock clicks -bogus')[0]).to.equal('bad option "-bogus": must be -milliseconds or -microseconds');
      expect(fails(interp, 'clock seconds 1')[0]).to.equal('wrong # args: should be "clock seconds"');
    });
  });
});
