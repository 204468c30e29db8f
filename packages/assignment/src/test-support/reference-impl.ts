/** The reference as a student's merged modules (src/reference-impl.ts), and variants of it for tests. */
import type { StudentImpl } from '../context.js';
import { REFERENCE_IMPL } from '../reference-impl.js';

export { REFERENCE_IMPL };

/** The reference with some members replaced: one planted bug, one stub. */
export function withImpl(changes: Record<string, unknown>): StudentImpl {
  return { ...REFERENCE_IMPL, ...changes };
}
