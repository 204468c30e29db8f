import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { countLines, splitAtLineEnds } from './line-scan.js';

async function file(text: string): Promise<string> {
  const path = join(await tempDir('scan'), 'f.csv');
  await writeFile(path, text);
  return path;
}

describe('splitAtLineEnds', () => {
  it('cuts only just after a newline and covers the range exactly', async () => {
    const text = Array.from({ length: 50 }, (_, i) => `${i},${'x'.repeat(i % 7)}`).join('\n');
    const path = await file(text);
    const ranges = await splitAtLineEnds(path, 0, text.length, 4);
    expect(ranges.length).toBe(4);
    expect(ranges[0].start).toBe(0);
    expect(ranges[ranges.length - 1].end).toBe(text.length);
    for (let i = 1; i < ranges.length; i++) {
      expect(ranges[i].start).toBe(ranges[i - 1].end);
      expect(text[ranges[i].start - 1]).toBe('\n');
    }
  });

  it('gives fewer ranges when there are fewer lines than parts', async () => {
    const path = await file('a,b\n1,2\n');
    expect(await splitAtLineEnds(path, 4, 8, 4)).toEqual([{ start: 4, end: 8 }]);
  });
});

describe('countLines', () => {
  it('counts newlines, and rows as the non-empty lines (a lone \\r is empty)', async () => {
    const text = '1,2\r\n\r\n3,4\n\n \n5,6';
    const path = await file(text);
    expect(await countLines(path, 0, text.length)).toEqual({ lines: 5, rows: 4 });
    expect(await countLines(path, 0, 0)).toEqual({ lines: 0, rows: 0 });
  });
});
