import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, mul, randn, type Tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { batchnormBackward, batchnormBackwardAlt } from './batchnorm-backward.js';
import { FullyConnectedNet } from './fc-net.js';
import type { FullyConnectedNetOptions } from './fc-net-options.js';
import { defaultLayers, type LayerSet } from './layer-set.js';

const small = { hiddenDims: [6, 5], inputDim: 4, numClasses: 3, weightScale: 0.3, seed: 2 };
const rng = createRng(7);
const X = randn([6, 4], rng);
const y = Int32Array.from({ length: 6 }, () => rng.int(3));
const bits = (t: Tensor) => Array.from(t.data);

describe('FullyConnectedNet with a LayerSet', () => {
  it('composes the members it is given, and the defaults for the rest', () => {
    const calls: string[] = [];
    const counted: Partial<LayerSet> = {
      batchnormForward: (...args) => {
        calls.push('batchnormForward');
        return defaultLayers.batchnormForward(...args);
      },
      batchnormBackward: (...args) => {
        calls.push('batchnormBackward');
        return defaultLayers.batchnormBackward(...args);
      },
    };
    const options: FullyConnectedNetOptions = { ...small, normalization: 'batchnorm' };
    const custom = new FullyConnectedNet({ ...options, layers: counted });
    const plain = new FullyConnectedNet(options);
    const [a, b] = [custom.loss(X, y), plain.loss(X, y)];
    expect(calls).toEqual(['batchnormForward', 'batchnormForward', 'batchnormBackward', 'batchnormBackward']);
    expect(a.loss).toBe(b.loss);
    for (const name of Object.keys(b.grads)) expect(bits(a.grads[name]), name).toEqual(bits(b.grads[name]));
  });

  it('runs a whole set of its own: the graph-form batchnorm backward gives the same gradients to 1e-12', () => {
    const options: FullyConnectedNetOptions = { ...small, normalization: 'batchnorm' };
    const graph = new FullyConnectedNet({ ...options, layers: { ...defaultLayers, batchnormBackward } });
    const simplified = new FullyConnectedNet(options);
    const [a, b] = [graph.loss(X, y), simplified.loss(X, y)];
    expect(defaultLayers.batchnormBackward).toBe(batchnormBackwardAlt);
    for (const name of Object.keys(b.grads)) {
      const [got, want] = [a.grads[name].data, b.grads[name].data];
      const gap = Math.max(...Array.from(got, (v, k) => Math.abs(v - want[k])));
      expect(gap, name).toBeLessThan(1e-12);
    }
  });

  it('a wrong member changes the gradients it reaches and only those', () => {
    const doubled: Partial<LayerSet> = {
      reluBackward: (dout, cache) => mul(defaultLayers.reluBackward(dout, cache), 2),
    };
    const wrong = new FullyConnectedNet({ ...small, layers: doubled }).loss(X, y);
    const right = new FullyConnectedNet(small).loss(X, y);
    expect(bits(wrong.grads.W3)).toEqual(bits(right.grads.W3)); // above every ReLU
    expect(bits(wrong.grads.W2)).not.toEqual(bits(right.grads.W2));
  });

  it('refuses unknown, missing and non-function members at construction, naming them', () => {
    const make = (layers: unknown) => () =>
      new FullyConnectedNet({ ...small, layers: layers as Partial<LayerSet> });
    expect(make({ batchnormBackwards: batchnormBackward })).toThrow(
      "FullyConnectedNet: options.layers has unknown key 'batchnormBackwards' (known: affineForward, affineBackward,",
    );
    expect(make({ batchnormBackward: undefined })).toThrow(
      'FullyConnectedNet: options.layers.batchnormBackward is missing (undefined); give a function, or leave the key out to use the default',
    );
    expect(make({ reluForward: 'relu' })).toThrow(
      'FullyConnectedNet: options.layers.reluForward must be a function, got string',
    );
    expect(make({ softmaxLoss: null })).toThrow(
      'FullyConnectedNet: options.layers.softmaxLoss must be a function, got null',
    );
    expect(make([])).toThrow('FullyConnectedNet: options.layers must be an object, got object');
    expect(make(null)).toThrow('FullyConnectedNet: options.layers must be an object, got null');
  });
});

describe('the layers are written with tensor ops', () => {
  it('no source file outside the tests reads or writes a tensor element by index', () => {
    const sources = readdirSync(import.meta.dirname).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    expect(sources).toContain('batchnorm.ts');
    for (const file of sources) {
      const text = readFileSync(join(import.meta.dirname, file), 'utf8');
      expect(text, file).not.toMatch(/\.data\[|allocate\(/);
    }
  });
});
