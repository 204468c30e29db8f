/**
 * Checks a TrainConfig handed to runExperiment directly (the CLI's configs are already checked): every
 * key known, every value accepted by its option's parser, so programmatic callers get the same messages.
 */
import type { TrainConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { checkDataPaths } from '../options/parse.js';
import { OPTIONS } from '../options/table.js';
import { ValueError } from '../options/values.js';

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
}
