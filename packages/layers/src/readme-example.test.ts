// README's "Your own layers" example, run exactly as printed there: the README quotes
// examples/custom-layers.ts whole, and this test runs that file and reads what it prints.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('README example: a wrong batchnorm backward plugged into the net', () => {
  it('is quoted whole in the README', () => {
    const source = readFileSync(join(root, 'examples/custom-layers.ts'), 'utf8');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${source}\`\`\``);
  });

  it('passes the gradient check with the default layers and fails it with the wrong backward', async () => {
    const printed: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args);
    });
    try {
      await import('../examples/custom-layers.js');
    } finally {
      log.mockRestore();
    }
    expect(printed.map((line) => line[0])).toEqual(['default layers:', 'constant-statistics batchnorm:']);
    const [defaults, wrong] = printed.map(
      (line) => line[1] as { ok: boolean; worst: string; relError: number },
    );
    expect(defaults.ok).toBe(true);
    expect(defaults.relError).toBeLessThan(1e-6);
    expect(wrong.ok).toBe(false);
    // Below a batchnorm the analytic and numerical gradients even differ in sign (relative error 1).
    expect(wrong.relError).toBeGreaterThan(0.5);
  });
});
