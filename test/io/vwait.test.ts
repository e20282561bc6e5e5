// vwait with no event source: tclsh 8.6 keeps waiting (only a signal trap can end the wait), and so
// must tclshim, without spending CPU.
import { expect } from 'chai';
import * as fs from 'node:fs';
import { ChildProcess } from 'node:child_process';
import { scriptFile, start, killAll } from '../helpers/run.js';

function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.on('exit', (code) => resolve(code));
  });
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('io: vwait with no event source', function () {
  this.timeout(20000);
  afterEach(() => killAll());

  it('keeps waiting, idle, as tclsh does', async () => {
    const child = start(scriptFile('vwait forever\nputs "never"\n'));
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    await delay(1000);
    const before = cpuTicks(child.pid!);
    await delay(1000);
    expect(child.exitCode, stderr).to.equal(null);
    expect(cpuTicks(child.pid!) - before).to.be.at.most(1);
  });

  it('ends when a signal trap sets the variable', async () => {
    const child = start(scriptFile('package require Tclx\nsignal trap SIGUSR1 {set ::x 1}\nputs ready\nvwait x\nputs "woke $x"\n'));
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
    while (!stdout.includes('ready')) await delay(20);
    await delay(200);
    process.kill(child.pid!, 'SIGUSR1');
    expect(await exited(child)).to.equal(0);
    expect(stdout).to.equal('ready\nwoke 1\n');
  });
});
