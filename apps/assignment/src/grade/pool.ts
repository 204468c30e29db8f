/**
 * gradeAll: submissions graded on a pool of worker threads, each grading one submission at a time. A
 * result is stored by the submission's index, so the scores do not depend on the order, the number of
 * workers or which finished first. Unlike the trainer's runPool, one submission never stops the others:
 * a worker that passes the submission deadline is terminated (an infinite loop the sandbox missed), one
 * that dies (out of memory, exit) is replaced, and either way that submission scores 0 with the reason.
 */
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GraderConfig } from './config.js';
import { failedResult, type GradeResult } from './grade-one.js';

export interface SubmissionPath {
  /** Its folder name in --out and its row in class.csv. */
  name: string;
  path: string;
}

export interface PoolOptions {
  jobs: number;
  /** Called as each submission finishes, in completion order. */
  onResult?: (index: number, result: GradeResult, seconds: number) => void;
  signal?: AbortSignal;
}

const ENTRY = new URL('./worker.mjs', import.meta.url);

type Reply = { ready: true } | { id: number; result: GradeResult } | { id: number; error: string };

export interface PoolOutcome {
  /** By submission index; undefined where an interrupt came first. */
  results: (GradeResult | undefined)[];
  aborted: boolean;
}

/**
 * Kills the student processes still running from a folder under `dir`. A worker terminated mid-call (the
 * deadline, Ctrl-C) takes its sandbox's time limit with it, and a child busy in a loop never reads that
 * its channel closed: it would loop on, orphaned. Found by the folder in their command line (Linux's
 * /proc; elsewhere nothing is found).
 */
function killStrays(dir: string): void {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${dir}/`))
        process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
}

export function gradeAll(
  submissions: readonly SubmissionPath[],
  config: GraderConfig,
  options: PoolOptions,
): Promise<PoolOutcome> {
  const results: (GradeResult | undefined)[] = new Array(submissions.length).fill(undefined);
  if (submissions.length === 0) return Promise.resolve({ results, aborted: false });
  const size = Math.max(1, Math.min(options.jobs, submissions.length));
  const deadlineMs = config.limits.submissionSeconds * 1000;
  // Every submission's copies and sandbox folders are made in here: a worker terminated at the deadline
  // cannot remove its own, so the pool removes the whole folder when it is done, whatever happened.
  // Real path: the sandbox names its folders so in the child's command line.
  const tempDir = realpathSync(mkdtempSync(join(tmpdir(), 'backprop-grading-')));
  const removeTemp = () => {
    killStrays(tempDir);
    rmSync(tempDir, { recursive: true, force: true });
  };
  process.once('exit', removeTemp);

  const outcome = new Promise<PoolOutcome>((resolve, reject) => {
    let next = 0;
    let finished = 0;
    let stopped = false;
    const live = new Set<Worker>();

    const settle = (index: number, result: GradeResult, started: number) => {
      if (results[index] !== undefined || stopped) return;
      results[index] = result;
      finished++;
      options.onResult?.(index, result, (performance.now() - started) / 1000);
      if (finished === submissions.length) {
        stopped = true;
        Promise.all([...live].map((w) => w.terminate())).then(
          () => resolve({ results, aborted: false }),
          reject,
        );
      }
    };
    const failure = (index: number, why: string) => {
      const { name, path } = submissions[index];
      return failedResult(name, path, config, why);
    };

    const start = () => {
      if (stopped || next >= submissions.length) return;
      const worker = new Worker(ENTRY, {
        execArgv: [],
        // A backstop for the sandbox's own limit: a student allocation that reaches this thread ends it.
        resourceLimits: { maxOldGenerationSizeMb: config.limits.memoryMb + 512 },
      });
      live.add(worker);
      // This worker's own folder, so its strays can be killed when it ends while the others grade on.
      const workerTemp = mkdtempSync(join(tempDir, 'worker-'));
      let current = -1;
      let started = 0;
      let ready = false;
      let startError = '';
      let timer: NodeJS.Timeout | undefined;
      const dispatch = () => {
        if (stopped || next >= submissions.length) {
          live.delete(worker);
          void worker.terminate();
          return;
        }
        current = next++;
        started = performance.now();
        const { name, path } = submissions[current];
        timer = setTimeout(() => {
          const index = current;
          current = -1;
          void worker.terminate();
          settle(
            index,
            failure(index, `grading did not finish within ${config.limits.submissionSeconds} s`),
            started,
          );
        }, deadlineMs);
        worker.postMessage({ id: current, name, path, config, tempDir: workerTemp });
      };
      worker.on('message', (reply: Reply) => {
        if ('ready' in reply) {
          ready = true;
          return dispatch();
        }
        clearTimeout(timer);
        const index = current;
        current = -1;
        if ('result' in reply) settle(index, reply.result, started);
        else settle(index, failure(index, `the grader failed on this submission: ${reply.error}`), started);
        dispatch();
      });
      worker.on('error', (error) => {
        clearTimeout(timer);
        if (!ready) startError = `: ${error.message.split('\n')[0]}`;
        if (current >= 0) {
          const why = /memory limit|out of memory/i.test(error.message)
            ? `grading ran out of memory (limit ${config.limits.memoryMb + 512} MB)`
            : `the grading worker failed: ${error.message.split('\n')[0]}`;
          settle(current, failure(current, why), started);
          current = -1;
        }
      });
      worker.on('exit', (code) => {
        clearTimeout(timer);
        live.delete(worker);
        killStrays(workerTemp);
        if (!ready && !stopped) {
          // The grader itself does not load: restarting would loop. Nothing can be graded.
          stopped = true;
          Promise.all([...live].map((w) => w.terminate())).then(
            () => reject(new Error(`a grading worker could not start (exit code ${code})${startError}`)),
            reject,
          );
          return;
        }
        if (current >= 0) {
          settle(
            current,
            failure(current, `the student code ended the grading worker (exit code ${code})`),
            started,
          );
          current = -1;
        }
        // A worker lost mid-submission is replaced, so the pool keeps its size.
        if (!stopped && next < submissions.length) start();
      });
    };

    options.signal?.addEventListener(
      'abort',
      () => {
        if (stopped) return;
        stopped = true;
        Promise.all([...live].map((w) => w.terminate())).then(
          () => resolve({ results, aborted: true }),
          reject,
        );
      },
      { once: true },
    );
    for (let i = 0; i < size; i++) start();
  });
  return outcome.finally(() => {
    process.off('exit', removeTemp);
    removeTemp();
  });
}
