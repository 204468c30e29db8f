/**
 * initKit: writes a student's workspace. The kit is assembled in a hidden sibling folder and renamed into
 * place at the end, so a failure (a pack that does not build, a full disk) leaves nothing behind.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { OutputError } from '@backprop-lab/trainer';
import { generateKitText, KIT_VERSION, REPO_ROOT } from './generate.js';
import { kitReadme } from './kit-readme.js';
import { kitFixedFiles, lockedVersions, tarballName, VENDORED } from './kit-templates.js';

/** Transitive dependencies the registry has moved past the toolkit's lockfile (node-gyp's tar). */
const PINNED = ['tar'];

/** The kit folder cannot be used or written: the kit's OutputError, so one line and exit 1. */
export class InitError extends OutputError {
  override name = 'InitError';
}

export interface InitOptions {
  /** Exercise ids to include (all when empty). */
  only?: readonly string[];
  /**
   * false: no vendor/ tarballs (seconds instead of ~15 s). Such a kit cannot be installed, but
   * `pnpm train --layers` reads it all the same, since the trainer brings its own toolkit.
   */
  vendor?: boolean;
}

export interface InitResult {
  dir: string;
  /** Kit-relative paths written, vendor tarballs included. */
  files: string[];
}

/** How to run pnpm: the one running this command when there is one, else the pinned version via npx. */
function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm\.c?js$/.test(execPath)) return [process.execPath, [execPath]];
  return ['npx', ['--yes', 'pnpm@12.4.2']];
}

/** `pnpm pack` of each toolkit package into vendor/; each package builds itself in prepack. */
function packToolkit(vendorDir: string, version: string): string[] {
  const [command, prefix] = pnpmCommand();
  return VENDORED.map((pkg) => {
    execFileSync(command, [...prefix, 'pack', '--pack-destination', vendorDir], {
      cwd: join(REPO_ROOT, 'packages', pkg),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const file = tarballName(pkg, version);
    if (!existsSync(join(vendorDir, file)))
      throw new InitError(`pnpm pack of packages/${pkg} wrote no ${file}`);
    return `vendor/${file}`;
  });
}

/** The toolkit's version, which its tarballs carry. */
export function toolkitVersion(): string {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'packages/assignment/package.json'), 'utf8')).version;
}

/** The versions a kit's pnpm-workspace.yaml pins, from the toolkit's lockfile. */
export function kitPins(): Record<string, string> {
  return lockedVersions(readFileSync(join(REPO_ROOT, 'pnpm-lock.yaml'), 'utf8'), PINNED);
}

function checkTarget(dir: string): void {
  if (!existsSync(dir)) {
    if (!existsSync(dirname(dir))) throw new InitError(`init: the parent folder of ${dir} does not exist`);
    return;
  }
  if (readdirSync(dir).length > 0) throw new InitError(`init: ${dir} already exists and is not empty`);
}

export function initKit(target: string, options: InitOptions = {}): InitResult {
  const dir = resolve(target);
  checkTarget(dir);
  const { files, exercises } = generateKitText(options.only);
  const version = toolkitVersion();
  const staging = mkdtempSync(join(dirname(dir), `.${basename(dir)}-`));
  try {
    const identity = { kitVersion: KIT_VERSION, toolkitVersion: version, exercises, pins: kitPins() };
    for (const [name, text] of kitFixedFiles(identity)) files.set(name, text);
    files.set('README.md', kitReadme(exercises));
    files.set('.gitignore', 'node_modules\nsubmission.zip\n');
    for (const [path, text] of files) {
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      writeFileSync(join(staging, path), text, { flag: 'wx' });
    }
    let tarballs: string[] = [];
    if (options.vendor !== false) {
      mkdirSync(join(staging, 'vendor'));
      tarballs = packToolkit(join(staging, 'vendor'), version);
    }
    if (existsSync(dir)) rmdirSync(dir); // checked empty above
    // mkdtemp makes the staging folder private (0700); the kit is an ordinary folder.
    chmodSync(staging, 0o755);
    renameSync(staging, dir);
    return { dir, files: [...files.keys(), ...tarballs].sort() };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
