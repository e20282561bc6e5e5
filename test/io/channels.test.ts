/**
 * Channel commands through the embedding API: files, translations, nonblocking pipes and events,
 * exec, and the exact errors for bad input (unknown channel, wrong direction, refused
 * connection, bad encoding, a closed channel in fileevent). Everything stays on 127.0.0.1 and in
 * a temporary directory.
 */
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Interp, TclScriptError } from '../../src/index.js';
import { flushAllChannels } from '../../src/io/table.js';
import { tempDir } from './helpers.js';

function evalError(interp: Interp, script: string): TclScriptError {
  try {
    interp.evalOrThrow(script);
  } catch (e) {
    if (e instanceof TclScriptError) return e;
    throw e;
  }
  throw new Error(`no error from: ${script}`);
}

describe('io: channels through the Interp API', () => {
  let dir: string;
  let interp: Interp;
  const savedCwd = process.cwd();

  beforeEach(() => {
    dir = tempDir();
    process.chdir(dir);
    interp = new Interp();
  });

  afterEach(() => {
    process.chdir(savedCwd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes, flushes and reads a file', () => {
    interp.evalOrThrow('set f [open a.txt w]; puts $f one; puts -nonewline $f two; close $f');
    expect(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8')).to.equal('one\ntwo');
    expect(interp.evalOrThrow('set f [open a.txt]; set x [list [gets $f] [gets $f] [eof $f]]; close $f; set x')).to.equal('one two 1');
  });

  it('translates line ends on input and output', () => {
    fs.writeFileSync(path.join(dir, 'crlf.txt'), 'a\r\nb\rc\n');
    expect(interp.evalOrThrow('set f [open crlf.txt]; set x [read $f]; close $f; string map {\\n |} $x')).to.equal('a|b|c|');
    interp.evalOrThrow('set f [open out.txt w]; fconfigure $f -translation crlf; puts $f x; close $f');
    expect(fs.readFileSync(path.join(dir, 'out.txt'), 'latin1')).to.equal('x\r\n');
  });

  it('flushAllChannels writes out full buffers', () => {
    interp.evalOrThrow('set f [open buf.txt w]; puts -nonewline $f pending');
    expect(fs.readFileSync(path.join(dir, 'buf.txt'), 'utf8')).to.equal('');
    flushAllChannels(interp);
    expect(fs.readFileSync(path.join(dir, 'buf.txt'), 'utf8')).to.equal('pending');
    interp.evalOrThrow('close $f');
  });

  it('reads a pipe without blocking and reports partial lines as blocked', () => {
    const out = interp.evalOrThrow(`
      set p [open "|sh -c {printf part; sleep 1; printf ial\\n}" r]
      fconfigure $p -blocking 0
      set log {}
      fileevent $p readable {
        if {[gets $p line] >= 0} { lappend log "line:$line"; close $p; set done 1 } else { lappend log blocked:[fblocked $p] }
      }
      vwait done
      lsort -unique $log`);
    expect(out).to.equal('blocked:1 line:partial');
  });

  it('runs exec pipelines and reports exit status', () => {
    expect(interp.evalOrThrow('exec echo hello | tr a-z A-Z')).to.equal('HELLO');
    const e = evalError(interp, 'exec sh -c {exit 7}');
    expect(e.message).to.equal('child process exited abnormally');
    expect(e.errorCode.split(' ')[0]).to.equal('CHILDSTATUS');
    expect(e.errorCode.split(' ')[2]).to.equal('7');
  });

  describe('bad input gives tclsh\'s exact errors', () => {
    it('unknown channel', () => {
      const e = evalError(interp, 'puts nosuch hello');
      expect(e.message).to.equal('can not find channel named "nosuch"');
      expect(e.errorCode).to.equal('TCL LOOKUP CHANNEL nosuch');
    });

    it('reading a write-only channel', () => {
      const e = evalError(interp, 'set f [open w.txt w]; gets $f');
      expect(e.message).to.match(/^channel "file\d+" wasn't opened for reading$/);
      interp.evalOrThrow('close $f');
    });

    it('connecting to a closed port', () => {
      const port = interp.evalOrThrow('set s [socket -server x -myaddr 127.0.0.1 0]; set p [lindex [fconfigure $s -sockname] 2]; close $s; set p');
      const e = evalError(interp, `socket 127.0.0.1 ${port}`);
      expect(e.message).to.equal("couldn't open socket: connection refused");
      expect(e.errorCode).to.equal('POSIX ECONNREFUSED {connection refused}');
    });

    it('a bad encoding name', () => {
      const e = evalError(interp, 'fconfigure stdout -encoding nosuch');
      expect(e.message).to.equal('unknown encoding "nosuch"');
      expect(e.errorCode).to.equal('TCL LOOKUP ENCODING nosuch');
    });

    it('a closed channel in fileevent', () => {
      const e = evalError(interp, 'set f [open c.txt w]; close $f; fileevent $f writable {puts x}');
      expect(e.message).to.match(/^can not find channel named "file\d+"$/);
    });

    it('a missing file', () => {
      const e = evalError(interp, 'open nonexist.txt');
      expect(e.message).to.equal('couldn\'t open "nonexist.txt": no such file or directory');
      expect(e.errorCode).to.equal('POSIX ENOENT {no such file or directory}');
    });
  });
});
