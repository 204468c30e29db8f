import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { randn } from '../../create.js';
import type { DType } from '../../dtype.js';
import { createRng } from '../../rng.js';
import { matmulBlocked } from '../matmul-blocked.js';
import { product, sameBits } from '../testing/products.js';
import { getEngine } from './engine.js';
import { shutdownWasmThreads, splitBlocks, wasmBackend, wasmThreadsRunning } from './wasm-backend.js';

const single = wasmBackend({ threads: 1 });
const threaded = wasmBackend({ threads: 2, parallelMinFlops: 0 });
// Three threads on any machine: a third split position, and a pool that grows after first use.
const threeThreads = wasmBackend({ threads: 3, parallelMinFlops: 0 });
// A zero budget forces the smallest row chunks (16 rows): large products in many pieces.
const chunked = wasmBackend({ threads: 1, memoryBudget: 0 });
const chunkedThreaded = wasmBackend({ threads: 2, parallelMinFlops: 0, memoryBudget: 0 });

afterAll(() => shutdownWasmThreads());

const TRAINING: [[number, number, number], boolean, boolean][] = [
  [[200, 100, 3072], false, false],
  [[3072, 100, 200], true, false],
  [[200, 3072, 100], false, true],
];

describe('wasm backend: threads change nothing', () => {
  it('gives bit-identical results on 1, 2 and 3 threads for random shapes and both dtypes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 530 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom<DType>('float64', 'float32'),
        fc.integer(),
        (m, n, k, transA, transB, dtype, seed) => {
          const one = product(single.matmul, [m, n, k], transA, transB, dtype, seed);
          expect(sameBits(product(threaded.matmul, [m, n, k], transA, transB, dtype, seed), one)).toBe(true);
          expect(sameBits(product(threeThreads.matmul, [m, n, k], transA, transB, dtype, seed), one)).toBe(
            true,
          );
        },
      ),
      { numRuns: 80 },
    );
  });

  it('gives bit-identical results on 1 and 2 threads for the training shapes', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const [dims, transA, transB] of TRAINING) {
        const one = product(single.matmul, dims, transA, transB, dtype, 11);
        expect(sameBits(product(threaded.matmul, dims, transA, transB, dtype, 11), one)).toBe(true);
      }
    }
  });

  it('equals matmulBlocked bit for bit in float64 (same k-blocks, same summation order)', () => {
    for (const [dims, transA, transB] of [...TRAINING, [[37, 29, 517], true, true] as const]) {
      const want = product(matmulBlocked, [...dims], transA, transB, 'float64', 5);
      expect(sameBits(product(threaded.matmul, [...dims], transA, transB, 'float64', 5), want)).toBe(true);
    }
  });

  it('gives bit-identical results when a product is computed in row chunks, also transposed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom<DType>('float64', 'float32'),
        fc.integer(),
        (m, n, k, transA, transB, dtype, seed) => {
          const whole = product(single.matmul, [m, n, k], transA, transB, dtype, seed);
          expect(sameBits(product(chunked.matmul, [m, n, k], transA, transB, dtype, seed), whole)).toBe(true);
          expect(
            sameBits(product(chunkedThreaded.matmul, [m, n, k], transA, transB, dtype, seed), whole),
          ).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
    const [dims, transA, transB] = TRAINING[1];
    const whole = product(single.matmul, dims, transA, transB, 'float64', 9);
    expect(sameBits(product(chunkedThreaded.matmul, dims, transA, transB, 'float64', 9), whole)).toBe(true);
  });

  it('repeats itself: the same call gives the same bits, also after other shapes reused the memory', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const first = product(threaded.matmul, [200, 100, 3072], false, false, dtype, 3);
      product(threaded.matmul, [61, 47, 300], true, true, dtype, 4);
      product(single.matmul, [3, 900, 2], false, true, dtype, 5);
      expect(sameBits(product(threaded.matmul, [200, 100, 3072], false, false, dtype, 3), first)).toBe(true);
    }
  });
});

describe('wasm backend: memory and threads', () => {
  it('reuses its memory: a repeated call does not grow it', () => {
    product(single.matmul, [200, 100, 3072], false, false, 'float64', 1);
    const bytes = getEngine()!.memory.buffer.byteLength;
    product(threaded.matmul, [200, 100, 3072], false, false, 'float64', 1);
    product(single.matmul, [100, 100, 100], false, false, 'float32', 1);
    expect(getEngine()!.memory.buffer.byteLength).toBe(bytes);
  });

  it('starts workers lazily, stops them on shutdown and starts them again when needed', async () => {
    product(threeThreads.matmul, [20, 20, 20], false, false, 'float64', 1);
    expect(wasmThreadsRunning()).toBe(2);
    await shutdownWasmThreads();
    expect(wasmThreadsRunning()).toBe(0);
    const again = product(threaded.matmul, [20, 20, 20], false, false, 'float64', 1);
    expect(wasmThreadsRunning()).toBeGreaterThan(0);
    expect(sameBits(again, product(single.matmul, [20, 20, 20], false, false, 'float64', 1))).toBe(true);
  });

  it('keeps small matmuls on the calling thread by default', async () => {
    await shutdownWasmThreads();
    product(wasmBackend({ threads: 2 }).matmul, [16, 16, 16], false, false, 'float64', 1);
    expect(wasmThreadsRunning()).toBe(0);
  });

  it('lets a process with running workers exit on its own (workers are unref’d)', () => {
    // --input-type=module also makes the workers' eval code a module if they inherit it: the worker
    // source must not depend on that (it once used require and never started).
    const backendPath = fileURLToPath(new URL('./wasm-backend.ts', import.meta.url));
    const code = [
      `import { wasmBackend, wasmThreadsRunning } from ${JSON.stringify(backendPath)};`,
      'const { matmul } = wasmBackend({ threads: 2, parallelMinFlops: 0 });',
      'const out = new Float64Array(64 * 64);',
      'matmul(new Float64Array(64 * 64).fill(1), new Float64Array(64 * 64).fill(2), out, 64, 64, 64, false, false);',
      "console.log('workers=' + wasmThreadsRunning() + ' out=' + out[0]);",
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', code], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      encoding: 'utf8',
      timeout: 100_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('workers=1 out=128');
    expect(child.signal).toBe(null);
    expect(child.status).toBe(0);
  });
});

describe('wasm backend: blocks and options', () => {
  it('splits C into disjoint blocks on tile boundaries that cover it exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(8, 16),
        (m, n, parts, nr) => {
          const blocks = splitBlocks(m, n, parts, nr);
          expect(blocks.length).toBeGreaterThan(0);
          expect(blocks.length).toBeLessThanOrEqual(parts);
          const covered = new Uint8Array(m * n);
          for (const [i0, i1, j0, j1] of blocks) {
            expect(i0 % 2 === 0 && j0 % nr === 0 && i0 < i1 && j0 < j1).toBe(true);
            for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) covered[i * n + j]++;
          }
          expect(covered.every((count) => count === 1)).toBe(true);
        },
      ),
    );
  });

  it('rejects unknown options and bad thread counts, naming them', () => {
    expect(() => wasmBackend({ thread: 2 } as never)).toThrow("wasmBackend: unknown option 'thread'");
    expect(() => wasmBackend({ threads: 0 })).toThrow(
      'wasmBackend: threads must be an integer from 1 to 8, got 0',
    );
    expect(() => wasmBackend({ threads: 1.5 })).toThrow('got 1.5');
    expect(() => wasmBackend({ parallelMinFlops: -1 })).toThrow('wasmBackend: parallelMinFlops must be >= 0');
    expect(() => wasmBackend({ memoryBudget: Number.NaN })).toThrow('wasmBackend: memoryBudget must be >= 0');
  });

  it('names itself after its thread count', () => {
    expect(single.name).toBe('wasm');
    expect(threaded.name).toBe('wasm-2t');
  });
});

describe('wasm backend: matmulPair', () => {
  const pairBackend = wasmBackend({ threads: 2 });

  it('gives each product the bits of matmul, on random shapes, transposes and both dtypes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.constantFrom<DType>('float64', 'float32'),
        fc.integer({ min: 0, max: 1000 }),
        ([m1, n1, k1, m2, n2, k2], [ta1, tb1, ta2, tb2], dtype, seed) => {
          const problems: [[number, number, number], boolean, boolean][] = [
            [[m1, n1, k1], ta1, tb1],
            [[m2, n2, k2], ta2, tb2],
          ];
          const expected = problems.map(([dims, ta, tb], i) =>
            product(single.matmul, dims, ta, tb, dtype, seed + i),
          );
          const made = problems.map(([[m, n, k], ta, tb], i) => {
            const rng = createRng(seed + i);
            const a = randn(ta ? [k, m] : [m, k], rng, dtype).data;
            const b = randn(tb ? [n, k] : [k, n], rng, dtype).data;
            const out = dtype === 'float32' ? new Float32Array(m * n) : new Float64Array(m * n);
            return { a, b, out, m, n, k, transA: ta, transB: tb };
          });
          pairBackend.matmulPair?.(made[0], made[1]);
          return sameBits(made[0].out, expected[0]) && sameBits(made[1].out, expected[1]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('runs the training shapes side by side on a worker, with matmul’s bits', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const rng = createRng(3);
      const x = randn([200, 100], rng, dtype).data;
      const dout = randn([200, 100], rng, dtype).data;
      const W = randn([100, 100], rng, dtype).data;
      const make = (n: number) => (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n));
      const [dW, dx, dWRef, dxRef] = [make(10000), make(20000), make(10000), make(20000)];
      pairBackend.matmulPair?.(
        { a: x, b: dout, out: dW, m: 100, n: 100, k: 200, transA: true, transB: false },
        { a: dout, b: W, out: dx, m: 200, n: 100, k: 100, transA: false, transB: true },
      );
      expect(wasmThreadsRunning()).toBeGreaterThanOrEqual(1);
      matmulBlocked(x, dout, dWRef, 100, 100, 200, true, false);
      matmulBlocked(dout, W, dxRef, 200, 100, 100, false, true);
      if (dtype === 'float64') {
        expect(sameBits(dW, dWRef)).toBe(true);
        expect(sameBits(dx, dxRef)).toBe(true);
      }
      const dWSingle = make(10000);
      single.matmul(x, dout, dWSingle, 100, 100, 200, true, false);
      expect(sameBits(dW, dWSingle)).toBe(true);
    }
  });
});

describe('wasm backend: withResident', () => {
  const backends = { single, threaded, chunkedThreaded };

  function operands(dtype: DType, seed: number) {
    const rng = createRng(seed);
    const x = randn([200, 300], rng, dtype).data;
    const W = randn([300, 40], rng, dtype).data;
    const dout = randn([200, 40], rng, dtype).data;
    const make = (n: number) => (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n));
    return { x, W, dout, make };
  }

  for (const [label, backend] of Object.entries(backends)) {
    it(`${label}: products reading the resident operand, as A or A transposed, keep matmul's bits`, () => {
      for (const dtype of ['float64', 'float32'] as const) {
        const { x, W, dout, make } = operands(dtype, 5);
        const [y, dW, yRef, dWRef, other] = [
          make(8000),
          make(12000),
          make(8000),
          make(12000),
          make(200 * 200),
        ];
        backend.matmul(x, W, yRef, 200, 40, 300, false, false);
        backend.matmul(x, dout, dWRef, 300, 40, 200, true, false);
        backend.withResident?.(x, () => {
          backend.matmul(x, W, y, 200, 40, 300, false, false);
          // Taken whole, x was copied in once; in 16-row chunks (memoryBudget 0) it is copied as usual.
          expect(getEngine()?.resident?.copied).toBe(label !== 'chunkedThreaded');
          // A product of other operands in between lays them out past the resident copy.
          backend.matmul(dout, dout, other, 200, 200, 40, false, true);
          backend.matmulPair?.(
            { a: dout, b: dout, out: make(40 * 40), m: 40, n: 40, k: 200, transA: true, transB: false },
            { a: dout, b: dout, out: make(200 * 200), m: 200, n: 200, k: 40, transA: false, transB: true },
          );
          backend.matmul(x, dout, dW, 300, 40, 200, true, false);
        });
        expect(sameBits(y, yRef), `${dtype} x·W`).toBe(true);
        expect(sameBits(dW, dWRef), `${dtype} xᵀ·dout`).toBe(true);
      }
    });
  }

  it('never serves a stale copy: a change to the array between scopes is seen', () => {
    const { x, W, make } = operands('float64', 6);
    const [first, second, expected] = [make(8000), make(8000), make(8000)];
    threaded.withResident?.(x, () => threaded.matmul(x, W, first, 200, 40, 300, false, false));
    x[0] += 1;
    x[x.length - 1] = -7;
    threaded.withResident?.(x, () => threaded.matmul(x, W, second, 200, 40, 300, false, false));
    threaded.matmul(x, W, expected, 200, 40, 300, false, false);
    expect(sameBits(second, expected)).toBe(true);
    expect(sameBits(first, second)).toBe(false);
  });

  it('returns fn’s value, ends the scope when fn throws, and treats a nested scope as none', () => {
    const { x, W, dout, make } = operands('float64', 7);
    expect(single.withResident?.(x, () => 42)).toBe(42);
    expect(() =>
      single.withResident?.(x, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    const engine = getEngine();
    expect(engine?.resident).toBeNull();
    const [y, yRef] = [make(8000), make(8000)];
    single.matmul(x, W, yRef, 200, 40, 300, false, false);
    single.withResident?.(dout, () =>
      single.withResident?.(x, () => single.matmul(x, W, y, 200, 40, 300, false, false)),
    );
    expect(sameBits(y, yRef)).toBe(true);
    expect(engine?.resident).toBeNull();
  });
});
