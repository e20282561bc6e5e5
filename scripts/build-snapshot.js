#!/usr/bin/env node
// Builds dist/tclshim.blob, the start-up snapshot bin/tclshim starts from (see src/snapshot.ts).
// Run by `npm install` after the TypeScript build. A failure leaves no blob behind, and
// bin/tclshim then loads the modules the ordinary way: slower to start, same behaviour.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const dist = fs.realpathSync(path.resolve(__dirname, '..', 'dist'));
const blob = path.join(dist, 'tclshim.blob');
// The snapshot holds the absolute paths of the modules it loaded (the addon is found from them
// when it starts): bin/tclshim uses it only from the directory it was built in.
const builtIn = blob + '.dir';
const partial = blob + '.partial';
fs.rmSync(blob, { force: true });
fs.rmSync(builtIn, { force: true });
// The V8 flags must be the ones bin/tclshim runs with.
const r = spawnSync(
  process.execPath,
  ['--no-concurrent-recompilation', '--no-warnings', '--snapshot-blob', partial, '--build-snapshot', path.join(__dirname, 'snapshot-entry.js'), dist],
  { stdio: 'inherit' },
);
if (r.status === 0 && fs.existsSync(partial)) {
  fs.writeFileSync(builtIn, dist + '\n');
  fs.renameSync(partial, blob);
} else {
  fs.rmSync(partial, { force: true });
  console.warn('tclshim: could not build the start-up snapshot; bin/tclshim will load its modules at each start');
}
