// One measurement of the csv bench, in its own process so its peak RSS is its own. Prints one JSON line.
// argv[2]: {"path", "method": "csv-parse" | "read", "options"}.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { readCsvDataset } from '../src/index.js';

const { path, method, options } = JSON.parse(process.argv[2]);
const started = performance.now();
const cpuAtStart = process.cpuUsage();
let rows = 0;
let fromCache = false;
if (method === 'csv-parse') {
  // The baseline: csv-parse alone, default options, one thread, records counted and dropped.
  for await (const record of createReadStream(path, { highWaterMark: 1 << 20 }).pipe(parse()))
    rows += record.length > 0 ? 1 : 0;
  rows -= 1; // the header
} else {
  const data = await readCsvDataset(path, options);
  rows = data.X.shape[0];
  fromCache = data.fromCache;
}
const seconds = (performance.now() - started) / 1000;
// CPU time of every thread of the process: on a busy machine it still shows the work done.
const { user, system } = process.cpuUsage(cpuAtStart);
const cpuSeconds = (user + system) / 1e6;
console.log(
  JSON.stringify({ seconds, cpuSeconds, rows, fromCache, peakRssMB: process.resourceUsage().maxRSS / 1024 }),
);
