/**
 * The `namespace` ensemble: creation and evaluation, export/import, name resolution queries, paths,
 * unknown handlers and user ensembles (`namespace ensemble`).
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList, listOf } from '../values/list.js';
import { getDict } from '../values/dict.js';
import { formatStringList } from '../values/listFormat.js';
import { globMatch } from '../values/glob.js';
import { OK, ERROR } from '../engine/codes.js';
import { wrongNumArgs } from '../engine/args.js';
import { createEnsemble, ensembleChoices, matchSubcommand } from '../engine/ensemble.js';
import { Frame } from '../engine/frame.js';
import { Command, Namespace, splitQualified, isAbsolute } from '../engine/namespace.js';
import { Var } from '../engine/vars.js';
import type { Interp } from '../engine/interp.js';
import type { CommandProc } from '../engine/namespace.js';

const EMPTY = TclObj.EMPTY;

function ok(interp: Interp, v: TclObj): number {
  interp.result = v;
  return OK;
}

function str(s: string): TclObj {
  return TclObj.fromString(s);
}

/** Look up a namespace or fail with `namespace "x" not found`. */
function needNamespace(interp: Interp, name: string, context = ''): Namespace {
  const ns = interp.findNamespace(name);
  if (ns === null || ns.deleted) {
    throw new TclError(`namespace "${name}" not found${context || ` in "${interp.varFrame.ns.fullName}"`}`, `TCL LOOKUP NAMESPACE ${formatStringList([name])}`);
  }
  return ns;
}

/** Evaluate a script in a namespace in a new frame (namespace eval / inscope). */
export function evalInNamespace(interp: Interp, ns: Namespace, script: TclObj, objv: TclObj[] | null): number {
  const caller = interp.varFrame;
  const frame = new Frame(ns, null, caller.level + 1, caller, objv, false);
  interp.varFrame = frame;
  ns.activations++;
  let code: number;
  try {
    code = interp.evalObj(script);
  } finally {
    interp.varFrame = caller;
    ns.activations--;
  }
  if (code === ERROR) interp.addErrorInfo(`\n    (in namespace eval "${ns.fullName}" script line ${interp.errorLine})`);
  if (ns.deleted && ns.activations === 0) finishDelete(interp, ns);
  return code;
}

function concatWords(objv: readonly TclObj[], from: number): TclObj {
  if (objv.length === from + 1) return objv[from];
  return str(objv.slice(from).map((o) => o.toString().trim()).filter((s) => s.length > 0).join(' '));
}

function nsEval(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 4) wrongNumArgs(objv, 2, 'name arg ?arg...?');
  const ns = interp.ensureNamespace(objv[2].toString());
  return evalInNamespace(interp, ns, concatWords(objv, 3), objv);
}

function nsCurrent(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 2) wrongNumArgs(objv, 2);
  return ok(interp, str(interp.varFrame.ns.fullName));
}

function nsParent(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?name?');
  const ns = objv.length === 3 ? needNamespace(interp, objv[2].toString()) : interp.varFrame.ns;
  return ok(interp, ns.parent === null ? EMPTY : str(ns.parent.fullName));
}

function nsChildren(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 4) wrongNumArgs(objv, 2, '?name? ?pattern?');
  const ns = objv.length >= 3 ? needNamespace(interp, objv[2].toString()) : interp.varFrame.ns;
  let pattern: string | null = objv.length === 4 ? objv[3].toString() : null;
  if (pattern !== null && !isAbsolute(pattern)) pattern = ns.qualify(pattern);
  const out: string[] = [];
  for (const child of ns.children.values()) {
    if (child.deleted) continue;
    if (pattern === null || globMatch(pattern, child.fullName, false)) out.push(child.fullName);
  }
  return ok(interp, listOf(out));
}

function nsExists(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongNumArgs(objv, 2, 'name');
  const ns = interp.findNamespace(objv[2].toString());
  return ok(interp, TclObj.fromBool(ns !== null && !ns.deleted));
}

function nsDelete(interp: Interp, objv: TclObj[]): number {
  const targets: Namespace[] = [];
  for (let i = 2; i < objv.length; i++) {
    const name = objv[i].toString();
    const ns = interp.findNamespace(name);
    if (ns === null || ns.deleted) {
      throw new TclError(`unknown namespace "${name}" in namespace delete command`, `TCL LOOKUP NAMESPACE ${formatStringList([name])}`);
    }
    targets.push(ns);
  }
  for (const ns of targets) deleteNamespace(interp, ns);
  return ok(interp, EMPTY);
}

/** Delete a namespace: it disappears from lookups now, its contents go when no script runs in it. */
export function deleteNamespace(interp: Interp, ns: Namespace): void {
  if (ns.deleted) return;
  if (ns === interp.globalNs) {
    // Deleting :: ends the interpreter in Tcl; here it clears everything but keeps running.
    for (const child of [...ns.children.values()]) deleteNamespace(interp, child);
    return;
  }
  for (const child of [...ns.children.values()]) deleteNamespace(interp, child);
  ns.deleted = true;
  if (ns.parent !== null && ns.parent.children.get(ns.name) === ns) ns.parent.children.delete(ns.name);
  interp.cmdEpoch++;
  if (ns.activations === 0) finishDelete(interp, ns);
}

function finishDelete(interp: Interp, ns: Namespace): void {
  for (const cmd of [...ns.commands.values()]) interp.deleteCommandRecord(cmd, false);
  for (const [name, v] of [...ns.vars]) {
    if (v.isDefined()) interp.unsetWholeVar(v, ns.qualify(name));
  }
  ns.vars.clear();
}

function nsExport(interp: Interp, objv: TclObj[]): number {
  const ns = interp.varFrame.ns;
  let i = 2;
  if (objv.length === 2) return ok(interp, listOf(ns.exportPatterns));
  if (objv[2].toString() === '-clear') {
    ns.exportPatterns = [];
    i = 3;
  }
  for (; i < objv.length; i++) {
    const p = objv[i].toString();
    if (p.indexOf('::') >= 0) {
      throw new TclError(`invalid export pattern "${p}": pattern can't specify a namespace`, 'TCL OPERATION NAMESPACE EXPORT INVALID');
    }
    if (!ns.exportPatterns.includes(p)) ns.exportPatterns.push(p);
  }
  return ok(interp, EMPTY);
}

function isExported(ns: Namespace, name: string): boolean {
  return ns.exportPatterns.some((p) => globMatch(p, name, false));
}

function nsImport(interp: Interp, objv: TclObj[]): number {
  const here = interp.varFrame.ns;
  if (objv.length === 2) {
    const out: string[] = [];
    for (const [name, cmd] of here.commands) if (cmd.importedFrom !== null) out.push(name);
    return ok(interp, listOf(out));
  }
  let i = 2;
  let force = false;
  if (objv[2].toString() === '-force') {
    force = true;
    i = 3;
  }
  for (; i < objv.length; i++) {
    const pattern = objv[i].toString();
    const [q, tailPattern] = splitQualified(pattern);
    if (q === null || q === '') {
      throw new TclError(`empty import pattern`, 'TCL OPERATION NAMESPACE IMPORT EMPTY');
    }
    const src = interp.findNamespace(q);
    if (src === null) throw new TclError(`unknown namespace in import pattern "${pattern}"`, `TCL LOOKUP NAMESPACE ${formatStringList([q])}`);
    if (src === here) throw new TclError(`import pattern "${pattern}" tries to import from namespace "${src.name}" into itself`, 'TCL IMPORT SELF');
    for (const [name, cmd] of src.commands) {
      if (!globMatch(tailPattern, name, false) || !isExported(src, name)) continue;
      const existing = here.commands.get(name);
      const origin = originOf(cmd);
      if (existing !== undefined) {
        if (originOf(existing) === origin) continue;
        if (!force) throw new TclError(`can't import command "${name}": already exists`, 'TCL IMPORT OVERWRITE');
      }
      const imp = interp.installCommand(here, name, (ip, argv) => origin.proc(ip, argv));
      imp.importedFrom = cmd;
      imp.compile = origin.compile;
      imp.procDef = origin.procDef;
      if (cmd.imports === null) cmd.imports = [];
      cmd.imports.push(imp);
    }
  }
  return ok(interp, EMPTY);
}

function originOf(cmd: Command): Command {
  let c = cmd;
  while (c.importedFrom !== null) c = c.importedFrom;
  return c;
}

function nsForget(interp: Interp, objv: TclObj[]): number {
  const here = interp.varFrame.ns;
  for (let i = 2; i < objv.length; i++) {
    const pattern = objv[i].toString();
    const [q, tailPattern] = splitQualified(pattern);
    if (q === null) {
      for (const [name, cmd] of [...here.commands]) {
        if (cmd.importedFrom !== null && globMatch(tailPattern, name, false)) interp.deleteCommandRecord(cmd, false);
      }
      continue;
    }
    const src = interp.findNamespace(q === '' ? '::' : q);
    if (src === null) throw new TclError(`unknown namespace in namespace forget pattern "${pattern}"`, `TCL LOOKUP NAMESPACE ${formatStringList([q])}`);
    for (const [name, cmd] of [...here.commands]) {
      if (cmd.importedFrom === null || !globMatch(tailPattern, name, false)) continue;
      if (originOf(cmd).ns === src || cmd.importedFrom.ns === src) interp.deleteCommandRecord(cmd, false);
    }
  }
  return ok(interp, EMPTY);
}

function nsOrigin(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongNumArgs(objv, 2, 'name');
  const name = objv[2].toString();
  const cmd = interp.findCommand(name);
  if (cmd === null) throw new TclError(`invalid command name "${name}"`, `TCL LOOKUP COMMAND ${formatStringList([name])}`);
  return ok(interp, str(originOf(cmd).fullName()));
}

function nsWhich(interp: Interp, objv: TclObj[]): number {
  let kind = 'command';
  let i = 2;
  if (objv.length === 4) {
    const opt = objv[2].toString();
    if (opt !== '-command' && opt !== '-variable') wrongNumArgs(objv, 2, '?-command? ?-variable? name');
    kind = opt.slice(1);
    i = 3;
  } else if (objv.length !== 3) wrongNumArgs(objv, 2, '?-command? ?-variable? name');
  const name = objv[i].toString();
  if (kind === 'command') {
    const cmd = interp.findCommand(name);
    return ok(interp, cmd === null ? EMPTY : str(cmd.fullName()));
  }
  return ok(interp, str(variableFullName(interp, name)));
}

/** The fully qualified name of a variable as `namespace which -variable` reports it ("" if none). */
function variableFullName(interp: Interp, name: string): string {
  const frame = interp.varFrame;
  if (name.indexOf('::') < 0 && frame.isProc) {
    const v = interp.findVar(name);
    if (v === null) return '';
    return findVarOwner(interp, v) ?? '';
  }
  const [q, tail] = splitQualified(name);
  const candidates: Namespace[] = [];
  if (q === null) {
    candidates.push(frame.ns);
    if (frame.ns !== interp.globalNs) candidates.push(interp.globalNs);
  } else {
    const ns = interp.findNamespace(q === '' ? '::' : q);
    if (ns !== null) candidates.push(ns);
  }
  for (const ns of candidates) {
    const v = ns.vars.get(tail);
    if (v !== undefined && (v.isDefined() || v.flags & 2)) return ns.qualify(tail);
  }
  return '';
}

function findVarOwner(interp: Interp, v: Var): string | null {
  const walk = (ns: Namespace): string | null => {
    for (const [name, x] of ns.vars) if (x === v) return ns.qualify(name);
    for (const c of ns.children.values()) {
      const r = walk(c);
      if (r !== null) return r;
    }
    return null;
  };
  return walk(interp.globalNs);
}

function nsCode(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongNumArgs(objv, 2, 'arg');
  const script = objv[2];
  const s = script.toString();
  if (s.startsWith('::namespace inscope ')) return ok(interp, script);
  return ok(interp, TclObj.fromList([str('::namespace'), str('inscope'), str(interp.varFrame.ns.fullName), script]));
}

function nsInscope(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 4) wrongNumArgs(objv, 2, 'name arg ?arg...?');
  const name = objv[2].toString();
  const ns = interp.findNamespace(name);
  if (ns === null) throw new TclError(`namespace "${name}" not found in "${interp.varFrame.ns.fullName}"`, `TCL LOOKUP NAMESPACE ${formatStringList([name])}`);
  let script: TclObj;
  if (objv.length === 4) script = objv[3];
  else {
    const words = getList(objv[3]).slice();
    for (let i = 4; i < objv.length; i++) words.push(objv[i]);
    script = TclObj.fromList(words);
  }
  return evalInNamespace(interp, ns, script, objv);
}

function nsQualifiers(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongNumArgs(objv, 2, 'string');
  const s = objv[2].toString();
  const i = s.lastIndexOf('::');
  if (i < 0) return ok(interp, EMPTY);
  let q = i;
  while (q > 0 && s.charCodeAt(q - 1) === 58) q--;
  return ok(interp, str(s.slice(0, q)));
}

function nsTail(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) wrongNumArgs(objv, 2, 'string');
  const s = objv[2].toString();
  const i = s.lastIndexOf('::');
  return ok(interp, str(i < 0 ? s : s.slice(i + 2)));
}

function nsPath(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?pathList?');
  const ns = interp.varFrame.ns;
  if (objv.length === 2) return ok(interp, listOf(ns.path.map((p) => p.fullName)));
  ns.path = getList(objv[2]).map((o) => needNamespace(interp, o.toString()));
  interp.cmdEpoch++;
  return ok(interp, EMPTY);
}

function nsUnknown(interp: Interp, objv: TclObj[]): number {
  if (objv.length > 3) wrongNumArgs(objv, 2, '?script?');
  const ns = interp.varFrame.ns;
  if (objv.length === 2) {
    if (ns.unknownHandler !== null) return ok(interp, ns.unknownHandler);
    return ok(interp, ns === interp.globalNs ? str('::unknown') : EMPTY);
  }
  const s = objv[2].toString();
  ns.unknownHandler = s.length === 0 ? null : objv[2];
  return ok(interp, objv[2]);
}

function nsUpvar(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 3 || objv.length % 2 !== 1) wrongNumArgs(objv, 2, 'ns ?otherVar myVar ...?');
  const ns = needNamespace(interp, objv[2].toString());
  for (let i = 3; i < objv.length; i += 2) {
    const other = objv[i].toString();
    const qualified = isAbsolute(other) ? other : ns.qualify(other);
    const v = interp.lookupVarCreate(qualified, qualified);
    interp.linkVar(objv[i + 1].toString(), v);
  }
  return ok(interp, EMPTY);
}

// ------------------------------------------------------------------ ensembles

interface EnsembleConfig {
  ns: Namespace;
  map: Map<string, TclObj> | null;
  subcommands: string[] | null;
  unknown: TclObj | null;
  prefixes: boolean;
  parameters: string[];
}

function ensembleNames(interp: Interp, cfg: EnsembleConfig): string[] {
  if (cfg.subcommands !== null) return [...cfg.subcommands].sort();
  if (cfg.map !== null) return [...cfg.map.keys()].sort();
  const names: string[] = [];
  for (const name of cfg.ns.commands.keys()) if (isExported(cfg.ns, name)) names.push(name);
  void interp;
  return names.sort();
}

function ensembleProc(cfg: EnsembleConfig): CommandProc {
  return (interp, objv) => {
    if (objv.length < 2) wrongNumArgs(objv, 1, 'subcommand ?arg ...?');
    const word = objv[1].toString();
    const names = ensembleNames(interp, cfg);
    let sub = names.includes(word) ? word : cfg.prefixes ? matchSubcommand(names, word) : null;
    if (sub === null) {
      if (cfg.unknown !== null) {
        const words = [...getList(cfg.unknown), objv[0], ...objv.slice(1)];
        const code = interp.evalObjv(words);
        if (code !== OK) return code;
        const target = getList(interp.result);
        if (target.length > 0) return interp.evalObjv([...target, ...objv.slice(2)]);
      }
      throw new TclError(`unknown or ambiguous subcommand "${word}": must be ${ensembleChoices(names)}`, `TCL LOOKUP SUBCOMMAND ${formatStringList([word])}`);
    }
    let target: TclObj[];
    const mapped = cfg.map?.get(sub);
    if (mapped !== undefined) {
      // Map targets that are not fully qualified resolve in the ensemble's namespace.
      target = getList(mapped).slice();
      const head = target[0].toString();
      if (!isAbsolute(head)) target[0] = str(cfg.ns.qualify(head));
    } else target = [str(cfg.ns.qualify(sub))];
    const code = interp.evalObjv([...target, ...objv.slice(2)]);
    if (code === ERROR) rewriteUsage(interp, target, objv);
    return code;
  };
}

/** Show "wrong # args" of a subcommand in terms of the ensemble's own words, as Tcl does. */
function rewriteUsage(interp: Interp, target: readonly TclObj[], objv: readonly TclObj[]): void {
  const msg = interp.result.toString();
  const prefix = 'wrong # args: should be "' + formatStringList(target.map((o) => o.toString()));
  if (!msg.startsWith(prefix)) return;
  interp.result = str('wrong # args: should be "' + formatStringList([objv[0].toString(), objv[1].toString()]) + msg.slice(prefix.length));
  if (interp.errorInfo !== null && interp.errorInfo.startsWith(msg)) interp.errorInfo = interp.result.toString() + interp.errorInfo.slice(msg.length);
}

const ENSEMBLE_OPTIONS = ['-command', '-map', '-namespace', '-parameters', '-prefixes', '-subcommands', '-unknown'];

function nsEnsemble(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 3) wrongNumArgs(objv, 2, 'subcommand ?arg ...?');
  const sub = matchSubcommand(['configure', 'create', 'exists'], objv[2].toString());
  if (sub === null) {
    throw new TclError(`bad subcommand "${objv[2].toString()}": must be configure, create, or exists`, 'TCL LOOKUP INDEX subcommand');
  }
  if (sub === 'exists') {
    if (objv.length !== 4) wrongNumArgs(objv, 3, 'cmdname');
    const cmd = interp.findCommand(objv[3].toString());
    return ok(interp, TclObj.fromBool(cmd !== null && cmd.data?.ensemble === true));
  }
  if (sub === 'create') {
    if (objv.length % 2 !== 1) wrongNumArgs(objv, 3, '?option value ...?');
    const ns = interp.varFrame.ns;
    const cfg: EnsembleConfig = { ns, map: null, subcommands: null, unknown: null, prefixes: true, parameters: [] };
    let cmdName = ns === interp.globalNs ? '::' : ns.fullName;
    for (let i = 3; i < objv.length; i += 2) {
      const opt = objv[i].toString();
      const val = objv[i + 1];
      const o = ENSEMBLE_OPTIONS.find((x) => x === opt) ?? ENSEMBLE_OPTIONS.find((x) => x.startsWith(opt) && opt.length > 1);
      if (o === undefined) throw new TclError(`bad option "${opt}": must be ${ensembleChoices(ENSEMBLE_OPTIONS).replace(', or ', ', or ')}`, 'TCL LOOKUP INDEX option');
      if (o === '-command') cmdName = val.toString();
      else if (o === '-map') cfg.map = new Map(getDict(val));
      else if (o === '-subcommands') cfg.subcommands = getList(val).map((x) => x.toString());
      else if (o === '-unknown') cfg.unknown = val.toString() === '' ? null : val;
      else if (o === '-prefixes') cfg.prefixes = val.toString() !== '0' && val.toString() !== 'false';
      else if (o === '-parameters') cfg.parameters = getList(val).map((x) => x.toString());
    }
    const qualified = isAbsolute(cmdName) ? cmdName : ns.qualify(cmdName);
    const cmd = interp.createCommand(qualified, ensembleProc(cfg));
    cmd.data = { ensemble: true, cfg };
    return ok(interp, str(cmd.fullName()));
  }
  // configure
  if (objv.length < 4) wrongNumArgs(objv, 3, 'cmdname ?-option value ...? ?arg ...?');
  const cmd = interp.findCommand(objv[3].toString());
  if (cmd === null || cmd.data?.ensemble !== true) {
    throw new TclError(`"${objv[3].toString()}" is not an ensemble command`, 'TCL LOOKUP ENSEMBLE');
  }
  const cfg = cmd.data.cfg as EnsembleConfig;
  if (objv.length === 4) {
    const out: TclObj[] = [];
    for (const o of ENSEMBLE_OPTIONS) out.push(str(o), ensembleOption(cfg, o));
    return ok(interp, TclObj.fromList(out));
  }
  if (objv.length === 5) return ok(interp, ensembleOption(cfg, objv[4].toString()));
  for (let i = 4; i + 1 < objv.length; i += 2) {
    const o = objv[i].toString();
    const val = objv[i + 1];
    if (o === '-map') cfg.map = val.toString() === '' ? null : new Map(getDict(val));
    else if (o === '-subcommands') cfg.subcommands = val.toString() === '' ? null : getList(val).map((x) => x.toString());
    else if (o === '-unknown') cfg.unknown = val.toString() === '' ? null : val;
    else if (o === '-prefixes') cfg.prefixes = val.toString() !== '0' && val.toString() !== 'false';
    else if (o === '-parameters') cfg.parameters = getList(val).map((x) => x.toString());
  }
  return ok(interp, EMPTY);
}

function ensembleOption(cfg: EnsembleConfig, o: string): TclObj {
  switch (o) {
    case '-map': return cfg.map === null ? EMPTY : TclObj.fromDict(new Map(cfg.map));
    case '-namespace': return str(cfg.ns.fullName);
    case '-parameters': return listOf(cfg.parameters);
    case '-prefixes': return TclObj.fromBool(cfg.prefixes);
    case '-subcommands': return cfg.subcommands === null ? EMPTY : listOf(cfg.subcommands);
    case '-unknown': return cfg.unknown ?? EMPTY;
    default: throw new TclError(`bad option "${o}": must be ${ensembleChoices(ENSEMBLE_OPTIONS)}`, 'TCL LOOKUP INDEX option');
  }
}

export function register(interp: Interp): void {
  createEnsemble(interp, 'namespace', {
    children: nsChildren,
    code: nsCode,
    current: nsCurrent,
    delete: nsDelete,
    ensemble: nsEnsemble,
    eval: nsEval,
    exists: nsExists,
    export: nsExport,
    forget: nsForget,
    import: nsImport,
    inscope: nsInscope,
    origin: nsOrigin,
    parent: nsParent,
    path: nsPath,
    qualifiers: nsQualifiers,
    tail: nsTail,
    unknown: nsUnknown,
    upvar: nsUpvar,
    which: nsWhich,
  });
  void Var;
}
