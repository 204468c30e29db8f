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

/**
 * Pinned to the toolkit's lockfile: transitive dependencies the registry has moved past (node-gyp's tar),
 * and the assignment package's own (fflate, for collect), so an offline install finds what was tested.
 */
const PINNED = ['tar', 'fflate'];

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

/**
 * Writes a new folder whole or not at all: `write` fills a private staging folder beside `target` and
 * returns the paths it wrote; the staging folder is then renamed into place. On any failure it is removed.
 */
export function writeFolderAtomically(target: string, write: (staging: string) => string[]): InitResult {
  const dir = resolve(target);
  checkTarget(dir);
  const staging = mkdtempSync(join(dirname(dir), `.${basename(dir)}-`));
  try {
    const files = write(staging);
    if (existsSync(dir)) rmdirSync(dir); // checked empty above
    // mkdtemp makes the staging folder private (0700); the result is an ordinary folder.
    chmodSync(staging, 0o755);
    renameSync(staging, dir);
    return { dir, files: files.sort() };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Writes each text (or bytes) under `root`, creating folders; every file is new ('wx'). */
export function writeFiles(root: string, files: ReadonlyMap<string, string | Uint8Array>): string[] {
  for (const [path, contents] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), contents, { flag: 'wx' });
  }
  return [...files.keys()];
}

export function initKit(target: string, options: InitOptions = {}): InitResult {
  checkTarget(resolve(target));
  const { files, exercises } = generateKitText(options.only);
  const version = toolkitVersion();
  return writeFolderAtomically(target, (staging) => {
    const identity = { kitVersion: KIT_VERSION, toolkitVersion: version, exercises, pins: kitPins() };
    for (const [name, text] of kitFixedFiles(identity)) files.set(name, text);
    files.set('README.md', kitReadme(exercises));
    files.set('.gitignore', 'node_modules\nsubmission.zip\n');
    const written = writeFiles(staging, files);
    if (options.vendor === false) return written;
    mkdirSync(join(staging, 'vendor'));
    return [...written, ...packToolkit(join(staging, 'vendor'), version)];
  });
}
