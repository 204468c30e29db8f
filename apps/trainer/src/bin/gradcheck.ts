/**
 * `pnpm gradcheck [--only NAME[,NAME]] [--json] [--dtype float64|float32]`: every layer's and every net
 * parameter's gradient against centered differences. Exit 0 all pass, 1 a check failed, 2 usage error.
 */
import { errorLine } from '../errors.js';
import { allChecks, formatTable, GradcheckUsageError, runGradchecks } from '../gradcheck/run.js';

const HELP = `Usage: pnpm gradcheck [options]

Checks every layer's backward pass and every parameter of full nets against numerical gradients
(centered differences, h = 1e-5, float64).

Options:
  --only NAME[,NAME]   run only these checks (default: all)
  --json               print the results as a JSON array of { check, param, relError, threshold, ok }
  --dtype float64|float32
                       float64 (default). float32 shows why float64 is needed: its results are
                       labelled as expected to be loose and never fail the command.
  --help               this text

Checks:
${allChecks.map((c) => `  ${c.name.padEnd(22)} ${c.description}`).join('\n')}`;

function usage(message: string): never {
  process.stderr.write(`gradcheck: ${message} (see --help)\n`);
  process.exit(2);
}

function parse(argv: string[]) {
  const options = {
    only: [] as string[],
    json: false,
    dtype: 'float64' as 'float64' | 'float32',
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') usage(`${flag} needs a value`);
      return v;
    };
    if (flag === '--json') options.json = true;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else if (flag === '--only') options.only.push(...value().split(',').filter(Boolean));
    else if (flag === '--dtype') {
      const v = value();
      if (v !== 'float64' && v !== 'float32') usage(`--dtype must be float64 or float32, got '${v}'`);
      options.dtype = v;
    } else usage(`unknown option '${arg}'`);
  }
  return options;
}

const options = parse(process.argv.slice(2));
if (options.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
let rows: ReturnType<typeof runGradchecks>;
try {
  rows = runGradchecks({ only: options.only, dtype: options.dtype });
} catch (error) {
  if (error instanceof GradcheckUsageError) usage(error.message);
  process.stderr.write(`${errorLine('gradcheck', error)}\n`);
  process.exit(1);
}
const failed = rows.filter((r) => !r.ok && !r.expectedLoose);
if (options.json) {
  process.stdout.write(
    `${JSON.stringify(
      rows.map(({ check, param, relError, threshold, ok, expectedLoose }) => ({
        check,
        param,
        relError,
        threshold,
        ok,
        ...(expectedLoose ? { expectedLoose } : {}),
      })),
      null,
      2,
    )}\n`,
  );
} else {
  process.stdout.write(`${formatTable(rows)}\n\n`);
  const within = rows.filter((r) => r.ok).length;
  const verdict =
    options.dtype === 'float32'
      ? `float32: ${within} of ${rows.length} checks within their float64 threshold; loose results are expected ` +
        '(h = 1e-5 is near float32 resolution) and do not fail. Gradient checks need float64.'
      : failed.length
        ? `${failed.length} of ${rows.length} checks FAILED`
        : `all ${rows.length} checks passed`;
  process.stdout.write(`${verdict}\n`);
}
process.exit(failed.length ? 1 : 0);
