// Proves each package works outside the monorepo: `pnpm pack` (which rewrites exports to dist and
// workspace:* to versions), `npm install` of the tarballs into an empty directory, then plain Node ESM
// imports each one and uses it. Each package's `prepack` script builds it, so packing never ships an
// empty dist.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const packagesDir = join(root, 'packages');
const publishable = readdirSync(packagesDir).filter((name) => {
  const manifest = JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8'));
  return !manifest.private;
});

/** One line per package that imports it and exercises one real call. */
const smoke: Record<string, string> = {
  tensor: `const t = await import('@backprop-lab/tensor');
    const y = t.matmul(t.tensor([[1, 2]]), t.tensor([[3], [4]]));
    if (y.data[0] !== 11) throw new Error('tensor: matmul gave ' + y.data[0]);
    const backend = t.getBackend().name;
    if (!backend.startsWith('native-')) {
      throw new Error('tensor: backend ' + backend + ', not native: ' + t.nativeUnavailableReason());
    }`,
  'tensor-native': `const n = await import('@backprop-lab/tensor-native');
    const s = n.loadNative();
    if (s.available !== true) throw new Error('tensor-native: not available: ' + s.reason);
    const out = new Float64Array(4);
    s.kernels.gemm(new Float64Array([1, 2, 3, 4]), new Float64Array([5, 6, 7, 8]), out, 2, 2, 2, false, false);
    if (out.join() !== '19,22,43,50') throw new Error('tensor-native: gemm gave ' + out.join());`,
  layers: `const l = await import('@backprop-lab/layers'); const t = await import('@backprop-lab/tensor');
    const net = new l.FullyConnectedNet({ hiddenDims: [4], inputDim: 3, numClasses: 2, seed: 1 });
    const { loss } = net.loss(t.tensor([[1, 2, 3]]), new Int32Array([1]));
    if (!(loss > 0)) throw new Error('layers: loss ' + loss);`,
  gradcheck: `const g = await import('@backprop-lab/gradcheck'); const t = await import('@backprop-lab/tensor');
    const grad = g.numericalGradient((x) => x.data[0] * x.data[0], t.tensor([3]));
    if (Math.abs(grad.data[0] - 6) > 1e-6) throw new Error('gradcheck: ' + grad.data[0]);`,
  optim: `const o = await import('@backprop-lab/optim'); const t = await import('@backprop-lab/tensor');
    const { w } = o.sgd(t.tensor([1]), t.tensor([1]), { learningRate: 0.5 });
    if (w.data[0] !== 0.5) throw new Error('optim: ' + w.data[0]);`,
  assignment: `const a = await import('@backprop-lab/assignment');
    const report = a.runChecks({}, { only: ['affine'] });
    if (report.exercises[0].status !== 'not started') throw new Error('assignment: ' + a.formatReport(report));
    if (a.EXERCISES.length !== 12) throw new Error('assignment: ' + a.EXERCISES.length + ' exercises');`,
  'fs-atomic': `const f = await import('@backprop-lab/fs-atomic'); const fs = await import('node:fs');
    f.writeFileAtomicSync('atomic.txt', ['a', new Uint8Array([98])]);
    if (fs.readFileSync('atomic.txt', 'utf8') !== 'ab') throw new Error('fs-atomic: wrote ' + fs.readFileSync('atomic.txt'));
    if (f.createFileAtomicSync('atomic.txt', 'c')) throw new Error('fs-atomic: created over an existing file');`,
  data: `const d = await import('@backprop-lab/data'); const fs = await import('node:fs');
    fs.writeFileSync('tiny.csv', 'p0,label,p1\\n1,0,2\\n3,1,4\\n');
    const { X, y, numClasses } = await d.readCsvDataset('tiny.csv', { workers: 0 });
    if (X.shape.join() !== '2,2' || y[1] !== 1 || numClasses !== 2) throw new Error('data: read ' + X.shape);
    // The default dataset must go to a user cache folder, never into the installed package.
    if (d.DEFAULT_DATASET_DIR.split('/').includes('node_modules')) throw new Error('data: ' + d.DEFAULT_DATASET_DIR);`,
};

const work = tempDirSync('pack');

describe('packed packages', () => {
  it('install from tarballs into an empty directory and import with plain Node ESM', () => {
    const tarballs = publishable.map((name) => {
      const out = execFileSync('pnpm', ['pack', '--pack-destination', work], {
        cwd: join(packagesDir, name),
        encoding: 'utf8',
      });
      const file = out.trim().split('\n').pop()!.trim();
      return file.startsWith('/') ? file : join(work, file);
    });
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], {
      cwd: app,
    });
    for (const name of publishable) {
      const code = smoke[name] ?? `await import('@backprop-lab/${name}');`;
      writeFileSync(join(app, `${name}.mjs`), `${code}\nconsole.log('ok ${name}');\n`);
      const out = execFileSync('node', [`${name}.mjs`], { cwd: app, encoding: 'utf8' });
      expect(out.trim()).toBe(`ok ${name}`);
    }
    // What shipped is the built JavaScript, not the TypeScript source.
    const manifest = JSON.parse(
      readFileSync(join(app, 'node_modules/@backprop-lab/tensor/package.json'), 'utf8'),
    );
    expect(JSON.stringify(manifest.exports)).toContain('dist/index.js');
    expect(publishable.length).toBeGreaterThanOrEqual(1);
  }, 240_000);
});
