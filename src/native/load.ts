// Locates and loads the compiled addon. The package root is found by walking up from
// this file, so the same code works from src/ (ts-node), dist/ and dist-test/.
import * as fs from "node:fs";
import * as path from "node:path";

import type { NativeBinding } from "./types.js";

const ADDON_RELATIVE = path.join("build", "Release", "tclshim_native.node");

/** The directory holding both package.json and binding.gyp, searching upwards. */
export function findPackageRoot(startDir: string): string {
  let dir = path.resolve(startDir);
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "binding.gyp"))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`tclshim: no package root (package.json + binding.gyp) above ${startDir}`);
    }
    dir = parent;
  }
}

/** Absolute path of the addon file for this installation. */
export function addonPath(): string {
  return path.join(findPackageRoot(__dirname), ADDON_RELATIVE);
}

/** Loads the addon once; a missing build gets a message that says what to run. */
export function loadBinding(): NativeBinding {
  const file = addonPath();
  if (!fs.existsSync(file)) {
    throw new Error(`tclshim: native addon not built (${ADDON_RELATIVE}); run "npx node-gyp rebuild"`);
  }
  return require(file) as NativeBinding;
}
