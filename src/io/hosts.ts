/**
 * Host names for sockets: forward resolution through the addon's getaddrinfo, and the reverse
 * lookup Tcl does for -peername/-sockname (getnameinfo with NI_NAMEREQD, falling back to the
 * numeric address). The addon has no getnameinfo, so reverse lookups read /etc/hosts, which is
 * where the system's resolver finds loopback names too; addresses not listed there stay numeric.
 */
import * as fs from 'node:fs';
import * as native from '../native/index.js';

let hostsCache: Map<string, string> | null = null;
let hostsStamp = -1;

function hostsTable(): Map<string, string> {
  let mtime = 0;
  try {
    mtime = fs.statSync('/etc/hosts').mtimeMs;
  } catch {
    mtime = 0;
  }
  if (hostsCache !== null && mtime === hostsStamp) return hostsCache;
  const map = new Map<string, string>();
  try {
    for (const raw of fs.readFileSync('/etc/hosts', 'latin1').split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (line.length === 0) continue;
      const f = line.split(/\s+/);
      if (f.length < 2) continue;
      const addr = canonicalAddress(f[0]);
      if (!map.has(addr)) map.set(addr, f[1]);
    }
  } catch {
    // No hosts file: every address stays numeric.
  }
  hostsCache = map;
  hostsStamp = mtime;
  return map;
}

/** v4-mapped IPv6 addresses (from a dual-stack socket) are shown as the IPv4 address. */
export function canonicalAddress(addr: string): string {
  if (addr.length < 8 || addr.charCodeAt(0) !== 58) return addr;
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  return m === null ? addr : m[1];
}

/** The host name for an address, or the address itself. */
export function reverseLookup(addr: string): string {
  const a = canonicalAddress(addr);
  if (a === '0.0.0.0' || a === '::') return a;
  return hostsTable().get(a) ?? a;
}

export function isIPv4(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s);
}

export function isIPv6(s: string): boolean {
  return s.includes(':') && /^[0-9a-fA-F:.%a-zA-Z]+$/.test(s);
}

/** Addresses for a host name (numeric ones stand for themselves), in the resolver's order. */
export function resolveHost(host: string): string[] {
  if (isIPv4(host) || isIPv6(host)) return [host];
  return native.getaddrinfo(host, 0);
}

/** A port number or service name (/etc/services), as TclSockGetPort reads it; null if neither. */
export function serviceToPort(name: string): number | null {
  try {
    for (const raw of fs.readFileSync('/etc/services', 'latin1').split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (line.length === 0) continue;
      const f = line.split(/\s+/);
      const m = /^(\d+)\/tcp$/.exec(f[1] ?? '');
      if (m === null) continue;
      if (f[0] === name || f.slice(2).includes(name)) return Number(m[1]);
    }
  } catch {
    // No services file: only numbers work.
  }
  return null;
}
