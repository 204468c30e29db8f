/**
 * The kit's fixed files: package.json (the toolkit as vendored tarballs), pnpm-workspace.yaml, tsconfig,
 * check.ts, collect.ts and manifest.json, which records the others' hashes. The README is in kit-readme.ts.
 */
import type { Exercise } from '@backprop-lab/assignment';
import { KIT_MANIFEST, sha256 } from '@backprop-lab/assignment/collect';

/** The toolkit packages a kit installs from vendor/, in dependency order. */
export const VENDORED = ['tensor-native', 'tensor', 'gradcheck', 'layers', 'optim', 'assignment'] as const;

export const tarballName = (pkg: string, version: string) => `backprop-lab-${pkg}-${version}.tgz`;

export function kitPackageJson(version: string): string {
  const vendored = Object.fromEntries(
    VENDORED.map((pkg) => [`@backprop-lab/${pkg}`, `file:vendor/${tarballName(pkg, version)}`]),
  );
  const manifest = {
    name: 'backprop-lab-kit',
    version: '0.0.0',
    private: true,
    type: 'module',
    engines: { node: '>=20' },
    scripts: { check: 'tsx check.ts', collect: 'tsx collect.ts', typecheck: 'tsc -p tsconfig.json' },
    dependencies: vendored,
    devDependencies: { '@types/node': '^20.19.0', tsx: '^4.23.15', typescript: '~5.9.3' },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The packed packages name each other by version (pnpm pack rewrites workspace:*); the overrides point
 * those names at the tarballs too, so nothing is fetched from a registry.
 */
export function kitWorkspaceYaml(version: string, pins: Readonly<Record<string, string>>): string {
  const file = (pkg: string) => `file:vendor/${tarballName(pkg, version)}`;
  const overrides = VENDORED.map((pkg) => `  '@backprop-lab/${pkg}': ${file(pkg)}`);
  return [
    '# This kit is its own workspace: the toolkit comes from vendor/, never from a registry.',
    'packages: []',
    'overrides:',
    ...overrides,
    // Without a pin pnpm takes the newest version its cached metadata lists, which an offline
    // install may not have in its store.
    '  # Versions the toolkit was tested with (its pnpm-lock.yaml), so an offline install finds them.',
    ...Object.entries(pins).map(([name, pinned]) => `  ${name}: ${pinned}`),
    'allowBuilds:',
    '  esbuild: true',
    '  # tensor-native compiles its optional C kernels at install (node-gyp); without them tensor runs in JS.',
    `  '@backprop-lab/tensor-native@${file('tensor-native')}': true`,
    '',
  ].join('\n');
}

/**
 * The single version pnpm-lock.yaml's `packages:` sections hold for each of `names` (a name locked at
 * several versions is left unpinned). The lockfile may hold two documents, each with its own section.
 */
export function lockedVersions(lockfile: string, names: readonly string[]): Record<string, string> {
  const lines = lockfile
    .split(/^packages:$/m)
    .slice(1)
    .flatMap((part) => part.split(/^\S/m)[0].split('\n'));
  const pins: Record<string, string> = {};
  for (const name of names) {
    const versions = new Set(
      lines
        .filter((line) => line.startsWith(`  ${name}@`) && line.endsWith(':'))
        .map((line) => line.slice(name.length + 3, -1)),
    );
    if (versions.size === 1) pins[name] = [...versions][0];
  }
  return pins;
}

export const KIT_TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: true,
      isolatedModules: true,
      verbatimModuleSyntax: true,
      resolveJsonModule: true,
      noEmit: true,
      types: ['node'],
    },
    include: ['src', 'check.ts', 'collect.ts'],
  },
  null,
  2,
)}\n`;

export interface KitManifest {
  kitVersion: number;
  toolkitVersion: string;
  exercises: Exercise[];
  /** SHA-256 of each other fixed file as init wrote it: collect and the grader compare with it. */
  fixedFiles: Record<string, string>;
}

export function kitManifestJson(manifest: KitManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export const KIT_COLLECT_TS = `// pnpm collect: zips your src/ files, with their hashes, into submission.zip: the file you hand in.
import { runCollect } from '@backprop-lab/assignment/collect';

process.exitCode = runCollect(import.meta.dirname);
`;

export interface KitIdentity {
  kitVersion: number;
  toolkitVersion: string;
  exercises: Exercise[];
  /** Versions pinned in pnpm-workspace.yaml (see kitWorkspaceYaml). */
  pins: Readonly<Record<string, string>>;
}

/**
 * Every fixed file of a kit, by kit-relative name, manifest.json last: init writes them, and the grader
 * regenerates them to tell which ones a submission changed.
 */
export function kitFixedFiles(kit: KitIdentity): Map<string, string> {
  const files = new Map([
    ['check.ts', kitCheckTs(kit.exercises)],
    ['collect.ts', KIT_COLLECT_TS],
    ['package.json', kitPackageJson(kit.toolkitVersion)],
    ['pnpm-workspace.yaml', kitWorkspaceYaml(kit.toolkitVersion, kit.pins)],
    ['tsconfig.json', KIT_TSCONFIG],
  ]);
  const fixedFiles = Object.fromEntries([...files].map(([name, text]) => [name, sha256(text)]));
  const { kitVersion, toolkitVersion, exercises } = kit;
  files.set(KIT_MANIFEST, kitManifestJson({ kitVersion, toolkitVersion, exercises, fixedFiles }));
  return files;
}

/** A module identifier for a kit file: `batchnorm-backward.ts` → `batchnormBackward`. */
const moduleVar = (file: string) =>
  file.replace(/\.ts$/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * check.ts: imports every src file, hands runChecks their exports merged into one record (a method's
 * class as itself: runChecks builds the student's FullyConnectedNet), prints the table or JSON, exits 1
 * on any failure.
 */
export function kitCheckTs(exercises: readonly Exercise[]): string {
  const files = [...new Set(exercises.map((e) => e.file))];
  const imports = files.map(
    (file) => `import * as ${moduleVar(file)} from './src/${file.replace(/\.ts$/, '.js')}';`,
  );
  const entries = files.map((file) => `  ...${moduleVar(file)},`);
  return `// pnpm check: runs the assignment's checks over your src/ files and prints what passes.
//   pnpm check --only batchnorm-forward,batchnorm-backward   pnpm check --json   pnpm check --seed 7
import { parseArgs } from 'node:util';
import { formatReport, runChecks } from '@backprop-lab/assignment';
${imports.join('\n')}

const impl = {
${entries.join('\n')}
};

function main(): number {
  let values: { only?: string; json?: boolean; seed?: string };
  try {
    ({ values } = parseArgs({
      options: { only: { type: 'string' }, json: { type: 'boolean' }, seed: { type: 'string' } },
    }));
  } catch (error) {
    console.error(\`pnpm check: \${(error as Error).message}\`);
    return 2;
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) {
    console.error(\`pnpm check: --seed must be an integer, got '\${values.seed}'\`);
    return 2;
  }
  const only = values.only?.split(',').filter(Boolean);
  let report: ReturnType<typeof runChecks>;
  try {
    report = runChecks(impl, { only, seed });
  } catch (error) {
    // runChecks rejects an unknown --only id or a seed out of range: the caller's mistake, one line.
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    console.error(\`pnpm check: \${error.message}\`);
    return 2;
  }
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : 1;
}

process.exitCode = main();
`;
}
