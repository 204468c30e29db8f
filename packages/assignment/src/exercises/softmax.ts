/** softmaxLoss: scores [N, C], y [N] → loss, dx [N, C]. */
import { softmaxLoss } from '@backprop-lab/layers';
import { mul, type Tensor } from '@backprop-lab/tensor';
import { compare, FORWARD_THRESHOLD, fact, NUMERICAL_THRESHOLD, REFERENCE_THRESHOLD } from '../compare.js';
import { type ExerciseRun, field } from '../context.js';
import { labels, normal } from '../inputs.js';
import { detect } from '../mistakes/detect.js';
import { softmaxLossUnshifted } from '../mistakes/softmax.js';
import { entriesToCheck, numericalAt } from '../numerical.js';

const RESULT = '{ loss, dx }';

export function checkSoftmax(run: ExerciseRun): void {
  const { rng } = run;
  const { N, C } = run.sizes;
  const y = labels(rng, N, C);
  const scores = normal(rng, [N, C]);
  // Scores in the thousands: exp overflows unless each row is shifted by its max first.
  const large = normal(rng, [N, C], 30, 1000);

  const student = (s: Tensor) =>
    run.call('softmaxLoss', (fn) => {
      const value = fn(s.clone(), y.slice());
      return {
        loss: field<number>('softmaxLoss', value, 'loss', RESULT),
        dx: field('softmaxLoss', value, 'dx', RESULT),
      };
    });
  const reference = softmaxLoss(scores, y);
  const mine = student(scores);
  if (!mine) return;
  run.add(compare('loss', 'reference', mine.loss, reference.loss, FORWARD_THRESHOLD));
  const input = scores.clone();
  const entries = entriesToCheck(run.sampleSeed, input);
  const numeric = run.call('softmaxLoss', (fn) =>
    numericalAt(
      (s) => field<number>('softmaxLoss', fn(s, y.slice()), 'loss', RESULT),
      input,
      entries,
      mine.dx,
    ),
  );
  if (numeric) run.add(compare('dx', 'numerical (your loss)', mine.dx, numeric, NUMERICAL_THRESHOLD));
  run.add(compare('dx', 'reference', mine.dx, reference.dx, REFERENCE_THRESHOLD));
  detect(run, mine, [
    {
      id: 'softmax-dx-not-averaged',
      mistake: 'dx is not divided by N',
      fix: 'the loss is the mean over the batch, so every row of dx = (p − onehot) carries a factor 1/N',
      outputs: { dx: mul(reference.dx, N) },
    },
  ]);

  const referenceLarge = softmaxLoss(large, y);
  const mineLarge = student(large);
  if (!mineLarge) return;
  const finite = typeof mineLarge.loss === 'number' && Number.isFinite(mineLarge.loss);
  run.add(
    fact('loss is finite for scores near 1000', finite, `loss is ${mineLarge.loss} for scores near 1000`),
  );
  if (finite)
    run.add(
      compare('loss (scores near 1000)', 'reference', mineLarge.loss, referenceLarge.loss, FORWARD_THRESHOLD),
    );
  run.add(
    compare('dx (scores near 1000)', 'reference', mineLarge.dx, referenceLarge.dx, REFERENCE_THRESHOLD),
  );
  // exp(1000) is Infinity: without the shift, loss and dx come out NaN or infinite where the variant's do.
  const unshifted = softmaxLossUnshifted(large, y);
  const overflowed = !finite && !Number.isFinite(unshifted.loss);
  if (overflowed) {
    run.mistake({
      id: 'softmax-no-max-shift',
      mistake: 'softmax overflows for large scores: exp(1000) is Infinity, so the loss is not finite',
      fix: "subtract each row's max before exp (softmax is unchanged by a shift), and take log p as shifted − log Σ exp(shifted)",
    });
  }
}
