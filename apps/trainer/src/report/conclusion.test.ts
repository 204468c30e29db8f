import { describe, expect, it } from 'vitest';
import { fakeSummary } from '../testing/fake-summary.js';

describe('writeConclusion', () => {
  it('compare: states the threshold, the speedup and the accuracies from the numbers', () => {
    const summary = fakeSummary('compare');
    const text = summary.conclusion.join('\n');
    const batchnorm = summary.comparison!.variants[1];
    const threshold = summary.comparison!.lossThreshold!.value;
    expect(text).toContain(
      `With batchnorm the training loss (trailing mean over 3 iterations) fell below ${threshold} after`,
    );
    expect(text).toContain(`${batchnorm.speedupLoss!.mean!.toFixed(1)}× sooner than without normalization`);
    expect(text).toContain('mean ± std over 3 seeds');
    expect(text).toMatch(
      /Best validation accuracy: 0\.\d{3} ± 0\.\d{3} without normalization, 0\.\d{3} ± 0\.\d{3} with batchnorm\./,
    );
    expect(text).toContain(
      'the standard deviation of the hidden activations went from 0.31 (layer 1) to 0.037 (layer 3) without normalization; ' +
        'from 0.61 (layer 1) to 0.61 (layer 3) with batchnorm; by the end from ',
    );
    expect(text).toContain(
      'The gradient reaching hidden layer 1 at the start had norm 0.012 without normalization and 0.06 with batchnorm.',
    );
    expect(text).toContain('All 6 runs completed without diverging.');
  });

  it('init-sweep: the range of weight scales that train well, per normalization', () => {
    const text = fakeSummary('init-sweep').conclusion.join('\n');
    expect(text).toMatch(
      /Without normalization the best validation accuracy peaked at 0\.\d+ \(weight scale 0\.01\) and stayed within 0\.05 of that for \d of 5 weight scales/,
    );
    expect(text).toMatch(/With batchnorm .* for 5 of 5 weight scales \(1e-4 to 1\)/);
    expect(text).toMatch(
      /The net learned \(best validation accuracy at least twice chance, 0\.20\) at [0-4] of 5 weight scales without normalization and 5 of 5 weight scales with batchnorm\./,
    );
  });

  it('batch-sweep: which normalization depends least on the batch size', () => {
    const text = fakeSummary('batch-sweep').conclusion.join('\n');
    expect(text).toMatch(
      /With layernorm the best validation accuracy ranged from 0\.\d+ \(batch \d+\) to 0\.\d+ \(batch \d+\)\./,
    );
    expect(text).toMatch(
      /The accuracy depended least on the batch size with (batchnorm|layernorm) \(spread 0\.\d+\)\./,
    );
  });

  it('lr-sweep: names the largest rate that trained well and the diverged run', () => {
    const text = fakeSummary('lr-sweep').conclusion.join('\n');
    expect(text).toMatch(/the largest learning rate that trained that well was/);
    expect(text).toMatch(
      /1 of 10 runs diverged: a minibatch loss was not finite or above 23 \(10 × ln 10, ten times the loss of guessing\) and training stopped there \(none-s1 at iteration 20; /,
    );
    expect(text).not.toMatch(/without diverging/);
  });

  it('an interrupted run says so first', () => {
    const summary = fakeSummary('compare', { complete: false });
    expect(summary.conclusion[0]).toBe(
      'Interrupted: 2 of 6 runs finished; everything below uses only those.',
    );
  });
});
