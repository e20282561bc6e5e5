/**
 * The load generator's own verdicts: how each connection ended, against small loopback servers
 * whose behaviour is known, so that a count the benchmarks rely on cannot silently go wrong.
 */
import { expect } from 'chai';
import * as net from 'node:net';
import { runLoad } from '../socketserver/helpers.js';

/** A loopback server; `onLine` sees each line and the socket. */
function lineServer(onLine: (sock: net.Socket, line: string) => void): Promise<net.Server> {
  const server = net.createServer((sock) => {
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('error', () => {});
    sock.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        onLine(sock, line);
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function portOf(server: net.Server): number {
  return (server.address() as net.AddressInfo).port;
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('echoload: how connections end', function () {
  this.timeout(30000);
  const servers: net.Server[] = [];
  after(async () => {
    for (const s of servers) await closeServer(s);
  });

  it('counts a server that echoes and closes after quit, reply and close in one go, as done', async () => {
    const s = await lineServer((sock, line) => {
      if (line === 'quit') sock.end(`0 ${line}\n`);
      else sock.write(`0 ${line}\n`);
    });
    servers.push(s);
    const r = await runLoad(portOf(s), 300, 8, 3, [], 20);
    expect(r.errors, r.output).to.equal(0);
    expect(r.done).to.equal(300);
  });

  it('counts a server that closes before the quit reply as early-eof', async () => {
    const s = await lineServer((sock, line) => sock.end(line === 'quit' ? '' : `0 ${line}\n`));
    servers.push(s);
    const r = await runLoad(portOf(s), 20, 4, 1, [], 20);
    expect(r.done).to.equal(0);
    expect(r.errors).to.equal(20);
    expect(r.output).to.contain('errors by kind: early-eof 20');
  });

  it('counts refused connections as connect failures, without waiting out its time limit', async () => {
    const s = await lineServer(() => {});
    const port = portOf(s);
    await closeServer(s);
    const t0 = Date.now();
    const r = await runLoad(port, 10, 4, 1, [], 20);
    expect(r.done).to.equal(0);
    expect(r.errors).to.equal(10);
    expect(r.output).to.contain('errors by kind: connect 10');
    expect(Date.now() - t0).to.be.below(5000);
  });
});
