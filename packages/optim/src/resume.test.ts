import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DType, mul, sub, type Tensor } from '@backprop-lab/tensor';
import { tempDir } from '@backprop-lab/test-support';
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from './checkpoint.js';
import type { UpdateRule } from './rules.js';
import { Solver } from './solver.js';
import type { SolverOptions, SolverProgress } from './solver-options.js';
import { indexData, makeBlobs, ScriptedModel, SoftmaxClassifier } from './test-support/models.js';

let dir = '';
beforeEach(async () => {
  dir = await tempDir('optim-resume');
});

const bits = (t: Tensor) => Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));

/** 4 epochs in one go, and 2 epochs + checkpoint + Solver.resume for 2 more: every number must agree. */
async function straightVersusResumed(options: SolverOptions, dtype: DType = 'float64') {
  const data = makeBlobs(6, 75, 40, 5, 3, dtype);
  const common: SolverOptions = { batchSize: 10, numTrainSamples: 30, lrDecay: 0.9, seed: 21, ...options };
  const straightModel = new SoftmaxClassifier(5, 3, 2, dtype);
  const straight = new Solver(straightModel, data, {
    ...common,
    numEpochs: 4,
    checkpointPath: join(dir, 'straight.ckpt'),
    checkpointEvery: 2,
  });
  await straight.train();

  const firstModel = new SoftmaxClassifier(5, 3, 2, dtype);
  const path = join(dir, 'split.ckpt');
  await new Solver(firstModel, data, {
    ...common,
    numEpochs: 2,
    checkpointPath: path,
    checkpointEvery: 2,
  }).train();
  const resumedModel = new SoftmaxClassifier(5, 3, 99, dtype); // other weights: resume must overwrite them
  const resumed = await Solver.resume(resumedModel, data, path, {
    numEpochs: 4,
    ...(typeof options.updateRule === 'function' ? { updateRule: options.updateRule } : {}),
  });
  expect(resumed.epoch).toBe(2);
  await resumed.train();
  return { straight, straightModel, resumed, resumedModel };
}

describe('Solver.resume', () => {
  it.each([
    ['adam, shuffled', { updateRule: 'adam', optimConfig: { learningRate: 1e-2 } }],
    ['sgdMomentum, CS231n sampling', { updateRule: 'sgdMomentum', sampling: 'replacement' }],
    ['rmsprop', { updateRule: 'rmsprop', optimConfig: { learningRate: 1e-3 } }],
  ] as [string, SolverOptions][])('continues bit for bit: %s', async (_, options) => {
    const { straight, straightModel, resumed, resumedModel } = await straightVersusResumed(options);
    expect(resumed.lossHistory).toHaveLength(28);
    expect(resumed.lossHistory).toEqual(straight.lossHistory);
    expect(resumed.trainAccHistory).toEqual(straight.trainAccHistory);
    expect(resumed.valAccHistory).toEqual(straight.valAccHistory);
    expect(resumed.bestValAcc).toBe(straight.bestValAcc);
    for (const name of ['W', 'b'])
      expect(bits(resumedModel.params[name])).toEqual(bits(straightModel.params[name]));
    // The two final checkpoints hold everything (params, optimizer state, RNG, histories): same bytes.
    const [a, b] = await Promise.all([
      readFile(join(dir, 'straight.ckpt')),
      readFile(join(dir, 'split.ckpt')),
    ]);
    expect(b.equals(a)).toBe(true);
  });

  it('continues bit for bit in float32', async () => {
    const { straight, straightModel, resumed, resumedModel } = await straightVersusResumed(
      { updateRule: 'adam' },
      'float32',
    );
    expect(resumed.lossHistory).toEqual(straight.lossHistory);
    expect(resumedModel.params.W.dtype).toBe('float32');
    expect(bits(resumedModel.params.W)).toEqual(bits(straightModel.params.W));
  });

  it('continues bit for bit with a rule function given again', async () => {
    const halving: UpdateRule = (w, dw, config) => {
      const c = config as { learningRate: number; steps?: number };
      return { w: sub(w, mul(dw, c.learningRate)), config: { ...c, steps: (c.steps ?? 0) + 1 } };
    };
    const { straight, resumed } = await straightVersusResumed({
      updateRule: halving,
      optimConfig: { learningRate: 0.05 },
    });
    expect(resumed.lossHistory).toEqual(straight.lossHistory);
    expect(resumed.optimConfigs.W.steps).toBe(28);
  });

  it('writes a checkpoint every checkpointEvery epochs and after the last, atomically', async () => {
    const path = join(dir, 'every.ckpt');
    const seen: (number | null)[] = [];
    const onProgress = ({ iteration }: SolverProgress) => {
      if ((iteration - 1) % 2 !== 0) return; // the first iteration of each epoch
      let epoch: number | null = null;
      try {
        epoch = decodeCheckpoint(readFileSync(path), path).epoch;
      } catch {}
      seen.push(epoch);
    };
    const solver = new Solver(new ScriptedModel(), indexData(20, 4), {
      batchSize: 10,
      numEpochs: 5,
      checkpointPath: path,
      checkpointEvery: 2,
      onProgress,
    });
    await solver.train();
    expect(seen).toEqual([null, null, 2, 2, 4]);
    expect(decodeCheckpoint(readFileSync(path), path).epoch).toBe(5);
    expect(await readdir(dir)).toEqual(['every.ckpt']);
  });

  it('restores the best parameters at the end even when no epoch is left to run', async () => {
    const path = join(dir, 'done.ckpt');
    const model = new ScriptedModel((p) => 10 - 3 * Math.abs(p - 2));
    await new Solver(model, indexData(10, 10), {
      optimConfig: { learningRate: 1 },
      batchSize: 10,
      numEpochs: 4,
      checkpointPath: path,
    }).train();
    expect(model.params.p.data[0]).toBe(2);
    const again = new ScriptedModel((p) => 10 - 3 * Math.abs(p - 2));
    const resumed = await Solver.resume(again, indexData(10, 10), path);
    expect(again.params.p.data[0]).toBe(4); // the checkpoint holds the current params, not the best
    const result = await resumed.train();
    expect(result.status).toEqual({ state: 'completed' });
    expect(resumed.lossHistory).toHaveLength(4);
    expect(again.params.p.data[0]).toBe(2);
  });
});

describe('Solver.resume errors', () => {
  async function checkpoint(options: SolverOptions = {}) {
    const path = join(dir, 'run.ckpt');
    const data = makeBlobs(1, 20, 10);
    await new Solver(new SoftmaxClassifier(5, 3), data, {
      batchSize: 10,
      numEpochs: 2,
      checkpointPath: path,
      ...options,
    }).train();
    return { path, data };
  }

  it('refuses options that would break the bit-for-bit continuation, naming them', async () => {
    const { path, data } = await checkpoint({ updateRule: 'adam' });
    const resume = (options: unknown) =>
      Solver.resume(new SoftmaxClassifier(5, 3), data, path, options as never);
    await expect(resume(7)).rejects.toThrow('Solver.resume: options must be an object, got 7');
    await expect(resume({ batchSize: 5 })).rejects.toThrow(
      "Solver.resume: option 'batchSize' is restored from the checkpoint and cannot change (the run would not continue bit for bit)",
    );
    await expect(resume({ seed: 1 })).rejects.toThrow(
      "Solver.resume: option 'seed' is restored from the checkpoint",
    );
    await expect(resume({ verbose: true })).rejects.toThrow(
      "Solver.resume: unknown option key 'verbose' (expected one of numEpochs, checkpointPath, checkpointEvery, onProgress, updateRule)",
    );
    await expect(resume({ updateRule: 'sgd' })).rejects.toThrow(
      "Solver.resume: option 'updateRule' is restored from the checkpoint ('adam') and cannot change",
    );
    await expect(resume({ numEpochs: 1 })).rejects.toThrow(
      'Solver.resume: options.numEpochs 1 is below the 2 epochs the checkpoint has done',
    );
  });

  it('asks for the rule function again when the run used one', async () => {
    const rule: UpdateRule = (w, dw) => ({ w: sub(w, mul(dw, 0.1)), config: {} });
    const { path, data } = await checkpoint({ updateRule: rule });
    await expect(Solver.resume(new SoftmaxClassifier(5, 3), data, path)).rejects.toThrow(
      'Solver.resume: the checkpoint was trained with a rule function; pass it again as options.updateRule (got undefined)',
    );
  });

  it('names the parameter or the data that does not match the checkpoint', async () => {
    const { path, data } = await checkpoint();
    await expect(Solver.resume(new SoftmaxClassifier(4, 3), makeBlobs(1, 20, 10, 4), path)).rejects.toThrow(
      `Solver.resume: ${path}: params.W is float64 [5,3] in the checkpoint but float64 [4,3] in the model`,
    );
    const extra = new SoftmaxClassifier(5, 3);
    extra.params.gamma = extra.params.b.clone();
    await expect(Solver.resume(extra, data, path)).rejects.toThrow(
      `Solver.resume: ${path}: model.params.gamma is not in the checkpoint`,
    );
    const missing = new SoftmaxClassifier(5, 3);
    delete missing.params.b;
    await expect(Solver.resume(missing, data, path)).rejects.toThrow(
      `Solver.resume: ${path}: the checkpoint has parameter 'b' but model.params does not`,
    );
    const withBatchnorm = Object.assign(new SoftmaxClassifier(5, 3), { bnParams: [{}] });
    await expect(Solver.resume(withBatchnorm, data, path)).rejects.toThrow(
      `Solver.resume: ${path}: model.bnParams has 1 batchnorm layers but the checkpoint has 0`,
    );
    await expect(Solver.resume(new SoftmaxClassifier(5, 3), makeBlobs(1, 30, 10), path)).rejects.toThrow(
      `Solver.resume: ${path}: data.XTrain has 30 rows but the checkpoint was trained with 20`,
    );
    await expect(Solver.resume(new SoftmaxClassifier(5, 3), data, join(dir, 'missing.ckpt'))).rejects.toThrow(
      /^loadCheckpoint: cannot read .*missing\.ckpt \(ENOENT/,
    );
  });
});
