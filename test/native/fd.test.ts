import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import * as n from "../../src/native/index.js";

describe("native: fd I/O", () => {
  const open: number[] = [];
  let tmpDir = "";
  const track = (...fds: number[]): void => {
    open.push(...fds);
  };

  before(() => {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "tclshim-fd-"));
  });
  afterEach(() => {
    for (const fd of open.splice(0)) {
      try {
        n.close(fd);
      } catch {
        // closed by the test itself
      }
    }
  });
  after(() => {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  it("pipe round trip with offsets, EOF as 0", () => {
    const [r, w] = n.pipe();
    track(r, w);
    const src = Buffer.from("xxhello worldyy");
    expect(n.write(w, src, 2, 11)).to.equal(11);
    const dst = Buffer.alloc(20, 0x2e);
    expect(n.read(r, dst, 3, 5)).to.equal(5);
    expect(n.read(r, dst, 8, 12)).to.equal(6);
    expect(dst.toString()).to.equal("...hello world......");
    n.close(w);
    expect(n.read(r, dst, 0, 20)).to.equal(0);
  });

  it("pipe fds are close-on-exec, blocking unless asked", () => {
    const [r, w] = n.pipe();
    track(r, w);
    expect(n.getCloexec(r)).to.equal(true);
    expect(n.getCloexec(w)).to.equal(true);
    expect(n.getNonBlocking(r)).to.equal(false);
    const [r2, w2] = n.pipe(true);
    track(r2, w2);
    expect(n.getNonBlocking(r2)).to.equal(true);
    expect(n.getNonBlocking(w2)).to.equal(true);
  });

  it("EAGAIN is -1 for read on an empty and write on a full nonblocking pipe", () => {
    const [r, w] = n.pipe();
    track(r, w);
    n.setNonBlocking(r, true);
    n.setNonBlocking(w, true);
    const buf = Buffer.alloc(65536, 0x61);
    expect(n.read(r, buf, 0, 10)).to.equal(-1);
    let total = 0;
    let last = 0;
    for (let i = 0; i < 10000; i++) {
      last = n.write(w, buf, 0, buf.length);
      if (last === -1) break;
      total += last;
    }
    expect(last).to.equal(-1);
    expect(total).to.be.greaterThan(0);
    expect(n.read(r, buf, 0, 100)).to.equal(100);
    n.setNonBlocking(r, false);
    expect(n.getNonBlocking(r)).to.equal(false);
  });

  it("EPIPE is thrown (SIGPIPE stays ignored) with errno, code and syscall", () => {
    const [r, w] = n.pipe();
    track(w);
    n.close(r);
    const buf = Buffer.from("x");
    let err: unknown;
    try {
      n.write(w, buf, 0, 1);
    } catch (e) {
      err = e;
    }
    expect(n.isNativeError(err, "EPIPE")).to.equal(true);
    const ne = err as n.NativeError;
    expect(ne.errno).to.equal(32);
    expect(ne.syscall).to.equal("write");
    expect(ne.message).to.equal("write: Broken pipe");
  });

  it("EBADF on a closed fd, and errnoName/strerror", () => {
    const [r, w] = n.pipe();
    n.close(r);
    n.close(w);
    expect(() => n.close(r)).to.throw().with.property("code", "EBADF");
    expect(() => n.read(r, Buffer.alloc(1), 0, 1)).to.throw().with.property("syscall", "read");
    expect(n.errnoName(2)).to.equal("ENOENT");
    expect(n.errnoName(111)).to.equal("ECONNREFUSED");
    expect(n.strerror(2)).to.equal("No such file or directory");
    expect(n.isNativeError(new Error("plain"))).to.equal(false);
  });

  it("rejects bad arguments with TypeError/RangeError, never a crash", () => {
    const [r, w] = n.pipe();
    track(r, w);
    const buf = Buffer.alloc(4);
    expect(() => n.read(r, buf, 2, 3)).to.throw(RangeError);
    expect(() => n.read(r, buf, -1, 1)).to.throw(RangeError);
    expect(() => n.write(w, "abc" as unknown as Buffer, 0, 1)).to.throw(TypeError);
    expect(() => n.read("3" as unknown as number, buf, 0, 1)).to.throw(TypeError);
    expect(() => n.read(1.5, buf, 0, 1)).to.throw(TypeError);
    expect(() => n.read(r, new Int32Array(4) as unknown as Buffer, 0, 1)).to.throw(TypeError);
    expect(() => n.openFile("a\0b", n.O_RDONLY, 0)).to.throw(TypeError);
  });

  it("dup is close-on-exec; dup2 onto 0..2 defaults to inheritable", () => {
    const [r, w] = n.pipe();
    track(r, w);
    const d = n.dup(w);
    track(d);
    expect(d).to.not.equal(w);
    expect(n.getCloexec(d)).to.equal(true);
    n.write(d, Buffer.from("via dup"), 0, 7);
    const buf = Buffer.alloc(16);
    expect(buf.toString("utf8", 0, n.read(r, buf, 0, 16))).to.equal("via dup");

    const target = n.dup(w);
    track(target);
    n.setCloexec(target, false);
    expect(n.dup2(r, target)).to.equal(target);
    expect(n.getCloexec(target)).to.equal(true);
    expect(n.dup2(r, target, false)).to.equal(target);
    expect(n.getCloexec(target)).to.equal(false);
    expect(n.dup2(target, target)).to.equal(target);
    expect(() => n.dup2(9999, target)).to.throw().with.property("code", "EBADF");
  });

  it("openFile/lseek/ftruncate/fdType on a file; ENOENT carries the path", () => {
    const file = path.join(tmpDir, "f.txt");
    const fd = n.openFile(file, n.O_RDWR | n.O_CREAT | n.O_TRUNC, 0o644);
    track(fd);
    expect(n.getCloexec(fd)).to.equal(true);
    expect(n.fdType(fd)).to.equal("file");
    expect(n.write(fd, Buffer.from("0123456789"), 0, 10)).to.equal(10);
    expect(n.lseek(fd, 0, n.SEEK_CUR)).to.equal(10);
    expect(n.lseek(fd, -4, n.SEEK_END)).to.equal(6);
    const buf = Buffer.alloc(10);
    expect(buf.toString("utf8", 0, n.read(fd, buf, 0, 10))).to.equal("6789");
    n.ftruncate(fd, 3);
    expect(n.lseek(fd, 0, n.SEEK_END)).to.equal(3);
    expect(fs.readFileSync(file, "utf8")).to.equal("012");
    expect((fs.statSync(file).mode & 0o777) & ~0o644).to.equal(0);

    expect(() => n.openFile(file, n.O_RDWR | n.O_CREAT | n.O_EXCL, 0o644))
      .to.throw()
      .with.property("code", "EEXIST");
    const missing = path.join(tmpDir, "missing");
    let err: unknown;
    try {
      n.openFile(missing, n.O_RDONLY, 0);
    } catch (e) {
      err = e;
    }
    expect(n.isNativeError(err, "ENOENT")).to.equal(true);
    expect((err as n.NativeError).path).to.equal(missing);
    expect((err as n.NativeError).syscall).to.equal("open");
  });

  it("fdType tells dirs, fifos, sockets and char devices apart; isatty", () => {
    const dfd = n.openFile(tmpDir, n.O_RDONLY | n.O_DIRECTORY, 0);
    track(dfd);
    expect(n.fdType(dfd)).to.equal("dir");
    const [r, w] = n.pipe();
    track(r, w);
    expect(n.fdType(r)).to.equal("fifo");
    const [a, b] = n.socketpair("stream");
    track(a, b);
    expect(n.fdType(a)).to.equal("socket");
    const nul = n.openFile("/dev/null", n.O_WRONLY, 0);
    track(nul);
    expect(n.fdType(nul)).to.equal("char");
    expect(n.isatty(nul)).to.equal(false);
    expect(n.isatty(r)).to.equal(false);
  });

  it("exports the POSIX O_* and SEEK_* numbers", () => {
    expect(n.O_RDONLY).to.equal(0);
    expect(n.O_WRONLY).to.equal(1);
    expect(n.O_RDWR).to.equal(2);
    expect(n.O_CREAT).to.equal(0o100);
    expect(n.O_APPEND).to.equal(0o2000);
    expect(n.O_NONBLOCK).to.equal(0o4000);
    expect([n.SEEK_SET, n.SEEK_CUR, n.SEEK_END]).to.deep.equal([0, 1, 2]);
  });
});
