// The graph form's named intermediates: break one, and the check names that step (the first that
// differs in graph order) with the local derivative it needs.
import { type BatchnormTrainCache, batchnormBackward } from '@backprop-lab/layers';
import { mul } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { STEPS } from './exercises/batchnorm-steps.js';
import { formatReport } from './format.js';
import { runChecks } from './run-checks.js';
import { withImpl } from './test-support/reference-impl.js';

function breaking(step: string, steps: 'all' | 'only-broken' = 'all') {
  return withImpl({
    batchnormBackward: (dout: Parameters<typeof batchnormBackward>[0], cache: BatchnormTrainCache) => {
      const grads = batchnormBackward(dout, cache);
      const given = { ...grads.steps! } as Record<string, unknown>;
      given[step] = mul(given[step] as Parameters<typeof mul>[0], 1.5);
      return { ...grads, steps: steps === 'all' ? given : { [step]: given[step] } };
    },
  });
}

describe('graph-form steps', () => {
  it.each(STEPS.map(([step]) => step))('a broken %s is the step named, with its local derivative', (step) => {
    const report = runChecks(breaking(step), { only: ['batchnorm-backward'] });
    const [exercise] = report.exercises;
    expect(exercise.status).toBe('fail');
    expect(exercise.firstDifferingStep?.step).toBe(step);
    const derivative = STEPS.find(([name]) => name === step)![1];
    expect(exercise.firstDifferingStep?.localDerivative).toBe(derivative);
    expect(formatReport(report)).toContain(`→ first step that differs: ${step}; it needs ${derivative}`);
  });

  it('names the first in graph order when a wrong step propagates to the later ones', () => {
    const impl = withImpl({
      batchnormBackward: (dout: Parameters<typeof batchnormBackward>[0], cache: BatchnormTrainCache) => {
        const grads = batchnormBackward(dout, cache);
        const steps = Object.fromEntries(
          Object.entries(grads.steps!).map(([name, value], i) => [name, i >= 4 ? mul(value, -1) : value]),
        );
        return { ...grads, steps };
      },
    });
    const [exercise] = runChecks(impl, { only: ['batchnorm-backward'] }).exercises;
    expect(exercise.firstDifferingStep?.step).toBe('dsqrtvar');
  });

  it('checks a subset of steps, and none at all when the student returns none', () => {
    const [partial] = runChecks(breaking('dsq', 'only-broken'), { only: ['batchnorm-backward'] }).exercises;
    expect(partial.firstDifferingStep?.step).toBe('dsq');
    const [none] = runChecks(withImpl({}), { only: ['batchnorm-backward'] }).exercises;
    expect(none.checks.map((c) => c.name)).toContain('steps (11 of 11) vs reference');
    const withoutSteps = withImpl({
      batchnormBackward: (dout: Parameters<typeof batchnormBackward>[0], cache: BatchnormTrainCache) => {
        const { dx, dgamma, dbeta } = batchnormBackward(dout, cache);
        return { dx, dgamma, dbeta };
      },
    });
    const [plain] = runChecks(withoutSteps, { only: ['batchnorm-backward'] }).exercises;
    expect(plain.status).toBe('pass');
    expect(plain.checks.some((c) => c.name.startsWith('steps'))).toBe(false);
  });
});
