/**
 * Matching semantics of src/regex against expectations recorded from tclsh 8.6.13: leftmost-longest
 * (or shortest) matches, Tcl's submatch dissection, back references, constraints, flags, escapes,
 * brackets, the other flavours and compile errors.
 */
import { expect } from 'chai';

import { compileRegex, TclRegex, CF } from '../../src/regex/regex.js';
import { parseRegex } from '../../src/regex/parser.js';
import { TclError } from '../../src/values/error.js';

function flagsOf(opts: string): number {
  let f = 0;
  for (const o of opts.split(' ')) {
    if (o === '-nocase') f |= CF.ICASE;
    else if (o === '-expanded') f |= CF.EXPANDED;
    else if (o === '-line') f |= CF.NLSTOP | CF.NLANCH;
    else if (o === '-linestop') f |= CF.NLSTOP;
    else if (o === '-lineanchor') f |= CF.NLANCH;
  }
  return f;
}

/** What `regexp -inline -indices` reports, flattened: "s e s e ...", "" for no match, or "ERR code". */
function run(re: TclRegex, s: string): string {
  const pm = new Int32Array(2 * (re.nsub + 1));
  if (!re.exec(s, 0, false, pm)) return '';
  const out: number[] = [];
  for (let i = 0; i < pm.length; i += 2) out.push(pm[i] < 0 ? -1 : pm[i], pm[i] < 0 ? -1 : pm[i + 1] - 1);
  return out.join(' ');
}

function outcome(opts: string, pattern: string, s: string): string {
  try {
    return run(compileRegex(pattern, flagsOf(opts)), s);
  } catch (e) {
    if (e instanceof TclError) return 'ERR ' + e.errorCode.split(' ')[1];
    throw e;
  }
}

// [options, pattern, subject, tclsh's answer]
const CASES: readonly [string, string, string, string][] = [
  ['', 'a|ab', 'ab', '0 1'],
  ['', '(a|ab)(c|bcd)(d*)', 'abcd', '0 3 0 1 2 2 3 3'],
  ['', 'a+.*?b', 'aaxbxb', '0 5'],
  ['', 'a.*?b', 'axxbyyb', '0 3'],
  ['', 'a*(ab)*', 'aabab', '0 4 3 4'],
  ['', 'a*(ab)?', 'aab', '0 2 1 2'],
  ['', '(a*)(ab)?b?', 'aab', '0 2 0 1 -1 -1'],
  ['', '(a*)*', 'b', '0 -1 -1 -1'],
  ['', '(a*)+', 'b', '0 -1 0 -1'],
  ['', '(a*)*', 'aa', '0 1 0 1'],
  ['', '(a)*', 'aaa', '0 2 2 2'],
  ['', '(a|b)*?c', 'abc', '0 2 1 1'],
  ['', '(.*)(.*)', 'abc', '0 2 0 2 3 2'],
  ['', '(.*?)(.*)', 'abc', '0 -1 0 -1 0 -1'],
  ['', '(.*?)(.*?)$', 'abc', '0 2 0 -1 0 2'],
  ['', '(a+?)(a*)', 'aaa', '0 0 0 0 1 0'],
  ['', '(a+)?(a*)', 'aaa', '0 2 0 2 3 2'],
  ['', '(?:a|ab)(c|bcd)(d*)', 'abcd', '0 3 2 2 3 3'],
  ['', '([ab]*)(b*)', 'aabb', '0 3 0 3 4 3'],
  ['', '(a*)b*\\1', 'aabaa', '0 4 0 1'],
  ['', '(a*)\\1', 'aaaa', '0 3 0 1'],
  ['', '(a*)(b|abc)', 'abc', '0 2 0 -1 0 2'],
  ['', '(wee|week)(knights|night)', 'weeknights', '0 9 0 2 3 9'],
  ['', '(.+?)(.+)', 'abcd', '0 1 0 0 1 1'],
  ['', '.*?(a+)', 'xaaay', '0 1 1 1'],
  ['', '(\\w+?)\\s*', 'hello  x', '0 0 0 0'],
  ['', '(a{2})*', 'aaaaa', '0 3 2 3'],
  ['', '(a{0,2})*', 'aaaaa', '0 4 4 4'],
  ['', '(a?)*', 'aaa', '0 2 2 2'],
  ['', '(a|ab|abc)*', 'abcab', '0 4 3 4'],
  ['', '((a)|(b))*', 'ab', '0 1 1 1 -1 -1 1 1'],
  ['', '(a)|(b)', 'b', '0 0 -1 -1 0 0'],
  ['', '(a)?b', 'b', '0 0 -1 -1'],
  ['', '(a*)+(b)', 'aab', '0 2 2 1 2 2'],
  ['', '(ab|a)+', 'abab', '0 3 2 3'],
  ['', '(a+|b+)+', 'aabb', '0 3 3 3'],
  ['', '^(.*)(bar)?$', 'foobar', '0 5 0 5 -1 -1'],
  ['', '(.*?)(bar)?$', 'foobar', '0 5 0 2 3 5'],
  ['', '(foo|foobar)(bar)?', 'foobar', '0 5 0 5 -1 -1'],
  ['', '(a{2,3}?)+', 'aaaaaaa', '0 6 5 6'],
  ['', '(a|)+', 'aa', '0 1 2 1'],
  ['', '(|a)*', 'aa', '0 1 1 1'],
  ['', 'x*', 'abc', '0 -1'],
  ['', '^$', '', '0 -1'],
  ['', '', 'abc', '0 -1'],
  ['', '\\mb', 'ab', ''],
  ['', '\\m\\w+', '  ab cd', '2 3'],
  ['', 'b\\y', 'ab c', '1 1'],
  ['', '\\Y', 'ab', '1 0'],
  ['', 'a\\M', 'a_', ''],
  ['', 'a\\M', 'a\u203f', ''],
  ['', 'a$', 'a\u000ab', ''],
  ['', '^b', 'a\u000ab', ''],
  ['', '(?=a)', 'ba', '1 0'],
  ['', '(?!a).', 'aab', '2 2'],
  ['', 'a(?=(b))(c)', 'abc', ''],
  ['', '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10', 'abcdefghijj', '0 10 0 0 1 1 2 2 3 3 4 4 5 5 6 6 7 7 8 8 9 9'],
  ['', '(a+)\\1*', 'aaaaa', '0 4 0 4'],
  ['', '(a)\\1{2}', 'aaaa', '0 2 0 0'],
  ['', '(.)(.)\\2\\1', 'xabbay', '1 4 1 1 2 2'],
  ['', '(a|b)*\\1', 'abba', '0 2 1 1'],
  ['', '^\\s*(\\w+)\\s*=\\s*(.*)$', '  key = some value ', '0 18 2 4 8 18'],
  ['', '(\\d+)\\.(\\d+)', 'v12.345', '1 6 1 2 4 6'],
  ['', '^(\\S+)\\s+(\\S+)$', 'hello world', '0 10 0 4 6 10'],
  ['-linestop', 'a.b', 'a\u000ab', ''],
  ['-lineanchor', 'a.b', 'a\u000ab', '0 2'],
  ['-lineanchor', '^b', 'a\u000ab', '2 2'],
  ['-line', 'a$', 'a\u000ab', '0 0'],
  ['-line', 'a[^x]b', 'a\u000ab', ''],
  ['-line', 'a\\Wb', 'a\u000ab', ''],
  ['-line', 'a\\sb', 'a\u000ab', '0 2'],
  ['-line', '(?s)a.b', 'a\u000ab', '0 2'],
  ['', '(?n)a.b', 'a\u000ab', ''],
  ['', '(?w)a$', 'a\u000ab', '0 0'],
  ['', '(?p)a$', 'a\u000ab', ''],
  ['-nocase', 'A', 'xa', '1 1'],
  ['-nocase', '[A-C]+', 'abcABC', '0 5'],
  ['-nocase', '[^a]+', 'xAa', '0 0'],
  ['-nocase', '(a)\\1', 'aA', '0 1 0 0'],
  ['-nocase', '(?c)a', 'A', ''],
  ['', '(?i)[[:upper:]]+', 'abcABC', '0 5'],
  ['', '[[:upper:]]+', 'abcABC', '3 5'],
  ['', '(?i)\\u212a', 'k', '0 0'],
  ['-nocase', 'k', '\u212a', ''],
  ['-nocase', '\\u01c5', '\u01c4', '0 0'],
  ['-nocase', '\\u0130', 'i', '0 0'],
  ['-nocase', 'i', '\u0130', ''],
  ['-expanded', ' a b # c\u000a', 'ab', '0 1'],
  ['-expanded', 'a{ 1 , 2 }', 'aa', '0 1'],
  ['', '(?x)a\\ b', 'a b', '0 2'],
  ['', '(?x)[a b]', 'x b', '1 1'],
  ['', '***=a(b', 'xa(b', '1 3'],
  ['', '***:(?i)A', 'a', '0 0'],
  ['', '(?q)a.b', 'axb a.b', '4 6'],
  ['', '(?e)a\\d', 'ad', '0 1'],
  ['', '(?e)a)', 'a)', '0 1'],
  ['', '(?e)a|b', 'b', '0 0'],
  ['', '(?b)a\\(b\\)\\1', 'abb', '0 2 1 1'],
  ['', '(?b)*a', '*a', '0 1'],
  ['', '(?b)a\\{2\\}', 'aaa', '0 1'],
  ['', '(?b)a+', 'a+', '0 1'],
  ['', '(?b)\\<a', 'a', '0 0'],
  ['', '(?b)^*a', '*a', '0 1'],
  ['', '\\U0001F600', '\ufffd', '0 0'],
  ['', '\\x123', '\u00123', '0 1'],
  ['', '\\0777', '?7', '0 1'],
  ['', '\\18', '\u00018', '0 1'],
  ['', '\\12', '\u000a', '0 0'],
  ['', '[\\012]', '\u000a', '0 0'],
  ['', '\\cA', '\u0001', '0 0'],
  ['', '\\e', '\u001b', '0 0'],
  ['', '\\B', '\\', '0 0'],
  ['', '[\\b]', '\u0008', '0 0'],
  ['', '[[.space.]]', 'a b', '1 1'],
  ['', '[[.hyphen.]]', '-', '0 0'],
  ['', '[[.a.]-c]', 'b', '0 0'],
  ['', '[[=a=]]', 'a', '0 0'],
  ['', '[[:<:]]b', 'ab', ''],
  ['', 'x[[:>:]]', 'x', '0 0'],
  ['', '[]a]', ']', '0 0'],
  ['', '[^]a]', ']b', '1 1'],
  ['', '[]-a]', '^', '0 0'],
  ['', '[---]', '-', '0 0'],
  ['', '[%--]', '-', '0 0'],
  ['', '[\\w-]+', 'a-b', '0 2'],
  ['', '[\\d]+', 'a123', '1 3'],
  ['', '\\w+', 'ab_1\u00e9\u0660x!', '0 6'],
  ['', '\\d+', '12\u0660x', '0 2'],
  ['', '[[:punct:]]+', '!@#$%', '0 2'],
  ['', '[[:space:]]+', ' \u0009\u000a\u00a0x', '0 3'],
  ['', '[[:xdigit:]]+', '0aFgG', '0 2'],
  ['', '[[:graph:]]+', 'ab c', '0 1'],
  ['', '[[:print:]]+', 'ab c\u000a', '0 3'],
  ['', '[[:blank:]]+', ' \u0009\u000a', '0 1'],
  ['', '[[:cntrl:]]+', '\u0001\u000a\u0009\u007f', '0 3'],
  ['', 'a{1}{2}', 'a', 'ERR REG_BADRPT'],
  ['', 'a**', 'a', 'ERR REG_BADRPT'],
  ['', '*a', 'a', 'ERR REG_BADRPT'],
  ['', 'a(', 'a', 'ERR REG_EPAREN'],
  ['', 'a)', 'a', 'ERR REG_EPAREN'],
  ['', 'a[b', 'a', 'ERR REG_EBRACK'],
  ['', 'a{1', 'a', 'ERR REG_EBRACE'],
  ['', 'a{2,1}', 'a', 'ERR REG_BADBR'],
  ['', 'a{256}', 'a', 'ERR REG_BADBR'],
  ['', '\\q', 'a', 'ERR REG_EESCAPE'],
  ['', '\\', 'a', 'ERR REG_EESCAPE'],
  ['', '[a-\\d]', 'a', 'ERR REG_ERANGE'],
  ['', '[z-a]', 'a', 'ERR REG_ERANGE'],
  ['', '\\1', 'a', 'ERR REG_ESUBREG'],
  ['', '(a\\1)', 'a', 'ERR REG_ESUBREG'],
  ['', '(a){0}\\1', 'a', 'ERR REG_ESUBREG'],
  ['', '(a)(?=\\1)', 'a', 'ERR REG_ESUBREG'],
  ['', '[[:foo:]]', 'a', 'ERR REG_ECTYPE'],
  ['', '[[:alpha]]', 'a', 'ERR REG_EBRACK'],
  ['', '[[.foo.]]', 'a', 'ERR REG_ECOLLATE'],
  ['', '[[=ab=]]', 'a', 'ERR REG_ECOLLATE'],
  ['', '[\\D]', 'a', 'ERR REG_EESCAPE'],
  ['', '[\\1]', 'a', 'ERR REG_EESCAPE'],
  ['', '[\\c]', 'a', 'ERR REG_EBRACK'],
  ['', '(?z)', 'a', 'ERR REG_BADOPT'],
  ['', '(?i', 'a', 'ERR REG_BADOPT'],
  ['', 'a(?i)', 'a', 'ERR REG_BADRPT'],
  ['', '\\x', 'a', 'ERR REG_EESCAPE'],
  ['', '(?=a)*', 'a', 'ERR REG_BADRPT'],
  ['', '\\A?', 'a', 'ERR REG_BADRPT'],
  ['', '(?x)a* ?', 'a', 'ERR REG_BADRPT'],
  ['', '(?b)\\{', 'a', 'ERR REG_BADRPT'],
  ['', '(?e)a\\', 'a', 'ERR REG_EESCAPE'],
  ['', '***', 'a', 'ERR REG_BADRPT'],
  ['', 'x{,2}', 'x{,2}', '0 4'],
  ['', 'a{', 'a{', '0 1'],
  ['', 'a{1x', 'a', 'ERR REG_BADBR'],
  ['', '(((a)))', 'a', '0 0 0 0 0 0 0 0'],
  ['', '()', 'x', '0 -1 0 -1'],
  ['', '(|)', 'x', '0 -1 0 -1'],
  ['', 'a||b', 'b', '0 0'],
];

describe('regex matching (recorded from tclsh 8.6.13)', () => {
  for (const [opts, pattern, s, want] of CASES) {
    it(`${opts} ${JSON.stringify(pattern)} on ${JSON.stringify(s)}`, () => {
      expect(outcome(opts, pattern, s)).to.equal(want);
    });
  }
});
