/** What a running study reports (runExperiment, runShard), and the options both take. */
import type { SolverProgress } from '@backprop-lab/optim';
import type { RunResult } from '../analysis/types.js';

export type ExperimentEvent =
  | { type: 'data'; message: string }
  /** Printed whatever the progress display: what the user must know (e.g. which layers run). */
  | { type: 'note'; message: string }
  | { type: 'start'; totalRuns: number; workers: number; outDir: string; runIds: string[] }
  | ({ type: 'iteration'; runIndex: number; runId: string } & SolverProgress)
  | { type: 'run-done'; runIndex: number; run: RunResult; finished: number; totalRuns: number }
  | { type: 'writing'; outDir: string };

export interface ExperimentOptions {
  onProgress?: (event: ExperimentEvent) => void;
  signal?: AbortSignal;
  /** Clock for the default run folder name and the summary's meta timestamps (injectable). */
  now?: () => Date;
}
