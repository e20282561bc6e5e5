/**
 * Tcl 8.6.13's character classes (Tcl_UniCharIsAlpha and friends) over JS Unicode properties.
 *
 * Tcl derives every class from the Unicode general category, so each class is a `\p{...}` set. Node
 * knows a newer Unicode than Tcl 8.6.13 (Unicode 15): characters assigned since then are unassigned
 * (in no class) for Tcl, and one letter changed category (U+0295 was Ll). NEWER_THAN_TCL lists the
 * BMP characters Node assigns but Tcl does not; it was found by comparing every BMP character's
 * `string is` classes under tclsh 8.6.13 with these sets (the golden case strings/is-class-tables
 * prints the class ranges, so a Node upgrade that shifts them shows up there).
 */

const NEWER_THAN_TCL =
  '\\u088f\\u0897\\u0c5c\\u0cdc\\u1acf-\\u1add\\u1ae0-\\u1aeb\\u1b4e\\u1b4f\\u1b7f\\u1c89\\u1c8a\\u20c1' +
  '\\u2427-\\u2429\\u2b96\\u2ffc-\\u2fff\\u31e4\\u31e5\\u31ef\\ua7cb-\\ua7cf\\ua7d2\\ua7d4\\ua7da-\\ua7dc' +
  '\\ua7f1\\ufbc3-\\ufbd2\\ufd90\\ufd91\\ufdc8-\\ufdce';

/** Tcl_UniCharIsSpace: ASCII white space plus a fixed list (not simply \p{Z}). */
const SPACE_SET = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200b\\u2028\\u2029\\u202f\\u205f\\u2060\\u3000\\ufeff';

function tclSet(props: string): string {
  return `[${props}]--[${NEWER_THAN_TCL}]`;
}

/** Class bodies for a v-flag character class (without the outer brackets). */
const CLASS_SETS = {
  alnum: tclSet('\\p{L}\\p{Nd}'),
  alpha: tclSet('\\p{L}'),
  ascii: '\\x00-\\x7f',
  control: '\\p{Cc}\\p{Cf}\\p{Co}',
  digit: tclSet('\\p{Nd}'),
  graph: tclSet('\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}'),
  lower: tclSet('\\p{Ll}\\u0295'),
  print: tclSet('\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}\\p{Z}'),
  punct: tclSet('\\p{P}'),
  space: SPACE_SET,
  upper: tclSet('\\p{Lu}'),
  wordchar: tclSet('\\p{L}\\p{Nd}\\p{Pc}'),
  xdigit: '0-9A-Fa-f',
} as const;

export type CharClassName = keyof typeof CLASS_SETS;

const notRegexes = new Map<CharClassName, RegExp>();
const isRegexes = new Map<CharClassName, RegExp>();

/** A regex matching one character outside the class (compiled once per class). */
export function notClassRegex(name: CharClassName): RegExp {
  let re = notRegexes.get(name);
  if (re === undefined) {
    re = new RegExp(`[^${CLASS_SETS[name]}]`, 'v');
    notRegexes.set(name, re);
  }
  return re;
}

function classRegex(name: CharClassName): RegExp {
  let re = isRegexes.get(name);
  if (re === undefined) {
    re = new RegExp(`[${CLASS_SETS[name]}]`, 'v');
    isRegexes.set(name, re);
  }
  return re;
}

/** Index of the first character of `s` not in the class, or -1 when all are. */
export function firstNotInClass(name: CharClassName, s: string): number {
  return s.search(notClassRegex(name));
}

/** Whether one UTF-16 unit is in the class. */
export function inClass(name: CharClassName, c: number): boolean {
  return classRegex(name).test(String.fromCharCode(c));
}

let wordRe: RegExp | null = null;

/** Tcl_UniCharIsWordChar: letters, decimal digits and connector punctuation such as `_`. */
export function isWordChar(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  if (wordRe === null) wordRe = classRegex('wordchar');
  return wordRe.test(String.fromCharCode(c));
}

/** Tcl_UniCharIsSpace. */
export function isSpaceChar(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || c === 0x180e || (c >= 0x2000 && c <= 0x200b) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x2060 || c === 0x3000 || c === 0xfeff
  );
}
