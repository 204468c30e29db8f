/** Number formatting shared by the terminal table, the HTML report and the conclusion sentences. */
import type { Norm } from '../config.js';
import type { Stat } from './types.js';

/** Up to `digits` significant digits; very small or large values in exponent form (2.6e-4). */
export function formatNumber(value: number | null, digits = 3): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e6) return value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(digits)));
}

export function formatFixed(value: number | null, decimals: number): string {
  return value === null || !Number.isFinite(value) ? 'n/a' : value.toFixed(decimals);
}

/** "0.32 ± 0.01" (std omitted for a single value); `decimals` null means significant digits. */
export function formatStat(value: Stat | null, decimals: number | null = null): string {
  if (value === null || value.mean === null) return 'n/a';
  const show = (x: number) => (decimals === null ? formatNumber(x) : x.toFixed(decimals));
  return value.n > 1 ? `${show(value.mean)} ± ${show(value.std!)}` : show(value.mean);
}

/** "with batchnorm" / "without normalization", for sentences. */
export function normPhrase(norm: Norm): string {
  return norm === 'none' ? 'without normalization' : `with ${norm}`;
}

/** Short column label. */
export function normLabel(norm: Norm): string {
  return norm === 'none' ? 'no norm' : norm;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
