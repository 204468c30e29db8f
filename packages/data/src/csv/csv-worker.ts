/**
 * Worker thread of the parallel reader: counts the lines of its byte range, then parses it with
 * csv-parse straight into the shared output arrays. Errors go back as data, not as exceptions, so the
 * main thread can pick the first one in file order.
 */
import { parentPort } from 'node:worker_threads';
import { DataError, toDataErrorRecord } from '../errors.js';
import { countLines } from './line-scan.js';
import { parseRange } from './read-range.js';
import { RowDecoder } from './row-decoder.js';
import type { ParseJob, WorkerJob, WorkerReply } from './worker-protocol.js';

async function parseJob(job: ParseJob): Promise<WorkerReply> {
  const X = job.dtype === 'float32' ? new Float32Array(job.X) : new Float64Array(job.X);
  const y = new Int32Array(job.y);
  const decoder = new RowDecoder(job.layout);
  let rows = 0;
  if (job.rowLimit > 0) {
    await parseRange(job.range, (fields, line) => {
      decoder.decode(fields, line, X, y, job.firstRow + rows);
      rows++;
      return rows < job.rowLimit;
    });
  }
  return { kind: 'parsed', rows, maxLabel: decoder.maxLabel };
}

async function run(job: WorkerJob): Promise<WorkerReply> {
  try {
    if (job.kind === 'count')
      return { kind: 'counted', count: await countLines(job.path, job.start, job.end) };
    return await parseJob(job);
  } catch (error) {
    if (error instanceof DataError) return { kind: 'data-error', error: toDataErrorRecord(error) };
    return {
      kind: 'failure',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

const port = parentPort;
if (port === null) throw new Error('csv-worker: must run in a worker thread');
port.on('message', (job: WorkerJob) => {
  void run(job).then((reply) => port.postMessage(reply));
});
