/**
 * `package` and `load`. Packages implemented inside tclshim (Tclx, socketserver) are registered in
 * the builtin table and loaded on `package require`; `load` of a library file named like a builtin
 * package's shared library provides that package without touching the file.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { listOf } from '../values/list.js';
import { OK, ERROR } from '../engine/codes.js';
import { wrongNumArgs, getIndexFromTable } from '../engine/args.js';
import type { Interp } from '../engine/interp.js';
import { TCL_PATCHLEVEL } from '../engine/init.js';

/** A package implemented in tclshim itself. */
export interface BuiltinPackage {
  name: string;
  version: string;
  /** Registers the package's commands. */
  init(interp: Interp): void;
  /** Library file names (basename regexp) that `load` maps onto this package. */
  libraryPattern?: RegExp;
}

const builtins = new Map<string, BuiltinPackage>();

export function registerBuiltinPackage(pkg: BuiltinPackage): void {
  builtins.set(pkg.name, pkg);
}

interface PackageState {
  provided: Map<string, string>;
  ifneeded: Map<string, Map<string, TclObj>>;
  unknown: TclObj | null;
  prefer: string;
}

function state(interp: Interp): PackageState {
  let s = interp.assoc.get('package') as PackageState | undefined;
  if (s === undefined) {
    s = { provided: new Map([['Tcl', TCL_PATCHLEVEL]]), ifneeded: new Map(), unknown: null, prefer: 'stable' };
    interp.assoc.set('package', s);
  }
  return s;
}

// ------------------------------------------------------------------ versions

function parseVersion(v: string): number[] {
  if (!/^\d+((\.|a|b)\d+)*$/.test(v)) throw new TclError(`expected version number but got "${v}"`, 'TCL VALUE VERSION');
  // a/b (alpha/beta) sort below the release: encode as -2/-1 separators.
  const out: number[] = [];
  for (const m of v.matchAll(/(\d+)|([.ab])/g)) {
    if (m[1] !== undefined) out.push(parseInt(m[1], 10));
    else if (m[2] === 'a') out.push(-2);
    else if (m[2] === 'b') out.push(-1);
  }
  return out;
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x[i] ?? 0;
    const q = y[i] ?? 0;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

/** Tcl's requirement forms: "min", "min-", "min-max". */
function satisfies(version: string, req: string): boolean {
  const dash = req.indexOf('-');
  if (dash < 0) {
    parseVersion(req);
    const major = req.split(/[.ab]/)[0];
    if (version.split(/[.ab]/)[0] !== major) return false;
    return compareVersions(version, req) >= 0;
  }
  const min = req.slice(0, dash);
  const max = req.slice(dash + 1);
  if (compareVersions(version, min) < 0) return false;
  if (max === '') return true;
  return compareVersions(version, max) < 0;
}

function satisfiesAll(version: string, reqs: readonly string[]): boolean {
  return reqs.length === 0 || reqs.some((r) => satisfies(version, r));
}

// ------------------------------------------------------------------ require

function conflict(name: string, have: string, reqs: readonly string[], exact: boolean): never {
  const need = exact ? `exactly ${reqs[0]}` : reqs.join(' ');
  throw new TclError(`version conflict for package "${name}": have ${have}, need ${need}`, 'TCL PACKAGE VERSIONCONFLICT');
}

/** `package require`: returns the version provided. */
export function requirePackage(interp: Interp, name: string, reqs: string[], exact: boolean): string {
  const st = state(interp);
  const check = (have: string) => {
    if (exact ? compareVersions(have, reqs[0]) !== 0 : !satisfiesAll(have, reqs)) conflict(name, have, reqs, exact);
    return have;
  };
  const have = st.provided.get(name);
  if (have !== undefined) return check(have);
  const builtin = builtins.get(name);
  if (builtin !== undefined && !st.ifneeded.has(name)) {
    builtin.init(interp);
    st.provided.set(name, builtin.version);
    return check(builtin.version);
  }
  const scripts = st.ifneeded.get(name);
  if (scripts !== undefined && scripts.size > 0) {
    const candidates = [...scripts.keys()].filter((v) => (exact ? compareVersions(v, reqs[0]) === 0 : satisfiesAll(v, reqs)));
    candidates.sort(compareVersions);
    const best = candidates[candidates.length - 1];
    if (best !== undefined) {
      const code = interp.evalObj(scripts.get(best)!);
      if (code === ERROR) {
        interp.addErrorInfo(`\n    ("package ifneeded ${name} ${best}" script)`);
        throw new TclError(interp.result.toString(), interp.errorCode).withInfo(interp.currentErrorInfo());
      }
      const now = st.provided.get(name);
      if (now === undefined) throw new TclError(`attempt to provide package ${name} ${best} failed: no version of package ${name} provided`, 'TCL PACKAGE UNPROVIDED');
      return check(now);
    }
  }
  throw new TclError(`can't find package ${name}${reqs.length > 0 ? ' ' + reqs.join(' ') : ''}`, 'TCL PACKAGE UNFOUND');
}

function packageCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) wrongNumArgs(objv, 1, 'option ?arg ...?');
  const opts = ['forget', 'ifneeded', 'names', 'prefer', 'present', 'provide', 'require', 'unknown', 'vcompare', 'versions', 'vsatisfies'];
  const opt = opts[getIndexFromTable(objv[1], opts, 'option')];
  const st = state(interp);
  const args = objv.slice(2).map((o) => o.toString());
  const set = (v: TclObj) => {
    interp.result = v;
    return OK;
  };
  switch (opt) {
    case 'require':
    case 'present': {
      let exact = false;
      if (args[0] === '-exact') {
        exact = true;
        args.shift();
      }
      if (args.length === 0 || (exact && args.length !== 2)) wrongNumArgs(objv, 2, '?-exact? package ?requirement ...?');
      const [name, ...reqs] = args;
      for (const r of reqs) parseVersion(r.split('-')[0]);
      if (opt === 'present') {
        const have = st.provided.get(name);
        if (have === undefined) throw new TclError(`package ${name} is not present`, `TCL LOOKUP PACKAGE ${name}`);
        if (exact ? compareVersions(have, reqs[0]) !== 0 : !satisfiesAll(have, reqs)) conflict(name, have, reqs, exact);
        return set(TclObj.fromString(have));
      }
      return set(TclObj.fromString(requirePackage(interp, name, reqs, exact)));
    }
    case 'provide': {
      if (args.length < 1 || args.length > 2) wrongNumArgs(objv, 2, 'package ?version?');
      if (args.length === 1) return set(TclObj.fromString(st.provided.get(args[0]) ?? ''));
      parseVersion(args[1]);
      const have = st.provided.get(args[0]);
      if (have !== undefined && compareVersions(have, args[1]) !== 0) {
        throw new TclError(`conflicting versions provided for package "${args[0]}": ${have}, then ${args[1]}`, 'TCL PACKAGE VERSIONCONFLICT');
      }
      st.provided.set(args[0], args[1]);
      return set(TclObj.EMPTY);
    }
    case 'ifneeded': {
      if (args.length < 2 || args.length > 3) wrongNumArgs(objv, 2, 'package version ?script?');
      parseVersion(args[1]);
      const m = st.ifneeded.get(args[0]);
      if (args.length === 2) return set(m?.get(args[1]) ?? TclObj.EMPTY);
      let map = m;
      if (map === undefined) st.ifneeded.set(args[0], (map = new Map()));
      map.set(args[1], objv[4]);
      return set(TclObj.EMPTY);
    }
    case 'names': {
      if (args.length !== 0) wrongNumArgs(objv, 2);
      const names = new Set<string>([...st.provided.keys(), ...st.ifneeded.keys(), ...builtins.keys()]);
      return set(listOf([...names]));
    }
    case 'versions': {
      if (args.length !== 1) wrongNumArgs(objv, 2, 'package');
      const m = st.ifneeded.get(args[0]);
      const vs = m === undefined ? [] : [...m.keys()];
      const b = builtins.get(args[0]);
      if (b !== undefined && !vs.includes(b.version)) vs.push(b.version);
      return set(listOf(vs));
    }
    case 'forget':
      for (const a of args) {
        st.provided.delete(a);
        st.ifneeded.delete(a);
      }
      return set(TclObj.EMPTY);
    case 'vcompare':
      if (args.length !== 2) wrongNumArgs(objv, 2, 'version1 version2');
      return set(TclObj.fromInt(compareVersions(args[0], args[1])));
    case 'vsatisfies':
      if (args.length < 2) wrongNumArgs(objv, 2, 'version ?requirement ...?');
      parseVersion(args[0]);
      return set(TclObj.fromBool(satisfiesAll(args[0], args.slice(1))));
    case 'unknown':
      if (args.length > 1) wrongNumArgs(objv, 2, '?command?');
      if (args.length === 1) st.unknown = objv[2];
      return set(st.unknown ?? TclObj.EMPTY);
    case 'prefer':
      if (args.length > 1) wrongNumArgs(objv, 2, '?latest|stable?');
      if (args.length === 1) {
        if (args[0] !== 'latest' && args[0] !== 'stable') throw new TclError(`bad preference "${args[0]}": must be latest or stable`, 'TCL VALUE PREFER');
        if (args[0] === 'latest') st.prefer = 'latest';
      }
      return set(TclObj.fromString(st.prefer));
    default:
      return set(TclObj.EMPTY);
  }
}

function loadCmd(interp: Interp, objv: TclObj[]): number {
  let i = 1;
  while (i < objv.length && /^-(global|lazy)$/.test(objv[i].toString())) i++;
  if (i < objv.length && objv[i].toString() === '--') i++;
  const rest = objv.length - i;
  if (rest < 1 || rest > 3) wrongNumArgs(objv, 1, '?-global? ?-lazy? ?--? fileName ?packageName? ?interp?');
  const file = objv[i].toString();
  const pkgName = rest >= 2 ? objv[i + 1].toString() : '';
  const base = file.slice(file.lastIndexOf('/') + 1);
  for (const pkg of builtins.values()) {
    if ((pkgName !== '' && pkgName.toLowerCase() === pkg.name.toLowerCase()) || (pkg.libraryPattern !== undefined && pkg.libraryPattern.test(base))) {
      const st = state(interp);
      if (!st.provided.has(pkg.name)) {
        pkg.init(interp);
        st.provided.set(pkg.name, pkg.version);
      }
      interp.result = TclObj.EMPTY;
      return OK;
    }
  }
  throw new TclError(`couldn't load file "${file}": ${file}: cannot open shared object file: No such file or directory`, 'NONE');
}

export function register(interp: Interp): void {
  interp.createCommand('package', packageCmd);
  interp.createCommand('load', loadCmd);
}
