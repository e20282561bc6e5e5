/**
 * ::socketserver::socket in-process: loading, argument checking with the original extension's
 * exact messages, errorCode and errorInfo (recorded from tclsh 8.6.13 + socketservertcl 1.1.3),
 * and the JavaScript queue API.
 */
import { expect } from 'chai';
import { Interp, TclScriptError } from '../../src/index.js';
import * as native from '../../src/native/index.js';
import {
  createConnectionQueue,
  sendConnection,
  receiveConnection,
  splitPeer,
  listenQueue,
  acceptQueue,
  connectQueue,
  PACKAGE_VERSION,
} from '../../src/packages/socketserver.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const USAGE = 'wrong # args: should be "::socketserver::socket server port | client [-port N] handlerProc"';

function failure(interp: Interp, script: string): TclScriptError {
  try {
    interp.evalOrThrow(script);
  } catch (e) {
    if (e instanceof TclScriptError) return e;
    throw e;
  }
  throw new Error(`no error from ${script}`);
}

describe('socketserver: package and arguments', () => {
  let interp: Interp;
  beforeEach(() => {
    interp = new Interp();
  });

  it('package require gives 1.1.3 and the ::socketserver namespace exporting *', () => {
    expect(interp.evalOrThrow('package require socketserver')).to.equal(PACKAGE_VERSION);
    expect(interp.evalOrThrow('namespace eval ::socketserver {namespace export}')).to.equal('*');
    expect(interp.evalOrThrow('info commands ::socketserver::*')).to.equal('::socketserver::socket');
  });

  it('load of any libsocketserver*.so provides the package, file or not', () => {
    expect(interp.evalOrThrow('load ./libsocketserver1.0.1.so')).to.equal('');
    expect(interp.evalOrThrow('package present socketserver')).to.equal('1.1.3');
    const other = new Interp();
    expect(other.evalOrThrow('load /no/such/dir/libsocketserver.so; package present socketserver')).to.equal('1.1.3');
    const third = new Interp();
    expect(failure(third, 'load ./libsocketservers.dll').message).to.match(/^couldn't load file/);
  });

  it('namespace import brings socket in as the original exports it', () => {
    interp.evalOrThrow('package require socketserver; namespace eval ::x { namespace import ::socketserver::* }');
    expect(interp.evalOrThrow('info commands ::x::socket')).to.equal('::x::socket');
  });

  const cases: Array<[string, string, string, string]> = [
    ['::socketserver::socket foo', 'bad option "foo": must be client or server', 'TCL LOOKUP INDEX option foo', 'bad option "foo": must be client or server\n    while executing\n"::socketserver::socket foo"'],
    ['::socketserver::socket serv 1', 'bad option "serv": must be client or server', 'TCL LOOKUP INDEX option serv', 'bad option "serv": must be client or server\n    while executing\n"::socketserver::socket serv 1"'],
    ['::socketserver::socket CLIENT h', 'bad option "CLIENT": must be client or server', 'TCL LOOKUP INDEX option CLIENT', 'bad option "CLIENT": must be client or server\n    while executing\n"::socketserver::socket CLIENT h"'],
    ['::socketserver::socket {} h', 'bad option "": must be client or server', 'TCL LOOKUP INDEX option {}', 'bad option "": must be client or server\n    while executing\n"::socketserver::socket {} h"'],
    ['::socketserver::socket server', USAGE, 'TCL WRONGARGS', USAGE + '\n    while executing\n"::socketserver::socket server"'],
    ['::socketserver::socket server 1 2', USAGE, 'TCL WRONGARGS', USAGE + '\n    while executing\n"::socketserver::socket server 1 2"'],
    ['::socketserver::socket client', USAGE, 'TCL WRONGARGS', USAGE + '\n    while executing\n"::socketserver::socket client"'],
    ['::socketserver::socket client -port 1', USAGE, 'TCL WRONGARGS', USAGE + '\n    while executing\n"::socketserver::socket client -port 1"'],
    ['::socketserver::socket client a b c d', USAGE, 'TCL WRONGARGS', USAGE + '\n    while executing\n"::socketserver::socket client a b c d"'],
    // The original crashes here (it reads objv[1] unchecked); a usage error is the sane reading.
    ['::socketserver::socket', USAGE, 'TCL WRONGARGS', USAGE + '\n    while executing\n"::socketserver::socket"'],
    [
      '::socketserver::socket server abc',
      'expected integer but got "abc"',
      'TCL VALUE INTEGER',
      'expected integer but got "abc"problem getting port number as integer\n    invoked from within\n"::socketserver::socket server abc"',
    ],
    [
      '::socketserver::socket server 99999999999',
      'integer value too large to represent',
      'ARITH IOVERFLOW {integer value too large to represent}',
      'integer value too large to representproblem getting port number as integer\n    invoked from within\n"::socketserver::socket server 99999999999"',
    ],
    [
      '::socketserver::socket client -port abc h',
      'expected integer but got "abc"',
      'TCL VALUE INTEGER',
      'expected integer but got "abc"problem getting port number as integer\n    invoked from within\n"::socketserver::socket client -port abc h"',
    ],
    [
      '::socketserver::socket client -port 1.5 h',
      'expected integer but got "1.5"',
      'TCL VALUE INTEGER',
      'expected integer but got "1.5"problem getting port number as integer\n    invoked from within\n"::socketserver::socket client -port 1.5 h"',
    ],
    ['::socketserver::socket client h', '', 'NONE', 'Could not find socketserver structure for port\n    invoked from within\n"::socketserver::socket client h"'],
    ['::socketserver::socket client -port 99 h', '', 'NONE', 'Could not find socketserver structure for port\n    invoked from within\n"::socketserver::socket client -port 99 h"'],
  ];
  for (const [script, message, errorCode, errorInfo] of cases) {
    it(`${script} -> ${JSON.stringify(message)}`, () => {
      interp.evalOrThrow('package require socketserver');
      const e = failure(interp, script);
      expect(e.message).to.equal(message);
      expect(e.errorCode).to.equal(errorCode);
      expect(e.errorInfo).to.equal(errorInfo);
    });
  }

  it('reports through catch with ::errorInfo as the original does, inside a proc too', () => {
    interp.evalOrThrow('package require socketserver');
    interp.evalOrThrow('proc p {} { ::socketserver::socket client -port 7 h }');
    expect(interp.evalOrThrow('list [catch p msg] $msg $::errorCode')).to.equal('1 {} NONE');
    expect(interp.evalOrThrow('set ::errorInfo')).to.equal(
      'Could not find socketserver structure for port\n    invoked from within\n"::socketserver::socket client -port 7 h "\n    (procedure "p" line 1)\n    invoked from within\n"p"',
    );
  });

  it('an unusable TCLSHIM_SOCKETSERVER_BIND is an error, not a crash', () => {
    const saved = process.env.TCLSHIM_SOCKETSERVER_BIND;
    process.env.TCLSHIM_SOCKETSERVER_BIND = 'not-an-address';
    try {
      interp.evalOrThrow('package require socketserver');
      const e = failure(interp, '::socketserver::socket server 1');
      expect(e.message).to.equal('invalid TCLSHIM_SOCKETSERVER_BIND address "not-an-address"');
      // Nothing was registered: the port stays unknown to client.
      expect(failure(interp, '::socketserver::socket client -port 1 h').errorInfo).to.match(/^Could not find socketserver structure for port/);
    } finally {
      if (saved === undefined) delete process.env.TCLSHIM_SOCKETSERVER_BIND;
      else process.env.TCLSHIM_SOCKETSERVER_BIND = saved;
    }
  });

  it('a relative command name shows as typed in the usage message', () => {
    interp.evalOrThrow('package require socketserver');
    expect(failure(interp, 'namespace eval ::socketserver { socket client }').message).to.equal(
      'wrong # args: should be "socket server port | client [-port N] handlerProc"',
    );
  });
});

describe('socketserver: JavaScript queue API', () => {
  const fds: number[] = [];
  const track = (...xs: number[]) => {
    fds.push(...xs);
    return xs;
  };
  afterEach(() => {
    for (const fd of fds.splice(0)) {
      try {
        native.close(fd);
      } catch {
        // already closed by the test
      }
    }
  });

  /** A connected loopback TCP pair: [client, server side]. */
  function tcpPair(): [number, number] {
    const l = native.socket(4, 'stream');
    track(l);
    native.bind(l, '127.0.0.1', 0);
    native.listen(l, 4);
    const c = native.socket(4, 'stream');
    track(c);
    native.connect(c, '127.0.0.1', native.getsockname(l)[1]);
    let a = native.accept(l);
    for (let i = 0; a === null && i < 100; i++) {
      native.sleepMs(5);
      a = native.accept(l);
    }
    track(a![0]);
    return [c, a![0]];
  }

  it('carries a connection and its peer through a queue, one record at a time', () => {
    const [recv, send] = track(...createConnectionQueue());
    expect(receiveConnection(recv)).to.equal('empty');
    const [client, server] = tcpPair();
    const peer = native.getpeername(server);
    expect(sendConnection(send, { fd: server, host: peer[0], port: peer[1] })).to.equal(true);
    expect(sendConnection(send, { fd: server, host: peer[0], port: peer[1] })).to.equal(true);
    const got = receiveConnection(recv);
    if (typeof got === 'string') throw new Error(`expected a connection, got ${got}`);
    track(got.fd);
    expect(got.host).to.equal('127.0.0.1');
    expect(got.port).to.equal(peer[1]);
    expect(got.fd).to.not.equal(server);
    native.write(got.fd, Buffer.from('hi\n'), 0, 3);
    const buf = Buffer.alloc(8);
    native.sleepMs(20);
    expect(native.read(client, buf, 0, 8)).to.equal(3);
    const second = receiveConnection(recv);
    expect(second).to.be.an('object');
    track((second as { fd: number }).fd);
    expect(receiveConnection(recv)).to.equal('empty');
    native.close(send);
    fds.splice(fds.indexOf(send), 1);
    expect(receiveConnection(recv)).to.equal('closed');
  });

  it('connects workers that were not forked through a Unix socket path', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tclshim-ssq-'));
    const p = path.join(dir, 'queue');
    try {
      const l = listenQueue(p);
      track(l);
      expect(acceptQueue(l)).to.equal(null);
      const recv = connectQueue(p);
      track(recv);
      let send = acceptQueue(l);
      for (let i = 0; send === null && i < 100; i++) {
        native.sleepMs(5);
        send = acceptQueue(l);
      }
      track(send!);
      const [, server] = tcpPair();
      expect(sendConnection(send!, { fd: server, host: '127.0.0.1', port: 4242 })).to.equal(true);
      const got = receiveConnection(recv);
      if (typeof got === 'string') throw new Error(`expected a connection, got ${got}`);
      track(got.fd);
      expect([got.host, got.port]).to.deep.equal(['127.0.0.1', 4242]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('splits peers, IPv6 included', () => {
    expect(splitPeer('127.0.0.1 5000')).to.deep.equal(['127.0.0.1', 5000]);
    expect(splitPeer('::ffff:10.0.0.1 65535')).to.deep.equal(['::ffff:10.0.0.1', 65535]);
    expect(splitPeer('"Unknown AF" -1')).to.deep.equal(['"Unknown AF"', -1]);
  });
});
