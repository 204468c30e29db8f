import { defineConfig } from 'vitest/config';

// Several tests start worker threads (~0.3 s each from TypeScript source) or train a small classifier;
// on a shared 2-core machine that can pass vitest's 5 s default without anything being wrong.
export default defineConfig({ test: { testTimeout: 30_000 } });
