import { expect } from 'chai';

import { Interp, TclObj } from '../../src/index.js';
import { toDict } from '../../src/commands/dict.js';
import { fails } from '../helpers/interp.js';

describe('commands: dict', () => {
  let interp: Interp;
  const run = (script: string): string => interp.evalOrThrow(script);

  beforeEach(() => {
    interp = new Interp();
  });

  describe('values', () => {
    it('keeps insertion order and merges duplicate keys in place', () => {
      expect(run('dict create b 1 a 2 b 3')).to.equal('b 3 a 2');
      expect(run('dict keys {b 1 a 2 b 3}')).to.equal('b a');
      expect(run('set d {z 1 y 2}; dict set d a 3; dict set d z 4; dict unset d y; dict set d y 5; set d')).to.equal('z 4 a 3 y 5');
    });

    it('reports malformed dictionaries as Tcl does', () => {
      expect(fails(interp, 'dict size {a 1 b}').slice(0, 2)).to.deep.equal(['missing value to go with key', 'TCL VALUE DICTIONARY']);
      expect(fails(interp, 'dict get "a \\{" a').slice(0, 2)).to.deep.equal(['unmatched open brace in dict', 'TCL VALUE DICTIONARY BRACE']);
      expect(fails(interp, 'dict get "a {b}c" a')[0]).to.equal('dict element in braces followed by "c" instead of space');
      expect(() => toDict(TclObj.fromString('a "b'))).to.throw('unmatched open quote in dict');
    });

    it('returns canonical forms where Tcl builds a new value', () => {
      expect(run('dict get "a  1   b 2"')).to.equal('a 1 b 2');
      expect(run('dict remove "a  1   b 2"')).to.equal('a 1 b 2');
      expect(run('dict merge "a  1   b 2"')).to.equal('a  1   b 2');
      expect(run('dict replace {a 1} b {x y}')).to.equal('a 1 b {x y}');
    });
  });

  describe('reading', () => {
    it('gets nested keys and names a missing one', () => {
      expect(run('dict get {a {b {c deep}}} a b c')).to.equal('deep');
      const [msg, code] = fails(interp, 'dict get {a {b 1}} a z');
      expect(msg).to.equal('key "z" not known in dictionary');
      expect(code).to.equal('TCL LOOKUP DICT z');
      expect(fails(interp, 'dict get {a 1} {x y}')[1]).to.equal('TCL LOOKUP DICT {x y}');
    });

    it('answers exists without complaining about non-dicts', () => {
      expect(run('dict exists {a {b 1}} a b')).to.equal('1');
      expect(run('dict exists {a {b 1}} a b c')).to.equal('0');
      expect(run('dict exists "not a \\{dict" a')).to.equal('0');
    });

    it('filters keys and values by glob patterns and scripts', () => {
      run('set d {apple 1 banana 2 avocado 3}');
      expect(run('dict filter $d key a*')).to.equal('apple 1 avocado 3');
      expect(run('dict filter $d key a* b*')).to.equal('apple 1 banana 2 avocado 3');
      expect(run('dict filter $d value {[12]}')).to.equal('apple 1 banana 2');
      expect(run('dict filter $d script {k v} {string match *an* $k}')).to.equal('banana 2');
      expect(run('dict keys $d *o*')).to.equal('avocado');
      expect(run('dict values $d 3')).to.equal('3');
    });
  });

  describe('updating variables', () => {
    it('creates the variable and nested dicts', () => {
      expect(run('dict set cfg server port 8080; dict set cfg server host h; set cfg')).to.equal('server {port 8080 host h}');
      expect(run('dict unset nov a; set nov')).to.equal('');
    });

    it('refuses to descend into non-dict values', () => {
      expect(fails(interp, 'set d {a 1}; dict set d a b 2')[0]).to.equal('missing value to go with key');
      expect(fails(interp, 'set d {a {b 1}}; dict unset d x y')[0]).to.equal('key "x" not known in dictionary');
    });

    it('increments with Tcl\'s checks and error codes', () => {
      expect(run('set d {}; dict incr d n; dict incr d n 5; set d')).to.equal('n 6');
      expect(run('set d {}; dict incr d h 0x10; set d')).to.equal('h 0x10');
      expect(run('set d {a 1}; dict incr d a 99999999999999999999')).to.equal('a 100000000000000000000');
      const [m1, c1, i1] = fails(interp, 'set d {a 1}; dict incr d a 1.5');
      expect([m1, c1]).to.deep.equal(['expected integer but got "1.5"', 'TCL VALUE INTEGER']);
      expect(i1).to.contain('(reading increment)');
      expect(fails(interp, 'set d {a 1}; dict incr d b x')[1]).to.equal('TCL VALUE NUMBER');
      const [m3, , i3] = fails(interp, 'set d {a x}; dict incr d a');
      expect(m3).to.equal('expected integer but got "x"');
      expect(i3).not.to.contain('reading increment');
    });

    it('appends strings and list elements', () => {
      expect(run('dict append d s abc; dict append d s def; dict lappend d l x; dict lappend d l y z; set d')).to.equal('s abcdef l {x y z}');
      expect(run('set d {b 1}; dict lappend d a; set d')).to.equal('b 1 a {}');
      expect(fails(interp, 'set d [dict create l "a \\{"]; dict lappend d l x')[0]).to.equal('unmatched open brace in list');
    });

    it('writes through array elements and refuses array variables', () => {
      expect(run('dict set a(x) k v; set a(x)')).to.equal('k v');
      expect(fails(interp, 'array set arr {}; dict set arr x 1').slice(0, 2)).to.deep.equal(['can\'t set "arr": variable is array', 'TCL WRITE VARNAME']);
    });
  });

  describe('in-place updates', () => {
    it('never changes a value that escaped through a read', () => {
      const script = `proc build {} {
        set d {}
        set snaps {}
        for {set i 0} {$i < 5} {incr i} {
          dict set d k$i $i
          lappend snaps $d
          dict lappend d list $i
          dict incr d count
        }
        set copy $d
        dict unset d k0
        dict append d k1 x
        list $snaps $copy $d
      }
      build`;
      interp.evalOrThrow(script);
      expect(run('lindex [build] 0 0')).to.equal('k0 0');
      expect(run('lindex [build] 0 4')).to.equal('k0 0 list {0 1 2 3} count 4 k1 1 k2 2 k3 3 k4 4');
      expect(run('lindex [build] 1')).to.equal('k0 0 list {0 1 2 3 4} count 5 k1 1 k2 2 k3 3 k4 4');
      expect(run('lindex [build] 2')).to.equal('list {0 1 2 3 4} count 5 k1 1x k2 2 k3 3 k4 4');
    });

    it('keeps a dict that is still interp.result or a proc result intact', () => {
      run('proc f {} { dict set d a 1; dict set d b 2 }');
      expect(run('set r [f]; set r')).to.equal('a 1 b 2');
      expect(run('proc g {} { set d {}; set x [dict set d a 1]; dict set d b 2; list $x $d }; g')).to.equal('{a 1} {a 1 b 2}');
    });

    it('leaves a dict unchanged when the update fails', () => {
      run('proc h {} { set d {}; dict set d a 1; dict set d n x; catch {dict incr d n}; catch {dict set d a b c}; set d }');
      expect(run('h')).to.equal('a 1 n x');
    });

    it('builds large dicts in linear time', function () {
      this.timeout(10000);
      run('proc big {n} { set d {}; for {set i 0} {$i < $n} {incr i} { dict set d $i x; dict get $d $i }; dict size $d }');
      const t0 = Date.now();
      expect(run('big 40000')).to.equal('40000');
      expect(Date.now() - t0).to.be.below(2000);
    });
  });

  describe('loops', () => {
    it('dict for honours break and continue and sets the variables', () => {
      expect(run('set out {}; dict for {k v} {a 1 b 2 c 3 d 4} { if {$k eq "b"} continue; if {$k eq "d"} break; lappend out $k$v }; set out')).to.equal('a1 c3');
      expect(run('dict for {k v} {a 1 b 2} {}; list $k $v')).to.equal('b 2');
      expect(fails(interp, 'dict for {k} {a 1} {}').slice(0, 2)).to.deep.equal(['must have exactly two variable names', 'TCL SYNTAX dict for']);
    });

    it('dict map keys by the key variable after the body and discards on break', () => {
      expect(run('dict map {k v} {a 1 b 2} {set k z$k; set v}')).to.equal('za 1 zb 2');
      expect(run('dict map {k v} {a 1 b 2} {if {$k eq "b"} break; set v}')).to.equal('');
      expect(run('dict map {k v} {a 1 b 2} {if {$k eq "a"} continue; set v}')).to.equal('b 2');
    });

    it('reports body errors with Tcl\'s context lines', () => {
      expect(fails(interp, 'dict for {k v} {a 1} {\n error boom\n}')[2]).to.contain('("dict for" body line 2)');
      expect(fails(interp, 'dict map {k v} {a 1} {error boom}')[2]).to.contain('("dict map" body line 1)');
      expect(fails(interp, 'dict filter {a 1} script {k v} {error boom}')[2]).to.contain('("dict filter" script line 1)');
      // Inside procedures the bodies are compiled into the procedure, as in Tcl.
      run('proc p {} {\n dict for {k v} {a 1} {\n  set y 1\n  error boom\n }\n}');
      const info = fails(interp, 'p')[2];
      expect(info).to.contain('(procedure "p" line 4)');
      expect(info).not.to.contain('dict for');
    });
  });

  describe('update and with', () => {
    it('writes variables back, removing keys whose variable was unset', () => {
      expect(run('set d {a 1 b 2}; dict update d a x b y { incr x 10; unset y }; set d')).to.equal('a 11');
      expect(run('set d {a 1}; dict update d z v {set v new}; set d')).to.equal('a 1 z new');
      expect(run('set d {name Bob age 30}; dict with d { set age 31 }; set d')).to.equal('name Bob age 31');
      expect(run('set d {a 1 b 2}; dict with d {unset a}; set d')).to.equal('b 2');
      expect(run('set d {p {n Ann}}; dict with d p {set n Anna}; set d')).to.equal('p {n Anna}');
    });

    it('skips the write-back when the dict variable was unset, and returns the body result', () => {
      expect(run('set d {a 1}; dict update d a x {unset d}; info exists d')).to.equal('0');
      expect(run('set d {a 1}; dict update d a x {expr {$x + 100}}')).to.equal('101');
      expect(run('set d {a 1}; dict with d {set a}')).to.equal('1');
    });

    it('writes back even when the body fails, and says so in errorInfo', () => {
      const [, , info] = fails(interp, 'set d {a 1}; dict update d a x {set x 2; error boom}');
      expect(info).to.contain('(body of "dict update")');
      expect(run('set d')).to.equal('a 2');
      expect(fails(interp, 'set d {a 1}; dict with d {error boom}')[2]).to.contain('(body of "dict with")');
    });

    it('needs the dict variable to exist', () => {
      expect(fails(interp, 'dict with nosuch {}')[0]).to.equal('can\'t read "nosuch": no such variable');
      expect(fails(interp, 'dict update nosuch a b {}')[0]).to.equal('can\'t read "nosuch": no such variable');
    });
  });

  describe('the ensemble', () => {
    it('accepts unique prefixes and names the full subcommand in usage errors', () => {
      expect(run('dict g {a 1} a')).to.equal('1');
      expect(fails(interp, 'dict g')[0]).to.equal('wrong # args: should be "dict get dictionary ?key ...?"');
      expect(fails(interp, '::dict s')[0]).to.contain('unknown or ambiguous subcommand "s"');
    });

    it('lists the subcommands when one is unknown', () => {
      const [msg, code] = fails(interp, 'dict frob');
      expect(msg).to.equal(
        'unknown or ambiguous subcommand "frob": must be append, create, exists, filter, for, get, incr, info, keys, lappend, map, merge, remove, replace, set, size, unset, update, values, or with',
      );
      expect(code).to.equal('TCL LOOKUP SUBCOMMAND frob');
      expect(fails(interp, 'dict ""')[1]).to.equal('TCL LOOKUP SUBCOMMAND {}');
    });

    it('describes its hash table in dict info', () => {
      expect(run('dict info {a 1 b 2 c 3}').split('\n')[0]).to.equal('3 entries in table, 4 buckets');
    });
  });
});
