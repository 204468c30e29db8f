/**
 * The number parse on the hot path: a CIFAR-sized file has 150 million fields, so the common case (a
 * short run of decimal digits, e.g. a pixel `173`) is a digit loop that builds no intermediate value;
 * everything else goes through one strict pattern and `Number`.
 */

// Number() alone would accept '', ' 1', '0x1f', 'Infinity' and '1_0' as numbers: the pattern rules them out.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The value of a decimal field, or NaN when it is not a finite decimal number. */
export function parseDecimal(text: string): number {
  const length = text.length;
  // 15 digits stay exact in a double, so the digit loop needs no overflow check.
  if (length > 0 && length <= 15) {
    let value = 0;
    let i = 0;
    for (; i < length; i++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (i === length) return value;
  }
  return parseSlow(text);
}

function parseSlow(text: string): number {
  // Data rows are tokenized with quoting off (see read-range.ts), so writers that quote every field
  // hand us `"12"`: a quoted number is still a number.
  if (text.length >= 2 && text.charCodeAt(0) === 34 && text.charCodeAt(text.length - 1) === 34) {
    text = text.slice(1, -1);
  }
  if (!DECIMAL.test(text)) return Number.NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}
