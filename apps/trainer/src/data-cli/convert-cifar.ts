/** `data convert-cifar`: CIFAR-10 binary batches → one CSV in our format (+ class names). */
import { classNamesPath, convertCifarBinary } from '@backprop-lab/data';
import { CliUsageError, type CommandSpec, type OptionValues } from './args.js';
import { shortPath } from './generate.js';
import { refuseOverwritingInput } from './inspect.js';
import type { CliIo } from './io.js';

export const convertCifarSpec: CommandSpec = {
  name: 'convert-cifar',
  brief: 'CIFAR-10 binary batches → one CSV in our format',
  summary:
    "Converts CIFAR-10's binary version (records of 1 label byte + 3072 pixel bytes) into one CSV. A folder stands\n" +
    'for its training batches data_batch_1.bin ... data_batch_5.bin; name test_batch.bin explicitly. Class names\n' +
    'come from batches.meta.txt beside the first input, written as <out>.classes.txt.',
  positionals: '<dir-or-files...>',
  minPositionals: 1,
  maxPositionals: Number.POSITIVE_INFINITY,
  options: [{ name: 'out', kind: 'string', value: '<file.csv>', description: 'the CSV to write (required)' }],
};

export async function runConvertCifar(values: OptionValues, positionals: string[], io: CliIo): Promise<void> {
  const out = values.out as string | undefined;
  if (out === undefined) throw new CliUsageError('convert-cifar: --out <file.csv> is required');
  await refuseOverwritingInput('convert-cifar', out, positionals, '--out');
  const started = performance.now();
  const result = await convertCifarBinary(positionals, out);
  const seconds = (performance.now() - started) / 1000;
  io.out(
    `wrote ${shortPath(out)}: ${result.rows} rows from ${result.files.length} file(s) in ${seconds.toFixed(1)} s`,
  );
  if (result.classNames)
    io.out(`class names: ${shortPath(classNamesPath(out))} (${result.classNames.join(', ')})`);
  else io.out('no batches.meta.txt found: no class names written');
}
