#!/usr/bin/env node
// No import cycles: none between the files of any package (type-only imports included: they tie the
// files together for a reader as much as value imports do), and none between the folders of
// apps/trainer/src. dependency-cruiser finds them; this script lists them and compares them with the
// known cycles below. `pnpm check:imports` runs it; tests/repo-checks runs it inside `pnpm test` (so CI).
//
//   node scripts/import-cycles.mjs [--root DIR] [--known CYCLE]...
//
// --known adds a cycle to the list for this call (tests use it to check that a gone cycle is reported).
//
// Exit 1 on a cycle that is not known, and on a known cycle that is gone (remove it from the list).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';

/**
 * Cycles that exist today, each written from its alphabetically first member, e.g.
 * 'file: packages/p/src/a.ts -> packages/p/src/b.ts'. None is left; should one have to be allowed for a
 * while, whoever breaks it deletes its line here (the check fails until then, so the list cannot go stale).
 */
const KNOWN_CYCLES = [];

const RULES = {
  forbidden: [
    { name: 'file', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'folder',
      severity: 'error',
      scope: 'folder',
      from: { path: '^apps/trainer/src/[^/]+' },
      to: { circular: true, path: '^apps/trainer/src/[^/]+' },
    },
  ],
};

/** A cycle as one line, rotated to start at its alphabetically first member so each has one spelling. */
function spell(kind, members) {
  const first = members.indexOf([...members].sort()[0]);
  return `${kind}: ${[...members.slice(first), ...members.slice(0, first)].join(' -> ')}`;
}

async function findCycles(root) {
  const folders = ['packages', 'apps', 'tests', 'scripts'].filter((folder) => existsSync(join(root, folder)));
  const previous = process.cwd();
  process.chdir(root); // dependency-cruiser names modules relative to the working folder
  try {
    const { output } = await cruise(folders, {
      validate: true,
      ruleSet: RULES,
      tsPreCompilationDeps: true,
      // Tests and benches import the sources but nothing imports them, so they close no cycle between
      // files; between folders they would add false ones (report/x.test.ts -> testing/ -> report/).
      exclude: { path: '(^|/)(node_modules|dist|build|coverage)/|\\.(test|bench)\\.ts$' },
      doNotFollow: { path: 'node_modules' },
      // Workspace packages export their TypeScript source: resolving through `exports` follows an import
      // of @backprop-lab/tensor into packages/tensor/src, so cycles across packages are found too.
      enhancedResolveOptions: {
        exportsFields: ['exports'],
        conditionNames: ['import', 'types', 'node', 'default'],
        extensions: ['.ts', '.mts', '.js', '.mjs', '.d.ts'],
      },
    });
    // dependency-cruiser reports a cycle once per edge on it; a violation's cycle ends at its `from`.
    const cycles = output.summary.violations.map((violation) =>
      spell(
        violation.rule.name,
        violation.cycle.map((step) => step.name),
      ),
    );
    return { cycles: [...new Set(cycles)].sort(), modules: output.summary.totalCruised };
  } finally {
    process.chdir(previous);
  }
}

async function main(argv) {
  const rootAt = argv.indexOf('--root');
  const root = rootAt >= 0 ? argv[rootAt + 1] : fileURLToPath(new URL('..', import.meta.url));
  if (root === undefined) {
    console.error('import cycles: --root needs a folder');
    return 2;
  }
  const known = [...KNOWN_CYCLES, ...argv.flatMap((arg, i) => (argv[i - 1] === '--known' ? [arg] : []))];
  const { cycles, modules } = await findCycles(root);
  const fresh = cycles.filter((cycle) => !known.includes(cycle));
  const gone = known.filter((cycle) => !cycles.includes(cycle));
  console.log(
    `${modules} modules cruised; ${cycles.length} import cycle(s), ${cycles.length - fresh.length} known:`,
  );
  for (const cycle of cycles) console.log(`  ${fresh.includes(cycle) ? 'NEW  ' : 'known'}  ${cycle}`);
  for (const cycle of fresh) console.error(`import cycles: new cycle ${cycle}: break it (see STYLE.md 1)`);
  for (const cycle of gone) {
    console.error(
      `import cycles: known cycle gone: ${cycle}: delete it from KNOWN_CYCLES in scripts/import-cycles.mjs`,
    );
  }
  return fresh.length === 0 && gone.length === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
