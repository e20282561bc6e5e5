/**
 * The transcendental functions behind expr. tclsh calls the C library's; V8's Math functions are a
 * different implementation and differ from glibc in the last bit for a good share of arguments
 * (sin, exp, atan2, pow, hypot, ...). An embedder with access to the C library (the native addon)
 * installs it here for bit-identical results; the JS versions are the fallback.
 */

export interface Libm {
  sin(x: number): number;
  cos(x: number): number;
  tan(x: number): number;
  asin(x: number): number;
  acos(x: number): number;
  atan(x: number): number;
  atan2(y: number, x: number): number;
  sinh(x: number): number;
  cosh(x: number): number;
  tanh(x: number): number;
  exp(x: number): number;
  log(x: number): number;
  log10(x: number): number;
  pow(x: number, y: number): number;
  hypot(x: number, y: number): number;
}

/** C's pow(): JS differs for a base of 1 and for -1 to an infinite power. */
function jsPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

/** Dekker's split: hi + lo === a with hi holding the upper 26 bits. */
function split(a: number): [number, number] {
  const c = 134217729 * a;
  const hi = c - (c - a);
  return [hi, a - hi];
}

/** a*a exactly, as a double-double (hi, lo). */
function square(a: number): [number, number] {
  const p = a * a;
  const [h, l] = split(a);
  return [p, ((h * h - p) + 2 * h * l) + l * l];
}

/**
 * hypot() accurate to the last bit in practice (V8's Math.hypot is off by an ulp or two for many
 * arguments): the sum of squares in double-double, its root, then one Newton correction.
 */
function jsHypot(x: number, y: number): number {
  x = Math.abs(x);
  y = Math.abs(y);
  if (x === Infinity || y === Infinity) return Infinity;
  if (x !== x || y !== y) return NaN;
  if (x < y) {
    const t = x;
    x = y;
    y = t;
  }
  if (y === 0) return x;
  // Scale into a range where the squares neither overflow nor lose bits to underflow.
  let scale = 1;
  if (x > 2 ** 500) {
    x *= 2 ** -600;
    y *= 2 ** -600;
    scale = 2 ** 600;
  } else if (x < 2 ** -500) {
    x *= 2 ** 600;
    y *= 2 ** 600;
    scale = 2 ** -600;
  }
  const [xh, xl] = square(x);
  const [yh, yl] = square(y);
  const s = xh + yh;
  const t = (xh - s + yh) + xl + yl;
  const r = Math.sqrt(s + t);
  const [rh, rl] = square(r);
  const residual = (s - rh) + (t - rl);
  return (r + residual / (2 * r)) * scale;
}

const jsLibm: Libm = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  atan2: Math.atan2,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  exp: Math.exp,
  log: Math.log,
  log10: Math.log10,
  pow: jsPow,
  hypot: jsHypot,
};

/** The functions in use (read at each call, so an installed library takes effect at once). */
export const libm: Libm = { ...jsLibm };

/** Replace some or all functions, e.g. with the C library's through the native addon. */
export function installLibm(impl: Partial<Libm>): void {
  Object.assign(libm, impl);
}
