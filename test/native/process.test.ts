import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import * as n from "../../src/native/index.js";
import { childDo, killAndReap, readUntilEof, waitExit } from "./helpers.js";

describe("native: processes", () => {
  const children = new Set<number>();
  const open: number[] = [];
  let tmpDir = "";

  function track<T extends number[]>(...fds: T): T {
    open.push(...fds);
    return fds;
  }
  function spawned(pid: number): number {
    children.add(pid);
    return pid;
  }
  function reap(pid: number, ms = 5000): n.WaitResult | null {
    const r = waitExit(pid, ms);
    if (r !== null) children.delete(pid);
    return r;
  }

  before(() => {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "tclshim-proc-"));
  });
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
  after(() => {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  it("reports the kernel's pid, ppid and process group", () => {
    expect(n.getpid()).to.equal(process.pid);
    expect(n.getppid()).to.equal(process.ppid);
    expect(n.getpgrp()).to.be.greaterThan(0);
  });

  it("waitpid on a non-child throws ECHILD", () => {
    let err: unknown;
    try {
      n.waitpid(1, 0);
    } catch (e) {
      err = e;
    }
    expect(n.isNativeError(err, "ECHILD")).to.equal(true);
    expect((err as n.NativeError).syscall).to.equal("waitpid");
    expect(() => n.waitpid(1, 0x100)).to.throw(RangeError);
  });

  it("waitpid: null under WNOHANG, then STOP, SIG and EXIT states", () => {
    const pid = spawned(n.spawn(["sleep", "30"], -1, -1, -1, []));
    expect(n.waitpid(pid, n.WNOHANG)).to.equal(null);
    n.kill(pid, 19);
    expect(n.waitpid(pid, n.WUNTRACED)).to.deep.equal([pid, "STOP", 19]);
    n.kill(pid, 9);
    expect(reap(pid)).to.deep.equal([pid, "SIG", 9]);
    const p2 = spawned(n.spawn(["sh", "-c", "exit 42"], -1, -1, -1, []));
    expect(reap(p2)).to.deep.equal([p2, "EXIT", 42]);
  });

  it("waitpid honours -1, 0 and -pgrp", () => {
    // In a forked child: it has no children but ours (mocha's libuv may have some).
    const [r, w] = track(...n.pipe());
    const pid = n.fork();
    if (pid === 0) {
      childDo(() => {
        n.setpgid(0, 0);
        const a = n.spawn(["sleep", "0.05"], -1, -1, -1, []);
        const b = n.spawn(["sleep", "0.1"], -1, -1, -1, []);
        const c = n.spawn(["sh", "-c", "exit 3"], -1, -1, -1, []);
        const got = [n.waitpid(-n.getpid(), 0), n.waitpid(0, 0), n.waitpid(-1, 0)];
        let echild = "";
        try {
          n.waitpid(-1, n.WNOHANG);
        } catch (e) {
          echild = (e as n.NativeError).code;
        }
        const ids = got.map((g) => (g === null ? 0 : g[0])).sort((x, y) => x - y);
        const ok = ids.join() === [a, b, c].sort((x, y) => x - y).join();
        const exit3 = got.some((g) => g !== null && g[0] === c && g[2] === 3);
        const msg = Buffer.from(`${ok} ${exit3} ${echild}\n`);
        n.write(w, msg, 0, msg.length);
      });
    }
    spawned(pid);
    n.close(w);
    expect(readUntilEof(r, 5000)).to.equal("true true ECHILD\n");
    expect(reap(pid)).to.deep.equal([pid, "EXIT", 0]);
  });

  it("spawn keeps inheritFds open under the same number; the child writes to it", () => {
    const [r, w] = track(...n.pipe());
    const pid = spawned(n.spawn(["bash", "-c", `echo "inherited $$" >&${w}`], -1, -1, -1, [w]));
    n.close(w);
    expect(readUntilEof(r, 5000)).to.equal(`inherited ${pid}\n`);
    expect(reap(pid)).to.deep.equal([pid, "EXIT", 0]);
    expect(n.getCloexec(r)).to.equal(true);
  });

  it("spawn closes every fd not asked for", () => {
    const [r, w] = track(...n.pipe());
    const [, w2] = track(...n.pipe());
    const pid = spawned(n.spawn(["bash", "-c", `echo leak 2>/dev/null >&${w}; echo ok >&${w2}`], -1, -1, -1, [w2]));
    n.close(w);
    expect(readUntilEof(r, 5000)).to.equal("");
    expect(reap(pid)).to.deep.equal([pid, "EXIT", 0]);
  });

  it("spawn wires stdin/stdout/stderr from the given fds", () => {
    const [inR, inW] = track(...n.pipe());
    const [outR, outW] = track(...n.pipe());
    const [errR, errW] = track(...n.pipe());
    const pid = spawned(n.spawn(["sh", "-c", "tr a-z A-Z; echo oops >&2"], inR, outW, errW, []));
    n.close(inR);
    n.close(outW);
    n.close(errW);
    n.write(inW, Buffer.from("hello\n"), 0, 6);
    n.close(inW);
    expect(readUntilEof(outR, 5000)).to.equal("HELLO\n");
    expect(readUntilEof(errR, 5000)).to.equal("oops\n");
    expect(reap(pid)).to.deep.equal([pid, "EXIT", 0]);
  });

  it("spawn can swap the standard fds (sources below 3)", () => {
    // Done in a forked child so that its own 0/1/2 can be pipes we read.
    const [oR, oW] = track(...n.pipe());
    const [eR, eW] = track(...n.pipe());
    const pid = n.fork();
    if (pid === 0) {
      childDo(() => {
        n.dup2(oW, 1);
        n.dup2(eW, 2);
        n.close(oW);
        n.close(eW);
        const c = n.spawn(["sh", "-c", "echo to-stdout; echo to-stderr >&2"], -1, 2, 1, []);
        const st = n.waitpid(c, 0);
        return st !== null && st[1] === "EXIT" && st[2] === 0 ? 0 : 1;
      });
    }
    spawned(pid);
    n.close(oW);
    n.close(eW);
    expect(readUntilEof(oR, 5000)).to.equal("to-stderr\n");
    expect(readUntilEof(eR, 5000)).to.equal("to-stdout\n");
    expect(reap(pid)).to.deep.equal([pid, "EXIT", 0]);
  });

  it("spawn runs in cwd and starts with default signal dispositions", () => {
    const [r, w] = track(...n.pipe());
    const pid = spawned(n.spawn(["pwd"], -1, w, -1, [], tmpDir));
    n.close(w);
    expect(readUntilEof(r, 5000)).to.equal(fs.realpathSync(tmpDir) + "\n");
    reap(pid);
    // SIGPIPE is ignored here (Node, like Tcl); a pipeline stage must still die of it.
    const p2 = spawned(n.spawn(["sh", "-c", "kill -PIPE $$; exit 3"], -1, -1, -1, []));
    expect(reap(p2)).to.deep.equal([p2, "SIG", 13]);
  });

  it("spawn failures throw with errno and the program as path", () => {
    let err: unknown;
    try {
      n.spawn(["tclshim-no-such-program"], -1, -1, -1, []);
    } catch (e) {
      err = e;
    }
    expect(n.isNativeError(err, "ENOENT")).to.equal(true);
    expect((err as n.NativeError).path).to.equal("tclshim-no-such-program");
    expect((err as n.NativeError).syscall).to.equal("posix_spawnp");
    const file = path.join(tmpDir, "not-executable");
    fs.writeFileSync(file, "#!/bin/sh\n", { mode: 0o644 });
    expect(() => n.spawn([file], -1, -1, -1, [])).to.throw().with.property("code", "EACCES");
    expect(() => n.spawn([], -1, -1, -1, [])).to.throw(TypeError);
  });

  it("execv replaces a forked child, with PATH search and argv0, keeping stdout", () => {
    const [r, w] = track(...n.pipe());
    const pid = n.fork();
    if (pid === 0) {
      childDo(() => {
        n.dup2(w, 1);
        n.execv("sh", "my-sh", ["-c", 'echo "$0"; exit 7']);
      });
    }
    spawned(pid);
    n.close(w);
    expect(readUntilEof(r, 5000)).to.equal("my-sh\n");
    expect(reap(pid)).to.deep.equal([pid, "EXIT", 7]);
  });

  it("execv failure throws in the caller with errno", () => {
    let err: unknown;
    try {
      n.execv("tclshim-no-such-program", "x", []);
    } catch (e) {
      err = e;
    }
    expect(n.isNativeError(err, "ENOENT")).to.equal(true);
    expect((err as n.NativeError).syscall).to.equal("execvp");
    // stdio must still be close-on-exec as Node left it after a failed exec
    expect(n.getCloexec(1)).to.equal(true);
  });

  it("setpgid makes a child a group leader; _exit passes the status", () => {
    const [r, w] = track(...n.pipe());
    const pid = n.fork();
    if (pid === 0) {
      childDo(() => {
        n.setpgid(0, 0);
        const msg = Buffer.from(`${n.getpgrp()} ${n.getpid()}\n`);
        n.write(w, msg, 0, msg.length);
        n.sleepMs(200);
        return 5;
      });
    }
    spawned(pid);
    n.close(w);
    const [pgrp, cpid] = readUntilEof(r, 5000).trim().split(" ").map(Number);
    expect(cpid).to.equal(pid);
    expect(pgrp).to.equal(pid);
    expect(reap(pid)).to.deep.equal([pid, "EXIT", 5]);
  });
});
