import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { LOCK_NAME, lockFolder } from './lock.js';
import { openRunFolder } from './run-folder.js';

const folder = () => tempDirSync('run-folder');

/** The pid of a process that has exited (so no process has it, barring reuse within the test). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

const plantLock = (dir: string, owner: object) => writeFileSync(join(dir, LOCK_NAME), JSON.stringify(owner));

describe('lockFolder', () => {
  it('holds pid and host in a lock file, refuses a second taker while held, and releases', () => {
    const dir = folder();
    const lock = lockFolder(dir, '--out');
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => lockFolder(dir, '--out')).toThrow(
      `--out ${dir}: in use by run ${process.pid} on ${hostname()} (lock file ${lock.path}; delete it only if no run is writing there)`,
    );
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
    lockFolder(dir, '--out').release();
  });

  it('reclaims a stale lock: a dead pid on this host', () => {
    const dir = folder();
    plantLock(dir, { pid: deadPid(), host: hostname() });
    const lock = lockFolder(dir, '--out');
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a lock from another host, or one it cannot read, and leaves it in place', () => {
    const dir = folder();
    plantLock(dir, { pid: deadPid(), host: 'elsewhere.example' });
    expect(() => lockFolder(dir, '--out')).toThrow(/in use by run \d+ on elsewhere\.example/);
    writeFileSync(join(dir, LOCK_NAME), '');
    expect(() => lockFolder(dir, '--out')).toThrow(`--out ${dir}: in use by another run`);
    expect(readdirSync(dir)).toEqual([LOCK_NAME]);
  });

  it('release leaves a lock that is not its own', () => {
    const dir = folder();
    const lock = lockFolder(dir, '--out');
    plantLock(dir, { pid: 1, host: hostname() });
    lock.release();
    expect(readdirSync(dir)).toEqual([LOCK_NAME]);
  });
});

describe('openRunFolder', () => {
  it('creates a missing folder, and removes it again when the run failed before writing', () => {
    const dir = join(folder(), 'a', 'b');
    const run = openRunFolder(dir, false);
    expect(readdirSync(dir)).toEqual([LOCK_NAME]);
    run.close({ failed: true });
    expect(existsSync(join(dir, '..'))).toBe(false);
  });

  it('refuses a folder that holds files unless overwrite is set', () => {
    const dir = folder();
    writeFileSync(join(dir, 'summary.json'), '{}');
    mkdirSync(join(dir, 'notes'));
    expect(() => openRunFolder(dir, false)).toThrow(
      `--out ${dir}: the folder is not empty (notes, summary.json); give --overwrite to replace its files, or another --out`,
    );
    expect(readdirSync(dir).sort()).toEqual(['notes', 'summary.json']);
    const run = openRunFolder(dir, true);
    run.close();
    expect(readdirSync(dir).sort()).toEqual(['notes', 'summary.json']);
  });

  it('refuses a folder another run holds, even with overwrite', () => {
    const dir = folder();
    const first = openRunFolder(dir, false);
    expect(() => openRunFolder(dir, true)).toThrow(/in use by run/);
    first.close();
  });

  it('names the path when a file is in the way or the folder cannot be made', () => {
    const root = folder();
    const file = join(root, 'results.json');
    writeFileSync(file, '{}');
    expect(() => openRunFolder(file, false)).toThrow(
      `--out ${file}: cannot create or write the run folder (a file is in the way)`,
    );
    expect(() => openRunFolder(join(file, 'out'), false)).toThrow(/\(a file is in the way\)$/);
    // mkdirSync(..., { recursive: true }) never returns for this path on Node 20.
    expect(() => openRunFolder('/proc/backprop-lab-run', false)).toThrow(
      '--out /proc/backprop-lab-run: cannot create or write the run folder (ENOENT: no such file or directory)',
    );
  });
});
