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
});
