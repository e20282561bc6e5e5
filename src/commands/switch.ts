/**
 * `switch ?options? string pattern body ?pattern body ...?` and the single-list form, with Tcl
 * 8.6's option rules and messages. When the options and the pattern/body words are literal the
 * command is compiled inline: patterns are prepared once (regexps compiled, fall-through `-` bodies
 * resolved) and bodies become part of the enclosing compiled script, so their errors report the
 * enclosing script's line numbers as Tcl's compiled switch does.
 */
import { TclObj } from '../values/obj.js';
import { TclError } from '../values/error.js';
import { getList } from '../values/list.js';
import { OK, ERROR } from '../engine/codes.js';
import { getIndexFromTable, wrongNumArgs } from '../engine/args.js';
import type { CompiledWord, Compiler, ExecFn, ValueFn } from '../engine/compile.js';
import type { Interp } from '../engine/interp.js';
import { compileRegex, CF } from '../regex/regex.js';
import type { TclRegex } from '../regex/regex.js';
import { lowerString } from './caseMap.js';
import { globMatcher, globMatcherFor } from './globFast.js';
import { registerCompiled } from './registry.js';
import { isTclSpace } from '../values/number.js';

const EMPTY = TclObj.EMPTY;

const OPTIONS = ['-exact', '-glob', '-indexvar', '-matchvar', '-nocase', '-regexp', '--'] as const;
const enum Opt {
  Exact = 0,
  Glob = 1,
  IndexVar = 2,
  MatchVar = 3,
  NoCase = 4,
  Regexp = 5,
  Last = 6,
}

const USAGE = '?-option ...? string ?pattern body ...? ?default body?';

interface SwitchSetup {
  mode: Opt;
  nocase: boolean;
  indexVar: TclObj | null;
  matchVar: TclObj | null;
  /** Index in the words of the string to match. */
  stringIndex: number;
  /** The option scan stopped at the string word because it does not start with "-". */
  examinedString: boolean;
}

/** Parse the options (Tcl's loop over the words before the last two). */
function parseOptions(objv: readonly TclObj[]): SwitchSetup {
  const n = objv.length;
  let mode = Opt.Exact;
  let foundMode = false;
  let nocase = false;
  let indexVar: TclObj | null = null;
  let matchVar: TclObj | null = null;
  let i = 1;
  let examinedString = false;
  for (; i < n - 2; i++) {
    const s = objv[i].toString();
    if (s.charCodeAt(0) !== 45) {
      examinedString = true;
      break;
    }
    const opt = getIndexFromTable(objv[i], OPTIONS, 'option') as Opt;
    if (opt === Opt.Last) {
      i++;
      break;
    }
    switch (opt) {
      case Opt.NoCase:
        nocase = true;
        break;
      case Opt.IndexVar:
      case Opt.MatchVar: {
        const name = OPTIONS[opt];
        if (++i >= n - 2) {
          throw new TclError(`missing variable name argument to ${name} option`, 'TCL OPERATION SWITCH NOVAR');
        }
        if (opt === Opt.IndexVar) indexVar = objv[i];
        else matchVar = objv[i];
        break;
      }
      default:
        if (foundMode) {
          throw new TclError(`bad option "${s}": ${OPTIONS[mode]} option already found`, 'TCL OPERATION SWITCH DOUBLEOPT');
        }
        foundMode = true;
        mode = opt;
    }
  }
  if (n - i < 2) wrongNumArgs(objv, 1, USAGE);
  if (indexVar !== null && mode !== Opt.Regexp) {
    throw new TclError('-indexvar option requires -regexp option', 'TCL OPERATION SWITCH MODERESTRICTION');
  }
  if (matchVar !== null && mode !== Opt.Regexp) {
    throw new TclError('-matchvar option requires -regexp option', 'TCL OPERATION SWITCH MODERESTRICTION');
  }
  return { mode, nocase, indexVar, matchVar, stringIndex: i, examinedString };
}

/** Check the pattern/body words; throws Tcl's errors for an odd count or a trailing `-`. */
function checkArms(arms: readonly TclObj[], fromList: boolean): void {
  const n = arms.length;
  if (n % 2 !== 0) {
    if (fromList) {
      for (let i = 0; i < n; i += 2) {
        if (arms[i].toString().charCodeAt(0) === 35) {
          throw new TclError(
            'extra switch pattern with no body, this may be due to a comment incorrectly placed outside of a switch body - see the "switch" documentation',
            'TCL OPERATION SWITCH BADARM COMMENT?',
          );
        }
      }
    }
    throw new TclError('extra switch pattern with no body', 'TCL OPERATION SWITCH BADARM');
  }
  if (arms[n - 1].toString() === '-') {
    throw new TclError(`no body specified for pattern "${arms[n - 2].toString()}"`, 'TCL OPERATION SWITCH BADARM FALLTHROUGH');
  }
}

/** The pattern/body words: the remaining words, or the elements of a single list word. */
function armsOf(objv: readonly TclObj[], first: number): { arms: readonly TclObj[]; fromList: boolean } {
  if (objv.length - first === 1) {
    const arms = getList(objv[first]);
    if (arms.length < 1) wrongNumArgs(objv, 1, '?-option ...? string {?pattern body ...? ?default body?}');
    return { arms, fromList: true };
  }
  return { arms: objv.slice(first), fromList: false };
}

/** Index of the body to run for the arm at `i` (skipping fall-through `-` bodies). */
function bodyIndex(arms: readonly TclObj[], i: number): number {
  let j = i + 1;
  while (arms[j].toString() === '-') j += 2;
  return j;
}

function regexFlags(nocase: boolean): number {
  return nocase ? CF.ICASE : 0;
}

/** Set -indexvar/-matchvar from a regexp match (pm: start/end pairs, whole match first). */
function setMatchVars(interp: Interp, str: string, pm: Int32Array, groups: number, indexVar: TclObj | null, matchVar: TclObj | null): void {
  const indices: TclObj[] | null = indexVar !== null ? [] : null;
  const matches: TclObj[] | null = matchVar !== null ? [] : null;
  for (let j = 0; j <= groups; j++) {
    const start = pm[2 * j];
    const end = pm[2 * j + 1];
    if (indices !== null) {
      // Tcl reports a group that ends at offset 0 (empty, at the start) as not matched.
      const pair = end > 0 ? [TclObj.fromInt(start), TclObj.fromInt(end - 1)] : [TclObj.fromInt(-1), TclObj.fromInt(-1)];
      indices.push(TclObj.fromList(pair));
    }
    if (matches !== null) matches.push(start >= 0 && end > start ? TclObj.fromString(str.slice(start, end)) : EMPTY);
  }
  if (indexVar !== null) interp.setVar(indexVar.toString(), TclObj.fromList(indices!));
  if (matchVar !== null) interp.setVar(matchVar.toString(), TclObj.fromList(matches!));
}

/** Set -indexvar/-matchvar to empty lists (the default arm in -regexp mode). */
function clearMatchVars(interp: Interp, indexVar: TclObj | null, matchVar: TclObj | null): void {
  if (indexVar !== null) interp.setVar(indexVar.toString(), EMPTY);
  if (matchVar !== null) interp.setVar(matchVar.toString(), EMPTY);
}

let scratchPm = new Int32Array(20);

function pmFor(re: TclRegex): Int32Array {
  const need = 2 * (re.nsub + 1);
  if (scratchPm.length < need) scratchPm = new Int32Array(need);
  return scratchPm;
}

/** Find the matching arm: its index, or -1. Sets the match variables for -regexp. */
function findArm(interp: Interp, setup: SwitchSetup, arms: readonly TclObj[], str: string): number {
  const n = arms.length;
  const { mode, nocase } = setup;
  const lowered = mode === Opt.Exact && nocase ? lowerString(str) : str;
  for (let i = 0; i < n; i += 2) {
    const pattern = arms[i].toString();
    if (i === n - 2 && pattern === 'default') {
      clearMatchVars(interp, setup.indexVar, setup.matchVar);
      return i;
    }
    if (mode === Opt.Exact) {
      if (nocase ? lowerString(pattern) === lowered : pattern === str) return i;
    } else if (mode === Opt.Glob) {
      if (globMatcherFor(arms[i], nocase)(str)) return i;
    } else {
      const re = compileRegex(pattern, regexFlags(nocase));
      const wantVars = setup.indexVar !== null || setup.matchVar !== null;
      const pm = wantVars ? pmFor(re) : null;
      if (re.exec(str, 0, false, pm)) {
        if (wantVars) setMatchVars(interp, str, pm!, re.nsub, setup.indexVar, setup.matchVar);
        return i;
      }
    }
  }
  return -1;
}

function switchCmd(interp: Interp, objv: TclObj[]): number {
  const setup = parseOptions(objv);
  const { arms, fromList } = armsOf(objv, setup.stringIndex + 1);
  checkArms(arms, fromList);
  const i = findArm(interp, setup, arms, objv[setup.stringIndex].toString());
  if (i < 0) {
    interp.result = EMPTY;
    return OK;
  }
  const code = interp.evalObj(arms[bodyIndex(arms, i)]);
  if (code === ERROR) {
    const pattern = arms[i].toString();
    const shown = pattern.length > 50 ? pattern.slice(0, 50) + '...' : pattern;
    interp.addErrorInfo(`\n    ("${shown}" arm line ${interp.errorLine})`);
  }
  return code;
}

// ------------------------------------------------------------------ inline compilation

/** Start offsets of the elements of a list's text (the same scan as list parsing). */
function elementOffsets(s: string): number[] {
  const out: number[] = [];
  const n = s.length;
  let i = 0;
  for (;;) {
    while (i < n && isTclSpace(s.charCodeAt(i))) i++;
    if (i >= n) return out;
    const c = s.charCodeAt(i);
    if (c === 123) {
      out.push(i + 1);
      let depth = 1;
      i++;
      while (i < n && depth > 0) {
        const d = s.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 123) depth++;
        else if (d === 125) depth--;
        i++;
      }
    } else if (c === 34) {
      out.push(i + 1);
      i++;
      while (i < n && s.charCodeAt(i) !== 34) i += s.charCodeAt(i) === 92 ? 2 : 1;
      i++;
    } else {
      out.push(i);
      while (i < n && !isTclSpace(s.charCodeAt(i))) i += s.charCodeAt(i) === 92 ? 2 : 1;
    }
  }
}

function countNewlines(s: string, end: number): number {
  let k = 0;
  for (let i = s.indexOf('\n'); i >= 0 && i < end; i = s.indexOf('\n', i + 1)) k++;
  return k;
}

type ArmTest = (interp: Interp, str: string) => boolean;

function compileSwitch(c: Compiler, words: CompiledWord[]): ExecFn | null {
  const n = words.length;
  if (n < 3) return null;
  for (const w of words) if (w.expand) return null;
  // Option words must be literal to be understood now; the string word may be anything.
  const texts: TclObj[] = [];
  for (let i = 0; i < n; i++) texts.push(words[i].constant ?? TclObj.fromString('\u0000dynamic'));
  let setup: SwitchSetup;
  let arms: readonly TclObj[];
  let lines: number[];
  try {
    setup = parseOptions(texts);
    for (let i = 1; i < setup.stringIndex; i++) if (words[i].constant === null) return null;
    // A dynamic string word that the option scan looked at might turn out to be an option.
    if (setup.examinedString && words[setup.stringIndex].constant === null) return null;
    const first = setup.stringIndex + 1;
    for (let i = first; i < n; i++) if (words[i].constant === null) return null;
    const r = armsOf(texts, first);
    arms = r.arms;
    checkArms(arms, r.fromList);
    if (r.fromList) {
      const w = words[first];
      const text = w.constant!.toString();
      const offsets = elementOffsets(text);
      if (offsets.length !== arms.length) return null;
      lines = offsets.map((o) => w.word.line + countNewlines(text, o));
    } else {
      lines = words.slice(first).map((w) => w.word.line);
    }
  } catch {
    return null;
  }
  const { mode, nocase, indexVar, matchVar } = setup;
  const keep = !c.resultUsed;
  const count = arms.length;
  const tests: ArmTest[] = [];
  const bodies: ExecFn[] = [];
  let defaultArm = false;
  // Arms that fall through share their body's compiled form.
  const compiled = new Map<number, ExecFn>();
  for (let i = 0; i < count; i += 2) {
    const pattern = arms[i].toString();
    const j = bodyIndex(arms, i);
    let body = compiled.get(j);
    if (body === undefined) {
      body = c.compileBodyText(arms[j].toString(), lines[j], keep);
      compiled.set(j, body);
    }
    bodies.push(body);
    if (i === count - 2 && pattern === 'default') {
      defaultArm = true;
      break;
    }
    tests.push(armTest(mode, nocase, pattern, indexVar, matchVar));
  }
  const subject = words[setup.stringIndex];
  const k = subject.constant;
  const subjectFn: ValueFn = k !== null ? () => k : subject.fn!;
  const nTests = tests.length;
  const loweredSubject = mode === Opt.Exact && nocase;
  return (interp) => {
    const v = subjectFn(interp);
    if (v === null) return interp.pendingCode;
    let str = v.toString();
    if (loweredSubject) str = lowerString(str);
    for (let i = 0; i < nTests; i++) if (tests[i](interp, str)) return bodies[i](interp);
    if (defaultArm) {
      clearMatchVars(interp, indexVar, matchVar);
      return bodies[nTests](interp);
    }
    interp.result = EMPTY;
    return OK;
  };
}

/** A test for one pattern; exact -nocase tests expect the subject already lower-cased. */
function armTest(mode: Opt, nocase: boolean, pattern: string, indexVar: TclObj | null, matchVar: TclObj | null): ArmTest {
  if (mode === Opt.Exact) {
    const p = nocase ? lowerString(pattern) : pattern;
    return (_interp, str) => str === p;
  }
  if (mode === Opt.Glob) {
    const test = globMatcher(pattern, nocase);
    return (_interp, str) => test(str);
  }
  let re: TclRegex | null = null;
  let failure: TclError | null = null;
  try {
    re = compileRegex(pattern, regexFlags(nocase));
  } catch (e) {
    if (!(e instanceof TclError)) throw e;
    failure = e;
  }
  const wantVars = indexVar !== null || matchVar !== null;
  return (interp, str) => {
    if (failure !== null) throw failure;
    const pm = wantVars ? pmFor(re!) : null;
    if (!re!.exec(str, 0, false, pm)) return false;
    if (wantVars) setMatchVars(interp, str, pm!, re!.nsub, indexVar, matchVar);
    return true;
  };
}

export function register(interp: Interp): void {
  registerCompiled(interp, 'switch', switchCmd, compileSwitch);
}

