/**
 * The start-up snapshot. `npm install` runs this file under `node --build-snapshot` (see
 * scripts/build-snapshot.js): it loads every module of the interpreter, builds the expression
 * grammar, and Node saves the heap as dist/tclshim.blob. bin/tclshim then starts from that heap
 * instead of loading ~130 modules and chevrotain on every run, which is most of what separates a
 * Node process's start from tclsh's.
 *
 * A snapshot builder may only `require` Node's built-in modules, so this file carries a small
 * CommonJS loader for the package's own files (and chevrotain's single-file bundle, an ES module
 * whose one `export {...}` clause it rewrites). The native addon cannot be part of a snapshot:
 * native/index.js runs only after the heap is restored, filling in the exports object that its
 * importers already hold, so no module may read from the addon while it is being loaded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { builtinModules, createRequire } from 'node:module';

interface LoadedModule {
  exports: Record<string, unknown>;
}

type ModuleRequire = ((spec: string) => unknown) & { resolve(spec: string): string };

const modules = new Map<string, LoadedModule>();
/** Modules whose bodies run after the heap is restored, in the order they were first required. */
const afterRestore: Array<() => void> = [];
const DEFERRED = new Set([path.join(__dirname, 'native', 'index.js')]);
const BUILTINS = new Set(builtinModules);
const WRAPPER_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

function isBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || BUILTINS.has(spec);
}

/** `export{a as B,c}` at the end of an ES module bundle becomes assignments to module.exports. */
function esmBundleToCommonJs(source: string, file: string): string {
  const m = /export\s*\{([^}]*)\}\s*;?/.exec(source);
  if (m === null || /^\s*import[\s{*]/m.test(source)) {
    throw new Error(`snapshot: ${file} is not a self-contained ES module bundle`);
  }
  const assignments = m[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const [local, exported = local] = s.split(/\s+as\s+/);
      return `module.exports[${JSON.stringify(exported)}] = ${local};`;
    });
  return source.slice(0, m.index) + assignments.join('\n') + source.slice(m.index + m[0].length);
}

function runModule(file: string, mod: LoadedModule): void {
  let source = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.mjs')) source = esmBundleToCommonJs(source, file);
  const body = vm.compileFunction(source, WRAPPER_PARAMS, { filename: file });
  body.call(mod.exports, mod.exports, makeRequire(file), mod, file, path.dirname(file));
}

function loadFile(file: string): Record<string, unknown> {
  const known = modules.get(file);
  if (known !== undefined) return known.exports;
  const mod: LoadedModule = { exports: {} };
  modules.set(file, mod);
  if (DEFERRED.has(file)) {
    // Importers test __esModule to use the object itself rather than a copy of its properties.
    Object.defineProperty(mod.exports, '__esModule', { value: true });
    afterRestore.push(() => runModule(file, mod));
  } else {
    runModule(file, mod);
  }
  return mod.exports;
}

function loadAddon(file: string): unknown {
  if (v8.startupSnapshot.isBuildingSnapshot()) {
    throw new Error(`snapshot: the addon ${file} was required while the snapshot was being built`);
  }
  const mod = { exports: {} };
  process.dlopen(mod, file);
  return mod.exports;
}

function makeRequire(from: string): ModuleRequire {
  const resolveFrom = createRequire(from);
  const resolve = (spec: string): string => {
    if (spec.startsWith('.') || path.isAbsolute(spec)) {
      const file = path.resolve(path.dirname(from), spec);
      if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
      if (fs.existsSync(file + '.js')) return file + '.js';
    }
    return resolveFrom.resolve(spec);
  };
  const req = (spec: string): unknown => {
    if (isBuiltin(spec)) return require(spec);
    const file = resolve(spec);
    return file.endsWith('.node') ? loadAddon(file) : loadFile(file);
  };
  return Object.assign(req, { resolve });
}

/** Every module of the package except this one, in a stable order (the addon bridge is deferred by loadFile). */
function packageModules(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...packageModules(file));
    else if (entry.name.endsWith('.js') && file !== __filename) out.push(file);
  }
  return out;
}

function buildSnapshot(): void {
  const cli = loadFile(path.join(__dirname, 'cli.js')) as { main(args: string[]): number };
  for (const file of packageModules(__dirname)) loadFile(file);
  // The first `expr` would otherwise load chevrotain and build the grammar.
  const expr = loadFile(path.join(__dirname, 'expr', 'index.js')) as {
    parseExpression(text: string, line: number): unknown;
  };
  expr.parseExpression('$a + 1 < [f] ? "x" : {y}', 1);
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    for (const run of afterRestore) run();
    // Node has taken its own options; what follows is the script and its arguments.
    process.exitCode = cli.main(process.argv.slice(1));
  });
}

if (v8.startupSnapshot.isBuildingSnapshot()) buildSnapshot();
