export { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';
export { DIGITS_CSV } from './fixtures.js';
export { removeTempDirs, tempDir, tempDirSync } from './temp-dir.js';
