#!/usr/bin/env node
'use strict';
// Golden (differential) tests: Tcl scripts in compat/cases/<area>.cases, expectations recorded from
// tclsh 8.6 in compat/expected/<area>.json. See compat/README.md for the format.
//
//   node scripts/golden.js record [area...]        rerun under tclsh, rewrite expectations
//   node scripts/golden.js compare-live [area...]  run under tclsh and tclshim now, report differences
//   node scripts/golden.js check [area...]         run under tclshim, compare with the recorded files
//   options: --filter <substring>  (matched against "<area>/<name>"), -j <n> (concurrency)
//
// Also usable as a library (test/golden.test.ts requires it): loadAreas, runCases, compareResult...

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const CASES_DIR = path.join(ROOT, 'compat', 'cases');
const EXPECTED_DIR = path.join(ROOT, 'compat', 'expected');
const CASE_TIMEOUT_MS = 10000;
// A case that prints more than this is broken (runaway loop); stop it rather than eat memory.
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
const NAME_RE = /^[a-z0-9][a-z0-9._-]*$/;
const AREA_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function defaultTclsh() {
  return process.env.TCLSH || 'tclsh';
}

function defaultTclshim() {
  return process.env.TCLSHIM || path.join(ROOT, 'bin', 'tclshim');
}

function defaultConcurrency() {
  return Math.max(1, os.cpus().length * 2);
}

// ---------------------------------------------------------------------------------------------
// Case files

/**
 * Parse the text of one .cases file. Throws on a malformed header line or a duplicate name, so a typo
 * never silently merges two cases into one.
 * @returns {{area: string, name: string, script: string, line: number}[]}
 */
function parseCases(text, area) {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const cases = [];
  const seen = new Set();
  let current = null;
  let body = [];
  const finish = () => {
    if (current === null) return;
    // Trailing blank lines only separate cases visually; they are not part of the script.
    while (body.length > 0 && body[body.length - 1].trim() === '') body.pop();
    current.script = body.join('\n') + '\n';
    cases.push(current);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.startsWith('===')) {
      if (current !== null) body.push(line);
      continue;
    }
    const m = /^=== (\S+)\s*$/.exec(line);
    if (m === null || !NAME_RE.test(m[1])) {
      throw new Error(`${area}.cases:${i + 1}: bad case header ${JSON.stringify(line)}`);
    }
    if (seen.has(m[1])) throw new Error(`${area}.cases:${i + 1}: duplicate case name ${m[1]}`);
    seen.add(m[1]);
    finish();
    current = { area, name: m[1], script: '', line: i + 1 };
    body = [];
  }
  finish();
  return cases;
}

/** Names of all areas (files in compat/cases), sorted. */
function listAreas() {
  if (!fs.existsSync(CASES_DIR)) return [];
  return fs
    .readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.cases'))
    .map((f) => f.slice(0, -'.cases'.length))
    .sort();
}

/**
 * Load the cases of the given areas (all when empty), optionally keeping only those whose
 * "<area>/<name>" contains `filter`.
 */
function loadAreas(areas, filter) {
  const all = listAreas();
  const wanted = areas && areas.length > 0 ? areas : all;
  const out = [];
  for (const area of wanted) {
    if (!AREA_RE.test(area) || !all.includes(area)) {
      throw new Error(`unknown area ${JSON.stringify(area)} (have: ${all.join(' ')})`);
    }
    const text = fs.readFileSync(path.join(CASES_DIR, area + '.cases'), 'utf8');
    let cases = parseCases(text, area);
    if (filter) cases = cases.filter((c) => `${c.area}/${c.name}`.includes(filter));
    out.push({ area, cases });
  }
  return out;
}

function expectedPath(area) {
  return path.join(EXPECTED_DIR, area + '.json');
}

/** Recorded results of one area, or {} when the file does not exist yet. */
function loadExpected(area) {
  const p = expectedPath(area);
  if (!fs.existsSync(p)) return {};
  return JSON.parse(fs.readFileSync(p, 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// Running

/**
 * Run one case script under `interp`, in a fresh temporary directory that is also the cwd.
 * Resolves to {stdout, stderr, exit, signal, timedOut, error, badUtf8}; never rejects.
 * `registry` (a Set) holds live children so an abort can kill them.
 */
function runCase(c, interp, opts) {
  const timeoutMs = (opts && opts.timeoutMs) || CASE_TIMEOUT_MS;
  const registry = opts && opts.registry;
  return new Promise((resolve) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tclshim-golden-'));
    const file = c.name + '.tcl';
    fs.writeFileSync(path.join(dir, file), c.script);
    const env = { LC_ALL: 'C.UTF-8', TZ: 'UTC' };
    // PATH lets a launcher script find node; HOME is left as is so nothing tries to create one.
    for (const k of ['PATH', 'HOME']) if (process.env[k] !== undefined) env[k] = process.env[k];
    const out = [];
    const err = [];
    let outBytes = 0;
    let timedOut = false;
    let overflow = false;
    let settled = false;
    let child;
    let timer = null;
    const cleanup = () => {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch (_) {
        // A leftover temp dir is harmless; never fail a run over it.
      }
    };
    const done = (result) => {
      if (settled) return;
      settled = true;
      if (timer !== null) clearTimeout(timer);
      if (registry && child) registry.delete(child);
      cleanup();
      resolve(result);
    };
    try {
      // detached: the child leads its own process group, so a launcher script and the node it
      // starts are both killed on timeout.
      child = spawn(interp, [file], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (e) {
      done(errorResult(String(e && e.message)));
      return;
    }
    if (registry) registry.add(child);
    timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    const collect = (buf, chunk) => {
      outBytes += chunk.length;
      if (outBytes > MAX_OUTPUT_BYTES) {
        if (!overflow) {
          overflow = true;
          killGroup(child);
        }
        return;
      }
      buf.push(chunk);
    };
    child.stdout.on('data', (d) => collect(out, d));
    child.stderr.on('data', (d) => collect(err, d));
    child.on('error', (e) => done(errorResult(String(e && e.message))));
    child.on('close', (code, signal) => {
      const so = Buffer.concat(out);
      const se = Buffer.concat(err);
      const stdout = so.toString('utf8');
      const stderr = se.toString('utf8');
      const badUtf8 = !Buffer.from(stdout, 'utf8').equals(so) || !Buffer.from(stderr, 'utf8').equals(se);
      let exit = code;
      if (exit === null) exit = 128 + (os.constants.signals[signal] || 0);
      let error = null;
      if (timedOut) error = `timed out after ${timeoutMs} ms`;
      else if (overflow) error = `output exceeded ${MAX_OUTPUT_BYTES} bytes`;
      else if (signal) error = `killed by ${signal}`;
      done({ stdout, stderr, exit, signal: signal || null, timedOut, error, badUtf8 });
    });
  });
}

function errorResult(message) {
  return { stdout: '', stderr: '', exit: -1, signal: null, timedOut: false, error: message, badUtf8: false };
}

function killGroup(child) {
  if (!child || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch (_) {
    try {
      child.kill('SIGKILL');
    } catch (_) {
      // Already gone.
    }
  }
}

/**
 * Run `jobs` (functions returning promises) with at most `concurrency` in flight; results in order.
 * When `shouldStop()` turns true, jobs not yet started resolve to `stopped(i)` instead of running.
 */
async function pool(jobs, concurrency, shouldStop, stopped) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = shouldStop && shouldStop() ? stopped(i) : await jobs[i]();
    }
  };
  const workers = [];
  for (let k = 0; k < Math.min(concurrency, jobs.length); k++) workers.push(worker());
  await Promise.all(workers);
  return results;
}

/**
 * Run every case under each interpreter in `interps` (an array of paths).
 * opts: {concurrency, timeoutMs, deadlineMs (overall bound; cases not finished by then are killed or
 * not started and reported with an error)}.
 * @returns {Promise<Array<Array<object>>>} results[caseIndex][interpIndex]
 */
async function runCases(cases, interps, opts) {
  const o = opts || {};
  const concurrency = o.concurrency || defaultConcurrency();
  const registry = new Set();
  let expired = false;
  let deadlineTimer = null;
  if (o.deadlineMs) {
    deadlineTimer = setTimeout(() => {
      expired = true;
      for (const child of registry) killGroup(child);
    }, o.deadlineMs);
  }
  const onSignal = (sig) => {
    for (const child of registry) killGroup(child);
    process.exit(128 + (os.constants.signals[sig] || 0));
  };
  if (o.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const jobs = [];
  for (const c of cases) {
    for (const interp of interps) {
      jobs.push(async () => {
        const r = await runCase(c, interp, { timeoutMs: o.timeoutMs, registry });
        if (expired && r.error) r.error = 'overall deadline reached; ' + r.error;
        return r;
      });
    }
  }
  try {
    const flat = await pool(jobs, concurrency, () => expired, () => errorResult('not run: overall deadline reached'));
    const out = [];
    for (let i = 0; i < cases.length; i++) out.push(flat.slice(i * interps.length, (i + 1) * interps.length));
    return out;
  } finally {
    if (deadlineTimer) clearTimeout(deadlineTimer);
    if (o.handleSignals) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Comparing and reporting

/** Split output into lines for diffing; a last line without its newline is marked so. */
function diffLines(text) {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += '\\ (no newline at end)';
  return lines;
}

/** Line diff (LCS) in unified style, without hunk headers: outputs are small. */
function unifiedDiff(expected, actual) {
  const a = diffLines(expected);
  const b = diffLines(actual);
  const n = a.length;
  const m = b.length;
  if (n * m > 4000000) {
    let i = 0;
    while (i < n && i < m && a[i] === b[i]) i++;
    return [`  (large output; first difference at line ${i + 1})`, `- ${a[i] ?? '<eof>'}`, `+ ${b[i] ?? '<eof>'}`];
  }
  const lcs = [];
  for (let i = 0; i <= n; i++) lcs.push(new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const lines = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      lines.push('  ' + a[i]);
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      lines.push('- ' + a[i]);
      i++;
    } else {
      lines.push('+ ' + b[j]);
      j++;
    }
  }
  return lines;
}

/**
 * Differences between an expected result (recorded or live tclsh) and an actual one (tclshim), as
 * printable lines; empty when they agree.
 */
function compareResult(expected, actual) {
  const lines = [];
  if (actual.error) lines.push(`  tclshim: ${actual.error}`);
  for (const stream of ['stdout', 'stderr']) {
    if (expected[stream] !== actual[stream]) {
      lines.push(`  ${stream} (- expected, + tclshim):`);
      for (const l of unifiedDiff(expected[stream], actual[stream])) lines.push('    ' + l);
    }
  }
  if (expected.exit !== actual.exit) lines.push(`  exit: expected ${expected.exit}, tclshim ${actual.exit}`);
  return lines;
}

function recordable(r) {
  return { stdout: r.stdout, stderr: r.stderr, exit: r.exit };
}

// Cases rerun now take their fresh result (or none, if they failed to record: a stale expectation
// must not survive a rerun); cases filtered out keep what was recorded before.
function writeExpected(area, cases, rerun, fresh, old) {
  const obj = {};
  for (const c of cases) {
    if (Object.prototype.hasOwnProperty.call(fresh, c.name)) obj[c.name] = fresh[c.name];
    else if (!rerun.has(c.name) && Object.prototype.hasOwnProperty.call(old, c.name)) obj[c.name] = old[c.name];
  }
  fs.mkdirSync(EXPECTED_DIR, { recursive: true });
  fs.writeFileSync(expectedPath(area), JSON.stringify(obj, null, 2) + '\n');
}

// ---------------------------------------------------------------------------------------------
// Command line

function usage() {
  return [
    'usage: node scripts/golden.js record|compare-live|check [--filter <substring>] [-j <n>] [area...]',
    'env: TCLSH (default tclsh), TCLSHIM (default <root>/bin/tclshim)',
  ].join('\n');
}

function parseArgs(argv) {
  const args = { mode: null, areas: [], filter: null, concurrency: defaultConcurrency() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--filter' || a === '-j') {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      const v = argv[++i];
      if (a === '--filter') args.filter = v;
      else {
        args.concurrency = Number(v);
        if (!Number.isInteger(args.concurrency) || args.concurrency < 1) throw new Error('-j needs a positive integer');
      }
    } else if (a.startsWith('--filter=')) {
      args.filter = a.slice('--filter='.length);
    } else if (a === '-h' || a === '--help') {
      args.mode = 'help';
    } else if (a.startsWith('-')) {
      throw new Error(`unknown option ${a}`);
    } else if (args.mode === null) {
      args.mode = a;
    } else {
      args.areas.push(a.replace(/\.cases$/, ''));
    }
  }
  return args;
}

async function cmdRecord(groups, args) {
  const tclsh = defaultTclsh();
  const cases = groups.flatMap((g) => g.cases);
  const results = await runCases(cases, [tclsh], { concurrency: args.concurrency, handleSignals: true });
  let passed = 0;
  let failed = 0;
  let k = 0;
  for (const g of groups) {
    const fresh = {};
    for (const c of g.cases) {
      const r = results[k++][0];
      // A case that crashes or hangs tclsh itself, or prints bytes that are not UTF-8, is broken:
      // refuse to record it rather than bake garbage into the expectations.
      if (r.error || r.badUtf8) {
        failed++;
        console.log(`FAIL ${c.area}/${c.name} (cases line ${c.line}): ${r.error || 'output is not valid UTF-8'}`);
        continue;
      }
      passed++;
      fresh[c.name] = recordable(r);
    }
    const all = loadAreas([g.area], null)[0].cases;
    writeExpected(g.area, all, new Set(g.cases.map((c) => c.name)), fresh, loadExpected(g.area));
    console.log(`recorded ${Object.keys(fresh).length} case(s) of ${g.area} -> ${path.relative(ROOT, expectedPath(g.area))}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function cmdCompare(groups, args, live) {
  const tclshim = defaultTclshim();
  const interps = live ? [defaultTclsh(), tclshim] : [tclshim];
  const cases = groups.flatMap((g) => g.cases);
  const expectedByArea = new Map();
  if (!live) for (const g of groups) expectedByArea.set(g.area, loadExpected(g.area));
  const results = await runCases(cases, interps, { concurrency: args.concurrency, handleSignals: true });
  let passed = 0;
  let failed = 0;
  const failedNames = [];
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    let expected;
    let lines;
    if (live) {
      expected = results[i][0];
      lines = expected.error ? [`  tclsh: ${expected.error}`] : [];
    } else {
      const rec = expectedByArea.get(c.area);
      expected = Object.prototype.hasOwnProperty.call(rec, c.name) ? rec[c.name] : null;
      lines = expected ? [] : ['  no recorded expectation (run: node scripts/golden.js record ' + c.area + ')'];
    }
    const actual = results[i][interps.length - 1];
    if (expected) lines.push(...compareResult(expected, actual));
    if (lines.length === 0) {
      passed++;
      continue;
    }
    failed++;
    failedNames.push(`${c.area}/${c.name}`);
    console.log(`--- FAIL ${c.area}/${c.name} (compat/cases/${c.area}.cases:${c.line})`);
    for (const l of lines) console.log(l);
  }
  if (failedNames.length > 0) {
    console.log('');
    console.log(`failed: ${failedNames.join(' ')}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function main(argv) {
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error(e.message);
    console.error(usage());
    return 2;
  }
  if (args.mode === 'help') {
    console.log(usage());
    return 0;
  }
  if (!['record', 'compare-live', 'check'].includes(args.mode)) {
    console.error(usage());
    return 2;
  }
  let groups;
  try {
    groups = loadAreas(args.areas, args.filter);
  } catch (e) {
    console.error(e.message);
    return 2;
  }
  if (args.mode === 'record') return cmdRecord(groups, args);
  return cmdCompare(groups, args, args.mode === 'compare-live');
}

module.exports = {
  ROOT,
  CASE_TIMEOUT_MS,
  parseCases,
  listAreas,
  loadAreas,
  loadExpected,
  runCase,
  runCases,
  compareResult,
  unifiedDiff,
  defaultTclshim,
  defaultTclsh,
  defaultConcurrency,
};

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(e && e.stack ? e.stack : String(e));
      process.exitCode = 2;
    },
  );
}
