import { describe, expect, it } from 'vitest';
import { describeFsError, printable, toWriteError, WriteError } from './write-error.js';

const fsError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('describeFsError', () => {
  it("keeps the code and Node's words, without the syscall and path they repeat", () => {
    expect(describeFsError(fsError('EACCES', "EACCES: permission denied, open '/x/y'"))).toBe(
      'EACCES: permission denied',
    );
    expect(describeFsError(fsError('EISDIR', 'is a folder'))).toBe('EISDIR');
    expect(describeFsError(new Error('no code'))).toBe('no code');
  });
});

describe('toWriteError', () => {
  it('names the file in one line, in our words where the errno code alone would mislead', () => {
    const error = toWriteError('/runs/a.json', fsError('EEXIST', "EEXIST: file already exists, open '/t'"));
    expect(error).toBeInstanceOf(WriteError);
    expect(error).toMatchObject({
      message: '/runs/a.json: cannot write (EEXIST: no fresh temporary file could be created)',
      path: '/runs/a.json',
      code: 'EEXIST',
    });
    expect(toWriteError('/a', fsError('EROFS', 'EROFS: read-only file system, open'))).toMatchObject({
      message: '/a: cannot write (EROFS: read-only file system)',
    });
  });

  it('passes anything but a file-system error through unchanged', () => {
    const bug = new TypeError('not a string');
    expect(toWriteError('/a', bug)).toBe(bug);
    const nodeInternal = fsError('ERR_INVALID_ARG_TYPE', 'bad');
    expect(toWriteError('/a', nodeInternal)).toBe(nodeInternal);
  });
});

describe('printable', () => {
  it('escapes control characters and bidirectional overrides', () => {
    expect(printable('a\u001b[31mb\u202ec\nd')).toBe('a\\u001b[31mb\\u202ec\\u000ad');
  });
});
