/**
 * Call frames. A proc frame keeps its compiled locals in `locals`, indexed by the slots the compiler
 * gave each name (`slotIndex` maps names to slots for lookups by name); names first used dynamically
 * live in `extra`. Namespace frames (global, `namespace eval`) keep no locals: their variables are the
 * namespace's.
 */
import type { TclObj } from '../values/obj.js';
import type { Namespace } from './namespace.js';
import type { ProcDef } from './proc.js';
import type { Var } from './vars.js';

export class Frame {
  ns: Namespace;
  proc: ProcDef | null;
  locals: Array<Var | null>;
  slotIndex: Map<string, number> | null;
  extra: Map<string, Var> | null;
  /** `info level` of this frame. */
  level: number;
  /** The frame whose variables the caller saw (uplevel walks these). */
  callerVar: Frame | null;
  /** The command words that created this frame (`info level N`). */
  objv: TclObj[] | null;
  /** Whether variables are locals (proc or lambda frames) rather than namespace variables. */
  isProc: boolean;
  /** The lambda expression for `apply` frames (errorInfo says "lambda term"). */
  lambda: TclObj | null;
  /** Local names that upvar/global/variable made links (a link may be re-pointed; a variable may not). */
  linkNames: Set<string> | null;

  constructor(ns: Namespace, proc: ProcDef | null, level: number, callerVar: Frame | null, objv: TclObj[] | null, isProc: boolean) {
    this.ns = ns;
    this.proc = proc;
    this.locals = EMPTY_LOCALS;
    this.slotIndex = null;
    this.extra = null;
    this.level = level;
    this.callerVar = callerVar;
    this.objv = objv;
    this.isProc = isProc;
    this.lambda = null;
    this.linkNames = null;
  }
}

const EMPTY_LOCALS: Array<Var | null> = [];
