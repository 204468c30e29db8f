/**
 * Reads and checks the header line: BOM and CRLF tolerated, names parsed by csv-parse (so a quoted
 * header such as R's `"label","p0"` works), the label column found wherever it stands.
 */
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { DataError, quoteValue } from '../errors.js';
import { fileError, openRegularFile } from '../files.js';

export interface CsvHeader {
  columnNames: string[];
  labelIndex: number;
  /** Names of the feature columns, in file order (every column but the label). */
  featureNames: string[];
  /** Byte offset of the line after the header. */
  dataStart: number;
  fileSize: number;
}

const CHUNK = 1 << 16;
const MAX_HEADER_BYTES = 1 << 24;

export async function readHeader(path: string, labelColumn: string): Promise<CsvHeader> {
  const { text, dataStart, fileSize } = await readFirstLine(path);
  const columnNames = parseHeaderLine(path, text);
  const seen = new Map<string, number>();
  columnNames.forEach((name, index) => {
    if (name === '') throw new DataError(path, 1, index + 1, 'the header has an empty column name');
    const first = seen.get(name);
    if (first !== undefined) {
      throw new DataError(
        path,
        1,
        index + 1,
        `duplicate column name ${quoteValue(name)} (also column ${first + 1})`,
      );
    }
    seen.set(name, index);
  });
  const labelIndex = seen.get(labelColumn);
  if (labelIndex === undefined) {
    const shown = columnNames.slice(0, 5).map(quoteValue).join(',') + (columnNames.length > 5 ? ',...' : '');
    throw new DataError(
      path,
      1,
      1,
      `the header has no ${quoteValue(labelColumn)} column (columns: ${shown})`,
    );
  }
  if (columnNames.length < 2)
    throw new DataError(path, 1, 1, 'the header has no feature columns besides the label');
  const featureNames = columnNames.filter((_, index) => index !== labelIndex);
  return { columnNames, labelIndex, featureNames, dataStart, fileSize };
}

async function readFirstLine(path: string): Promise<{ text: string; dataStart: number; fileSize: number }> {
  const handle = await openRegularFile(path);
  try {
    const fileSize = (await handle.stat()).size;
    const chunks: Buffer[] = [];
    let total = 0;
    let newline = -1;
    while (newline < 0 && total < fileSize) {
      if (total >= MAX_HEADER_BYTES) {
        throw new DataError(
          path,
          1,
          1,
          `the header line is longer than ${MAX_HEADER_BYTES} bytes (no line end?)`,
        );
      }
      const chunk = Buffer.alloc(Math.min(CHUNK, fileSize - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
      if (bytesRead === 0) break;
      const at = chunk.subarray(0, bytesRead).indexOf(10);
      if (at >= 0) newline = total + at;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    const bytes = Buffer.concat(chunks);
    checkText(path, bytes);
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    if (bytes.subarray(bom).toString('utf8').trim() === '' && newline < 0) {
      throw new DataError(path, 1, 1, 'the file is empty (expected a header line such as label,p0,p1,...)');
    }
    const end = newline < 0 ? bytes.length : newline;
    const text = bytes.subarray(bom, end).toString('utf8').replace(/\r$/, '');
    if (text.trim() === '') throw new DataError(path, 1, 1, 'the header line is empty');
    return { text, dataStart: newline < 0 ? fileSize : newline + 1, fileSize };
  } catch (error) {
    throw fileError(path, error);
  } finally {
    await handle.close();
  }
}

/**
 * A binary file (gzip, PNG, a CIFAR batch) would otherwise show its bytes as "column names": the header
 * and the rest of the first block read must be UTF-8 text without NUL bytes.
 */
function checkText(path: string, bytes: Buffer): void {
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new DataError(path, 0, 0, `not a text CSV: NUL byte at byte offset ${nul}`);
  const text = bytes.toString('utf8');
  const replaced = text.indexOf('\uFFFD');
  if (replaced < 0) return;
  // U+FFFD marks where decoding failed, unless the file holds that character itself (then it is text).
  const offset = Buffer.byteLength(text.slice(0, replaced));
  if (bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd) return;
  // The last character may be cut by the end of the block rather than be invalid.
  if (bytes.length - offset < 4 && replaced === text.length - 1) return;
  throw new DataError(path, 0, 0, `not a text CSV: invalid UTF-8 at byte offset ${offset}`);
}

function parseHeaderLine(path: string, text: string): string[] {
  try {
    const records = parse(text, { relax_column_count: true }) as string[][];
    return records[0].map((name) => name.trim());
  } catch (error) {
    if (error instanceof CsvError) {
      const column = typeof error.column === 'number' ? error.column + 1 : 1;
      throw new DataError(path, 1, column, `the header line cannot be parsed: ${error.message}`);
    }
    throw error;
  }
}
