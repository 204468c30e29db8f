import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADDON_PATH, loadNative, type NativeKernels } from './index.js';
import { filled, float32Of, productBits } from './testing/products.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function kernels(): NativeKernels {
  const status = loadNative();
  if (!status.available) throw new Error(`native kernels unavailable: ${status.reason}`);
  return status.kernels;
}

/** The micro-kernel this CPU should run (x86-64 Linux says in /proc/cpuinfo; elsewhere unknown). */
function expectedKernel(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  const flags =
    readFileSync('/proc/cpuinfo', 'utf8')
      .match(/^flags\s*:(.*)$/m)?.[1]
      .split(' ') ?? [];
  if (flags.includes('avx512f')) return 'avx512';
  return flags.includes('avx2') ? 'avx2' : 'generic';
}

describe('the addon', () => {
  it('was built by pnpm install and loads, with the AVX-512 kernel on an x86-64 CPU that has it, else AVX2', () => {
    expect(loadNative()).toMatchObject({ available: true, path: ADDON_PATH });
    expect(['avx512', 'avx2', 'generic']).toContain(kernels().kernel);
    const expected = expectedKernel();
    if (expected) expect(kernels().kernel).toBe(expected);
  });

  it('is newer than every native source file (else: pnpm --filter @backprop-lab/tensor-native build:native)', () => {
    const built = statSync(ADDON_PATH).mtimeMs;
    for (const file of readdirSync(join(root, 'native'))) {
      expect(statSync(join(root, 'native', file)).mtimeMs, file).toBeLessThanOrEqual(built);
    }
  });

  it('computes a product against a textbook loop, with transposes, in both element types', () => {
    for (const Type of [Float64Array, Float32Array]) {
      for (const [transA, transB] of [
        [false, false],
        [true, true],
      ]) {
        const [m, n, k] = [9, 19, 300];
        const a = filled(new Type(m * k), 1);
        const b = filled(new Type(k * n), 2);
        const out = new Type(m * n).fill(Number.NaN);
        kernels().gemm(a, b, out, m, n, k, transA, transB);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let sum = 0;
            for (let p = 0; p < k; p++)
              sum += a[transA ? p * m + i : i * k + p] * b[transB ? j * k + p : p * n + j];
            expect(Math.abs(out[i * n + j] - sum)).toBeLessThan(Type === Float32Array ? 1e-4 : 1e-12);
          }
        }
      }
    }
  });

  it("takes a moment step (Adam's update) with exactly the bits of the JavaScript loop, in both element types", () => {
    const [lr, beta1, beta2, epsilon] = [1e-3, 0.9, 0.999, 1e-8];
    for (const Type of [Float64Array, Float32Array]) {
      // 70,001 elements: split over threads, with an odd tail.
      const n = 70_001;
      const w = filled(new Type(n), 3);
      const dw = filled(new Type(n), 4);
      const m = filled(new Type(n), 5).map((x) => x * 0.1);
      const v = filled(new Type(n), 6).map((x) => x * x);
      const [w2, m2, v2] = [w.slice(), m.slice(), v.slice()];
      const c1 = 1 / (1 - beta1 ** 3);
      const c2 = 1 / (1 - beta2 ** 3);
      kernels().setThreads(2);
      kernels().momentStep(w, dw, m, v, lr, beta1, beta2, epsilon, c1, c2);
      // float32: each constant and operation rounded to float32 (fround of a float64 result of float32
      // inputs is the float32 result), as numpy's float32 Adam computes.
      const r = Type === Float32Array ? Math.fround : (x: number) => x;
      const [d1, d2, od1, od2] = [r(beta1), r(beta2), r(1 - beta1), r(1 - beta2)];
      const [rate, eps, k1, k2] = [r(lr), r(epsilon), r(c1), r(c2)];
      for (let i = 0; i < n; i++) {
        m2[i] = r(r(d1 * m2[i]) + r(od1 * dw[i]));
        v2[i] = r(r(d2 * v2[i]) + r(od2 * r(dw[i] * dw[i])));
        w2[i] = r(w2[i] - r(r(rate * r(m2[i] * k1)) / r(r(Math.sqrt(r(v2[i] * k2))) + eps)));
      }
      for (const [got, want] of [
        [w, w2],
        [m, m2],
        [v, v2],
      ]) {
        let differing = 0;
        for (let i = 0; i < n; i++) if (!Object.is(got[i], want[i])) differing++;
        expect(differing, Type.name).toBe(0);
      }
    }
  });

  it('sums a·b over eight running sums (vdot) with the bits of that order, in both element types', () => {
    for (const Type of [Float64Array, Float32Array]) {
      for (const n of [0, 1, 7, 8, 13, 100_003]) {
        const a = filled(new Type(n), 7);
        const b = filled(new Type(n), 8);
        const s = [0, 0, 0, 0, 0, 0, 0, 0];
        for (let k = 0; k < n; k++) s[k % 8] += a[k] * b[k];
        const want = s[0] + s[1] + (s[2] + s[3]) + (s[4] + s[5] + (s[6] + s[7]));
        expect(Object.is(kernels().vdot(a, b), want), `${Type.name} n=${n}`).toBe(true);
      }
    }
    const a = new Float64Array(4);
    expect(() => kernels().vdot(a, new Float64Array(3))).toThrow(/vdot: a and b differ in length/);
    expect(() => kernels().vdot(a, new Float32Array(4))).toThrow(/vdot: arrays must have one element type/);
  });

  it('adds a scaled array in place (addScaled) with the bits of JavaScript’s loop, x may be target', () => {
    for (const Type of [Float64Array, Float32Array]) {
      const n = 10_007;
      const t = filled(new Type(n), 9);
      const x = filled(new Type(n), 10);
      const want = t.slice();
      for (let i = 0; i < n; i++) want[i] += 1e-3 * x[i];
      kernels().addScaled(t, x, 1e-3);
      let differing = 0;
      for (let i = 0; i < n; i++) if (!Object.is(t[i], want[i])) differing++;
      expect(differing, Type.name).toBe(0);
      const self = want.slice();
      for (let i = 0; i < n; i++) self[i] += 0.5 * self[i];
      kernels().addScaled(want, want, 0.5);
      expect(want).toEqual(self);
    }
    const t = new Float64Array(8);
    expect(() => kernels().addScaled(t.subarray(0, 4), t.subarray(2, 6), 1)).toThrow(/x overlaps target/);
    expect(() => kernels().addScaled(t, new Float64Array(3), 1)).toThrow(/differ in length/);
  });

  it('returns at once for an empty product whatever the other sizes claim', () => {
    const empty = new Float64Array(0);
    kernels().gemm(empty, empty, empty, 2 ** 52, 0, 0, false, false);
    kernels().gemm(empty, empty, empty, 0, 2 ** 52, 0, false, false);
    expect(empty.length).toBe(0);
  });

  it('keeps its thread setting and reports the previous one', () => {
    const previous = kernels().setThreads(3);
    expect(kernels().threads()).toBe(3);
    expect(kernels().setThreads(previous)).toBe(3);
    expect(() => kernels().setThreads(0)).toThrow(/setThreads: expected an integer in 1…16/);
    expect(() => kernels().setThreads(2 ** 32 + 2)).toThrow(/setThreads/);
  });

  it('rejects wrong arguments with a TypeError instead of touching memory', () => {
    const a = new Float64Array(4);
    expect(() => kernels().gemm(a, a, a, 3, 3, 3, false, false)).toThrow(/shorter than its shape/);
    expect(() => kernels().gemm(a, [1, 2] as never, a, 1, 1, 1, false, false)).toThrow(
      /Float64Array or Float32Array/,
    );
    expect(() => kernels().momentStep(a, a, a, new Float64Array(3), 1, 1, 1, 1, 1, 1)).toThrow(
      /differ in type or length/,
    );
  });

  it('rejects elementwise and reduce arguments that would read or write past an array', () => {
    const k = kernels();
    const out = new Float32Array(6);
    const x = new Float32Array(6);
    // [2, 3]: a row needs 3 elements, a column 2, full 6.
    expect(() => k.binary(0, out, 2, 3, x, 0, new Float32Array(2), 2)).toThrow(
      'binary: an operand is shorter than its pattern needs',
    );
    expect(() => k.binary(0, out, 2, 3, x, 0, new Float32Array(1), 3)).toThrow(/shorter than its pattern/);
    expect(() => k.binary(0, new Float32Array(5), 2, 3, x, 0, x, 0)).toThrow(
      'binary: out is shorter than rows · cols',
    );
    expect(() => k.binary(0, out, 2, 3, x, 0, new Float64Array(6), 0)).toThrow(/one element type/);
    expect(() => k.binary(99, out, 2, 3, x, 0, x, 0)).toThrow('binary: unknown op');
    expect(() => k.binary(0, out, 2, 3, x, 4, x, 0)).toThrow(/a pattern must be 0 \(full\)/);
    expect(() => k.unary(0, out, new Float32Array(5))).toThrow(
      'unary: an operand is shorter than its pattern needs',
    );
    expect(() => k.where(out, 2, 3, x, 0, x, 0, new Float32Array(2), 2)).toThrow(
      /where: an operand is shorter/,
    );
    expect(() => k.reduce(0, new Float32Array(2), x, 2, 4, 1)).toThrow(
      'reduce: an array is shorter than its shape',
    );
    // Patterns that fit: a row of 3 and a column of 2 against [2, 3].
    k.binary(0, out, 2, 3, new Float32Array([1, 2, 3]), 2, new Float32Array([10, 20]), 3);
    expect(Array.from(out)).toEqual([11, 12, 13, 21, 22, 23]);
  });
});

describe('loading', () => {
  const load = (env: Record<string, string>) =>
    spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('${join(root, 'src', 'index.ts')}').then((m) => console.log(JSON.stringify(m.loadNative())))`,
      ],
      { env: { ...process.env, ...env }, encoding: 'utf8', cwd: root },
    );

  /** The micro-kernels, least to best. */
  const LEVELS = ['generic', 'avx2', 'avx512'];

  it('refuses a BACKPROP_LAB_GEMM_KERNEL it does not know or this CPU cannot run, naming it on one line', () => {
    for (const [value, reason] of [
      ['avx2 ', /^BACKPROP_LAB_GEMM_KERNEL=avx2 : expected one of generic, avx2, avx512$/],
      ...LEVELS.slice(LEVELS.indexOf(kernels().kernel) + 1).map((name) => [
        name,
        new RegExp(`^BACKPROP_LAB_GEMM_KERNEL=${name}: this CPU runs at most ${kernels().kernel}$`),
      ]),
    ] as [string, RegExp][]) {
      expect(JSON.parse(load({ BACKPROP_LAB_GEMM_KERNEL: value }).stdout)).toMatchObject({
        available: false,
        reason: expect.stringMatching(reason),
      });
    }
  });

  /** The kernels whose float32 steps are fused multiply-adds (gemm.c): bit for bit equal to each other. */
  const FUSED_FLOAT32 = ['avx2', 'avx512'];

  it('runs a lesser micro-kernel when BACKPROP_LAB_GEMM_KERNEL names one, with the same float64 bits on every shape, transpose and thread count', () => {
    const ours = productBits(kernels());
    for (const kernel of LEVELS.slice(0, LEVELS.indexOf(kernels().kernel))) {
      const child = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `Promise.all([import('${join(root, 'src', 'index.ts')}'), import('${join(root, 'src', 'testing', 'products.ts')}')])
            .then(([m, t]) => { const k = m.loadNative().kernels; console.log(JSON.stringify({ kernel: k.kernel, bits: t.productBits(k) })); })`,
        ],
        {
          env: { ...process.env, BACKPROP_LAB_GEMM_KERNEL: kernel },
          encoding: 'utf8',
          cwd: root,
          maxBuffer: 1 << 30,
        },
      );
      const theirs = JSON.parse(child.stdout);
      const label = `${kernel} against ${kernels().kernel}`;
      expect(theirs.kernel).toBe(kernel);
      expect(theirs.bits.float64.length).toBe(ours.float64.length);
      expect(ours.float64.filter((bits, i) => bits !== theirs.bits.float64[i]).length, label).toBe(0);
      if (FUSED_FLOAT32.includes(kernel) && FUSED_FLOAT32.includes(kernels().kernel)) {
        expect(ours.float32.filter((bits, i) => bits !== theirs.bits.float32[i]).length, label).toBe(0);
      } else {
        // A fused and an unfused sum of k ≤ 600 products of values in [−0.5, 0.5) differ by rounding only,
        // far below 1e-5 of the outputs (normwise); a kernel that summed wrongly would miss by O(1).
        ours.float32.forEach((bits, i) => {
          const [mine, other] = [float32Of(bits), float32Of(theirs.bits.float32[i])];
          let worst = 0;
          let scale = 0;
          for (let j = 0; j < mine.length; j++) {
            worst = Math.max(worst, Math.abs(mine[j] - other[j]));
            scale = Math.max(scale, Math.abs(other[j]));
          }
          expect(worst, `${label}, float32 product ${i}`).toBeLessThanOrEqual(1e-5 * scale);
        });
      }
    }
  });

  it('is off with BACKPROP_LAB_NATIVE=0 and says so', () => {
    const result = load({ BACKPROP_LAB_NATIVE: '0' });
    expect(JSON.parse(result.stdout)).toMatchObject({
      available: false,
      reason: 'disabled by BACKPROP_LAB_NATIVE=0',
    });
  });

  it('names BACKPROP_LAB_NATIVE_ADDON and its value, on one line, when it points at garbage or at another addon', () => {
    const dir = mkdtempSync(join(tmpdir(), 'native-addon-'));
    try {
      const garbage = join(dir, 'garbage.node');
      writeFileSync(garbage, 'not a shared object');
      const other = join(dir, 'other.cjs');
      writeFileSync(other, 'module.exports = { hello() {} };');
      const missing = join(dir, 'missing.node');
      const cases: [string, RegExp][] = [
        [garbage, /^BACKPROP_LAB_NATIVE_ADDON=.*garbage\.node: not loadable as a Node addon: /],
        [
          other,
          /^BACKPROP_LAB_NATIVE_ADDON=.*other\.cjs: not backprop-lab's native addon .*lacks gemm, gemmPair/,
        ],
        [missing, /^BACKPROP_LAB_NATIVE_ADDON=.*missing\.node: no such file$/],
      ];
      for (const [path, reason] of cases) {
        const status = JSON.parse(load({ BACKPROP_LAB_NATIVE_ADDON: path }).stdout);
        expect(status.available).toBe(false);
        expect(status.reason).toMatch(reason);
        expect(status.reason).not.toContain('\n');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
