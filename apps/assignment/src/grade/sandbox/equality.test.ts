// The sandbox changes where the student's code runs, not what the checks say: a kit graded through
// openSubmission gives the report that in-process runChecks gives for the same functions, for the
// reference and for planted mistakes (statuses, every line, mistakes, notes).
import { join } from 'node:path';
import { EXERCISES, NotImplemented, runChecks, type StudentImpl } from '@backprop-lab/assignment';
import { tempDirSync } from '@backprop-lab/test-support';
import { afterAll, describe, expect, it } from 'vitest';
// The assignment package's own test fixtures: the reference as a student impl, and its planted mistakes.
import {
  plantedAdam,
  plantedBatchnormForward,
  plantedNet,
  softmaxLossNoShift,
} from '../../../../../packages/assignment/src/test-support/planted.js';
import {
  REFERENCE_IMPL,
  withImpl,
} from '../../../../../packages/assignment/src/test-support/reference-impl.js';
import { initKit } from '../../init.js';
import { openSubmission, type Submission } from './index.js';
import { referenceKit } from './testing/kits.js';

const root = tempDirSync('sandbox-equality');
const opened: Submission[] = [];
afterAll(() => {
  for (const submission of opened) submission.close();
});

function graded(name: string, options: Parameters<typeof referenceKit>[1] = {}): Submission {
  const submission = openSubmission(referenceKit(join(root, name), options));
  opened.push(submission);
  return submission;
}

function expectSameReport(sandboxed: StudentImpl, inProcess: StudentImpl, seed: number): void {
  const theirs = runChecks(sandboxed, { seed });
  const ours = runChecks(inProcess, { seed });
  expect(theirs).toEqual(ours);
}

describe('openSubmission: the same report as in-process runChecks', () => {
  it('for a kit filled with the reference: every exercise passes, line for line', () => {
    const { impl, loadProblems } = graded('reference');
    expect([...loadProblems]).toEqual([]);
    expect(Object.keys(impl).sort()).toEqual(Object.keys(REFERENCE_IMPL).sort());
    const report = runChecks(impl, { seed: 7 });
    expect(report.summary).toMatchObject({ fail: 0, partial: 0, notStarted: 0 });
    expectSameReport(impl, REFERENCE_IMPL, 7);
  }, 120_000);

  it('for planted mistakes: the failing lines and the named mistakes are the same', () => {
    const { impl } = graded('planted', {
      bodies: {
        batchnormForward:
          "return planted.plantedBatchnormForward('momentum-reversed')(x, gamma, beta, bnParam);",
        softmaxLoss: 'return planted.softmaxLossNoShift(scores, y);',
        adam: "return planted.plantedAdam('no-bias-correction')(w, dw, config);",
        batchnormBackward: "throw new NotImplemented('batchnormBackward');",
      },
      files: {
        'src/fc-net.ts':
          "import { plantedNet } from './planted.js';\nexport const FullyConnectedNet = plantedNet('l2-gradient-missing');\n",
      },
    });
    const inProcess = withImpl({
      batchnormForward: plantedBatchnormForward('momentum-reversed'),
      softmaxLoss: softmaxLossNoShift,
      adam: plantedAdam('no-bias-correction'),
      FullyConnectedNet: plantedNet('l2-gradient-missing'),
      batchnormBackward: () => {
        throw new NotImplemented('batchnormBackward');
      },
    });
    const report = runChecks(impl, { seed: 3 });
    const mistakes = report.exercises.flatMap((e) => e.mistakes.map((m) => m.id));
    expect(mistakes).toEqual(
      expect.arrayContaining([
        'batchnorm-momentum-reversed',
        'softmax-no-max-shift',
        'adam-no-bias-correction',
        'fc-net-l2-gradient-missing',
      ]),
    );
    expect(report.exercises.find((e) => e.id === 'batchnorm-backward')?.status).toBe('not started');
    expectSameReport(impl, inProcess, 3);
  }, 120_000);

  it('for a kit as init writes it: every stub crosses as NotImplemented, so nothing is started', () => {
    const dir = join(root, 'untouched');
    initKit(dir, { vendor: false });
    const submission = openSubmission(join(dir, 'src'));
    opened.push(submission);
    const report = runChecks(submission.impl);
    expect(report.exercises.map((e) => [e.id, e.status, e.notStarted, e.errors])).toEqual(
      EXERCISES.map((e) => [e.id, 'not started', e.functions, []]),
    );
  }, 120_000);
});
