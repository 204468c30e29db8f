import { describe, expect, it } from 'vitest';
import type { TrainConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { defaultConfig } from '../options/parse.js';
import { checkBatchSizes, checkConfig } from './check-config.js';

const config = (overrides: Partial<TrainConfig>): TrainConfig => ({
  ...defaultConfig('compare'),
  ...overrides,
});

function usageMessage(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('checkConfig: combinations of values', () => {
  it('accepts the defaults of every experiment', () => {
    for (const experiment of ['compare', 'init-sweep', 'batch-sweep', 'lr-sweep'] as const)
      expect(() => checkConfig(defaultConfig(experiment))).not.toThrow();
  });

  it('rejects batchnorm with a batch size of 1, naming --batch-size and --norm', () => {
    const message = usageMessage(() => checkConfig(config({ batchSize: 1 })));
    expect(message).toMatch(/^--batch-size 1 with batchnorm \(--norm none,batchnorm\): .*at least 2 rows/);
    // Without batchnorm a batch of one row is fine.
    expect(() => checkConfig(config({ batchSize: 1, norms: ['none', 'layernorm'] }))).not.toThrow();
  });

  it('rejects batchnorm with one training row, naming --num-train', () => {
    const message = usageMessage(() =>
      checkConfig(config({ numTrain: 1, batchSize: 1, norms: ['batchnorm'] })),
    );
    expect(message).toMatch(/^--batch-size 1 with batchnorm/);
    expect(usageMessage(() => checkConfig(config({ numTrain: 1 })))).toMatch(
      /^--num-train 1 with batchnorm \(--norm none,batchnorm\): every batch would hold 1 row/,
    );
  });

  it('rejects a batch-sweep size of 1 with batchnorm, naming --batch-sizes', () => {
    const message = usageMessage(() => checkConfig({ ...defaultConfig('batch-sweep'), batchSizes: [1, 5] }));
    expect(message).toMatch(/^--batch-sizes 1,5 with batchnorm \(--norm none,batchnorm,layernorm\)/);
  });

  it('rejects a batch larger than the training rows', () => {
    expect(usageMessage(() => checkConfig(config({ numTrain: 100, batchSize: 200 })))).toBe(
      '--batch-size 200: a batch size of 200 is larger than the 100 training rows (--num-train 100); ' +
        'a batch cannot hold more rows than the training set, use at most 100',
    );
    expect(
      usageMessage(() => checkConfig({ ...defaultConfig('batch-sweep'), numTrain: 20, batchSizes: [5, 50] })),
    ).toMatch(/^--batch-sizes 5,50: a batch size of 50 is larger than the 20 training rows/);
    // --num-train all: not known before the file is read, checked again with its rows.
    expect(() => checkConfig(config({ numTrain: null, batchSize: 5000 }))).not.toThrow();
    expect(
      usageMessage(() => checkBatchSizes(config({ numTrain: null, batchSize: 100 }), 90, 'x.csv')),
    ).toMatch(/larger than the 90 training rows \(x\.csv\)/);
  });

  it('rejects the values no parser lets through (hidden 0, dropout 0, lr <= 0) as usage errors', () => {
    expect(usageMessage(() => checkConfig(config({ hidden: [10, 0] })))).toContain(
      'config.hidden (--hidden)',
    );
    expect(usageMessage(() => checkConfig(config({ dropout: 0 })))).toContain('config.dropout (--dropout)');
    expect(usageMessage(() => checkConfig(config({ lr: 0 })))).toContain('config.lr (--lr)');
  });
});
