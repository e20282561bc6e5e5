// Golden differential tests: every case in compat/cases runs under bin/tclshim and must print exactly
// what tclsh 8.6.13 printed when the expectations in compat/expected were recorded.
// tclsh is not needed here; scripts/golden.js does the running (shared with the CLI tool).
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface GoldenCase {
  area: string;
  name: string;
  script: string;
  line: number;
}

interface RunResult {
  stdout: string;
  stderr: string;
  exit: number;
  signal: string | null;
  timedOut: boolean;
  error: string | null;
  badUtf8: boolean;
}

interface Recorded {
  stdout: string;
  stderr: string;
  exit: number;
}

interface GoldenApi {
  loadAreas(areas: string[], filter: string | null): { area: string; cases: GoldenCase[] }[];
  loadExpected(area: string): Record<string, Recorded>;
  runCases(
    cases: GoldenCase[],
    interps: string[],
    opts: { concurrency?: number; timeoutMs?: number; deadlineMs?: number },
  ): Promise<RunResult[][]>;
  defaultTclshim(): string;
  defaultConcurrency(): number;
  CASE_TIMEOUT_MS: number;
}

// Compiled tests live in dist-test/test, sources in test/: find the package root by its package.json.
function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'tclshim') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('golden.test: cannot find the tclshim package root');
    dir = up;
  }
}

const golden = require(path.join(packageRoot(), 'scripts', 'golden.js')) as GoldenApi;

/**
 * compat/known-differences.txt lists cases where tclshim knowingly differs from tclsh, one per line
 * as `area/name  reason`. They run and are reported as pending with their reason; a listed case that
 * starts to pass fails the suite, so the list cannot go stale.
 */
function loadKnownDifferences(): Map<string, string> {
  const file = path.join(packageRoot(), 'compat', 'known-differences.txt');
  const out = new Map<string, string>();
  if (!fs.existsSync(file)) return out;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const m = /^(\S+)\s+(.*)$/.exec(t);
    out.set(m === null ? t : m[1], m === null ? '' : m[2]);
  }
  return out;
}
const known = loadKnownDifferences();
const groups = golden.loadAreas([], process.env.GOLDEN_FILTER || null);
const allCases = groups.flatMap((g) => g.cases);

// Whole-run bound: even if tclshim hangs on every case, the hook ends (each hung case is killed at
// its own 10 s timeout; past the overall deadline the remaining ones are not started).
const DEADLINE_MS = Number(process.env.GOLDEN_DEADLINE_MS) || 15 * 60 * 1000;

describe('golden: tclshim vs recorded tclsh 8.6.13', function () {
  const results = new Map<string, RunResult>();

  before(async function () {
    this.timeout(DEADLINE_MS + golden.CASE_TIMEOUT_MS + 30000);
    const tclshim = golden.defaultTclshim();
    if (!fs.existsSync(tclshim)) throw new Error(`golden: ${tclshim} does not exist (build the CLI first)`);
    const res = await golden.runCases(allCases, [tclshim], {
      concurrency: golden.defaultConcurrency(),
      deadlineMs: DEADLINE_MS,
    });
    allCases.forEach((c, i) => results.set(`${c.area}/${c.name}`, res[i][0]));
  });

  for (const g of groups) {
    describe(g.area, function () {
      const expected = golden.loadExpected(g.area);
      for (const c of g.cases) {
        const reason = known.get(`${g.area}/${c.name}`);
        it(reason === undefined ? c.name : `${c.name} (known difference: ${reason})`, function () {
          const want = expected[c.name];
          expect(want, `no recorded expectation for ${g.area}/${c.name}`).to.not.equal(undefined);
          const got = results.get(`${c.area}/${c.name}`);
          expect(got, 'case did not run').to.not.equal(undefined);
          const r = got as RunResult;
          const where = `${g.area}/${c.name} (compat/cases/${g.area}.cases:${c.line})`;
          if (reason !== undefined) {
            const same = r.error === null && r.stdout === want.stdout && r.stderr === want.stderr && r.exit === want.exit;
            expect(same, `${where} now matches tclsh: remove it from compat/known-differences.txt`).to.equal(false);
            this.skip();
          }
          expect(r.error, `${where}: run error`).to.equal(null);
          expect(r.stdout, `${where}: stdout`).to.equal(want.stdout);
          expect(r.stderr, `${where}: stderr`).to.equal(want.stderr);
          expect(r.exit, `${where}: exit code`).to.equal(want.exit);
        });
      }
    });
  }
});
