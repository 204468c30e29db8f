import type { Backend } from '../types.js';
import type { NativeBackendOptions } from './native-backend.js';

export type { NativeBackendOptions } from './native-backend.js';

/**
 * What a browser build gets for native-backend.ts (package.json `imports` maps `#native-backend` here
 * under the `browser` condition): the same exports, for kernels a browser cannot load. It keeps the
 * Node addon and node: modules out of a browser bundle while code that asks nativeAvailable() runs.
 */
const REASON = 'a Node addon, which a browser cannot load';

/** native-backend.ts's value; browser.test.ts checks that the two agree. */
export const NATIVE_PARALLEL_MIN = 2 ** 18;
export const NATIVE_ELEMENTWISE_MIN = 16;

export function nativeAvailable(): boolean {
  return false;
}

export function nativeUnavailableReason(): string | null {
  return REASON;
}

export function nativeBackend(_options: NativeBackendOptions = {}): Backend {
  throw new Error(`nativeBackend: the native kernels are unavailable: ${REASON}`);
}
