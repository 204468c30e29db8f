import * as fs from 'node:fs';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCK_NAME, lockFolder } from './lock.js';

// A full disk: every write to a file fails with ENOSPC.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, writeSync: vi.fn(real.writeSync) };
});
const realFs = await vi.importActual<typeof import('node:fs')>('node:fs');
afterEach(() => {
  vi.mocked(fs.writeSync).mockImplementation(realFs.writeSync as never);
});

describe('lockFolder', () => {
  it('on a full disk: one line naming the lock file, and neither a lock nor a temporary file left', () => {
    const dir = tempDirSync('lock');
    vi.mocked(fs.writeSync).mockImplementation((() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as never);
    expect(() => lockFolder(dir, '--out')).toThrow(
      `--out ${dir}: cannot create the lock file ${join(dir, LOCK_NAME)} (ENOSPC: no space left on device)`,
    );
    expect(readdirSync(dir)).toEqual([]);
    vi.mocked(fs.writeSync).mockImplementation(realFs.writeSync as never);
    const lock = lockFolder(dir, '--out');
    expect(readdirSync(dir)).toEqual([LOCK_NAME]);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });
});
