/**
 * dropoutForward / dropoutBackward (inverted dropout, p = keep probability): x [N, K] with K large
 * enough that the kept fraction can be told from p. The mask must come from param.seed, but a student
 * may draw it another way: values are compared with the reference only as a note, the checks read the
 * output's own structure.
 */
import { scalarize } from '@backprop-lab/gradcheck';
import { type DropoutParam, dropoutForward } from '@backprop-lab/layers';
import { Tensor } from '@backprop-lab/tensor';
import { compare, FORWARD_THRESHOLD, fact, NUMERICAL_THRESHOLD, sameValues } from '../compare.js';
import { type ExerciseRun, field } from '../context.js';
import { normal } from '../inputs.js';
import { dropoutDropProbability, dropoutNotInverted, maskStatistics } from '../mistakes/dropout.js';
import { entriesToCheck, numericalAt } from '../numerical.js';

const KEEP = 0.7;
const FEATURES = 200;

export function checkDropout(run: ExerciseRun): void {
  const { rng } = run;
  const x = normal(rng, [run.sizes.N, FEATURES]);
  for (let i = 0; i < x.size; i++) if (x.data[i] === 0) x.data[i] = 1; // zeros would hide the mask
  const dout = normal(rng, x.shape);
  const seed = rng.int(2 ** 31);
  const forward = (fn: (x: Tensor, p: DropoutParam) => unknown, input: Tensor, mode: 'train' | 'test') => {
    const value = fn(input, { p: KEEP, mode, seed: mode === 'train' ? seed : undefined });
    return {
      out: field<Tensor>('dropoutForward', value, 'out', '{ out, cache }'),
      cache: field('dropoutForward', value, 'cache', '{ out, cache }'),
    };
  };
  const train = run.call('dropoutForward', (fn) => forward(fn, x.clone(), 'train'));
  if (train) checkTrainOutput(run, train.out, x, seed);
  const test = run.call('dropoutForward', (fn) => forward(fn, x.clone(), 'test'));
  if (test) run.add(compare('out (test)', 'x itself', test.out, x, FORWARD_THRESHOLD));

  // Backward on the student's own cache: the same seed gives the same mask, so centered differences of
  // their forward are its exact gradient.
  const cache = train?.cache ?? dropoutForward(x, { p: KEEP, mode: 'train', seed }).cache;
  if (!train)
    run.note("dropoutBackward was checked on the reference dropoutForward's cache (yours did not run)");
  const dx = run.call('dropoutBackward', (fn) => fn(dout.clone(), cache));
  if (dx === undefined) return;
  const input = x.clone();
  const entries = entriesToCheck(run.sampleSeed, input);
  const sumOut = (outOf: (t: Tensor) => Tensor) => numericalAt(scalarize(outOf, dout), input, entries, dx);
  const through = train
    ? run.call('dropoutForward', (fn) => sumOut((t) => forward(fn, t, 'train').out))
    : sumOut((t) => dropoutForward(t, { p: KEEP, mode: 'train', seed }).out);
  if (through)
    run.add(
      compare(
        'dx',
        train ? 'numerical (your forward)' : 'numerical (reference forward)',
        dx,
        through,
        NUMERICAL_THRESHOLD,
      ),
    );
  const testCache = test?.cache ?? dropoutForward(x, { p: KEEP, mode: 'test' }).cache;
  const dxTest = run.call('dropoutBackward', (fn) => fn(dout.clone(), testCache));
  if (dxTest !== undefined) run.add(compare('dx (test)', 'dout itself', dxTest, dout, FORWARD_THRESHOLD));
}

function checkTrainOutput(run: ExerciseRun, out: unknown, x: Tensor, seed: number): void {
  if (!(out instanceof Tensor) || out.shape.join() !== x.shape.join()) {
    run.add(compare('out (train)', 'x', out, x, FORWARD_THRESHOLD));
    return;
  }
  const { keptFraction, scales } = maskStatistics(out, x);
  // 5 standard deviations of a binomial fraction: a right dropout fails this about once in 2 million seeds.
  const spread = 5 * Math.sqrt((KEEP * (1 - KEEP)) / x.size);
  const fractionOk = Math.abs(keptFraction - KEEP) <= spread;
  run.add(
    fact(
      `kept fraction ≈ p = ${KEEP}`,
      fractionOk,
      `out kept ${(keptFraction * 100).toFixed(1)}% of the units; p = ${KEEP} is the probability of KEEPING one`,
    ),
  );
  const scaleOk = scales.length === 1 && Math.abs(scales[0] - 1 / KEEP) <= 1e-6 * (1 / KEEP);
  run.add(
    fact(
      'kept units scaled by 1/p',
      scaleOk,
      `kept units are x times ${scales.slice(0, 3).join(', ')}; inverted dropout scales them by 1/p = ${(1 / KEEP).toPrecision(6)}`,
    ),
  );
  const reference = dropoutForward(x, { p: KEEP, mode: 'train', seed }).out;
  if (!sameValues(out, reference))
    run.note("your mask differs from the reference's for the same seed (fine if you draw it another way)");

  const notInverted =
    sameValues(out, dropoutNotInverted(x, KEEP, seed)) ||
    (fractionOk && scales.length === 1 && scales[0] === 1);
  if (notInverted) {
    run.mistake({
      id: 'dropout-not-inverted',
      mistake: 'kept units are not divided by p, so the expected output is p·x instead of x',
      fix: 'inverted dropout: mask = (u < p) / p in train mode, so test mode can return x unchanged',
    });
  }
  const dropReading = Math.abs(keptFraction - (1 - KEEP)) <= spread;
  if (sameValues(out, dropoutDropProbability(x, KEEP, seed)) || dropReading) {
    run.mistake({
      id: 'dropout-p-as-drop-probability',
      mistake: `p is read as the probability of dropping a unit: ${(keptFraction * 100).toFixed(1)}% were kept for p = ${KEEP}`,
      fix: 'p is the probability of KEEPING a unit: keep where u < p, and scale the kept ones by 1/p',
    });
  }
}
