#!/usr/bin/env node
// The socketserver design with no interpreter in it, as a reference point of
// scripts/bench-socketserver.js (`--only floor,...`): the same native accept thread and
// SOCK_SEQPACKET queue as `::socketserver::socket server`, and pre-forked workers in plain
// JavaScript that make the same addon calls a tclshim worker makes for each connection (receive
// the fd and peer, poll, read, write, close), one connection at a time, as examples/echo_server.tcl
// does. Each line is answered with "<worker pid> <ip> <port> <line>"; a line containing "quit" is
// answered, then the connection closes and the worker takes the next one.
//
// What this server costs per connection is what any program of this design costs in a forked
// Node process; what tclshim costs beyond it is the Tcl interpreter's share.
//   node floor-echo.js ?port? ?workers? ?address?      (defaults: 8888, 4, 127.0.0.1)
// Run it with the flags bin/tclshim gives Node (--no-concurrent-recompilation --v8-pool-size=1):
// without them, code first run in a forked worker is never optimised.
'use strict';
const path = require('node:path');
const { StringDecoder } = require('node:string_decoder');
const native = require(path.join(__dirname, '..', '..', 'dist', 'native', 'index.js'));

const port = Number(process.argv[2] || 8888);
const workers = Number(process.argv[3] || 4);
const address = process.argv[4] || '127.0.0.1';

const pollFds = new Int32Array(1);
const pollEvents = new Int32Array(1);
const pollRevents = new Int32Array(1);

/** Sleeps in poll(2) until `fd` is ready for `events`. */
function waitFor(fd, events) {
  pollFds[0] = fd;
  pollEvents[0] = events;
  while (native.poll(pollFds, pollEvents, pollRevents, 1, -1) <= 0) {
    // interrupted by a signal: wait again
  }
}

/** Writes all of `bytes` to the nonblocking `fd`; false when the peer has gone. */
function writeAll(fd, bytes) {
  let off = 0;
  while (off < bytes.length) {
    let n;
    try {
      n = native.write(fd, bytes, off, bytes.length - off);
    } catch {
      return false;
    }
    if (n < 0) waitFor(fd, native.POLLOUT);
    else off += n;
  }
  return true;
}

/** Serves one connection until its client says quit or goes away; the caller closes `fd`. */
function serve(fd, prefix, buf) {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for (;;) {
    let n;
    try {
      n = native.read(fd, buf, 0, buf.length);
    } catch {
      return; // reset by the peer
    }
    if (n < 0) {
      waitFor(fd, native.POLLIN);
      continue;
    }
    if (n === 0) return;
    pending += decoder.write(buf.subarray(0, n));
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (!writeAll(fd, Buffer.from(`${prefix}${line}\n`, 'utf8'))) return;
      if (line.includes('quit')) return;
    }
  }
}

function worker(queue) {
  const pid = native.getpid();
  const received = new Int32Array(1);
  const buf = Buffer.alloc(65536);
  for (;;) {
    const peer = native.recvFdInto(queue, true, received);
    if (peer === null) {
      // Empty, or another worker took the connection first.
      waitFor(queue, native.POLLIN);
      continue;
    }
    const fd = received[0];
    if (fd === -2) native._exit(0); // the parent has gone
    if (fd < 0) continue; // a message without a descriptor
    try {
      serve(fd, `${pid} ${peer} `, buf);
    } finally {
      native.close(fd);
    }
  }
}

const [queue] = native.ssServe(port, address);
for (let i = 0; i < workers; i++) {
  if (native.fork() === 0) {
    try {
      worker(queue);
    } catch (e) {
      process.stderr.write(`floor-echo worker: ${e.stack}\n`);
      native._exit(1);
    }
  }
}
console.log(`ready ${process.pid} ${port}`);
// The accept thread runs on; this keeps the parent's event loop (and so the process) alive.
setInterval(() => {}, 1 << 30);
