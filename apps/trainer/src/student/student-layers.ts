/**
 * `--layers <kit>`: before any training, a worker thread loads the student's kit, finds which functions
 * are started and gradient-checks small nets built from them; the runs then use the same choice. What
 * ran is recorded in the summary (`layers`), so a report always says whose layers produced it.
 */
import type { TrainConfig } from '../config.js';
import { runPool } from '../pool/pool.js';
import { readKitManifest } from './kit-manifest.js';
import type { KitCheckResult, KitCheckTask } from './kit-task.js';
import type { LayerMember } from './load-kit.js';

export interface LayersInfo {
  /** 'reference': the toolkit's own layers; 'student': a kit's, where started. */
  source: 'reference' | 'student';
  /** The kit folder (absolute), null for the reference layers. */
  kit: string | null;
  /** LayerSet member → the kit function that ran in its place. */
  student: Partial<Record<LayerMember, string>>;
  /** Members the reference ran (not started in the kit; all of them without --layers). */
  reference: LayerMember[];
  /** The gradient check run before training: its worst relative error and its parameter count. */
  gradcheck: { cases: string[]; parameters: number; worstRelError: number } | null;
}

/** What each training task needs to rebuild the same LayerSet in its worker. */
export interface TaskLayers {
  kit: string;
  chosen: Partial<Record<LayerMember, string>>;
}

export const REFERENCE_LAYERS: LayersInfo = {
  source: 'reference',
  kit: null,
  student: {},
  reference: [],
  gradcheck: null,
};

const KIT_TASK = new URL('./kit-task.ts', import.meta.url);

/** The net gradient-check cases that cover what the study trains. */
export function casesFor(config: Pick<TrainConfig, 'norms' | 'dropout'>): string[] {
  const byNorm = { none: 'net-none', batchnorm: 'net-batchnorm-n10', layernorm: 'net-layernorm' } as const;
  const cases: string[] = config.norms.map((norm) => byNorm[norm]);
  if (config.dropout < 1) cases.push('net-dropout');
  return cases;
}

export async function vetStudentLayers(
  config: Pick<TrainConfig, 'layers' | 'norms' | 'dropout'>,
  signal?: AbortSignal,
): Promise<{ info: LayersInfo; task: TaskLayers | null; notes: string[] }> {
  if (config.layers === null) return { info: REFERENCE_LAYERS, task: null, notes: [] };
  // Read here too, so a wrong path is a usage error of this thread (exit 2), not a worker's failure.
  readKitManifest(config.layers);
  const cases = casesFor(config);
  const outcome = await runPool<KitCheckTask, KitCheckResult>([{ kit: config.layers, cases }], {
    workers: 1,
    taskModule: KIT_TASK,
    signal,
  });
  const result = outcome.results[0];
  if (!result) throw new Error('--layers: the check of the kit was interrupted');
  const notes: string[] = [];
  const started = Object.entries(result.chosen).map(([member, fn]) =>
    member === fn ? fn : `${fn} as ${member}`,
  );
  notes.push(
    started.length
      ? `layers: yours from ${result.dir}: ${started.join(', ')} (gradient check passed on ${cases.join(', ')})`
      : `layers: nothing is started in ${result.dir} yet`,
  );
  if (result.reference.length) {
    notes.push(`layers: not started, the reference runs instead: ${result.reference.join(', ')}`);
  }
  const info: LayersInfo = {
    source: 'student',
    kit: result.dir,
    student: result.chosen,
    reference: result.reference,
    gradcheck: result.rows.length
      ? {
          cases,
          parameters: result.rows.length,
          worstRelError: Math.max(...result.rows.map((row) => row.relError)),
        }
      : null,
  };
  return { info, task: { kit: result.dir, chosen: result.chosen }, notes };
}

/** One sentence for the reports: whose layers ran, and what the check before training found. */
export function layersSentence(info: LayersInfo): string {
  if (info.source === 'reference') return "Layers: the toolkit's reference layers.";
  const student = Object.entries(info.student).map(([member, fn]) =>
    member === fn ? fn : `${fn} as ${member}`,
  );
  const parts = [
    student.length
      ? `Layers: the student's from ${info.kit} (${student.join(', ')})`
      : `Layers: none started in ${info.kit}`,
  ];
  if (info.reference.length) parts.push(`the reference for ${info.reference.join(', ')}`);
  const check = info.gradcheck
    ? ` Gradient check before training: worst relative error ${info.gradcheck.worstRelError.toExponential(1)} over ${info.gradcheck.parameters} parameters (${info.gradcheck.cases.join(', ')}).`
    : '';
  return `${parts.join('; ')}.${check}`;
}
