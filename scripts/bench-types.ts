/** One benchmark suite: the default export of a `*.bench.ts` that scripts/bench.ts finds (see there). */
export interface BenchSuite {
  /** Selected with `pnpm bench --only <name>`. */
  name: string;
  description: string;
  /** Returns one flat record per configuration; with --json each is printed as one JSON line. */
  run(context: BenchContext): Promise<Record<string, string | number | boolean>[]>;
}

export interface BenchContext {
  json: boolean;
  /** Progress and notes for humans; silent under --json. */
  log(line: string): void;
}

/** Median wall time in ms of `fn` over `repeats` runs after `warmup` runs. */
export function timeMedian(fn: () => void, repeats = 5, warmup = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
