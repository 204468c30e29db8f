import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);

describe('README: generated images as a tensor', () => {
  it('shows examples/images-to-tensor.ts verbatim, and the example prints what its comments say', async () => {
    const readme = await readFile(new URL('README.md', root), 'utf8');
    const example = await readFile(new URL('examples/images-to-tensor.ts', root), 'utf8');
    const body = example.slice(example.indexOf('\n') + 1); // without the "how to run" first line
    expect(readme).toContain(`\`\`\`ts\n${body}\`\`\``);

    const tsx = new URL('node_modules/.bin/tsx', root).pathname;
    const run = spawnSync(tsx, [new URL('examples/images-to-tensor.ts', root).pathname], {
      cwd: root.pathname,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const promised = [...body.matchAll(/\/\/ → (.*)$/gm)].map((match) => match[1]);
    expect(promised).toHaveLength(2);
    expect(run.stdout.trimEnd().split('\n')).toEqual(promised);
  });
});
