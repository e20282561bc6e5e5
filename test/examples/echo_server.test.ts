/**
 * examples/echo_server.tcl end to end (issue 5): real processes on 127.0.0.1, the parent's
 * socketserver thread feeding forked workers. Behaviour, load, and faults.
 */
import { expect } from 'chai';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  EXAMPLES,
  LOOPBACK_ENV,
  LineClient,
  ServerProcess,
  childPids,
  cpuTicks,
  fdCount,
  freePort,
  killAll,
  runLoad,
  sleep,
  startScript,
  tempScript,
  until,
} from '../socketserver/helpers.js';

const ECHO = path.join(EXAMPLES, 'echo_server.tcl');

interface Echo {
  server: ServerProcess;
  port: number;
  workers: number[];
}

async function startEcho(workers: number): Promise<Echo> {
  const port = await freePort();
  const server = startScript(ECHO, [String(port), String(workers)], LOOPBACK_ENV);
  await server.waitLine(/^echo server \d+ on port/);
  await until(() => server.count(/^worker \d+$/) === workers, 20000, `${workers} workers`);
  return { server, port, workers: workerPids(server) };
}

function workerPids(server: ServerProcess): number[] {
  return server.lines().filter((l) => /^worker \d+$/.test(l)).map((l) => Number(l.split(' ')[1]));
}

/** "<pid> <ip> <port> <line>" -> pid, after checking the rest. */
function replyPid(reply: string, client: LineClient, line: string): number {
  const m = /^(\d+) 127\.0\.0\.1 (\d+) (.*)$/.exec(reply);
  expect(m, `reply ${JSON.stringify(reply)}`).to.not.equal(null);
  expect(Number(m![2])).to.equal(client.localPort);
  expect(m![3]).to.equal(line);
  return Number(m![1]);
}

describe('examples/echo_server.tcl', function () {
  this.timeout(120000);
  const clients: LineClient[] = [];
  async function connect(port: number): Promise<LineClient> {
    const c = await LineClient.connect(port);
    clients.push(c);
    return c;
  }
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
    killAll();
  });

  it('replies "<worker pid> <ip> <port> <line>"; quit closes and the worker takes the next connection', async () => {
    const { port, workers } = await startEcho(1);
    const a = await connect(port);
    const pid = replyPid(await a.ask('hello world'), a, 'hello world');
    expect(workers).to.deep.equal([pid]);
    expect(replyPid(await a.ask('  spaces  and {braces} [x] $y  '), a, '  spaces  and {braces} [x] $y  ')).to.equal(pid);
    expect(replyPid(await a.ask('héllo ✓'), a, 'héllo ✓')).to.equal(pid);
    expect(replyPid(await a.ask('please quit now'), a, 'please quit now')).to.equal(pid);
    expect(await a.waitClosed(10000)).to.equal(true);
    const b = await connect(port);
    expect(replyPid(await b.ask('next'), b, 'next')).to.equal(pid);
  });

  it('a client that leaves without quit frees its worker for the next connection', async () => {
    const { port, workers } = await startEcho(1);
    const a = await connect(port);
    expect(replyPid(await a.ask('bye without quit'), a, 'bye without quit')).to.equal(workers[0]);
    a.end();
    expect(await a.waitClosed(10000)).to.equal(true);
    const b = await connect(port);
    expect(replyPid(await b.ask('next'), b, 'next')).to.equal(workers[0]);
  });

  it('SIGUSR1 to the parent forks a worker that serves the next connection', async () => {
    const { server, port, workers } = await startEcho(1);
    const a = await connect(port);
    expect(replyPid(await a.ask('one'), a, 'one')).to.equal(workers[0]);
    process.kill(server.pid, 'SIGUSR1');
    await until(() => server.count(/^worker \d+$/) === 2, 20000, 'a second worker');
    const added = workerPids(server)[1];
    // The first worker is still busy with `a`: only the new one can answer.
    const b = await connect(port);
    expect(replyPid(await b.ask('two'), b, 'two')).to.equal(added);
    expect(childPids(server.pid).sort()).to.deep.equal([workers[0], added].sort());
    expect(server.exited).to.equal(false);
  });

  it('many workers share one queue: concurrent connections land on distinct workers, a queued one waits', async () => {
    const { port, workers } = await startEcho(4);
    const held: LineClient[] = [];
    const pids = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const c = await connect(port);
      pids.add(replyPid(await c.ask(`client ${i}`), c, `client ${i}`));
      held.push(c);
    }
    expect([...pids].sort()).to.deep.equal([...workers].sort());
    // All four are busy: a fifth connection is accepted and queued, not answered.
    const queued = await connect(port);
    queued.send('waiting');
    let early: string | null = null;
    await queued.readLine(700).then(
      (l) => (early = l),
      () => undefined,
    );
    expect(early).to.equal(null);
    await held[2].ask('quit');
    const pid = replyPid(await queued.readLine(10000), queued, 'waiting');
    expect(workers).to.include(pid);
  });

  it('two ports served at once, each by its own workers', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    const script = tempScript(`
package require Tclx
package require socketserver
::socketserver::socket server ${p1}
::socketserver::socket server ${p2}
proc serve {fd ipaddr port listen} {
    set line [gets $fd]
    puts $fd "[pid] $listen $line"
    if {[string first quit $line] >= 0} {
        close $fd
        ::socketserver::socket client -port $listen [list accept $listen]
    }
}
proc accept {listen fd ipaddr port} {
    fconfigure $fd -buffering line -translation lf
    fileevent $fd readable [list serve $fd $ipaddr $port $listen]
}
fconfigure stdout -buffering line
foreach p {${p1} ${p2}} {
    set pid [fork]
    if {$pid == 0} {
        ::socketserver::socket client -port $p [list accept $p]
        vwait forever
    }
    puts "worker $p $pid"
}
# The parent needs no event loop: the accept threads run on their own.
foreach p {${p1} ${p2}} { catch wait }
`);
    const server = startScript(script, [], LOOPBACK_ENV);
    await until(() => server.count(/^worker /) === 2, 20000, 'two workers');
    const byPort = new Map(server.lines().map((l) => l.split(' ')).map(([, p, pid]) => [Number(p), Number(pid)]));
    for (let round = 0; round < 2; round++) {
      for (const p of [p1, p2]) {
        const c = await connect(p);
        expect(await c.ask('hi')).to.equal(`${byPort.get(p)} ${p} hi`);
        expect(await c.ask('quit')).to.equal(`${byPort.get(p)} ${p} quit`);
        expect(await c.waitClosed()).to.equal(true);
      }
    }
  });

  it('bad arguments give the original errors in a running server script', async () => {
    const script = tempScript(`
package require socketserver
foreach cmd {
    {::socketserver::socket client h}
    {::socketserver::socket server x}
    {::socketserver::socket bogus 1}
    {::socketserver::socket client -port 1}
} {
    catch $cmd msg
    puts [list $msg $::errorCode $::errorInfo]
}
`);
    const server = startScript(script, [], LOOPBACK_ENV);
    await server.waitExit();
    expect(server.stderr).to.equal('');
    expect(server.lines()).to.deep.equal([
      '{} NONE {Could not find socketserver structure for port\n    invoked from within\n"::socketserver::socket client h"}',
      '{expected integer but got "x"} {TCL VALUE INTEGER} {expected integer but got "x"problem getting port number as integer\n    invoked from within\n"::socketserver::socket server x"}',
      '{bad option "bogus": must be client or server} {TCL LOOKUP INDEX option bogus} {bad option "bogus": must be client or server\n    while executing\n"::socketserver::socket bogus 1"}',
      '{wrong # args: should be "::socketserver::socket server port | client [-port N] handlerProc"} {TCL WRONGARGS} {wrong # args: should be "::socketserver::socket server port | client [-port N] handlerProc"\n    while executing\n"::socketserver::socket client -port 1"}',
    ].join('\n').split('\n'));
    expect(server.exitCode).to.equal(0);
  });

  it('load: 10,000 connections, 16 in flight, 4 workers, zero errors', async () => {
    const { server, port, workers } = await startEcho(4);
    const r = await runLoad(port, 10000, 16, 1);
    expect(r.errors, r.output).to.equal(0);
    expect(r.done).to.equal(10000);
    // Every worker is still there: none died under load.
    expect(childPids(server.pid).sort()).to.deep.equal([...workers].sort());
  });

  it('faults: a worker SIGKILLed while holding a connection leaves the others serving and the parent accepting', async () => {
    const { server, port, workers } = await startEcho(2);
    const a = await connect(port);
    const victim = replyPid(await a.ask('mine'), a, 'mine');
    const survivor = workers.find((w) => w !== victim)!;
    const b = await connect(port);
    expect(replyPid(await b.ask('held'), b, 'held')).to.equal(survivor);
    process.kill(victim, 'SIGKILL');
    expect(await a.waitClosed(10000)).to.equal(true);
    // The held connection on the survivor is untouched; new ones still get served by it.
    expect(replyPid(await b.ask('still here'), b, 'still here')).to.equal(survivor);
    await b.ask('quit');
    for (let i = 0; i < 20; i++) {
      const c = await connect(port);
      expect(replyPid(await c.ask(`after ${i}`), c, `after ${i}`)).to.equal(survivor);
      await c.ask('quit');
      expect(await c.waitClosed()).to.equal(true);
      c.destroy();
    }
    expect(server.exited).to.equal(false);
    const r = await runLoad(port, 500, 8, 1);
    expect(r.errors, r.output).to.equal(0);
  });

  it('faults: connections queued while no worker is ready are served once one is', async () => {
    const { server, port } = await startEcho(0);
    const queued: LineClient[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await connect(port);
      c.send(`queued ${i}`);
      queued.push(c);
    }
    await sleep(500);
    process.kill(server.pid, 'SIGUSR1');
    await until(() => server.count(/^worker \d+$/) === 1, 20000, 'a worker');
    const pid = workerPids(server)[0];
    for (let i = 0; i < 3; i++) {
      expect(replyPid(await queued[i].readLine(20000), queued[i], `queued ${i}`)).to.equal(pid);
      await queued[i].ask('quit');
      expect(await queued[i].waitClosed()).to.equal(true);
    }
  });

  it('faults: 10,000 connections leak no descriptor in the parent or the workers', async () => {
    const { server, port, workers } = await startEcho(4);
    // Warm up so that every worker has served and re-armed at least once.
    const warm = await runLoad(port, 400, 16, 1);
    expect(warm.errors, warm.output).to.equal(0);
    await sleep(300);
    const before = [server.pid, ...workers].map(fdCount);
    const r = await runLoad(port, 10000, 16, 1);
    expect(r.errors, r.output).to.equal(0);
    await sleep(300);
    const after = [server.pid, ...workers].map(fdCount);
    expect(after).to.deep.equal(before);
  });

  it('a worker that is not armed does not spin on the queue', async () => {
    const port = await freePort();
    const script = tempScript(`
package require socketserver
::socketserver::socket server ${port}
proc keep {fd ipaddr port} { set ::held $fd; puts "got $fd"; flush stdout }
::socketserver::socket client keep
puts ready
flush stdout
# A timer far away keeps an event source alive once the queue is no longer watched.
after 600000 {}
vwait forever
`);
    const server = startScript(script, [], LOOPBACK_ENV);
    await server.waitLine(/^ready$/);
    const a = await connect(port);
    await server.waitLine(/^got sock/);
    // A second connection waits on the queue while this process is not armed.
    await connect(port);
    await sleep(300);
    const t0 = cpuTicks(server.pid);
    await sleep(1500);
    const used = cpuTicks(server.pid) - t0;
    expect(used, `${used} ticks of CPU in 1.5 s`).to.be.below(10);
    expect(server.count(/^got /)).to.equal(1);
    a.destroy();
  });

  it('a bind to a busy port behaves like the original: a stderr line, then SIGTERM', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const server = startScript(ECHO, [String(port), '1'], LOOPBACK_ENV);
      await server.waitExit(20000);
      expect(server.exitSignal).to.equal('SIGTERM');
      expect(server.stderr).to.match(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] bind failed\n$/);
    } finally {
      busy.close();
    }
  });

  it('a script may trap the SIGTERM of a failed bind, as with the original', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const script = tempScript(`
package require Tclx
package require socketserver
signal trap SIGTERM {puts "trapped %S"; set ::done 1}
::socketserver::socket server ${port}
# The failed bind may be reported (and trapped) before the server command even returns.
if {![info exists ::done]} { vwait ::done }
puts "still alive"
`);
      const server = startScript(script, [], LOOPBACK_ENV);
      await server.waitExit(20000);
      expect(server.exitCode).to.equal(0);
      expect(server.stdout).to.equal('trapped SIGTERM\nstill alive\n');
      expect(server.stderr).to.match(/bind failed\n$/);
    } finally {
      busy.close();
    }
  });
});
