/**
 * Which runs of the checks a submission gets: the visible one (exactly what the kit's `pnpm check` runs,
 * seed 0 and the default sizes) and the hidden ones (the config's sizes, each with a seed derived from the
 * grader seed at grade time; never written into a kit).
 */
import { DEFAULT_SIZES, type Sizes } from '@backprop-lab/assignment';
import { createRng } from '@backprop-lab/tensor';
import type { GraderConfig } from './config.js';

export interface CheckRun {
  seed: number;
  sizes: Sizes;
}

/** `pnpm check`'s defaults: the student has seen every line of this run. */
export const VISIBLE_RUN: Readonly<CheckRun> = Object.freeze({ seed: 0, sizes: { ...DEFAULT_SIZES } });

/** The hidden runs, in the config's order; the same grader seed gives the same seeds. */
export function hiddenRuns(config: Pick<GraderConfig, 'seed' | 'hiddenRuns'>): CheckRun[] {
  const rng = createRng(config.seed);
  // +1: never seed 0, the visible run's.
  return config.hiddenRuns.map((sizes) => ({ seed: rng.int(2 ** 31) + 1, sizes: { ...sizes } }));
}
