/**
 * One of several processes racing to create the same files (run-store.test.ts): creates <dir>/f<i>.json
 * for i < count with createFileAtomicSync and prints how many it created. argv: dir writer count
 */

import { join } from 'node:path';
import { createFileAtomicSync } from '@backprop-lab/fs-atomic';

const [dir, writer, count] = process.argv.slice(2);
let created = 0;
for (let i = 0; i < Number(count); i++) {
  // Large enough that a write takes several syscalls, so a reader could catch one half done.
  const text = `${JSON.stringify({ writer, i, pad: writer.repeat(200_000) })}\n`;
  if (createFileAtomicSync(join(dir, `f${i}.json`), text)) created++;
}
process.stdout.write(`${created}\n`);
