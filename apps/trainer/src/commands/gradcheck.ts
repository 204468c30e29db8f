/**
 * `pnpm gradcheck [--only NAME[,NAME]] [--json] [--dtype float64|float32]`: every layer's and every net
 * parameter's gradient against centered differences, through runGradchecks. Exit 0 all pass, 1 a check
 * failed, 2 usage error.
 */
import type { CliIo, Command, Program } from '../cli/command.js';
import { renderTable } from '../cli/table.js';
import { oneOf } from '../cli/values.js';
import { allChecks, runGradchecks } from '../gradcheck/run.js';
import type { CheckRow } from '../gradcheck/types.js';

/** The table the command prints: check, parameter, worst relative error, threshold, ok. */
export function formatTable(rows: readonly CheckRow[]): string {
  const verdict = (r: CheckRow) =>
    r.expectedLoose ? (r.ok ? 'ok (float32)' : 'loose (expected in float32)') : r.ok ? 'ok' : 'FAIL';
  return renderTable(
    rows.map((r) => [
      r.check,
      r.param,
      r.relError.toExponential(2),
      r.threshold.toExponential(0),
      verdict(r),
    ]),
    { header: ['check', 'param', 'rel error', 'threshold', 'ok'] },
  ).join('\n');
}

function print(rows: readonly CheckRow[], dtype: 'float64' | 'float32', json: boolean, io: CliIo): void {
  if (json) {
    const plain = rows.map(({ check, param, relError, threshold, ok, expectedLoose }) => ({
      check,
      param,
      relError,
      threshold,
      ok,
      ...(expectedLoose ? { expectedLoose } : {}),
    }));
    io.out(JSON.stringify(plain, null, 2));
    return;
  }
  const failed = rows.filter((r) => !r.ok && !r.expectedLoose).length;
  const within = rows.filter((r) => r.ok).length;
  const verdict =
    dtype === 'float32'
      ? `float32: ${within} of ${rows.length} checks within their float64 threshold; loose results are expected ` +
        '(h = 1e-5 is near float32 resolution) and do not fail. Gradient checks need float64.'
      : failed
        ? `${failed} of ${rows.length} checks FAILED`
        : `all ${rows.length} checks passed`;
  io.out(`${formatTable(rows)}\n`);
  io.out(verdict);
}

export const gradcheckCommand: Command = {
  name: 'gradcheck',
  summary:
    "Checks every layer's backward pass and every parameter of full nets against numerical gradients\n" +
    '(centered differences, h = 1e-5, float64).',
  flags: [
    {
      name: 'only',
      type: 'string',
      value: 'NAME[,NAME]',
      description: 'run only these checks (default: all); may be repeated',
      multiple: true,
    },
    {
      name: 'json',
      type: 'boolean',
      description: 'print the results as a JSON array of { check, param, relError, threshold, ok }',
    },
    {
      name: 'dtype',
      type: 'string',
      value: 'float64|float32',
      description:
        'float32 shows why float64 is needed: its results are labelled as expected to be loose and never fail',
      default: 'float64',
      parse: oneOf(['float64', 'float32'] as const),
    },
  ],
  sections: [{ title: 'Checks', rows: allChecks.map((check) => [check.name, check.description]) }],
  run({ values }, io) {
    const only = ((values.only as string[] | undefined) ?? [])
      .flatMap((list) => list.split(','))
      .filter(Boolean);
    const dtype = (values.dtype as 'float64' | 'float32' | undefined) ?? 'float64';
    const rows = runGradchecks({ only, dtype });
    print(rows, dtype, values.json === true, io);
    return rows.some((r) => !r.ok && !r.expectedLoose) ? 1 : 0;
  },
};

export const gradcheckProgram: Program = {
  name: 'gradcheck',
  invocation: 'pnpm gradcheck',
  root: gradcheckCommand,
};
