import { expect } from 'chai';

import { Interp, TclObj } from '../../src/index.js';
import { globMatch, lowerChar, lowerString, hasGlobChars } from '../../src/values/glob.js';
import { dictionaryCompare, indexEncode, indexDecode, INDEX_AFTER, INDEX_BEFORE } from '../../src/commands/lsort.js';
import { fails } from '../helpers/interp.js';

/** A deterministic pseudo-random sequence (tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s >>> 8;
  };
}

describe('commands: lists', () => {
  let interp: Interp;
  const run = (script: string): string => interp.evalOrThrow(script);

  beforeEach(() => {
    interp = new Interp();
    interp.evalOrThrow('set bad "a \\{b"');
  });

  describe('glob matching', () => {
    const cases: Array<[string, string, boolean, boolean]> = [
      // pattern, string, case-sensitive result, -nocase result
      ['*', '', true, true],
      ['a*c', 'abbbc', true, true],
      ['a*c', 'abbb', false, false],
      ['a?c', 'abc', true, true],
      ['a?c', 'ac', false, false],
      ['[a-c]x', 'bx', true, true],
      ['[c-a]x', 'bx', true, true],
      ['[A-C]', 'b', false, true],
      ['[Z-a]', '_', true, false],
      ['[a-]', '_', true, true],
      ['[a-]', '-', false, false],
      ['[\\]]', '\\]', true, true],
      ['[\\]]', ']', false, false],
      ['[]a]', 'a', false, false],
      ['[a', 'a', true, true],
      ['[a', 'ab', false, false],
      ['a[', 'a', false, false],
      ['a\\', 'a\\', false, false],
      ['a\\*', 'a*', true, true],
      ['a\\*', 'ab', false, false],
      ['\\\\', '\\', true, true],
      ['[^a]', '^', true, true],
      ['*[a', 'xa', true, true],
      ['**a', 'a', true, true],
      ['a*?', 'ab', true, true],
      ['*B*', 'aBc', true, true],
      ['*b*', 'aBc', false, true],
      ['Ä*', 'äx', false, true],
    ];
    for (const [p, s, exact, nocase] of cases) {
      it(`matches ${JSON.stringify(p)} against ${JSON.stringify(s)} as Tcl does`, () => {
        expect(globMatch(p, s, false)).to.equal(exact);
        expect(globMatch(p, s, true)).to.equal(nocase);
      });
    }

    it('stays linear on patterns with many stars', () => {
      const s = 'a'.repeat(5000);
      const t0 = Date.now();
      expect(globMatch('*a*a*a*a*a*a*a*b', s, false)).to.equal(false);
      expect(Date.now() - t0).to.be.below(2000);
    });

    it('folds case per code unit and spots special characters', () => {
      expect(lowerChar(0x41)).to.equal(0x61);
      expect(lowerChar(0x130)).to.equal(0x69);
      expect(lowerString('AbÇ')).to.equal('abç');
      expect(hasGlobChars('abc')).to.equal(false);
      expect(hasGlobChars('a[b')).to.equal(true);
      expect(hasGlobChars('a\\b')).to.equal(true);
    });
  });

  describe('list, llength, lindex', () => {
    it('builds and measures lists', () => {
      expect(run('list a {b c} ""')).to.equal('a {b c} {}');
      expect(run('list')).to.equal('');
      expect(run('llength {a {b c} d}')).to.equal('3');
      expect(run('llength ""')).to.equal('0');
      expect(fails(interp, 'llength $bad').slice(0, 2)).to.deep.equal(['unmatched open brace in list', 'TCL VALUE LIST BRACE']);
      expect(fails(interp, 'llength a b')[0]).to.equal('wrong # args: should be "llength list"');
    });

    it('indexes flat and nested, with index lists', () => {
      expect(run('lindex {a {b {c d}} e} 1 1 0')).to.equal('c');
      expect(run('lindex {a {b {c d}} e} {1 1 1}')).to.equal('d');
      expect(run('lindex {a b c} end-1')).to.equal('b');
      expect(run('lindex {a b c} 10')).to.equal('');
      expect(run('lindex "a   b"')).to.equal('a   b');
      expect(run('lindex $bad')).to.equal('a {b');
      expect(run('lindex $bad {}')).to.equal('a {b');
      expect(run('lindex {a {b c}} "1 +0"')).to.equal('b');
      expect(fails(interp, 'lindex {a b} 5 x')[0]).to.equal('bad index "x": must be integer?[+-]integer? or end?[+-]integer?');
      expect(fails(interp, 'lindex {a b} $bad')[0]).to.equal('bad index "a {b": must be integer?[+-]integer? or end?[+-]integer?');
      expect(fails(interp, 'lindex $bad x')[0]).to.equal('unmatched open brace in list');
      expect(fails(interp, 'lindex')[0]).to.equal('wrong # args: should be "lindex list ?index ...?"');
    });

    it('compiled lindex and llength in procs agree with the command forms', () => {
      run(`proc f {l i j} {
        list [lindex $l $i] [lindex $l end] [lindex $l end-1] [lindex $l 0] [lindex $l $i $j] \\
             [lindex $l 99] [lindex $l {}] [lindex $l "$i $j"] [llength $l] [lindex $l -1]
      }`);
      expect(run('f {a {b c} {d e f}} 2 1')).to.equal('{d e f} {d e f} {b c} a e {} {a {b c} {d e f}} e 3 {}');
      run('proc g {} {lindex $nosuch $alsonot}');
      expect(fails(interp, 'g')[0]).to.equal('can\'t read "nosuch": no such variable');
      run('proc h {} {set l {a b}; lindex $l $nope}');
      expect(fails(interp, 'h')[0]).to.equal('can\'t read "nope": no such variable');
    });

    it('a list read by lindex/llength stays extendable in place by lappend', () => {
      run(`proc build {n} {
        set l {}
        foreach i [lrepeat $n x] { lappend l $i; set k [llength $l]; set last [lindex $l end] }
        list $k $last
      }`);
      expect(run('build 5')).to.equal('5 x');
      run(`proc escape {} {
        set l {}
        lappend l a b
        set whole [lindex $l {}]
        lappend l c
        list $whole $l
      }`);
      expect(run('escape')).to.equal('{a b} {a b c}');
    });
  });

  describe('linsert, lrange, lreplace, lrepeat, lreverse', () => {
    it('inserts with clamping and canonical results', () => {
      expect(run('linsert {a b c} 1 X')).to.equal('a X b c');
      expect(run('linsert {a b c} end X Y')).to.equal('a b c X Y');
      expect(run('linsert {a b c} end-1 X')).to.equal('a b X c');
      expect(run('linsert {a b c} -5 X')).to.equal('X a b c');
      expect(run('linsert "a   b" 0')).to.equal('a b');
      expect(fails(interp, 'linsert $bad x X')[0]).to.equal('unmatched open brace in list');
      expect(fails(interp, 'linsert {a}')[0]).to.equal('wrong # args: should be "linsert list index ?element ...?"');
    });

    it('takes ranges', () => {
      expect(run('lrange {a b c d e} 1 3')).to.equal('b c d');
      expect(run('lrange "a   {b}   c" 0 end')).to.equal('a b c');
      expect(run('lrange {a b c} 2 1')).to.equal('');
      expect(run('lrange {a b c} -5 end-1')).to.equal('a b');
      expect(fails(interp, 'lrange {a b} 0')[0]).to.equal('wrong # args: should be "lrange list first last"');
    });

    it('replaces, including past the end (8.6 rules)', () => {
      expect(run('lreplace {a b c d e} 1 2 X Y Z')).to.equal('a X Y Z d e');
      expect(run('lreplace {a b c} 5 6 X')).to.equal('a b c X');
      expect(run('lreplace {} 5 6 X')).to.equal('X');
      expect(run('lreplace {a b c} -1 -1 X')).to.equal('X a b c');
      expect(run('lreplace {a b c} 1 0 X')).to.equal('a X b c');
      expect(run('lreplace {a} 0 0')).to.equal('');
      expect(fails(interp, 'lreplace {a} 0')[0]).to.equal('wrong # args: should be "lreplace list first last ?element ...?"');
    });

    it('repeats with Tcl count checks', () => {
      expect(run('lrepeat 2 a {b c}')).to.equal('a {b c} a {b c}');
      expect(run('lrepeat 3')).to.equal('');
      expect(fails(interp, 'lrepeat -1 a').slice(0, 2)).to.deep.equal(['bad count "-1": must be integer >= 0', 'TCL OPERATION LREPEAT NEGARG']);
      expect(fails(interp, 'lrepeat 2147483648 a')[0]).to.equal('bad count "-2147483648": must be integer >= 0');
      expect(fails(interp, 'lrepeat 1000000000 a b').slice(0, 2)).to.deep.equal(['max length of a Tcl list (536870909 elements) exceeded', 'TCL MEMORY']);
      expect(fails(interp, 'lrepeat x a').slice(0, 2)).to.deep.equal(['expected integer but got "x"', 'TCL VALUE INTEGER']);
    });

    it('reverses', () => {
      expect(run('lreverse {{a b} c {} d}')).to.equal('d {} c {a b}');
      expect(run('lreverse {}')).to.equal('');
    });
  });

  describe('lset', () => {
    it('sets, appends one past the end, and nests', () => {
      expect(run('set l {a b c}; lset l end+1 d')).to.equal('a b c d');
      expect(run('set l {a b c}; lset l 3 0 x')).to.equal('a b c x');
      expect(run('set l {a {b c} d}; lset l 1 end+1 x')).to.equal('a {b c x} d');
      expect(run('set l {a {b c} d}; lset l {1 0} X')).to.equal('a {X c} d');
      expect(run('set l {}; lset l 0 0 0 x')).to.equal('x');
      expect(run('set l {a b}; lset l {} whole')).to.equal('whole');
      expect(run('set l $bad; lset l new')).to.equal('new');
      expect(run('array set arr {k {a b}}; lset arr(k) 0 z')).to.equal('z b');
    });

    it('reports errors and leaves the variable unchanged', () => {
      for (const idx of ['4', '-1', 'end+2', '{1 5}']) {
        const [msg, code] = fails(interp, `set m {a {b c} d}; lset m ${idx} x`);
        expect(msg).to.equal('list index out of range');
        expect(code).to.equal('TCL OPERATION LSET BADINDEX');
        expect(run('set m')).to.equal('a {b c} d');
      }
      expect(fails(interp, 'set l {}; lset l end x')[0]).to.equal('list index out of range');
      expect(fails(interp, 'set l {a b}; lset l {1 x} y')[0]).to.equal('bad index "x": must be integer?[+-]integer? or end?[+-]integer?');
      expect(fails(interp, 'lset nosuch 0 x')[0]).to.equal('can\'t read "nosuch": no such variable');
      expect(fails(interp, 'lset l')[0]).to.equal('wrong # args: should be "lset listVar ?index? ?index ...? value"');
    });

    it('in a proc, never changes a value another variable or result holds', () => {
      run(`proc f {} {
        set a {1 2 3}; set b $a; lset a 0 x
        lappend c p q r; set d $c; lset c 1 y
        set e {}; lappend e 1 2 3; lset e 0 x; set k [lindex $e 0]; lset e 0 y
        set r [lset e 1 z]; lset e 2 w
        set n {{1 2} {3 4}}; set row [lindex $n 0]; lset n 0 1 X
        set v {q}; lset e {} $v; lappend e more
        list $a $b $c $d $k $r $n $row $v $e
      }`);
      expect(run('f')).to.equal('{x 2 3} {1 2 3} {p y r} {p q r} x {y z 3} {{1 X} {3 4}} {1 2} q {q more}');
      run(`proc g {} {
        set l {}
        foreach i {0 1 2 3} {lappend l $i}
        foreach i {0 1 2 3} {lset l $i [list [lindex $l $i] [llength $l]]}
        set l
      }`);
      expect(run('g')).to.equal('{0 4} {1 4} {2 4} {3 4}');
      run('proc h {} {set l {a b}; lset l 0 x}');
      expect(run('h')).to.equal('x b');
    });
  });

  describe('concat, join, split, lassign', () => {
    it('concatenates as Tcl trims', () => {
      expect(run('concat a b c')).to.equal('a b c');
      expect(run('concat " a " " b "')).to.equal('a b');
      expect(run('concat "a\\\\ " b')).to.equal('a\\  b');
      expect(run('concat " a \\\\" b')).to.equal('a \\ b');
      expect(run('concat {} {  } {}')).to.equal('');
      expect(run('concat {a b} [list c {d e}] {}')).to.equal('a b c {d e}');
    });

    it('joins and splits', () => {
      expect(run('join {a {b c} d} ,')).to.equal('a,b c,d');
      expect(run('join {{a b}}')).to.equal('a b');
      expect(run('join {}')).to.equal('');
      expect(fails(interp, 'join $bad')[0]).to.equal('unmatched open brace in list');
      expect(run('split "a,b,,c" ,')).to.equal('a b {} c');
      expect(run('split "abc" ""')).to.equal('a b c');
      expect(run('split " a " ""')).to.equal('{ } a { }');
      expect(run('split "a\\tb\\nc d\\re"')).to.equal('a b c d e');
      expect(run('split "aXbYc" XY')).to.equal('a b c');
      expect(run('split "" ,')).to.equal('');
      expect(fails(interp, 'split')[0]).to.equal('wrong # args: should be "split string ?splitChars?"');
    });

    it('assigns list elements to variables', () => {
      expect(run('lassign {a b c} x y')).to.equal('c');
      expect(run('list $x $y')).to.equal('a b');
      expect(run('lassign {a} p q')).to.equal('');
      expect(run('list $p $q')).to.equal('a {}');
      expect(run('lassign "a   b"')).to.equal('a b');
      expect(fails(interp, 'lassign')[0]).to.equal('wrong # args: should be "lassign list ?varName ...?"');
      expect(fails(interp, 'array set z {}; lassign {1} z')[0]).to.equal('can\'t set "z": variable is array');
    });
  });

  describe('lsearch', () => {
    it('matches in every mode', () => {
      expect(run('lsearch {apple banana apricot} ap*')).to.equal('0');
      expect(run('lsearch -all {a1 b1 a2} a*')).to.equal('0 2');
      expect(run('lsearch -all -inline -not {a b a c} a')).to.equal('b c');
      expect(run('lsearch -exact {a* abc} a*')).to.equal('0');
      expect(run('lsearch -exact -integer {1 0x2 3} 2')).to.equal('1');
      expect(run('lsearch -integer {1 02 3} 2')).to.equal('-1');
      expect(run('lsearch -exact -nocase {Abc} aBC')).to.equal('0');
      expect(run('lsearch -regexp {abc abd} {d$}')).to.equal('1');
      expect(run('lsearch -start end {a b a b} b')).to.equal('3');
      expect(run('lsearch -start 5 -inline {a} a')).to.equal('');
    });

    it('searches sorted lists leftmost and bisects rightmost', () => {
      expect(run('lsearch -sorted {a b b b c} b')).to.equal('1');
      expect(run('lsearch -bisect {a b b b c} b')).to.equal('3');
      expect(run('lsearch -bisect {a b c} 0')).to.equal('-1');
      expect(run('lsearch -sorted -decreasing -integer -bisect {10 8 6 4} 7')).to.equal('1');
      expect(run('lsearch -sorted -dictionary {a1 a2 a10} a10')).to.equal('2');
    });

    it('handles -index and -subindices as Tcl does', () => {
      expect(run('lsearch -index 1 -integer {{a 1} {b 2}} 2')).to.equal('1');
      expect(run('lsearch -index end -subindices {{a b c} {x y z} {p q r}} z')).to.equal('1 3');
      expect(run('lsearch -index 0 -subindices -inline {{a b} {b c}} b')).to.equal('b c');
      expect(run('lsearch -index 0 -subindices -inline -all {{a b} {b c}} b')).to.equal('b');
      const [msg, code] = fails(interp, 'lsearch -index -1 {{a b}} a');
      expect(msg).to.equal('index "-1" cannot select an element from any list');
      expect(code).to.equal('TCL VALUE INDEXOUTOFRANGE');
      expect(fails(interp, 'lsearch -index 5 {{a b}} a').slice(0, 2)).to.deep.equal([
        'element 5 missing from sublist "a b"',
        'TCL OPERATION LSORT INDEXFAILED',
      ]);
      const info = fails(interp, 'lsearch -index {0 x} {{a b}} a')[2];
      expect(info).to.contain('\n    (-index option item number 1)\n    invoked from within\n"lsearch -index {0 x} {{a b}} a"');
    });

    it('reports option errors with Tcl texts', () => {
      expect(fails(interp, 'lsearch a')[0]).to.equal('wrong # args: should be "lsearch ?-option value ...? list pattern"');
      expect(fails(interp, 'lsearch -foo a b')[1]).to.equal('TCL LOOKUP INDEX option -foo');
      expect(fails(interp, 'lsearch -bisect -all a b').slice(0, 2)).to.deep.equal([
        '-bisect is not compatible with -all or -not',
        'TCL OPERATION LSEARCH BAD_OPTION_MIX',
      ]);
      expect(fails(interp, 'lsearch -subindices a b')[0]).to.equal('-subindices cannot be used without -index option');
      expect(fails(interp, 'lsearch -start 0 a')[0]).to.equal('missing starting index');
      expect(fails(interp, 'lsearch -exact -integer {x 1} 1').slice(0, 2)).to.deep.equal(['expected integer but got "x"', 'TCL VALUE NUMBER']);
      expect(fails(interp, 'lsearch -exact -real {nan 1} 1').slice(0, 2)).to.deep.equal(['floating point value is Not a Number', 'TCL VALUE DOUBLE NAN']);
    });
  });

  describe('lsort', () => {
    it('sorts in each mode', () => {
      expect(run('lsort {b a C B c A}')).to.equal('A B C a b c');
      expect(run('lsort -nocase {b A a B c}')).to.equal('A a b B c');
      expect(run('lsort -integer {10 9 2 1 -5 0x10}')).to.equal('-5 1 2 9 10 0x10');
      expect(run('lsort -real {1.5 1e1 -2 0.25 -0.0 0}')).to.equal('-2 -0.0 0 0.25 1.5 1e1');
      expect(run('lsort -dictionary {a10 a9 a2 B1 b0 A1 x1y2 x1y10}')).to.equal('A1 a2 a9 a10 b0 B1 x1y2 x1y10');
      expect(run('lsort -decreasing -integer {3 10 2}')).to.equal('10 3 2');
      expect(run('lsort -indices {c a b}')).to.equal('1 2 0');
      expect(run('lsort -index 1 {{a 3} {b 1} {c 2}}')).to.equal('{b 1} {c 2} {a 3}');
      expect(run('lsort -stride 2 -index 1 -integer {b 1 a 2 c 0}')).to.equal('c 0 b 1 a 2');
      expect(run('lsort -integer {18446744073709551615 1 9223372036854775808}')).to.equal('9223372036854775808 18446744073709551615 1');
    });

    it('is stable and -unique keeps the last of equal elements', () => {
      expect(run('lsort -index 0 {{1 a} {0 b} {1 c} {0 d}}')).to.equal('{0 b} {0 d} {1 a} {1 c}');
      expect(run('lsort -decreasing -index 0 {{1 a} {0 b} {1 c} {0 d}}')).to.equal('{1 a} {1 c} {0 b} {0 d}');
      expect(run('lsort -unique -integer {3 03 1 2 1}')).to.equal('1 2 03');
      expect(run('lsort -indices -unique {b a b a}')).to.equal('3 2');
      expect(run('lsort -unique -real {1.0 1 0.5 1e0}')).to.equal('0.5 1e0');
    });

    it('orders large numeric lists like a stable comparison sort', () => {
      const next = lcg(7);
      for (const [mode, make] of [
        ['-integer', () => String((next() % 2000001) - 1000000)],
        ['-integer', () => String((next() % 1000) * 1e12 - 5e14)],
        ['-real', () => String(((next() % 20001) - 10000) / 8)],
      ] as Array<[string, () => string]>) {
        const words: string[] = [];
        for (let i = 0; i < 20000; i++) words.push(make());
        const list = TclObj.fromString(words.join(' '));
        interp.setVar('big', list);
        const num = words.map(Number);
        const order = words.map((_, i) => i).sort((a, b) => num[a] - num[b] || a - b);
        expect(run(`lsort -indices ${mode} $big`)).to.equal(order.join(' '));
        const down = words.map((_, i) => i).sort((a, b) => num[b] - num[a] || a - b);
        expect(run(`lsort -indices -decreasing ${mode} $big`)).to.equal(down.join(' '));
        const last = new Map<number, number>();
        order.forEach((i) => last.set(num[i], i));
        expect(run(`lsort -indices -unique ${mode} $big`)).to.equal([...last.values()].join(' '));
      }
    });

    it('runs -command comparisons in Tcl order and reports failures', () => {
      run('proc cmp {a b} {global log; append log "$a$b "; string compare $a $b}');
      run('set log {}');
      expect(run('lsort -command cmp {e d c b a f g h i j}')).to.equal('a b c d e f g h i j');
      expect(run('set log')).to.equal('ed cb db dc af gh ag fg ba bf cf df ef ij ai bi ci di ei fi gi hi ');
      run('proc boom {a b} {error boom}');
      const [msg, , info] = fails(interp, 'lsort -command boom {b a}');
      expect(msg).to.equal('boom');
      expect(info).to.equal(
        'boom\n    while executing\n"error boom"\n    (procedure "boom" line 1)\n    invoked from within\n"boom b a"\n' +
          '    (-compare command)\n    invoked from within\n"lsort -command boom {b a}"',
      );
      run('proc big {a b} {return 4294967296}');
      expect(fails(interp, 'lsort -command big {b a}').slice(0, 2)).to.deep.equal([
        '-compare command returned non-integer result',
        'TCL OPERATION LSORT COMPARISONFAILED',
      ]);
      expect(fails(interp, 'lsort -index 1 -command boom {{a b} {c d} {e}}')[0]).to.equal('element 1 missing from sublist "e"');
      run('proc brk {a b} {return -code break}');
      expect(run('list [catch {lsort -command brk {b a}}]')).to.equal('3');
    });

    it('reports option errors with Tcl texts', () => {
      expect(fails(interp, 'lsort')[0]).to.equal('wrong # args: should be "lsort ?-option value ...? list"');
      expect(fails(interp, 'lsort -stride 2 {a b c}')[0]).to.equal('list size must be a multiple of the stride length');
      expect(fails(interp, 'lsort -stride 1 {a}')[0]).to.equal('stride length must be at least 2');
      expect(fails(interp, 'lsort -stride 2 -index 2 {a b c d}')[0]).to.equal(
        'when used with "-stride", the leading "-index" value must be within the group',
      );
      expect(fails(interp, 'lsort -command foo')[0]).to.equal('"-command" option must be followed by comparison command');
      expect(fails(interp, 'lsort -integer {1 2.0}').slice(0, 2)).to.deep.equal(['expected integer but got "2.0"', 'TCL VALUE NUMBER']);
      expect(fails(interp, 'lsort -real {08}')[0]).to.equal('expected floating-point number but got "08" (looks like invalid octal number)');
      expect(run('lsort -stride 2 {}')).to.equal('');
    });
  });

  describe('sort helpers', () => {
    it('compares in dictionary order', () => {
      const sorted = ['', '1', '01', '001', '9', '10', '_', 'A', 'a', 'a2', 'A10', 'a10', 'B', 'b', 'x1.9', 'x1.09', 'x1.10'];
      for (let i = 0; i + 1 < sorted.length; i++) {
        expect(dictionaryCompare(sorted[i], sorted[i + 1]), `${sorted[i]} < ${sorted[i + 1]}`).to.be.below(0);
        expect(dictionaryCompare(sorted[i + 1], sorted[i]), `${sorted[i + 1]} > ${sorted[i]}`).to.be.above(0);
      }
      expect(dictionaryCompare('abc', 'abc')).to.equal(0);
    });

    it('encodes -index values independently of list length', () => {
      const enc = (s: string): number => indexEncode(TclObj.fromString(s));
      expect(enc('3')).to.equal(3);
      expect(enc('-1')).to.equal(INDEX_BEFORE);
      expect(enc('end+1')).to.equal(INDEX_AFTER);
      expect(enc('2147483647')).to.equal(INDEX_AFTER);
      expect(enc('4294967295')).to.equal(INDEX_BEFORE);
      expect(indexDecode(enc('end'), 4)).to.equal(4);
      expect(indexDecode(enc('end-2'), 4)).to.equal(2);
      expect(enc('-1+1')).to.equal(0);
    });
  });
});
