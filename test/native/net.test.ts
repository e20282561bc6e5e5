import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import * as n from "../../src/native/index.js";
import { freePort, waitFd } from "./helpers.js";

describe("native: sockets", () => {
  const open: number[] = [];
  const track = (...fds: number[]): number => {
    open.push(...fds);
    return fds[0];
  };
  afterEach(() => {
    for (const fd of open.splice(0)) {
      try {
        n.close(fd);
      } catch {
        // closed by the test
      }
    }
  });

  function listener(): [number, number] {
    const s = track(n.socket(4, "stream", true));
    n.setsockopt(s, "SO_REUSEADDR", true);
    n.bind(s, "127.0.0.1", 0);
    n.listen(s, 16);
    const [host, port, fam] = n.getsockname(s);
    expect([host, fam]).to.deep.equal(["127.0.0.1", 4]);
    expect(port).to.be.greaterThan(0);
    return [s, port];
  }

  it("connects, accepts and exchanges data on 127.0.0.1", () => {
    const [s, port] = listener();
    expect(n.accept(s)).to.equal(null);
    const c = track(n.socket(4, "stream", true));
    expect(n.getCloexec(c)).to.equal(true);
    const connected = n.connect(c, "127.0.0.1", port);
    if (!connected) {
      expect(waitFd(c, n.POLLOUT, 2000) & n.POLLOUT).to.equal(n.POLLOUT);
      expect(n.getSocketError(c)).to.equal(0);
    }
    expect(waitFd(s, n.POLLIN, 2000) & n.POLLIN).to.equal(n.POLLIN);
    const acc = n.accept(s);
    expect(acc).to.not.equal(null);
    const [a, peerHost, peerPort] = acc!;
    track(a);
    expect(peerHost).to.equal("127.0.0.1");
    expect(peerPort).to.equal(n.getsockname(c)[1]);
    expect(n.getNonBlocking(a)).to.equal(true);
    expect(n.getCloexec(a)).to.equal(true);
    expect(n.getpeername(c)).to.deep.equal(["127.0.0.1", port, 4]);

    expect(n.write(c, Buffer.from("ping"), 0, 4)).to.equal(4);
    waitFd(a, n.POLLIN, 2000);
    const buf = Buffer.alloc(16);
    expect(buf.toString("utf8", 0, n.read(a, buf, 0, 16))).to.equal("ping");
    n.shutdown(a, "write");
    waitFd(c, n.POLLIN, 2000);
    expect(n.read(c, buf, 0, 16)).to.equal(0);
    expect(n.accept(s)).to.equal(null);
  });

  it("a blocking connect to a closed port throws ECONNREFUSED", () => {
    const port = freePort();
    const c = track(n.socket(4, "stream"));
    let err: unknown;
    try {
      n.connect(c, "127.0.0.1", port);
    } catch (e) {
      err = e;
    }
    expect(n.isNativeError(err, "ECONNREFUSED")).to.equal(true);
    expect((err as n.NativeError).errno).to.equal(111);
    expect((err as n.NativeError).syscall).to.equal("connect");
  });

  it("a nonblocking connect to a closed port reports ECONNREFUSED through SO_ERROR", () => {
    const port = freePort();
    const c = track(n.socket(4, "stream", true));
    let refused = false;
    try {
      if (!n.connect(c, "127.0.0.1", port)) {
        waitFd(c, n.POLLOUT, 2000);
        refused = n.getSocketError(c) === 111;
      }
    } catch (e) {
      refused = n.isNativeError(e, "ECONNREFUSED");
    }
    expect(refused).to.equal(true);
  });

  it("getaddrinfo resolves localhost and reports EAI_* failures", () => {
    expect(n.getaddrinfo("localhost")).to.include("127.0.0.1");
    expect(n.getaddrinfo("localhost", 4)).to.deep.equal(["127.0.0.1"]);
    expect(n.getaddrinfo("127.0.0.1")).to.deep.equal(["127.0.0.1"]);
    expect(n.getaddrinfo("::1", 6)).to.deep.equal(["::1"]);
    let err: unknown;
    try {
      n.getaddrinfo("");
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(Error);
    expect((err as n.NativeError).code).to.equal("EAI_NONAME");
    expect((err as n.NativeError).syscall).to.equal("getaddrinfo");
    expect((err as Error).message).to.equal("Name or service not known");
    expect(() => n.getaddrinfo("localhost", 5 as 4)).to.throw(TypeError);
  });

  it("rejects non-numeric hosts and out-of-range ports", () => {
    const s = track(n.socket(4, "stream"));
    expect(() => n.bind(s, "localhost", 0)).to.throw().with.property("code", "EINVAL");
    expect(() => n.bind(s, "127.0.0.1", 70000)).to.throw(RangeError);
    expect(() => n.socket(5 as 4, "stream")).to.throw(TypeError);
    expect(() => n.socket(4, "raw" as "stream")).to.throw(TypeError);
  });

  it("sets and reads back socket options", () => {
    const s = track(n.socket(4, "stream"));
    n.setsockopt(s, "TCP_NODELAY", true);
    expect(n.getsockopt(s, "TCP_NODELAY")).to.equal(1);
    n.setsockopt(s, "SO_KEEPALIVE", 1);
    expect(n.getsockopt(s, "SO_KEEPALIVE")).to.equal(1);
    n.setsockopt(s, "SO_REUSEPORT", true);
    expect(n.getsockopt(s, "SO_REUSEPORT")).to.equal(1);
    n.setsockopt(s, "SO_RCVBUF", 65536);
    expect(n.getsockopt(s, "SO_RCVBUF")).to.be.at.least(65536);
    n.setsockopt(s, "SO_SNDBUF", 65536);
    expect(n.getsockopt(s, "SO_SNDBUF")).to.be.at.least(65536);
    expect(() => n.setsockopt(s, "SO_LINGER" as "SO_RCVBUF", 1)).to.throw(TypeError);
  });

  it("serves IPv6 loopback when the host has it", function () {
    const s = track(n.socket(6, "stream"));
    try {
      n.bind(s, "::1", 0);
    } catch {
      this.skip();
    }
    n.listen(s, 4);
    const port = n.getsockname(s)[1];
    expect(n.getsockname(s)).to.deep.equal(["::1", port, 6]);
    const c = track(n.socket(6, "stream"));
    expect(n.connect(c, "::1", port)).to.equal(true);
    const acc = n.accept(s);
    expect(acc).to.not.equal(null);
    track(acc![0]);
    expect(acc![1]).to.equal("::1");
  });

  it("binds and connects AF_UNIX stream sockets by path", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tclshim-unix-"));
    try {
      const sockPath = path.join(dir, "s");
      const s = track(n.socket("unix", "stream"));
      n.bind(s, sockPath);
      n.listen(s, 4);
      expect(n.getsockname(s)).to.deep.equal([sockPath, 0, "unix"]);
      const c = track(n.socket("unix", "stream"));
      expect(n.connect(c, sockPath)).to.equal(true);
      const acc = n.accept(s);
      expect(acc).to.not.equal(null);
      track(acc![0]);
      expect(acc!.slice(1)).to.deep.equal(["", 0]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("socketpair(seqpacket) keeps message boundaries", () => {
    const [a, b] = n.socketpair("seqpacket", true);
    track(a, b);
    expect(n.getCloexec(a)).to.equal(true);
    expect(n.getNonBlocking(b)).to.equal(true);
    n.write(a, Buffer.from("one"), 0, 3);
    n.write(a, Buffer.from("two!"), 0, 4);
    const buf = Buffer.alloc(64);
    expect(buf.toString("utf8", 0, n.read(b, buf, 0, 64))).to.equal("one");
    expect(buf.toString("utf8", 0, n.read(b, buf, 0, 64))).to.equal("two!");
    expect(n.read(b, buf, 0, 64)).to.equal(-1);
    expect(n.SOMAXCONN).to.be.greaterThan(0);
  });
});
