import { expect } from "chai";

import * as n from "../../src/native/index.js";
import { childDo, killAndReap, readLines, readUntilEof, waitExit, waitFd } from "./helpers.js";

describe("native: SCM_RIGHTS fd passing", () => {
  const open: number[] = [];
  const children = new Set<number>();
  function track<T extends number[]>(...fds: T): T {
    open.push(...fds);
    return fds;
  }
  afterEach(() => {
    killAndReap(children);
    children.clear();
    for (const fd of open.splice(0)) {
      try {
        n.close(fd);
      } catch {
        // closed by the test
      }
    }
  });

  it("passes a working fd with its message; the received fd is close-on-exec", () => {
    const [a, b] = track(...n.socketpair("seqpacket"));
    const [r, w] = track(...n.pipe());
    expect(n.recvFd(b)).to.equal(null);
    expect(n.sendFd(a, w, "127.0.0.1 5555")).to.equal(true);
    const got = n.recvFd(b);
    expect(got).to.not.equal(null);
    const [fd, msg] = got!;
    track(fd);
    expect(msg).to.equal("127.0.0.1 5555");
    expect(fd).to.not.equal(w);
    expect(n.getCloexec(fd)).to.equal(true);
    n.write(fd, Buffer.from("through"), 0, 7);
    const buf = Buffer.alloc(16);
    expect(buf.toString("utf8", 0, n.read(r, buf, 0, 16))).to.equal("through");
  });

  it("makes the received fd nonblocking when asked, and only then", () => {
    const [a, b] = track(...n.socketpair("seqpacket"));
    const [r1, w1] = track(...n.pipe());
    const [r2, w2] = track(...n.pipe());
    n.setNonBlocking(w1, false);
    n.setNonBlocking(w2, false);
    expect(n.sendFd(a, w1, "x 1")).to.equal(true);
    expect(n.sendFd(a, w2, "x 2")).to.equal(true);
    const [plain] = track(n.recvFd(b)![0]);
    expect(n.getNonBlocking(plain)).to.equal(false);
    const [nb] = track(n.recvFd(b, true)![0]);
    // O_NONBLOCK belongs to the open file: the sender's descriptor sees it too.
    expect(n.getNonBlocking(nb)).to.equal(true);
    expect(n.getNonBlocking(w2)).to.equal(true);
    expect(n.getNonBlocking(w1)).to.equal(false);
    void r1;
    void r2;
  });

  it("a message without fd arrives as [-1, message]; peer close as [-2, \"\"]", () => {
    const [a, b] = track(...n.socketpair("seqpacket"));
    expect(n.sendFd(a, -1, "héllo wörld")).to.equal(true);
    expect(n.recvFd(b)).to.deep.equal([-1, "héllo wörld"]);
    expect(n.sendFd(a, -1, "")).to.equal(true);
    expect(n.recvFd(b)).to.deep.equal([-1, ""]);
    n.close(a);
    expect(n.recvFd(b)).to.deep.equal([-2, ""]);
  });

  it("recvFdInto gives recvFd's results, the fd in its out-array", () => {
    const [a, b] = track(...n.socketpair("seqpacket"));
    const [r, w] = track(...n.pipe());
    n.setNonBlocking(w, false);
    const out = new Int32Array([99]);
    expect(n.recvFdInto(b, false, out)).to.equal(null);
    expect(out[0]).to.equal(99);
    expect(n.sendFd(a, w, "10.0.0.1 4242")).to.equal(true);
    expect(n.sendFd(a, -1, "no fd")).to.equal(true);
    expect(n.recvFdInto(b, true, out)).to.equal("10.0.0.1 4242");
    const [fd] = track(out[0]);
    expect(fd).to.not.equal(w);
    expect(n.getCloexec(fd)).to.equal(true);
    expect(n.getNonBlocking(fd)).to.equal(true);
    n.write(fd, Buffer.from("ok"), 0, 2);
    const buf = Buffer.alloc(4);
    expect(buf.toString("utf8", 0, n.read(r, buf, 0, 4))).to.equal("ok");
    expect(n.recvFdInto(b, false, out)).to.equal("no fd");
    expect(out[0]).to.equal(-1);
    n.close(a);
    expect(n.recvFdInto(b, false, out)).to.equal("");
    expect(out[0]).to.equal(-2);
    expect(() => n.recvFdInto(b, false, new Int32Array(0))).to.throw(RangeError, "fdOut must have room for one fd");
    expect(() => n.recvFdInto(b, false, [0] as unknown as Int32Array)).to.throw(TypeError, "fdOut must be an Int32Array");
    expect(() => n.recvFdInto(-1, false, out)).to.throw("recvmsg: Bad file descriptor");
  });

  it("sends NUL-terminated text on the wire, like socketservertcl", () => {
    const [a, b] = track(...n.socketpair("seqpacket"));
    n.sendFd(a, -1, "1.2.3.4 80");
    const buf = Buffer.alloc(64);
    const len = n.read(b, buf, 0, 64);
    expect(buf.subarray(0, len)).to.deep.equal(Buffer.from("1.2.3.4 80\0"));
  });

  it("keeps messages apart on a stream socketpair too", () => {
    const [a, b] = track(...n.socketpair("stream"));
    const [, w1] = track(...n.pipe());
    const [, w2] = track(...n.pipe());
    n.sendFd(a, w1, "first");
    n.sendFd(a, w2, "second");
    const one = n.recvFd(b)!;
    const two = n.recvFd(b)!;
    track(one[0], two[0]);
    expect([one[1], two[1]]).to.deep.equal(["first", "second"]);
    expect(one[0]).to.be.at.least(0);
    expect(two[0]).to.be.at.least(0);
  });

  it("returns false on a full socket instead of blocking", () => {
    const [a] = track(...n.socketpair("seqpacket"));
    const text = "x".repeat(256);
    let sent = 0;
    let last = true;
    for (let i = 0; i < 100000 && last; i++) {
      last = n.sendFd(a, -1, text);
      if (last) sent++;
    }
    expect(last).to.equal(false);
    expect(sent).to.be.greaterThan(0);
  });

  it("limits messages to 256 bytes without NULs; EPIPE once the peer is gone", () => {
    const [a, b] = track(...n.socketpair("seqpacket"));
    expect(n.sendFd(a, -1, "y".repeat(256))).to.equal(true);
    expect(n.recvFd(b)).to.deep.equal([-1, "y".repeat(256)]);
    expect(() => n.sendFd(a, -1, "y".repeat(257))).to.throw(RangeError);
    expect(() => n.sendFd(a, -1, "a\0b")).to.throw(TypeError);
    n.close(b);
    expect(() => n.sendFd(a, -1, "late")).to.throw().with.property("code", "EPIPE");
  });

  it("passes descriptors both ways between a parent and its forked child", function () {
    this.timeout(15000);
    const [pa, ca] = track(...n.socketpair("seqpacket"));
    const [r, w] = track(...n.pipe());
    const pid = n.fork();
    if (pid === 0) {
      childDo(() => {
        n.close(pa);
        // Receive the parent's pipe end and write through it.
        if (waitFd(ca, n.POLLIN, 5000) === 0) return 2;
        const got = n.recvFd(ca);
        if (got === null || got[0] < 0) return 3;
        const msg = Buffer.from(`child ${n.getpid()} got "${got[1]}"\n`);
        n.write(got[0], msg, 0, msg.length);
        n.close(got[0]);
        // Send one of our own back.
        const [cr, cw] = n.pipe();
        n.write(cw, Buffer.from("from the child's pipe\n"), 0, 22);
        n.close(cw);
        n.sendFd(ca, cr, "child pipe");
        return 0;
      });
    }
    children.add(pid);
    n.close(ca);
    open.splice(open.indexOf(ca), 1);
    expect(n.sendFd(pa, w, "parent pipe")).to.equal(true);
    n.close(w);
    open.splice(open.indexOf(w), 1);
    expect(readLines(r, 1, 5000)).to.deep.equal([`child ${pid} got "parent pipe"`]);
    expect(waitFd(pa, n.POLLIN, 5000)).to.not.equal(0);
    const back = n.recvFd(pa);
    expect(back).to.not.equal(null);
    track(back![0]);
    expect(back![1]).to.equal("child pipe");
    expect(readUntilEof(back![0], 5000)).to.equal("from the child's pipe\n");
    expect(waitExit(pid, 5000)).to.deep.equal([pid, "EXIT", 0]);
    children.delete(pid);
  });
});
