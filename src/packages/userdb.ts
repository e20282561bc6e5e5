/**
 * The user and group databases as TclX's `id` reads them (getpwnam, getpwuid, getgrnam, getgrgid,
 * getgroups), from the files behind them. Read on every call: the files may change, and `id` is
 * not a hot path.
 */
import { readFileSync } from 'node:fs';

export interface DbEntry {
  name: string;
  id: number;
  /** Home directory (users only; "" for groups). */
  home: string;
}

function readDb(file: string, isUser: boolean): DbEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: DbEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.length === 0 || line[0] === '#') continue;
    const f = line.split(':');
    if (f.length < 3 || !/^\d+$/.test(f[2])) continue;
    out.push({ name: f[0], id: Number(f[2]), home: isUser ? (f[5] ?? '') : '' });
  }
  return out;
}

/** getpwnam / getgrnam: the first entry with that name. */
export function byName(kind: 'user' | 'group', name: string): DbEntry | null {
  for (const e of readDb(kind === 'user' ? '/etc/passwd' : '/etc/group', kind === 'user')) {
    if (e.name === name) return e;
  }
  return null;
}

/** getpwuid / getgrgid: the first entry with that id (an unsigned 32-bit id). */
export function byId(kind: 'user' | 'group', id: number): DbEntry | null {
  for (const e of readDb(kind === 'user' ? '/etc/passwd' : '/etc/group', kind === 'user')) {
    if (e.id === id) return e;
  }
  return null;
}

/**
 * getgroups(2): the supplementary groups of this process, from the kernel's own record (Node's
 * process.getgroups adds the effective group, which getgroups does not).
 */
export function supplementaryGroups(): number[] {
  let text: string;
  try {
    text = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return process.getgroups ? process.getgroups() : [];
  }
  const m = /^Groups:([^\n]*)$/m.exec(text);
  if (m === null) return [];
  return m[1].split(/\s+/).filter((s) => s.length > 0).map(Number);
}
