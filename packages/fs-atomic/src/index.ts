export {
  type AtomicWriteOptions,
  type Contents,
  createFileAtomicSync,
  writeFileAtomic,
  writeFileAtomicSync,
  writeStreamAtomic,
} from './atomic.js';
export { removePendingTemporaryFiles } from './pending.js';
export { describeFsError, printable, WriteError } from './write-error.js';
