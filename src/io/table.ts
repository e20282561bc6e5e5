/**
 * The channels an interpreter knows by name (Tcl_RegisterChannel / Tcl_GetChannel), and the
 * process's standard channels (Tcl_GetStdChannel). A channel may be registered in several
 * interpreters; it closes when the last one lets go.
 */
import type { Interp } from '../engine/interp.js';
import { TclError } from '../values/error.js';
import { formatStringList } from '../values/listFormat.js';
import { Channel, flushAllOpen } from './channel.js';
import { makeStdChannel } from './fileChannel.js';

export class ChannelTable {
  readonly byName = new Map<string, Channel>();
  constructor(readonly interp: Interp) {}
}

// Tcl keeps a standard channel per slot; once a script closes one, the next channel created
// takes the empty slot (the classic `close stdout; open file w` redirection).
const stdSlots: Array<Channel | null> = [null, null, null];
const stdInitialized = [false, false, false];

/** Tcl_GetStdChannel. */
export function getStdChannel(which: 0 | 1 | 2): Channel | null {
  if (!stdInitialized[which]) {
    stdInitialized[which] = true;
    stdSlots[which] = makeStdChannel(which);
  }
  return stdSlots[which];
}

/** A closed standard channel leaves its slot empty for the next channel created. */
function releaseStdSlot(ch: Channel): void {
  for (let i = 0; i < 3; i++) if (stdSlots[i] === ch) stdSlots[i] = null;
}

/** Called for every new channel (Tcl_CreateChannel's standard-slot rule). */
export function claimStdSlot(ch: Channel): void {
  for (let i = 0; i < 3; i++) {
    if (stdInitialized[i] && stdSlots[i] === null) {
      stdSlots[i] = ch;
      // The slot holds its own reference, as Tcl_RegisterChannel(NULL, chan) does.
      ch.refCount++;
      return;
    }
  }
}

export function channelTable(interp: Interp): ChannelTable {
  let t = interp.assoc.get('channels') as ChannelTable | undefined;
  if (t === undefined) {
    t = new ChannelTable(interp);
    interp.assoc.set('channels', t);
    for (const i of [0, 1, 2] as const) {
      const ch = getStdChannel(i);
      if (ch !== null && !ch.closed) {
        t.byName.set(ch.name, ch);
        ch.refCount++;
      }
    }
  }
  return t;
}

/** Register a new channel in an interpreter under its name. */
export function registerChannel(interp: Interp, ch: Channel): void {
  const t = channelTable(interp);
  t.byName.set(ch.name, ch);
  ch.refCount++;
}

/**
 * 0, 1 or 2 for a standard channel's name, else -1. Compares instead of indexing an object: names
 * come from scripts and are not internalized, and a keyed lookup would hash each one.
 */
function stdIndex(name: string): 0 | 1 | 2 | -1 {
  if (name.length !== 5 && name.length !== 6) return -1;
  return name === 'stdin' ? 0 : name === 'stdout' ? 1 : name === 'stderr' ? 2 : -1;
}

/** The channel named `name` in this interpreter, or null. */
export function findChannel(interp: Interp, name: string): Channel | null {
  const t = channelTable(interp);
  const std = stdIndex(name);
  if (std !== -1) {
    // A channel that took over a standard slot answers to the standard name as well.
    const ch = getStdChannel(std);
    if (ch !== null && !ch.closed && t.byName.get(ch.name) === ch) return ch;
    if (ch !== null) return null;
  }
  const ch = t.byName.get(name);
  return ch === undefined ? null : ch;
}

/** Tcl_GetChannel: the channel or `can not find channel named "x"`. */
export function getChannel(interp: Interp, name: string): Channel {
  const ch = findChannel(interp, name);
  if (ch === null) {
    throw new TclError(`can not find channel named "${name}"`, `TCL LOOKUP CHANNEL ${formatStringList([name])}`);
  }
  return ch;
}

/** A channel for reading, with Tcl's error when it was not opened for it. */
export function getReadChannel(interp: Interp, name: string): Channel {
  const ch = getChannel(interp, name);
  if (!ch.readable || ch.readClosed) throw new TclError(`channel "${name}" wasn't opened for reading`);
  return ch;
}

export function getWriteChannel(interp: Interp, name: string): Channel {
  const ch = getChannel(interp, name);
  if (!ch.writable || ch.writeClosed) throw new TclError(`channel "${name}" wasn't opened for writing`);
  return ch;
}

/** Hooks run when a channel leaves an interpreter (fileevent records of that interpreter). */
export const unregisterHooks: Array<(interp: Interp, ch: Channel) => void> = [];

/**
 * Tcl_UnregisterChannel: drop the interpreter's reference; the last reference closes the channel.
 * Returns the error the close reported, or null.
 */
export function unregisterChannel(interp: Interp, ch: Channel): TclError | null {
  const t = channelTable(interp);
  // Tcl_UnregisterChannel does nothing for a channel this interpreter does not hold.
  if (t.byName.get(ch.name) !== ch) return null;
  t.byName.delete(ch.name);
  for (const hook of unregisterHooks) hook(interp, ch);
  ch.refCount--;
  // The standard slot's own reference goes with the last interpreter's.
  let inStd = false;
  for (let i = 0; i < 3; i++) if (stdSlots[i] === ch) inStd = true;
  if (inStd && ch.refCount === 1) {
    releaseStdSlot(ch);
    ch.refCount = 0;
  } else if (inStd && ch.refCount <= 0) releaseStdSlot(ch);
  if (ch.refCount > 0) return null;
  return ch.close();
}

/** Names of the interpreter's channels (`chan names`, `file channels`). */
export function channelNames(interp: Interp): string[] {
  return [...channelTable(interp).byName.keys()];
}

/**
 * Flush every channel of the process (exit, and before fork). Channels belong to the process,
 * not to one interpreter: the argument is accepted for callers that have one at hand.
 */
export function flushAllChannels(_interp?: Interp): void {
  flushAllOpen();
}
