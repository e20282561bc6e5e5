import { expect } from "chai";
import * as fs from "node:fs";

import * as n from "../../src/native/index.js";
import {
  INDEX_JS,
  childDo,
  freePort,
  killAndReap,
  readLines,
  runNode,
  waitExit,
  waitFd,
} from "./helpers.js";

// The accept thread of a served port lives as long as this (mocha) process: tests
// here share one served port, bound to loopback only.
describe("native: socketserver accept thread", () => {
  const open: number[] = [];
  const children = new Set<number>();
  let port = 0;
  let recvEnd = -1;
  let sendEnd = -1;

  function track<T extends number[]>(...fds: T): T {
    open.push(...fds);
    return fds;
  }
  function connectClient(): [fd: number, localPort: number] {
    const c = n.socket(4, "stream");
    track(c);
    expect(n.connect(c, "127.0.0.1", port)).to.equal(true);
    return [c, n.getsockname(c)[1]];
  }
  function nextConnection(): [number, string] {
    expect(waitFd(recvEnd, n.POLLIN, 5000) & n.POLLIN, "a connection is queued").to.equal(n.POLLIN);
    const got = n.recvFd(recvEnd);
    expect(got).to.not.equal(null);
    track(got![0]);
    return got!;
  }

  before(() => {
    port = freePort();
    [recvEnd, sendEnd] = n.ssServe(port, "127.0.0.1");
  });
  afterEach(() => {
    killAndReap(children);
    children.clear();
    // A failed test must not leave its connections queued for the next one.
    for (let got = n.recvFd(recvEnd); got !== null; got = n.recvFd(recvEnd)) {
      if (got[0] >= 0) n.close(got[0]);
    }
    for (const fd of open.splice(0)) {
      try {
        n.close(fd);
      } catch {
        // closed by the test
      }
    }
  });

  it("returns a nonblocking receiving end; the thread listens on return", () => {
    expect(n.getNonBlocking(recvEnd)).to.equal(true);
    expect(n.getCloexec(recvEnd)).to.equal(true);
    expect(n.getCloexec(sendEnd)).to.equal(true);
    expect(n.recvFd(recvEnd)).to.equal(null);
    const entry = n.ssList().find((e) => e.port === port);
    expect(entry).to.deep.equal({ port, boundPort: port, recvFd: recvEnd, sendFd: sendEnd, threadRunning: true });
    expect(n.ssServe(port, "127.0.0.1")).to.deep.equal([recvEnd, sendEnd]);
  });

  it("delivers each connection as a working fd with \"127.0.0.1 <port>\"", () => {
    const [c, localPort] = connectClient();
    const [fd, peer] = nextConnection();
    expect(peer).to.equal(`127.0.0.1 ${localPort}`);
    expect(n.getCloexec(fd)).to.equal(true);
    expect(n.getpeername(fd)).to.deep.equal(["127.0.0.1", localPort, 4]);
    expect(n.write(c, Buffer.from("hello\n"), 0, 6)).to.equal(6);
    expect(readLines(fd, 1, 5000)).to.deep.equal(["hello"]);
    n.write(fd, Buffer.from("back\n"), 0, 5);
    expect(readLines(c, 1, 5000)).to.deep.equal(["back"]);
  });

  it("queues connections while nobody receives, then hands them over one per message", () => {
    const locals = [connectClient()[1], connectClient()[1], connectClient()[1]];
    const peers = [nextConnection()[1], nextConnection()[1], nextConnection()[1]];
    expect(peers.sort()).to.deep.equal(locals.map((p) => `127.0.0.1 ${p}`).sort());
    expect(n.recvFd(recvEnd)).to.equal(null);
  });

  it("validates its arguments synchronously", () => {
    expect(() => n.ssServe(70000, "127.0.0.1")).to.throw(RangeError);
    expect(() => n.ssServe(port + 1, "not-an-ip")).to.throw().with.property("code", "EINVAL");
  });

  // Sockets in this process whose local port is the served one: the listener, and
  // any accepted connection the thread still holds.
  function socketsOnPort(): number {
    let count = 0;
    for (const name of fs.readdirSync("/proc/self/fd")) {
      try {
        const fd = Number(name);
        if (n.fdType(fd) === "socket" && n.getsockname(fd)[1] === port) count++;
      } catch {
        // closed meanwhile (the readdir's own fd) or not nameable
      }
    }
    return count;
  }

  it("a forked child holds neither the listener nor the thread's in-flight connection", function () {
    this.timeout(20000);
    // With the socketpair's send buffer at its minimum only a few messages fit, so
    // the thread sits in sendmsg holding an accepted fd while we fork.
    const sndbuf = n.getsockopt(sendEnd, "SO_SNDBUF");
    n.setsockopt(sendEnd, "SO_SNDBUF", 1);
    const clients: Array<[number, number]> = [];
    try {
      for (let i = 0; i < 40; i++) clients.push(connectClient());
      const deadline = Date.now() + 5000;
      while (socketsOnPort() < 2 && Date.now() < deadline) n.sleepMs(10);
      expect(socketsOnPort(), "listener + in-flight connection in the parent").to.equal(2);
      const [r, w] = track(...n.pipe());
      const pid = n.fork();
      if (pid === 0) {
        childDo(() => {
          const entry = n.ssList().find((e) => e.port === port)!;
          const msg = Buffer.from(`${entry.threadRunning} ${socketsOnPort()}\n`);
          n.write(w, msg, 0, msg.length);
        });
      }
      children.add(pid);
      expect(readLines(r, 1, 10000)).to.deep.equal(["false 0"]);
      expect(waitExit(pid, 5000)).to.deep.equal([pid, "EXIT", 0]);
      children.delete(pid);
    } finally {
      n.setsockopt(sendEnd, "SO_SNDBUF", sndbuf >> 1);
    }
    // Every queued connection, the in-flight one included, still reaches us intact.
    const byPort = new Map(clients.map(([c, p]) => [`127.0.0.1 ${p}`, c]));
    for (let i = 0; i < clients.length; i++) {
      const [fd, peer] = nextConnection();
      const c = byPort.get(peer);
      expect(c, peer).to.not.equal(undefined);
      byPort.delete(peer);
      n.write(fd, Buffer.from(`${i}\n`), 0, String(i).length + 1);
      expect(readLines(c!, 1, 5000)).to.deep.equal([String(i)]);
    }
    expect(byPort.size).to.equal(0);
  });

  it("a forked worker receives connections from the shared queue", function () {
    this.timeout(20000);
    const [r, w] = track(...n.pipe());
    const pid = n.fork();
    if (pid === 0) {
      childDo(() => {
        const entry = n.ssList().find((e) => e.port === port)!;
        n.write(w, Buffer.from("ready\n"), 0, 6);
        if (waitFd(entry.recvFd, n.POLLIN, 10000) === 0) return 2;
        const got = n.recvFd(entry.recvFd);
        if (got === null || got[0] < 0) return 3;
        const reply = Buffer.from(`${n.getpid()} ${got[1]}\n`);
        n.write(got[0], reply, 0, reply.length);
        n.close(got[0]);
        return 0;
      });
    }
    children.add(pid);
    expect(readLines(r, 1, 10000)).to.deep.equal(["ready"]);
    const [c, localPort] = connectClient();
    expect(readLines(c, 1, 10000)).to.deep.equal([`${pid} 127.0.0.1 ${localPort}`]);
    expect(waitExit(pid, 5000)).to.deep.equal([pid, "EXIT", 0]);
    children.delete(pid);
    // The parent's thread is still accepting.
    expect(n.ssList().find((e) => e.port === port)!.threadRunning).to.equal(true);
    const [, p2] = connectClient();
    expect(nextConnection()[1]).to.equal(`127.0.0.1 ${p2}`);
  });

  it("on a busy port logs \"[YYYY-MM-DD HH:MM:SS] bind failed\" (UTC) and SIGTERMs its process", async function () {
    this.timeout(20000);
    const busy = freePort();
    const script = `
      const n = require(${JSON.stringify(INDEX_JS)});
      const s = n.socket(4, "stream");
      n.bind(s, "127.0.0.1", ${busy});
      n.listen(s, 4);
      n.ssServe(${busy}, "127.0.0.1");
      setTimeout(() => console.log("survived"), 5000);`;
    const before = Date.now();
    const res = await runNode(script, 15000);
    const after = Date.now();
    expect(res.signal).to.equal("SIGTERM");
    expect(res.stdout).to.equal("");
    const m = /^\[(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\] bind failed\n$/.exec(res.stderr);
    expect(m, res.stderr).to.not.equal(null);
    const stamp = Date.parse(`${m![1]}T${m![2]}Z`);
    expect(stamp).to.be.within(Math.floor(before / 1000) * 1000 - 1000, after + 1000);
  });
});
