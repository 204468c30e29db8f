// Fast loops for elementwise ops: one plain loop per op and broadcast pattern, with the op's expression
// written into the loop body, so no function is called per element.
//
// Why generated: a loop that calls `fn(x[i], y[i])` sees a different fn for every op, so V8 cannot inline
// it and pays a call per element (5-10× the loop's own cost for maximum). Writing each (op × pattern)
// loop by hand would be ~100 copies of the same loop; instead the loop is written once below (LOOP) and
// the op's expression is spliced in, as tinygrad renders its kernels from expressions. Where a runtime
// forbids `new Function` (a strict Content-Security-Policy), ops take the reference path instead
// (elementwise-reference.ts), which gives the same bits, only slower.
import type { TypedArray } from '../dtype.js';
import type { Shape } from '../shape.js';
import type { Pattern } from './types.js';

export type { Pattern } from './types.js';

/** How the loop reads operand `name` (its array is `${name}s`) for output element (r, c), i = r·cols + c. */
const READ: Record<Pattern, (name: string) => string> = {
  full: (name) => `${name}s[i]`,
  scalar: (name) => `${name}s0`,
  row: (name) => `${name}s[c]`,
  column: (name) => `${name}s[r]`,
};

/** A loop over the output viewed as [rows, cols]; operands are read as their patterns say. */
export type Loop = (out: TypedArray, rows: number, cols: number, ...operands: TypedArray[]) => void;

/** How every output element is computed: out[i] = expression with x, y (and c, the condition of where). */
export interface LoopPlan {
  rows: number;
  cols: number;
  patterns: Pattern[];
}

const cache = new Map<string, Loop | null>();

/**
 * The loop computing `expression` (in the operand names `names`, e.g. 'x + y') for these patterns over
 * `arrays` (out, then the operands), or null where the runtime cannot compile one.
 */
export function compiledLoop(
  expression: string,
  names: readonly string[],
  patterns: Pattern[],
  arrays: readonly TypedArray[],
): Loop | null {
  // One compiled loop per combination of element types too: a loop that has seen both Float32Array and
  // Float64Array reads them through a polymorphic access V8 does not vectorize or inline as well.
  let types = '';
  for (const array of arrays) types += array instanceof Float32Array ? 's' : 'd';
  const key = `${expression}|${names.join(',')}|${patterns.join(',')}|${types}`;
  let loop = cache.get(key);
  if (loop === undefined) {
    loop = compile(expression, names, patterns);
    cache.set(key, loop);
  }
  return loop;
}

function compile(expression: string, names: readonly string[], patterns: Pattern[]): Loop | null {
  const arrays = names.map((name) => `${name}s`);
  const scalars = names.map((name) => `const ${name}s0 = ${name}s[0];`).join(' ');
  // Each operand is read once into a local of its own name, so the expression is plain arithmetic in x, y.
  const reads = names.map((name, at) => `const ${name} = ${READ[patterns[at]](name)};`).join(' ');
  // LOOP: the one loop every elementwise op runs; i walks the output in order. `pick` lets an expression
  // choose between two values without a branch: a branch on random data (ReLU's sign) is mispredicted
  // half the time, and V8 compiles no select of doubles, so writing both and indexing by the condition is
  // 2-4× faster (see maximum and where in elementwise.ts).
  const source = `${scalars}
    const pick = new Float64Array(2);
    let i = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++, i++) {
        ${reads}
        out[i] = ${expression};
      }
    }`;
  try {
    return new Function('out', 'rows', 'cols', ...arrays, source) as Loop;
  } catch {
    return null;
  }
}

/**
 * The [rows, cols] view of `outShape` in which every operand is full, scalar, a row or a column, or null
 * when some operand broadcasts otherwise (e.g. [N, 1, D] against [N, H, D]): the reference loop then.
 */
export function planLoop(outShape: Shape, shapes: readonly Shape[]): LoopPlan | null {
  const rank = outShape.length;
  let size = 1;
  for (const dim of outShape) size *= dim;
  let split = -1;
  const patterns: Pattern[] = [];
  for (const shape of shapes) {
    let own = 1;
    for (const dim of shape) own *= dim;
    if (own === size && shape.length <= rank) {
      patterns.push('full');
      continue;
    }
    if (own === 1) {
      patterns.push('scalar');
      continue;
    }
    const found = rowOrColumn(outShape, shape);
    if (!found || (split >= 0 && found.split !== split)) return null;
    split = found.split;
    patterns.push(found.pattern);
  }
  if (split < 0) return { rows: 1, cols: size, patterns };
  let rows = 1;
  for (let axis = 0; axis < split; axis++) rows *= outShape[axis];
  return { rows, cols: rows === 0 ? 0 : size / rows, patterns };
}

/** Whether `shape`, aligned right against `outShape`, is [1…1, trailing] (a row) or [leading, 1…1]. */
function rowOrColumn(outShape: Shape, shape: Shape): { pattern: Pattern; split: number } | null {
  const rank = outShape.length;
  // Axes of size 1 in the output constrain nothing; the others are broadcast or spanned by the operand.
  let firstBroadcast = rank;
  let lastBroadcast = -1;
  let firstSpanned = rank;
  let lastSpanned = -1;
  for (let axis = 0; axis < rank; axis++) {
    if (outShape[axis] === 1) continue;
    const dim = shape[axis - (rank - shape.length)] ?? 1;
    if (dim === 1) {
      firstBroadcast = Math.min(firstBroadcast, axis);
      lastBroadcast = axis;
    } else {
      firstSpanned = Math.min(firstSpanned, axis);
      lastSpanned = axis;
    }
  }
  if (lastBroadcast < firstSpanned) return { pattern: 'row', split: lastBroadcast + 1 };
  if (lastSpanned < firstBroadcast) return { pattern: 'column', split: firstBroadcast };
  return null;
}
