#!/usr/bin/env node
// I/O benchmark: the pure-Tcl socket echo server (examples/echo_server_socket.tcl) under tclsh and
// tclshim, alternating, loaded by the project's C load generator (native/tools/echoload.c, compiled
// here with cc) on 127.0.0.1. Prints connections/s (best of the runs) for each and the ratio
// tclshim/tclsh (higher is better: the goal is >= 1.0x).
//
// Each server first serves --warmup connections, untimed (their rate is printed as "cold"): the
// figure compared is a running server's, after V8 has compiled tclshim's hot paths.
//
//   node scripts/bench-io.js [--conns N] [--inflight C] [--lines M] [--runs R] [--warmup W]
//   env: TCLSH, TCLSHIM, CC, BENCH_RUNS
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { buildEchoload, median } = require('./bench-lib.js');

const root = path.resolve(__dirname, '..');
const tclsh = process.env.TCLSH || 'tclsh';
const tclshim = process.env.TCLSHIM || path.join(root, 'bin', 'tclshim');
const example = path.join(root, 'examples', 'echo_server_socket.tcl');

function argValue(name, dflt) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : dflt;
}

const conns = argValue('--conns', 10000);
const inflight = argValue('--inflight', 16);
const lines = argValue('--lines', 1);
const runs = argValue('--runs', Number(process.env.BENCH_RUNS || 5));
const warmup = argValue('--warmup', 3000);

/** Start the example server on a free port; resolves with {child, port} once it says "ready". */
function startServer(interp) {
  return new Promise((resolve, reject) => {
    const child = spawn(interp, [example, '0', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${interp}: server did not start: ${out}${err}`));
    }, 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /ready (\d+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.on('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function runLoad(echoload, port, n) {
  return new Promise((resolve, reject) => {
    const args = ['-p', String(port), '-n', String(n), '-c', String(inflight), '-m', String(lines), '-t', '300'];
    const p = spawn(echoload, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', () => {
      const m = /connections (\d+) errors (\d+) seconds ([\d.]+) conns\/s ([\d.]+)/.exec(out);
      if (m === null) return reject(new Error(`echoload failed: ${out}`));
      resolve({ ok: Number(m[1]), errors: Number(m[2]), cps: Number(m[4]) });
    });
  });
}

async function measure(echoload, interp) {
  const { child, port } = await startServer(interp);
  try {
    const cold = await runLoad(echoload, port, Math.max(1, warmup));
    const r = await runLoad(echoload, port, conns);
    return { ...r, cold: cold.cps, coldErrors: cold.errors };
  } finally {
    await stopServer(child);
  }
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tclshim-bench-io-'));
  try {
    const echoload = buildEchoload(tmp);
    console.log(`I/O benchmark: ${path.relative(root, example)}, ${conns} connections, ${inflight} in flight, ${lines} line(s) each, best of ${runs}, after ${warmup} untimed`);
    const all = { tclsh: [], tclshim: [] };
    const cold = { tclsh: [], tclshim: [] };
    let errors = 0;
    for (let i = 0; i < runs; i++) {
      for (const [name, interp] of [['tclsh', tclsh], ['tclshim', tclshim]]) {
        const r = await measure(echoload, interp);
        errors += r.errors + r.coldErrors;
        all[name].push(r.cps);
        cold[name].push(r.cold);
      }
    }
    const best = (a) => Math.max(...a);
    console.log('server     best conns/s  median conns/s  cold (first connections, median)');
    for (const name of ['tclsh', 'tclshim']) {
      console.log(`${name.padEnd(10)} ${best(all[name]).toFixed(0).padStart(12)}  ${median(all[name]).toFixed(0).padStart(14)}  ${median(cold[name]).toFixed(0).padStart(8)}`);
    }
    const ratio = best(all.tclshim) / best(all.tclsh);
    const mratio = median(all.tclshim) / median(all.tclsh);
    console.log(`ratio tclshim/tclsh: ${ratio.toFixed(2)}x (median ${mratio.toFixed(2)}x)${errors > 0 ? `  (${errors} errors)` : ''}`);
    return errors === 0 ? 0 : 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e && e.stack ? e.stack : String(e));
    process.exitCode = 1;
  },
);
