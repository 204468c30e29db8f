/**
 * FullyConnectedNet.loss: the student's class, built with the options below, given the reference net's
 * parameters, must return the reference's loss and gradients, and each gradient must match centered
 * differences of the student's own loss. X [N, D], y [N]; hidden sizes [M, M], C classes, L2 reg > 0.
 */
import { FullyConnectedNet, type FullyConnectedNetOptions, type Normalization } from '@backprop-lab/layers';
import type { Tensor } from '@backprop-lab/tensor';
import {
  ABSOLUTE_FLOOR,
  compare,
  FORWARD_THRESHOLD,
  NUMERICAL_THRESHOLD,
  REFERENCE_THRESHOLD,
} from '../compare.js';
import { type ExerciseRun, field, type StudentClass } from '../context.js';
import { labels, normal } from '../inputs.js';
import { detect } from '../mistakes/detect.js';
import { l2GradientMissing, l2OnGammaBeta } from '../mistakes/fc-net.js';
import { entriesToCheck, numericalAt } from '../numerical.js';

const NAME = 'FullyConnectedNet.loss';
const RESULT = '{ loss, grads }';
const REG = 0.3;
/** Each numerical entry is a whole forward and backward pass of the net: fewer per parameter than a layer's. */
const SAMPLES_PER_PARAM = 16;

interface Net {
  params: Record<string, Tensor>;
  loss(X: Tensor, y: Int32Array): unknown;
}

export function checkFcNet(run: ExerciseRun): void {
  for (const normalization of ['none', 'batchnorm'] as Normalization[]) {
    if (!checkNet(run, drawProblem(run, normalization))) return;
  }
}

interface Problem {
  options: FullyConnectedNetOptions;
  reference: FullyConnectedNet;
  X: Tensor;
  y: Int32Array;
}

/**
 * A net and a batch on which the reference passes its own numerical check. A ReLU input within h of 0
 * makes centered differences straddle the kink and disagree with any right backward: such a draw is
 * replaced (a few tries at most; kinks that close are rare).
 */
function drawProblem(run: ExerciseRun, normalization: Normalization): Problem {
  const { rng } = run;
  const { N, D, M, C } = run.sizes;
  let problem: Problem | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const seed = rng.int(2 ** 31);
    const options = {
      hiddenDims: [M, M],
      inputDim: D,
      numClasses: C,
      normalization,
      reg: REG,
      // Activations of order 1 at any size: a loss in the thousands would drown gradients in round-off.
      weightScale: 1 / Math.sqrt(Math.max(D, M)),
      seed,
    };
    const reference = new FullyConnectedNet(options);
    // Away from their ones/zeros start: gamma = 1 and beta = 0 would hide a term that forgets them.
    for (const [name, value] of Object.entries(reference.params)) {
      if (/^(gamma|beta|b)\d+$/.test(name))
        reference.params[name] = normal(rng, value.shape, 0.3, name.startsWith('gamma') ? 1 : 0);
    }
    problem = { options, reference, X: normal(rng, [N, D]), y: labels(rng, N, C) };
    if (smooth(run, problem)) break;
  }
  return problem!;
}

function smooth(run: ExerciseRun, { reference, X, y }: Problem): boolean {
  const { grads } = reference.loss(X, y);
  return Object.entries(grads).every(([name, grad]) => {
    const param = reference.params[name];
    const entries = entriesToCheck(run.sampleSeed, param, SAMPLES_PER_PARAM);
    const numeric = numericalAt(() => reference.loss(X, y).loss, param, entries, grad);
    return compare(
      name,
      'numerical',
      grad,
      numeric,
      NUMERICAL_THRESHOLD / 10,
      roundOff(reference.loss(X, y).loss),
    ).pass;
  });
}

/** One configuration; false once the student's class or loss cannot be run (later ones would say the same). */
function checkNet(run: ExerciseRun, { options, reference, X, y }: Problem): boolean {
  const expected = reference.loss(X, y);
  const label = options.normalization === 'none' ? '' : ` (${options.normalization})`;
  // The check owns the parameters and hands them to the net before every loss call: the numerical
  // check perturbs them in place, and a net in the grader's sandbox holds a copy, not this object.
  const params = Object.fromEntries(Object.entries(reference.params).map(([k, v]) => [k, v.clone()]));
  const net = run.call(NAME, (fn) => {
    const instance = new (fn as unknown as StudentClass)(options) as Net;
    instance.params = params;
    return instance;
  });
  if (!net) return false;
  const lossOf = () => {
    net.params = params;
    const value = net.loss(X.clone(), y.slice());
    return {
      loss: field<number>(NAME, value, 'loss', RESULT),
      grads: field<Record<string, unknown>>(NAME, value, 'grads', RESULT),
    };
  };
  const mine = run.call(NAME, lossOf);
  if (!mine) return false;
  run.add(compare(`loss${label}`, 'reference', mine.loss, expected.loss, FORWARD_THRESHOLD));
  const student: Record<string, unknown> = {};
  for (const [name, grad] of Object.entries(expected.grads)) {
    const given = mine.grads?.[name];
    student[`grads.${name}`] = given;
    const param = params[name];
    const entries = entriesToCheck(run.sampleSeed, param, SAMPLES_PER_PARAM);
    const numeric = run.call(NAME, () => numericalAt(() => lossOf().loss, param, entries, given));
    if (!numeric) return false;
    const floor = roundOff(expected.loss);
    run.add(
      compare(`grads.${name}${label}`, 'numerical (your loss)', given, numeric, NUMERICAL_THRESHOLD, floor),
    );
    run.add(compare(`grads.${name}${label}`, 'reference', given, grad, REFERENCE_THRESHOLD));
  }
  const reg = options.reg ?? 0;
  const onGammaBeta = l2OnGammaBeta(expected, reference.params, reg);
  detect(run, student, [
    {
      id: 'fc-net-l2-gradient-missing',
      mistake: 'the W gradients leave out the L2 term: loss has 0.5·reg·ΣW² but dW lacks reg·W',
      fix: "add reg·W to every dW after the backward pass (and only to the W's)",
      outputs: l2GradientMissing(expected, reference.params, reg),
    },
    ...(Object.keys(onGammaBeta).length === 0
      ? []
      : [
          {
            id: 'fc-net-l2-on-gamma-beta',
            mistake: 'gamma and beta are regularised: their gradients have reg·gamma and reg·beta added',
            fix: "L2 applies to the weights W only; leave gamma, beta (and the b's) out of it",
            outputs: onGammaBeta,
          },
        ]),
  ]);
  return true;
}

/**
 * What a centered difference of a loss L can resolve: L's round-off (a sum of thousands of terms at the
 * largest sizes) divided by 2h. Entries of the gradient within 1e-8·|L| of it pass, as a bias before
 * batchnorm does: a wrong L2 term or a missing path is off by far more.
 */
function roundOff(loss: number): number {
  return Math.max(ABSOLUTE_FLOOR, 1e-8 * Math.abs(loss));
}
