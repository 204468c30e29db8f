/** The `--shard I/N` value: parsed from a flag or a --config file, and printed back the same way. */
import { describe, ValueError } from '../cli/values.js';
import type { Shard } from '../config.js';

/** `--shard I/N` (a string) or `{ index, count }` (a --config file or a programmatic config). */
export function shard(raw: unknown): Shard {
  const shape = 'expected I/N with 0 <= I < N, e.g. 0/4';
  let index: unknown;
  let count: unknown;
  if (typeof raw === 'string') {
    const match = /^(\d+)\/(\d+)$/.exec(raw.trim());
    if (!match) throw new ValueError(`${shape}, got ${describe(raw)}`);
    [index, count] = [Number(match[1]), Number(match[2])];
  } else if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    ({ index, count } = raw as Record<string, unknown>);
  }
  if (
    !Number.isSafeInteger(index) ||
    !Number.isSafeInteger(count) ||
    (count as number) < 1 ||
    (index as number) < 0 ||
    (index as number) >= (count as number)
  )
    throw new ValueError(`${shape}, got ${describe(raw)}`);
  return { index: index as number, count: count as number };
}

export function formatShard(value: Shard): string {
  return `${value.index}/${value.count}`;
}
