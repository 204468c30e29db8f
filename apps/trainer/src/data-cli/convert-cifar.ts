/** `data convert-cifar`: CIFAR-10 binary batches → one CSV in our format (+ class names). */
import { classNamesPath, convertCifarBinary } from '@backprop-lab/data';
import type { CliIo, Command, ParsedInput } from '../cli/command.js';
import { UsageError } from '../errors.js';
import { shortPath } from './generate.js';
import { refuseOverwritingInput } from './inspect.js';

export const convertCifarCommand: Command = {
  name: 'convert-cifar',
  brief: 'CIFAR-10 binary batches → one CSV in our format',
  summary:
    "Converts CIFAR-10's binary version (records of 1 label byte + 3072 pixel bytes) into one CSV. A folder stands\n" +
    'for its training batches data_batch_1.bin ... data_batch_5.bin; name test_batch.bin explicitly. Class names\n' +
    'come from batches.meta.txt beside the first input, written as <out>.classes.txt.',
  positionals: { min: 1, max: Number.POSITIVE_INFINITY, usage: '<dir-or-files...>' },
  flags: [{ name: 'out', type: 'string', value: '<file.csv>', description: 'the CSV to write (required)' }],
  run: (input, io) => runConvertCifar(input, io),
};

async function runConvertCifar({ values, positionals }: ParsedInput, io: CliIo): Promise<undefined> {
  const out = values.out as string | undefined;
  if (out === undefined) throw new UsageError('convert-cifar: --out <file.csv> is required');
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
  return undefined;
}
