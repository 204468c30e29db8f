// Runs every package's tests through turbo, then prints one closing line counting them all:
// "N passed, N failed". Each package's vitest writes .test-results.json (a turbo output, so cached
// runs still count).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const extra = process.argv.slice(2);
const env = { ...process.env, NO_COLOR: '1', TURBO_TELEMETRY_DISABLED: '1' };
// The trainer's report test renders report.html in headless Chromium (Debian's package): install it when
// missing, so the README's one test command works on a fresh machine. Without root or apt the install
// says why and that one test fails with a clear message; the others still run.
if (process.platform === 'linux' && !existsSync('/usr/bin/chromium')) {
  spawnSync('bash', [join(root, 'scripts/install-chromium.sh')], { stdio: 'inherit' });
}

// Stale results must not be counted: turbo restores this file for cached tasks, so removing it first is safe.
for (const group of ['packages', 'apps', 'tests']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) rmSync(join(dir, name, '.test-results.json'), { force: true });
}
const run = spawnSync('pnpm', ['exec', 'turbo', 'run', 'test', '--continue', '--concurrency=2', ...extra], {
  cwd: root,
  stdio: 'inherit',
  env,
});

let passed = 0;
let failed = 0;
let packages = 0;
for (const group of ['packages', 'apps', 'tests']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, '.test-results.json');
    if (!existsSync(join(dir, name, 'package.json'))) continue;
    if (!existsSync(file)) {
      console.error(`no test results from ${group}/${name}`);
      failed += 1;
      continue;
    }
    const results = JSON.parse(readFileSync(file, 'utf8'));
    packages += 1;
    passed += results.numPassedTests;
    failed += results.numFailedTests + (results.numRuntimeErrorTests ?? 0);
    if (results.numTotalTests === 0) {
      console.error(`${group}/${name} ran no tests`);
      failed += 1;
    }
  }
}
console.log(`test results from ${packages} packages`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status !== 0 || failed > 0 || passed === 0 ? 1 : 0);
