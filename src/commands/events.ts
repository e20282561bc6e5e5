/**
 * Event commands: after, vwait, update, fileevent (and `chan event`). Everything runs on the
 * synchronous notifier in src/io/notifier.ts; scripts run at global level and their errors go to
 * the background-error handler, as in Tcl.
 */
import { TclObj, Rep } from '../values/obj.js';
import { getList } from '../values/list.js';
import { TclError } from '../values/error.js';
import { getWide } from '../values/number.js';
import { formatStringList } from '../values/listFormat.js';
import { OK, ERROR, RETURN } from '../engine/codes.js';
import { wrongNumArgs, getIndexFromTable } from '../engine/args.js';
import { finishReturn } from '../engine/proc.js';
import { splitArrayName } from '../engine/vars.js';
import { TRACE_WRITE, TRACE_UNSET } from '../engine/traces.js';
import type { Interp } from '../engine/interp.js';
import type { Var } from '../engine/vars.js';
import * as native from '../native/index.js';
import { notifier, TimerHandler, READABLE, WRITABLE, ALL_EVENTS, DONT_WAIT, IDLE_EVENTS } from '../io/notifier.js';
import { Channel, ChannelHandler } from '../io/channel.js';
import { getChannel, unregisterHooks } from '../io/table.js';
import { backgroundException, evalGlobal, installBgError } from './bgerror.js';

const EMPTY = TclObj.EMPTY;

// ------------------------------------------------------------------ the event loop entry

interface AsyncHookState {
  fd: number;
  hooked: boolean;
}

/**
 * Make the loop notice the interpreter's asynchronous events (signal traps): watch its wake fd and
 * look at its pending flags whenever poll returns.
 */
function ensureAsyncHook(interp: Interp): void {
  let st = interp.assoc.get('events.async') as AsyncHookState | undefined;
  if (st === undefined) {
    st = { fd: -1, hooked: false };
    interp.assoc.set('events.async', st);
  }
  if (!st.hooked && interp.asyncView !== null) {
    st.hooked = true;
    notifier.asyncHooks.push(() => {
      const v = interp.asyncView;
      if (v === null || v[0] === 0) return false;
      interp.runAsync(OK, true);
      return true;
    });
  }
  const fd = interp.asyncWakeFd;
  if (fd >= 0 && st.fd !== fd) {
    st.fd = fd;
    notifier.createFileHandler(
      fd,
      READABLE,
      () => {
        interp.runAsync(OK, true);
      },
      true,
    );
  }
}

/** Tcl_DoOneEvent for commands of this interpreter. */
export function doOneEvent(interp: Interp, flags: number): boolean {
  ensureAsyncHook(interp);
  return notifier.doOneEvent(flags);
}

/** Run a handler script at global level; failures become background errors. */
function runHandler(interp: Interp, script: TclObj, context: string | null): number {
  let code = evalGlobal(interp, script);
  if (code === RETURN) code = finishReturn(interp);
  if (code !== OK) {
    if (code === ERROR && context !== null) interp.addErrorInfo(context);
    backgroundException(interp, code, code === ERROR ? null : context);
  }
  return code;
}

// ------------------------------------------------------------------ after

class AfterEvent {
  timer: TimerHandler | null = null;
  idle: { live: boolean } | null = null;
  constructor(
    readonly id: number,
    readonly script: TclObj,
  ) {}
}

class AfterState {
  nextId = 0;
  /** Pending events, oldest first. */
  events: AfterEvent[] = [];
}

function afterState(interp: Interp): AfterState {
  let st = interp.assoc.get('after') as AfterState | undefined;
  if (st === undefined) {
    st = new AfterState();
    interp.assoc.set('after', st);
  }
  return st;
}

function removeAfter(st: AfterState, ev: AfterEvent): void {
  const i = st.events.indexOf(ev);
  if (i >= 0) st.events.splice(i, 1);
}

/** The script words after `after ms` / `after idle`, joined as Tcl_ConcatObj does. */
function concatScript(objv: TclObj[], from: number): TclObj {
  if (objv.length === from + 1) return objv[from];
  const parts: string[] = [];
  for (let i = from; i < objv.length; i++) {
    const s = objv[i].toString().trim();
    if (s.length > 0) parts.push(s);
  }
  return TclObj.fromString(parts.join(' '));
}

function afterId(ev: AfterEvent): TclObj {
  return TclObj.fromString(`after#${ev.id}`);
}

function findAfterById(st: AfterState, word: string): AfterEvent | null {
  if (!word.startsWith('after#')) return null;
  const n = word.slice(6);
  if (!/^\d+$/.test(n)) return null;
  const id = Number(n);
  for (const ev of st.events) if (ev.id === id) return ev;
  return null;
}

/** Sleep without servicing events (`after ms`), letting signal traps run. */
function afterDelay(interp: Interp, ms: number): number {
  const end = performance.now() + ms;
  for (;;) {
    const left = end - performance.now();
    if (left <= 0) return OK;
    native.sleepMs(Math.ceil(left));
    const v = interp.asyncView;
    if (v !== null && v[0] !== 0) {
      const code = interp.runAsync(OK, false);
      if (code !== OK) return code;
    }
  }
}

const AFTER_SUBS = ['cancel', 'idle', 'info'];

function afterCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) wrongNumArgs(objv, 1, 'option ?arg ...?');
  const st = afterState(interp);
  let ms: number | null = null;
  try {
    const v = getWide(objv[1]);
    ms = Number(v);
  } catch {
    ms = null;
  }
  if (ms !== null) {
    if (ms < 0) ms = 0;
    if (objv.length === 2) {
      const code = afterDelay(interp, ms);
      if (code === OK) interp.result = EMPTY;
      return code;
    }
    const ev = new AfterEvent(st.nextId++, concatScript(objv, 2));
    st.events.push(ev);
    ev.timer = notifier.createTimer(ms, () => {
      removeAfter(st, ev);
      runHandler(interp, ev.script, '\n    ("after" script)');
    });
    interp.result = afterId(ev);
    return OK;
  }
  let sub: number;
  try {
    sub = getIndexFromTable(objv[1], AFTER_SUBS, 'argument');
  } catch {
    const w = objv[1].toString();
    throw new TclError(`bad argument "${w}": must be cancel, idle, info, or an integer`, `TCL LOOKUP INDEX argument ${formatStringList([w])}`);
  }
  switch (sub) {
    case 0: {
      if (objv.length < 3) wrongNumArgs(objv, 2, 'id|command');
      let ev: AfterEvent | null = null;
      if (objv.length === 3) ev = findAfterById(st, objv[2].toString());
      if (ev === null) {
        const script = concatScript(objv, 2).toString();
        for (const e of st.events) {
          if (e.script.toString() === script) {
            ev = e;
            break;
          }
        }
      }
      if (ev !== null) {
        removeAfter(st, ev);
        if (ev.timer !== null) notifier.deleteTimer(ev.timer);
        if (ev.idle !== null) notifier.cancelIdle(ev.idle as ReturnType<typeof notifier.doWhenIdle>);
      }
      interp.result = EMPTY;
      return OK;
    }
    case 1: {
      if (objv.length < 3) wrongNumArgs(objv, 2, 'script ?script ...?');
      const ev = new AfterEvent(st.nextId++, concatScript(objv, 2));
      st.events.push(ev);
      ev.idle = notifier.doWhenIdle(() => {
        removeAfter(st, ev);
        runHandler(interp, ev.script, '\n    ("after" script)');
      });
      interp.result = afterId(ev);
      return OK;
    }
    default: {
      if (objv.length === 2) {
        const ids: TclObj[] = [];
        for (let i = st.events.length - 1; i >= 0; i--) ids.push(afterId(st.events[i]));
        interp.result = TclObj.fromList(ids);
        return OK;
      }
      if (objv.length !== 3) wrongNumArgs(objv, 2, '?id?');
      const word = objv[2].toString();
      const ev = findAfterById(st, word);
      if (ev === null) throw new TclError(`event "${word}" doesn't exist`, `TCL LOOKUP EVENT ${formatStringList([word])}`);
      interp.result = TclObj.fromList([ev.script, TclObj.fromString(ev.timer !== null ? 'timer' : 'idle')]);
      return OK;
    }
  }
}

// ------------------------------------------------------------------ vwait, update

/** The Var `name` names at global level, created if needed (as Tcl_TraceVar2 does). */
function globalTraceTarget(interp: Interp, name: string): Var {
  const saved = interp.varFrame;
  interp.varFrame = interp.globalFrame;
  try {
    const [base, index] = splitArrayName(name);
    const v = interp.lookupVarCreate(base, name);
    return index === null ? v : interp.arrayElementCreate(v, base, index);
  } catch (e) {
    if (e instanceof TclError && e.message.startsWith("can't set ")) {
      throw new TclError("can't trace " + e.message.slice("can't set ".length), e.errorCode);
    }
    throw e;
  } finally {
    interp.varFrame = saved;
  }
}

function vwaitCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) wrongNumArgs(objv, 1, 'name');
  const name = objv[1].toString();
  const v = globalTraceTarget(interp, name);
  let done = false;
  const rec = { ops: TRACE_WRITE | TRACE_UNSET, cmd: () => void (done = true), id: null };
  if (v.traces === null) v.traces = { list: [], busy: false };
  v.traces.list.unshift(rec);
  try {
    // A blocking doOneEvent always serves something: with no event source at all it waits for a
    // signal trap, as tclsh 8.6 does, rather than failing with "would wait forever".
    while (!done) doOneEvent(interp, ALL_EVENTS);
  } finally {
    const t = v.traces;
    if (t !== null) {
      const i = t.list.indexOf(rec);
      if (i >= 0) t.list.splice(i, 1);
      if (t.list.length === 0 && !t.busy) v.traces = null;
    }
  }
  interp.result = EMPTY;
  return OK;
}

function updateCmd(interp: Interp, objv: TclObj[]): number {
  let flags = ALL_EVENTS | DONT_WAIT;
  if (objv.length === 2) {
    getIndexFromTable(objv[1], ['idletasks'], 'option');
    flags = IDLE_EVENTS | DONT_WAIT;
  } else if (objv.length !== 1) wrongNumArgs(objv, 1, '?idletasks?');
  while (doOneEvent(interp, flags)) {
    // Keep going until nothing is left to do.
  }
  interp.result = EMPTY;
  return OK;
}

// ------------------------------------------------------------------ fileevent

class ScriptRecord {
  handler: ChannelHandler | null = null;
  constructor(
    readonly interp: Interp,
    readonly mask: number,
    public script: TclObj,
  ) {}
}

function recordsOf(ch: Channel): ScriptRecord[] {
  let list = ch.eventRecords as ScriptRecord[] | null;
  if (list === null) list = ch.eventRecords = [];
  return list;
}

function deleteRecord(ch: Channel, rec: ScriptRecord): void {
  const list = ch.eventRecords as ScriptRecord[] | null;
  if (list !== null) {
    const i = list.indexOf(rec);
    if (i >= 0) list.splice(i, 1);
  }
  if (rec.handler !== null) ch.deleteHandler(rec.handler);
}

// The interpreter lets go of the channel (usually on its way to being closed): its records go, in
// one pass rather than a search and a splice for each.
unregisterHooks.push((interp, ch) => {
  const list = ch.eventRecords as ScriptRecord[] | null;
  if (list === null || list.length === 0) return;
  let kept: ScriptRecord[] | null = null;
  for (let i = 0; i < list.length; i++) {
    const rec = list[i];
    if (rec.interp !== interp) (kept ??= []).push(rec);
    else if (rec.handler !== null) ch.deleteHandler(rec.handler);
  }
  ch.eventRecords = kept;
});

/** `fileevent` and `chan event`: `n` is the index of the channel argument. */
export function fileeventCmd(interp: Interp, objv: TclObj[], n: number): number {
  if (objv.length !== n + 2 && objv.length !== n + 3) wrongNumArgs(objv, n, 'channelId event ?script?');
  let k: number;
  try {
    k = getIndexFromTable(objv[n + 1], ['readable', 'writable'], 'event name');
  } catch (e) {
    // The errorCode names the table by its whole description ("event name"), as Tcl does.
    if (!(e instanceof TclError)) throw e;
    throw new TclError(e.message, `TCL LOOKUP INDEX {event name} ${formatStringList([objv[n + 1].toString()])}`);
  }
  const mask = k === 0 ? READABLE : WRITABLE;
  const ch = getChannel(interp, objv[n].toString());
  const open = mask === READABLE ? ch.readable && !ch.readClosed : ch.writable && !ch.writeClosed;
  if (!open) throw new TclError(`channel is not ${mask === READABLE ? 'readable' : 'writable'}`);
  const list = recordsOf(ch);
  let rec: ScriptRecord | null = null;
  for (const r of list) if (r.interp === interp && r.mask === mask) rec = r;
  if (objv.length === n + 2) {
    interp.result = rec === null ? EMPTY : rec.script;
    return OK;
  }
  const script = objv[n + 2];
  // A [list ...] script must keep its pure list form (it then runs without parsing).
  const empty = script.t === Rep.List && !script.hasString() ? getList(script).length === 0 : script.toString().length === 0;
  if (empty) {
    if (rec !== null) deleteRecord(ch, rec);
    interp.result = EMPTY;
    return OK;
  }
  if (rec !== null) {
    rec.script = script;
  } else {
    const r = new ScriptRecord(interp, mask, script);
    list.push(r);
    r.handler = ch.createHandler(
      mask,
      () => {
        const code = evalGlobal(interp, r.script);
        if (code !== OK) {
          const held = ch.eventRecords;
          if (!ch.closed && held !== null && held.indexOf(r) >= 0) deleteRecord(ch, r);
          let c = code;
          if (c === RETURN) c = finishReturn(interp);
          if (c !== OK) backgroundException(interp, c);
        }
      },
      r,
    );
  }
  interp.result = EMPTY;
  return OK;
}

export function register(interp: Interp): void {
  interp.createCommand('after', afterCmd);
  interp.createCommand('vwait', vwaitCmd);
  interp.createCommand('update', updateCmd);
  interp.createCommand('fileevent', (ip, objv) => fileeventCmd(ip, objv, 1));
  installBgError(interp);
}
