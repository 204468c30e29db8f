/** Rows of the micro-kernel's tile (gemm.as): blocks of C split on multiples of it. */
export const MR = 2;

/** [i0, i1, j0, j1]: a block of C one thread computes. */
export type Block = [number, number, number, number];

/**
 * Splits C into at most `parts` disjoint blocks along whichever of rows or columns has more tiles,
 * on tile boundaries. Which thread computes an element never changes its value (see gemm.as).
 */
export function splitBlocks(m: number, n: number, parts: number, nr: number): Block[] {
  const rowTiles = Math.ceil(m / MR);
  const colTiles = Math.ceil(n / nr);
  const byRows = rowTiles >= colTiles;
  const extent = byRows ? m : n;
  const step = Math.ceil((byRows ? rowTiles : colTiles) / parts) * (byRows ? MR : nr);
  const blocks: Block[] = [];
  for (let start = 0; start < extent; start += step) {
    const end = Math.min(extent, start + step);
    blocks.push(byRows ? [start, end, 0, n] : [0, m, start, end]);
  }
  return blocks;
}
