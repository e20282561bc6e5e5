// Invocations without a compiled site (event handlers, callbacks from JavaScript) cache their
// command lookup on the value naming the command. The cache must follow every change Tcl allows.
import { expect } from 'chai';
import { Interp, TclObj, OK } from '../../src/index.js';

function call(interp: Interp, words: TclObj[]): string {
  expect(interp.evalObjv(words)).to.equal(OK);
  return interp.result.toString();
}

describe('invoke: command lookups cached on the name value', () => {
  it('follows a redefinition, a rename and a deletion', () => {
    const interp = new Interp();
    const name = TclObj.fromString('greet');
    interp.evalOrThrow('proc greet {} {return one}');
    expect(call(interp, [name])).to.equal('one');
    interp.evalOrThrow('proc greet {} {return two}');
    expect(call(interp, [name])).to.equal('two');
    interp.evalOrThrow('rename greet old; proc greet {} {return three}');
    expect(call(interp, [name])).to.equal('three');
    interp.evalOrThrow('rename greet {}');
    expect(interp.evalObjv([name])).to.not.equal(OK);
    expect(interp.result.toString()).to.equal('invalid command name "greet"');
    interp.evalOrThrow('proc greet {} {return four}');
    expect(call(interp, [name])).to.equal('four');
  });

  it('resolves again from another namespace', () => {
    const interp = new Interp();
    interp.evalOrThrow('proc who {} {return global}; namespace eval ns {proc who {} {return ns}}');
    interp.createCommand('callWho', (ip) => ip.evalObjv([name]));
    const name = TclObj.fromString('who');
    expect(call(interp, [name])).to.equal('global');
    expect(interp.evalOrThrow('namespace eval ns callWho')).to.equal('ns');
    expect(call(interp, [name])).to.equal('global');
  });

  it('keeps a value that is also a script usable as a script', () => {
    const interp = new Interp();
    interp.evalOrThrow('proc hi {} {return hello}');
    const word = TclObj.fromString('hi');
    expect(call(interp, [word])).to.equal('hello');
    expect(interp.evalObj(word)).to.equal(OK);
    expect(interp.result.toString()).to.equal('hello');
    expect(call(interp, [word])).to.equal('hello');
  });

  it('is not shared between interpreters', () => {
    const a = new Interp();
    const b = new Interp();
    a.evalOrThrow('proc f {} {return a}');
    b.evalOrThrow('proc f {} {return b}');
    const name = TclObj.fromString('f');
    expect(call(a, [name])).to.equal('a');
    expect(call(b, [name])).to.equal('b');
    expect(call(a, [name])).to.equal('a');
  });
});
