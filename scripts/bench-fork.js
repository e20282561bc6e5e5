#!/usr/bin/env node
// Fork latency on the parent's side: a Tcl script does N rounds of `fork` / child `exit 0` /
// parent `wait`, timed with `clock microseconds`, under tclsh + TclX and under tclshim in the same
// run (alternating, best of BENCH_RUNS). Prints both per-fork costs and the ratio; exits 1 when the
// ratio is above the acceptance bound (4x).
//
//   node scripts/bench-fork.js [N]          default N = 500
//   node scripts/bench-fork.js --profile    where tclshim's time goes (in-process, native timings)
//
// env: TCLSH, TCLSHIM, BENCH_RUNS (default 5), BENCH_FORK_LIMIT (default 4)
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const tclshim = process.env.TCLSHIM || path.join(root, 'bin', 'tclshim');
const tclsh = process.env.TCLSH || 'tclsh';
const runs = Number(process.env.BENCH_RUNS || 5);
const limit = Number(process.env.BENCH_FORK_LIMIT || 4);

// The warm-up rounds let both interpreters compile the loop and fault in what a fork touches.
const SCRIPT = `
package require Tclx
set n [lindex $argv 0]
proc rounds {n} {
    for {set i 0} {$i < $n} {incr i} {
        set p [fork]
        if {$p == 0} { exit 0 }
        lassign [wait $p] wp how code
        if {$wp != $p || $how ne "EXIT" || $code != 0} { error "bad wait result: $wp $how $code" }
    }
}
rounds 20
set t0 [clock microseconds]
rounds $n
set t1 [clock microseconds]
puts [expr {($t1 - $t0) / double($n)}]
`;

function runOnce(cmd, file, n) {
  const r = spawnSync(cmd, [file, String(n)], { encoding: 'utf8', timeout: 300000 });
  if (r.status !== 0) throw new Error(`${cmd} failed (status ${r.status}, signal ${r.signal}): ${r.stderr || r.error}`);
  const us = Number(r.stdout.trim());
  if (!Number.isFinite(us)) throw new Error(`${cmd} printed ${JSON.stringify(r.stdout)}`);
  return us;
}

function bench(n) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tclshim-bench-fork-'));
  const file = path.join(dir, 'fork.tcl');
  fs.writeFileSync(file, SCRIPT);
  try {
    const best = { tclsh: Infinity, tclshim: Infinity };
    for (let i = 0; i < runs; i++) {
      best.tclsh = Math.min(best.tclsh, runOnce(tclsh, file, n));
      best.tclshim = Math.min(best.tclshim, runOnce(tclshim, file, n));
    }
    const ratio = best.tclshim / best.tclsh;
    console.log(`fork benchmark: ${n} rounds of fork + child exit + wait, parent side, best of ${runs}`);
    console.log(`  tclsh+TclX  ${best.tclsh.toFixed(1).padStart(8)} us/fork`);
    console.log(`  tclshim     ${best.tclshim.toFixed(1).padStart(8)} us/fork`);
    console.log(`  ratio       ${ratio.toFixed(2)}x  (acceptance <= ${limit}x, aim <= 1.5x)`);
    return ratio <= limit ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * In-process breakdown of tclshim's fork: the native phases of the parent's fork() call
 * (parking the platform workers, madvise, the fork itself), the time until the child has exited
 * and been reaped, and the whole round, averaged over `n` rounds.
 */
function profile(n) {
  const { Interp, TclObj } = require(path.join(process.env.TCLSHIM_DIST || path.join(root, 'dist'), 'index.js'));
  const native = require(path.join(process.env.TCLSHIM_DIST || path.join(root, 'dist'), 'native', 'index.js'));
  const interp = new Interp({ argv0: 'bench-fork', argv: [] });
  interp.evalOrThrow('package require Tclx');
  const sums = { totalUs: 0, parkUs: 0, madviseUs: 0, forkUs: 0, reapUs: 0, roundUs: 0 };
  const forkScript = TclObj.fromString('fork');
  const waitScript = TclObj.fromString('wait $p');
  for (let i = 0; i < n + 20; i++) {
    const t0 = process.hrtime.bigint();
    let pid;
    try {
      if (interp.evalObj(forkScript) !== 0) throw new Error(interp.result.toString());
      pid = Number(interp.result.toString());
    } catch (e) {
      if (native.isForkedChild()) native._exit(70);
      throw e;
    }
    if (pid === 0) {
      // The child leaves the way a Tcl script's `exit` does under bin/tclshim.
      interp.finish(0);
      native._exit(0);
    }
    const t1 = process.hrtime.bigint();
    interp.setVar('p', TclObj.fromInt(pid));
    if (interp.evalObj(waitScript) !== 0) throw new Error(interp.result.toString());
    const t2 = process.hrtime.bigint();
    if (i < 20) continue;
    const t = native.lastForkTimings();
    sums.totalUs += t.totalUs;
    sums.parkUs += t.parkUs;
    sums.madviseUs += t.madviseUs;
    sums.forkUs += t.forkUs;
    sums.reapUs += Number(t2 - t1) / 1e3;
    sums.roundUs += Number(t2 - t0) / 1e3;
  }
  const avg = (k) => (sums[k] / n).toFixed(1).padStart(8);
  console.log(`tclshim fork profile, ${n} rounds (in process, averages in us)`);
  console.log(`  native fork() total      ${avg('totalUs')}`);
  console.log(`    park worker threads    ${avg('parkUs')}`);
  console.log(`    madvise(MADV_DOFORK)   ${avg('madviseUs')}`);
  console.log(`    fork(2) itself         ${avg('forkUs')}`);
  console.log(`  child exit + wait        ${avg('reapUs')}`);
  console.log(`  whole round              ${avg('roundUs')}`);
  return 0;
}

// The profile must see the launcher's V8 flags (bin/tclshim): the worker count sets the cost of
// parking them.
const LAUNCHER_FLAGS = ['--no-concurrent-recompilation', '--v8-pool-size=1'];

const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) || 500);
if (args.includes('--profile') && !LAUNCHER_FLAGS.every((f) => process.execArgv.includes(f))) {
  const r = spawnSync(process.execPath, [...LAUNCHER_FLAGS, __filename, ...args], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
} else {
  process.exitCode = args.includes('--profile') ? profile(n) : bench(n);
}
