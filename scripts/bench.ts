// `pnpm bench [--only NAME[,NAME]] [--json]`: runs every suite, a `*.bench.ts` file in a workspace
// package's bench/ or src/ folder (packages/* and apps/*). A package's own micro-benchmarks sit in its
// bench/; those that span packages live in the private package apps/bench (src/), so that no library
// reaches into another's source. A suite's default export is a BenchSuite (see bench-types.ts). Figures
// are printed, never asserted; ratios are taken against a reference measured in the same run.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchSuite } from './bench-types.js';

const root = new URL('..', import.meta.url).pathname;
function usage(message: string): never {
  console.error(`bench: ${message} (options: --only NAME[,NAME], --json)`);
  process.exit(2);
}

let json = false;
const only: string[] = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const [flag, inline] =
    args[i].startsWith('--') && args[i].includes('=') ? args[i].split(/=(.*)/s, 2) : [args[i]];
  if (flag === '--json' && inline === undefined) json = true;
  else if (flag === '--only') {
    const value = inline ?? args[++i];
    if (!value || value.startsWith('--')) usage('--only needs a suite name');
    only.push(...value.split(',').filter(Boolean));
  } else if (flag.startsWith('--')) usage(`unknown option ${args[i]}`);
  else usage(`unexpected argument ${args[i]}`);
}

const files: string[] = [];
for (const group of ['packages', 'apps']) {
  for (const pkg of readdirSync(join(root, group))) {
    for (const folder of ['bench', 'src']) {
      const dir = join(root, group, pkg, folder);
      let entries: string[] = [];
      try {
        entries = readdirSync(dir);
      } catch {
        continue;
      }
      for (const file of entries.sort()) if (file.endsWith('.bench.ts')) files.push(join(dir, file));
    }
  }
}

const suites: BenchSuite[] = [];
for (const file of files) {
  const suite = (await import(pathToFileURL(file).href)).default as BenchSuite;
  if (!suite?.name || typeof suite.run !== 'function') {
    console.error(`bench: ${basename(file)} does not export a default BenchSuite`);
    process.exit(1);
  }
  suites.push(suite);
}
const selected = only.length ? suites.filter((s) => only.includes(s.name)) : suites;
if (only.length && selected.length !== only.length) {
  const missing = only.filter((name) => !suites.some((s) => s.name === name));
  console.error(
    `bench: unknown suite ${missing.join(', ')} (suites: ${suites.map((s) => s.name).join(', ')})`,
  );
  process.exit(2);
}

for (const suite of selected) {
  if (!json) console.log(`\n== ${suite.name}: ${suite.description}`);
  const rows = await suite.run({ json, log: (line) => (json ? undefined : console.log(line)) });
  if (json) for (const row of rows) console.log(JSON.stringify({ suite: suite.name, ...row }));
  else if (rows.length) console.table(rows);
}
