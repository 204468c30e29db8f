/**
 * CIFAR-10 "binary version" → our CSV. Each batch file (`data_batch_1.bin` ... `data_batch_5.bin`,
 * `test_batch.bin`) is a run of 3,073-byte records: 1 label byte (0..9), then 3,072 pixel bytes, 1024 red,
 * 1024 green, 1024 blue, each 32×32 row-major: exactly our column order, so pixel k becomes column p{k}.
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseClassNames, writeClassNames } from './class-names.js';
import { DataError } from './errors.js';
import { fileError, openRegularFile, readTextFileIfAny } from './files.js';
import { pixelColumnNames, writeCsvRows } from './write-csv.js';

export const CIFAR_PIXELS = 3072;
export const CIFAR_RECORD_BYTES = 1 + CIFAR_PIXELS;
const CIFAR_CLASSES = 10;

/** Files to convert: a folder stands for its training batches `data_batch_*.bin`, in numeric order. */
export async function cifarBatchFiles(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    if ((await statInput(input)).isDirectory()) {
      const batches = (await readdir(input).catch((error) => Promise.reject(fileError(input, error))))
        .filter((name) => /^data_batch_\d+\.bin$/.test(name))
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      if (batches.length === 0)
        throw new DataError(input, 1, 1, 'the folder holds no data_batch_*.bin files');
      files.push(...batches.map((name) => join(input, name)));
    } else {
      files.push(input);
    }
  }
  return files;
}

export interface CifarConversion {
  files: string[];
  rows: number;
  /** From batches.meta.txt beside the first input, also written as the CSV's class-names sidecar. */
  classNames?: string[];
}

/** Converts CIFAR-10 binary batches (files or folders) into one CSV at `outCsv`, written atomically. */
export async function convertCifarBinary(
  inputs: readonly string[],
  outCsv: string,
): Promise<CifarConversion> {
  if (inputs.length === 0)
    throw new TypeError('convertCifarBinary: inputs must name at least one file or folder');
  const files = await cifarBatchFiles(inputs);
  for (const file of files) await checkBatchSize(file);
  const classNames = await readMeta(inputs[0]);
  const rows = await writeCsvRows(outCsv, pixelColumnNames(CIFAR_PIXELS), async (emit) => {
    for (const file of files) {
      let record = 0;
      for await (const chunk of readRecords(file)) {
        for (let at = 0; at < chunk.length; at += CIFAR_RECORD_BYTES) {
          record++;
          const label = chunk[at];
          if (label >= CIFAR_CLASSES) {
            throw new DataError(file, record, 1, `label byte ${label} is not a CIFAR-10 class (0..9)`);
          }
          await emit(label, chunk.subarray(at + 1, at + CIFAR_RECORD_BYTES));
        }
      }
    }
  });
  if (classNames) await writeClassNames(outCsv, classNames);
  return { files, rows, ...(classNames ? { classNames } : {}) };
}

async function checkBatchSize(file: string): Promise<void> {
  const handle = await openRegularFile(file, 'a CIFAR-10 batch');
  const { size } = await handle.stat().finally(() => handle.close());
  if (size === 0) throw new DataError(file, 1, 1, 'the batch file is empty');
  const extra = size % CIFAR_RECORD_BYTES;
  if (extra !== 0) {
    const record = Math.floor(size / CIFAR_RECORD_BYTES) + 1;
    throw new DataError(
      file,
      record,
      extra + 1,
      `the file is ${size} bytes, not a whole number of ${CIFAR_RECORD_BYTES}-byte records: record ${record} is cut after ${extra} bytes`,
    );
  }
}

/** Whole records, a chunk at a time (a record may straddle two reads). */
async function* readRecords(file: string): AsyncGenerator<Uint8Array> {
  let carry: Buffer = Buffer.alloc(0);
  const handle = await openRegularFile(file, 'a CIFAR-10 batch');
  for await (const chunk of handle.createReadStream({
    highWaterMark: CIFAR_RECORD_BYTES * 64,
  }) as AsyncIterable<Buffer>) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % CIFAR_RECORD_BYTES);
    if (whole > 0) yield bytes.subarray(0, whole);
    carry = bytes.subarray(whole);
  }
}

async function readMeta(firstInput: string): Promise<string[] | undefined> {
  const folder = (await statInput(firstInput)).isDirectory() ? firstInput : dirname(firstInput);
  const path = join(folder, 'batches.meta.txt');
  const text = await readTextFileIfAny(path, 'the class-names file');
  return text === undefined ? undefined : parseClassNames(path, text);
}

async function statInput(path: string): ReturnType<typeof stat> {
  return stat(path).catch((error) => Promise.reject(fileError(path, error)));
}
