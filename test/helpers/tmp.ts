/**
 * Temporary directories for tests, removed when the test process exits (whatever the outcome), so
 * a run leaves nothing behind in the system's temp directory.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made: string[] = [];
// The kernel's pid, not Node's cached one: a child forked inside a test must not remove the
// directories its parent is still using when it leaves.
const owner = fs.readlinkSync('/proc/self');

process.on('exit', () => {
  if (fs.readlinkSync('/proc/self') !== owner) return;
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new directory under the temp dir, named `<prefix>XXXXXX`, removed at exit. */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
