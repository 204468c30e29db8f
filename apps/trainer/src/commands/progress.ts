/**
 * The bin's progress display: cli-progress bars on a terminal (a total bar plus one per running run),
 * plain lines otherwise (one per epoch and per finished run), nothing with --no-progress or --json.
 * Everything goes to stderr so stdout carries only the result (and --json stays parseable).
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { formatFixed, formatNumber } from '../analysis/format.js';
import type { ExperimentEvent } from '../experiment/run-experiment.js';

export interface ProgressDisplay {
  update(event: ExperimentEvent): void;
  stop(): void;
}

export type ProgressMode = 'bars' | 'lines' | 'off';

/** No stream (a command run in-process, e.g. by a test) means no display. */
export function progressMode(enabled: boolean, stream: NodeJS.WriteStream | undefined): ProgressMode {
  if (!enabled || stream === undefined) return 'off';
  return stream.isTTY ? 'bars' : 'lines';
}

export function createProgress(mode: ProgressMode, stream: NodeJS.WriteStream | undefined): ProgressDisplay {
  if (mode === 'off' || stream === undefined) return { update() {}, stop() {} };
  return mode === 'bars' ? barsDisplay(stream) : linesDisplay((line) => stream.write(`${line}\n`));
}

/** Plain lines, for logs and pipes. Exported for tests. */
export function linesDisplay(write: (line: string) => void): ProgressDisplay {
  let total = 0;
  return {
    update(event) {
      switch (event.type) {
        case 'data':
          write(`train: ${event.message}`);
          break;
        case 'start':
          total = event.totalRuns;
          write(`train: ${event.totalRuns} runs on ${event.workers} worker(s) → ${event.outDir}`);
          break;
        case 'iteration':
          if (event.valAcc !== undefined && event.iteration > 1) {
            write(
              `  ${event.runId}: epoch ${event.epoch}/${event.numEpochs} loss ${formatNumber(event.loss, 4)} ` +
                `train acc ${formatFixed(event.trainAcc ?? null, 3)} val acc ${formatFixed(event.valAcc, 3)}`,
            );
          }
          break;
        case 'run-done': {
          const { run } = event;
          const how = run.status === 'diverged' ? `DIVERGED at iteration ${run.divergedAt}` : 'completed';
          write(
            `[${event.finished}/${total}] ${run.id} ${how}, best val acc ${formatFixed(run.bestValAcc, 3)}`,
          );
          break;
        }
        case 'writing':
          write(`train: writing ${event.outDir}`);
          break;
      }
    },
    stop() {},
  };
}

function barsDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  const multi = new MultiBar(
    {
      stream,
      clearOnComplete: false,
      hideCursor: true,
      format: '{name} {bar} {value}/{total} {info}',
      barsize: 30,
      autopadding: true,
    },
    Presets.shades_classic,
  );
  let overall: SingleBar | null = null;
  const running = new Map<number, SingleBar>();
  let width = 12;
  return {
    update(event) {
      // Before the bars exist (the first run may generate the built-in dataset): one plain line.
      if (event.type === 'data') stream.write(`train: ${event.message}\n`);
      else if (event.type === 'start') {
        width = Math.max(12, ...event.runIds.map((id) => id.length));
        overall = multi.create(event.totalRuns, 0, {
          name: 'all runs'.padEnd(width),
          info: `${event.workers} workers`,
        });
      } else if (event.type === 'iteration') {
        let bar = running.get(event.runIndex);
        if (!bar) {
          bar = multi.create(event.numIterations, 0, { name: event.runId.padEnd(width), info: '' });
          running.set(event.runIndex, bar);
        }
        bar.update(event.iteration, { info: `loss ${formatNumber(event.loss, 3)}` });
      } else if (event.type === 'run-done') {
        const bar = running.get(event.runIndex);
        if (bar) multi.remove(bar);
        running.delete(event.runIndex);
        overall?.update(event.finished, {
          info: `last: ${event.run.id} best val ${formatFixed(event.run.bestValAcc, 3)}`,
        });
      }
    },
    stop() {
      multi.stop();
    },
  };
}
