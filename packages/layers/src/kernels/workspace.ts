/**
 * Buffers reused from one call to the next. Allocating fresh multi-hundred-KB arrays every training
 * step costs page faults and garbage collection every step; a net keeps its [N, H] intermediates here
 * instead, one set per batch size N, for the few batch sizes used last.
 */
import { allocate, type DType, Tensor } from '@backprop-lab/tensor';

/** The buffers of one batch size, each created on first use and then handed back as it was left. */
export class Workspace {
  private readonly buffers = new Map<string, Tensor>();

  constructor(
    readonly rows: number,
    readonly dtype: DType,
  ) {}

  /** The [rows, cols] buffer called `name`. Its contents are whatever its last user wrote. */
  matrix(name: string, cols: number): Tensor {
    return this.tensor(name, [this.rows, cols]);
  }

  /** The [length] buffer called `name`. */
  vector(name: string, length: number): Tensor {
    return this.tensor(name, [length]);
  }

  /** Elements held, all buffers together. */
  get size(): number {
    let total = 0;
    for (const t of this.buffers.values()) total += t.size;
    return total;
  }

  private tensor(name: string, shape: number[]): Tensor {
    const existing = this.buffers.get(name);
    if (existing && existing.rank === shape.length && existing.shape.every((d, i) => d === shape[i])) {
      return existing;
    }
    const created = new Tensor(allocate(this.dtype, shape[0] * (shape[1] ?? 1)), shape);
    this.buffers.set(name, created);
    return created;
  }
}

/** Keeps the workspaces of the `capacity` batch sizes used last (training and evaluation batches). */
export class WorkspaceCache {
  private readonly byRows = new Map<number, Workspace>();

  constructor(readonly capacity = 2) {}

  get(rows: number, dtype: DType): Workspace {
    let workspace = this.byRows.get(rows);
    if (workspace?.dtype !== dtype) workspace = new Workspace(rows, dtype);
    // Re-inserting moves it to the end of the Map's order: the first key is the least recently used.
    this.byRows.delete(rows);
    this.byRows.set(rows, workspace);
    while (this.byRows.size > this.capacity) {
      const oldest = this.byRows.keys().next().value as number;
      this.byRows.delete(oldest);
    }
    return workspace;
  }

  /** Elements held, all workspaces together. */
  get size(): number {
    let total = 0;
    for (const workspace of this.byRows.values()) total += workspace.size;
    return total;
  }
}
