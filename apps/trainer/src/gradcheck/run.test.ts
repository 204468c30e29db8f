import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTable } from '../commands/gradcheck.js';
import { UsageError } from '../errors.js';
import { allChecks, runGradchecks } from './run.js';

const bin = join(import.meta.dirname, '../bin/gradcheck.ts');
const tsx = join(import.meta.dirname, '../../node_modules/.bin/tsx');

describe('pnpm gradcheck', () => {
  it('passes every check in float64: every layer, both batchnorm forms, every net parameter', () => {
    const rows = runGradchecks();
    const failing = rows.filter((r) => !r.ok).map((r) => `${r.check} ${r.param} ${r.relError}`);
    expect(failing).toEqual([]);
    const checks = new Set(rows.map((r) => r.check.split(' ')[0]));
    for (const name of [
      'affine',
      'relu',
      'batchnorm',
      'batchnorm-alt',
      'layernorm',
      'dropout',
      'softmax',
      'svm',
    ])
      expect(checks).toContain(name);
    const agree = rows.filter((r) => r.check === 'batchnorm-forms-agree');
    expect(agree.map((r) => r.param)).toEqual(['dx', 'dgamma', 'dbeta']);
    for (const r of agree) expect(r.relError).toBeLessThan(1e-12);
    // Every parameter of the 3-layer batchnorm net at both regs.
    const bn = rows.filter((r) => r.check.startsWith('net-batchnorm reg='));
    expect(bn).toHaveLength(2 * 10);
  });

  it('labels float32 results as expected to be loose and never fails on them', () => {
    const rows = runGradchecks({ only: ['affine'], dtype: 'float32' });
    expect(rows.every((r) => r.expectedLoose)).toBe(true);
    expect(rows.some((r) => r.relError > r.threshold)).toBe(true);
    expect(formatTable(rows)).toContain('loose (expected in float32)');
  });

  it('selects checks with only, and names an unknown one', () => {
    expect(new Set(runGradchecks({ only: ['relu'] }).map((r) => r.check))).toEqual(new Set(['relu']));
    expect(() => runGradchecks({ only: ['reluu'] })).toThrow(UsageError);
    expect(() => runGradchecks({ only: ['reluu'] })).toThrow('--only: unknown check reluu');
    expect(allChecks.length).toBeGreaterThan(10);
  });

  it('prints JSON rows from the bin and exits 2 on a usage error without a stack trace', () => {
    const out = execFileSync(tsx, [bin, '--only', 'relu,svm', '--json'], { encoding: 'utf8' });
    const rows = JSON.parse(out);
    expect(rows.map((r: { check: string }) => r.check)).toEqual(['relu', 'svm']);
    expect(Object.keys(rows[0])).toEqual(['check', 'param', 'relError', 'threshold', 'ok']);
    const bad = spawnSync(tsx, [bin, '--dtype', 'float16'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('gradcheck: --dtype: expected one of float64|float32, got "float16"');
    const unknown = spawnSync(tsx, [bin, '--frobnicate'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).not.toContain('    at ');
  });
});
