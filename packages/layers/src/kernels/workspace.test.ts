import { describe, expect, it } from 'vitest';
import { WorkspaceCache } from './workspace.js';

describe('Workspace', () => {
  it('hands back the same buffer for the same name and shape, a new one when the shape changes', () => {
    const workspace = new WorkspaceCache().get(4, 'float32');
    const first = workspace.matrix('affine1', 3);
    first.data[0] = 5;
    expect(workspace.matrix('affine1', 3)).toBe(first);
    expect(workspace.matrix('affine1', 3).data[0]).toBe(5);
    expect(first.shape).toEqual([4, 3]);
    expect(first.dtype).toBe('float32');
    const wider = workspace.matrix('affine1', 6);
    expect(wider).not.toBe(first);
    expect(wider.shape).toEqual([4, 6]);
    expect(workspace.vector('ivar1', 3).shape).toEqual([3]);
    expect(workspace.size).toBe(24 + 3);
  });
});

describe('WorkspaceCache', () => {
  it('keeps the workspaces of the last `capacity` batch sizes and drops the least recently used', () => {
    const cache = new WorkspaceCache(2);
    const w200 = cache.get(200, 'float64');
    const w50 = cache.get(50, 'float64');
    expect(cache.get(200, 'float64')).toBe(w200);
    cache.get(7, 'float64'); // evicts 50, used least recently
    expect(cache.get(200, 'float64')).toBe(w200);
    expect(cache.get(50, 'float64')).not.toBe(w50);
  });

  it('never hands a workspace of another dtype', () => {
    const cache = new WorkspaceCache(2);
    const w64 = cache.get(10, 'float64');
    const w32 = cache.get(10, 'float32');
    expect(w32).not.toBe(w64);
    expect(w32.dtype).toBe('float32');
    expect(w32.matrix('x', 2).data).toBeInstanceOf(Float32Array);
  });

  it('counts the elements it holds', () => {
    const cache = new WorkspaceCache(1);
    cache.get(10, 'float64').matrix('a', 5);
    expect(cache.size).toBe(50);
    cache.get(20, 'float64');
    expect(cache.size).toBe(0);
  });
});
