// `$::name` inside procedures is compiled to a direct lookup in the global namespace; it must
// read exactly as a full name resolution would (expected values recorded from tclsh 8.6).
import { expect } from 'chai';
import { Interp } from '../../src/index.js';

describe('compiled $::name reads', () => {
  it('read globals, report missing ones and arrays as tclsh does', () => {
    const interp = new Interp();
    interp.evalOrThrow('set ::port 5; set x 7; array set ::arr {a 1}');
    interp.evalOrThrow('proc p {} { list $::port $::x [catch {set y $::nosuch} m] $m [catch {set y $::arr} m] $m }');
    expect(interp.evalOrThrow('p')).to.equal('5 7 1 {can\'t read "::nosuch": no such variable} 1 {can\'t read "::arr": variable is array}');
  });

  it('run read traces, follow upvar links and notice unset', () => {
    const interp = new Interp();
    interp.evalOrThrow('set t 1; trace add variable ::t read {apply {{args} {set ::t 42}}}');
    interp.evalOrThrow('proc b {} { return $::t }');
    expect(interp.evalOrThrow('b')).to.equal('42');
    interp.evalOrThrow('proc c {} { upvar #0 lk local; set local 9 }; c');
    interp.evalOrThrow('proc d {} { set a $::lk; unset ::lk; catch {set b $::lk} m; list $a $m }');
    expect(interp.evalOrThrow('d')).to.equal('9 {can\'t read "::lk": no such variable}');
  });

  it('resolve from inside a namespace, with ::ns::name and :::name too', () => {
    const interp = new Interp();
    interp.evalOrThrow('set g top; namespace eval ns { variable v inner; proc e {} { list $::g $::ns::v ${:::g} } }');
    expect(interp.evalOrThrow('ns::e')).to.equal('top inner top');
  });
});
