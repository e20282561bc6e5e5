// The two tree builders (the chevrotain grammar and the replay of Tcl's own procedure, which also
// words the syntax errors) must accept exactly the same expressions and build the same trees.
// Random expressions from a fixed seed exercise both, well-formed and damaged.
import { expect } from 'chai';
import { lexExpression, T } from '../../src/expr/lexer.js';
import { parseTokens } from '../../src/expr/grammar.js';
import { findSyntaxError, parseIteratively } from '../../src/expr/diagnose.js';
import { parseExpression } from '../../src/expr/index.js';
import { N, Node } from '../../src/expr/ast.js';
import { newInterp, run } from './helpers.js';

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEAVES = ['1', '2.5', '0x1f', 'true', '$x', '$a(1)', '[list a]', '"q"', '"$x"', '{b}', 'Inf', '07'];
const BINARY = ['+', '-', '*', '/', '%', '**', '<<', '>>', '<', '>', '<=', '>=', '==', '!=', 'eq', 'ne', 'in', 'ni', '&', '^', '|', '&&', '||'];
const UNARY = ['-', '+', '!', '~'];
const JUNK = ['(', ')', ',', '?', ':', '+', '*', '1', '!', 'max(', 'eq', 'abc', '=', '$', '"x', '[a', '@', '0b2'];

function generate(rand: () => number, depth: number): string {
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const r = rand();
  if (depth > 4 || r < 0.3) return pick(LEAVES);
  if (r < 0.45) return pick(UNARY) + generate(rand, depth + 1);
  if (r < 0.75) return generate(rand, depth + 1) + ' ' + pick(BINARY) + ' ' + generate(rand, depth + 1);
  if (r < 0.85) return '(' + generate(rand, depth + 1) + ')';
  if (r < 0.93) return generate(rand, depth + 1) + ' ? ' + generate(rand, depth + 1) + ' : ' + generate(rand, depth + 1);
  const args: string[] = [];
  const n = Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) args.push(generate(rand, depth + 1));
  return pick(['max', 'sin', 'f']) + '(' + args.join(', ') + ')';
}

function damage(rand: () => number, s: string): string {
  const p = Math.floor(rand() * (s.length + 1));
  if (rand() < 0.5) return s.slice(0, p) + ' ' + JUNK[Math.floor(rand() * JUNK.length)] + ' ' + s.slice(p);
  return s.slice(0, p) + s.slice(Math.min(s.length, p + 1 + Math.floor(rand() * 3)));
}

/** A tree as a string, without source positions. */
function shape(n: Node | null): string {
  if (n === null) return '-';
  const p = n.paren ? 'P' : '';
  switch (n.k) {
    case N.Lit: return `lit${p}(${n.value!.toString()})`;
    case N.Var: case N.Cmd: return `part${p}(${n.part!.kind}:${n.part!.text})`;
    case N.Str: return `str${p}(${n.parts!.length})`;
    case N.Call: return `call${p}(${n.name};${n.args!.map(shape).join(',')})`;
    default: return `${n.k}${p}:${n.op}(${shape(n.a)},${shape(n.b)},${shape(n.c)})`;
  }
}

describe('expr: grammar and Tcl procedure agree', () => {
  it('on 6000 random expressions, well-formed and damaged', () => {
    const rand = rng(20240611);
    let valid = 0;
    const bad: string[] = [];
    for (let i = 0; i < 6000; i++) {
      let text = generate(rand, 0);
      if (rand() < 0.4) text = damage(rand, text);
      const tokens = lexExpression(text, 1);
      const last = tokens[tokens.length - 1].t;
      const tree = last === T.Error ? null : parseTokens(tokens);
      const tcl = parseIteratively(text, tokens);
      const err = findSyntaxError(text, tokens);
      if ((tree === null) !== (err !== null) || (tcl.error === null) !== (err === null)) bad.push(`acceptance: ${text}`);
      else if (tree !== null) {
        valid++;
        if (shape(tree) !== shape(tcl.tree)) bad.push(`tree: ${text}\n  ${shape(tree)}\n  ${shape(tcl.tree)}`);
      }
    }
    expect(bad.slice(0, 10).join('\n')).to.equal('');
    expect(valid).to.be.greaterThan(2500);
  });

  it('parses nesting deeper than the recursive grammar can follow', () => {
    const interp = newInterp();
    const deep = '('.repeat(5000) + '$v' + ')'.repeat(5000);
    expect(parseExpression(deep, 1).error).to.equal(null);
    run(interp, 'set v 0x10');
    expect(run(interp, `expr {${deep} + 1}`)).to.equal('17');
    const calls = 'abs('.repeat(300) + '-3' + ')'.repeat(300);
    expect(run(interp, `expr {${calls}}`)).to.equal('3');
  });

  it('reports the first error in source order, as Tcl does', () => {
    const cases: Array<[string, string]> = [
      ['1 2 abc', 'missing operator at _@_\nin expression "1 _@_2 abc"'],
      ['1 abc 2', 'invalid bareword "abc"\nin expression "1 abc 2";\nshould be "$abc" or "{abc}" or "abc(...)" or ...'],
      ['1 "abc', 'missing operator at _@_\nin expression "1 _@_"abc"'],
      ['1 + "abc', 'missing "\nin expression "1 + "abc"'],
      ['(1 + 2', 'unbalanced open paren\nin expression "(1 + 2"'],
      ['1 ? 2 ? 3 : 4', 'missing operator ":" at _@_\nin expression "1 ? 2 ? 3 : 4_@_"'],
      ['sin(,1)', 'missing function argument at _@_\nin expression "sin(_@_,1)"'],
      ['08 + 1', 'invalid bareword "08"\nin expression "08 + 1";\nshould be "$08" or "{08}" or "08(...)" or ... (invalid octal number?)'],
    ];
    for (const [text, message] of cases) {
      const p = parseExpression(text, 1);
      expect(p.error?.message, text).to.equal(message);
    }
  });
});
