import { expect } from "chai";

import * as n from "../../src/native/index.js";
import { killAndReap } from "./helpers.js";

describe("native: poll", () => {
  const open: number[] = [];
  const children: number[] = [];
  const fds = new Int32Array(4);
  const events = new Int32Array(4);
  const revents = new Int32Array(4);

  afterEach(() => {
    killAndReap(children.splice(0));
    for (const fd of open.splice(0)) {
      try {
        n.close(fd);
      } catch {
        // closed by the test
      }
    }
  });

  it("reports readiness per entry and leaves later entries alone", () => {
    const [r1, w1] = n.pipe();
    const [r2, w2] = n.pipe();
    open.push(r1, w1, r2, w2);
    n.write(w2, Buffer.from("x"), 0, 1);
    fds.set([r1, r2, w1, 12345]);
    events.set([n.POLLIN, n.POLLIN, n.POLLOUT, n.POLLIN]);
    revents.fill(-7);
    expect(n.poll(fds, events, revents, 3, 1000)).to.equal(2);
    expect(revents[0]).to.equal(0);
    expect(revents[1] & n.POLLIN).to.equal(n.POLLIN);
    expect(revents[2] & n.POLLOUT).to.equal(n.POLLOUT);
    expect(revents[3]).to.equal(-7);
  });

  it("times out after roughly the requested time with 0", () => {
    const [r, w] = n.pipe();
    open.push(r, w);
    fds[0] = r;
    events[0] = n.POLLIN;
    const t0 = process.hrtime.bigint();
    expect(n.poll(fds, events, revents, 1, 60)).to.equal(0);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    expect(ms).to.be.within(55, 1000);
    expect(n.poll(fds, events, revents, 1, 0)).to.equal(0);
  });

  it("reports POLLHUP for a pipe whose writer closed and POLLNVAL for a closed fd", () => {
    const [r, w] = n.pipe();
    open.push(r);
    n.close(w);
    const [r2, w2] = n.pipe();
    n.close(r2);
    n.close(w2);
    fds.set([r, r2]);
    events.set([n.POLLIN, n.POLLIN]);
    expect(n.poll(fds, events, revents, 2, 1000)).to.equal(2);
    expect(revents[0] & n.POLLHUP).to.equal(n.POLLHUP);
    expect(revents[1]).to.equal(n.POLLNVAL);
  });

  it("wakes a blocked poll from another process's write", function () {
    this.timeout(10000);
    const [r, w] = n.pipe();
    open.push(r, w);
    const pid = n.spawn(["bash", "-c", "sleep 0.1; printf x >&" + w], -1, -1, -1, [w]);
    children.push(pid);
    fds[0] = r;
    events[0] = n.POLLIN;
    const t0 = Date.now();
    let ready = 0;
    while (ready === 0 && Date.now() - t0 < 5000) ready = n.poll(fds, events, revents, 1, 5000);
    expect(ready).to.equal(1);
    expect(revents[0] & n.POLLIN).to.equal(n.POLLIN);
    expect(n.waitpid(pid, 0)).to.deep.equal([pid, "EXIT", 0]);
    children.pop();
  });

  it("validates n and the array types", () => {
    expect(() => n.poll(fds, events, revents, 5, 0)).to.throw(RangeError);
    expect(() => n.poll(fds, events, revents, -1, 0)).to.throw(RangeError);
    expect(() => n.poll(new Uint32Array(4) as unknown as Int32Array, events, revents, 1, 0)).to.throw(
      TypeError,
    );
    expect(n.POLLIN).to.equal(1);
    expect(n.POLLPRI).to.equal(2);
    expect(n.POLLOUT).to.equal(4);
    expect(n.POLLERR).to.equal(8);
    expect(n.POLLHUP).to.equal(16);
    expect(n.POLLNVAL).to.equal(32);
  });

  describe("pollBind / pollWait", () => {
    let saved: Int32Array | null = null;
    before(() => {
      saved = n.pollBoundSet();
    });
    after(() => {
      // The event loop binds its own set again when it next sees another one bound.
      if (saved !== null) n.pollBind(saved);
    });

    it("polls the bound (fd, events, revents) triples in place, later ones left alone", () => {
      const [r1, w1] = n.pipe();
      const [r2, w2] = n.pipe();
      open.push(r1, w1, r2, w2);
      n.write(w2, Buffer.from("x"), 0, 1);
      const set = Int32Array.of(r1, n.POLLIN, -7, r2, n.POLLIN, -7, w1, n.POLLOUT, -7, 12345, n.POLLIN, -7);
      n.pollBind(set);
      expect(n.pollBoundSet()).to.equal(set);
      expect(n.pollWait(3, 1000)).to.equal(2);
      expect(set[2]).to.equal(0);
      expect(set[5] & n.POLLIN).to.equal(n.POLLIN);
      expect(set[8] & n.POLLOUT).to.equal(n.POLLOUT);
      expect(set[11]).to.equal(-7);
      expect(Array.from(set.subarray(0, 2))).to.deep.equal([r1, n.POLLIN]);
    });

    it("times out with 0 and clears revents, and follows a new binding", () => {
      const [r, w] = n.pipe();
      open.push(r, w);
      const first = Int32Array.of(r, n.POLLIN, 99);
      n.pollBind(first);
      expect(n.pollWait(1, 0)).to.equal(0);
      expect(first[2]).to.equal(0);
      const second = Int32Array.of(w, n.POLLOUT, 0);
      n.pollBind(second);
      expect(n.pollWait(1, 1000)).to.equal(1);
      expect(second[2] & n.POLLOUT).to.equal(n.POLLOUT);
      expect(first[2]).to.equal(0);
    });

    it("validates n against the bound set and the set's type", () => {
      n.pollBind(new Int32Array(6));
      expect(() => n.pollWait(3, 0)).to.throw(RangeError, "n exceeds the entries of the bound set");
      expect(() => n.pollWait(-1, 0)).to.throw(RangeError);
      expect(() => n.pollWait(1.5, 0)).to.throw(TypeError);
      expect(() => n.pollBind(new Uint32Array(6) as unknown as Int32Array)).to.throw(TypeError, "set must be an Int32Array");
    });
  });
});
