// Workload W, shared by W.bench.ts, measure.ts and rss.ts: a FullyConnectedNet 3072 → 100×5 → 10 with ReLU,
// optionally batchnorm after each hidden affine, softmax loss with L2 reg, Adam on every parameter.
// One step = forward + backward + update on one random minibatch, as the Solver makes it.
import { FullyConnectedNet } from '@backprop-lab/layers';
import { type OptimState, updateParams } from '@backprop-lab/optim';
import { createRng, type DType, randn } from '@backprop-lab/tensor';

export const W_SHAPE = { inputDim: 3072, hiddenDims: [100, 100, 100, 100, 100], numClasses: 10 };
export const W_REG = 1e-3;
export const W_DTYPES: readonly DType[] = ['float64', 'float32'];
export const W_BATCHES: readonly number[] = [50, 200, 1000];

export interface WConfig {
  dtype: DType;
  batch: number;
  batchnorm: boolean;
}

/** A net, one random minibatch and Adam's state; returns one training step as a function. */
export function makeStep(config: WConfig): { step: () => number; net: FullyConnectedNet } {
  const { dtype, batch, batchnorm } = config;
  const rng = createRng(batch);
  const X = randn([batch, W_SHAPE.inputDim], rng, dtype);
  const y = Int32Array.from({ length: batch }, () => rng.int(W_SHAPE.numClasses));
  const net = new FullyConnectedNet({
    ...W_SHAPE,
    normalization: batchnorm ? 'batchnorm' : 'none',
    reg: W_REG,
    weightScale: 1e-2,
    dtype,
    seed: 0,
  });
  const names = Object.keys(net.params);
  const configs: Record<string, OptimState> = Object.fromEntries(names.map((name) => [name, {}]));
  const step = () => {
    const { loss, grads } = net.loss(X, y);
    updateParams(net, names, grads, 'adam', configs);
    return loss;
  };
  return { step, net };
}

/** FNV-1a over the bytes of every parameter: equal hashes, equal bits. */
export function paramsHash(net: FullyConnectedNet): string {
  let hash = 0x811c9dc5;
  for (const name of Object.keys(net.params).sort()) {
    const data = net.params[name].data;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
