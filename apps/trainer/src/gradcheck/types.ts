import type { DType } from '@backprop-lab/tensor';

/** One line of the gradcheck table; `--json` prints an array of these. */
export interface CheckRow {
  check: string;
  param: string;
  relError: number;
  threshold: number;
  ok: boolean;
  /** Set under --dtype float32: the check runs for illustration and does not fail the command. */
  expectedLoose?: boolean;
}

export interface CheckDefinition {
  /** Selected with `--only <name>`. */
  name: string;
  description: string;
  run(dtype: DType): CheckRow[];
}
