/**
 * The interpreter: namespaces, frames, variables, command dispatch and error state. Commands return
 * completion codes (never throw for control flow); a TclError thrown by a command or value
 * conversion becomes an ERROR at the nearest command boundary, where errorInfo is built the way
 * tclsh builds it.
 */
import { TclObj, OWNED_LIST } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { formatStringList } from '../values/listFormat.js';
import { getList } from '../values/list.js';
import { OK, ERROR, RETURN, BREAK, CONTINUE } from './codes.js';
import { Command, CommandProc, Namespace, splitQualified, namespaceParts, isAbsolute } from './namespace.js';
import { Frame } from './frame.js';
import { Var, VAR_LINKED, VAR_DEAD, VAR_ELEMENT, splitArrayName } from './vars.js';
import { CompiledScript, Compiler, InvokeSite } from './compile.js';
import { parseScript } from '../parse/parser.js';
import { runVarTraces } from './traces.js';
import { exprEngine } from './exprHook.js';

export type { CommandProc };

const EMPTY = TclObj.EMPTY;

/** Options of the last `return` (TclProcessReturn state). */
export interface ReturnState {
  code: number;
  level: number;
  /** Options other than -code/-level, in the order given (a flat key/value list). */
  options: TclObj[];
}

/**
 * A command lookup cached on the value that named it, for invocations without a compiled site
 * (event handlers, `eval` of a list, callbacks): Tcl keeps the same cache in a cmdName Tcl_Obj.
 * Valid while no command anywhere was created, deleted or renamed (`epoch`) and for lookups
 * from the same namespace. Kept in TclObj.code only when that slot is free.
 */
class CommandRef {
  constructor(
    readonly interp: Interp,
    readonly cmd: Command | null,
    readonly epoch: number,
    readonly ns: Namespace,
  ) {}
}

export class Interp {
  /** The result of the last command. */
  result: TclObj = EMPTY;
  /** Completion code when a value-producing evaluation returned null. */
  pendingCode = OK;

  readonly globalNs: Namespace;
  readonly globalFrame: Frame;
  /** The frame whose variables and namespace are current. */
  varFrame: Frame;

  /** Bumped whenever any command is created, deleted or renamed (invalidates lookup caches). */
  cmdEpoch = 0;
  /** Bumped when a command that has an inline compiler is shadowed, renamed or deleted. */
  compileEpoch = 0;

  /** Error in progress: accumulated errorInfo (null = none started yet). */
  errorInfo: string | null = null;
  errorCode = 'NONE';
  /** Line (within its script) of the innermost command logged for the error in progress. */
  errorLine = 1;
  /** The innermost failing command of the current script was logged already. */
  errAlreadyLogged = false;
  /** Error options given explicitly (return -errorcode / -errorinfo / error's extra args). */
  returnState: ReturnState = { code: OK, level: 1, options: [] };
  /** The error stack (-errorstack) collected for the error in progress. */
  errorStack: string[] = [];

  /** Nesting depth of command evaluation, checked against recursionLimit. */
  depth = 0;
  recursionLimit = 1000;
  /** Words of a `tailcall` to run when the current procedure returns. */
  pendingTailcall: TclObj[] | null = null;
  /** The file being sourced (`info script`). */
  scriptFile = '';
  /** Run before fork and exec (the channel layer flushes output here so nothing is written twice). */
  readonly forkHooks: Array<() => void> = [];
  /** Run before the process exits (the channel layer flushes here). */
  readonly exitHooks: Array<() => void> = [];
  /** `info cmdcount`. */
  cmdCount = 0;

  /** Names of builtins that have inline compilers (shadowing them invalidates compiled code). */
  readonly compiledNames = new Set<string>();
  /** Package and extension state keyed by package; each area owns its key. */
  readonly assoc = new Map<string, unknown>();
  /** Shared flag array of pending asynchronous events (signals); element 0 non-zero = pending. */
  asyncView: Int32Array | null = null;
  /**
   * Runs pending asynchronous handlers (signal traps) at a safe point; gets and returns the
   * completion code of the command that just finished (a handler's error replaces it).
   */
  asyncHandler: ((interp: Interp, code: number, inEventLoop: boolean) => number) | null = null;
  /** An fd the event loop must also watch so asynchronous events wake it (-1 = none). */
  asyncWakeFd = -1;

  runAsync(code: number, inEventLoop: boolean): number {
    return this.asyncHandler === null ? code : this.asyncHandler(this, code, inEventLoop);
  }

  /**
   * Report the error in progress as a background error (bgerror / interp bgerror); the event
   * layer installs the real handler, this default prints errorInfo like tclsh's last resort.
   */
  reportBackgroundError(): void {
    const info = this.currentErrorInfo();
    this.resetError();
    process.stderr.write(info + '\n');
  }

  /** Called when the interpreter is asked to exit (the CLI installs a real one). */
  exitHandler: (code: number) => never = (code: number) => {
    throw new InterpExit(code);
  };

  constructor() {
    this.globalNs = new Namespace('', null);
    this.globalFrame = new Frame(this.globalNs, null, 0, null, null, false);
    this.varFrame = this.globalFrame;
  }

  // ---------------------------------------------------------------- results

  setResult(o: TclObj): void {
    this.result = o;
  }

  /** Raise a Tcl error from a command: sets the result and errorCode, returns ERROR. */
  error(message: string, errorCode = 'NONE'): number {
    this.result = TclObj.fromString(message);
    this.errorCode = errorCode;
    return ERROR;
  }

  // ---------------------------------------------------------------- commands

  /** Create (or replace) a command. `name` may be qualified; namespaces must exist. */
  createCommand(name: string, proc: CommandProc): Command {
    const [ns, tail] = this.commandParent(name, true);
    return this.installCommand(ns!, tail, proc);
  }

  installCommand(ns: Namespace, tail: string, proc: CommandProc): Command {
    const old = ns.commands.get(tail);
    if (old !== undefined) this.deleteCommandRecord(old, true);
    const cmd = new Command(tail, ns, proc);
    ns.commands.set(tail, cmd);
    this.cmdEpoch++;
    if (this.compiledNames.has(tail)) this.compileEpoch++;
    return cmd;
  }

  /** Resolve the namespace that would hold command `name`, and its tail. */
  commandParent(name: string, mustExist: boolean): [Namespace | null, string] {
    const [q, tail] = splitQualified(name);
    if (q === null) return [this.varFrame.ns, tail];
    const ns = this.findNamespace(q === '' ? '::' : q, this.varFrame.ns);
    if (ns === null && mustExist) {
      throw new TclError(`can't create procedure "${name}": unknown namespace`, 'TCL LOOKUP NAMESPACE');
    }
    return [ns, tail];
  }

  /** Find a command by name as Tcl resolves it from namespace `ns`. */
  findCommand(name: string, ns: Namespace = this.varFrame.ns): Command | null {
    if (name.indexOf('::') < 0) {
      let c = ns.commands.get(name);
      if (c !== undefined) return c;
      for (const p of ns.path) {
        c = p.commands.get(name);
        if (c !== undefined) return c;
      }
      c = this.globalNs.commands.get(name);
      return c === undefined ? null : c;
    }
    const [q, tail] = splitQualified(name);
    if (isAbsolute(name)) {
      const target = this.findNamespace(q === '' ? '::' : q!, ns);
      const c = target === null ? undefined : target.commands.get(tail);
      return c === undefined ? null : c;
    }
    let target = this.findNamespace(q!, ns);
    let c = target === null ? undefined : target.commands.get(tail);
    if (c !== undefined) return c;
    if (ns !== this.globalNs) {
      target = this.findNamespace('::' + q, ns);
      c = target === null ? undefined : target.commands.get(tail);
      if (c !== undefined) return c;
    }
    return null;
  }

  /** Find a namespace by (possibly relative) name from `from`. */
  findNamespace(name: string, from: Namespace = this.varFrame.ns): Namespace | null {
    // `$::name` and `::cmd` resolve here on every use.
    if (name === '::') return this.globalNs;
    let ns: Namespace | null = isAbsolute(name) ? this.globalNs : from;
    for (const part of namespaceParts(name)) {
      ns = ns.children.get(part) ?? null;
      if (ns === null) break;
    }
    if (ns === null && !isAbsolute(name) && from !== this.globalNs) {
      return this.findNamespace('::' + name, this.globalNs);
    }
    return ns;
  }

  /** Create every namespace along `name` (for namespace eval). */
  ensureNamespace(name: string, from: Namespace = this.varFrame.ns): Namespace {
    let ns = isAbsolute(name) ? this.globalNs : from;
    for (const part of namespaceParts(name)) {
      let child = ns.children.get(part);
      if (child === undefined || child.deleted) child = new Namespace(part, ns);
      ns = child;
    }
    return ns;
  }

  deleteCommandRecord(cmd: Command, replacing: boolean): void {
    if (cmd.deleted) return;
    cmd.deleted = true;
    if (cmd.ns.commands.get(cmd.name) === cmd) cmd.ns.commands.delete(cmd.name);
    if (cmd.imports !== null) for (const imp of cmd.imports) this.deleteCommandRecord(imp, false);
    if (cmd.importedFrom !== null && cmd.importedFrom.imports !== null) {
      const list = cmd.importedFrom.imports;
      const i = list.indexOf(cmd);
      if (i >= 0) list.splice(i, 1);
    }
    this.cmdEpoch++;
    if (cmd.compile !== null || this.compiledNames.has(cmd.name)) this.compileEpoch++;
    if (cmd.onDelete !== null) cmd.onDelete();
    void replacing;
  }

  /** Rename (or delete, when newName is "") a command; errors as Tcl's rename. */
  renameCommand(oldName: string, newName: string): void {
    const cmd = this.findCommand(oldName);
    if (cmd === null) {
      const what = newName === '' ? 'delete' : 'rename';
      throw new TclError(`can't ${what} "${oldName}": command doesn't exist`, `TCL LOOKUP COMMAND ${formatStringList([oldName])}`);
    }
    if (newName === '') {
      this.deleteCommandRecord(cmd, false);
      return;
    }
    const [ns, tail] = splitQualified(newName);
    const target = ns === null ? this.varFrame.ns : this.findNamespace(ns === '' ? '::' : ns);
    if (target === null) {
      throw new TclError(`can't rename to "${newName}": bad command name`, 'TCL VALUE COMMAND');
    }
    if (target.commands.has(tail)) {
      throw new TclError(`can't rename to "${newName}": command already exists`, 'TCL OPERATION RENAME TARGET_EXISTS');
    }
    cmd.ns.commands.delete(cmd.name);
    if (this.compiledNames.has(cmd.name) || this.compiledNames.has(tail)) this.compileEpoch++;
    cmd.name = tail;
    cmd.ns = target;
    target.commands.set(tail, cmd);
    if (cmd.procDef !== null) cmd.procDef.nsMoved(target);
    this.cmdEpoch++;
  }

  // ---------------------------------------------------------------- dispatch

  /**
   * Invoke a command given its words. `site` carries the lookup cache and the source text used for
   * errorInfo; pass null for invocations that have no source (the command words are shown instead).
   */
  invoke(objv: TclObj[], site: InvokeSite | null): number {
    let cmd: Command | null;
    const ns = this.varFrame.ns;
    const nameObj = objv[0];
    if (site !== null && site.epoch === this.cmdEpoch && site.ns === ns && (site.nameObj === nameObj || site.name === nameObj.toString())) {
      cmd = site.cmd;
    } else if (site === null) {
      const ref = nameObj.code;
      if (ref instanceof CommandRef && ref.epoch === this.cmdEpoch && ref.ns === ns && ref.interp === this) {
        cmd = ref.cmd;
      } else {
        cmd = this.findCommand(nameObj.toString(), ns);
        if (ref === null || ref instanceof CommandRef) nameObj.code = new CommandRef(this, cmd, this.cmdEpoch, ns);
      }
    } else {
      const name = nameObj.toString();
      cmd = this.findCommand(name, ns);
      site.cmd = cmd;
      site.epoch = this.cmdEpoch;
      site.ns = ns;
      site.name = name;
      site.nameObj = nameObj;
    }
    let code: number;
    if (++this.depth > this.recursionLimit) {
      code = this.error('too many nested evaluations (infinite loop?)', 'TCL LIMIT STACK');
    } else if (cmd === null) {
      code = this.invokeUnknown(objv);
    } else {
      this.cmdCount++;
      this.result = EMPTY;
      try {
        code = cmd.proc(this, objv);
        // `tailcall`: the procedure has returned; run its replacement here, iteratively.
        while (this.pendingTailcall !== null && code === OK) {
          const words = this.pendingTailcall;
          this.pendingTailcall = null;
          const next = this.findCommand(words[0].toString());
          if (next === null) {
            code = this.invokeUnknown(words);
            break;
          }
          this.result = EMPTY;
          code = next.proc(this, words);
        }
      } catch (e) {
        this.pendingTailcall = null;
        code = this.caught(e);
      }
    }
    this.depth--;
    const av = this.asyncView;
    if (av !== null && av[0] !== 0) code = this.runAsync(code, false);
    if (code === ERROR) {
      if (this.errorStack.length === 0) this.errorStack.push('INNER', formatStringList(objv.map((o) => o.toString())));
      this.logCommandInfo(site, objv);
    }
    return code;
  }

  /** Evaluate a command from its words with no source text (Tcl_EvalObjv). */
  evalObjv(objv: TclObj[]): number {
    return this.invoke(objv, null);
  }

  private invokeUnknown(objv: TclObj[]): number {
    const handler = this.varFrame.ns.unknownHandler ?? this.globalNs.unknownHandler;
    let prefix: readonly TclObj[];
    if (handler === null) {
      const unknown = this.findCommand('::unknown');
      if (unknown === null || unknown.data === DEFAULT_UNKNOWN) return this.invalidCommand(objv);
      prefix = [TclObj.fromString('::unknown')];
    } else {
      prefix = getList(handler);
      if (prefix.length === 0) return this.invalidCommand(objv);
    }
    // The handler must not recurse into itself for its own missing commands.
    if (this.inUnknown) return this.invalidCommand(objv);
    this.inUnknown = true;
    try {
      return this.invoke([...prefix, ...objv], null);
    } finally {
      this.inUnknown = false;
    }
  }

  private invalidCommand(objv: TclObj[]): number {
    const name = objv[0].toString();
    return this.error(`invalid command name "${name}"`, `TCL LOOKUP COMMAND ${formatStringList([name])}`);
  }

  /** An unknown handler is running (guards against unbounded recursion through it). */
  private inUnknown = false;

  /** Convert a thrown value into an ERROR completion (TclError) or a Tcl-visible host error. */
  caught(e: unknown): number {
    if (e instanceof TclError) {
      this.result = TclObj.fromString(e.message);
      this.errorCode = e.errorCode;
      if (e.errorInfo !== null) {
        this.errorInfo = e.errorInfo;
        this.errAlreadyLogged = e.infoComplete;
      }
      return ERROR;
    }
    if (e instanceof InterpExit) throw e;
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      return this.error('too many nested evaluations (infinite loop?)', 'TCL LIMIT STACK');
    }
    // A host bug: surface it as a Tcl error rather than crashing the script.
    const msg = e instanceof Error ? e.message : String(e);
    return this.error(`internal error: ${msg}`, 'TCL INTERNAL');
  }

  /** Append "while executing"/"invoked from within" for the failing command (Tcl_LogCommandInfo). */
  logCommandInfo(site: InvokeSite | null, objv: TclObj[] | null): void {
    if (this.errAlreadyLogged) return;
    let text: string;
    if (site !== null) {
      text = site.src.slice(site.start, site.end);
      this.errorLine = site.line;
    } else if (objv !== null) {
      text = formatStringList(objv.map((o) => o.toString()));
    } else return;
    this.addErrorInfoCommand(text);
    this.errAlreadyLogged = true;
  }

  /** Add a command text to errorInfo, truncated as Tcl does (150 bytes of UTF-8, then "..."). */
  addErrorInfoCommand(text: string): void {
    const shown = truncateCommand(text);
    if (this.errorInfo === null) {
      this.errorInfo = this.result.toString() + '\n    while executing\n"' + shown + '"';
    } else {
      this.errorInfo += '\n    invoked from within\n"' + shown + '"';
    }
  }

  /** Tcl_AddErrorInfo / Tcl_AppendObjToErrorInfo. */
  addErrorInfo(text: string): void {
    if (this.errorInfo === null) this.errorInfo = this.result.toString();
    this.errorInfo += text;
  }

  /** `interp bgerror` handler prefix (null = the default, which reports on stderr). */
  bgerrorHandler: TclObj | null = null;
  /** Process ids behind a channel (`pid $chan`), installed by the channel layer. */
  channelPids: ((name: string) => number[] | undefined) | null = null;

  /** `info errorstack`: the error stack of the last error caught or reported. */
  lastErrorStack = '';

  /** The -errorstack value: INNER and CALL entries collected while the error unwound. */
  errorStackText(): string {
    return formatStringList(this.errorStack);
  }

  /** Forget the error in progress (after catch/try handled it). */
  resetError(): void {
    this.errorInfo = null;
    this.errAlreadyLogged = false;
    this.errorStack = [];
  }

  /** The errorInfo text of the error in progress (starting it if nothing was logged). */
  currentErrorInfo(): string {
    if (this.errorInfo === null) this.errorInfo = this.result.toString();
    return this.errorInfo;
  }

  // ---------------------------------------------------------------- evaluation

  /** Compile (cached on the value) and run a script in the current frame. */
  evalObj(script: TclObj): number {
    const compiled = this.compiledScript(script);
    const code = compiled.run(this);
    this.errAlreadyLogged = false;
    return code;
  }

  /** Evaluate an expression (cached on the value); throws TclError, null on break/continue/return. */
  exprObj(expr: TclObj): TclObj | null {
    return exprEngine().evalObj(this, expr);
  }

  /** Evaluate an expression as a boolean (as exprObj). */
  exprBool(expr: TclObj): boolean | null {
    return exprEngine().evalBool(this, expr);
  }

  /** Evaluate a script string (compiled once per call; prefer evalObj for repeated scripts). */
  eval(script: string): number {
    return this.evalObj(TclObj.fromString(script));
  }

  compiledScript(script: TclObj, direct = false): CompiledScript {
    const c = script.code;
    if (c instanceof CompiledScript && c.procDef === null && c.direct === direct && c.epoch === this.compileEpoch) return c;
    const parsed = parseScript(script.toString(), 1);
    const compiler = new Compiler(this, null);
    compiler.direct = direct;
    const compiled = compiler.compileUnit(parsed);
    script.code = compiled;
    return compiled;
  }

  /** Evaluate a script read from a file (source, the CLI): errors get `(file "name" line N)`. */
  evalFile(script: TclObj, fileName: string): number {
    const saved = this.scriptFile;
    this.scriptFile = fileName;
    try {
      let code = this.compiledScript(script, true).run(this);
      this.errAlreadyLogged = false;
      if (code === RETURN) code = finishReturnAtTop(this);
      if (code === ERROR) this.addErrorInfo(`\n    (file "${fileName}" line ${this.errorLine})`);
      return code;
    } finally {
      this.scriptFile = saved;
    }
  }

  /** Run exit hooks (flush channels) and give the process exit status. */
  finish(status: number): number {
    for (const hook of this.exitHooks) hook();
    return status;
  }

  /**
   * Evaluate a script as the body of some construct, adding `context` (e.g. `("eval" body line 2)`)
   * to errorInfo when it fails, as Tcl does for eval/uplevel/namespace eval.
   */
  evalBody(script: TclObj, context: string): number {
    const code = this.evalObj(script);
    if (code === ERROR) this.addErrorInfo(`\n    (${context} line ${this.errorLine})`);
    return code;
  }

  /** Evaluate a script at a given frame (uplevel); restores the current frame afterwards. */
  evalAtFrame(frame: Frame, script: TclObj, context: string): number {
    const saved = this.varFrame;
    this.varFrame = frame;
    try {
      return this.evalBody(script, context);
    } finally {
      this.varFrame = saved;
    }
  }

  // ---------------------------------------------------------------- variables

  /** Find a variable by name for reading; null when it does not exist. */
  findVar(name: string, frame: Frame = this.varFrame): Var | null {
    if (name.indexOf('::') >= 0) return this.findNamespaceVar(name, frame.ns);
    if (frame.isProc) {
      const slots = frame.slotIndex;
      if (slots !== null) {
        const i = slots.get(name);
        if (i !== undefined) {
          const v = frame.locals[i];
          return v === undefined ? null : v;
        }
      }
      const v = frame.extra === null ? undefined : frame.extra.get(name);
      return v === undefined ? null : v;
    }
    let v = frame.ns.vars.get(name);
    if (v === undefined && frame.ns !== this.globalNs) v = this.globalNs.vars.get(name);
    return v === undefined ? null : v;
  }

  private findNamespaceVar(name: string, from: Namespace): Var | null {
    const [q, tail] = splitQualified(name);
    const ns = this.findNamespace(q === '' ? '::' : q!, from);
    if (ns === null) return null;
    const v = ns.vars.get(tail);
    return v === undefined ? null : v;
  }

  /** Find or create a variable by name (for writing). */
  lookupVarCreate(name: string, displayName: string, frame: Frame = this.varFrame): Var {
    if (name.indexOf('::') >= 0) {
      const [q, tail] = splitQualified(name);
      let ns = this.findNamespace(q === '' ? '::' : q!, frame.ns);
      if (ns !== null && !isAbsolute(name) && frame.ns !== this.globalNs) {
        // A relative qualified name prefers the current namespace's descendant when it exists.
        ns = this.findNamespace(q!, frame.ns) ?? ns;
      }
      if (ns === null) {
        throw new TclError(`can't set "${displayName}": parent namespace doesn't exist`, `TCL LOOKUP VARNAME ${formatStringList([displayName])}`);
      }
      let v = ns.vars.get(tail);
      if (v === undefined) {
        v = new Var();
        ns.vars.set(tail, v);
      }
      return v;
    }
    if (frame.isProc) {
      const slots = frame.slotIndex;
      if (slots !== null) {
        const i = slots.get(name);
        if (i !== undefined) {
          let v = frame.locals[i];
          if (v === null || v === undefined) {
            v = new Var();
            frame.locals[i] = v;
          }
          return v;
        }
      }
      if (frame.extra === null) frame.extra = new Map();
      let v = frame.extra.get(name);
      if (v === undefined) {
        v = new Var();
        frame.extra.set(name, v);
      }
      return v;
    }
    let v = frame.ns.vars.get(name);
    if (v === undefined && frame.ns !== this.globalNs) v = this.globalNs.vars.get(name);
    if (v === undefined) {
      v = new Var();
      frame.ns.vars.set(name, v);
    }
    return v;
  }

  /** Read a variable (name may be "a(b)" when index is undefined). */
  getVar(name: string, index?: string | null): TclObj {
    if (index === undefined) [name, index] = splitArrayName(name);
    const v = this.findVar(name);
    return this.readVar(v, name, index ?? null);
  }

  /** Read from a found Var with Tcl's error messages. */
  readVar(v: Var | null, name: string, index: string | null): TclObj {
    if (v !== null && v.traces !== null) runVarTraces(this, v, name, index, 'read');
    if (index === null) {
      if (v !== null && v.value !== null) {
        const val = v.value;
        if (val.code === OWNED_LIST) val.code = null;
        return val;
      }
      if (v !== null && v.arr !== null) {
        throw new TclError(`can't read "${name}": variable is array`, 'TCL READ VARNAME');
      }
      throw new TclError(`can't read "${name}": no such variable`, `TCL LOOKUP VARNAME ${formatStringList([name])}`);
    }
    const full = name + '(' + index + ')';
    if (v === null || (v.arr === null && v.value === null)) {
      throw new TclError(`can't read "${full}": no such variable`, `TCL LOOKUP VARNAME ${formatStringList([name])}`);
    }
    if (v.arr === null) {
      throw new TclError(`can't read "${full}": variable isn't array`, `TCL LOOKUP VARNAME ${formatStringList([name])}`);
    }
    const e = v.arr.get(index);
    if (e !== undefined && e.traces !== null) runVarTraces(this, e, name, index, 'read');
    if (e === undefined || e.value === null) {
      throw new TclError(`can't read "${full}": no such element in array`, 'TCL READ VARNAME');
    }
    return e.value;
  }

  /** Set a variable (name may be "a(b)" when index is undefined); returns the value stored. */
  setVar(name: string, value: TclObj, index?: string | null): TclObj {
    if (index === undefined) [name, index] = splitArrayName(name);
    const display = index === null ? name : name + '(' + index + ')';
    const v = this.lookupVarCreate(name, display);
    return this.writeVar(v, name, index ?? null, value);
  }

  /** Store into a Var with Tcl's error messages (array/scalar conflicts, traces). */
  writeVar(v: Var, name: string, index: string | null, value: TclObj): TclObj {
    if (index === null) {
      if (v.arr !== null) throw new TclError(`can't set "${name}": variable is array`, 'TCL WRITE VARNAME');
      v.value = value;
      v.flags &= ~VAR_DEAD;
      if (v.traces !== null) runVarTraces(this, v, name, null, 'write');
      return v.value ?? value;
    }
    const e = this.arrayElementCreate(v, name, index);
    e.value = value;
    if (v.traces !== null || e.traces !== null) {
      if (v.traces !== null) runVarTraces(this, v, name, index, 'write');
      if (e.traces !== null) runVarTraces(this, e, name, index, 'write');
    }
    return e.value ?? value;
  }

  /** The element Var of array `v`, created (with the array) if needed. */
  arrayElementCreate(v: Var, name: string, index: string): Var {
    if (v.arr === null) {
      if (v.value !== null) {
        throw new TclError(`can't set "${name}(${index})": variable isn't array`, `TCL LOOKUP VARNAME ${formatStringList([name])}`);
      }
      v.arr = new Map();
      v.flags &= ~VAR_DEAD;
    }
    let e = v.arr.get(index);
    if (e === undefined) {
      e = new Var();
      e.flags = VAR_ELEMENT;
      v.arr.set(index, e);
    }
    return e;
  }

  /** Unset a variable or element; `complain` false is `unset -nocomplain`. */
  unsetVar(name: string, index?: string | null, complain = true): void {
    if (index === undefined) [name, index] = splitArrayName(name);
    const v = this.findVar(name);
    const display = index === null || index === undefined ? name : `${name}(${index})`;
    if (v === null || !v.isDefined()) {
      if (complain) throw new TclError(`can't unset "${display}": no such variable`, `TCL LOOKUP VARNAME ${formatStringList([name])}`);
      return;
    }
    if (index === null || index === undefined) {
      this.unsetWholeVar(v, name);
      return;
    }
    if (v.arr === null) {
      if (complain) throw new TclError(`can't unset "${display}": variable isn't array`, `TCL LOOKUP VARNAME ${formatStringList([name])}`);
      return;
    }
    const e = v.arr.get(index);
    if (e === undefined || e.value === null) {
      if (complain) throw new TclError(`can't unset "${display}": no such element in array`, `TCL LOOKUP ELEMENT ${formatStringList([index])}`);
      return;
    }
    e.value = null;
    if (!(e.flags & VAR_LINKED)) v.arr.delete(index);
    if (e.traces !== null) runVarTraces(this, e, name, index, 'unset');
    if (v.traces !== null) runVarTraces(this, v, name, index, 'unset');
  }

  unsetWholeVar(v: Var, name: string): void {
    v.value = null;
    const arr = v.arr;
    v.arr = null;
    v.flags |= VAR_DEAD;
    if (v.traces !== null) {
      runVarTraces(this, v, name, null, 'unset');
      v.traces = null;
    }
    if (arr !== null) for (const [k, e] of arr) if (e.traces !== null) runVarTraces(this, e, name, k, 'unset');
    this.dropDeadVar(v, name);
  }

  /** Remove an unset variable from its table unless a link still refers to it. */
  private dropDeadVar(v: Var, name: string): void {
    if (v.flags & VAR_LINKED) return;
    const frame = this.varFrame;
    if (name.indexOf('::') < 0 && frame.isProc) {
      const i = frame.slotIndex?.get(name);
      if (i !== undefined) {
        if (frame.locals[i] === v) frame.locals[i] = null;
        return;
      }
      if (frame.extra?.get(name) === v) frame.extra.delete(name);
      return;
    }
    const [q, tail] = splitQualified(name);
    const ns = q === null ? frame.ns : this.findNamespace(q === '' ? '::' : q);
    if (ns === null) return;
    if (ns.vars.get(tail) === v) ns.vars.delete(tail);
    else if (q === null && this.globalNs.vars.get(tail) === v) this.globalNs.vars.delete(tail);
  }

  /** Make local `localName` in the current frame an alias of Var `target` (upvar/global/variable). */
  linkVar(localName: string, target: Var, frame: Frame = this.varFrame): void {
    target.flags |= VAR_LINKED;
    if (localName.indexOf('::') >= 0 || !frame.isProc) {
      const [q, tail] = splitQualified(localName);
      const ns = q === null ? frame.ns : this.findNamespace(q === '' ? '::' : q, frame.ns);
      if (ns === null) throw new TclError(`can't create "${localName}": parent namespace doesn't exist`);
      const existing = ns.vars.get(tail);
      if (existing === target) return;
      if (existing !== undefined && existing.isDefined()) {
        throw new TclError(`variable "${localName}" already exists`, 'TCL UPVAR EXISTS');
      }
      ns.vars.set(tail, target);
      return;
    }
    const i = frame.slotIndex?.get(localName);
    if (i !== undefined) {
      const existing = frame.locals[i];
      if (existing !== null && existing !== undefined && existing !== target) {
        if (existing.isDefined() && !isLinkName(frame, localName)) {
          throw new TclError(`variable "${localName}" already exists`, 'TCL UPVAR EXISTS');
        }
      }
      frame.locals[i] = target;
      markLinkName(frame, localName);
      return;
    }
    if (frame.extra === null) frame.extra = new Map();
    const existing = frame.extra.get(localName);
    if (existing !== undefined && existing !== target && existing.isDefined() && !isLinkName(frame, localName)) {
      throw new TclError(`variable "${localName}" already exists`, 'TCL UPVAR EXISTS');
    }
    frame.extra.set(localName, target);
    markLinkName(frame, localName);
  }

  /** Names of local variables of a proc frame (defined ones, optionally including links). */
  localVarNames(frame: Frame, includeLinks: boolean): string[] {
    const out: string[] = [];
    if (frame.slotIndex !== null) {
      for (const [name, i] of frame.slotIndex) {
        const v = frame.locals[i];
        if (v === null || v === undefined) continue;
        if (!v.isDefined() && !(v.flags & 2)) continue;
        if (!includeLinks && isLinkName(frame, name)) continue;
        out.push(name);
      }
    }
    if (frame.extra !== null) {
      for (const [name, v] of frame.extra) {
        if (!v.isDefined() && !(v.flags & 2)) continue;
        if (!includeLinks && isLinkName(frame, name)) continue;
        out.push(name);
      }
    }
    return out;
  }
}

/** Thrown to unwind everything on `exit`. */
export class InterpExit {
  constructor(readonly code: number) {}
}

/** Marker stored in the data of the built-in `unknown` command. */
export const DEFAULT_UNKNOWN = { defaultUnknown: true };

function markLinkName(frame: Frame, name: string): void {
  if (frame.linkNames === null) frame.linkNames = new Set();
  frame.linkNames.add(name);
}

function isLinkName(frame: Frame, name: string): boolean {
  return frame.linkNames !== null && frame.linkNames.has(name);
}

/** Tcl shows at most 150 bytes of a command in errorInfo, cut at a character boundary. */
function truncateCommand(text: string): string {
  if (text.length <= 50) return text;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= 150) return text;
  let n = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const len = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : 3;
    if (n + len > 150) break;
    n += len;
    if (len === 4) i++;
  }
  return text.slice(0, i) + '...';
}

/** A `return` at the top of a sourced file ends the file with its value (levels as for procs). */
function finishReturnAtTop(interp: Interp): number {
  const st = interp.returnState;
  st.level--;
  if (st.level > 0) return RETURN;
  const code = st.code;
  st.code = OK;
  st.level = 1;
  return code;
}
