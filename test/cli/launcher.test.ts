// bin/tclshim starts Node from the start-up snapshot that `npm install` builds; bin/tclshim.js is
// the same command line without it. Both must run scripts identically.
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, scriptFile, start, killAll } from '../helpers/run.js';

const SCRIPT = [
  'puts [expr {6 * 7}]',
  'puts [lsort -integer {10 9 100}]',
  'puts $argv',
  'puts [file tail [info nameofexecutable]]',
  'catch {expr {1 +}} m; puts $m',
].join('\n');

function runWith(launcher: string, file: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(path.join(ROOT, 'bin', launcher), [file, 'a', '-b'], { encoding: 'utf8', timeout: 20000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: the launcher and its start-up snapshot', function () {
  this.timeout(30000);
  afterEach(() => killAll());

  it('npm install built a snapshot newer than dist/, for this directory', () => {
    const blob = fs.statSync(path.join(ROOT, 'dist', 'tclshim.blob'));
    const cli = fs.statSync(path.join(ROOT, 'dist', 'cli.js'));
    expect(blob.mtimeMs).to.be.greaterThan(cli.mtimeMs);
    const builtIn = fs.readFileSync(path.join(ROOT, 'dist', 'tclshim.blob.dir'), 'utf8').trim();
    expect(builtIn).to.equal(fs.realpathSync(path.join(ROOT, 'dist')));
  });

  it('bin/tclshim runs Node from the snapshot', async () => {
    const child = start(scriptFile('puts ready\nflush stdout\nafter 2000\n'));
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
    while (!out.includes('ready')) await new Promise((r) => setTimeout(r, 20));
    const argv = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    expect(argv).to.include('--snapshot-blob');
    expect(argv[argv.indexOf('--snapshot-blob') + 1]).to.equal(path.join(ROOT, 'dist', 'tclshim.blob'));
  });

  it('gives the same output with and without the snapshot', () => {
    const file = scriptFile(SCRIPT);
    const withSnapshot = runWith('tclshim', file);
    const without = runWith('tclshim.js', file);
    expect(withSnapshot).to.deep.equal(without);
    expect(withSnapshot.status).to.equal(0);
    expect(withSnapshot.stdout).to.equal(
      '42\n9 10 100\na -b\ntclshim\nmissing operand at _@_\nin expression "1 +_@_"\n',
    );
  });
});
