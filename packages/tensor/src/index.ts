/**
 * @backprop-lab/tensor: contiguous row-major n-d arrays over Float64Array / Float32Array.
 * Shape legend used across backprop-lab: N batch, D features, H hidden, C classes, M/K matmul sizes.
 */

export {
  NATIVE_ELEMENTWISE_MIN,
  NATIVE_PARALLEL_MIN,
  type NativeBackendOptions,
  nativeAvailable,
  nativeBackend,
  nativeUnavailableReason,
} from '#native-backend';
export {
  allocateOutput,
  BACKEND_NAMES,
  type Backend,
  type BackendName,
  backendFromEnv,
  type ElementwiseKernels,
  fastestBackend,
  getBackend,
  type MatmulKernel,
  type MatmulPairKernel,
  type MatmulProblem,
  type MomentStepArgs,
  type MomentStepKernel,
  naiveBackend,
  type Pattern,
  type ReduceKernel,
  setBackend,
  typescriptBackend,
} from './backend.js';
export { broadcastShapes } from './broadcast.js';
export {
  arange,
  astype,
  full,
  linspace,
  ones,
  rand,
  randn,
  type TensorLike,
  tensor,
  zeros,
} from './create.js';
export { allocate, DTYPES, type DType, dtypeOf, isDType, type TypedArray } from './dtype.js';
export {
  abs,
  add,
  binary,
  div,
  equal,
  exp,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  type Operand,
  pow,
  sqrt,
  square,
  sub,
  unary,
  where,
} from './elementwise.js';
export {
  addScaledInPlace,
  copyInPlace,
  fillInPlace,
  momentStepInPlace,
  scaleAddInPlace,
} from './inplace.js';
export { matmulBlocked } from './kernels/matmul-blocked.js';
export { matmulNaive } from './kernels/matmul-naive.js';
export {
  PARALLEL_MIN_FLOPS,
  shutdownWasmThreads,
  type WasmBackendOptions,
  wasmAvailable,
  wasmBackend,
  wasmThreadsRunning,
} from './kernels/wasm/wasm-backend.js';
export { type MatmulOptions, matmul, matmulDims } from './matmul.js';
export { flattenRows, gatherRows, reshape, sliceRows, transpose } from './movement.js';
export {
  argmax,
  max,
  mean,
  min,
  type ReduceArgument,
  type ReduceOptions,
  sum,
  variance,
  vdot,
} from './reduce.js';
export { createRng, permutation, type Rng, type RngState, restoreRng } from './rng.js';
export { formatShape, type Shape, ShapeError, sameShape, shapeSize } from './shape.js';
export { type NestedArray, Tensor } from './tensor.js';
