import { describe, expect, it } from 'vitest';
import { classifyError, errorLine, exitCodeFor, OutputError, UsageError } from './errors.js';

describe('errorLine', () => {
  it('gives one line for every kind of error, exit 2 for usage and 1 for the rest', () => {
    const usage = new UsageError('--lr: expected a number > 0, got "x"');
    expect(errorLine('train', usage)).toBe('train: --lr: expected a number > 0, got "x"');
    expect(exitCodeFor(classifyError(usage))).toBe(2);
    const folded = new OutputError('cannot write a\n  because b');
    expect(errorLine('train', folded)).toBe('train: cannot write a because b');
    // A file-system error nobody wrapped is the machine's state: one line, exit 1, not "internal".
    const fsError = Object.assign(new Error("EACCES: permission denied, open 'x.csv'"), { code: 'EACCES' });
    expect(classifyError(fsError)).toBe('output');
    expect(errorLine('train', fsError)).toBe("train: EACCES: permission denied, open 'x.csv'");
  });

  it('keeps a bug to one line too, with the stack only when BACKPROP_LAB_DEBUG is set', () => {
    const bug = new RangeError('Invalid typed array length: 8000000004');
    const line = errorLine('train', bug, {});
    expect(line).toBe(
      'train: internal error (a bug, please report it): RangeError: Invalid typed array length: 8000000004 ' +
        '(BACKPROP_LAB_DEBUG=1 shows the stack)',
    );
    expect(exitCodeFor(classifyError(bug))).toBe(1);
    expect(errorLine('train', bug, { BACKPROP_LAB_DEBUG: '1' })).toContain('\n    at ');
    expect(errorLine('gradcheck', 'thrown text', {})).toMatch(
      /^gradcheck: internal error .*: Error: thrown text /,
    );
  });
});
