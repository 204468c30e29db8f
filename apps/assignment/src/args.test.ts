import { describe, expect, it } from 'vitest';
import { parseAssignmentArgs } from './args.js';

describe('pnpm assignment arguments', () => {
  it('reads init <dir> and --only', () => {
    expect(parseAssignmentArgs(['init', 'kit', '--only', 'affine,relu'])).toEqual({
      command: 'init',
      dir: 'kit',
      only: ['affine', 'relu'],
    });
    expect(parseAssignmentArgs(['--help'])).toEqual({ command: 'help' });
  });

  it('names each mistake in one line', () => {
    expect(() => parseAssignmentArgs([])).toThrow('pnpm assignment: give a command (init)');
    expect(() => parseAssignmentArgs(['grade'])).toThrow(
      "pnpm assignment: unknown command 'grade' (commands: init)",
    );
    expect(() => parseAssignmentArgs(['init'])).toThrow('pnpm assignment init: give the kit folder');
    expect(() => parseAssignmentArgs(['init', 'a', 'b'])).toThrow(
      "pnpm assignment init: unexpected argument 'b'",
    );
    expect(() => parseAssignmentArgs(['init', 'a', '--olny', 'x'])).toThrow(
      /^pnpm assignment: Unknown option '--olny'/,
    );
    expect(() => parseAssignmentArgs(['init', 'a', '--only', 'batchnorm'])).toThrow(
      /^pnpm assignment init --only: unknown exercise batchnorm \(exercises: affine,/,
    );
  });
});
