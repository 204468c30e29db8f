// `pnpm bench --only grade`: grades 200 submissions, copies of a mixed set (the reference filled in, three
// planted mistakes, an untouched kit, an infinite loop), on 2 jobs through the grade command, and reports
// submissions per minute and the peak memory: the sum of the resident sets of this process (its worker
// threads included) and every process under it (the sandbox's children), sampled every 100 ms.
// BENCH_GRADE_SUBMISSIONS (default 200) and BENCH_GRADE_JOBS (default 2) change the run. The loop is
// stopped by the bench's limits: 2 s per call behind the sandbox, which restarts its child after each stop,
// or the 120 s submission deadline without one (an in-process stand-in); a sandboxed grading alone takes
// ~10 s on a busy 2-core machine, so the deadline stays well above it.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@backprop-lab/trainer';
import type { BenchSuite } from '../../../scripts/bench-types.js';
import { assignmentProgram } from '../src/command.js';
import { HOSTILE, PLANTED, referenceKit, stubKit } from '../src/grade/testing.js';

function mixedSet(dir: string): string[] {
  referenceKit(join(dir, 'reference'));
  referenceKit(join(dir, 'db-mean'), PLANTED.dbMean);
  referenceKit(join(dir, 'softmax-n'), PLANTED.softmaxTimesN);
  referenceKit(join(dir, 'dropout-scaled'), PLANTED.dropoutScaled);
  stubKit(join(dir, 'untouched'));
  referenceKit(join(dir, 'loops'), HOSTILE.loops);
  return readdirSync(dir).sort();
}

/** Resident set of `pid` and all its descendants, in bytes, from /proc (Linux); this process's elsewhere. */
function treeRss(pid: number): number {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return process.memoryUsage().rss;
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop()!;
    try {
      const status = readFileSync(`/proc/${current}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      continue;
    }
    stack.push(...(children.get(current) ?? []));
  }
  return total;
}

const suite: BenchSuite = {
  name: 'grade',
  description: 'pnpm assignment grade: 200 copies of a mixed set of submissions on 2 jobs',
  async run({ log }) {
    const count = Number(process.env.BENCH_GRADE_SUBMISSIONS ?? 200);
    const jobs = Number(process.env.BENCH_GRADE_JOBS ?? 2);
    const root = mkdtempSync(join(tmpdir(), 'bench-grade-'));
    try {
      const kinds = mixedSet(join(root, 'set'));
      const submissions = join(root, 'submissions');
      mkdirSync(submissions);
      for (let i = 0; i < count; i++) {
        const kind = kinds[i % kinds.length];
        cpSync(join(root, 'set', kind), join(submissions, `s${String(i).padStart(3, '0')}-${kind}`), {
          recursive: true,
        });
      }
      const config = join(root, 'grader.json');
      writeFileSync(config, JSON.stringify({ limits: { callSeconds: 2, submissionSeconds: 120 } }));
      log(`grading ${count} submissions (${kinds.join(', ')}) on ${jobs} jobs`);
      let peak = treeRss(process.pid);
      const sampler = setInterval(() => {
        peak = Math.max(peak, treeRss(process.pid));
      }, 100);
      const lines: string[] = [];
      const started = performance.now();
      const argv = [
        'grade',
        submissions,
        '--out',
        join(root, 'out'),
        '--config',
        config,
        '--jobs',
        String(jobs),
      ];
      const code = await runCli(assignmentProgram, argv, { out: (line) => lines.push(line), err: log });
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      if (code !== 0) throw new Error(`grade exited with ${code}`);
      log(lines.at(-1)!);
      // Each printed line ends with the reason when a submission was not graded.
      const stopped = lines.filter((line) => /did not finish within/.test(line)).length;
      return [
        {
          submissions: count,
          jobs,
          seconds: Number(seconds.toFixed(1)),
          submissionsPerMinute: Number(((count / seconds) * 60).toFixed(1)),
          peakRssMiB: Math.round(peak / 2 ** 20),
          stoppedAtDeadline: stopped,
          loops: Array.from({ length: count }, (_, i) => kinds[i % kinds.length]).filter((k) => k === 'loops')
            .length,
        },
      ];
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};

export default suite;
