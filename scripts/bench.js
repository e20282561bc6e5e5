#!/usr/bin/env node
// Runs the interpreter benchmarks under tclshim and tclsh in the same run, alternating, and prints
// each case's ratio (tclshim time / tclsh time, lower is better) and the geometric mean. Other
// benchmark groups (I/O, fork, socketserver) live in scripts/bench-*.js and run after this one.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const tclshim = process.env.TCLSHIM || path.join(root, 'bin', 'tclshim');
const tclsh = process.env.TCLSH || 'tclsh';
const runs = Number(process.env.BENCH_RUNS || 3);
const only = process.argv.slice(2);

function timeOnce(cmd, script) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, [script], { encoding: 'utf8', timeout: 300000 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${script} failed: ${r.stderr || r.error}`);
  return { ms, out: r.stdout.trim() };
}

function main() {
  const dir = path.join(__dirname, 'bench');
  const cases = fs.readdirSync(dir).filter((f) => f.endsWith('.tcl')).map((f) => f.slice(0, -4)).filter((c) => only.length === 0 || only.includes(c));
  const ratios = [];
  console.log(`interpreter benchmarks: best of ${runs} runs, whole process`);
  console.log('case       tclsh(ms)  tclshim(ms)  ratio');
  let mismatches = 0;
  for (const c of cases) {
    const script = path.join(dir, c + '.tcl');
    let best = { tclsh: Infinity, tclshim: Infinity };
    let outs = {};
    for (let i = 0; i < runs; i++) {
      for (const [name, cmd] of [['tclsh', tclsh], ['tclshim', tclshim]]) {
        const r = timeOnce(cmd, script);
        best[name] = Math.min(best[name], r.ms);
        outs[name] = r.out;
      }
    }
    const ratio = best.tclshim / best.tclsh;
    ratios.push(ratio);
    const same = outs.tclsh === outs.tclshim;
    if (!same) mismatches++;
    console.log(`${c.padEnd(10)} ${best.tclsh.toFixed(0).padStart(9)}  ${best.tclshim.toFixed(0).padStart(11)}  ${ratio.toFixed(2)}x${same ? '' : '  OUTPUT DIFFERS'}`);
  }
  const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
  console.log(`geometric mean ratio: ${geo.toFixed(2)}x  (max ${Math.max(...ratios).toFixed(2)}x)`);
  return mismatches === 0 ? 0 : 1;
}

let status = main();
for (const extra of ['bench-io.js', 'bench-fork.js', 'bench-socketserver.js']) {
  const file = path.join(__dirname, extra);
  if (only.length === 0 && fs.existsSync(file)) {
    console.log('');
    const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
    if (r.status !== 0) status = 1;
  }
}
process.exitCode = status;
