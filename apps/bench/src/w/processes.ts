// The processes W.bench.ts starts: numpy's reference/workload_w.py (timings, peak RSS, BLAS info) and
// rss.ts (our peak RSS in a process of its own). Not a suite itself.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADDON_PATH } from '@backprop-lab/tensor-native';
import type { WConfig } from './workload.js';

const NUMPY_SCRIPT = fileURLToPath(new URL('../../reference/workload_w.py', import.meta.url));
const RSS_SCRIPT = fileURLToPath(new URL('./rss.ts', import.meta.url));
const RSS_STEPS = 20;
/** Set on some processors for old OpenBLAS builds; they slow a current numpy, so its process runs without. */
const OPENBLAS_OVERRIDES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];

type JsonRow = Record<string, unknown>;

/** Runs workload_w.py; its JSON lines, or the reason it could not run. */
function python(args: string[]): JsonRow[] | string {
  const env = { ...process.env };
  for (const key of OPENBLAS_OVERRIDES) delete env[key];
  const result = spawnSync('python3', [NUMPY_SCRIPT, ...args], { env, encoding: 'utf8', timeout: 600_000 });
  if (result.error) return result.error.message;
  if (result.status !== 0) return (result.stderr || `exit ${result.status}`).trim().split('\n').pop() ?? '';
  return result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JsonRow);
}

/** Which numpy, BLAS, BLAS core and thread count will run; label null (and why) when none can. */
export function numpyInfo(): { label: string | null; error?: string } {
  const rows = python(['info']);
  if (typeof rows === 'string') return { label: null, error: rows };
  const info = rows[0];
  const overridden = OPENBLAS_OVERRIDES.filter((key) => process.env[key] !== undefined);
  const label =
    `numpy ${info.numpy}, ${info.blas} (core ${info.blasCore ?? '?'}, ${info.blasThreads ?? '?'} threads)` +
    (overridden.length ? `, run without ${overridden.join(' and ')}` : '');
  return { label };
}

const norm = (config: Pick<WConfig, 'batchnorm'>) => (config.batchnorm ? '1' : '0');

/** numpy's median ms/step for one configuration; NaN if it failed. */
export function numpyStepMs(config: WConfig, steps: number, warmup: number): number {
  const args = [
    'time',
    '--dtypes',
    config.dtype,
    '--batches',
    String(config.batch),
    '--batchnorm',
    norm(config),
  ];
  args.push('--steps', String(steps), '--warmup', String(warmup));
  const rows = python(args);
  return typeof rows === 'string' ? Number.NaN : Number(rows[0].msPerStep);
}

export interface RssFigures {
  peakRssMiB: number;
  baselineRssMiB: number;
}

export function numpyRss(config: WConfig): RssFigures | null {
  const args = ['rss', '--dtype', config.dtype, '--batch', String(config.batch), '--batchnorm', norm(config)];
  const rows = python([...args, '--steps', String(RSS_STEPS)]);
  if (typeof rows === 'string') return null;
  return { peakRssMiB: Number(rows[0].peakRssMiB), baselineRssMiB: Number(rows[0].baselineRssMiB) };
}

/**
 * How rss.ts is started. A user's program runs built JavaScript on plain node, while tsx's loader adds
 * ~40 MiB of its own (a second isolate for its hooks): so the script is bundled once with esbuild (tsx's
 * own copy) and run on plain node; failing that, under tsx as this bench runs, and labelled so.
 */
let rssRunner: { args: string[]; label: string } | undefined;
function rssCommand(): { args: string[]; label: string } {
  if (rssRunner) return rssRunner;
  try {
    const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx'));
    const esbuild = fromTsx('esbuild') as { buildSync(options: Record<string, unknown>): unknown };
    const dir = mkdtempSync(join(tmpdir(), 'w-rss-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, 'rss.mjs');
    esbuild.buildSync({
      entryPoints: [RSS_SCRIPT],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'silent',
    });
    rssRunner = { args: [outfile], label: 'node, bundled' };
  } catch {
    rssRunner = { args: [...process.execArgv, RSS_SCRIPT], label: 'node + tsx loader' };
  }
  return rssRunner;
}

export function rssRunnerLabel(): string {
  return rssCommand().label;
}

/** Peak RSS of our W in a fresh process under a BACKPROP_LAB_BACKEND value ('' = the fastest). */
export function oursRss(config: WConfig, backend: string): RssFigures | null {
  const args = [config.dtype, String(config.batch), norm(config), String(RSS_STEPS)];
  const result = spawnSync(process.execPath, [...rssCommand().args, ...args], {
    // A bundle lives in a temporary folder, so it is told where the native kernels are.
    env: { ...process.env, BACKPROP_LAB_BACKEND: backend, BACKPROP_LAB_NATIVE_ADDON: ADDON_PATH },
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (result.status !== 0) return null;
  const figures = JSON.parse(result.stdout.trim().split('\n').pop() ?? 'null') as RssFigures | null;
  return figures;
}
