/**
 * The translator and its companions: JavaScript RegExp source for Tcl patterns, the analysis that
 * decides when V8 may do the matching (checked against the DFA engine on random patterns), the
 * `-about` report, compile error texts, Tcl's Unicode tables and the compile cache.
 */
import { expect } from 'chai';

import { compileRegex, TclRegex, CF } from '../../src/regex/regex.js';
import { parseRegex } from '../../src/regex/parser.js';
import { jsSource } from '../../src/regex/jsregex.js';
import { classSet, toLower, toTitle, toUpper } from '../../src/regex/unicode.js';
import { TclError } from '../../src/values/error.js';

function js(pattern: string, flags = 0): string {
  return jsSource(parseRegex(pattern, flags).ast, false);
}

/** xorshift32: tests must not depend on Math.random. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

describe('regex translation to JavaScript', () => {
  it('spells out literals, sets and case variants', () => {
    expect(js('abc')).to.equal('abc');
    expect(js('a.c')).to.equal('a[\\s\\S]c');
    expect(js('[a-cx]')).to.equal('[a-cx]');
    expect(js('[^a]')).to.equal('[^a]');
    expect(js('a', CF.ICASE)).to.equal('[Aa]');
    expect(js('.', CF.NLSTOP)).to.equal('[^\\u000a]');
    expect(js('\\u212a', CF.ICASE)).to.equal('[k\\u212a]');
    expect(js('[x-\\u00ff]')).to.equal('[x-\\u00ff]');
    expect(js('\\x41\\.')).to.equal('A\\u002e');
  });

  it('keeps capture numbering and makes lookahead groups non-capturing', () => {
    expect(js('(a)(?:b)(c)')).to.equal('(a)(?:b)(c)');
    expect(js('a(?=(b))(c)')).to.equal('a(?=(?:b))(c)');
    expect(js('(a)\\1')).to.equal('(a)\\1');
  });

  it('translates quantifiers and constraints', () => {
    expect(js('a*b+?c?d{2}e{1,}f{2,}g{2,3}?')).to.equal('a*b+?c?d{2}e+f{2,}g{2,3}?');
    expect(js('^a$')).to.equal('^a$');
    expect(js('\\Aa\\Z')).to.equal('^a$');
    expect(js('^a$', CF.NLANCH)).to.equal('(?<![^\\n])a(?![^\\n])');
    expect(jsSource(parseRegex('^a', 0).ast, true)).to.equal('(?!)a');
    expect(jsSource(parseRegex('^a', CF.NLANCH).ast, true)).to.equal('(?<=\\n)a');
    const w = js('\\w');
    expect(js('\\m')).to.equal(`(?<!${w})(?=${w})`);
    expect(js('\\M')).to.equal(`(?<=${w})(?!${w})`);
  });

  it('gives V8 only the patterns where it must agree with Tcl', () => {
    const kind = (p: string, f = 0) => new TclRegex(parseRegex(p, f)).matcherKind();
    for (const p of ['abc', '^(\\S+)\\s+(\\S+)$', '(\\d+)\\.(\\d+)', '\\s+', '[a-z]+\\d*', 'a.*?b', '^(GET|POST) (\\S+)', '(ab)+c', '\\mfoo\\M', 'a(?=b)', '.*x', '^(.*)$', 'x(.*?)y']) {
      expect(kind(p), p).to.equal('js');
    }
    for (const p of ['a|ab', '(a|ab)(c|bcd)', 'a+.*?b', '^\\s*(\\w+)\\s*=\\s*(.*)$', '(a*)*', '(a)\\1', 'x(a|)', '(a?)+', 'a*?b+', '(a|b)c*?']) {
      expect(kind(p), p).to.equal('engine');
    }
  });

  it('agrees with the DFA engine on random deterministic patterns', function () {
    this.timeout(60000);
    const rnd = prng(20240611);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
    const atom = (d: number): string => {
      const r = rnd();
      if (r < 0.4) return pick(['a', 'b', 'c', 'x', ' ', '\\.', '-']);
      if (r < 0.6) return pick(['[ab]', '[^a]', '.', '\\w', '\\s', '\\d', '\\S', '\\W', '[a-c]', '[[:alpha:]]']);
      if (r < 0.8 && d < 3) return pick(['(', '(?:']) + re(d + 1) + ')';
      return pick(['a', 'b', '1']);
    };
    const quant = (): string => {
      if (rnd() < 0.5) return '';
      return pick(['*', '+', '?', '{1,2}', '{2}', '{0,}', '{2,3}']) + (rnd() < 0.2 ? '?' : '');
    };
    const branch = (d: number): string => {
      let s = '';
      const n = 1 + Math.floor(rnd() * 5);
      for (let i = 0; i < n; i++) s += rnd() < 0.1 ? pick(['^', '$', '\\m', '\\M', '\\y', '\\Y']) : atom(d) + quant();
      return s;
    };
    const re = (d: number): string => {
      let s = branch(d);
      while (rnd() < 0.15) s += '|' + branch(d);
      return s;
    };
    let safe = 0;
    for (let i = 0; i < 1500 && safe < 300; i++) {
      const p = re(0);
      const flags = pick([0, 0, CF.ICASE, CF.NLSTOP, CF.NLANCH]);
      let viaJs: TclRegex;
      let viaEngine: TclRegex;
      try {
        viaJs = new TclRegex(parseRegex(p, flags));
        viaEngine = new TclRegex(parseRegex(p, flags));
      } catch (e) {
        if (e instanceof TclError) continue;
        throw e;
      }
      if (viaJs.matcherKind() !== 'js') continue;
      viaEngine.useEngine();
      safe++;
      for (let j = 0; j < 20; j++) {
        let s = '';
        const len = Math.floor(rnd() * 14);
        for (let k = 0; k < len; k++) s += pick(['a', 'b', 'c', 'x', ' ', '1', '.', '-', '\n', '_']);
        const off = rnd() < 0.3 ? Math.floor(rnd() * (len + 1)) : 0;
        const notbol = off > 0 && s.charCodeAt(off - 1) !== 10;
        const a = new Int32Array(2 * (viaJs.nsub + 1));
        const b = new Int32Array(2 * (viaJs.nsub + 1));
        const ra = viaJs.exec(s, off, notbol, a) ? a.join(',') : 'none';
        const rb = viaEngine.exec(s, off, notbol, b) ? b.join(',') : 'none';
        expect(ra, JSON.stringify({ p, flags, s, off })).to.equal(rb);
      }
    }
    expect(safe).to.be.greaterThan(100);
  });
});

describe('regexp -about (recorded from tclsh 8.6.13)', () => {
  const ABOUT: readonly [string, string, string][] = [
    ['', 'a', '0 {}'],
    ['', '(a)(b)', '2 {}'],
    ['', 'a{1,2}', '0 REG_UBOUNDS'],
    ['', 'a{', '0 {REG_UBRACES REG_UUNSPEC}'],
    ['', 'x{,2}', '0 {REG_UBRACES REG_UUNSPEC}'],
    ['', '(?=a)', '0 {REG_ULOOKAHEAD REG_UNONPOSIX}'],
    ['', '\\m', '0 {REG_UNONPOSIX REG_ULOCALE REG_UEMPTYMATCH}'],
    ['', '[[:<:]]', '0 {REG_UNONPOSIX REG_ULOCALE REG_UEMPTYMATCH}'],
    ['', '***=', '0 {REG_UNONPOSIX REG_UUNSPEC REG_UEMPTYMATCH}'],
    ['', '***=a(', '0 REG_UNONPOSIX'],
    ['', '(?e)a\\d', '0 {REG_UBSALNUM REG_UNONPOSIX REG_UUNSPEC}'],
    ['', '(?e)a)', '0 {REG_UPBOTCH REG_UNONPOSIX}'],
    ['', '(?b)a\\(b\\)\\1', '1 {REG_UBACKREF REG_UNONPOSIX}'],
    ['', '(?b)a\\{1\\}', '0 {REG_UBOUNDS REG_UNONPOSIX}'],
    ['', '\\x41', '0 {REG_UNONPOSIX REG_UUNPORT}'],
    ['', '\\u0041', '0 REG_UNONPOSIX'],
    ['', '\\101', '0 {REG_UNONPOSIX REG_UUNPORT}'],
    ['', '\\e', '0 {REG_UNONPOSIX REG_UUNPORT REG_ULOCALE}'],
    ['', '\\a', '0 {REG_UNONPOSIX REG_ULOCALE}'],
    ['', '[\\w]', '0 {REG_UBBS REG_UNONPOSIX REG_ULOCALE}'],
    ['', '[\\]]', '0 {REG_UBBS REG_UNONPOSIX}'],
    ['', '[a-c]', '0 REG_UUNPORT'],
    ['', '[a-a]', '0 {}'],
    ['', '(?i)[A-C]+', '0 {REG_UNONPOSIX REG_UUNPORT}'],
    ['', '[[.a.]-c]', '0 REG_UUNPORT'],
    ['', '[[.space.]]', '0 REG_ULOCALE'],
    ['', '[[=a=]]', '0 REG_ULOCALE'],
    ['', '[[:alpha:]]', '0 REG_ULOCALE'],
    ['', '()', '1 {REG_UUNSPEC REG_UEMPTYMATCH}'],
    ['', 'a||b', '0 {REG_UUNSPEC REG_UEMPTYMATCH}'],
    ['', 'a|', '0 {REG_UUNSPEC REG_UEMPTYMATCH}'],
    ['', '^$', '0 REG_UEMPTYMATCH'],
    ['', 'a^', '0 REG_UIMPOSSIBLE'],
    ['', '\\Za', '0 {REG_UNONPOSIX REG_UIMPOSSIBLE}'],
    ['', 'a\\mb', '0 {REG_UNONPOSIX REG_ULOCALE REG_UIMPOSSIBLE}'],
    ['', 'a*?', '0 {REG_UNONPOSIX REG_UEMPTYMATCH REG_USHORTEST}'],
    ['', 'a+?b*', '0 {REG_UNONPOSIX REG_USHORTEST}'],
    ['', 'a*b+?', '0 REG_UNONPOSIX'],
    ['', '(a)\\1', '1 {REG_UBACKREF REG_UNONPOSIX}'],
    ['', '(?x)a b', '0 REG_UNONPOSIX'],
    ['', 'a{0}', '0 {REG_UBOUNDS REG_UEMPTYMATCH}'],
    ['', '(a){0}', '1 {REG_UBOUNDS REG_UEMPTYMATCH}'],
    ['-nocase', 'a', '0 {}'],
    ['-expanded', '(a)(b)', '2 {}'],
  ];
  for (const [opts, pattern, want] of ABOUT) {
    it(`${opts} ${JSON.stringify(pattern)}`, () => {
      const f = opts === '-nocase' ? CF.ICASE : opts === '-expanded' ? CF.EXPANDED : 0;
      const [n, names] = compileRegex(pattern, f).about();
      const list = names.length === 0 ? '{}' : names.length === 1 ? names[0] : `{${names.join(' ')}}`;
      expect(`${n} ${list}`).to.equal(want);
    });
  }
});

describe('regex compile errors', () => {
  const cases: [string, string, string][] = [
    ['a(', 'parentheses () not balanced', 'REG_EPAREN'],
    ['a[b', 'brackets [] not balanced', 'REG_EBRACK'],
    ['a{1', 'braces {} not balanced', 'REG_EBRACE'],
    ['a{2,1}', 'invalid repetition count(s)', 'REG_BADBR'],
    ['a**', 'quantifier operand invalid', 'REG_BADRPT'],
    ['\\q', 'invalid escape \\ sequence', 'REG_EESCAPE'],
    ['[z-a]', 'invalid character range', 'REG_ERANGE'],
    ['(a)\\2', 'invalid backreference number', 'REG_ESUBREG'],
    ['[[:foo:]]', 'invalid character class', 'REG_ECTYPE'],
    ['[[.foo.]]', 'invalid collating element', 'REG_ECOLLATE'],
    ['(?z)', 'invalid embedded option', 'REG_BADOPT'],
  ];
  for (const [p, text, code] of cases) {
    it(`${p}: ${text}`, () => {
      let err: unknown = null;
      try {
        compileRegex(p, 0);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(TclError);
      const e = err as TclError;
      expect(e.message).to.equal(`couldn't compile regular expression pattern: ${text}`);
      expect(e.errorCode).to.equal(`REGEXP ${code} {${text}}`);
    });
  }

  it('reports absurd nesting as Tcl reports exhaustion, not with a host exception', () => {
    expect(() => compileRegex('('.repeat(20000) + ')'.repeat(20000), 0)).to.throw(TclError, 'out of memory');
  });
});

describe("Tcl's Unicode data", () => {
  it('maps case as Tcl 8.6.13 does (simple mappings, title case)', () => {
    expect(toLower(0x130)).to.equal(0x69);
    expect(toUpper(0x130)).to.equal(0x130);
    expect(toUpper(0x1c6)).to.equal(0x1c4);
    expect(toTitle(0x1c6)).to.equal(0x1c5);
    expect(toUpper(0x10d0)).to.equal(0x1c90);
    expect(toTitle(0x10d0)).to.equal(0x10d0);
    expect(toUpper(0xdf)).to.equal(0xdf);
    expect(toLower(0x212a)).to.equal(0x6b);
    expect(toUpper(0x3c2)).to.equal(0x3a3);
  });

  it('classifies characters with Tcl tables', () => {
    expect(classSet('digit').has(0x660)).to.equal(true);
    expect(classSet('punct').has(0x24)).to.equal(false);
    expect(classSet('space').has(0x200b)).to.equal(true);
    expect(classSet('word').has(0x203f)).to.equal(true);
    expect(classSet('alnum').has(0x203f)).to.equal(false);
    expect(classSet('print').has(0x20)).to.equal(true);
    expect(classSet('graph').has(0x20)).to.equal(false);
  });
});

describe('regex compile cache', () => {
  it('returns the compiled form for a pattern and flags it has seen', () => {
    const a = compileRegex('cache-(x)', 0);
    expect(compileRegex('cache-(x)', 0)).to.equal(a);
    expect(compileRegex('cache-(x)', CF.ICASE)).to.not.equal(a);
  });

  it('stays bounded', () => {
    const first = compileRegex('bounded-0', 0);
    for (let i = 1; i < 200; i++) compileRegex(`bounded-${i}`, 0);
    expect(compileRegex('bounded-0', 0)).to.not.equal(first);
  });
});
