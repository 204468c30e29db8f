import { describe, expect, it } from 'vitest';
import { makeStep, paramsHash, W_SHAPE } from './workload.js';

describe('workload W', () => {
  it('builds the 3072 → 100×5 → 10 net and trains it: the loss starts near ln 10 and the parameters move', () => {
    const { step, net } = makeStep({ dtype: 'float64', batch: 50, batchnorm: true });
    expect(net.params.W1.shape).toEqual([W_SHAPE.inputDim, 100]);
    expect(net.params.W6.shape).toEqual([100, W_SHAPE.numClasses]);
    expect(net.params.gamma5.shape).toEqual([100]);
    const initial = paramsHash(net);
    const loss = step();
    expect(Math.abs(loss - Math.log(10))).toBeLessThan(0.1);
    expect(paramsHash(net)).not.toBe(initial);
  });

  it('is deterministic: the same configuration ends with the same parameter hash', () => {
    const hashes = [0, 1].map(() => {
      const { step, net } = makeStep({ dtype: 'float32', batch: 50, batchnorm: false });
      for (let i = 0; i < 3; i++) step();
      return paramsHash(net);
    });
    expect(hashes[0]).toBe(hashes[1]);
    expect(hashes[0]).toMatch(/^[0-9a-f]{8}$/);
  });

  it('hashes every bit: one flipped bit of one parameter changes the hash', () => {
    const { net } = makeStep({ dtype: 'float64', batch: 50, batchnorm: false });
    const before = paramsHash(net);
    const data = net.params.b6.data;
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength)[0] ^= 1;
    expect(paramsHash(net)).not.toBe(before);
  });
});
