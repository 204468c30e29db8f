/**
 * @backprop-lab/data: CIFAR-like CSV datasets.
 * Shape legend: N rows (samples), D features (3072 = 3·32·32 for CIFAR-like rows), C classes.
 */
export { cacheFilePath } from './cache.js';
export {
  CIFAR_PIXELS,
  CIFAR_RECORD_BYTES,
  type CifarConversion,
  cifarBatchFiles,
  convertCifarBinary,
} from './cifar-binary.js';
export { classNamesPath, parseClassNames, readClassNames, writeClassNames } from './class-names.js';
export { type ContactSheetOptions, contactSheet, imageLayout } from './contact-sheet.js';
export { type CsvDataset, type ReadCsvOptions, readCsvDataset } from './csv/read-csv.js';
export {
  DATA_DIR_VARIABLE,
  DEFAULT_DATASET_DIR,
  type DefaultDataset,
  defaultDatasetDir,
  ensureDefaultDataset,
  staleReason,
} from './default-dataset.js';
export { DataError } from './errors.js';
export {
  generateSynthetic,
  SPLIT_NAMES,
  type SplitName,
  SYNTHETIC_CLASS_NAMES,
  SYNTHETIC_DEFAULTS,
  SYNTHETIC_FEATURES,
  SYNTHETIC_SAMPLE,
  SYNTHETIC_VERSION,
  type SyntheticImages,
  type SyntheticOptions,
  splitSeed,
  writeSyntheticCsv,
  writeSyntheticDataset,
} from './generate/synthetic.js';
export {
  blockStats,
  type DatasetSummary,
  RGB_CHANNELS,
  summarizeDataset,
  type ValueStats,
} from './inspect.js';
export {
  channelStd,
  meanImage,
  type ScaleOptions,
  scalePerChannel,
  subtractMeanImage,
  subtractMeanImageInPlace,
} from './preprocess.js';
export {
  cs231nSplit,
  type Dataset,
  type SplitOptions,
  type SplitSizes,
  type Splits,
  splitDataset,
} from './split.js';
export { type EmitRow, pixelColumnNames, writeCsvDataset, writeCsvRows } from './write-csv.js';
