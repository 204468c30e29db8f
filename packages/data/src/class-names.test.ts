import { describe, expect, it } from 'vitest';
import { classNamesPath, parseClassNames } from './class-names.js';

describe('class-names sidecar', () => {
  it('sits next to the CSV as <name>.classes.txt', () => {
    expect(classNamesPath('datasets/cifar10-train.csv')).toBe('datasets/cifar10-train.classes.txt');
    expect(classNamesPath('data/table')).toBe('data/table.classes.txt');
  });

  it('reads one name per line, tolerating a BOM, CRLF, spaces and trailing blank lines', () => {
    expect(parseClassNames('n.txt', '\uFEFFcat\r\n dog \r\nbird\r\n\r\n\n')).toEqual(['cat', 'dog', 'bird']);
  });

  it('reports empty files, empty names and repeated names with file and line', () => {
    expect(() => parseClassNames('n.txt', '\n\n')).toThrow(
      'n.txt, line 1, column 1: the class-names file is empty',
    );
    expect(() => parseClassNames('n.txt', 'cat\n\ndog\n')).toThrow(
      'n.txt, line 2, column 1: class 1 has an empty name',
    );
    expect(() => parseClassNames('n.txt', 'cat\ndog\ncat\n')).toThrow(
      'n.txt, line 3, column 1: class name "cat" is repeated (also line 1)',
    );
  });
});
