#!/usr/bin/env -S node --no-concurrent-recompilation
'use strict';
// tclshim without the start-up snapshot: loads dist/ module by module. bin/tclshim runs this when
// dist/tclshim.blob is missing; both take the same arguments.
process.exitCode = require('../dist/cli.js').main(process.argv.slice(2));
