import { describe, expect, it } from 'vitest';
import { fakeSummary } from '../testing/fake-summary.js';
import { type ConclusionInput, describeValues, writeConclusion } from './conclusion.js';
import type { Summary } from './summary.js';
import type { Stat } from './types.js';

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

describe('writeConclusion: sentences follow from crafted numbers', () => {
  it('a good range with a gap is not called a range', () => {
    const summary = fakeSummary('init-sweep');
    // Push batchnorm's accuracy at weight scale 1e-2 (the middle point) far below its peak.
    const sweep = structuredClone(summary.sweep!);
    const middle = sweep.points.find((point) => point.norm === 'batchnorm' && point.value === 1e-2)!;
    middle.bestValAcc = { mean: 0.01, std: 0, n: 1 };
    const text = writeConclusion({ ...input(summary), sweep }).join('\n');
    expect(text).toMatch(/With batchnorm .* for 4 of 5 weight scales \(1e-4 to 0\.001 and 0\.1 to 1\)/);
    expect(text).not.toMatch(/1e-4 to 1\)/);
  });

  it('describeValues: stretches of the grid', () => {
    const grid = [1, 2, 3, 4, 5, 6];
    expect(describeValues([2, 3, 4], grid)).toBe('2 to 4');
    expect(describeValues([1, 3, 4, 6], grid)).toBe('1, 3 to 4 and 6');
    expect(describeValues([5], grid)).toBe('5');
  });

  it('a point where a run diverged is neither the peak nor in the good range', () => {
    const summary = fakeSummary('init-sweep');
    const sweep = structuredClone(summary.sweep!);
    const top = sweep.points.find((point) => point.norm === 'batchnorm' && point.value === 1)!;
    top.bestValAcc = { mean: 0.9, std: 0, n: 1 };
    top.diverged = 1;
    const text = writeConclusion({ ...input(summary), sweep }).join('\n');
    expect(text).not.toMatch(/peaked at 0\.900/);
    expect(text).toMatch(/With batchnorm .* for 4 of 5 weight scales \(1e-4 to 0\.1\)/);
  });

  it('the accuracy speedup states its resolution, one epoch', () => {
    const text = fakeSummary('compare').conclusion.join('\n');
    expect(text).toMatch(
      /Validation accuracy reached 0\.\d\d after .* sooner\); accuracy is measured after iteration 1 and at each epoch end, so these counts and their ratio are exact only to within one epoch = 10 iterations\./,
    );
  });

  it('quotes the best-model and the last-epoch test accuracy side by side', () => {
    const summary = fakeSummary('compare');
    const [none, batchnorm] = summary.comparison!.variants;
    const text = summary.conclusion.join('\n');
    expect(text).toContain(
      'Test accuracy of the model with the best validation accuracy (its weights and the batchnorm running statistics it had then): ' +
        `${fmt(none.testAcc)} without normalization, ${fmt(batchnorm.testAcc)} with batchnorm; ` +
        `of the model after the last epoch: ${fmt(none.finalTestAcc)} without normalization, ${fmt(batchnorm.finalTestAcc)} with batchnorm.`,
    );
  });

  it('a run diverged at its first loss is reported at iteration 0 and never as completed', () => {
    const summary = fakeSummary('compare');
    const runs = summary.runs.map((run) =>
      run.id === 'none-s2'
        ? { ...run, status: 'diverged' as const, divergedAt: 0, lossHistory: [4e7], finalLoss: null }
        : run,
    );
    const text = writeConclusion({ ...input(summary), runs }).join('\n');
    expect(text).toMatch(
      /1 of 6 runs diverged: a minibatch loss was not finite or above 23 .*\(none-s2 at iteration 0;/,
    );
    expect(text).toContain('the other 5 runs completed.');
    expect(text).not.toMatch(/without diverging/);
  });
});

function input(summary: Summary): ConclusionInput {
  return {
    experiment: summary.experiment,
    norms: summary.norms,
    runs: summary.runs,
    plannedRuns: summary.plannedRuns,
    complete: summary.complete,
    comparison: summary.comparison,
    sweep: summary.sweep,
    numClasses: summary.data.numClasses,
  };
}

function fmt(value: Stat): string {
  return `${value.mean!.toFixed(3)} ± ${value.std!.toFixed(3)}`;
}
