// runChecks as a whole: the reference passes everything; a stub, a throw, a wrong shape and a NaN each
// give one clear line while every other exercise is still checked; options are validated.
import { affineBackward, affineForward, reluForward } from '@backprop-lab/layers';
import { astype, full, type Tensor, transpose } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { formatReport } from './format.js';
import { EXERCISES } from './manifest.js';
import { NotImplemented } from './not-implemented.js';
import { runChecks } from './run-checks.js';
import { REFERENCE_IMPL, withImpl } from './test-support/reference-impl.js';

const others = (report: ReturnType<typeof runChecks>, id: string) =>
  report.exercises.filter((e) => e.id !== id);

describe('runChecks', () => {
  it('passes every check of every exercise on the reference implementation', () => {
    const report = runChecks(REFERENCE_IMPL, { seed: 3 });
    expect(report.exercises.map((e) => e.id)).toEqual(EXERCISES.map((e) => e.id));
    for (const exercise of report.exercises) {
      expect(exercise.status, exercise.id).toBe('pass');
      expect(exercise.checks.length, exercise.id).toBeGreaterThan(0);
      expect(exercise.errors, exercise.id).toEqual([]);
    }
    expect(report.summary).toEqual({ pass: 12, fail: 0, partial: 0, notStarted: 0 });
    expect(report.ok).toBe(true);
    expect(formatReport(report)).toContain('12 passed, 0 failed, 0 partial, 0 not started (seed 3)');
  });

  it('reports stubs as not started, not as crashes, and is still ok', () => {
    const stub = (name: string) => () => {
      throw new NotImplemented(name);
    };
    const report = runChecks(
      withImpl({ affineForward: stub('affineForward'), affineBackward: stub('affineBackward') }),
    );
    const affine = report.exercises.find((e) => e.id === 'affine')!;
    expect(affine.status).toBe('not started');
    expect(affine.notStarted).toEqual(['affineForward', 'affineBackward']);
    expect(affine.errors).toEqual([]);
    expect(others(report, 'affine').every((e) => e.status === 'pass')).toBe(true);
    expect(report.ok).toBe(true);
    expect(formatReport(report)).toContain(
      'affine (src/affine.ts): not started\n  · affineForward: not started\n',
    );
  });

  it("reports a function missing from the student's modules as not started", () => {
    const report = runChecks({}, { only: ['relu', 'fc-net'] });
    expect(report.exercises.map((e) => e.status)).toEqual(['not started', 'not started']);
    expect(report.exercises[1].notStarted).toEqual([
      'FullyConnectedNet.loss (not exported by src/fc-net.ts)',
    ]);
  });

  it('checks what is written when the other half is a stub (partial), on the reference forward', () => {
    const stub = () => {
      throw new NotImplemented('layernormForward');
    };
    const [layernorm] = runChecks(withImpl({ layernormForward: stub }), { only: ['layernorm'] }).exercises;
    expect(layernorm.status).toBe('partial');
    expect(layernorm.checks.every((c) => c.pass)).toBe(true);
    expect(layernorm.checks.map((c) => c.name)).toContain('dx vs numerical (reference forward)');
    expect(layernorm.notes).toEqual([
      "layernormBackward was checked on the reference layernormForward's cache (yours did not run)",
    ]);
  });

  it('gives one line for a function that throws, and checks the others', () => {
    const report = runChecks(
      withImpl({
        affineForward: () => {
          throw new RangeError('index 7 out of range\n    at affineForward (src/affine.ts:12:3)');
        },
      }),
    );
    const affine = report.exercises.find((e) => e.id === 'affine')!;
    expect(affine.status).toBe('fail');
    expect(affine.errors).toEqual(['affineForward threw RangeError: index 7 out of range']);
    expect(others(report, 'affine').every((e) => e.status === 'pass')).toBe(true);
    expect(report.ok).toBe(false);
    expect(formatReport(report)).toContain('  ✗ affineForward threw RangeError: index 7 out of range\n');
  });

  it('gives one line for a gradient of the wrong shape', () => {
    const impl = withImpl({
      affineBackward: (dout: Tensor, cache: Parameters<typeof affineBackward>[1]) => {
        const grads = affineBackward(dout, cache);
        return { ...grads, dW: transpose(grads.dW) };
      },
    });
    const report = runChecks(impl, { only: ['affine', 'relu'] });
    const [affine, relu] = report.exercises;
    expect(affine.status).toBe('fail');
    const failing = affine.checks.filter((c) => !c.pass);
    expect(failing.map((c) => c.detail)).toEqual([
      'dW has shape [3,4] but should have [4,3]',
      'dW has shape [3,4] but should have [4,3]',
    ]);
    expect(relu.status).toBe('pass');
  });

  it('gives one line for a NaN, naming where it is', () => {
    const impl = withImpl({
      affineForward: (x: Tensor, W: Tensor, b: Tensor) => {
        const result = affineForward(x, W, b);
        const out = result.out.clone();
        out.data[4] = Number.NaN;
        return { ...result, out };
      },
    });
    const [affine] = runChecks(impl, { only: ['affine'] }).exercises;
    const out = affine.checks.find((c) => c.name === 'out vs reference')!;
    expect(out).toMatchObject({ pass: false, relError: null, detail: 'out has NaN at [1,1]' });
  });

  it("gives one line for an output that loses the inputs' dtype", () => {
    const impl = withImpl({
      reluForward: (x: Tensor) => ({ out: astype(reluForward(x).out, 'float64'), cache: { x } }),
    });
    const [relu] = runChecks(impl, { only: ['relu'] }).exercises;
    expect(relu.status).toBe('fail');
    expect(relu.checks.filter((c) => !c.pass)).toEqual([
      {
        name: 'out is float32 for float32 inputs',
        pass: false,
        relError: null,
        threshold: null,
        detail: "out is a float64 tensor of shape [5,4] for float32 inputs; keep the inputs' dtype",
      },
    ]);
  });

  it('gives one line for a result that is not { out, cache }', () => {
    const [affine] = runChecks(withImpl({ affineForward: () => full([5, 3], 1) }), {
      only: ['affine'],
    }).exercises;
    expect(affine.errors).toEqual([
      'affineForward returned an object without out; it should return { out, cache }',
    ]);
  });

  it('gives the same report for the same seed, and other inputs for another', () => {
    const wrong = withImpl({
      affineBackward: (d: Tensor, c: Parameters<typeof affineBackward>[1]) => ({
        ...affineBackward(d, c),
        db: d,
      }),
    });
    const first = JSON.stringify(runChecks(wrong, { seed: 7, only: ['affine'] }));
    expect(JSON.stringify(runChecks(wrong, { seed: 7, only: ['affine'] }))).toBe(first);
    expect(JSON.stringify(runChecks(wrong, { seed: 8, only: ['affine'] }))).not.toBe(first);
    // --only does not change an exercise's inputs.
    const alone = runChecks(wrong, { seed: 7, only: ['affine'] }).exercises[0];
    expect(runChecks(wrong, { seed: 7 }).exercises[0]).toEqual(alone);
  });

  it('is JSON-serialisable as it is', () => {
    const report = runChecks(withImpl({ softmaxLoss: () => ({ loss: Number.NaN, dx: null }) }), {
      only: ['softmax', 'affine'],
    });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('takes sizes, and rejects unknown options, ids and sizes in one line', () => {
    const report = runChecks(REFERENCE_IMPL, {
      only: ['affine', 'batchnorm-backward'],
      sizes: { N: 8, D: 6, M: 5 },
    });
    expect(report.ok).toBe(true);
    expect(() => runChecks(REFERENCE_IMPL, { only: ['batchnorm'] })).toThrow(
      "runChecks: unknown exercise 'batchnorm' in only (known: affine, relu, softmax, fc-net, sgd-momentum, rmsprop, adam, batchnorm-forward, batchnorm-backward, batchnorm-backward-alt, layernorm, dropout)",
    );
    expect(() => runChecks(REFERENCE_IMPL, { sizes: { N: 2 } })).toThrow(
      'runChecks: sizes.N must be an integer in [4, 64], got 2',
    );
    expect(() => runChecks(REFERENCE_IMPL, { sizes: { K: 3 } as object })).toThrow(
      "runChecks: sizes has unknown key 'K' (known: N, D, M, C)",
    );
    expect(() => runChecks(REFERENCE_IMPL, { seed: 1.5 })).toThrow(
      'runChecks: seed must be an integer in [-2^40, 2^40], got 1.5',
    );
    expect(() => runChecks(REFERENCE_IMPL, { seeds: 1 } as object)).toThrow(
      "runChecks: unknown option 'seeds' (known: only, seed, sizes)",
    );
  });
});
