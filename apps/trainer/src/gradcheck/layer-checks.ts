/**
 * Gradient checks of every layer's backward pass against centered differences (h = 1e-5).
 * Shapes and inputs follow CS231n's notebooks (batchnorm on x = 5·randn(4, 5) + 12).
 */
import { numericalGradient, numericalGradientArray, relError } from '@backprop-lab/gradcheck';
import {
  affineBackward,
  affineForward,
  batchnormBackward,
  batchnormBackwardAlt,
  batchnormForward,
  dropoutBackward,
  dropoutForward,
  layernormBackward,
  layernormForward,
  reluBackward,
  reluForward,
  softmaxLoss,
  svmLoss,
} from '@backprop-lab/layers';
import { add, createRng, type DType, mul, randn, type Tensor } from '@backprop-lab/tensor';
import type { CheckDefinition, CheckRow } from './types.js';

/** A per-layer result row; thresholds are the pass marks docs/reference.md gives for each layer. */
function row(check: string, param: string, analytic: Tensor, numeric: Tensor, threshold: number): CheckRow {
  const error = relError(analytic, numeric);
  return { check, param, relError: error, threshold, ok: error <= threshold };
}

/** Numerical gradient of x ↦ f(x) against dout, where f re-runs the forward pass. */
function numeric(f: (x: Tensor) => Tensor, x: Tensor, dout: Tensor): Tensor {
  return numericalGradientArray(f, x, dout, { h: 1e-5 });
}

function affine(dtype: DType): CheckRow[] {
  const rng = createRng(1);
  const x = randn([10, 2, 3], rng, dtype);
  const W = randn([6, 5], rng, dtype);
  const b = randn([5], rng, dtype);
  const dout = randn([10, 5], rng, dtype);
  const { dx, dW, db } = affineBackward(dout, affineForward(x, W, b).cache);
  return [
    row(
      'affine',
      'dx',
      dx,
      numeric((v) => affineForward(v, W, b).out, x, dout),
      1e-8,
    ),
    row(
      'affine',
      'dW',
      dW,
      numeric((v) => affineForward(x, v, b).out, W, dout),
      1e-8,
    ),
    row(
      'affine',
      'db',
      db,
      numeric((v) => affineForward(x, W, v).out, b, dout),
      1e-8,
    ),
  ];
}

function relu(dtype: DType): CheckRow[] {
  const rng = createRng(2);
  const x = randn([10, 10], rng, dtype);
  const dout = randn([10, 10], rng, dtype);
  const dx = reluBackward(dout, reluForward(x).cache);
  return [
    row(
      'relu',
      'dx',
      dx,
      numeric((v) => reluForward(v).out, x, dout),
      1e-8,
    ),
  ];
}

/** x = 5·randn(4, 5) + 12 as in CS231n, with random γ, β and upstream gradient. */
function normInputs(dtype: DType, seed: number) {
  const rng = createRng(seed);
  const x = add(mul(randn([4, 5], rng, dtype), 5), 12);
  const gamma = randn([5], rng, dtype);
  const beta = randn([5], rng, dtype);
  const dout = randn([4, 5], rng, dtype);
  return { x, gamma, beta, dout };
}

const batchnormTrain = (x: Tensor, gamma: Tensor, beta: Tensor) =>
  batchnormForward(x, gamma, beta, { mode: 'train' });

/** dx, dgamma, dbeta of a normalization layer (batchnorm in either backward form, or layernorm). */
function normCheck<Cache>(
  name: string,
  seed: number,
  forward: (x: Tensor, gamma: Tensor, beta: Tensor) => { out: Tensor; cache: Cache },
  backward: (dout: Tensor, cache: Cache) => { dx: Tensor; dgamma: Tensor; dbeta: Tensor },
) {
  return (dtype: DType): CheckRow[] => {
    const { x, gamma, beta, dout } = normInputs(dtype, seed);
    const { dx, dgamma, dbeta } = backward(dout, forward(x, gamma, beta).cache);
    return [
      row(
        name,
        'dx',
        dx,
        numeric((v) => forward(v, gamma, beta).out, x, dout),
        1e-8,
      ),
      row(
        name,
        'dgamma',
        dgamma,
        numeric((v) => forward(x, v, beta).out, gamma, dout),
        1e-8,
      ),
      row(
        name,
        'dbeta',
        dbeta,
        numeric((v) => forward(x, gamma, v).out, beta, dout),
        1e-8,
      ),
    ];
  };
}

/** The graph form and the simplified form are two derivations of one gradient: they must agree to ~1e-12. */
function batchnormAgree(dtype: DType): CheckRow[] {
  const { x, gamma, beta, dout } = normInputs(dtype, 3);
  const { cache } = batchnormTrain(x, gamma, beta);
  const graph = batchnormBackward(dout, cache);
  const simplified = batchnormBackwardAlt(dout, cache);
  return [
    row('batchnorm-forms-agree', 'dx', graph.dx, simplified.dx, 1e-12),
    row('batchnorm-forms-agree', 'dgamma', graph.dgamma, simplified.dgamma, 1e-12),
    row('batchnorm-forms-agree', 'dbeta', graph.dbeta, simplified.dbeta, 1e-12),
  ];
}

function dropout(dtype: DType): CheckRow[] {
  const rng = createRng(5);
  const x = add(randn([10, 10], rng, dtype), 10);
  const dout = randn([10, 10], rng, dtype);
  const param = { p: 0.8, mode: 'train' as const, seed: 123 };
  const dx = dropoutBackward(dout, dropoutForward(x, param).cache);
  return [
    row(
      'dropout',
      'dx',
      dx,
      numeric((v) => dropoutForward(v, param).out, x, dout),
      1e-10,
    ),
  ];
}

function loss(name: string, fn: typeof softmaxLoss, scale: number) {
  return (dtype: DType): CheckRow[] => {
    const rng = createRng(6);
    const scores = mul(randn([50, 10], rng, dtype), scale);
    const y = Int32Array.from({ length: 50 }, () => rng.int(10));
    const { dx } = fn(scores, y);
    const num = numericalGradient((v) => fn(v, y).loss, scores, { h: 1e-5 });
    return [row(name, 'dx', dx, num, 1e-7)];
  };
}

export const layerChecks: CheckDefinition[] = [
  { name: 'affine', description: 'affine layer: dx, dW, db', run: affine },
  { name: 'relu', description: 'ReLU: dx', run: relu },
  {
    name: 'batchnorm',
    description: 'batchnorm, graph-form backward',
    run: normCheck('batchnorm', 3, batchnormTrain, batchnormBackward),
  },
  {
    name: 'batchnorm-alt',
    description: 'batchnorm, simplified one-expression backward',
    run: normCheck('batchnorm-alt', 3, batchnormTrain, batchnormBackwardAlt),
  },
  { name: 'batchnorm-forms-agree', description: 'graph form vs simplified form', run: batchnormAgree },
  {
    name: 'layernorm',
    description: 'layernorm: dx, dgamma, dbeta',
    run: normCheck('layernorm', 4, layernormForward, layernormBackward),
  },
  { name: 'dropout', description: 'inverted dropout (keep 0.8, fixed seed): dx', run: dropout },
  { name: 'softmax', description: 'softmax loss: dscores', run: loss('softmax', softmaxLoss, 0.001) },
  { name: 'svm', description: 'SVM loss: dscores', run: loss('svm', svmLoss, 0.001) },
];
