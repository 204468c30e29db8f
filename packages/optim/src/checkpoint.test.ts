import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, linspace, reshape, tensor } from '@backprop-lab/tensor';
import { tempDir } from '@backprop-lab/test-support';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CHECKPOINT_FORMAT,
  type CheckpointState,
  decodeCheckpoint,
  encodeCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
} from './checkpoint.js';

function sampleState(): CheckpointState {
  const rng = createRng(5);
  rng.normal(); // leaves a spare normal in the state
  return {
    options: {
      updateRule: 'adam',
      optimConfig: { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      lrDecay: 0.95,
      batchSize: 10,
      numEpochs: 4,
      numTrainSamples: 1000,
      numValSamples: null,
      checkpointEvery: 1,
      seed: 5,
      sampling: 'shuffle',
    },
    numTrain: 50,
    numVal: 20,
    epoch: 2,
    iteration: 10,
    rng: rng.state(),
    params: { W: reshape(linspace(-1, 1, 6), [2, 3]), b: linspace(0.1, 0.3, 3, 'float32') },
    bestParams: {
      W: tensor([
        [1 / 3, 2 / 3, 1],
        [0, -0, 5e-324],
      ]),
      b: tensor([0.1, 0.2, 0.3], undefined, 'float32'),
    },
    optimConfigs: {
      W: {
        learningRate: 1e-3 * 0.95,
        t: 10,
        m: tensor([
          [Math.PI, 1, 2],
          [3, 4, 5],
        ]),
        v: tensor([
          [1, 1, 1],
          [1, 1, 1],
        ]),
      },
      b: {
        learningRate: 1e-3,
        t: 10,
        m: tensor([1, 2, 3], undefined, 'float32'),
        v: tensor([1, 2, 3], undefined, 'float32'),
        note: 'x',
        on: true,
      },
    },
    bnStats: [{ runningMean: tensor([1, 2]), runningVar: null }],
    lossHistory: [Math.LN10, 1 / 3, 0.1 + 0.2],
    trainAccHistory: [0.1, 0.5],
    valAccHistory: [0.15, 0.45],
    bestValAcc: 0.45,
  };
}

describe('checkpoint format', () => {
  it('is one JSON header line, then 8-byte-aligned little-endian tensor bytes', () => {
    const bytes = encodeCheckpoint(sampleState());
    const newline = bytes.indexOf(0x0a);
    const header = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
    expect(header).toMatchObject({
      format: CHECKPOINT_FORMAT,
      version: 1,
      byteOrder: 'little-endian',
      epoch: 2,
    });
    expect(header.params.W).toEqual({ $tensor: expect.any(Number) });
    const entry = header.tensors[header.params.W.$tensor];
    expect(entry).toMatchObject({ dtype: 'float64', shape: [2, 3] });
    expect(header.tensors.every((t: { byteOffset: number }) => t.byteOffset % 8 === 0)).toBe(true);
    const body = bytes.subarray(newline + 1);
    expect(body.readDoubleLE(entry.byteOffset + 8 * 5)).toBe(1);
    expect(header.optimConfigs.b).toMatchObject({ note: 'x', on: true, t: 10 });
  });

  it('round-trips every value bit for bit, float32 tensors and the RNG state included', () => {
    const state = sampleState();
    const back = decodeCheckpoint(encodeCheckpoint(state), 'memory');
    expect(back.options).toEqual(state.options);
    expect(back.rng).toEqual(state.rng);
    expect(back.rng.spare).not.toBeNull();
    expect(back.lossHistory).toEqual(state.lossHistory);
    expect(back.params.b.dtype).toBe('float32');
    for (const [name, t] of Object.entries(state.bestParams!)) {
      expect(back.bestParams![name].shape).toEqual(t.shape);
      expect(new Uint8Array(back.bestParams![name].data.buffer)).toEqual(new Uint8Array(t.data.buffer));
    }
    expect(Array.from((back.optimConfigs.W.m as { data: Float64Array }).data)).toEqual([
      Math.PI,
      1,
      2,
      3,
      4,
      5,
    ]);
    expect(Array.from(back.bnStats[0].runningMean!.data)).toEqual([1, 2]);
    expect(back.bnStats[0].runningVar).toBeNull();
    expect(back.optimConfigs.b).toMatchObject({ note: 'x', on: true, learningRate: 1e-3 });
    expect(
      decodeCheckpoint(encodeCheckpoint({ ...state, bestParams: null }), 'memory').bestParams,
    ).toBeNull();
  });

  it('names the file and what is wrong with it', () => {
    const bytes = encodeCheckpoint(sampleState());
    expect(() => decodeCheckpoint(Buffer.from('no newline'), 'a.ckpt')).toThrow(
      'decodeCheckpoint: a.ckpt is not a backprop-lab checkpoint (no header line)',
    );
    expect(() => decodeCheckpoint(Buffer.from('{oops\n'), 'a.ckpt')).toThrow(
      'decodeCheckpoint: a.ckpt is not a backprop-lab checkpoint (header: ',
    );
    expect(() => decodeCheckpoint(Buffer.from('[1]\n'), 'a.ckpt')).toThrow(
      'decodeCheckpoint: a.ckpt header: expected an object, got an array',
    );
    expect(() => decodeCheckpoint(Buffer.from('{"format":"npz"}\n'), 'a.ckpt')).toThrow(
      "decodeCheckpoint: a.ckpt is not a backprop-lab checkpoint (format 'npz')",
    );
    expect(() =>
      decodeCheckpoint(Buffer.from(`{"format":"${CHECKPOINT_FORMAT}","version":9}\n`), 'a.ckpt'),
    ).toThrow('decodeCheckpoint: a.ckpt has version 9; this build reads version 1');
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 4), 'a.ckpt')).toThrow(
      /^decodeCheckpoint: a\.ckpt tensors\[\d+\]: is truncated: needs bytes \d+\.\.\d+ of \d+$/,
    );
    const newline = bytes.indexOf(0x0a);
    const header = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
    const withHeader = (changed: object) =>
      Buffer.concat([
        Buffer.from(`${JSON.stringify({ ...header, ...changed })}\n`),
        bytes.subarray(newline + 1),
      ]);
    expect(() =>
      decodeCheckpoint(withHeader({ tensors: [{ dtype: 'int8', shape: [1], byteOffset: 0 }] }), 'a.ckpt'),
    ).toThrow("decodeCheckpoint: a.ckpt tensors[0].dtype: unknown dtype 'int8'");
    expect(() => decodeCheckpoint(withHeader({ params: { W: { $tensor: 99 } } }), 'a.ckpt')).toThrow(
      'decodeCheckpoint: a.ckpt params.W: refers to a missing tensor 99',
    );
    const state = sampleState();
    state.optimConfigs.W.schedule = (() => 1) as never;
    expect(() => encodeCheckpoint(state)).toThrow(
      "encodeCheckpoint: optimizer config 'schedule' of parameter 'W' is a function: only numbers, strings, booleans and Tensors can be saved",
    );
  });
});

/** A parsed header, edited freely by the crafted-file cases (any field may be made wrong). */
// biome-ignore lint/suspicious/noExplicitAny: the point of these cases is to put wrong types in any field.
type Header = Record<string, any>;

/** The sample checkpoint with its header changed by `edit` (the tensor bytes kept). */
function crafted(edit: (header: Header) => void): Buffer {
  const bytes = encodeCheckpoint(sampleState());
  const newline = bytes.indexOf(0x0a);
  const header = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
  edit(header);
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), bytes.subarray(newline + 1)]);
}

describe('checkpoint files are input: every bad field is one error naming the file and the field', () => {
  const cases: [string, (header: Header) => void, string][] = [
    [
      'a negative byte offset',
      (h) => (h.tensors[0].byteOffset = -8),
      'tensors[0].byteOffset: expected an integer >= 0, got -8',
    ],
    [
      'a misaligned byte offset',
      (h) => (h.tensors[1].byteOffset += 4),
      /tensors\[1\]\.byteOffset: \d+ is not a multiple of 8/ as never,
    ],
    [
      'a fractional shape',
      (h) => (h.tensors[0].shape = [2.5, 2]),
      'tensors[0].shape[0]: expected an integer >= 0, got 2.5',
    ],
    [
      'a shape far beyond the file',
      (h) => (h.tensors[0].shape = [1e9, 1e9]),
      /tensors\[0\]: is truncated: needs bytes 0\.\.\d+ of \d+/ as never,
    ],
    [
      'non-array tensors',
      (h) => (h.tensors = { 0: h.tensors[0] }),
      'tensors: expected an array, got an object',
    ],
    ['a missing field', (h) => delete h.epoch, 'epoch: expected an integer >= 0, got undefined'],
    [
      'a missing options field',
      (h) => delete h.options.batchSize,
      'options.batchSize: expected an integer >= 1, got undefined',
    ],
    [
      'a __proto__ parameter',
      (h) => Object.defineProperty(h.params, '__proto__', { value: h.params.W, enumerable: true }),
      'params.__proto__: is not allowed as a key',
    ],
    [
      'an rng state of the wrong type',
      (h) => (h.rng = { s: '1,2,3,4', spare: null }),
      "rng.s: expected an array, got '1,2,3,4'",
    ],
    [
      'an rng word out of range',
      (h) => (h.rng.s[2] = -1),
      'rng.s[2]: expected an unsigned 32-bit integer, got -1',
    ],
    ['a negative epoch', (h) => (h.epoch = -1), 'epoch: expected an integer >= 0, got -1'],
    [
      'NaN where a number belongs',
      (h) => (h.bestValAcc = 'NaN'),
      "bestValAcc: expected a finite number, got 'NaN'",
    ],
    [
      'null in a history',
      (h) => (h.lossHistory[1] = null),
      'lossHistory[1]: expected a finite number, got null',
    ],
    [
      'an unknown update rule',
      (h) => (h.options.updateRule = 'lbfgs'),
      "options.updateRule: expected one of sgd|sgdMomentum|rmsprop|adam|custom, got 'lbfgs'",
    ],
    [
      'a best parameter of another shape',
      (h) => (h.bestParams.W = h.params.b),
      'bestParams.W: is float32 [3] but params.W is float64 [2, 3]',
    ],
    [
      'an optimizer moment of another dtype',
      (h) => (h.optimConfigs.W.m = h.optimConfigs.b.m),
      'optimConfigs.W.m: is float32 [3] but params.W is float64 [2, 3]',
    ],
    [
      'optimizer state for no parameter',
      (h) => (h.optimConfigs.gamma9 = {}),
      'optimConfigs.gamma9: has no parameter of that name in params',
    ],
  ];
  for (const [what, edit, message] of cases) {
    it(what, () => {
      const bytes = crafted(edit);
      let thrown: unknown;
      try {
        decodeCheckpoint(bytes, 'runs/net.ckpt');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Error);
      const text = (thrown as Error).message;
      expect(text).not.toContain('\n');
      expect(text.startsWith('decodeCheckpoint: runs/net.ckpt ')).toBe(true);
      if (typeof message === 'string') expect(text).toContain(message);
      else expect(text).toMatch(message as RegExp);
    });
  }
});

describe('checkpoint files', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await tempDir('optim-checkpoint');
  });

  it('saves and loads through a temporary file, leaving nothing else behind', async () => {
    const path = join(dir, 'runs', 'net.ckpt');
    await saveCheckpoint(path, sampleState());
    await saveCheckpoint(path, { ...sampleState(), epoch: 3 });
    expect(await readdir(join(dir, 'runs'))).toEqual(['net.ckpt']);
    const back = await loadCheckpoint(path);
    expect(back.epoch).toBe(3);
    expect(Array.from(back.params.W.data)).toEqual(Array.from(sampleState().params.W.data));
  });

  it('removes its temporary file, leaves the target alone and names it when the rename fails', async () => {
    // Renaming a file over a non-empty directory fails after the temporary file was written.
    const blocked = join(dir, 'blocked');
    await mkdir(blocked);
    await writeFile(join(blocked, 'inside'), 'old');
    await expect(saveCheckpoint(blocked, sampleState())).rejects.toThrow(`${blocked}: cannot write (E`);
    expect(await readdir(dir)).toEqual(['blocked']);
    expect(await readFile(join(blocked, 'inside'), 'utf8')).toBe('old');
  });
});
