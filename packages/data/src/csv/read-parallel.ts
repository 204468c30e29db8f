/**
 * The parallel reader: the data part of the file is cut into byte ranges at line ends, one per worker.
 *   1. count: each worker counts the lines and rows of its range (a byte scan, no parsing);
 *   2. the main thread then knows every range's first line and first row, and allocates X [N, D] and
 *      y [N] once, exactly sized, in SharedArrayBuffers;
 *   3. parse: each worker runs csv-parse on its range and writes its rows in place.
 * Line numbers stay exact because each worker is told the file line its range starts on. When several
 * ranges hold an error, the one from the earliest range is reported: the same error the sequential
 * reader gives.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { DType } from '@backprop-lab/tensor';
import { fromDataErrorRecord } from '../errors.js';
import type { CsvHeader } from './header.js';
import { type LineCount, splitAtLineEnds } from './line-scan.js';
import type { DecodedRows } from './read-sequential.js';
import type { RowLayout } from './row-decoder.js';
import { borrowWorkers, discardWorker, returnWorkers } from './worker-pool.js';
import type { WorkerJob, WorkerReply } from './worker-protocol.js';

const workerUrl = new URL(`./csv-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export async function readRowsParallel(
  header: CsvHeader,
  layout: RowLayout,
  dtype: DType,
  workerCount: number,
  maxRows: number | undefined,
): Promise<DecodedRows> {
  const ranges = await splitAtLineEnds(layout.file, header.dataStart, header.fileSize, workerCount);
  const workers = borrowWorkers(workerUrl, ranges.length);
  try {
    const counted = await runAll(
      workers,
      ranges.map((range): WorkerJob => ({ kind: 'count', path: layout.file, ...range })),
    );
    const counts = counted.map((reply) => expectKind(reply, 'counted').count);
    const plan = planRows(counts, maxRows);
    const features = header.columnNames.length - 1;
    const bytesPerValue = dtype === 'float32' ? 4 : 8;
    const X = new SharedArrayBuffer(plan.total * features * bytesPerValue);
    const y = new SharedArrayBuffer(plan.total * 4);
    const parsed = await runAll(
      workers,
      ranges.map(
        (range, i): WorkerJob => ({
          kind: 'parse',
          range: { path: layout.file, ...range, firstLine: plan.firstLines[i] },
          layout,
          dtype,
          X,
          y,
          firstRow: plan.firstRows[i],
          rowLimit: plan.rowLimits[i],
        }),
      ),
    );
    let maxLabel = -1;
    for (const [i, reply] of parsed.entries()) {
      const { rows, maxLabel: rangeMax } = expectKind(reply, 'parsed');
      if (rows !== plan.rowLimits[i]) {
        throw new Error(
          `readCsvDataset: worker ${i} decoded ${rows} rows where the line count found ${plan.rowLimits[i]}`,
        );
      }
      maxLabel = Math.max(maxLabel, rangeMax);
    }
    const data = dtype === 'float32' ? new Float32Array(X) : new Float64Array(X);
    return { X: data, y: new Int32Array(y), rows: plan.total, maxLabel };
  } finally {
    returnWorkers(workers);
  }
}

interface RowPlan {
  total: number;
  firstLines: number[];
  firstRows: number[];
  rowLimits: number[];
}

/** Where each range starts (file line, output row) and how many rows it contributes under maxRows. */
function planRows(counts: LineCount[], maxRows: number | undefined): RowPlan {
  const plan: RowPlan = { total: 0, firstLines: [], firstRows: [], rowLimits: [] };
  let line = 2; // the header is line 1
  const cap = maxRows ?? Number.POSITIVE_INFINITY;
  for (const count of counts) {
    plan.firstLines.push(line);
    plan.firstRows.push(plan.total);
    const rows = Math.min(count.rows, cap - plan.total);
    plan.rowLimits.push(rows);
    plan.total += rows;
    line += count.lines;
  }
  return plan;
}

/**
 * Sends job i to worker i and waits for every reply, even after a failure, so no reply is still in
 * flight when the workers go back to the pool. A worker that crashed is discarded.
 */
async function runAll(workers: Worker[], jobs: WorkerJob[]): Promise<WorkerReply[]> {
  const settled = await Promise.allSettled(jobs.map((job, i) => send(workers[i], job)));
  const replies: WorkerReply[] = [];
  for (const [i, outcome] of settled.entries()) {
    if (outcome.status === 'rejected') {
      discardWorker(workers[i]);
      throw new Error(`readCsvDataset: a csv worker failed: ${String(outcome.reason)}`);
    }
    replies.push(outcome.value);
  }
  // Ranges are in file order, so the first data error found is the first in the file.
  const failed = replies.find((reply) => reply.kind === 'data-error');
  if (failed?.kind === 'data-error') throw fromDataErrorRecord(failed.error);
  return replies;
}

function send(worker: Worker, job: WorkerJob): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(error);
    };
    const onMessage = (reply: WorkerReply) => {
      worker.off('error', onError);
      resolve(reply);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage(job);
  });
}

function expectKind<K extends WorkerReply['kind']>(
  reply: WorkerReply,
  kind: K,
): Extract<WorkerReply, { kind: K }> {
  if (reply.kind === kind) return reply as Extract<WorkerReply, { kind: K }>;
  const detail = reply.kind === 'failure' ? reply.message : `unexpected reply ${reply.kind}`;
  throw new Error(`readCsvDataset: a csv worker failed: ${detail}`);
}
