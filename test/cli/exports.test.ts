// Every compiled module's exports object must keep V8's fast properties. TypeScript's CommonJS
// output for `export { x } from '...'` declares `x` as a data property and then redefines it as
// an accessor; V8 answers that by turning the whole exports object into a hash table, and every
// call through it (`native.read`, `getList`, ...) then pays a generic property lookup.
import { expect } from 'chai';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../helpers/run.js';

// Runs in a separate Node with --allow-natives-syntax, which the test process does not have.
const CHECK = `
const fs = require('node:fs');
const path = require('node:path');
const dist = process.argv[1];
const skip = new Set(['cli.js', 'snapshot.js']);
const slow = [];
let count = 0;
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (entry.name.endsWith('.js') && !skip.has(path.relative(dist, file))) {
      const exported = require(file);
      count++;
      if (!%HasFastProperties(exported)) slow.push(path.relative(dist, file));
    }
  }
})(dist);
process.stdout.write(JSON.stringify({ count, slow }));
`;

describe('cli: compiled modules', function () {
  this.timeout(30000);

  it('keep fast properties on every exports object', () => {
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', CHECK, path.join(ROOT, 'dist')], {
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(r.stderr).to.equal('');
    const { count, slow } = JSON.parse(r.stdout) as { count: number; slow: string[] };
    expect(count).to.be.greaterThan(100);
    expect(slow).to.deep.equal([]);
  });
});
