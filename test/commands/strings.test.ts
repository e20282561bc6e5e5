import { expect } from 'chai';

import { Interp, TclObj } from '../../src/index.js';
import { formatDoublePrintf, DoubleSpec } from '../../src/commands/printfDouble.js';
import { NumFlags, NumKind, scanNumber, scanned, scannedBigInt } from '../../src/commands/numScan.js';
import { toUpperChar, toLowerChar, toTitleChar, upperString, lowerString } from '../../src/commands/caseMap.js';
import { firstNotInClass, isWordChar, isSpaceChar } from '../../src/commands/charClass.js';
import { fails } from '../helpers/interp.js';

/** Tcl's string map semantics, spelled out: at each position the first matching key wins. */
function naiveMap(pairs: readonly string[], s: string, nocase: boolean): string {
  const fold = (x: string) => (nocase ? x.toLowerCase() : x);
  const ls = fold(s);
  let out = '';
  let i = 0;
  outer: while (i < s.length) {
    for (let k = 0; k < pairs.length; k += 2) {
      const key = fold(pairs[k]);
      if (key.length > 0 && ls.startsWith(key, i)) {
        out += pairs[k + 1];
        i += key.length;
        continue outer;
      }
    }
    out += s[i++];
  }
  return out;
}

/** A deterministic pseudo-random sequence (tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x >>> 8;
  };
}

function spec(conv: string, precision = -1, extra: Partial<DoubleSpec> = {}): DoubleSpec {
  return { conv: conv.charCodeAt(0), minus: false, plus: false, space: false, zero: false, hash: false, width: 0, precision, ...extra };
}

describe('commands: strings', () => {
  let interp: Interp;
  const run = (script: string): string => interp.evalOrThrow(script);

  beforeEach(() => {
    interp = new Interp();
  });

  describe('printf doubles (glibc rounding)', () => {
    const cases: Array<[string, number, number, string]> = [
      ['f', 2.5, 0, '2'],
      ['f', 3.5, 0, '4'],
      ['f', -0.5, 0, '-0'],
      ['f', 0.25, 1, '0.2'],
      ['f', 0.35, 1, '0.3'],
      ['f', 1.005, 2, '1.00'],
      ['f', 3.14159, -1, '3.141590'],
      ['f', -0, -1, '-0.000000'],
      ['f', 1e21, 0, '1000000000000000000000'],
      ['f', 1e22, 2, '10000000000000000000000.00'],
      ['f', 0.1, 60, '0.100000000000000005551115123125782702118158340454101562500000'],
      ['e', 25, 1, '2.5e+01'],
      ['e', 15, 0, '2e+01'],
      ['e', 25, 0, '2e+01'],
      ['e', 9.5, 0, '1e+01'],
      ['e', 0, -1, '0.000000e+00'],
      ['e', 1e-310, -1, '1.000000e-310'],
      ['e', 5e-324, 20, '4.94065645841246544177e-324'],
      ['E', 0.000123, -1, '1.230000E-04'],
      ['g', 12345.678, -1, '12345.7'],
      ['g', 0.0001, -1, '0.0001'],
      ['g', 0.00001, -1, '1e-05'],
      ['g', 100000, -1, '100000'],
      ['g', 1000000, -1, '1e+06'],
      ['g', 0.25, 1, '0.2'],
      ['g', 99.5, 2, '1e+02'],
      ['g', 0.1, 17, '0.10000000000000001'],
      ['g', 0.1, 30, '0.100000000000000005551115123126'],
      ['g', 0, -1, '0'],
      ['G', 1e-20, -1, '1E-20'],
    ];
    for (const [conv, x, p, want] of cases) {
      it(`%${p < 0 ? '' : '.' + p}${conv} of ${x} is ${want}`, () => {
        expect(formatDoublePrintf(x, spec(conv, p))).to.equal(want);
      });
    }

    it('applies flags and width like printf', () => {
      expect(formatDoublePrintf(-3.14159, spec('f', 2, { zero: true, width: 10 }))).to.equal('-000003.14');
      expect(formatDoublePrintf(-3.14159, spec('f', 2, { zero: true, minus: true, width: 10 }))).to.equal('-3.14     ');
      expect(formatDoublePrintf(3.14159, spec('e', 2, { zero: true, plus: true, width: 10 }))).to.equal('+03.14e+00');
      expect(formatDoublePrintf(1.5, spec('f', -1, { space: true }))).to.equal(' 1.500000');
      expect(formatDoublePrintf(3, spec('f', 0, { hash: true }))).to.equal('3.');
      expect(formatDoublePrintf(123, spec('g', 0, { hash: true }))).to.equal('1.e+02');
      expect(formatDoublePrintf(1, spec('g', -1, { hash: true }))).to.equal('1.00000');
      expect(formatDoublePrintf(Infinity, spec('f', -1, { zero: true, width: 5 }))).to.equal('  inf');
      expect(formatDoublePrintf(-Infinity, spec('G'))).to.equal('-INF');
    });
  });

  describe('number prefixes (TclParseNumber)', () => {
    const end = (s: string, flags: NumFlags) => scanNumber(s, 0, s.length, flags);
    it('finds the longest number and stops where Tcl stops', () => {
      expect(end('12a4', NumFlags.IntegerOnly)).to.equal(2);
      expect(end(' 5 x', NumFlags.None)).to.equal(3);
      expect(end('0x', NumFlags.None)).to.equal(1);
      expect(end('0x1g', NumFlags.None)).to.equal(3);
      expect(end('08', NumFlags.None)).to.equal(1);
      expect(end('08.5', NumFlags.None)).to.equal(4);
      expect(end('1e+5x', NumFlags.None)).to.equal(4);
      expect(end('infinit', NumFlags.None)).to.equal(3);
      expect(end('nan(12)', NumFlags.None)).to.equal(7);
      expect(end('.', NumFlags.None)).to.equal(-1);
      expect(end('-', NumFlags.IntegerOnly)).to.equal(-1);
    });

    it('reads the values in the radix asked for', () => {
      expect(end('0x1f', NumFlags.IntegerOnly | NumFlags.HexOnly)).to.equal(4);
      expect(scannedBigInt()).to.equal(31n);
      expect(end('0o17', NumFlags.IntegerOnly | NumFlags.OctalOnly)).to.equal(1);
      expect(scannedBigInt()).to.equal(0n);
      expect(end('079', NumFlags.IntegerOnly | NumFlags.CPrefixes)).to.equal(2);
      expect(scannedBigInt()).to.equal(7n);
      expect(end('0b101', NumFlags.IntegerOnly | NumFlags.CPrefixes)).to.equal(1);
      expect(end('123456789012345678901234567890', NumFlags.IntegerOnly)).to.equal(30);
      expect(scannedBigInt()).to.equal(123456789012345678901234567890n);
      expect(end('-2.5E-1', NumFlags.DecimalOnly)).to.equal(7);
      expect(scanned.kind).to.equal(NumKind.Double);
      expect(scanned.double).to.equal(-0.25);
    });
  });

  describe('Tcl character data', () => {
    it('maps case one character at a time, as Tcl does', () => {
      expect(String.fromCharCode(toUpperChar(0xdf))).to.equal('ß');
      expect(toLowerChar(0x130)).to.equal(0x69);
      expect(toTitleChar(0x1c6)).to.equal(0x1c5);
      expect(toUpperChar(0x1c6)).to.equal(0x1c4);
      expect(toUpperChar(0x1f80)).to.equal(0x1f88);
      expect(toTitleChar(0x10d0)).to.equal(0x10d0);
      expect(lowerString('ΑΣ')).to.equal('ασ');
      expect(upperString('hello wörld')).to.equal('HELLO WÖRLD');
    });

    it('classifies like Tcl_UniCharIs*', () => {
      expect(firstNotInClass('alpha', 'abc1def')).to.equal(3);
      expect(firstNotInClass('alpha', 'é')).to.equal(-1);
      expect(firstNotInClass('digit', '٣')).to.equal(-1);
      expect(firstNotInClass('control', '\u00ad')).to.equal(-1);
      expect(firstNotInClass('lower', '\u0295')).to.equal(-1);
      expect(firstNotInClass('graph', '\ua7cb')).to.equal(0);
      expect(firstNotInClass('print', '\u2028')).to.equal(-1);
      expect(isWordChar(0x203f)).to.equal(true);
      expect(isWordChar(0x2d)).to.equal(false);
      expect(isSpaceChar(0x180e)).to.equal(true);
      expect(isSpaceChar(0x85)).to.equal(true);
    });
  });

  describe('string', () => {
    it('dispatches subcommands by unique prefix with Tcl messages', () => {
      expect(run('string tou abc')).to.equal('ABC');
      const [msg, code] = fails(interp, 'string t abc');
      expect(msg).to.match(/^unknown or ambiguous subcommand "t": must be bytelength, cat, compare, .* wordend, or wordstart$/);
      expect(code).to.equal('TCL LOOKUP SUBCOMMAND t');
      expect(fails(interp, 'string')[0]).to.equal('wrong # args: should be "string subcommand ?arg ...?"');
      expect(fails(interp, 'string len')[0]).to.equal('wrong # args: should be "string length string"');
    });

    it('measures, indexes and slices', () => {
      expect(run('string length héllo')).to.equal('5');
      expect(run('string bytelength "a\\0€"')).to.equal('6');
      expect(run('string index abcdef end-1')).to.equal('e');
      expect(run('string index abc 10')).to.equal('');
      expect(run('string range abcdef -5 2')).to.equal('abc');
      expect(run('string range abcdef 3 1')).to.equal('');
      expect(run('string first bc abcabc end-2')).to.equal('4');
      expect(run('string last bc abcabc 1')).to.equal('-1');
      expect(run('string last bc abcabc end-1')).to.equal('1');
      expect(run('string last "" abc')).to.equal('-1');
      expect(fails(interp, 'string index abc x')[1]).to.equal('TCL VALUE INDEX');
    });

    it('compares with -nocase and -length', () => {
      expect(run('string compare abc ab')).to.equal('1');
      expect(run('string compare -length 0 abc xyz')).to.equal('0');
      expect(run('string equal -length 2 abc abxyz')).to.equal('1');
      expect(run('string compare -length 5 abc abxyz')).to.equal('-1');
      expect(run('string compare -nocase -length 2 ABx abY')).to.equal('0');
      expect(run('string compare "\\0" "\\1"')).to.equal('-1');
      expect(fails(interp, 'string compare -bogus a b')).to.deep.include.members(['bad option "-bogus": must be -nocase or -length', 'TCL LOOKUP INDEX option -bogus']);
      expect(fails(interp, 'string equal -length a b')[0]).to.equal('wrong # args: should be "string equal ?-nocase? ?-length int? string1 string2"');
    });

    it('maps with first-key-wins semantics', () => {
      expect(run('string map {abc X ab Y} abcab')).to.equal('XY');
      expect(run('string map {aa X a Y} aaa')).to.equal('XY');
      expect(run('string map {"" X a b} aaa')).to.equal('bbb');
      expect(run('string map {. X * Y} a.b*c')).to.equal('aXbYc');
      expect(run('string map {$& X} {a$&b}')).to.equal('aXb');
      expect(run('string map -nocase {A x é E} aAÉé')).to.equal('xxEE');
      expect(fails(interp, 'string map {a} abc').slice(0, 2)).to.deep.equal(['char map list unbalanced', 'TCL OPERATION MAP UNBALANCED']);
      const big = run('string length [string map {\\n |} [string repeat "line\\n" 100000]]');
      expect(big).to.equal('500000');
    });

    it('agrees with the reference semantics on short and long strings, any keys', () => {
      const rnd = lcg(7);
      const alphabet = 'abcAB\né€';
      const word = (max: number) => {
        let w = '';
        const n = rnd() % max;
        for (let k = 0; k < n; k++) w += alphabet[rnd() % alphabet.length];
        return w;
      };
      for (let round = 0; round < 60; round++) {
        const pairs: string[] = [];
        const nkeys = 1 + (rnd() % 4);
        for (let k = 0; k < nkeys; k++) pairs.push(word(4), word(3));
        // Mostly Latin-1 text (the byte path when long), sometimes with a wider character.
        const latin = round % 3 !== 0;
        let text = '';
        const len = round % 2 === 0 ? 3000 + (rnd() % 2000) : rnd() % 40;
        for (let k = 0; k < len; k++) text += alphabet[rnd() % (latin ? alphabet.length - 1 : alphabet.length)];
        const nocase = round % 5 === 0;
        interp.setVar('m', TclObj.fromList(pairs.map((p) => TclObj.fromString(p))));
        interp.setVar('t', TclObj.fromString(text));
        const got = run(nocase ? 'string map -nocase $m $t' : 'string map $m $t');
        expect(got, `round ${round}`).to.equal(naiveMap(pairs, text, nocase));
      }
    });

    it('converts case over index ranges', () => {
      expect(run('string toupper hello 1 3')).to.equal('hELLo');
      expect(run('string totitle "hELLO" 1')).to.equal('hELLO');
      expect(run('string totitle "hello WORLD"')).to.equal('Hello world');
      expect(run('string tolower ΑΣ')).to.equal('ασ');
      expect(run('string toupper ß')).to.equal('ß');
      expect(run('string totitle ǆ')).to.equal('ǅ');
    });

    it('trims, repeats, replaces and reverses', () => {
      expect(run('string trim "\\u00a0x\\u2003"')).to.equal('x');
      expect(run('string trimright "a\\0"')).to.equal('a');
      expect(run('string trim abcba ab')).to.equal('c');
      expect(run('string repeat ab 3')).to.equal('ababab');
      expect(fails(interp, 'string repeat abc 1000000000').slice(0, 2)).to.deep.equal(['result exceeds max size for a Tcl value (2147483647 bytes)', 'TCL MEMORY']);
      expect(run('string replace abcdef 1 3 XY')).to.equal('aXYef');
      expect(run('string replace "" -1 0 x')).to.equal('x');
      expect(run('string replace abc 3 3 x')).to.equal('abc');
      expect(run('string reverse héllo')).to.equal('olléh');
    });

    it('finds word boundaries', () => {
      run('set s "hello big_world 42!"');
      expect(run('string wordstart $s 8')).to.equal('6');
      expect(run('string wordend $s 8')).to.equal('15');
      expect(run('string wordend $s 18')).to.equal('19');
      expect(run('string wordend "abc def" -5')).to.equal('3');
    });

    it('matches glob patterns', () => {
      expect(run('string match {a\\*b} a*b')).to.equal('1');
      expect(run('string match -nocase A*C abc')).to.equal('1');
      expect(fails(interp, 'string match -bogus a b')[0]).to.equal('bad option "-bogus": must be -nocase');
    });
  });

  describe('string is', () => {
    it('judges numbers with failure indexes', () => {
      expect(run('list [string is integer -failindex i 12a4] $i')).to.equal('0 2');
      expect(run('list [string is integer -failindex i 9999999999] $i')).to.equal('0 -1');
      expect(run('string is integer 4294967295')).to.equal('1');
      expect(run('string is wideinteger -9223372036854775809')).to.equal('1');
      expect(run('list [string is double -failindex d 1.5x] $d')).to.equal('0 3');
      expect(run('string is double 08.5')).to.equal('1');
      expect(run('list [string is double -failindex d 08] $d')).to.equal('0 1');
      expect(run('string is entier " 123456789012345678901234567890 "')).to.equal('1');
    });

    it('judges booleans strictly (only 0 and 1 among numbers)', () => {
      expect(run('string is boolean of')).to.equal('1');
      expect(run('string is boolean o')).to.equal('0');
      expect(run('string is boolean 2')).to.equal('0');
      expect(run('string is true -strict YES')).to.equal('1');
      expect(run('string is false -strict 1')).to.equal('0');
    });

    it('handles empty strings, lists and character classes', () => {
      expect(run('string is alpha {}')).to.equal('1');
      expect(run('string is alpha -strict {}')).to.equal('0');
      expect(run('list [string is alpha -failindex j abc1def] $j')).to.equal('0 3');
      expect(run('list [string is list -failindex L "a {b"] $L')).to.equal('0 2');
      expect(run('string is list -strict {}')).to.equal('1');
      expect(run('string is wordchar ‿')).to.equal('1');
      expect(run('string is control \\u00ad')).to.equal('1');
    });

    it('reports bad classes and options as Tcl does', () => {
      const [msg, code] = fails(interp, 'string is bogus x');
      expect(msg).to.equal(
        'bad class "bogus": must be alnum, alpha, ascii, control, boolean, digit, double, entier, false, graph, integer, list, lower, print, punct, space, true, upper, wideinteger, wordchar, or xdigit',
      );
      expect(code).to.equal('TCL LOOKUP INDEX class bogus');
      expect(fails(interp, 'string is alpha -bogus x')[0]).to.equal('bad option "-bogus": must be -strict or -failindex');
      expect(fails(interp, 'string is alpha -failindex x')[0]).to.equal('wrong # args: should be "string is alpha ?-strict? ?-failindex var? str"');
    });
  });

  describe('format', () => {
    it('formats integers with Tcl own rules', () => {
      expect(run('format {[%-05d]} 42')).to.equal('[00042]');
      expect(run('format {[%08.3x]} 255')).to.equal('[     0ff]');
      expect(run('format %#.3o 8')).to.equal('010');
      expect(run('format %#o 0')).to.equal('0');
      expect(run('format %#x 0')).to.equal('0x0');
      expect(run('format %x -1')).to.equal('ffffffffffffffff');
      expect(run('format %hd 40000')).to.equal('-25536');
      expect(run('format %d 123456789012345678901234567890')).to.equal('-4362896299872285998');
      expect(run('format %lld 123456789012345678901234567890')).to.equal('123456789012345678901234567890');
      expect(run('format %#llx -255')).to.equal('-0xff');
      expect(fails(interp, 'format %llu -1').slice(0, 2)).to.deep.equal(['unsigned bignum format is invalid', 'TCL FORMAT BADUNSIGNED']);
      expect(fails(interp, 'format %d 1.5').slice(0, 2)).to.deep.equal(['expected integer but got "1.5"', 'TCL VALUE NUMBER']);
    });

    it('formats strings, chars, doubles and positions', () => {
      expect(run('format {[%-05s]} ab')).to.equal('[ab000]');
      expect(run('format {[%.2s]} ééé')).to.equal('[éé]');
      expect(run('format %c 8364')).to.equal('€');
      expect(run('format {%2$s %1$s} world hello')).to.equal('hello world');
      expect(run('format {%1$.*f} 2 3.14159')).to.equal('3.14');
      expect(run('format {[%*s]} -6 ab')).to.equal('[ab    ]');
      expect(run('format %.0f 2.5')).to.equal('2');
      expect(run('format %5.1f Inf')).to.equal('  inf');
      expect(fails(interp, 'format %f NaN').slice(0, 2)).to.deep.equal(['floating point value is Not a Number', 'TCL VALUE DOUBLE NAN']);
    });

    it('raises Tcl errors in Tcl order', () => {
      expect(fails(interp, 'format %d')[1]).to.equal('TCL FORMAT FIELDVARMISMATCH');
      expect(fails(interp, 'format %5')[0]).to.equal('not enough arguments for all format specifiers');
      expect(fails(interp, 'format %5 1').slice(0, 2)).to.deep.equal(['format string ended in middle of field specifier', 'TCL FORMAT INCOMPLETE']);
      expect(fails(interp, 'format %5% 1')[0]).to.equal('bad field specifier "%"');
      expect(fails(interp, 'format {%1$*2$d|} 7 5')[0]).to.equal('bad field specifier "$"');
      expect(fails(interp, 'format {%1$s %s} a b')[1]).to.equal('TCL FORMAT MIXEDSPECTYPES');
      expect(fails(interp, 'format {%0$s} a')[1]).to.equal('TCL FORMAT INDEXRANGE');
      expect(fails(interp, 'format %2147483648d 1')[1]).to.equal('TCL FORMAT OVERFLOW');
      expect(fails(interp, 'format %lll 1')[0]).to.equal('bad field specifier "l"');
    });
  });

  describe('scan', () => {
    it('converts and assigns', () => {
      expect(run('list [scan "10 20 thirty" "%d %d %s" a b c] $a $b $c')).to.equal('3 10 20 thirty');
      expect(run('scan "1 2.5 x" "%d %f %s"')).to.equal('1 2.5 x');
      expect(run('scan abc123 {%[a-z]%[0-9]}')).to.equal('abc 123');
      expect(run('scan "]x" {%[]x]}')).to.equal('\\]x');
      expect(run('scan "héllo wörld" {%s %s%n}')).to.equal('héllo wörld 13');
      expect(run('scan "1 2 3" "%d %*d %d"')).to.equal('1 3');
      expect(run('scan "a b" {%2$s %1$s}')).to.equal('b a');
      expect(run('scan 5 {%3$d}')).to.equal('{} {} 5');
      expect(run('scan -123 %2d%d')).to.equal('-1 23');
      expect(run('scan 0x1f %i')).to.equal('31');
      expect(run('scan 0o17 %i')).to.equal('0');
      expect(run('scan 1e3 %e')).to.equal('1000.0');
      expect(run('scan infx %f%s')).to.equal('Inf x');
    });

    it('keeps 64 bits unless ll, and clamps beyond', () => {
      expect(run('scan 123456789012345678901234567890 %d')).to.equal('9223372036854775807');
      expect(run('scan 10000000000000000000 %d')).to.equal('-8446744073709551616');
      expect(run('scan -1 %u')).to.equal('18446744073709551615');
      expect(run('scan 123456789012345678901234567890 %lld')).to.equal('123456789012345678901234567890');
      expect(fails(interp, 'scan -5 %llu')[1]).to.equal('TCL FORMAT BADUNSIGNED');
    });

    it('reports underflow and partial matches', () => {
      expect(run('scan "" %d')).to.equal('');
      expect(run('scan "" %d x')).to.equal('-1');
      expect(run('scan abc %d')).to.equal('{}');
      expect(run('scan "  -" %d')).to.equal('');
      expect(run('scan "- 5" %d')).to.equal('{}');
      expect(run('scan x x%d v')).to.equal('-1');
      expect(run('scan "" %n%d')).to.equal('0 {}');
    });

    it('stores into proc locals, linked variables and array elements when compiled', () => {
      run('proc f {} { upvar 1 out o; set n [scan "7 x 2.5" "%d %s %f" a arr(k) o]; list $n $a $arr(k) }');
      expect(run('f')).to.equal('3 7 x');
      expect(run('set out')).to.equal('2.5');
      run('proc g {} { set a(1) x; set r [catch {scan "5 6" "%d %d" a b} m]; list $r $m [info exists b] }');
      expect(run('g')).to.equal('1 {can\'t set "a": variable is array} 1');
      run('proc h {} { set n [scan "5" "%d %d" a b]; list $n [info exists a] [info exists b] }');
      expect(run('h')).to.equal('1 1 0');
    });

    it('validates the format first', () => {
      expect(fails(interp, 'scan 1 %d a b').slice(0, 2)).to.deep.equal(['variable is not assigned by any conversion specifiers', 'TCL FORMAT UNASSIGNED']);
      expect(fails(interp, 'scan 1 "%d %d" a')[0]).to.equal('different numbers of variable names and field specifiers');
      expect(fails(interp, 'scan 5 {%1$d %1$d} a')[1]).to.equal('TCL FORMAT POLYASSIGNED');
      expect(fails(interp, 'scan abc %2c')[1]).to.equal('TCL FORMAT BADWIDTH');
      expect(fails(interp, 'scan abc %ls')[0]).to.equal('field size modifier may not be specified in %s conversion');
      expect(fails(interp, 'scan abc {%[^}')[1]).to.equal('TCL FORMAT BRACKET');
      expect(fails(interp, 'scan abc %')[0]).to.equal('bad scan conversion character "\0"');
    });
  });

  describe('subst', () => {
    it('substitutes under the flags', () => {
      run('set a 1');
      expect(run('subst {$a\\t[string length xy]}')).to.equal('1\t2');
      expect(run('subst -nobackslashes {\\$a}')).to.equal('\\1');
      expect(run('subst -nocommands {$a\\t[x]}')).to.equal('1\t[x]');
      expect(run('subst -novar {$a}')).to.equal('$a');
      expect(run('subst {cost: $ 5}')).to.equal('cost: $ 5');
    });

    it('handles break, continue and return in command substitutions', () => {
      expect(run('subst {a[break]b}')).to.equal('a');
      expect(run('subst {a[continue]b[break]c}')).to.equal('ab');
      expect(run('subst {a[return X]b}')).to.equal('aXb');
      run('proc q {} { set r [subst {a[return X]b}]; return "r=$r" }');
      expect(run('q')).to.equal('r=aXb');
    });

    it('runs the pieces before a syntax error, then raises it', () => {
      const [msg, , info] = fails(interp, 'set s {[set ::x 5] [string length b}; subst $s');
      expect(msg).to.equal('missing close-bracket');
      expect(info).to.equal('missing close-bracket\n    invoked from within\n"subst $s"');
      expect(run('set ::x')).to.equal('5');
      expect(fails(interp, 'subst -bogus x')[0]).to.equal('bad option "-bogus": must be -nobackslashes, -nocommands, or -novariables');
    });

    it('logs the subst command after an error in a runtime subst', () => {
      const [, , info] = fails(interp, 'set s {a[error boom]b}; subst $s');
      expect(info).to.equal('boom\n    while executing\n"error boom"\n    invoked from within\n"subst $s"');
    });
  });

  describe('switch', () => {
    it('matches exact, glob and regexp with fall-through and default', () => {
      expect(run('switch b {a - b - c {set r abc} default {set r d}}')).to.equal('abc');
      expect(run('switch -glob hello {h*o {set r g} default {set r d}}')).to.equal('g');
      expect(run('switch -regexp -nocase ABC {^abc$ {set r m}}')).to.equal('m');
      expect(run('switch -nocase ABC abc {set r yes}')).to.equal('yes');
      expect(run('switch -- x a - default - b {set r d}')).to.equal('');
      expect(run('switch z {a {set x 1}}')).to.equal('');
    });

    it('sets -matchvar and -indexvar like Tcl, quirks included', () => {
      expect(run('switch -regexp -matchvar m -- xab {{(a)(z)?b} {set m}}')).to.equal('ab a {}');
      expect(run('switch -regexp -indexvar i -- xab {{(a)(z)?b} {set i}}')).to.equal('{1 2} {1 1} {-1 -1}');
      expect(run('switch -regexp -indexvar i -- ab {{(z*)(a)b} {set i}}')).to.equal('{0 1} {-1 -1} {0 0}');
      expect(run('switch -regexp -matchvar m xyz {\\d+ {} default {set m}}')).to.equal('');
    });

    it('gives Tcl errors', () => {
      expect(fails(interp, 'switch a {a -}').slice(0, 2)).to.deep.equal(['no body specified for pattern "a"', 'TCL OPERATION SWITCH BADARM FALLTHROUGH']);
      expect(fails(interp, 'switch a {# x a}')[1]).to.equal('TCL OPERATION SWITCH BADARM COMMENT?');
      expect(fails(interp, 'switch -exact -glob a {a {}}')[0]).to.equal('bad option "-glob": -exact option already found');
      expect(fails(interp, 'switch -matchvar a b')[0]).to.equal('missing variable name argument to -matchvar option');
      expect(fails(interp, 'switch -indexvar x y z')[1]).to.equal('TCL OPERATION SWITCH MODERESTRICTION');
      expect(fails(interp, 'switch a {}')[0]).to.equal('wrong # args: should be "switch ?-option ...? string {?pattern body ...? ?default body?}"');
    });

    it('adds the arm line for a runtime switch and the proc line for a compiled one', () => {
      const [, , runtime] = fails(interp, 'set body {a {error boom3}}; switch a $body');
      expect(runtime).to.equal('boom3\n    while executing\n"error boom3"\n    ("a" arm line 1)\n    invoked from within\n"switch a $body"');
      run('proc p {x} {\n    switch $x {\n        a {\n            error boom\n        }\n    }\n}');
      const [, , compiled] = fails(interp, 'p a');
      expect(compiled).to.equal('boom\n    while executing\n"error boom"\n    (procedure "p" line 4)\n    invoked from within\n"p a"');
    });

    it('treats a dynamic string word that could be an option at run time', () => {
      run('proc f {s} { switch $s a {return A} -glob {return G} default {return D} }');
      expect(run('f a')).to.equal('A');
      expect(run('f zz')).to.equal('D');
    });
  });
});
