/**
 * Namespaces and the command records they hold. Name resolution follows Tcl 8.6: qualified names
 * walk from the global or current namespace; unqualified command names try the current namespace,
 * its path, then the global namespace; unqualified variable names try the current namespace, then
 * the global one.
 */
import type { TclObj } from '../values/obj.js';
import type { Interp } from './interp.js';
import { Var } from './vars.js';
import type { ProcDef } from './proc.js';
import type { CompileFn } from './compile.js';

export type CommandProc = (interp: Interp, objv: TclObj[]) => number;

export class Command {
  name: string;
  ns: Namespace;
  proc: CommandProc;
  /** Inline compiler used when a script calls this command by a literal name. */
  compile: CompileFn | null;
  /** The Tcl procedure behind the command, for procs. */
  procDef: ProcDef | null;
  /** Commands created by `namespace import` that point here. */
  imports: Command[] | null;
  /** For an imported command, the command it forwards to. */
  importedFrom: Command | null;
  /** Called when the command is deleted. */
  onDelete: (() => void) | null;
  /** Extra data for commands that need it (ensembles, aliases). */
  data: any;
  deleted: boolean;

  constructor(name: string, ns: Namespace, proc: CommandProc) {
    this.name = name;
    this.ns = ns;
    this.proc = proc;
    this.compile = null;
    this.procDef = null;
    this.imports = null;
    this.importedFrom = null;
    this.onDelete = null;
    this.data = null;
    this.deleted = false;
  }

  fullName(): string {
    return this.ns.parent === null ? '::' + this.name : this.ns.fullName + '::' + this.name;
  }
}

export class Namespace {
  readonly name: string;
  readonly fullName: string;
  readonly parent: Namespace | null;
  readonly children = new Map<string, Namespace>();
  readonly commands = new Map<string, Command>();
  readonly vars = new Map<string, Var>();
  exportPatterns: string[] = [];
  path: Namespace[] = [];
  unknownHandler: TclObj | null = null;
  deleted = false;
  /** Scripts running in this namespace: deletion waits for them. */
  activations = 0;
  /** An ensemble command created for this namespace, if any. */
  ensemble: Command | null = null;

  constructor(name: string, parent: Namespace | null) {
    this.name = name;
    this.parent = parent;
    this.fullName = parent === null ? '::' : parent.parent === null ? '::' + name : parent.fullName + '::' + name;
    if (parent !== null) parent.children.set(name, this);
  }

  qualify(tail: string): string {
    return this.parent === null ? '::' + tail : this.fullName + '::' + tail;
  }
}

/** Split a qualified name into its namespace qualifiers and tail ("a::b::c" -> ["a::b", "c"]). */
export function splitQualified(name: string): [string | null, string] {
  // A backward scan: names are short, and String.prototype.lastIndexOf is a call into the runtime.
  let i = name.length - 2;
  while (i >= 0 && !(name.charCodeAt(i) === 58 && name.charCodeAt(i + 1) === 58)) i--;
  if (i < 0) return [null, name];
  let q = i;
  while (q > 0 && name.charCodeAt(q - 1) === 58) q--;
  return [name.slice(0, q), name.slice(i + 2)];
}

/** Components of a namespace path ("::a::::b" -> ["a", "b"]); leading :: is stripped. */
export function namespaceParts(path: string): string[] {
  const parts: string[] = [];
  const n = path.length;
  let start = 0;
  let i = 0;
  while (i < n) {
    if (path.charCodeAt(i) === 58 && i + 1 < n && path.charCodeAt(i + 1) === 58) {
      if (i > start) parts.push(path.slice(start, i));
      i += 2;
      while (i < n && path.charCodeAt(i) === 58) i++;
      start = i;
    } else {
      i++;
    }
  }
  if (start < n) parts.push(path.slice(start));
  return parts;
}

export function isQualified(name: string): boolean {
  return name.indexOf('::') >= 0;
}

export function isAbsolute(name: string): boolean {
  return name.charCodeAt(0) === 58 && name.charCodeAt(1) === 58;
}
