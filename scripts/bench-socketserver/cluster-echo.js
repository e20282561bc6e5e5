#!/usr/bin/env node
// The echo protocol of examples/echo_server.tcl on Node's `cluster` module, as the comparison
// point of scripts/bench-socketserver.js: each line is answered with
// "<worker pid> <ip> <port> <line>", and a line containing "quit" is answered, then the
// connection closes. The primary forks the workers and (cluster's default on Linux) accepts
// and hands connections to them round-robin.
//   node cluster-echo.js ?port? ?workers? ?address?      (defaults: 8888, 4, 127.0.0.1)
'use strict';
const cluster = require('node:cluster');
const net = require('node:net');

const port = Number(process.argv[2] || 8888);
const workers = Number(process.argv[3] || 4);
const address = process.argv[4] || '127.0.0.1';

function serve(sock) {
  const prefix = `${process.pid} ${sock.remoteAddress} ${sock.remotePort} `;
  let pending = '';
  sock.setNoDelay(true);
  sock.setEncoding('utf8');
  sock.on('data', (chunk) => {
    pending += chunk;
    let out = '';
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      out += prefix + line + '\n';
      if (line.includes('quit')) {
        sock.end(out);
        return;
      }
    }
    if (out !== '') sock.write(out);
  });
  sock.on('error', () => sock.destroy());
}

if (cluster.isPrimary) {
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === workers) console.log(`ready ${process.pid} ${port}`);
  });
  cluster.on('exit', () => cluster.fork());
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    cluster.removeAllListeners('exit');
    for (const w of Object.values(cluster.workers)) w.kill();
    process.exit(0);
  });
} else {
  net.createServer(serve).listen(port, address);
}
