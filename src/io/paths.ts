/**
 * Unix path names as Tcl 8.6 handles them: splitting and joining (with Tcl's "./~x" protection of
 * components that look like a user's home), dirname/tail/rootname/extension, tilde expansion,
 * normalisation, and the user and group names behind ids.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { TclError } from '../values/error.js';

/** Tcl's `file split`. */
export function splitPath(p: string): string[] {
  const out: string[] = [];
  let i = 0;
  if (p.charCodeAt(0) === 47) {
    out.push('/');
    while (i < p.length && p.charCodeAt(i) === 47) i++;
  }
  const parts = p.slice(i).split('/');
  for (const part of parts) {
    if (part.length === 0) continue;
    if (part.charCodeAt(0) === 126 && out.length > 0) out.push('./' + part);
    else out.push(part);
  }
  return out;
}

/** Tcl's `file join` (an absolute or ~ element restarts the path). */
export function joinPath(parts: readonly string[]): string {
  let result = '';
  for (let elt of parts) {
    if (elt.length === 0) continue;
    const c = elt.charCodeAt(0);
    if (c === 47 || c === 126) result = '';
    else if (result !== '' && elt.startsWith('./~')) elt = elt.slice(2);
    if (c === 47) result = '/';
    for (const comp of elt.split('/')) {
      if (comp.length === 0) continue;
      if (result === '' ) result = comp;
      else if (result.endsWith('/')) result += comp;
      else result += '/' + comp;
    }
  }
  return result;
}

export function isAbsolutePath(p: string): boolean {
  const c = p.charCodeAt(0);
  return c === 47 || c === 126;
}

// ------------------------------------------------------------------ users and groups

interface PwEntry {
  name: string;
  id: number;
  home: string;
}

function readTable(file: string): PwEntry[] {
  let text = '';
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch {
    return [];
  }
  const out: PwEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 3) continue;
    out.push({ name: f[0], id: Number(f[2]), home: f[5] ?? '' });
  }
  return out;
}

/** The user name of a uid, or its number as a string. */
export function userName(uid: number): string {
  for (const e of readTable('/etc/passwd')) if (e.id === uid) return e.name;
  return String(uid);
}

export function groupName(gid: number): string {
  for (const e of readTable('/etc/group')) if (e.id === gid) return e.name;
  return String(gid);
}

export function userId(name: string): number | null {
  for (const e of readTable('/etc/passwd')) if (e.name === name) return e.id;
  return null;
}

export function groupId(name: string): number | null {
  for (const e of readTable('/etc/group')) if (e.name === name) return e.id;
  return null;
}

/** Where HOME comes from (the Tcl env array, installed by the file commands). */
export let homeLookup: () => string | undefined = () => process.env.HOME;

export function setHomeLookup(fn: () => string | undefined): void {
  homeLookup = fn;
}

/** The home directory of `user` ("" = the current user), with Tcl's errors. */
export function homeOf(user: string): string {
  if (user === '') {
    const h = homeLookup();
    if (h === undefined) throw new TclError("couldn't find HOME environment variable to expand path");
    return h;
  }
  for (const e of readTable('/etc/passwd')) if (e.name === user) return e.home;
  if (user === os.userInfo().username) return os.userInfo().homedir;
  throw new TclError(`user "${user}" doesn't exist`);
}

/** Replace a leading ~ or ~user with the home directory. */
export function expandTilde(p: string): string {
  if (p.charCodeAt(0) !== 126) return p;
  const slash = p.indexOf('/');
  const user = slash < 0 ? p.slice(1) : p.slice(1, slash);
  const home = homeOf(user);
  if (slash < 0) return home;
  const rest = p.slice(slash);
  return home === '/' ? rest : home + rest;
}

// ------------------------------------------------------------------ parts of a path

export function dirnamePath(p: string): string {
  const parts = splitPath(p);
  if (parts.length === 0) return '.';
  if (parts.length === 1) {
    if (parts[0] === '/') return '/';
    if (parts[0].charCodeAt(0) === 126) return dirnamePath(expandTilde(parts[0]));
    return '.';
  }
  return joinPath(parts.slice(0, -1));
}

export function tailPath(p: string): string {
  const parts = splitPath(p);
  if (parts.length === 0) return '';
  if (parts.length === 1) {
    if (parts[0] === '/') return '';
    if (parts[0].charCodeAt(0) === 126) return tailPath(expandTilde(parts[0]));
    return parts[0];
  }
  return parts[parts.length - 1];
}

/** Index of the extension's dot in p, or -1. */
function extensionDot(p: string): number {
  const dot = p.lastIndexOf('.');
  const sep = p.lastIndexOf('/');
  if (dot < 0 || sep > dot) return -1;
  return dot;
}

export function rootnamePath(p: string): string {
  const d = extensionDot(p);
  return d < 0 ? p : p.slice(0, d);
}

export function extensionPath(p: string): string {
  const d = extensionDot(p);
  return d < 0 ? '' : p.slice(d);
}

/** `file nativename`: tilde expanded, doubled and trailing separators dropped. */
export function nativePath(p: string): string {
  const e = expandTilde(p);
  let out = e.replace(/\/+/g, '/');
  if (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return out;
}

/**
 * `file normalize`: absolute, no . or .. components, symbolic links resolved in every component
 * but the last (as Tcl does).
 */
export function normalizePath(p: string): string {
  if (p.length === 0) return '';
  let abs = expandTilde(p);
  if (abs.charCodeAt(0) !== 47) abs = process.cwd() + '/' + abs;
  const comps = abs.split('/').filter((c) => c.length > 0);
  let resolved = '';
  let real = true;
  for (let i = 0; i < comps.length; i++) {
    const c = comps[i];
    if (c === '.') continue;
    if (c === '..') {
      const k = resolved.lastIndexOf('/');
      resolved = k <= 0 ? '' : resolved.slice(0, k);
      continue;
    }
    const cand = resolved + '/' + c;
    if (real && i < comps.length - 1) {
      try {
        const st = fs.lstatSync(cand);
        if (st.isSymbolicLink()) {
          resolved = fs.realpathSync(cand);
          if (resolved === '/') resolved = '';
          continue;
        }
      } catch {
        real = false;
      }
    }
    resolved = cand;
  }
  return resolved === '' ? '/' : resolved;
}

export function pathType(p: string): string {
  return isAbsolutePath(p) ? 'absolute' : 'relative';
}
