// A grading worker thread: plain JavaScript so Node starts it without a loader; tsx is registered here to
// import the TypeScript grader and, through the sandbox, a submission's src/*.ts. One submission at a time.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { gradeSubmission } = await import('./grade-one.ts');

parentPort.on('message', async ({ id, name, path, config, tempDir }) => {
  try {
    parentPort.postMessage({ id, result: await gradeSubmission(name, path, config, tempDir) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
parentPort.postMessage({ ready: true });
