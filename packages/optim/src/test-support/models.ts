import {
  add,
  argmax,
  createRng,
  type DType,
  exp,
  log,
  matmul,
  max,
  randn,
  sub,
  sum,
  type Tensor,
  tensor,
  zeros,
} from '@backprop-lab/tensor';
import type { Model, SolverData } from '../model.js';

/** A linear softmax classifier, scores = X·W + b: X [N, D], W [D, C], b [C]. Small, fast, and it learns. */
export class SoftmaxClassifier implements Model {
  params: Record<string, Tensor>;

  constructor(inputDim: number, numClasses: number, seed = 1, dtype: DType = 'float64') {
    const rng = createRng(seed);
    const W = randn([inputDim, numClasses], rng, dtype);
    for (let i = 0; i < W.size; i++) W.data[i] *= 1e-2;
    this.params = { W, b: zeros([numClasses], dtype) };
  }

  loss(X: Tensor): Tensor;
  loss(X: Tensor, y: Int32Array): { loss: number; grads: Record<string, Tensor> };
  loss(X: Tensor, y?: Int32Array): Tensor | { loss: number; grads: Record<string, Tensor> } {
    const scores = add(matmul(X, this.params.W), this.params.b);
    if (y === undefined) return scores;
    const [N, C] = scores.shape;
    const shifted = sub(scores, max(scores, { axis: 1, keepDims: true }));
    const logProbs = sub(shifted, log(sum(exp(shifted), { axis: 1, keepDims: true })));
    const dscores = exp(logProbs);
    let loss = 0;
    for (let i = 0; i < N; i++) {
      loss -= logProbs.data[i * C + y[i]];
      dscores.data[i * C + y[i]] -= 1;
    }
    for (let i = 0; i < dscores.size; i++) dscores.data[i] /= N;
    const dW = matmul(X, dscores, { transA: true });
    return { loss: loss / N, grads: { W: dW, b: sum(dscores, { axis: 0 }) } };
  }
}

/** Gaussian blobs, one per class, around centers 3·randn: seeded, so every run sees the same data. */
export function makeBlobs(
  seed: number,
  numTrain: number,
  numVal: number,
  dim = 5,
  numClasses = 3,
  dtype: DType = 'float64',
): SolverData {
  const rng = createRng(seed);
  const centers = randn([numClasses, dim], rng);
  const make = (rows: number) => {
    const X = randn([rows, dim], rng, dtype);
    const y = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      y[i] = rng.int(numClasses);
      for (let j = 0; j < dim; j++) X.data[i * dim + j] += 3 * centers.data[y[i] * dim + j];
    }
    return { X, y };
  };
  const train = make(numTrain);
  const val = make(numVal);
  return { XTrain: train.X, yTrain: train.y, XVal: val.X, yVal: val.y };
}

/**
 * A model with one scalar parameter p whose gradient is always −1, so sgd with lr 1 adds 1 to p per
 * iteration. Rows of X hold their own index; it predicts class 0 for rows below `correctRows(p)` and
 * class 1 above, which lets a test script the validation accuracy as a function of p. It records the
 * rows of every training batch, and returns NaN as the loss on the training calls listed in `nanAt`.
 */
export class ScriptedModel implements Model {
  params: Record<string, Tensor> = { p: tensor([0]) };
  batches: number[][] = [];
  private calls = 0;

  constructor(
    private readonly correctRows: (p: number) => number = () => 0,
    private readonly nanAt: readonly number[] = [],
  ) {}

  loss(X: Tensor): Tensor;
  loss(X: Tensor, y: Int32Array): { loss: number; grads: Record<string, Tensor> };
  loss(X: Tensor, y?: Int32Array): Tensor | { loss: number; grads: Record<string, Tensor> } {
    const rows = Array.from({ length: X.shape[0] }, (_, i) => X.data[i * X.shape[1]]);
    if (y === undefined) {
      const limit = this.correctRows(this.params.p.data[0]);
      return tensor(rows.map((row) => (row < limit ? [1, 0] : [0, 1])));
    }
    this.calls += 1;
    this.batches.push(rows);
    const loss = this.nanAt.includes(this.calls) ? Number.NaN : 1 / this.calls;
    return { loss, grads: { p: tensor([-1]) } };
  }
}

/** Rows 0..n-1 as X [n, 1] (each row its own index) with every label 0. */
export function indexData(numTrain: number, numVal: number): SolverData {
  const rows = (n: number) => tensor(Array.from({ length: n }, (_, i) => [i]));
  return {
    XTrain: rows(numTrain),
    yTrain: new Int32Array(numTrain),
    XVal: rows(numVal),
    yVal: new Int32Array(numVal),
  };
}

/** Predicted classes of a model on X, for checking accuracies by hand. */
export function predict(model: Model, X: Tensor): number[] {
  return Array.from(argmax(model.loss(X), { axis: 1 }).data);
}
