// Pieces shared by the server benchmarks (bench-io.js, bench-socketserver.js).
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** Compiles the load generator (native/tools/echoload.c) into `dir`; returns its path. */
function buildEchoload(dir) {
  const out = path.join(dir, 'echoload');
  const cc = process.env.CC || 'cc';
  const r = spawnSync(cc, ['-O2', '-o', out, path.join(root, 'native', 'tools', 'echoload.c')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot compile echoload with ${cc}: ${r.stderr || r.error}`);
  return out;
}

function median(values) {
  const s = [...values].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

module.exports = { buildEchoload, median };
