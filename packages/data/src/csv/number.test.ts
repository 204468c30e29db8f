import { describe, expect, it } from 'vitest';
import { parseDecimal } from './number.js';

describe('parseDecimal', () => {
  it('reads digit runs exactly, up to 15 digits on the fast path', () => {
    expect(parseDecimal('0')).toBe(0);
    expect(parseDecimal('255')).toBe(255);
    expect(parseDecimal('007')).toBe(7);
    expect(parseDecimal('999999999999999')).toBe(999999999999999);
    // Past 15 digits the slow path gives what Number gives (the nearest double).
    expect(parseDecimal('12345678901234567')).toBe(Number('12345678901234567'));
  });

  it('reads signs, fractions, exponents and quoted numbers as Number does', () => {
    for (const text of ['-3', '+4', '0.1', '.5', '5.', '-1.25e-3', '6E2', '1e308']) {
      expect(parseDecimal(text)).toBe(Number(text));
    }
    expect(parseDecimal('"12"')).toBe(12);
    expect(parseDecimal('"-0.5"')).toBe(-0.5);
  });

  it('rejects what Number would wrongly accept or turn into a non-finite value', () => {
    for (const text of [
      '',
      ' ',
      ' 1',
      '1 ',
      '0x1f',
      'Infinity',
      '-Infinity',
      'NaN',
      '1_0',
      '1e',
      'e5',
      '--1',
      '1,5',
      '1e999',
      '""',
      '"1',
    ]) {
      expect(parseDecimal(text), text).toBeNaN();
    }
  });
});
