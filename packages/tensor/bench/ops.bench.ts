// `pnpm bench --only ops`: µs per call of the elementwise, broadcast and reduction ops a fully connected
// net is written with, at its sizes (N = 200 batch, D = 3072 inputs, H = 100 hidden, C = 10 classes),
// float64, on the current backend. Figures are printed, never asserted.
import { type BenchSuite, timeMedian } from '../../../scripts/bench-types.js';
import {
  add,
  createRng,
  div,
  exp,
  getBackend,
  greater,
  log,
  max,
  maximum,
  mean,
  mul,
  randn,
  sqrt,
  sub,
  sum,
  type Tensor,
  variance,
  where,
} from '../src/index.js';

type Case = [name: string, run: () => Tensor];

function cases(rows: number, cols: number): Case[] {
  const rng = createRng(3);
  const x = randn([rows, cols], rng);
  const y = randn([rows, cols], rng);
  const positive = exp(x);
  const row = randn([cols], rng);
  const column = randn([rows, 1], rng);
  const mask = greater(x, 0);
  return [
    ['add same shape', () => add(x, y)],
    ['mul same shape', () => mul(x, y)],
    ['add row [D]', () => add(x, row)],
    ['mul row [D]', () => mul(x, row)],
    ['sub column [N,1]', () => sub(x, column)],
    ['div column [N,1]', () => div(x, column)],
    ['mul scalar', () => mul(x, 0.5)],
    ['maximum(x, 0)', () => maximum(x, 0)],
    ['greater(x, 0)', () => greater(x, 0)],
    ['where(mask, x, 0)', () => where(mask, x, 0)],
    ['exp', () => exp(x)],
    ['log', () => log(positive)],
    ['sqrt', () => sqrt(positive)],
    ['sum axis 0', () => sum(x, { axis: 0 })],
    ['sum axis -1', () => sum(x, { axis: -1, keepDims: true })],
    ['mean axis 0', () => mean(x, { axis: 0 })],
    ['variance axis 0', () => variance(x, { axis: 0 })],
    ['max axis -1', () => max(x, { axis: -1, keepDims: true })],
    ['sum all', () => sum(x)],
  ];
}

const SHAPES: [number, number][] = [
  [200, 100],
  [200, 3072],
  [3072, 100],
];

const suite: BenchSuite = {
  name: 'ops',
  description:
    'elementwise, broadcast and reduction ops at the net sizes ([200,100], [200,3072], [3072,100])',
  async run({ log: print }) {
    const results: Record<string, string | number | boolean>[] = [];
    print(`backend ${getBackend().name}`);
    for (const [rows, cols] of SHAPES) {
      // Enough calls per timing that one timing lasts about a millisecond or more.
      const calls = Math.max(1, Math.round(200_000 / (rows * cols)));
      for (const [name, run] of cases(rows, cols)) {
        const ms = timeMedian(
          () => {
            for (let i = 0; i < calls; i++) run();
          },
          15,
          5,
        );
        const us = Number(((ms * 1000) / calls).toFixed(1));
        print(`[${rows},${cols}] ${name}: ${us} µs`);
        results.push({ shape: `[${rows},${cols}]`, op: name, us, backend: getBackend().name });
      }
    }
    return results;
  },
};

export default suite;
