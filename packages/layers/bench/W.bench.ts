// `pnpm bench --only W`: workload W (w-workload.ts) in ms/step and samples/s for float64 and float32,
// batch 50, 200 and 1000, with and without batchnorm, on every matmul backend this runtime has, with
// numpy running the same W in scripts/bench-reference/workload_w.py in the same run when python3 has
// numpy: ratio = ours / numpy per configuration. At batch 200 it also times the readable implementation
// ('layers') and measures the peak RSS of each side in a process of its own. Figures are printed, never
// asserted. W_BATCHES=200 (comma list) narrows the batches for a quick run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Backend, getBackend, setBackend, typescriptBackend } from '@backprop-lab/tensor';
import { type BenchSuite, timeMedian } from '../../../scripts/bench-types.js';
import { makeStep, paramsHash, type WConfig } from './w-workload.js';

const NUMPY_SCRIPT = fileURLToPath(new URL('../../../scripts/bench-reference/workload_w.py', import.meta.url));
const RSS_SCRIPT = fileURLToPath(new URL('./w-rss.ts', import.meta.url));
const STEPS = 15;
const WARMUP = 3;
const RSS_STEPS = 20;
/** Set on some processors for old OpenBLAS builds; they slow a current numpy, so its process runs without. */
const OPENBLAS_OVERRIDES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];

type Row = Record<string, string | number | boolean>;

function numpyEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of OPENBLAS_OVERRIDES) delete env[key];
  return env;
}

/** Runs workload_w.py; its JSON lines, or the reason it could not run. */
function python(args: string[]): { rows: Row[] } | { error: string } {
  const result = spawnSync('python3', [NUMPY_SCRIPT, ...args], {
    env: numpyEnv(),
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (result.error) return { error: result.error.message };
  if (result.status !== 0) return { error: (result.stderr || `exit ${result.status}`).trim().split('\n').pop() ?? '' };
  return { rows: result.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Row) };
}

/**
 * How to start w-rss.ts. A user's program runs built JavaScript on plain node, while tsx's loader adds
 * ~40 MiB of its own (a second isolate for its hooks): so the script is bundled once with esbuild (tsx's
 * own copy) and run on plain node; without esbuild, under tsx as this bench runs, and labelled so.
 */
let rssRunner: { args: string[]; label: string } | undefined;
function rssCommand(): { args: string[]; label: string } {
  if (rssRunner) return rssRunner;
  try {
    const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx'));
    const esbuild = fromTsx('esbuild') as { buildSync(options: Record<string, unknown>): unknown };
    const outfile = join(mkdtempSync(join(tmpdir(), 'w-rss-')), 'w-rss.mjs');
    esbuild.buildSync({ entryPoints: [RSS_SCRIPT], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'silent' });
    rssRunner = { args: [outfile], label: 'node, bundled' };
  } catch {
    rssRunner = { args: [...process.execArgv, RSS_SCRIPT], label: 'node + tsx loader' };
  }
  return rssRunner;
}

/** Peak RSS of our W in a fresh process under the named backend ('' = the fastest). */
function oursRss(config: WConfig, backend: string): Row | null {
  const args = [config.dtype, String(config.batch), config.batchnorm ? '1' : '0', config.implementation];
  const result = spawnSync(process.execPath, [...rssCommand().args, ...args, String(RSS_STEPS)], {
    env: { ...process.env, BACKPROP_LAB_BACKEND: backend },
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (result.status !== 0) return null;
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? 'null') as Row;
}

function backendsToRun(): Backend[] {
  const fastest = getBackend();
  return fastest.name === typescriptBackend.name ? [fastest] : [fastest, typescriptBackend];
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

const suite: BenchSuite = {
  name: 'W',
  description:
    'FC net 3072→100×5→10 (ReLU, optional batchnorm, softmax, L2, Adam): ms/step vs numpy (ratio = ours/numpy)',
  async run({ log }) {
    const batches = (process.env.W_BATCHES ?? '50,200,1000').split(',').map(Number);
    const info = python(['info']);
    const numpyInfo = 'rows' in info ? info.rows[0] : null;
    const numpyLabel = numpyInfo
      ? `numpy ${numpyInfo.numpy}, ${numpyInfo.blas} (core ${numpyInfo.blasCore ?? '?'}, ${numpyInfo.blasThreads ?? '?'} threads)`
      : '';
    if (numpyInfo) {
      const overridden = OPENBLAS_OVERRIDES.filter((key) => process.env[key] !== undefined);
      log(`reference: ${numpyLabel}${overridden.length ? `; unset for it: ${overridden.join(', ')}` : ''}`);
    } else {
      log(`reference: numpy not run (${'error' in info ? info.error : 'no output'}): ratios left out`);
    }
    const rows: Row[] = [];
    const original = getBackend();
    for (const dtype of ['float64', 'float32'] as const) {
      for (const batch of batches) {
        for (const batchnorm of [false, true]) {
          const norm = batchnorm ? '1' : '0';
          const reference = numpyInfo
            ? python(['time', '--dtypes', dtype, '--batches', String(batch), '--batchnorm', norm, '--steps', String(STEPS), '--warmup', String(WARMUP)])
            : null;
          const numpyMs = reference && 'rows' in reference ? Number(reference.rows[0].msPerStep) : null;
          const implementations = batch === 200 ? (['fused', 'layers'] as const) : (['fused'] as const);
          for (const backend of backendsToRun()) {
            for (const implementation of implementations) {
              if (implementation === 'layers' && backend !== original) continue;
              setBackend(backend);
              const config: WConfig = { dtype, batch, batchnorm, implementation };
              const { step, net } = makeStep(config);
              const ms = timeMedian(step, STEPS, WARMUP);
              const row: Row = {
                dtype,
                batch,
                batchnorm,
                backend: backend.name,
                implementation,
                msPerStep: round(ms),
                samplesPerSec: Math.round((batch / ms) * 1000),
                paramsHash: paramsHash(net),
              };
              if (numpyMs !== null) {
                row.numpyMsPerStep = round(numpyMs);
                row.ratio = round(ms / numpyMs);
              }
              rows.push(row);
              log(
                `${dtype} N=${batch} ${batchnorm ? 'bn' : 'no bn'} ${backend.name} ${implementation}: ${ms.toFixed(2)} ms/step, ${row.samplesPerSec} samples/s` +
                  (numpyMs !== null ? `; numpy ${numpyMs.toFixed(2)} ms, ratio ${(ms / numpyMs).toFixed(2)}` : ''),
              );
            }
          }
          setBackend(original);
        }
      }
    }
    if (batches.includes(200)) measureRss(rows, numpyInfo !== null, log);
    if (numpyInfo) for (const row of rows) row.numpy = numpyLabel;
    return rows;
  },
};

/** Peak RSS at batch 200, ours (fused, each backend) and numpy's, each in a process of its own. */
function measureRss(rows: Row[], withNumpy: boolean, log: (line: string) => void): void {
  for (const row of rows) {
    if (row.batch !== 200 || row.implementation !== 'fused') continue;
    const config: WConfig = {
      dtype: row.dtype as WConfig['dtype'],
      batch: 200,
      batchnorm: row.batchnorm as boolean,
      implementation: 'fused',
    };
    const ours = oursRss(config, row.backend === typescriptBackend.name ? 'typescript' : '');
    if (ours) {
      row.peakRssMiB = round(Number(ours.peakRssMiB), 1);
      row.baselineRssMiB = round(Number(ours.baselineRssMiB), 1);
      row.rssRunner = rssCommand().label;
    }
    if (!withNumpy) continue;
    const args = ['rss', '--dtype', config.dtype, '--batch', '200', '--batchnorm', config.batchnorm ? '1' : '0'];
    const numpy = python([...args, '--steps', String(RSS_STEPS)]);
    if ('rows' in numpy) {
      row.numpyPeakRssMiB = round(Number(numpy.rows[0].peakRssMiB), 1);
      row.numpyBaselineRssMiB = round(Number(numpy.rows[0].baselineRssMiB), 1);
      if (ours) row.rssRatio = round(Number(ours.peakRssMiB) / Number(numpy.rows[0].peakRssMiB));
    }
    log(
      `peak RSS ${config.dtype} N=200 ${config.batchnorm ? 'bn' : 'no bn'} ${row.backend}: ours ${row.peakRssMiB ?? '?'} MiB` +
        (withNumpy ? `, numpy ${row.numpyPeakRssMiB ?? '?'} MiB, ratio ${row.rssRatio ?? '?'}` : ''),
    );
  }
}

export default suite;
