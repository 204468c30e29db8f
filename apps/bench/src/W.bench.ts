// `pnpm bench --only W`: workload W (w/workload.ts) in ms/step and samples/s, float64 and float32,
// batch 50, 200 and 1000, with and without batchnorm, on the default matmul backend and the TypeScript
// one, and the same W in numpy (reference/workload_w.py) in the same run when python3 has numpy:
// ratio = ours / numpy. At batch 200 it also times the default kernel on one thread and the wasm backend,
// and the peak RSS of each side in a process of its own. Beside each configuration it prints the fused
// net's figures from before the one-net redesign (w/before.ts). Each dtype is timed in a process of its
// own (w/measure.ts says why). The machine may be shared, so each configuration alternates numpy and ours
// W_ROUNDS times (default 3) and keeps each side's best median. W_BATCHES=200 (a comma list) narrows
// the batches. Figures are printed, never asserted.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { typescriptBackend } from '@backprop-lab/tensor';
import type { BenchSuite } from '../../../scripts/bench-types.js';
import { numpyInfo, numpyRss, oursRss, rssRunnerLabel } from './w/processes.js';
import { W_BATCHES, W_DTYPES, type WConfig } from './w/workload.js';

const MEASURE_SCRIPT = fileURLToPath(new URL('./w/measure.ts', import.meta.url));

type Row = Record<string, string | number | boolean>;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** Runs w/measure.ts for one dtype, passing its progress lines to `log`; its rows. */
function measureDtype(args: string[], log: (line: string) => void): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, MEASURE_SCRIPT, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const rows: Row[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => rows.push(JSON.parse(line) as Row));
    createInterface({ input: child.stderr }).on('line', log);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(rows) : reject(new Error(`W: w/measure.ts ${args.join(' ')} exited ${code}`)),
    );
  });
}

const suite: BenchSuite = {
  name: 'W',
  description:
    'FC net 3072→100×5→10 (ReLU, optional batchnorm, softmax, L2, Adam): ms/step vs numpy (ratio = ours/numpy)',
  async run({ log }) {
    const batches = process.env.W_BATCHES ?? W_BATCHES.join(',');
    const rounds = process.env.W_ROUNDS ?? '3';
    const info = numpyInfo();
    if (info.label) log(`reference: ${info.label}`);
    else log(`reference: numpy not run (${info.error}): ratios left out`);
    log(
      'before: the fused net of round 3 (docs/performance.md), another machine and the slower numpy reference',
    );
    // numpy's two BLAS halves wait for each other, so its figures suffer most when a core is taken:
    // the load says how far to trust a run (docs/performance.md).
    log(`load average ${loadavg()[0].toFixed(2)} at the start`);
    const rows: Row[] = [];
    for (const dtype of W_DTYPES) {
      rows.push(...(await measureDtype([dtype, batches, rounds, info.label ? '1' : '0'], log)));
    }
    if (batches.split(',').includes('200')) measureRss(rows, info.label !== null, log);
    if (info.label) for (const row of rows) row.numpy = info.label;
    log(`load average ${loadavg()[0].toFixed(2)} at the end`);
    return rows;
  },
};

/** Peak RSS at batch 200 in processes of their own: ours (default backend and TypeScript backend) and numpy. */
function measureRss(rows: Row[], withNumpy: boolean, log: (line: string) => void): void {
  for (const row of rows) {
    if (row.batch !== 200) continue;
    const config: WConfig = {
      dtype: row.dtype as WConfig['dtype'],
      batch: 200,
      batchnorm: row.batchnorm as boolean,
    };
    const ours = oursRss(config, '');
    if (ours) {
      row.peakRssMiB = round(ours.peakRssMiB, 1);
      row.baselineRssMiB = round(ours.baselineRssMiB, 1);
      row.rssRunner = rssRunnerLabel();
    }
    if (row.backend !== typescriptBackend.name) {
      const typescript = oursRss(config, 'typescript');
      if (typescript) row.typescriptPeakRssMiB = round(typescript.peakRssMiB, 1);
    }
    const numpy = withNumpy ? numpyRss(config) : null;
    if (numpy) {
      row.numpyPeakRssMiB = round(numpy.peakRssMiB, 1);
      row.numpyBaselineRssMiB = round(numpy.baselineRssMiB, 1);
      if (ours) row.rssRatio = round(ours.peakRssMiB / numpy.peakRssMiB);
    }
    log(
      `peak RSS ${config.dtype} N=200 ${config.batchnorm ? 'bn   ' : 'no bn'}: ours ${row.peakRssMiB ?? '?'} MiB ` +
        `(runtime alone ${row.baselineRssMiB ?? '?'}; TypeScript backend ${row.typescriptPeakRssMiB ?? '-'})` +
        (numpy
          ? `, numpy ${row.numpyPeakRssMiB} MiB (${row.numpyBaselineRssMiB}), ratio ${row.rssRatio ?? '?'}`
          : ''),
    );
  }
}

export default suite;
