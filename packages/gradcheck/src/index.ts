/**
 * @backprop-lab/gradcheck: numerical gradients by centered differences, CS231n's relative error, and
 * full, sparse and directional gradient checks that return their verdict as data.
 * Shapes: x is any shape; gradients have x's shape.
 */
export {
  type CheckGradientOptions,
  type CheckMethod,
  checkGradient,
  DEFAULT_THRESHOLD,
  type DirectionalCheckOptions,
  directionalGradCheck,
  fullGradCheck,
  type GradCheckResult,
  type SparseCheckOptions,
  sampleOffsets,
  sparseGradCheck,
} from './check.js';
export {
  DEFAULT_H,
  evaluateAt,
  type NumericalGradientOptions,
  numericalGradient,
  numericalGradientArray,
  scalarize,
} from './numerical.js';
export { type Comparable, relError, unravelIndex, worstRelError } from './rel-error.js';
