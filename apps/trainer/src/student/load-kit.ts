/**
 * Imports a student kit's src files into this thread, with the kit's imports of the toolkit resolved to
 * the trainer's own packages (kit-hooks.mjs), and maps its functions onto LayerSet members. Runs only in
 * the pool's worker threads (plain Node with tsx), never in the caller's thread: the same loader under
 * `pnpm train` and under vitest.
 */
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LayerSet } from '@backprop-lab/layers';
import { type KitManifest, readKitManifest } from './kit-manifest.js';

// biome-ignore lint/suspicious/noExplicitAny: the kit's functions are checked by running them, not by type.
export type KitFunction = (...args: any[]) => any;
export type LayerMember = keyof LayerSet;

/**
 * The kit functions that may fill each LayerSet member, preferred first: the net runs batchnorm's
 * simplified backward when the student wrote it, else their graph form.
 */
export const MEMBER_SOURCES: Readonly<Record<LayerMember, readonly string[]>> = {
  affineForward: ['affineForward'],
  affineBackward: ['affineBackward'],
  reluForward: ['reluForward'],
  reluBackward: ['reluBackward'],
  batchnormForward: ['batchnormForward'],
  batchnormBackward: ['batchnormBackwardAlt', 'batchnormBackward'],
  layernormForward: ['layernormForward'],
  layernormBackward: ['layernormBackward'],
  dropoutForward: ['dropoutForward'],
  dropoutBackward: ['dropoutBackward'],
  softmaxLoss: ['softmaxLoss'],
};

const registered = new Set<string>();

function redirectToolkit(kitDir: string): void {
  const kitUrl = pathToFileURL(`${kitDir}/`).href;
  if (registered.has(kitUrl)) return;
  // A query per kit gives each registration its own copy of the hook module and its own kitUrl.
  const hooks = new URL(`./kit-hooks.mjs?kit=${encodeURIComponent(kitUrl)}`, import.meta.url);
  register(hooks, { data: { kitUrl, trainerUrl: import.meta.url } });
  registered.add(kitUrl);
}

/** Every exported function of the kit's exercise files, by name. */
export async function importKitFunctions(
  kit: string,
): Promise<{ manifest: KitManifest; fns: Map<string, KitFunction> }> {
  const manifest = readKitManifest(kit);
  redirectToolkit(manifest.dir);
  const fns = new Map<string, KitFunction>();
  for (const file of new Set(manifest.exercises.map((e) => e.file))) {
    const path = join(manifest.dir, 'src', file);
    let module: Record<string, unknown>;
    try {
      module = await import(pathToFileURL(path).href);
    } catch (error) {
      throw new StudentLayersError(`--layers ${kit}: src/${file} does not load: ${(error as Error).message}`);
    }
    for (const [name, value] of Object.entries(module)) {
      if (typeof value === 'function') fns.set(name, value as KitFunction);
    }
  }
  return { manifest, fns };
}

/** The student's layers cannot run (a throw on valid input, a failed gradient check, a file that does not load). */
export class StudentLayersError extends Error {
  override name = 'StudentLayersError';
}

/** A partial LayerSet: each member in `chosen` filled by the kit function named there. */
export function pickLayers(
  fns: ReadonlyMap<string, KitFunction>,
  chosen: Readonly<Partial<Record<LayerMember, string>>>,
): Partial<LayerSet> {
  const layers: Partial<Record<LayerMember, KitFunction>> = {};
  for (const [member, source] of Object.entries(chosen) as [LayerMember, string][]) {
    const fn = fns.get(source);
    if (!fn) throw new StudentLayersError(`the kit has no function ${source} (for ${member})`);
    layers[member] = fn;
  }
  return layers as Partial<LayerSet>;
}
