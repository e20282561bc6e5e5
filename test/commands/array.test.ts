import { expect } from 'chai';

import { Interp } from '../../src/index.js';
import { tclStringHash, tclHashOrder, tclHashStats } from '../../src/commands/hashorder.js';
import { fails } from '../helpers/interp.js';

describe('commands: array', () => {
  let interp: Interp;
  const run = (script: string): string => interp.evalOrThrow(script);

  beforeEach(() => {
    interp = new Interp();
  });

  describe("Tcl's hash order", () => {
    it('hashes the UTF-8 bytes with h*9+c, NUL as C0 80', () => {
      expect(tclStringHash('')).to.equal(0);
      expect(tclStringHash('a')).to.equal(97);
      expect(tclStringHash('ab')).to.equal(97 * 9 + 98);
      expect(tclStringHash('é')).to.equal(0xc3 * 9 + 0xa9);
      expect(tclStringHash('\0')).to.equal(0xc0 * 9 + 0x80);
      // Wraps at 32 bits.
      expect(tclStringHash('zzzzzzzzzzzz')).to.be.within(0, 0xffffffff);
    });

    it('replays bucket growth and chain order (orders recorded from tclsh 8.6.13)', () => {
      const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
      const order = tclHashOrder(keys).map((i) => keys[i]);
      expect(order.join(' ')).to.equal('k0 k1 k10 k2 k11 k12 k3 k13 k4 k14 k5 k15 k6 k16 k7 k17 k8 k18 k9 k19');
      run('array set u {{a b} {1 2} c {}}');
      expect(run('array get u')).to.equal('c {} {a b} {1 2}');
    });

    it('lists names, values and searches in that order', () => {
      run('for {set i 0} {$i < 20} {incr i} {set big(k$i) $i}');
      expect(run('array names big')).to.equal('k0 k1 k10 k2 k11 k12 k3 k13 k4 k14 k5 k15 k6 k16 k7 k17 k8 k18 k9 k19');
      expect(run('array get big k1*')).to.equal('k1 1 k10 10 k11 11 k12 12 k13 13 k14 14 k15 15 k16 16 k17 17 k18 18 k19 19');
      expect(run('set id [array startsearch big]; set s {}; while {[array anymore big $id]} {lappend s [array nextelement big $id]}; array donesearch big $id; set s')).to.equal(
        run('array names big'),
      );
    });

    it('formats statistics like Tcl_HashStats', () => {
      expect(tclHashStats(['a', 'b', 'c'])).to.equal(
        '3 entries in table, 4 buckets\nnumber of buckets with 0 entries: 1\nnumber of buckets with 1 entries: 3\n' +
          'number of buckets with 2 entries: 0\nnumber of buckets with 3 entries: 0\nnumber of buckets with 4 entries: 0\n' +
          'number of buckets with 5 entries: 0\nnumber of buckets with 6 entries: 0\nnumber of buckets with 7 entries: 0\n' +
          'number of buckets with 8 entries: 0\nnumber of buckets with 9 entries: 0\n' +
          'number of buckets with 10 or more entries: 0\naverage search distance for entry: 1.0',
      );
      expect(run('array set e {}; lindex [split [array statistics e] \\n] 0')).to.equal('0 entries in table, 4 buckets');
    });
  });

  describe('subcommands', () => {
    it('sets, gets and counts, skipping nothing that is defined', () => {
      expect(run('array set a {x 1 y 2 x 3}; array size a')).to.equal('2');
      expect(run('lsort -stride 2 [array get a]')).to.equal('x 3 y 2');
      expect(run('array exists a')).to.equal('1');
      expect(run('set s 1; list [array exists s] [array size s] [array exists nope] [array size nope]')).to.equal('0 0 0 0');
      expect(run('set e(1) 1; unset e(1); list [array exists e] [array size e] [array names e]')).to.equal('1 0 {}');
    });

    it('matches names exactly, by glob and by regexp', () => {
      run('array set a {a1 1 a2 2 b1 3 {a*} 4}');
      expect(run('lsort [array names a a*]')).to.equal('a* a1 a2');
      expect(run('array names a -exact a*')).to.equal('a*');
      expect(run('lsort [array names a -regexp {^a[0-9]$}]')).to.equal('a1 a2');
      expect(run('array names a -e a1')).to.equal('a1');
      // With only two words after the name the second is the pattern, even if it looks like a mode.
      expect(run('array names a -exact')).to.equal('');
      expect(fails(interp, 'array names a -bogus x').slice(0, 2)).to.deep.equal([
        'bad option "-bogus": must be -exact, -glob, or -regexp',
        'TCL LOOKUP INDEX option -bogus',
      ]);
    });

    it('unsets by pattern or whole', () => {
      run('array set a {x1 1 x2 2 y1 3}');
      run('array unset a x*');
      expect(run('array names a')).to.equal('y1');
      run('array unset a');
      expect(run('info exists a')).to.equal('0');
      expect(run('array unset nope; set s 1; array unset s; set s')).to.equal('1');
    });

    it('complains as Tcl does', () => {
      expect(fails(interp, 'array set a {x 1 y}').slice(0, 2)).to.deep.equal(['list must have an even number of elements', 'TCL ARGUMENT FORMAT']);
      expect(fails(interp, 'set s 1; array set s {x 1}')[0]).to.equal('can\'t set "s(x)": variable isn\'t array');
      expect(fails(interp, 'set s 1; array set s {}').slice(0, 2)).to.deep.equal(['can\'t array set "s": variable isn\'t array', 'TCL WRITE ARRAY']);
      expect(fails(interp, 'array startsearch nope').slice(0, 2)).to.deep.equal(['"nope" isn\'t an array', 'TCL LOOKUP ARRAY nope']);
      expect(fails(interp, 'array statistics nope')[0]).to.equal('"nope" isn\'t an array');
      expect(fails(interp, 'array set a')[0]).to.equal('wrong # args: should be "array set arrayName list"');
      expect(fails(interp, 'array names a b c d')[0]).to.equal('wrong # args: should be "array names arrayName ?mode? ?pattern?"');
      expect(fails(interp, 'array frob a')[0]).to.equal(
        'unknown or ambiguous subcommand "frob": must be anymore, donesearch, exists, get, names, nextelement, set, size, startsearch, statistics, or unset',
      );
    });
  });

  describe('searches', () => {
    it('numbers searches per array and ends them when elements come or go', () => {
      run('array set a {x 1 y 2}');
      expect(run('array startsearch a')).to.equal('s-1-a');
      expect(run('array startsearch a')).to.equal('s-2-a');
      run('set a(z) 3');
      expect(fails(interp, 'array nextelement a s-1-a').slice(0, 2)).to.deep.equal(['couldn\'t find search "s-1-a"', 'TCL LOOKUP ARRAYSEARCH s-1-a']);
      expect(run('array startsearch a')).to.equal('s-1-a');
      run('unset a(x)');
      expect(fails(interp, 'array anymore a s-1-a')[0]).to.equal('couldn\'t find search "s-1-a"');
    });

    it('checks the identifier before looking for the search', () => {
      run('array set a {x 1}; array set b {y 2}');
      expect(fails(interp, 'array anymore a bogus')[0]).to.equal('illegal search identifier "bogus"');
      expect(fails(interp, 'array anymore a s-x-a')[0]).to.equal('illegal search identifier "s-x-a"');
      expect(fails(interp, 'array anymore a s-1-b')[0]).to.equal('search identifier "s-1-b" isn\'t for variable "a"');
      expect(fails(interp, 'array anymore a s-01-a')[0]).to.equal('couldn\'t find search "s-01-a"');
    });

    it('walks to the end and then returns an empty name', () => {
      run('array set a {only 1}');
      run('set id [array startsearch a]');
      expect(run('list [array anymore a $id] [array nextelement a $id] [array anymore a $id] [array nextelement a $id]')).to.equal('1 only 0 {}');
      run('array donesearch a $id');
      expect(fails(interp, 'array donesearch a $id')[0]).to.equal('couldn\'t find search "s-1-a"');
      expect(run('proc f {} {array set loc {a 1}; array startsearch loc}; f')).to.equal('s-1-loc');
    });
  });

  describe('traces', () => {
    it('fires array traces first, then element traces, as Tcl does', () => {
      run('set log {}; proc tr {args} {lappend ::log $args}');
      run('array set tv {x 1}; trace add variable tv {array read write unset} tr');
      run('array names tv');
      run('array get tv');
      run('array set tv {z 3}');
      run('array unset tv z');
      expect(run('set log')).to.equal('{tv {} array} {tv {} array} {tv x read} {tv {} array} {tv z write} {tv {} array} {tv z unset}');
    });
  });
});
