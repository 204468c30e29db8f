/**
 * Value parsers shared by flags (strings) and --config files (JSON values). Each returns the typed value
 * or throws ValueError with a message that the caller prefixes with the flag or key at fault.
 */
export class ValueError extends Error {
  override name = 'ValueError';
}

export type Parser<T> = (raw: unknown) => T;

/** A value as error messages quote it. */
export function describe(raw: unknown): string {
  return typeof raw === 'string' ? JSON.stringify(raw) : (JSON.stringify(raw) ?? String(raw));
}

/** Decimal notation only: Number() would also take "0x10", "0b1" and "Infinity". */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A finite number from a number or a decimal string ("1e-3", "0.5"). */
function toNumber(raw: unknown, what: string): number {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && DECIMAL.test(raw.trim())) {
    const value = Number(raw.trim());
    if (Number.isFinite(value)) return value;
  }
  throw new ValueError(`expected ${what}, got ${describe(raw)}`);
}

export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  const what = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
  return (raw) => {
    const value = toNumber(raw, what);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ValueError(`expected ${what}, got ${describe(raw)}`);
    }
    return value;
  };
}

/** A number in a range; `lowOpen` excludes the lower bound (learning rates must be > 0). */
export function number(
  min: number,
  max = Number.POSITIVE_INFINITY,
  { lowOpen = false } = {},
): Parser<number> {
  const low = `${lowOpen ? '>' : '>='} ${min}`;
  const what = max === Number.POSITIVE_INFINITY ? `a number ${low}` : `a number ${low} and <= ${max}`;
  return (raw) => {
    const value = toNumber(raw, what);
    if ((lowOpen ? value <= min : value < min) || value > max) {
      throw new ValueError(`expected ${what}, got ${describe(raw)}`);
    }
    return value;
  };
}

export function oneOf<T extends string>(choices: readonly T[]): Parser<T> {
  return (raw) => {
    if (typeof raw === 'string' && (choices as readonly string[]).includes(raw)) return raw as T;
    throw new ValueError(`expected one of ${choices.join('|')}, got ${describe(raw)}`);
  };
}

/** A comma-separated string or a JSON array; at least one item; `unique` rejects repeats. */
export function list<T>(item: Parser<T>, { unique = false } = {}): Parser<T[]> {
  return (raw) => {
    let items: unknown[];
    if (Array.isArray(raw)) items = raw;
    else if (typeof raw === 'string') items = raw.split(',').map((part) => part.trim());
    else if (typeof raw === 'number') items = [raw];
    else throw new ValueError(`expected a comma-separated list, got ${describe(raw)}`);
    if (items.length === 0 || (items.length === 1 && items[0] === '')) {
      throw new ValueError('expected at least one value, got an empty list');
    }
    const values = items.map((value, i) => {
      try {
        return item(value);
      } catch (error) {
        if (error instanceof ValueError) throw new ValueError(`item ${i + 1}: ${error.message}`);
        throw error;
      }
    });
    if (unique) {
      const seen = new Set<string>();
      for (const value of values) {
        const key = String(value);
        if (seen.has(key)) throw new ValueError(`${key} is listed twice`);
        seen.add(key);
      }
    }
    return values;
  };
}

export function path(raw: unknown): string {
  if (typeof raw === 'string' && raw.trim() !== '') return raw;
  throw new ValueError(`expected a file path, got ${describe(raw)}`);
}

export function boolean(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ValueError(`expected true or false, got ${describe(raw)}`);
}

/** `parser`, or null for the word `word` ("auto", "all") or JSON null. */
export function orNull<T>(word: string, parser: Parser<T>): Parser<T | null> {
  return (raw) => {
    if (raw === null || raw === word) return null;
    try {
      return parser(raw);
    } catch (error) {
      if (error instanceof ValueError) throw new ValueError(`${error.message} (or "${word}")`);
      throw error;
    }
  };
}

/** `count` values evenly spaced in log10 from 10^low to 10^high, as numpy.logspace. */
export function logspace(low: number, high: number, count: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const exponent = count === 1 ? low : low + ((high - low) * i) / (count - 1);
    // Round to 12 significant digits so 10^-3 prints as 0.001 and configs compare equal.
    values.push(Number((10 ** exponent).toPrecision(12)));
  }
  return values;
}
