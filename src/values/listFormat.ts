/**
 * Canonical list quoting, as Tcl_ScanElement/Tcl_ConvertElement decide it: an element is left bare
 * when that reads back unchanged, braced when braces can hold it, and backslash-escaped otherwise.
 */

const BARE = 0;
const BRACE = 1;
const ESCAPE = 2;

function classify(s: string, first: boolean): number {
  const n = s.length;
  if (n === 0) return BRACE;
  let c = s.charCodeAt(0);
  let forbidNone = false;
  let preferBrace = false;
  let preferEscape = false;
  let requireEscape = false;
  let depth = 0;
  // A leading brace or quote would be taken as quoting when the list is read back.
  if (c === 123 /* { */ || c === 34 /* " */) {
    forbidNone = true;
    preferBrace = true;
  }
  for (let i = 0; i < n; i++) {
    c = s.charCodeAt(i);
    switch (c) {
      case 123: // {
        depth++;
        break;
      case 125: // }
        if (--depth < 0) requireEscape = true;
        break;
      case 93: case 34: // ] "
        forbidNone = true;
        preferEscape = true;
        break;
      case 91: case 36: case 59: // [ $ ;
      case 32: case 9: case 10: case 11: case 12: case 13: // whitespace
        forbidNone = true;
        preferBrace = true;
        break;
      case 92: // backslash
        // A trailing backslash or a backslash-newline cannot be protected by braces.
        if (i + 1 === n || s.charCodeAt(i + 1) === 10) {
          requireEscape = true;
          i++;
          break;
        }
        c = s.charCodeAt(i + 1);
        if (c === 123 || c === 125 || c === 92) i++;
        forbidNone = true;
        preferBrace = true;
        break;
      default:
        break;
    }
  }
  if (depth !== 0 || requireEscape) return ESCAPE;
  if (forbidNone) return preferEscape && !preferBrace ? ESCAPE : BRACE;
  // A leading '#' on the first element would read back as a comment in a script.
  if (first && s.charCodeAt(0) === 35) return BRACE;
  return BARE;
}

function escapeElement(s: string, first: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    switch (ch) {
      case '{': case '}': case '[': case ']': case '$': case ';': case '"': case '\\': case ' ':
        out += '\\' + ch;
        break;
      case '#':
        out += i === 0 && first ? '\\#' : '#';
        break;
      case '\n': out += '\\n'; break;
      case '\t': out += '\\t'; break;
      case '\r': out += '\\r'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      default: out += ch;
    }
  }
  return out;
}

/** Quote one element for inclusion in a list string. `first` marks the list's first element. */
export function quoteElement(s: string, first = true): string {
  switch (classify(s, first)) {
    case BARE: return s;
    case BRACE: return '{' + s + '}';
    default: return escapeElement(s, first);
  }
}

/** Join already-stringified elements into a canonical list string. */
export function formatStringList(items: readonly string[]): string {
  const n = items.length;
  if (n === 0) return '';
  let out = quoteElement(items[0], true);
  for (let i = 1; i < n; i++) out += ' ' + quoteElement(items[i], false);
  return out;
}
