/**
 * The `dict` ensemble: every Tcl 8.6 subcommand, with Tcl's messages and write-back rules.
 *
 * Dict values are insertion-ordered Maps cached on the TclObj (values/dict.ts) and treated as
 * immutable, so updating a dict variable copies its map. The inline compiler avoids that copy in
 * loops: a dict built by a compiled `dict set/unset/incr/lappend/append` whose result is discarded
 * is marked OWNED_LIST (the engine clears the mark whenever the variable's value is read), and while
 * the mark holds the next update changes the map in place, as Tcl does with an unshared object.
 * Inside procedures `dict for/map/update/with` bodies are compiled inline too (Tcl compiles them
 * there as well, which is why their errors then carry no "(... body line N)" context line).
 */
import { TclObj, Rep, OWNED_LIST } from '../values/obj.js';
import { TclError, withErrorContext } from '../values/error.js';
import { getDict } from '../values/dict.js';
import { getList } from '../values/list.js';
import { getInt, getBoolean } from '../values/number.js';
import { globMatch } from '../values/glob.js';
import { formatStringList } from '../values/listFormat.js';
import { OK, ERROR, BREAK, CONTINUE } from '../engine/codes.js';
import { splitArrayName } from '../engine/vars.js';
import type { Var } from '../engine/vars.js';
import type { Interp } from '../engine/interp.js';
import type { CompiledWord, Compiler, ExecFn, ValueFn } from '../engine/compile.js';
import { PartKind } from '../parse/ast.js';
import { registerCompiled } from './registry.js';
import { addInts } from './vars.js';
import { SubcommandTable, subWrongArgs, ensembleWrongArgs } from './subcommands.js';
import { tclHashStats } from './hashorder.js';

type DictMap = Map<string, TclObj>;
const EMPTY = TclObj.EMPTY;

// ------------------------------------------------------------------ values

/** The dict face of a value, with Tcl's dict-specific parse messages. */
export function toDict(o: TclObj): DictMap {
  if (o.t === Rep.Dict) return o.r as DictMap;
  try {
    return getDict(o);
  } catch (e) {
    // values/dict.ts words list errors as "... in dictionary"; Tcl says "... in dict".
    if (e instanceof TclError && e.message.endsWith(' in dictionary')) {
      throw new TclError(e.message.slice(0, -' in dictionary'.length) + ' in dict', e.errorCode);
    }
    throw e;
  }
}

function keyNotKnown(key: string): never {
  throw new TclError(`key "${key}" not known in dictionary`, `TCL LOOKUP DICT ${formatStringList([key])}`);
}

/** Follow `keys` from `o` (Tcl's TclTraceDictPath without update): the value at the end. */
function dictGetPath(o: TclObj, keys: readonly TclObj[], from: number): TclObj {
  let cur = o;
  for (let i = from; i < keys.length; i++) {
    const key = keys[i].toString();
    const v = toDict(cur).get(key);
    if (v === undefined) keyNotKnown(key);
    cur = v;
  }
  return cur;
}

/** Whether the key path exists; any value along it that is not a dict answers false. */
function dictExistsPath(o: TclObj, keys: readonly TclObj[], from: number): boolean {
  let cur = o;
  for (let i = from; i < keys.length; i++) {
    let m: DictMap;
    try {
      m = toDict(cur);
    } catch (e) {
      if (e instanceof TclError) return false;
      throw e;
    }
    const v = m.get(keys[i].toString());
    if (v === undefined) return false;
    cur = v;
  }
  return true;
}

/**
 * A copy of `inner` (a nested dict, or null when absent) with `keys[from..]` set to `value`:
 * intermediate dicts are created as needed and copied, never changed.
 */
function nestedSet(inner: TclObj | null, keys: readonly TclObj[], from: number, last: number, value: TclObj): TclObj {
  const m = inner === null ? new Map<string, TclObj>() : new Map(toDict(inner));
  const key = keys[from].toString();
  if (from === last) {
    m.set(key, value);
  } else {
    const child = m.get(key);
    m.set(key, nestedSet(child === undefined ? null : child, keys, from + 1, last, value));
  }
  return TclObj.fromDict(m);
}

/** Set keys[from..last] in `m` (changed in place) to `value`; nested dicts along the way are copied. */
function setInMap(m: DictMap, keys: readonly TclObj[], from: number, last: number, value: TclObj): void {
  const key = keys[from].toString();
  if (from === last) {
    m.set(key, value);
    return;
  }
  const child = m.get(key);
  m.set(key, nestedSet(child === undefined ? null : child, keys, from + 1, last, value));
}

/** A copy of nested dict `inner` without the key path keys[from..last] (missing leaf is no error). */
function nestedUnset(inner: TclObj, keys: readonly TclObj[], from: number, last: number): TclObj {
  const m = new Map(toDict(inner));
  unsetInMap(m, keys, from, last);
  return TclObj.fromDict(m);
}

/** Remove the key path keys[from..last] from `m` (changed in place); copies nested dicts it passes. */
function unsetInMap(m: DictMap, keys: readonly TclObj[], from: number, last: number): void {
  const key = keys[from].toString();
  if (from === last) {
    m.delete(key);
    return;
  }
  const child = m.get(key);
  if (child === undefined) keyNotKnown(key);
  m.set(key, nestedUnset(child, keys, from + 1, last));
}

/** `dict incr`'s new value for a key: Tcl checks the increment first, then the old value. */
function incrementedValue(old: TclObj | undefined, incObj: TclObj | null): TclObj {
  if (old === undefined) {
    if (incObj === null) return TclObj.fromInt(1);
    try {
      getInt(incObj);
    } catch (e) {
      // A missing key takes the increment as it is, validated as a number (TCL VALUE NUMBER).
      if (e instanceof TclError) {
        throw withErrorContext(new TclError(e.message, 'TCL VALUE NUMBER'), '\n    (reading increment)');
      }
      throw e;
    }
    return incObj;
  }
  let inc: number | bigint = 1;
  getInt(old);
  if (incObj !== null) {
    try {
      inc = getInt(incObj);
    } catch (e) {
      if (e instanceof TclError) throw withErrorContext(e, '\n    (reading increment)');
      throw e;
    }
  }
  return addInts(old, inc);
}

function lappendedValue(old: TclObj | undefined, objv: readonly TclObj[], from: number): TclObj {
  if (old === undefined) return from >= objv.length ? EMPTY : TclObj.fromList(objv.slice(from));
  if (from >= objv.length) return old;
  const items = getList(old).slice();
  for (let i = from; i < objv.length; i++) items.push(objv[i]);
  return TclObj.fromList(items);
}

function appendedValue(old: TclObj | undefined, objv: readonly TclObj[], from: number): TclObj {
  if (from >= objv.length) return old === undefined ? EMPTY : old;
  let s = old === undefined ? '' : old.toString();
  for (let i = from; i < objv.length; i++) s += objv[i].toString();
  return TclObj.fromString(s);
}

// ------------------------------------------------------------------ variables

/** Read a variable as Tcl_ObjGetVar2 without TCL_LEAVE_ERR_MSG: null when unreadable. */
function readQuiet(interp: Interp, name: string): TclObj | null {
  const [base, index] = splitArrayName(name);
  const v = interp.findVar(base);
  if (v === null) return null;
  if (v.traces === null) {
    if (index === null) {
      if (v.value === null) return null;
    } else {
      const e = v.arr === null ? undefined : v.arr.get(index);
      if (e === undefined || (e.value === null && e.traces === null)) return null;
    }
  }
  try {
    return interp.readVar(v, base, index);
  } catch (e) {
    if (e instanceof TclError) return null;
    throw e;
  }
}

function readLoud(interp: Interp, name: string): TclObj {
  return interp.getVar(name);
}

function writeVar(interp: Interp, name: string, value: TclObj): TclObj {
  return interp.setVar(name, value);
}

/** Read-modify-write of a dict variable by name (the uncompiled path; always copies). */
function updateDictVar(interp: Interp, name: string, change: (m: DictMap) => void): TclObj {
  const cur = readQuiet(interp, name);
  const m = cur === null ? new Map<string, TclObj>() : new Map(toDict(cur));
  change(m);
  return writeVar(interp, name, TclObj.fromDict(m));
}

// ------------------------------------------------------------------ subcommands

const SUBS = new SubcommandTable([
  'append', 'create', 'exists', 'filter', 'for', 'get', 'incr', 'info', 'keys', 'lappend', 'map',
  'merge', 'remove', 'replace', 'set', 'size', 'unset', 'update', 'values', 'with',
]);

type SubProc = (interp: Interp, objv: TclObj[]) => number;

function dictAppend(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 4) subWrongArgs(objv, 'append', 'dictVarName key ?value ...?');
  const key = objv[3].toString();
  interp.result = updateDictVar(interp, objv[2].toString(), (m) => m.set(key, appendedValue(m.get(key), objv, 4)));
  return OK;
}

function dictCreate(interp: Interp, objv: TclObj[]): number {
  if ((objv.length & 1) !== 0) subWrongArgs(objv, 'create', '?key value ...?');
  const m = new Map<string, TclObj>();
  for (let i = 2; i < objv.length; i += 2) m.set(objv[i].toString(), objv[i + 1]);
  interp.result = TclObj.fromDict(m);
  return OK;
}

function dictExists(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 4) subWrongArgs(objv, 'exists', 'dictionary key ?key ...?');
  interp.result = TclObj.fromBool(dictExistsPath(objv[2], objv, 3));
  return OK;
}

const FILTER_TYPES = ['key', 'script', 'value'];

function dictFilter(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 4) subWrongArgs(objv, 'filter', 'dictionary filterType ?arg ...?');
  const type = lookupFilterType(objv[3]);
  if (type === 1) return dictFilterScript(interp, objv);
  const m = toDict(objv[2]);
  const out = new Map<string, TclObj>();
  const byKey = type === 0;
  if (byKey && objv.length === 5 && isTrivialPattern(objv[4].toString())) {
    const key = objv[4].toString();
    const v = m.get(key);
    if (v !== undefined) out.set(key, v);
  } else {
    for (const [k, v] of m) {
      const subject = byKey ? k : v.toString();
      for (let i = 4; i < objv.length; i++) {
        if (globMatch(objv[i].toString(), subject, false)) {
          out.set(k, v);
          break;
        }
      }
    }
  }
  interp.result = TclObj.fromDict(out);
  return OK;
}

function lookupFilterType(o: TclObj): number {
  const s = o.toString();
  const exact = FILTER_TYPES.indexOf(s);
  if (exact >= 0) return exact;
  if (s.length > 0) {
    let found = -1;
    for (let i = 0; i < FILTER_TYPES.length; i++) {
      if (FILTER_TYPES[i].startsWith(s)) {
        if (found >= 0) found = -2;
        else if (found === -1) found = i;
      }
    }
    if (found >= 0) return found;
    if (found === -2) {
      throw new TclError(`ambiguous filterType "${s}": must be key, script, or value`, `TCL LOOKUP INDEX filterType ${formatStringList([s])}`);
    }
  }
  throw new TclError(`bad filterType "${s}": must be key, script, or value`, `TCL LOOKUP INDEX filterType ${formatStringList([s])}`);
}

/** A pattern with no glob metacharacters matches only itself (after removing backslashes). */
function isTrivialPattern(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 42 || c === 63 || c === 91 || c === 92) return false;
  }
  return true;
}

/** The two loop variable names of dict for/map/filter, or Tcl's error. */
function twoVarNames(o: TclObj, what: string): [string, string] {
  const names = getList(o);
  if (names.length !== 2) throw new TclError('must have exactly two variable names', `TCL SYNTAX dict ${what}`);
  return [names[0].toString(), names[1].toString()];
}

function dictFilterScript(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 6) subWrongArgs(objv, 'filter', 'dictionary script {keyVarName valueVarName} filterScript');
  const [kName, vName] = twoVarNames(objv[4], 'filter');
  const m = toDict(objv[2]);
  const body = objv[5];
  const out = new Map<string, TclObj>();
  for (const [k, v] of m) {
    const keyObj = TclObj.fromString(k);
    writeVar(interp, kName, keyObj);
    writeVar(interp, vName, v);
    const code = interp.evalObj(body);
    if (code === OK) {
      if (getBoolean(interp.result)) out.set(k, v);
    } else if (code === BREAK) {
      break;
    } else if (code !== CONTINUE) {
      if (code === ERROR) interp.addErrorInfo(`\n    ("dict filter" script line ${interp.errorLine})`);
      return code;
    }
  }
  interp.result = TclObj.fromDict(out);
  return OK;
}

function dictFor(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 5) subWrongArgs(objv, 'for', '{keyVarName valueVarName} dictionary script');
  const [kName, vName] = twoVarNames(objv[2], 'for');
  const m = toDict(objv[3]);
  const body = objv[4];
  for (const [k, v] of m) {
    writeVar(interp, kName, TclObj.fromString(k));
    writeVar(interp, vName, v);
    const code = interp.evalObj(body);
    if (code !== OK) {
      if (code === BREAK) break;
      if (code === CONTINUE) continue;
      if (code === ERROR) interp.addErrorInfo(`\n    ("dict for" body line ${interp.errorLine})`);
      return code;
    }
  }
  interp.result = EMPTY;
  return OK;
}

function dictMap(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 5) subWrongArgs(objv, 'map', '{keyVarName valueVarName} dictionary script');
  const [kName, vName] = twoVarNames(objv[2], 'map');
  const m = toDict(objv[3]);
  const body = objv[4];
  const out = new Map<string, TclObj>();
  for (const [k, v] of m) {
    writeVar(interp, kName, TclObj.fromString(k));
    writeVar(interp, vName, v);
    const code = interp.evalObj(body);
    if (code === OK) {
      const result = interp.result;
      out.set(readLoud(interp, kName).toString(), result);
    } else if (code === BREAK) {
      interp.result = EMPTY;
      return OK;
    } else if (code !== CONTINUE) {
      if (code === ERROR) interp.addErrorInfo(`\n    ("dict map" body line ${interp.errorLine})`);
      return code;
    }
  }
  interp.result = TclObj.fromDict(out);
  return OK;
}

function dictGet(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 3) subWrongArgs(objv, 'get', 'dictionary ?key ...?');
  if (objv.length === 3) {
    interp.result = TclObj.fromDict(new Map(toDict(objv[2])));
    return OK;
  }
  interp.result = dictGetPath(objv[2], objv, 3);
  return OK;
}

function dictIncr(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 4 && objv.length !== 5) subWrongArgs(objv, 'incr', 'dictVarName key ?increment?');
  const key = objv[3].toString();
  const inc = objv.length === 5 ? objv[4] : null;
  interp.result = updateDictVar(interp, objv[2].toString(), (m) => m.set(key, incrementedValue(m.get(key), inc)));
  return OK;
}

function dictInfo(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) subWrongArgs(objv, 'info', 'dictionary');
  interp.result = TclObj.fromString(tclHashStats([...toDict(objv[2]).keys()]));
  return OK;
}

function dictKeysValues(interp: Interp, objv: TclObj[], keys: boolean): number {
  if (objv.length !== 3 && objv.length !== 4) subWrongArgs(objv, keys ? 'keys' : 'values', 'dictionary ?pattern?');
  const m = toDict(objv[2]);
  const pattern = objv.length === 4 ? objv[3].toString() : null;
  const out: TclObj[] = [];
  if (keys && pattern !== null && isTrivialPattern(pattern)) {
    if (m.has(pattern)) out.push(TclObj.fromString(pattern));
  } else if (keys) {
    for (const k of m.keys()) if (pattern === null || globMatch(pattern, k, false)) out.push(TclObj.fromString(k));
  } else {
    for (const v of m.values()) if (pattern === null || globMatch(pattern, v.toString(), false)) out.push(v);
  }
  interp.result = TclObj.fromList(out);
  return OK;
}

function dictLappend(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 4) subWrongArgs(objv, 'lappend', 'dictVarName key ?value ...?');
  const key = objv[3].toString();
  interp.result = updateDictVar(interp, objv[2].toString(), (m) => m.set(key, lappendedValue(m.get(key), objv, 4)));
  return OK;
}

function dictMerge(interp: Interp, objv: TclObj[]): number {
  if (objv.length === 2) {
    interp.result = EMPTY;
    return OK;
  }
  const first = toDict(objv[2]);
  if (objv.length === 3) {
    interp.result = objv[2];
    return OK;
  }
  const m = new Map(first);
  for (let i = 3; i < objv.length; i++) for (const [k, v] of toDict(objv[i])) m.set(k, v);
  interp.result = TclObj.fromDict(m);
  return OK;
}

function dictRemove(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 3) subWrongArgs(objv, 'remove', 'dictionary ?key ...?');
  const m = new Map(toDict(objv[2]));
  for (let i = 3; i < objv.length; i++) m.delete(objv[i].toString());
  interp.result = TclObj.fromDict(m);
  return OK;
}

function dictReplace(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 3 || (objv.length & 1) === 0) subWrongArgs(objv, 'replace', 'dictionary ?key value ...?');
  const m = new Map(toDict(objv[2]));
  for (let i = 3; i < objv.length; i += 2) m.set(objv[i].toString(), objv[i + 1]);
  interp.result = TclObj.fromDict(m);
  return OK;
}

function dictSet(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 5) subWrongArgs(objv, 'set', 'dictVarName key ?key ...? value');
  const last = objv.length - 2;
  const value = objv[objv.length - 1];
  interp.result = updateDictVar(interp, objv[2].toString(), (m) => setInMap(m, objv, 3, last, value));
  return OK;
}

function dictSize(interp: Interp, objv: TclObj[]): number {
  if (objv.length !== 3) subWrongArgs(objv, 'size', 'dictionary');
  interp.result = TclObj.fromInt(toDict(objv[2]).size);
  return OK;
}

function dictUnset(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 4) subWrongArgs(objv, 'unset', 'dictVarName key ?key ...?');
  const last = objv.length - 1;
  interp.result = updateDictVar(interp, objv[2].toString(), (m) => unsetInMap(m, objv, 3, last));
  return OK;
}

function dictUpdate(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 6 || (objv.length & 1) !== 0) {
    subWrongArgs(objv, 'update', 'dictVarName key varName ?key varName ...? script');
  }
  const dictName = objv[2].toString();
  const pairs: TclObj[] = objv.slice(3, objv.length - 1);
  updateBegin(interp, dictName, pairs);
  const code = interp.evalObj(objv[objv.length - 1]);
  return updateFinish(interp, code, dictName, pairs);
}

/** Copy the selected keys of a dict variable into variables (unsetting those whose key is absent). */
function updateBegin(interp: Interp, dictName: string, pairs: readonly TclObj[]): void {
  const m = toDict(readLoud(interp, dictName));
  for (let i = 0; i < pairs.length; i += 2) {
    const v = m.get(pairs[i].toString());
    const varName = pairs[i + 1].toString();
    if (v === undefined) interp.unsetVar(varName, undefined, false);
    else writeVar(interp, varName, v);
  }
}

/** Write the variables back into the dict variable (if it still exists) whatever the body did. */
function updateFinish(interp: Interp, code: number, dictName: string, pairs: readonly TclObj[]): number {
  if (code === ERROR) interp.addErrorInfo('\n    (body of "dict update")');
  const result = interp.result;
  const cur = readQuiet(interp, dictName);
  if (cur === null) {
    interp.result = result;
    return code;
  }
  const m = new Map(toDict(cur));
  for (let i = 0; i < pairs.length; i += 2) {
    const v = readQuiet(interp, pairs[i + 1].toString());
    if (v === null) m.delete(pairs[i].toString());
    else m.set(pairs[i].toString(), v);
  }
  writeVar(interp, dictName, TclObj.fromDict(m));
  interp.result = result;
  return code;
}

function dictWith(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 4) subWrongArgs(objv, 'with', 'dictVarName ?key ...? script');
  const dictName = objv[2].toString();
  const path = objv.slice(3, objv.length - 1);
  const keys = withBegin(interp, dictName, path);
  const code = interp.evalObj(objv[objv.length - 1]);
  return withFinish(interp, code, dictName, path, keys);
}

/** Set a variable for every key of the dict at `path` in the dict variable; returns those keys. */
function withBegin(interp: Interp, dictName: string, path: readonly TclObj[]): string[] {
  const leaf = dictGetPath(readLoud(interp, dictName), path, 0);
  const m = toDict(leaf);
  const keys: string[] = [];
  for (const [k, v] of m) {
    keys.push(k);
    writeVar(interp, k, v);
  }
  return keys;
}

function withFinish(interp: Interp, code: number, dictName: string, path: readonly TclObj[], keys: readonly string[]): number {
  if (code === ERROR) interp.addErrorInfo('\n    (body of "dict with")');
  const result = interp.result;
  const cur = readQuiet(interp, dictName);
  if (cur === null) {
    interp.result = result;
    return code;
  }
  const updated = withWriteBack(interp, cur, path, 0, keys);
  if (updated !== null) writeVar(interp, dictName, updated);
  interp.result = result;
  return code;
}

/** The dict `d` with the leaf at path[from..] refreshed from the key variables; null if the path vanished. */
function withWriteBack(interp: Interp, d: TclObj, path: readonly TclObj[], from: number, keys: readonly string[]): TclObj | null {
  const m = new Map(toDict(d));
  if (from < path.length) {
    const key = path[from].toString();
    const child = m.get(key);
    if (child === undefined) keyNotKnown(key);
    const newChild = withWriteBack(interp, child, path, from + 1, keys);
    if (newChild === null) return null;
    m.set(key, newChild);
    return TclObj.fromDict(m);
  }
  for (const k of keys) {
    const v = readQuiet(interp, k);
    if (v === null) m.delete(k);
    else m.set(k, v);
  }
  return TclObj.fromDict(m);
}

const SUB_PROCS: SubProc[] = [
  dictAppend,
  dictCreate,
  dictExists,
  dictFilter,
  dictFor,
  dictGet,
  dictIncr,
  dictInfo,
  (ip, objv) => dictKeysValues(ip, objv, true),
  dictLappend,
  dictMap,
  dictMerge,
  dictRemove,
  dictReplace,
  dictSet,
  dictSize,
  dictUnset,
  dictUpdate,
  (ip, objv) => dictKeysValues(ip, objv, false),
  dictWith,
];

function dictCmd(interp: Interp, objv: TclObj[]): number {
  if (objv.length < 2) ensembleWrongArgs(objv);
  return SUB_PROCS[SUBS.lookup(objv[1])](interp, objv);
}

// ------------------------------------------------------------------ inline compilation

const SUB_APPEND = 0;
const SUB_EXISTS = 2;
const SUB_FOR = 4;
const SUB_GET = 5;
const SUB_INCR = 6;
const SUB_LAPPEND = 9;
const SUB_MAP = 10;
const SUB_SET = 14;
const SUB_SIZE = 15;
const SUB_UNSET = 16;
const SUB_UPDATE = 17;
const SUB_WITH = 19;

function valueFnOf(w: CompiledWord): ValueFn {
  const k = w.constant;
  return k !== null ? () => k : w.fn!;
}

/**
 * A reader for a dict argument that does not escape the command (dict get/exists/size): a plain
 * `$name` word is read without clearing the owner mark, so reading a dict in a loop does not force
 * the next update to copy it.
 */
function dictArgReader(c: Compiler, w: CompiledWord): ValueFn {
  const parts = w.word.parts;
  if (parts.length === 1 && parts[0].kind === PartKind.Var && !w.expand) {
    const name = parts[0].text;
    const [, index] = splitArrayName(name);
    if (index === null) {
      const locate = c.slot(name) >= 0 ? c.varLocator(name) : null;
      return (interp) => {
        const v = locate !== null ? locate(interp) : interp.findVar(name);
        if (v !== null && v.traces === null && v.value !== null) return v.value;
        return interp.readVar(v, name, null);
      };
    }
  }
  return valueFnOf(w);
}

/** Evaluate words[from..] into a fresh array (null when a substitution did not complete). */
function evalWords(interp: Interp, fns: readonly ValueFn[]): TclObj[] | null {
  const n = fns.length;
  const out = new Array<TclObj>(n);
  for (let i = 0; i < n; i++) {
    const v = fns[i](interp);
    if (v === null) return null;
    out[i] = v;
  }
  return out;
}

/** The literal name of a simple (non-element) variable word, or null. */
function simpleVarName(w: CompiledWord): string | null {
  if (w.constant === null) return null;
  const name = w.constant.toString();
  return splitArrayName(name)[1] === null ? name : null;
}

/**
 * Compile an update of a dict variable: `change` edits the map in place and must validate
 * everything before its first change, so a failed update leaves an owned dict untouched.
 */
function compileDictUpdate(
  c: Compiler,
  name: string,
  argFns: readonly ValueFn[],
  change: (m: DictMap, args: TclObj[]) => void,
): ExecFn {
  const locate = c.varLocator(name);
  const keepOwned = !c.resultUsed;
  return (interp) => {
    const args = evalWords(interp, argFns);
    if (args === null) return interp.pendingCode;
    const vr: Var = locate(interp);
    if (vr.traces !== null || vr.arr !== null) {
      interp.result = updateDictVar(interp, name, (m) => change(m, args));
      return OK;
    }
    const cur = vr.value;
    let obj: TclObj;
    if (cur !== null && cur.code === OWNED_LIST && cur.t === Rep.Dict) {
      change(cur.r as DictMap, args);
      cur.s = null;
      obj = cur;
    } else {
      const m = cur === null ? new Map<string, TclObj>() : new Map(toDict(cur));
      change(m, args);
      obj = TclObj.fromDict(m);
    }
    obj.code = keepOwned ? OWNED_LIST : null;
    vr.value = obj;
    interp.result = obj;
    return OK;
  };
}

function compileDict(c: Compiler, words: CompiledWord[]): ExecFn | null {
  if (words.length < 2 || words.some((w) => w.expand) || words[1].constant === null) return null;
  let sub: number;
  try {
    sub = SUBS.lookup(words[1].constant);
  } catch {
    return null;
  }
  const n = words.length;
  switch (sub) {
    case SUB_GET: {
      if (n < 4) return null;
      const dictFn = dictArgReader(c, words[2]);
      const keyFns = words.slice(3).map(valueFnOf);
      if (keyFns.length === 1) {
        const k0 = keyFns[0];
        return (interp) => {
          const d = dictFn(interp);
          if (d === null) return interp.pendingCode;
          const k = k0(interp);
          if (k === null) return interp.pendingCode;
          const key = k.toString();
          const v = toDict(d).get(key);
          if (v === undefined) keyNotKnown(key);
          interp.result = v;
          return OK;
        };
      }
      return (interp) => {
        const d = dictFn(interp);
        if (d === null) return interp.pendingCode;
        const keys = evalWords(interp, keyFns);
        if (keys === null) return interp.pendingCode;
        interp.result = dictGetPath(d, keys, 0);
        return OK;
      };
    }
    case SUB_EXISTS: {
      if (n < 4) return null;
      const dictFn = dictArgReader(c, words[2]);
      const keyFns = words.slice(3).map(valueFnOf);
      return (interp) => {
        const d = dictFn(interp);
        if (d === null) return interp.pendingCode;
        const keys = evalWords(interp, keyFns);
        if (keys === null) return interp.pendingCode;
        interp.result = TclObj.fromBool(dictExistsPath(d, keys, 0));
        return OK;
      };
    }
    case SUB_SIZE: {
      if (n !== 3) return null;
      const dictFn = dictArgReader(c, words[2]);
      return (interp) => {
        const d = dictFn(interp);
        if (d === null) return interp.pendingCode;
        interp.result = TclObj.fromInt(toDict(d).size);
        return OK;
      };
    }
    case SUB_SET: {
      if (n < 5) return null;
      const name = simpleVarName(words[2]);
      if (name === null) return null;
      const argFns = words.slice(3).map(valueFnOf);
      const last = argFns.length - 2;
      return compileDictUpdate(c, name, argFns, (m, args) => setInMap(m, args, 0, last, args[last + 1]));
    }
    case SUB_UNSET: {
      if (n < 4) return null;
      const name = simpleVarName(words[2]);
      if (name === null) return null;
      const argFns = words.slice(3).map(valueFnOf);
      const last = argFns.length - 1;
      return compileDictUpdate(c, name, argFns, (m, args) => unsetInMap(m, args, 0, last));
    }
    case SUB_INCR: {
      if (n !== 4 && n !== 5) return null;
      const name = simpleVarName(words[2]);
      if (name === null) return null;
      const argFns = words.slice(3).map(valueFnOf);
      return compileDictUpdate(c, name, argFns, (m, args) => {
        const key = args[0].toString();
        m.set(key, incrementedValue(m.get(key), args.length > 1 ? args[1] : null));
      });
    }
    case SUB_LAPPEND:
    case SUB_APPEND: {
      if (n < 4) return null;
      const name = simpleVarName(words[2]);
      if (name === null) return null;
      const argFns = words.slice(3).map(valueFnOf);
      const make = sub === SUB_LAPPEND ? lappendedValue : appendedValue;
      return compileDictUpdate(c, name, argFns, (m, args) => {
        const key = args[0].toString();
        m.set(key, make(m.get(key), args, 1));
      });
    }
    case SUB_FOR:
    case SUB_MAP:
      return compileDictLoop(c, words, sub === SUB_MAP);
    case SUB_UPDATE:
      return compileDictUpdateBody(c, words);
    case SUB_WITH:
      return compileDictWith(c, words);
    default:
      return null;
  }
}

/** A setter for a loop variable: a frame slot when the name is a simple local. */
function loopSetter(c: Compiler, name: string): (interp: Interp, v: TclObj) => void {
  if (c.slot(name) < 0) return (interp, v) => void interp.setVar(name, v);
  const locate = c.varLocator(name);
  return (interp, v) => {
    const vr = locate(interp);
    if (vr.traces === null && vr.arr === null) vr.value = v;
    else interp.writeVar(vr, name, null, v);
  };
}

/** `dict for` / `dict map` with a literal variable list and body, inside a procedure. */
function compileDictLoop(c: Compiler, words: CompiledWord[], isMap: boolean): ExecFn | null {
  if (c.procDef === null || words.length !== 5) return null;
  const varList = words[2].constant;
  if (varList === null || words[4].constant === null) return null;
  let names: readonly TclObj[];
  try {
    names = getList(varList);
  } catch {
    return null;
  }
  if (names.length !== 2) return null;
  const kName = names[0].toString();
  const vName = names[1].toString();
  const setK = loopSetter(c, kName);
  const setV = loopSetter(c, vName);
  const dictFn = valueFnOf(words[3]);
  const body = c.compileBodyWord(words[4], !isMap);
  if (body === null) return null;
  return (interp) => {
    const d = dictFn(interp);
    if (d === null) return interp.pendingCode;
    const m = toDict(d);
    const out = isMap ? new Map<string, TclObj>() : null;
    for (const [k, v] of m) {
      setK(interp, TclObj.fromString(k));
      setV(interp, v);
      const code = body(interp);
      if (code !== OK) {
        if (code === CONTINUE) continue;
        if (code === BREAK) {
          interp.result = EMPTY;
          return OK;
        }
        return code;
      }
      if (out !== null) {
        const result = interp.result;
        out.set(interp.getVar(kName).toString(), result);
      }
    }
    interp.result = out === null ? EMPTY : TclObj.fromDict(out);
    return OK;
  };
}

function compileDictUpdateBody(c: Compiler, words: CompiledWord[]): ExecFn | null {
  const n = words.length;
  if (c.procDef === null || n < 6 || (n & 1) !== 0) return null;
  const dictName = simpleVarName(words[2]);
  if (dictName === null) return null;
  const pairFns = words.slice(3, n - 1).map(valueFnOf);
  const body = c.compileBodyWord(words[n - 1], false);
  if (body === null) return null;
  return (interp) => {
    const pairs = evalWords(interp, pairFns);
    if (pairs === null) return interp.pendingCode;
    updateBegin(interp, dictName, pairs);
    const code = body(interp);
    return updateFinishCompiled(interp, code, dictName, pairs);
  };
}

/** Compiled bodies report errors through the procedure's own context, not "(body of ...)". */
function updateFinishCompiled(interp: Interp, code: number, dictName: string, pairs: readonly TclObj[]): number {
  if (code !== ERROR) return updateFinish(interp, code, dictName, pairs);
  const saved = interp.result;
  const cur = readQuiet(interp, dictName);
  if (cur !== null) {
    const m = new Map(toDict(cur));
    for (let i = 0; i < pairs.length; i += 2) {
      const v = readQuiet(interp, pairs[i + 1].toString());
      if (v === null) m.delete(pairs[i].toString());
      else m.set(pairs[i].toString(), v);
    }
    writeVar(interp, dictName, TclObj.fromDict(m));
  }
  interp.result = saved;
  return code;
}

function compileDictWith(c: Compiler, words: CompiledWord[]): ExecFn | null {
  const n = words.length;
  if (c.procDef === null || n < 4) return null;
  const dictName = simpleVarName(words[2]);
  if (dictName === null) return null;
  const pathFns = words.slice(3, n - 1).map(valueFnOf);
  const body = c.compileBodyWord(words[n - 1], false);
  if (body === null) return null;
  return (interp) => {
    const path = evalWords(interp, pathFns);
    if (path === null) return interp.pendingCode;
    const keys = withBegin(interp, dictName, path);
    const code = body(interp);
    if (code !== ERROR) return withFinish(interp, code, dictName, path, keys);
    const saved = interp.result;
    const cur = readQuiet(interp, dictName);
    if (cur !== null) {
      const updated = withWriteBack(interp, cur, path, 0, keys);
      if (updated !== null) writeVar(interp, dictName, updated);
    }
    interp.result = saved;
    return code;
  };
}

export function register(interp: Interp): void {
  registerCompiled(interp, 'dict', dictCmd, compileDict);
}
