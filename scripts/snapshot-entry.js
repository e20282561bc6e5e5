// The entry `node --build-snapshot` runs (scripts/build-snapshot.js). Its runner gives a script
// `require` for built-in modules but no `exports`, so dist/snapshot.js, a CommonJS module, is run
// from here with the usual module wrapper.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const file = path.join(process.argv[2], 'snapshot.js');
const mod = { exports: {} };
const body = vm.compileFunction(fs.readFileSync(file, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
body.call(mod.exports, mod.exports, require, mod, file, path.dirname(file));
