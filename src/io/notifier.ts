/**
 * The Tcl event loop (Tcl_DoOneEvent and its sources), run synchronously: the process blocks in
 * poll(2) through the native addon with the timeout the timers ask for, never in Node's own loop.
 * One notifier per process (like Tcl's per-thread notifier); handlers carry their own interpreter.
 *
 * Ordering follows Tcl 8.6: each Tcl_DoOneEvent services at most one queued event; file events are
 * queued when poll reports an fd ready, timers are serviced through one queued "timer event" that
 * runs every due timer created before it started, idle callbacks run only when no event was
 * serviced, and only those that existed when the idle pass began.
 */
import * as native from '../native/index.js';

export const DONT_WAIT = 1 << 1;
export const WINDOW_EVENTS = 1 << 2;
export const FILE_EVENTS = 1 << 3;
export const TIMER_EVENTS = 1 << 4;
export const IDLE_EVENTS = 1 << 5;
export const ALL_EVENTS = ~DONT_WAIT;

export const READABLE = 2;
export const WRITABLE = 4;
export const EXCEPTION = 8;

// Read from the addon when the first poll set is built, not at load: the start-up snapshot loads
// this module before the addon exists (src/snapshot.ts).
let POLLIN = 0;
let POLLOUT = 0;
let POLLPRI = 0;
let POLL_ERRS = 0;

function loadPollBits(): void {
  POLLIN = native.POLLIN;
  POLLOUT = native.POLLOUT;
  POLLPRI = native.POLLPRI;
  POLL_ERRS = native.POLLERR | native.POLLHUP | native.POLLNVAL;
}

/**
 * Removes `item` from a list of handlers kept in creation order. The search starts at the end: a
 * handler usually goes before those created ahead of it, and the last one simply pops.
 */
export function removeNewestFirst<T>(list: T[], item: T): void {
  const i = list.lastIndexOf(item);
  if (i < 0) return;
  if (i === list.length - 1) list.pop();
  else list.splice(i, 1);
}

/** Something waiting in the event queue; `service` returns false to stay queued (flags exclude it). */
export abstract class QueuedEvent {
  /** Set while its service runs, so a nested event loop does not run it again. */
  busy = false;
  abstract service(flags: number): boolean;
}

export class TimerHandler {
  constructor(
    /** Due time, performance.now() milliseconds. */
    public time: number,
    /** Creation serial: a timer pass never runs timers created after it began. */
    readonly serial: number,
    readonly proc: () => void,
  ) {}
  /** False once run or deleted. */
  live = true;
}

class IdleHandler {
  constructor(
    readonly proc: () => void,
    readonly generation: number,
  ) {}
  live = true;
}

export class FileHandler {
  /** Bits of READABLE | WRITABLE | EXCEPTION poll reported, not yet delivered. */
  readyMask = 0;
  /** Bits the next wait may take as ready without polling (see Notifier.assumeReady). */
  assumedMask = 0;
  live = true;
  /** Its queued event: at most one is queued at a time, so one object serves them all. */
  event: FileEvent | null = null;
  constructor(
    readonly fd: number,
    public mask: number,
    public proc: (mask: number) => void,
    /**
     * Only there to end a wait early (a signal trap's wake pipe): its work is done by the
     * asynchronous-event checks that run before and after every wait anyway.
     */
    readonly wakeOnly: boolean,
  ) {}
}

class FileEvent extends QueuedEvent {
  constructor(
    private readonly n: Notifier,
    private readonly fd: number,
  ) {
    super();
  }
  service(flags: number): boolean {
    if (!(flags & FILE_EVENTS)) return false;
    const h = this.n.handlerOf(this.fd);
    if (h === undefined) return true;
    const mask = h.readyMask & h.mask;
    h.readyMask = 0;
    if (mask !== 0) h.proc(mask);
    return true;
  }
}

class TimerEvent extends QueuedEvent {
  constructor(private readonly n: Notifier) {
    super();
  }
  service(flags: number): boolean {
    if (!(flags & TIMER_EVENTS)) return false;
    this.n.runDueTimers();
    return true;
  }
}

export class Notifier {
  /** Timers sorted by due time; equal times keep creation order. */
  private timers: TimerHandler[] = [];
  private timerSerial = 0;
  private timerPending = false;

  private idles: IdleHandler[] = [];
  private idleGeneration = 0;

  /** The event queue (Tcl_QueueEvent, tail position only). */
  private queue: QueuedEvent[] = [];
  private queueHead = 0;

  /**
   * File handlers by fd, and the same handlers in creation order (the poll set's order). Arrays,
   * not a Map: fds are small integers, and a Map that gains and loses an entry per connection
   * keeps rehashing.
   */
  private handlerByFd: Array<FileHandler | undefined> = [];
  private handlers: FileHandler[] = [];
  private pollDirty = true;
  /** (fd, events, revents) per watched descriptor: the array native.pollWait works on. */
  private pollSet = new Int32Array(3 * 16);
  private pollHandlers: FileHandler[] = [];
  private pollCount = 0;
  /** Handlers with an assumed readiness for the next wait. */
  private assumed: FileHandler[] = [];

  /**
   * Asynchronous-event checks (signal traps): run before and after every wait; one that did some
   * work returns true, which counts as a serviced event (Tcl_DoOneEvent's Tcl_AsyncReady step).
   */
  readonly asyncHooks: Array<() => boolean> = [];

  private runAsyncHooks(): boolean {
    const hooks = this.asyncHooks;
    let did = false;
    for (let i = 0; i < hooks.length; i++) if (hooks[i]()) did = true;
    return did;
  }

  // ------------------------------------------------------------- timers

  createTimer(ms: number, proc: () => void): TimerHandler {
    const t = new TimerHandler(performance.now() + (ms > 0 ? ms : 0), ++this.timerSerial, proc);
    const list = this.timers;
    let i = list.length;
    while (i > 0 && list[i - 1].time > t.time) i--;
    if (i === list.length) list.push(t);
    else list.splice(i, 0, t);
    return t;
  }

  deleteTimer(t: TimerHandler): void {
    if (!t.live) return;
    t.live = false;
    const i = this.timers.indexOf(t);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** The body of Tcl's timer event: every due timer that existed when the pass began. */
  runDueTimers(): void {
    this.timerPending = false;
    const serial = this.timerSerial;
    const now = performance.now();
    const list = this.timers;
    while (list.length > 0) {
      const t = list[0];
      if (t.time > now || t.serial > serial) break;
      list.shift();
      t.live = false;
      t.proc();
    }
  }

  // ------------------------------------------------------------- idle callbacks

  doWhenIdle(proc: () => void): IdleHandler {
    const h = new IdleHandler(proc, this.idleGeneration);
    this.idles.push(h);
    return h;
  }

  cancelIdle(h: IdleHandler): void {
    if (!h.live) return;
    h.live = false;
    const i = this.idles.indexOf(h);
    if (i >= 0) this.idles.splice(i, 1);
  }

  idlePending(): boolean {
    return this.idles.length > 0;
  }

  private serviceIdle(): boolean {
    if (this.idles.length === 0) return false;
    const gen = this.idleGeneration++;
    while (this.idles.length > 0 && this.idles[0].generation <= gen) {
      const h = this.idles.shift()!;
      h.live = false;
      h.proc();
    }
    return true;
  }

  // ------------------------------------------------------------- file handlers

  /**
   * Tcl_CreateFileHandler: one handler per fd; a second call replaces mask and proc. `wakeOnly`
   * marks an fd watched only to end waits (see FileHandler.wakeOnly).
   */
  createFileHandler(fd: number, mask: number, proc: (mask: number) => void, wakeOnly = false): void {
    const h = this.handlerOf(fd);
    if (h !== undefined) {
      if (h.mask !== mask) this.pollDirty = true;
      h.mask = mask;
      h.proc = proc;
      return;
    }
    const byFd = this.handlerByFd;
    // Filled with undefined rather than left with holes, which would slow every lookup.
    while (byFd.length <= fd) byFd.push(undefined);
    const created = new FileHandler(fd, mask, proc, wakeOnly);
    byFd[fd] = created;
    this.handlers.push(created);
    this.pollDirty = true;
  }

  /** The handler watching `fd`, if any. */
  handlerOf(fd: number): FileHandler | undefined {
    return fd >= 0 && fd < this.handlerByFd.length ? this.handlerByFd[fd] : undefined;
  }

  /**
   * Lets the next wait take `fd` as ready for `mask` instead of polling, provided no other
   * descriptor is watched then (apart from wake-only ones): poll could then report nothing but
   * this fd, and its handler is one that takes a readiness which turns out false as "not yet"
   * (a nonblocking attempt that would block), after which the wait after it polls. For a
   * socketserver worker taking its next connection off a busy queue, this saves a poll(2) per
   * connection. Scripts' fileevents never get such guesses: a false readable event is visible.
   */
  assumeReady(fd: number, mask: number): void {
    const h = this.handlerOf(fd);
    if (h === undefined) return;
    mask &= h.mask;
    if (mask === 0) return;
    if (h.assumedMask === 0) this.assumed.push(h);
    h.assumedMask |= mask;
  }

  /**
   * The fd is known to be ready for `mask` now (a channel read ahead and holds the bytes): queue
   * its file event as a poll reporting it would, without polling.
   */
  queueFileEvent(fd: number, mask: number): void {
    const h = this.handlerOf(fd);
    if (h === undefined) return;
    mask &= h.mask;
    if (mask !== 0) this.queueReady(h, mask | h.readyMask);
  }

  deleteFileHandler(fd: number): void {
    const h = this.handlerOf(fd);
    if (h === undefined) return;
    h.live = false;
    this.handlerByFd[fd] = undefined;
    removeNewestFirst(this.handlers, h);
    this.pollDirty = true;
  }

  // ------------------------------------------------------------- the queue

  queueEvent(ev: QueuedEvent): void {
    this.queue.push(ev);
  }

  /**
   * Tcl_ServiceEvent: run the first queued event that accepts these flags. Like Tcl, the event
   * stays queued (marked busy, so nested loops skip it) while it runs and leaves once it is done.
   */
  private serviceEvent(flags: number): boolean {
    const q = this.queue;
    for (let i = this.queueHead; i < q.length; i++) {
      const ev = q[i];
      if (ev.busy) continue;
      ev.busy = true;
      let done = false;
      try {
        done = ev.service(flags);
      } finally {
        ev.busy = false;
        if (done) this.dequeue(ev);
      }
      if (done) return true;
    }
    return false;
  }

  private dequeue(ev: QueuedEvent): void {
    const q = this.queue;
    if (q[this.queueHead] === ev) {
      q[this.queueHead] = null as unknown as QueuedEvent;
      this.queueHead++;
    } else {
      const i = q.indexOf(ev, this.queueHead);
      if (i >= 0) q.splice(i, 1);
    }
    if (this.queueHead === q.length) {
      // A fresh array, not `q.length = 0`: V8 stores an array's length through a runtime call.
      this.queue = [];
      this.queueHead = 0;
    } else if (this.queueHead > 1024 && this.queueHead * 2 > q.length) {
      q.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  // ------------------------------------------------------------- waiting

  private rebuildPoll(): void {
    if (POLLIN === 0) loadPollBits();
    const all = this.handlers;
    const n = all.length;
    if (this.pollSet.length < 3 * n) this.pollSet = new Int32Array(3 * Math.max(n, (this.pollSet.length / 3) * 2));
    const set = this.pollSet;
    // Tcl keeps file handlers newest first and queues their events in that order.
    const hs: FileHandler[] = [];
    for (let i = n - 1; i >= 0; i--) {
      const h = all[i];
      let ev = 0;
      if (h.mask & READABLE) ev |= POLLIN;
      if (h.mask & WRITABLE) ev |= POLLOUT;
      if (h.mask & EXCEPTION) ev |= POLLPRI;
      if (ev === 0) continue;
      set[3 * hs.length] = h.fd;
      set[3 * hs.length + 1] = ev;
      hs.push(h);
    }
    this.pollHandlers = hs;
    this.pollCount = hs.length;
    this.pollDirty = false;
  }

  /** Tcl_WaitForEvent: poll, then queue a file event for every fd that became ready. */
  private waitForEvent(timeoutMs: number): void {
    if (this.assumed.length > 0 && this.takeAssumed()) return;
    if (this.pollDirty) this.rebuildPoll();
    const n = this.pollCount;
    if (native.pollBoundSet() !== this.pollSet) native.pollBind(this.pollSet);
    if (n === 0) {
      if (timeoutMs > 0) native.sleepMs(Math.ceil(timeoutMs));
      // Nothing to watch and no timer: poll(2) on no descriptors sleeps until a signal.
      else if (timeoutMs < 0) native.pollWait(0, -1);
    } else {
      const ready = native.pollWait(n, timeoutMs < 0 ? -1 : Math.ceil(timeoutMs));
      if (ready > 0) {
        const set = this.pollSet;
        const hs = this.pollHandlers;
        for (let i = 0; i < n; i++) {
          const r = set[3 * i + 2];
          if (r === 0) continue;
          const h = hs[i];
          if (!h.live) continue;
          let mask = 0;
          // An error or hangup makes a read or write attempt return at once: report it as such.
          if (r & (POLLIN | POLL_ERRS)) mask |= READABLE;
          if (r & (POLLOUT | POLL_ERRS)) mask |= WRITABLE;
          if (r & POLLPRI) mask |= EXCEPTION;
          mask &= h.mask;
          if (mask !== 0) this.queueReady(h, mask);
        }
      }
    }
  }

  /** Queue the handler's file event (once) and note what is ready for it. */
  private queueReady(h: FileHandler, mask: number): void {
    if (h.readyMask === 0) {
      let ev = h.event;
      if (ev === null || ev.busy) ev = h.event = new FileEvent(this, h.fd);
      this.queueEvent(ev);
    }
    h.readyMask = mask;
  }

  /**
   * The wait without a poll (see assumeReady): queues the assumed events and returns true when
   * nothing else is watched; otherwise forgets the guesses and returns false (poll instead).
   */
  private takeAssumed(): boolean {
    const list = this.assumed;
    this.assumed = [];
    let usable = true;
    const all = this.handlers;
    for (let i = 0; i < all.length; i++) {
      const h = all[i];
      if (h.assumedMask === 0 && !h.wakeOnly && h.mask !== 0) {
        usable = false;
        break;
      }
    }
    let queued = false;
    for (let i = 0; i < list.length; i++) {
      const h = list[i];
      const mask = h.assumedMask & h.mask;
      h.assumedMask = 0;
      if (usable && h.live && mask !== 0) {
        this.queueReady(h, mask | h.readyMask);
        queued = true;
      }
    }
    return queued;
  }

  /** Timer check: queue the timer event when the first timer is due. */
  private checkTimers(): void {
    if (this.timerPending || this.timers.length === 0) return;
    if (this.timers[0].time <= performance.now()) {
      this.timerPending = true;
      this.queueEvent(new TimerEvent(this));
    }
  }

  /**
   * Tcl_DoOneEvent. Returns true when something was serviced, false when nothing was and the
   * caller asked not to wait (DONT_WAIT).
   */
  doOneEvent(flags: number): boolean {
    if ((flags & ALL_EVENTS) === 0) flags |= ALL_EVENTS;
    for (;;) {
      if (this.asyncHooks.length > 0 && this.runAsyncHooks()) return true;
      if (this.serviceEvent(flags)) return true;
      let timeout = -1;
      if (flags & DONT_WAIT) timeout = 0;
      else if ((flags & IDLE_EVENTS) && this.idles.length > 0) timeout = 0;
      if (timeout !== 0 && (flags & TIMER_EVENTS) && this.timers.length > 0) {
        const d = this.timers[0].time - performance.now();
        timeout = d > 0 ? d : 0;
        if (this.timerPending) timeout = 0;
      }
      // With no source at all, tclsh 8.6's notifier still blocks (for good, unless a signal
      // trap ends the wait), and so does this one: poll(2) on nothing, interrupted by signals.
      this.waitForEvent(timeout);
      if (this.asyncHooks.length > 0 && this.runAsyncHooks()) return true;
      if (flags & TIMER_EVENTS) this.checkTimers();
      if (this.serviceEvent(flags)) return true;
      if ((flags & IDLE_EVENTS) && this.serviceIdle()) return true;
      if (flags & DONT_WAIT) return false;
    }
  }

  /** Forget every handler (a forked child keeps its parent's fds but starts a fresh loop state). */
  reset(): void {
    this.timers = [];
    this.idles = [];
    this.queue = [];
    this.queueHead = 0;
    this.timerPending = false;
    this.handlerByFd = [];
    this.handlers = [];
    this.assumed = [];
    this.pollDirty = true;
  }
}

/** The process's notifier. */
export const notifier = new Notifier();
