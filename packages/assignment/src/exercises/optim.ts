/**
 * The update rules sgdMomentum, rmsprop and adam: `rule(w, dw, config) → { w, config }` with w, dw
 * [N, D]. Each is run three steps from a fresh config (each step gets the config the last returned) and
 * once from a state mid-run; w and every state tensor are compared with the reference's.
 */
import { adam, rmsprop, sgdMomentum } from '@backprop-lab/optim';
import { abs, Tensor, zeros } from '@backprop-lab/tensor';
import { compare, FORWARD_THRESHOLD, fact } from '../compare.js';
import { type ExerciseRun, field, type StudentFunction } from '../context.js';
import { normal } from '../inputs.js';
import { adamWithMistake } from '../mistakes/adam.js';
import { detect } from '../mistakes/detect.js';

type Config = Record<string, unknown>;
type Step = { w: Tensor; config: Config };

interface RuleSpec {
  name: string;
  reference: StudentFunction;
  settings: Config;
  /** The state a config carries, compared after every step. */
  state: readonly string[];
  /** A state mid-run for w [N, D]. */
  midState(run: ExerciseRun): Config;
}

const RULES: Record<string, RuleSpec> = {
  'sgd-momentum': {
    name: 'sgdMomentum',
    reference: sgdMomentum,
    settings: { learningRate: 0.1, momentum: 0.9 },
    state: ['velocity'],
    midState: (run) => ({ velocity: normal(run.rng, shape(run), 0.1) }),
  },
  rmsprop: {
    name: 'rmsprop',
    reference: rmsprop,
    settings: { learningRate: 0.01, decayRate: 0.9, epsilon: 1e-8 },
    state: ['cache'],
    midState: (run) => ({ cache: abs(normal(run.rng, shape(run))) }),
  },
  adam: {
    name: 'adam',
    reference: adam,
    settings: { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    state: ['m', 'v', 't'],
    midState: (run) => ({
      m: normal(run.rng, shape(run), 0.1),
      v: abs(normal(run.rng, shape(run), 0.1)),
      t: 4,
    }),
  },
};

function shape(run: ExerciseRun): number[] {
  return [run.sizes.N, run.sizes.D];
}

/** A config's tensors copied, so neither side can change what the other is given. */
function copy(config: Config): Config {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v instanceof Tensor ? v.clone() : v]));
}

export function checkRule(run: ExerciseRun): void {
  const spec = RULES[run.exercise.id];
  const { name } = spec;
  const w0 = normal(run.rng, shape(run));
  const grads = [0, 1, 2].map(() => normal(run.rng, shape(run)));
  const step = (fn: StudentFunction, w: Tensor, dw: Tensor, config: Config): Step => {
    const value = fn(w, dw, config);
    return {
      w: field<Tensor>(name, value, 'w', '{ w, config }'),
      config: field<Config>(name, value, 'config', '{ w, config }'),
    };
  };
  const student: Record<string, unknown> = {};
  let mine: Step | undefined = { w: w0, config: { ...spec.settings } };
  let ref: Step = { w: w0, config: { ...spec.settings } };
  for (const [i, dw] of grads.entries()) {
    ref = step(spec.reference, ref.w, dw, copy(ref.config));
    const before: Step = mine;
    const input = before.w.clone();
    mine = run.call(name, (fn) => step(fn, input, dw.clone(), copy(before.config)));
    if (!mine) return;
    if (i === 0) {
      student.w1 = mine.w;
      run.add(
        fact(
          'w given is not changed',
          sameBits(input, before.w),
          `${name} wrote into the w it was given; return a new tensor`,
        ),
      );
    }
    compareStep(run, spec, `step ${i + 1}`, mine, ref);
  }
  const mid = { ...spec.settings, ...spec.midState(run) };
  const refMid = step(spec.reference, w0, grads[0], copy(mid));
  const mineMid = run.call(name, (fn) => step(fn, w0.clone(), grads[0].clone(), copy(mid)));
  if (!mineMid) return;
  student.wMid = mineMid.w;
  compareStep(run, spec, 'from a mid-run state', mineMid, refMid);
  if (name === 'adam') detectAdam(run, student, w0, grads[0], mid);
}

function sameBits(a: Tensor, b: Tensor): boolean {
  return a.data.every((value, i) => Object.is(value, b.data[i]));
}

function compareStep(run: ExerciseRun, spec: RuleSpec, when: string, mine: Step, ref: Step) {
  run.add(compare(`w (${when})`, 'reference', mine.w, ref.w, FORWARD_THRESHOLD));
  for (const key of spec.state) {
    const expected = ref.config[key] as Tensor | number;
    run.add(compare(`config.${key} (${when})`, 'reference', mine.config?.[key], expected, FORWARD_THRESHOLD));
  }
}

function detectAdam(
  run: ExerciseRun,
  student: Record<string, unknown>,
  w0: Tensor,
  dw: Tensor,
  mid: Config,
): void {
  const settings = RULES.adam.settings as {
    learningRate: number;
    beta1: number;
    beta2: number;
    epsilon: number;
  };
  const fresh = { ...settings, m: zeros(w0.shape), v: zeros(w0.shape), t: 0 };
  const midState = { ...settings, ...(mid as { m: Tensor; v: Tensor; t: number }) };
  const variant = (mistake: 'no-bias-correction' | 't-incremented-after-use') => ({
    w1: adamWithMistake(w0, dw, fresh, mistake),
    wMid: adamWithMistake(w0, dw, midState, mistake),
  });
  detect(run, student, [
    {
      id: 'adam-no-bias-correction',
      mistake: 'm and v are used without bias correction',
      fix: 'm and v start at 0 and are biased toward it: divide by (1 − β1ᵗ) and (1 − β2ᵗ) before the step',
      outputs: variant('no-bias-correction'),
    },
    {
      id: 'adam-t-incremented-after-use',
      mistake: 'the bias correction uses t before it is incremented (the first step divides by 1 − β⁰ = 0)',
      fix: 'increment t first (t += 1), then correct with 1 − β1ᵗ and 1 − β2ᵗ, as CS231n does',
      outputs: variant('t-incremented-after-use'),
    },
  ]);
}
