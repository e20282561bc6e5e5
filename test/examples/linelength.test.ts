/**
 * examples/linelength/*: the line-length server in five designs, end to end on 127.0.0.1. Each
 * answers every line with its length in characters and closes once the client has closed its
 * sending side.
 */
import { expect } from 'chai';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  EXAMPLES,
  LOOPBACK_ENV,
  LineClient,
  ServerProcess,
  childPids,
  freePort,
  killAll,
  killExtra,
  procState,
  runLoad,
  sleep,
  startScript,
  tempScript,
  until,
  ROOT,
} from '../socketserver/helpers.js';

const DIR = path.join(EXAMPLES, 'linelength');

interface Design {
  script: string;
  workers: boolean;
  /** Connections for the load run (a process per connection is slow to start under Node). */
  loadConns: number;
}

const DESIGNS: Design[] = [
  { script: 'fork_per_connection.tcl', workers: false, loadConns: 300 },
  { script: 'prefork_socketserver.tcl', workers: true, loadConns: 1000 },
  { script: 'prefork_shared_listener.tcl', workers: true, loadConns: 1000 },
  { script: 'reuseport.tcl', workers: true, loadConns: 1000 },
  { script: 'exec_worker.tcl', workers: false, loadConns: 24 },
];

const LINES = ['hello', 'héllo wörld ✓', '', '  padded  ', 'x'.repeat(3000), 'tab\there'];

/** Whether tclshim's `socket -server` takes -reuseport (a Tcl 8.7 option the channel layer adds). */
function reuseportSupported(): boolean {
  const file = tempScript('socket -server x -reuseport 1 -myaddr 127.0.0.1 0\n', 'probe.tcl');
  const r = spawnSync(path.join(ROOT, 'bin', 'tclshim'), [file], { encoding: 'utf8', timeout: 30000 });
  return r.status === 0;
}

async function startDesign(d: Design, workers = 3): Promise<[ServerProcess, number]> {
  const port = await freePort();
  const args = d.workers ? [String(port), String(workers)] : [String(port)];
  const server = startScript(path.join(DIR, d.script), args, LOOPBACK_ENV);
  await server.waitLine(new RegExp(`^ready ${server.pid} ${port}$`), 30000);
  return [server, port];
}

async function session(port: number, lines: readonly string[]): Promise<void> {
  const c = await LineClient.connect(port);
  try {
    // A queued session (more clients than pre-forked workers) waits for an earlier one to end.
    for (const l of lines) expect(await c.ask(l, 90000)).to.equal(String([...l].length));
    // Several lines in one segment, one with a CR LF ending.
    c.sock.write('a\nbb\r\nccc\n');
    expect([await c.readLine(30000), await c.readLine(30000), await c.readLine(30000)]).to.deep.equal(['1', '2', '3']);
    c.end();
    expect(await c.waitClosed(20000), 'the server closes after the client does').to.equal(true);
  } finally {
    c.destroy();
  }
}

describe('examples/linelength', function () {
  this.timeout(180000);
  afterEach(() => {
    killAll();
    killExtra();
  });

  for (const d of DESIGNS) {
    describe(d.script, () => {
      before(function () {
        if (d.script === 'reuseport.tcl' && !reuseportSupported()) {
          // Fails loudly once the option exists; until then there is nothing to run.
          console.log('      (socket -server -reuseport is not available in this build)');
          this.skip();
        }
      });

      it('answers each line with its length, for several clients at once', async () => {
        const [server, port] = await startDesign(d);
        await Promise.all([0, 1, 2, 3, 4].map(() => session(port, LINES)));
        expect(server.exited).to.equal(false);
      });

      it(`serves a load of short connections with zero errors`, async () => {
        const [server, port] = await startDesign(d);
        const r = await runLoad(port, d.loadConns, 8, 5, ['-L']);
        expect(r.errors, r.output).to.equal(0);
        expect(r.done).to.equal(d.loadConns);
        expect(server.exited).to.equal(false);
      });
    });
  }

  // The examples are plain Tcl 8.6 + TclX: the ones that need neither socketserver nor
  // -reuseport run unchanged under tclsh.
  for (const d of [DESIGNS[0], DESIGNS[2], DESIGNS[4]]) {
    it(`${d.script} runs unchanged under tclsh 8.6 + TclX`, async () => {
      const port = await freePort();
      const args = d.workers ? [String(port), '2'] : [String(port)];
      const server = startScript(path.join(DIR, d.script), args, LOOPBACK_ENV, 'tclsh');
      try {
        await server.waitLine(new RegExp(`^ready ${server.pid} ${port}$`), 30000);
        await Promise.all([0, 1, 2].map(() => session(port, LINES)));
      } finally {
        server.kill();
      }
    });
  }

  it('fork_per_connection.tcl reaps every child: no zombie stays', async () => {
    const [server, port] = await startDesign(DESIGNS[0]);
    const r = await runLoad(port, 100, 8, 1, ['-L']);
    expect(r.errors, r.output).to.equal(0);
    await until(() => childPids(server.pid).every((p) => procState(p) !== 'Z'), 10000, 'no zombie children');
    await until(() => childPids(server.pid).length === 0, 10000, 'all children gone');
  });

  it('prefork servers replace a worker that dies', async () => {
    for (const d of [DESIGNS[1], DESIGNS[2]]) {
      const [server, port] = await startDesign(d, 2);
      await until(() => childPids(server.pid).length === 2, 10000, 'two workers');
      const [victim] = childPids(server.pid);
      process.kill(victim, 'SIGKILL');
      await until(() => childPids(server.pid).length === 2 && !childPids(server.pid).includes(victim), 20000, 'a replacement worker');
      await session(port, ['after']);
      server.kill();
      await sleep(100);
    }
  });
});
