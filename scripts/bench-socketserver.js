#!/usr/bin/env node
// Socketserver load benchmark: the pre-forked echo server (examples/echo_server.tcl) under
// tclshim against (a) a tclsh + TclX pre-fork server sharing one `socket -server` listener and
// (b) a Node `cluster` echo server, all with 4 workers on 127.0.0.1, in the same run, in
// alternating order. The load comes from native/tools/echoload.c, compiled here with cc.
//
//   node scripts/bench-socketserver.js [--rounds 5] [--conns 10000] [--inflight 16]
//        [--long-conns 200] [--long-inflight 4] [--lines 1000] [--warmup 4000]
//        [--only tclshim,tclsh,cluster,floor] [--pin]
//
// Two phases per server: short connections (one line + quit each) give connections/s; long ones
// (1,000 lines each) give lines/s. Every server first serves --warmup connections, untimed: the
// figures are a running server's, after V8 has compiled the hot paths in each worker (tclshim's
// and the cluster's); the cold rate of those first connections is printed beside them. Each
// figure is the best of the rounds. Beside connections/s each short phase reports the CPU time
// the server's processes (every process of its group, all threads) spent per connection: when the
// load generator shares the CPUs, it and the kernel's TCP work take most of them and the rate a
// round reaches moves with them, while a server's own CPU per connection says what it costs.
// The exit status is 1 when any connection failed or tclshim misses its targets on short
// connections/s: at least 1.0x the tclsh server and 0.9x the cluster server.
//
// --only picks the servers; naming `floor` adds scripts/bench-socketserver/floor-echo.js: the same
// accept thread and queue as tclshim's server, with workers in plain JavaScript that make the same
// addon calls and run no Tcl. What tclshim costs beyond it is the interpreter's share, and its
// rounds against tclsh show what the design alone reaches on the machine the bench runs on.
//
// --pin runs every server on all CPUs but the last and the load generator on the last one
// (taskset). The servers then no longer compete with the client for a CPU, so rounds vary much
// less and the figures compare what each server costs per connection; the targets are not
// judged in that mode, since they are set for the shared machine.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { buildEchoload, median } = require('./bench-lib.js');

const root = path.resolve(__dirname, '..');
const here = path.join(__dirname, 'bench-socketserver');
const TCLSHIM = process.env.TCLSHIM || path.join(root, 'bin', 'tclshim');
const TCLSH = process.env.TCLSH || 'tclsh';
const WORKERS = 4;
const TARGETS = { tclsh: 1.0, cluster: 0.9 };

function parseArgs(argv) {
  const o = { rounds: 5, conns: 10000, inflight: 16, longConns: 200, longInflight: 4, lines: 1000, warmup: 4000, only: null, pin: false };
  const keys = { '--rounds': 'rounds', '--conns': 'conns', '--inflight': 'inflight', '--long-conns': 'longConns', '--long-inflight': 'longInflight', '--lines': 'lines', '--warmup': 'warmup' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') o.only = argv[++i].split(',');
    else if (a === '--pin') o.pin = true;
    else if (keys[a] !== undefined) o[keys[a]] = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const SERVERS = {
  tclshim: (port) => ({
    cmd: TCLSHIM,
    args: [path.join(root, 'examples', 'echo_server.tcl'), String(port), String(WORKERS)],
    env: { TCLSHIM_SOCKETSERVER_BIND: '127.0.0.1' },
    ready: /^echo server \d+ on port/,
  }),
  tclsh: (port) => ({
    cmd: TCLSH,
    args: [path.join(here, 'prefork-echo.tcl'), String(port), String(WORKERS), '127.0.0.1'],
    env: {},
    ready: /^ready /,
  }),
  cluster: (port) => ({
    cmd: process.execPath,
    args: [path.join(here, 'cluster-echo.js'), String(port), String(WORKERS), '127.0.0.1'],
    env: {},
    ready: /^ready /,
  }),
  floor: (port) => ({
    cmd: process.execPath,
    args: ['--no-concurrent-recompilation', '--v8-pool-size=1', path.join(here, 'floor-echo.js'), String(port), String(WORKERS), '127.0.0.1'],
    env: {},
    ready: /^ready /,
  }),
};
/** Run unless --only names others; `floor` runs only when named. */
const DEFAULT_SERVERS = ['tclshim', 'tclsh', 'cluster'];

const DESCRIPTIONS = {
  tclshim: 'tclshim examples/echo_server.tcl (socketserver)',
  tclsh: '(a) tclsh+TclX prefork, shared listener',
  cluster: '(b) node cluster',
  floor: 'floor: the same design, workers without Tcl',
};

/**
 * The command line that runs `cmd` on the CPUs `cpus` (a taskset list), or as it is for null.
 * taskset sets the affinity and then executes the command itself: the pid, and so the process
 * group the benchmark signals and measures, stays the command's.
 */
function placed(cpus, cmd, args) {
  return cpus === null ? [cmd, args] : ['taskset', ['-c', cpus, cmd, ...args]];
}

/** The CPUs of the servers and of the load generator under --pin (null: wherever the OS likes). */
function placement(pin) {
  if (!pin) return { server: null, load: null };
  const n = os.cpus().length;
  if (n < 2) throw new Error('--pin needs at least 2 CPUs');
  return { server: n === 2 ? '0' : `0-${n - 2}`, load: String(n - 1) };
}

/** Starts a server in its own process group and resolves once it says it is ready. */
function startServer(spec, cpus) {
  return new Promise((resolve, reject) => {
    const [cmd, args] = placed(cpus, spec.cmd, spec.args);
    const child = spawn(cmd, args, {
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      stopServer(child);
      reject(new Error(`${spec.cmd} did not get ready: ${out}${err}`));
    }, 20000);
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      if (out.split('\n').some((l) => spec.ready.test(l))) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`${spec.cmd} exited (${code ?? sig}): ${err}`));
    });
    // A command that cannot be started at all (not installed) ends here, not in 'exit'.
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${cmd}: ${e.message}`));
    });
  });
}

function stopServer(child) {
  child.removeAllListeners('exit');
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // the group is gone
      }
    };
    const hard = setTimeout(() => kill('SIGKILL'), 3000);
    child.on('exit', () => {
      clearTimeout(hard);
      // Workers may outlive the parent for a moment: make sure the whole group is gone.
      kill('SIGKILL');
      resolve();
    });
    kill('SIGTERM');
  });
}

/**
 * CPU time (user, system; ms) used so far by every live process in process group `pgid`, threads
 * included, from /proc/<pid>/stat (fields 14 and 15, in USER_HZ = 100 ticks a second on Linux).
 */
function groupCpuMs(pgid) {
  let user = 0;
  let sys = 0;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // the process has gone
    }
    // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(f[2]) !== pgid) continue;
    user += Number(f[11]) * 10;
    sys += Number(f[12]) * 10;
  }
  return { user, sys };
}

function runLoad(echoload, cpus, port, conns, inflight, lines) {
  const [cmd, args] = placed(cpus, echoload, ['-p', String(port), '-n', String(conns), '-c', String(inflight), '-m', String(lines), '-t', '300']);
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    timeout: 330000,
  });
  const m = /connections (\d+) errors (\d+) seconds ([\d.]+) conns\/s ([\d.]+) lines\/s ([\d.]+) p50_ms ([\d.]+) p99_ms ([\d.]+)/.exec(r.stdout || '');
  if (m === null) throw new Error(`echoload failed: ${r.stdout}${r.stderr}${r.error || ''}`);
  return {
    done: Number(m[1]),
    errors: Number(m[2]),
    connsPerSec: Number(m[4]),
    linesPerSec: Number(m[5]),
    p50: Number(m[6]),
    p99: Number(m[7]),
    detail: (r.stderr || '').trim(),
  };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const unknown = (o.only ?? []).filter((n) => SERVERS[n] === undefined);
  if (unknown.length > 0) throw new Error(`unknown server ${unknown.join(', ')} (known: ${Object.keys(SERVERS).join(', ')})`);
  const names = Object.keys(SERVERS).filter((n) => (o.only === null ? DEFAULT_SERVERS.includes(n) : o.only.includes(n)));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tclshim-bench-ss-'));
  let status = 0;
  try {
    const echoload = buildEchoload(tmp);
    const best = {};
    for (const n of names) best[n] = { short: null, long: null, errors: 0, shortRates: [], serverUs: [], serverUserUs: [] };
    console.log(`socketserver benchmark: ${WORKERS} workers, 127.0.0.1, best of ${o.rounds} rounds`);
    console.log(`  short: ${o.conns} connections, ${o.inflight} in flight, 1 line + quit each`);
    console.log(`  long:  ${o.longConns} connections, ${o.longInflight} in flight, ${o.lines} lines + quit each`);
    console.log(`  each server first serves ${o.warmup} connections untimed (its "cold" rate)`);
    const cpus = placement(o.pin);
    if (o.pin) console.log(`  pinned: servers on CPU ${cpus.server}, load generator on CPU ${cpus.load}; targets not judged`);
    for (let round = 0; round < o.rounds; round++) {
      // Rotate the order so no server always runs first (or last) on a busy machine.
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const n of order) {
        const port = await freePort();
        const child = await startServer(SERVERS[n](port), cpus.server);
        try {
          const w = runLoad(echoload, cpus.load, port, Math.max(1, o.warmup), o.inflight, 1);
          const cpu0 = groupCpuMs(child.pid);
          const s = runLoad(echoload, cpus.load, port, o.conns, o.inflight, 1);
          const cpu1 = groupCpuMs(child.pid);
          s.serverUs = ((cpu1.user - cpu0.user + cpu1.sys - cpu0.sys) * 1000) / s.done;
          s.serverUserUs = ((cpu1.user - cpu0.user) * 1000) / s.done;
          const l = runLoad(echoload, cpus.load, port, o.longConns, o.longInflight, o.lines);
          const b = best[n];
          b.errors += s.errors + l.errors;
          for (const r of [s, l]) if (r.errors > 0) console.log(`  ${n} round ${round + 1}: ${r.errors} errors ${r.detail}`);
          b.shortRates.push(s.connsPerSec);
          b.serverUs.push(s.serverUs);
          b.serverUserUs.push(s.serverUserUs);
          if (b.short === null || s.connsPerSec > b.short.connsPerSec) b.short = s;
          if (b.long === null || l.linesPerSec > b.long.linesPerSec) b.long = l;
          console.log(`  round ${round + 1} ${n.padEnd(8)} cold ${w.connsPerSec.toFixed(0).padStart(6)}  short ${s.connsPerSec.toFixed(0).padStart(6)} conns/s (server ${s.serverUs.toFixed(0).padStart(3)} us cpu/conn)   long ${l.connsPerSec.toFixed(1).padStart(6)} conns/s ${l.linesPerSec.toFixed(0).padStart(7)} lines/s`);
        } finally {
          await stopServer(child);
        }
      }
    }
    console.log('');
    console.log('server                                           conns/s  p50 ms  p99 ms | cpu us/conn (user) | long conns/s  lines/s | errors');
    for (const n of names) {
      const b = best[n];
      console.log(
        `${DESCRIPTIONS[n].padEnd(48)} ${b.short.connsPerSec.toFixed(0).padStart(7)} ${b.short.p50.toFixed(2).padStart(7)} ${b.short.p99.toFixed(2).padStart(7)} | ` +
          `${median(b.serverUs).toFixed(0).padStart(11)} ${`(${median(b.serverUserUs).toFixed(0)})`.padStart(6)} | ` +
          `${b.long.connsPerSec.toFixed(1).padStart(12)} ${b.long.linesPerSec.toFixed(0).padStart(8)} | ${b.errors}`,
      );
      if (b.errors > 0) status = 1;
    }
    // tclshim against each other server; without tclshim, the floor against the tclsh and cluster
    // servers. Only tclshim's ratios to tclsh and cluster have targets.
    const subject = best.tclshim !== undefined ? 'tclshim' : 'floor';
    const others = best[subject] === undefined ? [] : ['tclsh', 'cluster', 'floor'].filter((n) => n !== subject && best[n] !== undefined);
    for (const other of others) {
      const s = best[subject];
      const ratio = s.short.connsPerSec / best[other].short.connsPerSec;
      const lines = s.long.linesPerSec / best[other].long.linesPerSec;
      const mratio = median(s.shortRates) / median(best[other].shortRates);
      const cpu = median(s.serverUs) / median(best[other].serverUs);
      const target = subject === 'tclshim' ? TARGETS[other] : undefined;
      let verdict = 'no target';
      if (target !== undefined) {
        const ok = ratio >= target;
        if (!ok && !o.pin) status = 1;
        verdict = `target >= ${target.toFixed(1)}x: ${o.pin ? 'pinned, not judged' : ok ? 'met' : 'MISSED'}`;
      }
      console.log(
        `${subject} / ${other}: ${ratio.toFixed(2)}x conns/s (${verdict}; ` +
          `median of rounds ${mratio.toFixed(2)}x), ${lines.toFixed(2)}x lines/s; server cpu/conn ${cpu.toFixed(2)}x (median, lower is cheaper)`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return status;
}

main().then(
  (status) => process.exit(status),
  (e) => {
    console.error(`bench-socketserver: ${e.message}`);
    process.exit(1);
  },
);
