/**
 * Writing datasets in our CSV format: header `label,p0,...`, the label first, `\n` line ends, no quotes.
 * Files are written atomically; rows are gathered into ~1 MB blocks before each write.
 */
import { writeStreamAtomic } from '@backprop-lab/fs-atomic';
import type { Tensor } from '@backprop-lab/tensor';
import { writeClassNames } from './class-names.js';

const BLOCK_CHARS = 1 << 20;
/** Decimal text of 0..255, the values of every pixel: no number formatting on the hot path. */
const BYTE_TEXT = Array.from({ length: 256 }, (_, i) => String(i));

/** `p0 ... p{D-1}`: the feature names of our format. */
export function pixelColumnNames(features: number): string[] {
  return Array.from({ length: features }, (_, i) => `p${i}`);
}

/** Shortest text that reads back as the same double; integers 0..255 from a table. */
function formatValue(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0'; // String(-0) is '0': the sign would be lost
  return value > 0 && value <= 255 && (value | 0) === value ? BYTE_TEXT[value] : String(value);
}

export type EmitRow = (label: number, features: ArrayLike<number>) => Promise<void>;

/**
 * Streams rows into `path` (atomically): `produce` calls `emit(label, features)` once per row, in order.
 * Returns the number of rows written.
 */
export async function writeCsvRows(
  path: string,
  featureNames: readonly string[],
  produce: (emit: EmitRow) => Promise<void>,
): Promise<number> {
  const features = featureNames.length;
  let rows = 0;
  await writeStreamAtomic(path, async (write) => {
    let block = `label,${featureNames.join(',')}\n`;
    const emit: EmitRow = async (label, values) => {
      if (values.length !== features) {
        throw new RangeError(
          `writeCsvRows: row ${rows} has ${values.length} features, the header has ${features}`,
        );
      }
      if (!Number.isInteger(label) || label < 0)
        throw new RangeError(`writeCsvRows: row ${rows} has label ${label}`);
      const parts = new Array<string>(features + 1);
      parts[0] = String(label);
      for (let j = 0; j < features; j++) parts[j + 1] = formatValue(values[j]);
      block += `${parts.join(',')}\n`;
      rows++;
      if (block.length >= BLOCK_CHARS) {
        await write(block);
        block = '';
      }
    };
    await produce(emit);
    if (block.length > 0) await write(block);
  });
  return rows;
}

/** X [N, D] and y [N] → CSV (and the class-names sidecar when classNames is given). */
export async function writeCsvDataset(
  path: string,
  data: { X: Tensor; y: Int32Array; featureNames?: readonly string[]; classNames?: readonly string[] },
): Promise<void> {
  const { X, y } = data;
  if (X.rank !== 2 || X.shape[0] !== y.length) {
    throw new RangeError(
      `writeCsvDataset: X must be [N, D] with N = y.length (${y.length}), got [${X.shape.join(',')}]`,
    );
  }
  const [rows, features] = X.shape;
  const names = data.featureNames ?? pixelColumnNames(features);
  if (names.length !== features) {
    throw new RangeError(`writeCsvDataset: ${names.length} feature names for ${features} columns`);
  }
  await writeCsvRows(path, names, async (emit) => {
    for (let i = 0; i < rows; i++) await emit(y[i], X.data.subarray(i * features, (i + 1) * features));
  });
  if (data.classNames) await writeClassNames(path, data.classNames);
}
