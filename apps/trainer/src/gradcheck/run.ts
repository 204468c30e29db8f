import type { DType } from '@backprop-lab/tensor';
import { UsageError } from '../errors.js';
import { layerChecks } from './layer-checks.js';
import { netChecks } from './net-checks.js';
import type { CheckDefinition, CheckRow } from './types.js';

export const allChecks: CheckDefinition[] = [...layerChecks, ...netChecks];

export interface GradcheckOptions {
  /** Check names to run (all when empty). */
  only?: readonly string[];
  /** float64 (default) is what gradient checks need; float32 runs for illustration and never fails. */
  dtype?: DType;
}

/** Runs the selected checks and returns their rows; prints nothing. */
export function runGradchecks(options: GradcheckOptions = {}): CheckRow[] {
  const dtype = options.dtype ?? 'float64';
  const only = options.only ?? [];
  const unknown = only.filter((name) => !allChecks.some((c) => c.name === name));
  if (unknown.length) {
    throw new UsageError(
      `--only: unknown check ${unknown.join(', ')} (checks: ${allChecks.map((c) => c.name).join(', ')})`,
    );
  }
  const selected = only.length ? allChecks.filter((c) => only.includes(c.name)) : allChecks;
  const rows = selected.flatMap((c) => c.run(dtype));
  if (dtype === 'float64') return rows;
  // In float32 a step of 1e-5 is below the resolution of values near 1 (ε ≈ 1.2e-7 relative, so x ± h
  // rounds by ~1%): the numerical gradient is mostly noise. Shown to explain why checks run in float64.
  return rows.map((r) => ({ ...r, expectedLoose: true }));
}
