/**
 * Checks a TrainConfig before any work: every key known, every value accepted by its option's parser (the
 * CLI's values already are; programmatic callers get the same messages), and the combinations of values
 * that no single option's parser can see (batchnorm with batches of one row, a batch larger than the
 * training rows). The combinations that depend on the data file (--num-train all) are checked again by
 * checkBatchSizes once the file is read.
 */

import { ValueError } from '../cli/values.js';
import type { TrainConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { checkDataPaths } from '../options/parse.js';
import { OPTIONS } from '../options/table.js';

export function checkConfig(config: TrainConfig): void {
  if (config === null || typeof config !== 'object')
    throw new UsageError('runExperiment: config must be an object');
  const known = new Set(OPTIONS.map((spec) => spec.key as string));
  for (const key of Object.keys(config)) {
    if (!known.has(key)) throw new UsageError(`runExperiment: unknown config key "${key}"`);
  }
  for (const spec of OPTIONS) {
    const value = config[spec.key];
    if (value === undefined) throw new UsageError(`runExperiment: config.${spec.key} is missing`);
    // Defaults (null paths, "auto" thresholds) are valid as they are; everything else goes through the parser.
    if (value === spec.default) continue;
    try {
      spec.parse(value);
    } catch (error) {
      if (error instanceof ValueError)
        throw new UsageError(`runExperiment: config.${spec.key} (--${spec.name}): ${error.message}`);
      throw error;
    }
  }
  checkDataPaths(config);
  checkBatchSizes(config, config.numTrain, `--num-train ${config.numTrain}`);
}

/** The batch sizes the runs use: batch-sweep's --batch-sizes, else --batch-size. */
function batchSizesUsed(config: TrainConfig): { flag: string; values: number[] } {
  return config.experiment === 'batch-sweep'
    ? { flag: '--batch-sizes', values: config.batchSizes }
    : { flag: '--batch-size', values: [config.batchSize] };
}

/**
 * Batch sizes against the normalizations and the training rows. `rows` is the number of training rows
 * (null when not known yet) and `rowsSource` says where it comes from, for the message. Throws a
 * UsageError naming the flags: batchnorm in training mode normalizes by the batch's own variance, so it
 * needs at least 2 rows in every batch; and a batch cannot hold more rows than the training set.
 */
export function checkBatchSizes(config: TrainConfig, rows: number | null, rowsSource: string): void {
  const { flag, values } = batchSizesUsed(config);
  const batchnorm = config.norms.includes('batchnorm');
  const norms = `--norm ${config.norms.join(',')}`;
  const leaveOut = 'or leave batchnorm out of --norm';
  if (batchnorm) {
    const tooSmall = values.find((value) => value < 2);
    if (tooSmall !== undefined)
      throw new UsageError(
        `${flag} ${values.join(',')} with batchnorm (${norms}): batchnorm needs at least 2 rows per ` +
          `training batch (the variance of one row is 0), got a batch size of ${tooSmall}; use 2 or more, ${leaveOut}`,
      );
    if (rows !== null && rows < 2)
      throw new UsageError(
        `${rowsSource} with batchnorm (${norms}): every batch would hold ${rows} row, and batchnorm needs ` +
          `at least 2 rows per training batch; use at least 2 training rows, ${leaveOut}`,
      );
  }
  if (rows === null) return;
  const tooLarge = values.find((value) => value > rows);
  if (tooLarge !== undefined)
    throw new UsageError(
      `${flag} ${values.join(',')}: a batch size of ${tooLarge} is larger than the ${rows} training rows ` +
        `(${rowsSource}); a batch cannot hold more rows than the training set, use at most ${rows}`,
    );
}
