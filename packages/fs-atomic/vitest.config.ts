export { default } from '../../scripts/vitest.shared.js';
