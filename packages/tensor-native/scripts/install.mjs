// Builds the native kernels with node-gyp when the package is installed. They are optional: where there is
// no C compiler or no Node headers, this prints why and exits 0, and @backprop-lab/tensor runs its
// WebAssembly kernels instead. `--strict` (the build:native script) exits 1 on failure instead.
// BACKPROP_LAB_NATIVE=0 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict');

function giveUp(reason) {
  const fallback = strict ? '' : ' (optional: @backprop-lab/tensor uses its WebAssembly kernels instead)';
  console.warn(`@backprop-lab/tensor-native: native kernels not built: ${reason}${fallback}`);
  process.exit(strict ? 1 : 0);
}

if (process.env.BACKPROP_LAB_NATIVE === '0') giveUp('BACKPROP_LAB_NATIVE=0');

let nodeGyp;
try {
  nodeGyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
} catch {
  giveUp('node-gyp is not installed');
}

// Headers of the running Node: npm's nodedir setting if any, else the ones installed beside node itself
// (<prefix>/include/node), so that node-gyp does not try to download them.
const args = [nodeGyp, 'rebuild', '--release', '--jobs=max'];
const prefix = join(dirname(process.execPath), '..');
const nodedir =
  process.env.npm_config_nodedir ||
  (existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined);
if (nodedir) args.push(`--nodedir=${nodedir}`);

const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
if (result.error) giveUp(result.error.message);
if (result.status !== 0) {
  const log = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
  giveUp(`node-gyp exited with ${result.status}:\n${log}`);
}
console.log('@backprop-lab/tensor-native: native kernels built (build/Release/backprop_native.node)');
