import { expect } from "chai";

import * as n from "../../src/native/index.js";
import { INDEX_JS, runNode, waitFd } from "./helpers.js";

const SIGUSR2 = 12;
const SIGALRM = 14;
const SIGHUP = 1;

describe("native: signals", () => {
  const view = n.signalPending();
  const pipeFd = n.signalPipeFd();
  const rtmin = n.signalNames().RTMIN;

  function waitUntil(cond: () => boolean, ms: number): boolean {
    const deadline = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > deadline) return false;
      waitFd(pipeFd, n.POLLIN, 20);
    }
    return true;
  }

  afterEach(() => {
    n.alarm(0);
    n.signalBlock([SIGUSR2, SIGALRM, rtmin], false);
    for (const s of [SIGUSR2, SIGALRM, rtmin]) n.signalAction(s, "default");
    n.takeSignals();
  });

  it("traps SIGUSR2: counter, pending flag and a readable self-pipe", () => {
    expect(n.signalAction(SIGUSR2, "trap")).to.equal("default");
    expect(view[0]).to.equal(0);
    n.kill(n.getpid(), SIGUSR2);
    expect(waitFd(pipeFd, n.POLLIN, 2000) & n.POLLIN).to.equal(n.POLLIN);
    expect(view[0]).to.not.equal(0);
    expect(view[SIGUSR2]).to.equal(1);
    expect(n.takeSignals()).to.deep.equal([SIGUSR2]);
    expect(view[0]).to.equal(0);
    expect(view[SIGUSR2]).to.equal(0);
    expect(waitFd(pipeFd, n.POLLIN, 0)).to.equal(0);
    expect(n.takeSignals()).to.deep.equal([]);
    expect(n.signalAction(SIGUSR2, "ignore")).to.equal("trap");
    expect(n.signalAction(SIGUSR2, "default")).to.equal("ignore");
  });

  it("counts every queued real-time signal exactly once", () => {
    n.signalAction(rtmin, "trap");
    for (let i = 0; i < 5; i++) n.kill(n.getpid(), rtmin);
    expect(waitUntil(() => view[rtmin] >= 5, 2000)).to.equal(true);
    n.sleepMs(20);
    expect(n.takeSignals()).to.deep.equal([rtmin, rtmin, rtmin, rtmin, rtmin]);
  });

  it("raise() is handled before it returns", () => {
    n.signalAction(SIGUSR2, "trap");
    n.raise(SIGUSR2);
    expect(view[SIGUSR2]).to.equal(1);
    expect(n.takeSignals()).to.deep.equal([SIGUSR2]);
  });

  it("signalBlock holds a trapped signal process-wide until unblocked", () => {
    n.signalAction(SIGUSR2, "trap");
    n.signalBlock([SIGUSR2], true);
    expect(n.signalInfo(SIGUSR2)).to.deep.equal(["trap", true, false]);
    n.kill(n.getpid(), SIGUSR2);
    expect(waitFd(pipeFd, n.POLLIN, 200)).to.equal(0);
    expect(view[0]).to.equal(0);
    n.signalBlock([SIGUSR2], false);
    expect(waitFd(pipeFd, n.POLLIN, 2000) & n.POLLIN).to.equal(n.POLLIN);
    expect(n.takeSignals()).to.deep.equal([SIGUSR2]);
  });

  it("signalInfo reports restart, and someone else's handler as \"handler\"", () => {
    n.signalAction(SIGUSR2, "trap", true);
    expect(n.signalInfo(SIGUSR2)).to.deep.equal(["trap", false, true]);
    expect(n.signalInfo(13)[0]).to.equal("ignore");
    const listener = (): void => {};
    process.on("SIGHUP", listener);
    try {
      expect(n.signalInfo(SIGHUP)[0]).to.equal("handler");
    } finally {
      process.removeListener("SIGHUP", listener);
    }
    expect(n.signalInfo(SIGHUP)[0]).to.equal("default");
  });

  it("alarm with fractions returns the previous remainder and wakes sleepMs", () => {
    n.signalAction(SIGALRM, "trap");
    expect(n.alarm(10)).to.equal(0);
    expect(n.alarm(0.15)).to.be.within(9.5, 10);
    const t0 = Date.now();
    const left = n.sleepMs(5000);
    expect(Date.now() - t0).to.be.within(100, 2000);
    expect(left).to.be.greaterThan(3000);
    expect(n.takeSignals()).to.deep.equal([SIGALRM]);
    expect(n.alarm(0)).to.equal(0);
    expect(() => n.alarm(-1)).to.throw(RangeError);
  });

  it("sleepMs sleeps the full time when nothing happens", () => {
    const t0 = process.hrtime.bigint();
    expect(n.sleepMs(50)).to.equal(0);
    expect(Number(process.hrtime.bigint() - t0) / 1e6).to.be.at.least(49);
    expect(n.sleepMs(0)).to.equal(0);
  });

  it("names every Linux signal, TclX's names included", () => {
    const names = n.signalNames();
    expect(names.USR1).to.equal(10);
    expect(names.TERM).to.equal(15);
    expect(names.CLD).to.equal(17);
    expect(names.IOT).to.equal(6);
    expect(names.POLL).to.equal(29);
    expect(names.STKFLT).to.equal(16);
    expect(names.RTMIN).to.equal(34);
    expect(names["RTMIN+15"]).to.equal(49);
    expect(names["RTMAX-14"]).to.equal(50);
    expect(names.RTMAX).to.equal(64);
    for (const t of n.TCLX_SIGNAL_NAMES) expect(names).to.have.property(t);
    const numbers = new Set(Object.values(names));
    for (let s = 1; s < n.NSIG; s++) {
      expect(numbers.has(s), `signal ${s}`).to.equal(s !== 32 && s !== 33);
    }
    expect(Object.keys(names).some((k) => k.startsWith("SIG"))).to.equal(false);
  });

  it("refuses SIGKILL traps and out-of-range numbers", () => {
    expect(() => n.signalAction(9, "trap")).to.throw().with.property("code", "EINVAL");
    expect(() => n.signalAction(n.NSIG, "trap")).to.throw(RangeError);
    expect(() => n.signalAction(SIGUSR2, "catch" as "trap")).to.throw(TypeError);
    expect(() => n.signalBlock([0], true)).to.throw(RangeError);
  });

  it("kill/killpg probe with signal 0; ESRCH for a missing process", () => {
    n.kill(n.getpid(), 0);
    n.killpg(n.getpgrp(), 0);
    const pid = n.spawn(["true"], -1, -1, -1, []);
    n.waitpid(pid, 0);
    expect(() => n.kill(pid, 0)).to.throw().with.property("code", "ESRCH");
  });

  it("SIGUSR1 kills a node process that loaded the addon, with no inspector", async function () {
    this.timeout(15000);
    const script = `
      const n = require(${JSON.stringify(INDEX_JS)});
      console.log("ready " + n.signalInfo(10)[0]);
      setInterval(() => {}, 1000);`;
    let sent = false;
    const r = await runNode(script, 10000, (child, out) => {
      if (!sent && out.includes("ready")) {
        sent = true;
        child.kill("SIGUSR1");
      }
    });
    expect(r.stdout).to.equal("ready default\n");
    expect(r.signal).to.equal("SIGUSR1");
    expect(r.stderr).to.not.include("Debugger listening");
  });

  it("a trapped SIGUSR1 in such a process is counted instead", async function () {
    this.timeout(15000);
    const script = `
      const n = require(${JSON.stringify(INDEX_JS)});
      n.signalAction(10, "trap");
      console.log("ready");
      const fds = Int32Array.of(n.signalPipeFd()), ev = Int32Array.of(n.POLLIN), re = new Int32Array(1);
      const deadline = Date.now() + 8000;
      while (n.signalPending()[0] === 0 && Date.now() < deadline) n.poll(fds, ev, re, 1, 100);
      console.log("took " + n.takeSignals().join(","));`;
    let sent = false;
    const r = await runNode(script, 10000, (child, out) => {
      if (!sent && out.includes("ready")) {
        sent = true;
        child.kill("SIGUSR1");
      }
    });
    expect(r.stdout).to.equal("ready\ntook 10\n");
    expect(r.code).to.equal(0);
    expect(r.stderr).to.not.include("Debugger listening");
  });
});
