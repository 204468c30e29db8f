import * as fs from 'node:fs';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { summaryToJson } from '../analysis/summary.js';
import { renderReport } from '../report/html.js';
import { metricsCsv } from '../report/metrics-csv.js';
import { fakeSummary } from '../testing/fake-summary.js';
import { UnwrittenFilesError, writeOutputs } from './write-outputs.js';

// A full disk is simulated by replacing writeSync: it takes `room` more bytes, then fails with ENOSPC.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, writeSync: vi.fn(real.writeSync) };
});
const realFs = await vi.importActual<typeof import('node:fs')>('node:fs');
afterEach(() => {
  vi.mocked(fs.writeSync).mockImplementation(realFs.writeSync as never);
});

/** Each file gets `limit` bytes (a file's first write starts at offset 0), then the disk is full. */
function fillDiskAfter(limit: number): void {
  const room = new Map<number, number>();
  vi.mocked(fs.writeSync).mockImplementation(((
    fd: number,
    buffer: Uint8Array,
    offset = 0,
    length?: number,
  ) => {
    const left = offset === 0 ? limit : (room.get(fd) ?? limit);
    const count = Math.min(length ?? buffer.length - offset, left, 4096);
    if (count === 0)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    room.set(fd, left - count);
    return realFs.writeSync(fd, buffer, offset, count);
  }) as never);
}

const folder = () => tempDirSync('write-outputs');

describe('writeOutputs', () => {
  it('writes the three files and nothing else', async () => {
    const dir = folder();
    const summary = fakeSummary();
    const files = await writeOutputs(dir, summary);
    expect(readdirSync(dir).sort()).toEqual(['metrics.csv', 'report.html', 'summary.json']);
    expect(readFileSync(files.summary, 'utf8')).toBe(summaryToJson(summary));
  });

  it('on a full disk: writes no file half, keeps the results that fit, and names what it could not write', async () => {
    const dir = folder();
    const summary = fakeSummary();
    // Room for every file but the largest of the three.
    const sizes = [
      ['metrics.csv', Buffer.byteLength(metricsCsv(summary.runs))],
      ['report.html', Buffer.byteLength(await renderReport(summary))],
      ['summary.json', Buffer.byteLength(summaryToJson(summary))],
    ] as const;
    const largest = [...sizes].sort((a, b) => b[1] - a[1])[0];
    fillDiskAfter(largest[1] - 1);
    const failing = writeOutputs(dir, summary);
    await expect(failing).rejects.toBeInstanceOf(UnwrittenFilesError);
    const error = (await failing.catch((e: unknown) => e)) as UnwrittenFilesError;
    const written = sizes.filter(([name]) => name !== largest[0]).map(([name]) => name);
    expect(error.message).toBe(
      `--out ${dir}: wrote ${written.join(', ')}; could not write ${largest[0]} (${largest[0]}: ENOSPC: no space left on device)`,
    );
    expect(error.summary).toBe(summary);
    expect(readdirSync(dir).sort()).toEqual(written);
    if (largest[0] !== 'summary.json')
      expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe(summaryToJson(summary));
  });

  it('removes an older file of the same name rather than leave it beside this study', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'metrics.csv'), 'run,seed,step,metric,value\nold,1,0,loss,9\n');
    fillDiskAfter(10);
    const error = (await writeOutputs(dir, fakeSummary()).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(
      /could not write metrics\.csv, report\.html, summary\.json \(metrics\.csv: ENOSPC/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a folder in the way of one file still lets the others be written', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'report.html', 'inside'), { recursive: true });
    const error = (await writeOutputs(dir, fakeSummary()).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('OutputError');
    expect(error.message).toMatch(
      /^--out .*: wrote metrics\.csv, summary\.json; could not write report\.html \(report\.html: E/,
    );
    expect(readdirSync(join(dir, 'report.html'))).toEqual(['inside']);
  });
});
