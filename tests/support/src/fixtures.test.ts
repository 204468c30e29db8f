import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIGITS_CSV } from './fixtures.js';

describe('committed fixtures', () => {
  it('digits.csv is the file its README describes, byte for byte', () => {
    const bytes = readFileSync(DIGITS_CSV);
    const readme = readFileSync(join(DIGITS_CSV, '../README.md'), 'utf8');
    const published = readme.match(/sha256 `([0-9a-f]{64})`/)?.[1];
    expect(published).toBe('d168c7e6f3c50d0eb1a859158aabd051dc9ac54cb9b20bf72ad3c2dfb765e010');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(published);
    const lines = bytes.toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 1797);
    expect(lines[0].split(',')).toHaveLength(65);
  });
});
