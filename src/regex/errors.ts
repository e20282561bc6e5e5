/**
 * Compile errors with Tcl's texts and errorCode ("REGEXP <code> {<message>}").
 */
import { TclError } from '../values/error.js';

export const enum E {
  ECOLLATE,
  ECTYPE,
  EESCAPE,
  ESUBREG,
  EBRACK,
  EPAREN,
  EBRACE,
  BADBR,
  ERANGE,
  ESPACE,
  BADRPT,
  BADOPT,
}

const CODES: readonly (readonly [string, string])[] = [
  ['REG_ECOLLATE', 'invalid collating element'],
  ['REG_ECTYPE', 'invalid character class'],
  ['REG_EESCAPE', 'invalid escape \\ sequence'],
  ['REG_ESUBREG', 'invalid backreference number'],
  ['REG_EBRACK', 'brackets [] not balanced'],
  ['REG_EPAREN', 'parentheses () not balanced'],
  ['REG_EBRACE', 'braces {} not balanced'],
  ['REG_BADBR', 'invalid repetition count(s)'],
  ['REG_ERANGE', 'invalid character range'],
  ['REG_ESPACE', 'out of memory'],
  ['REG_BADRPT', 'quantifier operand invalid'],
  ['REG_BADOPT', 'invalid embedded option'],
];

export function regexError(code: E): TclError {
  const [name, text] = CODES[code];
  return new TclError(`couldn't compile regular expression pattern: ${text}`, `REGEXP ${name} {${text}}`);
}
