/** Completion codes of commands and scripts (Tcl's TCL_OK ... TCL_CONTINUE). */
export const OK = 0;
export const ERROR = 1;
export const RETURN = 2;
export const BREAK = 3;
export const CONTINUE = 4;
