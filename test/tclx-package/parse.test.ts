/**
 * TclX's parsing rules for signals, pids and ids, tested directly (the golden cases check the same
 * through tclsh; these pin the corner cases one function at a time).
 */
import { expect } from 'chai';
import { TclObj } from '../../src/values/obj.js';
import { TclError } from '../../src/values/error.js';
import { parseCInt, parseSignalList, parseSignalSpec, signalByName, signalName, allSignals } from '../../src/packages/signals.js';
import { Interp, TclScriptError } from '../../src/index.js';

function tclErr(f: () => unknown): TclError {
  try {
    f();
  } catch (e) {
    if (e instanceof TclError) return e;
    throw e;
  }
  throw new Error('expected a TclError');
}

describe('TclX signal and number parsing', () => {
  it('parseCInt follows strtoul with base prefixes, white space and a sign', () => {
    expect(parseCInt('10')).to.equal(10);
    expect(parseCInt(' 10 ')).to.equal(10);
    expect(parseCInt('0xa')).to.equal(10);
    expect(parseCInt('0XA')).to.equal(10);
    expect(parseCInt('012')).to.equal(10);
    expect(parseCInt('+10')).to.equal(10);
    expect(parseCInt('-9')).to.equal(-9);
    expect(parseCInt('-0')).to.equal(0);
    expect(parseCInt('0')).to.equal(0);
    // Wider than an int: cut to 32 bits as the C cast does.
    expect(parseCInt('4294967305')).to.equal(9);
    expect(parseCInt('2147483648')).to.equal(-2147483648);
    for (const bad of ['', ' ', '9.0', '0x', '09', '1e3', 'x', '10x', '- ', '18446744073709551616']) {
      expect(parseCInt(bad), JSON.stringify(bad)).to.equal(null);
    }
  });

  it('signal names are case-insensitive, SIG optional, at most 9 characters, with aliases', () => {
    expect(signalByName('SIGUSR1')).to.equal(10);
    expect(signalByName('usr1')).to.equal(10);
    expect(signalByName('SigUsr1')).to.equal(10);
    expect(signalByName('SIGCLD')).to.equal(17);
    expect(signalByName('iot')).to.equal(6);
    expect(signalByName('POLL')).to.equal(29);
    expect(signalByName('SIGVTALRM')).to.equal(26);
    expect(signalByName('SIG')).to.equal(-1);
    expect(signalByName('SIGSTKFLT')).to.equal(-1);
    expect(signalByName('SIGRTMIN')).to.equal(-1);
    expect(signalByName('SIGUSR1 ')).to.equal(-1);
  });

  it('signal numbers are accepted only where Tcl has a name; 0 only for kill', () => {
    expect(parseSignalSpec('15', false)).to.equal(15);
    expect(parseSignalSpec('0xf', false)).to.equal(15);
    expect(parseSignalSpec('0', true)).to.equal(0);
    expect(parseSignalSpec('-0', true)).to.equal(0);
    for (const bad of ['0', '16', '32', '64', '-9', '9.0', '']) {
      expect(tclErr(() => parseSignalSpec(bad, false)).message).to.equal(`invalid signal "${bad}"`);
    }
  });

  it('Tcl_SignalId names, with one name per number', () => {
    expect(signalName(17)).to.equal('SIGCHLD');
    expect(signalName(6)).to.equal('SIGABRT');
    expect(signalName(29)).to.equal('SIGIO');
    expect(signalName(16)).to.equal('unknown signal');
    expect(signalName(40)).to.equal('unknown signal');
    expect(allSignals()).to.have.length(30);
  });

  it('signal lists come back ascending without repeats; * leaves out KILL and STOP', () => {
    expect(parseSignalList(TclObj.fromString('SIGUSR2 usr1 10 15'))).to.deep.equal([10, 12, 15]);
    const all = parseSignalList(TclObj.fromString('*'));
    expect(all).to.have.length(28);
    expect(all).to.not.include(9);
    expect(all).to.not.include(19);
    expect(tclErr(() => parseSignalList(TclObj.fromString(''))).message).to.equal('signal list may not be empty');
    expect(tclErr(() => parseSignalList(TclObj.fromString('SIGHUP *'))).message).to.match(/^when "\*" is specified/);
  });
});

describe('TclX commands in process (no signals sent)', () => {
  let interp: Interp;
  before(() => {
    interp = new Interp();
    interp.evalOrThrow('package require Tclx');
  });

  function fails(script: string): TclScriptError {
    try {
      interp.evalOrThrow(script);
    } catch (e) {
      if (e instanceof TclScriptError) return e;
      throw e;
    }
    throw new Error(`expected ${script} to fail`);
  }

  it('id process answers with the kernel pid', () => {
    expect(interp.evalOrThrow('id process')).to.equal(String(process.pid));
    expect(interp.evalOrThrow('id process parent')).to.equal(String(process.ppid));
  });

  it('kill with signal 0 probes a process; failures name the target as TclX does', () => {
    expect(interp.evalOrThrow(`kill 0 ${process.pid}`)).to.equal('');
    const e = fails('kill 0 -2147483647');
    expect(e.message).to.equal('sending signal  to process group 2147483647 failed: no such process');
    expect(e.errorCode).to.equal('POSIX ESRCH {no such process}');
  });

  it('wait for a process that is not a child fails with ECHILD', () => {
    const e = fails('wait 2147483647');
    expect(e.message).to.equal('wait for process failed: no children');
    expect(e.errorCode).to.equal('POSIX ECHILD {no children}');
  });

  it('sleep of less than a second returns at once (TclX sleeps whole seconds)', () => {
    const t0 = Date.now();
    interp.evalOrThrow('sleep 0.99; sleep -5; sleep 0');
    expect(Date.now() - t0).to.be.below(200);
  });

  it('signal get reports dispositions without changing them', () => {
    expect(interp.evalOrThrow('signal get {SIGPIPE}')).to.equal('{SIGPIPE {ignore 0 {} 1}}');
    expect(interp.evalOrThrow('signal get {SIGWINCH SIGURG}')).to.equal('{SIGURG {default 0 {} 0}} {SIGWINCH {default 0 {} 0}}');
  });

  it('errors are Tcl errors with TclX wording, never host exceptions', () => {
    expect(fails('fork x').message).to.equal('wrong # args: fork');
    expect(fails('id convert userid x').errorCode).to.equal('TCL VALUE NUMBER');
    expect(fails('id userid x').errorCode).to.equal('TCL VALUE INTEGER');
    expect(fails('alarm -1').message).to.equal('unable to obtain timer: invalid argument');
    expect(fails('execl /nonexistent/x').message).to.equal('exec of "/nonexistent/x" failed: no such file or directory');
  });
});
