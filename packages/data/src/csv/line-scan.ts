/**
 * Byte-level scans that need no CSV parsing: cutting a file into ranges at line ends, and counting
 * lines and rows in a range (the parallel reader sizes its output from these counts before parsing).
 */
import { openRegularFile } from '../files.js';

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

/**
 * Cuts [start, end) into at most `parts` ranges of about equal size, each cut just after a `\n`,
 * so no line is split between two ranges.
 */
export async function splitAtLineEnds(
  path: string,
  start: number,
  end: number,
  parts: number,
): Promise<{ start: number; end: number }[]> {
  const cuts = [start];
  const handle = await openRegularFile(path);
  try {
    const window = Buffer.alloc(1 << 16);
    for (let part = 1; part < parts; part++) {
      let position = Math.max(cuts[cuts.length - 1], start + Math.floor(((end - start) * part) / parts));
      let cut = end;
      while (position < end) {
        const { bytesRead } = await handle.read(window, 0, Math.min(window.length, end - position), position);
        if (bytesRead === 0) break;
        const at = window.subarray(0, bytesRead).indexOf(NEWLINE);
        if (at >= 0) {
          cut = position + at + 1;
          break;
        }
        position += bytesRead;
      }
      if (cut >= end) break;
      if (cut > cuts[cuts.length - 1]) cuts.push(cut);
    }
  } finally {
    await handle.close();
  }
  cuts.push(end);
  const ranges: { start: number; end: number }[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) ranges.push({ start: cuts[i], end: cuts[i + 1] });
  return ranges;
}

export interface LineCount {
  /** Number of `\n` in the range: the next range starts this many lines further on. */
  lines: number;
  /** Lines holding a row: every line except empty ones (`` or a lone `\r`), as csv-parse skips them. */
  rows: number;
}

export async function countLines(path: string, start: number, end: number): Promise<LineCount> {
  let lines = 0;
  let rows = 0;
  // The current line's length so far and its first byte, carried across chunk boundaries.
  let lineLength = 0;
  let firstByte = -1;
  const endLine = () => {
    if (lineLength > 1 || (lineLength === 1 && firstByte !== CARRIAGE_RETURN)) rows++;
    lineLength = 0;
    firstByte = -1;
  };
  if (start < end) {
    const handle = await openRegularFile(path);
    for await (const chunk of handle.createReadStream({
      start,
      end: end - 1,
      highWaterMark: 1 << 20,
    }) as AsyncIterable<Buffer>) {
      let position = 0;
      while (position < chunk.length) {
        const at = chunk.indexOf(NEWLINE, position);
        const stop = at < 0 ? chunk.length : at;
        if (stop > position) {
          if (lineLength === 0) firstByte = chunk[position];
          lineLength += stop - position;
        }
        if (at < 0) break;
        lines++;
        endLine();
        position = at + 1;
      }
    }
  }
  endLine();
  return { lines, rows };
}
