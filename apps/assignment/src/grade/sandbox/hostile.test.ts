// Kits that misbehave, one way per file: each misbehaving exercise fails with one line saying why, the
// others grade as usual, nothing on disk changes, and close() leaves nothing behind.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type CheckReport, runChecks } from '@backprop-lab/assignment';
import { Tensor } from '@backprop-lab/tensor';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { generateKitText } from '../../generate.js';
import { openSubmission } from './index.js';
import { referenceKit } from './testing/kits.js';

const root = tempDirSync('sandbox-hostile');
// The submission's private temp dir goes here, so the test can see that close() removes it.
const graderTemp = tempDirSync('sandbox-grader-tmp');
process.env.TMPDIR = graderTemp;
const LIMITS = { timeLimitMs: 2000, heapMb: 128 };

/** Every file under `dir` with a hash of its content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[full] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

function exercise(report: CheckReport, id: string) {
  const found = report.exercises.find((e) => e.id === id);
  if (!found) throw new Error(`no exercise ${id}`);
  return found;
}

/** A temp dir as a grader process that was killed before close() leaves it. */
function orphanDir(): string {
  const { pid } = spawnSync(process.execPath, ['-e', '0']);
  const dir = join(graderTemp, `backprop-grade-${pid}-xyz`);
  mkdirSync(join(dir, 'student'), { recursive: true });
  return dir;
}

function gradeKit(name: string, options: Parameters<typeof referenceKit>[1]) {
  const src = referenceKit(join(root, name), options);
  const orphan = orphanDir();
  const kitBefore = snapshot(join(root, name));
  const submission = openSubmission(src, LIMITS);
  // Opening removed the dead grader's dir, and made its own, named for this process.
  expect(existsSync(orphan)).toBe(false);
  expect(readdirSync(graderTemp)).toEqual([
    expect.stringMatching(new RegExp(`^backprop-grade-${process.pid}-`)),
  ]);
  try {
    const report = runChecks(submission.impl);
    return { report, loadProblems: submission.loadProblems };
  } finally {
    submission.close();
    submission.close();
    expect(readdirSync(graderTemp)).toEqual([]);
    expect(snapshot(join(root, name))).toEqual(kitBefore);
  }
}

describe('openSubmission with hostile kits', () => {
  it('contains loops, exits, throws at import, memory hogs, wrong outputs and file writes, one exercise each', () => {
    const { report, loadProblems } = gradeKit('hostile', {
      bodies: {
        affineForward: 'while (true) {}',
        reluBackward: 'process.exit(3);',
        sgdMomentum: "return { w: 'not a tensor', config: {} } as never;",
        rmsprop: 'return { w: new (w.constructor as never)(new Float64Array(1), [1]), config } as never;',
        adam: "return (process as never as { binding(name: string): never }).binding('fs');",
        layernormForward: 'const huge = new Float64Array(5e8);\n  return { out: x, cache: huge } as never;',
        dropoutForward: 'const kept: number[][] = [];\n  for (;;) kept.push(new Array(1e6).fill(1));',
      },
      files: {
        'src/softmax.ts': "throw new Error('boom at import');\n",
        // Top-level await: the write would happen at import, before any check.
        'src/batchnorm.ts':
          "const fs = await import('node:fs');\nfs.writeFileSync(new URL('../check.ts', import.meta.url), 'hacked');\nexport function batchnormForward() {}\n",
        'src/batchnorm-backward.ts':
          "export { batchnormBackward } from '../node_modules/@backprop-lab/layers/src/batchnorm-backward.js';\n",
      },
    });
    expect(Object.fromEntries(loadProblems)).toEqual({
      'softmax.ts': 'src/softmax.ts threw at import: Error: boom at import',
      'batchnorm.ts': expect.stringMatching(
        /^src\/batchnorm.ts threw at import: Error: src\/batchnorm.ts:1:18: imports 'node:fs', which graded code may not use \(allowed: @backprop-lab\/tensor, .*\)$/,
      ),
      'batchnorm-backward.ts':
        "src/batchnorm-backward.ts:1:1: imports '../node_modules/@backprop-lab/layers/src/batchnorm-backward.js': graded code may import only .js paths of files in src/",
    });
    const errors = (id: string) => exercise(report, id).errors;
    expect(errors('affine')).toEqual(['affineForward did not return within 2 s (an infinite loop?)']);
    expect(errors('relu')).toEqual(['the student code exited with code 3 during reluBackward']);
    expect(errors('adam')).toEqual(['adam threw TypeError: process.binding is not a function']);
    expect(errors('layernorm')).toEqual([
      expect.stringMatching(
        /^the student code ran out of memory \(limit 128 MB heap.*\) during layernormForward$/,
      ),
    ]);
    expect(errors('dropout')).toEqual([
      expect.stringMatching(
        /^the student code ran out of memory \(limit 128 MB heap.*\) during dropoutForward$/,
      ),
    ]);
    const failing = (id: string) =>
      exercise(report, id)
        .checks.filter((line) => !line.pass)
        .map((l) => l.detail);
    expect(failing('sgd-momentum')[0]).toBe('w (step 1) should be a tensor of shape [5,4], got string');
    expect(failing('rmsprop')[0]).toBe('w (step 1) has shape [1] but should have [5,4]');
    expect(exercise(report, 'softmax').notStarted).toEqual(['softmaxLoss (not exported by src/softmax.ts)']);
    expect(exercise(report, 'batchnorm-forward').status).toBe('not started');
    // Every line is one line, and the exercises no hostile file touches still pass.
    for (const e of report.exercises) for (const line of e.errors) expect(line).not.toContain('\n');
    expect(exercise(report, 'fc-net').status).toBe('pass');
    expect(exercise(report, 'batchnorm-backward-alt').status).toBe('not started');
  }, 120_000);

  it('gives student code no timers, and shows its folder as <sandbox>: the same kit grades the same every time', () => {
    const { report } = gradeKit('timers', {
      bodies: {
        // Left behind, this loop would stop whichever call came next, at a moment timing decides.
        reluForward: 'setTimeout(() => {\n    for (;;) {}\n  }, 0);\n  return { out: x, cache: x } as never;',
        affineForward: "throw new Error('failed in ' + process.cwd() + '.');",
      },
    });
    const errors = (id: string) => exercise(report, id).errors;
    expect(errors('relu')).toEqual(['reluForward threw ReferenceError: setTimeout is not defined']);
    expect(errors('affine')).toEqual(['affineForward threw Error: failed in <sandbox>.']);
    expect(exercise(report, 'softmax').status).toBe('pass');
  }, 120_000);

  it('keeps the reference out of reach: no exercise function from the toolkit, no reference layer outside the net', () => {
    const { report, loadProblems } = gradeKit('peeking', {
      bodies: {
        reluForward: 'return defaultLayers.reluForward(x);',
        softmaxLoss: 'return resolveOptions({ hiddenDims: [] }).layers.softmaxLoss(scores, y);',
        dropoutForward:
          "return (process as never as { getBuiltinModule(name: string): never }).getBuiltinModule('fs');",
      },
      prepend: {
        'src/relu.ts': "import { defaultLayers } from '@backprop-lab/layers';\n",
        'src/softmax.ts': "import { resolveOptions } from '@backprop-lab/layers';\n",
      },
      files: {
        'src/affine.ts':
          "import { affineBackward, affineForward } from '@backprop-lab/layers';\nexport { affineBackward, affineForward };\n",
        'src/adam.ts':
          "import { adamInPlace } from '@backprop-lab/optim';\nexport const adam = adamInPlace;\n",
        'src/sgd-momentum.ts': 'process.exit(2);\n',
        'src/batchnorm-backward.ts': 'while (true) {}\n',
      },
    });
    expect(Object.fromEntries(loadProblems)).toEqual({
      'affine.ts': expect.stringMatching(
        /^src\/affine.ts threw at import: SyntaxError: The requested module '@backprop-lab\/layers' does not provide an export named 'affine(Backward|Forward)'$/,
      ),
      'adam.ts':
        "src/adam.ts threw at import: SyntaxError: The requested module '@backprop-lab/optim' does not provide an export named 'adamInPlace'",
      'sgd-momentum.ts': 'the student code exited with code 2 during the import of src/sgd-momentum.ts',
      'batchnorm-backward.ts':
        'the import of src/batchnorm-backward.ts did not return within 2 s (an infinite loop?)',
    });
    const gate = (name: string) =>
      `${name} threw Error: the reference ${name} only runs inside FullyConnectedNet in graded code (fc-net composes it); write your own`;
    expect(exercise(report, 'relu').errors).toEqual([gate('reluForward')]);
    expect(exercise(report, 'softmax').errors).toEqual([gate('softmaxLoss')]);
    expect(exercise(report, 'dropout').errors[0]).toBe(
      'dropoutForward threw TypeError: process.getBuiltinModule is not a function',
    );
    // Files after the one that exited still loaded, and the net, which may compose the reference, passes.
    for (const id of ['rmsprop', 'fc-net', 'batchnorm-forward', 'layernorm'])
      expect(exercise(report, id).status).toBe('pass');
  }, 120_000);

  it('runs the student under the permission model, without the way out Node offers, and restarts after a kill', () => {
    // The net as init writes it, its loss composing the layers it was given (the reference's, gated).
    const fcNet = generateKitText(['fc-net'])
      .files.get('src/fc-net.ts')!
      .replace(
        "throw new NotImplemented('FullyConnectedNet.loss');",
        'const { out } = this.options.layers.affineForward(X, this.params.W1, this.params.b1);\n    return { loss: out.data[0], grads: {}, scores: out };',
      );
    const src = referenceKit(join(root, 'probe'), {
      bodies: { affineForward: 'while (true) {}' },
      files: {
        'src/fc-net.ts': fcNet,
        'src/layernorm.ts': 'export function layernormForward( {\n',
        'src/relu.ts': "export { probe, stolen } from './probe.js';\n",
        'src/probe.ts': `import { reluForward as kitCopy } from './layers/relu.js';
const caught: unknown[] = [];
// Whatever a wrapper or a LayerSet hands these, kept: a raw reference function would run anywhere later.
const apply = Function.prototype.apply;
Function.prototype.apply = function (this: unknown, self: unknown, args: unknown) {
  caught.push(this);
  return Reflect.apply(apply, this, [self, args]);
} as never;
const entries = Object.entries;
const keys = Object.keys;
Object.entries = ((o: object) => (caught.push(...Object.values(o)), entries(o))) as never;
Object.keys = ((o: object) => (caught.push(...Object.values(o)), keys(o))) as never;
/** Names of the caught functions, other than the kit's own copy, that run outside the net. */
export function stolen(x: unknown): string[] {
  const named = caught.filter(
    (f): f is (x: unknown) => unknown => typeof f === 'function' && f.name === 'reluForward' && f !== kitCopy,
  );
  return named.flatMap((f) => {
    try {
      f(x);
      return [f.name];
    } catch {
      return [];
    }
  });
}
export function probe() {
  const permission = (process as never as { permission: { has(scope: string, path?: string): boolean } }).permission;
  let evalRefused = false;
  try {
    (0, eval)('1');
  } catch {
    evalRefused = true;
  }
  return {
    read: permission.has('fs.read', '/etc/hostname'),
    write: permission.has('fs.write'),
    child: permission.has('child'),
    worker: permission.has('worker'),
    evalRefused,
    env: Object.keys(process.env),
    left: ['binding', 'dlopen', 'getBuiltinModule', 'kill', 'send'].filter((key) => key in process),
    fetch: typeof fetch,
  };
}
`,
      },
    });
    const submission = openSubmission(src, LIMITS);
    try {
      expect(submission.loadProblems.get('layernorm.ts')).toBe("src/layernorm.ts:2:1: '}' expected.");
      const impl = submission.impl as Record<string, (...args: unknown[]) => unknown>;
      const facts = impl.probe() as { env: string[] };
      expect(facts).toMatchObject({
        read: false,
        write: false,
        child: false,
        worker: false,
        evalRefused: true,
      });
      expect(facts).toMatchObject({ left: [], fetch: 'undefined' });
      expect(facts.env).not.toContain('PATH');
      expect(facts.env).not.toContain('HOME');
      type Net = { numLayers: number; loss(X: Tensor, y: Int32Array): { loss: number } };
      const Net = impl.FullyConnectedNet as unknown as new (options: object) => Net;
      const net = new Net({ hiddenDims: [3], inputDim: 4, numClasses: 2 });
      expect(net.numLayers).toBe(2);
      const X = new Tensor(new Float64Array(8).fill(1), [2, 4]);
      expect(typeof net.loss(X, new Int32Array([0, 1])).loss).toBe('number');
      // Outside the net, even the grader's own call, the reference layer refuses to run.
      const { layers } = (
        net as unknown as { options: { layers: Record<string, (...a: unknown[]) => unknown> } }
      ).options;
      expect(() => layers.reluForward(X)).toThrow(
        /^the reference reluForward only runs inside FullyConnectedNet/,
      );
      // The student's patched builtins were handed only the gated wrappers.
      expect(impl.stolen(X)).toEqual([]);
      expect(() => impl.affineForward()).toThrow(
        'affineForward did not return within 2 s (an infinite loop?)',
      );
      // The next call runs in a new process; the net lived in the one that was killed.
      expect(impl.probe()).toMatchObject({ write: false });
      expect(() => net.numLayers).toThrow(
        "FullyConnectedNet.numLayers: it uses a value made by the student's process that stopped after a failure in an earlier call",
      );
    } finally {
      submission.close();
    }
    expect(() => openSubmission(join(root, 'nowhere'))).toThrow(/^openSubmission: .*nowhere is not a folder/);
  }, 120_000);

  it('blames no other exercise for a promise left rejected or a microtask that throws after a call returned', () => {
    const src = referenceKit(join(root, 'late'), {
      files: {
        'src/relu.ts': `import { maximum, type Tensor } from '@backprop-lab/tensor';
export function reluForward(x: Tensor) {
  queueMicrotask(() => {
    throw new Error('thrown by a microtask');
  });
  return { out: maximum(x, 0), cache: { x } };
}
export async function reluBackward(): Promise<Tensor> {
  throw new Error('rejected after returning');
}
`,
      },
    });
    const submission = openSubmission(src, LIMITS);
    try {
      const { reluForward, reluBackward, softmaxLoss } = submission.impl as Record<
        string,
        (...args: unknown[]) => unknown
      >;
      const scores = new Tensor(new Float64Array([1, 2, 3, 4]), [2, 2]);
      // The next call comes at once, as in runChecks, while a process that crashed would still be dying.
      reluForward(scores);
      expect(() => softmaxLoss(scores, new Int32Array([0, 1]))).not.toThrow();
      reluBackward();
      expect(() => softmaxLoss(scores, new Int32Array([0, 1]))).not.toThrow();
    } finally {
      submission.close();
    }
  }, 120_000);

  it('refuses requests that student code rewrote on their way in', () => {
    const src = referenceKit(join(root, 'tamper'), {
      files: {
        'src/dropout.ts': `const emit = process.emit;
process.emit = function (this: unknown, event: string, message: { bytes?: Uint8Array }, ...rest: unknown[]) {
  if (event === 'message' && message?.bytes) message.bytes[message.bytes.length - 1] ^= 1;
  return Reflect.apply(emit, this, [event, message, ...rest]);
} as never;
`,
      },
    });
    const submission = openSubmission(src, LIMITS);
    try {
      const { affineForward } = submission.impl as Record<string, () => unknown>;
      expect(() => affineForward()).toThrow(
        "affineForward: the student code tampered with the grader's messages",
      );
    } finally {
      submission.close();
    }
  }, 120_000);
});
