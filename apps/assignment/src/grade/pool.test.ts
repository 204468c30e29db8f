// gradeAll at the submission deadline: the worker is terminated mid-call, and the student's process it
// was waiting on (looping, its call limit far off) must not outlive it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { expect, it } from 'vitest';
import { DEFAULT_CONFIG, type GraderConfig } from './config.js';
import { gradeAll } from './pool.js';
import { HOSTILE, referenceKit } from './testing.js';

const root = tempDirSync('pool');
// The pool's temp folder goes here, so the test can find the student processes by their command line.
const tmp = tempDirSync('pool-tmp');
process.env.TMPDIR = tmp;

/** Processes whose command line names a path under `dir` (Linux: /proc). */
function processesUnder(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${dir}/`);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

it('kills the student process of a submission stopped at the deadline, and leaves no temp folder', async () => {
  const kit = referenceKit(join(root, 'loops'), HOSTILE.loops);
  const config: GraderConfig = structuredClone(DEFAULT_CONFIG) as GraderConfig;
  config.limits = { callSeconds: 600, memoryMb: 256, submissionSeconds: 3 };
  const { results } = await gradeAll([{ name: 'loops', path: kit }], config, { jobs: 1 });
  expect(results[0]?.failure).toBe('grading did not finish within 3 s');
  expect(processesUnder(tmp)).toEqual([]);
  // The grader's folders are gone (tsx's cache and the test kits' template stay until exit).
  expect(readdirSync(tmp).filter((name) => name.startsWith('backprop-'))).toEqual([]);
}, 120_000);
