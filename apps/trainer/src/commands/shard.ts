/**
 * The CLI side of sharded studies (the engine is experiment/run-shard.ts and report-from-runs.ts):
 * `pnpm train --shard I/N` (run by trainCommand when the flag is given) and `pnpm train report <dir>`.
 * `pnpm train slurm` is in slurm.ts.
 */
import { resolve } from 'node:path';
import type { CliIo, Command } from '../cli/command.js';
import type { TrainConfig } from '../config.js';
import { reportRunFolder } from '../experiment/report-from-runs.js';
import { runShard } from '../experiment/run-shard.js';
import { createProgress, progressMode } from './progress.js';

/** `pnpm train --shard I/N --out dir`: exit 0 when every run of the shard is in the folder, 130 if stopped. */
export async function trainShard(config: TrainConfig, io: CliIo): Promise<number> {
  const display = createProgress(progressMode(config.progress && !config.json, io.progress), io.progress);
  io.signal?.addEventListener('abort', () => {
    display.stop();
    io.err('\ntrain: interrupted: stopping the runs; the saved ones stay and a re-run skips them');
  });
  try {
    const outcome = await runShard(config, { onProgress: display.update, signal: io.signal });
    display.stop();
    const { shard, runIds, skipped, saved } = outcome;
    const stopped = runIds.length - saved.length - skipped.length;
    io.out(
      `shard ${shard}: ${runIds.length} runs; ${saved.length} trained and saved, ${skipped.length} already in ` +
        `${outcome.outDir}${outcome.complete ? '' : `, ${stopped} stopped`}`,
    );
    return outcome.complete ? 0 : 130;
  } finally {
    display.stop();
  }
}

async function report(dir: string, io: CliIo): Promise<number> {
  const { summary, files } = await reportRunFolder(resolve(dir));
  io.out(`Wrote ${files.report}\n      ${files.summary}\n      ${files.metrics}`);
  if (summary.complete) return 0;
  const shown = summary.missingRuns.slice(0, 5).join(', ') + (summary.missingRuns.length > 5 ? ', ...' : '');
  io.err(
    `train: report: ${summary.missingRuns.length} of ${summary.plannedRuns} runs are missing (${shown}); ` +
      'run their shards again (runs already saved are skipped), then the report',
  );
  return 1;
}

export const reportCommand: Command = {
  name: 'report',
  brief: 'write the report of a sharded study from the runs its folder holds',
  summary:
    'Writes summary.json, metrics.csv and report.html into a run folder that shards (--shard I/N) write\n' +
    'into, from the runs it holds now; the runs not there are listed as missing.',
  flags: [],
  positionals: { min: 1, max: 1, usage: '<run-folder>' },
  footer: [
    'Exit codes: 0 every planned run present, 1 runs missing (the report is written anyway) or an error,',
    '2 usage error.',
  ],
  run: ({ positionals }, io) => report(positionals[0], io),
};
