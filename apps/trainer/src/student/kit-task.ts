/**
 * The pool task that vets a student kit before training (one worker thread, so the kit loads the same way
 * as in the training workers): which functions are started, then a gradient check of small nets built
 * from the student's set, for the normalizations the study trains.
 */

import { runNetCases } from '../gradcheck/net-checks.js';
import type { CheckRow } from '../gradcheck/types.js';
import { importKitFunctions, type LayerMember, pickLayers, StudentLayersError } from './load-kit.js';
import { chooseLayers } from './probe.js';

export interface KitCheckTask {
  kit: string;
  /** Net gradient-check cases to run (gradcheck/net-checks.ts names). */
  cases: string[];
}

export interface KitCheckResult {
  dir: string;
  chosen: Partial<Record<LayerMember, string>>;
  reference: LayerMember[];
  rows: CheckRow[];
}

export function setup(): null {
  return null;
}

export async function runTask(task: KitCheckTask): Promise<KitCheckResult> {
  const { manifest, fns } = await importKitFunctions(task.kit);
  let choice: ReturnType<typeof chooseLayers>;
  let rows: CheckRow[];
  try {
    choice = chooseLayers(fns);
    const started = Object.keys(choice.chosen).length > 0;
    rows = started ? runNetCases(task.cases, pickLayers(fns, choice.chosen)) : [];
  } catch (error) {
    // The student's code threw inside a layer or inside the net composing it.
    const message = error instanceof StudentLayersError ? error.message : `${(error as Error).message}`;
    throw new StudentLayersError(`--layers ${task.kit}: ${message}`);
  }
  const { chosen, reference } = choice;
  const failed = rows.filter((row) => !row.ok || !Number.isFinite(row.relError));
  if (failed.length) {
    const first = failed[0];
    throw new StudentLayersError(
      `--layers ${task.kit}: the gradient check of a net built from your layers fails before training: ` +
        `${first.check} ${first.param} rel error ${first.relError.toExponential(2)} > ${first.threshold.toExponential(0)} ` +
        `(${failed.length} of ${rows.length} parameters fail; run pnpm check in the kit to find the layer)`,
    );
  }
  return { dir: manifest.dir, chosen, reference, rows };
}
