// A LayerSet with one deliberate mistake in batchnorm's backward, and the gradient check that catches it.
// Run from the repository root: npx tsx packages/layers/examples/custom-layers.ts
import { checkGradient } from '@backprop-lab/gradcheck';
import { defaultLayers, FullyConnectedNet, type LayerSet } from '@backprop-lab/layers';
import { createRng, mul, randn } from '@backprop-lab/tensor';

// A classic slip: backpropagate through x̂ = (x − μ)·ivar as if the batch mean and variance were constants
// (dx = dy·γ·ivar), forgetting that both are computed from x too. dgamma and dbeta stay right.
const constantStatistics: LayerSet['batchnormBackward'] = (dout, cache) => {
  const right = defaultLayers.batchnormBackward(dout, cache);
  if (cache.mode !== 'train') return right;
  return { ...right, dx: mul(mul(dout, cache.gamma), cache.ivar) };
};

const rng = createRng(0);
const X = randn([10, 8], rng); // [N, D]
const y = Int32Array.from({ length: 10 }, () => rng.int(5)); // [N]

/** Checks every parameter of a batchnorm net built from `layers` against centered differences. */
function gradcheckNet(layers?: Partial<LayerSet>) {
  const net = new FullyConnectedNet({
    hiddenDims: [10, 10],
    inputDim: 8,
    numClasses: 5,
    weightScale: 5e-2,
    normalization: 'batchnorm',
    layers,
  });
  const { grads } = net.loss(X, y);
  // b1 and b2 feed batchnorm, which subtracts them again: their true gradient is 0, and a relative error
  // would compare two round-offs. Every other parameter is checked.
  const names = Object.keys(net.params).filter((name) => !/^b[12]$/.test(name));
  const results = names.map((name) => {
    const check = checkGradient(() => net.loss(X, y).loss, net.params[name], grads[name]);
    return { name, relError: check.relError, ok: check.ok };
  });
  const worst = results.reduce((a, b) => (b.relError > a.relError ? b : a));
  return { ok: results.every((r) => r.ok), worst: worst.name, relError: worst.relError };
}

console.log('default layers:', gradcheckNet());
console.log('constant-statistics batchnorm:', gradcheckNet({ batchnormBackward: constantStatistics }));
