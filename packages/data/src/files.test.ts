import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@backprop-lab/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { type FileSystemError, fileError, openRegularFile, readTextFileIfAny } from './files.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('files');
});

async function openError(path: string, what?: string): Promise<DataError> {
  const error = await openRegularFile(path, what).then(
    async (handle) => {
      await handle.close();
      throw new Error(`expected ${path} to be refused`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

describe('openRegularFile', () => {
  it('opens a regular file, also through a symlink', async () => {
    await writeFile(join(dir, 'a.csv'), 'label,a\n');
    await symlink(join(dir, 'a.csv'), join(dir, 'link.csv'));
    const handle = await openRegularFile(join(dir, 'link.csv'));
    expect((await handle.readFile('utf8')).startsWith('label')).toBe(true);
    await handle.close();
  });

  it('refuses a folder, a FIFO (at once, without waiting for a writer) and a device in one line', async () => {
    await mkdir(join(dir, 'folder'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect((await openError(join(dir, 'folder'), 'the class-names file')).message).toBe(
      `${join(dir, 'folder')}: is a folder, but the class-names file must be a regular file`,
    );
    expect((await openError(join(dir, 'pipe'))).message).toBe(
      `${join(dir, 'pipe')}: is a pipe (process substitution or a FIFO), but a data file must be a regular file; save it to a file first`,
    );
    expect((await openError('/dev/null')).message).toBe(
      '/dev/null: is a character device, but a data file must be a regular file',
    );
  });

  it('turns errno failures into one line naming the file, and keeps the code', async () => {
    await symlink(join(dir, 'loop-b'), join(dir, 'loop-a'));
    await symlink(join(dir, 'loop-a'), join(dir, 'loop-b'));
    const loop = await openError(join(dir, 'loop-a'));
    expect(loop.message).toBe(`${join(dir, 'loop-a')}: too many levels of symbolic links (a symlink loop?)`);
    expect((loop as FileSystemError).code).toBe('ELOOP');
    expect((await openError(join(dir, 'missing.csv'))).message).toMatch(
      /missing\.csv: no such file or folder$/,
    );
    // Permission is not testable by chmod when the tests run as root: the mapping is what matters.
    const denied = fileError(
      'x.csv',
      Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }),
    );
    expect((denied as Error).message).toBe('x.csv: permission denied');
    const plain = new TypeError('a bug');
    expect(fileError('x.csv', plain)).toBe(plain);
  });

  it('readTextFileIfAny: undefined when nothing is there, the refusal otherwise', async () => {
    expect(await readTextFileIfAny(join(dir, 'none.txt'))).toBeUndefined();
    await expect(readTextFileIfAny(join(dir, 'folder'))).rejects.toThrow(/is a folder/);
  });
});
