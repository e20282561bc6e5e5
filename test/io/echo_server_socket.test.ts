/**
 * examples/echo_server_socket.tcl (a pure Tcl `socket -server` echo server) under tclshim, on
 * 127.0.0.1: the reply format, 1,000 concurrent connections without an error, no fd leak over
 * 10,000 connections, and an idle `vwait` that costs no CPU.
 */
import { expect } from 'chai';
import * as path from 'node:path';
import { ROOT, Proc, startTclshim, killAll, converse, fdCount, cpuTicks, sleep, tempScript } from './helpers.js';

const EXAMPLE = path.join(ROOT, 'examples', 'echo_server_socket.tcl');

async function startEcho(): Promise<{ server: Proc; port: number }> {
  const server = startTclshim(EXAMPLE, ['0', '127.0.0.1']);
  const m = await server.waitFor(/ready (\d+)/);
  return { server, port: Number(m[1]) };
}

/** Run `total` conversations with at most `inflight` open at once; returns the failures. */
async function load(port: number, total: number, inflight: number): Promise<Error[]> {
  const errors: Error[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      try {
        const replies = await converse(port, [`hello ${i}`]);
        if (!replies[0].endsWith(` hello ${i}`)) errors.push(new Error(`bad reply ${replies[0]}`));
      } catch (e) {
        errors.push(e as Error);
      }
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
  return errors;
}

describe('io: examples/echo_server_socket.tcl', function () {
  this.timeout(240000);

  afterEach(() => killAll());

  it('answers each line with "<pid> <ip> <port> <line>" and closes after quit', async () => {
    const { server, port } = await startEcho();
    const replies = await converse(port, ['first line', 'second']);
    expect(replies).to.have.length(3);
    const parts = replies[0].split(' ');
    expect(Number(parts[0])).to.equal(server.pid);
    expect(parts[1]).to.equal('127.0.0.1');
    expect(Number(parts[2])).to.be.greaterThan(0);
    expect(parts.slice(3).join(' ')).to.equal('first line');
    expect(replies[1].endsWith(' second')).to.equal(true);
    expect(replies[2].endsWith(' quit')).to.equal(true);
  });

  it('serves 1,000 concurrent connections with zero errors', async () => {
    const { port } = await startEcho();
    const errors = await load(port, 1000, 1000);
    expect(errors.map((e) => e.message)).to.deep.equal([]);
  });

  it('returns to its fd baseline after 10,000 connections', async () => {
    const { server, port } = await startEcho();
    expect(await load(port, 50, 10)).to.deep.equal([]);
    await sleep(200);
    const baseline = fdCount(server.pid);
    const errors = await load(port, 10000, 32);
    expect(errors.map((e) => e.message)).to.deep.equal([]);
    // Closes happen as the server reads each client's quit; give the last ones a moment.
    let after = fdCount(server.pid);
    for (let i = 0; i < 50 && after !== baseline; i++) {
      await sleep(100);
      after = fdCount(server.pid);
    }
    expect(after).to.equal(baseline);
  });

  it('uses under 1% CPU in an idle vwait over 5 s', async () => {
    const script = tempScript(
      'set s [socket -server accept -myaddr 127.0.0.1 0]\nafter 600000 {set forever 1}\nputs ready\nflush stdout\nvwait forever\n',
    );
    const proc = startTclshim(script);
    await proc.waitFor(/ready/);
    await sleep(500);
    const before = cpuTicks(proc.pid);
    await sleep(5000);
    const used = cpuTicks(proc.pid) - before;
    // 5 s is 500 ticks at 100 Hz: 1% is 5 ticks.
    expect(used).to.be.lessThan(5);
  });
});
