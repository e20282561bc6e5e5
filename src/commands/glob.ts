/**
 * glob: file name patterns with Tcl's switches (-directory -join -nocomplain -path -tails -types
 * --), brace alternatives, per-component matching with hidden-file rules, and type filters.
 */
import * as fs from 'node:fs';
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { globMatch, hasGlobChars } from '../values/glob.js';
import { OK } from '../engine/codes.js';
import { getIndexFromTable } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';
import { joinPath, expandTilde } from '../io/paths.js';

const OPTIONS = ['-directory', '-join', '-nocomplain', '-path', '-tails', '-types', '--'];

interface TypeFilter {
  /** File types any of which must match (letters of b c d f l p s), empty = any. */
  types: string;
  perms: string;
  hidden: boolean;
  readonly: boolean;
}

function parseTypes(o: TclObj): TypeFilter {
  const f: TypeFilter = { types: '', perms: '', hidden: false, readonly: false };
  for (const item of getList(o)) {
    const s = item.toString();
    if (s.length === 1 && 'bcdflps'.includes(s)) f.types += s;
    else if (s.length === 1 && 'rwx'.includes(s)) f.perms += s;
    else if (s === 'hidden') f.hidden = true;
    else if (s === 'readonly') f.readonly = true;
    else if (getList(item).length === 2 && getList(item)[0].toString() === 'macintosh') continue;
    else throw new TclError(`bad argument to "-types": ${s}`, 'TCL ARGUMENT BAD');
  }
  return f;
}

function typeLetter(st: fs.Stats): string {
  if (st.isFile()) return 'f';
  if (st.isDirectory()) return 'd';
  if (st.isSymbolicLink()) return 'l';
  if (st.isCharacterDevice()) return 'c';
  if (st.isBlockDevice()) return 'b';
  if (st.isFIFO()) return 'p';
  if (st.isSocket()) return 's';
  return '';
}

function passesFilter(path: string, name: string, f: TypeFilter | null): boolean {
  if (f === null) return true;
  if (f.hidden && !name.startsWith('.')) return false;
  if (f.types.length > 0) {
    let ok = false;
    let lst: fs.Stats | null = null;
    try {
      lst = fs.lstatSync(path);
    } catch {
      return false;
    }
    if (f.types.includes('l') && lst.isSymbolicLink()) ok = true;
    if (!ok) {
      let st: fs.Stats | null = null;
      try {
        st = fs.statSync(path);
      } catch {
        st = null;
      }
      if (st !== null && f.types.includes(typeLetter(st)) && typeLetter(st) !== 'l') ok = true;
    }
    if (!ok) return false;
  }
  for (const p of f.perms) {
    const mode = p === 'r' ? fs.constants.R_OK : p === 'w' ? fs.constants.W_OK : fs.constants.X_OK;
    try {
      fs.accessSync(path, mode);
    } catch {
      return false;
    }
  }
  if (f.readonly) {
    try {
      fs.accessSync(path, fs.constants.W_OK);
      return false;
    } catch {
      // Not writable: read-only as asked.
    }
  }
  return true;
}

/** Expand {a,b} alternatives (the first brace group, recursively). */
function expandBraces(p: string): string[] {
  let open = -1;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') {
      open = i;
      break;
    }
    if (c === '}') throw new TclError('unmatched close-brace in file name', 'TCL OPERATION GLOB BALANCE');
  }
  if (open < 0) return [p];
  let depth = 0;
  let close = -1;
  const cuts: number[] = [];
  for (let i = open; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    } else if (c === ',' && depth === 1) cuts.push(i);
  }
  if (close < 0) throw new TclError('unmatched open-brace in file name', 'TCL OPERATION GLOB BALANCE');
  const head = p.slice(0, open);
  const tail = p.slice(close + 1);
  const out: string[] = [];
  let start = open + 1;
  for (const cut of [...cuts, close]) {
    for (const e of expandBraces(head + p.slice(start, cut) + tail)) out.push(e);
    start = cut + 1;
  }
  return out;
}

function unescape(s: string): string {
  return s.indexOf('\\') < 0 ? s : s.replace(/\\(.)/g, '$1');
}

function isDir(path: string): boolean {
  try {
    return fs.statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    fs.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Match `pattern` (no braces left) under real directory `base`, producing names as the script
 * will see them (`shown` is the displayed prefix).
 */
function matchPattern(pattern: string, base: string, shown: string, filter: TypeFilter | null, out: string[]): void {
  let comps: string[];
  let dir = base;
  let disp = shown;
  let rest = pattern;
  if (rest.startsWith('/')) {
    dir = '/';
    disp = '/';
    rest = rest.replace(/^\/+/, '');
  }
  const wantDir = rest.endsWith('/');
  comps = rest.split('/').filter((c) => c.length > 0);
  if (comps.length === 0) {
    if (exists(dir === '' ? '.' : dir) && passesFilter(dir === '' ? '.' : dir, dir, filter)) out.push(disp === '' ? '.' : disp);
    return;
  }
  const walk = (k: number, real: string, display: string): void => {
    const comp = comps[k];
    const last = k === comps.length - 1;
    const realDir = real === '' ? '.' : real;
    const join = (a: string, b: string): string => (a === '' ? b : a.endsWith('/') ? a + b : a + '/' + b);
    if (!hasGlobChars(comp)) {
      const name = unescape(comp);
      const rp = join(real, name);
      const dp = join(display, name);
      if (last) {
        if (!exists(rp)) return;
        if (wantDir && !isDir(rp)) return;
        if (!passesFilter(rp, name, filter)) return;
        out.push(wantDir ? dp + '/' : dp);
      } else if (isDir(rp)) walk(k + 1, rp, dp);
      return;
    }
    let names: string[];
    try {
      names = fs.readdirSync(realDir);
    } catch {
      return;
    }
    const dotOk = comp.startsWith('.') || (last && filter !== null && filter.hidden);
    if (dotOk) names = ['.', '..', ...names];
    for (const name of names) {
      if (name.startsWith('.') && !dotOk) continue;
      if (!globMatch(comp, name, false)) continue;
      const rp = join(real, name);
      const dp = join(display, name);
      if (last) {
        if (wantDir && !isDir(rp)) continue;
        if (!passesFilter(rp, name, filter)) continue;
        out.push(wantDir ? dp + '/' : dp);
      } else if (isDir(rp)) walk(k + 1, rp, dp);
    }
  };
  walk(0, dir, disp);
}

function globCmd(interp: Interp, objv: TclObj[]): number {
  let dirOpt: string | null = null;
  let pathOpt: string | null = null;
  let join = false;
  let nocomplain = false;
  let tails = false;
  let filter: TypeFilter | null = null;
  let i = 1;
  for (; i < objv.length; i++) {
    const s = objv[i].toString();
    if (s.charCodeAt(0) !== 45) break;
    const k = getIndexFromTable(objv[i], OPTIONS, 'option');
    const needArg = (): TclObj => {
      if (i + 1 >= objv.length) throw new TclError(`missing argument to "${OPTIONS[k]}"`, 'TCL ARGUMENT MISSING');
      return objv[++i];
    };
    if (k === 6) {
      i++;
      break;
    }
    switch (k) {
      case 0:
        if (pathOpt !== null) throw new TclError('"-directory" cannot be used with "-path"', 'TCL OPERATION GLOB BADOPTIONCOMBINATION');
        dirOpt = needArg().toString();
        break;
      case 1:
        join = true;
        break;
      case 2:
        nocomplain = true;
        break;
      case 3:
        if (dirOpt !== null) throw new TclError('"-path" cannot be used with "-directory"', 'TCL OPERATION GLOB BADOPTIONCOMBINATION');
        pathOpt = needArg().toString();
        break;
      case 4:
        tails = true;
        break;
      case 5:
        filter = parseTypes(needArg());
        break;
    }
  }
  if (tails && dirOpt === null && pathOpt === null) {
    throw new TclError('"-tails" must be used with either "-directory" or "-path"', 'TCL OPERATION GLOB BADOPTIONCOMBINATION');
  }
  let patterns = objv.slice(i).map((o) => o.toString());
  if (join && patterns.length > 0) patterns = [joinPath(patterns)];
  const out: string[] = [];
  for (const pat of patterns) {
    for (let p of expandBraces(pat)) {
      let base = '';
      let shown = '';
      if (dirOpt !== null) {
        const d = expandTilde(dirOpt);
        base = d;
        shown = tails ? '' : dirOpt === '' ? '' : d;
        if (p.startsWith('/')) p = p.replace(/^\/+/, '');
        if (!isDir(d)) continue;
      } else if (pathOpt !== null) {
        const full = expandTilde(pathOpt) + p;
        const slash = full.lastIndexOf('/');
        const dirPart = slash < 0 ? '' : full.slice(0, slash + 1);
        const namePat = full.slice(slash + 1);
        base = dirPart === '' ? '' : dirPart;
        shown = tails ? '' : dirPart;
        // The prefix itself is literal: only the part after it is a pattern.
        const litName = pathOpt.slice(pathOpt.lastIndexOf('/') + 1);
        const escaped = litName.replace(/([*?[\]\\{}])/g, '\\$1');
        p = escaped + namePat.slice(litName.length);
        if (base !== '' && !isDir(base)) continue;
      } else if (p.charCodeAt(0) === 126) {
        const slash = p.indexOf('/');
        const head = slash < 0 ? p : p.slice(0, slash);
        const home = expandTilde(head);
        p = home + (slash < 0 ? '' : p.slice(slash));
      }
      matchPattern(p, base, shown, filter, out);
    }
  }
  if (out.length === 0 && !nocomplain) {
    const shownPats = join ? patterns.join(' ') : objv.slice(i).map((o) => o.toString()).join(' ');
    const one = objv.length - i === 1 || join;
    throw new TclError(`no files matched glob pattern${one ? '' : 's'} "${shownPats}"`, 'TCL OPERATION GLOB NOMATCH');
  }
  interp.result = TclObj.fromList(out.map((s) => TclObj.fromString(s)));
  return OK;
}

export function register(interp: Interp): void {
  interp.createCommand('glob', globCmd);
}
