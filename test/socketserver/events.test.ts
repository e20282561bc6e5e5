/**
 * How `::socketserver::socket client` delivers connections, checked against what the original
 * extension does under tclsh 8.6.13 (observed with the same scripts): the handler runs from the
 * event loop as a script "<handler> <chan> <ip> <port>" in the frame that waits, its errors are
 * ignored (no bgerror, ::errorInfo left behind), one connection per arming, and the channel is
 * an ordinary tcp channel. Also the JavaScript side: a queue fed from Node into an interpreter.
 */
import { expect } from 'chai';
import { Interp } from '../../src/index.js';
import * as native from '../../src/native/index.js';
import { createConnectionQueue, sendConnection, registerQueue, deliverConnection } from '../../src/packages/socketserver.js';
import { LOOPBACK_ENV, LineClient, freePort, killAll, startScript, tempScript } from './helpers.js';

describe('socketserver: delivering connections', function () {
  this.timeout(60000);
  afterEach(killAll);

  /** A listening loopback socket, kept in `fds` for closing. */
  function loopbackListener(fds: number[]): number {
    const l = native.socket(4, 'stream');
    fds.push(l);
    native.bind(l, '127.0.0.1', 0);
    native.listen(l, 4);
    return l;
  }

  /** A client connected to listener `l` (kept in `fds`) and its accepted end with the peer. */
  function connectAndAccept(l: number, fds: number[]): { client: number; fd: number; host: string; port: number } {
    const client = native.socket(4, 'stream');
    fds.push(client);
    native.connect(client, '127.0.0.1', native.getsockname(l)[1]);
    let a = native.accept(l);
    for (let i = 0; a === null && i < 200; i++) {
      native.sleepMs(5);
      a = native.accept(l);
    }
    const [fd, host, port] = a!;
    return { client, fd, host, port };
  }

  it('matches the original extension, handler by handler', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    // Each step connects with a plain Tcl client socket in the same process.
    const script = tempScript(`
fconfigure stdout -buffering line
package require socketserver
proc out {args} { puts [join $args " "] }
proc main {p1 p2} {
    ::socketserver::socket server $p1
    out server-result [list [::socketserver::socket server $p1]] [list [::socketserver::socket server 0]]

    # 1. The channel and its configuration; the handler's error is ignored, errorInfo kept.
    proc h {fd ip port} {
        out h [string match sock* $fd] $ip [expr {$port == [lindex [fconfigure $::c1 -sockname] 2]}]
        out config [lrange [fconfigure $fd] 0 11]
        out peer [lrange [fconfigure $fd -peername] 0 0] sock [lrange [fconfigure $fd -sockname] 0 0] [expr {[lindex [fconfigure $fd -sockname] 2] == $::port1}]
        out registered [expr {$fd in [file channels]}] level [info level]
        set ::got $fd
        error boom
    }
    proc bgerror {args} { out BGERROR $args }
    set ::port1 $p1
    ::socketserver::socket client h
    set ::c1 [socket 127.0.0.1 $p1]
    proc waiter {} { set localv 1; vwait ::got; out after-vwait [lindex [split $::errorInfo \\n] 0] }
    waiter
    out errorCode $::errorCode

    # 2. The handler is a script prefix: extra words stay in front of the arguments.
    proc h2 {a b c d} { out h2 $a [string match sock* $b] $c; set ::got2 1 }
    ::socketserver::socket client {h2 extra}
    set c2 [socket 127.0.0.1 $p1]
    vwait ::got2

    # 3. An unknown handler fails silently, leaving its error in ::errorInfo.
    ::socketserver::socket client nosuch
    set c3 [socket 127.0.0.1 $p1]
    after 500 {set ::t 1}; vwait ::t
    out unknown [string match {invalid command name "nosuch"*while executing*"nosuch sock* 127.0.0.1 *"} $::errorInfo]

    # 4. A second port, and any word in place of -port.
    ::socketserver::socket server $p2
    proc h3 {fd ip port} { out h3 [lindex [fconfigure $fd -sockname] 2]; set ::g3 1 }
    ::socketserver::socket client -port $p2 h3
    set c4 [socket 127.0.0.1 $p2]
    vwait ::g3
    ::socketserver::socket client -anything $p2 h3
    set c5 [socket 127.0.0.1 $p2]
    vwait ::g3

    # 5. Arming twice still delivers one connection; client without -port takes the first port.
    ::socketserver::socket client h3
    ::socketserver::socket client h3
    set c6 [socket 127.0.0.1 $p1]
    set c7 [socket 127.0.0.1 $p1]
    after 500 {set ::t 1}; vwait ::t

    # 6. The handler runs in the frame that waits (Tcl_Eval, not a global-level event).
    proc hl {fd ip port} { out hl level [info level] vars [lsort [info vars]]; set ::g4 1 }
    proc lv {} { set mylocal 1; ::socketserver::socket client hl; vwait ::g4 }
    lv
    # The handler sets lv2's own z (vwait itself always waits on a global variable).
    proc lv2 {} { set mylocal 1; ::socketserver::socket client {set z 1; set ::z 2; out z [info level] [lsort [info vars]];#}; vwait z; out local $z global $::z }
    set c8 [socket 127.0.0.1 $p1]
    lv2
    out done
}
main ${p1} ${p2}
`);
    const server = startScript(script, [], LOOPBACK_ENV);
    await server.waitExit(50000);
    expect(server.stderr).to.equal('');
    expect(server.lines()).to.deep.equal([
      'server-result {} {}',
      'h 1 127.0.0.1 1',
      'config -blocking 1 -buffering full -buffersize 4096 -encoding utf-8 -eofchar {{} {}} -translation {auto crlf}',
      'peer 127.0.0.1 sock 127.0.0.1 1',
      'registered 1 level 3',
      'after-vwait boom',
      'errorCode NONE',
      'h2 extra 1 127.0.0.1',
      'unknown 1',
      `h3 ${p2}`,
      `h3 ${p2}`,
      `h3 ${p1}`,
      'hl level 3 vars fd ip port',
      'z 2 mylocal z',
      'local 1 global 2',
      'done',
    ]);
  });

  it('a connection fed from JavaScript reaches a Tcl handler through registerQueue', () => {
    const interp = new Interp();
    const [recv, send] = createConnectionQueue();
    const fds = [send];
    try {
      const { client: c, fd, host, port } = connectAndAccept(loopbackListener(fds), fds);
      native.write(c, Buffer.from('from node\n'), 0, 10);
      expect(sendConnection(send, { fd, host, port })).to.equal(true);
      native.close(fd);
      registerQueue(interp, 4321, recv);
      expect(() => registerQueue(interp, 4321, recv)).to.throw(/already served/);
      const result = interp.evalOrThrow(`
        package require socketserver
        proc h {chan ip port} {
            fconfigure $chan -translation lf -buffering line
            set ::got [list [gets $chan] $ip [expr {$port == ${native.getsockname(c)[1]}}]]
            puts $chan "hello back"
            close $chan
        }
        ::socketserver::socket client -port 4321 h
        vwait ::got
        set ::got
      `);
      expect(result).to.equal('{from node} 127.0.0.1 1');
      const buf = Buffer.alloc(64);
      native.sleepMs(20);
      const n = native.read(c, buf, 0, 64);
      expect(buf.toString('utf8', 0, n)).to.equal('hello back\n');
      expect(interp.evalOrThrow('file channels sock*')).to.equal('');
    } finally {
      for (const f of fds) native.close(f);
    }
  });

  /** A loopback connection accepted here; `prepare` runs on both ends before the fd is queued. */
  function queuedConnection(send: number, fds: number[], prepare: (client: number, server: number) => void): number {
    const { client: c, fd, host, port } = connectAndAccept(loopbackListener(fds), fds);
    prepare(c, fd);
    native.sleepMs(20);
    expect(sendConnection(send, { fd, host, port })).to.equal(true);
    native.close(fd);
    return c;
  }

  it('a queued connection whose first line has arrived is read at once, without a poll', () => {
    const interp = new Interp();
    const [recv, send] = createConnectionQueue();
    const fds = [send];
    const polled: number[][] = [];
    const realPoll = native.pollWait;
    let watching = false;
    try {
      const c = queuedConnection(send, fds, (client) => native.write(client, Buffer.from('early\n'), 0, 6));
      registerQueue(interp, 4322, recv);
      interp.createCommand('watching', () => {
        watching = true;
        return 0;
      });
      (native as { pollWait: typeof native.pollWait }).pollWait = (n, timeout) => {
        if (watching) polled.push([n, timeout]);
        return realPoll(n, timeout);
      };
      const result = interp.evalOrThrow(`
        package require socketserver
        proc h {chan ip port} {
            fconfigure $chan -translation lf -buffering line -blocking 1
            fileevent $chan readable [list line $chan]
            watching
        }
        proc line {chan} {
            set ::got [list [gets $chan] [eof $chan]]
            puts $chan "reply"
            close $chan
        }
        ::socketserver::socket client -port 4322 h
        vwait ::got
        set ::got
      `);
      (native as { pollWait: typeof native.pollWait }).pollWait = realPoll;
      expect(result).to.equal('early 0');
      expect(polled).to.deep.equal([]);
      const buf = Buffer.alloc(16);
      native.sleepMs(20);
      expect(buf.toString('utf8', 0, native.read(c, buf, 0, 16))).to.equal('reply\n');
    } finally {
      (native as { pollWait: typeof native.pollWait }).pollWait = realPoll;
      for (const f of fds) native.close(f);
    }
  });

  it('what the first read meets is reported as a poll and a read would report it', () => {
    const interp = new Interp();
    const [recv, send] = createConnectionQueue();
    const fds = [send];
    const realRead = native.read;
    let failNext = false;
    try {
      // A reset (the client closes with unread data) reads as end of file, as in Tcl's driver.
      queuedConnection(send, fds, (client, server) => {
        native.write(server, Buffer.from('unread'), 0, 6);
        native.sleepMs(20);
        native.close(client);
        fds.splice(fds.indexOf(client), 1);
      });
      // An error is kept for the read the script makes; the bytes behind it come next.
      queuedConnection(send, fds, (client) => native.write(client, Buffer.from('after\n'), 0, 6));
      registerQueue(interp, 4323, recv);
      interp.createCommand('failnext', () => {
        failNext = true;
        return 0;
      });
      (native as { read: typeof native.read }).read = (fd, buf, off, len) => {
        if (!failNext) return realRead(fd, buf, off, len);
        failNext = false;
        throw Object.assign(new Error('read: Input/output error'), { code: 'EIO' });
      };
      const result = interp.evalOrThrow(`
        package require socketserver
        proc h {chan ip port} {
            if {[incr ::n] == 2} failnext
            fileevent $chan readable [list line $chan]
        }
        proc line {chan} {
            set code [catch {gets $chan} msg]
            lappend ::got $code [regsub {sock[0-9a-f]+} $msg sockN] [expr {$code ? $::errorCode : [eof $chan]}]
            if {$code} {lappend ::got [gets $chan]}
            close $chan
            if {$::n < 2} {::socketserver::socket client -port 4323 h}
        }
        set ::got {}
        ::socketserver::socket client -port 4323 h
        while {[llength $::got] < 7} {vwait ::got}
        set ::got
      `);
      expect(result).to.equal('0 {} 1 1 {error reading "sockN": I/O error} {POSIX EIO {I/O error}} after');
    } finally {
      (native as { read: typeof native.read }).read = realRead;
      for (const f of fds) native.close(f);
    }
  });

  it('deliverConnection hands a Node-accepted fd to a Tcl handler as a sockN channel', () => {
    const interp = new Interp();
    const fds: number[] = [];
    try {
      const l = loopbackListener(fds);
      const { client: c, fd, host, port } = connectAndAccept(l, fds);
      interp.evalOrThrow('proc h {tag chan host port} { set ::got [list $tag [string match sock* $chan] $host]; puts $chan hi; close $chan }');
      deliverConnection(interp, 'h tagged', { fd, host, port });
      expect(interp.evalOrThrow('set ::got')).to.equal('tagged 1 127.0.0.1');
      const buf = Buffer.alloc(16);
      native.sleepMs(20);
      const n = native.read(c, buf, 0, 16);
      expect(buf.toString('utf8', 0, n)).to.equal('hi\r\n');
      // A failing handler is ignored, as from the event loop.
      const second = connectAndAccept(l, fds);
      deliverConnection(interp, 'nosuchproc', { fd: second.fd, host: second.host, port: second.port });
      expect(interp.evalOrThrow('string range $::errorInfo 0 34')).to.equal('invalid command name "nosuchproc"\n ');
    } finally {
      for (const f of fds) native.close(f);
    }
  });

  it('a handler prefix with quoting and substitutions is evaluated as script text', async () => {
    const port = await freePort();
    const script = tempScript(`
package require socketserver
::socketserver::socket server ${port}
proc h {a b chan ip port} { puts [list $a $b [string match sock* $chan] $ip]; close $chan; set ::done 1 }
set word "two words"
::socketserver::socket client {h $word [string toupper x]}
puts ready; flush stdout
vwait ::done
`);
    const server = startScript(script, [], LOOPBACK_ENV);
    await server.waitLine(/^ready$/);
    const c = await LineClient.connect(port);
    await server.waitExit(20000);
    c.destroy();
    expect(server.stderr).to.equal('');
    expect(server.lines()).to.deep.equal(['ready', '{two words} X 1 127.0.0.1']);
  });

  it('a handler that writes and closes at once serves a plain client', async () => {
    const port = await freePort();
    const script = tempScript(`
package require socketserver
::socketserver::socket server ${port}
proc h {fd ip port} { puts $fd "hello $ip"; close $fd; ::socketserver::socket client h }
::socketserver::socket client h
puts ready; flush stdout
vwait forever
`);
    const server = startScript(script, [], LOOPBACK_ENV);
    await server.waitLine(/^ready$/);
    for (let i = 0; i < 5; i++) {
      const c = await LineClient.connect(port);
      expect(await c.readLine()).to.equal('hello 127.0.0.1\r');
      expect(await c.waitClosed()).to.equal(true);
      c.destroy();
    }
  });
});
