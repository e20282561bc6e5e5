/**
 * socket: TCP clients (blocking or -async connect, trying each resolved address in turn) and
 * servers (`socket -server cmd`), whose accept callback `cmd chan addr port` runs from the event
 * loop. Without -myaddr a server listens on both IPv4 and IPv6, like tclsh.
 */
import { TclObj, Rep } from '../values/obj.js';
import { getList } from '../values/list.js';
import { TclError } from '../values/error.js';
import { getInt32 } from '../values/number.js';
import { formatStringList } from '../values/listFormat.js';
import { OK } from '../engine/codes.js';
import { getIndexFromTable } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';
import * as native from '../native/index.js';
import { closeQuietly, waitFd } from '../io/channel.js';
import { SocketChannel, ServerChannel, newSocketName, errnoName } from '../io/socketChannel.js';
import { registerChannel, unregisterChannel } from '../io/table.js';
import { errnoCodeOf, posixMessage, posixErrorCode } from '../io/errno.js';
import { resolveHost, serviceToPort } from '../io/hosts.js';
import { backgroundException } from './bgerror.js';

const OPTIONS = ['-async', '-myaddr', '-myport', '-server'];

function wrongArgs(): never {
  throw new TclError(
    'wrong # args: should be "socket ?-myaddr addr? ?-myport myport? ?-async? host port" or "socket -server command ?-myaddr addr? port"',
    'TCL WRONGARGS',
  );
}

function openError(code: string): TclError {
  return new TclError(`couldn't open socket: ${posixMessage(code)}`, posixErrorCode(code));
}

/** TclSockGetPort: a number (at most 65535) or a service name. */
function getPort(o: TclObj): number {
  const s = o.toString();
  let n: number | null = null;
  try {
    n = getInt32(o);
  } catch {
    n = serviceToPort(s);
    if (n === null) getInt32(o);
  }
  if (n! > 0xffff) throw new TclError("couldn't open socket: port number too high");
  if (n! < 0) throw new TclError("couldn't open socket: Servname not supported for ai_socktype");
  return n!;
}

/** Resolve a name, turning resolver failures into Tcl's message. */
function resolve(host: string): string[] {
  try {
    const addrs = resolveHost(host);
    if (addrs.length === 0) throw new TclError("couldn't open socket: Name or service not known");
    return addrs;
  } catch (e) {
    if (e instanceof TclError) throw e;
    const err = e as { code?: string; message?: string };
    if (typeof err.code === 'string' && err.code.startsWith('EAI_')) {
      throw new TclError(`couldn't open socket: ${err.message ?? 'Name or service not known'}`);
    }
    throw openError(errnoCodeOf(e));
  }
}

function family(addr: string): 4 | 6 {
  return addr.includes(':') ? 6 : 4;
}

// ------------------------------------------------------------------ clients

function openClient(interp: Interp, host: string, port: number, myaddr: string | null, myport: number, async: boolean): SocketChannel {
  const addrs = resolve(host);
  const locals = myaddr === null ? null : resolve(myaddr);
  const localFor = (addr: string): string => {
    if (locals === null) return '';
    const f = family(addr);
    return locals.find((l) => family(l) === f) ?? locals[0];
  };
  let lastError = 'ECONNREFUSED';
  for (let i = 0; i < addrs.length; i++) {
    const addr = addrs[i];
    let fd = -1;
    try {
      fd = native.socket(family(addr), 'stream', true);
      if (myaddr !== null || myport !== 0) native.bind(fd, localFor(addr), myport);
      const connected = native.connect(fd, addr, port);
      if (!connected && !async) {
        waitFd(fd, native.POLLOUT);
        const err = native.getSocketError(fd);
        if (err !== 0) {
          lastError = errnoName(err);
          closeQuietly(fd);
          continue;
        }
      }
      const ch = new SocketChannel(newSocketName(), fd);
      if (!connected && async) {
        const rest: Array<[string, number]> = addrs.slice(i + 1).map((a) => [a, port]);
        ch.startAsync(rest, myaddr === null ? '' : localFor(addr), myport);
      }
      registerChannel(interp, ch);
      return ch;
    } catch (e) {
      if (e instanceof TclError) {
        if (fd >= 0) closeQuietly(fd);
        throw e;
      }
      lastError = errnoCodeOf(e);
      // An asynchronous connect reports even an immediate refusal through -error, later.
      if (async && fd >= 0 && i === addrs.length - 1) {
        const ch = new SocketChannel(newSocketName(), fd);
        ch.markFailed((e as { errno?: number }).errno ?? 0);
        registerChannel(interp, ch);
        return ch;
      }
      if (fd >= 0) closeQuietly(fd);
    }
  }
  throw openError(lastError);
}

// ------------------------------------------------------------------ servers

function listenOn(host: string, port: number): number {
  const fd = native.socket(family(host === '' ? '0.0.0.0' : host), 'stream', true);
  try {
    native.setsockopt(fd, 'SO_REUSEADDR', true);
    native.bind(fd, host, port);
    native.listen(fd, native.SOMAXCONN);
  } catch (e) {
    closeQuietly(fd);
    throw e;
  }
  return fd;
}

/** Whether the addon can make an IPv6 socket IPv6-only (then tclsh's two listeners are possible). */
function setV6Only(fd: number): boolean {
  try {
    native.setsockopt(fd, 'IPV6_V6ONLY' as native.SocketOption, true);
    return true;
  } catch {
    return false;
  }
}

function boundPort(fd: number): number {
  return native.getsockname(fd)[1];
}

function openServer(interp: Interp, script: TclObj, myaddr: string | null, port: number): ServerChannel {
  const listeners: Array<[number, string]> = [];
  const shown: Array<[string, number]> = [];
  try {
    if (myaddr === null) {
      // tclsh listens on 0.0.0.0 and on :: (IPv6-only). Without IPV6_V6ONLY one dual-stack socket
      // on :: serves both (IPv4 peers appear as v4-mapped addresses, which are shown unmapped).
      let v6 = -1;
      try {
        v6 = native.socket(6, 'stream', true);
      } catch {
        v6 = -1;
      }
      if (v6 >= 0) {
        const only = setV6Only(v6);
        try {
          native.setsockopt(v6, 'SO_REUSEADDR', true);
          if (only) {
            const v4 = listenOn('0.0.0.0', port);
            listeners.push([v4, '0.0.0.0']);
            port = boundPort(v4);
          }
          native.bind(v6, '::', port);
          native.listen(v6, native.SOMAXCONN);
          const p = boundPort(v6);
          listeners.push([v6, '::']);
          shown.push(['0.0.0.0', p], ['::', p]);
        } catch (e) {
          closeQuietly(v6);
          if (listeners.length === 0 && errnoCodeOf(e) !== 'EAFNOSUPPORT' && errnoCodeOf(e) !== 'EADDRNOTAVAIL') throw e;
          if (listeners.length > 0) shown.push(['0.0.0.0', port]);
        }
      }
      if (listeners.length === 0) {
        const v4 = listenOn('0.0.0.0', port);
        listeners.push([v4, '0.0.0.0']);
        shown.push(['0.0.0.0', boundPort(v4)]);
      }
    } else {
      let lastError: unknown = null;
      for (const addr of resolve(myaddr)) {
        try {
          const fd = listenOn(addr, port);
          const p = boundPort(fd);
          if (port === 0) port = p;
          listeners.push([fd, addr]);
          shown.push([addr, p]);
        } catch (e) {
          lastError = e;
        }
      }
      if (listeners.length === 0) throw lastError;
    }
  } catch (e) {
    for (const [fd] of listeners) closeQuietly(fd);
    if (e instanceof TclError) throw e;
    throw openError(errnoCodeOf(e));
  }
  const simpleScript = simpleWords(script);
  const server = new ServerChannel(newSocketName(), listeners, (fd, host, peerPort) => {
    const ch = new SocketChannel(newSocketName(), fd);
    registerChannel(interp, ch);
    // Tcl evaluates the callback as "script chan addr port" text (Tcl_VarEval), in the current
    // frame. A script that is one plain word or a pure list means the same words without parsing.
    ch.refCount++;
    const args = [TclObj.fromString(ch.name), TclObj.fromString(host), TclObj.fromInt(peerPort)];
    let code: number;
    if (simpleScript !== null) code = interp.evalObjv([...simpleScript, ...args]);
    else code = interp.evalObj(TclObj.fromString(`${script.toString()} ${ch.name} ${formatStringList([host])} ${peerPort}`));
    if (code !== OK) {
      backgroundException(interp, code);
      unregisterChannel(interp, ch);
    }
    ch.refCount--;
    if (ch.refCount <= 0 && !ch.closed) ch.close();
  });
  server.shownAddrs = shown;
  registerChannel(interp, server);
  return server;
}

/** The words of a script that is a single plain word or a pure list, else null. */
function simpleWords(script: TclObj): TclObj[] | null {
  if (script.t === Rep.List && !script.hasString()) {
    const words = getList(script);
    return words.length > 0 ? words.slice() : null;
  }
  const s = script.toString();
  return /^[A-Za-z0-9_:.-]+$/.test(s) ? [script] : null;
}

// ------------------------------------------------------------------ the command

function socketCmd(interp: Interp, objv: TclObj[]): number {
  let async = false;
  let server: TclObj | null = null;
  let myaddr: string | null = null;
  let myport = 0;
  let a = 1;
  for (; a < objv.length; a++) {
    const arg = objv[a].toString();
    if (arg.charCodeAt(0) !== 45) break;
    const k = getIndexFromTable(objv[a], OPTIONS, 'option', true);
    switch (k) {
      case 0:
        if (server !== null) throw new TclError('cannot set -async option for server sockets');
        async = true;
        break;
      case 1:
        if (++a >= objv.length) throw new TclError('no argument given for -myaddr option');
        myaddr = objv[a].toString();
        break;
      case 2:
        if (++a >= objv.length) throw new TclError('no argument given for -myport option');
        myport = getPort(objv[a]);
        break;
      case 3:
        if (async) throw new TclError('cannot set -async option for server sockets');
        if (++a >= objv.length) throw new TclError('no argument given for -server option');
        server = objv[a];
        break;
    }
  }
  let host: string | null = null;
  if (server !== null) {
    if (myport !== 0) throw new TclError('option -myport is not valid for servers');
  } else if (a < objv.length) {
    host = objv[a++].toString();
  } else wrongArgs();
  if (a !== objv.length - 1) wrongArgs();
  const port = getPort(objv[a]);
  const ch = server !== null ? openServer(interp, server, myaddr, port) : openClient(interp, host!, port, myaddr, myport, async);
  interp.result = TclObj.fromString(ch.name);
  return OK;
}

export function register(interp: Interp): void {
  interp.createCommand('socket', socketCmd);
}
