// Shared vitest setup: property tests run from a fixed seed so CI is reproducible; set FC_SEED to explore
// other seeds locally (a failure prints the seed and path to replay it).
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261124) });
