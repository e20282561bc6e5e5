// The expr command, functions and operator commands through the interpreter, and the entry points
// the engine uses. Expected values and error texts are tclsh 8.6.13's.
import { expect } from 'chai';
import { TclObj } from '../../src/values/obj.js';
import { BREAK, ERROR, OK } from '../../src/engine/codes.js';
import { Compiler } from '../../src/engine/compile.js';
import { exprHook } from '../../src/engine/exprHook.js';
import { CompiledExpr, evalExprBoolean, evalExprObj } from '../../src/commands/expr.js';
import { compileCondition, compileExpression } from '../../src/expr/index.js';
import { installLibm, libm } from '../../src/expr/libm.js';
import { newInterp, outcomeOf, run } from './helpers.js';
import type { Interp } from '../../src/index.js';

function errorOf(interp: Interp, script: string): { message: string; code: string; info: string } {
  const code = interp.eval(script);
  expect(code, script).to.equal(ERROR);
  const out = { message: interp.result.toString(), code: interp.errorCode, info: interp.currentErrorInfo() };
  interp.resetError();
  return out;
}

describe('expr: command', () => {
  let interp: Interp;
  beforeEach(() => {
    interp = newInterp();
  });

  it('needs an argument', () => {
    const e = errorOf(interp, 'expr');
    expect(e.message).to.equal('wrong # args: should be "expr arg ?arg ...?"');
    expect(e.code).to.equal('TCL WRONGARGS');
  });

  it('concatenates several arguments', () => {
    expect(run(interp, 'expr 1 + 2 * 3')).to.equal('7');
    expect(run(interp, 'expr { 1 } {  } { + 1 }')).to.equal('2');
    expect(run(interp, 'set a 3; set op *; expr $a $op 2')).to.equal('6');
  });

  it('caches the compiled form of a run-time expression on the value', () => {
    const e = TclObj.fromString('$v * 2');
    interp.setVar('v', TclObj.fromInt(21));
    expect(evalExprObj(interp, e)!.toString()).to.equal('42');
    expect(e.code).to.be.instanceOf(CompiledExpr);
    const cached = e.code;
    interp.setVar('v', TclObj.fromInt(5));
    expect(evalExprObj(interp, e)!.toString()).to.equal('10');
    expect(e.code).to.equal(cached);
    expect(evalExprBoolean(interp, e)).to.equal(true);
  });

  it('passes break, continue and return from command substitutions', () => {
    expect(run(interp, 'for {set i 0} {$i < 5} {incr i} { if {[expr {$i == 2 ? [break] : 0}]} {} }; set i')).to.equal('2');
    expect(run(interp, 'set n 0; foreach x {1 2 3} { incr n [expr {$x == 2 ? [continue] : $x}] }; set n')).to.equal('4');
    expect(run(interp, 'set n 0; foreach x {1 2 3} { incr n [expr "\\$x == 2 ? \\[continue\\] : \\$x"] }; set n')).to.equal('4');
    const e = TclObj.fromString('[break]');
    expect(evalExprObj(interp, e)).to.equal(null);
    expect(interp.pendingCode).to.equal(BREAK);
  });

  it('raises syntax errors when the expression runs, after the commands before it', () => {
    const e = errorOf(interp, 'set a 1; expr {1 + * 2}');
    expect(run(interp, 'set a')).to.equal('1');
    expect(e.message).to.equal('missing operand at _@_\nin expression "1 + _@_* 2"');
    expect(e.code).to.equal('TCL PARSE EXPR MISSING');
    expect(e.info).to.equal(
      'missing operand at _@_\nin expression "1 + _@_* 2"\n    (parsing expression "1 + * 2")\n    invoked from within\n"expr {1 + * 2}"',
    );
  });

  it('words errorInfo as Tcl does for folded constants, run-time values and procs', () => {
    run(interp, 'proc q {} {\n  set a 1\n\n  expr {$a / 0}\n}');
    expect(errorOf(interp, 'q').info).to.equal(
      'divide by zero\n    while executing\n"expr {$a / 0}"\n    (procedure "q" line 4)\n    invoked from within\n"q"',
    );
    run(interp, 'proc r {} {\n  set a 1\n  expr {1 / 0}\n}');
    expect(errorOf(interp, 'r').info).to.equal(
      'divide by zero\n    invoked from within\n"expr {1 / 0}"\n    (procedure "r" line 3)\n    invoked from within\n"r"',
    );
    run(interp, 'proc ::tcl::mathfunc::f {x} {error boo}');
    expect(errorOf(interp, 'expr {f(1) + 2}').info).to.equal(
      'boo\n    while executing\n"error boo"\n    (procedure "tcl::mathfunc::f" line 1)\n    invoked from within\n"expr {f(1) + 2}"',
    );
  });

  it('numbers the lines of commands inside a multi-line expression', () => {
    run(interp, 'proc p {} {\n  set a 1\n  expr {$a +\n     [error inner]}\n}');
    const info = errorOf(interp, 'p').info;
    expect(info).to.contain('(procedure "p" line 4)');
  });

  it('registers itself with the engine for conditions', () => {
    expect(exprHook.engine).to.not.equal(null);
    expect(run(interp, 'set n 0; while {$n < 10} {incr n}; set n')).to.equal('10');
    expect(run(interp, 'set c {$n == 10}; if $c {set r yes} else {set r no}')).to.equal('yes');
  });
});

describe('expr: compile entry points', () => {
  it('compile values and conditions against a Compiler', () => {
    const interp = newInterp();
    const c = new Compiler(interp, null);
    run(interp, 'set x 0x10; set y 3');
    const v = compileExpression('$x + $y * 2', 1, c);
    expect(v(interp)!.toString()).to.equal('22');
    expect(compileExpression('$x', 1, c)(interp)!.toString()).to.equal('16');
    const cond = compileCondition('$y < 4 && !($x & 1)', 1, c);
    expect(cond(interp)).to.equal(true);
    const bad = compileCondition('$y <', 1, c);
    let message = '';
    try {
      bad(interp);
    } catch (e) {
      message = (e as { message: string }).message;
    }
    expect(message).to.equal('missing operand at _@_\nin expression "$y <_@_"');
  });
});

describe('expr: functions', () => {
  let interp: Interp;
  beforeEach(() => {
    interp = newInterp();
  });

  it('exist as ::tcl::mathfunc commands', () => {
    expect(run(interp, 'lsort [info commands ::tcl::mathfunc::*]')).to.equal(
      '::tcl::mathfunc::abs ::tcl::mathfunc::acos ::tcl::mathfunc::asin ::tcl::mathfunc::atan ::tcl::mathfunc::atan2 ' +
        '::tcl::mathfunc::bool ::tcl::mathfunc::ceil ::tcl::mathfunc::cos ::tcl::mathfunc::cosh ::tcl::mathfunc::double ' +
        '::tcl::mathfunc::entier ::tcl::mathfunc::exp ::tcl::mathfunc::floor ::tcl::mathfunc::fmod ::tcl::mathfunc::hypot ' +
        '::tcl::mathfunc::int ::tcl::mathfunc::isqrt ::tcl::mathfunc::log ::tcl::mathfunc::log10 ::tcl::mathfunc::max ' +
        '::tcl::mathfunc::min ::tcl::mathfunc::pow ::tcl::mathfunc::rand ::tcl::mathfunc::round ::tcl::mathfunc::sin ' +
        '::tcl::mathfunc::sinh ::tcl::mathfunc::sqrt ::tcl::mathfunc::srand ::tcl::mathfunc::tan ::tcl::mathfunc::tanh ' +
        '::tcl::mathfunc::wide',
    );
    expect(run(interp, '::tcl::mathfunc::abs " 0x10 "')).to.equal(' 0x10 ');
    expect(outcomeOf(interp, ['::tcl::mathfunc::sin'])).to.deep.equal({
      err: 'not enough arguments for math function "sin"',
      code: 'TCL WRONGARGS',
      info: 'not enough arguments for math function "sin"\n    while executing\n"::tcl::mathfunc::sin"',
    });
  });

  it('resolve procs relative to the current namespace, then globally, at run time', () => {
    run(interp, 'proc ::tcl::mathfunc::k {} {return global}');
    run(interp, 'namespace eval foo { namespace eval tcl::mathfunc { proc k {} {return local} } }');
    expect(run(interp, 'namespace eval foo { expr {k()} }')).to.equal('local');
    expect(run(interp, 'expr {k()}')).to.equal('global');
    run(interp, 'proc g {} { expr {cos(0)} }');
    expect(run(interp, 'g')).to.equal('1.0');
    run(interp, 'proc ::tcl::mathfunc::cos {x} {return mycos}');
    expect(run(interp, 'g')).to.equal('mycos');
    run(interp, 'rename ::tcl::mathfunc::cos {}');
    const e = errorOf(interp, 'g');
    expect(e.message).to.equal('invalid command name "tcl::mathfunc::cos"');
    expect(e.code).to.equal('TCL LOOKUP COMMAND tcl::mathfunc::cos');
  });

  it('canonicalise a function result that is a numeric string', () => {
    run(interp, 'proc ::tcl::mathfunc::h {args} {return 0x10}');
    expect(run(interp, 'expr {h(1+1)}')).to.equal('16');
    expect(run(interp, 'expr {h() eq "0x10"}')).to.equal('1');
  });

  it('rand and srand follow Tcl\'s generator, per interpreter', () => {
    expect(run(interp, 'expr {srand(42)}')).to.equal('0.00032870750889587566');
    expect(run(interp, 'expr {rand()}')).to.equal('0.5245871020129822');
    const other = newInterp();
    run(other, 'expr {srand(1)}');
    expect(run(interp, 'expr {rand()}')).to.equal('0.7354235321913956');
    expect(run(other, 'expr {rand()}')).to.equal('0.13153778814316625');
    expect(run(interp, 'expr {srand(-5)}')).to.equal('0.9999686945229623');
    expect(run(interp, 'expr {srand(2**40+3)}')).to.equal('2.3479107778276833e-5');
    expect(run(interp, 'expr {rand()}')).to.equal('0.39461336442949874');
  });

  it('take a C library through installLibm', () => {
    const saved = libm.sin;
    try {
      installLibm({ sin: () => 0.25 });
      expect(run(interp, 'expr {sin(1)}')).to.equal('0.25');
    } finally {
      installLibm({ sin: saved });
    }
    expect(run(interp, 'expr {sin(0)}')).to.equal('0.0');
  });
});

describe('expr: ::tcl::mathop commands', () => {
  const table: Array<[string, string]> = [
    ['+', '0'],
    ['+ 0x10', '16'],
    ['* 2 3 4', '24'],
    ['- 0x10', '-16'],
    ['- 1 2 3 4', '-8'],
    ['/ 2', '0.5'],
    ['/ 0', 'Inf'],
    ['/ 8 2 2', '2'],
    ['** ', '1'],
    ['** 0x10', '0x10'],
    ['** 2 3 2', '512'],
    ['& ', '-1'],
    ['& 0x10', '16'],
    ['| 1 2 4', '7'],
    ['^ 1 3', '2'],
    ['< 1 2 a', '1'],
    ['< 3', '1'],
    ['== 1 1.0 1', '1'],
    ['eq a a b', '0'],
    ['!= 1 2', '1'],
    ['! yes', '0'],
    ['~ 1', '-2'],
    ['in b {a b}', '1'],
    ['ni a {b}', '1'],
    ['% 7 2', '1'],
    ['<< 1 2', '4'],
    ['+ 2 1e400', 'Inf'],
  ];
  const errors: Array<[string, string, string]> = [
    ['-', 'wrong # args: should be "- value ?value ...?"', 'TCL WRONGARGS'],
    ['% 1', 'wrong # args: should be "% integer integer"', 'TCL WRONGARGS'],
    ['<< 1', 'wrong # args: should be "<< integer shift"', 'TCL WRONGARGS'],
    ['~ 1 2', 'wrong # args: should be "~ integer"', 'TCL WRONGARGS'],
    ['!', 'wrong # args: should be "! boolean"', 'TCL WRONGARGS'],
    ['ne a', 'wrong # args: should be "ne value value"', 'TCL WRONGARGS'],
    ['in a', 'wrong # args: should be "in value list"', 'TCL WRONGARGS'],
    ['+ 1 a', 'can\'t use non-numeric string as operand of "+"', 'ARITH DOMAIN {non-numeric string}'],
    ['& 1.5', 'can\'t use floating-point value as operand of "&"', 'ARITH DOMAIN {floating-point value}'],
    ['/ 1 0', 'divide by zero', 'ARITH DIVZERO {divide by zero}'],
    ['** 2 0 -1', 'exponentiation of zero by negative power', 'ARITH DOMAIN {exponentiation of zero by negative power}'],
  ];

  it('compute like the operators, with their own argument rules', () => {
    const interp = newInterp();
    run(interp, 'namespace path ::tcl::mathop');
    for (const [cmd, want] of table) expect(run(interp, cmd), cmd).to.equal(want);
  });

  it('report errors with Tcl\'s messages', () => {
    const interp = newInterp();
    run(interp, 'namespace path ::tcl::mathop');
    for (const [cmd, message, code] of errors) {
      const e = errorOf(interp, cmd);
      expect(e.message, cmd).to.equal(message);
      expect(e.code, cmd).to.equal(code);
    }
    expect(errorOf(interp, '::tcl::mathop::-').message).to.equal('wrong # args: should be "::tcl::mathop::- value ?value ...?"');
  });

  it('evaluate to OK results', () => {
    const interp = newInterp();
    expect(interp.eval('::tcl::mathop::+ 1 2')).to.equal(OK);
    expect(interp.result.toString()).to.equal('3');
  });
});
