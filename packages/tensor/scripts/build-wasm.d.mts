/** Types for build-wasm.mjs, imported by src/kernels/wasm/artifact.test.ts. */
export declare const artifactPath: string;
export declare function compilerVersion(): string;
export declare function compileMatmulWasm(): Promise<Uint8Array>;
export declare function renderArtifact(bytes: Uint8Array): string;
