// CSV reading throughput on a CIFAR-sized file (3073 columns: label + 3072 pixels, 0..255): csv-parse
// alone on one thread (the baseline), our reader on one thread, our reader with worker threads, and a
// reload from the binary cache. Each measurement runs in its own process, so "peak RSS" is that of the
// measurement alone; "RSS / arrays" compares it with the output arrays (X float32 + y int32). cpuSeconds
// counts every thread: on a busy machine, wall time says little about the parallel reader, CPU time still
// shows its overhead (2 workers on 2 idle cores need about cpuSeconds / 2 of wall time).
// BENCH_CSV_ROWS (default 5000, ~55 MB) sets the size; 50000 is CIFAR-10's training set (~550 MB).
// BENCH_CSV_REPEATS (default 3 up to 10,000 rows, else 1): each figure is the best of that many runs.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@backprop-lab/tensor';
import type { BenchSuite } from '../../../scripts/bench-types.js';
import { pixelColumnNames, writeCsvRows } from '../src/index.js';

interface ChildResult {
  seconds: number;
  cpuSeconds: number;
  rows: number;
  fromCache: boolean;
  peakRssMB: number;
}

const child = new URL('./read-child.ts', import.meta.url).pathname;

function measure(path: string, method: 'csv-parse' | 'read', options: object = {}): ChildResult {
  const run = spawnSync(
    process.execPath,
    [...process.execArgv, child, JSON.stringify({ path, method, options })],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  if (run.status !== 0) throw new Error(`csv bench child failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as ChildResult;
}

/** Random pixels: 2.6 digits a value on average, so 50,000 rows make CIFAR-10's ~550 MB. */
async function writeBenchFile(path: string, rows: number): Promise<void> {
  const rng = createRng(2024);
  const pixels = new Uint8Array(3072);
  await writeCsvRows(path, pixelColumnNames(3072), async (emit) => {
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < 3072; k++) pixels[k] = rng.int(256);
      await emit(i % 10, pixels);
    }
  });
}

const suite: BenchSuite = {
  name: 'csv',
  description:
    'CIFAR-sized CSV read: csv-parse alone vs our reader (1 thread, workers), cached reload; MB = 1e6 bytes',
  async run({ log }) {
    const rows = Number(process.env.BENCH_CSV_ROWS ?? 5000);
    const repeats = Number(process.env.BENCH_CSV_REPEATS ?? (rows <= 10000 ? 3 : 1));
    const dir = await mkdtemp(join(tmpdir(), 'bpl-csv-bench-'));
    try {
      const path = join(dir, 'cifar-like.csv');
      log(`writing ${rows} rows × 3073 columns to ${path} ...`);
      await writeBenchFile(path, rows);
      const megabytes = (await stat(path)).size / 1e6;
      const arraysMB = (rows * 3072 * 4 + rows * 4) / 1e6;
      log(`${megabytes.toFixed(0)} MB of CSV; output arrays ${arraysMB.toFixed(0)} MB (float32)`);
      const cases: [string, 'csv-parse' | 'read', object][] = [
        ['csv-parse alone, 1 thread', 'csv-parse', {}],
        ['readCsvDataset, 1 thread', 'read', { dtype: 'float32', workers: 0 }],
        ['readCsvDataset, workers (auto)', 'read', { dtype: 'float32' }],
        ['readCsvDataset, cache write', 'read', { dtype: 'float32', cache: join(dir, 'cache') }],
        ['readCsvDataset, cached reload', 'read', { dtype: 'float32', cache: join(dir, 'cache') }],
      ];
      const results: Record<string, string | number | boolean>[] = [];
      for (const [name, method, options] of cases) {
        log(`${name} ...`);
        // Best of `repeats` runs: other processes only ever make a run slower.
        const runs = Array.from({ length: name.includes('cache write') ? 1 : repeats }, () =>
          measure(path, method, options),
        );
        const result = runs.reduce((best, run) => (run.seconds < best.seconds ? run : best));
        if (result.rows !== rows) throw new Error(`${name} read ${result.rows} rows, expected ${rows}`);
        results.push({
          method: name,
          rows,
          runs: runs.length,
          csvMB: Number(megabytes.toFixed(1)),
          seconds: Number(result.seconds.toFixed(3)),
          MBps: Number((megabytes / result.seconds).toFixed(1)),
          cpuSeconds: Number(result.cpuSeconds.toFixed(2)),
          fromCache: result.fromCache,
          peakRssMB: Math.round(result.peakRssMB),
          rssOverArrays: Number((result.peakRssMB / arraysMB).toFixed(2)),
        });
      }
      const base = results[0].seconds as number;
      for (const row of results) row.speedupVsCsvParse = Number((base / (row.seconds as number)).toFixed(2));
      return results;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default suite;
