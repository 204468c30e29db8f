// Which imports a student's file may make, decided at compile time: the path the child loads is the path
// checked here, whatever a URL would make of the specifier.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { compileSubmission } from './student-files.js';

function srcWith(files: Record<string, string>): string {
  const src = join(tempDirSync('student-files'), 'src');
  mkdirSync(join(src, 'helpers'), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(src, file), text);
  return src;
}

const onlySrc = 'graded code may import only .js paths of files in src/';

describe('compileSubmission', () => {
  it('refuses a specifier whose URL reading differs from its path: # and ? end a URL path, %2e%2e is ..', () => {
    const fragment = '../toolkit/layers/src/index.js#/../../../../src/relu.js';
    const query = '../toolkit/layers/src/index.js?/../../../../src/softmax.js';
    const encoded = './%2e%2e/toolkit/layers/src/index.js';
    const { problems, loadable, files } = compileSubmission(
      srcWith({
        'relu.ts': `export * from '${fragment}';\n`,
        'softmax.ts': `export const loaded = import('${query}');\n`,
        'affine.ts': `import * as real from '${encoded}';\nexport const a = real;\n`,
      }),
    );
    expect(problems.get('relu.ts')).toBe(`src/relu.ts:1:1: imports '${fragment}': ${onlySrc}`);
    // A refused import() rejects when it runs, with the same line.
    expect(problems.has('softmax.ts')).toBe(false);
    const softmax = files.get('student/softmax.js');
    expect(softmax).toContain(
      `Promise.reject(new Error("src/softmax.ts:1:23: imports '${query}': ${onlySrc}"))`,
    );
    expect(softmax).not.toContain('import(');
    expect(problems.get('affine.ts')).toBe(`src/affine.ts:1:1: imports '${encoded}': ${onlySrc}`);
    expect(loadable).not.toContain('relu.ts');
  });

  it('gives the child the path it checked, and refuses names that are not packages without crashing', () => {
    const { files, problems } = compileSubmission(
      srcWith({
        'dropout.ts': "export { dropoutForward } from './helpers/../helpers//util.js';\n",
        'helpers/util.ts': 'export function dropoutForward() {}\n',
        'layernorm.ts': "import x from 'constructor';\nexport const y = x;\n",
        'adam.ts': "import '__proto__';\n",
      }),
    );
    expect(files.get('student/dropout.js')).toContain('from "./helpers/util.js"');
    expect(files.has('student/helpers/util.js')).toBe(true);
    expect(problems.get('layernorm.ts')).toMatch(
      /^src\/layernorm.ts:1:1: imports 'constructor', which graded code may not use \(allowed: @backprop-lab\/tensor, /,
    );
    expect(problems.get('adam.ts')).toMatch(
      /^src\/adam.ts:1:1: imports '__proto__', which graded code may not use/,
    );
  });
});
