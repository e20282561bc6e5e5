import { expect } from 'chai';
import { start, scriptFile, killAll, RunResult } from '../helpers/run.js';

/**
 * Run a script whose process forks: the forked children share the script's process group, so the
 * whole group is killed as soon as the script's own process exits (or times out). Killing right at
 * exit matters: children still alive keep the group id from being reused, and a parent that failed
 * early would otherwise leave them running.
 */
function runForking(text: string, timeoutMs: number): Promise<RunResult> {
  const child = start(scriptFile(text));
  const pgid = child.pid!;
  const killGroup = () => {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Nothing left in the group.
    }
  };
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(killGroup, timeoutMs);
    child.on('exit', killGroup);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, signal });
    });
  });
}

describe('TclX fork under load', function () {
  this.timeout(300000);
  after(killAll);

  // Each child allocates enough to run several garbage collections right after the fork (about
  // six scavenges, measured with --trace-gc), then reports over its stdout pipe; the parent reaps
  // every child with `wait`.
  const script = `
package require Tclx
set n 200
set kids {}
proc allocate {} {
    set junk {}
    for {set k 0} {$k < 20000} {incr k} { lappend junk [string repeat x 50]$k }
    set junk {}
    for {set k 0} {$k < 20000} {incr k} { lappend junk [list $k $k $k] }
    return [llength $junk]
}
# At most 8 children live at once: 200 concurrent Node processes faulting in copy-on-write heap
# pages make the test measure the host's memory manager rather than fork.
set reaped 0
set live {}
proc reap {pid} {
    lassign [wait $pid] p how code
    if {$how eq "EXIT" && $code == 0} { incr ::reaped }
}
for {set i 0} {$i < $n} {incr i} {
    if {[llength $live] >= 8} {
        reap [lindex $live 0]
        set live [lrange $live 1 end]
    }
    set pid [fork]
    if {$pid == 0} {
        puts "child [pid] [allocate]"
        exit 0
    }
    lappend kids $pid
    lappend live $pid
}
foreach k $live { reap $k }
puts "reaped $reaped of [llength $kids]"
`;

  for (let round = 1; round <= 3; round++) {
    it(`200 children allocate, report and are reaped (round ${round})`, async () => {
      const r = await runForking(script, 240000);
      expect(r.stderr).to.equal('');
      const lines = r.stdout.trim().split('\n');
      const children = lines.filter((l) => l.startsWith('child '));
      expect(children).to.have.length(200);
      expect(new Set(children.map((l) => l.split(' ')[1])).size).to.equal(200);
      for (const l of children) expect(l).to.match(/^child \d+ 20000$/);
      expect(lines[lines.length - 1]).to.equal('reaped 200 of 200');
      expect(r.code).to.equal(0);
    });
  }
});
