/**
 * The part of the WebAssembly JS API this backend uses, typed here because neither TypeScript's ES2022
 * lib nor @types/node 20 declares the WebAssembly global (it comes with the DOM lib, which Node code
 * should not pull in). `webAssembly` is undefined in a runtime without WebAssembly.
 */
export interface WasmModule {
  /** Opaque: only passed to Instance and to workers. */
  readonly __kind: 'WebAssembly.Module';
}

export interface WasmMemory {
  /** A SharedArrayBuffer for a shared memory, else an ArrayBuffer (detached by grow); new after each grow. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Adds `pages` pages of 64 KiB; returns the previous size in pages. */
  grow(pages: number): number;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WebAssemblyApi {
  Module: {
    new (bytes: Uint8Array): WasmModule;
    imports(module: WasmModule): { module: string; name: string; kind: string }[];
    exports(module: WasmModule): { name: string; kind: string }[];
  };
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

export const webAssembly = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
