// Worker thread entry: plain JavaScript so Node can start it without a loader, then tsx is registered
// here to import the TypeScript task module. It works the same under `tsx` (pnpm train) and under vitest,
// because the pool starts workers with an empty execArgv and this file never relies on inherited hooks.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const task = await import(workerData.taskModule);
const context = typeof task.setup === 'function' ? await task.setup(workerData.shared) : workerData.shared;

function serializeError(error) {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

parentPort.on('message', async (message) => {
  if (message.type !== 'task') return;
  const emit = (event) => parentPort.postMessage({ type: 'event', id: message.id, event });
  try {
    const result = await task.runTask(message.task, context, emit);
    parentPort.postMessage({ type: 'result', id: message.id, result });
  } catch (error) {
    parentPort.postMessage({ type: 'error', id: message.id, error: serializeError(error) });
  }
});
parentPort.postMessage({ type: 'ready' });
