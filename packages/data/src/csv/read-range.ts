/**
 * Runs csv-parse over one byte range of a file, streaming, and hands each record with its file line
 * number to a callback. Both readers use it: the sequential one on the whole data part of the file, each
 * worker of the parallel one on its slice.
 *
 * Quoting is off for data rows. A numeric row never needs quotes, and without them every `\n` ends a
 * record, which is what lets the parallel reader cut the file at line ends and still count lines exactly.
 * A writer that quotes every field still works: the number parse accepts `"12"`.
 */
import { pipeline } from 'node:stream/promises';
import { CsvError, type Options, Parser } from 'csv-parse';
import { DataError } from '../errors.js';
import { fileError, openRegularFile } from '../files.js';

/** Guards against a file with the wrong delimiter or no line ends being held whole in one field. */
export const MAX_RECORD_CHARS = 1 << 24;

export const DATA_ROW_OPTIONS: Options = {
  delimiter: ',',
  quote: false,
  record_delimiter: ['\n', '\r\n'],
  skip_empty_lines: true,
  // The decoder checks the field count against the header, and names the line and the column.
  relax_column_count: true,
  max_record_size: MAX_RECORD_CHARS,
};

export interface ByteRange {
  path: string;
  /** First byte, at the start of a line. */
  start: number;
  /** One past the last byte, at the end of a line (or of the file). */
  end: number;
  /** File line number of the line starting at `start`. */
  firstLine: number;
}

/**
 * Calls `onRecord(fields, line, bytes)` for every non-blank line of the range (`bytes`: how far into the
 * range the parser is); stops early, without reading the rest, when it returns false. Errors thrown by
 * `onRecord` propagate unchanged.
 */
export async function parseRange(
  range: ByteRange,
  onRecord: (fields: string[], line: number, bytes: number) => boolean,
): Promise<void> {
  if (range.start >= range.end) return;
  const lineOffset = range.firstLine - 1;
  const controller = new AbortController();
  let stopped = false;
  const parser = new Parser({
    ...DATA_ROW_OPTIONS,
    on_record: (record: string[], context) => {
      // csv-parse finishes the chunk in hand after the abort: the records after the stop are dropped.
      if (stopped) return null;
      if (!onRecord(record, lineOffset + context.lines, context.bytes)) {
        stopped = true;
        controller.abort();
      }
      return null; // nothing is pushed downstream: the callback has already stored the row
    },
  });
  parser.resume();
  const handle = await openRegularFile(range.path);
  const source = handle.createReadStream({
    start: range.start,
    end: range.end - 1,
    highWaterMark: 1 << 20,
  });
  try {
    await pipeline(source, parser, { signal: controller.signal });
  } catch (error) {
    if (stopped) return;
    throw toDataError(error, range.path, lineOffset);
  }
}

function toDataError(error: unknown, path: string, lineOffset: number): unknown {
  if (!(error instanceof CsvError)) return fileError(path, error);
  const line = lineOffset + (typeof error.lines === 'number' ? error.lines : 1);
  const column = typeof error.column === 'number' ? error.column + 1 : 1;
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    return new DataError(
      path,
      line,
      column,
      `the row is longer than ${MAX_RECORD_CHARS} characters (wrong delimiter?)`,
    );
  }
  return new DataError(path, line, column, error.message);
}
