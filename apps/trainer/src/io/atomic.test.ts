import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic.js';

describe('writeFileAtomic', () => {
  it('creates missing folders and replaces an existing file, leaving no temp file behind', () => {
    const dir = tempDirSync('atomic');
    const file = join(dir, 'nested', 'summary.json');
    writeFileAtomic(file, 'first');
    writeFileAtomic(file, 'second');
    expect(readFileSync(file, 'utf8')).toBe('second');
    expect(readdirSync(join(dir, 'nested'))).toEqual(['summary.json']);
  });

  it('removes its temp file and throws when the rename fails', () => {
    const dir = tempDirSync('atomic');
    // A non-empty directory at the target path makes the rename fail after the temp file was written.
    const target = join(dir, 'report.html');
    mkdirSync(target);
    writeFileSync(join(target, 'inside.txt'), 'old');
    expect(() => writeFileAtomic(target, 'new')).toThrow();
    expect(readdirSync(dir)).toEqual(['report.html']);
    expect(readFileSync(join(target, 'inside.txt'), 'utf8')).toBe('old');
  });
});
