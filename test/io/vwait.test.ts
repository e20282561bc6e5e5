// vwait with no event source: tclsh 8.6 keeps waiting (only a signal trap can end the wait), and so
// must tclshim, without spending CPU.
import { expect } from 'chai';
import { ChildProcess } from 'node:child_process';
import { scriptFile, start, killAll } from '../helpers/run.js';
import { cpuTicks, sleep } from './helpers.js';

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.on('exit', (code) => resolve(code));
  });
}

describe('io: vwait with no event source', function () {
  this.timeout(20000);
  afterEach(() => killAll());

  it('keeps waiting, idle, as tclsh does', async () => {
    const child = start(scriptFile('vwait forever\nputs "never"\n'));
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    await sleep(1000);
    const before = cpuTicks(child.pid!);
    await sleep(1000);
    expect(child.exitCode, stderr).to.equal(null);
    expect(cpuTicks(child.pid!) - before).to.be.at.most(1);
  });

  it('ends when a signal trap sets the variable', async () => {
    const child = start(scriptFile('package require Tclx\nsignal trap SIGUSR1 {set ::x 1}\nputs ready\nvwait x\nputs "woke $x"\n'));
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
    while (!stdout.includes('ready')) await sleep(20);
    await sleep(200);
    process.kill(child.pid!, 'SIGUSR1');
    expect(await exited(child)).to.equal(0);
    expect(stdout).to.equal('ready\nwoke 1\n');
  });
});
