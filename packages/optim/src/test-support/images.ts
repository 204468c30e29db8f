import { createRng, type DType, randn, type Tensor } from '@backprop-lab/tensor';

/**
 * Seeded stand-ins for small CIFAR-like images: N samples of D = 3·h·w values, each class a random
 * template plus per-sample noise of the same size, labels drawn uniformly from C classes.
 */
export function randomImages(
  seed: number,
  rows: number,
  { side = 8, numClasses = 10, dtype = 'float64' as DType } = {},
): { X: Tensor; y: Int32Array } {
  const rng = createRng(seed);
  const dim = 3 * side * side;
  const templates = randn([numClasses, dim], rng);
  const X = randn([rows, dim], rng, dtype);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = rng.int(numClasses);
    for (let j = 0; j < dim; j++) X.data[i * dim + j] += templates.data[y[i] * dim + j];
  }
  return { X, y };
}
