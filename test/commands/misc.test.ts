import { expect } from 'chai';

import { Interp } from '../../src/index.js';
import { convertFrom, convertTo, getEncoding, encodingNames } from '../../src/values/encoding.js';
import { fails } from '../helpers/interp.js';

const hex = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('hex');
const codes = (s: string): string => Array.from(s, (c) => c.codePointAt(0)!.toString(16)).join(' ');

// Expected values below were printed by tclsh 8.6.13.
describe('commands: encoding, time, trace', () => {
  let interp: Interp;
  const run = (script: string): string => interp.evalOrThrow(script);

  beforeEach(() => {
    interp = new Interp();
  });

  describe('encoding conversions', () => {
    const utf8 = () => getEncoding('utf-8');

    it('encodes UTF-8 with Tcl\'s treatment of surrogates and NUL', () => {
      expect(hex(convertTo(utf8(), 'é€'))).to.equal('c3a9e282ac');
      expect(hex(convertTo(utf8(), 'a\0b'))).to.equal('610062');
      expect(hex(convertTo(utf8(), '\ud800'))).to.equal('eda080');
      expect(hex(convertTo(utf8(), '\ud83d\ude00'))).to.equal('f09f9880');
      expect(hex(convertTo(getEncoding('identity'), 'a\0b€'))).to.equal('61c08062e282ac');
    });

    it('decodes malformed UTF-8 byte by byte', () => {
      const from = (b: string) => codes(convertFrom(utf8(), b));
      expect(from('a\xff\xc3b')).to.equal('61 ff c3 62');
      expect(from('\xc0\x80')).to.equal('0');
      expect(from('\xc0\x81')).to.equal('c0 81');
      expect(from('\xe0\x80\xaf')).to.equal('e0 80 af');
      expect(from('\xed\xa0\x80')).to.equal('d800');
      expect(from('\xf4\x90\x80\x80')).to.equal('f4 90 80 80');
      expect(from('\xf0\x9f\x98\x80')).to.equal('1f600');
      // Characters above 0xFF are read as their low byte, as Tcl_GetByteArrayFromObj does.
      expect(from('\u20ac')).to.equal('ac');
    });

    it('maps single-byte encodings and substitutes "?"', () => {
      expect(hex(convertTo(getEncoding('iso8859-1'), 'aé€'))).to.equal('61e93f');
      expect(hex(convertTo(getEncoding('ascii'), '\x7e\x7f\x80'))).to.equal('7e3f3f');
      expect(codes(convertFrom(getEncoding('ascii'), '\x7f\x80\xff'))).to.equal('7f 80 ff');
      expect(hex(convertTo(getEncoding('cp1252'), '\u20ac\u0081\u0080'))).to.equal('80813f');
      expect(codes(convertFrom(getEncoding('iso8859-15'), '\xa4\xbe'))).to.equal('20ac 178');
    });

    it('converts UTF-16 in machine order, dropping an odd byte', () => {
      expect(hex(convertTo(getEncoding('unicode'), 'aé'))).to.equal('6100e900');
      expect(codes(convertFrom(getEncoding('unicode'), 'a\x00b'))).to.equal('61');
    });
  });

  describe('the encoding command', () => {
    it('names, selects and rejects encodings', () => {
      expect(encodingNames()).to.include.members(['utf-8', 'iso8859-1', 'ascii', 'unicode', 'identity']);
      expect(encodingNames()).not.to.include('binary');
      expect(fails(interp, 'encoding convertto bogus abc').slice(0, 2)).to.deep.equal(['unknown encoding "bogus"', 'TCL LOOKUP ENCODING bogus']);
      expect(fails(interp, 'encoding convertto UTF-8 a')[0]).to.equal('unknown encoding "UTF-8"');
      expect(run('set old [encoding system]; encoding system iso8859-1; set n [encoding system]; encoding system $old; set n')).to.equal('iso8859-1');
      expect(run('string length [encoding convertto utf-8 "é€"]')).to.equal('5');
      expect(run('encoding convertfrom [encoding convertto abc]')).to.equal('abc');
    });

    it('gives Tcl\'s usage errors', () => {
      expect(fails(interp, 'encoding')[0]).to.equal('wrong # args: should be "encoding subcommand ?arg ...?"');
      expect(fails(interp, 'encoding convertto a b c')[0]).to.equal('wrong # args: should be "encoding convertto ?encoding? data"');
      expect(fails(interp, 'encoding names x')[0]).to.equal('wrong # args: should be "encoding names"');
      expect(fails(interp, 'encoding system a b')[0]).to.equal('wrong # args: should be "encoding system ?encoding?"');
      expect(fails(interp, 'encoding conv a')[0]).to.equal(
        'unknown or ambiguous subcommand "conv": must be convertfrom, convertto, dirs, names, or system',
      );
    });
  });

  describe('time', () => {
    it('reports microseconds per iteration as Tcl does', () => {
      expect(run('time {incr n} 0')).to.equal('0 microseconds per iteration');
      expect(run('time {incr n} -5')).to.equal('0 microseconds per iteration');
      expect(run('set n 0; time {incr n} 7; set n')).to.equal('7');
      expect(run('llength [time {set x 1} 3]')).to.equal('4');
      expect(run('string is integer [lindex [time {set x 1}] 0]')).to.equal('1');
    });

    it('passes on non-OK codes and errors', () => {
      expect(run('catch {time {break} 3}')).to.equal('3');
      expect(run('catch {time {return -code 5} 3}')).to.equal('2');
      expect(fails(interp, 'time {} 1.5').slice(0, 2)).to.deep.equal(['expected integer but got "1.5"', 'TCL VALUE INTEGER']);
      expect(fails(interp, 'time {} 9999999999')[0]).to.equal('integer value too large to represent');
      expect(fails(interp, 'time')[0]).to.equal('wrong # args: should be "time command ?count?"');
    });
  });

  describe('variable traces', () => {
    beforeEach(() => {
      run('set log {}; proc tr {args} {lappend ::log $args}');
    });

    it('runs newest first with the accessed names and operation', () => {
      run('trace add variable v {read write} tr; trace add variable v write {tr second}');
      run('set v 1; set x $v');
      expect(run('set log')).to.equal('{second v {} write} {v {} write} {v {} read}');
      expect(run('trace info variable v')).to.equal('{write {tr second}} {{read write} tr}');
    });

    it('reports element accesses of traced arrays and names used through links', () => {
      run('trace add variable a write tr; set a(k) 1; array set a {m 2}');
      run('proc p {} {upvar #0 g local; set local 3}; trace add variable g write tr; p');
      expect(run('set log')).to.equal('{a k write} {a m write} {local {} write}');
    });

    it('lets a write trace change the value that was stored', () => {
      run('proc up {n1 n2 op} {upvar 1 $n1 x; set x [string toupper $x]}; trace add variable v write up');
      expect(run('set v abc')).to.equal('ABC');
    });

    it('turns trace errors into access errors and ignores unset errors', () => {
      run('proc bad {args} {error denied}; trace add variable w write bad; trace add variable u unset bad; set u 1');
      const [msg, code, info] = fails(interp, 'set w 1');
      expect([msg, code]).to.deep.equal(['can\'t set "w": denied', 'TCL WRITE VARNAME']);
      expect(info).to.contain('\n    (write trace on "w")\n    invoked from within\n"set w 1"');
      expect(run('set w')).to.equal('1');
      expect(run('unset u; info exists u')).to.equal('0');
      run('trace add variable r read bad; set r 1');
      expect(fails(interp, 'set r').slice(0, 2)).to.deep.equal(['can\'t read "r": denied', 'TCL READ VARNAME']);
    });

    it('removes exactly matching traces and supports the old interface', () => {
      run('trace add variable v write tr; trace add variable v write tr');
      run('trace remove variable v write tr');
      expect(run('trace info variable v')).to.equal('{write tr}');
      run('trace variable o rw tr; set o 1');
      expect(run('trace vinfo o')).to.equal('{rw tr}');
      run('trace vdelete o rw tr');
      expect(run('trace vinfo o')).to.equal('');
      expect(run('set log')).to.equal('{o {} w}');
    });

    it('checks command and execution trace requests but refuses to add them', () => {
      expect(fails(interp, 'trace add command nosuch delete tr').slice(0, 2)).to.deep.equal(['unknown command "nosuch"', 'TCL LOOKUP COMMAND nosuch']);
      expect(fails(interp, 'trace add execution set bogus tr')[0]).to.equal('bad operation "bogus": must be enter, leave, enterstep, or leavestep');
      expect(fails(interp, 'trace add command set {} tr')[0]).to.equal('bad operation list "": must be one or more of delete or rename');
      expect(fails(interp, 'trace add execution set enter tr')[1]).to.equal('TCL OPERATION TRACE UNSUPPORTED');
      expect(run('trace info execution set')).to.equal('');
      expect(run('trace remove command set delete tr')).to.equal('');
    });

    it('validates operations and arguments', () => {
      expect(fails(interp, 'trace add variable x {} cmd').slice(0, 2)).to.deep.equal([
        'bad operation list "": must be one or more of array, read, unset, or write',
        'TCL OPERATION TRACE NOOPS',
      ]);
      expect(fails(interp, 'trace add variable x w cmd')[0]).to.equal('bad operation "w": must be array, read, unset, or write');
      expect(fails(interp, 'trace variable x q cmd').slice(0, 2)).to.deep.equal(['bad operations "q": should be one or more of rwua', 'TCL OPERATION TRACE BADOPS']);
      expect(fails(interp, 'set s 1; trace add variable s(x) write tr')[0]).to.equal('can\'t trace "s(x)": variable isn\'t array');
      expect(fails(interp, 'trace info variable')[0]).to.equal('wrong # args: should be "trace info variable name"');
      expect(fails(interp, 'trace frob')[0]).to.equal('bad option "frob": must be add, info, remove, variable, vdelete, or vinfo');
    });
  });
});
