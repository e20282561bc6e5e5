/**
 * Files: open (files and, through exec.ts, command pipelines), the `file` ensemble, pwd and cd.
 * File system calls are node:fs's synchronous ones (plain system calls on this thread, nothing
 * left running in Node's loop); channels themselves are raw fds through the addon.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { getInt32, getWide } from '../values/number.js';
import { formatStringList } from '../values/listFormat.js';
import { globMatch } from '../values/glob.js';
import { OK } from '../engine/codes.js';
import { wrongNumArgs, getIndexFromTable } from '../engine/args.js';
import { createEnsemble } from '../engine/ensemble.js';
import type { Interp } from '../engine/interp.js';
import * as native from '../native/index.js';
import { Trans } from '../io/channel.js';
import { FileChannel } from '../io/fileChannel.js';
import { registerChannel, claimStdSlot, channelNames } from '../io/table.js';
import { errnoCodeOf, posixError, posixErrorCode, posixMessage } from '../io/errno.js';
import {
  splitPath,
  joinPath,
  dirnamePath,
  tailPath,
  rootnamePath,
  extensionPath,
  nativePath,
  normalizePath,
  pathType,
  expandTilde,
  userName,
  groupName,
  userId,
  groupId,
  setHomeLookup,
} from '../io/paths.js';
import { openPipeline } from './exec.js';

const EMPTY = TclObj.EMPTY;

function str(o: TclObj): string {
  return o.toString();
}

// ------------------------------------------------------------------ open

const FLAG_NAMES = ['RDONLY', 'WRONLY', 'RDWR', 'APPEND', 'BINARY', 'CREAT', 'EXCL', 'NOCTTY', 'NONBLOCK', 'TRUNC'];

interface OpenMode {
  flags: number;
  binary: boolean;
  readable: boolean;
  writable: boolean;
}

/** Parse an access mode: "r", "w+", "ab" ... or a list of POSIX flag names. */
export function parseAccessMode(mode: string): OpenMode {
  const m = /^([rwa])(\+?)(b?)(\+?)$/.exec(mode);
  if (m !== null && !(m[2] === '+' && m[4] === '+')) {
    const plus = m[2] === '+' || m[4] === '+';
    const binary = m[3] === 'b';
    let flags: number;
    switch (m[1]) {
      case 'r':
        flags = plus ? native.O_RDWR : native.O_RDONLY;
        break;
      case 'w':
        flags = (plus ? native.O_RDWR : native.O_WRONLY) | native.O_CREAT | native.O_TRUNC;
        break;
      default:
        flags = (plus ? native.O_RDWR : native.O_WRONLY) | native.O_CREAT | native.O_APPEND;
    }
    return { flags, binary, readable: m[1] === 'r' || plus, writable: m[1] !== 'r' || plus };
  }
  let words: readonly TclObj[];
  try {
    words = getList(TclObj.fromString(mode));
  } catch {
    throw new TclError(`illegal access mode "${mode}"`);
  }
  if (words.length === 1 && !FLAG_NAMES.includes(words[0].toString()) && /^[a-z+]*$/.test(mode)) {
    throw new TclError(`illegal access mode "${mode}"`);
  }
  let flags = 0;
  let access = -1;
  let binary = false;
  for (const w of words) {
    const s = w.toString();
    switch (s) {
      case 'RDONLY':
        access = native.O_RDONLY;
        break;
      case 'WRONLY':
        access = native.O_WRONLY;
        break;
      case 'RDWR':
        access = native.O_RDWR;
        break;
      case 'APPEND':
        flags |= native.O_APPEND;
        break;
      case 'BINARY':
        binary = true;
        break;
      case 'CREAT':
        flags |= native.O_CREAT;
        break;
      case 'EXCL':
        flags |= native.O_EXCL;
        break;
      case 'NOCTTY':
        flags |= native.O_NOCTTY;
        break;
      case 'NONBLOCK':
        flags |= native.O_NONBLOCK;
        break;
      case 'TRUNC':
        flags |= native.O_TRUNC;
        break;
      default:
        throw new TclError(`invalid access mode "${s}": must be RDONLY, WRONLY, RDWR, APPEND, BINARY, CREAT, EXCL, NOCTTY, NONBLOCK, or TRUNC`);
    }
  }
  if (access < 0) throw new TclError('access mode must include either RDONLY, WRONLY, or RDWR');
  return {
    flags: flags | access,
    binary,
    readable: access !== native.O_WRONLY,
    writable: access !== native.O_RDONLY,
  };
}

function openCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2 || objv.length > 4) wrongNumArgs(objv, 1, 'fileName ?access? ?permissions?');
  const name = str(objv[1]);
  const modeStr = objv.length > 2 ? str(objv[2]) : 'r';
  let perms = 0o666;
  if (objv.length > 3) perms = getInt32(objv[3]);
  if (name.charCodeAt(0) === 124) {
    const mode = parseAccessMode(modeStr);
    const ch = openPipeline(interp, name.slice(1), mode.readable, mode.writable);
    if (mode.binary) ch.setTranslation(Trans.Binary, Trans.Binary);
    interp.result = TclObj.fromString(ch.name);
    return OK;
  }
  const mode = parseAccessMode(modeStr);
  let fd: number;
  try {
    fd = native.openFile(expandTilde(name), mode.flags, perms);
  } catch (e) {
    if (e instanceof TclError) throw e;
    throw posixError(`couldn't open "${name}"`, errnoCodeOf(e));
  }
  if (mode.flags & native.O_APPEND) {
    try {
      native.lseek(fd, 0, native.SEEK_END);
    } catch {
      // Not seekable (a fifo): appending needs no position.
    }
  }
  const ch = new FileChannel(`file${fd}`, fd, mode.readable, mode.writable);
  if (mode.binary) ch.setTranslation(Trans.Binary, Trans.Binary);
  claimStdSlot(ch);
  registerChannel(interp, ch);
  interp.result = TclObj.fromString(ch.name);
  return OK;
}

// ------------------------------------------------------------------ pwd, cd

function pwdCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 1) wrongNumArgs(objv, 1, '');
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch (e) {
    throw posixError('error getting working directory name', errnoCodeOf(e));
  }
  interp.result = TclObj.fromString(cwd);
  return OK;
}

function cdCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 2) wrongNumArgs(objv, 1, '?dirName?');
  const dir = objv.length === 2 ? str(objv[1]) : '~';
  let target: string;
  target = expandTilde(dir);
  try {
    process.chdir(target);
  } catch (e) {
    throw posixError(`couldn't change working directory to "${dir}"`, errnoCodeOf(e));
  }
  interp.result = EMPTY;
  return OK;
}

// ------------------------------------------------------------------ file: queries

function statOf(name: string, link: boolean): fs.Stats {
  try {
    const p = expandTilde(name);
    return link ? fs.lstatSync(p) : fs.statSync(p);
  } catch (e) {
    if (e instanceof TclError) throw e;
    throw posixError(`could not read "${name}"`, errnoCodeOf(e));
  }
}

function tryStat(name: string, link = false): fs.Stats | null {
  try {
    const p = expandTilde(name);
    return link ? fs.lstatSync(p) : fs.statSync(p);
  } catch {
    return null;
  }
}

function typeName(st: fs.Stats): string {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'link';
  if (st.isCharacterDevice()) return 'characterSpecial';
  if (st.isBlockDevice()) return 'blockSpecial';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  return 'unknown';
}

function oneName(objv: TclObj[]): string {
  if (objv.length !== 3) wrongNumArgs(objv, 2, 'name');
  return str(objv[2]);
}

function access(name: string, mode: number): boolean {
  try {
    fs.accessSync(expandTilde(name), mode);
    return true;
  } catch {
    return false;
  }
}

function boolResult(interp: Interp, b: boolean): number {
  interp.result = TclObj.fromBool(b);
  return OK;
}

function secs(ms: number): number {
  return Math.floor(ms / 1000);
}

function fillStatArray(interp: Interp, varName: string, st: fs.Stats): void {
  const set = (k: string, v: TclObj): void => void interp.setVar(varName, v, k);
  set('dev', TclObj.fromInt(st.dev));
  set('ino', TclObj.fromInt(st.ino));
  set('nlink', TclObj.fromInt(st.nlink));
  set('uid', TclObj.fromInt(st.uid));
  set('gid', TclObj.fromInt(st.gid));
  set('size', TclObj.fromInt(st.size));
  set('atime', TclObj.fromInt(secs(st.atimeMs)));
  set('mtime', TclObj.fromInt(secs(st.mtimeMs)));
  set('ctime', TclObj.fromInt(secs(st.ctimeMs)));
  set('mode', TclObj.fromInt(st.mode));
  set('type', TclObj.fromString(typeName(st)));
  set('blksize', TclObj.fromInt(st.blksize));
  set('blocks', TclObj.fromInt(st.blocks));
}

function fileStat(link: boolean) {
  return (interp: Interp, objv: TclObj[]): number => {
    if (objv.length !== 4) wrongNumArgs(objv, 2, 'name varName');
    const st = statOf(str(objv[2]), link);
    fillStatArray(interp, str(objv[3]), st);
    interp.result = EMPTY;
    return OK;
  };
}

function fileTime(which: 'atime' | 'mtime') {
  return (interp: Interp, objv: TclObj[]): number => {
    if (objv.length !== 3 && objv.length !== 4) wrongNumArgs(objv, 2, 'name ?time?');
    const name = str(objv[2]);
    if (objv.length === 4) {
      const t = Number(getWide(objv[3]));
      const st = statOf(name, false);
      const at = which === 'atime' ? t : st.atimeMs / 1000;
      const mt = which === 'mtime' ? t : st.mtimeMs / 1000;
      try {
        fs.utimesSync(expandTilde(name), at, mt);
      } catch (e) {
        throw posixError(`could not set ${which === 'atime' ? 'access' : 'modification'} time for file "${name}"`, errnoCodeOf(e));
      }
    }
    const st = statOf(name, false);
    interp.result = TclObj.fromInt(secs(which === 'atime' ? st.atimeMs : st.mtimeMs));
    return OK;
  };
}

// ------------------------------------------------------------------ file attributes

const ATTRS = ['-group', '-owner', '-permissions'];

function permString(mode: number): string {
  return '0' + (mode & 0o7777).toString(8).padStart(4, '0');
}

/** Symbolic permissions: "rwxr-xr-x" or "u+x,go-w" forms, applied to `mode`. */
function parseSymbolicMode(spec: string, mode: number): number | null {
  if (/^[rwxsStTl-]{9}$/.test(spec)) {
    let m = 0;
    const bits = [0o400, 0o200, 0o100, 0o40, 0o20, 0o10, 0o4, 0o2, 0o1];
    for (let i = 0; i < 9; i++) {
      const c = spec[i];
      if (c !== '-' && c !== 'S' && c !== 'T') m |= bits[i];
      if (c === 's' || c === 'S') m |= i === 2 ? 0o4000 : 0o2000;
      if (c === 't' || c === 'T') m |= 0o1000;
    }
    return m;
  }
  let m = mode & 0o7777;
  for (const clause of spec.split(',')) {
    const r = /^([ugoa]*)([-+=])([rwxst]*)$/.exec(clause);
    if (r === null) return null;
    let who = 0;
    const w = r[1] === '' ? 'a' : r[1];
    if (w.includes('u') || w.includes('a')) who |= 0o4700;
    if (w.includes('g') || w.includes('a')) who |= 0o2070;
    if (w.includes('o') || w.includes('a')) who |= 0o1007;
    let what = 0;
    if (r[3].includes('r')) what |= 0o444;
    if (r[3].includes('w')) what |= 0o222;
    if (r[3].includes('x')) what |= 0o111;
    if (r[3].includes('s')) what |= 0o6000;
    if (r[3].includes('t')) what |= 0o1000;
    what &= who;
    if (r[2] === '+') m |= what;
    else if (r[2] === '-') m &= ~what;
    else m = (m & ~who) | what;
  }
  return m;
}

function getAttr(name: string, k: number): string {
  const st = statOf(name, false);
  if (k === 0) return groupName(st.gid);
  if (k === 1) return userName(st.uid);
  return permString(st.mode);
}

function setAttr(name: string, k: number, value: TclObj): void {
  const p = expandTilde(name);
  const v = str(value);
  if (k === 2) {
    const st = statOf(name, false);
    let mode: number | null = null;
    try {
      mode = Number(getWide(value));
    } catch {
      mode = parseSymbolicMode(v, st.mode);
    }
    if (mode === null) throw new TclError(`unknown permission string format "${v}"`);
    try {
      fs.chmodSync(p, mode & 0o7777);
    } catch (e) {
      throw posixError(`could not set permissions for file "${name}"`, errnoCodeOf(e));
    }
    return;
  }
  const id = /^\d+$/.test(v) ? Number(v) : k === 0 ? groupId(v) : userId(v);
  if (id === null) throw new TclError(`could not find ${k === 0 ? 'group' : 'user'} "${v}"`);
  try {
    if (k === 0) fs.chownSync(p, -1, id);
    else fs.chownSync(p, id, -1);
  } catch (e) {
    throw posixError(`could not set ${k === 0 ? 'group' : 'owner'} for file "${name}"`, errnoCodeOf(e));
  }
}

function fileAttributes(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 3) wrongNumArgs(objv, 2, 'name ?-option value ...?');
  const name = str(objv[2]);
  if (objv.length === 3) {
    statOf(name, false);
    const out: string[] = [];
    for (let k = 0; k < ATTRS.length; k++) out.push(ATTRS[k], getAttr(name, k));
    interp.result = TclObj.fromString(formatStringList(out));
    return OK;
  }
  if (objv.length === 4) {
    const k = getIndexFromTable(objv[3], ATTRS, 'option');
    interp.result = TclObj.fromString(getAttr(name, k));
    return OK;
  }
  if (objv.length % 2 !== 1) wrongNumArgs(objv, 2, 'name ?-option value ...?');
  statOf(name, false);
  for (let i = 3; i < objv.length; i += 2) {
    const k = getIndexFromTable(objv[i], ATTRS, 'option');
    setAttr(name, k, objv[i + 1]);
  }
  interp.result = EMPTY;
  return OK;
}

// ------------------------------------------------------------------ file: changes

/** Parse leading -force / -- options of copy, rename and delete. */
function parseForce(objv: TclObj[], from: number, allowForce: boolean): { force: boolean; next: number } {
  let force = false;
  let i = from;
  for (; i < objv.length; i++) {
    const s = str(objv[i]);
    if (s.charCodeAt(0) !== 45) break;
    if (s === '--') {
      i++;
      break;
    }
    if (allowForce && s === '-force') force = true;
    else throw new TclError(`bad option "${s}": must be -force or --`, `TCL LOOKUP INDEX option ${formatStringList([s])}`);
  }
  return { force, next: i };
}

function fileMkdir(interp: Interp, objv: TclObj[]): number {
  for (let i = 2; i < objv.length; i++) {
    const name = str(objv[i]);
    const p = expandTilde(name);
    const parts = splitPath(p);
    let cur = '';
    for (let k = 0; k < parts.length; k++) {
      cur = joinPath([cur, parts[k]]);
      const st = tryStat(cur);
      if (st !== null) {
        if (st.isDirectory()) continue;
        throw posixError(`can't create directory "${cur}"`, 'EEXIST');
      }
      try {
        fs.mkdirSync(cur);
      } catch (e) {
        const code = errnoCodeOf(e);
        // Another process may have made it meanwhile.
        if (code === 'EEXIST' && tryStat(cur)?.isDirectory()) continue;
        throw posixError(`can't create directory "${cur}"`, code);
      }
    }
  }
  interp.result = EMPTY;
  return OK;
}

function fileDelete(interp: Interp, objv: TclObj[]): number {
  const { force, next } = parseForce(objv, 2, true);
  for (let i = next; i < objv.length; i++) {
    const name = str(objv[i]);
    let p: string;
    try {
      p = expandTilde(name);
    } catch (e) {
      if (force) continue;
      throw e;
    }
    const st = tryStat(p, true);
    if (st === null) continue;
    try {
      if (st.isDirectory()) {
        if (force) fs.rmSync(p, { recursive: true, force: true });
        else fs.rmdirSync(p);
      } else fs.unlinkSync(p);
    } catch (e) {
      let code = errnoCodeOf(e);
      if (code === 'ENOTEMPTY') {
        throw new TclError(`error deleting "${name}": directory not empty`, posixErrorCode('EEXIST'));
      }
      if (code === 'EISDIR') code = 'EISDIR';
      throw posixError(`error deleting "${name}"`, code);
    }
  }
  interp.result = EMPTY;
  return OK;
}

function copyRecursive(src: string, dst: string): void {
  const st = fs.lstatSync(src);
  if (st.isDirectory()) {
    fs.mkdirSync(dst, { mode: st.mode & 0o7777 });
    for (const e of fs.readdirSync(src)) copyRecursive(src + '/' + e, dst + '/' + e);
    fs.chmodSync(dst, st.mode & 0o7777);
    return;
  }
  if (st.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(src), dst);
    return;
  }
  fs.copyFileSync(src, dst);
  fs.chmodSync(dst, st.mode & 0o7777);
  fs.utimesSync(dst, st.atime, st.mtime);
}

function removeAny(p: string): void {
  fs.rmSync(p, { recursive: true, force: true });
}

function fileCopyRename(rename: boolean) {
  return (interp: Interp, objv: TclObj[]): number => {
    const verb = rename ? 'renaming' : 'copying';
    const { force, next } = parseForce(objv, 2, true);
    const args = objv.slice(next).map(str);
    if (args.length < 2) wrongNumArgs(objv, 2, '?-option value ...? source ?source ...? target');
    const target = args[args.length - 1];
    const sources = args.slice(0, -1);
    const tgt = expandTilde(target);
    const tst = tryStat(tgt);
    const intoDir = tst !== null && tst.isDirectory();
    if (sources.length > 1 && !intoDir) {
      throw new TclError(`error ${verb}: target "${target}" is not a directory`, posixErrorCode('ENOTDIR'));
    }
    for (const src of sources) {
      const sp = expandTilde(src);
      const sst = tryStat(sp, true);
      if (sst === null) throw posixError(`error ${verb} "${src}"`, 'ENOENT');
      const destName = intoDir ? joinPath([target, tailPath(src)]) : target;
      const dp = expandTilde(destName);
      const dst = tryStat(dp, true);
      if (dst !== null) {
        if (!force) throw posixError(`error ${verb} "${src}" to "${destName}"`, 'EEXIST');
        if (dst.isDirectory() && sst.isDirectory()) {
          let empty = true;
          try {
            empty = fs.readdirSync(dp).length === 0;
          } catch {
            empty = false;
          }
          if (!empty) throw posixError(`error ${verb} "${src}" to "${destName}"`, 'EEXIST');
        }
        if (dst.isDirectory() && !sst.isDirectory()) {
          throw posixError(`can't overwrite directory "${destName}" with file "${src}"`, 'EISDIR');
        }
        if (!dst.isDirectory() && sst.isDirectory()) {
          throw posixError(`can't overwrite file "${destName}" with directory "${src}"`, 'ENOTDIR');
        }
      }
      try {
        if (rename) {
          try {
            if (dst !== null && dst.isDirectory()) fs.rmdirSync(dp);
            fs.renameSync(sp, dp);
          } catch (e) {
            if (errnoCodeOf(e) !== 'EXDEV') throw e;
            if (dst !== null) removeAny(dp);
            copyRecursive(sp, dp);
            removeAny(sp);
          }
        } else {
          if (dst !== null) removeAny(dp);
          copyRecursive(sp, dp);
        }
      } catch (e) {
        if (e instanceof TclError) throw e;
        throw posixError(`error ${verb} "${src}" to "${destName}"`, errnoCodeOf(e));
      }
    }
    interp.result = EMPTY;
    return OK;
  };
}

function fileLink(interp: Interp, objv: TclObj[]): number {
  let i = 2;
  let kind = 0;
  if (objv.length > 3 && str(objv[2]).charCodeAt(0) === 45) {
    kind = getIndexFromTable(objv[2], ['-symbolic', '-hard'], 'option') + 1;
    i++;
  }
  const rest = objv.length - i;
  if (rest < 1 || rest > 2) wrongNumArgs(objv, 2, '?-linktype? linkname ?target?');
  const name = str(objv[i]);
  if (rest === 1) {
    try {
      interp.result = TclObj.fromString(fs.readlinkSync(expandTilde(name)));
    } catch (e) {
      if (e instanceof TclError) throw e;
      throw posixError(`could not read link "${name}"`, errnoCodeOf(e));
    }
    return OK;
  }
  const target = str(objv[i + 1]);
  const lp = expandTilde(name);
  if (tryStat(lp, true) !== null) {
    throw posixError(`could not create new link "${name}": that path already exists`, 'EEXIST');
  }
  // A relative target is relative to the link's directory.
  const tp = expandTilde(target);
  const resolved = tp.charCodeAt(0) === 47 ? tp : joinPath([dirnamePath(lp), tp]);
  if (tryStat(resolved, true) === null) {
    throw posixError(`could not create new link "${name}" since target "${target}" doesn't exist`, 'ENOENT');
  }
  try {
    if (kind === 2) fs.linkSync(resolved, lp);
    else fs.symlinkSync(tp, lp);
  } catch (e) {
    throw posixError(`could not create new link "${name}" pointing to "${target}"`, errnoCodeOf(e));
  }
  interp.result = TclObj.fromString(target);
  return OK;
}

function fileReadlink(interp: Interp, objv: TclObj[]): number {
  const name = oneName(objv);
  try {
    interp.result = TclObj.fromString(fs.readlinkSync(expandTilde(name)));
  } catch (e) {
    if (e instanceof TclError) throw e;
    throw posixError(`could not read link "${name}"`, errnoCodeOf(e));
  }
  return OK;
}

let tempCounter = 0;

function fileTempfile(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 4) wrongNumArgs(objv, 2, '?nameVar? ?template?');
  let dir = process.env.TMPDIR || '/tmp';
  let prefix = 'tcl';
  let suffix = '';
  if (objv.length === 4) {
    const tpl = str(objv[3]);
    if (tpl.includes('/')) {
      dir = dirnamePath(tpl);
      prefix = tailPath(tpl);
    } else prefix = tpl;
    const ext = extensionPath(prefix);
    if (ext !== '') {
      suffix = ext;
      prefix = prefix.slice(0, -ext.length);
    }
  }
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (let attempt = 0; attempt < 100; attempt++) {
    let rnd = '';
    const seed = (Date.now() ^ (native.getpid() << 8) ^ ++tempCounter * 7919) >>> 0;
    let x = seed;
    for (let k = 0; k < 6; k++) {
      x = (x * 1103515245 + 12345 + Math.floor(Math.random() * 65536)) >>> 0;
      rnd += chars[x % chars.length];
    }
    const path = `${dir}/${prefix}_${rnd}${suffix}`;
    let fd: number;
    try {
      fd = native.openFile(path, native.O_RDWR | native.O_CREAT | native.O_EXCL, 0o600);
    } catch (e) {
      const code = errnoCodeOf(e);
      if (code === 'EEXIST') continue;
      throw posixError(`couldn't open temporary file`, code);
    }
    const ch = new FileChannel(`file${fd}`, fd, true, true);
    claimStdSlot(ch);
    registerChannel(interp, ch);
    if (objv.length >= 3) interp.setVar(str(objv[2]), TclObj.fromString(path));
    interp.result = TclObj.fromString(ch.name);
    return OK;
  }
  throw new TclError(`couldn't open temporary file: ${posixMessage('EEXIST')}`, posixErrorCode('EEXIST'));
}

// ------------------------------------------------------------------ registration

function pathFn(fn: (p: string) => string) {
  return (interp: Interp, objv: TclObj[]): number => {
    interp.result = TclObj.fromString(fn(oneName(objv)));
    return OK;
  };
}

export function register(interp: Interp): void {
  setHomeLookup(() => {
    try {
      return interp.getVar('::env', 'HOME').toString();
    } catch {
      return undefined;
    }
  });
  interp.createCommand('open', openCmd);
  interp.createCommand('pwd', pwdCmd);
  interp.createCommand('cd', cdCmd);
  createEnsemble(interp, 'file', {
    atime: fileTime('atime'),
    attributes: fileAttributes,
    channels: (ip, objv) => {
      if (objv.length > 3) wrongNumArgs(objv, 2, '?pattern?');
      let names = channelNames(ip);
      if (objv.length === 3) names = names.filter((n) => globMatch(str(objv[2]), n, false));
      ip.result = TclObj.fromList(names.map((n) => TclObj.fromString(n)));
      return OK;
    },
    copy: fileCopyRename(false),
    delete: fileDelete,
    dirname: pathFn(dirnamePath),
    executable: (ip, objv) => boolResult(ip, access(oneName(objv), fs.constants.X_OK)),
    exists: (ip, objv) => boolResult(ip, tryStat(oneName(objv)) !== null),
    extension: pathFn(extensionPath),
    isdirectory: (ip, objv) => boolResult(ip, tryStat(oneName(objv))?.isDirectory() === true),
    isfile: (ip, objv) => boolResult(ip, tryStat(oneName(objv))?.isFile() === true),
    join: (ip, objv) => {
      if (objv.length < 3) wrongNumArgs(objv, 2, 'name ?name ...?');
      ip.result = TclObj.fromString(joinPath(objv.slice(2).map(str)));
      return OK;
    },
    link: fileLink,
    lstat: fileStat(true),
    mkdir: fileMkdir,
    mtime: fileTime('mtime'),
    nativename: pathFn(nativePath),
    normalize: pathFn(normalizePath),
    owned: (ip, objv) => {
      const st = tryStat(oneName(objv));
      return boolResult(ip, st !== null && st.uid === (process.geteuid ? process.geteuid() : os.userInfo().uid));
    },
    pathtype: pathFn(pathType),
    readable: (ip, objv) => boolResult(ip, access(oneName(objv), fs.constants.R_OK)),
    readlink: fileReadlink,
    rename: fileCopyRename(true),
    rootname: pathFn(rootnamePath),
    separator: (ip, objv) => {
      if (objv.length > 3) wrongNumArgs(objv, 2, '?name?');
      ip.result = TclObj.fromString('/');
      return OK;
    },
    size: (ip, objv) => {
      ip.result = TclObj.fromInt(statOf(oneName(objv), false).size);
      return OK;
    },
    split: (ip, objv) => {
      ip.result = TclObj.fromList(splitPath(oneName(objv)).map((p) => TclObj.fromString(p)));
      return OK;
    },
    stat: fileStat(false),
    system: (ip, objv) => {
      oneName(objv);
      ip.result = TclObj.fromList([TclObj.fromString('native')]);
      return OK;
    },
    tail: pathFn(tailPath),
    tempfile: fileTempfile,
    type: (ip, objv) => {
      ip.result = TclObj.fromString(typeName(statOf(oneName(objv), true)));
      return OK;
    },
    volumes: (ip, objv) => {
      if (objv.length !== 2) wrongNumArgs(objv, 2, '');
      ip.result = TclObj.fromList([TclObj.fromString('/')]);
      return OK;
    },
    writable: (ip, objv) => boolResult(ip, access(oneName(objv), fs.constants.W_OK)),
  });
}
